//! A small flow-layout toolkit for receipts, slips and reports.
//!
//! A [`Doc`] keeps a cursor (millimetres from the top of the page) and places text and lines
//! below it; on A4/A5 it starts a new page when the next block does not fit, on roll paper the
//! single page grows with the content. All coordinates are millimetres from the top-left corner
//! of the page; the PDF's bottom-up coordinates only appear in [`super::pdf`].
//!
//! Every string is checked against the fonts; characters no font can draw are collected and
//! [`Doc::finish`] refuses to produce a PDF that would show empty boxes.

use super::font::{FontSet, MM_PER_PT};
use super::paper::{Margins, Paper};
use super::style::{Align, TextStyle};
use super::wrap::{normalize, wrap_text};
use super::{PrintError, pdf};

/// Line height as a multiple of the font size.
const LEADING: f32 = 1.45;

/// Height in millimetres of one line of text at `size_pt`.
pub fn line_height_mm(size_pt: f32) -> f32 {
    size_pt * MM_PER_PT * LEADING
}

/// Distance from the top of a line box to the baseline.
fn baseline_offset(size_pt: f32) -> f32 {
    size_pt * MM_PER_PT * 1.1
}

/// One thing drawn on a page, in top-down millimetres.
#[derive(Clone, Debug)]
pub(crate) enum Item {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width_pt: f32,
        dashed: bool,
    },
}

impl Item {
    /// Lowest point of the item, in mm from the page top.
    fn bottom(&self) -> f32 {
        match self {
            Item::Text { baseline, size, .. } => baseline + size * MM_PER_PT * 0.3,
            Item::Line { y1, y2, .. } => y1.max(*y2),
        }
    }
}

/// A document under construction.
#[derive(Debug)]
pub struct Doc {
    paper: Paper,
    margins: Margins,
    fonts: FontSet,
    title: String,
    pages: Vec<Vec<Item>>,
    items: Vec<Item>,
    y: f32,
    key_column: f32,
    /// characters no font can draw, in the order met (printed as `〔U+XXXX〕` stand-ins)
    missing: std::cell::RefCell<Vec<char>>,
    page_header: Option<String>,
}

impl Doc {
    /// A document drawn with the embedded font only.
    pub fn new(paper: Paper, title: &str) -> Result<Doc, PrintError> {
        Ok(Doc::with_fonts(paper, title, FontSet::embedded()?))
    }

    /// A document drawn with the given fonts (embedded + optional external fallback).
    pub fn with_fonts(paper: Paper, title: &str, fonts: FontSet) -> Doc {
        let margins = paper.margins();
        let content = paper.width_mm() - margins.left - margins.right;
        Doc {
            paper,
            margins,
            fonts,
            title: title.to_owned(),
            pages: Vec::new(),
            items: Vec::new(),
            y: margins.top,
            key_column: (content * 0.3).min(35.0),
            missing: Default::default(),
            page_header: None,
        }
    }

    pub fn paper(&self) -> Paper {
        self.paper
    }
    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }
    /// Left edge of the content area.
    pub fn left(&self) -> f32 {
        self.margins.left
    }
    /// Right edge of the content area.
    pub fn right(&self) -> f32 {
        self.paper.width_mm() - self.margins.right
    }
    pub fn content_width(&self) -> f32 {
        self.right() - self.left()
    }
    /// The cursor: where the next block starts, in mm from the top of the current page.
    pub fn cursor(&self) -> f32 {
        self.y
    }
    pub fn set_cursor(&mut self, y: f32) -> &mut Self {
        self.y = y;
        self
    }
    /// Width of the key column of [`Doc::key_value`] rows.
    pub fn key_column(&self) -> f32 {
        self.key_column
    }
    /// Sets the width of the key column of [`Doc::key_value`] rows.
    pub fn set_key_column(&mut self, mm: f32) -> &mut Self {
        self.key_column = mm.clamp(0.0, self.content_width());
        self
    }
    /// Characters found so far that no font can draw.
    pub fn missing_glyphs(&self) -> Vec<char> {
        self.missing.borrow().clone()
    }

    /// `text` with every character no font can draw replaced by a visible stand-in with its
    /// code point, `〔U+4DAE〕` (the 户号 on the document identifies the customer; the name
    /// itself is stored exactly as typed). Noted in [`Doc::missing_glyphs`].
    pub fn visible(&self, text: &str) -> String {
        let missing = self.fonts.missing_glyphs(text);
        if missing.is_empty() {
            return text.to_string();
        }
        let mut seen = self.missing.borrow_mut();
        for c in &missing {
            if !seen.contains(c) {
                seen.push(*c);
            }
        }
        text.chars()
            .map(|c| {
                if missing.contains(&c) {
                    super::font::stand_in(c)
                } else {
                    c.to_string()
                }
            })
            .collect()
    }

    /// Width of `text` in mm at `size_pt` with this document's fonts.
    pub fn measure(&self, text: &str, size_pt: f32) -> f32 {
        self.fonts.text_width_mm(&self.visible(text), size_pt)
    }

    /// Breaks `text` into lines no wider than `width_mm`.
    pub fn wrap(&self, text: &str, width_mm: f32, size_pt: f32) -> Vec<String> {
        wrap_text(&self.fonts, &self.visible(text), width_mm, size_pt)
    }

    /// Starts a new page (A4/A5). On roll paper there is only one page; this does nothing.
    pub fn new_page(&mut self) -> &mut Self {
        if self.paper.height_mm().is_some() {
            self.pages.push(std::mem::take(&mut self.items));
            self.y = self.margins.top;
            if let Some(header) = self.page_header.clone() {
                let style = TextStyle::new(self.paper.body_size() * 0.85);
                let (x, w) = (self.left(), self.content_width());
                for line in self.wrap(&header, w, style.size) {
                    self.line_in_box(x, w, style, &line);
                    self.y += line_height_mm(style.size);
                }
                self.y += 1.0;
            }
        }
        self
    }

    /// A small line printed at the top of every page after the first (A4/A5), e.g.
    /// `日清日结报告（续）  收款员：…`, so a loose sheet still says what it belongs to.
    pub fn set_page_header(&mut self, text: &str) -> &mut Self {
        self.page_header = Some(text.to_owned());
        self
    }

    /// Starts a new page if a block `height_mm` high does not fit below the cursor.
    /// Returns whether a page was started.
    pub fn ensure_space(&mut self, height_mm: f32) -> bool {
        let Some(h) = self.paper.height_mm() else {
            return false;
        };
        if self.y + height_mm > h - self.margins.bottom + 0.01 && !self.items.is_empty() {
            self.new_page();
            return true;
        }
        false
    }

    /// Moves the cursor down.
    pub fn space(&mut self, mm: f32) -> &mut Self {
        self.y += mm;
        self
    }

    /// One line of text at an absolute position, not wrapped. `x` is the left edge, the centre
    /// or the right edge depending on `style.align`; `baseline` is mm from the page top.
    pub fn text_at(&mut self, x: f32, baseline: f32, style: TextStyle, text: &str) -> &mut Self {
        let text = self.visible(&normalize(text).replace('\n', " "));
        let w = self.measure(&text, style.size);
        let left = match style.align {
            Align::Left => x,
            Align::Center => x - w / 2.0,
            Align::Right => x - w,
        };
        self.items.push(Item::Text {
            x: left,
            baseline,
            size: style.size,
            bold: style.bold,
            text,
        });
        self
    }

    /// Places a single line (already short enough) in the box `[x, x + width]` at the cursor.
    fn line_in_box(&mut self, x: f32, width: f32, style: TextStyle, line: &str) {
        let anchor = match style.align {
            Align::Left => x,
            Align::Center => x + width / 2.0,
            Align::Right => x + width,
        };
        let baseline = self.y + baseline_offset(style.size);
        self.text_at(anchor, baseline, style, line);
    }

    /// Text wrapped to the box `[x, x + width]`, starting at the cursor; moves the cursor below.
    pub fn paragraph_in(&mut self, x: f32, width: f32, style: TextStyle, text: &str) -> &mut Self {
        let lh = line_height_mm(style.size);
        for line in self.wrap(text, width, style.size) {
            self.ensure_space(lh);
            self.line_in_box(x, width, style, &line);
            self.y += lh;
        }
        self
    }

    /// Text wrapped to the content width, starting at the cursor.
    pub fn paragraph(&mut self, style: TextStyle, text: &str) -> &mut Self {
        let (x, w) = (self.left(), self.content_width());
        self.paragraph_in(x, w, style, text)
    }

    /// A key in the key column and its value wrapped in the rest of the line,
    /// e.g. `户号：` `0512345678`. A key wider than the column pushes the value right.
    pub fn key_value(&mut self, style: TextStyle, key: &str, value: &str) -> &mut Self {
        let key_w = self.measure(key, style.size);
        let col = if key_w <= self.key_column {
            self.key_column
        } else {
            key_w + 1.0
        };
        let lh = line_height_mm(style.size);
        self.ensure_space(lh);
        let top = self.y;
        let key_style = TextStyle {
            align: Align::Left,
            ..style
        };
        self.line_in_box(self.left(), col, key_style, key);
        let (x, w) = (self.left() + col, (self.content_width() - col).max(1.0));
        let value_style = TextStyle {
            bold: false,
            ..style
        };
        self.paragraph_in(x, w, value_style, value);
        if self.y < top + lh {
            self.y = top + lh;
        }
        self
    }

    /// `left` at the left margin and `right` flush right on the same line, e.g. a total.
    /// When both do not fit on one line, `right` goes on the next line.
    pub fn left_right(&mut self, style: TextStyle, left: &str, right: &str) -> &mut Self {
        let lw = self.measure(left, style.size);
        let rw = self.measure(right, style.size);
        let (x, w) = (self.left(), self.content_width());
        if lw + rw + 2.0 > w {
            self.paragraph_in(
                x,
                w,
                TextStyle {
                    align: Align::Left,
                    ..style
                },
                left,
            );
            self.paragraph_in(
                x,
                w,
                TextStyle {
                    align: Align::Right,
                    ..style
                },
                right,
            );
            return self;
        }
        let lh = line_height_mm(style.size);
        self.ensure_space(lh);
        self.line_in_box(
            x,
            w,
            TextStyle {
                align: Align::Left,
                ..style
            },
            left,
        );
        self.line_in_box(
            x,
            w,
            TextStyle {
                align: Align::Right,
                ..style
            },
            right,
        );
        self.y += lh;
        self
    }

    /// A line segment between two points (mm from the top-left corner).
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), width_pt: f32) -> &mut Self {
        self.push_line(from, to, width_pt, false)
    }

    /// A dashed line segment between two points.
    pub fn dashed_line(&mut self, from: (f32, f32), to: (f32, f32), width_pt: f32) -> &mut Self {
        self.push_line(from, to, width_pt, true)
    }

    fn push_line(
        &mut self,
        (x1, y1): (f32, f32),
        (x2, y2): (f32, f32),
        width_pt: f32,
        dashed: bool,
    ) -> &mut Self {
        self.items.push(Item::Line {
            x1,
            y1,
            x2,
            y2,
            width_pt,
            dashed,
        });
        self
    }

    /// Renders the PDF (characters no font can draw are already their stand-ins).
    pub fn finish(mut self) -> Result<Vec<u8>, PrintError> {
        self.pages.push(std::mem::take(&mut self.items));
        let width = self.paper.width_mm();
        let height = self.paper.height_mm().unwrap_or_else(|| {
            // Roll paper: down to the cursor or the lowest thing drawn, whichever is lower.
            let lowest = self
                .pages
                .iter()
                .flatten()
                .map(Item::bottom)
                .fold(self.y, f32::max);
            (lowest + self.margins.bottom).max(40.0)
        });
        let sizes = vec![(width, height); self.pages.len()];
        pdf::render(&self.title, &self.fonts, &self.pages, &sizes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_value_wraps_the_value_and_moves_the_cursor() {
        let mut d = Doc::new(Paper::Roll80, "t").unwrap();
        let y0 = d.cursor();
        d.key_value(TextStyle::new(9.0), "地址：", &"城关镇和平路".repeat(6));
        let lines = (d.cursor() - y0) / line_height_mm(9.0);
        assert!(lines > 1.9, "{lines}");
    }

    #[test]
    fn fixed_pages_break_and_roll_paper_does_not() {
        let mut a5 = Doc::new(Paper::A5, "t").unwrap();
        let mut roll = Doc::new(Paper::Roll80, "t").unwrap();
        for i in 0..100 {
            a5.paragraph(TextStyle::new(10.0), &format!("第{i}行"));
            roll.paragraph(TextStyle::new(10.0), &format!("第{i}行"));
        }
        assert!(a5.pages.len() >= 2, "{}", a5.pages.len());
        assert!(a5.cursor() < 210.0);
        assert!(roll.pages.is_empty() && roll.cursor() > 300.0);
    }

    #[test]
    fn page_header_starts_every_later_page() {
        let mut d = Doc::new(Paper::A5, "t").unwrap();
        d.set_page_header("报告（续）");
        for i in 0..80 {
            d.paragraph(TextStyle::new(10.0), &format!("第{i}行"));
        }
        let headers = |items: &[Item]| {
            items
                .iter()
                .filter(|i| matches!(i, Item::Text { text, .. } if text == "报告（续）"))
                .count()
        };
        assert_eq!(d.pages.len(), 2);
        assert_eq!(headers(&d.pages[0]), 0);
        assert_eq!(headers(&d.pages[1]), 1);
        assert_eq!(headers(&d.items), 1);
    }

    #[test]
    fn alignment_anchors_text() {
        let mut d = Doc::new(Paper::A4, "t").unwrap();
        d.text_at(100.0, 50.0, TextStyle::new(12.0).right(), "右对齐");
        d.text_at(100.0, 60.0, TextStyle::new(12.0).center(), "居中");
        let w_right = d.measure("右对齐", 12.0);
        let w_center = d.measure("居中", 12.0);
        let xs: Vec<f32> = d
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { x, .. } => Some(*x),
                Item::Line { .. } => None,
            })
            .collect();
        assert!((xs[0] - (100.0 - w_right)).abs() < 1e-3);
        assert!((xs[1] - (100.0 - w_center / 2.0)).abs() < 1e-3);
    }

    #[test]
    fn missing_glyphs_print_as_their_code_point() {
        let mut d = Doc::new(Paper::Roll80, "t").unwrap();
        assert!(
            d.fonts()
                .missing_glyphs("〔U+0123456789ABCDEF〕")
                .is_empty()
        );
        d.paragraph(TextStyle::new(9.0), "𠮷田");
        assert_eq!(d.missing_glyphs(), ['𠮷']);
        assert_eq!(d.visible("王𠮷"), "王〔U+20BB7〕");
        assert!(d.finish().is_ok());
    }
}

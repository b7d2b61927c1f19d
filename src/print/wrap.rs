//! Line breaking for mixed Chinese and Latin text.
//!
//! Chinese may break between any two characters; runs of Latin letters, digits and ASCII
//! punctuation (words, numbers, amounts like `¥1,234.56`) stay together unless a run alone is
//! wider than the line. Closing punctuation (，。、）…) never starts a line and opening
//! punctuation (（“《…) never ends one. Explicit `\n` starts a new line.

use super::font::FontSet;

/// Tolerance for floating-point widths, in millimetres.
const EPS: f32 = 0.01;

/// Breaks `text` into lines no wider than `width_mm` at `size_pt`.
/// Always returns at least one line (possibly empty).
pub fn wrap_text(fonts: &FontSet, text: &str, width_mm: f32, size_pt: f32) -> Vec<String> {
    let mut out = Vec::new();
    for para in normalize(text).split('\n') {
        wrap_paragraph(fonts, para, width_mm, size_pt, &mut out);
    }
    out
}

/// Tabs become spaces; `\r` and other control characters except `\n` are dropped.
pub(crate) fn normalize(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            '\n' => Some('\n'),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && (c as u32) < 0x2E80
}

fn is_closing(c: char) -> bool {
    "，。、；：？！）」』”’》〉】〕…—·．,.;:?!)]}%％".contains(c)
}

fn is_opening(c: char) -> bool {
    "（「『“‘《〈【〔([{¥￥".contains(c)
}

/// Splits into break units: a word run, a single space, or any other single character.
fn units(para: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in para.char_indices() {
        if is_word_char(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(&para[s..i]);
        }
        out.push(&para[i..i + c.len_utf8()]);
    }
    if let Some(s) = start {
        out.push(&para[s..]);
    }
    out
}

struct Line<'a> {
    parts: Vec<(&'a str, f32)>,
    width: f32,
}

impl<'a> Line<'a> {
    fn new() -> Self {
        Line {
            parts: Vec::new(),
            width: 0.0,
        }
    }
    fn push(&mut self, s: &'a str, w: f32) {
        self.parts.push((s, w));
        self.width += w;
    }
    fn text(&self) -> String {
        let s: String = self.parts.iter().map(|(s, _)| *s).collect();
        s.trim_end_matches(' ').to_owned()
    }
}

fn wrap_paragraph(fonts: &FontSet, para: &str, width: f32, size: f32, out: &mut Vec<String>) {
    let mut line = Line::new();
    let mut pieces: Vec<&str> = Vec::new();
    for unit in units(para) {
        let w = fonts.text_width_mm(unit, size);
        if w > width + EPS && unit.chars().count() > 1 {
            // A word longer than the line: break it between characters.
            let mut idx = unit.char_indices().map(|(i, _)| i).peekable();
            while let Some(i) = idx.next() {
                let end = idx.peek().copied().unwrap_or(unit.len());
                pieces.push(&unit[i..end]);
            }
        } else {
            pieces.push(unit);
        }
    }
    // After a soft break, spaces at the start of the new line are dropped.
    let mut soft = false;
    for piece in pieces {
        let w = fonts.text_width_mm(piece, size);
        if piece == " " && soft && line.parts.is_empty() {
            continue;
        }
        if line.width + w <= width + EPS || line.parts.is_empty() {
            line.push(piece, w);
            continue;
        }
        soft = true;
        if piece == " " {
            out.push(line.text());
            line = Line::new();
            continue;
        }
        let mut next = Line::new();
        let first = piece.chars().next().unwrap_or(' ');
        // Keep closing punctuation off the start and opening punctuation off the end of a line
        // by carrying the last unit over, as long as the current line keeps something.
        let carry = line
            .parts
            .last()
            .is_some_and(|(s, _)| s.chars().all(is_opening))
            || is_closing(first);
        if carry
            && line.parts.len() > 1
            && let Some((s, lw)) = line.parts.pop()
        {
            line.width -= lw;
            next.push(s, lw);
        }
        out.push(line.text());
        next.push(piece, w);
        line = next;
    }
    out.push(line.text());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> FontSet {
        FontSet::embedded().unwrap()
    }

    #[test]
    fn chinese_breaks_anywhere_within_width() {
        let f = fonts();
        let text = "供电所营业厅一口对外首问负责一证受理".repeat(3);
        let lines = wrap_text(&f, &text, 30.0, 10.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(f.text_width_mm(l, 10.0) <= 30.0 + EPS, "{l}");
        }
        assert_eq!(lines.concat(), text);
    }

    #[test]
    fn numbers_are_not_split() {
        let f = fonts();
        let lines = wrap_text(&f, "应缴金额合计为¥1,234.56元", 25.0, 10.0);
        assert!(lines.iter().any(|l| l.contains("¥1,234.56")), "{lines:?}");
    }

    #[test]
    fn closing_punctuation_does_not_start_a_line() {
        let f = fonts();
        let one = f.text_width_mm("电", 10.0);
        // Exactly four ideographs fit; the comma would be fifth.
        let lines = wrap_text(&f, "一二三四，五六", one * 4.0 + 0.05, 10.0);
        assert!(lines.iter().all(|l| !l.starts_with('，')), "{lines:?}");
        assert_eq!(lines.concat(), "一二三四，五六");
    }

    #[test]
    fn explicit_newlines_and_spaces() {
        let f = fonts();
        assert_eq!(wrap_text(&f, "甲\n乙", 50.0, 10.0), vec!["甲", "乙"]);
        assert_eq!(wrap_text(&f, "", 50.0, 10.0), vec![""]);
        let lines = wrap_text(&f, "aaaa bbbb cccc dddd", 12.0, 10.0);
        assert!(
            lines
                .iter()
                .all(|l| !l.starts_with(' ') && !l.ends_with(' ')),
            "{lines:?}"
        );
    }

    #[test]
    fn overlong_word_is_broken() {
        let f = fonts();
        let lines = wrap_text(&f, &"8".repeat(60), 20.0, 10.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(f.text_width_mm(l, 10.0) <= 20.0 + EPS);
        }
    }
}

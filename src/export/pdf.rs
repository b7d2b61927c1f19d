//! A workbook on A4 through the print pipeline: the heading, the lines about it, then each
//! table under its title (figures right-aligned, money grouped `1,234.50`, the header
//! repeated on every page, a small `（续）` line at the top of later pages), its notes, and
//! the signature line. Column shares follow the widest cell of each column (a Chinese
//! character counts two), so names get room and counts stay narrow.
use unicode_width::UnicodeWidthStr;

use super::{Sheet, Workbook};
use crate::print::{Align, Column, Doc, FontSet, Paper, PrintError, Table, TextStyle};

/// Share of the width a column gets: its widest cell, within bounds so that a long
/// note does not squeeze the figures and a count still has room for its header.
fn weight(width: usize) -> f32 {
    (width as f32).clamp(4.0, 28.0)
}

fn table_of(s: &Sheet, size: f32) -> Table {
    let widths = s.column_widths();
    let columns = s
        .columns
        .iter()
        .enumerate()
        .map(|(i, title)| {
            let align = if s.is_figure_column(i) {
                Align::Right
            } else {
                Align::Left
            };
            Column::new(title, weight(widths[i].max(title.width())), align)
        })
        .collect();
    let rows = s
        .rows
        .iter()
        .map(|r| r.iter().map(super::Cell::printed).collect())
        .collect();
    Table {
        columns,
        rows,
        size,
    }
}

/// The workbook as PDF bytes, drawn with `fonts`.
pub fn render(wb: &Workbook, fonts: FontSet) -> Result<Vec<u8>, PrintError> {
    let paper = Paper::A4;
    let mut doc = Doc::with_fonts(paper, &wb.title, fonts);
    let body = paper.body_size();
    let text = TextStyle::new(body);
    let small = TextStyle::new(body * 0.8);
    doc.paragraph(TextStyle::new(body * 1.6).bold().center(), &wb.heading);
    for (k, v) in &wb.about {
        doc.paragraph(text, &format!("{k}：{v}"));
    }
    doc.rule();
    doc.set_page_header(&format!("{}（续）", wb.title));
    for s in &wb.sheets {
        doc.space(2.0);
        // the title stays with the table's first rows
        doc.ensure_space(4.0 * crate::print::line_height_mm(body));
        doc.paragraph(text.bold(), &s.title);
        if s.rows.is_empty() {
            doc.paragraph(small, "（无）");
        } else {
            doc.table(&table_of(s, body * 0.8));
        }
        for n in &s.notes {
            doc.paragraph(small, n);
        }
    }
    if !wb.signatures.is_empty() {
        let lh = crate::print::line_height_mm(body);
        doc.ensure_space(3.0 * lh);
        doc.space(lh);
        doc.paragraph(text, &wb.signatures);
    }
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Cell;
    use rust_decimal::Decimal;

    #[test]
    fn a_workbook_prints_and_reads_back() {
        let mut s = Sheet::new("收费", "收费·按收费员", &["收费员", "笔数", "金额(元)"]);
        s.row(vec![
            Cell::text("王丽娟"),
            Cell::Int(3),
            Cell::Money(Decimal::new(123450, 2)),
        ]);
        let wb = Workbook {
            title: "月报 2026年11月".into(),
            heading: "供电所营业月报".into(),
            about: vec![("供电所".into(), "王庄供电所".into())],
            made_at: chrono::NaiveDateTime::default(),
            sheets: vec![s, Sheet::new("空", "空表", &["甲"])],
            signatures: "制表：________".into(),
        };
        let pdf = render(&wb, FontSet::embedded().unwrap()).unwrap();
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let text = doc.extract_text(&[1]).unwrap();
        for want in [
            "供电所营业月报",
            "王丽娟",
            "1,234.50",
            "收费·按收费员",
            "（无）",
        ] {
            assert!(text.contains(want), "{want} in {text}");
        }
    }
}

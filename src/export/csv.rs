//! CSV for Excel, the one writer every export uses: UTF-8 with a byte-order mark (so Excel
//! reads the Chinese text), CRLF line ends, fields quoted when they hold a comma, quote or
//! line break.
//!
//! Formula injection: Excel (and LibreOffice, WPS) run a field that begins with `=`, `+`,
//! `-` or `@` (also tab or CR, which some of them skip first) as a formula — a customer
//! named `=HYPERLINK(…)` would become a link, `=cmd|…` worse. Such text is written with a
//! leading `'` (`'=SUM(A1)`), the prefix OWASP recommends: Excel then shows the text, with
//! the `'` in front, and runs nothing. A field that is a plain number (`-12.50`, `-3`,
//! `+5%`) is left alone: it cannot be a formula and must stay a number.

use super::{Cell, Workbook};

/// The byte-order mark Excel looks for to read UTF-8.
pub const BOM: &str = "\u{feff}";

/// Whether a spreadsheet would take `s` for a formula.
pub fn is_formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `-12.50`, `3`, `+5`, `98.25%`: digits with at most one point, a sign and a `%`.
fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let body = body.strip_suffix('%').unwrap_or(body);
    let mut points = 0;
    !body.is_empty()
        && body.starts_with(|c: char| c.is_ascii_digit())
        && body.chars().all(|c| {
            if c == '.' {
                points += 1;
                points == 1
            } else {
                c.is_ascii_digit()
            }
        })
}

fn quoted(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A text field: made harmless when formula-like, quoted when needed.
pub fn text_field(s: &str) -> String {
    if is_formula_like(s) {
        quoted(&format!("'{s}"))
    } else {
        quoted(s)
    }
}

/// A field of unknown kind (the string-only [`document`]): a plain number is kept as it
/// is, anything else is treated as text.
pub fn field(s: &str) -> String {
    if is_plain_number(s) {
        s.to_string()
    } else {
        text_field(s)
    }
}

/// A typed cell: figures and dates as Excel reads them, text made harmless.
pub fn cell_field(c: &Cell) -> String {
    match c {
        Cell::Text(s) => text_field(s),
        // `—` (nothing to divide by) is text, but never formula-like
        other => quoted(&other.plain()),
    }
}

fn line(out: &mut String, fields: impl Iterator<Item = String>) {
    let cells: Vec<String> = fields.collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// A whole file of one table: the BOM, the header and the rows (cells given as strings).
pub fn document(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from(BOM);
    line(&mut out, header.iter().map(|h| text_field(h)));
    for r in rows {
        line(&mut out, r.iter().map(|c| field(c)));
    }
    out.into_bytes()
}

/// A workbook as one CSV file: the title and the lines about it, then each table as a
/// section — its title on a line of its own, its header, its rows, its notes — with an
/// empty line between sections.
pub fn workbook(wb: &Workbook) -> Vec<u8> {
    let mut out = String::from(BOM);
    line(&mut out, std::iter::once(text_field(&wb.title)));
    for (k, v) in &wb.about {
        line(&mut out, [text_field(k), text_field(v)].into_iter());
    }
    for s in &wb.sheets {
        out.push_str("\r\n");
        line(
            &mut out,
            std::iter::once(text_field(&format!("【{}】", s.title))),
        );
        line(&mut out, s.columns.iter().map(|h| text_field(h)));
        for r in &s.rows {
            line(&mut out, r.iter().map(cell_field));
        }
        for n in &s.notes {
            line(&mut out, std::iter::once(text_field(n)));
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Sheet;
    use rust_decimal::Decimal;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("张伟"), "张伟");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("说\"不可抗力\""), "\"说\"\"不可抗力\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("+1"), "+1");
        assert_eq!(field("-12.50"), "-12.50");
        assert_eq!(field("-1+2"), "'-1+2");
        assert_eq!(field("@cmd"), "'@cmd");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(field("\r=1"), "\"'\r=1\"");
        assert_eq!(field("=A1,B1"), "\"'=A1,B1\"");
        assert_eq!(field("第一行\n第二行"), "\"第一行\n第二行\"");
        assert_eq!(text_field("-5"), "'-5");
        let doc = String::from_utf8(document(
            &["人员", "金额"],
            &[vec!["张伟".into(), "50.00".into()]],
        ))
        .unwrap();
        assert_eq!(doc, "\u{feff}人员,金额\r\n张伟,50.00\r\n");
    }

    #[test]
    fn plain_numbers_are_recognised() {
        for s in ["0", "12", "-12.50", "+3", "98.25%", "1.5"] {
            assert!(is_plain_number(s), "{s}");
        }
        for s in ["", "-", "1.2.3", "1,000", "=1", "1e5", "-.5", "12a"] {
            assert!(!is_plain_number(s), "{s}");
        }
    }

    #[test]
    fn a_workbook_is_one_file_of_sections() {
        let mut s = Sheet::new("收费", "按收费员", &["收费员", "笔数", "金额(元)"]);
        s.row(vec![
            Cell::text("=SUM(A1)"),
            Cell::Int(3),
            Cell::Money(Decimal::new(-12050, 2)),
        ]);
        let wb = Workbook {
            title: "月报".into(),
            heading: "月报".into(),
            about: vec![("供电所".into(), "王庄".into())],
            made_at: chrono::NaiveDateTime::default(),
            sheets: vec![s],
            signatures: String::new(),
        };
        let text = String::from_utf8(workbook(&wb)).unwrap();
        assert_eq!(
            text,
            "\u{feff}月报\r\n供电所,王庄\r\n\r\n【按收费员】\r\n收费员,笔数,金额(元)\r\n'=SUM(A1),3,-120.50\r\n"
        );
    }
}

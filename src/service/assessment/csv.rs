//! CSV for Excel: UTF-8 with a byte-order mark (so Excel reads the Chinese text), CRLF line
//! ends, fields quoted when needed, and text that Excel would take for a formula made
//! harmless with a leading `'`.

/// The byte-order mark Excel looks for to read UTF-8.
pub const BOM: &str = "\u{feff}";

/// One field, quoted when it holds a comma, quote or line break.
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A whole file: the BOM, the header and the rows.
pub fn document(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from(BOM);
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out.push_str(&line(header.iter().map(|h| field(h)).collect()));
    for r in rows {
        out.push_str(&line(r.iter().map(|c| field(c)).collect()));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("张伟"), "张伟");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("说\"不可抗力\""), "\"说\"\"不可抗力\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("第一行\n第二行"), "\"第一行\n第二行\"");
        let doc = String::from_utf8(document(
            &["人员", "金额"],
            &[vec!["张伟".into(), "50.00".into()]],
        ))
        .unwrap();
        assert_eq!(doc, "\u{feff}人员,金额\r\n张伟,50.00\r\n");
    }
}

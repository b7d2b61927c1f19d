//! The sealed key sheet (审计密钥单): the audit trail's first MAC key, as text and as a QR
//! code, printed once at set-up for the county company to keep sealed. With it, `verify
//! --key` proves that no entry since was forged, even by someone holding the database and
//! the program (`docs/reliability.md`).
use chrono::NaiveDateTime;

use super::font::FontSet;
use super::layout::Doc;
use super::style::TextStyle;
use super::{Paper, PrintError};

#[derive(Clone, Debug, PartialEq)]
pub struct KeySheetView {
    pub station_name: String,
    pub station_code: String,
    /// `SEQ:HEX`, as `verify --key` reads it
    pub key_text: String,
    pub start_seq: i64,
    pub printed_at: NaiveDateTime,
    pub printed_by: String,
    pub paper: Paper,
}

pub const KEY_SHEET_TITLE: &str = "审计密钥单";

/// Width of one QR module.
const MODULE_MM: f32 = 1.2;

pub fn render_key_sheet(v: &KeySheetView, fonts: FontSet) -> Result<Vec<u8>, PrintError> {
    let mut doc = Doc::with_fonts(v.paper, KEY_SHEET_TITLE, fonts);
    let body = v.paper.body_size();
    let text = TextStyle::new(body);
    doc.paragraph(TextStyle::new(body * 1.6).bold().center(), KEY_SHEET_TITLE);
    doc.paragraph(TextStyle::new(body * 1.1).center(), &v.station_name);
    doc.rule();
    doc.key_value(text, "站点编码：", &v.station_code);
    doc.key_value(
        text,
        "密钥起始：",
        &format!("审计日志第 {} 条", v.start_seq),
    );
    doc.key_value(
        text,
        "打印时间：",
        &v.printed_at.format("%Y-%m-%d %H:%M:%S").to_string(),
    );
    doc.key_value(text, "打印人：", &v.printed_by);
    doc.dashed_rule();
    qr(&mut doc, &v.key_text)?;
    doc.space(1.0);
    // the key in groups of 8, so it can be typed back without a scanner
    let (seq, hex) = v.key_text.split_once(':').unwrap_or(("", &v.key_text));
    let groups: Vec<String> = hex
        .as_bytes()
        .chunks(8)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    doc.paragraph(text.bold().center(), &format!("{seq}:"));
    for row in groups.chunks(4) {
        doc.paragraph(text.bold().center(), &row.join(" "));
    }
    doc.dashed_rule();
    doc.paragraph(
        text,
        "本单只打印一次，程序随即销毁此密钥。请装入信封密封，签字后交县公司保管。",
    );
    doc.paragraph(
        text,
        "核对方法：把上面的“条号:密钥”（去掉空格）存为文本文件，运行 stationdesk verify --key 文件名。",
    );
    doc.finish()
}

/// Draw `data` as a QR code, centred, below the cursor: each run of dark modules in a row
/// is one thick line.
fn qr(doc: &mut Doc, data: &str) -> Result<(), PrintError> {
    let code = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M)
        .map_err(|_| PrintError::Layout("密钥过长，无法生成二维码".into()))?;
    let n = code.width();
    let colors = code.to_colors();
    let size = n as f32 * MODULE_MM;
    doc.ensure_space(size + 4.0);
    let left = doc.left() + (doc.content_width() - size).max(0.0) / 2.0;
    let top = doc.cursor() + 2.0;
    for row in 0..n {
        let y = top + (row as f32 + 0.5) * MODULE_MM;
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == qrcode::Color::Dark {
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                let x1 = left + start as f32 * MODULE_MM;
                let x2 = left + col as f32 * MODULE_MM;
                doc.line((x1, y), (x2, y), MODULE_MM / super::MM_PER_PT);
            } else {
                col += 1;
            }
        }
    }
    doc.set_cursor(top + size + 2.0);
    Ok(())
}

//! The printer test page: station, time, mixed Chinese/digits/amounts, rare characters and a
//! ruler, so the clerk can check fonts, scaling and paper in one print.

use chrono::NaiveDateTime;

use super::font::FontSet;
use super::layout::Doc;
use super::style::TextStyle;
use super::{Paper, PrintError};

/// Everything the test page shows. Pure data, filled in by the service.
#[derive(Clone, Debug, PartialEq)]
pub struct TestPageView {
    pub station_name: String,
    pub station_code: String,
    pub printed_at: NaiveDateTime,
    pub printed_by: String,
    pub paper: Paper,
}

/// The line with Chinese, digits and an amount with its capital form.
pub const MIXED_LINE: &str = "中文、数字 0123456789 与金额 ¥1,234.56（壹仟贰佰叁拾肆元伍角陆分）";

/// Less common characters that appear in names and place names; all are in the embedded font.
pub const RARE_LINE: &str = "生僻字：亓 乜 佘 邝 禤 昝 晁 訾 仉 隗 厍 逄 冼 堃 喆 赟 犇 淼 燚 垚";

/// Date/time format used on the test page (and by the tests that read it back).
pub const DATE_TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// Renders the test page with the embedded font.
pub fn render_test_page(v: &TestPageView) -> Result<Vec<u8>, PrintError> {
    render_test_page_with(v, FontSet::embedded()?)
}

/// Renders the test page with the given fonts (embedded + optional external fallback).
pub fn render_test_page_with(v: &TestPageView, fonts: FontSet) -> Result<Vec<u8>, PrintError> {
    let mut doc = Doc::with_fonts(v.paper, "打印测试页", fonts);
    let body = v.paper.body_size();
    let text = TextStyle::new(body);

    doc.paragraph(TextStyle::new(body * 1.6).bold().center(), "打印测试页");
    doc.space(1.0);
    doc.paragraph(TextStyle::new(body * 1.2).center(), &v.station_name);
    doc.rule();
    doc.key_value(text, "站点编码：", &v.station_code);
    doc.key_value(
        text,
        "打印时间：",
        &v.printed_at.format(DATE_TIME_FORMAT).to_string(),
    );
    doc.key_value(text, "打印人：", &v.printed_by);
    doc.key_value(text, "纸张：", v.paper.label());
    doc.dashed_rule();
    doc.paragraph(text, MIXED_LINE);
    doc.space(1.0);
    doc.paragraph(text, RARE_LINE);
    doc.space(1.0);
    doc.paragraph(
        TextStyle::new(body * 0.85),
        "标尺（每大格 10 毫米，可用直尺核对打印比例）：",
    );
    let ruler = doc.content_width().min(100.0);
    doc.ruler(ruler);
    doc.rule();
    doc.paragraph(
        text,
        "以上文字、数字和金额若全部清晰可读、没有方框或缺字，且标尺长度与直尺一致，即表示打印机工作正常。",
    );
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_page_text_is_all_in_the_embedded_font() {
        let fonts = FontSet::embedded().unwrap();
        assert!(fonts.missing_glyphs(MIXED_LINE).is_empty());
        assert_eq!(fonts.missing_glyphs(RARE_LINE), Vec::<char>::new());
    }

    #[test]
    fn renders_on_every_paper() {
        for paper in Paper::ALL {
            let v = TestPageView {
                station_name: "城关供电所".into(),
                station_code: "3301".into(),
                printed_at: chrono::NaiveDate::from_ymd_opt(2026, 5, 12)
                    .unwrap()
                    .and_hms_opt(14, 3, 27)
                    .unwrap(),
                printed_by: "张三".into(),
                paper,
            };
            let pdf = render_test_page(&v).unwrap();
            assert!(pdf.starts_with(b"%PDF"), "{paper:?}");
        }
    }
}

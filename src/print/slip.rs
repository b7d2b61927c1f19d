//! The acceptance slip (受理回执): handed to the customer when a request is accepted at the
//! counter. It states the tracking number, what was accepted, the documents received and
//! still missing (一证受理), the promised date of each stage and of completion, the clerk who
//! stays responsible (首问负责) and the station's phone, with a line for the customer's
//! signature. Reprints are marked 补打（第 N 次）.

use chrono::{NaiveDate, NaiveDateTime};

use super::font::FontSet;
use super::layout::Doc;
use super::style::{Align, TextStyle};
use super::table::{Column, Table};
use super::{Paper, PrintError};
use crate::domain::idcheck::{mask_id, mask_phone};

/// Date format of promised dates on the slip.
pub const SLIP_DATE_FORMAT: &str = "%Y-%m-%d";
/// Date/time format of the acceptance time on the slip.
pub const SLIP_DATE_TIME_FORMAT: &str = "%Y-%m-%d %H:%M";
/// Printed instead of a promised date that is not known yet.
pub const DATE_PENDING: &str = "待定";
/// The customer's signature line.
pub const SIGNATURE_LINE: &str = "客户签字：____________";
/// The date line next to the signature.
pub const SIGNATURE_DATE_LINE: &str = "日期：____________";

/// Everything the acceptance slip shows. Pure data, filled in by the service; strings whose
/// format the domain decides (masked ID and phone, kind label, fee amounts) come formatted.
#[derive(Clone, Debug, PartialEq)]
pub struct SlipView {
    pub station_name: String,
    pub station_phone: String,
    /// The work order's tracking number, printed large.
    pub tracking_no: String,
    pub accepted_at: NaiveDateTime,
    /// Customer (existing account) or applicant (new connection) name.
    pub customer_name: String,
    /// 户号; `None` for a new applicant, who is then printed as 申请人 instead of 户名.
    pub account_no: Option<String>,
    /// ID number or credit code, masked by the caller (`3701**********1234`). A value
    /// without any `*` is masked here as a safety net, never printed in full.
    pub id_masked: String,
    /// Phone, masked by the caller (`138****5678`); same safety net as `id_masked`.
    pub phone_masked: String,
    pub address: String,
    /// Request kind as the customer reads it, e.g. `新装（低压居民）`.
    pub kind_label: String,
    /// what the customer asks for, and any new values the request will put on the file
    /// (e.g. 新合同容量 12 kVA); empty = not printed
    pub request_text: String,
    pub documents_received: Vec<String>,
    pub documents_missing: Vec<String>,
    /// Stages in order with their promised dates; `None` prints 待定.
    pub stages: Vec<(String, Option<NaiveDate>)>,
    /// Promised completion of the whole request; `None` prints 待定.
    pub promised_completion: Option<NaiveDate>,
    /// Fees, if any: label and preformatted amount (`¥1,234.00`).
    pub fees: Vec<(String, String)>,
    /// The clerk who accepted the request (首问负责人).
    pub clerk: String,
    /// the area manager of the order's 台区, name and phone, for the customer to call;
    /// empty name: not printed
    pub area_manager: (String, String),
    /// Fast channel (chosen by the chief): prints a line saying so.
    pub fast_channel: bool,
    /// 0 for the original; N ≥ 1 prints 补打（第 N 次）.
    pub reprint: u32,
    pub paper: Paper,
}

impl Default for SlipView {
    /// An empty slip on A5, the default paper.
    fn default() -> Self {
        SlipView {
            station_name: String::new(),
            station_phone: String::new(),
            tracking_no: String::new(),
            accepted_at: NaiveDateTime::default(),
            customer_name: String::new(),
            account_no: None,
            id_masked: String::new(),
            phone_masked: String::new(),
            address: String::new(),
            kind_label: String::new(),
            request_text: String::new(),
            documents_received: Vec::new(),
            documents_missing: Vec::new(),
            stages: Vec::new(),
            promised_completion: None,
            fees: Vec::new(),
            clerk: String::new(),
            area_manager: (String::new(), String::new()),
            fast_channel: false,
            reprint: 0,
            paper: Paper::A5,
        }
    }
}

/// The reprint mark, e.g. `补打（第 2 次）`; `None` for the original.
pub fn reprint_mark(reprint: u32) -> Option<String> {
    (reprint > 0).then(|| format!("补打（第 {reprint} 次）"))
}

fn date_or_pending(d: Option<NaiveDate>) -> String {
    d.map_or_else(
        || DATE_PENDING.to_owned(),
        |d| d.format(SLIP_DATE_FORMAT).to_string(),
    )
}

/// Applies `mask` unless the caller already masked the value (it contains `*`).
fn masked(value: &str, mask: fn(&str) -> String) -> String {
    if value.contains('*') {
        value.to_owned()
    } else {
        mask(value)
    }
}

/// A heading followed by a numbered list, each item wrapped under its own indent. An item is
/// never split across pages; on a new page the heading is repeated with `（续）` and `tag`
/// (tracking number, reprint mark), so a loose second sheet still says what it belongs to.
fn numbered_list(doc: &mut Doc, text: TextStyle, heading: &str, items: &[String], tag: &str) {
    if items.is_empty() {
        doc.key_value(text, heading, "无");
        return;
    }
    let lh = line_height(text);
    doc.ensure_space(2.0 * lh);
    doc.paragraph(text.bold(), heading);
    let indent = doc.measure("00．", text.size);
    let x = doc.left() + indent + 0.5;
    let w = doc.content_width() - indent - 0.5;
    let continued = format!("{}（续）  {tag}", heading.trim_end_matches('：'));
    for (i, item) in items.iter().enumerate() {
        let lines = doc.wrap(item, w, text.size).len().max(1);
        if doc.ensure_space(lines as f32 * lh) {
            doc.paragraph(text.bold(), &continued);
        }
        let top = doc.cursor();
        doc.paragraph_in(doc.left(), indent, text.right(), &format!("{}．", i + 1));
        doc.set_cursor(top);
        doc.paragraph_in(x, w, text, item);
    }
}

fn line_height(style: TextStyle) -> f32 {
    super::layout::line_height_mm(style.size)
}

/// Renders the acceptance slip with the given fonts (embedded + optional external fallback).
/// Fails with [`PrintError::MissingGlyphs`] if a character (e.g. in a name) no font can draw.
pub fn render_slip(v: &SlipView, fonts: FontSet) -> Result<Vec<u8>, PrintError> {
    let title = format!("受理回执 {}", v.tracking_no);
    let mut doc = Doc::with_fonts(v.paper, &title, fonts);
    let body = v.paper.body_size();
    let text = TextStyle::new(body);
    let small = TextStyle::new(body * 0.85);
    doc.set_key_column(doc.measure("证件号码：", body) + 1.0);

    doc.paragraph(TextStyle::new(body * 1.6).bold().center(), "受理回执");
    if let Some(mark) = reprint_mark(v.reprint) {
        doc.paragraph(TextStyle::new(body * 1.2).bold().center(), &mark);
    }
    doc.space(1.0);
    doc.paragraph(TextStyle::new(body * 1.1).center(), &v.station_name);
    if !v.station_phone.is_empty() {
        doc.paragraph(small.center(), &format!("服务电话：{}", v.station_phone));
    }
    doc.rule();

    doc.paragraph(small.center(), "受理编号");
    doc.paragraph(TextStyle::new(body * 1.5).bold().center(), &v.tracking_no);
    if v.fast_channel {
        doc.space(1.0);
        doc.paragraph(text.bold().center(), "【快速通道】先行办理，资料后补");
    }
    doc.space(1.0);

    let accepted = v.accepted_at.format(SLIP_DATE_TIME_FORMAT).to_string();
    doc.key_value(text, "受理时间：", &accepted);
    doc.key_value(text, "业务类型：", &v.kind_label);
    if !v.request_text.trim().is_empty() {
        doc.key_value(text, "申请内容：", &v.request_text);
    }
    match &v.account_no {
        Some(no) => {
            doc.key_value(text, "户名：", &v.customer_name);
            doc.key_value(text, "户号：", no);
        }
        None => {
            doc.key_value(text, "申请人：", &v.customer_name);
        }
    }
    doc.key_value(text, "证件号码：", &masked(&v.id_masked, mask_id));
    doc.key_value(text, "联系电话：", &masked(&v.phone_masked, mask_phone));
    doc.key_value(text, "地址：", &v.address);
    doc.rule();

    if !v.stages.is_empty() {
        let rows = v
            .stages
            .iter()
            .map(|(name, date)| vec![name.clone(), date_or_pending(*date)])
            .collect();
        doc.table(&Table {
            columns: vec![
                Column::new("办理环节", 3.0, Align::Left),
                Column::new("承诺完成日期", 2.0, Align::Right),
            ],
            rows,
            size: body,
        });
    }
    doc.left_right(
        text.bold(),
        "承诺办结日期",
        &date_or_pending(v.promised_completion),
    );
    doc.rule();

    let mut tag = format!("受理编号：{}", v.tracking_no);
    if let Some(mark) = reprint_mark(v.reprint) {
        tag = format!("{tag}  {mark}");
    }
    numbered_list(&mut doc, text, "已收资料：", &v.documents_received, &tag);
    doc.space(1.0);
    numbered_list(&mut doc, text, "待补资料：", &v.documents_missing, &tag);
    if !v.documents_missing.is_empty() {
        doc.paragraph(small, "请尽快补齐以上资料，补齐前相关环节可能暂停计时。");
    }

    if !v.fees.is_empty() {
        doc.rule();
        doc.paragraph(text.bold(), "费用：");
        for (label, amount) in &v.fees {
            doc.left_right(text, label, amount);
        }
    }

    // Keep the note, the clerk and the signature line together on the last page.
    let lh = line_height(text);
    doc.ensure_space(3.0 + 2.0 * line_height(small) + 1.0 + 4.0 * lh);
    doc.dashed_rule();
    let note = if v.station_phone.is_empty() {
        "请凭本回执查询办理进度。".to_owned()
    } else {
        format!("请凭本回执查询办理进度，服务电话：{}。", v.station_phone)
    };
    doc.paragraph(small, &note);
    doc.space(1.0);
    doc.key_value(text, "受理人（首问负责人）：", &v.clerk);
    let (manager, phone) = &v.area_manager;
    if !manager.is_empty() {
        let who = if phone.is_empty() {
            manager.clone()
        } else {
            format!("{manager}  电话 {phone}")
        };
        doc.key_value(text, "台区经理：", &who);
    }
    doc.space(lh);
    doc.left_right(text, SIGNATURE_LINE, SIGNATURE_DATE_LINE);
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reprint_mark_only_for_reprints() {
        assert_eq!(reprint_mark(0), None);
        assert_eq!(reprint_mark(2).as_deref(), Some("补打（第 2 次）"));
    }

    #[test]
    fn unmasked_values_are_masked_as_a_safety_net() {
        assert_eq!(masked("370102199003071234", mask_id), "3701**********1234");
        assert_eq!(masked("3701**********1234", mask_id), "3701**********1234");
        assert_eq!(masked("138****5678", mask_phone), "138****5678");
        assert_eq!(masked("13812345678", mask_phone), "138****5678");
    }

    #[test]
    fn pending_dates_print_daiding() {
        assert_eq!(date_or_pending(None), "待定");
        let d = NaiveDate::from_ymd_opt(2026, 5, 19);
        assert_eq!(date_or_pending(d), "2026-05-19");
    }
}

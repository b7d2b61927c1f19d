//! The payment receipt (收费凭证): station, receipt number (large), date and time, customer,
//! what the money paid, the total in figures and in capitals (人民币大写), payment method,
//! cash handed over and change, cashier, prepaid balance and arrears after. A reprint is
//! marked 补打（第 N 次）; a voided receipt carries a large 作废 banner with who approved it,
//! when and why; a reversal (红冲) is titled as such and names the receipt it reverses.

use rust_decimal::Decimal;

use super::PrintError;
use super::font::FontSet;
use super::layout::{Doc, line_height_mm};
use super::money_views::{ReceiptView, VoidMark};
use super::slip::reprint_mark;
use super::style::{Align, TextStyle};
use super::table::{Column, Table};
use crate::domain::capital::capital_amount;
use crate::domain::money::format_yuan_grouped;

/// Date/time format of the receipt's issue time and of a void.
pub const RECEIPT_DATE_TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
/// Heading of an ordinary receipt.
pub const RECEIPT_TITLE: &str = "收费凭证";
/// Heading of a reversal.
pub const REVERSAL_TITLE: &str = "收费凭证（红冲）";
/// Prefix of the amount in capitals.
pub const CAPITAL_PREFIX: &str = "人民币（大写）";
/// The large void mark.
pub const VOID_MARK: &str = "作废";
/// The line under the void banner and at the foot of a voided receipt.
pub const VOID_NOTE: &str = "本凭证已作废，不作收款依据";

/// An amount in figures for print: `¥1,005.00`, `-¥1,005.00`.
pub fn yuan_figure(v: Decimal) -> String {
    let s = format_yuan_grouped(v);
    match s.strip_prefix('-') {
        Some(rest) => format!("-¥{rest}"),
        None => format!("¥{s}"),
    }
}

/// `人民币（大写）壹仟零伍元整`; an amount too large for capitals says so instead of panicking.
pub fn capital_line(v: Decimal) -> String {
    match capital_amount(v) {
        Ok(c) => format!("{CAPITAL_PREFIX}{c}"),
        Err(e) => format!("{CAPITAL_PREFIX}{e}"),
    }
}

/// The void banner: a frame with a large 作废 and, inside it, when, who approved and why.
fn void_banner(doc: &mut Doc, body: f32, void: &VoidMark) {
    let big = TextStyle::new(body * 3.2).bold().center();
    let text = TextStyle::new(body).bold();
    let pad = 1.5;
    let (l, r) = (doc.left(), doc.right());
    let inner_w = doc.content_width() - 2.0 * pad;
    let details = [
        (
            "作废时间：",
            void.at.format(RECEIPT_DATE_TIME_FORMAT).to_string(),
        ),
        ("批准人：", void.approved_by.clone()),
        ("作废原因：", void.reason.clone()),
    ];
    // Keep the whole banner on one page.
    let lines: usize = details
        .iter()
        .map(|(k, v)| doc.wrap(&format!("{k}{v}"), inner_w, body).len())
        .sum();
    let height =
        line_height_mm(big.size) + line_height_mm(body) * (lines + 1) as f32 + 2.0 * pad + 2.0;
    doc.space(1.0);
    doc.ensure_space(height);
    let top = doc.cursor();
    doc.space(pad);
    doc.paragraph_in(l + pad, inner_w, big, VOID_MARK);
    doc.paragraph_in(l + pad, inner_w, text.center(), VOID_NOTE);
    let y = doc.cursor() + 0.5;
    doc.line((l + pad, y), (r - pad, y), 0.5);
    doc.space(1.5);
    for (k, v) in &details {
        doc.paragraph_in(l + pad, inner_w, TextStyle::new(body), &format!("{k}{v}"));
    }
    doc.space(pad);
    let bottom = doc.cursor();
    for (from, to) in [
        ((l, top), (r, top)),
        ((r, top), (r, bottom)),
        ((r, bottom), (l, bottom)),
        ((l, bottom), (l, top)),
    ] {
        doc.line(from, to, 1.5);
    }
    doc.space(1.5);
}

/// Renders the receipt with the given fonts (embedded + optional external fallback).
/// Fails with [`PrintError::MissingGlyphs`] if a character (e.g. in a name) no font can draw.
/// Characters of the chain hash printed on a receipt.
pub const ANCHOR_CHARS: usize = 10;

/// `存证码 580:a6363c5bee`: the chain value a receipt carries for `verify --anchor`.
pub fn anchor_line(anchor: Option<&(i64, String)>) -> Option<String> {
    anchor.map(|(seq, hash)| {
        let short: String = hash.chars().take(ANCHOR_CHARS).collect();
        format!("存证码 {seq}:{short}")
    })
}

pub fn render_receipt(v: &ReceiptView, fonts: FontSet) -> Result<Vec<u8>, PrintError> {
    let heading = if v.reverses.is_some() {
        REVERSAL_TITLE
    } else {
        RECEIPT_TITLE
    };
    let mut doc = Doc::with_fonts(v.paper, &format!("{heading} {}", v.receipt_no), fonts);
    let body = v.paper.body_size();
    let text = TextStyle::new(body);
    let small = TextStyle::new(body * 0.85);
    doc.set_key_column(doc.measure("尚欠电费：", body) + 1.0);
    let mut tag = format!("{heading}（续）  凭证号 {}", v.receipt_no);
    if let Some(mark) = reprint_mark(v.reprint) {
        tag = format!("{tag}  {mark}");
    }
    if v.void.is_some() {
        tag = format!("{tag}  【{VOID_MARK}】");
    }
    doc.set_page_header(&tag);

    doc.paragraph(TextStyle::new(body * 1.1).center(), &v.station_name);
    let contact: Vec<String> = [
        (!v.station_address.is_empty()).then(|| v.station_address.clone()),
        (!v.station_phone.is_empty()).then(|| format!("电话 {}", v.station_phone)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !contact.is_empty() {
        doc.paragraph(small.center(), &contact.join("  "));
    }
    doc.paragraph(TextStyle::new(body * 1.6).bold().center(), heading);
    if let Some(mark) = reprint_mark(v.reprint) {
        doc.paragraph(TextStyle::new(body * 1.2).bold().center(), &mark);
    }
    if let Some(void) = &v.void {
        void_banner(&mut doc, body, void);
    }
    doc.space(1.0);
    doc.paragraph(small.center(), "凭证号");
    doc.paragraph(TextStyle::new(body * 1.8).bold().center(), &v.receipt_no);
    doc.space(1.0);
    if let Some((original, reason)) = &v.reverses {
        doc.key_value(text.bold(), "冲销原凭证：", original);
        doc.key_value(text.bold(), "红冲原因：", reason);
    }
    doc.rule();

    let issued = v.issued_at.format(RECEIPT_DATE_TIME_FORMAT).to_string();
    doc.key_value(text, "日期时间：", &issued);
    doc.key_value_pair(
        text,
        ("户号：", &v.account_no),
        ("户名：", &v.customer_name),
    );
    // 用电地址 with its 台区 on one line
    let place = match (v.customer_address.is_empty(), v.area_name.is_empty()) {
        (false, false) => format!("{}（{}）", v.customer_address, v.area_name),
        (false, true) => v.customer_address.clone(),
        (true, false) => v.area_name.clone(),
        (true, true) => String::new(),
    };
    if !place.is_empty() {
        doc.key_value(text, "用电地址：", &place);
    }
    doc.space(1.0);

    let rows = v
        .lines
        .iter()
        .map(|l| vec![l.label.clone(), l.detail.clone(), yuan_figure(l.amount)])
        .collect();
    let table_top = doc.cursor();
    doc.table(&Table {
        columns: vec![
            Column::new("项目", 3.0, Align::Left),
            Column::new("明细", 2.4, Align::Left),
            Column::new("金额", 2.2, Align::Right),
        ],
        rows,
        size: body,
    });
    // a voided copy says so across what it paid, not only at the top
    if v.void.is_some() {
        let big = TextStyle::new(body * 4.0).bold().center();
        let mid = if doc.cursor() > table_top {
            (table_top + doc.cursor()) / 2.0
        } else {
            doc.cursor()
        };
        let (l, r) = (doc.left(), doc.right());
        doc.text_at(
            (l + r) / 2.0,
            mid + line_height_mm(big.size) / 3.0,
            big,
            &format!("【{VOID_MARK}】"),
        );
    }
    let lh = line_height_mm(body);
    // the total, the payment, the balances, the stamp and the foot go together: a page
    // never holds the foot alone
    doc.ensure_space(14.0 * lh);
    doc.left_right(
        TextStyle::new(body * 1.2).bold(),
        "合计",
        &yuan_figure(v.total),
    );
    doc.paragraph(text.bold(), &capital_line(v.total));
    doc.rule();

    doc.key_value_pair(text, ("付款方式：", &v.method), ("收款员：", &v.cashier));
    match (v.tendered, v.change) {
        (Some(tendered), Some(change)) => {
            let (t, c) = (yuan_figure(tendered), yuan_figure(change));
            doc.key_value_pair(text, ("实收：", &t), ("找零：", &c));
        }
        (Some(tendered), None) => {
            doc.key_value(text, "实收：", &yuan_figure(tendered));
        }
        (None, Some(change)) => {
            doc.key_value(text, "找零：", &yuan_figure(change));
        }
        (None, None) => {}
    }
    let (prepaid, arrears) = (yuan_figure(v.prepaid_after), yuan_figure(v.arrears_after));
    doc.key_value_pair(text, ("预收余额：", &prepaid), ("尚欠电费：", &arrears));
    if let Some(void) = &v.void {
        let (p, a) = (
            yuan_figure(void.prepaid_after),
            yuan_figure(void.arrears_after),
        );
        doc.paragraph(text.bold(), &format!("作废后：预收余额 {p}，尚欠电费 {a}"));
    }
    // room for the station's stamp
    doc.paragraph(text, "收款单位（盖章）：");
    doc.space(line_height_mm(body));

    // The foot: repeats the number (and the marks) so a torn-off stub still says what it is.
    let foot_lines = if v.void.is_some() {
        line_height_mm(body)
    } else {
        0.0
    } + line_height_mm(small.size) * if v.anchor.is_some() { 2.0 } else { 1.0 };
    doc.ensure_space(3.0 + foot_lines);
    doc.dashed_rule();
    let mut foot = format!("凭证号 {}", v.receipt_no);
    if let Some(mark) = reprint_mark(v.reprint) {
        foot = format!("{foot}  {mark}");
    }
    if v.void.is_some() {
        doc.paragraph(text.bold().center(), &format!("【{VOID_MARK}】{VOID_NOTE}"));
    }
    doc.paragraph(small.center(), &foot);
    if let Some(line) = anchor_line(v.anchor.as_ref()) {
        doc.paragraph(small.center(), &line);
    }
    if v.void.is_none() {
        doc.paragraph(small.center(), "请核对金额并妥善保管本凭证");
    }
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn figures_and_capitals() {
        assert_eq!(yuan_figure(d("1005")), "¥1,005.00");
        assert_eq!(yuan_figure(d("-1005")), "-¥1,005.00");
        assert_eq!(yuan_figure(d("0.5")), "¥0.50");
        assert_eq!(capital_line(d("1005")), "人民币（大写）壹仟零伍元整");
        assert_eq!(capital_line(d("-10.05")), "人民币（大写）负壹拾元零伍分");
        assert!(capital_line(d("1000000000000")).contains("金额过大"));
    }
}

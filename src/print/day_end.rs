//! The cashier's day-end report (日清日结报告): collections by payment method, the receipt
//! range used, voids and reversals with their reasons, reprints, the cash counted by
//! denomination against the cash expected (长款/短款 and why), the audit chain's head at the
//! close (so a later rewrite of the day is provable against the paper) and signature lines.

use rust_decimal::Decimal;

use super::PrintError;
use super::font::FontSet;
use super::layout::{Doc, line_height_mm};
use super::money_views::{DayEndItem, DayEndView};
use super::receipt::{RECEIPT_DATE_TIME_FORMAT, capital_line, yuan_figure};
use super::slip::reprint_mark;
use super::style::{Align, TextStyle};
use super::table::{Column, GAP as TABLE_GAP, Table};

/// Heading of the report.
pub const DAY_END_TITLE: &str = "日清日结报告";

/// 二, 三 … for a day's second, third … closing (a number beyond ten as digits).
pub fn batch_word(n: u32) -> String {
    const W: [&str; 11] = [
        "零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    ];
    W.get(n as usize)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}
/// Business date format.
pub const DAY_END_DATE_FORMAT: &str = "%Y-%m-%d";
/// Signature lines at the foot.
pub const CASHIER_SIGNATURE: &str = "收款员签字：__________";
pub const CHIEF_SIGNATURE: &str = "所长签字：__________";

/// What the audit head is for, printed under it.
const AUDIT_NOTE: &str =
    "以上为结账时审计链的最后一条记录及其哈希值；事后对当日记录的任何改写都可据此核对。";

/// The cash difference in words: counted > expected is 长款 (surplus), < is 短款 (shortage).
pub fn difference_wording(difference: Decimal) -> String {
    if difference > Decimal::ZERO {
        format!("长款 {}", yuan_figure(difference))
    } else if difference < Decimal::ZERO {
        format!("短款 {}", yuan_figure(-difference))
    } else {
        "相符（无长短款）".to_owned()
    }
}

/// `审计链：第 N 条 哈希 <64 hex>`.
pub fn audit_head_line(seq: i64, hash: &str) -> String {
    format!("审计链：第 {seq} 条 哈希 {hash}")
}

/// `000101 至 000123（共 23 张）`, or `无` when no receipt was issued.
fn receipt_range(v: &DayEndView) -> String {
    match (&v.receipt_first, &v.receipt_last) {
        (Some(first), Some(last)) if first == last => {
            format!("{first}（共 {} 张）", v.receipt_count)
        }
        (Some(first), Some(last)) => format!("{first} 至 {last}（共 {} 张）", v.receipt_count),
        (Some(one), None) | (None, Some(one)) => format!("{one}（共 {} 张）", v.receipt_count),
        (None, None) => "无".to_owned(),
    }
}

fn section(doc: &mut Doc, heading: &str) {
    let body = doc.paper().body_size();
    doc.ensure_space(4.0 * line_height_mm(body));
    doc.space(1.0);
    doc.paragraph(TextStyle::new(body * 1.1).bold(), heading);
}

/// A list of voided or reversed receipts with number, name, amount and reason, or `无`. On
/// wide paper a table whose number and amount columns are as wide as their longest entry;
/// on roll paper two lines per receipt.
fn item_list(doc: &mut Doc, heading: &str, items: &[DayEndItem]) {
    let body = doc.paper().body_size();
    let text = TextStyle::new(body);
    if items.is_empty() {
        doc.key_value(text, heading, "无");
        return;
    }
    doc.ensure_space(3.0 * line_height_mm(body));
    doc.paragraph(text.bold(), &format!("{heading}{} 张", items.len()));
    let size = body * 0.9;
    if !doc.pairs_side_by_side() {
        let small = TextStyle::new(size);
        let indent = doc.measure("序号", size);
        for item in items {
            doc.ensure_space(2.0 * line_height_mm(size));
            doc.left_right(small, &item.receipt_no, &yuan_figure(item.amount));
            let (x, w) = (doc.left() + indent, doc.content_width() - indent);
            doc.paragraph_in(
                x,
                w,
                small,
                &format!("{}　{}", item.customer_name, item.reason),
            );
        }
        let y = doc.cursor() + 0.5;
        let (l, r) = (doc.left(), doc.right());
        doc.line((l, y), (r, y), 0.5);
        doc.space(1.5);
        return;
    }
    let widest = |doc: &Doc, title: &str, cells: &mut dyn Iterator<Item = String>| {
        cells
            .map(|c| doc.measure(&c, size))
            .fold(doc.measure(title, size), f32::max)
            + 1.0
    };
    // Column widths in mm summing to the width the table shares out, so the number and the
    // amount get exactly their longest entry.
    let cw = doc.content_width() - 3.0 * TABLE_GAP;
    let w_no = widest(
        doc,
        "凭证号",
        &mut items.iter().map(|i| i.receipt_no.clone()),
    );
    let w_amount = widest(
        doc,
        "金额",
        &mut items.iter().map(|i| yuan_figure(i.amount)),
    ) + 2.0;
    let w_name = widest(
        doc,
        "户名",
        &mut items.iter().map(|i| i.customer_name.clone()),
    )
    .min(cw * 0.2);
    let w_reason = (cw - w_no - w_amount - w_name).max(cw * 0.3);
    let rows = items
        .iter()
        .map(|i| {
            vec![
                i.receipt_no.clone(),
                i.customer_name.clone(),
                yuan_figure(i.amount),
                i.reason.clone(),
            ]
        })
        .collect();
    doc.table(&Table {
        columns: vec![
            Column::new("凭证号", w_no, Align::Left),
            Column::new("户名", w_name, Align::Left),
            Column::new("金额", w_amount, Align::Right),
            Column::new("原因", w_reason, Align::Left),
        ],
        rows,
        size,
    });
}

/// Renders the day-end report with the given fonts. Meant for A4/A5; roll paper works too.
pub fn render_day_end(v: &DayEndView, fonts: FontSet) -> Result<Vec<u8>, PrintError> {
    let date = v.business_date.format(DAY_END_DATE_FORMAT).to_string();
    let mut doc = Doc::with_fonts(
        v.paper,
        &format!("{DAY_END_TITLE} {} {date}", v.cashier),
        fonts,
    );
    let body = v.paper.body_size();
    let text = TextStyle::new(body);
    let small = TextStyle::new(body * 0.85);
    doc.set_key_column(doc.measure("凭证号段：", body) + 1.0);

    doc.paragraph(TextStyle::new(body * 1.1).center(), &v.station_name);
    doc.paragraph(TextStyle::new(body * 1.6).bold().center(), DAY_END_TITLE);
    if v.batch > 1 {
        doc.paragraph(
            TextStyle::new(body * 1.2).bold().center(),
            &format!("第{}次日结（本日上次日结之后的收款）", batch_word(v.batch)),
        );
    }
    if let Some(mark) = reprint_mark(v.reprint) {
        doc.paragraph(TextStyle::new(body * 1.2).bold().center(), &mark);
    }
    doc.rule();
    let mut tag = format!(
        "{DAY_END_TITLE}（续）  收款员：{}  营业日期：{date}",
        v.cashier
    );
    if let Some(mark) = reprint_mark(v.reprint) {
        tag = format!("{tag}  {mark}");
    }
    doc.set_page_header(&tag);
    doc.key_value_pair(text, ("收款员：", &v.cashier), ("营业日期：", &date));
    let closed = v.closed_at.format(RECEIPT_DATE_TIME_FORMAT).to_string();
    doc.key_value(text, "结账时间：", &closed);

    section(&mut doc, "一、收款汇总");
    let rows = v
        .by_method
        .iter()
        .map(|m| vec![m.method.clone(), m.count.to_string(), yuan_figure(m.amount)])
        .collect();
    doc.table(&Table {
        columns: vec![
            Column::new("方式", 3.0, Align::Left),
            Column::new("笔数", 1.2, Align::Right),
            Column::new("金额", 2.4, Align::Right),
        ],
        rows,
        size: body,
    });
    doc.left_right(text.bold(), "应收合计", &yuan_figure(v.expected_total));
    doc.paragraph(small, &capital_line(v.expected_total));

    section(&mut doc, "二、凭证");
    doc.key_value(text, "凭证号段：", &receipt_range(v));
    item_list(&mut doc, "作废凭证：", &v.voids);
    item_list(&mut doc, "红冲凭证：", &v.reversals);
    doc.key_value(text, "补打次数：", &format!("{} 次", v.reprints));
    if !v.receipts.is_empty() {
        doc.ensure_space(3.0 * line_height_mm(body));
        doc.paragraph(text.bold(), &format!("凭证明细：{} 张", v.receipts.len()));
        let rows = v
            .receipts
            .iter()
            .map(|r| {
                vec![
                    r.receipt_no.clone(),
                    r.customer_name.clone(),
                    yuan_figure(r.amount),
                    r.reason.clone(),
                ]
            })
            .collect();
        doc.table(&Table {
            columns: vec![
                Column::new("收据号", 3.0, Align::Left),
                Column::new("付款人", 3.0, Align::Left),
                Column::new("金额", 2.0, Align::Right),
                Column::new("备注", 1.6, Align::Left),
            ],
            rows,
            size: body * 0.9,
        });
    }

    // the cash table is not split across pages
    let cash_rows = v.denominations.len() as f32 + 6.0;
    doc.ensure_space(cash_rows * line_height_mm(body));
    section(&mut doc, "三、现金");
    let rows = v
        .denominations
        .iter()
        .map(|d| {
            let amount = d
                .face
                .checked_mul(Decimal::from(d.pieces))
                .map_or_else(|| "—".to_owned(), yuan_figure);
            vec![d.label.clone(), d.pieces.to_string(), amount]
        })
        .collect();
    doc.table(&Table {
        columns: vec![
            Column::new("面额", 2.0, Align::Left),
            Column::new("张数", 1.5, Align::Right),
            Column::new("金额", 2.5, Align::Right),
        ],
        rows,
        size: body,
    });
    doc.left_right(text, "现金应收", &yuan_figure(v.cash_expected));
    doc.left_right(text, "实点现金", &yuan_figure(v.cash_counted));
    doc.left_right(
        text.bold(),
        "差额（实点 − 应收）",
        &difference_wording(v.difference),
    );
    if !v.difference.is_zero() || !v.difference_reason.trim().is_empty() {
        let reason = if v.difference_reason.trim().is_empty() {
            "（未填写）"
        } else {
            v.difference_reason.as_str()
        };
        doc.key_value(text, "差额原因：", reason);
    }

    // The audit head, the note and the signatures stay together on the last page.
    let lh = line_height_mm(body);
    let head = audit_head_line(v.audit_head_seq, &v.audit_head_hash);
    let cw = doc.content_width();
    let signatures =
        if doc.measure(CASHIER_SIGNATURE, body) + doc.measure(CHIEF_SIGNATURE, body) + 2.0 > cw {
            2.0
        } else {
            1.0
        };
    let height = 2.0
        + line_height_mm(body * 1.1)
        + doc.wrap(&head, cw, body).len() as f32 * lh
        + doc.wrap(AUDIT_NOTE, cw, small.size).len() as f32 * line_height_mm(small.size)
        + (2.0 + signatures) * lh;
    doc.ensure_space(height);
    section(&mut doc, "四、审计");
    doc.paragraph(text, &head);
    doc.paragraph(small, AUDIT_NOTE);
    doc.space(2.0 * lh);
    doc.left_right(text, CASHIER_SIGNATURE, CHIEF_SIGNATURE);
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn long_and_short() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(difference_wording(d("10.5")), "长款 ¥10.50");
        assert_eq!(difference_wording(d("-0.3")), "短款 ¥0.30");
        assert_eq!(difference_wording(Decimal::ZERO), "相符（无长短款）");
        assert_eq!(audit_head_line(7, "ab"), "审计链：第 7 条 哈希 ab");
    }
}

//! 换表工作单: the swap slip the customer signs, with both meters' readings, multipliers and
//! seals, so that the customer agrees the old meter's final reading on the spot.
use chrono::NaiveDate;

use super::font::FontSet;
use super::layout::Doc;
use super::slip::reprint_mark;
use super::style::{Align, TextStyle};
use super::table::{Column, Table};
use super::{Paper, PrintError};

/// Everything the swap slip shows. Pure data, filled in by the service.
#[derive(Clone, Debug, PartialEq)]
pub struct SwapSlipView {
    pub station_name: String,
    pub station_phone: String,
    /// `HB` + the swap's number
    pub slip_no: String,
    pub swapped_on: NaiveDate,
    pub account_no: String,
    pub customer_name: String,
    pub address: String,
    pub reason: String,
    pub staff_name: String,
    /// asset number, final reading, multiplier, seals; `None` for a first installation
    pub old: Option<(String, String, u32, String)>,
    pub rollover: bool,
    /// the old meter's last stretch in kWh (its advance times its multiplier), when known
    pub old_kwh: Option<String>,
    pub new: (String, String, u32, String),
    pub reprint: u32,
    pub paper: Paper,
}

pub const SWAP_SLIP_TITLE: &str = "换表工作单";

pub fn render_swap_slip(v: &SwapSlipView, fonts: FontSet) -> Result<Vec<u8>, PrintError> {
    let mut doc = Doc::with_fonts(v.paper, &format!("{SWAP_SLIP_TITLE} {}", v.slip_no), fonts);
    let body = v.paper.body_size();
    let text = TextStyle::new(body);
    let small = TextStyle::new(body * 0.85);
    doc.set_key_column(doc.measure("用电地址：", body) + 1.0);
    doc.paragraph(TextStyle::new(body * 1.6).bold().center(), SWAP_SLIP_TITLE);
    if let Some(mark) = reprint_mark(v.reprint) {
        doc.paragraph(TextStyle::new(body * 1.2).bold().center(), &mark);
    }
    doc.paragraph(TextStyle::new(body * 1.1).center(), &v.station_name);
    if !v.station_phone.is_empty() {
        doc.paragraph(small.center(), &format!("服务电话：{}", v.station_phone));
    }
    doc.rule();
    doc.key_value(text, "单号：", &v.slip_no);
    doc.key_value(
        text,
        "换表日期：",
        &v.swapped_on.format("%Y-%m-%d").to_string(),
    );
    doc.key_value(text, "户号：", &v.account_no);
    doc.key_value(text, "户名：", &v.customer_name);
    doc.key_value(text, "用电地址：", &v.address);
    doc.key_value(text, "换表原因：", &v.reason);
    doc.key_value(text, "换表人员：", &v.staff_name);
    doc.space(1.0);
    let dash = "—".to_string();
    let (old_no, old_reading, old_mult, old_seals) = match &v.old {
        Some((a, r, m, s)) => (a.clone(), r.clone(), m.to_string(), s.clone()),
        None => (dash.clone(), dash.clone(), dash.clone(), dash.clone()),
    };
    let seals = |s: &str| {
        if s.is_empty() {
            dash.clone()
        } else {
            s.to_string()
        }
    };
    doc.table(&Table {
        columns: vec![
            Column::new("", 1.0, Align::Left),
            Column::new("拆下旧表", 1.4, Align::Left),
            Column::new("装上新表", 1.4, Align::Left),
        ],
        rows: vec![
            vec!["资产编号".into(), old_no, v.new.0.clone()],
            vec![
                "示数 kWh".into(),
                format!("止码 {old_reading}"),
                format!("起码 {}", v.new.1),
            ],
            vec!["倍率".into(), old_mult, v.new.2.to_string()],
            vec!["封印号".into(), seals(&old_seals), seals(&v.new.3)],
        ],
        size: body,
    });
    if v.rollover {
        doc.paragraph(text.bold(), "旧表计度器走满归零（已当场确认）");
    }
    if let Some(kwh) = &v.old_kwh {
        doc.paragraph(
            text,
            &format!("旧表自上次记录的示数至拆下的电量：{kwh} kWh（按旧表倍率计），与新表电量分别计算，不重复计费。"),
        );
    }
    doc.space(2.0);
    doc.paragraph(text, "以上示数经客户当场核对无误。");
    doc.space(3.0);
    doc.left_right(text, "客户签字：", "日期：          ");
    doc.space(3.0);
    doc.left_right(text, "换表人员签字：", "日期：          ");
    doc.finish()
}

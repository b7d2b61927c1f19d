//! 轮换工作单: one area manager's meters to swap in a month of the rotation plan, with the
//! address, customer, 户号, the old meter's asset number, position and seals, and a column
//! for the new meter's number and the readings written on site. Always A4.
use super::font::FontSet;
use super::layout::Doc;
use super::style::{Align, TextStyle};
use super::table::{Column, Table};
use super::{Paper, PrintError};

/// One line of the work list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkLine {
    pub area: String,
    pub account_no: String,
    pub customer: String,
    pub address: String,
    pub asset_no: String,
    pub position: String,
    pub seals: String,
    pub valid_until: String,
    pub source: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WorkListView {
    pub station_name: String,
    pub year: i32,
    pub month: u32,
    pub manager: String,
    pub printed_at: String,
    pub lines: Vec<WorkLine>,
}

pub const WORK_LIST_TITLE: &str = "计量装置轮换工作单";

pub fn render_work_list(v: &WorkListView, fonts: FontSet) -> Result<Vec<u8>, PrintError> {
    let title = format!(
        "{WORK_LIST_TITLE} {} 年 {} 月 {}",
        v.year, v.month, v.manager
    );
    let mut doc = Doc::with_fonts(Paper::A4, &title, fonts);
    let body = Paper::A4.body_size();
    let text = TextStyle::new(body);
    let small = TextStyle::new(body * 0.8);
    doc.set_page_header(&title);
    doc.paragraph(TextStyle::new(body * 1.5).bold().center(), WORK_LIST_TITLE);
    doc.paragraph(text.center(), &v.station_name);
    doc.left_right(
        text,
        &format!("{} 年 {} 月    台区经理：{}", v.year, v.month, v.manager),
        &format!("共 {} 只", v.lines.len()),
    );
    doc.paragraph(small, &format!("打印时间：{}", v.printed_at));
    doc.space(1.0);
    let rows = v
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            vec![
                (i + 1).to_string(),
                l.area.clone(),
                format!("{}\n{}", l.account_no, l.customer),
                l.address.clone(),
                format!("{}\n{}", l.asset_no, l.position),
                l.seals.clone(),
                format!("{}\n{}", l.valid_until, l.source),
                String::new(),
            ]
        })
        .collect();
    doc.table(&Table {
        columns: vec![
            Column::new("序号", 0.45, Align::Right),
            Column::new("台区", 1.4, Align::Left),
            Column::new("户号 / 户名", 1.55, Align::Left),
            Column::new("地址", 1.8, Align::Left),
            Column::new("旧表编号 / 位置", 1.55, Align::Left),
            Column::new("封印", 1.3, Align::Left),
            Column::new("有效期 / 原因", 1.25, Align::Left),
            Column::new("新表编号、止码、起码", 1.6, Align::Left),
        ],
        rows,
        size: body * 0.85,
    });
    doc.space(4.0);
    doc.left_right(text, "台区经理签字：", "完成日期：          ");
    doc.finish()
}

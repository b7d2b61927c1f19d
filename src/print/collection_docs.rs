//! Collection notices (issue 15): the reminder notice (催费通知单, one page per customer, a
//! whole 台区 in one PDF) and the written disconnection notice (停电通知书). Both A4, both
//! addressed to the customer: the name is printed in full (the notice is for them), the
//! phone is not printed. Amounts are already formatted by the service (元 to the 分).
use super::font::FontSet;
use super::layout::Doc;
use super::style::{Align, TextStyle};
use super::table::{Column, Table};
use super::{Paper, PrintError};

/// One overdue bill on a notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeBill {
    /// `2026年10月`
    pub period: String,
    pub due_date: String,
    pub days_overdue: i64,
    /// principal still owed, `123.45`
    pub owed: String,
    /// late fee to date, `1.23`
    pub late_fee: String,
}

/// What one customer's notice shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeCustomer {
    pub account_no: String,
    pub name: String,
    pub address: String,
    pub area: String,
    pub bills: Vec<NoticeBill>,
    pub principal: String,
    pub late_fee: String,
    pub total: String,
    /// the total in capital numerals (人民币大写)
    pub total_capital: String,
}

/// 催费通知单 for one or more customers (one page each).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReminderView {
    pub station_name: String,
    pub station_phone: String,
    pub station_address: String,
    /// `2026年11月24日`
    pub printed_on: String,
    /// the late fee counted to this day
    pub counted_to: String,
    /// `penalty.cutoff_after_days`
    pub cutoff_days: i64,
    pub customers: Vec<NoticeCustomer>,
}

/// 停电通知书 for one customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisconnectNoticeView {
    pub station_name: String,
    pub station_phone: String,
    pub station_address: String,
    pub printed_on: String,
    pub customer: NoticeCustomer,
    /// the last day of the notice period
    pub period_end: String,
    /// the first day supply may be cut
    pub cut_from: String,
    pub notice_days: i64,
    /// `penalty.cutoff_after_days`
    pub cutoff_days: i64,
    /// `penalty.restore_within_hours`
    pub restore_hours: i64,
}

pub const REMINDER_TITLE: &str = "电费催缴通知单";
pub const DISCONNECT_TITLE: &str = "欠费停电通知书";

fn customer_block(doc: &mut Doc, c: &NoticeCustomer, text: TextStyle) {
    doc.key_value(text, "户号：", &c.account_no);
    doc.key_value(text, "户名：", &c.name);
    if !c.address.is_empty() {
        doc.key_value(text, "用电地址：", &c.address);
    }
    if !c.area.is_empty() {
        doc.key_value(text, "台区：", &c.area);
    }
}

fn bills_table(doc: &mut Doc, c: &NoticeCustomer, size: f32) {
    let rows = c
        .bills
        .iter()
        .map(|b| {
            vec![
                b.period.clone(),
                b.due_date.clone(),
                b.days_overdue.to_string(),
                b.owed.clone(),
                b.late_fee.clone(),
            ]
        })
        .collect();
    doc.table(&Table {
        columns: vec![
            Column::new("账期", 1.2, Align::Left),
            Column::new("缴费期限", 1.2, Align::Left),
            Column::new("逾期天数", 0.9, Align::Right),
            Column::new("欠费（元）", 1.1, Align::Right),
            Column::new("违约金（元）", 1.1, Align::Right),
        ],
        rows,
        size,
    });
}

fn totals(doc: &mut Doc, c: &NoticeCustomer, text: TextStyle) {
    doc.left_right(text, "欠费合计：", &format!("{} 元", c.principal));
    doc.left_right(
        text,
        "违约金（计至通知日）：",
        &format!("{} 元", c.late_fee),
    );
    doc.left_right(text.bold(), "应缴合计：", &format!("{} 元", c.total));
    doc.paragraph(text, &format!("人民币大写：{}", c.total_capital));
}

fn station_footer(
    doc: &mut Doc,
    text: TextStyle,
    name: &str,
    phone: &str,
    address: &str,
    day: &str,
) {
    doc.space(4.0);
    doc.paragraph(text.right(), name);
    if !address.is_empty() {
        doc.paragraph(text.right(), &format!("地址：{address}"));
    }
    if !phone.is_empty() {
        doc.paragraph(text.right(), &format!("电话：{phone}"));
    }
    doc.paragraph(text.right(), day);
}

/// The reminder notices, one page per customer.
pub fn render_reminders(v: &ReminderView, fonts: FontSet) -> Result<Vec<u8>, PrintError> {
    let mut doc = Doc::with_fonts(Paper::A4, REMINDER_TITLE, fonts);
    let body = Paper::A4.body_size();
    let text = TextStyle::new(body);
    for (i, c) in v.customers.iter().enumerate() {
        if i > 0 {
            doc.new_page();
        }
        doc.paragraph(TextStyle::new(body * 1.5).bold().center(), REMINDER_TITLE);
        doc.paragraph(text.center(), &v.station_name);
        doc.space(2.0);
        customer_block(&mut doc, c, text);
        doc.space(1.0);
        doc.paragraph(
            text,
            &format!(
                "尊敬的客户：截至 {}，您户下列电费已超过缴费期限，尚未结清。违约金按供电营业规则自缴费期限次日起逐日计算，计至 {}。",
                v.printed_on, v.counted_to
            ),
        );
        doc.space(1.0);
        bills_table(&mut doc, c, body * 0.9);
        doc.space(1.0);
        totals(&mut doc, c, text);
        doc.space(1.0);
        doc.paragraph(
            text,
            &format!(
                "请尽快到供电所营业厅或通过其他缴费渠道缴清，违约金计至实际缴费之日。逾期 {} 天以上仍未缴清的，供电企业可依法书面通知后中止供电。如已缴清，请勿理会本通知。",
                v.cutoff_days
            ),
        );
        station_footer(
            &mut doc,
            text,
            &v.station_name,
            &v.station_phone,
            &v.station_address,
            &v.printed_on,
        );
        doc.space(4.0);
        doc.left_right(text, "客户签收：", "签收日期：          ");
    }
    doc.finish()
}

/// The written disconnection notice of one customer.
pub fn render_disconnect_notice(
    v: &DisconnectNoticeView,
    fonts: FontSet,
) -> Result<Vec<u8>, PrintError> {
    let mut doc = Doc::with_fonts(Paper::A4, DISCONNECT_TITLE, fonts);
    let body = Paper::A4.body_size();
    let text = TextStyle::new(body);
    let c = &v.customer;
    doc.paragraph(TextStyle::new(body * 1.5).bold().center(), DISCONNECT_TITLE);
    doc.paragraph(text.center(), &v.station_name);
    doc.space(2.0);
    customer_block(&mut doc, c, text);
    doc.space(1.0);
    doc.paragraph(
        text,
        &format!(
            "尊敬的客户：您户下列电费已逾期 {} 天以上，经催缴仍未结清。根据《供电营业规则》，现书面通知您：请于 {} 前（含当日，通知期 {} 天）缴清全部欠费及违约金；逾期仍未缴清的，本所将自 {} 起对您户中止供电。",
            v.cutoff_days, v.period_end, v.notice_days, v.cut_from
        ),
    );
    doc.space(1.0);
    bills_table(&mut doc, c, body * 0.9);
    doc.space(1.0);
    totals(&mut doc, c, text);
    doc.space(1.0);
    doc.paragraph(
        text,
        &format!(
            "缴清欠费及违约金后，本所在 {} 小时内恢复供电。如对欠费有异议，请携带缴费凭证到供电所营业厅核对。",
            v.restore_hours
        ),
    );
    station_footer(
        &mut doc,
        text,
        &v.station_name,
        &v.station_phone,
        &v.station_address,
        &v.printed_on,
    );
    doc.space(4.0);
    doc.left_right(text, "送达人：", "客户签收：          ");
    doc.left_right(text, "送达日期：", "");
    doc.finish()
}

//! The duty log of a shift (值班记录: every call and accident report as it came in) and the
//! monthly report of complaints and repair calls. Both A4.
use super::font::FontSet;
use super::layout::Doc;
use super::style::{Align, TextStyle};
use super::table::{Column, Table};
use super::{Paper, PrintError};
use crate::domain::case::Channel;
use crate::domain::case_flow::centi_text;
use crate::service::cases::report::CaseMonthReport;

/// One call in the duty log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DutyLine {
    pub received: String,
    pub case_no: String,
    pub kind: String,
    pub channel: String,
    /// name and masked phone
    pub caller: String,
    /// 台区 and place
    pub place: String,
    pub content: String,
    pub state: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DutyLogView {
    pub station_name: String,
    pub from: String,
    pub to: String,
    pub printed_at: String,
    pub printed_by: String,
    pub lines: Vec<DutyLine>,
}

pub const DUTY_LOG_TITLE: &str = "值班记录";

pub fn render_duty_log(v: &DutyLogView, fonts: FontSet) -> Result<Vec<u8>, PrintError> {
    let title = format!("{DUTY_LOG_TITLE} {} 至 {}", v.from, v.to);
    let mut doc = Doc::with_fonts(Paper::A4, &title, fonts);
    let body = Paper::A4.body_size();
    let text = TextStyle::new(body);
    let small = TextStyle::new(body * 0.8);
    doc.set_page_header(&title);
    doc.paragraph(TextStyle::new(body * 1.5).bold().center(), DUTY_LOG_TITLE);
    doc.paragraph(text.center(), &v.station_name);
    doc.left_right(
        text,
        &format!("班次：{} 至 {}", v.from, v.to),
        &format!("共 {} 件", v.lines.len()),
    );
    doc.paragraph(
        small,
        &format!("打印时间：{}    打印人：{}", v.printed_at, v.printed_by),
    );
    doc.space(1.0);
    if v.lines.is_empty() {
        doc.paragraph(text, "本班次没有来电和报修记录。");
    } else {
        let rows = v
            .lines
            .iter()
            .map(|l| {
                vec![
                    format!("{}\n{}", l.received, l.case_no),
                    l.kind.clone(),
                    l.channel.clone(),
                    l.caller.clone(),
                    l.place.clone(),
                    l.content.clone(),
                    l.state.clone(),
                ]
            })
            .collect();
        doc.table(&Table {
            columns: vec![
                Column::new("受理时间 / 单号", 1.75, Align::Left),
                Column::new("类别", 0.9, Align::Left),
                Column::new("来源", 1.0, Align::Left),
                Column::new("来电人", 1.4, Align::Left),
                Column::new("台区 / 地点", 1.5, Align::Left),
                Column::new("内容", 2.2, Align::Left),
                Column::new("状态", 0.9, Align::Left),
            ],
            rows,
            size: body * 0.85,
        });
    }
    doc.space(4.0);
    doc.left_right(text, "值班人签字：", "接班人签字：          ");
    doc.finish()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseReportView {
    pub station_name: String,
    pub printed_at: String,
    pub report: CaseMonthReport,
}

pub const CASE_REPORT_TITLE: &str = "投诉报修月报";

pub fn render_case_report(v: &CaseReportView, fonts: FontSet) -> Result<Vec<u8>, PrintError> {
    let r = &v.report;
    let title = format!("{CASE_REPORT_TITLE} {} 年 {} 月", r.year, r.month);
    let mut doc = Doc::with_fonts(Paper::A4, &title, fonts);
    let body = Paper::A4.body_size();
    let text = TextStyle::new(body);
    let head = TextStyle::new(body * 1.1).bold();
    let small = TextStyle::new(body * 0.8);
    let size = body * 0.85;
    doc.set_page_header(&title);
    doc.paragraph(TextStyle::new(body * 1.5).bold().center(), &title);
    doc.paragraph(text.center(), &v.station_name);
    doc.paragraph(small, &format!("打印时间：{}", v.printed_at));
    doc.space(1.0);

    doc.paragraph(head, &format!("一、受理情况（共 {} 件）", r.total));
    let mut columns = vec![Column::new("类别", 1.2, Align::Left)];
    columns.extend(
        Channel::ALL
            .iter()
            .map(|c| Column::new(c.label(), 1.0, Align::Right)),
    );
    columns.push(Column::new("合计", 0.8, Align::Right));
    let rows = r
        .by_kind
        .iter()
        .map(|(k, per, total)| {
            let mut row = vec![k.label().to_string()];
            row.extend(per.iter().map(ToString::to_string));
            row.push(total.to_string());
            row
        })
        .collect();
    doc.table(&Table {
        columns,
        rows,
        size,
    });
    doc.space(2.0);

    doc.paragraph(head, "二、时限执行（首次处理）");
    doc.table(&Table {
        columns: vec![
            Column::new("时限", 1.5, Align::Left),
            Column::new("计入件数", 1.0, Align::Right),
            Column::new("按时件数", 1.0, Align::Right),
            Column::new("及时率", 1.0, Align::Right),
        ],
        rows: r
            .on_time
            .iter()
            .map(|(k, t)| {
                vec![
                    k.label().to_string(),
                    t.counted.to_string(),
                    t.on_time.to_string(),
                    t.rate(),
                ]
            })
            .collect(),
        size,
    });
    doc.space(2.0);

    doc.paragraph(head, "三、抢修平均时间（按区域类型）");
    let mut rows = Vec::new();
    for (area, a) in &r.arrive {
        rows.push(vec![
            "到达现场".to_string(),
            area.label().to_string(),
            a.count.to_string(),
            a.words(),
        ]);
    }
    for (area, a) in &r.restore {
        rows.push(vec![
            "恢复供电".to_string(),
            area.label().to_string(),
            a.count.to_string(),
            a.words(),
        ]);
    }
    if rows.is_empty() {
        doc.paragraph(text, "本月没有登记到达时间的报修。");
    } else {
        doc.table(&Table {
            columns: vec![
                Column::new("项目", 1.2, Align::Left),
                Column::new("区域类型", 1.0, Align::Left),
                Column::new("件数", 0.8, Align::Right),
                Column::new("平均用时", 1.0, Align::Right),
            ],
            rows,
            size,
        });
    }
    doc.space(2.0);

    doc.paragraph(head, "四、回访满意度");
    let [s, b, u, f] = r.satisfaction;
    doc.paragraph(
        text,
        &format!(
            "满意 {s} 件，基本满意 {b} 件，不满意 {u} 件，回访失败 {f} 件；不满意后重新处理 {} 件；本月受理已办结 {} 件。",
            r.reopened, r.closed
        ),
    );
    doc.space(2.0);

    doc.paragraph(head, "五、停电时户数（按台区，时户）");
    if r.outages.is_empty() {
        doc.paragraph(text, "本月没有登记停电的报修。");
    } else {
        let rows = r
            .outages
            .iter()
            .map(|o| {
                let mut row = vec![o.area.clone(), o.cases.to_string(), o.customers.to_string()];
                row.extend(o.weeks.iter().map(|w| centi_text(*w)));
                row.push(centi_text(o.month));
                row
            })
            .collect();
        doc.table(&Table {
            columns: vec![
                Column::new("台区", 1.6, Align::Left),
                Column::new("次数", 0.6, Align::Right),
                Column::new("户数", 0.7, Align::Right),
                Column::new("1–7日", 0.9, Align::Right),
                Column::new("8–14日", 0.9, Align::Right),
                Column::new("15–21日", 0.9, Align::Right),
                Column::new("22–28日", 0.9, Align::Right),
                Column::new("29日起", 0.9, Align::Right),
                Column::new("月合计", 1.0, Align::Right),
            ],
            rows,
            size,
        });
    }
    doc.space(4.0);
    doc.left_right(text, "所长签字：", "日期：          ");
    doc.finish()
}

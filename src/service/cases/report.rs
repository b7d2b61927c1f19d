//! The duty log (值班记录) per shift, the monthly report of cases (PDF and CSV), outage
//! customer-hours by 台区 per week and month, and the facts the assessment rule for a
//! complaint caused by a late work order fires on.
use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::board::round_steps;
use crate::domain::assessment::DeadlineFact;
use crate::domain::case::{self, AreaType, CaseKind, Channel, ClockKind};
use crate::domain::case_flow::{self as flow, ClosedHow, StepKind, VisitResult};
use crate::domain::role::Need;
use crate::print::PrintOutcome;
use crate::service::{Service, ServiceError, ServiceResult, Session};
use crate::store::audit::Changes;
use crate::store::cases::{self as store, CaseRow};

/// The cases of one duty shift.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DutyLog {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    pub cases: Vec<CaseRow>,
}

/// On-time figures of one limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OnTime {
    /// clocks that stopped, or whose limit has passed
    pub counted: usize,
    pub on_time: usize,
}

impl OnTime {
    /// `95.0%`, or `—` when nothing was counted.
    pub fn rate(&self) -> String {
        if self.counted == 0 {
            return "—".into();
        }
        let permille = (self.on_time * 1000 + self.counted / 2) / self.counted;
        format!("{}.{}%", permille / 10, permille % 10)
    }
}

/// Average minutes of a span, by area type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Average {
    pub count: usize,
    pub total_minutes: i64,
}

impl Average {
    /// `1时05分`, or `—`.
    pub fn words(&self) -> String {
        if self.count == 0 {
            return "—".into();
        }
        let avg = (self.total_minutes + (self.count as i64) / 2) / self.count as i64;
        format!("{}时{:02}分", avg / 60, avg % 60)
    }
}

/// Outage customer-hours of one 台区: per week of the month (days 1–7, 8–14, 15–21, 22–28,
/// 29–end) and the month, in hundredths.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutageTotal {
    pub area: String,
    pub cases: usize,
    pub customers: i64,
    pub weeks: [i64; 5],
    pub month: i64,
}

/// The monthly report of cases.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseMonthReport {
    pub year: i32,
    pub month: u32,
    /// per kind: count per channel (in `Channel::ALL` order) and the total
    pub by_kind: Vec<(CaseKind, Vec<usize>, usize)>,
    pub total: usize,
    pub on_time: Vec<(ClockKind, OnTime)>,
    pub arrive: Vec<(AreaType, Average)>,
    pub restore: Vec<(AreaType, Average)>,
    /// satisfied, basically satisfied, unsatisfied, failed visits (no answer at the last try)
    pub satisfaction: [usize; 4],
    pub reopened: usize,
    pub closed: usize,
    pub outages: Vec<OutageTotal>,
}

fn month_bounds(year: i32, month: u32) -> ServiceResult<(NaiveDateTime, NaiveDateTime)> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)
        .ok_or_else(|| ServiceError::invalid("month", "月份应为 1 到 12"))?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .ok_or_else(|| ServiceError::invalid("month", "月份超出范围"))?;
    Ok((
        first.and_time(NaiveTime::MIN),
        next.and_time(NaiveTime::MIN),
    ))
}

/// The CSV's columns.
pub const REPORT_CSV_HEADER: [&str; 4] = ["表", "项目", "分项", "数值"];

impl CaseMonthReport {
    /// The report as CSV rows (表, 项目, 分项, 数值).
    pub fn csv_rows(&self) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let mut push = |t: &str, a: &str, b: &str, v: String| {
            out.push(vec![t.to_string(), a.to_string(), b.to_string(), v]);
        };
        for (kind, per, total) in &self.by_kind {
            for (ch, n) in Channel::ALL.iter().zip(per) {
                push("按类别和来源", kind.label(), ch.label(), n.to_string());
            }
            push("按类别和来源", kind.label(), "合计", total.to_string());
        }
        push("按类别和来源", "全部", "合计", self.total.to_string());
        for (clock, t) in &self.on_time {
            push("及时率", clock.label(), "计入", t.counted.to_string());
            push("及时率", clock.label(), "按时", t.on_time.to_string());
            push("及时率", clock.label(), "及时率", t.rate());
        }
        for (area, a) in &self.arrive {
            push("平均到达时间", area.label(), "件数", a.count.to_string());
            push("平均到达时间", area.label(), "平均", a.words());
        }
        for (area, a) in &self.restore {
            push("平均修复时间", area.label(), "件数", a.count.to_string());
            push("平均修复时间", area.label(), "平均", a.words());
        }
        for (label, n) in ["满意", "基本满意", "不满意", "回访失败"]
            .iter()
            .zip(self.satisfaction)
        {
            push("回访满意度", label, "件数", n.to_string());
        }
        push(
            "重新处理",
            "不满意后重新处理",
            "件数",
            self.reopened.to_string(),
        );
        push("办结", "本月受理已办结", "件数", self.closed.to_string());
        for o in &self.outages {
            for (i, w) in o.weeks.iter().enumerate() {
                push(
                    "停电时户数",
                    &o.area,
                    &format!("第{}周", i + 1),
                    flow::centi_text(*w),
                );
            }
            push("停电时户数", &o.area, "月合计", flow::centi_text(o.month));
        }
        out
    }
}

impl Service {
    /// The start of the duty shift that `at` falls in (the handover hour of the settings).
    pub fn shift_start(&self, at: NaiveDateTime) -> ServiceResult<NaiveDateTime> {
        let hour =
            u32::try_from(self.int_setting("duty.shift_start_hour")?.clamp(0, 23)).unwrap_or(8);
        let start = at
            .date()
            .and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN));
        Ok(if at < start {
            start - Duration::days(1)
        } else {
            start
        })
    }

    /// The duty log of the shift starting at `from` (24 hours).
    pub fn duty_log(&self, from: NaiveDateTime) -> ServiceResult<DutyLog> {
        let to = from + Duration::days(1);
        Ok(DutyLog {
            from,
            to,
            cases: store::received_between(self.store().conn(), from, to)?,
        })
    }

    /// Print the duty log of the shift starting at `from`; audited. A print that fails is
    /// recorded as failed.
    pub fn print_duty_log(
        &mut self,
        session: &Session,
        from: NaiveDateTime,
    ) -> ServiceResult<PrintOutcome> {
        let cx = self.begin(session, Need::Read)?;
        let log = self.duty_log(from)?;
        let station = self.require_station()?;
        let view = crate::print::DutyLogView {
            station_name: station.name,
            from: log.from.format("%Y-%m-%d %H:%M").to_string(),
            to: log.to.format("%Y-%m-%d %H:%M").to_string(),
            printed_at: cx.now.format("%Y-%m-%d %H:%M").to_string(),
            printed_by: cx.session.display_name.clone(),
            lines: log
                .cases
                .iter()
                .map(|c| crate::print::DutyLine {
                    received: c.received_at.format("%m-%d %H:%M").to_string(),
                    case_no: c.case_no.clone(),
                    kind: c.kind.label().to_string(),
                    channel: if c.upstream_no.is_empty() {
                        c.channel.label().to_string()
                    } else {
                        format!("{}\n{}", c.channel.label(), c.upstream_no)
                    },
                    caller: format!(
                        "{}\n{}",
                        c.caller(),
                        crate::domain::idcheck::mask_phone(&c.caller_phone)
                    ),
                    place: format!(
                        "{}{}",
                        c.area_name
                            .as_deref()
                            .map(|a| format!("{a}\n"))
                            .unwrap_or_default(),
                        c.place
                    ),
                    content: c.content.clone(),
                    state: format!(
                        "{}{}",
                        c.state.label(),
                        c.assignee_name
                            .as_deref()
                            .map(|n| format!("\n{n}"))
                            .unwrap_or_default()
                    ),
                })
                .collect(),
        };
        let stem = format!("值班记录-{}", log.from.format("%Y-%m-%d-%H%M"));
        let id = log.from.format("%Y-%m-%d %H:%M").to_string();
        match self.render_and_print(&stem, |f| crate::print::render_duty_log(&view, f)) {
            Ok(out) => {
                self.audit_alone(
                    &cx,
                    "case.print_duty_log",
                    "duty_log",
                    &id,
                    Changes::new()
                        .note("count", log.cases.len() as i64)
                        .note("files", vec![out.path.display().to_string()]),
                )?;
                Ok(out)
            }
            Err(e) => {
                self.record_print_failure(&cx.session, cx.now, "duty_log", &id, &e);
                Err(e)
            }
        }
    }

    /// Outage customer-hours by 台区 for the restores in `[from, to)`, with the week of the
    /// month each falls in.
    pub fn outage_totals(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> ServiceResult<Vec<OutageTotal>> {
        let mut by_area: BTreeMap<String, OutageTotal> = BTreeMap::new();
        for o in store::outages_between(self.store().conn(), from, to)? {
            let area = o.area_name.clone().unwrap_or_else(|| "未指定台区".into());
            let t = by_area.entry(area.clone()).or_insert_with(|| OutageTotal {
                area,
                ..OutageTotal::default()
            });
            let ch = flow::customer_hours_centi(o.customers, o.from, o.to);
            let week = ((o.to.day() as usize).saturating_sub(1) / 7).min(4);
            t.cases += 1;
            t.customers += o.customers;
            t.weeks[week] += ch;
            t.month += ch;
        }
        Ok(by_area.into_values().collect())
    }

    /// The monthly report of the cases received in `year`-`month`: clocks counted on the
    /// first handling (round 0), as of now or the month's end, whichever is sooner.
    pub fn case_month_report(&self, year: i32, month: u32) -> ServiceResult<CaseMonthReport> {
        let (from, to) = month_bounds(year, month)?;
        let conn = self.store().conn();
        let cases = store::received_between(conn, from, to)?;
        let mut steps = store::steps_received_between(conn, from, to)?;
        let visits = store::visits_received_between(conn, from, to)?;
        let limits = self.case_limits()?;
        let cal = self.work_calendar()?;
        let types = store::area_types(conn)?;
        let as_of = self.now().min(to);
        let mut r = CaseMonthReport {
            year,
            month,
            total: cases.len(),
            ..CaseMonthReport::default()
        };
        let mut by_kind: BTreeMap<CaseKind, Vec<usize>> = BTreeMap::new();
        let mut on_time: BTreeMap<ClockKind, OnTime> = BTreeMap::new();
        let mut arrive: BTreeMap<&'static str, (AreaType, Average)> = BTreeMap::new();
        let mut restore: BTreeMap<&'static str, (AreaType, Average)> = BTreeMap::new();
        for c in &cases {
            let per = by_kind
                .entry(c.kind)
                .or_insert_with(|| vec![0; Channel::ALL.len()]);
            if let Some(i) = Channel::ALL.iter().position(|ch| *ch == c.channel) {
                per[i] += 1;
            }
            let area = c
                .area_id
                .and_then(|a| types.get(&a).copied())
                .unwrap_or(AreaType::Rural);
            let all = steps.remove(&c.id).unwrap_or_default();
            let mut first = c.clone();
            first.round = 0;
            let (start, s) = round_steps(&first, &all);
            for clock in case::clocks(c.kind, c.channel, area, start, &s, &limits, &cal) {
                let end = clock.done.unwrap_or(as_of);
                if clock.done.is_none() && end <= clock.due {
                    continue; // still running within its limit: not counted yet
                }
                let t = on_time.entry(clock.kind).or_default();
                t.counted += 1;
                if end <= clock.due {
                    t.on_time += 1;
                }
            }
            if let Some(a) = s.arrived {
                let e = arrive
                    .entry(area.code())
                    .or_insert((area, Average::default()));
                e.1.count += 1;
                e.1.total_minutes += (a - start).num_minutes();
                if let Some(rs) = s.restored {
                    let e = restore
                        .entry(area.code())
                        .or_insert((area, Average::default()));
                    e.1.count += 1;
                    e.1.total_minutes += (rs - a).num_minutes();
                }
            }
            if all.iter().any(|s| s.step == StepKind::Reopened) {
                r.reopened += 1;
            }
            if c.closed_at.is_some() {
                r.closed += 1;
            }
            // satisfaction: the visit that ended each round
            for v in visits.get(&c.id).into_iter().flatten() {
                match v.result {
                    VisitResult::Satisfied => r.satisfaction[0] += 1,
                    VisitResult::Basic => r.satisfaction[1] += 1,
                    VisitResult::Unsatisfied => r.satisfaction[2] += 1,
                    VisitResult::NoAnswer => {}
                }
            }
            if c.closed_how == Some(ClosedHow::VisitFailed) {
                r.satisfaction[3] += 1;
            }
        }
        r.by_kind = by_kind
            .into_iter()
            .map(|(k, per)| {
                let total = per.iter().sum();
                (k, per, total)
            })
            .collect();
        r.on_time = on_time.into_iter().collect();
        r.arrive = arrive.into_values().collect();
        r.restore = restore.into_values().collect();
        r.outages = self.outage_totals(from, to)?;
        Ok(r)
    }

    /// Print the monthly report; audited.
    pub fn print_case_report(
        &mut self,
        session: &Session,
        year: i32,
        month: u32,
    ) -> ServiceResult<PrintOutcome> {
        let cx = self.begin(session, Need::Read)?;
        let report = self.case_month_report(year, month)?;
        let station = self.require_station()?;
        let view = crate::print::CaseReportView {
            station_name: station.name,
            printed_at: cx.now.format("%Y-%m-%d %H:%M").to_string(),
            report,
        };
        let stem = format!("投诉报修月报-{year}-{month:02}");
        let id = format!("{year}-{month:02}");
        match self.render_and_print(&stem, |f| crate::print::render_case_report(&view, f)) {
            Ok(out) => {
                self.audit_alone(
                    &cx,
                    "case.print_report",
                    "case_report",
                    &id,
                    Changes::new().note("files", vec![out.path.display().to_string()]),
                )?;
                Ok(out)
            }
            Err(e) => {
                self.record_print_failure(&cx.session, cx.now, "case_report", &id, &e);
                Err(e)
            }
        }
    }

    /// Export the monthly report as CSV (UTF-8 with BOM) into the print folder; audited.
    pub fn export_case_report_csv(
        &mut self,
        session: &Session,
        year: i32,
        month: u32,
    ) -> ServiceResult<std::path::PathBuf> {
        let cx = self.begin(session, Need::Read)?;
        let rows = self.case_month_report(year, month)?.csv_rows();
        let doc = crate::export::csv::document(&REPORT_CSV_HEADER, &rows);
        let stem = format!("投诉报修月报-{year}-{month:02}");
        let path = crate::print::FolderPrinter::new(self.print_folder()?)
            .write_file(&stem, "csv", &doc)?;
        self.audit_alone(
            &cx,
            "case.export_report",
            "case_report",
            &format!("{year}-{month:02}"),
            Changes::new().note("files", vec![path.display().to_string()]),
        )?;
        Ok(path)
    }

    /// Complaints linked to a late work order, as facts for the assessment rule on delays
    /// that caused a complaint: held by whoever held the order (dispatched to, else
    /// responsible). The subject is the case (`case:<id>`, in `stage`).
    pub fn complaint_delay_facts(&self) -> ServiceResult<Vec<(i64, String, DeadlineFact)>> {
        let rows = store::complaint_order_links(self.store().conn())?;
        Ok(rows
            .into_iter()
            .map(
                |(id, no, received, order_id, tracking_no, holder, residential)| {
                    let day = received.date();
                    (
                        id,
                        no,
                        DeadlineFact {
                            order_id,
                            tracking_no,
                            stage: "complaint".into(),
                            stage_label: "延误引发投诉".into(),
                            residential,
                            holder_id: holder,
                            due: day,
                            done: Some(day),
                            overdue_days: 0,
                        },
                    )
                },
            )
            .collect())
    }
}

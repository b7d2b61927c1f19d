//! Staff assessment (考核, DOMAIN.md §3): the station's rules ("task X not done within its
//! limit: the person responsible is assessed N 元 per household / meter / case"), and the
//! pure evaluation that turns facts (deadlines missed, files opened incomplete) into
//! entries. Deadlines are not computed here: the deadline module hands in
//! [`DeadlineFact`]s. Pure: dates come in as parameters.
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::calendar::WorkCalendar;
use super::money::format_yuan;

/// One supplier stage (or the whole process) of a work order with its promised date, as
/// computed by the deadline module. `overdue_days` is in working days, as of `done` when the
/// stage is finished or of today when it is not; 0 or less = on time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadlineFact {
    pub order_id: i64,
    pub tracking_no: String,
    /// stage code as stored in `order_stage.stage`, or "whole" for the whole process
    pub stage: String,
    pub stage_label: String,
    /// residential customers are assessed at one rate, others at another
    pub residential: bool,
    /// the staff member who held the task when it fell due (dispatched-to, else responsible)
    pub holder_id: i64,
    pub due: chrono::NaiveDate,
    pub done: Option<chrono::NaiveDate>,
    pub overdue_days: i64,
}

/// The stage code of a [`DeadlineFact`] about the whole process.
pub const WHOLE_PROCESS: &str = "whole";

crate::coded_enum! {
    /// What makes a rule fire.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum TriggerKind: "考核情形" {
        /// a work-order stage (or the whole process) more than N working days overdue
        StageOverdue = "stage_overdue" / "环节超期",
        /// a delay that caused a complaint (complaints issue: no data yet)
        ComplaintDelay = "complaint_delay" / "延误引发投诉",
        /// a faulty meter not handled in the planned time (meters issue: no data yet)
        FaultyMeter = "faulty_meter" / "故障表超期未处理",
        /// a rotation item not done in its month (meters issue: no data yet)
        RotationMissed = "rotation_missed" / "轮换未按月完成",
        /// a customer file opened incomplete and not completed within N working days
        FileIncomplete = "file_incomplete" / "建档资料不全",
    }
}

impl TriggerKind {
    /// Whether the program has the data to check this trigger yet.
    pub fn has_source(self) -> bool {
        matches!(
            self,
            TriggerKind::StageOverdue | TriggerKind::FileIncomplete
        )
    }
    /// Whether the rule's number N means anything for this trigger.
    pub fn uses_param(self) -> bool {
        self.has_source()
    }
    /// The trigger in words, with its number.
    pub fn describe(self, param: i64) -> String {
        match self {
            TriggerKind::StageOverdue => format!("环节或全过程超期超过 {param} 个工作日"),
            TriggerKind::FileIncomplete => format!("建档资料不全，超过 {param} 个工作日未补齐"),
            TriggerKind::ComplaintDelay => "延误引发投诉（待投诉报修模块，暂无数据）".into(),
            TriggerKind::FaultyMeter => "故障表超期未处理（待计量装置模块，暂无数据）".into(),
            TriggerKind::RotationMissed => "轮换未按月完成（待计量装置模块，暂无数据）".into(),
        }
    }
}

crate::coded_enum! {
    /// What an amount is counted per.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Unit: "计量单位" {
        Household = "household" / "每户",
        Meter = "meter" / "每表",
        Case = "case" / "每件",
    }
}

impl Unit {
    /// 户 / 表 / 件
    pub fn short(self) -> &'static str {
        match self {
            Unit::Household => "户",
            Unit::Meter => "表",
            Unit::Case => "件",
        }
    }
}

crate::coded_enum! {
    /// Where an entry stands.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum EntryState: "考核状态" {
        /// 待确认: found by the program, not decided yet
        Pending = "pending" / "待确认",
        /// 已确认: the chief confirmed it; this is what counts
        Confirmed = "confirmed" / "已确认",
        /// 已免考核: waived by the chief with a reason (force majeure, causes outside the staff's
        /// control)
        Waived = "waived" / "已免考核",
    }
}

impl EntryState {
    /// The short text mark of lists.
    pub fn mark(self) -> &'static str {
        match self {
            EntryState::Pending => "待确认",
            EntryState::Confirmed => "已确认",
            EntryState::Waived => "免考核",
        }
    }
}

/// The text mark of an entry whose rule had no amount.
pub const MARK_AMOUNT_UNSET: &str = "金额未设";

/// One rule of the work plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: i64,
    pub code: String,
    pub item: String,
    pub trigger: TriggerKind,
    pub param: i64,
    pub unit: Unit,
    /// per unit, 元; `None` = not set yet
    pub amount_residential: Option<Decimal>,
    pub amount_other: Option<Decimal>,
    pub active: bool,
    pub note: String,
}

impl Rule {
    pub fn amount_for(&self, residential: bool) -> Option<Decimal> {
        if residential {
            self.amount_residential
        } else {
            self.amount_other
        }
    }
}

/// `50.00 元/户`, or `未设`.
pub fn rate_label(amount: Option<Decimal>, unit: Unit) -> String {
    match amount {
        Some(a) => format!("{} 元/{}", format_yuan(a), unit.short()),
        None => "未设".into(),
    }
}

/// A customer file opened with items missing and still incomplete, with who opened it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncompleteFile {
    pub customer_id: i64,
    pub account_no: String,
    pub name: String,
    pub residential: bool,
    pub created_by: i64,
    pub created_on: NaiveDate,
    /// the items missing when the file was opened, e.g. `联系电话、所属台区`
    pub missing: String,
}

/// A calendar month, the period assessments are summed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    /// 1–12
    pub month: u32,
}

impl Month {
    pub fn of(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }
    /// `2026-11` (as stored) → the month; `None` for anything else.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return None;
        }
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        NaiveDate::from_ymd_opt(year, month, 1)?;
        Some(Month { year, month })
    }
    /// `2026-11`
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
    /// `2026年11月`
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                month: self.month - 1,
                ..self
            }
        }
    }
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                month: self.month + 1,
                ..self
            }
        }
    }
}

/// An entry the check would create (the store ignores it when the rule and subject already
/// have one).
#[derive(Clone, Debug, PartialEq)]
pub struct EntryDraft {
    pub rule_id: i64,
    pub subject: String,
    pub staff_id: i64,
    pub month: Month,
    pub residential: bool,
    pub summary: String,
    pub evidence: Value,
    /// 元; 0 when the rule has no amount for this customer class
    pub amount: Decimal,
    pub amount_unset: bool,
}

/// `order:<id>:<stage>`
pub fn order_subject(order_id: i64, stage: &str) -> String {
    format!("order:{order_id}:{stage}")
}

/// `customer:<id>`
pub fn customer_subject(customer_id: i64) -> String {
    format!("customer:{customer_id}")
}

fn priced(rule: &Rule, residential: bool) -> (Decimal, bool) {
    match rule.amount_for(residential) {
        Some(a) => (a, false),
        None => (Decimal::ZERO, true),
    }
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn fact_draft(rule: &Rule, f: &DeadlineFact, month: Month) -> EntryDraft {
    let (amount, amount_unset) = priced(rule, f.residential);
    let done = match f.done {
        Some(d) => format!("{} 完成", date_text(d)),
        None => "未完成".into(),
    };
    EntryDraft {
        rule_id: rule.id,
        subject: order_subject(f.order_id, &f.stage),
        staff_id: f.holder_id,
        month,
        residential: f.residential,
        summary: format!(
            "工单 {} {} 应于 {} 完成，{}，超期 {} 个工作日",
            f.tracking_no,
            f.stage_label,
            date_text(f.due),
            done,
            f.overdue_days
        ),
        evidence: json!({
            "kind": "order",
            "order_id": f.order_id,
            "tracking_no": f.tracking_no,
            "stage": f.stage,
            "stage_label": f.stage_label,
            "residential": f.residential,
            "due": date_text(f.due),
            "done": f.done.map(date_text),
            "overdue_days": f.overdue_days,
        }),
        amount,
        amount_unset,
    }
}

fn file_draft(rule: &Rule, f: &IncompleteFile, days: i64, month: Month) -> EntryDraft {
    let (amount, amount_unset) = priced(rule, f.residential);
    EntryDraft {
        rule_id: rule.id,
        subject: customer_subject(f.customer_id),
        staff_id: f.created_by,
        month,
        residential: f.residential,
        summary: format!(
            "户号 {} {} 建档资料不全（缺{}），{} 建档，{} 个工作日未补齐",
            f.account_no,
            f.name,
            f.missing,
            date_text(f.created_on),
            days
        ),
        evidence: json!({
            "kind": "customer",
            "customer_id": f.customer_id,
            "account_no": f.account_no,
            "name": f.name,
            "residential": f.residential,
            "created_on": date_text(f.created_on),
            "missing": f.missing,
            "days_incomplete": days,
        }),
        amount,
        amount_unset,
    }
}

/// The entries the active rules call for, given the deadline facts and the incomplete
/// files, as of `today` (the entries belong to `today`'s month). A stage rule fires when a
/// fact is **more than** N working days overdue (exactly N is not); a file rule when a file
/// opened incomplete is still incomplete more than N working days after it was opened.
/// Rules whose data source does not exist yet, and inactive rules, create nothing.
pub fn evaluate(
    rules: &[Rule],
    facts: &[DeadlineFact],
    files: &[IncompleteFile],
    calendar: &WorkCalendar,
    today: NaiveDate,
) -> Vec<EntryDraft> {
    let month = Month::of(today);
    let mut out = Vec::new();
    for rule in rules.iter().filter(|r| r.active) {
        match rule.trigger {
            TriggerKind::StageOverdue => {
                for f in facts.iter().filter(|f| f.overdue_days > rule.param) {
                    out.push(fact_draft(rule, f, month));
                }
            }
            TriggerKind::FileIncomplete => {
                for f in files {
                    let days = i64::from(calendar.working_days_between(f.created_on, today, &[]));
                    if days > rule.param {
                        out.push(file_draft(rule, f, days, month));
                    }
                }
            }
            TriggerKind::ComplaintDelay
            | TriggerKind::FaultyMeter
            | TriggerKind::RotationMissed => {}
        }
    }
    out
}

/// The evidence of an entry as label / value lines for a screen or a printout.
pub fn evidence_lines(evidence: &Value) -> Vec<(&'static str, String)> {
    let s = |k: &str| {
        evidence
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("—")
            .to_string()
    };
    let n = |k: &str| {
        evidence
            .get(k)
            .and_then(Value::as_i64)
            .map(|v| v.to_string())
            .unwrap_or_else(|| "—".into())
    };
    let class = match evidence.get("residential").and_then(Value::as_bool) {
        Some(true) => "居民",
        Some(false) => "非居民",
        None => "—",
    };
    match evidence.get("kind").and_then(Value::as_str) {
        Some("order") => vec![
            ("工单号", s("tracking_no")),
            ("环节", s("stage_label")),
            ("客户类别", class.into()),
            ("承诺日期", s("due")),
            (
                "完成日期",
                evidence
                    .get("done")
                    .and_then(Value::as_str)
                    .unwrap_or("未完成")
                    .to_string(),
            ),
            ("超期", format!("{} 个工作日", n("overdue_days"))),
        ],
        Some("customer") => vec![
            ("户号", s("account_no")),
            ("户名", s("name")),
            ("客户类别", class.into()),
            ("建档日期", s("created_on")),
            ("所缺资料", s("missing")),
            ("未补齐", format!("{} 个工作日", n("days_incomplete"))),
        ],
        _ => vec![("依据", evidence.to_string())],
    }
}

/// Number and amount of entries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: u32,
    pub amount: Decimal,
}

impl Tally {
    fn add(&mut self, amount: Decimal) {
        self.count += 1;
        self.amount += amount;
    }
}

/// One person's month: entries by state; the confirmed amount is what counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonSummary {
    pub staff_id: i64,
    pub staff_name: String,
    pub pending: Tally,
    pub confirmed: Tally,
    pub waived: Tally,
    /// entries (any state) whose rule had no amount
    pub amount_unset: u32,
}

impl PersonSummary {
    pub fn entries(&self) -> u32 {
        self.pending.count + self.confirmed.count + self.waived.count
    }
}

/// What the summary needs of one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SummaryItem<'a> {
    pub staff_id: i64,
    pub staff_name: &'a str,
    pub state: EntryState,
    pub amount: Decimal,
    pub amount_unset: bool,
}

/// Per person (in staff order) and the total line (`staff_id` 0, named 合计).
pub fn summarize<'a>(
    items: impl IntoIterator<Item = SummaryItem<'a>>,
) -> (Vec<PersonSummary>, PersonSummary) {
    let mut people: BTreeMap<i64, PersonSummary> = BTreeMap::new();
    let mut total = PersonSummary {
        staff_name: "合计".into(),
        ..Default::default()
    };
    for it in items {
        let p = people.entry(it.staff_id).or_insert_with(|| PersonSummary {
            staff_id: it.staff_id,
            staff_name: it.staff_name.to_string(),
            ..Default::default()
        });
        for s in [&mut *p, &mut total] {
            match it.state {
                EntryState::Pending => s.pending.add(it.amount),
                EntryState::Confirmed => s.confirmed.add(it.amount),
                EntryState::Waived => s.waived.add(it.amount),
            }
            if it.amount_unset {
                s.amount_unset += 1;
            }
        }
    }
    (people.into_values().collect(), total)
}

#[cfg(test)]
#[path = "assessment_tests.rs"]
mod tests;

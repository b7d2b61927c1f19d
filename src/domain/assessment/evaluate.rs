//! Evaluation: facts (deadlines missed, files left incomplete) against the active rules
//! give entry drafts, each with the evidence it keeps for ever (the entry's evidence never
//! changes, so it must say on its own why the person was assessed). An entry is made once
//! per rule and subject: the subject strings below are its identity.
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::*;
use crate::domain::calendar::WorkCalendar;

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
            | TriggerKind::RotationMissed
            | TriggerKind::LineLossUnexplained
            | TriggerKind::NoteNotPassed => {}
        }
    }
    out
}

/// The entries for 故障换表 orders whose 换表 stage went **more than** N working days past its
/// limit (the faulty-meter rule), to whoever held the order; one per order and rule.
pub fn evaluate_faulty(rules: &[Rule], late: &[DeadlineFact], today: NaiveDate) -> Vec<EntryDraft> {
    let month = Month::of(today);
    let mut out = Vec::new();
    for rule in rules
        .iter()
        .filter(|r| r.active && r.trigger == TriggerKind::FaultyMeter)
    {
        for f in late.iter().filter(|f| f.overdue_days > rule.param) {
            let mut d = fact_draft(rule, f, month);
            d.summary = format!("故障换表{}", d.summary);
            out.push(d);
        }
    }
    out
}

/// `case:<case id>`
pub fn case_subject(case_id: i64) -> String {
    format!("case:{case_id}")
}

/// A complaint caused by a late work order: the case and the order's fact (its holder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComplaintFact {
    pub case_id: i64,
    pub case_no: String,
    pub order: DeadlineFact,
}

/// The entries for complaints caused by a late work order (the complaint-delay rule), to
/// whoever held the order; one per complaint and rule.
pub fn evaluate_complaints(
    rules: &[Rule],
    facts: &[ComplaintFact],
    today: NaiveDate,
) -> Vec<EntryDraft> {
    let month = Month::of(today);
    let mut out = Vec::new();
    for rule in rules
        .iter()
        .filter(|r| r.active && r.trigger == TriggerKind::ComplaintDelay)
    {
        for f in facts {
            let (amount, amount_unset) = priced(rule, f.order.residential);
            out.push(EntryDraft {
                rule_id: rule.id,
                subject: case_subject(f.case_id),
                staff_id: f.order.holder_id,
                month,
                residential: f.order.residential,
                summary: format!(
                    "工单 {} 办理延误，引发投诉 {}（{} 受理）",
                    f.order.tracking_no,
                    f.case_no,
                    date_text(f.order.due)
                ),
                evidence: json!({
                    "kind": "complaint",
                    "case_id": f.case_id,
                    "case_no": f.case_no,
                    "order_id": f.order.order_id,
                    "tracking_no": f.order.tracking_no,
                    "received": date_text(f.order.due),
                    "residential": f.order.residential,
                }),
                amount,
                amount_unset,
            });
        }
    }
    out
}

/// A 台区 whose line loss was high or negative in a month now over, still unexplained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineLossFact {
    pub area_id: i64,
    pub area: String,
    pub period: String,
    /// the loss rate in %, to the hundredth
    pub rate: Decimal,
    /// the area manager, who explains
    pub manager_id: i64,
}

/// `lineloss:<area id>:<YYYY-MM>`
pub fn line_loss_subject(area_id: i64, period: &str) -> String {
    format!("lineloss:{area_id}:{period}")
}

/// The entries for unexplained line loss (one per 台区 and month, to its area manager).
pub fn evaluate_line_loss(
    rules: &[Rule],
    facts: &[LineLossFact],
    today: NaiveDate,
) -> Vec<EntryDraft> {
    let month = Month::of(today);
    let mut out = Vec::new();
    for rule in rules
        .iter()
        .filter(|r| r.active && r.trigger == TriggerKind::LineLossUnexplained)
    {
        for f in facts {
            let (amount, amount_unset) = priced(rule, false);
            out.push(EntryDraft {
                rule_id: rule.id,
                subject: line_loss_subject(f.area_id, &f.period),
                staff_id: f.manager_id,
                month,
                residential: false,
                summary: format!(
                    "{} {} 线损率 {}%{}，月末未说明原因",
                    f.area,
                    f.period,
                    f.rate,
                    if f.rate < Decimal::ZERO {
                        "（负线损）"
                    } else {
                        ""
                    }
                ),
                evidence: json!({
                    "kind": "line_loss",
                    "area_id": f.area_id,
                    "period": f.period,
                    "rate": f.rate.to_string(),
                }),
                amount,
                amount_unset,
            });
        }
    }
    out
}

/// A site problem or suspected theft a reader noted and has not handed on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteFact {
    pub note_id: i64,
    pub reader_id: i64,
    pub noted_on: NaiveDate,
    pub what: String,
}

/// `note:<note id>`
pub fn note_subject(note_id: i64) -> String {
    format!("note:{note_id}")
}

/// The entries for site problems not handed on within the rule's N days (to the reader).
pub fn evaluate_notes(rules: &[Rule], facts: &[NoteFact], today: NaiveDate) -> Vec<EntryDraft> {
    let month = Month::of(today);
    let mut out = Vec::new();
    for rule in rules
        .iter()
        .filter(|r| r.active && r.trigger == TriggerKind::NoteNotPassed)
    {
        for f in facts
            .iter()
            .filter(|f| (today - f.noted_on).num_days() > rule.param)
        {
            let (amount, amount_unset) = priced(rule, false);
            out.push(EntryDraft {
                rule_id: rule.id,
                subject: note_subject(f.note_id),
                staff_id: f.reader_id,
                month,
                residential: false,
                summary: format!(
                    "{} 记录的现场问题超过 {} 天未转交：{}",
                    date_text(f.noted_on),
                    rule.param,
                    f.what
                ),
                evidence: json!({
                    "kind": "reading_note",
                    "note_id": f.note_id,
                    "noted_on": date_text(f.noted_on),
                }),
                amount,
                amount_unset,
            });
        }
    }
    out
}

/// `rotation:<item id>`
pub fn rotation_subject(item_id: i64) -> String {
    format!("rotation:{item_id}")
}

/// The entries for rotation items not done in their month (the rotation rule), attributed to
/// the area manager of the item's 台区. One per item, however often the check runs.
pub fn evaluate_rotation(
    rules: &[Rule],
    missed: &[RotationFact],
    today: NaiveDate,
) -> Vec<EntryDraft> {
    let month = Month::of(today);
    let mut out = Vec::new();
    for rule in rules
        .iter()
        .filter(|r| r.active && r.trigger == TriggerKind::RotationMissed)
    {
        for f in missed {
            let (amount, amount_unset) = priced(rule, f.residential);
            let end = crate::domain::rotation::month_end(f.year, f.month);
            out.push(EntryDraft {
                rule_id: rule.id,
                subject: rotation_subject(f.item_id),
                staff_id: f.holder_id,
                month,
                residential: f.residential,
                summary: format!(
                    "{} 年 {} 月轮换计划：表计 {}（户号 {} {}）至 {} 未换",
                    f.year,
                    f.month,
                    f.asset_no,
                    f.account_no,
                    f.name,
                    date_text(end)
                ),
                evidence: json!({
                    "kind": "rotation",
                    "item_id": f.item_id,
                    "year": f.year,
                    "month": f.month,
                    "month_end": date_text(end),
                    "asset_no": f.asset_no,
                    "account_no": f.account_no,
                    "name": f.name,
                    "residential": f.residential,
                }),
                amount,
                amount_unset,
            });
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
        Some("rotation") => vec![
            ("计划", format!("{} 年 {} 月", n("year"), n("month"))),
            ("资产编号", s("asset_no")),
            ("户号", s("account_no")),
            ("户名", s("name")),
            ("客户类别", class.into()),
            ("计划月末", s("month_end")),
            ("状态", "月末未换".into()),
        ],
        Some("complaint") => vec![
            ("投诉单号", s("case_no")),
            ("受理日期", s("received")),
            ("延误的工单", s("tracking_no")),
            ("客户类别", class.into()),
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

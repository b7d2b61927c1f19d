//! Staff assessment (考核, DOMAIN.md §3): the station's rules ("task X not done within its
//! limit: the person responsible is assessed N 元 per household / meter / case"), and the
//! pure evaluation that turns facts (deadlines missed, files opened incomplete) into
//! entries. Deadlines are not computed here: the deadline module hands in
//! [`DeadlineFact`]s. Pure: dates come in as parameters.
//!
//! This file holds the rules and the facts; [`evaluate`] turns facts into entry drafts
//! (with the evidence each entry keeps), [`summary`] sums entries per person and item.
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::money::format_yuan;

pub mod evaluate;
pub mod summary;

pub use evaluate::{
    ComplaintFact, EntryDraft, LineLossFact, NoteFact, case_subject, customer_subject, evaluate,
    evaluate_complaints, evaluate_faulty, evaluate_line_loss, evaluate_notes, evaluate_rotation,
    evidence_lines, line_loss_subject, note_subject, order_subject, rotation_subject,
};
pub use summary::{PersonSummary, SummaryItem, Tally, summarize};

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
        /// a delay that caused a complaint (a complaint case linked to a late order)
        ComplaintDelay = "complaint_delay" / "延误引发投诉",
        /// a faulty meter not handled in the planned time (meters issue: no data yet)
        FaultyMeter = "faulty_meter" / "故障表超期未处理",
        /// a rotation item not done in its month (meters issue: no data yet)
        RotationMissed = "rotation_missed" / "轮换未按月完成",
        /// a customer file opened incomplete and not completed within N working days
        FileIncomplete = "file_incomplete" / "建档资料不全",
        /// a 台区's line loss high or negative and unexplained when its month is over
        LineLossUnexplained = "line_loss_unexplained" / "线损异常未说明",
        /// a site problem or suspected theft noted by a reader and not handed on in N days
        NoteNotPassed = "note_not_passed" / "现场问题未传递",
    }
}

impl TriggerKind {
    /// Whether the program has the data to check this trigger yet.
    pub fn has_source(self) -> bool {
        matches!(
            self,
            TriggerKind::StageOverdue
                | TriggerKind::FileIncomplete
                | TriggerKind::RotationMissed
                | TriggerKind::FaultyMeter
                | TriggerKind::ComplaintDelay
                | TriggerKind::LineLossUnexplained
                | TriggerKind::NoteNotPassed
        )
    }
    /// Whether the rule's number N means anything for this trigger.
    pub fn uses_param(self) -> bool {
        matches!(
            self,
            TriggerKind::StageOverdue
                | TriggerKind::FileIncomplete
                | TriggerKind::FaultyMeter
                | TriggerKind::NoteNotPassed
        )
    }
    /// The trigger in words, with its number.
    pub fn describe(self, param: i64) -> String {
        match self {
            TriggerKind::StageOverdue => format!("环节或全过程超期超过 {param} 个工作日"),
            TriggerKind::FileIncomplete => format!("建档资料不全，超过 {param} 个工作日未补齐"),
            TriggerKind::ComplaintDelay => "投诉登记时关联了超期的工单（每件投诉一次）".into(),
            TriggerKind::FaultyMeter => format!("故障换表超过时限 {param} 个工作日以上"),
            TriggerKind::RotationMissed => "轮换计划条目到月末未完成（每只表一次）".into(),
            TriggerKind::LineLossUnexplained => {
                "台区线损偏高或为负，到月末未说明（每台区每月一次）".into()
            }
            TriggerKind::NoteNotPassed => {
                format!("现场问题或疑似窃电超过 {param} 天未转交（每条一次）")
            }
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
        Area = "area" / "每台区",
    }
}

impl Unit {
    /// 户 / 表 / 件
    pub fn short(self) -> &'static str {
        match self {
            Unit::Household => "户",
            Unit::Meter => "表",
            Unit::Case => "件",
            Unit::Area => "台区",
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

/// A rotation item whose month ended with its meter not swapped, with the area manager
/// responsible for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RotationFact {
    pub item_id: i64,
    pub year: i32,
    pub month: u32,
    pub asset_no: String,
    pub account_no: String,
    pub name: String,
    pub residential: bool,
    pub holder_id: i64,
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

#[cfg(test)]
#[path = "../assessment_tests.rs"]
mod tests;

//! The life of a case (issue 14): its states, the steps recorded while it is handled, the
//! return visit that ends it (or reopens it), the sampling of visits, the marks of a case at
//! risk of escalation to 12398, and the outage customer-hours of a repair call.
//!
//! Pure rules: no SQL, no clock. `DOMAIN.md` §6.
use chrono::{Duration, NaiveDateTime};

use super::case::CaseKind;

crate::coded_enum! {
    /// Where a case stands.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum CaseState: "工单状态" {
        /// being handled
        Open = "open" / "处理中",
        /// handled; the return visit is due
        Visit = "visit" / "待回访",
        Closed = "closed" / "已办结",
    }
}

crate::coded_enum! {
    /// A step recorded on a case, with the time it happened.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum StepKind: "处理环节" {
        Dispatched = "dispatched" / "派工",
        Contacted = "contacted" / "联系客户",
        Arrived = "arrived" / "到达现场",
        Restored = "restored" / "恢复供电",
        Cause = "cause" / "查明原因",
        Replied = "replied" / "答复客户",
        /// the handling's result: the case goes to its return visit
        Result = "result" / "处理结果",
        /// an unsatisfied visit reopened the case
        Reopened = "reopened" / "重新处理",
    }
}

impl StepKind {
    /// The steps a clerk records by hand, in the order offered (typed as their number).
    pub const RECORDED: [StepKind; 6] = [
        StepKind::Contacted,
        StepKind::Arrived,
        StepKind::Restored,
        StepKind::Cause,
        StepKind::Replied,
        StepKind::Result,
    ];
}

crate::coded_enum! {
    /// What a return visit found.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum VisitResult: "回访结果" {
        Satisfied = "satisfied" / "满意",
        Basic = "basic" / "基本满意",
        Unsatisfied = "unsatisfied" / "不满意",
        NoAnswer = "no_answer" / "未接通",
    }
}

crate::coded_enum! {
    /// How a case closed.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum ClosedHow: "办结方式" {
        Visited = "visited" / "回访办结",
        VisitFailed = "visit_failed" / "回访失败办结",
        NotSampled = "not_sampled" / "未抽中回访",
    }
}

/// What a visit does to its case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VisitOutcome {
    /// satisfied or basically satisfied: the case closes
    Close,
    /// unsatisfied: the case reopens, its history kept
    Reopen,
    /// no answer, tries left: the visit stays due, next try not before `next`
    TryAgain { next: NaiveDateTime },
    /// no answer after the last try: the case closes as a failed visit
    CloseFailed,
}

/// Refusals of the case's rules, in Chinese.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CaseRefusal {
    #[error("该工单已办结")]
    Closed,
    #[error("该工单在待回访，不能再登记处理环节")]
    AwaitingVisit,
    #[error("该工单还在处理中，请先登记处理结果再回访")]
    NotHandled,
    #[error("故障报修须先登记到达现场")]
    NotArrived,
    #[error("停电的报修须先登记恢复供电")]
    NotRestored,
    #[error("{0}须先登记答复客户")]
    NotReplied(&'static str),
    #[error("{0}只用于故障报修")]
    RepairOnly(&'static str),
    #[error("已登记过{0}")]
    Twice(&'static str),
    #[error("上次回访在 {0}，下次回访不早于 {1}")]
    TooSoon(String, String),
}

/// What is known of the current round of a case, for the step and visit rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub arrived: bool,
    pub restored: bool,
    pub replied: bool,
    /// the repair call cut supply (the restored step then is required)
    pub supply_cut: bool,
}

/// Whether `step` may be recorded on a case of `kind` in `state` with `round` so far.
pub fn check_step(
    kind: CaseKind,
    state: CaseState,
    round: &Round,
    step: StepKind,
) -> Result<(), CaseRefusal> {
    match state {
        CaseState::Closed => return Err(CaseRefusal::Closed),
        CaseState::Visit => return Err(CaseRefusal::AwaitingVisit),
        CaseState::Open => {}
    }
    let repair = kind == CaseKind::Repair;
    match step {
        StepKind::Arrived | StepKind::Restored if !repair => {
            Err(CaseRefusal::RepairOnly(step.label()))
        }
        StepKind::Arrived if round.arrived => Err(CaseRefusal::Twice(step.label())),
        StepKind::Restored if !round.arrived => Err(CaseRefusal::NotArrived),
        StepKind::Restored if round.restored => Err(CaseRefusal::Twice(step.label())),
        StepKind::Result if repair && !round.arrived => Err(CaseRefusal::NotArrived),
        StepKind::Result if repair && round.supply_cut && !round.restored => {
            Err(CaseRefusal::NotRestored)
        }
        StepKind::Result if needs_reply(kind) && !round.replied => {
            Err(CaseRefusal::NotReplied(kind.label()))
        }
        _ => Ok(()),
    }
}

/// Kinds whose handling ends with a reply to the customer.
pub fn needs_reply(kind: CaseKind) -> bool {
    matches!(kind, CaseKind::Complaint | CaseKind::Report)
}

/// The visit rule: a case is visited only once handled; `tries` no-answer tries were made
/// in this round so far, the last at `last_try`.
pub fn visit_outcome(
    state: CaseState,
    result: VisitResult,
    tries: u32,
    last_try: Option<NaiveDateTime>,
    at: NaiveDateTime,
    max_tries: u32,
    retry_hours: i64,
) -> Result<VisitOutcome, CaseRefusal> {
    match state {
        CaseState::Closed => return Err(CaseRefusal::Closed),
        CaseState::Open => return Err(CaseRefusal::NotHandled),
        CaseState::Visit => {}
    }
    if let Some(last) = last_try
        && result == VisitResult::NoAnswer
    {
        let next = last + Duration::hours(retry_hours);
        if at < next {
            return Err(CaseRefusal::TooSoon(
                last.format("%m-%d %H:%M").to_string(),
                next.format("%m-%d %H:%M").to_string(),
            ));
        }
    }
    Ok(match result {
        VisitResult::Satisfied | VisitResult::Basic => VisitOutcome::Close,
        VisitResult::Unsatisfied => VisitOutcome::Reopen,
        VisitResult::NoAnswer if tries + 1 >= max_tries => VisitOutcome::CloseFailed,
        VisitResult::NoAnswer => VisitOutcome::TryAgain {
            next: at + Duration::hours(retry_hours),
        },
    })
}

/// Kinds whose return visit the chief may sample (the others are always visited).
pub fn sampled(kind: CaseKind) -> bool {
    matches!(
        kind,
        CaseKind::Question | CaseKind::Praise | CaseKind::Opinion
    )
}

/// Whether case number `seq` (its row id) of `kind` is visited at a sample of `percent` %:
/// spread evenly (every case at 100 %, one in two at 50 %), so the chief can tell which
/// cases the sample takes.
pub fn visit_needed(kind: CaseKind, seq: i64, percent: i64) -> bool {
    if !sampled(kind) || percent >= 100 {
        return true;
    }
    if percent <= 0 {
        return false;
    }
    // the case is taken when the running share crosses a whole case
    let p = percent;
    (seq * p) / 100 != ((seq - 1) * p) / 100
}

/// Why a case is at risk of escalation to 12398.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Risk {
    /// the same caller's cases within the window (this one included), when at or above the set count
    pub repeat: Option<u32>,
    /// unsatisfied visits on this case
    pub unsatisfied: u32,
    pub overdue: bool,
}

impl Risk {
    /// Marked for the chief: repeat caller, unsatisfied twice, or overdue.
    pub fn at_risk(&self) -> bool {
        self.repeat.is_some() || self.unsatisfied >= 2 || self.overdue
    }
    /// `险:重复来电3次 不满意2次 逾期`
    pub fn words(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = self.repeat {
            parts.push(format!("重复来电{n}次"));
        }
        if self.unsatisfied >= 2 {
            parts.push(format!("不满意{}次", self.unsatisfied));
        }
        if self.overdue {
            parts.push("逾期".to_string());
        }
        parts.join(" ")
    }
}

/// Outage customer-hours (停电时户数) of a repair call: customers affected × hours without
/// supply, in hundredths of a customer-hour (exact; shown as `12.50`).
pub fn customer_hours_centi(customers: i64, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
    let minutes = (to - from).num_minutes().max(0);
    // customers × minutes / 60, to the hundredth, half up
    let scaled = customers.saturating_mul(minutes).saturating_mul(100);
    (scaled + 30) / 60
}

/// Hundredths as text: `1250` → `12.50`.
pub fn centi_text(v: i64) -> String {
    format!("{}.{:02}", v / 100, v % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, d)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    #[test]
    fn a_repair_call_needs_arrival_and_restore_before_its_result() {
        let mut r = Round {
            supply_cut: true,
            ..Round::default()
        };
        let open = CaseState::Open;
        assert_eq!(
            check_step(CaseKind::Repair, open, &r, StepKind::Restored),
            Err(CaseRefusal::NotArrived)
        );
        assert_eq!(
            check_step(CaseKind::Repair, open, &r, StepKind::Result),
            Err(CaseRefusal::NotArrived)
        );
        r.arrived = true;
        assert_eq!(
            check_step(CaseKind::Repair, open, &r, StepKind::Arrived),
            Err(CaseRefusal::Twice("到达现场"))
        );
        assert_eq!(
            check_step(CaseKind::Repair, open, &r, StepKind::Result),
            Err(CaseRefusal::NotRestored)
        );
        r.restored = true;
        assert_eq!(
            check_step(CaseKind::Repair, open, &r, StepKind::Result),
            Ok(())
        );
        // no supply cut: arrival is enough
        let fixed = Round {
            arrived: true,
            ..Round::default()
        };
        assert_eq!(
            check_step(CaseKind::Repair, open, &fixed, StepKind::Result),
            Ok(())
        );
        assert_eq!(
            check_step(CaseKind::Complaint, open, &fixed, StepKind::Arrived),
            Err(CaseRefusal::RepairOnly("到达现场"))
        );
        assert_eq!(
            check_step(
                CaseKind::Complaint,
                open,
                &Round::default(),
                StepKind::Result
            )
            .unwrap_err()
            .to_string(),
            "投诉须先登记答复客户"
        );
        assert_eq!(
            check_step(CaseKind::Repair, CaseState::Visit, &r, StepKind::Cause),
            Err(CaseRefusal::AwaitingVisit)
        );
    }

    #[test]
    fn the_visit_closes_reopens_or_tries_again() {
        let v = CaseState::Visit;
        let t = at(6, 10, 0);
        assert_eq!(
            visit_outcome(CaseState::Open, VisitResult::Satisfied, 0, None, t, 3, 24),
            Err(CaseRefusal::NotHandled)
        );
        assert_eq!(
            visit_outcome(v, VisitResult::Basic, 0, None, t, 3, 24),
            Ok(VisitOutcome::Close)
        );
        assert_eq!(
            visit_outcome(v, VisitResult::Unsatisfied, 0, None, t, 3, 24),
            Ok(VisitOutcome::Reopen)
        );
        assert_eq!(
            visit_outcome(v, VisitResult::NoAnswer, 0, None, t, 3, 24),
            Ok(VisitOutcome::TryAgain { next: at(7, 10, 0) })
        );
        // the second try too soon, then the third and last one a day later
        assert_eq!(
            visit_outcome(v, VisitResult::NoAnswer, 1, Some(t), at(7, 9, 0), 3, 24)
                .unwrap_err()
                .to_string(),
            "上次回访在 12-06 10:00，下次回访不早于 12-07 10:00"
        );
        assert_eq!(
            visit_outcome(v, VisitResult::NoAnswer, 2, Some(t), at(8, 10, 0), 3, 24),
            Ok(VisitOutcome::CloseFailed)
        );
        // the customer calling back an hour after a missed try is heard at once
        assert_eq!(
            visit_outcome(v, VisitResult::Satisfied, 1, Some(t), at(6, 11, 0), 3, 24),
            Ok(VisitOutcome::Close)
        );
    }

    #[test]
    fn sampling_takes_the_set_share_evenly() {
        let taken = |p| {
            (1..=100)
                .filter(|i| visit_needed(CaseKind::Question, *i, p))
                .count()
        };
        assert_eq!(taken(100), 100);
        assert_eq!(taken(50), 50);
        assert_eq!(taken(30), 30);
        assert_eq!(taken(1), 1);
        assert_eq!(taken(0), 0);
        // complaints, reports and repair calls are always visited
        assert!((1..=20).all(|i| visit_needed(CaseKind::Complaint, i, 10)));
        assert!((1..=20).all(|i| visit_needed(CaseKind::Repair, i, 0)));
    }

    #[test]
    fn customer_hours_are_exact_to_the_hundredth() {
        // 37 customers for 2 h 10 min = 80.1666… → 80.17
        assert_eq!(customer_hours_centi(37, at(6, 1, 0), at(6, 3, 10)), 8017);
        assert_eq!(centi_text(8017), "80.17");
        assert_eq!(customer_hours_centi(5, at(6, 3, 0), at(6, 1, 0)), 0);
        assert_eq!(centi_text(5), "0.05");
    }

    #[test]
    fn risk_marks_say_why() {
        let r = Risk {
            repeat: Some(3),
            unsatisfied: 2,
            overdue: true,
        };
        assert!(r.at_risk());
        assert_eq!(r.words(), "重复来电3次 不满意2次 逾期");
        let once = Risk {
            unsatisfied: 1,
            ..Risk::default()
        };
        assert!(!once.at_risk());
    }
}

//! The open cases board: every case not closed with its clocks, overdue first, then by the
//! nearest deadline; the marks of cases at risk of escalation to 12398; the counts for the
//! home screen; one case with its whole history.
use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};

use crate::domain::calendar::WorkCalendar;
use crate::domain::case::{self, AreaType, CaseKind, Channel, Clock, Steps};
use crate::domain::case_flow::{Risk, StepKind, VisitResult};
use crate::service::{Service, ServiceError, ServiceResult};
use crate::store::cases::{self as store, CaseRow, StepRow, VisitRow};

/// A case on the board, with its clocks (which do not depend on the time; their words do).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoardCase {
    pub row: CaseRow,
    pub area_type: AreaType,
    pub clocks: Vec<Clock>,
    /// the same caller's cases in the window, when at or above the set count
    pub repeat: Option<u32>,
    /// unsatisfied visits, all rounds
    pub unsatisfied: u32,
    /// no-answer visit tries in this round
    pub no_answer: u32,
}

impl BoardCase {
    /// A clock still running past its limit at `now`: the case is overdue now (the board's
    /// 逾期, the home screen's count).
    pub fn overdue(&self, now: NaiveDateTime) -> bool {
        self.clocks
            .iter()
            .any(|c| c.done.is_none() && case::overdue(c, now))
    }

    /// Overdue now, or a clock that stopped late (the words say `…逾期`; the case stays at
    /// risk of escalation even once handled).
    pub fn was_late(&self, now: NaiveDateTime) -> bool {
        self.clocks.iter().any(|c| case::overdue(c, now))
    }

    pub fn risk(&self, now: NaiveDateTime) -> Risk {
        Risk {
            repeat: self.repeat,
            unsatisfied: self.unsatisfied,
            overdue: self.was_late(now),
        }
    }

    /// The nearest deadline of a clock still running.
    pub fn next_due(&self) -> Option<NaiveDateTime> {
        self.clocks
            .iter()
            .filter(|c| c.done.is_none())
            .map(|c| c.due)
            .min()
    }

    /// The clocks in words at `now`: running ones first (`到达剩 35分`), then those that
    /// stopped (`修复已用 2时10分`, `回复逾期 1天`).
    pub fn clock_words(&self, now: NaiveDateTime, cal: &WorkCalendar) -> String {
        let mut v: Vec<&Clock> = self.clocks.iter().collect();
        v.sort_by_key(|c| (c.done.is_some(), c.due));
        v.iter()
            .map(|c| case::clock_words(c, now, cal))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The sort key of the board at `now`: overdue first (most overdue first), then by the
    /// nearest deadline, then cases with no clock running (by when they came in).
    fn key(&self, now: NaiveDateTime) -> (u8, NaiveDateTime) {
        match self.next_due() {
            Some(d) if d < now => (0, d),
            Some(d) => (1, d),
            None => (2, self.row.received_at),
        }
    }
}

/// Filter of the board; `Default` = every open case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub kind: Option<CaseKind>,
    pub channel: Option<Channel>,
    pub staff_id: Option<i64>,
    pub area_id: Option<i64>,
}

impl CaseFilter {
    pub fn matches(&self, c: &BoardCase) -> bool {
        self.kind.is_none_or(|k| c.row.kind == k)
            && self.channel.is_none_or(|ch| c.row.channel == ch)
            && self.staff_id.is_none_or(|s| c.row.assignee_id == Some(s))
            && self.area_id.is_none_or(|a| c.row.area_id == Some(a))
    }

    pub fn is_empty(&self) -> bool {
        *self == CaseFilter::default()
    }
}

/// The board: every open case, with the calendar its words are counted on.
#[derive(Clone, Debug, Default)]
pub struct CaseBoard {
    pub cases: Vec<BoardCase>,
    pub calendar: WorkCalendar,
}

impl CaseBoard {
    /// Put the cases in board order at `now` (a clock passing its limit moves its case up).
    pub fn sort(&mut self, now: NaiveDateTime) {
        self.cases
            .sort_by_cached_key(|c| (c.key(now), c.row.received_at, c.row.id));
    }
}

/// Counts for the home screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaseCounts {
    pub open: usize,
    pub overdue: usize,
    pub at_risk: usize,
    pub visits_due: usize,
}

/// One case with its whole history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseDetail {
    pub case: BoardCase,
    /// the calendar the clocks' working days are counted on
    pub calendar: WorkCalendar,
    pub steps: Vec<StepRow>,
    pub visits: Vec<VisitRow>,
}

/// When the current round's steps happened.
pub(crate) fn round_steps(row: &CaseRow, steps: &[StepRow]) -> (NaiveDateTime, Steps) {
    let mine: Vec<&StepRow> = steps.iter().filter(|s| s.round == row.round).collect();
    let first = |k: StepKind| mine.iter().find(|s| s.step == k).map(|s| s.at);
    let start = first(StepKind::Reopened).unwrap_or(row.received_at);
    (
        start,
        Steps {
            contacted: first(StepKind::Contacted),
            arrived: first(StepKind::Arrived),
            restored: first(StepKind::Restored),
            replied: first(StepKind::Replied),
            finished: first(StepKind::Result),
            first_received: Some(row.received_at),
        },
    )
}

impl Service {
    fn board_case(
        &self,
        row: CaseRow,
        steps: &[StepRow],
        visits: &[VisitRow],
        ctx: &BoardContext,
    ) -> BoardCase {
        let area_type = row
            .area_id
            .and_then(|a| ctx.types.get(&a).copied())
            .unwrap_or(AreaType::Rural);
        let (start, s) = round_steps(&row, steps);
        let clocks = case::clocks(
            row.kind,
            row.channel,
            area_type,
            start,
            &s,
            &ctx.limits,
            &ctx.cal,
        );
        let calls = row
            .customer_id
            .and_then(|c| ctx.by_customer.get(&c).copied())
            .into_iter()
            .chain(
                (!row.caller_phone.is_empty())
                    .then(|| ctx.by_phone.get(&row.caller_phone).copied())
                    .flatten(),
            )
            .max()
            .unwrap_or(0);
        let unsatisfied = visits
            .iter()
            .filter(|v| v.result == VisitResult::Unsatisfied)
            .count();
        let no_answer = visits
            .iter()
            .filter(|v| v.round == row.round && v.result == VisitResult::NoAnswer)
            .count();
        BoardCase {
            repeat: (calls >= ctx.repeat_count).then_some(calls),
            unsatisfied: u32::try_from(unsatisfied).unwrap_or(u32::MAX),
            no_answer: u32::try_from(no_answer).unwrap_or(u32::MAX),
            area_type,
            clocks,
            row,
        }
    }

    fn board_context(&self) -> ServiceResult<BoardContext> {
        let conn = self.store().conn();
        let now = self.now();
        let days = self.int_setting("case.repeat_days")?;
        let (by_customer, by_phone) = store::caller_counts(conn, now - Duration::days(days))?;
        Ok(BoardContext {
            limits: self.case_limits()?,
            cal: self.work_calendar()?,
            types: store::area_types(conn)?,
            by_customer,
            by_phone,
            repeat_count: u32::try_from(self.int_setting("case.repeat_count")?).unwrap_or(2),
        })
    }

    /// Every case not closed, in board order at the present time.
    pub fn case_board(&self) -> ServiceResult<CaseBoard> {
        let conn = self.store().conn();
        let ctx = self.board_context()?;
        let rows = store::open_cases(conn)?;
        let mut steps = store::open_steps(conn)?;
        let mut visits = store::open_visits(conn)?;
        let cases = rows
            .into_iter()
            .map(|r| {
                let s = steps.remove(&r.id).unwrap_or_default();
                let v = visits.remove(&r.id).unwrap_or_default();
                self.board_case(r, &s, &v, &ctx)
            })
            .collect();
        let mut board = CaseBoard {
            cases,
            calendar: ctx.cal,
        };
        board.sort(self.now());
        Ok(board)
    }

    /// Open, overdue and at-risk cases, and visits due, for the home screen.
    pub fn case_counts(&self) -> ServiceResult<CaseCounts> {
        let b = self.case_board()?;
        let now = self.now();
        Ok(CaseCounts {
            open: b.cases.len(),
            overdue: b.cases.iter().filter(|c| c.overdue(now)).count(),
            at_risk: b.cases.iter().filter(|c| c.risk(now).at_risk()).count(),
            visits_due: b
                .cases
                .iter()
                .filter(|c| c.row.state == crate::domain::case_flow::CaseState::Visit)
                .count(),
        })
    }

    /// One case with its clocks, steps and visits.
    pub fn case_detail(&self, id: i64) -> ServiceResult<CaseDetail> {
        let conn = self.store().conn();
        let row = store::by_id(conn, id)?
            .ok_or_else(|| ServiceError::NotFound("该投诉报修工单".into()))?;
        let steps = store::steps(conn, id)?;
        let visits = store::visits(conn, id)?;
        let ctx = self.board_context()?;
        Ok(CaseDetail {
            case: self.board_case(row, &steps, &visits, &ctx),
            calendar: ctx.cal.clone(),
            steps,
            visits,
        })
    }
}

pub(crate) struct BoardContext {
    pub limits: case::CaseLimits,
    pub cal: WorkCalendar,
    pub types: HashMap<i64, AreaType>,
    by_customer: HashMap<i64, u32>,
    by_phone: HashMap<String, u32>,
    repeat_count: u32,
}

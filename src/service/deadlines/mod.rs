//! Deadlines of work orders: promised dates (shown on the order page and printed on the
//! slip), the deadline board and its counts, and customer pauses of the clock. Promised dates
//! are computed from the stages, the calendar, the limits in the settings and the pauses, so
//! a stage finished early or late, a pause, or a new calendar year moves them at once.
//!
//! This file computes one order's deadlines (and caches the rows the board reads);
//! [`board`] ranks every open order and finds the late ones for assessment; [`pauses`]
//! stops and restarts an order's clock for customer time (the only deadline data stored).
mod board;
mod kept;
mod pauses;

pub use kept::KeptRow;

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::assessment::{DeadlineFact, WHOLE_PROCESS};
use crate::domain::calendar::{Pause, WorkCalendar};
use crate::domain::clock;
use crate::domain::customer_file::clean_text;
pub use crate::domain::deadline::PauseCause;
use crate::domain::deadline::{self as dl, DeadlineRules, OrderClock, Plan, Urgency};
use crate::domain::role::Need;
use crate::domain::work_order::{ConnectionClass, OrderState, RequestKind, Stage};
use crate::service::Cx;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::deadlines::{self as store, ClockRow, PauseRow};
use crate::store::orders as order_store;

/// A pause as the order page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PauseView {
    pub id: i64,
    pub cause: PauseCause,
    pub reason: String,
    pub from: NaiveDate,
    /// last paused day; `None` while the pause runs
    pub to: Option<NaiveDate>,
    pub started_by: String,
    pub ended_by: Option<String>,
    /// working days excluded from the clock (so far, for a running pause)
    pub working_days: u32,
}

/// An order's deadlines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderDeadline {
    pub plan: Plan,
    pub pauses: Vec<PauseView>,
    pub paused_now: bool,
    pub urgency: Urgency,
    /// share of the whole-process limit used (working days, customer time excluded)
    pub percent_used: Option<u32>,
    /// `预警 50%` / `预警 75%`
    pub warning: Option<String>,
    /// a year the promised dates fall in whose official calendar is not entered yet
    pub calendar_missing: Option<i32>,
}

/// One line of the deadline board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeadlineRow {
    pub order_id: i64,
    pub tracking_no: String,
    pub kind: RequestKind,
    pub class: Option<ConnectionClass>,
    pub name: String,
    pub area_id: Option<i64>,
    pub area_name: Option<String>,
    /// who holds the task: dispatched-to, else the first responsible
    pub holder_id: i64,
    pub holder_name: String,
    pub stage: Option<Stage>,
    pub due: Option<NaiveDate>,
    pub whole_due: Option<NaiveDate>,
    pub urgency: Urgency,
    /// the early-warning level reached (50 or 75 by default), as a percentage of the limit
    pub warning_percent: Option<u32>,
    pub fast_channel: bool,
}

impl DeadlineRow {
    /// `逾期 3天`, `今日到期`, `剩 2天`, `暂停计时`.
    pub fn mark(&self) -> String {
        self.urgency.mark()
    }
}

/// Filter of the deadline board; `Default` = every open order with a limit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeadlineFilter {
    pub staff_id: Option<i64>,
    pub area_id: Option<i64>,
    pub class: Option<ConnectionClass>,
    /// overdue, due today and at risk only
    pub urgent_only: bool,
}

/// The deadline board: rows most urgent first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeadlineBoard {
    pub rows: Vec<DeadlineRow>,
    pub counts: DeadlineCounts,
    /// years on the board whose official calendar is missing
    pub calendar_missing: Vec<i32>,
}

/// Numbers for the status bar and the home screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeadlineCounts {
    pub overdue: usize,
    pub due_today: usize,
    pub at_risk: usize,
    pub paused: usize,
}

/// `YYYY-MM-DD…` → date, by hand: the board parses tens of thousands of these.
fn date_of(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// The pauses of an order as calendar ranges; a running one ends today.
fn pause_ranges(rows: &[PauseRow], today: NaiveDate) -> Vec<Pause> {
    rows.iter()
        .filter_map(|p| {
            let from = date_of(&p.from_date)?;
            let to = p.to_date.as_deref().and_then(date_of).unwrap_or(today);
            (from <= to).then_some(Pause { from, to })
        })
        .collect()
}

/// Everything computed for one order.
struct Computed {
    plan: Plan,
    pauses: Vec<Pause>,
    paused_now: bool,
    urgency: Urgency,
    percent: Option<u32>,
    warning: Option<String>,
    /// the warning threshold reached (percent)
    warn_level: Option<u32>,
}

fn compute(
    rules: &DeadlineRules,
    cal: &WorkCalendar,
    row: &ClockRow,
    now: NaiveDateTime,
) -> Computed {
    let today = now.date();
    let accepted_at = clock::from_db(&row.created_at).unwrap_or(now);
    let stages: Vec<(Stage, Option<NaiveDate>)> = row
        .stages
        .iter()
        .map(|(s, done)| (*s, done.as_deref().and_then(date_of)))
        .collect();
    let pauses = pause_ranges(&row.pauses, today);
    let paused_now =
        row.state == OrderState::Open && row.pauses.iter().any(|p| p.to_date.is_none());
    let plan = dl::plan(
        rules,
        cal,
        &OrderClock {
            kind: row.kind,
            class: row.class,
            external_works: row.external_works,
            accepted_at,
            stages: &stages,
            pauses: &pauses,
        },
    );
    let urgency = if row.state == OrderState::Open {
        dl::urgency(rules, cal, &plan, &pauses, now, paused_now)
    } else {
        Urgency::None
    };
    let percent = dl::percent_used(cal, &plan, accepted_at.date(), today, &pauses);
    // past or at the promise the mark says more than a warning would
    let warning = if row.state == OrderState::Open && urgency.rank() > 1 {
        dl::warning(rules, percent)
    } else {
        None
    };
    let warn_level = warning.as_ref().and(percent).map(|p| {
        if p >= rules.warn_second_percent {
            rules.warn_second_percent
        } else {
            rules.warn_first_percent
        }
    });
    Computed {
        warn_level,
        plan,
        pauses,
        paused_now,
        urgency,
        percent,
        warning,
    }
}

/// The open orders read for the board, with the database state they were read at:
/// `PRAGMA data_version` (moves when another connection commits) and this connection's
/// change count (moves on our own writes). Reading 5,000 orders with their stages costs
/// more than computing their deadlines, and the board is redrawn on every key.
#[derive(Default)]
pub struct ClockCache(std::cell::RefCell<Option<CachedRows>>);

/// The change key and the look-back date the rows were read at, and the rows.
type CachedRows = ((i64, u64, String), std::sync::Arc<Vec<ClockRow>>);

/// How far back finished orders are read for assessment (about two months).
const LOOKBACK_DAYS: i64 = 62;

fn refused(m: impl Into<String>) -> ServiceError {
    ServiceError::Refused(m.into())
}

impl Service {
    /// Open orders and those finished in the last [`LOOKBACK_DAYS`], with stages and
    /// pauses, from the cache while nothing has changed.
    fn clock_rows(&self) -> ServiceResult<std::sync::Arc<Vec<ClockRow>>> {
        let conn = self.store().conn();
        let since = (self.now().date() - Duration::days(LOOKBACK_DAYS))
            .format("%Y-%m-%d")
            .to_string();
        let (version, changes) = store::change_key(conn)?;
        let key = (version, changes, since);
        if let Some((k, rows)) = self.deadline_cache.0.borrow().as_ref()
            && *k == key
        {
            return Ok(rows.clone());
        }
        let rows = std::sync::Arc::new(store::clock_rows(conn, Some(&key.2), None)?);
        *self.deadline_cache.0.borrow_mut() = Some((key, rows.clone()));
        Ok(rows)
    }

    /// The limits in force, from the settings.
    pub fn deadline_rules(&self) -> ServiceResult<DeadlineRules> {
        let g = |k: &str| -> ServiceResult<u32> {
            Ok(u32::try_from(self.int_setting(k)?.max(0)).unwrap_or(0))
        };
        Ok(DeadlineRules {
            lv_residential: g("deadline.lv_residential_days")?,
            lv_nonresidential: g("deadline.lv_nonresidential_days")?,
            hv_single: g("deadline.hv_single_days")?,
            hv_dual: g("deadline.hv_dual_days")?,
            lv_no_works: g("deadline.lv_no_works_days")?,
            lv_with_works: g("deadline.lv_with_works_days")?,
            survey: g("deadline.survey_days")?,
            hv_plan_single: g("deadline.hv_plan_single_days")?,
            hv_plan_dual: g("deadline.hv_plan_dual_days")?,
            hv_design_review: g("deadline.hv_design_review_days")?,
            hv_mid_check: g("deadline.hv_mid_check_days")?,
            hv_completion: g("deadline.hv_completion_days")?,
            hv_energize: g("deadline.hv_energize_days")?,
            archive: g("deadline.archive_days")?,
            change: g("deadline.change_days")?,
            resume_hours: g("deadline.resume_hours")?,
            meter_test: g("meter_test.result_days")?,
            faulty_meter: g("meter.fault_replace_days")?,
            at_risk_days: g("deadline.at_risk_days")?,
            warn_first_percent: g("deadline.warn_first_percent")?,
            warn_second_percent: g("deadline.warn_second_percent")?,
        })
    }

    /// The promised dates, pauses and standing of one order (any state).
    pub fn order_deadline(&self, order_id: i64) -> ServiceResult<OrderDeadline> {
        let conn = self.store().conn();
        let row = order_store::order_by_id(conn, order_id)?
            .ok_or_else(|| ServiceError::NotFound("该工单".into()))?;
        let stages = order_store::stages(conn, order_id)?
            .into_iter()
            .map(|s| (s.stage, s.done_at))
            .collect();
        let pauses = store::pauses(conn, order_id)?;
        let clock_row = ClockRow {
            id: row.id,
            tracking_no: row.tracking_no.clone(),
            kind: row.kind,
            class: row.class,
            external_works: row.external_works,
            state: row.state,
            created_at: row.created_at.clone(),
            closed_at: row.closed_at.clone(),
            name: String::new(),
            residential: true,
            area_id: row.area_id,
            area_name: None,
            responsible_id: row.responsible_id,
            responsible_name: String::new(),
            dispatched_to: row.dispatched_to,
            dispatched_name: None,
            fast_channel: row.fast_channel,
            stages,
            pauses: pauses.clone(),
        };
        let rules = self.deadline_rules()?;
        let cal = self.work_calendar()?;
        let now = self.now();
        let c = compute(&rules, &cal, &clock_row, now);
        let calendar_missing = c
            .plan
            .stages
            .iter()
            .filter_map(|s| s.due)
            .chain(c.plan.whole_due)
            .map(|d| chrono::Datelike::year(&d))
            .find(|y| !cal.knows_year(*y));
        let views = pauses
            .iter()
            .zip(pause_ranges(&pauses, now.date()))
            .map(|(p, range)| PauseView {
                id: p.id,
                cause: p.cause,
                reason: p.reason.clone(),
                from: range.from,
                to: p.to_date.as_deref().and_then(date_of),
                started_by: p.started_by.clone(),
                ended_by: p.ended_by.clone(),
                working_days: cal.working_days_between(
                    range.from.pred_opt().unwrap_or(range.from),
                    range.to,
                    &[],
                ),
            })
            .collect();
        Ok(OrderDeadline {
            plan: c.plan,
            pauses: views,
            paused_now: c.paused_now,
            urgency: c.urgency,
            percent_used: c.percent,
            warning: c.warning,
            calendar_missing,
        })
    }
}

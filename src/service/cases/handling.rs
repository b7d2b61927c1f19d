//! Handling a case once logged: dispatching it, the steps with their times, and the return
//! visit that closes it, reopens it or waits for the next try. Each change is decided on the
//! case as read, and refused inside its transaction when another window moved the case.
use super::text;
use crate::domain::case;
use crate::domain::case_flow::{
    self as flow, CaseRefusal, CaseState, ClosedHow, Round, StepKind, VisitOutcome, VisitResult,
};
use crate::domain::role::Need;
use crate::domain::validate;
use crate::service::{Service, ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::cases::{self as store, NewStep};

/// What is typed to record a step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepInput {
    pub step: Option<StepKind>,
    /// to the minute; empty: now
    pub at: String,
    pub note: String,
    /// restored: the customers whose supply was cut (empty: none recorded)
    pub outage_customers: String,
    /// restored: since when (empty: when the call came in)
    pub outage_from: String,
}

/// What is typed to record a return visit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VisitInput {
    pub result: Option<VisitResult>,
    /// to the minute; empty: now
    pub at: String,
    pub note: String,
}

/// Refuse a change when the case moved since the change was decided on it (another window
/// recorded a step or a visit meanwhile): inside the change's transaction.
fn still(tx: &rusqlite::Connection, id: i64, seen: store::Version) -> ServiceResult<()> {
    if store::version(tx, id)? != Some(seen) {
        return Err(ServiceError::Refused(
            "该工单刚被别的窗口改动过，请重新打开后再登记".into(),
        ));
    }
    Ok(())
}

fn refusal(e: CaseRefusal) -> ServiceError {
    ServiceError::Refused(e.to_string())
}

impl Service {
    /// The case a change is decided on, with its version (read again inside the change's
    /// transaction by [`still`]).
    fn case_for_change(&self, id: i64) -> ServiceResult<(store::CaseRow, store::Version)> {
        let conn = self.store().conn();
        let missing = || ServiceError::NotFound("该投诉报修工单".into());
        let version = store::version(conn, id)?.ok_or_else(missing)?;
        let row = store::by_id(conn, id)?.ok_or_else(missing)?;
        Ok((row, version))
    }

    /// Dispatch a case to a person (by user name) and/or a crew; recorded as a step.
    pub fn dispatch_case(
        &mut self,
        session: &Session,
        id: i64,
        username: &str,
        crew: &str,
    ) -> ServiceResult<()> {
        let cx = self.begin(session, Need::Write)?;
        let (c, seen) = self.case_for_change(id)?;
        match c.state {
            CaseState::Closed => return Err(refusal(CaseRefusal::Closed)),
            CaseState::Visit => return Err(refusal(CaseRefusal::AwaitingVisit)),
            CaseState::Open => {}
        }
        let crew = text("crew", "班组", crew, 30)?;
        let staff = match username.trim() {
            "" => None,
            u => Some(
                crate::store::staff::by_username(self.store().conn(), u)?
                    .filter(|s| s.active)
                    .ok_or_else(|| {
                        ServiceError::invalid(
                            "staff",
                            format!("没有在用的账号 {}", validate::shown(u)),
                        )
                    })?,
            ),
        };
        if staff.is_none() && crew.is_empty() {
            return Err(ServiceError::invalid("staff", "请填写处理人或班组"));
        }
        let who = match (&staff, crew.as_str()) {
            (Some(s), "") => s.display_name.clone(),
            (Some(s), c) => format!("{} · {c}", s.display_name),
            (None, c) => c.to_string(),
        };
        self.store_mut().write(|tx| -> ServiceResult<()> {
            still(tx, id, seen)?;
            store::set_assignee(tx, id, staff.as_ref().map(|s| s.id), &crew)?;
            store::insert_step(
                tx,
                &NewStep {
                    case_id: id,
                    round: c.round,
                    step: StepKind::Dispatched,
                    at: cx.now,
                    note: &who,
                    staff_id: staff.as_ref().map(|s| s.id),
                    outage: None,
                    recorded_by: cx.staff_id(),
                    recorded_at: cx.now,
                },
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "case.dispatch",
                    entity: "service_case",
                    entity_id: &c.case_no,
                    changes: Changes::new().field(
                        "staff",
                        c.assignee_name.clone().unwrap_or_default(),
                        who.clone(),
                    ),
                },
            )?;
            Ok(())
        })
    }

    /// Record a step of the handling. The result step ends the handling: the case goes to
    /// its return visit, or closes when the sample did not take it.
    pub fn record_case_step(
        &mut self,
        session: &Session,
        id: i64,
        i: &StepInput,
    ) -> ServiceResult<CaseState> {
        let cx = self.begin(session, Need::Write)?;
        let (c, seen) = self.case_for_change(id)?;
        let step = i
            .step
            .ok_or_else(|| ServiceError::invalid("step", "请选择环节"))?;
        let steps = store::steps(self.store().conn(), id)?;
        let this_round: Vec<_> = steps.iter().filter(|s| s.round == c.round).collect();
        let has = |k: StepKind| this_round.iter().find(|s| s.step == k).map(|s| s.at);
        let round = Round {
            arrived: has(StepKind::Arrived).is_some(),
            restored: has(StepKind::Restored).is_some(),
            replied: has(StepKind::Replied).is_some(),
            supply_cut: c.supply_cut,
        };
        flow::check_step(c.kind, c.state, &round, step).map_err(|e| match e {
            CaseRefusal::Closed | CaseRefusal::AwaitingVisit => refusal(e),
            e => ServiceError::invalid("step", e.to_string()),
        })?;
        let at = self.moment_or_now("at", &i.at, cx.now)?;
        // the round starts when received, or when reopened
        let start = this_round
            .iter()
            .find(|s| s.step == StepKind::Reopened)
            .map_or(c.received_at, |s| s.at);
        if at < start {
            return Err(ServiceError::invalid(
                "at",
                format!(
                    "时间不能早于{}（{}）",
                    if c.round == 0 {
                        "受理时间"
                    } else {
                        "重新处理时间"
                    },
                    start.format("%Y-%m-%d %H:%M")
                ),
            ));
        }
        case::check_times(
            start,
            if step == StepKind::Arrived {
                Some(at)
            } else {
                has(StepKind::Arrived)
            },
            if step == StepKind::Restored {
                Some(at)
            } else {
                None
            },
        )
        .map_err(|(_, m)| ServiceError::invalid("at", m))?;
        if step == StepKind::Result
            && let Some(last) = this_round.iter().map(|s| s.at).max()
            && at < last
        {
            return Err(ServiceError::invalid(
                "at",
                format!(
                    "处理结果的时间不能早于已登记的环节（{}）",
                    last.format("%Y-%m-%d %H:%M")
                ),
            ));
        }
        let note = text("note", "说明", &i.note, 300)?;
        if matches!(step, StepKind::Replied | StepKind::Result | StepKind::Cause) && note.is_empty()
        {
            return Err(ServiceError::invalid(
                "note",
                format!("请写明{}", step.label()),
            ));
        }
        let outage = if step == StepKind::Restored && c.supply_cut {
            if i.outage_customers.trim().is_empty() {
                return Err(ServiceError::invalid(
                    "outage_customers",
                    "客户停电的报修：请填写停电影响的户数",
                ));
            }
            let n = validate::whole_number(&i.outage_customers, 0, 100_000)
                .map_err(|e| ServiceError::invalid("outage_customers", e))?;
            // since the round began (the call, or the reopening): never a cut already counted
            let from = match i.outage_from.trim() {
                "" => start,
                t => validate::moment(t, at.date())
                    .map_err(|e| ServiceError::invalid("outage_from", e))?,
            };
            if from > at {
                return Err(ServiceError::invalid(
                    "outage_from",
                    "停电开始时间不能晚于恢复供电时间",
                ));
            }
            Some((n, from))
        } else {
            None
        };
        let next = match step {
            StepKind::Result if c.visit_needed => CaseState::Visit,
            StepKind::Result => CaseState::Closed,
            _ => c.state,
        };
        self.store_mut().write(|tx| -> ServiceResult<()> {
            still(tx, id, seen)?;
            store::insert_step(
                tx,
                &NewStep {
                    case_id: id,
                    round: c.round,
                    step,
                    at,
                    note: &note,
                    staff_id: None,
                    outage,
                    recorded_by: cx.staff_id(),
                    recorded_at: cx.now,
                },
            )?;
            let mut ch = Changes::new()
                .note("step", step.label())
                .note("at", crate::domain::clock::to_db(at));
            if !note.is_empty() {
                ch = ch.note("reason", note.clone());
            }
            if let Some((n, from)) = outage {
                ch = ch
                    .note("outage_customers", n)
                    .note("outage_from", crate::domain::clock::to_db(from));
            }
            if next != c.state {
                ch = ch.field("state", c.state.label(), next.label());
                let closed = (next == CaseState::Closed).then_some((cx.now, ClosedHow::NotSampled));
                store::set_state(tx, id, next, c.round, closed)?;
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "case.step",
                    entity: "service_case",
                    entity_id: &c.case_no,
                    changes: ch,
                },
            )?;
            Ok(())
        })?;
        Ok(next)
    }

    /// Record a return visit: satisfied closes the case, unsatisfied reopens it (the next
    /// round; its history kept), no answer waits for the next try or, after the last, closes
    /// it as a failed visit.
    pub fn record_case_visit(
        &mut self,
        session: &Session,
        id: i64,
        i: &VisitInput,
    ) -> ServiceResult<VisitOutcome> {
        let cx = self.begin(session, Need::Write)?;
        let (c, seen) = self.case_for_change(id)?;
        let result = i
            .result
            .ok_or_else(|| ServiceError::invalid("result", "请选择回访结果"))?;
        let at = self.moment_or_now("at", &i.at, cx.now)?;
        let result_at = store::steps(self.store().conn(), id)?
            .into_iter()
            .filter(|s| s.round == c.round && s.step == StepKind::Result)
            .map(|s| s.at)
            .max();
        if let Some(r) = result_at
            && at < r
        {
            return Err(ServiceError::invalid(
                "at",
                format!("回访时间不能早于处理结果（{}）", r.format("%Y-%m-%d %H:%M")),
            ));
        }
        let visits = store::visits(self.store().conn(), id)?;
        let tries: Vec<_> = visits
            .iter()
            .filter(|v| v.round == c.round && v.result == VisitResult::NoAnswer)
            .collect();
        let max_tries = u32::try_from(self.int_setting("visit.max_tries")?).unwrap_or(3);
        let retry_hours = self.int_setting("visit.retry_hours")?;
        let outcome = flow::visit_outcome(
            c.state,
            result,
            u32::try_from(tries.len()).unwrap_or(u32::MAX),
            tries.last().map(|v| v.at),
            at,
            max_tries,
            retry_hours,
        )
        .map_err(|e| match e {
            CaseRefusal::TooSoon(..) => ServiceError::invalid("at", e.to_string()),
            e => refusal(e),
        })?;
        let note = text("note", "回访记录", &i.note, 300)?;
        if result == VisitResult::Unsatisfied && note.is_empty() {
            return Err(ServiceError::invalid("note", "请记下客户不满意的原因"));
        }
        self.store_mut().write(|tx| -> ServiceResult<()> {
            still(tx, id, seen)?;
            store::insert_visit(tx, id, c.round, result, &note, at, cx.staff_id(), cx.now)?;
            let mut ch = Changes::new()
                .note("result", result.label())
                .note("at", crate::domain::clock::to_db(at));
            if !note.is_empty() {
                ch = ch.note("reason", note.clone());
            }
            match outcome {
                VisitOutcome::Close => {
                    store::set_state(
                        tx,
                        id,
                        CaseState::Closed,
                        c.round,
                        Some((cx.now, ClosedHow::Visited)),
                    )?;
                    ch = ch.field("state", c.state.label(), CaseState::Closed.label());
                }
                VisitOutcome::CloseFailed => {
                    store::set_state(
                        tx,
                        id,
                        CaseState::Closed,
                        c.round,
                        Some((cx.now, ClosedHow::VisitFailed)),
                    )?;
                    ch = ch.field("state", c.state.label(), ClosedHow::VisitFailed.label());
                }
                VisitOutcome::Reopen => {
                    let round = c.round + 1;
                    store::set_state(tx, id, CaseState::Open, round, None)?;
                    store::insert_step(
                        tx,
                        &NewStep {
                            case_id: id,
                            round,
                            step: StepKind::Reopened,
                            at,
                            note: &note,
                            staff_id: None,
                            outage: None,
                            recorded_by: cx.staff_id(),
                            recorded_at: cx.now,
                        },
                    )?;
                    ch = ch
                        .field("state", c.state.label(), "重新处理")
                        .note("round", round + 1);
                }
                VisitOutcome::TryAgain { next } => {
                    ch = ch.note("next_try", crate::domain::clock::to_db(next));
                }
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "case.visit",
                    entity: "service_case",
                    entity_id: &c.case_no,
                    changes: ch,
                },
            )?;
            Ok(())
        })?;
        Ok(outcome)
    }
}

//! Assessment entries for the demo station: last month's decided, this month's in every
//! state (confirmed, waived with reasons, pending, amount not set), through the same service
//! calls the chief uses, on a clock set to the day of each step. Call it after the demo
//! orders exist.
//!
//! The facts are the deadline module's own (`Service::late_stages`), taken as they stood
//! on the day the demo's clock is set to.
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use crate::domain::assessment::{DeadlineFact, EntryState, Month};
use crate::domain::clock::FixedClock;
use crate::domain::customer::{CustomerKind, UsageCategory};
use crate::domain::customer_file::CustomerDraft;
use crate::domain::role::Role;
use crate::service::assessment::{AssessmentEntry, EntryFilter, RuleInput};
use crate::service::auth::session_of;
use crate::service::customers::open_file_in;
use crate::service::{Service, ServiceResult, Session};
use crate::store::Store;

/// What the demo recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoAssessment {
    pub entries: usize,
    pub pending: usize,
    pub confirmed: usize,
    pub waived: usize,
    pub amount_unset: usize,
}

/// Reasons the demo chief gives for waivers.
const WAIVERS: [&str; 3] = [
    "暴雨冲毁线路，不可抗力",
    "客户要求延期装表，有书面申请",
    "上级电网停电检修，非本所原因",
];

/// The deadline module's facts as they stood at the end of `day`: stages late by then (the
/// promised day over before `day` ended, so the entry comes after the fact it records) and
/// not finished later (the demo's clock is set back to that day).
pub fn facts_as_of(svc: &Service, day: NaiveDate) -> ServiceResult<Vec<DeadlineFact>> {
    Ok(svc
        .late_stages()?
        .into_iter()
        .filter(|f| f.due < day && f.done.is_none_or(|d| d <= day))
        .collect())
}

fn at(day: NaiveDate, h: u32) -> NaiveDateTime {
    day.and_hms_opt(h, 0, 0).unwrap_or_else(|| day.into())
}

/// Record the demo's entries and decisions in the database in `dir` as of `now`.
pub fn seed(store: Store, dir: &Path, now: NaiveDateTime) -> ServiceResult<DemoAssessment> {
    let clock = FixedClock::new(now);
    let mut svc = Service::new(store, dir.to_path_buf(), Arc::new(clock.clone()));
    let staff = svc.list_staff()?;
    let Some(chief) = staff
        .iter()
        .find(|s| s.active && s.role == Role::Chief)
        .map(session_of)
    else {
        return Ok(DemoAssessment::default());
    };
    let clerks: Vec<Session> = staff
        .iter()
        .filter(|s| s.active && s.role == Role::Clerk)
        .map(session_of)
        .collect();
    let today = now.date();
    let month_start = today.with_day(1).unwrap_or(today);
    let last_month_end = month_start - Duration::days(1);

    // last month: what was overdue by its last day
    clock.set(at(last_month_end, 17));
    let facts = facts_as_of(&svc, last_month_end)?;
    svc.run_assessment_check(&facts)?;
    let last_month = Month::of(last_month_end);
    // the rule's amounts were blank, as in the work plan: the chief confirmed two entries
    // before filling them in, and those keep 金额未设
    for e in pending(&svc, last_month)?.iter().take(2) {
        svc.confirm_assessment_entry(&chief, e.id)?;
    }

    // at the start of this month the chief fills in the rates of 业扩报装超时限 (the
    // pending entries take them) and decides the rest of last month
    clock.set(at(month_start, 9));
    if let Some(rule) = svc
        .assessment_rules()?
        .into_iter()
        .find(|r| r.code == "order_overdue")
    {
        let input = RuleInput {
            amount_residential: "50".into(),
            amount_other: "100".into(),
            ..RuleInput::of(&rule)
        };
        svc.update_assessment_rule(&chief, rule.id, &input)?;
    }
    for (i, e) in pending(&svc, last_month)?.iter().enumerate() {
        if i % 4 == 3 {
            svc.waive_assessment_entry(&chief, e.id, WAIVERS[i % WAIVERS.len()])?;
        } else {
            svc.confirm_assessment_entry(&chief, e.id)?;
        }
    }

    // two files opened incomplete by clerks a week ago and never completed: the file rule
    // has no amount yet, so they show 待确认 金额未设
    let opened = at(today - Duration::days(7), 10) + Duration::minutes(25);
    clock.set(opened);
    let pattern = svc.setting("customer.account_pattern")?.value;
    for (clerk, name) in clerks.iter().zip(["周丽", "吴强"]) {
        let draft = CustomerDraft {
            name: name.into(),
            kind: Some(CustomerKind::Person),
            usage: Some(UsageCategory::Residential),
            address: "柳林镇东村".into(),
            ..Default::default()
        };
        let Ok(c) = draft.check() else { continue };
        let actor = clerk.actor();
        svc.store_mut()
            .write(|tx| -> ServiceResult<(i64, String)> {
                open_file_in(tx, &c, "", &pattern, opened, &actor)
            })?;
    }

    // this month, checked at the end of yesterday (nothing is recorded today before anyone
    // has signed in): about a third confirmed, one in five waived, the rest (and the files
    // without an amount) left for the chief
    let yesterday = today - Duration::days(1);
    if yesterday < month_start {
        clock.set(now);
        return summary(&svc);
    }
    clock.set(at(yesterday, 17) + Duration::minutes(40));
    let facts = facts_as_of(&svc, yesterday)?;
    svc.run_assessment_check(&facts)?;
    for (i, e) in pending(&svc, Month::of(today))?.iter().enumerate() {
        if e.amount_unset {
            continue;
        }
        if i % 5 == 4 {
            svc.waive_assessment_entry(&chief, e.id, WAIVERS[i % WAIVERS.len()])?;
        } else if i % 3 == 0 {
            svc.confirm_assessment_entry(&chief, e.id)?;
        }
    }

    clock.set(now);
    summary(&svc)
}

fn summary(svc: &Service) -> ServiceResult<DemoAssessment> {
    let all = svc.assessment_entries(&EntryFilter::default())?;
    let count = |s: EntryState| all.iter().filter(|e| e.state == s).count();
    Ok(DemoAssessment {
        entries: all.len(),
        pending: count(EntryState::Pending),
        confirmed: count(EntryState::Confirmed),
        waived: count(EntryState::Waived),
        amount_unset: all.iter().filter(|e| e.amount_unset).count(),
    })
}

fn pending(svc: &Service, month: Month) -> ServiceResult<Vec<AssessmentEntry>> {
    svc.assessment_entries(&EntryFilter {
        month: Some(month),
        state: Some(EntryState::Pending),
        ..Default::default()
    })
}

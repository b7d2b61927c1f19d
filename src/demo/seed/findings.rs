//! The demo's rectification findings (issue 16): one in every state — accepted, waiting for
//! the auditor, sent back, open and overdue, open within its deadline — recorded by the
//! auditor and answered by the people responsible through the services, each on its day.
use std::sync::Arc;

use chrono::{Duration, NaiveDateTime};

use crate::domain::clock::FixedClock;
use crate::domain::rectification::FindingCategory;
use crate::domain::role::Role;
use crate::service::auth::session_of;
use crate::service::rectification::FindingInput;
use crate::service::{Service, ServiceResult};
use crate::store::Store;

/// Seed the findings; returns how many were recorded.
pub fn seed(store: Store, dir: &std::path::Path, now: NaiveDateTime) -> ServiceResult<usize> {
    let clock = FixedClock::new(now);
    let mut svc = Service::new(store, dir.to_path_buf(), Arc::new(clock.clone()));
    let staff = svc.list_staff()?;
    let find = |role: Role| staff.iter().find(|s| s.active && s.role == role);
    let (Some(auditor), Some(clerk), Some(manager)) = (
        find(Role::Auditor),
        find(Role::Clerk),
        find(Role::AreaManager),
    ) else {
        return Ok(0);
    };
    let area = svc
        .areas()?
        .into_iter()
        .find(|a| a.manager_id == Some(manager.id))
        .map(|a| a.code)
        .unwrap_or_default();
    let (auditor, clerk, manager) = (session_of(auditor), session_of(clerk), session_of(manager));
    let day = |d: i64, h: u32| (now.date() - Duration::days(d)).and_hms_opt(h, 0, 0);
    let due = |d: i64| (now.date() + Duration::days(d)).to_string();
    let mut n = 0;
    // (days ago recorded, category, what, to the clerk / the 台区, due in days from today,
    //  then: fixed days ago, decision)
    struct Plan {
        ago: i64,
        category: FindingCategory,
        text: &'static str,
        to_area: bool,
        due_in: i64,
        fixed: Option<(i64, &'static str)>,
        decided: Option<(i64, bool, &'static str)>,
    }
    let plans = [
        Plan {
            ago: 26,
            category: FindingCategory::Receipts,
            text: "作废收据未写明具体原因，仅写“作废”",
            to_area: false,
            due_in: -16,
            fixed: Some((20, "已向收费员讲明作废须写原因，并补记说明")),
            decided: Some((19, true, "")),
        },
        Plan {
            ago: 12,
            category: FindingCategory::File,
            text: "新装客户档案缺产权证明，建档已超过期限",
            to_area: false,
            due_in: 3,
            fixed: Some((2, "已电话通知客户，产权证明复印件已收到归档")),
            decided: None,
        },
        Plan {
            ago: 15,
            category: FindingCategory::Reading,
            text: "台区连续两月估抄未说明原因",
            to_area: true,
            due_in: 5,
            fixed: Some((8, "已补写估抄原因")),
            decided: Some((6, false, "原因写得笼统，请写明每户估抄的具体情况")),
        },
        Plan {
            ago: 20,
            category: FindingCategory::Tariff,
            text: "执行电价与用电类别不符的客户未附核定依据",
            to_area: true,
            due_in: -5,
            fixed: None,
            decided: None,
        },
        Plan {
            ago: 3,
            category: FindingCategory::Cash,
            text: "日结短款一元未当日说明原因",
            to_area: false,
            due_in: 7,
            fixed: None,
            decided: None,
        },
    ];
    for p in &plans {
        let Some(at) = day(p.ago, 10) else { continue };
        clock.set(at);
        let (id, _) = svc.record_finding(
            &auditor,
            &FindingInput {
                category: Some(p.category),
                description: p.text.into(),
                staff: if p.to_area {
                    String::new()
                } else {
                    clerk.username.clone()
                },
                area: if p.to_area {
                    area.clone()
                } else {
                    String::new()
                },
                due_on: due(p.due_in),
            },
        )?;
        n += 1;
        let who = if p.to_area { &manager } else { &clerk };
        if let Some((ago, note)) = p.fixed
            && let Some(t) = day(ago, 15)
        {
            clock.set(t);
            svc.record_fix(who, id, note)?;
        }
        if let Some((ago, accept, note)) = p.decided
            && let Some(t) = day(ago, 16)
        {
            clock.set(t);
            svc.decide_fix(&auditor, id, accept, note)?;
        }
    }
    Ok(n)
}

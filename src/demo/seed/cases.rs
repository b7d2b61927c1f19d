//! Complaints and repair calls for the demo station (issue 14): two months of calls of every
//! kind and channel through the service's own calls, on a clock set to each moment — repair
//! calls with arrival and restore times and outage customer-hours, complaints contacted and
//! answered, upstream transfers with their numbers, visits satisfied, unsatisfied (one case
//! reopened and handled again), unanswered; the last days' calls still open, some overdue;
//! a complaint about a late work order; the 台区 given their area types.
use std::sync::Arc;

use chrono::{Duration, NaiveDateTime};

use crate::demo::rng::Rng;
use crate::domain::case::{AreaType, CaseKind, Channel};
use crate::domain::case_flow::{CaseState, StepKind, VisitResult};
use crate::domain::clock::FixedClock;
use crate::domain::role::Role;
use crate::service::auth::session_of;
use crate::service::cases::{CaseInput, StepInput, VisitInput};
use crate::service::{Service, ServiceResult, Session};
use crate::store::Store;

const STREAM: u64 = 0x0063_6173_6573;

/// What the demo recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoCases {
    pub cases: usize,
    pub open: usize,
    pub reopened: usize,
}

const CONTENT: [(CaseKind, &[&str]); 6] = [
    (
        CaseKind::Repair,
        &[
            "家中停电，邻居也没电",
            "表箱冒烟，闻到焦味",
            "电压低，空调启动不了",
            "线路被树枝压断",
            "漏电保护器一直跳闸",
        ],
    ),
    (
        CaseKind::Complaint,
        &[
            "计划停电没有提前通知",
            "抄表员态度不好",
            "电费比上月高出很多，怀疑表不准",
            "新装申请一个多月还没装表",
        ],
    ),
    (CaseKind::Report, &["有人私拉乱接用电", "怀疑邻居绕表用电"]),
    (
        CaseKind::Opinion,
        &["建议营业厅周六上午开门", "建议增加微信缴费"],
    ),
    (
        CaseKind::Question,
        &[
            "咨询峰谷电价怎么申请",
            "咨询过户需要什么资料",
            "咨询阶梯电价怎么算",
        ],
    ),
    (CaseKind::Praise, &["抢修师傅半夜赶来，表示感谢"]),
];

fn content(kind: CaseKind, rng: &mut Rng) -> String {
    let list = CONTENT
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&["来电"][..], |(_, l)| *l);
    rng.pick(list).to_string()
}

fn step(kind: StepKind, at: NaiveDateTime, note: &str) -> StepInput {
    StepInput {
        step: Some(kind),
        at: at.format("%Y-%m-%d %H:%M").to_string(),
        note: note.into(),
        ..Default::default()
    }
}

/// Record `f` at `at` (the clock set there), never after `limit`.
fn at_moment<T>(
    clock: &FixedClock,
    at: NaiveDateTime,
    limit: NaiveDateTime,
    f: impl FnOnce() -> ServiceResult<T>,
) -> Option<T> {
    if at > limit {
        return None;
    }
    clock.set(at);
    f().ok()
}

/// Seed about `per_day` calls a day over the last `days` days before `now`.
pub fn seed(
    store: Store,
    dir: &std::path::Path,
    now: NaiveDateTime,
    days: i64,
    per_day: u64,
) -> ServiceResult<DemoCases> {
    let clock = FixedClock::new(now);
    store.tune_for_demo_load()?;
    let mut svc = Service::new(store, dir.to_path_buf(), Arc::new(clock.clone()));
    let staff = svc.list_staff()?;
    let clerks: Vec<Session> = staff
        .iter()
        .filter(|s| s.active && matches!(s.role, Role::Clerk | Role::Chief))
        .map(session_of)
        .collect();
    let Some(chief) = staff
        .iter()
        .find(|s| s.active && s.role == Role::Chief)
        .map(session_of)
    else {
        return Ok(DemoCases::default());
    };
    let managers: Vec<String> = staff
        .iter()
        .filter(|s| s.active && s.role == Role::AreaManager)
        .map(|s| s.username.clone())
        .collect();
    if clerks.is_empty() {
        return Ok(DemoCases::default());
    }
    // area types: the town's streets urban, the hill villages remote, the rest rural
    clock.set(now - Duration::days(days + 1));
    for a in svc.areas()? {
        let t = if a.name.contains('街') || a.name.contains('镇') {
            AreaType::Urban
        } else if a.name.contains('山') || a.name.contains('岭') || a.name.contains('沟') {
            AreaType::Remote
        } else {
            AreaType::Rural
        };
        svc.set_area_type(&chief, a.id, t)?;
    }
    let customers = crate::store::customers::sample_ids(svc.store().conn(), 400)?;
    if customers.is_empty() {
        return Ok(DemoCases::default());
    }
    let mut out = DemoCases::default();
    let mut reopened_one = false;
    let kinds = [
        (CaseKind::Repair, 40),
        (CaseKind::Question, 20),
        (CaseKind::Complaint, 16),
        (CaseKind::Opinion, 8),
        (CaseKind::Report, 6),
        (CaseKind::Praise, 5),
    ];
    let mut n = 0u64;
    // nothing of today: the build day's morning is the README's
    let cutoff = now.date().and_hms_opt(0, 0, 0).unwrap_or(now) - Duration::minutes(1);
    // up to yesterday: the build day's morning is the README's own (one receipt, nothing else)
    for day in (1..=days).rev() {
        let date = (now - Duration::days(day)).date();
        for k in 0..per_day {
            n += 1;
            let mut rng = Rng::for_item(STREAM, 1, n);
            let kind = rng.weighted(&kinds);
            // repair calls come at any hour, the rest in office hours
            let hour = if kind == CaseKind::Repair {
                rng.range(0, 23) as u32
            } else {
                8 + (k % 9) as u32
            };
            let Some(received) = date.and_hms_opt(hour, rng.range(0, 59) as u32, 0) else {
                continue;
            };
            if received > cutoff {
                continue;
            }
            let channel = if rng.chance(120) {
                rng.pick(&[
                    Channel::Hotline95598,
                    Channel::Hotline12345,
                    Channel::Hotline12398,
                ])
            } else if kind == CaseKind::Repair || rng.chance(500) {
                Channel::Phone
            } else {
                Channel::Counter
            };
            let customer = customers[rng.below(customers.len() as u64) as usize];
            let input = CaseInput {
                kind: Some(kind),
                channel: Some(channel),
                upstream_no: if channel.is_transfer() {
                    format!("{}{}{:04}", channel.code(), date.format("%m%d"), n % 10_000)
                } else {
                    String::new()
                },
                customer_id: Some(customer),
                content: content(kind, &mut rng),
                urgent: kind == CaseKind::Repair && rng.chance(150),
                supply_cut: kind == CaseKind::Repair && rng.chance(700),
                ..Default::default()
            };
            let clerk = &clerks[(n as usize) % clerks.len()];
            let Some(saved) = at_moment(&clock, received, cutoff, || svc.log_case(clerk, &input))
            else {
                continue;
            };
            out.cases += 1;
            let id = saved.id;
            // yesterday's calls, and a few older ones, are still in hand (some overdue)
            let left_open = day == 1 || rng.chance(30);
            if !managers.is_empty() {
                let who = &managers[(n as usize) % managers.len()];
                at_moment(&clock, received + Duration::minutes(5), cutoff, || {
                    svc.dispatch_case(
                        clerk,
                        id,
                        who,
                        if kind == CaseKind::Repair {
                            "抢修班"
                        } else {
                            ""
                        },
                    )
                });
            }
            if left_open && rng.chance(400) {
                continue;
            }
            let mut t = received + Duration::minutes(10);
            match kind {
                CaseKind::Repair => {
                    // mostly within the limit, now and then late
                    let mins = if rng.chance(120) {
                        rng.range(100, 180)
                    } else {
                        rng.range(25, 85)
                    };
                    t = received + Duration::minutes(mins as i64);
                    if at_moment(&clock, t, cutoff, || {
                        svc.record_case_step(clerk, id, &step(StepKind::Arrived, t, ""))
                    })
                    .is_none()
                    {
                        continue;
                    }
                    if left_open {
                        continue;
                    }
                    t += Duration::minutes(rng.range(30, 300) as i64);
                    let mut s = step(StepKind::Restored, t, "");
                    if input.supply_cut {
                        s.outage_customers = rng.range(1, 60).to_string();
                    }
                    if at_moment(&clock, t, cutoff, || svc.record_case_step(clerk, id, &s))
                        .is_none()
                    {
                        continue;
                    }
                    let cause = rng.pick(&["熔断器熔断", "接户线老化断线", "表前开关损坏", "树障"]);
                    at_moment(&clock, t, cutoff, || {
                        svc.record_case_step(clerk, id, &step(StepKind::Cause, t, cause))
                    });
                }
                CaseKind::Complaint | CaseKind::Report => {
                    t = received + Duration::hours(rng.range(1, 20) as i64);
                    at_moment(&clock, t, cutoff, || {
                        svc.record_case_step(clerk, id, &step(StepKind::Contacted, t, ""))
                    });
                    if left_open {
                        continue;
                    }
                    t += Duration::days(rng.range(1, 4) as i64);
                    if at_moment(&clock, t, cutoff, || {
                        svc.record_case_step(
                            clerk,
                            id,
                            &step(StepKind::Replied, t, "已核实并向客户说明"),
                        )
                    })
                    .is_none()
                    {
                        continue;
                    }
                }
                _ if left_open => continue,
                _ => {}
            }
            t += Duration::minutes(30);
            if at_moment(&clock, t, cutoff, || {
                svc.record_case_step(clerk, id, &step(StepKind::Result, t, "已处理完毕"))
            }) != Some(CaseState::Visit)
            {
                continue;
            }
            // the visit the next day in office hours: mostly satisfied; one unsatisfied and
            // handled again
            t = (t + Duration::days(1))
                .date()
                .and_hms_opt(9 + rng.range(0, 7) as u32, rng.range(0, 59) as u32, 0)
                .unwrap_or(t + Duration::days(1));
            let result = if !reopened_one && kind == CaseKind::Complaint {
                VisitResult::Unsatisfied
            } else if rng.chance(80) {
                VisitResult::NoAnswer
            } else if rng.chance(250) {
                VisitResult::Basic
            } else {
                VisitResult::Satisfied
            };
            let note = if result == VisitResult::Unsatisfied {
                "客户认为解释不清，要求上门说明"
            } else {
                ""
            };
            let v = VisitInput {
                result: Some(result),
                at: t.format("%Y-%m-%d %H:%M").to_string(),
                note: note.into(),
            };
            if at_moment(&clock, t, cutoff, || svc.record_case_visit(clerk, id, &v)).is_none() {
                continue;
            }
            if result == VisitResult::NoAnswer {
                // the next day's try reaches the customer
                t += Duration::days(1);
                let v = VisitInput {
                    result: Some(VisitResult::Satisfied),
                    at: t.format("%Y-%m-%d %H:%M").to_string(),
                    note: String::new(),
                };
                at_moment(&clock, t, cutoff, || svc.record_case_visit(clerk, id, &v));
            }
            if result == VisitResult::Unsatisfied {
                reopened_one = true;
                out.reopened += 1;
                t += Duration::hours(3);
                at_moment(&clock, t, cutoff, || {
                    svc.record_case_step(clerk, id, &step(StepKind::Replied, t, "上门当面说明"))
                });
                t += Duration::minutes(30);
                at_moment(&clock, t, cutoff, || {
                    svc.record_case_step(clerk, id, &step(StepKind::Result, t, "已上门说明"))
                });
                t += Duration::days(1);
                let v = VisitInput {
                    result: Some(VisitResult::Satisfied),
                    at: t.format("%Y-%m-%d %H:%M").to_string(),
                    note: String::new(),
                };
                at_moment(&clock, t, cutoff, || svc.record_case_visit(clerk, id, &v));
            }
        }
    }
    // a complaint about a late work order, if the demo has one, yesterday afternoon
    let yesterday = (now - Duration::days(1))
        .date()
        .and_hms_opt(16, 10, 0)
        .unwrap_or(now);
    clock.set(yesterday.min(now));
    if let Some(order) = svc.late_stages()?.into_iter().find(|f| f.overdue_days > 0) {
        let input = CaseInput {
            kind: Some(CaseKind::Complaint),
            channel: Some(Channel::Counter),
            caller_name: "演示来电人".into(),
            content: format!("工单 {} 办理超期，要求尽快办理", order.tracking_no),
            order_no: order.tracking_no,
            ..Default::default()
        };
        if svc.log_case(&clerks[0], &input).is_ok() {
            out.cases += 1;
        }
    }
    // the complaint's assessment entry, made during the build like the others
    clock.set(now);
    svc.check_assessment()?;
    out.open = svc.case_board()?.cases.len();
    Ok(out)
}

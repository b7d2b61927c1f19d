//! Work orders for the demo station: every request kind, open and finished, some with
//! documents missing, some stale (no contact for weeks), some cancelled, so every screen
//! of the counter has something real to show. Orders go through the same service calls
//! as at the counter, on a clock set back to the day each order was taken.
use std::sync::Arc;

use chrono::{Duration, NaiveDateTime};
use rust_decimal::Decimal;

use crate::domain::clock::{Clock, FixedClock};
use crate::domain::role::Role;
use crate::domain::work_order::{
    ConnectionClass, ContactChannel, Document, OrderState, RequestKind,
};
use crate::service::auth::session_of;
use crate::service::deadlines::PauseCause;
use crate::service::orders::{AcceptRequest, Applicant};
use crate::service::{Service, ServiceResult, Session};
use crate::store::Store;

/// Applicants for new connections (not yet customers).
const APPLICANTS: [(&str, &str, &str); 6] = [
    ("刘洋", "13605381234", "柳林镇王庄村9组1号"),
    ("陈静", "13805382345", "柳林镇河西村2组88号"),
    ("柳林镇卫生院", "05388123001", "柳林镇镇政府路12号"),
    ("赵磊", "15905383456", "柳林镇南街村5组7号"),
    ("孙红梅", "", "柳林镇北街村3组20号"),
    ("柳林镇第二中学", "05388123002", "柳林镇育才路1号"),
];

/// First 17 digits of demo ID numbers for applicants (county 371525); empty = none shown.
const APPLICANT_IDS: [&str; 6] = [
    "37152519880315001",
    "37152519910722002",
    "",
    "37152519751208003",
    "37152519690211004",
    "",
];

fn applicant_id(first17: &str) -> String {
    match crate::domain::idcheck::id_card_check_char(first17) {
        Some(c) if !first17.is_empty() => format!("{first17}{c}"),
        _ => String::new(),
    }
}

/// Add about `per_day` orders a day over the last `days` days before `now`.
pub fn seed(
    store: Store,
    dir: &std::path::Path,
    now: NaiveDateTime,
    days: i64,
    per_day: usize,
) -> ServiceResult<usize> {
    let clock = FixedClock::new(now);
    // demo data only: no sync to disk at every commit (a crash loses only the demo)
    store.tune_for_demo_load()?;
    let mut svc = Service::new(store, dir.to_path_buf(), Arc::new(clock.clone()));
    let staff = svc.list_staff()?;
    let clerks: Vec<Session> = staff
        .iter()
        .filter(|s| s.active && matches!(s.role, Role::Clerk | Role::Chief))
        .map(session_of)
        .collect();
    let managers: Vec<i64> = staff
        .iter()
        .filter(|s| s.active && s.role == Role::AreaManager)
        .map(|s| s.id)
        .collect();
    let Some(first) = clerks.first() else {
        return Ok(0);
    };
    // customers spread over the whole file, so the board looks like the village (not like
    // the most common surname)
    let customers = crate::store::customers::sample_ids(svc.store().conn(), 200)?;
    let mut made = 0usize;
    let mut n = 0usize;
    for day in (0..days).rev() {
        let date = (now - Duration::days(day)).date();
        for k in 0..per_day {
            n += 1;
            let Some(at) = date.and_hms_opt(8 + (k % 9) as u32, (n * 7 % 60) as u32, 0) else {
                continue;
            };
            if at > now {
                continue;
            }
            clock.set(at);
            let clerk = &clerks[n % clerks.len()];
            let kind = RequestKind::ALL[n % RequestKind::ALL.len()];
            let mut req = AcceptRequest::new(kind);
            req.description = format!("{}（演示）", kind.label());
            // 一证受理: the ID proof is always seen; sometimes more was brought along
            req.received = if n.is_multiple_of(3) {
                vec![Document::IdProof, Document::PropertyProof]
            } else {
                vec![Document::IdProof]
            };
            if kind.allows_applicant() && (kind != RequestKind::Inquiry || n.is_multiple_of(2)) {
                // persons only: the demo has ID numbers for them
                let i = [0usize, 1, 3, 4][n % 4];
                let (name, phone, address) = APPLICANTS[i];
                req.applicant = Some(Applicant {
                    name: name.into(),
                    id_number: applicant_id(APPLICANT_IDS[i]),
                    phone: phone.into(),
                    address: address.into(),
                });
                req.area_code = format!("TQ00{}", 1 + n % 8);
            } else if let Some(c) = customers.get(n % customers.len().max(1)) {
                req.customer_id = Some(*c);
            } else {
                continue;
            }
            if kind == RequestKind::NewConnection {
                req.class = Some(ConnectionClass::ALL[n % 4]);
                req.external_works = n.is_multiple_of(5) && kind.allows_external_works(req.class);
            }
            if kind == RequestKind::Inquiry {
                req.answer = "已告知办理所需资料和时限".into();
            }
            let Ok(a) = svc.accept_request(clerk, &req) else {
                continue;
            };
            made += 1;
            if a.state != OrderState::Open {
                continue;
            }
            // older orders are further along; a few are stale, a few cancelled
            let age = day;
            if let Some(m) = managers.get(n % managers.len().max(1)) {
                let _ = svc.dispatch_order(first, a.id, *m);
            }
            if age >= 20 && n.is_multiple_of(4) {
                continue; // no contact for weeks: stale
            }
            clock.set(at + Duration::hours(2));
            if n.is_multiple_of(2) {
                let _ = svc.record_contact(
                    clerk,
                    a.id,
                    ContactChannel::Phone,
                    "已电话联系，约定勘查时间",
                );
            }
            if n.is_multiple_of(11) {
                let _ = svc.cancel_order(clerk, a.id, "客户暂不需要（演示）");
                continue;
            }
            let steps = (age / 3) as usize;
            // most customers bring the missing papers within a few days; some never do
            if steps >= 2 && !n.is_multiple_of(5) {
                for doc in Document::ALL {
                    let _ = svc.supply_document(clerk, a.id, doc);
                }
            }
            for (i, stage) in a.stages.iter().enumerate().skip(1).take(steps) {
                clock.set(at + Duration::days(i as i64) + Duration::hours(1));
                if clock.now() > now {
                    break;
                }
                if i == 1 && n.is_multiple_of(3) {
                    let _ = svc.add_fee(clerk, a.id, "工程费", Decimal::new(12050, 2));
                }
                if svc
                    .complete_stage(clerk, a.id, *stage, "按时完成（演示）")
                    .is_err()
                {
                    break;
                }
                if i == 1 {
                    // fees are collected once the survey is done
                    if let Ok(o) = svc.order(a.id) {
                        for f in o.fees.iter().filter(|f| !f.collected) {
                            // collected with a receipt, printed at once
                            if let Ok(done) = svc.collect_fee(clerk, f.id) {
                                let _ = svc.record_receipt_print(clerk, done.receipt_id);
                            }
                        }
                    }
                }
            }
            // customer time: papers not brought, or the customer asks to wait; some pauses
            // are over, some still running
            if n.is_multiple_of(7) && age >= 3 {
                let from = at.date() + Duration::days(1);
                clock.set(from.and_hms_opt(10, 0, 0).unwrap_or(at));
                let (cause, why) = if n.is_multiple_of(2) {
                    (PauseCause::Documents, "产权证明未带，客户答应补交（演示）")
                } else {
                    (PauseCause::CustomerWait, "客户外出务工，要求暂缓（演示）")
                };
                if svc.pause_order(clerk, a.id, cause, why, from).is_ok() && n.is_multiple_of(3) {
                    let resume = from + Duration::days(age.min(6) / 2 + 1);
                    if resume <= now.date() {
                        clock.set(resume.and_hms_opt(9, 30, 0).unwrap_or(at));
                        let _ = svc.resume_order(clerk, a.id, resume);
                    }
                }
            }
            // the responsible person keeps in touch, except on a few forgotten orders
            if age > 7 && !n.is_multiple_of(6) {
                clock.set(now - Duration::days(age.min(8) / 2) - Duration::hours(3));
                let _ = svc.record_contact(
                    clerk,
                    a.id,
                    ContactChannel::Phone,
                    "回访进度，客户无异议（演示）",
                );
            }
        }
    }
    Ok(made)
}

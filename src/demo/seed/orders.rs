//! Work orders for the demo station: every request kind, open and finished, some with
//! documents missing, some stale (no contact for weeks), some cancelled, so every screen
//! of the counter has something real to show. Orders go through the same service calls
//! as at the counter, on a clock set back to the day each order was taken.
use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveDateTime};
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

/// Organisations that apply without a customer file (no ID number on the demo's form).
const ORG_APPLICANTS: [(&str, &str); 3] = [
    ("柳林镇卫生院", "柳林镇镇政府路12号"),
    ("柳林镇第二中学", "柳林镇育才路1号"),
    ("柳林镇敬老院", "柳林镇东环路3号"),
];

/// The `n`-th applicant with no customer file: a different person each time (name from
/// the demo's surname frequencies, a valid ID number of the county, a mobile or a county
/// landline, a house in one of the villages); now and then an organisation.
fn applicant(n: usize) -> Applicant {
    use crate::demo::{ids, names, places, rng::Rng};
    let mut rng = Rng::for_item(0xA991_1CA7, 1, n as u64);
    if n.is_multiple_of(9) {
        let (name, address) = ORG_APPLICANTS[(n / 9) % ORG_APPLICANTS.len()];
        return Applicant {
            name: name.into(),
            id_number: String::new(),
            phone: ids::landline(&mut rng),
            address: address.into(),
        };
    }
    // slots far from the customers' (they start at 0), so no applicant shares an ID
    let (year, month, day, seq) = ids::person_slot(0xA991_1CA7, 5_000_000 + n as u64);
    let male = rng.chance(500);
    let name = names::person_name(&mut rng, year, male, None);
    let id_number = ids::id_number(&mut rng, (year, month, day), seq, male);
    let phone = if rng.chance(150) {
        String::new()
    } else {
        ids::mobile(&mut rng)
    };
    let village = places::any_village(&mut rng);
    Applicant {
        name,
        id_number,
        phone,
        address: places::home_address(&mut rng, village),
    }
}

/// `day` at `hour:minute`, or `None` after `now` (the demo never records what has not
/// happened yet).
fn by_now(day: NaiveDate, hour: u32, minute: u32, now: NaiveDateTime) -> Option<NaiveDateTime> {
    day.and_hms_opt(hour, minute, 0).filter(|t| *t <= now)
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
                req.applicant = Some(applicant(n));
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
            if at + Duration::hours(2) > now {
                continue;
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
                    if let Some(t) = by_now(resume, 9, 30, now) {
                        clock.set(t);
                        let _ = svc.resume_order(clerk, a.id, resume);
                    }
                }
            }
            // the responsible person keeps in touch, except on a few forgotten orders
            let follow_up = (now - Duration::days(age.min(8) / 2)).date();
            if age > 7
                && !n.is_multiple_of(6)
                && let Some(t) = by_now(follow_up, 10 + (n % 6) as u32, (n * 13 % 60) as u32, now)
            {
                clock.set(t);
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

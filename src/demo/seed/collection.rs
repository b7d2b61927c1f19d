//! Collection for the demo station (issue 15), through the service's own calls on a clock
//! set to each moment: the most overdue customers' arrears judged deliberate or not by their
//! reader, reminder notices for a few, a disconnection notice for two, and one customer
//! disconnected after the notice period (paying and the 复电 order are left to try).
use std::sync::Arc;

use chrono::{Duration, NaiveDateTime};

use crate::domain::clock::FixedClock;
use crate::domain::role::Role;
use crate::service::auth::session_of;
use crate::service::collection::{ArrearsFilter, ReminderScope};
use crate::service::{Service, ServiceResult, Session};
use crate::store::Store;

/// What the demo recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoCollection {
    pub marks: usize,
    pub notices: usize,
    pub disconnections: usize,
}

const NOTES: [&str; 3] = [
    "多次上门催缴，拒不缴费",
    "老人独居，子女在外务工，未收到缴费通知",
    "长期外出，联系不上",
];

pub fn seed(
    store: Store,
    dir: &std::path::Path,
    now: NaiveDateTime,
) -> ServiceResult<DemoCollection> {
    let clock = FixedClock::new(now - Duration::days(10));
    let mut svc = Service::new(store, dir.to_path_buf(), Arc::new(clock.clone()));
    let staff = svc.list_staff()?;
    let session = |id: Option<i64>| -> Option<Session> {
        staff
            .iter()
            .find(|s| s.active && Some(s.id) == id)
            .map(session_of)
    };
    let (Some(chief), Some(clerk)) = (
        staff
            .iter()
            .find(|s| s.active && s.role == Role::Chief)
            .map(session_of),
        staff
            .iter()
            .find(|s| s.active && s.role == Role::Clerk)
            .map(session_of),
    ) else {
        return Ok(DemoCollection::default());
    };
    let mut out = DemoCollection::default();
    let list = svc.arrears_list(&ArrearsFilter::default())?;
    let rows: Vec<_> = list.rows.into_iter().take(12).collect();
    for (i, r) in rows.iter().enumerate().take(9) {
        let who = session(r.reader_id).unwrap_or_else(|| chief.clone());
        svc.mark_arrears(&who, r.customer_id, i % 3 == 0, NOTES[i % 3])?;
        out.marks += 1;
    }
    for r in rows.iter().skip(2).take(3) {
        svc.print_reminders(&clerk, ReminderScope::Customer(r.customer_id))?;
        out.notices += 1;
    }
    // two disconnection notices; the first customer (with a reader) is cut after the period
    let with_reader: Vec<_> = rows
        .iter()
        .filter(|r| r.candidate && session(r.reader_id).is_some())
        .take(2)
        .collect();
    for r in &with_reader {
        svc.print_disconnect_notice(&clerk, r.customer_id)?;
        out.notices += 1;
    }
    let Some(cut) = with_reader.first() else {
        return Ok(out);
    };
    let Some(reader) = session(cut.reader_id) else {
        return Ok(out);
    };
    clock.set(now - Duration::days(2));
    svc.record_disconnection(&reader, cut.customer_id, "逾期欠费，停电通知书期满仍未缴清")?;
    out.disconnections += 1;
    // the payment and the 复电 order are left to the person trying the demo: a payment here
    // would change the demo's day at the counter (today's one unprinted receipt)
    Ok(out)
}

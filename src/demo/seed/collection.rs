//! Collection for the demo station (issue 15), through the service's own calls on a clock
//! set to each moment: the most overdue customers' arrears judged deliberate or not by their
//! reader, reminder notices for a few, a disconnection notice for two, and
//! both disconnected after the notice period: one pays yesterday afternoon and gets the 复电
//! order, the other is still cut.
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
    /// 复电 orders opened after payment
    pub reconnections: usize,
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
    // both are cut after the period; the first pays yesterday and gets its 复电 order, the
    // second is still cut (paying at the counter opens its order: try it)
    clock.set(now - Duration::days(2));
    for cut in &with_reader {
        let Some(reader) = session(cut.reader_id) else {
            continue;
        };
        svc.record_disconnection(&reader, cut.customer_id, "逾期欠费，停电通知书期满仍未缴清")?;
        out.disconnections += 1;
    }
    if let Some(first) = with_reader.first() {
        out.reconnections += pay_and_reconnect(&mut svc, &clock, &chief, first.customer_id, now)?;
    }
    Ok(out)
}

/// The cut customer pays everything overdue by mobile payment at the chief's desk yesterday
/// afternoon (the clerks' days are already closed), the 复电 order opens as at the counter,
/// and the chief closes the day. Written at its own moment, not through `take_payment`:
/// today's promised unprinted receipt is already the station's last one, and the demo
/// builds its past after it.
fn pay_and_reconnect(
    svc: &mut Service,
    clock: &FixedClock,
    chief: &Session,
    customer_id: i64,
    now: NaiveDateTime,
) -> ServiceResult<usize> {
    use crate::domain::billing::PayMethod;
    use crate::domain::billing::late_fee;
    use crate::service::payments::account::account_state;
    use crate::service::payments::receipts::print_in;
    use crate::service::payments::take::take_in;
    use crate::service::payments::{Payer, PaymentRequest, standard_denominations};

    let day = now.date() - Duration::days(1);
    let Some(paid_at) = day.and_hms_opt(16, 20, 0) else {
        return Ok(0);
    };
    let rules = svc.billing_rules()?;
    let done = svc.store_mut().write(|tx| -> ServiceResult<Option<i64>> {
        let st = account_state(tx, customer_id, day, &rules)?;
        let owed: rust_decimal::Decimal = st
            .open_bills()
            .filter(|b| late_fee::days_overdue(b.due_date, day) > 0)
            .map(|b| b.owed + b.late_fee)
            .sum();
        if owed <= rust_decimal::Decimal::ZERO {
            return Ok(None);
        }
        let req = PaymentRequest {
            payer: Payer::Customer(customer_id),
            amount: owed,
            method: PayMethod::Mobile,
            reference: format!("4200{customer_id:09}"),
            tendered: None,
            request_key: format!("demo-reconnect-{customer_id}"),
        };
        let done = take_in(tx, chief, &req, &rules, paid_at)?;
        print_in(
            tx,
            chief,
            done.receipt_id,
            false,
            paid_at + Duration::minutes(1),
        )?;
        Ok(Some(done.receipt_id))
    })?;
    if done.is_none() {
        return Ok(0);
    }
    clock.set(paid_at + Duration::minutes(2));
    let reconnected = svc.reconnect_if_paid(chief, customer_id)?.is_some();
    if let Some(close) = day.and_hms_opt(17, 41, 0) {
        clock.set(close);
        svc.close_day(chief, day, &standard_denominations(), "")?;
    }
    Ok(usize::from(reconnected))
}

//! Writing a payment (money in, or out for a reversal): payment, allocations, receipt with
//! the next number, fee marks, audit entries — inside the caller's transaction.
use chrono::{NaiveDate, NaiveDateTime};

use super::lines::receipt_lines;
use super::take::PaymentDone;
use super::{date_text, db_date, yuan};
use crate::domain::billing::{PayMethod, receipt_no};
use crate::domain::clock;
use crate::domain::money;
use crate::service::{ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::billing::payments::{self, NewAllocation, NewPayment, NewReceipt, ReceiptRow};
use crate::store::billing::{self as bstore};

/// A payment to write: money in (or out, for a reversal) with its lines.
pub(crate) struct Posting<'a> {
    pub customer_id: Option<i64>,
    pub order_id: Option<i64>,
    pub party: String,
    pub amount_fen: i64,
    pub method: PayMethod,
    pub reference: &'a str,
    pub tendered_fen: Option<i64>,
    pub change_fen: Option<i64>,
    pub allocations: Vec<NewAllocation>,
    pub request_key: &'a str,
    pub reverses: Option<(i64, &'a str)>,
    pub approved_by: Option<i64>,
    pub reason: &'a str,
    pub prepaid_after_fen: i64,
    pub arrears_after_fen: i64,
}

/// The time a new receipt taken at the counter is issued at (the demo, writing history out
/// of order, posts at its own times): the clock's, unless the clock is behind the last
/// receipt (a PC clock set back), when it is the last receipt's time, so that receipts
/// never go back in time; the event is recorded (`clock.behind`) and shown to the chief.
pub(crate) fn not_before_last_receipt(
    tx: &rusqlite::Connection,
    now: NaiveDateTime,
    cashier: &Session,
) -> ServiceResult<NaiveDateTime> {
    let Some(last) = payments::last_receipt_time(tx)?
        .as_deref()
        .and_then(clock::from_db)
    else {
        return Ok(now);
    };
    if now >= last {
        return Ok(now);
    }
    audit::append(
        tx,
        NewEntry {
            at: last,
            actor: &cashier.actor(),
            action: CLOCK_BEHIND,
            entity: "clock",
            entity_id: "",
            changes: Changes::new()
                .note("clock", clock::to_db(now))
                .note("last_receipt", clock::to_db(last)),
        },
    )?;
    Ok(last)
}

/// The action of the entry recording a clock found behind the last receipt.
pub const CLOCK_BEHIND: &str = "clock.behind";

/// Write a payment, its allocations, its receipt (next number of the year), the fee
/// marks and the audit entries, inside the caller's transaction. Returns (payment id,
/// receipt id, receipt number).
pub(crate) fn post(
    tx: &rusqlite::Connection,
    p: &Posting<'_>,
    cashier: &Session,
    now: NaiveDateTime,
) -> ServiceResult<(i64, i64, String)> {
    use chrono::Datelike;
    let day = date_text(now.date());
    let at = clock::to_db(now);
    // after a day end more money may be taken: it goes into the next closing
    let payment_id = payments::insert_payment(
        tx,
        &NewPayment {
            customer_id: p.customer_id,
            order_id: p.order_id,
            amount_fen: p.amount_fen,
            method: p.method,
            reference: p.reference,
            tendered_fen: p.tendered_fen,
            change_fen: p.change_fen,
            cashier_id: cashier.staff_id,
            at: &at,
            business_date: &day,
            request_key: p.request_key,
            reverses_id: p.reverses.map(|r| r.0),
            approved_by: p.approved_by,
            reason: p.reason,
        },
    )?;
    for (pos, a) in p.allocations.iter().enumerate() {
        payments::insert_allocation(tx, payment_id, pos as i64, a)?;
    }
    let year = now.date().year();
    let seq = payments::next_receipt_seq(tx, year)?;
    let no = receipt_no::format(year, seq)
        .ok_or_else(|| ServiceError::Refused(format!("{year} 年的收据号已用完")))?;
    let receipt_id = payments::insert_receipt(
        tx,
        &NewReceipt {
            receipt_no: &no,
            year,
            seq,
            payment_id,
            issued_at: &at,
            prepaid_after_fen: p.prepaid_after_fen,
            arrears_after_fen: p.arrears_after_fen,
        },
    )?;
    let actor = cashier.actor();
    let rows = payments::allocations_of(tx, payment_id)?;
    let lines: Vec<String> = receipt_lines(&rows, now.date())?
        .iter()
        .map(|l| format!("{} {}", l.label, money::format_yuan(l.amount)))
        .collect();
    let mut changes = Changes::new()
        .created("receipt_no", no.clone())
        .created("amount", money::format_yuan(yuan(p.amount_fen)))
        .created("method", p.method.describe(p.reference))
        .created("payer", p.party.clone())
        .note("lines", lines)
        .note(
            "prepaid_after",
            money::format_yuan(yuan(p.prepaid_after_fen)),
        )
        .note(
            "arrears_after",
            money::format_yuan(yuan(p.arrears_after_fen)),
        )
        .note("request_key", p.request_key);
    if let Some(c) = p.change_fen.filter(|c| *c > 0) {
        changes = changes.note("change", money::format_yuan(yuan(c)));
    }
    if let Some((_, original_no)) = p.reverses {
        changes = changes
            .note("reverses", original_no)
            .note("reason", p.reason);
    }
    audit::append(
        tx,
        NewEntry {
            at: now,
            actor: &actor,
            action: if p.reverses.is_some() {
                "payment.reverse"
            } else {
                "payment.take"
            },
            entity: "receipt",
            entity_id: &no,
            changes,
        },
    )?;
    let fee_ids: Vec<i64> = p.allocations.iter().filter_map(|a| a.fee_id).collect();
    refresh_fees(
        tx,
        &fee_ids,
        now,
        cashier,
        &no,
        FeeEvent::from_amount(p.amount_fen),
    )?;
    Ok((payment_id, receipt_id, no))
}

/// Why a fee's collected mark is being looked at again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FeeEvent {
    Collect,
    Reverse,
    Void,
}

impl FeeEvent {
    fn from_amount(amount_fen: i64) -> FeeEvent {
        if amount_fen < 0 {
            FeeEvent::Reverse
        } else {
            FeeEvent::Collect
        }
    }
}

/// Mark each fee collected when standing payments cover it, uncollected otherwise, with
/// an order event and an audit entry on the order.
pub(crate) fn refresh_fees(
    tx: &rusqlite::Connection,
    fee_ids: &[i64],
    now: NaiveDateTime,
    by: &Session,
    receipt_no: &str,
    event: FeeEvent,
) -> ServiceResult<()> {
    let at = clock::to_db(now);
    let actor = by.actor();
    let mut done = std::collections::HashSet::new();
    for &fee_id in fee_ids {
        if !done.insert(fee_id) {
            continue;
        }
        let Some(fee) = crate::store::orders::fee_by_id(tx, fee_id)? else {
            continue;
        };
        let paid = bstore::fee_paid(tx, fee_id)?;
        let full = paid >= fee.amount_fen;
        if full && !fee.collected {
            bstore::set_fee_collected(tx, fee_id, Some((&at, by.staff_id)))?;
        } else if !full && fee.collected {
            bstore::set_fee_collected(tx, fee_id, None)?;
        }
        let order = crate::store::orders::order_by_id(tx, fee.order_id)?
            .ok_or_else(|| ServiceError::NotFound("该工单".into()))?;
        let amount = money::format_yuan(yuan(fee.amount_fen));
        let paid_text = money::format_yuan(yuan(paid));
        let (event_code, detail, action) = match event {
            FeeEvent::Collect => (
                "fee_collect",
                if full {
                    format!("收取{} {amount} 元（收据 {receipt_no}）", fee.item)
                } else {
                    format!(
                        "收取{}部分款项，已收 {paid_text} / {amount} 元（收据 {receipt_no}）",
                        fee.item
                    )
                },
                "order.fee_collect",
            ),
            FeeEvent::Reverse => (
                "fee_reverse",
                format!("{}收款已红冲（收据 {receipt_no}），改为未收", fee.item),
                "order.fee_uncollect",
            ),
            FeeEvent::Void => (
                "fee_void",
                format!("{}的收据 {receipt_no} 已作废，改为未收", fee.item),
                "order.fee_uncollect",
            ),
        };
        crate::store::orders::insert_event(
            tx,
            fee.order_id,
            &at,
            Some(by.staff_id),
            event_code,
            &detail,
        )?;
        audit::append(
            tx,
            NewEntry {
                at: now,
                actor: &actor,
                action,
                entity: "work_order",
                entity_id: &order.tracking_no,
                changes: Changes::new()
                    .field("collected", fee.collected, full)
                    .note("fee_id", fee_id)
                    .note("item", fee.item.clone())
                    .note("amount", amount)
                    .note("paid", paid_text)
                    .note("receipt_no", receipt_no),
            },
        )?;
    }
    Ok(())
}

/// The payment behind a receipt, as the clerk sees it after confirming.
pub(crate) fn done_of(
    conn: &rusqlite::Connection,
    payment_id: i64,
    replayed: bool,
) -> ServiceResult<PaymentDone> {
    let r = payments::receipt_by_payment(conn, payment_id)?
        .ok_or_else(|| ServiceError::NotFound("该笔收款的收据".into()))?;
    let rows = payments::allocations_of(conn, payment_id)?;
    let paid_on = lines_day(conn, &r)?;
    Ok(PaymentDone {
        payment_id,
        receipt_id: r.receipt_id,
        receipt_no: r.receipt_no.clone(),
        amount: yuan(r.amount_fen),
        method: r.method,
        tendered: r.tendered_fen.map(yuan),
        change: r.change_fen.map(yuan),
        lines: receipt_lines(&rows, paid_on)?,
        prepaid_after: yuan(r.prepaid_after_fen),
        arrears_after: yuan(r.arrears_after_fen),
        replayed,
    })
}

/// The day a receipt's late fees were counted to: its own, or the original's for a
/// reversal.
pub(crate) fn lines_day(conn: &rusqlite::Connection, r: &ReceiptRow) -> ServiceResult<NaiveDate> {
    if let Some(orig) = r.reverses_id
        && let Some(o) = payments::receipt_by_payment(conn, orig)?
    {
        return db_date(&o.business_date);
    }
    db_date(&r.business_date)
}

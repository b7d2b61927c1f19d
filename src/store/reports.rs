//! The sums the station reports read, each one aggregate query (the 100,000-customer demo
//! holds 1.2 million bills and 460,000 payments: nothing here reads them row by row into
//! Rust). Days are `YYYY-MM-DD`, both ends included; times compare as stored text.
//!
//! A payment counts while its receipt stands (not voided), as in the view `live_payment`;
//! the queries go through the (cashier, business day) index with `cashier_id IN (SELECT id
//! FROM staff)`, which reads only the days asked for (the view itself scans every payment).
use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::StoreResult;
use super::convert::Cols;
use crate::domain::billing::PayMethod;
use crate::domain::meter::{CheckResult, SwapReason};
use crate::domain::work_order::RequestKind;

fn day(d: NaiveDate) -> String {
    crate::domain::clock::day_to_db(d)
}

/// The payments of a cashier with one method over the days: received (amount > 0) and
/// given back by reversals (红冲, amount < 0), receipts standing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectionRow {
    pub cashier_id: i64,
    pub cashier: String,
    pub method: PayMethod,
    pub received: i64,
    pub received_fen: i64,
    pub reversed: i64,
    /// negative
    pub reversed_fen: i64,
}

/// The standing payments of `[from, to]` by cashier and method.
pub fn collections(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<CollectionRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.cashier_id AS cashier_id, s.display_name AS cashier, p.method AS method,
                SUM(p.amount_fen > 0) AS received,
                SUM(CASE WHEN p.amount_fen > 0 THEN p.amount_fen ELSE 0 END) AS received_fen,
                SUM(p.amount_fen < 0) AS reversed,
                SUM(CASE WHEN p.amount_fen < 0 THEN p.amount_fen ELSE 0 END) AS reversed_fen
           FROM payment p
           JOIN receipt r ON r.payment_id = p.id
           JOIN staff s ON s.id = p.cashier_id
          WHERE p.cashier_id IN (SELECT id FROM staff)
            AND p.business_date BETWEEN ?1 AND ?2
            AND NOT EXISTS (SELECT 1 FROM receipt_void v WHERE v.receipt_id = r.id)
          GROUP BY p.cashier_id, p.method
          ORDER BY p.cashier_id, p.method",
    )?;
    let rows = stmt.query_map(params![day(from), day(to)], |r| {
        let c = Cols::new(r, "payment", "cashier_id")?;
        Ok(CollectionRow {
            cashier_id: c.id(),
            cashier: c.get("cashier")?,
            method: c.get("method")?,
            received: c.get("received")?,
            received_fen: c.get("received_fen")?,
            reversed: c.get("reversed")?,
            reversed_fen: c.get("reversed_fen")?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What the standing payments of `[from, to]` paid, in 分: bill principal, late fees,
/// business fees, prepaid balance kept (预收) and prepaid balance used (negative).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PaidFor {
    pub principal: i64,
    pub late_fee: i64,
    pub order_fee: i64,
    pub prepaid_add: i64,
    pub prepaid_use: i64,
}

pub fn paid_for(conn: &Connection, from: NaiveDate, to: NaiveDate) -> StoreResult<PaidFor> {
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE(SUM(CASE a.kind WHEN 'principal' THEN a.amount_fen END), 0),
                COALESCE(SUM(CASE a.kind WHEN 'late_fee' THEN a.amount_fen END), 0),
                COALESCE(SUM(CASE a.kind WHEN 'order_fee' THEN a.amount_fen END), 0),
                COALESCE(SUM(CASE a.kind WHEN 'prepaid_add' THEN a.amount_fen END), 0),
                COALESCE(SUM(CASE a.kind WHEN 'prepaid_use' THEN a.amount_fen END), 0)
           FROM payment p
           JOIN allocation a ON a.payment_id = p.id
          WHERE p.cashier_id IN (SELECT id FROM staff)
            AND p.business_date BETWEEN ?1 AND ?2
            AND NOT EXISTS (SELECT 1 FROM receipt r JOIN receipt_void v ON v.receipt_id = r.id
                             WHERE r.payment_id = p.id)",
    )?;
    Ok(stmt.query_row(params![day(from), day(to)], |r| {
        Ok(PaidFor {
            principal: r.get(0)?,
            late_fee: r.get(1)?,
            order_fee: r.get(2)?,
            prepaid_add: r.get(3)?,
            prepaid_use: r.get(4)?,
        })
    })?)
}

/// Receipts voided (作废) and payments reversed (红冲) in `[from, to]` (by the business day
/// of the payment voided, or of the reversal).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorrectionRow {
    pub receipt_no: String,
    pub business_date: NaiveDate,
    /// `true`: a reversal; `false`: a void
    pub reversal: bool,
    pub account_no: String,
    pub customer: String,
    /// 分 as recorded: a void shows the amount voided, a reversal its negative amount
    pub amount_fen: i64,
    pub cashier: String,
    pub approver: String,
    pub reason: String,
}

pub fn corrections(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<CorrectionRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id AS id, r.receipt_no AS receipt_no, p.business_date AS business_date,
                0 AS reversal, COALESCE(c.account_no, '') AS account_no,
                COALESCE(c.name, o.applicant_name, '') AS customer, p.amount_fen AS amount_fen,
                s.display_name AS cashier, a.display_name AS approver, v.reason AS reason
           FROM receipt_void v
           JOIN receipt r ON r.id = v.receipt_id
           JOIN payment p ON p.id = r.payment_id
           JOIN staff s ON s.id = p.cashier_id
           JOIN staff a ON a.id = v.approved_by
           LEFT JOIN customer c ON c.id = p.customer_id
           LEFT JOIN work_order o ON o.id = p.order_id
          WHERE p.business_date BETWEEN ?1 AND ?2
         UNION ALL
         SELECT r.id, r.receipt_no, p.business_date, 1, COALESCE(c.account_no, ''),
                COALESCE(c.name, o.applicant_name, ''), p.amount_fen, s.display_name,
                a.display_name, p.reason
           FROM payment p
           JOIN receipt r ON r.payment_id = p.id
           JOIN staff s ON s.id = p.cashier_id
           JOIN staff a ON a.id = p.approved_by
           LEFT JOIN customer c ON c.id = p.customer_id
           LEFT JOIN work_order o ON o.id = p.order_id
          WHERE p.cashier_id IN (SELECT id FROM staff)
            AND p.business_date BETWEEN ?1 AND ?2 AND p.reverses_id IS NOT NULL
          ORDER BY 2",
    )?;
    let rows = stmt.query_map(params![day(from), day(to)], |r| {
        let c = Cols::new(r, "receipt", "id")?;
        Ok(CorrectionRow {
            receipt_no: c.get("receipt_no")?,
            business_date: c.get::<super::convert::Day>("business_date")?.0,
            reversal: c.get("reversal")?,
            account_no: c.get("account_no")?,
            customer: c.get("customer")?,
            amount_fen: c.get("amount_fen")?,
            cashier: c.get("cashier")?,
            approver: c.get("approver")?,
            reason: c.get("reason")?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The parts of the arrears standing at the end of `end` (分): every bill entered by then,
/// the bill principal paid by standing payments on or before that day, and the prepaid
/// balance applied to bills by then. Arrears = billed − paid − offset.
///
/// The principal paid by then is counted as all principal ever paid (a sum over the covering
/// index of migration 0027) less what voided receipts paid and less what was paid after
/// `end` (a range of the (cashier, day) index): a recent month reads a few days of payments,
/// not the year's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArrearsParts {
    pub billed: i64,
    pub paid: i64,
    pub offset: i64,
}

pub fn arrears_parts(conn: &Connection, end: NaiveDate) -> StoreResult<ArrearsParts> {
    let through = format!("{} 24:00:00", day(end));
    let billed: i64 = conn
        .prepare_cached("SELECT COALESCE(SUM(amount_fen), 0) FROM bill WHERE imported_at < ?1")?
        .query_row([&through], |r| r.get(0))?;
    let all: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(amount_fen), 0) FROM allocation
              WHERE bill_id IS NOT NULL AND kind = 'principal'",
        )?
        .query_row([], |r| r.get(0))?;
    let voided: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(a.amount_fen), 0) FROM receipt_void v
               JOIN receipt r ON r.id = v.receipt_id
               JOIN allocation a ON a.payment_id = r.payment_id
              WHERE a.kind = 'principal'",
        )?
        .query_row([], |r| r.get(0))?;
    let after: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(a.amount_fen), 0)
               FROM payment p
               JOIN allocation a ON a.payment_id = p.id
              WHERE p.cashier_id IN (SELECT id FROM staff) AND p.business_date > ?1
                AND a.kind = 'principal'
                AND NOT EXISTS (SELECT 1 FROM receipt r JOIN receipt_void v ON v.receipt_id = r.id
                                 WHERE r.payment_id = p.id)",
        )?
        .query_row([day(end)], |r| r.get(0))?;
    let offset: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(amount_fen), 0) FROM prepaid_offset WHERE business_date <= ?1",
        )?
        .query_row([day(end)], |r| r.get(0))?;
    Ok(ArrearsParts {
        billed,
        paid: all - voided - after,
        offset,
    })
}

/// Standing payments per month over `[from, to]`: (`YYYY-MM`, count, 分).
pub fn collections_by_month(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<(String, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT substr(p.business_date, 1, 7) AS month, COUNT(*), SUM(p.amount_fen)
           FROM payment p
          WHERE p.cashier_id IN (SELECT id FROM staff)
            AND p.business_date BETWEEN ?1 AND ?2
            AND NOT EXISTS (SELECT 1 FROM receipt r JOIN receipt_void v ON v.receipt_id = r.id
                             WHERE r.payment_id = p.id)
          GROUP BY month ORDER BY month",
    )?;
    let rows = stmt.query_map(params![day(from), day(to)], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Work orders of one kind over the days: accepted, completed, cancelled in the range,
/// and open at its end (accepted by then, not closed by then).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderCounts {
    pub kind: RequestKind,
    pub accepted: i64,
    pub completed: i64,
    pub cancelled: i64,
    pub open_at_end: i64,
}

pub fn order_counts(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<OrderCounts>> {
    let (start, end) = (day(from), format!("{} 24:00:00", day(to)));
    let mut stmt = conn.prepare_cached(
        "SELECT kind,
                SUM(created_at >= ?1 AND created_at < ?2) AS accepted,
                SUM(state = 'completed' AND closed_at >= ?1 AND closed_at < ?2) AS completed,
                SUM(state = 'cancelled' AND closed_at >= ?1 AND closed_at < ?2) AS cancelled,
                SUM(created_at < ?2 AND (closed_at IS NULL OR closed_at >= ?2)) AS open_at_end
           FROM work_order
          WHERE created_at < ?2 AND (closed_at IS NULL OR closed_at >= ?1)
          GROUP BY kind",
    )?;
    let rows = stmt.query_map(params![start, end], |r| {
        let c = Cols::keyed(r, "work_order", "kind")?;
        Ok(OrderCounts {
            kind: c.get("kind")?,
            accepted: c.get("accepted")?,
            completed: c.get("completed")?,
            cancelled: c.get("cancelled")?,
            open_at_end: c.get("open_at_end")?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Meter figures over the days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MeterFigures {
    /// swaps by reason
    pub swaps: Vec<(SwapReason, i64)>,
    /// assets received into stock
    pub received: i64,
    /// on-site checks by result
    pub checks: Vec<(CheckResult, i64)>,
    /// in service with `valid_until` before the end day (past their verification period)
    pub expired_in_service: i64,
    pub in_stock: i64,
    pub in_service: i64,
}

pub fn meter_figures(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<MeterFigures> {
    let (from, to) = (day(from), day(to));
    let mut out = MeterFigures::default();
    let mut stmt = conn.prepare_cached(
        "SELECT reason, COUNT(*) AS n FROM meter_swap
          WHERE swapped_on BETWEEN ?1 AND ?2 GROUP BY reason ORDER BY reason",
    )?;
    for r in stmt.query_map(params![from, to], |r| {
        let c = Cols::keyed(r, "meter_swap", "reason")?;
        Ok((c.get("reason")?, c.get("n")?))
    })? {
        out.swaps.push(r?);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT result, COUNT(*) AS n FROM meter_check
          WHERE checked_on BETWEEN ?1 AND ?2 GROUP BY result ORDER BY result",
    )?;
    for r in stmt.query_map(params![from, to], |r| {
        let c = Cols::keyed(r, "meter_check", "result")?;
        Ok((c.get("result")?, c.get("n")?))
    })? {
        out.checks.push(r?);
    }
    out.received = conn
        .prepare_cached("SELECT COUNT(*) FROM meter WHERE received_on BETWEEN ?1 AND ?2")?
        .query_row(params![from, to], |r| r.get(0))?;
    out.expired_in_service = conn
        .prepare_cached("SELECT COUNT(*) FROM meter WHERE status = 'service' AND valid_until < ?1")?
        .query_row([&to], |r| r.get(0))?;
    (out.in_stock, out.in_service) = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(status = 'stock'), 0), COALESCE(SUM(status = 'service'), 0)
               FROM meter WHERE status IN ('stock', 'service')",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(out)
}

/// Cases (投诉/报修 …) received in `[from, to]` by kind code, with how many of them are
/// closed now: (kind, received, closed).
pub fn cases_by_kind(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<(crate::domain::case::CaseKind, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, COUNT(*) AS n, SUM(state = 'closed') AS closed FROM service_case
          WHERE received_at >= ?1 AND received_at < ?2 GROUP BY kind",
    )?;
    let rows = stmt.query_map(params![day(from), format!("{} 24:00:00", day(to))], |r| {
        let c = Cols::keyed(r, "service_case", "kind")?;
        Ok((c.get("kind")?, c.get("n")?, c.get("closed")?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

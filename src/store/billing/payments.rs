//! Payments, their allocations and receipts, prints and voids.
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::billing::PayMethod;
use crate::store::StoreResult;
use crate::store::convert::Cols;

/// A payment to insert (negative amount: a reversal).
#[derive(Clone, Debug)]
pub struct NewPayment<'a> {
    pub customer_id: Option<i64>,
    pub order_id: Option<i64>,
    pub amount_fen: i64,
    pub method: PayMethod,
    pub reference: &'a str,
    pub tendered_fen: Option<i64>,
    pub change_fen: Option<i64>,
    pub cashier_id: i64,
    pub at: &'a str,
    pub business_date: &'a str,
    pub request_key: &'a str,
    pub reverses_id: Option<i64>,
    pub approved_by: Option<i64>,
    pub reason: &'a str,
}

pub fn insert_payment(conn: &Connection, p: &NewPayment<'_>) -> StoreResult<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO payment (customer_id, order_id, amount_fen, method, reference, tendered_fen,
                              change_fen, cashier_id, at, business_date, request_key,
                              reverses_id, approved_by, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    stmt.execute(params![
        p.customer_id,
        p.order_id,
        p.amount_fen,
        p.method,
        p.reference,
        p.tendered_fen,
        p.change_fen,
        p.cashier_id,
        p.at,
        p.business_date,
        p.request_key,
        p.reverses_id,
        p.approved_by,
        p.reason
    ])?;
    Ok(conn.last_insert_rowid())
}

/// One allocation line to insert.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewAllocation {
    /// `principal`, `late_fee`, `order_fee`, `prepaid_use`, `prepaid_add`
    pub kind: &'static str,
    pub customer_id: Option<i64>,
    pub bill_id: Option<i64>,
    pub fee_id: Option<i64>,
    pub amount_fen: i64,
    /// how a late fee was counted (late-fee lines only)
    pub basis: Option<LateBasis>,
}

/// How a late fee taken was counted, as it stood when the money was taken
/// (`late_fee_basis`): what its receipt line says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LateBasis {
    /// days from the due date to the payment day
    pub days_overdue: i64,
    /// days that charged something
    pub days_charged: i64,
    /// overdue days in a declared outage period
    pub outage_days: i64,
    /// the minimum charge replaced a smaller sum
    pub minimum: bool,
    /// the fee accrued to the payment day
    pub accrued_fen: i64,
    /// late fee paid on the bill before this payment
    pub paid_before_fen: i64,
}

pub fn insert_allocation(
    conn: &Connection,
    payment_id: i64,
    pos: i64,
    a: &NewAllocation,
) -> StoreResult<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO allocation (payment_id, pos, kind, customer_id, bill_id, fee_id, amount_fen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    stmt.execute(params![
        payment_id,
        pos,
        a.kind,
        a.customer_id,
        a.bill_id,
        a.fee_id,
        a.amount_fen
    ])?;
    if let Some(b) = a.basis.filter(|_| a.kind == "late_fee") {
        let id = conn.last_insert_rowid();
        let mut stmt = conn.prepare_cached(
            "INSERT INTO late_fee_basis (id, days_overdue, days_charged, outage_days, minimum,
                                         accrued_fen, paid_before_fen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        stmt.execute(params![
            id,
            b.days_overdue,
            b.days_charged,
            b.outage_days,
            b.minimum,
            b.accrued_fen,
            b.paid_before_fen
        ])?;
    }
    Ok(())
}

/// A cashier's last payment (id) of a business day, if any.
pub fn last_payment_of_day(
    conn: &Connection,
    cashier_id: i64,
    business_date: &str,
) -> StoreResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT MAX(id) FROM payment WHERE cashier_id = ?1 AND business_date = ?2")?
        .query_row(params![cashier_id, business_date], |r| r.get(0))?)
}

/// When the last receipt (by id) was issued.
pub fn last_receipt_time(conn: &Connection) -> StoreResult<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT issued_at FROM receipt ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// The next receipt sequence number of `year` (call inside the write transaction).
pub fn next_receipt_seq(conn: &Connection, year: i32) -> StoreResult<i64> {
    let mut stmt =
        conn.prepare_cached("SELECT COALESCE(MAX(seq), 0) + 1 FROM receipt WHERE year = ?1")?;
    Ok(stmt.query_row([year], |r| r.get(0))?)
}

/// A receipt to insert.
#[derive(Clone, Debug)]
pub struct NewReceipt<'a> {
    pub receipt_no: &'a str,
    pub year: i32,
    pub seq: i64,
    pub payment_id: i64,
    pub issued_at: &'a str,
    pub prepaid_after_fen: i64,
    pub arrears_after_fen: i64,
}

pub fn insert_receipt(conn: &Connection, r: &NewReceipt<'_>) -> StoreResult<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO receipt (receipt_no, year, seq, payment_id, issued_at, prepaid_after_fen,
                              arrears_after_fen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    stmt.execute(params![
        r.receipt_no,
        r.year,
        r.seq,
        r.payment_id,
        r.issued_at,
        r.prepaid_after_fen,
        r.arrears_after_fen
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The payment made under a request key, if any.
pub fn payment_by_key(conn: &Connection, key: &str) -> StoreResult<Option<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM payment WHERE request_key = ?1")?;
    Ok(stmt.query_row([key], |r| r.get(0)).optional()?)
}

/// The highest payment id so far (0 when none).
pub fn last_payment_id(conn: &Connection) -> StoreResult<i64> {
    Ok(conn.query_row("SELECT COALESCE(MAX(id), 0) FROM payment", [], |r| r.get(0))?)
}

/// A receipt with its payment and everything printed on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptRow {
    pub receipt_id: i64,
    pub receipt_no: String,
    pub issued_at: String,
    pub prepaid_after_fen: i64,
    pub arrears_after_fen: i64,
    pub payment_id: i64,
    pub customer_id: Option<i64>,
    pub order_id: Option<i64>,
    pub amount_fen: i64,
    pub method: PayMethod,
    pub reference: String,
    pub tendered_fen: Option<i64>,
    pub change_fen: Option<i64>,
    pub cashier_id: i64,
    pub cashier_name: String,
    pub business_date: String,
    pub reverses_id: Option<i64>,
    /// reversal: why, and the chief who approved
    pub reason: String,
    pub approved_by: Option<String>,
    pub account_no: Option<String>,
    pub customer_name: Option<String>,
    /// the customer's (or applicant's) 用电地址 and the 台区 it is in
    pub customer_address: Option<String>,
    pub area_name: Option<String>,
    pub tracking_no: Option<String>,
    pub applicant_name: Option<String>,
    /// void: when, approved by, why
    pub voided_at: Option<String>,
    pub void_approved_by: Option<String>,
    pub void_reason: Option<String>,
    /// the receipt number this one reverses / the reversal's receipt number
    pub reverses_no: Option<String>,
    pub reversed_by_no: Option<String>,
    pub prints: i64,
}

pub(super) const RECEIPT_SELECT: &str =
    "SELECT r.id AS receipt_id, r.receipt_no AS receipt_no, r.issued_at AS issued_at,
        r.prepaid_after_fen AS prepaid_after_fen, r.arrears_after_fen AS arrears_after_fen,
        p.id AS payment_id, p.customer_id AS customer_id, p.order_id AS order_id,
        p.amount_fen AS amount_fen, p.method AS method, p.reference AS reference,
        p.tendered_fen AS tendered_fen, p.change_fen AS change_fen, p.cashier_id AS cashier_id,
        s.display_name AS cashier_name, p.business_date AS business_date,
        p.reverses_id AS reverses_id, p.reason AS reason, ap.display_name AS approved_by,
        c.account_no AS account_no, c.name AS customer_name, o.tracking_no AS tracking_no,
        COALESCE(c.address, o.applicant_address) AS customer_address, ta.name AS area_name,
        o.applicant_name AS applicant_name, v.voided_at AS voided_at,
        vs.display_name AS void_approved_by, v.reason AS void_reason,
        (SELECT r2.receipt_no FROM receipt r2 WHERE r2.payment_id = p.reverses_id)
            AS reverses_no,
        (SELECT r3.receipt_no FROM payment p3 JOIN receipt r3 ON r3.payment_id = p3.id
          WHERE p3.reverses_id = p.id) AS reversed_by_no,
        (SELECT COUNT(*) FROM receipt_print rp WHERE rp.receipt_id = r.id) AS prints
    FROM receipt r JOIN payment p ON p.id = r.payment_id
    JOIN staff s ON s.id = p.cashier_id
    LEFT JOIN staff ap ON ap.id = p.approved_by
    LEFT JOIN customer c ON c.id = p.customer_id
    LEFT JOIN work_order o ON o.id = p.order_id
    LEFT JOIN transformer_area ta ON ta.id = COALESCE(c.area_id, o.area_id)
    LEFT JOIN receipt_void v ON v.receipt_id = r.id
    LEFT JOIN staff vs ON vs.id = v.approved_by";

impl TryFrom<&Row<'_>> for ReceiptRow {
    type Error = rusqlite::Error;

    /// A row of [`RECEIPT_SELECT`]; a value that does not decode names the payment.
    fn try_from(r: &Row<'_>) -> rusqlite::Result<Self> {
        let c = Cols::new(r, "payment", "payment_id")?;
        Ok(ReceiptRow {
            receipt_id: c.get("receipt_id")?,
            receipt_no: c.get("receipt_no")?,
            issued_at: c.get("issued_at")?,
            prepaid_after_fen: c.get("prepaid_after_fen")?,
            arrears_after_fen: c.get("arrears_after_fen")?,
            payment_id: c.id(),
            customer_id: c.get("customer_id")?,
            order_id: c.get("order_id")?,
            amount_fen: c.get("amount_fen")?,
            method: c.get("method")?,
            reference: c.get("reference")?,
            tendered_fen: c.get("tendered_fen")?,
            change_fen: c.get("change_fen")?,
            cashier_id: c.get("cashier_id")?,
            cashier_name: c.get("cashier_name")?,
            business_date: c.get("business_date")?,
            reverses_id: c.get("reverses_id")?,
            reason: c.get("reason")?,
            approved_by: c.get("approved_by")?,
            account_no: c.get("account_no")?,
            customer_name: c.get("customer_name")?,
            customer_address: c.get("customer_address")?,
            area_name: c.get("area_name")?,
            tracking_no: c.get("tracking_no")?,
            applicant_name: c.get("applicant_name")?,
            voided_at: c.get("voided_at")?,
            void_approved_by: c.get("void_approved_by")?,
            void_reason: c.get("void_reason")?,
            reverses_no: c.get("reverses_no")?,
            reversed_by_no: c.get("reversed_by_no")?,
            prints: c.get("prints")?,
        })
    }
}

pub(super) fn receipt_from_row(r: &Row<'_>) -> rusqlite::Result<ReceiptRow> {
    ReceiptRow::try_from(r)
}

pub fn receipt_by_id(conn: &Connection, receipt_id: i64) -> StoreResult<Option<ReceiptRow>> {
    let mut stmt = conn.prepare_cached(&format!("{RECEIPT_SELECT} WHERE r.id = ?1"))?;
    Ok(stmt.query_row([receipt_id], receipt_from_row).optional()?)
}

pub fn receipt_by_payment(conn: &Connection, payment_id: i64) -> StoreResult<Option<ReceiptRow>> {
    let mut stmt = conn.prepare_cached(&format!("{RECEIPT_SELECT} WHERE r.payment_id = ?1"))?;
    Ok(stmt.query_row([payment_id], receipt_from_row).optional()?)
}

pub fn receipt_by_no(conn: &Connection, receipt_no: &str) -> StoreResult<Option<ReceiptRow>> {
    let mut stmt = conn.prepare_cached(&format!("{RECEIPT_SELECT} WHERE r.receipt_no = ?1"))?;
    Ok(stmt.query_row([receipt_no], receipt_from_row).optional()?)
}

/// Receipts of one cashier's business day, in number order.
pub fn receipts_of_day(
    conn: &Connection,
    cashier_id: i64,
    business_date: &str,
) -> StoreResult<Vec<ReceiptRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{RECEIPT_SELECT} WHERE p.cashier_id = ?1 AND p.business_date = ?2
         ORDER BY r.year, r.seq"
    ))?;
    let rows = stmt.query_map(params![cashier_id, business_date], receipt_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Receipts of a customer, newest first (at most `limit`).
pub fn receipts_of_customer(
    conn: &Connection,
    customer_id: i64,
    limit: i64,
) -> StoreResult<Vec<ReceiptRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{RECEIPT_SELECT} WHERE p.customer_id = ?1 ORDER BY r.id DESC LIMIT (SELECT ?2)"
    ))?;
    let rows = stmt.query_map(params![customer_id, limit], receipt_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Receipts never printed (and not voided) of the days a cashier has not closed yet (of one
/// cashier, or of everyone), oldest first. Read per cashier through the (cashier, day) index from the day
/// after their last day end, so the start-up check stays fast however long the history.
pub fn unprinted(conn: &Connection, cashier_id: Option<i64>) -> StoreResult<Vec<ReceiptRow>> {
    let staff: Vec<i64> = conn
        .prepare_cached("SELECT id FROM staff WHERE (?1 IS NULL OR id = ?1) ORDER BY id")?
        .query_map([cashier_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached(&format!(
        "{RECEIPT_SELECT} WHERE p.cashier_id = ?1
           AND p.business_date > (SELECT COALESCE(MAX(d.business_date), '') FROM day_end d
                                  WHERE d.cashier_id = ?1)
           AND NOT EXISTS (SELECT 1 FROM receipt_print x WHERE x.receipt_id = r.id)
           AND v.id IS NULL"
    ))?;
    let mut out = Vec::new();
    for id in staff {
        let rows = stmt.query_map([id], receipt_from_row)?;
        for row in rows {
            out.push(row?);
        }
    }
    out.sort_by_key(|r| r.receipt_id);
    Ok(out)
}

/// One allocation line with what it paid, for receipts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllocationRow {
    pub kind: String,
    pub bill_id: Option<i64>,
    pub period: Option<String>,
    pub kwh: Option<i64>,
    pub due_date: Option<String>,
    pub fee_id: Option<i64>,
    pub fee_item: Option<String>,
    pub tracking_no: Option<String>,
    pub amount_fen: i64,
    pub basis: Option<LateBasis>,
    /// the whole bill's amount (bill lines): a line paying less of it says so
    pub bill_amount_fen: Option<i64>,
}

/// The lines of a payment, in order.
pub fn allocations_of(conn: &Connection, payment_id: i64) -> StoreResult<Vec<AllocationRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.kind, a.bill_id, b.period, b.kwh, b.due_date, a.fee_id, f.item, o.tracking_no,
                a.amount_fen, l.days_overdue, l.days_charged, l.outage_days, l.minimum,
                l.accrued_fen, l.paid_before_fen, b.amount_fen
         FROM allocation a
         LEFT JOIN bill b ON b.id = a.bill_id
         LEFT JOIN order_fee f ON f.id = a.fee_id
         LEFT JOIN work_order o ON o.id = f.order_id
         LEFT JOIN late_fee_basis l ON l.id = a.id
         WHERE a.payment_id = ?1 ORDER BY a.pos",
    )?;
    let rows = stmt.query_map([payment_id], |r| {
        Ok(AllocationRow {
            kind: r.get(0)?,
            bill_id: r.get(1)?,
            period: r.get(2)?,
            kwh: r.get(3)?,
            due_date: r.get(4)?,
            fee_id: r.get(5)?,
            fee_item: r.get(6)?,
            tracking_no: r.get(7)?,
            amount_fen: r.get(8)?,
            basis: match r.get::<_, Option<i64>>(9)? {
                Some(days_overdue) => Some(LateBasis {
                    days_overdue,
                    days_charged: r.get(10)?,
                    outage_days: r.get(11)?,
                    minimum: r.get(12)?,
                    accrued_fen: r.get(13)?,
                    paid_before_fen: r.get(14)?,
                }),
                None => None,
            },
            bill_amount_fen: r.get(15)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn insert_void(
    conn: &Connection,
    receipt_id: i64,
    at: &str,
    by: i64,
    approved_by: i64,
    reason: &str,
) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO receipt_void (receipt_id, voided_at, voided_by, approved_by, reason)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![receipt_id, at, by, approved_by, reason],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Record a print; returns its reprint number: 0 for the first print, N for the N-th
/// reprint. A `recovery` print (first printed after a crash) counts as a reprint.
/// The number the next print of a receipt gets, and its kind: 0 the first print, N the
/// N-th reprint; a first print after a crash (`recovery`) prints as 补打 1.
pub fn next_print(
    conn: &Connection,
    receipt_id: i64,
    recovery: bool,
) -> StoreResult<(i64, &'static str)> {
    let next: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(MAX(reprint_no) + 1, 0) FROM receipt_print WHERE receipt_id = ?1",
        )?
        .query_row([receipt_id], |r| r.get(0))?;
    Ok(match (next, recovery) {
        (0, true) => (1, "recovery"),
        (0, false) => (0, "print"),
        (n, _) => (n, "reprint"),
    })
}

pub fn insert_print(
    conn: &Connection,
    receipt_id: i64,
    recovery: bool,
    at: &str,
    by: i64,
) -> StoreResult<i64> {
    let (no, kind) = next_print(conn, receipt_id, recovery)?;
    conn.prepare_cached(
        "INSERT INTO receipt_print (receipt_id, reprint_no, kind, printed_at, printed_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![receipt_id, no, kind, at, by])?;
    Ok(no)
}

/// The latest print number of a receipt (`None`: never printed).
pub fn last_print(conn: &Connection, receipt_id: i64) -> StoreResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT MAX(reprint_no) FROM receipt_print WHERE receipt_id = ?1")?
        .query_row([receipt_id], |r| r.get(0))?)
}

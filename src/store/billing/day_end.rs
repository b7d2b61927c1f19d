//! Day ends (日清日结): a cashier's day in figures (read by aggregates and index seeks, so a
//! busy day or a long history stays fast), and the figures as closed, by method and by
//! denomination.
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::payments::{RECEIPT_SELECT, ReceiptRow, receipt_from_row};
use crate::domain::billing::PayMethod;
use crate::store::StoreResult;
use crate::store::convert::Cols;

/// (business date, cashier id) of days with receipts but no day end, on or before
/// `until`: per cashier, the days worked are walked by index seeks (a few hundred a year),
/// never by reading every payment.
pub fn open_days(
    conn: &Connection,
    cashier_id: Option<i64>,
    until: &str,
) -> StoreResult<Vec<(String, i64)>> {
    let staff: Vec<i64> = conn
        .prepare_cached("SELECT id FROM staff WHERE (?1 IS NULL OR id = ?1) ORDER BY id")?
        .query_map([cashier_id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut next = conn.prepare_cached(
        "SELECT MIN(business_date) FROM payment
         WHERE cashier_id = ?1 AND business_date > ?2 AND business_date <= ?3",
    )?;
    let mut out = Vec::new();
    for id in staff {
        let mut after = String::new();
        while let Some(day) =
            next.query_row(params![id, after, until], |r| r.get::<_, Option<String>>(0))?
        {
            if uncovered_payments(conn, id, &day)? {
                out.push((day.clone(), id));
            }
            after = day;
        }
    }
    out.sort();
    Ok(out)
}

/// The last payment (id) a cashier's closings of a day cover; 0 when the day has none.
/// Payments after it belong to the next closing (第二次日结).
pub fn covered(conn: &Connection, cashier_id: i64, business_date: &str) -> StoreResult<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(MAX(b.last_payment_id), 0) FROM day_end d
             JOIN day_end_batch b ON b.id = d.id
             WHERE d.cashier_id = ?1 AND d.business_date = ?2",
        )?
        .query_row(params![cashier_id, business_date], |r| r.get(0))?)
}

/// The payments a closing covers: after the one before it (id), up to its own last (id).
pub fn batch_range(conn: &Connection, day_end_id: i64) -> StoreResult<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE((SELECT MAX(b2.last_payment_id) FROM day_end d2
                              JOIN day_end_batch b2 ON b2.id = d2.id
                              WHERE d2.cashier_id = d.cashier_id
                                AND d2.business_date = d.business_date AND d2.id < d.id), 0),
                    COALESCE(b.last_payment_id, 0)
             FROM day_end d LEFT JOIN day_end_batch b ON b.id = d.id WHERE d.id = ?1",
        )?
        .query_row([day_end_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// How many closings a cashier made of a day.
pub fn batches(conn: &Connection, cashier_id: i64, business_date: &str) -> StoreResult<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*) FROM day_end WHERE cashier_id = ?1 AND business_date = ?2",
        )?
        .query_row(params![cashier_id, business_date], |r| r.get(0))?)
}

/// Whether a cashier took payments on a day after its last closing (or has no closing).
fn uncovered_payments(
    conn: &Connection,
    cashier_id: i64,
    business_date: &str,
) -> StoreResult<bool> {
    let after = covered(conn, cashier_id, business_date)?;
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM payment
                            WHERE cashier_id = ?1 AND business_date = ?2 AND id > ?3)",
        )?
        .query_row(params![cashier_id, business_date, after], |r| r.get(0))?)
}

/// Cashiers with receipts on a day and no day end for it yet.
pub fn cashiers_to_close(conn: &Connection, business_date: &str) -> StoreResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id FROM staff s
         WHERE EXISTS (SELECT 1 FROM payment p WHERE p.cashier_id = s.id AND p.business_date = ?1)
         ORDER BY s.id",
    )?;
    let ids: Vec<i64> = stmt
        .query_map([business_date], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for id in ids {
        if uncovered_payments(conn, id, business_date)? {
            out.push(id);
        }
    }
    Ok(out)
}

/// A cashier's day in figures: (method, standing receipts, amount 分) per method used. An
/// unknown stored method is an error naming a payment that has it.
pub fn day_methods(
    conn: &Connection,
    cashier_id: i64,
    business_date: &str,
    after: i64,
) -> StoreResult<Vec<(PayMethod, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT MIN(id) AS id, method, COUNT(*) AS n, COALESCE(SUM(amount_fen), 0) AS amount_fen
         FROM live_payment
         WHERE cashier_id = ?1 AND business_date = ?2 AND id > ?3 GROUP BY method",
    )?;
    let rows = stmt.query_map(params![cashier_id, business_date, after], |r| {
        let c = Cols::new(r, "payment", "id")?;
        Ok((c.get("method")?, c.get("n")?, c.get("amount_fen")?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// First and last (year, seq) of a cashier's receipts of a day, and how many (voided and
/// reversals included).
pub type DayRange = (Option<(i32, i64)>, Option<(i32, i64)>, i64);

/// The [`DayRange`] of a cashier's day.
pub fn day_range(
    conn: &Connection,
    cashier_id: i64,
    business_date: &str,
    after: i64,
) -> StoreResult<DayRange> {
    let mut stmt = conn.prepare_cached(
        "SELECT MIN(r.year * 100000000 + r.seq), MAX(r.year * 100000000 + r.seq), COUNT(*)
         FROM payment p JOIN receipt r ON r.payment_id = p.id
         WHERE p.cashier_id = ?1 AND p.business_date = ?2 AND p.id > ?3",
    )?;
    let split = |v: Option<i64>| v.map(|v| ((v / 100_000_000) as i32, v % 100_000_000));
    Ok(
        stmt.query_row(params![cashier_id, business_date, after], |r| {
            Ok((split(r.get(0)?), split(r.get(1)?), r.get::<_, i64>(2)?))
        })?,
    )
}

/// A cashier's voided and reversal receipts of a day, in number order. The few payments
/// that can be either (every voided receipt's, every reversal) are listed first and the
/// day's payments checked against that list by their index alone, instead of each of the
/// day's receipts and its void looked up (a day end of the demo's busiest day: 10 → 1 ms).
pub fn day_exceptions(
    conn: &Connection,
    cashier_id: i64,
    business_date: &str,
    after: i64,
) -> StoreResult<Vec<ReceiptRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{RECEIPT_SELECT} WHERE p.cashier_id = ?1 AND p.business_date = ?2 AND p.id > ?3
           AND p.id IN (SELECT rv.payment_id FROM receipt_void vv CROSS JOIN receipt rv
                          ON rv.id = vv.receipt_id
                        UNION ALL
                        SELECT pr.id FROM payment pr WHERE pr.reverses_id IS NOT NULL)
           AND (v.id IS NOT NULL OR p.reverses_id IS NOT NULL)
         ORDER BY r.year, r.seq"
    ))?;
    let rows = stmt.query_map(params![cashier_id, business_date, after], receipt_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Reprints (补打) a cashier made on a day (`at` starting with the date), after `since`
/// (the last closing's time; empty for the whole day).
pub fn reprints_on(
    conn: &Connection,
    cashier_id: i64,
    date: &str,
    since: &str,
) -> StoreResult<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*) FROM receipt_print WHERE printed_by = ?1 AND reprint_no > 0
               AND printed_at >= ?2 || ' 00:00:00' AND printed_at <= ?2 || ' 23:59:59'
               AND printed_at > ?3",
        )?
        .query_row(params![cashier_id, date, since], |r| r.get(0))?)
}

/// Cash a cashier holds for a day: standing cash receipts (reversals negative), 分.
pub fn cash_of_day(
    conn: &Connection,
    cashier_id: i64,
    business_date: &str,
    after: i64,
) -> StoreResult<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(SUM(amount_fen), 0) FROM live_payment
             WHERE cashier_id = ?1 AND business_date = ?2 AND method = 'cash' AND id > ?3",
        )?
        .query_row(params![cashier_id, business_date, after], |r| r.get(0))?)
}

/// A day end to insert.
#[derive(Clone, Debug)]
pub struct NewDayEnd<'a> {
    pub cashier_id: i64,
    pub business_date: &'a str,
    pub closed_at: &'a str,
    pub expected_fen: i64,
    pub cash_expected_fen: i64,
    pub cash_counted_fen: i64,
    pub difference_reason: &'a str,
    pub receipt_first: Option<&'a str>,
    pub receipt_last: Option<&'a str>,
    pub receipt_count: i64,
    pub reprint_count: i64,
    pub audit_head_seq: i64,
    pub audit_head_hash: &'a str,
    /// which closing of the day (1, 2, …) and the last payment it covers
    pub batch: i64,
    pub last_payment_id: Option<i64>,
    /// (method, count, amount 分)
    pub methods: &'a [(PayMethod, i64, i64)],
    /// (label, face 分, pieces)
    pub cash: &'a [(String, i64, i64)],
}

pub fn insert(conn: &Connection, d: &NewDayEnd<'_>) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO day_end (cashier_id, business_date, closed_at, expected_fen,
             cash_expected_fen, cash_counted_fen, difference_fen, difference_reason,
             receipt_first, receipt_last, receipt_count, reprint_count, audit_head_seq,
             audit_head_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            d.cashier_id,
            d.business_date,
            d.closed_at,
            d.expected_fen,
            d.cash_expected_fen,
            d.cash_counted_fen,
            d.cash_counted_fen - d.cash_expected_fen,
            d.difference_reason,
            d.receipt_first,
            d.receipt_last,
            d.receipt_count,
            d.reprint_count,
            d.audit_head_seq,
            d.audit_head_hash
        ],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO day_end_batch (id, batch, last_payment_id) VALUES (?1, ?2, ?3)",
        params![id, d.batch, d.last_payment_id],
    )?;
    for (pos, (method, count, amount)) in d.methods.iter().enumerate() {
        conn.execute(
            "INSERT INTO day_end_method (day_end_id, pos, method, count, amount_fen)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, pos as i64, method, count, amount],
        )?;
    }
    for (pos, (label, face, pieces)) in d.cash.iter().enumerate() {
        conn.execute(
            "INSERT INTO day_end_cash (day_end_id, pos, label, face_fen, pieces)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, pos as i64, label, face, pieces],
        )?;
    }
    Ok(id)
}

/// A stored day end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayEndRow {
    pub id: i64,
    pub cashier_id: i64,
    pub cashier_name: String,
    pub business_date: String,
    pub closed_at: String,
    pub expected_fen: i64,
    pub cash_expected_fen: i64,
    pub cash_counted_fen: i64,
    pub difference_fen: i64,
    pub difference_reason: String,
    pub receipt_first: Option<String>,
    pub receipt_last: Option<String>,
    pub receipt_count: i64,
    pub reprint_count: i64,
    pub audit_head_seq: i64,
    pub audit_head_hash: String,
    /// which closing of the day: 1, 2, …
    pub batch: i64,
}

const SELECT: &str = "SELECT d.id AS id,
        d.cashier_id AS cashier_id,
        s.display_name AS cashier_name,
        d.business_date AS business_date,
        d.closed_at AS closed_at,
        d.expected_fen AS expected_fen,
        d.cash_expected_fen AS cash_expected_fen,
        d.cash_counted_fen AS cash_counted_fen,
        d.difference_fen AS difference_fen,
        d.difference_reason AS difference_reason,
        d.receipt_first AS receipt_first,
        d.receipt_last AS receipt_last,
        d.receipt_count AS receipt_count,
        d.reprint_count AS reprint_count,
        d.audit_head_seq AS audit_head_seq,
        d.audit_head_hash AS audit_head_hash,
        COALESCE(b.batch, 1) AS batch
    FROM day_end d JOIN staff s ON s.id = d.cashier_id
    LEFT JOIN day_end_batch b ON b.id = d.id";

impl TryFrom<&Row<'_>> for DayEndRow {
    type Error = rusqlite::Error;

    fn try_from(r: &Row<'_>) -> rusqlite::Result<Self> {
        let c = Cols::new(r, "day_end", "id")?;
        Ok(DayEndRow {
            id: c.id(),
            cashier_id: c.get("cashier_id")?,
            cashier_name: c.get("cashier_name")?,
            business_date: c.get("business_date")?,
            closed_at: c.get("closed_at")?,
            expected_fen: c.get("expected_fen")?,
            cash_expected_fen: c.get("cash_expected_fen")?,
            cash_counted_fen: c.get("cash_counted_fen")?,
            difference_fen: c.get("difference_fen")?,
            difference_reason: c.get("difference_reason")?,
            receipt_first: c.get("receipt_first")?,
            receipt_last: c.get("receipt_last")?,
            receipt_count: c.get("receipt_count")?,
            reprint_count: c.get("reprint_count")?,
            audit_head_seq: c.get("audit_head_seq")?,
            audit_head_hash: c.get("audit_head_hash")?,
            batch: c.get("batch")?,
        })
    }
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<DayEndRow> {
    DayEndRow::try_from(r)
}

pub fn by_id(conn: &Connection, id: i64) -> StoreResult<Option<DayEndRow>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE d.id = ?1"))?;
    Ok(stmt.query_row([id], from_row).optional()?)
}

/// The latest closing of a cashier's day.
pub fn of_day(
    conn: &Connection,
    cashier_id: i64,
    business_date: &str,
) -> StoreResult<Option<DayEndRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE d.cashier_id = ?1 AND d.business_date = ?2 ORDER BY d.id DESC LIMIT 1"
    ))?;
    Ok(stmt
        .query_row(params![cashier_id, business_date], from_row)
        .optional()?)
}

/// The closing of a cashier's day before the one with id `before`, if any.
pub fn of_day_before(
    conn: &Connection,
    cashier_id: i64,
    business_date: &str,
    before: i64,
) -> StoreResult<Option<DayEndRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE d.cashier_id = ?1 AND d.business_date = ?2 AND d.id < ?3
         ORDER BY d.id DESC LIMIT 1"
    ))?;
    Ok(stmt
        .query_row(params![cashier_id, business_date, before], from_row)
        .optional()?)
}

/// Day ends between two dates (both included), of one cashier or of everyone.
pub fn list(
    conn: &Connection,
    cashier_id: Option<i64>,
    from: &str,
    to: &str,
) -> StoreResult<Vec<DayEndRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE (?1 IS NULL OR d.cashier_id = ?1)
           AND d.business_date >= ?2 AND d.business_date <= ?3
         ORDER BY d.business_date DESC, s.display_name"
    ))?;
    let rows = stmt.query_map(params![cashier_id, from, to], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// (method, count, amount 分) as closed.
pub fn methods(conn: &Connection, id: i64) -> StoreResult<Vec<(PayMethod, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT day_end_id, method, count, amount_fen FROM day_end_method
         WHERE day_end_id = ?1 ORDER BY pos",
    )?;
    let rows = stmt.query_map([id], |r| {
        let c = Cols::new(r, "day_end", "day_end_id")?;
        Ok((c.get("method")?, c.get("count")?, c.get("amount_fen")?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// (label, face 分, pieces) as counted.
pub fn cash(conn: &Connection, id: i64) -> StoreResult<Vec<(String, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT label, face_fen, pieces FROM day_end_cash WHERE day_end_id = ?1 ORDER BY pos",
    )?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

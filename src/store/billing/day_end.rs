//! Day ends (日清日结): the figures as closed, by method and by denomination.
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::store::StoreResult;

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
    /// (method code, count, amount 分)
    pub methods: &'a [(String, i64, i64)],
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
}

const SELECT: &str = "SELECT d.id, d.cashier_id, s.display_name, d.business_date, d.closed_at,
        d.expected_fen, d.cash_expected_fen, d.cash_counted_fen, d.difference_fen,
        d.difference_reason, d.receipt_first, d.receipt_last, d.receipt_count,
        d.reprint_count, d.audit_head_seq, d.audit_head_hash
    FROM day_end d JOIN staff s ON s.id = d.cashier_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<DayEndRow> {
    Ok(DayEndRow {
        id: r.get(0)?,
        cashier_id: r.get(1)?,
        cashier_name: r.get(2)?,
        business_date: r.get(3)?,
        closed_at: r.get(4)?,
        expected_fen: r.get(5)?,
        cash_expected_fen: r.get(6)?,
        cash_counted_fen: r.get(7)?,
        difference_fen: r.get(8)?,
        difference_reason: r.get(9)?,
        receipt_first: r.get(10)?,
        receipt_last: r.get(11)?,
        receipt_count: r.get(12)?,
        reprint_count: r.get(13)?,
        audit_head_seq: r.get(14)?,
        audit_head_hash: r.get(15)?,
    })
}

pub fn by_id(conn: &Connection, id: i64) -> StoreResult<Option<DayEndRow>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE d.id = ?1"))?;
    Ok(stmt.query_row([id], from_row).optional()?)
}

pub fn of_day(
    conn: &Connection,
    cashier_id: i64,
    business_date: &str,
) -> StoreResult<Option<DayEndRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE d.cashier_id = ?1 AND d.business_date = ?2"
    ))?;
    Ok(stmt
        .query_row(params![cashier_id, business_date], from_row)
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

/// (method code, count, amount 分) as closed.
pub fn methods(conn: &Connection, id: i64) -> StoreResult<Vec<(String, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT method, count, amount_fen FROM day_end_method WHERE day_end_id = ?1 ORDER BY pos",
    )?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
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

//! Bills, waivers, outage periods, prepaid offsets and the sums the payment rules need.
//! Payments and receipts are in [`payments`], day ends in [`day_end`].
//!
//! What stands is what the views of the migration say: a payment counts while its
//! receipt is not voided (`live_payment`, `live_allocation`); the prepaid balance is the
//! sum of `prepaid_movement`.
pub mod day_end;
pub mod payments;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::StoreResult;
use super::convert::Cols;

/// A bill as stored, with whether its late fee is waived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillRow {
    pub id: i64,
    pub customer_id: i64,
    /// `YYYY-MM`
    pub period: String,
    pub kwh: i64,
    pub amount_fen: i64,
    /// `YYYY-MM-DD`
    pub due_date: String,
    pub source: String,
    pub imported_at: String,
    pub waived: bool,
}

const BILL_SELECT: &str = "SELECT b.id AS id,
        b.customer_id AS customer_id,
        b.period AS period,
        b.kwh AS kwh,
        b.amount_fen AS amount_fen,
        b.due_date AS due_date,
        b.source AS source,
        b.imported_at AS imported_at,
        EXISTS (SELECT 1 FROM late_fee_waiver w WHERE w.bill_id = b.id) AS waived
    FROM bill b";

impl TryFrom<&Row<'_>> for BillRow {
    type Error = rusqlite::Error;

    fn try_from(r: &Row<'_>) -> rusqlite::Result<Self> {
        let c = Cols::new(r, "bill", "id")?;
        Ok(BillRow {
            id: c.id(),
            customer_id: c.get("customer_id")?,
            period: c.get("period")?,
            kwh: c.get("kwh")?,
            amount_fen: c.get("amount_fen")?,
            due_date: c.get("due_date")?,
            source: c.get("source")?,
            imported_at: c.get("imported_at")?,
            waived: c.get("waived")?,
        })
    }
}

fn bill_from_row(r: &Row<'_>) -> rusqlite::Result<BillRow> {
    BillRow::try_from(r)
}

/// A bill to insert.
#[derive(Clone, Debug)]
pub struct NewBill<'a> {
    pub customer_id: i64,
    pub period: &'a str,
    pub kwh: i64,
    pub amount_fen: i64,
    pub due_date: &'a str,
    pub source: &'a str,
    pub source_file: &'a str,
    pub imported_at: &'a str,
    pub imported_by: Option<i64>,
}

/// Add a bill, and its kWh and money to its 台区's sales of the period (`area_sales`).
pub fn insert_bill(conn: &Connection, b: &NewBill<'_>) -> StoreResult<i64> {
    let id = insert_bill_only(conn, b)?;
    conn.prepare_cached(
        "INSERT INTO area_sales (area_id, period, bills, kwh, amount_fen)
         SELECT area_id, ?2, 1, ?3, ?4 FROM customer WHERE id = ?1 AND area_id IS NOT NULL
         ON CONFLICT (area_id, period) DO UPDATE SET bills = bills + 1,
             kwh = kwh + excluded.kwh, amount_fen = amount_fen + excluded.amount_fen",
    )?
    .execute(params![b.customer_id, b.period, b.kwh, b.amount_fen])?;
    Ok(id)
}

/// Add `n` bills of `kwh` and `fen` to a 台区's sales of a period (a bulk load's sums).
pub fn add_area_sales(
    conn: &Connection,
    area_id: i64,
    period: &str,
    n: i64,
    kwh: i64,
    fen: i64,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO area_sales (area_id, period, bills, kwh, amount_fen) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (area_id, period) DO UPDATE SET bills = bills + excluded.bills,
             kwh = kwh + excluded.kwh, amount_fen = amount_fen + excluded.amount_fen",
    )?
    .execute(params![area_id, period, n, kwh, fen])?;
    Ok(())
}

/// The columns of a bill, its id first, in the order of [`bill_params`].
pub const BILL_COLUMNS: &[&str] = &[
    "id",
    "customer_id",
    "period",
    "kwh",
    "amount_fen",
    "due_date",
    "source",
    "source_file",
    "imported_at",
    "imported_by",
];

/// A new bill's parameters, for [`BILL_COLUMNS`], handed to `f`: with its own id for a
/// bulk load, without (`None`) for the next one.
pub fn bill_params<T>(
    id: Option<i64>,
    b: &NewBill<'_>,
    f: impl FnOnce(&[&dyn rusqlite::ToSql]) -> T,
) -> T {
    f(params![
        id,
        b.customer_id,
        b.period,
        b.kwh,
        b.amount_fen,
        b.due_date,
        b.source,
        b.source_file,
        b.imported_at,
        b.imported_by
    ])
}

/// Add a bill without its 台区's sales: only for a bulk load that adds its sums with
/// [`add_area_sales`] when it ends.
pub fn insert_bill_only(conn: &Connection, b: &NewBill<'_>) -> StoreResult<i64> {
    bill_params(None, b, |p| {
        crate::store::bulk::insert_one(conn, "bill", BILL_COLUMNS, p)
    })
}

pub fn bill_by_id(conn: &Connection, id: i64) -> StoreResult<Option<BillRow>> {
    let mut stmt = conn.prepare_cached(&format!("{BILL_SELECT} WHERE b.id = ?1"))?;
    Ok(stmt.query_row([id], bill_from_row).optional()?)
}

pub fn bill_of_period(
    conn: &Connection,
    customer_id: i64,
    period: &str,
) -> StoreResult<Option<BillRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{BILL_SELECT} WHERE b.customer_id = ?1 AND b.period = ?2"
    ))?;
    Ok(stmt
        .query_row(params![customer_id, period], bill_from_row)
        .optional()?)
}

/// All bills of a customer, oldest period first.
pub fn bills_of(conn: &Connection, customer_id: i64) -> StoreResult<Vec<BillRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{BILL_SELECT} WHERE b.customer_id = ?1 ORDER BY b.period"
    ))?;
    let rows = stmt.query_map([customer_id], bill_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Principal paid on the customer's bills by standing payments (negative for a
/// reversal) and by prepaid offsets: (bill id, business date, 分).
pub fn principal_changes(
    conn: &Connection,
    customer_id: i64,
) -> StoreResult<Vec<(i64, String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT bill_id, business_date, amount_fen FROM live_allocation
         WHERE customer_id = ?1 AND kind = 'principal'
         UNION ALL
         SELECT bill_id, business_date, amount_fen FROM prepaid_offset WHERE customer_id = ?1",
    )?;
    let rows = stmt.query_map([customer_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Late fee paid per bill by standing payments: (bill id, 分).
pub fn late_fee_paid(conn: &Connection, customer_id: i64) -> StoreResult<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT bill_id, SUM(amount_fen) FROM live_allocation
         WHERE customer_id = ?1 AND kind = 'late_fee' GROUP BY bill_id",
    )?;
    let rows = stmt.query_map([customer_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The customer's prepaid balance (预收), 分.
pub fn prepaid_balance(conn: &Connection, customer_id: i64) -> StoreResult<i64> {
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE((SELECT SUM(amount_fen) FROM live_allocation
                          WHERE customer_id = ?1 AND kind IN ('prepaid_use', 'prepaid_add')), 0)
              - COALESCE((SELECT SUM(amount_fen) FROM prepaid_offset WHERE customer_id = ?1), 0)",
    )?;
    Ok(stmt.query_row([customer_id], |r| r.get(0))?)
}

/// Apply prepaid balance to a bill (预收冲抵, when the bill is imported).
/// The columns of a prepaid offset, in the order of [`offset_params`].
pub const OFFSET_COLUMNS: &[&str] = &[
    "customer_id",
    "bill_id",
    "amount_fen",
    "business_date",
    "at",
];

/// A prepaid offset's parameters, for [`OFFSET_COLUMNS`], handed to `f`.
pub fn offset_params<T>(
    customer_id: i64,
    bill_id: i64,
    amount_fen: i64,
    business_date: &str,
    at: &str,
    f: impl FnOnce(&[&dyn rusqlite::ToSql]) -> T,
) -> T {
    f(params![customer_id, bill_id, amount_fen, business_date, at])
}

pub fn insert_offset(
    conn: &Connection,
    customer_id: i64,
    bill_id: i64,
    amount_fen: i64,
    business_date: &str,
    at: &str,
) -> StoreResult<i64> {
    offset_params(customer_id, bill_id, amount_fen, business_date, at, |p| {
        crate::store::bulk::insert_one(conn, "prepaid_offset", OFFSET_COLUMNS, p)
    })
}

pub fn insert_waiver(
    conn: &Connection,
    bill_id: i64,
    reason: &str,
    by: i64,
    at: &str,
) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO late_fee_waiver (bill_id, reason, waived_by, waived_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![bill_id, reason, by, at],
    )?;
    Ok(conn.last_insert_rowid())
}

/// An outage period as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutageRow {
    pub id: i64,
    pub from_date: String,
    pub to_date: String,
    pub reason: String,
    pub declared_by: String,
    pub declared_at: String,
}

pub fn insert_outage(
    conn: &Connection,
    from: &str,
    to: &str,
    reason: &str,
    by: i64,
    at: &str,
) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO outage_period (from_date, to_date, reason, declared_by, declared_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![from, to, reason, by, at],
    )?;
    Ok(conn.last_insert_rowid())
}

/// All outage periods, earliest first.
pub fn outages(conn: &Connection) -> StoreResult<Vec<OutageRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, o.from_date, o.to_date, o.reason, s.display_name, o.declared_at
         FROM outage_period o JOIN staff s ON s.id = o.declared_by
         ORDER BY o.from_date, o.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(OutageRow {
            id: r.get(0)?,
            from_date: r.get(1)?,
            to_date: r.get(2)?,
            reason: r.get(3)?,
            declared_by: r.get(4)?,
            declared_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A business fee still to be collected (not marked collected), with what standing
/// payments already paid on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeeOwedRow {
    pub fee_id: i64,
    pub order_id: i64,
    pub tracking_no: String,
    pub item: String,
    pub amount_fen: i64,
    pub paid_fen: i64,
    pub added_at: String,
}

const FEE_OWED_SELECT: &str = "SELECT f.id AS fee_id,
        f.order_id AS order_id,
        o.tracking_no AS tracking_no,
        f.item AS item,
        f.amount_fen AS amount_fen,
        COALESCE((SELECT SUM(a.amount_fen) FROM live_allocation a WHERE a.fee_id = f.id), 0) AS paid_fen,
        f.added_at AS added_at
    FROM order_fee f JOIN work_order o ON o.id = f.order_id";

impl TryFrom<&Row<'_>> for FeeOwedRow {
    type Error = rusqlite::Error;

    fn try_from(r: &Row<'_>) -> rusqlite::Result<Self> {
        let c = Cols::new(r, "order_fee", "fee_id")?;
        Ok(FeeOwedRow {
            fee_id: c.id(),
            order_id: c.get("order_id")?,
            tracking_no: c.get("tracking_no")?,
            item: c.get("item")?,
            amount_fen: c.get("amount_fen")?,
            paid_fen: c.get("paid_fen")?,
            added_at: c.get("added_at")?,
        })
    }
}

fn fee_owed_from_row(r: &Row<'_>) -> rusqlite::Result<FeeOwedRow> {
    FeeOwedRow::try_from(r)
}

/// Uncollected fees on the customer's open orders, oldest first.
pub fn fees_owed_by_customer(conn: &Connection, customer_id: i64) -> StoreResult<Vec<FeeOwedRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{FEE_OWED_SELECT} WHERE o.customer_id = ?1 AND o.state = 'open' AND f.collected = 0
         ORDER BY f.added_at, f.id"
    ))?;
    let rows = stmt.query_map([customer_id], fee_owed_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Uncollected fees of one order, oldest first.
pub fn fees_owed_on_order(conn: &Connection, order_id: i64) -> StoreResult<Vec<FeeOwedRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{FEE_OWED_SELECT} WHERE f.order_id = ?1 AND f.collected = 0 ORDER BY f.added_at, f.id"
    ))?;
    let rows = stmt.query_map([order_id], fee_owed_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What standing payments paid on one fee, 分.
pub fn fee_paid(conn: &Connection, fee_id: i64) -> StoreResult<i64> {
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE(SUM(amount_fen), 0) FROM live_allocation WHERE fee_id = ?1",
    )?;
    Ok(stmt.query_row([fee_id], |r| r.get(0))?)
}

/// Mark a fee collected (fully paid) or not (after a void or a reversal).
pub fn set_fee_collected(
    conn: &Connection,
    fee_id: i64,
    collected: Option<(&str, i64)>,
) -> StoreResult<()> {
    match collected {
        Some((at, by)) => conn.execute(
            "UPDATE order_fee SET collected = 1, collected_at = ?2, collected_by = ?3
             WHERE id = ?1",
            params![fee_id, at, by],
        )?,
        None => conn.execute(
            "UPDATE order_fee SET collected = 0, collected_at = NULL, collected_by = NULL
             WHERE id = ?1",
            [fee_id],
        )?,
    };
    Ok(())
}

/// The customer with this account number (or former account number), if any.
pub fn customer_by_account(conn: &Connection, account_no: &str) -> StoreResult<Option<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM customer WHERE account_no = ?1
         UNION ALL SELECT id FROM customer WHERE old_account_no = ?1 LIMIT 1",
    )?;
    Ok(stmt.query_row([account_no], |r| r.get(0)).optional()?)
}

/// (id, usage category, status) of every customer, by id (the demo bills them all).
pub fn all_customers(conn: &Connection) -> StoreResult<Vec<(i64, String, String, String)>> {
    let mut stmt =
        conn.prepare("SELECT id, usage_category, status, created_at FROM customer ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Customers holding a prepaid balance, with it (分).
pub fn prepaid_balances(conn: &Connection) -> StoreResult<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT customer_id, SUM(amount_fen) FROM prepaid_movement
         GROUP BY customer_id HAVING SUM(amount_fen) > 0",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Customers with a work order (the demo sends them through the service one by one).
pub fn customers_with_orders(conn: &Connection) -> StoreResult<Vec<i64>> {
    let mut stmt =
        conn.prepare("SELECT DISTINCT customer_id FROM work_order WHERE customer_id IS NOT NULL")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

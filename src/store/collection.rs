//! Collection of arrears (issue 15, migration 0027): the overdue bills of the arrears list,
//! read in bulk, and the append-only records of marks, notices, disconnections and
//! reconnections.
//!
//! Why one bulk query and not a customer's account per customer: on the 100,000-customer
//! demo some 28,000 customers owe something overdue; computing each account on its own was
//! seconds. The query reads every bill due before the day with what was paid on it (sums
//! over the covering indexes of migration 0027) and keeps the bills not fully paid.
//! Payments whose receipt was voided do not count: the raw sums include them, so a bill
//! touched by a void is always kept here and its exact figures come from
//! [`bill_principal_changes`] and [`voided_on_bills`].
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreResult;
use super::convert::{Cols, ColumnMap, Day};
use crate::domain::collection::NoticeKind;
use crate::domain::customer::UsageCategory;

/// An overdue bill not fully paid, with its customer (raw sums: voided payments included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverdueBill {
    pub bill_id: i64,
    pub customer_id: i64,
    /// `YYYY-MM`
    pub period: String,
    pub amount_fen: i64,
    pub due_date: Day,
    /// principal paid by every payment (voided ones too) and prepaid offsets
    pub paid_raw_fen: i64,
    /// late fee paid by every payment (voided ones too)
    pub late_paid_raw_fen: i64,
    pub waived: bool,
    pub account_no: String,
    pub name: String,
    pub usage: UsageCategory,
    pub area_id: Option<i64>,
    pub area_name: Option<String>,
    pub manager_id: Option<i64>,
    pub manager_name: Option<String>,
}

const PAID: &str = "COALESCE((SELECT SUM(a.amount_fen) FROM allocation a
                              WHERE a.bill_id = b.id AND a.kind = 'principal'), 0)
                  + COALESCE((SELECT SUM(o.amount_fen) FROM prepaid_offset o WHERE o.bill_id = b.id), 0)";

// CROSS JOIN keeps the few voids the outer loop (left to itself the planner walked every
// allocation and looked up its receipt: seconds on the demo)
const VOIDED_BILLS: &str = "SELECT a.bill_id FROM receipt_void v
        CROSS JOIN receipt r ON r.id = v.receipt_id
        CROSS JOIN allocation a ON a.payment_id = r.payment_id
        WHERE a.bill_id IS NOT NULL";

/// Which bills the query reads: one 台区's (its customers first, then their bills), one
/// customer's, or those whose ids are listed (`?2` … in the `IN` list).
enum Scope {
    Area,
    Customer,
    Ids(usize),
}

fn overdue_sql(scope: Scope) -> String {
    let (from, filter) = match scope {
        Scope::Area => (
            "customer c CROSS JOIN bill b ON b.customer_id = c.id",
            "AND c.area_id = ?2".to_string(),
        ),
        Scope::Customer => (
            "bill b JOIN customer c ON c.id = b.customer_id",
            "AND b.customer_id = ?2".to_string(),
        ),
        Scope::Ids(n) => (
            "bill b JOIN customer c ON c.id = b.customer_id",
            format!(
                "AND b.id IN ({})",
                (0..n)
                    .map(|i| format!("?{}", i + 2))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        ),
    };
    format!(
        "SELECT b.id AS id, b.customer_id AS customer_id, b.period AS period,
                b.amount_fen AS amount_fen, b.due_date AS due_date,
                {PAID} AS paid_raw,
                COALESCE((SELECT SUM(a.amount_fen) FROM allocation a
                          WHERE a.bill_id = b.id AND a.kind = 'late_fee'), 0) AS late_paid_raw,
                EXISTS (SELECT 1 FROM late_fee_waiver w WHERE w.bill_id = b.id) AS waived,
                c.account_no AS account_no, c.name AS name, c.usage_category AS usage,
                c.area_id AS area_id, t.name AS area_name, t.manager_id AS manager_id,
                s.display_name AS manager_name
         FROM {from}
         LEFT JOIN transformer_area t ON t.id = c.area_id
         LEFT JOIN staff s ON s.id = t.manager_id
         WHERE b.due_date < ?1 {filter}
           AND (b.amount_fen > {PAID} OR b.id IN ({VOIDED_BILLS}))
         ORDER BY b.customer_id, b.period"
    )
}

fn overdue_row(r: &rusqlite::Row<'_>, map: &ColumnMap) -> rusqlite::Result<OverdueBill> {
    let c = Cols::mapped(r, "bill", "id", map)?;
    Ok(OverdueBill {
        bill_id: c.id(),
        customer_id: c.get("customer_id")?,
        period: c.get("period")?,
        amount_fen: c.get("amount_fen")?,
        due_date: c.get("due_date")?,
        paid_raw_fen: c.get("paid_raw")?,
        late_paid_raw_fen: c.get("late_paid_raw")?,
        waived: c.get("waived")?,
        account_no: c.get("account_no")?,
        name: c.get("name")?,
        usage: c.get("usage")?,
        area_id: c.get("area_id")?,
        area_name: c.get("area_name")?,
        manager_id: c.get("manager_id")?,
        manager_name: c.get("manager_name")?,
    })
}

/// Bills due before `today` and not fully paid (by the raw sums; see the module notes), of
/// one 台区 or of all, by customer and period.
pub fn overdue_bills(
    conn: &Connection,
    today: Day,
    area_id: Option<i64>,
) -> StoreResult<Vec<OverdueBill>> {
    let mut rows = match area_id {
        Some(a) => {
            let mut stmt = conn.prepare_cached(&overdue_sql(Scope::Area))?;
            let map = ColumnMap::of(&stmt);
            stmt.query_map(params![today, a], |r| overdue_row(r, &map))?
                .collect::<Result<Vec<_>, _>>()?
        }
        None => {
            let ids = open_bill_ids(conn, today)?;
            let mut out = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(CHUNK) {
                let mut stmt = conn.prepare_cached(&overdue_sql(Scope::Ids(chunk.len())))?;
                let map = ColumnMap::of(&stmt);
                let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() + 1);
                values.push(&today);
                values.extend(chunk.iter().map(|id| id as &dyn rusqlite::ToSql));
                let got = stmt.query_map(values.as_slice(), |r| overdue_row(r, &map))?;
                for r in got {
                    out.push(r?);
                }
            }
            out
        }
    };
    rows.sort_by(|a, b| (a.customer_id, &a.period).cmp(&(b.customer_id, &b.period)));
    Ok(rows)
}

/// Bills read per query by id (well under SQLite's limit of bound values).
const CHUNK: usize = 500;

/// The ids of every bill due before `today` whose principal is not fully paid by the raw
/// sums, plus every bill a voided payment touched. Three streams in bill order — the bills,
/// the principal paid per bill, the offsets per bill (both sums over the covering indexes
/// of migration 0027) — merged here: on the 100,000-customer demo this reads 1.1 million
/// bills in a fraction of the time of a lookup per bill.
pub fn open_bill_ids(conn: &Connection, today: Day) -> StoreResult<Vec<i64>> {
    let mut bills =
        conn.prepare_cached("SELECT id, amount_fen FROM bill WHERE due_date < ?1 ORDER BY id")?;
    let mut paid = conn.prepare_cached(
        "SELECT bill_id, SUM(amount_fen) FROM allocation INDEXED BY allocation_bill_amount
         WHERE bill_id IS NOT NULL AND kind = 'principal' GROUP BY bill_id ORDER BY bill_id",
    )?;
    let mut offsets = conn.prepare_cached(
        "SELECT bill_id, SUM(amount_fen) FROM prepaid_offset INDEXED BY prepaid_offset_bill_amount
         GROUP BY bill_id ORDER BY bill_id",
    )?;
    let mut voided: Vec<i64> = conn
        .prepare_cached(VOIDED_BILLS)?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    voided.sort_unstable();
    voided.dedup();
    let mut paid_rows = paid.query([])?;
    let mut offset_rows = offsets.query([])?;
    let mut next_paid: Option<(i64, i64)> = next_pair(&mut paid_rows)?;
    let mut next_offset: Option<(i64, i64)> = next_pair(&mut offset_rows)?;
    let mut out = Vec::new();
    let mut rows = bills.query([today])?;
    while let Some(r) = rows.next()? {
        let (id, amount): (i64, i64) = (r.get(0)?, r.get(1)?);
        let mut sum = 0;
        while let Some((bill, fen)) = next_paid.filter(|(b, _)| *b <= id) {
            if bill == id {
                sum += fen;
            }
            next_paid = next_pair(&mut paid_rows)?;
        }
        while let Some((bill, fen)) = next_offset.filter(|(b, _)| *b <= id) {
            if bill == id {
                sum += fen;
            }
            next_offset = next_pair(&mut offset_rows)?;
        }
        if amount > sum || voided.binary_search(&id).is_ok() {
            out.push(id);
        }
    }
    Ok(out)
}

fn next_pair(rows: &mut rusqlite::Rows<'_>) -> StoreResult<Option<(i64, i64)>> {
    Ok(match rows.next()? {
        Some(r) => Some((r.get(0)?, r.get(1)?)),
        None => None,
    })
}

/// The overdue bills of one customer (same shape as [`overdue_bills`]).
pub fn overdue_bills_of(
    conn: &Connection,
    today: Day,
    customer_id: i64,
) -> StoreResult<Vec<OverdueBill>> {
    let mut stmt = conn.prepare_cached(&overdue_sql(Scope::Customer))?;
    let map = ColumnMap::of(&stmt);
    let rows = stmt
        .query_map(params![today, customer_id], |r| overdue_row(r, &map))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Principal and late fee paid on bills by payments whose receipt was voided:
/// (bill id, principal 分, late fee 分).
pub fn voided_on_bills(conn: &Connection) -> StoreResult<Vec<(i64, i64, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.bill_id,
                SUM(CASE WHEN a.kind = 'principal' THEN a.amount_fen ELSE 0 END),
                SUM(CASE WHEN a.kind = 'late_fee' THEN a.amount_fen ELSE 0 END)
         FROM receipt_void v
         CROSS JOIN receipt r ON r.id = v.receipt_id
         CROSS JOIN allocation a ON a.payment_id = r.payment_id
         WHERE a.bill_id IS NOT NULL
         GROUP BY a.bill_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Principal paid on one bill by standing payments and prepaid offsets, by business day.
pub fn bill_principal_changes(conn: &Connection, bill_id: i64) -> StoreResult<Vec<(Day, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT business_date, amount_fen FROM live_allocation
         WHERE bill_id = ?1 AND kind = 'principal'
         UNION ALL
         SELECT business_date, amount_fen FROM prepaid_offset WHERE bill_id = ?1",
    )?;
    let rows = stmt.query_map([bill_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A customer's arrears mark as it stands (the latest).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkRow {
    pub customer_id: i64,
    pub deliberate: bool,
    pub note: String,
    pub marked_by: String,
    pub marked_at: String,
}

/// The standing mark of every customer that has one.
pub fn current_marks(conn: &Connection) -> StoreResult<Vec<MarkRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.customer_id, m.deliberate, m.note, s.display_name, m.marked_at
         FROM arrears_mark m JOIN staff s ON s.id = m.marked_by
         WHERE m.id IN (SELECT MAX(id) FROM arrears_mark GROUP BY customer_id)",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(MarkRow {
            customer_id: r.get(0)?,
            deliberate: r.get(1)?,
            note: r.get(2)?,
            marked_by: r.get(3)?,
            marked_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether a customer's standing mark says deliberate (`None`: never marked).
pub fn current_marks_of(conn: &Connection, customer_id: i64) -> StoreResult<Option<bool>> {
    Ok(conn
        .prepare_cached(
            "SELECT deliberate FROM arrears_mark WHERE customer_id = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([customer_id], |r| r.get(0))
        .optional()?)
}

pub fn insert_mark(
    conn: &Connection,
    customer_id: i64,
    deliberate: bool,
    note: &str,
    by: i64,
    at: &str,
) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO arrears_mark (customer_id, deliberate, note, marked_by, marked_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![customer_id, deliberate, note, by, at])?;
    Ok(conn.last_insert_rowid())
}

/// A notice printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeRow {
    pub id: i64,
    pub customer_id: i64,
    pub kind: NoticeKind,
    pub principal_fen: i64,
    pub late_fee_fen: i64,
    pub days_overdue: i64,
    pub printed_on: Day,
    pub period_end: Option<Day>,
}

const NOTICE_SELECT: &str = "SELECT id, customer_id, kind, principal_fen, late_fee_fen,
        days_overdue, printed_on, period_end FROM collection_notice";

fn notice_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<NoticeRow> {
    let c = Cols::new(r, "collection_notice", "id")?;
    Ok(NoticeRow {
        id: c.id(),
        customer_id: c.get("customer_id")?,
        kind: c.get("kind")?,
        principal_fen: c.get("principal_fen")?,
        late_fee_fen: c.get("late_fee_fen")?,
        days_overdue: c.get("days_overdue")?,
        printed_on: c.get("printed_on")?,
        period_end: c.get("period_end")?,
    })
}

/// The latest notice of each kind of every customer that has one.
pub fn latest_notices(conn: &Connection) -> StoreResult<Vec<NoticeRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{NOTICE_SELECT} WHERE id IN (SELECT MAX(id) FROM collection_notice
                                      GROUP BY customer_id, kind)"
    ))?;
    let rows = stmt.query_map([], notice_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The latest notice of `kind` printed for a customer.
pub fn latest_notice(
    conn: &Connection,
    customer_id: i64,
    kind: NoticeKind,
) -> StoreResult<Option<NoticeRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{NOTICE_SELECT} WHERE customer_id = ?1 AND kind = ?2 ORDER BY id DESC LIMIT 1"
    ))?;
    Ok(stmt
        .query_row(params![customer_id, kind], notice_row)
        .optional()?)
}

/// A notice to insert (after its print succeeded).
#[derive(Clone, Debug)]
pub struct NewNotice<'a> {
    pub customer_id: i64,
    pub kind: NoticeKind,
    pub principal_fen: i64,
    pub late_fee_fen: i64,
    pub days_overdue: i64,
    pub printed_on: Day,
    pub period_end: Option<Day>,
    pub printed_by: i64,
    pub printed_at: &'a str,
    pub file: &'a str,
}

pub fn insert_notice(conn: &Connection, n: &NewNotice<'_>) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO collection_notice (customer_id, kind, principal_fen, late_fee_fen,
             days_overdue, printed_on, period_end, printed_by, printed_at, file)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        n.customer_id,
        n.kind,
        n.principal_fen,
        n.late_fee_fen,
        n.days_overdue,
        n.printed_on,
        n.period_end,
        n.printed_by,
        n.printed_at,
        n.file
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A disconnection, with its reconnection order when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisconnectionRow {
    pub id: i64,
    pub customer_id: i64,
    pub notice_id: i64,
    pub disconnected_on: Day,
    pub reader_id: i64,
    pub reader_name: String,
    pub reason: String,
    pub owed_fen: i64,
    pub order_id: Option<i64>,
    pub tracking_no: Option<String>,
}

const DISCONNECTION_SELECT: &str = "SELECT d.id AS id, d.customer_id AS customer_id,
        d.notice_id AS notice_id, d.disconnected_on AS disconnected_on,
        d.reader_id AS reader_id, s.display_name AS reader_name, d.reason AS reason,
        d.owed_fen AS owed_fen, rc.order_id AS order_id, o.tracking_no AS tracking_no
    FROM disconnection d
    JOIN staff s ON s.id = d.reader_id
    LEFT JOIN reconnection rc ON rc.disconnection_id = d.id
    LEFT JOIN work_order o ON o.id = rc.order_id";

fn disconnection_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DisconnectionRow> {
    let c = Cols::new(r, "disconnection", "id")?;
    Ok(DisconnectionRow {
        id: c.id(),
        customer_id: c.get("customer_id")?,
        notice_id: c.get("notice_id")?,
        disconnected_on: c.get("disconnected_on")?,
        reader_id: c.get("reader_id")?,
        reader_name: c.get("reader_name")?,
        reason: c.get("reason")?,
        owed_fen: c.get("owed_fen")?,
        order_id: c.get("order_id")?,
        tracking_no: c.get("tracking_no")?,
    })
}

/// Disconnections not yet followed by a reconnection order.
pub fn open_disconnections(conn: &Connection) -> StoreResult<Vec<DisconnectionRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{DISCONNECTION_SELECT} WHERE rc.id IS NULL ORDER BY d.id"
    ))?;
    let rows = stmt.query_map([], disconnection_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A customer's latest disconnection.
pub fn last_disconnection(
    conn: &Connection,
    customer_id: i64,
) -> StoreResult<Option<DisconnectionRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{DISCONNECTION_SELECT} WHERE d.customer_id = ?1 ORDER BY d.id DESC LIMIT 1"
    ))?;
    Ok(stmt
        .query_row([customer_id], disconnection_row)
        .optional()?)
}

/// Disconnections by a reader on days from `from` up to (not including) `to`.
pub fn count_by_reader(conn: &Connection, reader_id: i64, from: Day, to: Day) -> StoreResult<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM disconnection
             WHERE reader_id = ?1 AND disconnected_on >= ?2 AND disconnected_on < ?3",
        )?
        .query_row(params![reader_id, from, to], |r| r.get(0))?)
}

/// A disconnection to insert.
#[derive(Clone, Debug)]
pub struct NewDisconnection<'a> {
    pub customer_id: i64,
    pub notice_id: i64,
    pub disconnected_on: Day,
    pub reader_id: i64,
    pub reason: &'a str,
    pub owed_fen: i64,
    pub recorded_by: i64,
    pub recorded_at: &'a str,
}

pub fn insert_disconnection(conn: &Connection, d: &NewDisconnection<'_>) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO disconnection (customer_id, notice_id, disconnected_on, reader_id, reason,
             owed_fen, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        d.customer_id,
        d.notice_id,
        d.disconnected_on,
        d.reader_id,
        d.reason,
        d.owed_fen,
        d.recorded_by,
        d.recorded_at
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn insert_reconnection(
    conn: &Connection,
    disconnection_id: i64,
    order_id: i64,
    by: i64,
    at: &str,
) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO reconnection (disconnection_id, order_id, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![disconnection_id, order_id, by, at])?;
    Ok(conn.last_insert_rowid())
}

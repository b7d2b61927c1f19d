//! What the deadline board reads: open (and recently closed) orders with their stage end
//! dates and customer pauses, in three queries whatever the number of orders; and the
//! pauses themselves (started, ended once, never deleted).
use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::convert::Cols;
use super::{StoreError, StoreResult};
use crate::domain::coded::Coded;
use crate::domain::deadline::PauseCause;
use crate::domain::work_order::{ConnectionClass, OrderState, RequestKind, Stage};

/// One order as the deadline code needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClockRow {
    pub id: i64,
    pub tracking_no: String,
    pub kind: RequestKind,
    pub class: Option<ConnectionClass>,
    pub external_works: bool,
    pub state: OrderState,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub name: String,
    pub residential: bool,
    pub area_id: Option<i64>,
    pub area_name: Option<String>,
    pub responsible_id: i64,
    pub responsible_name: String,
    pub dispatched_to: Option<i64>,
    pub dispatched_name: Option<String>,
    pub fast_channel: bool,
    /// chain order, with the day (`YYYY-MM-DD…`) each stage was done
    pub stages: Vec<(Stage, Option<String>)>,
    pub pauses: Vec<PauseRow>,
}

/// A customer pause of an order's clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PauseRow {
    pub id: i64,
    pub order_id: i64,
    pub cause: PauseCause,
    pub reason: String,
    pub from_date: String,
    pub to_date: Option<String>,
    pub started_by: String,
    pub started_at: String,
    pub ended_by: Option<String>,
    pub ended_at: Option<String>,
}

const PAUSE_COLUMNS: &str = "p.id AS id, p.order_id AS order_id, p.cause AS cause,
    p.reason AS reason, p.from_date AS from_date, p.to_date AS to_date,
    s.display_name AS started_by, p.started_at AS started_at, e.display_name AS ended_by,
    p.ended_at AS ended_at
    FROM order_pause p JOIN staff s ON s.id = p.started_by LEFT JOIN staff e ON e.id = p.ended_by";

fn pause_from_row(r: &Row<'_>) -> rusqlite::Result<PauseRow> {
    let c = Cols::new(r, "order_pause", "id")?;
    Ok(PauseRow {
        id: c.id(),
        order_id: c.get("order_id")?,
        cause: c.get("cause")?,
        reason: c.get("reason")?,
        from_date: c.get("from_date")?,
        to_date: c.get("to_date")?,
        started_by: c.get("started_by")?,
        started_at: c.get("started_at")?,
        ended_by: c.get("ended_by")?,
        ended_at: c.get("ended_at")?,
    })
}

/// Open orders, and orders closed on or after `closed_since` (`YYYY-MM-DD`; `None` = open
/// only), each with its stages and pauses. `order_id` narrows it to one order.
pub fn clock_rows(
    conn: &Connection,
    closed_since: Option<&str>,
    order_id: Option<i64>,
) -> StoreResult<Vec<ClockRow>> {
    let scope =
        "(o.state = 'open' OR (?1 IS NOT NULL AND o.state = 'completed' AND o.closed_at >= ?1))
        AND (?2 IS NULL OR o.id = ?2)";
    clock_rows_in(conn, scope, params![closed_since, order_id])
}

/// The orders completed from `from` (`YYYY-MM-DD`) up to, not including, `until`, with
/// their stages and pauses: whether each kept its promise (the station reports).
pub fn clock_rows_completed(
    conn: &Connection,
    from: &str,
    until: &str,
) -> StoreResult<Vec<ClockRow>> {
    let scope = "o.state = 'completed' AND o.closed_at >= ?1 AND o.closed_at < ?2";
    clock_rows_in(conn, scope, params![from, until])
}

/// The rows of the orders `scope` (SQL on `work_order o`, with the parameters `p`) selects.
fn clock_rows_in(
    conn: &Connection,
    scope: &str,
    p: &[&dyn rusqlite::ToSql],
) -> StoreResult<Vec<ClockRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT o.id AS id, o.tracking_no AS tracking_no, o.kind AS kind,
                o.conn_class AS conn_class, o.external_works AS external_works,
                o.state AS state, o.created_at AS created_at, o.closed_at AS closed_at,
                coalesce(c.name, o.applicant_name) AS name,
                coalesce(c.usage_category, '') AS usage_category,
                o.area_id AS area_id, o.responsible_id AS responsible_id,
                o.dispatched_to AS dispatched_to, o.fast_channel AS fast_channel
         FROM work_order o
         LEFT JOIN customer c ON c.id = o.customer_id
         WHERE {scope}"
    ))?;
    let mut rows: Vec<ClockRow> = stmt
        .query_map(p, |r| {
            let c = Cols::new(r, "work_order", "id")?;
            let class: Option<ConnectionClass> = c.get("conn_class")?;
            let category: String = c.get("usage_category")?;
            Ok(ClockRow {
                id: c.id(),
                tracking_no: c.get("tracking_no")?,
                kind: c.get("kind")?,
                class,
                external_works: c.get("external_works")?,
                state: c.get("state")?,
                created_at: c.get("created_at")?,
                closed_at: c.get("closed_at")?,
                name: c.get("name")?,
                residential: match class {
                    Some(c) => c == ConnectionClass::LvResidential,
                    None => category.is_empty() || category == "residential",
                },
                area_id: c.get("area_id")?,
                area_name: None,
                responsible_id: c.get("responsible_id")?,
                responsible_name: String::new(),
                dispatched_to: c.get("dispatched_to")?,
                dispatched_name: None,
                fast_channel: c.get("fast_channel")?,
                stages: Vec::new(),
                pauses: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    // names from the two small tables, not joined row by row
    let staff = names(conn, "SELECT id, display_name FROM staff")?;
    let areas = names(conn, "SELECT id, name FROM transformer_area")?;
    for r in &mut rows {
        r.responsible_name = staff.get(&r.responsible_id).cloned().unwrap_or_default();
        r.dispatched_name = r.dispatched_to.and_then(|d| staff.get(&d).cloned());
        r.area_name = r.area_id.and_then(|a| areas.get(&a).cloned());
    }
    rows.sort_by_key(|r| r.id);
    let at: HashMap<i64, usize> = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    // one row per order: `pos:stage:YYYY-MM-DD` (date empty while pending), put in chain
    // order here (group_concat's order is not guaranteed)
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT s.order_id,
                group_concat(s.pos || ':' || s.stage || ':' || coalesce(substr(s.done_at, 1, 10), ''), ',')
         FROM order_stage s
         WHERE s.order_id IN (SELECT o.id FROM work_order o WHERE {scope})
         GROUP BY s.order_id"
    ))?;
    let mut q = stmt.query(p)?;
    let mut chain: Vec<(i64, Stage, Option<String>)> = Vec::new();
    while let Some(r) = q.next()? {
        let id: i64 = r.get(0)?;
        let Some(&i) = at.get(&id) else { continue };
        let text: String = r.get(1)?;
        chain.clear();
        let bad = |detail: String| StoreError::Corrupt(format!("work_order {id}: {detail}"));
        for part in text.split(',') {
            let mut it = part.splitn(3, ':');
            let (Some(pos), Some(code), done) = (it.next(), it.next(), it.next()) else {
                return Err(bad(format!("环节记录 \"{part}\" 无法识别")));
            };
            let pos: i64 = pos
                .parse()
                .map_err(|_| bad(format!("环节序号 \"{pos}\" 无法识别")))?;
            let stage = Stage::parse_code(code).map_err(|e| bad(e.to_string()))?;
            let done = done.filter(|d| !d.is_empty()).map(str::to_string);
            chain.push((pos, stage, done));
        }
        chain.sort_by_key(|c| c.0);
        rows[i]
            .stages
            .extend(chain.drain(..).map(|(_, stage, done)| (stage, done)));
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAUSE_COLUMNS} JOIN work_order o ON o.id = p.order_id WHERE {scope} ORDER BY p.id"
    ))?;
    let pauses = stmt.query_map(p, pause_from_row)?;
    for p in pauses {
        let p = p?;
        if let Some(&i) = at.get(&p.order_id) {
            rows[i].pauses.push(p);
        }
    }
    Ok(rows)
}

fn names(conn: &Connection, sql: &str) -> StoreResult<HashMap<i64, String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn pauses(conn: &Connection, order_id: i64) -> StoreResult<Vec<PauseRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAUSE_COLUMNS} WHERE p.order_id = ?1 ORDER BY p.id"
    ))?;
    let rows = stmt.query_map([order_id], pause_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn running_pause(conn: &Connection, order_id: i64) -> StoreResult<Option<PauseRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAUSE_COLUMNS} WHERE p.order_id = ?1 AND p.to_date IS NULL"
    ))?;
    Ok(stmt.query_row([order_id], pause_from_row).optional()?)
}

#[allow(clippy::too_many_arguments)]
pub fn insert_pause(
    conn: &Connection,
    order_id: i64,
    cause: PauseCause,
    reason: &str,
    from_date: &str,
    by: i64,
    at: &str,
) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO order_pause (order_id, cause, reason, from_date, started_by, started_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![order_id, cause, reason, from_date, by, at],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn end_pause(
    conn: &Connection,
    pause_id: i64,
    to_date: &str,
    by: i64,
    at: &str,
) -> StoreResult<()> {
    conn.execute(
        "UPDATE order_pause SET to_date = ?2, ended_by = ?3, ended_at = ?4 WHERE id = ?1",
        params![pause_id, to_date, by, at],
    )?;
    Ok(())
}

/// Moves whenever the database may have changed: `PRAGMA data_version` (commits of other
/// connections) and this connection's own change count.
pub fn change_key(conn: &Connection) -> StoreResult<(i64, u64)> {
    let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
    Ok((version, conn.total_changes()))
}

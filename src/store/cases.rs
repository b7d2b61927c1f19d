//! Complaints and repair calls (issue 14): the case rows, their steps and return visits, the
//! area type of each 台区. Functions take `&Connection` and run inside the caller's
//! transaction when they write.
use std::collections::HashMap;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreResult;
use super::convert::{Cols, ColumnMap, Moment};
use crate::domain::case::{AreaType, CaseKind, Channel};
use crate::domain::case_flow::{CaseState, ClosedHow, StepKind, VisitResult};

/// A case as stored, with the names it points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseRow {
    pub id: i64,
    pub case_no: String,
    pub kind: CaseKind,
    pub channel: Channel,
    pub upstream_no: String,
    pub received_at: NaiveDateTime,
    pub customer_id: Option<i64>,
    /// the customer's 户号 and name as on file now (one case read alone; `None` in lists)
    pub account_no: Option<String>,
    pub customer_name: Option<String>,
    pub caller_name: String,
    pub caller_phone: String,
    pub place: String,
    pub area_id: Option<i64>,
    pub area_code: Option<String>,
    pub area_name: Option<String>,
    pub content: String,
    pub urgent: bool,
    pub supply_cut: bool,
    pub order_id: Option<i64>,
    pub order_tracking_no: Option<String>,
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    pub crew: String,
    pub state: CaseState,
    pub round: i64,
    pub visit_needed: bool,
    pub closed_at: Option<NaiveDateTime>,
    pub closed_how: Option<ClosedHow>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

impl CaseRow {
    /// Who called (the customer's own name when the customer called).
    pub fn caller(&self) -> &str {
        &self.caller_name
    }
}

const SELECT: &str = "SELECT k.*, c.account_no AS account_no, c.name AS customer_name,
        a.code AS area_code, a.name AS area_name, o.tracking_no AS order_tracking_no,
        s.display_name AS assignee_name
    FROM service_case AS k
    LEFT JOIN customer AS c ON c.id = k.customer_id
    LEFT JOIN transformer_area AS a ON a.id = k.area_id
    LEFT JOIN work_order AS o ON o.id = k.order_id
    LEFT JOIN staff AS s ON s.id = k.assignee_id";

/// The lists (board, duty log, report) need no customer row: the caller's name is on the
/// case (the customer's own name when the customer called). Leaving the join out keeps the
/// board's read of 2,000 cases off 2,000 random pages of the customer table.
const LIST_SELECT: &str = "SELECT k.*, NULL AS account_no, NULL AS customer_name,
        a.code AS area_code, a.name AS area_name, o.tracking_no AS order_tracking_no,
        s.display_name AS assignee_name
    FROM service_case AS k
    LEFT JOIN transformer_area AS a ON a.id = k.area_id
    LEFT JOIN work_order AS o ON o.id = k.order_id
    LEFT JOIN staff AS s ON s.id = k.assignee_id";

fn case_row(r: &rusqlite::Row<'_>, map: &ColumnMap) -> rusqlite::Result<CaseRow> {
    let c = Cols::mapped(r, "service_case", "id", map)?;
    Ok(CaseRow {
        id: c.id(),
        case_no: c.get("case_no")?,
        kind: c.get("kind")?,
        channel: c.get("channel")?,
        upstream_no: c.get("upstream_no")?,
        received_at: c.get::<Moment>("received_at")?.0,
        customer_id: c.get("customer_id")?,
        account_no: c.get("account_no")?,
        customer_name: c.get("customer_name")?,
        caller_name: c.get("caller_name")?,
        caller_phone: c.get("caller_phone")?,
        place: c.get("place")?,
        area_id: c.get("area_id")?,
        area_code: c.get("area_code")?,
        area_name: c.get("area_name")?,
        content: c.get("content")?,
        urgent: c.get("urgent")?,
        supply_cut: c.get("supply_cut")?,
        order_id: c.get("order_id")?,
        order_tracking_no: c.get("order_tracking_no")?,
        assignee_id: c.get("assignee_id")?,
        assignee_name: c.get("assignee_name")?,
        crew: c.get("crew")?,
        state: c.get("state")?,
        round: c.get("round")?,
        visit_needed: c.get("visit_needed")?,
        closed_at: c.get::<Option<Moment>>("closed_at")?.map(|m| m.0),
        closed_how: c.get("closed_how")?,
        created_by: c.get("created_by")?,
        created_at: c.get::<Moment>("created_at")?.0,
    })
}

/// A case to insert.
#[derive(Clone, Debug)]
pub struct NewCase<'a> {
    pub case_no: &'a str,
    pub kind: CaseKind,
    pub channel: Channel,
    pub upstream_no: &'a str,
    pub received_at: NaiveDateTime,
    pub customer_id: Option<i64>,
    pub caller_name: &'a str,
    pub caller_phone: &'a str,
    pub place: &'a str,
    pub area_id: Option<i64>,
    pub content: &'a str,
    pub urgent: bool,
    pub supply_cut: bool,
    pub order_id: Option<i64>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

/// The next case number of `day` for `station`: `{station}T{yyyymmdd}{seq:03}`.
pub fn next_case_no(
    conn: &Connection,
    station: &str,
    day: chrono::NaiveDate,
) -> StoreResult<String> {
    let prefix = format!("{station}T{}", day.format("%Y%m%d"));
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM service_case WHERE case_no >= ?1 AND case_no < ?2")?
        .query_row(params![prefix, format!("{prefix}~")], |r| r.get(0))?;
    Ok(format!("{prefix}{:03}", n + 1))
}

/// Insert a case (state open, round 0); `visit_needed` decided by the caller from the id
/// the row gets, so it is set right after.
pub fn insert(conn: &Connection, c: &NewCase<'_>) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO service_case (case_no, kind, channel, upstream_no, received_at, customer_id,
             caller_name, caller_phone, place, area_id, content, urgent, supply_cut, order_id,
             state, visit_needed, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'open', 1, ?15, ?16)",
    )?
    .execute(params![
        c.case_no,
        c.kind,
        c.channel,
        c.upstream_no,
        Moment(c.received_at),
        c.customer_id,
        c.caller_name,
        c.caller_phone,
        c.place,
        c.area_id,
        c.content,
        c.urgent,
        c.supply_cut,
        c.order_id,
        c.created_by,
        Moment(c.created_at),
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn set_visit_needed(conn: &Connection, id: i64, needed: bool) -> StoreResult<()> {
    conn.prepare_cached("UPDATE service_case SET visit_needed = ?2 WHERE id = ?1")?
        .execute(params![id, needed])?;
    Ok(())
}

pub fn set_assignee(conn: &Connection, id: i64, staff: Option<i64>, crew: &str) -> StoreResult<()> {
    conn.prepare_cached("UPDATE service_case SET assignee_id = ?2, crew = ?3 WHERE id = ?1")?
        .execute(params![id, staff, crew])?;
    Ok(())
}

/// Move a case to `state` (closed with how and when; reopened with its next round).
pub fn set_state(
    conn: &Connection,
    id: i64,
    state: CaseState,
    round: i64,
    closed: Option<(NaiveDateTime, ClosedHow)>,
) -> StoreResult<()> {
    conn.prepare_cached(
        "UPDATE service_case SET state = ?2, round = ?3, closed_at = ?4, closed_how = ?5 WHERE id = ?1",
    )?
    .execute(params![
        id,
        state,
        round,
        closed.map(|c| Moment(c.0)),
        closed.map(|c| c.1)
    ])?;
    Ok(())
}

/// What a change to a case was decided on: its state, round and how many steps and visits
/// it had. Read again inside the change's transaction: another window may have moved the
/// case since.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version {
    pub state: CaseState,
    pub round: i64,
    pub steps: i64,
    pub visits: i64,
}

pub fn version(conn: &Connection, id: i64) -> StoreResult<Option<Version>> {
    Ok(conn
        .prepare_cached(
            "SELECT state, round,
                    (SELECT count(*) FROM case_step WHERE case_id = k.id),
                    (SELECT count(*) FROM case_visit WHERE case_id = k.id)
               FROM service_case AS k WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Version {
                state: r.get(0)?,
                round: r.get(1)?,
                steps: r.get(2)?,
                visits: r.get(3)?,
            })
        })
        .optional()?)
}

pub fn by_id(conn: &Connection, id: i64) -> StoreResult<Option<CaseRow>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE k.id = ?1"))?
        .query_row([id], |r| case_row(r, &ColumnMap::default()))
        .optional()?)
}

/// Every case not closed.
pub fn open_cases(conn: &Connection) -> StoreResult<Vec<CaseRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{LIST_SELECT} WHERE k.state <> 'closed' ORDER BY k.received_at, k.id"
    ))?;
    let map = ColumnMap::of(&stmt);
    let rows = stmt.query_map([], |r| case_row(r, &map))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The cases received in `[from, to)`, in order.
pub fn received_between(
    conn: &Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> StoreResult<Vec<CaseRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{LIST_SELECT} WHERE k.received_at >= ?1 AND k.received_at < ?2 ORDER BY k.received_at, k.id"
    ))?;
    let map = ColumnMap::of(&stmt);
    let rows = stmt.query_map(params![Moment(from), Moment(to)], |r| case_row(r, &map))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A step as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRow {
    pub id: i64,
    pub case_id: i64,
    pub round: i64,
    pub step: StepKind,
    pub at: NaiveDateTime,
    pub note: String,
    pub staff_id: Option<i64>,
    pub staff_name: Option<String>,
    pub outage_customers: Option<i64>,
    pub outage_from: Option<NaiveDateTime>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

const STEP_SELECT: &str = "SELECT s.*, d.display_name AS staff_name, r.display_name AS recorder
    FROM case_step AS s
    LEFT JOIN staff AS d ON d.id = s.staff_id
    JOIN staff AS r ON r.id = s.recorded_by";

fn step_row(r: &rusqlite::Row<'_>, map: &ColumnMap) -> rusqlite::Result<StepRow> {
    let c = Cols::mapped(r, "case_step", "id", map)?;
    Ok(StepRow {
        id: c.id(),
        case_id: c.get("case_id")?,
        round: c.get("round")?,
        step: c.get("step")?,
        at: c.get::<Moment>("at")?.0,
        note: c.get("note")?,
        staff_id: c.get("staff_id")?,
        staff_name: c.get("staff_name")?,
        outage_customers: c.get("outage_customers")?,
        outage_from: c.get::<Option<Moment>>("outage_from")?.map(|m| m.0),
        recorded_by: c.get("recorder")?,
        recorded_at: c.get::<Moment>("recorded_at")?.0,
    })
}

/// A step to add.
#[derive(Clone, Debug)]
pub struct NewStep<'a> {
    pub case_id: i64,
    pub round: i64,
    pub step: StepKind,
    pub at: NaiveDateTime,
    pub note: &'a str,
    pub staff_id: Option<i64>,
    pub outage: Option<(i64, NaiveDateTime)>,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

pub fn insert_step(conn: &Connection, s: &NewStep<'_>) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO case_step (case_id, round, step, at, note, staff_id, outage_customers,
             outage_from, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        s.case_id,
        s.round,
        s.step,
        Moment(s.at),
        s.note,
        s.staff_id,
        s.outage.map(|o| o.0),
        s.outage.map(|o| Moment(o.1)),
        s.recorded_by,
        Moment(s.recorded_at),
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The steps of one case, in order.
pub fn steps(conn: &Connection, case_id: i64) -> StoreResult<Vec<StepRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{STEP_SELECT} WHERE s.case_id = ?1 ORDER BY s.round, s.at, s.id"
    ))?;
    let map = ColumnMap::of(&stmt);
    let rows = stmt.query_map([case_id], |r| step_row(r, &map))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The steps of every case not closed, grouped by case.
pub fn open_steps(conn: &Connection) -> StoreResult<HashMap<i64, Vec<StepRow>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{STEP_SELECT} JOIN service_case AS k ON k.id = s.case_id
         WHERE k.state <> 'closed' ORDER BY s.case_id, s.round, s.at, s.id"
    ))?;
    let map = ColumnMap::of(&stmt);
    group(stmt.query_map([], |r| step_row(r, &map))?, |s| s.case_id)
}

/// The steps of the cases received in `[from, to)`, grouped by case.
pub fn steps_received_between(
    conn: &Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> StoreResult<HashMap<i64, Vec<StepRow>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{STEP_SELECT} JOIN service_case AS k ON k.id = s.case_id
         WHERE k.received_at >= ?1 AND k.received_at < ?2 ORDER BY s.case_id, s.round, s.at, s.id"
    ))?;
    let map = ColumnMap::of(&stmt);
    group(
        stmt.query_map(params![Moment(from), Moment(to)], |r| step_row(r, &map))?,
        |s| s.case_id,
    )
}

fn group<T>(
    rows: impl Iterator<Item = rusqlite::Result<T>>,
    key: impl Fn(&T) -> i64,
) -> StoreResult<HashMap<i64, Vec<T>>> {
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    for r in rows {
        let r = r?;
        out.entry(key(&r)).or_default().push(r);
    }
    Ok(out)
}

/// A return visit as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitRow {
    pub id: i64,
    pub case_id: i64,
    pub round: i64,
    pub result: VisitResult,
    pub note: String,
    pub at: NaiveDateTime,
    pub recorded_by: String,
}

fn visit_row(r: &rusqlite::Row<'_>, map: &ColumnMap) -> rusqlite::Result<VisitRow> {
    let c = Cols::mapped(r, "case_visit", "id", map)?;
    Ok(VisitRow {
        id: c.id(),
        case_id: c.get("case_id")?,
        round: c.get("round")?,
        result: c.get("result")?,
        note: c.get("note")?,
        at: c.get::<Moment>("at")?.0,
        recorded_by: c.get("recorder")?,
    })
}

const VISIT_SELECT: &str = "SELECT v.*, r.display_name AS recorder
    FROM case_visit AS v JOIN staff AS r ON r.id = v.recorded_by";

#[allow(clippy::too_many_arguments)]
pub fn insert_visit(
    conn: &Connection,
    case_id: i64,
    round: i64,
    result: VisitResult,
    note: &str,
    at: NaiveDateTime,
    recorded_by: i64,
    recorded_at: NaiveDateTime,
) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO case_visit (case_id, round, result, note, at, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        case_id,
        round,
        result,
        note,
        Moment(at),
        recorded_by,
        Moment(recorded_at)
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn visits(conn: &Connection, case_id: i64) -> StoreResult<Vec<VisitRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{VISIT_SELECT} WHERE v.case_id = ?1 ORDER BY v.at, v.id"
    ))?;
    let map = ColumnMap::of(&stmt);
    let rows = stmt.query_map([case_id], |r| visit_row(r, &map))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The visits of every case not closed, grouped by case.
pub fn open_visits(conn: &Connection) -> StoreResult<HashMap<i64, Vec<VisitRow>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{VISIT_SELECT} JOIN service_case AS k ON k.id = v.case_id
         WHERE k.state <> 'closed' ORDER BY v.case_id, v.at, v.id"
    ))?;
    let map = ColumnMap::of(&stmt);
    group(stmt.query_map([], |r| visit_row(r, &map))?, |v| v.case_id)
}

/// The visits of the cases received in `[from, to)`, grouped by case.
pub fn visits_received_between(
    conn: &Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> StoreResult<HashMap<i64, Vec<VisitRow>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{VISIT_SELECT} JOIN service_case AS k ON k.id = v.case_id
         WHERE k.received_at >= ?1 AND k.received_at < ?2 ORDER BY v.case_id, v.at, v.id"
    ))?;
    let map = ColumnMap::of(&stmt);
    group(
        stmt.query_map(params![Moment(from), Moment(to)], |r| visit_row(r, &map))?,
        |v| v.case_id,
    )
}

/// How many cases each customer and each phone made since `since` (for the repeat-caller
/// mark).
pub fn caller_counts(
    conn: &Connection,
    since: NaiveDateTime,
) -> StoreResult<(HashMap<i64, u32>, HashMap<String, u32>)> {
    let mut by_customer = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, count(*) FROM service_case
         WHERE customer_id IS NOT NULL AND received_at >= ?1 GROUP BY customer_id",
    )?;
    for r in stmt.query_map([Moment(since)], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?))
    })? {
        let (k, n) = r?;
        by_customer.insert(k, n);
    }
    let mut by_phone = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT caller_phone, count(*) FROM service_case
         WHERE caller_phone <> '' AND received_at >= ?1 GROUP BY caller_phone",
    )?;
    for r in stmt.query_map([Moment(since)], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
    })? {
        let (k, n) = r?;
        by_phone.insert(k, n);
    }
    Ok((by_customer, by_phone))
}

/// A restore step with the supply cut it ended, for 停电时户数.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutageRow {
    pub case_id: i64,
    pub case_no: String,
    pub area_id: Option<i64>,
    pub area_name: Option<String>,
    pub customers: i64,
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
}

/// The outages ended (supply restored) in `[from, to)`.
pub fn outages_between(
    conn: &Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> StoreResult<Vec<OutageRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id AS id, s.case_id AS case_id, k.case_no AS case_no, k.area_id AS area_id,
                a.name AS area_name, s.outage_customers AS customers, s.outage_from AS cut_from,
                s.at AS cut_to
         FROM case_step AS s JOIN service_case AS k ON k.id = s.case_id
         LEFT JOIN transformer_area AS a ON a.id = k.area_id
         WHERE s.step = 'restored' AND s.outage_customers IS NOT NULL AND s.at >= ?1 AND s.at < ?2
         ORDER BY s.at, s.id",
    )?;
    let rows = stmt.query_map(params![Moment(from), Moment(to)], |r| {
        let c = Cols::new(r, "case_step", "id")?;
        Ok(OutageRow {
            case_id: c.get("case_id")?,
            case_no: c.get("case_no")?,
            area_id: c.get("area_id")?,
            area_name: c.get("area_name")?,
            customers: c.get("customers")?,
            from: c.get::<Moment>("cut_from")?.0,
            to: c.get::<Moment>("cut_to")?.0,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The area type of every 台区 that has one (the others count as rural).
pub fn area_types(conn: &Connection) -> StoreResult<HashMap<i64, AreaType>> {
    let mut stmt = conn.prepare_cached("SELECT area_id, area_type FROM area_type")?;
    let rows = stmt.query_map([], |r| {
        let c = Cols::new(r, "area_type", "area_id")?;
        Ok((c.get::<i64>("area_id")?, c.get::<AreaType>("area_type")?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn set_area_type(conn: &Connection, area_id: i64, t: AreaType) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO area_type (area_id, area_type) VALUES (?1, ?2)
         ON CONFLICT(area_id) DO UPDATE SET area_type = excluded.area_type",
    )?
    .execute(params![area_id, t])?;
    Ok(())
}

/// Complaints linked to a work order: (case id, case no, received, order id, tracking no,
/// holder — dispatched to, else responsible —, residential).
#[allow(clippy::type_complexity)]
pub fn complaint_order_links(
    conn: &Connection,
) -> StoreResult<Vec<(i64, String, NaiveDateTime, i64, String, i64, bool)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.id AS id, k.case_no AS case_no, k.received_at AS received_at, o.id AS order_id,
                o.tracking_no AS tracking_no,
                coalesce(o.dispatched_to, o.responsible_id) AS holder,
                coalesce(o.conn_class, 'lv_residential') = 'lv_residential' AS residential
         FROM service_case AS k JOIN work_order AS o ON o.id = k.order_id
         WHERE k.kind = 'complaint' ORDER BY k.id",
    )?;
    let rows = stmt.query_map([], |r| {
        let c = Cols::new(r, "service_case", "id")?;
        Ok((
            c.id(),
            c.get("case_no")?,
            c.get::<Moment>("received_at")?.0,
            c.get("order_id")?,
            c.get("tracking_no")?,
            c.get("holder")?,
            c.get("residential")?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

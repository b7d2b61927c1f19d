//! Rotation plans as stored (migration 0021).
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreResult;
use super::convert::{Cols, Day};
use crate::domain::rotation::{Candidate, Source};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanRow {
    pub id: i64,
    pub year: i32,
    pub created_at: String,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
}

pub fn plan_by_year(conn: &Connection, year: i32) -> StoreResult<Option<PlanRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT p.id, p.year, p.created_at, p.approved_at, s.display_name AS approved_by
               FROM rotation_plan AS p LEFT JOIN staff AS s ON s.id = p.approved_by
              WHERE p.year = ?1",
        )?
        .query_row([year], |r| {
            let c = Cols::new(r, "rotation_plan", "id")?;
            Ok(PlanRow {
                id: c.id(),
                year: c.get("year")?,
                created_at: c.get("created_at")?,
                approved_at: c.get("approved_at")?,
                approved_by: c.get("approved_by")?,
            })
        })
        .optional()?)
}

pub fn insert_plan(conn: &Connection, year: i32, at: &str, staff_id: i64) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO rotation_plan (year, created_at, created_by) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![year, at, staff_id])?;
    Ok(conn.last_insert_rowid())
}

/// Approve a plan once; `false` when it was already approved.
pub fn approve(conn: &Connection, id: i64, at: &str, staff_id: i64) -> StoreResult<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE rotation_plan SET approved_at = ?2, approved_by = ?3
              WHERE id = ?1 AND approved_at IS NULL",
        )?
        .execute(params![id, at, staff_id])?;
    Ok(n == 1)
}

/// An item to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewItem<'a> {
    pub plan_id: i64,
    pub meter_id: i64,
    pub customer_id: Option<i64>,
    pub area_id: Option<i64>,
    pub month: u32,
    pub source: Source,
    pub reported_by: Option<i64>,
    pub reported_at: Option<&'a str>,
    pub note: &'a str,
    pub after_approval: bool,
}

pub fn insert_item(conn: &Connection, i: &NewItem<'_>) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO rotation_item (plan_id, meter_id, customer_id, area_id, month, source,
                                    reported_by, reported_at, note, added_after_approval)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        i.plan_id,
        i.meter_id,
        i.customer_id,
        i.area_id,
        i.month,
        i.source,
        i.reported_by,
        i.reported_at,
        i.note,
        i.after_approval
    ])?;
    Ok(conn.last_insert_rowid())
}

/// An item with what the plan screen, the work list and the progress need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRow {
    pub id: i64,
    pub month: u32,
    pub source: Source,
    pub meter_id: i64,
    pub asset_no: String,
    pub valid_until: NaiveDate,
    pub position: String,
    pub seals: String,
    pub customer_id: Option<i64>,
    pub account_no: Option<String>,
    pub customer_name: Option<String>,
    pub address: Option<String>,
    pub area_id: Option<i64>,
    pub area_name: Option<String>,
    pub manager_id: Option<i64>,
    pub manager_name: Option<String>,
    pub reported_by: Option<String>,
    pub added_after_approval: bool,
    pub done_on: Option<NaiveDate>,
    pub note: String,
}

/// Every item of a plan, by month, 台区 and asset number.
pub fn items(conn: &Connection, plan_id: i64) -> StoreResult<Vec<ItemRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, i.month, i.source, i.meter_id, m.asset_no, m.valid_until, m.position,
                m.seals, i.customer_id, c.account_no, c.name AS customer_name, c.address,
                i.area_id, a.name AS area_name, a.manager_id, s.display_name AS manager_name,
                r.display_name AS reported_by, i.added_after_approval, i.done_on, i.note
           FROM rotation_item AS i JOIN meter AS m ON m.id = i.meter_id
           LEFT JOIN customer AS c ON c.id = i.customer_id
           LEFT JOIN transformer_area AS a ON a.id = i.area_id
           LEFT JOIN staff AS s ON s.id = a.manager_id
           LEFT JOIN staff AS r ON r.id = i.reported_by
          WHERE i.plan_id = ?1
          ORDER BY i.month, a.code, m.asset_no",
    )?;
    let rows = stmt
        .query_map([plan_id], |r| {
            let c = Cols::new(r, "rotation_item", "id")?;
            Ok(ItemRow {
                id: c.id(),
                month: c.get("month")?,
                source: c.get("source")?,
                meter_id: c.get("meter_id")?,
                asset_no: c.get("asset_no")?,
                valid_until: c.get::<Day>("valid_until")?.0,
                position: c.get("position")?,
                seals: c.get("seals")?,
                customer_id: c.get("customer_id")?,
                account_no: c.get("account_no")?,
                customer_name: c.get("customer_name")?,
                address: c.get("address")?,
                area_id: c.get("area_id")?,
                area_name: c.get("area_name")?,
                manager_id: c.get("manager_id")?,
                manager_name: c.get("manager_name")?,
                reported_by: c.get("reported_by")?,
                added_after_approval: c.get("added_after_approval")?,
                done_on: c.get::<Option<Day>>("done_on")?.map(|d| d.0),
                note: c.get("note")?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn set_month(conn: &Connection, item_id: i64, month: u32) -> StoreResult<()> {
    conn.prepare_cached("UPDATE rotation_item SET month = ?2 WHERE id = ?1")?
        .execute(params![item_id, month])?;
    Ok(())
}

/// The open (not done) item of a meter, in any plan: (item id, plan year, month).
pub fn open_item_of_meter(
    conn: &Connection,
    meter_id: i64,
) -> StoreResult<Option<(i64, i32, u32)>> {
    Ok(conn
        .prepare_cached(
            "SELECT i.id, p.year, i.month FROM rotation_item AS i
               JOIN rotation_plan AS p ON p.id = i.plan_id
              WHERE i.meter_id = ?1 AND i.swap_id IS NULL
              ORDER BY p.year LIMIT 1",
        )?
        .query_row([meter_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

pub fn mark_done(conn: &Connection, item_id: i64, swap_id: i64, day: NaiveDate) -> StoreResult<()> {
    conn.prepare_cached(
        "UPDATE rotation_item SET swap_id = ?2, done_on = ?3 WHERE id = ?1 AND swap_id IS NULL",
    )?
    .execute(params![item_id, swap_id, Day(day)])?;
    Ok(())
}

/// The meters in service that a plan for `year` may take, as the proposal sees them: those
/// whose verification period ends by the end of the year (an index range, not every meter),
/// and those on an account with an open 故障换表 order (faulty).
pub fn candidates(
    conn: &Connection,
    year: i32,
    large_kva: i64,
) -> StoreResult<Vec<(Candidate, Option<i64>)>> {
    let next_year = format!("{:04}-01-01", year + 1);
    let mut stmt = conn.prepare_cached(
        "WITH faulty(customer_id) AS (
             SELECT DISTINCT customer_id FROM work_order
              WHERE kind = 'faulty_meter' AND state = 'open' AND customer_id IS NOT NULL),
         chosen(id) AS (
             SELECT id FROM meter WHERE status = 'service' AND valid_until < ?1
             UNION
             SELECT m.id FROM faulty AS f JOIN meter AS m ON m.customer_id = f.customer_id
              WHERE m.status = 'service')
         SELECT m.id, COALESCE(c.area_id, m.area_id) AS area_id, m.valid_until, m.customer_id,
                m.customer_id IN (SELECT customer_id FROM faulty) AS faulty,
                COALESCE(CAST(c.contracted_kva AS REAL) >= ?2, 0) AS large
           FROM chosen JOIN meter AS m ON m.id = chosen.id
           LEFT JOIN customer AS c ON c.id = m.customer_id
          ORDER BY m.id",
    )?;
    let rows = stmt
        .query_map(params![next_year, large_kva], |r| {
            let c = Cols::new(r, "meter", "id")?;
            Ok((
                Candidate {
                    meter_id: c.id(),
                    area_id: c.get("area_id")?,
                    valid_until: c.get::<Day>("valid_until")?.0,
                    faulty: c.get("faulty")?,
                    large: c.get("large")?,
                },
                c.get("customer_id")?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Items of approved plans whose month ended before `today` (its last day is before today)
/// and whose meter was not swapped by that day, in a 台区 with an area manager, with no
/// entry yet under assessment rule `rule_id` (subject `rotation:<item>`).
pub fn missed(
    conn: &Connection,
    today: NaiveDate,
    rule_id: i64,
) -> StoreResult<Vec<crate::domain::assessment::RotationFact>> {
    use chrono::Datelike;
    let this_month = i64::from(today.year()) * 100 + i64::from(today.month());
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, p.year, i.month, m.asset_no, c.account_no, c.name AS customer_name,
                c.usage_category, a.name AS area_name, a.manager_id
           FROM rotation_item AS i
           JOIN rotation_plan AS p ON p.id = i.plan_id AND p.approved_at IS NOT NULL
           JOIN meter AS m ON m.id = i.meter_id
           JOIN transformer_area AS a ON a.id = i.area_id AND a.manager_id IS NOT NULL
           LEFT JOIN customer AS c ON c.id = i.customer_id
          WHERE p.year * 100 + i.month < ?1
            AND (i.done_on IS NULL
                 OR i.done_on > date(printf('%04d-%02d-01', p.year, i.month), '+1 month', '-1 day'))
            AND NOT EXISTS (SELECT 1 FROM assessment_entry AS e
                             WHERE e.rule_id = ?2 AND e.subject = 'rotation:' || i.id)
          ORDER BY i.id",
    )?;
    let rows = stmt
        .query_map(params![this_month, rule_id], |r| {
            let c = Cols::new(r, "rotation_item", "id")?;
            let usage: Option<String> = c.get("usage_category")?;
            let area: Option<String> = c.get("area_name")?;
            Ok(crate::domain::assessment::RotationFact {
                item_id: c.id(),
                year: c.get("year")?,
                month: c.get("month")?,
                asset_no: c.get("asset_no")?,
                account_no: c.get::<Option<String>>("account_no")?.unwrap_or_default(),
                name: c
                    .get::<Option<String>>("customer_name")?
                    .unwrap_or_else(|| area.map_or_else(String::new, |a| format!("{a}总表"))),
                residential: usage.as_deref() == Some("residential"),
                holder_id: c.get("manager_id")?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

//! Rectification findings and their steps (migration 0030). Functions take `&Connection`
//! and run inside the caller's transaction when they write.
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreResult;
use super::convert::{Cols, Day};
use crate::domain::rectification::{FindingCategory, FindingState, FindingStep};

/// A finding to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFinding<'a> {
    pub year: i32,
    pub category: FindingCategory,
    pub description: &'a str,
    pub staff_id: Option<i64>,
    pub area_id: Option<i64>,
    pub due_on: NaiveDate,
    pub by: i64,
    pub at: &'a str,
}

/// Record a finding with the next number of its year; returns (id, 整改单号).
pub fn insert_finding(conn: &Connection, f: &NewFinding<'_>) -> StoreResult<(i64, String)> {
    let seq: i64 = conn.query_row(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_finding WHERE year = ?1",
        [f.year],
        |r| r.get(0),
    )?;
    let no = crate::domain::rectification::finding_no(f.year, seq);
    conn.prepare_cached(
        "INSERT INTO audit_finding (finding_no, year, seq, category, description, staff_id,
             area_id, due_on, found_by, found_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        no,
        f.year,
        seq,
        f.category,
        f.description,
        f.staff_id,
        f.area_id,
        Day(f.due_on),
        f.by,
        f.at
    ])?;
    Ok((conn.last_insert_rowid(), no))
}

/// Record a step and move the finding to `to` (the trigger refuses any other move).
pub fn add_step(
    conn: &Connection,
    finding_id: i64,
    kind: FindingStep,
    note: &str,
    by: i64,
    at: &str,
    to: FindingState,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO audit_finding_step (finding_id, kind, note, by_staff, at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![finding_id, kind, note, by, at])?;
    let closed = (to == FindingState::Accepted).then_some(at);
    conn.prepare_cached("UPDATE audit_finding SET state = ?2, closed_at = ?3 WHERE id = ?1")?
        .execute(params![finding_id, to, closed])?;
    Ok(())
}

/// A finding as listed, with the names of the people and the 台区.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingRow {
    pub id: i64,
    pub finding_no: String,
    pub category: FindingCategory,
    pub description: String,
    pub staff_id: Option<i64>,
    pub staff_name: Option<String>,
    pub area_id: Option<i64>,
    pub area_name: Option<String>,
    /// the 台区's manager (answers for a finding against the 台区)
    pub area_manager_id: Option<i64>,
    pub due_on: NaiveDate,
    pub state: FindingState,
    pub found_by_name: String,
    pub found_at: String,
    pub closed_at: Option<String>,
    /// the last fix recorded (整改情况), if any
    pub last_fix: Option<String>,
}

const SELECT: &str = "SELECT f.id, f.finding_no, f.category, f.description, f.staff_id,
        s.display_name AS staff_name, f.area_id, a.name AS area_name,
        a.manager_id AS area_manager_id, f.due_on, f.state, b.display_name AS found_by_name,
        f.found_at, f.closed_at,
        (SELECT note FROM audit_finding_step t WHERE t.finding_id = f.id AND t.kind = 'fix'
          ORDER BY t.id DESC LIMIT 1) AS last_fix
    FROM audit_finding f
    LEFT JOIN staff s ON s.id = f.staff_id
    LEFT JOIN transformer_area a ON a.id = f.area_id
    JOIN staff b ON b.id = f.found_by";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FindingRow> {
    let c = Cols::new(r, "audit_finding", "id")?;
    Ok(FindingRow {
        id: c.id(),
        finding_no: c.get("finding_no")?,
        category: c.get("category")?,
        description: c.get("description")?,
        staff_id: c.get("staff_id")?,
        staff_name: c.get("staff_name")?,
        area_id: c.get("area_id")?,
        area_name: c.get("area_name")?,
        area_manager_id: c.get("area_manager_id")?,
        due_on: c.get::<Day>("due_on")?.0,
        state: c.get("state")?,
        found_by_name: c.get("found_by_name")?,
        found_at: c.get("found_at")?,
        closed_at: c.get("closed_at")?,
        last_fix: c.get("last_fix")?,
    })
}

/// One finding.
pub fn by_id(conn: &Connection, id: i64) -> StoreResult<Option<FindingRow>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE f.id = ?1"))?
        .query_row([id], row)
        .optional()?)
}

/// Findings recorded from `from` to `to` (inclusive days, text compare), or still not
/// accepted whenever recorded when `open_too`; newest first.
pub fn list(
    conn: &Connection,
    from: &str,
    to: &str,
    open_too: bool,
) -> StoreResult<Vec<FindingRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE (substr(f.found_at, 1, 10) BETWEEN ?1 AND ?2)
            OR (?3 AND f.state <> 'accepted')
         ORDER BY f.found_at DESC, f.id DESC"
    ))?;
    let rows = stmt
        .query_map(params![from, to, open_too], row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A step of a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRow {
    pub kind: FindingStep,
    pub note: String,
    pub by_name: String,
    pub at: String,
}

/// The steps of a finding, oldest first.
pub fn steps(conn: &Connection, finding_id: i64) -> StoreResult<Vec<StepRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.kind, t.note, s.display_name AS by_name, t.at
         FROM audit_finding_step t JOIN staff s ON s.id = t.by_staff
         WHERE t.finding_id = ?1 ORDER BY t.id",
    )?;
    let rows = stmt
        .query_map([finding_id], |r| {
            let c = Cols::new(r, "audit_finding_step", "id")?;
            Ok(StepRow {
                kind: c.get("kind")?,
                note: c.get("note")?,
                by_name: c.get("by_name")?,
                at: c.get("at")?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// (waiting for a fix, of those past their deadline on `today`, fixes waiting for the
/// auditor) over all findings not yet accepted.
pub fn counts(conn: &Connection, today: NaiveDate) -> StoreResult<(i64, i64, i64)> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(state IN ('open', 'returned')), 0),
                COALESCE(SUM(state IN ('open', 'returned') AND due_on < ?1), 0),
                COALESCE(SUM(state = 'fixed'), 0)
         FROM audit_finding WHERE state <> 'accepted'",
        [Day(today)],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

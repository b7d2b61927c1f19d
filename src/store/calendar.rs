//! The official calendar as stored (migration 0005).
use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::StoreResult;
use crate::domain::calendar::WorkCalendar;

pub fn load(conn: &Connection) -> StoreResult<WorkCalendar> {
    let mut off = Vec::new();
    let mut makeup = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT day, kind FROM calendar_day")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (day, kind) = row?;
        if let Ok(d) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
            if kind == "makeup" {
                makeup.push(d)
            } else {
                off.push(d)
            }
        }
    }
    let mut stmt = conn.prepare_cached("SELECT year FROM calendar_year")?;
    let years = stmt
        .query_map([], |r| r.get::<_, i32>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(WorkCalendar::new(off, makeup, years))
}

/// Enter (or correct) one day; returns the kind it had before, if any.
pub fn set_day(
    conn: &Connection,
    day: NaiveDate,
    kind: &str,
    name: &str,
) -> StoreResult<Option<String>> {
    use rusqlite::OptionalExtension;
    let key = day.format("%Y-%m-%d").to_string();
    let old: Option<String> = conn
        .query_row(
            "SELECT kind FROM calendar_day WHERE day = ?1",
            [&key],
            |r| r.get(0),
        )
        .optional()?;
    conn.execute(
        "INSERT INTO calendar_day (day, kind, name) VALUES (?1, ?2, ?3)
         ON CONFLICT(day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
        params![key, kind, name],
    )?;
    Ok(old)
}

/// Mark a year's official notice as entered.
pub fn add_year(conn: &Connection, year: i32, source: &str, at: &str) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO calendar_year (year, source, entered_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(year) DO UPDATE SET source = excluded.source, entered_at = excluded.entered_at",
        params![year, source, at],
    )?;
    Ok(())
}

/// The entered days of `year`: day, kind (`off` / `makeup`), holiday name; by date.
pub fn days_of_year(conn: &Connection, year: i32) -> StoreResult<Vec<(NaiveDate, String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT day, kind, name FROM calendar_day WHERE substr(day, 1, 4) = ?1 ORDER BY day",
    )?;
    let rows = stmt.query_map([format!("{year:04}")], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (day, kind, name) = row?;
        if let Ok(d) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
            out.push((d, kind, name));
        }
    }
    Ok(out)
}

/// The source of a year's notice, when the year is entered.
pub fn year_source(conn: &Connection, year: i32) -> StoreResult<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT source FROM calendar_year WHERE year = ?1",
            [year],
            |r| r.get(0),
        )
        .optional()?)
}

/// Remove a wrongly entered day (it becomes an ordinary day again); returns its old kind.
pub fn clear_day(conn: &Connection, day: NaiveDate) -> StoreResult<Option<String>> {
    use rusqlite::OptionalExtension;
    let key = day.format("%Y-%m-%d").to_string();
    let old: Option<String> = conn
        .query_row(
            "SELECT kind FROM calendar_day WHERE day = ?1",
            [&key],
            |r| r.get(0),
        )
        .optional()?;
    conn.execute("DELETE FROM calendar_day WHERE day = ?1", [&key])?;
    Ok(old)
}

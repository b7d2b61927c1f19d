//! The official calendar as stored (migration 0005).
use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::StoreResult;
use super::convert::{Cols, Day};
use crate::domain::calendar::{DayKind, WorkCalendar};

/// One entered day: a bad date or kind is an error naming the day, never an ordinary day.
fn day_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(NaiveDate, DayKind)> {
    let c = Cols::keyed(r, "calendar_day", "day")?;
    let day: Day = c.get("day")?;
    Ok((day.0, c.get("kind")?))
}

pub fn load(conn: &Connection) -> StoreResult<WorkCalendar> {
    let mut off = Vec::new();
    let mut makeup = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT day, kind FROM calendar_day")?;
    for row in stmt.query_map([], day_from_row)? {
        match row? {
            (d, DayKind::MakeUp) => makeup.push(d),
            (d, DayKind::Off) => off.push(d),
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
    kind: DayKind,
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

/// The entered days of `year`: day, kind, holiday name; by date.
pub fn days_of_year(
    conn: &Connection,
    year: i32,
) -> StoreResult<Vec<(NaiveDate, DayKind, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT day, kind, name FROM calendar_day WHERE substr(day, 1, 4) = ?1 ORDER BY day",
    )?;
    let rows = stmt.query_map([format!("{year:04}")], |r| {
        let (day, kind) = day_from_row(r)?;
        Ok((
            day,
            kind,
            Cols::keyed(r, "calendar_day", "day")?.get("name")?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
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

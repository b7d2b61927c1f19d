//! The reading log, its messages and the spot checks (migration 0029). Functions take
//! `&Connection` and run inside the caller's transaction when they write.
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreResult;
use super::convert::{Cols, Day};
use crate::domain::reading::{NoteKind, SpotFinding};

/// A note to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewNote<'a> {
    pub meter_id: i64,
    pub customer_id: Option<i64>,
    pub area_id: Option<i64>,
    pub period: &'a str,
    pub kind: NoteKind,
    pub text: &'a str,
    pub by: i64,
    pub at: &'a str,
}

pub fn insert_note(conn: &Connection, n: &NewNote<'_>) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO reading_note (meter_id, customer_id, area_id, period, kind, text, noted_by, noted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        n.meter_id,
        n.customer_id,
        n.area_id,
        n.period,
        n.kind,
        n.text,
        n.by,
        n.at
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn insert_message(
    conn: &Connection,
    note_id: i64,
    to: i64,
    due_on: NaiveDate,
    by: i64,
    at: &str,
) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO reading_message (note_id, to_staff, due_on, sent_by, sent_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![note_id, to, Day(due_on), by, at])?;
    Ok(conn.last_insert_rowid())
}

/// Write a message's feedback once; false when it already had one.
pub fn set_feedback(
    conn: &Connection,
    message_id: i64,
    feedback: &str,
    recovered_fen: i64,
    by: i64,
    at: &str,
) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE reading_message SET feedback = ?2, recovered_fen = ?3, feedback_by = ?4,
                    feedback_at = ?5
              WHERE id = ?1 AND feedback IS NULL",
        )?
        .execute(params![message_id, feedback, recovered_fen, by, at])?
        == 1)
}

/// A note of the log with its message, as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteRow {
    pub id: i64,
    pub period: String,
    pub kind: NoteKind,
    pub text: String,
    pub asset_no: String,
    pub account_no: String,
    pub customer_name: String,
    pub area_code: String,
    pub reader_id: i64,
    pub reader: String,
    pub noted_at: String,
    pub message_id: Option<i64>,
    pub to_name: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub feedback: Option<String>,
    pub recovered_fen: i64,
}

/// The notes of a period (every 台区), newest first.
pub fn notes(conn: &Connection, period: &str) -> StoreResult<Vec<NoteRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.period, n.kind, n.text, m.asset_no, COALESCE(c.account_no, '') AS account_no,
                COALESCE(c.name, '台区总表') AS customer_name,
                COALESCE(a.code, '') AS area_code, n.noted_by, s.display_name AS reader,
                n.noted_at, g.id AS message_id, t.display_name AS to_name, g.due_on,
                g.feedback, COALESCE(g.recovered_fen, 0) AS recovered_fen
           FROM reading_note n
           JOIN meter m ON m.id = n.meter_id
           LEFT JOIN customer c ON c.id = n.customer_id
           LEFT JOIN transformer_area a ON a.id = COALESCE(n.area_id, c.area_id)
           JOIN staff s ON s.id = n.noted_by
           LEFT JOIN reading_message g ON g.note_id = n.id
           LEFT JOIN staff t ON t.id = g.to_staff
          WHERE n.period = ?1
          ORDER BY n.id DESC",
    )?;
    let rows = stmt.query_map([period], |r| {
        let c = Cols::new(r, "reading_note", "id")?;
        Ok(NoteRow {
            id: c.id(),
            period: c.get("period")?,
            kind: c.get("kind")?,
            text: c.get("text")?,
            asset_no: c.get("asset_no")?,
            account_no: c.get("account_no")?,
            customer_name: c.get("customer_name")?,
            area_code: c.get("area_code")?,
            reader_id: c.get("noted_by")?,
            reader: c.get("reader")?,
            noted_at: c.get("noted_at")?,
            message_id: c.get("message_id")?,
            to_name: c.get("to_name")?,
            due_on: c.get::<Option<Day>>("due_on")?.map(|d| d.0),
            feedback: c.get("feedback")?,
            recovered_fen: c.get("recovered_fen")?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The note a message may be made of: (meter's customer or 台区 code, has a message).
pub fn note_has_message(conn: &Connection, note_id: i64) -> StoreResult<Option<bool>> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM reading_message WHERE note_id = n.id)
               FROM reading_note n WHERE n.id = ?1",
        )?
        .query_row([note_id], |r| r.get(0))
        .optional()?)
}

/// A spot check to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSpot<'a> {
    pub period: &'a str,
    pub area_id: i64,
    pub customer_id: Option<i64>,
    pub finding: SpotFinding,
    pub note: &'a str,
    pub checked_on: NaiveDate,
    pub by: i64,
    pub at: &'a str,
}

pub fn insert_spot(conn: &Connection, n: &NewSpot<'_>) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO spot_check (period, area_id, customer_id, finding, note, checked_on, checked_by, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        n.period,
        n.area_id,
        n.customer_id,
        n.finding,
        n.note,
        Day(n.checked_on),
        n.by,
        n.at
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A spot check as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpotRow {
    pub id: i64,
    pub area_id: i64,
    pub area_code: String,
    pub account_no: Option<String>,
    pub customer_name: Option<String>,
    pub finding: SpotFinding,
    pub note: String,
    pub checked_on: NaiveDate,
    pub checker: String,
}

pub fn spots(conn: &Connection, period: &str) -> StoreResult<Vec<SpotRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.id, k.area_id, a.code AS area_code, c.account_no, c.name AS customer_name,
                k.finding, k.note, k.checked_on, s.display_name AS checker
           FROM spot_check k
           JOIN transformer_area a ON a.id = k.area_id
           LEFT JOIN customer c ON c.id = k.customer_id
           JOIN staff s ON s.id = k.checked_by
          WHERE k.period = ?1 ORDER BY k.id DESC",
    )?;
    let rows = stmt.query_map([period], |r| {
        let c = Cols::new(r, "spot_check", "id")?;
        Ok(SpotRow {
            id: c.id(),
            area_id: c.get("area_id")?,
            area_code: c.get("area_code")?,
            account_no: c.get("account_no")?,
            customer_name: c.get("customer_name")?,
            finding: c.get("finding")?,
            note: c.get("note")?,
            checked_on: c.get::<Day>("checked_on")?.0,
            checker: c.get("checker")?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A customer by 户号 (old 户号 too): (id, 台区).
pub fn customer_by_account(
    conn: &Connection,
    account_no: &str,
) -> StoreResult<Option<(i64, Option<i64>)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, area_id FROM customer WHERE account_no = ?1 OR old_account_no = ?1 LIMIT 1",
        )?
        .query_row([account_no], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Site problems and suspected theft never handed on (the facts of the assessment rule).
pub fn not_passed(conn: &Connection) -> StoreResult<Vec<crate::domain::assessment::NoteFact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.id, n.noted_by, substr(n.noted_at, 1, 10) AS day, n.kind, n.text, m.asset_no
           FROM reading_note n JOIN meter m ON m.id = n.meter_id
          WHERE n.kind IN ('site', 'theft')
            AND NOT EXISTS (SELECT 1 FROM reading_message g WHERE g.note_id = n.id)",
    )?;
    let rows = stmt.query_map([], |r| {
        let c = Cols::new(r, "reading_note", "id")?;
        let kind: NoteKind = c.get("kind")?;
        Ok(crate::domain::assessment::NoteFact {
            note_id: c.id(),
            reader_id: c.get("noted_by")?,
            noted_on: c.get::<Day>("day")?.0,
            what: format!(
                "{} 表计 {}：{}",
                kind.label(),
                c.get::<String>("asset_no")?,
                c.get::<String>("text")?
            ),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

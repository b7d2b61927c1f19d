//! Staff accounts. Never deleted: records keep pointing at people.
use rusqlite::{Connection, OptionalExtension, params};

use super::convert::Cols;
use super::{StoreError, StoreResult};
use crate::domain::role::Role;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub is_admin: bool,
    pub password_hash: String,
    pub must_change_password: bool,
    pub active: bool,
    pub failed_attempts: i64,
    pub locked_until: Option<String>,
    pub phone: String,
    pub created_at: String,
}

const COLUMNS: &str = "id, username, display_name, role, is_admin, password_hash, \
    must_change_password, active, failed_attempts, locked_until, phone, created_at";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StaffRow> {
    let c = Cols::new(r, "staff", "id")?;
    Ok(StaffRow {
        id: c.id(),
        username: c.get("username")?,
        display_name: c.get("display_name")?,
        role: c.get("role")?,
        is_admin: c.get("is_admin")?,
        password_hash: c.get("password_hash")?,
        must_change_password: c.get("must_change_password")?,
        active: c.get("active")?,
        failed_attempts: c.get("failed_attempts")?,
        locked_until: c.get("locked_until")?,
        phone: c.get("phone")?,
        created_at: c.get("created_at")?,
    })
}

pub struct NewStaff<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub is_admin: bool,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub phone: &'a str,
    pub created_at: &'a str,
}

pub fn insert(conn: &Connection, s: &NewStaff<'_>) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO staff (username, display_name, role, is_admin, password_hash,
             must_change_password, phone, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            s.username,
            s.display_name,
            s.role.code(),
            s.is_admin,
            s.password_hash,
            s.must_change_password,
            s.phone,
            s.created_at
        ],
    )
    .map_err(|e| match StoreError::from(e) {
        StoreError::Duplicate(_) => StoreError::Duplicate(format!("用户名 {}", s.username)),
        other => other,
    })?;
    Ok(conn.last_insert_rowid())
}

pub fn by_username(conn: &Connection, username: &str) -> StoreResult<Option<StaffRow>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM staff WHERE username = ?1"))?;
    Ok(stmt.query_row([username], from_row).optional()?)
}

pub fn by_id(conn: &Connection, id: i64) -> StoreResult<Option<StaffRow>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM staff WHERE id = ?1"))?;
    Ok(stmt.query_row([id], from_row).optional()?)
}

pub fn list(conn: &Connection) -> StoreResult<Vec<StaffRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM staff ORDER BY active DESC,
             CASE role WHEN 'chief' THEN 0 WHEN 'clerk' THEN 1 WHEN 'area_manager' THEN 2 ELSE 3 END,
             username"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn count(conn: &Connection) -> StoreResult<i64> {
    Ok(conn.query_row("SELECT count(*) FROM staff", [], |r| r.get(0))?)
}

pub fn active_chiefs(conn: &Connection) -> StoreResult<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM staff WHERE role = 'chief' AND active = 1",
        [],
        |r| r.get(0),
    )?)
}

/// The counter-approval tries of a chief: (wrong tries in a row, paused until).
pub fn approval_state(conn: &Connection, id: i64) -> StoreResult<(i64, Option<String>)> {
    Ok(conn
        .prepare_cached("SELECT approval_failed, approval_locked_until FROM staff WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

pub fn set_approval_state(
    conn: &Connection,
    id: i64,
    failed: i64,
    paused_until: Option<&str>,
) -> StoreResult<()> {
    conn.prepare_cached(
        "UPDATE staff SET approval_failed = ?2, approval_locked_until = ?3 WHERE id = ?1",
    )?
    .execute(params![id, failed, paused_until])?;
    Ok(())
}

pub fn set_login_state(
    conn: &Connection,
    id: i64,
    failed_attempts: i64,
    locked_until: Option<&str>,
) -> StoreResult<()> {
    conn.execute(
        "UPDATE staff SET failed_attempts = ?2, locked_until = ?3 WHERE id = ?1",
        params![id, failed_attempts, locked_until],
    )?;
    Ok(())
}

/// The same password hashed again with other settings (nothing else changes).
pub fn set_password_hash(conn: &Connection, id: i64, password_hash: &str) -> StoreResult<()> {
    conn.execute(
        "UPDATE staff SET password_hash = ?2 WHERE id = ?1",
        params![id, password_hash],
    )?;
    Ok(())
}

pub fn set_password(
    conn: &Connection,
    id: i64,
    password_hash: &str,
    must_change: bool,
) -> StoreResult<()> {
    conn.execute(
        "UPDATE staff SET password_hash = ?2, must_change_password = ?3,
             failed_attempts = 0, locked_until = NULL WHERE id = ?1",
        params![id, password_hash, must_change],
    )?;
    Ok(())
}

pub fn set_active(conn: &Connection, id: i64, active: bool) -> StoreResult<()> {
    conn.execute(
        "UPDATE staff SET active = ?2 WHERE id = ?1",
        params![id, active],
    )?;
    Ok(())
}

/// Flag an account as created by the demo data.
pub fn mark_demo(conn: &Connection, id: i64) -> StoreResult<()> {
    conn.execute("UPDATE staff SET is_demo = 1 WHERE id = ?1", [id])?;
    Ok(())
}

/// Active demo accounts: (user name, role), chief first.
pub fn demo_accounts(conn: &Connection) -> StoreResult<Vec<(String, Role)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM staff WHERE is_demo = 1 AND active = 1 ORDER BY
             CASE role WHEN 'chief' THEN 0 WHEN 'clerk' THEN 1 WHEN 'area_manager' THEN 2 ELSE 3 END,
             username"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    let mut out = Vec::new();
    for r in rows {
        let r = r?;
        out.push((r.username, r.role));
    }
    Ok(out)
}

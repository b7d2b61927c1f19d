//! Rule settings: definitions, defaults and current values, one row per key.
use rusqlite::{Connection, OptionalExtension, params};

use super::convert::Cols;
use super::{StoreError, StoreResult};
use crate::domain::settings::{Setting, parse_options};

const COLUMNS: &str =
    "key, grp, label, kind, value, default_value, unit, min_value, max_value, options, help";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Setting> {
    let c = Cols::keyed(r, "settings", "key")?;
    let options: String = c.get("options")?;
    Ok(Setting {
        key: c.get("key")?,
        group: c.get("grp")?,
        label: c.get("label")?,
        kind: c.get("kind")?,
        value: c.get("value")?,
        default_value: c.get("default_value")?,
        unit: c.get("unit")?,
        min: c.get("min_value")?,
        max: c.get("max_value")?,
        options: parse_options(&options),
        help: c.get("help")?,
    })
}

/// All settings in screen order.
pub fn list(conn: &Connection) -> StoreResult<Vec<Setting>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM settings ORDER BY sort, key"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get(conn: &Connection, key: &str) -> StoreResult<Setting> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM settings WHERE key = ?1"))?;
    stmt.query_row([key], from_row)
        .optional()?
        .ok_or_else(|| StoreError::Corrupt(format!("缺少设置项 {key}")))
}

pub fn set_value(
    conn: &Connection,
    key: &str,
    value: &str,
    at: &str,
    by: Option<i64>,
) -> StoreResult<()> {
    let n = conn.execute(
        "UPDATE settings SET value = ?2, updated_at = ?3, updated_by = ?4 WHERE key = ?1",
        params![key, value, at, by],
    )?;
    if n != 1 {
        return Err(StoreError::Corrupt(format!("缺少设置项 {key}")));
    }
    Ok(())
}

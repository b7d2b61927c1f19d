//! Rule settings: definitions, defaults and current values, one row per key.
use rusqlite::{Connection, OptionalExtension, params};

use super::{StoreError, StoreResult};
use crate::domain::settings::{Setting, SettingKind, parse_options};

const COLUMNS: &str =
    "key, grp, label, kind, value, default_value, unit, min_value, max_value, options, help";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Setting> {
    let kind_code: String = r.get(3)?;
    let kind = SettingKind::from_code(&kind_code).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            3,
            rusqlite::types::Type::Text,
            format!("unknown setting kind {kind_code}").into(),
        )
    })?;
    let options: String = r.get(9)?;
    Ok(Setting {
        key: r.get(0)?,
        group: r.get(1)?,
        label: r.get(2)?,
        kind,
        value: r.get(4)?,
        default_value: r.get(5)?,
        unit: r.get(6)?,
        min: r.get(7)?,
        max: r.get(8)?,
        options: parse_options(&options),
        help: r.get(10)?,
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

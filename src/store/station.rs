//! The station this database belongs to (one row).
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreResult;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Station {
    pub code: String,
    pub name: String,
    pub phone: String,
    pub address: String,
    pub is_demo: bool,
    pub created_at: String,
}

pub fn get(conn: &Connection) -> StoreResult<Option<Station>> {
    let mut stmt = conn.prepare_cached(
        "SELECT code, name, phone, address, is_demo, created_at FROM station WHERE id = 1",
    )?;
    Ok(stmt
        .query_row([], |r| {
            Ok(Station {
                code: r.get(0)?,
                name: r.get(1)?,
                phone: r.get(2)?,
                address: r.get(3)?,
                is_demo: r.get(4)?,
                created_at: r.get(5)?,
            })
        })
        .optional()?)
}

pub fn insert(conn: &Connection, s: &Station) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO station (id, code, name, phone, address, is_demo, created_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
        params![s.code, s.name, s.phone, s.address, s.is_demo, s.created_at],
    )?;
    Ok(())
}

pub fn update(conn: &Connection, s: &Station) -> StoreResult<()> {
    conn.execute(
        "UPDATE station SET code = ?1, name = ?2, phone = ?3, address = ?4, is_demo = ?5 WHERE id = 1",
        params![s.code, s.name, s.phone, s.address, s.is_demo],
    )?;
    Ok(())
}

//! Customer files and transformer areas (the counter issue adds search and edits).
use rusqlite::{Connection, params};

use super::StoreResult;
use crate::domain::customer::{NewArea, NewCustomer};

/// Insert a 台区; `manager_id` resolved by the caller.
pub fn insert_area(
    conn: &Connection,
    a: &NewArea,
    manager_id: Option<i64>,
    at: &str,
) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO transformer_area (code, name, capacity_kva, manager_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![a.code, a.name, a.capacity_kva, manager_id, at],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Insert one customer; `initials` are the pinyin initials of the name.
pub fn insert_customer(
    conn: &Connection,
    c: &NewCustomer,
    initials: &str,
    area_id: Option<i64>,
    at: &str,
) -> StoreResult<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO customer (account_no, old_account_no, name, name_initials, kind, id_number,
             phone, address, area_id, usage_category, supply_voltage, contracted_kva,
             docs_incomplete, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
    )?;
    stmt.execute(params![
        c.account_no,
        c.old_account_no,
        c.name,
        initials,
        c.kind.code(),
        c.id_number,
        c.phone,
        c.address,
        area_id,
        c.usage.code(),
        c.supply_voltage,
        c.contracted_kva,
        c.docs_incomplete,
        at
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Numbers for the home screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub customers: i64,
    pub areas: i64,
    pub incomplete_files: i64,
}

pub fn counts(conn: &Connection) -> StoreResult<Counts> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM customer WHERE status <> 'closed'),
                (SELECT count(*) FROM transformer_area WHERE active = 1),
                (SELECT count(*) FROM customer WHERE docs_incomplete = 1 AND status <> 'closed')",
        [],
        |r| {
            Ok(Counts {
                customers: r.get(0)?,
                areas: r.get(1)?,
                incomplete_files: r.get(2)?,
            })
        },
    )?)
}

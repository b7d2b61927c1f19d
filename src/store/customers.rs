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

/// A customer's file as stored, with the name of its 台区.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerRow {
    pub id: i64,
    pub account_no: String,
    pub old_account_no: Option<String>,
    pub name: String,
    pub kind: String,
    pub id_number: String,
    pub phone: String,
    pub address: String,
    pub area_name: Option<String>,
    pub usage_category: String,
    pub supply_voltage: String,
    pub contracted_kva: String,
    pub status: String,
    pub docs_incomplete: bool,
    pub notes: String,
    pub created_at: String,
}

pub fn by_id(conn: &Connection, id: i64) -> StoreResult<Option<CustomerRow>> {
    use rusqlite::OptionalExtension;
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.account_no, c.old_account_no, c.name, c.kind, c.id_number, c.phone,
                c.address, a.name, c.usage_category, c.supply_voltage, c.contracted_kva,
                c.status, c.docs_incomplete, c.notes, c.created_at
         FROM customer c LEFT JOIN transformer_area a ON a.id = c.area_id
         WHERE c.id = ?1",
    )?;
    Ok(stmt
        .query_row([id], |r| {
            Ok(CustomerRow {
                id: r.get(0)?,
                account_no: r.get(1)?,
                old_account_no: r.get(2)?,
                name: r.get(3)?,
                kind: r.get(4)?,
                id_number: r.get(5)?,
                phone: r.get(6)?,
                address: r.get(7)?,
                area_name: r.get(8)?,
                usage_category: r.get(9)?,
                supply_voltage: r.get(10)?,
                contracted_kva: r.get(11)?,
                status: r.get(12)?,
                docs_incomplete: r.get(13)?,
                notes: r.get(14)?,
                created_at: r.get(15)?,
            })
        })
        .optional()?)
}

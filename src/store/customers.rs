//! Customer files and transformer areas (the counter issue adds search and edits).
use rusqlite::{Connection, params};

use super::StoreResult;
use super::convert::Cols;
use crate::domain::customer::{CustomerKind, NewArea, NewCustomer, UsageCategory};

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

/// The columns of a new customer's row, in the order of [`customer_params`].
pub const CUSTOMER_COLUMNS: &[&str] = &[
    "id",
    "account_no",
    "old_account_no",
    "name",
    "name_initials",
    "kind",
    "id_number",
    "phone",
    "address",
    "area_id",
    "usage_category",
    "supply_voltage",
    "contracted_kva",
    "docs_incomplete",
    "created_at",
    "updated_at",
];

/// A new customer's parameters, for [`CUSTOMER_COLUMNS`], handed to `f`: with its own id
/// for a bulk load, without (`None`) for the next one. `initials` are the pinyin initials
/// of the name.
pub fn customer_params<T>(
    id: Option<i64>,
    c: &NewCustomer,
    initials: &str,
    area_id: Option<i64>,
    at: &str,
    f: impl FnOnce(&[&dyn rusqlite::ToSql]) -> T,
) -> T {
    f(params![
        id,
        c.account_no,
        c.old_account_no,
        c.name,
        initials,
        c.kind,
        c.id_number,
        c.phone,
        c.address,
        area_id,
        c.usage,
        c.supply_voltage,
        c.contracted_kva,
        c.docs_incomplete,
        at,
        at
    ])
}

/// Insert one customer; `initials` are the pinyin initials of the name.
pub fn insert_customer(
    conn: &Connection,
    c: &NewCustomer,
    initials: &str,
    area_id: Option<i64>,
    at: &str,
) -> StoreResult<i64> {
    let id = customer_params(None, c, initials, area_id, at, |p| {
        super::bulk::insert_one(conn, "customer", CUSTOMER_COLUMNS, p)
    })?;
    set_initial_variants(conn, id, &c.name)?;
    super::address_order::place(conn, id)?;
    Ok(id)
}

/// The trigger that indexes each new customer for search as it is inserted.
const SEARCH_INSERT_TRIGGER: &str = "customer_search_insert";

/// Before a bulk load of new customers inside the caller's transaction: drop the trigger
/// that indexes each new customer for search (each insert would write its own small
/// full-text segment, and the segments are merged again and again). Returns the highest
/// customer id before the load, for [`resume_search`], which must follow in the same
/// transaction.
pub fn pause_search(conn: &Connection) -> StoreResult<i64> {
    let last: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM customer", [], |r| {
        r.get(0)
    })?;
    conn.execute_batch(&format!("DROP TRIGGER IF EXISTS {SEARCH_INSERT_TRIGGER}"))?;
    Ok(last)
}

/// After [`pause_search`]: index every customer inserted since (id above `after`) exactly
/// as the trigger would have, in one statement each, and make the trigger again as the
/// migration made it. Returns the customers indexed.
pub fn resume_search(conn: &Connection, after: i64) -> StoreResult<usize> {
    let n = conn.execute(
        "INSERT INTO customer_fts (rowid, name, address, phone_digits)
             SELECT id, name, address, phone_digits FROM customer WHERE id > ?1 ORDER BY id",
        [after],
    )?;
    conn.execute(
        "INSERT INTO customer_name_gram (gram, pos, customer_id)
             SELECT substr(c.name, g.k, 1), g.k, c.id FROM customer c, search_gram_pos g
              WHERE c.id > ?1 AND g.k > 1 AND g.k <= length(c.name)
                AND instr(c.name, substr(c.name, g.k, 1)) = g.k
             UNION ALL
             SELECT substr(c.name, g.k, 2), g.k, c.id FROM customer c, search_gram_pos g
              WHERE c.id > ?1 AND g.k > 1 AND g.k < length(c.name)
                AND instr(c.name, substr(c.name, g.k, 2)) = g.k",
        [after],
    )?;
    super::verify::restore_reference_triggers(conn, |name| name == SEARCH_INSERT_TRIGGER)?;
    Ok(n)
}

/// The other pinyin readings of a customer's name (the common one is `name_initials`),
/// replaced whenever the name is written.
pub fn set_initial_variants(conn: &Connection, id: i64, name: &str) -> StoreResult<()> {
    conn.prepare_cached("DELETE FROM customer_initial_variant WHERE customer_id = ?1")?
        .execute([id])?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO customer_initial_variant (initials, customer_id) VALUES (?1, ?2)",
    )?;
    for v in initial_variants(name) {
        insert.execute(params![v, id])?;
    }
    Ok(())
}

/// The columns of a `customer_initial_variant` row: (initials, customer).
pub const INITIAL_VARIANT_COLUMNS: &[&str] = &["initials", "customer_id"];

/// The other pinyin initials a name can be found by (a character with several readings),
/// each once: the rows of `customer_initial_variant` besides the file's own initials.
pub fn initial_variants(name: &str) -> Vec<String> {
    let mut out: Vec<String> = crate::domain::pinyin::variants(name)
        .into_iter()
        .skip(1)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Fill the readings of every customer on file, once after the upgrade that added them
/// (the migration leaves a `search_backfill` row asking for it).
pub fn backfill_initial_variants(conn: &Connection) -> StoreResult<usize> {
    let wanted: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM search_backfill WHERE what = 'initial_variants')",
        [],
        |r| r.get(0),
    )?;
    if !wanted {
        return Ok(0);
    }
    let names: Vec<(i64, String)> = conn
        .prepare("SELECT id, name FROM customer ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (id, name) in &names {
        set_initial_variants(conn, *id, name)?;
    }
    conn.execute(
        "DELETE FROM search_backfill WHERE what = 'initial_variants'",
        [],
    )?;
    Ok(names.len())
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
    pub kind: CustomerKind,
    pub id_number: String,
    pub phone: String,
    pub address: String,
    pub area_id: Option<i64>,
    pub area_name: Option<String>,
    pub usage_category: UsageCategory,
    pub supply_voltage: String,
    pub contracted_kva: String,
    pub status: String,
    pub docs_incomplete: bool,
    pub notes: String,
    pub created_at: String,
}

impl TryFrom<&rusqlite::Row<'_>> for CustomerRow {
    type Error = rusqlite::Error;

    /// A row of [`CUSTOMER_SELECT`]: an unknown kind or usage code names the customer.
    fn try_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        let c = Cols::new(r, "customer", "id")?;
        Ok(CustomerRow {
            id: c.id(),
            account_no: c.get("account_no")?,
            old_account_no: c.get("old_account_no")?,
            name: c.get("name")?,
            kind: c.get("kind")?,
            id_number: c.get("id_number")?,
            phone: c.get("phone")?,
            address: c.get("address")?,
            area_id: c.get("area_id")?,
            area_name: c.get("area_name")?,
            usage_category: c.get("usage_category")?,
            supply_voltage: c.get("supply_voltage")?,
            contracted_kva: c.get("contracted_kva")?,
            status: c.get("status")?,
            docs_incomplete: c.get("docs_incomplete")?,
            notes: c.get("notes")?,
            created_at: c.get("created_at")?,
        })
    }
}

const CUSTOMER_SELECT: &str = "SELECT c.id AS id, c.account_no AS account_no,
        c.old_account_no AS old_account_no, c.name AS name, c.kind AS kind,
        c.id_number AS id_number, c.phone AS phone, c.address AS address,
        a.name AS area_name, c.usage_category AS usage_category,
        c.supply_voltage AS supply_voltage, c.contracted_kva AS contracted_kva,
        c.status AS status, c.docs_incomplete AS docs_incomplete, c.notes AS notes,
        c.created_at AS created_at, c.area_id AS area_id
    FROM customer c LEFT JOIN transformer_area a ON a.id = c.area_id";

pub fn by_id(conn: &Connection, id: i64) -> StoreResult<Option<CustomerRow>> {
    use rusqlite::OptionalExtension;
    // the statement's text made once (every account read asks for its customer)
    static SQL: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| format!("{CUSTOMER_SELECT} WHERE c.id = ?1"));
    let mut stmt = conn.prepare_cached(&SQL)?;
    Ok(stmt
        .query_row([id], |r| CustomerRow::try_from(r))
        .optional()?)
}

/// The 台区 with this code, if any.
/// The customer whose 户号 is exactly `account_no` (not an old number).
pub fn by_account_no(conn: &Connection, account_no: &str) -> StoreResult<Option<CustomerRow>> {
    use rusqlite::OptionalExtension;
    let mut stmt = conn.prepare_cached(&format!("{CUSTOMER_SELECT} WHERE c.account_no = ?1"))?;
    Ok(stmt
        .query_row([account_no], |r| CustomerRow::try_from(r))
        .optional()?)
}

pub fn area_by_code(conn: &Connection, code: &str) -> StoreResult<Option<(i64, String)>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT id, name FROM transformer_area WHERE code = ?1 AND active = 1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The id of a 台区 by code, active or not.
pub fn area_id_of_code(conn: &Connection, code: &str) -> StoreResult<Option<i64>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT id FROM transformer_area WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()?)
}

/// The code of a 台区 by id.
pub fn area_code(conn: &Connection, id: i64) -> StoreResult<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT code FROM transformer_area WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn account_taken(conn: &Connection, account_no: &str) -> StoreResult<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM customer WHERE account_no = ?1 OR old_account_no = ?1)",
        [account_no],
        |r| r.get(0),
    )?)
}

/// The highest 户号 of `len` characters starting with `prefix` (for generating the next).
pub fn max_account_with_prefix(
    conn: &Connection,
    prefix: &str,
    len: usize,
) -> StoreResult<Option<String>> {
    Ok(conn.query_row(
        "SELECT max(account_no) FROM customer
         WHERE account_no >= ?1 AND account_no < ?1 || ':' AND length(account_no) = ?2",
        params![prefix, len as i64],
        |r| r.get(0),
    )?)
}

/// Fields of a file that the counter edits.
pub struct FileFields<'a> {
    pub name: &'a str,
    pub initials: &'a str,
    pub kind: &'a str,
    pub id_number: &'a str,
    pub phone: &'a str,
    pub address: &'a str,
    pub area_id: Option<i64>,
    pub usage_category: &'a str,
    pub supply_voltage: &'a str,
    pub contracted_kva: &'a str,
    pub docs_incomplete: bool,
    pub notes: &'a str,
}

pub fn update_file(conn: &Connection, id: i64, f: &FileFields<'_>, at: &str) -> StoreResult<()> {
    // out of the address order as it reads now; back in below as it will read
    super::address_order::remove(conn, id)?;
    conn.execute(
        "UPDATE customer SET name = ?2, name_initials = ?3, kind = ?4, id_number = ?5, phone = ?6,
             address = ?7, area_id = ?8, usage_category = ?9, supply_voltage = ?10,
             contracted_kva = ?11, docs_incomplete = ?12, notes = ?13, updated_at = ?14
         WHERE id = ?1",
        params![
            id,
            f.name,
            f.initials,
            f.kind,
            f.id_number,
            f.phone,
            f.address,
            f.area_id,
            f.usage_category,
            f.supply_voltage,
            f.contracted_kva,
            f.docs_incomplete,
            f.notes,
            at
        ],
    )?;
    set_initial_variants(conn, id, f.name)?;
    super::address_order::place(conn, id)?;
    Ok(())
}

/// A 台区 with its manager and number of customers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub capacity_kva: i64,
    pub manager_id: Option<i64>,
    pub manager_username: Option<String>,
    pub manager_name: Option<String>,
    pub active: bool,
    pub customers: i64,
}

pub fn list_areas(conn: &Connection) -> StoreResult<Vec<AreaRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.code, a.name, a.capacity_kva, a.manager_id, s.username, s.display_name,
                a.active, (SELECT count(*) FROM customer c WHERE c.area_id = a.id AND c.status <> 'closed')
         FROM transformer_area a LEFT JOIN staff s ON s.id = a.manager_id
         ORDER BY a.active DESC, a.code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(AreaRow {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            capacity_kva: r.get(3)?,
            manager_id: r.get(4)?,
            manager_username: r.get(5)?,
            manager_name: r.get(6)?,
            active: r.get(7)?,
            customers: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn update_area(
    conn: &Connection,
    id: i64,
    name: &str,
    capacity_kva: i64,
    manager_id: Option<i64>,
    active: bool,
) -> StoreResult<()> {
    conn.execute(
        "UPDATE transformer_area SET name = ?2, capacity_kva = ?3, manager_id = ?4, active = ?5 WHERE id = ?1",
        params![id, name, capacity_kva, manager_id, active],
    )?;
    Ok(())
}

/// Set a file's status (`active`, `suspended`, `closed`); returns the old one.
pub fn set_status(
    conn: &Connection,
    id: i64,
    status: &str,
    at: &str,
) -> StoreResult<Option<String>> {
    use rusqlite::OptionalExtension;
    let old: Option<String> = conn
        .query_row("SELECT status FROM customer WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    conn.execute(
        "UPDATE customer SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, status, at],
    )?;
    Ok(old)
}

/// Open files marked incomplete, oldest first; only those in the 台区 of `manager_id` when
/// given. Returns (id, 户号, 旧户号, name, phone, address, 台区 name, status).
#[allow(clippy::type_complexity)]
pub fn incomplete_files(
    conn: &Connection,
    manager_id: Option<i64>,
    limit: usize,
) -> StoreResult<
    Vec<(
        i64,
        String,
        Option<String>,
        String,
        String,
        String,
        Option<String>,
        String,
    )>,
> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.account_no, c.old_account_no, c.name, c.phone, c.address, a.name, c.status
         FROM customer c LEFT JOIN transformer_area a ON a.id = c.area_id
         WHERE c.docs_incomplete = 1 AND c.status <> 'closed'
           AND (?1 IS NULL OR a.manager_id = ?1)
         ORDER BY c.created_at, c.id LIMIT (SELECT ?2)",
    )?;
    let rows = stmt.query_map(params![manager_id, limit as i64], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Up to `n` active customers spread evenly over the file (every k-th by id): a sample that
/// looks like the village, not like one surname (the demo's orders use it).
pub fn sample_ids(conn: &Connection, n: usize) -> StoreResult<Vec<i64>> {
    let total: i64 = conn.query_row(
        "SELECT count(*) FROM customer WHERE status = 'active'",
        [],
        |r| r.get(0),
    )?;
    let step = (total / (n.max(1) as i64)).max(1);
    let mut stmt = conn.prepare(
        "SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS k FROM customer
                         WHERE status = 'active')
         WHERE (k - 1) % ?1 = 0 ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![step, n as i64], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The tariff category a customer is billed at when it is not the usage category
/// (`''` = the usage category's).
pub fn tariff_code(conn: &Connection, id: i64) -> StoreResult<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT tariff_code FROM customer WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Set the tariff category (`''` = the usage category's).
pub fn set_tariff_code(conn: &Connection, id: i64, code: &str, at: &str) -> StoreResult<()> {
    conn.execute(
        "UPDATE customer SET tariff_code = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, code, at],
    )?;
    Ok(())
}

#[cfg(test)]
#[path = "customers_tests.rs"]
mod tests;

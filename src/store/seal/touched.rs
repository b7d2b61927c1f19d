//! What a transaction touched of the changing tables, and what drifted from the seals:
//! the rows [`super::seal`] records for an entry, and what `verify` reports.
use std::collections::HashMap;

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::{
    Kind, TABLES, Table, digest_of, has_touched_table, names_of, row_bytes_from, row_digest, table,
};
use crate::store::StoreResult;

pub(super) type Touched = Vec<(String, String, Option<Vec<u8>>)>;

/// Touched rows of changing tables whose digest differs from the latest seal, by table
/// and key.
pub(super) fn touched_rows(conn: &Connection) -> StoreResult<Touched> {
    if !has_touched_table(conn)? {
        return Ok(Vec::new());
    }
    let tables: Vec<String> = conn
        .prepare_cached("SELECT DISTINCT tbl FROM temp.seal_touched ORDER BY tbl")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut out: Touched = Vec::new();
    for tbl in tables {
        let Some(t) = table(&tbl) else { continue };
        touched_of(conn, t, &mut out)?;
    }
    Ok(out)
}

/// [`touched_rows`] of one table. Each touched row comes with its latest seal (the sealed
/// flag and digest) and the row now at its rowid, in one statement rather than look-ups
/// per row: a month's bills touch 100,000 drafts.
fn touched_of(conn: &Connection, t: &Table, out: &mut Touched) -> StoreResult<()> {
    // columns: 0 the noted key, 1 sealed, 2 latest digest, then the row as `select_sql`
    // gives it (its key, then its columns; all NULL when no row has the rowid now)
    const BASE: usize = 3;
    let names = names_of(conn, t)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT s.row_key,
                EXISTS (SELECT 1 FROM row_seal r WHERE r.tbl = s.tbl AND r.row_key = s.row_key),
                (SELECT r.digest FROM row_seal r WHERE r.tbl = s.tbl AND r.row_key = s.row_key
                  ORDER BY r.seq DESC LIMIT 1),
                {key}, t.*
           FROM temp.seal_touched s LEFT JOIN main.\"{name}\" t ON t.rowid = s.rid
          WHERE s.tbl = ?1 ORDER BY s.row_key, s.rid",
        key = t.key_sql("t."),
        name = t.name,
    ))?;
    let mut rows = stmt.query([t.name])?;
    let mut bytes = Vec::new();
    let mut last_key: Option<String> = None;
    while let Some(r) = rows.next()? {
        let key: String = r.get(0)?;
        // a key noted under several rowids (changed and changed back): its first
        if last_key.as_deref() == Some(key.as_str()) {
            continue;
        }
        let sealed: bool = r.get(1)?;
        let latest: Option<Vec<u8>> = r.get(2)?;
        // the row under this key now (its rowid may have changed with its key)
        let now = match r.get_ref(BASE)? {
            ValueRef::Null => None,
            v => {
                let k = v.as_str().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        BASE,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })?;
                (k == key)
                    .then(|| {
                        bytes.clear();
                        row_bytes_from(t, r, BASE, k, &names, &mut bytes)
                            .map(|()| digest_of(&bytes).to_vec())
                    })
                    .transpose()?
            }
        };
        let digest = match now {
            Some(d) => Some(d),
            None => current_by_key(conn, t, &key)?,
        };
        last_key = Some(key.clone());
        if sealed && latest == digest {
            continue;
        }
        out.push((t.name.to_string(), key, digest));
    }
    Ok(())
}

fn current_by_key(conn: &Connection, t: &Table, key: &str) -> StoreResult<Option<Vec<u8>>> {
    let mut stmt =
        conn.prepare_cached(&format!("{} WHERE {} = ?1", t.select_sql(), t.key_sql("")))?;
    let names = names_of(conn, t)?;
    let mut rows = stmt.query([key])?;
    match rows.next()? {
        Some(r) => Ok(Some(row_digest(t, r, &names)?.to_vec())),
        None => Ok(None),
    }
}

/// Every changing row whose digest differs from its latest seal, and every sealed row
/// that is gone: what `verify` reports, and what the first seal of a database records.
pub fn drift(conn: &Connection) -> StoreResult<Touched> {
    let mut out = Vec::new();
    for t in TABLES.iter().filter(|t| t.kind == Kind::Changing) {
        // not there in a database a later migration has not reached yet (verify's structure
        // check names a table missing at the database's own version)
        if !conn
            .prepare_cached("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1")?
            .exists([t.name])?
        {
            continue;
        }
        let mut sealed = latest_seals(conn, t.name)?;
        let mut stmt = conn.prepare(&format!("{} ORDER BY 1", t.select_sql()))?;
        let names = names_of(conn, t)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let key: String = r.get(0)?;
            let d = row_digest(t, r, &names)?.to_vec();
            match sealed.remove(&key) {
                Some(Some(s)) if s == d => {}
                _ => out.push((t.name.to_string(), key, Some(d))),
            }
        }
        let mut gone: Vec<String> = sealed
            .into_iter()
            .filter(|(_, d)| d.is_some())
            .map(|(k, _)| k)
            .collect();
        gone.sort();
        out.extend(gone.into_iter().map(|k| (t.name.to_string(), k, None)));
    }
    out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    Ok(out)
}

/// The latest seal of every row of one changing table, by key.
pub fn latest_seals(conn: &Connection, tbl: &str) -> StoreResult<HashMap<String, Option<Vec<u8>>>> {
    let mut stmt =
        conn.prepare("SELECT row_key, digest FROM row_seal WHERE tbl = ?1 ORDER BY seq")?;
    let mut rows = stmt.query([tbl])?;
    let mut map = HashMap::new();
    while let Some(r) = rows.next()? {
        map.insert(r.get::<_, String>(0)?, r.get::<_, Option<Vec<u8>>>(1)?);
    }
    Ok(map)
}

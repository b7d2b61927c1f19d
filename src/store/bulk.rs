//! Many rows in few statements, for building the demo's year of payments: one statement
//! per few hundred rows instead of one per row (SQLite's per-statement work — the
//! statement journal, the program's start — is then paid once a chunk).
use rusqlite::{Connection, types::Value};

use crate::store::StoreResult;

/// Rows a statement carries (every row's values are bound parameters).
const CHUNK: usize = 200;

/// `INSERT INTO table (columns) VALUES (…), (…), …` for `rows`, in order. `table` and
/// `columns` are the program's own names, never user input.
pub fn insert_rows(
    conn: &Connection,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Value>],
) -> StoreResult<()> {
    let one = format!("({})", vec!["?"; columns.len()].join(", "));
    for chunk in rows.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            vec![one.as_str(); chunk.len()].join(", ")
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let params: Vec<&Value> = chunk.iter().flatten().collect();
        stmt.execute(rusqlite::params_from_iter(params))?;
    }
    Ok(())
}

/// The highest rowid of a table (0 when empty).
pub fn max_id(conn: &Connection, table: &str) -> StoreResult<i64> {
    Ok(conn.query_row(
        &format!("SELECT COALESCE(MAX(id), 0) FROM {table}"),
        [],
        |r| r.get(0),
    )?)
}

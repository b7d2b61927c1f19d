//! Many rows in few statements, for building the demo's year of history: one statement
//! per few hundred rows instead of one per row (SQLite's per-statement work — the
//! program's start, the binding — is then paid once a chunk).
//!
//! The statements are `INSERT OR FAIL`: a row that breaks a rule stops the statement with
//! the rows before it kept, and the caller's transaction, which ends in that error, is
//! rolled back whole. That spares SQLite the statement journal an `INSERT` of many rows
//! keeps to undo just its own rows (a copy of every page the statement touches). Triggers
//! that may abort bring the journal back; [`Paused::insert_triggers`] takes them away for
//! the load.
use rusqlite::{Connection, types::ValueRef};

use crate::store::StoreResult;

/// Rows a statement carries (every row's values are bound parameters).
const CHUNK: usize = 200;

/// The number of rows of each statement that writes `n` rows: full chunks, then the rest
/// as powers of two, largest first (`n` = 437: 200, 200, 32, 4, 1). A statement of any
/// other length would be a new text to parse and plan (a prepared statement is kept by its
/// text): a day's payments or a month's bills end in a rest of any length, and parsing a
/// new statement of a hundred rows costs more than running it. With these lengths a table
/// needs at most nine statements, each prepared once and kept.
pub fn statement_sizes(n: usize) -> impl Iterator<Item = usize> {
    let full = n / CHUNK;
    let rest = n % CHUNK;
    std::iter::repeat_n(CHUNK, full).chain(
        (0..usize::BITS)
            .rev()
            .map(|b| 1usize << b)
            .filter(move |size| rest & size != 0),
    )
}

/// Rows of one table gathered for [`insert_rows`], their values side by side: every row's
/// cells in one vector and every text in one buffer, so gathering a row allocates nothing
/// once the buffers have grown (a row as a `Vec<Value>` cost an allocation for the row and
/// one for each text, 1.2 million bills a year).
#[derive(Debug)]
pub struct Rows {
    width: usize,
    cells: Vec<Cell>,
    bytes: Vec<u8>,
}

/// One value of a row: texts and blobs as ranges of [`Rows::bytes`].
#[derive(Clone, Copy, Debug)]
enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(usize, usize),
    Blob(usize, usize),
}

impl Rows {
    /// Rows of `width` values each.
    pub fn new(width: usize) -> Self {
        Rows {
            width: width.max(1),
            cells: Vec::new(),
            bytes: Vec::new(),
        }
    }

    /// The rows gathered.
    pub fn len(&self) -> usize {
        self.cells.len() / self.width
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Forget the rows, keeping the room they took.
    pub fn clear(&mut self) {
        self.cells.clear();
        self.bytes.clear();
    }

    /// One more row: its parameters in the order of the columns, taken as a statement
    /// would bind them (`params![…]`: the same text for a date, the same code for a coded
    /// value).
    pub fn push(&mut self, row: &[&dyn rusqlite::ToSql]) -> StoreResult<()> {
        use rusqlite::types::ToSqlOutput;
        if row.len() != self.width {
            return Err(rusqlite::Error::InvalidParameterCount(row.len(), self.width).into());
        }
        let mark = (self.cells.len(), self.bytes.len());
        for p in row {
            let put = match p.to_sql() {
                Ok(ToSqlOutput::Borrowed(v)) => {
                    self.put(v);
                    Ok(())
                }
                Ok(ToSqlOutput::Owned(v)) => {
                    self.put((&v).into());
                    Ok(())
                }
                Ok(other) => Err(rusqlite::Error::ToSqlConversionFailure(
                    format!("无法暂存的参数：{other:?}").into(),
                )),
                Err(e) => Err(e),
            };
            if let Err(e) = put {
                // no half row left behind
                self.cells.truncate(mark.0);
                self.bytes.truncate(mark.1);
                return Err(e.into());
            }
        }
        Ok(())
    }

    fn put(&mut self, v: ValueRef<'_>) {
        let cell = match v {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(i) => Cell::Integer(i),
            ValueRef::Real(f) => Cell::Real(f),
            ValueRef::Text(t) => {
                // the bytes as given, as a statement binds them (unchecked there too: a
                // `&str` or `String` is UTF-8 already)
                let at = self.bytes.len();
                self.bytes.extend_from_slice(t);
                Cell::Text(at, t.len())
            }
            ValueRef::Blob(b) => {
                let at = self.bytes.len();
                self.bytes.extend_from_slice(b);
                Cell::Blob(at, b.len())
            }
        };
        self.cells.push(cell);
    }

    /// The `i`-th value of all rows, row after row.
    fn value(&self, i: usize) -> ValueRef<'_> {
        match self.cells[i] {
            Cell::Null => ValueRef::Null,
            Cell::Integer(v) => ValueRef::Integer(v),
            Cell::Real(v) => ValueRef::Real(v),
            Cell::Text(at, n) => ValueRef::Text(&self.bytes[at..at + n]),
            Cell::Blob(at, n) => ValueRef::Blob(&self.bytes[at..at + n]),
        }
    }

    /// Bind rows `from..from + n` to `stmt`'s parameters, in order.
    fn bind(&self, stmt: &mut rusqlite::Statement<'_>, from: usize, n: usize) -> StoreResult<()> {
        let first = from * self.width;
        for k in 0..n * self.width {
            stmt.raw_bind_parameter(
                k + 1,
                rusqlite::types::ToSqlOutput::Borrowed(self.value(first + k)),
            )?;
        }
        Ok(())
    }
}

/// `INSERT OR FAIL INTO table (columns) VALUES (…), (…), …` for `rows`, in order, in
/// statements of the [`statement_sizes`]. `table` and `columns` are the program's own
/// names, never user input.
pub fn insert_rows(
    conn: &Connection,
    table: &str,
    columns: &[&str],
    rows: &Rows,
) -> StoreResult<()> {
    if rows.width != columns.len() {
        return Err(rusqlite::Error::InvalidParameterCount(rows.width, columns.len()).into());
    }
    let one = format!("({})", vec!["?"; columns.len()].join(", "));
    let mut from = 0;
    // the statement of the full chunks is held from one to the next instead of taken from
    // the cache and handed back for each (handing back also clears all its bindings)
    let mut held: Option<(usize, rusqlite::CachedStatement<'_>)> = None;
    for size in statement_sizes(rows.len()) {
        let stmt = match &mut held {
            Some((n, stmt)) if *n == size => stmt,
            _ => {
                let sql = format!(
                    "INSERT OR FAIL INTO {table} ({}) VALUES {}",
                    columns.join(", "),
                    vec![one.as_str(); size].join(", ")
                );
                &mut held.insert((size, conn.prepare_cached(&sql)?)).1
            }
        };
        rows.bind(stmt, from, size)?;
        stmt.raw_execute()?;
        from += size;
    }
    Ok(())
}

/// One row (its parameters in the order of `columns`) by a one-row `INSERT`; returns its
/// rowid. The counter's own inserts of a table that is also loaded in bulk use it, so the
/// columns and their values are named in one place.
pub fn insert_one(
    conn: &Connection,
    table: &str,
    columns: &[&str],
    row: &[&dyn rusqlite::ToSql],
) -> StoreResult<i64> {
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        vec!["?"; columns.len()].join(", ")
    );
    conn.prepare_cached(&sql)?.execute(row)?;
    Ok(conn.last_insert_rowid())
}

/// Rows a [`RowBuffer`] gathers before it writes them: several chunks, so that one
/// statement is bound and run for all of them ([`insert_rows`]).
const BUFFER_ROWS: usize = 8 * CHUNK;

/// Rows gathered for one table and written several chunks at a time ([`insert_rows`]).
pub struct RowBuffer {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Rows,
}

impl RowBuffer {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Self {
        RowBuffer {
            table,
            columns,
            rows: Rows::new(columns.len()),
        }
    }

    /// One more row (its parameters in the order of the columns); a full buffer is written.
    pub fn push(&mut self, conn: &Connection, row: &[&dyn rusqlite::ToSql]) -> StoreResult<()> {
        self.rows.push(row)?;
        if self.rows.len() == BUFFER_ROWS {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// Write what is gathered. Must be called before the rows are read or the transaction
    /// ends.
    pub fn flush(&mut self, conn: &Connection) -> StoreResult<()> {
        insert_rows(conn, self.table, self.columns, &self.rows)?;
        self.rows.clear();
        Ok(())
    }
}

/// The highest rowid of a table (0 when empty).
pub fn max_id(conn: &Connection, table: &str) -> StoreResult<i64> {
    Ok(conn.query_row(
        &format!("SELECT COALESCE(MAX(id), 0) FROM {table}"),
        [],
        |r| r.get(0),
    )?)
}

/// Schema objects of one table taken away inside one transaction for a bulk load whose
/// rows the program makes itself, and made again from their own text before it commits
/// ([`Paused::restore`]). Dropping and creating are part of the transaction: if it rolls
/// back, they were never away.
///
/// - [`Paused::insert_triggers`]: each would run per row, and one that may abort makes
///   SQLite keep a statement journal for every chunk.
/// - [`Paused::indexes`]: SQLite then builds each index from the rows sorted, instead of
///   placing every row's key in it one at a time (100,000 customers' names, phones and
///   addresses in no order). The keys SQLite makes for `PRIMARY KEY` and `UNIQUE` columns
///   stay, and so do their checks; a unique index made again checks its rows as it is made.
pub struct Paused {
    sql: Vec<String>,
}

impl Paused {
    /// Drop the `BEFORE INSERT` and `AFTER INSERT` triggers on `table` (named in the
    /// schema), keeping their text.
    pub fn insert_triggers(conn: &Connection, table: &str) -> StoreResult<Self> {
        Self::pause(conn, "TRIGGER", table, fires_on_insert)
    }

    /// Drop the indexes of `table` that the schema names with their `CREATE INDEX` text.
    pub fn indexes(conn: &Connection, table: &str) -> StoreResult<Self> {
        Self::pause(conn, "INDEX", table, |_| true)
    }

    /// Drop the objects of `kind` (`TRIGGER`, `INDEX`) on `table` whose text `wanted`.
    fn pause(
        conn: &Connection,
        kind: &str,
        table: &str,
        wanted: impl Fn(&str) -> bool,
    ) -> StoreResult<Self> {
        let found: Vec<(String, String)> = conn
            .prepare(
                "SELECT name, sql FROM main.sqlite_schema
                  WHERE type = lower(?1) AND tbl_name = ?2 AND sql IS NOT NULL ORDER BY rowid",
            )?
            .query_map([kind, table], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut sql = Vec::new();
        for (name, text) in found {
            if !wanted(&text) {
                continue;
            }
            conn.execute_batch(&format!("DROP {kind} \"{}\"", name.replace('"', "\"\"")))?;
            sql.push(text);
        }
        Ok(Paused { sql })
    }

    /// Make the objects again, exactly as their text was.
    pub fn restore(self, conn: &Connection) -> StoreResult<()> {
        for text in &self.sql {
            conn.execute_batch(text)?;
        }
        Ok(())
    }
}

/// Whether a trigger's `CREATE TRIGGER` text fires on INSERT (its event comes before `ON`).
fn fires_on_insert(sql: &str) -> bool {
    let words = sql.to_ascii_uppercase();
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let head = words.split(" ON ").next().unwrap_or("");
    head.split_whitespace().any(|w| w == "INSERT")
}

#[cfg(test)]
#[path = "bulk_tests.rs"]
mod tests;

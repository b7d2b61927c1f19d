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
mod tests {
    use super::*;

    fn db() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL UNIQUE);
             CREATE TRIGGER t_no_seven BEFORE INSERT ON t WHEN NEW.v = 7
             BEGIN SELECT RAISE(ABORT, 'no sevens'); END;
             CREATE TRIGGER t_no_update BEFORE UPDATE ON t BEGIN SELECT RAISE(ABORT, 'no'); END;",
        )
        .unwrap();
        c
    }

    #[test]
    fn a_buffer_writes_full_buffers_and_the_rest_on_flush() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE s (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
            .unwrap();
        let mut b = RowBuffer::new("s", &["id", "v"]);
        let n = BUFFER_ROWS as i64 + 5;
        // texts of many lengths, so that a binding reused from one chunk to the next
        // never keeps a longer text's tail
        let text = |i: i64| "户".repeat((i % 13) as usize) + &i.to_string();
        for i in 1..=n {
            b.push(&c, rusqlite::params![i, text(i)]).unwrap();
        }
        let written: i64 = c
            .query_row("SELECT count(*) FROM s", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            written, BUFFER_ROWS as i64,
            "only the full buffer is written before flush"
        );
        b.flush(&c).unwrap();
        let got: Vec<(i64, String)> = c
            .prepare("SELECT id, v FROM s ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(got, (1..=n).map(|i| (i, text(i))).collect::<Vec<_>>());
    }

    #[test]
    fn statements_are_full_chunks_then_powers_of_two() {
        let sizes = |n| statement_sizes(n).collect::<Vec<_>>();
        assert_eq!(sizes(0), Vec::<usize>::new());
        assert_eq!(sizes(1), vec![1]);
        assert_eq!(sizes(200), vec![200]);
        assert_eq!(sizes(437), vec![200, 200, 32, 4, 1]);
        assert_eq!(sizes(199), vec![128, 64, 4, 2, 1]);
        for n in 0..1000 {
            let s = sizes(n);
            assert_eq!(s.iter().sum::<usize>(), n, "{n}");
            assert!(s.windows(2).all(|w| w[0] >= w[1]), "{n}: {s:?}");
            assert!(s.iter().all(|k| *k == CHUNK || k.is_power_of_two()), "{n}");
        }
        // and every row is written, in order
        let c = db();
        let mut rows = Rows::new(2);
        for i in 1..=437i64 {
            rows.push(rusqlite::params![i, i * 3]).unwrap();
        }
        assert_eq!(rows.len(), 437);
        insert_rows(&c, "t", &["id", "v"], &rows).unwrap();
        let got: Vec<(i64, i64)> = c
            .prepare("SELECT id, v FROM t ORDER BY rowid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(got, (1..=437).map(|i| (i, i * 3)).collect::<Vec<_>>());
    }

    #[test]
    fn a_broken_rule_fails_the_statement_and_the_transaction_undoes_it() {
        let mut c = db();
        let tx = c.transaction().unwrap();
        let mut rows = Rows::new(2);
        rows.push(rusqlite::params![1, 1]).unwrap();
        rows.push(rusqlite::params![2, 1]).unwrap();
        assert!(insert_rows(&tx, "t", &["id", "v"], &rows).is_err());
        drop(tx);
        let n: i64 = c
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn paused_insert_triggers_come_back_as_they_were_and_others_stay() {
        let c = db();
        let triggers = || -> Vec<(String, String)> {
            c.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let before = triggers();
        let paused = Paused::insert_triggers(&c, "t").unwrap();
        let names: Vec<String> = triggers().into_iter().map(|t| t.0).collect();
        assert_eq!(names, vec!["t_no_update".to_string()]);
        // while paused, the insert rule does not run
        c.execute("INSERT INTO t (v) VALUES (7)", []).unwrap();
        paused.restore(&c).unwrap();
        assert_eq!(triggers(), before);
        assert!(c.execute("INSERT INTO t (v) VALUES (7)", []).is_err());
    }

    #[test]
    fn paused_indexes_come_back_as_they_were_and_built_from_the_rows() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT, k INT);
             CREATE INDEX p_name ON p(name);
             CREATE UNIQUE INDEX p_k ON p(k) WHERE k IS NOT NULL;",
        )
        .unwrap();
        let indexes = || -> Vec<(String, Option<String>)> {
            c.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let before = indexes();
        let paused = Paused::indexes(&c, "p").unwrap();
        // only SQLite's own key for the UNIQUE column stays, and it still holds
        let names: Vec<String> = indexes().into_iter().map(|i| i.0).collect();
        assert_eq!(names, vec!["sqlite_autoindex_p_1".to_string()]);
        for i in 0..50 {
            c.execute(
                "INSERT INTO p (code, name, k) VALUES (?1, ?2, ?3)",
                rusqlite::params![format!("c{i}"), format!("n{}", 50 - i), i],
            )
            .unwrap();
        }
        assert!(c.execute("INSERT INTO p (code) VALUES ('c1')", []).is_err());
        paused.restore(&c).unwrap();
        assert_eq!(indexes(), before);
        // the index made again holds every row: a lookup through it finds them
        let plan: String = c
            .query_row(
                "EXPLAIN QUERY PLAN SELECT id FROM p WHERE name = 'n7'",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("p_name"), "{plan}");
        let id: i64 = c
            .query_row("SELECT id FROM p WHERE name = 'n7'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(id, 44);
        assert_eq!(
            c.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
                .unwrap(),
            "ok"
        );
        // a unique index made again over rows that break it fails, so the load is undone
        let paused = Paused::indexes(&c, "p").unwrap();
        c.execute("INSERT INTO p (code, k) VALUES ('dup', 3)", [])
            .unwrap();
        assert!(paused.restore(&c).is_err());
    }

    #[test]
    fn values_are_what_the_statement_would_bind() {
        use crate::domain::reading::ReadingKind;
        use crate::store::convert::Day;
        use rusqlite::params;
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE v (a, b, c, d, e)").unwrap();
        let day = Day(chrono::NaiveDate::from_ymd_opt(2026, 3, 9).unwrap());
        let none: Option<i64> = None;
        c.execute(
            "INSERT INTO v VALUES (?1, ?2, ?3, ?4, ?5)",
            params![7i64, none, "门锁未见表", day, ReadingKind::Estimated],
        )
        .unwrap();
        let mut rows = Rows::new(5);
        rows.push(params![
            7i64,
            none,
            "门锁未见表",
            day,
            ReadingKind::Estimated
        ])
        .unwrap();
        insert_rows(&c, "v", &["a", "b", "c", "d", "e"], &rows).unwrap();
        let rows: Vec<String> = c
            .prepare(
                "SELECT quote(a) || typeof(a) || quote(b) || quote(c) || quote(d) || quote(e) FROM v",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], rows[1]);
        assert_eq!(rows[0], "7integerNULL'门锁未见表''2026-03-09''estimated'");
    }

    #[test]
    fn rows_keep_every_kind_of_value_and_refuse_a_wrong_row_whole() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE w (a, b, c)").unwrap();
        let mut rows = Rows::new(3);
        let blob: Vec<u8> = vec![0, 255, 7];
        let none: Option<&str> = None;
        rows.push(rusqlite::params![1.5f64, "甲乙", blob]).unwrap();
        rows.push(rusqlite::params![none, "", -3i64]).unwrap();
        // a row of the wrong length, or a value that cannot be kept, leaves nothing behind
        assert!(rows.push(rusqlite::params![1i64, 2i64]).is_err());
        let bad = rusqlite::types::Value::Text("丙".into());
        assert!(
            rows.push(rusqlite::params![
                "丁",
                bad,
                rusqlite::types::Value::Integer(u64::MAX as i64)
            ])
            .is_ok()
        );
        struct Fails;
        impl rusqlite::ToSql for Fails {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Err(rusqlite::Error::ToSqlConversionFailure("no".into()))
            }
        }
        assert!(rows.push(rusqlite::params!["戊", "己", Fails]).is_err());
        assert_eq!(rows.len(), 3);
        // and rows meant for other columns are refused
        assert!(insert_rows(&c, "w", &["a", "b"], &rows).is_err());
        insert_rows(&c, "w", &["a", "b", "c"], &rows).unwrap();
        let got: Vec<String> = c
            .prepare("SELECT quote(a) || '|' || quote(b) || '|' || quote(c) FROM w ORDER BY rowid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            got,
            vec![
                "1.5|'甲乙'|X'00FF07'".to_string(),
                "NULL|''|-3".to_string(),
                "'丁'|'丙'|-1".to_string(),
            ]
        );
        // cleared, the buffer is empty and takes rows again
        rows.clear();
        assert!(rows.is_empty());
        rows.push(rusqlite::params![1i64, 2i64, 3i64]).unwrap();
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn the_event_is_read_before_on() {
        assert!(fires_on_insert(
            "CREATE TRIGGER a BEFORE INSERT ON receipt WHEN x BEGIN SELECT 1; END"
        ));
        assert!(fires_on_insert(
            "CREATE TRIGGER \"b\" AFTER INSERT ON \"allocation\" BEGIN INSERT INTO o VALUES (1); END"
        ));
        assert!(!fires_on_insert(
            "CREATE TRIGGER c BEFORE UPDATE ON t BEGIN INSERT INTO o VALUES (1); END"
        ));
        assert!(!fires_on_insert(
            "CREATE TRIGGER d AFTER UPDATE OF name ON customer BEGIN INSERT INTO x VALUES (1); END"
        ));
    }
}

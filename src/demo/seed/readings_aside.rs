//! The demo's readings written aside (`readings::seed`): a thread of their own writes them
//! into a file of their own in the data directory while the main thread posts the year's
//! bills and payments (the two cores of the station's PC both work); [`finish`] then moves
//! them in with one `INSERT … SELECT`, with the reading books, the tariff codes, the loss
//! notes and the audit entry, in one transaction, and removes the file.
//!
//! The file aside holds the `reading` table and its indexes exactly as the database has
//! them (their SQL copied from its schema), so the writer thread builds the indexes too,
//! and the move into the empty table is SQLite's transfer (the rows and index entries
//! copied as they are, in order, the way `VACUUM` copies them) — ids and all, the ids a
//! direct insert would give. Into a table that already has readings (never in a demo build)
//! the rows are inserted one by one in id order instead, and get the next ids.
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rusqlite::Connection;

use super::readings::Read;
use crate::domain::clock;
use crate::domain::reading::ReadingKind;
use crate::service::{ServiceError, ServiceResult};
use crate::store::audit::{self, Actor, Changes, NewEntry};
use crate::store::readings::{self as rstore, NewReading};
use crate::store::{Store, StoreError};

/// The file the readings are written to aside, in the data directory; removed once they
/// are moved in (one left by a build that was stopped is replaced by the next).
pub const ASIDE_FILE: &str = "stationdesk-demo-readings.tmp";

/// Rows sent to the writer at a time.
const CHUNK: usize = 200;

/// One reading as made in memory, with whose it is.
#[derive(Clone, Copy)]
pub(super) struct ReadRow {
    pub read: Read,
    pub customer: Option<i64>,
    pub area: Option<i64>,
    pub reader: i64,
}

/// Where `readings::plan_all` puts the readings: chunks for the writer thread. Dropping it
/// sends what is left and tells the writer the rows are all there.
pub(super) struct Sink {
    /// `None` once the writer has stopped (its error is told by [`finish`])
    sender: Option<std::sync::mpsc::Sender<Vec<ReadRow>>>,
    chunk: Vec<ReadRow>,
}

impl Sink {
    pub fn push(&mut self, row: ReadRow) {
        self.chunk.push(row);
        if self.chunk.len() == CHUNK {
            self.send_chunk();
        }
    }

    fn send_chunk(&mut self) {
        if self.chunk.is_empty() {
            return;
        }
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK));
        if let Some(s) = &self.sender
            && s.send(chunk).is_err()
        {
            self.sender = None;
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.send_chunk();
    }
}

/// The writer thread, started.
pub(super) struct Writer {
    handle: std::thread::JoinHandle<crate::store::StoreResult<usize>>,
    aside: PathBuf,
}

impl Writer {
    /// What [`finish`] needs: the writer and the writes besides the readings.
    pub fn pending(self, small: SmallWrites) -> PendingReadings {
        PendingReadings {
            writer: self.handle,
            aside: self.aside,
            small,
        }
    }
}

/// Start the writer thread on the file aside in `dir`, with the reading table as `conn`'s
/// database has it; readings pushed to the sink reach it.
pub(super) fn start(conn: &Connection, dir: &Path) -> ServiceResult<(Sink, Writer)> {
    let aside = dir.join(ASIDE_FILE);
    let schema = reading_schema(conn)?;
    // not bounded: the readings are made much faster than they are written, and the point
    // is to let the billing start meanwhile (a compact row is some 80 bytes)
    let (sender, receiver) = std::sync::mpsc::channel::<Vec<ReadRow>>();
    let handle = {
        let aside = aside.clone();
        std::thread::Builder::new()
            .name("demo-readings".into())
            .spawn(move || write_aside(&aside, &schema, receiver))
            .map_err(|e| ServiceError::Refused(format!("无法启动演示抄表数据的写入：{e}")))?
    };
    Ok((
        Sink {
            sender: Some(sender),
            chunk: Vec::with_capacity(CHUNK),
        },
        Writer { handle, aside },
    ))
}

/// The SQL of the reading table and of its indexes, as the database has them (its triggers
/// stay out: they are the database's rules, not the rows').
fn reading_schema(conn: &Connection) -> crate::store::StoreResult<Vec<String>> {
    let sql = conn
        .prepare(
            "SELECT sql FROM main.sqlite_master
              WHERE tbl_name = 'reading' AND type IN ('table', 'index') AND sql IS NOT NULL
              ORDER BY type = 'index', name",
        )?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(sql)
}

/// The writer thread: every chunk into the reading table of the file aside (made by the
/// `schema` statements), in order.
fn write_aside(
    path: &Path,
    schema: &[String],
    chunks: std::sync::mpsc::Receiver<Vec<ReadRow>>,
) -> crate::store::StoreResult<usize> {
    let started = std::time::Instant::now();
    if path.exists() {
        std::fs::remove_file(path).map_err(|e| crate::store::backup::io_error(path, &e))?;
    }
    let conn = Connection::open(path)?;
    // the tables the readings refer to are the database's, not here (the demo load leaves
    // keys unchecked there too: its rows are made from the database's own)
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF;
         PRAGMA cache_size = -16384;",
    )?;
    for sql in schema {
        conn.execute_batch(sql)?;
    }
    conn.execute_batch("BEGIN")?;
    let mut n = 0;
    let mut rows = crate::store::bulk::Rows::new(rstore::READING_COLUMNS.len());
    for chunk in chunks {
        rows.clear();
        for r in &chunk {
            reading_row(r, &mut rows)?;
        }
        crate::store::bulk::insert_rows(&conn, "reading", rstore::READING_COLUMNS, &rows)?;
        n += rows.len();
    }
    conn.execute_batch("COMMIT")?;
    if super::phases_wanted() {
        eprintln!(
            "        (抄表读数写入旁路文件 {n} 条，用时 {:.2} s)",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(n)
}

/// What the readings step writes besides the readings, kept until [`finish`].
#[derive(Default)]
pub(super) struct SmallWrites {
    /// (台区, reader, reading day, by)
    pub books: Vec<(i64, Option<i64>, u32, i64)>,
    /// customers billed at the commercial price
    pub tariff: Vec<i64>,
    /// (台区, period, by)
    pub loss_notes: Vec<(i64, String, i64)>,
    /// (readings, missed)
    pub counts: (usize, usize),
}

/// The readings being written aside (`readings::seed`).
pub struct PendingReadings {
    writer: std::thread::JoinHandle<crate::store::StoreResult<usize>>,
    aside: PathBuf,
    small: SmallWrites,
}

/// Move the readings written aside into the database, with the reading books, the tariff
/// codes and the loss notes, under one audit entry, in one transaction; remove the file.
pub fn finish(store: Store, now: NaiveDateTime, pending: PendingReadings) -> ServiceResult<usize> {
    let PendingReadings {
        writer,
        aside,
        small,
    } = pending;
    let moved = match writer.join() {
        Ok(Ok(written)) => move_in(store, now, &aside, &small, written),
        Ok(Err(e)) => Err(e.into()),
        Err(_) => Err(ServiceError::Refused("演示抄表数据的写入意外中止".into())),
    };
    // the file aside goes whatever happened (a file left by a stopped build goes at the next)
    let _ = std::fs::remove_file(&aside);
    moved
}

/// [`finish`]'s transaction: the `written` readings of the file aside moved in, with the
/// small writes and the audit entry.
fn move_in(
    mut store: Store,
    now: NaiveDateTime,
    aside: &Path,
    small: &SmallWrites,
    written: usize,
) -> ServiceResult<usize> {
    let at = clock::to_db(now);
    let path = aside.to_str().ok_or_else(|| {
        ServiceError::Refused(format!("数据目录的路径无法使用：{}", aside.display()))
    })?;
    store
        .conn()
        .execute("ATTACH DATABASE ?1 AS demo_load", [path])
        .map_err(StoreError::from)?;
    let moved = store.write(|tx| -> ServiceResult<usize> {
        for (area, reader, day, by) in &small.books {
            rstore::set_book(tx, *area, *reader, *day, *by, &at)?;
        }
        for id in &small.tariff {
            tx.prepare_cached("UPDATE customer SET tariff_code = 'commercial' WHERE id = ?1")
                .and_then(|mut s| s.execute([id]))
                .map_err(StoreError::from)?;
        }
        let empty = !tx
            .prepare("SELECT 1 FROM main.reading")
            .and_then(|mut s| s.exists([]))
            .map_err(StoreError::from)?;
        let cols = rstore::READING_COLUMNS.join(", ");
        let sql = if empty {
            // SQLite's transfer: the rows and index entries copied as they are
            "INSERT INTO main.reading SELECT * FROM demo_load.reading".to_string()
        } else {
            format!(
                "INSERT INTO main.reading ({cols}) SELECT {cols} FROM demo_load.reading ORDER BY id"
            )
        };
        let moved = tx.execute(&sql, []).map_err(StoreError::from)?;
        if moved != written {
            return Err(ServiceError::Refused(format!(
                "演示抄表数据写入 {written} 条，移入 {moved} 条，不一致"
            )));
        }
        for (area, period, by) in &small.loss_notes {
            rstore::insert_loss_note(
                tx,
                *area,
                period,
                "村东新装养殖户三户未建档，已报装，下月起计入",
                *by,
                &at,
            )?;
        }
        audit::append(
            tx,
            NewEntry {
                at: now,
                actor: &Actor::system("演示数据"),
                action: "reading.import_demo",
                entity: "reading_file",
                entity_id: "demo",
                changes: Changes::new()
                    .note("count", small.counts.0 as i64)
                    .note("missed", small.counts.1 as i64)
                    .note("tariff_code", small.tariff.len() as i64),
            },
        )?;
        Ok(moved)
    });
    let detached = store
        .conn()
        .execute("DETACH DATABASE demo_load", [])
        .map_err(StoreError::from);
    let moved = moved?;
    detached?;
    Ok(moved)
}

/// A reading's values as the reading table takes them, onto `rows`.
fn reading_row(
    row: &ReadRow,
    rows: &mut crate::store::bulk::Rows,
) -> crate::store::StoreResult<()> {
    let r = &row.read;
    let reason = match r.kind {
        ReadingKind::Estimated => "门锁未见表，按近三月平均估抄",
        ReadingKind::Missed => "外出务工，表箱上锁",
        _ => "",
    };
    let reading = NewReading {
        meter_id: r.meter,
        customer_id: row.customer,
        area_id: row.area,
        period: &r.period.to_string(),
        read_on: r.on,
        kind: r.kind,
        value_centi: r.value,
        rollover: r.rollover,
        reason,
        source: "demo",
        source_file: "",
        replaces_id: None,
        reader_id: Some(row.reader),
        recorded_by: row.reader,
        at: &format!("{} 17:00:00", r.on),
    };
    rstore::reading_params(&reading, |p| rows.push(p))
}

//! The online copy of the database (SQLite's backup API) and the check of a copy.
//!
//! Rule: a copy is made on connections of its own while the counter keeps writing. The
//! source connection holds one read transaction for the whole copy, so every step copies
//! pages of the same snapshot (WAL: writers go on appending to the `-wal` file and are never
//! waited for), and the copy never restarts because another connection wrote. Why not
//! `VACUUM INTO`: it rebuilds every table and index (slower on the 770 MB demo) and cannot
//! be paced; the backup API copies pages in order and lets the copy sync as it goes, so the
//! disk never holds hundreds of megabytes of unwritten data that a payment's `fsync` would
//! wait behind.
//!
//! The copy is left in rollback-journal mode (`journal_mode=DELETE`): one self-contained
//! file that can be carried on a USB stick and opened read-only anywhere.
use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::verify::{self, Outcome, check};
use super::{AtPath, BUSY_TIMEOUT, Store, StoreError, StoreResult, audit};

/// How the copy goes: pages per step, a pause between steps (0 in production: the copy
/// runs in its own thread; tests slow it down to write during it), and how often the copy
/// is synced to disk.
#[derive(Clone, Copy, Debug)]
pub struct Pace {
    pub pages_per_step: i32,
    pub pause: Duration,
    /// sync the copy every this many pages (bounds the unwritten data on disk)
    pub sync_every: i64,
}

impl Default for Pace {
    fn default() -> Self {
        Pace {
            // 4 MiB a step with 4 KiB pages
            pages_per_step: 1024,
            pause: Duration::ZERO,
            // 32 MiB
            sync_every: 8192,
        }
    }
}

/// What a copy holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Copied {
    /// the audit trail's head in the copy
    pub head: Option<(i64, String)>,
    pub schema_version: i64,
    pub bytes: u64,
    /// time spent copying (the snapshot held)
    pub took: Duration,
}

/// Where a copy failed: reading the database, or writing the copy.
#[derive(Debug)]
pub enum CopyError {
    Source(StoreError),
    Dest(StoreError),
}

/// Copy the database at `src` into the new file `dest` (which must not exist), online.
/// On failure `dest` may be left half written: the caller removes it.
pub fn copy_online(src: &Path, dest: &Path, pace: &Pace) -> Result<Copied, CopyError> {
    let source = |e: rusqlite::Error| CopyError::Source(StoreError::from(e).at(src));
    let target = |e: rusqlite::Error| CopyError::Dest(StoreError::from(e).at(dest));
    let started = Instant::now();
    let from = Connection::open_with_flags(
        src,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(source)?;
    from.busy_timeout(BUSY_TIMEOUT).map_err(source)?;
    // one snapshot for the whole copy: the read transaction starts at the first read
    from.execute_batch("BEGIN DEFERRED").map_err(source)?;
    let schema_version: i64 = from
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(source)?;
    let head = audit::head(&from).map_err(CopyError::Source)?;
    let mut to = Connection::open_with_flags(
        dest,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(target)?;
    // nothing to roll back into: a copy that fails is removed whole
    to.query_row("PRAGMA journal_mode = OFF", [], |_| Ok(()))
        .map_err(target)?;
    to.pragma_update(None, "synchronous", "OFF")
        .map_err(target)?;
    let sync_file = std::fs::OpenOptions::new()
        .write(true)
        .open(dest)
        .map_err(|e| CopyError::Dest(io_error(dest, &e)))?;
    {
        let backup = Backup::new(&from, &mut to).map_err(target)?;
        let mut since_sync = 0i64;
        let mut busy_since: Option<Instant> = None;
        loop {
            // an error here is the copy's side almost always (a full or pulled-out stick);
            // a source that cannot be read shows in the check before it
            match backup.step(pace.pages_per_step).map_err(target)? {
                StepResult::Done => break,
                StepResult::More => {
                    busy_since = None;
                    since_sync += i64::from(pace.pages_per_step);
                    if since_sync >= pace.sync_every {
                        since_sync = 0;
                        sync_file
                            .sync_data()
                            .map_err(|e| CopyError::Dest(io_error(dest, &e)))?;
                    }
                    if !pace.pause.is_zero() {
                        std::thread::sleep(pace.pause);
                    }
                }
                // the destination is ours alone and the source only read: a lock here
                // is brief; give up after the busy timeout
                _ => {
                    let since = *busy_since.get_or_insert_with(Instant::now);
                    if since.elapsed() > BUSY_TIMEOUT {
                        return Err(CopyError::Source(StoreError::Busy));
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
    }
    from.execute_batch("COMMIT").map_err(source)?;
    drop(from);
    let took = started.elapsed();
    // the copied header says WAL (the source's mode): make the copy one file
    let mode: String = to
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .map_err(target)?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(CopyError::Dest(StoreError::Open {
            path: dest.to_path_buf(),
            detail: format!("副本无法改为单文件模式（{mode}）"),
        }));
    }
    to.close().map_err(|(_, e)| target(e))?;
    sync_file
        .sync_all()
        .map_err(|e| CopyError::Dest(io_error(dest, &e)))?;
    let bytes = sync_file.metadata().map(|m| m.len()).unwrap_or(0);
    Ok(Copied {
        head,
        schema_version,
        bytes,
        took,
    })
}

/// An I/O error on `path` as the store names it (full disk, read-only, other).
pub fn io_error(path: &Path, e: &std::io::Error) -> StoreError {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::StorageFull | K::QuotaExceeded | K::FileTooLarge => StoreError::DiskFull {
            path: path.to_path_buf(),
            detail: "磁盘已满".into(),
        },
        K::PermissionDenied | K::ReadOnlyFilesystem => StoreError::ReadOnly {
            path: path.to_path_buf(),
            detail: "没有写入权限或磁盘只读".into(),
        },
        K::NotFound => StoreError::Open {
            path: path.to_path_buf(),
            detail: "文件或文件夹不存在".into(),
        },
        _ => StoreError::Open {
            path: path.to_path_buf(),
            detail: "读写磁盘出错".into(),
        },
    }
}

/// The check of a copy: SQLite's `integrity_check`, the schema as the migrations made it,
/// and the audit chain with its key's place. Each check that found something is returned
/// with its findings (empty: the copy is good).
pub fn check_copy(path: &Path) -> Vec<Outcome> {
    let store = match Store::open_read_only(path) {
        Ok(s) => s,
        Err(e) => {
            let mut o = Outcome {
                label: "打开副本".into(),
                ..Outcome::default()
            };
            o.fault(verify::describe(&e));
            return vec![o];
        }
    };
    let conn = store.conn();
    [
        check("数据库文件完整性", |o| {
            verify::integrity(conn, false, o)
        }),
        check("数据库结构与保护规则", |o| {
            verify::schema(conn, o)
        }),
        check("审计链与密钥签名", |o| {
            verify::chain(conn, o).map(|_| ())
        }),
    ]
    .into_iter()
    .filter(|o| !o.ok())
    .collect()
}

/// What a database holds, in a few figures (what a restore replaced and with what).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub schema_version: i64,
    pub customers: Option<i64>,
    pub receipts: Option<i64>,
    pub audit_entries: Option<i64>,
    /// the newest audit entry: seq, time, action code, who
    pub last_entry: Option<(i64, String, String, String)>,
    /// the last receipt's number
    pub last_receipt: Option<String>,
}

/// The figures of the database open on `conn`; a figure that cannot be read (an old
/// schema, a damaged file) is left out.
pub fn summary(conn: &Connection) -> Summary {
    let count = |table: &str| -> Option<i64> {
        conn.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
            r.get(0)
        })
        .ok()
    };
    Summary {
        schema_version: conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap_or(0),
        customers: count("customer"),
        receipts: count("receipt"),
        audit_entries: conn
            .query_row("SELECT COALESCE(max(seq), 0) FROM audit_log", [], |r| {
                r.get(0)
            })
            .ok(),
        last_entry: conn
            .query_row(
                "SELECT seq, at, action, user_name FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .ok()
            .flatten(),
        last_receipt: conn
            .query_row(
                "SELECT receipt_no FROM receipt ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten(),
    }
}

/// The newest backup record (`action`, or either kind when `None`): time, action, changes.
pub fn last_record(
    conn: &Connection,
    action: Option<&str>,
) -> StoreResult<Option<(String, String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT at, action, changes FROM audit_log
             WHERE entity = 'backup'
               AND (action = ?1 OR (?1 IS NULL AND action IN ('backup.made', 'backup.failed')))
             ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([action], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// Whether anything but sign-ins, sign-outs and backups was recorded after entry `seq`
/// (what the last good copy holds): the exit backup is skipped otherwise.
pub fn changed_since(conn: &Connection, seq: i64) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM audit_log WHERE seq > ?1
               AND substr(action, 1, 5) <> 'auth.' AND substr(action, 1, 7) <> 'backup.')",
        )?
        .query_row([seq], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(path: &Path) -> Connection {
        let c = Connection::open(path).unwrap();
        c.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .unwrap();
        c.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
             CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, hash TEXT);",
        )
        .unwrap();
        c
    }

    #[test]
    fn a_copy_is_one_snapshot_while_another_connection_writes() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("a.db");
        let c = db(&src);
        let tx = c.unchecked_transaction().unwrap();
        for i in 0..3000 {
            tx.execute("INSERT INTO t (v) VALUES (?1)", [format!("{i:0>200}")])
                .unwrap();
        }
        tx.commit().unwrap();
        let dest = dir.path().join("b.db");
        let pace = Pace {
            pages_per_step: 1,
            pause: Duration::from_millis(1),
            sync_every: 10,
        };
        let writer = {
            let src = src.clone();
            std::thread::spawn(move || {
                let c = Connection::open(&src).unwrap();
                c.busy_timeout(Duration::from_secs(5)).unwrap();
                for i in 0..200 {
                    c.execute("INSERT INTO t (v) VALUES (?1)", [format!("w{i}")])
                        .unwrap();
                    std::thread::sleep(Duration::from_millis(1));
                }
            })
        };
        let copied = copy_online(&src, &dest, &pace).unwrap();
        writer.join().unwrap();
        assert!(copied.bytes > 0);
        let total: i64 = c
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(total, 3200);
        // the copy: one file, rollback journal, a consistent count of rows
        let b = Connection::open_with_flags(&dest, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let mode: String = b
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
        let n: i64 = b
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert!((3000..=3200).contains(&n), "{n}");
        let ok: String = b
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        assert!(!dir.path().join("b.db-wal").exists());
    }
}

//! The SQLite store: one [`Store`] opens the file, sets the pragmas, migrates, and hands
//! out transactions. Only this layer speaks SQL.
pub mod address_order;
pub mod area_figures;
pub mod assessment;
pub mod audit;
pub mod backup;
pub mod bill_drafts;
pub mod billing;
pub mod bulk;
pub mod calendar;
pub mod cases;
pub mod collection;
pub mod convert;
pub mod customers;
pub mod deadlines;
pub mod error;
pub mod findings;
mod guard;
pub mod handover;
pub mod mac;
pub mod meters;
pub mod orders;
pub mod outbox;
pub mod reading_notes;
pub mod readings;
pub mod reports;
pub mod rotation;
pub mod seal;
pub mod search;
pub mod settings;
pub mod staff;
pub mod station;
pub mod verify;

use std::path::{Path, PathBuf};
use std::time::Duration;

use include_dir::{Dir, include_dir};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use rusqlite_migration::{M, Migrations};

pub use error::AtPath;
pub use error::{StoreError, StoreResult};
use guard::{HealthCheck, take_use_lock};
pub use guard::{take_use_lock_alone, use_lock_path};

static MIGRATIONS_DIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/migrations");

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 256;
/// Prepared statements kept by the connection that builds the demo.
const DEMO_STATEMENT_CACHE: usize = 1024;

/// How long a writer waits for another window's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The migrations embedded in the binary, in order: `migrations/NNNN_name/up.sql`.
fn migration_sources() -> StoreResult<Vec<&'static str>> {
    let mut dirs: Vec<(usize, &'static str)> = Vec::new();
    for dir in MIGRATIONS_DIR.dirs() {
        let name = dir
            .path()
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| StoreError::Migration("迁移目录名无法读取".into()))?;
        let number = name
            .split_once('_')
            .and_then(|(n, _)| n.parse::<usize>().ok())
            .ok_or_else(|| StoreError::Migration(format!("迁移目录名 {name} 应为 NNNN_名称")))?;
        let up = dir
            .files()
            .find(|f| f.path().ends_with("up.sql"))
            .and_then(|f| f.contents_utf8())
            .ok_or_else(|| StoreError::Migration(format!("{name} 缺少 up.sql")))?;
        dirs.push((number, up));
    }
    dirs.sort_by_key(|(n, _)| *n);
    for (i, (n, _)) in dirs.iter().enumerate() {
        if *n != i + 1 {
            return Err(StoreError::Migration(format!(
                "迁移编号不连续：第 {} 个是 {n}",
                i + 1
            )));
        }
    }
    Ok(dirs.into_iter().map(|(_, up)| up).collect())
}

/// The migrations as rusqlite_migration sees them (its `validate()` checks them in tests).
pub fn migrations() -> StoreResult<Migrations<'static>> {
    Ok(Migrations::new(
        migration_sources()?.into_iter().map(M::up).collect(),
    ))
}

/// Number of schema versions this binary knows.
pub fn known_schema_version() -> usize {
    MIGRATIONS_DIR.dirs().count()
}

fn user_version(conn: &Connection) -> rusqlite::Result<usize> {
    conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .map(|v| usize::try_from(v).unwrap_or(usize::MAX))
}

/// Apply the pending migrations in one `BEGIN IMMEDIATE` transaction: two processes
/// opening an old database at once never both apply the same migration.
fn apply_migrations(conn: &mut Connection, path: &Path) -> StoreResult<()> {
    let sources = migration_sources()?;
    let pending = user_version(conn).map_err(|e| classify_open_error(path, e))? < sources.len();
    // a migration that rebuilds a table (SQLite's way to change a CHECK) runs with foreign
    // keys off, as SQLite prescribes; they are checked before the commit and turned on again
    if pending {
        conn.pragma_update(None, "foreign_keys", "OFF")?;
    }
    let result = migrate_in_one_transaction(conn, path, &sources);
    if pending {
        conn.pragma_update(None, "foreign_keys", "ON")?;
    }
    result
}

fn migrate_in_one_transaction(
    conn: &mut Connection,
    path: &Path,
    sources: &[&'static str],
) -> StoreResult<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| classify_open_error(path, e))?;
    let version = user_version(&tx).map_err(|e| classify_open_error(path, e))?;
    if version > sources.len() {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            db: version,
            known: sources.len(),
        });
    }
    if version == sources.len() {
        return Ok(());
    }
    for (i, sql) in sources.iter().enumerate().skip(version) {
        tx.execute_batch(sql).map_err(|e| {
            StoreError::Migration(format!("第 {} 步：{}", i + 1, error::explain(&e)))
        })?;
    }
    let broken: Option<String> = tx
        .query_row(
            "SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(t) = broken {
        return Err(StoreError::Migration(format!("升级后表 {t} 的引用对不上")));
    }
    tx.pragma_update(None, "user_version", sources.len() as i64)?;
    tx.commit().map_err(|e| classify_open_error(path, e))?;
    Ok(())
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// why the database is only read (damaged, or older than it was): every write is
    /// refused with this reason
    read_only: std::cell::RefCell<Option<String>>,
    /// the start-up `quick_check`, running on its own connection while the first screen is
    /// up; settled before the first write
    health: std::cell::RefCell<Option<HealthCheck>>,
    /// a shared lock on `<db>-lock` while this program has the database open, so that
    /// `demo` can tell it is in use
    _lock: Option<std::fs::File>,
}

impl Store {
    /// Open (creating if needed) the database at `path`, check it, set pragmas and migrate.
    pub fn open(path: &Path) -> StoreResult<Store> {
        // Switching a new file to WAL needs a moment alone with it; when several windows
        // open it at once, SQLite may answer "busy" without waiting. Try again briefly. A
        // file another window has just created is empty for that moment too: only one that
        // stays empty is refused.
        let mut tries = 0;
        loop {
            match Self::open_once(path) {
                Err(StoreError::Busy | StoreError::EmptyFile { .. }) if tries < 50 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                other => return other,
            }
        }
    }

    fn open_once(path: &Path) -> StoreResult<Store> {
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
            && !parent.exists()
        {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::ReadOnly {
                path: parent.to_path_buf(),
                detail: e.to_string(),
            })?;
        }
        let existed = path.exists();
        // SQLite takes an empty file for a new database: a database file emptied by a fault
        // or by hand must not become a fresh station with the first-run set-up over it
        if existed && std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
            return Err(StoreError::EmptyFile {
                path: path.to_path_buf(),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify_open_error(path, e))?;
        Self::init(conn, path.to_path_buf(), existed)
    }

    /// Open an existing database only to read it (`verify` of a backup copy): no
    /// migration, no pragma that writes. Refuses a newer schema or a foreign file.
    pub fn open_read_only(path: &Path) -> StoreResult<Store> {
        if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
            return Err(StoreError::EmptyFile {
                path: path.to_path_buf(),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify_open_error(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let version = user_version(&conn).map_err(|e| classify_open_error(path, e))?;
        Self::check_version(&conn, path, version, true)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only: std::cell::RefCell::new(Some("以只读方式打开".into())),
            health: Default::default(),
            _lock: None,
        })
    }

    /// Refuse a newer schema, or an SQLite file with someone else's tables.
    fn check_version(
        conn: &Connection,
        path: &Path,
        version: usize,
        existed: bool,
    ) -> StoreResult<()> {
        let known = known_schema_version();
        if version > known {
            return Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                db: version,
                known,
            });
        }
        if existed && version == 0 {
            let tables: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
                    [],
                    |r| r.get(0),
                )
                .map_err(|e| classify_open_error(path, e))?;
            if tables > 0 {
                return Err(StoreError::NotADatabase {
                    path: path.to_path_buf(),
                });
            }
        }
        Ok(())
    }

    /// A private in-memory database (tests).
    pub fn open_in_memory() -> StoreResult<Store> {
        let conn = Connection::open_in_memory()?;
        Self::init(conn, PathBuf::from(":memory:"), false)
    }

    fn init(mut conn: Connection, path: PathBuf, existed: bool) -> StoreResult<Store> {
        // wait for another window's write (or migration) before the very first read
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // The first read tells a file that is not SQLite from one that is.
        let version = user_version(&conn).map_err(|e| classify_open_error(&path, e))?;
        Self::check_version(&conn, &path, version, existed)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        if path.as_os_str() != ":memory:" {
            let mode: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(|e| classify_open_error(&path, e))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Open {
                    path,
                    detail: format!("无法启用 WAL 模式（{mode}）"),
                });
            }
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        // a payment alone runs some twenty statements (with triggers and views compiled in):
        // rusqlite's default cache of 16 would prepare them again every time
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        apply_migrations(&mut conn, &path)?;
        seal::install_triggers(&conn).map_err(|e| e.at(&path))?;
        let lock = if path.as_os_str() == ":memory:" {
            None
        } else {
            Some(take_use_lock(&path)?)
        };
        Ok(Store {
            conn,
            path,
            read_only: Default::default(),
            health: Default::default(),
            _lock: lock,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access (one statement sees a consistent snapshot).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Two reads at once: `here` on this connection and `beside` on a read-only connection
    /// of its own in a second thread, so that two large reads use two cores (a month's bill
    /// computation reads its 100,000 readings and a year of bills). Each read sees the
    /// database as last committed when it starts, as two reads one after the other on one
    /// connection would. Where no second connection can be had (a database in memory, a
    /// file that will not open again), `beside` runs here after `here`.
    pub fn read_beside<A, B>(
        &self,
        here: impl FnOnce(&Connection) -> StoreResult<A>,
        beside: impl FnOnce(&Connection) -> StoreResult<B> + Send,
    ) -> StoreResult<(A, B)>
    where
        B: Send,
    {
        let second = if self.path.as_os_str() == ":memory:" {
            None
        } else {
            Connection::open_with_flags(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .ok()
        };
        let Some(second) = second else {
            let a = here(&self.conn)?;
            return Ok((a, beside(&self.conn)?));
        };
        std::thread::scope(|s| {
            let other = s.spawn(move || {
                second.busy_timeout(BUSY_TIMEOUT)?;
                beside(&second)
            });
            let a = here(&self.conn);
            // a panic there is one here, as if `beside` had run on this thread
            let b = other
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            Ok((a?, b?))
        })
    }

    /// Run `f` in one `BEGIN IMMEDIATE` transaction: it takes the write lock at once, so
    /// numbers allocated inside are never handed out twice, even by two processes.
    /// Commits when `f` returns `Ok`, rolls back otherwise.
    pub fn write<T, E>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError> + AtPath,
    {
        let path = self.path.clone();
        self.settle_health(true);
        if let Some(why) = self.read_only.borrow().clone() {
            return Err(E::from(StoreError::ReadOnlyMode(why)));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| StoreError::from(e).at(&path))?;
        let out = f(&tx).map_err(|e| e.at(&path))?;
        // whatever the closure wrote without an entry of its own is sealed, never left out
        audit::seal_leftovers(&tx).map_err(|e| E::from(e.at(&path)))?;
        tx.commit().map_err(|e| StoreError::from(e).at(&path))?;
        self.record_head();
        Ok(out)
    }

    /// For building demo data only: no sync to disk at every commit (a crash loses only the
    /// demo being built), a large page cache, statement journals in memory, and no foreign
    /// key lookups (the demo writes consistent rows by construction; `verify` and the demo
    /// tests check them). The journal stays WAL: leaving it needs the file alone, which a
    /// start-up check's reader on a busy machine may not allow in time.
    pub fn tune_for_demo_load(&self) -> StoreResult<()> {
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        self.conn.pragma_update(None, "cache_size", -131_072)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        // the bulk statements of every table and length (`bulk::statement_sizes`) kept
        // beside the service's own
        self.conn
            .set_prepared_statement_cache_capacity(DEMO_STATEMENT_CACHE);
        // changing temp_store drops the temporary triggers that note touched rows
        seal::install_triggers(&self.conn)?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: `Ok(())` or the problems SQLite lists.
    pub fn integrity_check(&self) -> StoreResult<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut problems = Vec::new();
        for row in rows {
            let line = row?;
            if line != "ok" {
                problems.push(line);
            }
        }
        Ok(problems)
    }
}

fn classify_open_error(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase {
            path: path.to_path_buf(),
        },
        Some(ErrorCode::ReadOnly)
        | Some(ErrorCode::CannotOpen)
        | Some(ErrorCode::PermissionDenied) => StoreError::ReadOnly {
            path: path.to_path_buf(),
            detail: error::explain(&e),
        },
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy,
        Some(ErrorCode::DiskFull) => StoreError::DiskFull {
            path: path.to_path_buf(),
            detail: error::explain(&e),
        },
        Some(ErrorCode::SystemIoFailure) if matches!(&e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == error::SHM_SIZE) => {
            StoreError::DiskFull {
                path: path.to_path_buf(),
                detail: error::explain(&e),
            }
        }
        _ => StoreError::Open {
            path: path.to_path_buf(),
            detail: error::explain(&e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_numbered() {
        let m = migrations().unwrap();
        m.validate().unwrap();
        assert!(known_schema_version() >= 1);
    }

    /// `.cargo/config.toml` sets the bundled SQLite's compile options; a build that missed
    /// them (a cached library, a removed config) would be correct but slower.
    #[test]
    fn bundled_sqlite_is_built_with_the_project_options() {
        let conn = Connection::open_in_memory().unwrap();
        let options: Vec<String> = conn
            .prepare("PRAGMA compile_options")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(options.iter().any(|o| o == "THREADSAFE=1"), "{options:?}");
        assert!(
            options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
            "{options:?}"
        );
        assert!(
            !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
            "{options:?}"
        );
        assert!(
            options.iter().any(|o| o == "DEFAULT_LOOKASIDE=512,1000"),
            "{options:?}"
        );
    }
}

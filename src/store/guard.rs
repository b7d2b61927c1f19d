//! What guards an open database: the start-up check (`quick_check` behind the first screen,
//! the schema at once) and the read-only mode it can put the store in, the head file that
//! tells a database that lost its newest writes, and the use lock that tells `demo` a window
//! has the database open.
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{BUSY_TIMEOUT, Store, StoreError, StoreResult, audit, error, verify};

impl Store {
    /// Read-only for the problems found (the start-up check's or the open's): the first
    /// few named, then that there are more. A file missing its eighty hand-over triggers gets
    /// one readable line, not eighty; `stationdesk verify` lists every one. (No count: a
    /// check lists only its first findings, so the list is not all of them.)
    pub fn set_read_only_for(&self, problems: &[String]) {
        const NAMED: usize = 3;
        let why = if problems.len() > NAMED {
            format!(
                "{}；……还有更多问题（stationdesk verify 列出全部）",
                problems[..NAMED].join("；")
            )
        } else {
            problems.join("；")
        };
        self.set_read_only(why);
    }

    /// Refuse every write from now on, saying `why` (a damaged database is never written).
    pub fn set_read_only(&self, why: String) {
        let mut cur = self.read_only.borrow_mut();
        *cur = Some(match cur.take() {
            Some(before) if before != why => format!("{before}；{why}"),
            _ => why,
        });
    }

    /// Why writes are refused, when they are (the start-up check counted once finished).
    pub fn read_only(&self) -> Option<String> {
        self.settle_health(false);
        self.read_only.borrow().clone()
    }

    /// The start-up check's verdict: taken when it has finished, or waited for (`wait`).
    pub fn settle_health(&self, wait: bool) {
        let done = self
            .health
            .borrow()
            .as_ref()
            .is_some_and(|h| wait || h.thread.is_finished());
        if !done {
            return;
        }
        let Some(check) = self.health.borrow_mut().take() else {
            return;
        };
        let problems = check
            .thread
            .join()
            .unwrap_or_else(|_| vec!["启动检查未能完成".to_string()]);
        if !problems.is_empty() {
            self.set_read_only_for(&problems);
        }
    }

    /// The checks run at every start: the schema as the migrations made it, at once, and
    /// `quick_check` (seconds on a large database) on a connection of its own in the
    /// background; the first write waits for it. Findings in Chinese.
    pub fn check_health(&self) -> Vec<String> {
        let s = startup_findings(verify::check("结构", |o| verify::schema(&self.conn, o)));
        if self.path.as_os_str() != ":memory:" {
            *self.health.borrow_mut() = Some(HealthCheck::start(&self.path));
        }
        s
    }

    /// The full start-up check, waited for (a file opened read-only because it is damaged).
    pub fn health(&self) -> Vec<String> {
        let o = verify::check("启动检查", |o| verify::integrity(&self.conn, true, o));
        let s = verify::check("结构", |o| verify::schema(&self.conn, o));
        let mut all = startup_findings(o);
        all.extend(startup_findings(s));
        all
    }

    /// The file beside the database that remembers the trail's head after each write: a
    /// database found behind it lost its newest writes (a `-wal` file deleted or swapped for
    /// an old one, or an old copy put in its place).
    pub fn head_file(&self) -> PathBuf {
        let mut p = self.path.clone().into_os_string();
        p.push("-head");
        PathBuf::from(p)
    }

    /// Remember the trail's head (best effort: not syncing, never failing a write).
    pub(super) fn record_head(&self) {
        if self.path.as_os_str() == ":memory:" {
            return;
        }
        if let Ok(Some((seq, hash))) = audit::head(&self.conn) {
            let _ = std::fs::write(self.head_file(), format!("{seq} {hash}\n"));
        }
    }

    /// The head remembered in the head file, when there is one.
    pub fn remembered_head(&self) -> Option<(i64, String)> {
        let text = std::fs::read_to_string(self.head_file()).ok()?;
        let (seq, hash) = text.trim().split_once(' ')?;
        Some((seq.parse().ok()?, hash.to_string()))
    }
}

/// The start-up `quick_check`, on a read-only connection of its own in a thread. Dropped
/// unfinished (the program closing), it is interrupted and waited for, so its connection
/// never outlives the store.
pub(super) struct HealthCheck {
    pub(super) thread: std::thread::JoinHandle<Vec<String>>,
    interrupt: Option<rusqlite::InterruptHandle>,
}

impl HealthCheck {
    pub(super) fn start(path: &Path) -> HealthCheck {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        );
        let interrupt = conn.as_ref().ok().map(Connection::get_interrupt_handle);
        let thread = std::thread::spawn(move || match conn {
            Ok(conn) => {
                let _ = conn.busy_timeout(BUSY_TIMEOUT);
                startup_findings(verify::check("启动检查", |o| {
                    verify::integrity(&conn, true, o)
                }))
            }
            Err(e) => vec![format!("启动检查无法读取数据库：{}", error::explain(&e))],
        });
        HealthCheck { thread, interrupt }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(check) = self.health.get_mut().take() {
            if let Some(i) = &check.interrupt {
                i.interrupt();
            }
            let _ = check.thread.join();
        }
    }
}

/// A start-up check's findings as the clerk reads them.
fn startup_findings(o: verify::Outcome) -> Vec<String> {
    o.findings
        .into_iter()
        .map(|f| match f.strip_prefix("无法完成此项检查：") {
            Some(rest) => format!("启动检查发现{rest}"),
            None => f,
        })
        .collect()
}

/// The file whose shared lock says "this database is open in a window" (`<db>-lock`).
pub fn use_lock_path(db: &Path) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push("-lock");
    PathBuf::from(p)
}

/// The use-lock file of a database, opened (created when missing), not locked yet.
fn open_use_lock(db: &Path) -> StoreResult<std::fs::File> {
    let path = use_lock_path(db);
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| StoreError::ReadOnly {
            path: path.clone(),
            detail: e.to_string(),
        })
}

/// The database alone, for `demo` to move an old one aside: the use lock held exclusively,
/// or `None` when a window has the database open. Held until the file is dropped.
pub fn take_use_lock_alone(db: &Path) -> StoreResult<Option<std::fs::File>> {
    let file = open_use_lock(db)?;
    match file.try_lock() {
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        // locked, or a file system without locks (the check is only for `demo`)
        _ => Ok(Some(file)),
    }
}

/// Hold a shared lock on the use-lock file for as long as the store is open. While `demo`
/// holds it exclusively (a moment, to move an old demo aside), opening waits.
pub(super) fn take_use_lock(db: &Path) -> StoreResult<std::fs::File> {
    let file = open_use_lock(db)?;
    match file.try_lock_shared() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::Busy),
        // a file system without locks: the check is only for `demo`
        Err(std::fs::TryLockError::Error(_)) => Ok(file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_problems_make_one_readable_reason() {
        let few: Vec<String> = (1..=3).map(|i| format!("问题{i}")).collect();
        let store = Store::open_in_memory().unwrap();
        store.set_read_only_for(&few);
        assert_eq!(store.read_only().as_deref(), Some("问题1；问题2；问题3"));
        let many: Vec<String> = (1..=80).map(|i| format!("触发器{i}不见了")).collect();
        let store = Store::open_in_memory().unwrap();
        store.set_read_only_for(&many);
        assert_eq!(
            store.read_only().as_deref(),
            Some(
                "触发器1不见了；触发器2不见了；触发器3不见了；……还有更多问题（stationdesk verify 列出全部）"
            )
        );
    }
}

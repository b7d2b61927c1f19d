//! `stationdesk restore FILE`: put a backup copy in place of the database.
//!
//! Rule: nothing is lost and nothing unchecked goes live.
//! 1. Refused while a window has the database open (its use lock), and for a file that is
//!    not a stationdesk database, is empty, or comes from a newer program.
//! 2. The file is copied (SQLite's backup API: a copy left in WAL mode with its `-wal` is
//!    read whole) to `stationdesk.db.restoring` in the data directory, and that copy — what
//!    will go live — gets the full `verify` (file, schema, chain, seals, every table,
//!    numbering, day-end heads). Any finding: the copy is removed, nothing else changed.
//! 3. The database in place is kept as `stationdesk.db.before-restore-<time>` (a hard link
//!    first, so the name `stationdesk.db` is never missing; its `-wal`, `-shm` and `-head`
//!    files move with it under the same name), never deleted; then the checked copy is
//!    renamed over `stationdesk.db`.
//! 4. The restored database is opened as the program opens it (an older one is upgraded)
//!    and the restore is recorded in its own audit trail, naming the file it came from and
//!    the database it replaced.
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OpenFlags};

use crate::domain::audit_labels::action_label;
use crate::domain::clock::Clock;
use crate::service::{DB_FILE, Service, ServiceError, ServiceResult};
use crate::store::audit::{self, Actor, Changes, NewEntry};
use crate::store::backup::{self as bstore, CopyError, Pace, Summary};
use crate::store::{Store, take_use_lock_alone};

/// What a restore did.
#[derive(Clone, Debug)]
pub struct RestoreReport {
    /// the backup restored from
    pub file: PathBuf,
    pub db: PathBuf,
    /// where the database that was in place now is (none when there was none)
    pub aside: Option<PathBuf>,
    /// what that database held
    pub before: Option<Summary>,
    /// what the restored one holds (before the restore's own entry)
    pub after: Summary,
    /// the restore's audit entry could not be written (the restore itself is done)
    pub record_problem: Option<String>,
}

fn refused(s: impl Into<String>) -> ServiceError {
    ServiceError::Refused(s.into())
}

/// A database's figures in one line.
pub fn describe_summary(s: &Summary) -> String {
    let n = |v: Option<i64>| v.map_or("?".to_string(), |v| v.to_string());
    let last = match &s.last_entry {
        Some((seq, at, action, who)) => {
            format!("最新第 {seq} 条 {at} {}（{who}）", action_label(action))
        }
        None => "没有审计记录".into(),
    };
    format!(
        "客户 {} 户，收据 {} 张，审计记录 {} 条，{last}（数据库第 {} 版）",
        n(s.customers),
        n(s.receipts),
        n(s.audit_entries),
        s.schema_version
    )
}

impl RestoreReport {
    pub fn describe(&self) -> String {
        let mut out = format!("已从备份恢复：{}\n", self.file.display());
        out.push_str(&format!(
            "  恢复的数据：{}\n",
            describe_summary(&self.after)
        ));
        match (&self.aside, &self.before) {
            (Some(a), Some(b)) => {
                out.push_str(&format!(
                    "  原数据库已改名保存（不会删除）：{}\n  原来的数据：{}\n",
                    a.display(),
                    describe_summary(b)
                ));
                if let (Some(was), Some(now)) = (b.receipts, self.after.receipts)
                    && was > now
                {
                    out.push_str(&format!(
                        "  注意：原数据库比恢复的数据多 {} 张收据（最后一张 {}）：这些收款只记在改名保存的原数据库里，恢复后收据号从 {} 之后接着编，会与已交给客户的收据重号。请所长对照原数据库和收据存根核对、补录\n",
                        was - now,
                        b.last_receipt.as_deref().unwrap_or("?"),
                        self.after.last_receipt.as_deref().unwrap_or("第一张")
                    ));
                }
                if let (Some(was), Some(now)) = (b.audit_entries, self.after.audit_entries)
                    && was > now
                {
                    let range = if was == now + 1 {
                        format!("第 {was} 条审计记录")
                    } else {
                        format!("第 {}–{was} 条审计记录（共 {} 条）", now + 1, was - now)
                    };
                    out.push_str(&format!(
                        "  恢复后比原数据库少了{range}：这些记录只在改名保存的原数据库里\n"
                    ));
                }
            }
            (Some(a), None) => out.push_str(&format!(
                "  原数据库已改名保存（不会删除）：{}（无法读取其内容）\n",
                a.display()
            )),
            (None, _) => out.push_str("  数据目录中原来没有数据库\n"),
        }
        out.push_str(&format!("  数据库：{}\n", self.db.display()));
        if let Some(p) = &self.record_problem {
            out.push_str(&format!("  注意：恢复记录未能写入审计日志：{p}\n"));
        }
        out
    }
}

/// `name` with `suffix` appended (`stationdesk.db` + `-wal`).
fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Restore the database of `data_dir` from the backup `file`. See the module header.
pub fn restore(
    data_dir: &Path,
    file: &Path,
    clock: Arc<dyn Clock>,
    progress: &dyn Fn(&str),
) -> ServiceResult<RestoreReport> {
    match std::fs::metadata(file) {
        Ok(m) if m.is_file() => {}
        Ok(_) => return Err(refused(format!("{} 不是文件", file.display()))),
        Err(_) => {
            return Err(refused(format!(
                "备份文件 {} 不存在或无法读取",
                file.display()
            )));
        }
    }
    std::fs::create_dir_all(data_dir).map_err(|e| {
        refused(format!(
            "无法建立数据目录 {}：{}",
            data_dir.display(),
            super::job::folder_io_problem(data_dir, &e)
        ))
    })?;
    let db = data_dir.join(DB_FILE);
    if let (Ok(a), Ok(b)) = (file.canonicalize(), db.canonicalize())
        && a == b
    {
        return Err(refused("这就是数据目录里正在用的数据库，不能用它自己恢复"));
    }
    // 1. nobody has the database open, and nobody opens it while this runs
    let lock = take_use_lock_alone(&db)?.ok_or_else(|| {
        refused(format!(
            "数据库 {} 正在被 stationdesk 使用（有窗口开着）：请先关闭所有 stationdesk 窗口再恢复",
            db.display()
        ))
    })?;
    // the file is ours: a stationdesk database, not empty, not from a newer program
    Store::open_read_only(file)
        .map_err(|e| refused(format!("备份文件 {} 不能用来恢复：{e}", file.display())))?;
    // 2. the copy that will go live, checked in full
    let temp = with_suffix(&db, ".restoring");
    let _ = std::fs::remove_file(&temp);
    progress("正在复制备份文件……");
    if let Err(e) = bstore::copy_online(file, &temp, &Pace::default()) {
        let _ = std::fs::remove_file(&temp);
        return Err(refused(match e {
            CopyError::Source(e) => format!(
                "备份文件 {} 无法读取，未恢复：{}",
                file.display(),
                crate::store::verify::describe(&e)
            ),
            CopyError::Dest(e) => format!(
                "无法在数据目录 {} 中写入，未恢复：{}",
                data_dir.display(),
                crate::store::verify::describe(&e)
            ),
        }));
    }
    progress("正在完整检查备份（文件、结构、审计链、封存、各表、编号）……");
    let after = match check_in_full(&temp, data_dir, clock.clone()) {
        Ok(s) => s,
        Err(findings) => {
            let _ = std::fs::remove_file(&temp);
            return Err(refused(format!(
                "备份文件 {} 检查未通过，未恢复（本机数据库没有任何改动）：\n{}",
                file.display(),
                findings
            )));
        }
    };
    // 3. the database in place kept aside, then the copy in its place
    let before = summary_of(&db);
    let aside = if db.exists() {
        let aside = aside_name(&db, clock.now());
        keep_aside(&db, &aside).map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            refused(format!(
                "原数据库无法改名保存，未恢复：{}",
                super::job::folder_io_problem(data_dir, &e)
            ))
        })?;
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&temp, &db).map_err(|e| {
        refused(format!(
            "检查通过的副本 {} 无法改名为 {}：{}。原数据库已改名保存，请把副本手工改名为 {DB_FILE}",
            temp.display(),
            db.display(),
            super::job::folder_io_problem(data_dir, &e)
        ))
    })?;
    if let Ok(d) = std::fs::File::open(data_dir) {
        let _ = d.sync_all();
    }
    drop(lock);
    // 4. opened as the program opens it, and the restore recorded in it
    let record_problem = record(data_dir, clock, file, aside.as_deref(), &before, &after).err();
    Ok(RestoreReport {
        file: file.to_path_buf(),
        db,
        aside,
        before,
        after,
        record_problem,
    })
}

/// The full verify of the copy; its figures when sound, its findings when not.
fn check_in_full(temp: &Path, data_dir: &Path, clock: Arc<dyn Clock>) -> Result<Summary, String> {
    let store = Store::open_read_only(temp).map_err(|e| e.to_string())?;
    let after = bstore::summary(store.conn());
    let svc = Service::new(store, data_dir.to_path_buf(), clock);
    let report = svc.verify().map_err(|e| e.message())?;
    if report.ok() {
        Ok(after)
    } else {
        let mut lines: Vec<String> = report.findings().into_iter().take(12).collect();
        if report.faults() > lines.len() {
            lines.push(format!("……共 {} 处问题", report.faults()));
        }
        Err(lines
            .iter()
            .map(|l| format!("  - {l}"))
            .collect::<Vec<_>>()
            .join("\n"))
    }
}

/// The figures of the database at `db`, when there is one that can be read.
fn summary_of(db: &Path) -> Option<Summary> {
    if !db.exists() {
        return None;
    }
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    let s = bstore::summary(&conn);
    (s.audit_entries.is_some() || s.customers.is_some()).then_some(s)
}

/// A name for the database set aside that no file has (nor its `-wal`): never one that
/// would be written over, such as the very file being restored from.
fn aside_name(db: &Path, now: chrono::NaiveDateTime) -> PathBuf {
    let stamp = now.format("%Y%m%d-%H%M%S");
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!(".before-restore-{stamp}")
        } else {
            format!(".before-restore-{stamp}-{n}")
        };
        let p = with_suffix(db, &name);
        if !p.exists() && !with_suffix(&p, "-wal").exists() {
            return p;
        }
        n += 1;
    }
}

/// Keep `db` and its companion files under `aside`: a hard link first (the name `db` stays
/// until the copy replaces it), a rename where links are not possible.
fn keep_aside(db: &Path, aside: &Path) -> std::io::Result<()> {
    if std::fs::hard_link(db, aside).is_err() {
        std::fs::rename(db, aside)?;
    }
    for suffix in ["-wal", "-shm", "-head"] {
        let from = with_suffix(db, suffix);
        if from.exists() {
            std::fs::rename(&from, with_suffix(aside, suffix))?;
        }
    }
    Ok(())
}

/// The restore in the restored database's own trail.
fn record(
    data_dir: &Path,
    clock: Arc<dyn Clock>,
    file: &Path,
    aside: Option<&Path>,
    before: &Option<Summary>,
    after: &Summary,
) -> Result<(), String> {
    let mut svc = Service::open(data_dir, clock).map_err(|e| e.message())?;
    if let Some(why) = svc.read_only() {
        return Err(format!("恢复后的数据库以只读方式打开：{why}"));
    }
    let now = svc.now();
    let head = |s: &Summary| match &s.last_entry {
        Some((seq, at, _, _)) => format!("第 {seq} 条（{at}）"),
        None => "无".into(),
    };
    let changes = Changes::new()
        .note("file", file.display().to_string())
        .note(
            "replaced",
            aside.map_or("（原来没有数据库）".into(), |a| {
                a.display().to_string()
            }),
        )
        .note(
            "replaced_head",
            before.as_ref().map_or("无法读取".into(), head),
        )
        .note("restored_head", head(after));
    let actor = Actor::system("恢复备份");
    svc.store_mut()
        .write(|tx| -> ServiceResult<()> {
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "backup.restore",
                    entity: "backup",
                    entity_id: &file.display().to_string(),
                    changes,
                },
            )?;
            Ok(())
        })
        .map_err(|e| e.message())
}

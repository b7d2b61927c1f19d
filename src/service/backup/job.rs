//! One backup from start to record: the folder, the copy under a `.part` name, its check,
//! the rename, the thinning out of old copies, and the audit entry.
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::BackupPlan;
use crate::domain::backup as rules;
use crate::store::audit::{self, Actor, Changes, NewEntry};
use crate::store::backup::{self as bstore, CopyError};
use crate::store::{Store, StoreError};

pub(super) const MADE: &str = "backup.made";
const FAILED: &str = "backup.failed";

/// What a backup did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BackupOutcome {
    /// the good copy, when one was made
    pub file: Option<PathBuf>,
    /// why there is none (Chinese, for the clerk)
    pub problem: Option<String>,
    pub bytes: u64,
    /// the audit head the copy holds
    pub head_seq: Option<i64>,
    /// copying (the snapshot held), then checking the copy
    pub copy_took: Duration,
    pub check_took: Duration,
    /// old copies removed (file names)
    pub removed: Vec<String>,
    /// old copies that could not be removed
    pub not_removed: Vec<String>,
    /// the audit entry could not be written (the copy itself is fine)
    pub record_problem: Option<String>,
}

impl BackupOutcome {
    pub fn ok(&self) -> bool {
        self.file.is_some()
    }

    /// One line for the message line or the terminal.
    pub fn describe(&self) -> String {
        let mut s = match (&self.file, &self.problem) {
            (Some(f), _) => format!(
                "已备份到 {}（{:.1} MB，复制 {:.1} 秒，检查 {:.1} 秒，检查通过 ✓）",
                f.display(),
                self.bytes as f64 / 1_048_576.0,
                self.copy_took.as_secs_f64(),
                self.check_took.as_secs_f64()
            ),
            (None, Some(p)) => format!("备份失败：{p}。营业不受影响，数据仍完好地在本机数据库里"),
            (None, None) => "备份失败".into(),
        };
        if !self.removed.is_empty() {
            s.push_str(&format!("；按保留设置删除旧备份 {} 份", self.removed.len()));
        }
        if !self.not_removed.is_empty() {
            s.push_str(&format!(
                "；{} 份旧备份未能删除（{}）",
                self.not_removed.len(),
                self.not_removed.join("、")
            ));
        }
        if let Some(r) = &self.record_problem {
            s.push_str(&format!("；备份记录未能写入审计日志：{r}"));
        }
        s
    }
}

/// A backup running in a thread of its own.
pub struct BackupJob {
    thread: std::thread::JoinHandle<BackupOutcome>,
}

impl BackupJob {
    pub fn start(plan: BackupPlan) -> BackupJob {
        BackupJob {
            thread: std::thread::spawn(move || run(&plan)),
        }
    }

    pub fn is_finished(&self) -> bool {
        self.thread.is_finished()
    }

    /// Wait for it to end.
    pub fn wait(self) -> BackupOutcome {
        self.thread.join().unwrap_or_else(|_| BackupOutcome {
            problem: Some("备份过程意外中止".into()),
            ..BackupOutcome::default()
        })
    }
}

/// Make one backup as `plan` says and record it. Never panics; every failure is in the
/// outcome, in words.
pub fn run(plan: &BackupPlan) -> BackupOutcome {
    let at = plan.clock.now();
    // one backup of this database at a time (two windows closing their days at once): the
    // second waits for the first, then copies what is there by then
    let _lock = backup_lock(&plan.db);
    let mut out = BackupOutcome::default();
    match copy_and_check(plan, at, &mut out) {
        Ok(file) => {
            out.file = Some(file);
            if plan.prune {
                prune(plan, &mut out);
            }
        }
        Err(why) => out.problem = Some(why),
    }
    if let Err(e) = record(plan, &out) {
        out.record_problem = Some(e.to_string());
    }
    out
}

/// The lock file beside the database that keeps backups of it one at a time (best effort:
/// a file system without locks only loses that).
fn backup_lock(db: &Path) -> Option<std::fs::File> {
    let mut p = db.as_os_str().to_owned();
    p.push("-backup-lock");
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(PathBuf::from(p))
        .ok()?;
    f.lock().ok()?;
    Some(f)
}

fn copy_and_check(
    plan: &BackupPlan,
    at: chrono::NaiveDateTime,
    out: &mut BackupOutcome,
) -> Result<PathBuf, String> {
    let folder = &plan.folder;
    ready_folder(folder, plan.default_folder)?;
    remove_leftovers(folder, &plan.station_code);
    let (part, file) = free_names(folder, &plan.station_code, at)?;
    let started = Instant::now();
    let copied = match bstore::copy_online(&plan.db, &part, &plan.pace) {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            return Err(copy_problem(folder, &e));
        }
    };
    out.copy_took = started.elapsed();
    out.bytes = copied.bytes;
    out.head_seq = copied.head.as_ref().map(|(s, _)| *s);
    let started = Instant::now();
    let findings = bstore::check_copy(&part);
    out.check_took = started.elapsed();
    if !findings.is_empty() {
        let _ = std::fs::remove_file(&part);
        let what: Vec<String> = findings
            .iter()
            .flat_map(|o| {
                o.findings
                    .iter()
                    .take(2)
                    .map(move |f| format!("{}：{f}", o.label))
            })
            .collect();
        return Err(format!(
            "备份副本检查未通过，副本已删除（{}）。可能是备份盘有坏块，也可能是本机数据库已损坏：请所长运行 stationdesk verify 检查",
            what.join("；")
        ));
    }
    std::fs::rename(&part, &file).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        folder_io_problem(folder, &e)
    })?;
    // the new name on disk too (best effort: not every system syncs a folder)
    if let Ok(d) = std::fs::File::open(folder) {
        let _ = d.sync_all();
    }
    Ok(file)
}

/// The folder exists and is a folder; the default one is made when missing.
fn ready_folder(folder: &Path, default: bool) -> Result<(), String> {
    match std::fs::metadata(folder) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(format!(
            "备份文件夹 {} 不是文件夹（是一个文件）：请所长在“设置 → 备份”中改正",
            folder.display()
        )),
        Err(_) if default => {
            std::fs::create_dir_all(folder).map_err(|e| folder_io_problem(folder, &e))
        }
        Err(_) => Err(format!(
            "备份文件夹 {} 不存在（U 盘没有插好？）：请插好 U 盘，或请所长在“设置 → 备份”中改为存在的文件夹",
            folder.display()
        )),
    }
}

/// Copies of this station left half written by a backup that was cut short (the lock is
/// held: none is being written now).
fn remove_leftovers(folder: &Path, code: &str) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(rules::PART)
            && rules::parse_copy_name(code, stem).is_some()
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// The `.part` name to write and the name it will have, free in `folder`.
fn free_names(
    folder: &Path,
    code: &str,
    at: chrono::NaiveDateTime,
) -> Result<(PathBuf, PathBuf), String> {
    for n in 1..100 {
        let name = rules::copy_name(code, at, n);
        let file = folder.join(&name);
        let part = folder.join(format!("{name}{}", rules::PART));
        if !file.exists() && !part.exists() {
            return Ok((part, file));
        }
    }
    Err(format!(
        "备份文件夹 {} 中同一秒的备份太多",
        folder.display()
    ))
}

/// A failed copy in words: the folder's fault (full, read-only, gone) or the database's.
fn copy_problem(folder: &Path, e: &CopyError) -> String {
    match e {
        CopyError::Dest(StoreError::DiskFull { .. }) => full(folder),
        CopyError::Dest(StoreError::ReadOnly { .. }) => read_only(folder),
        CopyError::Dest(other) => format!(
            "写入备份文件夹 {} 出错（U 盘被拔出或有坏块？）：{}",
            folder.display(),
            crate::store::verify::describe(other)
        ),
        CopyError::Source(other) => format!(
            "读取数据库出错，未能备份：{}",
            crate::store::verify::describe(other)
        ),
    }
}

fn full(folder: &Path) -> String {
    format!(
        "备份文件夹 {} 所在的磁盘已满：请换一个空间够的 U 盘，或删除盘上不需要的文件",
        folder.display()
    )
}

fn read_only(folder: &Path) -> String {
    format!(
        "备份文件夹 {} 不能写入（只读、写保护或没有权限）：请检查 U 盘的写保护开关，或请所长改用别的文件夹",
        folder.display()
    )
}

/// A file-system error on the backup folder in words.
pub fn folder_io_problem(folder: &Path, e: &std::io::Error) -> String {
    match bstore::io_error(folder, e) {
        StoreError::DiskFull { .. } => full(folder),
        StoreError::ReadOnly { .. } => read_only(folder),
        _ => format!(
            "写入备份文件夹 {} 出错（U 盘被拔出或有坏块？）",
            folder.display()
        ),
    }
}

/// Thin out this station's copies in the folder by the keep settings.
fn prune(plan: &BackupPlan, out: &mut BackupOutcome) {
    let Ok(entries) = std::fs::read_dir(&plan.folder) else {
        return;
    };
    let copies: Vec<(String, chrono::NaiveDateTime)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let at = rules::parse_copy_name(&plan.station_code, &name)?;
            Some((name, at))
        })
        .collect();
    for name in rules::to_remove(&copies, plan.keep_daily, plan.keep_monthly) {
        match std::fs::remove_file(plan.folder.join(&name)) {
            Ok(()) => out.removed.push(name),
            Err(_) => out.not_removed.push(name),
        }
    }
}

/// The attempt in the audit trail, through a connection of its own.
fn record(plan: &BackupPlan, out: &BackupOutcome) -> Result<(), StoreError> {
    let mut store = Store::open(&plan.db)?;
    // the entry's time is the end of the attempt (the copy's name carries its start)
    let at = plan.clock.now();
    let actor = Actor::system(plan.reason.label());
    let mut changes = Changes::new()
        .note("reason", plan.reason.label())
        .note("folder", plan.folder.display().to_string())
        .note(
            "signed_in",
            plan.signed_in
                .clone()
                .unwrap_or_else(|| "（无人登录）".into()),
        );
    let (action, entity_id) = match (&out.file, &out.problem) {
        (Some(f), _) => {
            changes = changes
                .note(
                    "file",
                    f.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                )
                .note("bytes", out.bytes)
                .note("audit_head_seq", out.head_seq.unwrap_or(0))
                .note("copy_ms", out.copy_took.as_millis() as u64)
                .note("check_ms", out.check_took.as_millis() as u64)
                .note("checked", "integrity_check、结构、审计链：通过");
            if !out.removed.is_empty() {
                changes = changes.note("removed", out.removed.join("、"));
            }
            (MADE, f.display().to_string())
        }
        (None, why) => {
            changes = changes.note("problem", why.clone().unwrap_or_default());
            (FAILED, plan.folder.display().to_string())
        }
    };
    store.write(|tx| -> Result<(), StoreError> {
        audit::append(
            tx,
            NewEntry {
                at,
                actor: &actor,
                action,
                entity: "backup",
                entity_id: &entity_id,
                changes,
            },
        )?;
        Ok(())
    })
}

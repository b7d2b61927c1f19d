//! Backups (issue 17): an online copy of the database into the backup folder at each day
//! end, at exit and on `stationdesk backup`; each copy checked, the old ones thinned out,
//! every attempt recorded in the audit trail; and `stationdesk restore`.
//!
//! Rule: a backup never holds up the counter. It runs on connections of its own (a thread
//! in the program; the command line runs it in place): the source is read in one snapshot
//! while payments go on committing to the `-wal` file. A copy is written under a `.part`
//! name, checked (`integrity_check`, the schema, the audit chain), and only then renamed to
//! its real name, so a copy cut short (power lost, the program killed, the stick pulled)
//! never looks like a good one. A folder that is missing, full or read-only is said in
//! words; the counter keeps working either way.
//!
//! Record: one audit entry per attempt under entity `backup` — `backup.made` (file, size,
//! the copy's audit head, times, copies removed) or `backup.failed` (why) — written by
//! the system actor with the person signed in as a note; found through the audit log's
//! entity index, so the home screen reads it in microseconds. No table of its own: the
//! trail is the record, and it is sealed like every entry.
mod job;
pub mod restore;

use std::path::PathBuf;
use std::sync::Arc;

pub use job::{BackupJob, BackupOutcome, folder_io_problem as folder_problem, run};
pub use restore::{RestoreReport, restore};

use super::{Service, ServiceError, ServiceResult};
use crate::domain::backup::{self as rules, Reason, Standing};
use crate::domain::clock::{self, Clock};
use crate::domain::settings::SettingValue;
use crate::store::backup::{self as bstore, Pace};

/// Everything a backup needs, read from the service before it starts (the thread has no
/// service of its own).
#[derive(Clone)]
pub struct BackupPlan {
    pub db: PathBuf,
    pub folder: PathBuf,
    /// the folder is the default one in the data directory (made when missing); a folder
    /// the chief set must exist: a USB stick not plugged in is never replaced by a folder
    /// made on the PC's own disk
    pub default_folder: bool,
    /// thin out old copies after a good one (not for `backup --to DIR`)
    pub prune: bool,
    pub station_code: String,
    pub keep_daily: u32,
    pub keep_monthly: u32,
    pub reason: Reason,
    /// who was signed in (for the record)
    pub signed_in: Option<String>,
    pub clock: Arc<dyn Clock>,
    pub pace: Pace,
}

impl Service {
    /// The backup folder: the setting, or `backups/` in the data directory; and whether it
    /// is that default.
    pub fn backup_folder(&self) -> ServiceResult<(PathBuf, bool)> {
        let v = self.setting("backup.folder")?.value;
        Ok(if v.trim().is_empty() {
            (self.data_dir().join("backups"), true)
        } else {
            (PathBuf::from(v.trim()), false)
        })
    }

    /// What a backup now would do. Refused before the station is set up and while the
    /// database is read-only (a damaged file is not copied over good copies).
    pub fn backup_plan(
        &self,
        reason: Reason,
        signed_in: Option<String>,
    ) -> ServiceResult<BackupPlan> {
        let station = self.require_station()?;
        if let Some(why) = self.read_only() {
            return Err(ServiceError::Refused(format!(
                "数据库有问题，程序以只读方式打开，不做备份：{why}"
            )));
        }
        let (folder, default_folder) = self.backup_folder()?;
        let count = |key| -> ServiceResult<u32> {
            Ok(u32::try_from(self.int_setting(key)?.max(0)).unwrap_or(u32::MAX))
        };
        Ok(BackupPlan {
            db: self.store().path().to_path_buf(),
            folder,
            default_folder,
            prune: true,
            station_code: station.code,
            keep_daily: count("backup.keep_daily")?,
            keep_monthly: count("backup.keep_monthly")?,
            reason,
            signed_in,
            clock: self.clock.clone(),
            pace: Pace::default(),
        })
    }

    /// Start a backup in a thread of its own; the counter goes on at once.
    pub fn start_backup(
        &self,
        reason: Reason,
        signed_in: Option<String>,
    ) -> ServiceResult<BackupJob> {
        Ok(BackupJob::start(self.backup_plan(reason, signed_in)?))
    }

    /// How the backups stand, for the home screen: the last attempt and the last good copy
    /// against `backup.warn_days`.
    pub fn backup_standing(&self) -> ServiceResult<Standing> {
        let conn = self.store().conn();
        let last = bstore::last_record(conn, None)?.map(|(at, action, changes)| {
            let why = serde_json::from_str::<serde_json::Value>(&changes)
                .ok()
                .and_then(|v| v["problem"].as_str().map(str::to_string))
                .unwrap_or_default();
            (clock::from_db(&at), action == job::MADE, why)
        });
        let last = match last {
            Some((Some(at), ok, why)) => Some((at, ok, why)),
            _ => None,
        };
        let last_good =
            bstore::last_record(conn, Some(job::MADE))?.and_then(|(at, _, _)| clock::from_db(&at));
        Ok(rules::standing(
            last,
            last_good,
            self.now(),
            self.int_setting("backup.warn_days")?,
        ))
    }

    /// Whether closing the program should back up: the setting is on, the database can be
    /// copied, and something other than sign-ins and backups happened since the last good
    /// copy was taken.
    pub fn backup_due_at_exit(&self) -> ServiceResult<bool> {
        if self.station()?.is_none() || self.read_only().is_some() {
            return Ok(false);
        }
        if !matches!(
            self.setting("backup.on_exit")?.typed(),
            Ok(SettingValue::Bool(true))
        ) {
            return Ok(false);
        }
        let conn = self.store().conn();
        let covered = bstore::last_record(conn, Some(job::MADE))?
            .and_then(|(_, _, changes)| {
                serde_json::from_str::<serde_json::Value>(&changes)
                    .ok()
                    .and_then(|v| v["audit_head_seq"].as_i64())
            })
            .unwrap_or(0);
        Ok(bstore::changed_since(conn, covered)?)
    }
}

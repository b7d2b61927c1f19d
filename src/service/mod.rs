//! Use cases: the only API the UI calls. Each change runs in one transaction together
//! with its audit entry; role checks live here, not in the screens.
pub mod accounts;
pub mod areas;
pub mod assessment;
pub mod audit_views;
pub mod auth;
pub mod backup;
pub mod begin;
pub mod calendar;
pub mod cases;
pub mod collection;
pub mod customers;
pub mod deadlines;
pub mod error;
pub mod handover;
pub mod home;
pub mod meter_checks;
pub mod meters;
pub mod orders;
pub mod payments;
pub mod printing;
pub mod readings;
pub mod rectification;
pub mod reports;
pub mod rotation;
pub mod search;
pub mod settings;
pub mod setup;
pub mod slips;
pub mod verify;

#[cfg(test)]
mod boundary_tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDateTime;

pub use begin::Cx;
pub use error::{ServiceError, ServiceResult};

use crate::domain::clock::Clock;
use crate::domain::role::{Need, Role};
use crate::store::audit::Actor;
use crate::store::{Store, station::Station};

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "stationdesk.db";

/// Who is signed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub staff_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub is_admin: bool,
    pub must_change_password: bool,
}

impl Session {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.staff_id),
            user_name: format!("{}（{}）", self.display_name, self.username),
        }
    }

    /// Refuse read-only roles (auditors) any change.
    pub fn require_write(&self) -> ServiceResult<()> {
        self.check(Need::Write)
    }

    /// Refused, with the service's message, unless this session meets `need`.
    pub fn check(&self, need: Need) -> ServiceResult<()> {
        match begin::refusal(self, need, "办理此事") {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Whether this session's role meets `need` (what the service will check again).
    pub fn can(&self, need: Need) -> bool {
        need.allows(self.role, self.is_admin)
    }

    /// Any change to business data (everyone but auditors).
    pub fn can_write(&self) -> bool {
        self.can(Need::Write)
    }

    /// Taking money at the counter (营业员, 所长).
    pub fn can_take_money(&self) -> bool {
        self.can(Need::Cashier)
    }

    /// The chief's decisions: settings, 台区, the calendar, waivers, assessments.
    pub fn is_chief(&self) -> bool {
        self.can(Need::Chief)
    }

    /// The station's rule settings (the chief).
    pub fn can_edit_settings(&self) -> bool {
        self.is_chief()
    }

    /// Account management: the chief or a staff member with the administrator flag.
    pub fn can_manage_accounts(&self) -> bool {
        self.can(Need::Admin)
    }

    /// An area manager sees the customers of their own 台区 only.
    pub fn sees_own_areas_only(&self) -> bool {
        self.role == Role::AreaManager
    }
}

/// The program's services over one store, with an injected clock.
pub struct Service {
    store: Store,
    clock: Arc<dyn Clock>,
    data_dir: PathBuf,
    password_cost: auth::PasswordCost,
    /// the open orders as the deadline code reads them, kept while the database is unchanged
    deadline_cache: deadlines::ClockCache,
    /// a hash of no one's password, checked for an unknown user name so that sign-in takes
    /// as long as for a wrong password (made at the first such try)
    decoy_hash: std::sync::OnceLock<String>,
}

/// Whether an open failed because the file is damaged (not foreign, newer or locked).
fn damaged(e: &crate::store::StoreError) -> bool {
    use crate::store::StoreError as E;
    match e {
        E::Sqlite(inner) => matches!(
            inner.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseCorrupt)
        ),
        E::Open { .. } | E::Migration(_) | E::Corrupt(_) => true,
        _ => false,
    }
}

/// When the database holds fewer audit entries than it had after its last write, or a
/// different history: its newest writes are gone.
fn behind_its_head(store: &Store) -> Option<String> {
    let (seq, hash) = store.remembered_head()?;
    let now = crate::store::audit::head(store.conn()).ok()?;
    let here: Option<String> = store
        .conn()
        .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .ok();
    if here.as_deref() == Some(hash.as_str()) {
        return None;
    }
    let have = now.map(|(s, _)| s).unwrap_or(0);
    Some(if have < seq {
        format!(
            "数据库比上次写入后少了 {} 条审计记录（上次到第 {seq} 条，现在只到第 {have} 条）：最近的改动丢失了，可能是 {}-wal 文件被删除或换成了旧的，或数据库被换成了旧副本。请勿继续办理业务，联系所长处理；确认要以现在的数据继续时，删除文件 {} 后重新打开",
            seq - have,
            store.path().display(),
            store.head_file().display()
        )
    } else {
        format!(
            "数据库第 {seq} 条审计记录与上次写入后不同：数据库被换成了另一份或被改写。请勿继续办理业务，联系所长处理；确认要以现在的数据继续时，删除文件 {} 后重新打开",
            store.head_file().display()
        )
    })
}

impl Service {
    /// Open the database in `data_dir` (created when missing).
    ///
    /// Every start checks the file (`quick_check`), its schema, and that it is not behind
    /// the head it had after its last write. A database that fails opens read-only, saying
    /// why ([`Service::read_only`]); one that cannot even be opened for writing because it is
    /// damaged is opened read-only too. Nothing is ever written into it.
    pub fn open(data_dir: &Path, clock: Arc<dyn Clock>) -> ServiceResult<Service> {
        let path = data_dir.join(DB_FILE);
        let store = match Store::open(&path) {
            Ok(store) => {
                let mut problems = store.check_health();
                if let Some(behind) = behind_its_head(&store) {
                    problems.push(behind);
                }
                if !problems.is_empty() {
                    store.set_read_only_for(&problems);
                }
                store
            }
            Err(e) if damaged(&e) => match Store::open_read_only(&path) {
                Ok(store) => {
                    let mut problems = store.health();
                    if problems.is_empty() {
                        problems.push(e.to_string());
                    }
                    store.set_read_only_for(&problems);
                    store
                }
                Err(_) => return Err(e.into()),
            },
            Err(e) => return Err(e.into()),
        };
        let mut svc = Service::new(store, data_dir.to_path_buf(), clock);
        // an upgrade's rows (or a new database's) are sealed at once, not at the first write
        if crate::store::mac::sealed_version(svc.store.conn())?
            < crate::store::known_schema_version() as i64
            && {
                // nothing is written into a damaged file: wait for the start-up check
                svc.store.settle_health(true);
                svc.store.read_only().is_none()
            }
        {
            let now = svc.now();
            svc.store.write(|tx| -> ServiceResult<()> {
                crate::store::audit::ensure_sealed(tx, now)?;
                // search indexes an upgrade adds and SQL cannot fill (pinyin readings)
                crate::store::customers::backfill_initial_variants(tx)?;
                crate::store::address_order::backfill(tx)?;
                Ok(())
            })?;
        }
        Ok(svc)
    }

    /// Why the database was opened read-only (damaged, or behind its last head), if it was.
    pub fn read_only(&self) -> Option<String> {
        self.store.read_only()
    }

    pub fn new(store: Store, data_dir: PathBuf, clock: Arc<dyn Clock>) -> Service {
        Service {
            store,
            clock,
            data_dir,
            password_cost: auth::PasswordCost::Standard,
            deadline_cache: deadlines::ClockCache::default(),
            decoy_hash: std::sync::OnceLock::new(),
        }
    }

    /// Cheaper password hashing, for tests that create many accounts.
    pub fn with_password_cost(mut self, cost: auth::PasswordCost) -> Self {
        self.password_cost = cost;
        self
    }

    /// The Argon2 cost new password hashes are made with (the demo hashes its staff's).
    pub(crate) fn password_cost(&self) -> auth::PasswordCost {
        self.password_cost
    }

    pub fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The station, once set up.
    pub fn station(&self) -> ServiceResult<Option<Station>> {
        Ok(crate::store::station::get(self.store.conn())?)
    }

    pub fn require_station(&self) -> ServiceResult<Station> {
        self.station()?.ok_or(ServiceError::NotSetUp)
    }
}

/// A file whose path the clerk typed, read whole: its bytes and its name, or a refusal at
/// the `path` field in words (missing, no right to read, a folder).
pub(crate) fn read_typed_file(path: &str) -> ServiceResult<(Vec<u8>, String)> {
    let typed = path.trim();
    if typed.is_empty() {
        return Err(ServiceError::invalid("path", "请输入文件路径"));
    }
    let p = std::path::Path::new(typed);
    let bytes = std::fs::read(p).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "文件不存在",
            std::io::ErrorKind::PermissionDenied => "没有读取权限",
            _ if p.is_dir() => "这是一个文件夹，不是文件",
            _ => "无法读取",
        };
        ServiceError::invalid(
            "path",
            format!("{why}：{}", crate::domain::validate::shown(typed)),
        )
    })?;
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((bytes, name))
}

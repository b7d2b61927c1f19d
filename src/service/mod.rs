//! Use cases: the only API the UI calls. Each change runs in one transaction together
//! with its audit entry; role checks live here, not in the screens.
pub mod accounts;
pub mod areas;
pub mod assessment;
pub mod auth;
pub mod begin;
pub mod calendar;
pub mod customers;
pub mod deadlines;
pub mod error;
pub mod home;
pub mod orders;
pub mod payments;
pub mod printing;
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

impl Service {
    /// Open the database in `data_dir` (created when missing).
    pub fn open(data_dir: &Path, clock: Arc<dyn Clock>) -> ServiceResult<Service> {
        let store = Store::open(&data_dir.join(DB_FILE))?;
        Ok(Service::new(store, data_dir.to_path_buf(), clock))
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

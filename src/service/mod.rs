//! Use cases: the only API the UI calls. Each change runs in one transaction together
//! with its audit entry; role checks live here, not in the screens.
pub mod accounts;
pub mod areas;
pub mod assessment;
pub mod auth;
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

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDateTime;

pub use error::{ServiceError, ServiceResult};

use crate::domain::clock::Clock;
use crate::domain::role::Role;
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
        if self.role.can_write() {
            Ok(())
        } else {
            Err(ServiceError::Denied(format!(
                "{}只能查看，不能修改",
                self.role.label()
            )))
        }
    }

    /// Account management: the chief or a staff member with the administrator flag.
    pub fn can_manage_accounts(&self) -> bool {
        self.role.can_write() && (self.is_admin || self.role == Role::Chief)
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

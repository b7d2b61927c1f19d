//! Time is injected: domain and service code ask a [`Clock`], never the system.
use chrono::{NaiveDate, NaiveDateTime};
use std::sync::{Arc, Mutex};

/// Source of "now" (local wall-clock time of the station).
pub trait Clock: Send + Sync {
    fn now(&self) -> NaiveDateTime;
    fn today(&self) -> NaiveDate {
        self.now().date()
    }
}

/// A clock that stands still (or is moved by hand): for tests and benchmarks.
#[derive(Clone, Debug)]
pub struct FixedClock(Arc<Mutex<NaiveDateTime>>);

impl FixedClock {
    pub fn new(at: NaiveDateTime) -> Self {
        Self(Arc::new(Mutex::new(at)))
    }
    /// A fixed clock at `y-m-d h:mi:00`; panics on an impossible date (tests only).
    pub fn at(y: i32, m: u32, d: u32, h: u32, mi: u32) -> Self {
        #[allow(clippy::expect_used)]
        let dt = NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, mi, 0))
            .expect("valid fixed date");
        Self::new(dt)
    }
    pub fn set(&self, at: NaiveDateTime) {
        if let Ok(mut g) = self.0.lock() {
            *g = at;
        }
    }
    pub fn advance(&self, by: chrono::Duration) {
        if let Ok(mut g) = self.0.lock() {
            *g += by;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> NaiveDateTime {
        match self.0.lock() {
            Ok(g) => *g,
            Err(p) => *p.into_inner(),
        }
    }
}

/// Format used for timestamps stored in the database (sortable text, local time).
pub const DB_TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

pub fn to_db(at: NaiveDateTime) -> String {
    at.format(DB_TIME_FORMAT).to_string()
}

pub fn from_db(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, DB_TIME_FORMAT).ok()
}

//! Shared test set-up: a temporary data directory, a fixed clock, a set-up station.
#![allow(dead_code)]
pub mod billing_env;
pub mod ui;

use std::sync::Arc;

use stationdesk::domain::clock::FixedClock;
use stationdesk::service::auth::PasswordCost;
use stationdesk::service::setup::SetupInput;
use stationdesk::service::{Service, Session};

pub struct Env {
    pub dir: tempfile::TempDir,
    pub clock: FixedClock,
    pub svc: Service,
}

/// 2026-11-24 (a Tuesday) 09:00, in a fresh data directory.
pub fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let clock = FixedClock::at(2026, 11, 24, 9, 0);
    let svc = Service::open(dir.path(), Arc::new(clock.clone()))
        .unwrap()
        .with_password_cost(PasswordCost::Light);
    Env { dir, clock, svc }
}

pub fn setup_input() -> SetupInput {
    SetupInput {
        station_name: "王庄供电所".into(),
        station_code: "WZ01".into(),
        station_phone: "0538-8123456".into(),
        chief_username: "suozhang".into(),
        chief_name: "李建国".into(),
        password: "secret99".into(),
        password_again: "secret99".into(),
    }
}

/// A set-up station; returns the chief's session.
pub fn with_station() -> (Env, Session) {
    let mut e = env();
    let s = e.svc.first_run_setup(&setup_input(), false).unwrap();
    (e, s)
}

/// The name libtest knows a test by, for running this test binary again as a child with
/// `--exact`: `child_test(module_path!(), "child_writer")` is `two_processes::child_writer`
/// (the module path without the crate's name).
pub fn child_test(module_path: &str, test: &str) -> String {
    match module_path.split_once("::") {
        Some((_crate, module)) => format!("{module}::{test}"),
        None => test.to_string(),
    }
}

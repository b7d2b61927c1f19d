//! Two processes (two counter windows) writing to one database at once: every write
//! lands, the audit chain stays whole and its numbers have no gaps or duplicates.
use crate::common;

use std::process::Command;
use std::sync::Arc;

use stationdesk::domain::clock::FixedClock;
use stationdesk::service::Service;
use stationdesk::service::auth::PasswordCost;

const WRITES: usize = 150;
const CHILD_ENV: &str = "STATIONDESK_TEST_CHILD_DIR";
const KEY_ENV: &str = "STATIONDESK_TEST_CHILD_KEY";

/// Run as a child process by `two_processes_write_at_once`; does nothing otherwise.
#[test]
fn child_writer() {
    let (Ok(dir), Ok(key)) = (std::env::var(CHILD_ENV), std::env::var(KEY_ENV)) else {
        return;
    };
    let clock = FixedClock::at(2026, 11, 24, 10, 0);
    let mut svc = Service::open(std::path::Path::new(&dir), Arc::new(clock))
        .unwrap()
        .with_password_cost(PasswordCost::Light);
    let chief = svc.sign_in("suozhang", "secret99").unwrap();
    for i in 0..WRITES {
        let v = if i % 2 == 0 { "30" } else { "20" };
        svc.update_setting(&chief, &key, v).unwrap();
    }
}

#[test]
fn two_processes_write_at_once() {
    let (e, _chief) = common::with_station();
    let before = stationdesk::store::audit::count(e.svc.store().conn()).unwrap();
    let exe = std::env::current_exe().unwrap();
    let child_test = common::child_test(module_path!(), "child_writer");
    let spawn = |key: &str| {
        Command::new(&exe)
            .args([
                child_test.as_str(),
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, e.dir.path())
            .env(KEY_ENV, key)
            .spawn()
            .unwrap()
    };
    let mut a = spawn("security.lockout_minutes");
    let mut b = spawn("repair.arrive_urban_minutes");
    assert!(a.wait().unwrap().success(), "child a failed");
    assert!(b.wait().unwrap().success(), "child b failed");

    let conn = e.svc.store().conn();
    let after = stationdesk::store::audit::count(conn).unwrap();
    // each child: one sign-in plus one entry per write
    assert_eq!(after - before, 2 * (WRITES as i64 + 1));
    let (min, max, distinct): (i64, i64, i64) = conn
        .query_row(
            "SELECT min(seq), max(seq), count(DISTINCT seq) FROM audit_log",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (min, max, distinct),
        (1, after, after),
        "consecutive, no gaps, no duplicates"
    );
    let report = e.svc.verify().unwrap();
    assert!(report.ok(), "{}", report.describe());
}

//! Migrations, pragmas, the audit chain and its tamper detection.
use crate::common;

use rusqlite::Connection;
use stationdesk::service::DB_FILE;
use stationdesk::store::{self, Store, StoreError};

#[test]
fn migrations_run_from_empty_and_are_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let s = Store::open(&path).unwrap();
        let v: i64 = s
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v as usize, store::known_schema_version());
        let mode: String = s
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = s
            .conn()
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "synchronous=FULL");
        let fk: i64 = s
            .conn()
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        for table in [
            "station",
            "staff",
            "settings",
            "audit_log",
            "transformer_area",
            "customer",
        ] {
            let n: i64 = s
                .conn()
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE name = ?1",
                    [table],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 1, "table {table}");
        }
    }
    // opening again does not re-run anything
    let s = Store::open(&path).unwrap();
    let n: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM settings", [], |r| r.get(0))
        .unwrap();
    assert!(n >= 50, "settings seeded: {n}");
}

#[test]
fn a_database_from_a_newer_program_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    drop(Store::open(&path).unwrap());
    let newer = store::known_schema_version() + 1;
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", newer as i64)
        .unwrap();
    match Store::open(&path) {
        Err(e @ StoreError::NewerSchema { .. }) => assert!(e.to_string().contains("更新版本")),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("newer database accepted"),
    }
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let junk = b"this is a spreadsheet, not a database. ".repeat(200);
    std::fs::write(&path, &junk).unwrap();
    match Store::open(&path) {
        Err(e @ StoreError::NotADatabase { .. }) => assert!(e.to_string().contains("不是")),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("junk accepted"),
    }
    assert_eq!(std::fs::read(&path).unwrap(), junk, "file untouched");
}

#[test]
fn someone_elses_sqlite_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE invoices (id INTEGER);")
        .unwrap();
    assert!(matches!(
        Store::open(&path),
        Err(StoreError::NotADatabase { .. })
    ));
}

#[test]
fn audit_log_refuses_update_and_delete() {
    let (e, _chief) = common::with_station();
    let conn = e.svc.store().conn();
    assert!(
        conn.execute("UPDATE audit_log SET user_name = 'x' WHERE seq = 1", [])
            .is_err()
    );
    assert!(
        conn.execute("DELETE FROM audit_log WHERE seq = 1", [])
            .is_err()
    );
    assert!(e.svc.verify().unwrap().ok());
}

fn tamper(e: &common::Env, sql: &str) -> Vec<String> {
    let conn = e.svc.store().conn();
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; {sql}"
    ))
    .unwrap();
    let report = e.svc.verify().unwrap();
    assert!(!report.ok());
    report.findings()
}

fn station_with_history() -> common::Env {
    let (mut e, chief) = common::with_station();
    e.svc
        .update_setting(&chief, "security.idle_lock_minutes", "15")
        .unwrap();
    e.svc
        .update_setting(&chief, "penalty.min_charge", "2")
        .unwrap();
    e.svc
        .update_setting(&chief, "deadline.hv_dual_days", "30")
        .unwrap();
    assert!(e.svc.verify().unwrap().ok());
    e
}

#[test]
fn verify_detects_an_edited_entry() {
    let e = station_with_history();
    let problems = tamper(
        &e,
        "UPDATE audit_log SET changes = replace(changes, '\"15\"', '\"60\"') WHERE action = 'settings.update'",
    );
    assert!(problems.iter().any(|p| p.contains("改动")), "{problems:?}");
}

#[test]
fn verify_detects_a_deleted_entry() {
    let e = station_with_history();
    let problems = tamper(&e, "DELETE FROM audit_log WHERE seq = 3");
    assert!(
        problems
            .iter()
            .any(|p| p.contains("缺失") || p.contains("删除")),
        "{problems:?}"
    );
}

#[test]
fn verify_detects_an_inserted_entry() {
    let e = station_with_history();
    let problems = tamper(
        &e,
        "INSERT INTO audit_log (seq, at, user_id, user_name, action, entity, entity_id, changes, prev_hash, hash)
         SELECT 1000, at, user_id, user_name, action, entity, entity_id, changes, hash, 'forged' FROM audit_log WHERE seq = 2",
    );
    assert!(!problems.is_empty());
}

#[test]
fn verify_detects_a_changed_user_name() {
    let e = station_with_history();
    let problems = tamper(&e, "UPDATE audit_log SET user_name = '别人' WHERE seq = 2");
    assert!(
        problems.iter().any(|p| p.contains("第 2 条")),
        "{problems:?}"
    );
}

#[test]
fn several_windows_opening_a_new_database_at_once_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let p = path.clone();
            std::thread::spawn(move || Store::open(&p).map(|_| ()))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
    let s = Store::open(&path).unwrap();
    let n: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM settings", [], |r| r.get(0))
        .unwrap();
    assert!(n >= 50);
}

#[test]
fn an_emptied_database_file_is_refused_not_set_up_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    std::fs::write(&path, b"").unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(matches!(err, StoreError::EmptyFile { .. }), "{err:?}");
    assert!(err.to_string().contains("是空的（0 字节）"), "{err}");
    assert!(matches!(
        Store::open_read_only(&path).err(),
        Some(StoreError::EmptyFile { .. })
    ));
    // left as it was: nothing written into it
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
    // the program says it in Chinese, with the path
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stationdesk"))
        .args(["verify", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("是空的") && said.contains("结论：异常"),
        "{said}"
    );
}

#[test]
fn a_full_disk_is_said_as_such_names_the_file_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    let mut s = Store::open(&path).unwrap();
    // SQLite's own "database or disk is full" (SQLITE_FULL), as on a full disk: the file
    // may not grow by a single page
    let pages: i64 = s
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    s.conn()
        .execute_batch(&format!("PRAGMA max_page_count = {pages}"))
        .unwrap();
    let err = s
        .write(|tx| -> Result<(), StoreError> {
            tx.execute_batch(
                "CREATE TABLE filler(x); INSERT INTO filler VALUES (zeroblob(200000));",
            )?;
            Ok(())
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::DiskFull { .. }), "{err:?}");
    let said = err.to_string();
    assert!(said.contains("磁盘已满"), "{said}");
    assert!(
        said.contains(&path.display().to_string()),
        "names the file: {said}"
    );
    assert!(
        !said.contains("只读") && !said.contains("数据目录"),
        "{said}"
    );
    // nothing of it was kept
    let n: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'filler'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0);
}

//! Damaged databases: found at start-up, opened read-only with the reason in Chinese, and
//! never written; a database behind the head it had after its last write (its `-wal` lost)
//! is found too.
use std::sync::Arc;

use sha2::{Digest, Sha256};
use stationdesk::domain::clock::FixedClock;
use stationdesk::service::{DB_FILE, Service};

use crate::common;

fn digest(path: &std::path::Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

/// A station with some work, closed cleanly (its WAL checkpointed into the file).
fn closed_station() -> tempfile::TempDir {
    let (mut e, chief) = common::with_station();
    for v in ["11", "12", "13"] {
        e.svc
            .update_setting(&chief, "security.idle_lock_minutes", v)
            .unwrap();
    }
    let dir = std::mem::replace(&mut e.dir, tempfile::tempdir().unwrap());
    drop(e);
    dir
}

fn open(dir: &std::path::Path) -> Service {
    Service::open(dir, Arc::new(FixedClock::at(2026, 11, 25, 9, 0))).unwrap()
}

/// The page of the `settings` table's first leaf, found through SQLite's dbstat.
fn page_of(db: &std::path::Path, table: &str) -> (u64, u64) {
    let c = rusqlite::Connection::open(db).unwrap();
    let page_size: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
    let page: i64 = c
        .query_row(
            "SELECT max(pageno) FROM dbstat WHERE name = ?1 AND pagetype = 'leaf'",
            [table],
            |r| r.get(0),
        )
        .unwrap();
    (page as u64, page_size as u64)
}

#[test]
fn a_damaged_database_opens_read_only_says_why_and_is_never_written() {
    let dir = closed_station();
    let db = dir.path().join(DB_FILE);
    // scribble over the header of a leaf page of the holiday calendar
    let (page, size) = page_of(&db, "calendar_day");
    let mut bytes = std::fs::read(&db).unwrap();
    let at = ((page - 1) * size) as usize;
    for b in &mut bytes[at..at + 8] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).unwrap();
    let before = digest(&db);
    let mut svc = open(dir.path());
    // the chief can sign in and look (sign-in waits for the start-up check); nothing is
    // written, not even the sign-in
    let chief = svc.sign_in("suozhang", "secret99").unwrap();
    let why = svc.read_only().expect("opened read-only").to_string();
    assert!(why.contains("损坏"), "{why}");
    assert!(
        !why.contains("malformed") && !why.contains("SQLite error"),
        "{why}"
    );
    // the chief can sign in and look; nothing is written, not even the sign-in
    let err = svc
        .update_setting(&chief, "security.idle_lock_minutes", "20")
        .unwrap_err();
    assert!(err.message().contains("只读"), "{}", err.message());
    // a wrong password is refused without counting it into the file
    assert!(svc.sign_in("suozhang", "wrong").is_err());
    svc.sign_out(&chief).unwrap();
    drop(svc);
    assert_eq!(digest(&db), before, "the damaged file was written");
    // verify gives a verdict with findings, exit code 3
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stationdesk"))
        .arg("verify")
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("结论：异常"), "{said}");
    assert_eq!(digest(&db), before);
}

#[test]
fn a_database_that_lost_its_wal_is_found_behind_its_head() {
    let (mut e, chief) = common::with_station();
    for v in ["11", "12", "13"] {
        e.svc
            .update_setting(&chief, "security.idle_lock_minutes", v)
            .unwrap();
    }
    // copy the main file and the head file while the WAL still holds the newest writes,
    // as when the -wal file is deleted or a stale one put beside the database
    let copy = tempfile::tempdir().unwrap();
    let db = e.dir.path().join(DB_FILE);
    std::fs::copy(&db, copy.path().join(DB_FILE)).unwrap();
    let mut head = db.clone().into_os_string();
    head.push("-head");
    let mut head_copy = copy.path().join(DB_FILE).into_os_string();
    head_copy.push("-head");
    std::fs::copy(&head, &head_copy).unwrap();
    let svc = open(copy.path());
    let why = svc.read_only().expect("read-only").to_string();
    assert!(why.contains("少了") && why.contains("-wal"), "{why}");
    // the original, whole, opens as usual
    drop(e.svc);
    let svc = open(e.dir.path());
    assert_eq!(svc.read_only(), None);
}

#[test]
fn a_sound_database_opens_for_writing() {
    let dir = closed_station();
    let svc = open(dir.path());
    assert_eq!(svc.read_only(), None);
}

/// A small deterministic generator (xorshift) for the flipped bits.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn every_bit_flipped_copy_gets_a_verdict_in_chinese() {
    let dir = closed_station();
    let original = std::fs::read(dir.path().join(DB_FILE)).unwrap();
    let mut rng = Rng(0x5eed_2026_1206);
    let (mut faulty, mut sound) = (0, 0);
    for i in 0..60 {
        let copy = tempfile::tempdir().unwrap();
        let mut bytes = original.clone();
        let flips = [1, 1, 4, 32][(i % 4) as usize];
        for _ in 0..flips {
            let at = rng.below(bytes.len() as u64) as usize;
            bytes[at] ^= 1 << rng.below(8);
        }
        std::fs::write(copy.path().join(DB_FILE), &bytes).unwrap();
        let report = match stationdesk::store::Store::open_read_only(&copy.path().join(DB_FILE)) {
            Ok(store) => Service::new(
                store,
                copy.path().to_path_buf(),
                Arc::new(FixedClock::at(2026, 11, 25, 9, 0)),
            )
            .verify()
            .unwrap_or_else(|e| {
                stationdesk::service::verify::VerifyReport::unreadable(e.message())
            }),
            Err(e) => stationdesk::service::verify::VerifyReport::unreadable(e.to_string()),
        };
        let text = report.describe();
        assert!(text.contains("结论："), "{text}");
        for raw in [
            "malformed",
            "SQLite error",
            "database disk image",
            "not a database",
        ] {
            assert!(!text.contains(raw), "copy {i}: raw message {raw}: {text}");
        }
        if report.ok() {
            // judged sound: then nothing but free space (or the derived search index, a
            // documented limit) may differ
            assert_eq!(
                logical_content(&copy.path().join(DB_FILE)),
                logical_content(&dir.path().join(DB_FILE)),
                "copy {i} judged sound but its content changed"
            );
            sound += 1;
        } else {
            faulty += 1;
        }
    }
    eprintln!("{faulty} faulty, {sound} judged sound (content unchanged)");
    assert!(faulty > 0);
}

/// A digest of every row of every table but the search index's FTS5 tables; `None` when
/// the file cannot be read.
fn logical_content(db: &std::path::Path) -> Option<String> {
    use rusqlite::types::ValueRef;
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .ok()?;
    let tables: Vec<String> = c
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
               AND name NOT LIKE 'customer_fts%' ORDER BY name",
        )
        .ok()?
        .query_map([], |r| r.get(0))
        .ok()?
        .collect::<Result<_, _>>()
        .ok()?;
    let mut h = Sha256::new();
    for t in tables {
        h.update(t.as_bytes());
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).ok()?;
        let n = stmt.column_count();
        let mut rows = stmt.query([]).ok()?;
        while let Some(r) = rows.next().ok()? {
            for i in 0..n {
                match r.get_ref(i).ok()? {
                    ValueRef::Null => h.update(b"N"),
                    ValueRef::Integer(v) => h.update(v.to_be_bytes()),
                    ValueRef::Real(v) => h.update(v.to_bits().to_be_bytes()),
                    ValueRef::Text(v) | ValueRef::Blob(v) => h.update(v),
                }
                h.update([0x1f]);
            }
        }
    }
    Some(hex::encode(h.finalize()))
}

//! Backups and restore (issue 17): online copies while payments keep committing (in this
//! process and from another one), a copy cut short never looking good, the folder's
//! problems in words with the counter still working, retention, the exit backup's rule,
//! and restore: round trip, refusals (damaged, foreign, newer, chain broken, in use).
use crate::common::{self, billing_env::*};

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use stationdesk::domain::backup::{Reason, Standing};
use stationdesk::domain::billing::PayMethod;
use stationdesk::domain::clock::FixedClock;
use stationdesk::domain::customer::UsageCategory;
use stationdesk::domain::role::Role;
use stationdesk::service::backup::{BackupJob, BackupOutcome, BackupPlan, restore, run};
use stationdesk::service::payments::Payer;
use stationdesk::service::{Service, Session};
use stationdesk::store::backup::{Pace, check_copy};

/// A station with a clerk and three customers with a year of bills.
fn station() -> (Bench, Vec<i64>) {
    let mut b = bench();
    let mut customers = Vec::new();
    let mut rows = Vec::new();
    for (name, usage) in [
        ("张三", UsageCategory::Residential),
        ("王庄面粉厂", UsageCategory::Commercial),
        ("李四", UsageCategory::Residential),
    ] {
        let (c, a) = customer(&mut b.e, &b.chief, name, usage);
        customers.push(c);
        let first = stationdesk::domain::billing::Period::parse("2025-11").unwrap();
        for i in 0..12 {
            let p = first.plus(i);
            rows.push(bill(
                &a,
                &p.to_string(),
                300,
                "180.35",
                &format!("{}-20", p.next()),
            ));
        }
    }
    import(&mut b.e, &rows);
    (b, customers)
}

fn folder(b: &Bench) -> PathBuf {
    b.e.dir.path().join("backups")
}

/// The plan of a backup into the default folder, slowed down so that writes overlap it.
fn slow_plan(svc: &Service) -> BackupPlan {
    let mut p = svc.backup_plan(Reason::Command, None).unwrap();
    p.pace = Pace {
        pages_per_step: 1,
        pause: Duration::from_millis(3),
        sync_every: 64,
    };
    p
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn receipts(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM receipt", [], |r| r.get(0))
        .unwrap()
}

fn receipts_in(file: &Path) -> i64 {
    let c = rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    receipts(&c)
}

fn pay_cash(svc: &mut Service, s: &Session, customer: i64, amount: &str) -> String {
    svc.take_payment(
        s,
        &request(Payer::Customer(customer), amount, PayMethod::Cash),
    )
    .unwrap()
    .receipt_no
}

#[test]
fn payments_commit_in_this_process_while_a_backup_runs() {
    let (mut b, customers) = station();
    for (i, c) in customers.iter().enumerate() {
        pay_cash(&mut b.e.svc, &b.clerk, *c, &format!("{}.00", 10 + i));
    }
    let before = receipts(b.e.svc.store().conn());
    let job = BackupJob::start(slow_plan(&b.e.svc));
    let mut during = 0;
    while !job.is_finished() {
        pay_cash(&mut b.e.svc, &b.clerk, customers[during % 3], "5.00");
        during += 1;
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = job.wait();
    assert!(out.ok(), "{}", out.describe());
    assert!(during >= 3, "payments went on during the backup: {during}");
    let file = out.file.clone().unwrap();
    assert!(check_copy(&file).is_empty());
    // the copy is one moment after the thread began: what was there then, not the
    // payments committed after it
    let in_copy = receipts_in(&file);
    let live = receipts(b.e.svc.store().conn());
    assert_eq!(live, before + during as i64);
    assert!(
        before <= in_copy && in_copy < live,
        "{before} {in_copy} {live}"
    );
    assert!(b.e.svc.verify().unwrap().ok());
    // recorded in the trail, and the home screen says so
    let (at, action, changes): (String, String, String) = b
        .e
        .svc
        .store()
        .conn()
        .query_row(
            "SELECT at, action, changes FROM audit_log WHERE entity = 'backup' ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(action, "backup.made");
    assert_eq!(at, "2026-11-24 09:00:00");
    assert!(
        changes.contains("stationdesk-WZ01-20261124-090000.db"),
        "{changes}"
    );
    assert!(b.e.svc.backup_standing().unwrap().is_good());
    assert_eq!(
        b.e.svc.dashboard().unwrap().backup.line,
        "最近备份    今天 09:00 ✓"
    );
}

const PAY_DIR: &str = "STATIONDESK_TEST_BACKUP_PAY_DIR";
const PAY_IDS: &str = "STATIONDESK_TEST_BACKUP_PAY_IDS";

/// Run as a child by `payments_from_another_process_commit_while_a_backup_runs`: takes a
/// payment every few milliseconds until killed, saying each.
#[test]
fn child_paying() {
    let (Ok(dir), Ok(ids)) = (std::env::var(PAY_DIR), std::env::var(PAY_IDS)) else {
        return;
    };
    let ids: Vec<i64> = ids.split(',').map(|x| x.parse().unwrap()).collect();
    let clock = FixedClock::at(2026, 11, 24, 10, 0);
    let mut svc = Service::open(Path::new(&dir), Arc::new(clock)).unwrap();
    let me = Session {
        staff_id: ids[0],
        username: "clerk1".into(),
        display_name: "员工clerk1".into(),
        role: Role::Clerk,
        is_admin: false,
        must_change_password: false,
    };
    println!("READY");
    for i in 0usize.. {
        let no = pay_cash(&mut svc, &me, ids[1 + i % (ids.len() - 1)], "2.00");
        println!("PAID {no}");
        std::thread::sleep(Duration::from_millis(3));
    }
}

#[test]
fn payments_from_another_process_commit_while_a_backup_runs() {
    let (b, customers) = station();
    let ids = std::iter::once(b.clerk.staff_id)
        .chain(customers.iter().copied())
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(&exe)
        .args([
            common::child_test(module_path!(), "child_paying").as_str(),
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PAY_DIR, b.e.dir.path())
        .env(PAY_IDS, &ids)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while out.read_line(&mut line).unwrap() > 0 && !line.contains("READY") {
        line.clear();
    }
    let paid = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let reader = {
        let paid = paid.clone();
        std::thread::spawn(move || {
            let mut line = String::new();
            while out.read_line(&mut line).unwrap_or(0) > 0 {
                if line.starts_with("PAID ") {
                    paid.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                line.clear();
            }
        })
    };
    // wait for the child's first payments, then back up (slowly) while it goes on
    while paid.load(std::sync::atomic::Ordering::SeqCst) < 3 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let at_start = paid.load(std::sync::atomic::Ordering::SeqCst);
    let outcome = run(&slow_plan(&b.e.svc));
    let at_end = paid.load(std::sync::atomic::Ordering::SeqCst);
    child.kill().unwrap();
    let _ = child.wait();
    reader.join().unwrap();
    assert!(outcome.ok(), "{}", outcome.describe());
    assert!(
        at_end - at_start >= 3,
        "the other process kept committing during the backup: {}",
        at_end - at_start
    );
    let file = outcome.file.unwrap();
    assert!(check_copy(&file).is_empty());
    let in_copy = receipts_in(&file);
    let live = receipts(b.e.svc.store().conn());
    assert!(in_copy < live, "{in_copy} < {live}");
    assert!(b.e.svc.verify().unwrap().ok());
}

const CUT_DIR: &str = "STATIONDESK_TEST_BACKUP_CUT_DIR";

/// Run as a child by `a_copy_cut_short_never_looks_like_a_good_one`: a very slow backup,
/// killed half way.
#[test]
fn child_backing_up_slowly() {
    let Ok(dir) = std::env::var(CUT_DIR) else {
        return;
    };
    let clock = FixedClock::at(2026, 11, 24, 11, 0);
    let svc = Service::open(Path::new(&dir), Arc::new(clock)).unwrap();
    let mut plan = svc.backup_plan(Reason::Command, None).unwrap();
    plan.pace = Pace {
        pages_per_step: 1,
        pause: Duration::from_millis(50),
        sync_every: 1,
    };
    println!("STARTED");
    run(&plan);
}

#[test]
fn a_copy_cut_short_never_looks_like_a_good_one() {
    let (b, _) = station();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            common::child_test(module_path!(), "child_backing_up_slowly").as_str(),
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CUT_DIR, b.e.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while out.read_line(&mut line).unwrap() > 0 && !line.contains("STARTED") {
        line.clear();
    }
    // let it write some pages, then kill it
    let part = folder(&b).join("stationdesk-WZ01-20261124-110000.db.part");
    for _ in 0..200 {
        if part.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap();
    let _ = child.wait();
    let left = names(&folder(&b));
    assert_eq!(
        left,
        vec!["stationdesk-WZ01-20261124-110000.db.part".to_string()],
        "only the half-written copy under its .part name"
    );
    // nothing recorded as made; the home screen does not call it a backup
    assert_eq!(b.e.svc.backup_standing().unwrap(), Standing::Never);
    // the next backup clears it away
    let out = run(&b.e.svc.backup_plan(Reason::Command, None).unwrap());
    assert!(out.ok(), "{}", out.describe());
    assert_eq!(
        names(&folder(&b)),
        vec!["stationdesk-WZ01-20261124-090000.db".to_string()]
    );
}

#[test]
fn a_missing_read_only_or_wrong_folder_is_said_and_the_counter_keeps_working() {
    let (mut b, customers) = station();
    let dir = b.e.dir.path().to_path_buf();
    let missing = dir.join("U盘").join("备份");
    b.e.svc
        .update_setting(&b.chief, "backup.folder", &missing.to_string_lossy())
        .unwrap();
    let out = run(&b.e.svc.backup_plan(Reason::DayEnd, None).unwrap());
    assert!(!out.ok());
    let said = out.describe();
    assert!(said.contains("不存在（U 盘没有插好？）"), "{said}");
    assert!(said.contains("营业不受影响"), "{said}");
    assert!(
        !missing.exists(),
        "no folder made on the PC in the stick's place"
    );
    // recorded; the home screen warns with the reason
    let st = b.e.svc.backup_standing().unwrap();
    assert!(matches!(st, Standing::Failed { .. }), "{st:?}");
    let d = b.e.svc.dashboard().unwrap();
    assert_eq!(d.backup.line, "备份失败    今天 09:00");
    assert!(
        d.backup
            .detail
            .as_deref()
            .unwrap()
            .contains("还没有成功的备份"),
        "{:?}",
        d.backup.detail
    );
    // the counter goes on
    pay_cash(&mut b.e.svc, &b.clerk, customers[0], "12.00");

    // a file where the folder should be
    let file = dir.join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    b.e.svc
        .update_setting(&b.chief, "backup.folder", &file.to_string_lossy())
        .unwrap();
    let out = run(&b.e.svc.backup_plan(Reason::DayEnd, None).unwrap());
    assert!(out.describe().contains("不是文件夹"), "{}", out.describe());

    // a folder that cannot be written (not testable as root, who writes anywhere)
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = dir.join("readonly");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        let probe = ro.join("probe");
        if std::fs::write(&probe, "x").is_err() {
            b.e.svc
                .update_setting(&b.chief, "backup.folder", &ro.to_string_lossy())
                .unwrap();
            let out = run(&b.e.svc.backup_plan(Reason::DayEnd, None).unwrap());
            assert!(out.describe().contains("不能写入"), "{}", out.describe());
        } else {
            let _ = std::fs::remove_file(&probe);
        }
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    pay_cash(&mut b.e.svc, &b.clerk, customers[1], "12.00");
    // back to a good folder: the warning goes
    b.e.svc
        .update_setting(&b.chief, "backup.folder", "")
        .unwrap();
    let out = run(&b.e.svc.backup_plan(Reason::DayEnd, None).unwrap());
    assert!(out.ok(), "{}", out.describe());
    assert!(b.e.svc.backup_standing().unwrap().is_good());
    assert!(b.e.svc.verify().unwrap().ok());
}

#[test]
fn the_full_disk_and_read_only_messages_name_the_folder() {
    // what the file system says, as the clerk reads it (a full stick cannot be made here)
    let dir = tempfile::tempdir().unwrap();
    for (kind, words) in [
        (std::io::ErrorKind::StorageFull, "磁盘已满"),
        (std::io::ErrorKind::QuotaExceeded, "磁盘已满"),
        (std::io::ErrorKind::ReadOnlyFilesystem, "不能写入"),
        (std::io::ErrorKind::PermissionDenied, "不能写入"),
        (std::io::ErrorKind::Other, "出错"),
    ] {
        let said =
            stationdesk::service::backup::folder_problem(dir.path(), &std::io::Error::from(kind));
        assert!(said.contains(words), "{kind:?}: {said}");
        assert!(said.contains(&dir.path().display().to_string()), "{said}");
    }
}

#[test]
fn old_copies_are_thinned_to_the_last_days_and_months() {
    let (mut b, customers) = station();
    b.e.svc
        .update_setting(&b.chief, "backup.keep_daily", "3")
        .unwrap();
    b.e.svc
        .update_setting(&b.chief, "backup.keep_monthly", "2")
        .unwrap();
    let f = folder(&b);
    std::fs::create_dir_all(&f).unwrap();
    // files that are not this station's copies are never touched
    let others = [
        "stationdesk-WZ02-20260101-170000.db",
        "说明.txt",
        "stationdesk.db.before-restore-20260101-170000",
    ];
    for o in others {
        std::fs::write(f.join(o), "x").unwrap();
    }
    let start = chrono::NaiveDate::from_ymd_opt(2026, 9, 28).unwrap();
    for day in 0..40 {
        // a copy at day end every other day, a second one at exit on some days
        if day % 2 == 1 {
            continue;
        }
        let d = start + chrono::Duration::days(day);
        b.e.clock.set(d.and_hms_opt(17, 30, 0).unwrap());
        let out = run(&b.e.svc.backup_plan(Reason::DayEnd, None).unwrap());
        assert!(out.ok(), "{}", out.describe());
        if day % 7 == 6 {
            b.e.clock.set(d.and_hms_opt(18, 0, 0).unwrap());
            assert!(run(&b.e.svc.backup_plan(Reason::Exit, None).unwrap()).ok());
        }
    }
    let _ = customers;
    let mut want: Vec<String> = [
        // the newest of the last three days with copies (two on Sunday Nov 1)
        "stationdesk-WZ01-20261101-180000.db",
        "stationdesk-WZ01-20261103-173000.db",
        "stationdesk-WZ01-20261105-173000.db",
        // the newest of the last two months with copies (November's is the day above)
        "stationdesk-WZ01-20261030-173000.db",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(others.iter().map(|s| s.to_string()))
    .collect();
    want.sort();
    assert_eq!(names(&f), want);
}

#[test]
fn the_exit_backup_is_skipped_when_nothing_was_done_since_the_last_copy() {
    let (mut b, customers) = station();
    assert!(b.e.svc.backup_due_at_exit().unwrap());
    assert!(run(&b.e.svc.backup_plan(Reason::Exit, None).unwrap()).ok());
    assert!(!b.e.svc.backup_due_at_exit().unwrap());
    // signing in and out is not business
    let s = b.e.svc.sign_in("clerk1", "pass-word1").unwrap();
    b.e.svc.sign_out(&s).unwrap();
    assert!(!b.e.svc.backup_due_at_exit().unwrap());
    pay_cash(&mut b.e.svc, &b.clerk, customers[0], "3.00");
    assert!(b.e.svc.backup_due_at_exit().unwrap());
    // the setting turns it off
    b.e.svc
        .update_setting(&b.chief, "backup.on_exit", "否")
        .unwrap();
    assert!(!b.e.svc.backup_due_at_exit().unwrap());
}

/// The backup file and the database's state when it was taken; more payments after it.
fn backed_up_station() -> (Bench, Vec<i64>, PathBuf) {
    let (mut b, customers) = station();
    pay_cash(&mut b.e.svc, &b.clerk, customers[0], "20.00");
    let out = run(&b.e.svc.backup_plan(Reason::Command, None).unwrap());
    assert!(out.ok(), "{}", out.describe());
    b.e.clock.advance(chrono::Duration::hours(2));
    pay_cash(&mut b.e.svc, &b.clerk, customers[1], "30.00");
    pay_cash(&mut b.e.svc, &b.clerk, customers[2], "40.00");
    (b, customers, out.file.unwrap())
}

/// Close the program's service over the data directory (restore needs it closed).
fn close(b: Bench) -> (tempfile::TempDir, FixedClock) {
    let Bench { e, .. } = b;
    let common::Env { dir, clock, svc } = e;
    drop(svc);
    (dir, clock)
}

#[test]
fn restore_round_trip_keeps_the_replaced_database_and_says_what_it_replaced() {
    let (b, _customers, file) = backed_up_station();
    let live_receipts = receipts(b.e.svc.store().conn());
    let backup_receipts = receipts_in(&file);
    assert_eq!(live_receipts, backup_receipts + 2);
    let (dir, clock) = close(b);
    clock.advance(chrono::Duration::hours(1));
    let report = restore(dir.path(), &file, Arc::new(clock.clone()), &|_| {}).unwrap();
    let said = report.describe();
    assert!(said.contains(&file.display().to_string()), "{said}");
    let aside = report.aside.clone().unwrap();
    assert!(
        aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("stationdesk.db.before-restore-20261124-1200"),
        "{}",
        aside.display()
    );
    assert!(said.contains(&aside.display().to_string()), "{said}");
    assert!(said.contains("不会删除"), "{said}");
    assert!(
        said.contains(&format!("收据 {backup_receipts} 张")),
        "{said}"
    );
    assert!(said.contains(&format!("收据 {live_receipts} 张")), "{said}");
    assert!(said.contains("审计记录"), "{said}");
    // the receipts taken after the copy are named: their numbers will be issued again
    assert!(said.contains("多 2 张收据"), "{said}");
    // the replaced database is whole beside it, with the later payments
    assert_eq!(receipts_in(&aside), live_receipts);
    // the restored one opens as the program opens it, verifies, and records the restore
    let svc = Service::open(dir.path(), Arc::new(clock.clone())).unwrap();
    assert!(svc.read_only().is_none(), "{:?}", svc.read_only());
    assert_eq!(receipts(svc.store().conn()), backup_receipts);
    assert!(svc.verify().unwrap().ok());
    let (action, changes): (String, String) = svc
        .store()
        .conn()
        .query_row(
            "SELECT action, changes FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(action, "backup.restore");
    assert!(changes.contains("before-restore"), "{changes}");
    assert!(!dir.path().join("stationdesk.db.restoring").exists());
    // the replaced database can itself be restored back (nothing was lost)
    drop(svc);
    let back = restore(dir.path(), &aside, Arc::new(clock.clone()), &|_| {}).unwrap();
    let svc = Service::open(dir.path(), Arc::new(clock)).unwrap();
    assert_eq!(receipts(svc.store().conn()), live_receipts);
    assert!(svc.verify().unwrap().ok());
    assert!(back.aside.is_some());
}

#[test]
fn restore_refuses_a_damaged_foreign_newer_or_tampered_file_and_changes_nothing() {
    let (b, _customers, file) = backed_up_station();
    let live_head = stationdesk::store::audit::head(b.e.svc.store().conn())
        .unwrap()
        .unwrap();
    let (dir, clock) = close(b);
    let work = tempfile::tempdir().unwrap();
    let variant = |name: &str, f: &dyn Fn(&Path)| -> PathBuf {
        let p = work.path().join(name);
        std::fs::copy(&file, &p).unwrap();
        f(&p);
        p
    };
    let text = work.path().join("notes.db");
    std::fs::write(&text, "这不是数据库".repeat(200)).unwrap();
    let empty = work.path().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    // bytes overwritten in the middle of the file (a bad sector)
    let damaged = variant("damaged.db", &|p| {
        let mut bytes = std::fs::read(p).unwrap();
        let mid = bytes.len() / 2;
        for b in &mut bytes[mid..mid + 8192] {
            *b = 0x5a;
        }
        std::fs::write(p, bytes).unwrap();
    });
    let newer = variant("newer.db", &|p| {
        let c = rusqlite::Connection::open(p).unwrap();
        c.pragma_update(None, "user_version", 999).unwrap();
    });
    // an audit entry rewritten behind the program's back (its trigger dropped first)
    let tampered = variant("tampered.db", &|p| {
        let c = rusqlite::Connection::open(p).unwrap();
        c.execute_batch(
            "DROP TRIGGER audit_log_no_update;
             UPDATE audit_log SET user_name = '别人' WHERE seq = 3;",
        )
        .unwrap();
    });
    for (bad, words) in [
        (text.as_path(), "不是 stationdesk 的数据库"),
        (empty.as_path(), "是空的"),
        (damaged.as_path(), "损坏"),
        (newer.as_path(), "更新版本的程序"),
        (tampered.as_path(), "检查未通过"),
        (work.path().join("missing.db").as_path(), "不存在"),
    ] {
        let e = restore(dir.path(), bad, Arc::new(clock.clone()), &|_| {}).unwrap_err();
        let msg = e.message();
        assert!(msg.contains(words), "{}: {msg}", bad.display());
        assert!(
            !msg.contains("panicked") && !msg.contains("SQLITE"),
            "{msg}"
        );
    }
    // nothing changed: the same database, nothing set aside, no copy left over
    let left: Vec<String> = names(dir.path())
        .into_iter()
        .filter(|n| n.contains("before-restore") || n.contains("restoring"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let svc = Service::open(dir.path(), Arc::new(clock)).unwrap();
    assert_eq!(
        stationdesk::store::audit::head(svc.store().conn())
            .unwrap()
            .unwrap(),
        live_head
    );
}

#[test]
fn restore_is_refused_while_the_program_has_the_database_open() {
    let (b, _customers, file) = backed_up_station();
    let before = receipts(b.e.svc.store().conn());
    let e = restore(b.e.dir.path(), &file, Arc::new(b.e.clock.clone()), &|_| {}).unwrap_err();
    assert!(
        e.message().contains("正在被 stationdesk 使用"),
        "{}",
        e.message()
    );
    assert_eq!(receipts(b.e.svc.store().conn()), before);
}

#[test]
fn restore_into_an_empty_data_directory_sets_up_the_station_from_the_copy() {
    let (b, _customers, file) = backed_up_station();
    let want = receipts_in(&file);
    let fresh = tempfile::tempdir().unwrap();
    let target = fresh.path().join("新电脑");
    let report = restore(&target, &file, Arc::new(b.e.clock.clone()), &|_| {}).unwrap();
    assert!(report.aside.is_none());
    assert!(report.describe().contains("原来没有数据库"));
    let svc = Service::open(&target, Arc::new(b.e.clock.clone())).unwrap();
    assert_eq!(receipts(svc.store().conn()), want);
    assert_eq!(svc.require_station().unwrap().code, "WZ01");
}

#[test]
fn the_outcome_says_what_was_done() {
    let out = BackupOutcome {
        file: Some(PathBuf::from(
            "/media/u/stationdesk-WZ01-20261124-173200.db",
        )),
        bytes: 10 * 1_048_576,
        copy_took: Duration::from_millis(1500),
        check_took: Duration::from_millis(2500),
        removed: vec!["a".into(), "b".into()],
        ..Default::default()
    };
    assert_eq!(
        out.describe(),
        "已备份到 /media/u/stationdesk-WZ01-20261124-173200.db（10.0 MB，复制 1.5 秒，检查 2.5 秒，检查通过 ✓）；按保留设置删除旧备份 2 份"
    );
}

mod ui {
    use super::*;
    use crate::common::ui::{app_signed_in, key, screen, text};
    use crossterm::event::KeyCode;
    use stationdesk::ui::msg::Msg;

    fn wait_for(app: &mut stationdesk::ui::App) {
        for _ in 0..500 {
            app.tick();
            if !app.backing_up() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the backup did not end");
    }

    #[test]
    fn the_day_end_backup_runs_behind_the_counter_and_home_shows_it() {
        let (b, _customers) = station();
        let mut app = app_signed_in(&b.e);
        assert!(text(&app, 80, 24).contains("最近备份    尚无"));
        // what the day-end screen sends after a closing
        app.update(Msg::Backup(Reason::DayEnd));
        assert!(app.backing_up());
        assert!(text(&app, 80, 24).contains("备份中…"));
        wait_for(&mut app);
        let s = text(&app, 80, 24);
        assert!(s.contains("已备份到"), "{s}");
        assert!(s.contains("最近备份    今天 09:00 ✓"), "{s}");
        // home as the next person to sign in sees it (the message named a temporary folder)
        let next = app_signed_in(&b.e);
        insta::assert_snapshot!("home_backed_up_80x24", screen(&next, 80, 24).backend());
        // the record names the person signed in
        let changes: String =
            b.e.svc
                .store()
                .conn()
                .query_row(
                    "SELECT changes FROM audit_log WHERE action = 'backup.made'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
        assert!(changes.contains("日结后自动备份"), "{changes}");
        assert!(changes.contains("李建国（suozhang）"), "{changes}");
    }

    #[test]
    fn a_failed_backup_is_said_and_warned_on_the_home_screen() {
        let (mut b, _customers) = station();
        b.e.svc
            .update_setting(&b.chief, "backup.folder", "/nonexistent-usb/备份")
            .unwrap();
        let mut app = app_signed_in(&b.e);
        app.update(Msg::Backup(Reason::DayEnd));
        wait_for(&mut app);
        let s = text(&app, 80, 24);
        assert!(s.contains("备份失败"), "{s}");
        insta::assert_snapshot!("home_backup_failed_80x24", screen(&app, 80, 24).backend());
    }

    #[test]
    fn closing_the_program_backs_up_once_and_says_so() {
        let (b, _customers) = station();
        let mut app = app_signed_in(&b.e);
        key(&mut app, KeyCode::F(10));
        key(&mut app, KeyCode::Enter);
        assert!(app.quit);
        let mut shown = Vec::new();
        let mut frames = Vec::new();
        let said = app
            .close(&mut |app, m| {
                shown.push(m.to_string());
                frames.push(text(app, 80, 24));
            })
            .unwrap();
        // behind the pop-up: no quit question and no keys offered any more
        assert!(!frames[0].contains("确定退出程序吗"), "{}", frames[0]);
        assert!(!frames[0].contains("F1/? 帮助"), "{}", frames[0]);
        assert!(said.starts_with("已备份到"), "{said}");
        assert!(shown[0].starts_with("正在备份到"), "{shown:?}");
        assert!(shown[0].contains("不要关闭窗口"), "{shown:?}");
        let changes: String =
            b.e.svc
                .store()
                .conn()
                .query_row(
                    "SELECT changes FROM audit_log WHERE action = 'backup.made'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
        assert!(changes.contains("退出程序时备份"), "{changes}");
        assert!(changes.contains("李建国（suozhang）"), "{changes}");
        // opened and closed again with nothing done: no second copy
        let mut app = app_signed_in(&b.e);
        key(&mut app, KeyCode::F(10));
        key(&mut app, KeyCode::Enter);
        let mut shown = Vec::new();
        assert_eq!(app.close(&mut |_, m| shown.push(m.to_string())), None);
        assert!(shown.is_empty());
    }

    #[test]
    fn the_closing_popup_fits_80x24() {
        let (b, _customers) = station();
        let app = app_signed_in(&b.e);
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        t.draw(|f| {
            app.render(f);
            let area = f.area();
            stationdesk::ui::widgets::chrome::wait_popup(
                area,
                f.buffer_mut(),
                "备份",
                "正在备份到 E:\\站所备份，请稍候，不要关闭窗口……",
            );
        })
        .unwrap();
        insta::assert_snapshot!("closing_backup_80x24", t.backend());
    }
}

#[test]
fn the_commands_back_up_and_restore_in_words() {
    let run = |args: &[&str], dir: &Path| {
        Command::new(env!("CARGO_BIN_EXE_stationdesk"))
            .args(args)
            .arg("--data-dir")
            .arg(dir)
            .env_remove("STATIONDESK_DATA_DIR")
            .output()
            .unwrap()
    };
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let empty = tempfile::tempdir().unwrap();
    let o = run(&["backup"], empty.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("还没有数据库"),
        "{}",
        text(&o.stderr)
    );

    let (b, _customers) = station();
    let dir = b.e.dir.path().to_path_buf();
    let to = dir.join("拷贝");
    let o = run(&["backup", "--to", &to.to_string_lossy()], &dir);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("已备份到"), "{}", text(&o.stdout));
    let copy = to.join(&names(&to)[0]);
    // restore refuses while this test's service has the database open
    let o = run(&["restore", &copy.to_string_lossy()], &dir);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("正在被 stationdesk 使用"),
        "{}",
        text(&o.stderr)
    );
    let (dir, _clock) = close(b);
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not a database at all, just text").unwrap();
    let o = run(&["restore", &junk.to_string_lossy()], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("不能用来恢复") && !err.contains("panicked"),
        "{err}"
    );
    let o = run(&["restore", &copy.to_string_lossy()], dir.path());
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("已从备份恢复") && out.contains("不会删除"),
        "{out}"
    );
}

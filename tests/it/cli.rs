//! The commands as a user runs them: clear Chinese messages and non-zero exits on bad input,
//! never a panic or a half-written file.
use crate::common;

use std::process::{Command, Output};

fn run(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stationdesk"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("STATIONDESK_DATA_DIR")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `verify`'s verdict on a file it could not read: exit code 3, the reason on stdout.
fn assert_unreadable_verdict(o: &Output, needle: &str) {
    assert_eq!(o.status.code(), Some(3), "{}", stderr(o));
    let out = stdout(o);
    assert!(out.contains(needle), "stdout: {out}");
    assert!(out.contains("结论：异常"), "stdout: {out}");
    assert!(!stderr(o).contains("panicked"));
}

/// Whether an earlier demo database was moved aside in `dir` (never deleted).
fn demo_moved_aside(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("stationdesk.db.demo-")
        })
}

fn assert_clean_failure(o: &Output, needle: &str) {
    assert!(!o.status.success(), "should fail: {}", stdout(o));
    let err = stderr(o);
    assert!(err.contains(needle), "stderr: {err}");
    assert!(!err.contains("panicked"), "no panic: {err}");
}

#[test]
fn demo_builds_a_station_that_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["demo", "--customers", "60"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for s in ["suozhang", "demo1234", "jicha", "客户 60 户"] {
        assert!(out.contains(s), "demo output lists {s}: {out}");
    }
    // the readings written aside during the build are moved in and their file removed
    assert!(
        !dir.path()
            .join(stationdesk::demo::seed::readings_aside::ASIDE_FILE)
            .exists()
    );
    let db = dir.path().join("stationdesk.db");
    let before = std::fs::read(&db).unwrap();
    let o = run(&["verify"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("结论：正常"));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "verify changes nothing"
    );
    // a demo database may be rebuilt; the old one is kept aside, not deleted
    let o = run(&["demo", "--customers", "30"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("客户 30 户"));
    let kept = demo_moved_aside(dir.path());
    assert!(kept, "earlier demo moved aside");
}

#[test]
fn a_demo_build_that_did_not_finish_is_told_and_replaced_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    // the readings' file aside cannot be written: a folder stands in its place
    let aside = dir
        .path()
        .join(stationdesk::demo::seed::readings_aside::ASIDE_FILE);
    std::fs::create_dir(&aside).unwrap();
    let o = run(&["demo", "--customers", "40"], dir.path());
    assert!(!o.status.success(), "should fail: {}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("错误"), "stderr: {err}");
    assert!(!err.contains("panicked"), "no panic: {err}");
    // the half-built demo holds the build's own entries in the demo staff's names; the next
    // build replaces it (kept aside, not deleted) instead of taking them for a person's work
    std::fs::remove_dir(&aside).unwrap();
    let o = run(&["demo", "--customers", "40"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("客户 40 户"));
    assert!(!aside.exists());
    let o = run(&["verify"], dir.path());
    assert!(stdout(&o).contains("结论：正常"), "{}", stdout(&o));
    let kept = demo_moved_aside(dir.path());
    assert!(kept, "the half-built demo moved aside");
}

#[test]
fn a_demo_build_killed_in_its_first_seconds_is_replaced_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    // what a build killed before its first commit leaves: the schema, the hand-over
    // triggers taken away for the load, no station yet (the file no longer opens for
    // business: the start-up check misses the triggers)
    {
        let store = stationdesk::store::Store::open(&dir.path().join("stationdesk.db")).unwrap();
        stationdesk::store::outbox::pause(store.conn()).unwrap();
    }
    let o = run(&["demo", "--customers", "30"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("客户 30 户"));
    assert!(
        demo_moved_aside(dir.path()),
        "the stopped build moved aside"
    );
    let o = run(&["verify"], dir.path());
    assert!(stdout(&o).contains("结论：正常"), "{}", stdout(&o));
}

#[test]
fn demo_refuses_a_database_with_real_data() {
    let (e, _chief) = common::with_station();
    let dir = e.dir;
    drop(e.svc);
    let o = run(&["demo", "--customers", "10"], dir.path());
    assert_clean_failure(&o, "已有正式数据");
}

#[test]
fn demo_refuses_a_database_open_in_another_window_and_one_a_person_worked_in() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["demo", "--customers", "20"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let db = dir.path().join("stationdesk.db");
    // a window has it open: nothing is moved aside under it
    let clock = std::sync::Arc::new(stationdesk::domain::clock::FixedClock::at(
        2026, 11, 24, 9, 0,
    ));
    let mut svc = stationdesk::service::Service::open(dir.path(), clock).unwrap();
    let o = run(&["demo", "--customers", "20"], dir.path());
    assert_clean_failure(&o, "正在另一个窗口中使用");
    assert!(db.exists());
    // a person changes a setting in the demo: it is no longer rebuilt over
    let chief = svc.sign_in("suozhang", "demo1234").unwrap();
    svc.update_setting(&chief, "security.idle_lock_minutes", "12")
        .unwrap();
    drop(svc);
    let o = run(&["demo", "--customers", "20"], dir.path());
    assert_clean_failure(&o, "已有人办理过业务（修改设置）");
    let moved = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains(".demo-"));
    assert!(!moved, "nothing moved aside");
}

#[test]
fn demo_refuses_a_silly_customer_count() {
    let dir = tempfile::tempdir().unwrap();
    assert_clean_failure(&run(&["demo", "--customers", "0"], dir.path()), "客户数量");
    assert_clean_failure(
        &run(&["demo", "--customers", "many"], dir.path()),
        "的值“many”不对",
    );
}

#[test]
fn verify_on_a_file_that_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stationdesk.db");
    std::fs::write(&db, "客户名单\n张三,1001\n".repeat(100)).unwrap();
    let before = std::fs::read(&db).unwrap();
    assert_unreadable_verdict(&run(&["verify"], dir.path()), "不是 stationdesk 的数据库");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_reader_that_stops_reading_is_no_panic() {
    // `stationdesk demo | head -0`: the pipe's reading end is closed before a word is written
    let dir = tempfile::tempdir().unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let o = Command::new(env!("CARGO_BIN_EXE_stationdesk"))
        .args(["demo", "--customers", "20", "--data-dir"])
        .arg(dir.path())
        .env_remove("STATIONDESK_DATA_DIR")
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "nothing to tell: {}", stderr(&o));
    // the work stands: the demo was built whole
    let o = run(&["verify"], dir.path());
    assert!(stdout(&o).contains("结论：正常"), "{}", stdout(&o));
}

#[test]
fn verify_without_a_database_says_so() {
    let dir = tempfile::tempdir().unwrap();
    assert_clean_failure(&run(&["verify"], dir.path()), "不存在");
    assert!(
        !dir.path().join("stationdesk.db").exists(),
        "nothing created"
    );
}

#[test]
fn an_unwritable_data_directory_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    // a data directory below a plain file can never be created (also as root)
    let o = run(&["demo", "--customers", "10"], &file.join("data"));
    assert_clean_failure(&o, "无法写入");
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let (e, _chief) = common::with_station();
    let db = e.dir.path().join("stationdesk.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    assert_unreadable_verdict(&run(&["verify"], e.dir.path()), "更新版本");
}

#[test]
fn verify_fails_on_a_tampered_audit_log() {
    let (mut e, chief) = common::with_station();
    e.svc
        .update_setting(&chief, "security.lockout_minutes", "9")
        .unwrap();
    e.svc
        .store()
        .conn()
        .execute_batch(
            "DROP TRIGGER audit_log_no_update;
             UPDATE audit_log SET changes = replace(changes, '\"9\"', '\"1\"') WHERE action = 'settings.update';",
        )
        .unwrap();
    let o = run(&["verify"], e.dir.path());
    assert!(!o.status.success());
    let out = stdout(&o);
    assert!(out.contains("结论：异常"), "{out}");
    assert!(out.contains("被改动"), "{out}");
}

#[test]
fn demo_loaded_at_first_run_keeps_the_stations_own_chief_out_of_the_demo_hint() {
    let (mut e, chief) = common::with_station();
    let summary = e.svc.load_demo_data(&chief, 40, 7).unwrap();
    assert!(summary.describe().contains("演示数据已载入"));
    let hint = e.svc.demo_accounts_hint().unwrap().unwrap();
    assert!(hint.contains("yingye1 营业员"), "{hint}");
    assert!(
        !hint.contains("suozhang"),
        "the chief's own password is not demo1234: {hint}"
    );
    // only into a station that holds nothing else yet
    assert!(e.svc.load_demo_data(&chief, 40, 7).is_err());
}

/// Issue 18: parser errors and help in Chinese (`错误：未知的子命令 …`, not `error:
/// unrecognized subcommand`); `--help` lists only what exists (no `help` subcommand).
#[test]
fn parser_errors_and_help_are_chinese() {
    let dir = tempfile::tempdir().unwrap();
    for (args, needle) in [
        (&["frob"][..], "错误：未知的子命令“frob”"),
        (&["verify", "--bogus"][..], "错误：不认识的参数“--bogus”"),
        (
            &["demo", "--customers", "x"][..],
            "的值“x”不对：应为不带小数的正整数",
        ),
        (&["import"][..], "错误：缺少子命令"),
        (&["help"][..], "未知的子命令“help”"),
    ] {
        let o = run(args, dir.path());
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(
            !err.contains("error:") && !err.contains("Usage"),
            "{args:?}: {err}"
        );
    }
    let o = run(&["--help"], dir.path());
    assert!(o.status.success());
    let help = stdout(&o);
    for want in [
        "用法：stationdesk [选项] [命令]",
        "命令：",
        "选项：",
        "显示帮助",
        "显示版本",
    ] {
        assert!(help.contains(want), "{want}: {help}");
    }
    for english in ["Usage", "Commands", "Options", "Print help", "  help "] {
        assert!(!help.contains(english), "{english}: {help}");
    }
    let o = run(&["import", "bills", "--help"], dir.path());
    assert!(stdout(&o).contains("<文件>"), "{}", stdout(&o));
}

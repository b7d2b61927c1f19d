//! Bills from the provincial system: `import bills FILE.csv` through the service and the
//! command line. A bad file is reported by line and nothing of it is imported; importing
//! the same file again adds nothing; prepaid balance pays new bills at once.
use crate::common::billing_env;

use std::process::Command;

use billing_env::*;
use stationdesk::domain::customer::UsageCategory;
use stationdesk::service::payments::ImportOutcome;

fn rejected(o: ImportOutcome) -> Vec<(usize, String)> {
    match o {
        ImportOutcome::Rejected(e) => e.into_iter().map(|e| (e.line, e.message)).collect(),
        ImportOutcome::Imported(r) => panic!("imported: {r:?}"),
    }
}

#[test]
fn a_good_file_is_imported_once_and_again_adds_nothing() {
    let mut b = bench();
    let (c1, a1) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    let (_, a2) = customer(&mut b.e, &b.chief, "李四", UsageCategory::Commercial);
    let text = format!(
        "\u{feff}户号,账期,电量kWh,金额,到期日\r\n{a1},2026-09,235,128.53,2026-10-25\r\n{a1},2026-10,200,109.38,2026-11-25\r\n{a2},2026-10,1000,\"1,205.30\",2026-11-25\r\n"
    );
    let before = stationdesk::store::audit::count(b.e.svc.store().conn()).unwrap();
    let ImportOutcome::Imported(r) =
        b.e.svc
            .import_bills(None, "2026-10.csv", text.as_bytes())
            .unwrap()
    else {
        panic!("rejected")
    };
    assert_eq!((r.imported, r.unchanged, r.customers), (3, 0, 2));
    assert_eq!(r.total, yuan("1443.21"));
    assert!(r.describe().contains("新账单 3 张"), "{}", r.describe());
    let acc = b.e.svc.customer_account(c1).unwrap();
    let periods: Vec<String> = acc.bills.iter().map(|x| x.period.to_string()).collect();
    assert_eq!(periods, ["2026-09", "2026-10"]);
    assert_eq!(acc.bills[0].kwh, 235);
    assert_eq!(acc.bills[0].amount, yuan("128.53"));
    let entries = stationdesk::store::audit::recent(b.e.svc.store().conn(), 1, 0).unwrap();
    assert_eq!(entries[0].action, "bill.import");
    assert_eq!(entries[0].entity_id, "2026-10.csv");
    assert_eq!(entries[0].user_name, "系统（账单导入）");
    assert_eq!(
        stationdesk::store::audit::count(b.e.svc.store().conn()).unwrap(),
        before + 1
    );
    // the same file again: nothing new, nothing doubled
    let ImportOutcome::Imported(again) =
        b.e.svc
            .import_bills(None, "2026-10.csv", text.as_bytes())
            .unwrap()
    else {
        panic!("rejected")
    };
    assert_eq!((again.imported, again.unchanged), (0, 3));
    assert_eq!(count(&b.e, "bill"), 3);
}

#[test]
fn a_bad_file_is_reported_by_line_and_nothing_is_imported() {
    let mut b = bench();
    let (_, a1) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a1, "2026-09", 235, "128.53", "2026-10-25")],
    );
    // format errors: reported before anything is looked up
    let text = format!(
        "户号,账期,电量kWh,金额,到期日\n{a1},2026-10,200,109.38,2026-11-25\n{a1},2026-13,1,1,2026-11-25\n{a1},2026-11,1,-3,2026-12-25\n"
    );
    let errors = rejected(
        b.e.svc
            .import_bills(None, "x.csv", text.as_bytes())
            .unwrap(),
    );
    assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), [3, 4]);
    assert!(errors[0].1.contains("月份"), "{errors:?}");
    assert!(errors[1].1.contains("金额"), "{errors:?}");
    // unknown account and a bill that differs from the one stored: also refused whole
    let text = format!(
        "户号,账期,电量kWh,金额,到期日\n{a1},2026-10,200,109.38,2026-11-25\n0379999999999,2026-10,1,1,2026-11-25\n{a1},2026-09,236,128.53,2026-10-25\n"
    );
    let errors = rejected(
        b.e.svc
            .import_bills(None, "y.csv", text.as_bytes())
            .unwrap(),
    );
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].0, 3);
    assert!(errors[0].1.contains("0379999999999 不存在"), "{errors:?}");
    assert_eq!(errors[1].0, 4);
    assert!(errors[1].1.contains("已有账单"), "{errors:?}");
    // the good line 2 of these files was not imported either
    assert_eq!(count(&b.e, "bill"), 1);
    assert_eq!(
        stationdesk::store::audit::recent(b.e.svc.store().conn(), 1, 0).unwrap()[0].action,
        "bill.import"
    );
}

#[test]
fn prepaid_balance_pays_new_bills_at_once() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    // nothing owed: all of it is prepaid
    let done = pay(&mut b.e, &b.clerk, c, "100.00");
    assert_eq!(
        lines(&done),
        [("预收电费".to_string(), "100.00".to_string())]
    );
    assert_eq!(done.prepaid_after, yuan("100.00"));
    let r = import(
        &mut b.e,
        &[
            bill(&a, "2026-10", 100, "60.00", "2026-11-25"),
            bill(&a, "2026-11", 100, "55.50", "2026-12-25"),
        ],
    );
    assert_eq!((r.prepaid_offsets, r.prepaid_applied), (2, yuan("100.00")));
    let acc = b.e.svc.customer_account(c).unwrap();
    assert_eq!(acc.prepaid, yuan("0"));
    // the older bill is paid in full, the newer one in part
    assert_eq!(acc.bills.len(), 1);
    assert_eq!(acc.bills[0].period.to_string(), "2026-11");
    assert_eq!(acc.bills[0].paid, yuan("40.00"));
    assert_eq!(acc.bills[0].owed, yuan("15.50"));
    assert_eq!(acc.to_pay, yuan("15.50"));
}

#[test]
fn the_command_line_imports_and_reports_bad_lines() {
    let mut b = bench();
    let (_, a1) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    let dir = b.e.dir.path().to_path_buf();
    let good = dir.join("good.csv");
    std::fs::write(
        &good,
        format!("户号,账期,电量kWh,金额,到期日\n{a1},2026-10,200,109.38,2026-11-25\n"),
    )
    .unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        format!(
            "户号,账期,电量kWh,金额,到期日\n{a1},2026-11,200,109.38,2026-12-25\n{a1},2026-12,abc,1,2027-01-25\n"
        ),
    )
    .unwrap();
    let run = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_stationdesk"))
            .args(["import", "bills"])
            .arg(file)
            .arg("--data-dir")
            .arg(&dir)
            .env_remove("STATIONDESK_DATA_DIR")
            .output()
            .unwrap()
    };
    let o = run(&good);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("新账单 1 张"), "{out}");
    let o = run(&bad);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("第 3 行"), "{err}");
    assert!(err.contains("电量“abc”"), "{err}");
    assert!(err.contains("整个文件都未导入"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let o = run(&dir.join("missing.csv"));
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("无法读取文件"));
    assert_eq!(count(&b.e, "bill"), 1);
}

#[test]
fn escape_sequences_in_a_bad_file_never_reach_the_terminal() {
    let mut b = bench();
    let (_, a1) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    // an OSC 52 (write the clipboard) and a colour sequence inside cells, a bidi override
    let text = format!(
        "户号,账期,电量kWh,金额,到期日\n{a1},2026-10,2\u{1b}]52;c;ZXZpbA==\u{7}00,1,2026-11-25\n{a1},2026-11,1,\u{1b}[31m9\u{202e},2026-12-25\n"
    );
    let errors = rejected(
        b.e.svc
            .import_bills(None, "z.csv", text.as_bytes())
            .unwrap(),
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    for (_, m) in &errors {
        assert!(!m.chars().any(|c| c.is_control()), "{m:?}");
        assert!(
            m.contains("\\u{1b}"),
            "the escape is shown, not sent: {m:?}"
        );
    }
    // through the command line too: nothing on stderr carries an ESC or a BEL
    let file = b.e.dir.path().join("z.csv");
    std::fs::write(&file, &text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_stationdesk"))
        .args(["import", "bills"])
        .arg(&file)
        .arg("--data-dir")
        .arg(b.e.dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("第 2 行"), "{said}");
    assert!(
        !said.contains('\u{1b}') && !said.contains('\u{7}'),
        "{said:?}"
    );
}

#[test]
fn every_bad_line_is_listed_at_once_format_window_and_unknown_accounts_together() {
    let mut b = bench();
    let (_, a1) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    let text = format!(
        "户号,账期,电量kWh,金额,到期日\n\
         {a1},2026-10,235,128.53,2026-11-25\n\
         0379999999999,2026-10,235,128.53,2026-11-25\n\
         {a1},2988-10,235,128.53,2988-11-25\n\
         {a1},2026-09,abc,128.53,2026-10-25\n\
         {}\u{1b}]52;c;ZXZpbA==\u{7},2026-10,1,1.00,2026-11-25\n",
        "1".repeat(100)
    );
    let errors = rejected(
        b.e.svc
            .import_bills(None, "bad.csv", text.as_bytes())
            .unwrap(),
    );
    let lines: Vec<usize> = errors.iter().map(|e| e.0).collect();
    assert_eq!(lines, [3, 4, 5, 6], "{errors:?}");
    assert!(
        errors[0].1.contains("户号 0379999999999 不存在"),
        "{errors:?}"
    );
    assert!(errors[1].1.contains("账期 2988-10 不合理"), "{errors:?}");
    assert!(errors[2].1.contains("电量“abc”"), "{errors:?}");
    assert!(errors[3].1.contains("超出允许的 64 个"), "{errors:?}");
    for (_, m) in &errors {
        assert!(!m.chars().any(|c| c.is_control()), "{m:?}");
    }
    assert_eq!(count(&b.e, "bill"), 0, "nothing imported");
}

#[test]
fn a_long_file_commits_in_chunks_under_one_import_id_and_verifies() {
    let mut b = bench();
    let mut rows = Vec::new();
    let mut accounts = Vec::new();
    for i in 0..300 {
        let (_, a) = customer(
            &mut b.e,
            &b.chief,
            &format!("户{i}"),
            UsageCategory::Residential,
        );
        accounts.push(a);
    }
    for a in &accounts {
        for p in ["2026-07", "2026-08", "2026-09", "2026-10"] {
            rows.push(bill(a, p, 100, "50.00", "2026-11-25"));
        }
    }
    let chunk = stationdesk::service::payments::IMPORT_CHUNK;
    assert!(rows.len() > 2 * chunk);
    let r = import(&mut b.e, &rows);
    assert_eq!(r.imported, rows.len());
    let entries = stationdesk::store::audit::recent(b.e.svc.store().conn(), 10, 0).unwrap();
    let chunks: Vec<&stationdesk::store::audit::Entry> = entries
        .iter()
        .filter(|e| e.action == "bill.import")
        .collect();
    assert_eq!(chunks.len(), rows.len().div_ceil(chunk));
    let id = |e: &stationdesk::store::audit::Entry| {
        serde_json::from_str::<serde_json::Value>(&e.changes).unwrap()["import_id"].clone()
    };
    assert!(chunks.iter().all(|e| id(e) == id(chunks[0])));
    assert!(
        chunks[0]
            .changes
            .contains(&format!("\"chunk\":\"{0}/{0}\"", chunks.len()))
    );
    // importing the same file again completes nothing new and writes no bill
    let again = import(&mut b.e, &rows);
    assert_eq!((again.imported, again.unchanged), (0, rows.len()));
    assert!(b.e.svc.verify().unwrap().ok());
}

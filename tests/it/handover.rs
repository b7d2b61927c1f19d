//! Hand-over to the provincial system (issue 17): the outbox written with every change,
//! bundles exported exactly once (the same bundle until it is confirmed, nothing lost or
//! sent twice across kills, one bundle for two exports at once, a repeated confirmation
//! changing nothing), and the imports of the provincial customer and meter files.
use crate::common::billing_env::{self as be, ID};
use crate::common::{self, Env};

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha256};
use stationdesk::domain::customer::UsageCategory;
use stationdesk::domain::handover::BundleState;
use stationdesk::service::handover::import::FileOutcome;
use stationdesk::service::handover::{ConfirmOutcome, ExportOutcome, ExportReport};

fn export(e: &mut Env, out: &Path) -> ExportReport {
    match e.svc.export_bundle(None, out).unwrap() {
        ExportOutcome::Written(r) => r,
        ExportOutcome::Empty { .. } => panic!("nothing exported"),
    }
}

/// Every file of a bundle folder, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The records of a bundle (every line of every file), parsed.
fn lines(dir: &Path) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for (name, bytes) in files(dir) {
        if name.ends_with(".jsonl") {
            for l in String::from_utf8(bytes).unwrap().lines() {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["entity"] = name.trim_end_matches(".jsonl").into();
                out.push(v);
            }
        }
    }
    out.sort_by_key(|v| v["seq"].as_i64().unwrap());
    out
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

/// A station with a customer, an imported bill and a payment of it.
fn station_with_business() -> (be::Bench, i64) {
    let mut b = be::bench();
    let (id, account) = be::customer(&mut b.e, &b.clerk, "张三", UsageCategory::Residential);
    be::import(
        &mut b.e,
        &[be::bill(&account, "2026-10", 235, "128.53", "2026-11-25")],
    );
    let clerk = b.clerk.clone();
    be::pay(&mut b.e, &clerk, id, "128.53");
    (b, id)
}

#[test]
fn export_confirm_export_gives_an_empty_bundle() {
    let (mut b, _) = station_with_business();
    let out = tempfile::tempdir().unwrap();
    let first = export(&mut b.e, out.path());
    assert_eq!(first.bundle_id, "WZ01-000001");
    assert_eq!(first.seq_from, 1);
    assert_eq!(first.records, first.seq_to, "numbered from 1 without a gap");
    let recs = lines(&first.dir);
    assert_eq!(recs.len() as i64, first.records);
    let seqs: Vec<i64> = recs.iter().map(|v| v["seq"].as_i64().unwrap()).collect();
    assert_eq!(
        seqs,
        (1..=first.seq_to).collect::<Vec<_>>(),
        "every record once"
    );
    let entities: std::collections::HashSet<&str> =
        recs.iter().map(|v| v["entity"].as_str().unwrap()).collect();
    for e in [
        "customer",
        "payment",
        "allocation",
        "receipt",
        "staff",
        "settings",
    ] {
        assert!(entities.contains(e), "{e} handed over: {entities:?}");
    }
    assert!(
        !entities.contains("bill"),
        "bills imported from the provincial system are not sent back"
    );
    let customer = recs.iter().find(|v| v["entity"] == "customer").unwrap();
    assert_eq!(
        customer["row"]["id_number"], ID,
        "ID numbers in full in the bundle"
    );
    assert!(
        customer["at"].as_str().unwrap().ends_with("+08:00"),
        "{customer}"
    );
    assert!(
        customer["row"]["created_at"]
            .as_str()
            .unwrap()
            .ends_with("+08:00")
    );
    let payment = recs.iter().find(|v| v["entity"] == "payment").unwrap();
    assert_eq!(payment["row"]["amount_fen"], 12853, "money in exact 分");
    let uuids: std::collections::HashSet<&str> =
        recs.iter().map(|v| v["uuid"].as_str().unwrap()).collect();
    assert_eq!(uuids.len(), recs.len(), "a UUID per record");
    // the manifest: counts, hashes of the files, money sums, chain head
    let m = manifest(&first.dir);
    assert_eq!(m["bundle_id"], "WZ01-000001");
    assert_eq!(m["station"]["code"], "WZ01");
    assert_eq!(m["records"], first.records);
    for f in m["files"].as_array().unwrap() {
        let bytes = std::fs::read(first.dir.join(f["file"].as_str().unwrap())).unwrap();
        assert_eq!(f["sha256"], hex::encode(Sha256::digest(&bytes)));
        assert_eq!(
            f["records"],
            bytes.iter().filter(|b| **b == b'\n').count() as u64
        );
    }
    let pay = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["entity"] == "payment")
        .unwrap();
    assert_eq!(pay["money_sums"]["amount_fen"]["fen"], 12853);
    assert_eq!(pay["money_sums"]["amount_fen"]["yuan"], "128.53");
    let head = stationdesk::store::audit::head(b.e.svc.store().conn())
        .unwrap()
        .unwrap();
    assert!(m["audit_head"]["seq"].as_i64().unwrap() < head.0);
    // no ID number in full in the audit trail
    let trail: String =
        b.e.svc
            .store()
            .conn()
            .query_row(
                "SELECT group_concat(changes, ' ') FROM audit_log",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert!(!trail.contains(ID), "the trail masks ID numbers");

    let done = b.e.svc.confirm_bundle(None, "wz01-000001").unwrap();
    assert!(matches!(done, ConfirmOutcome::Confirmed(_)));
    match b.e.svc.export_bundle(None, out.path()).unwrap() {
        ExportOutcome::Empty { last } => assert_eq!(last.as_deref(), Some("WZ01-000001")),
        ExportOutcome::Written(r) => panic!("an empty bundle expected, got {r:?}"),
    }
    // the next change goes into the next bundle, which starts right after
    let (id2, _) = be::customer(&mut b.e, &b.clerk, "李四", UsageCategory::Residential);
    let second = export(&mut b.e, out.path());
    assert_eq!(second.bundle_id, "WZ01-000002");
    assert_eq!(second.seq_from, first.seq_to + 1);
    let recs = lines(&second.dir);
    assert!(
        recs.iter()
            .any(|v| v["entity"] == "customer" && v["key"]["id"] == id2)
    );
    assert!(
        recs.iter()
            .all(|v| v["seq"].as_i64().unwrap() > first.seq_to)
    );
    assert_eq!(manifest(&second.dir)["previous_bundle"], "WZ01-000001");
    let report = b.e.svc.verify().unwrap();
    assert!(report.ok(), "{}", report.describe());
}

#[test]
fn export_twice_before_confirmation_gives_the_same_bundle() {
    let (mut b, id) = station_with_business();
    let out1 = tempfile::tempdir().unwrap();
    let out2 = tempfile::tempdir().unwrap();
    let a = export(&mut b.e, out1.path());
    // work goes on between the two exports: it waits for the next bundle
    let clerk = b.clerk.clone();
    be::pay(&mut b.e, &clerk, id, "50");
    b.e.clock.advance(chrono::Duration::hours(3));
    let again = export(&mut b.e, out2.path());
    assert!(again.again);
    assert_eq!(again.bundle_id, a.bundle_id);
    assert_eq!((again.seq_from, again.seq_to), (a.seq_from, a.seq_to));
    assert_eq!(again.manifest_sha256, a.manifest_sha256);
    assert_eq!(files(&a.dir), files(&again.dir), "byte-identical files");
    // into the same folder again: replaced by the same bytes
    let third = export(&mut b.e, out1.path());
    assert_eq!(files(&third.dir), files(&again.dir));
    let leftovers: Vec<_> = std::fs::read_dir(out1.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        leftovers,
        vec!["WZ01-000001".to_string()],
        "no temporary folders left"
    );
    // each export is in the trail
    let exports: i64 =
        b.e.svc
            .store()
            .conn()
            .query_row(
                "SELECT count(*) FROM audit_log WHERE action = 'handover.export'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(exports, 3);
    // after confirmation the payment taken meanwhile is in the next bundle
    b.e.svc.confirm_bundle(None, &a.bundle_id).unwrap();
    let next = export(&mut b.e, out1.path());
    assert!(lines(&next.dir).iter().any(|v| v["entity"] == "payment"));
}

#[test]
fn a_kill_between_writing_and_confirming_loses_and_duplicates_nothing() {
    let (mut b, id) = station_with_business();
    let out = tempfile::tempdir().unwrap();
    // killed while writing: the bundle was recorded, its folder never appeared (a file
    // where the folder should be makes the write fail after the bundle was recorded)
    let blocked = out.path().join("blocked");
    std::fs::write(&blocked, b"not a folder").unwrap();
    assert!(b.e.svc.export_bundle(None, &blocked).is_err());
    let pending = stationdesk::store::handover::pending(b.e.svc.store().conn())
        .unwrap()
        .unwrap();
    assert!(pending.manifest_sha256.is_none());
    // a bundle never written cannot be confirmed (the county cannot have it)
    assert!(b.e.svc.confirm_bundle(None, &pending.bundle_id).is_err());
    // a half-written folder left by a kill is not the bundle
    std::fs::create_dir_all(out.path().join(".WZ01-000001.part-dead")).unwrap();
    std::fs::write(
        out.path()
            .join(".WZ01-000001.part-dead")
            .join("customer.jsonl"),
        b"{\"seq\":",
    )
    .unwrap();
    let clerk = b.clerk.clone();
    be::pay(&mut b.e, &clerk, id, "20");
    // the program starts again (a new process): the same bundle, whole
    let dir = b.e.dir.path().to_path_buf();
    let clock = std::sync::Arc::new(b.e.clock.clone());
    b.e.svc = stationdesk::service::Service::open(&dir, clock.clone()).unwrap();
    let first = export(&mut b.e, out.path());
    assert_eq!(first.bundle_id, pending.bundle_id);
    assert_eq!(
        (first.seq_from, first.seq_to),
        (pending.seq_from, pending.seq_to)
    );
    // killed after writing, before the answer from upstream: exported again, unchanged
    b.e.svc = stationdesk::service::Service::open(&dir, clock.clone()).unwrap();
    let again = export(&mut b.e, out.path());
    assert_eq!(files(&first.dir), files(&again.dir));
    b.e.svc.confirm_bundle(None, &first.bundle_id).unwrap();
    let second = export(&mut b.e, out.path());
    // across the two bundles every record once, in order, none missing
    let mut seqs: Vec<i64> = lines(&first.dir)
        .iter()
        .chain(lines(&second.dir).iter())
        .map(|v| v["seq"].as_i64().unwrap())
        .collect();
    let n = seqs.len();
    seqs.dedup();
    assert_eq!(seqs.len(), n, "nothing sent twice");
    assert_eq!(
        seqs,
        (1..=second.seq_to).collect::<Vec<_>>(),
        "nothing lost"
    );
    let last = stationdesk::store::outbox::last_closed(b.e.svc.store().conn()).unwrap();
    assert_eq!(second.seq_to, last);
}

#[test]
fn a_repeated_confirmation_changes_nothing() {
    let (mut b, _) = station_with_business();
    let out = tempfile::tempdir().unwrap();
    let r = export(&mut b.e, out.path());
    b.e.svc.confirm_bundle(None, &r.bundle_id).unwrap();
    let conn = b.e.svc.store().conn();
    let before = stationdesk::store::audit::count(conn).unwrap();
    let row = stationdesk::store::handover::by_bundle_id(conn, &r.bundle_id)
        .unwrap()
        .unwrap();
    b.e.clock.advance(chrono::Duration::days(1));
    match b.e.svc.confirm_bundle(None, &r.bundle_id).unwrap() {
        ConfirmOutcome::AlreadyConfirmed(b2) => assert_eq!(b2, row),
        other => panic!("{other:?}"),
    }
    let conn = b.e.svc.store().conn();
    assert_eq!(stationdesk::store::audit::count(conn).unwrap(), before);
    assert_eq!(row.state, BundleState::Confirmed);
    let _ = conn;
    assert!(b.e.svc.confirm_bundle(None, "WZ01-000009").is_err());
    assert!(b.e.svc.confirm_bundle(None, "nonsense").is_err());
    let conn = b.e.svc.store().conn();
    // the book itself refuses to un-confirm or change a bundle
    assert!(
        conn.execute(
            "UPDATE handover_bundle SET state = 'pending', confirmed_at = NULL",
            []
        )
        .is_err()
    );
    assert!(conn.execute("DELETE FROM outbox", []).is_err());
    assert!(conn.execute("UPDATE outbox SET op = 'D'", []).is_err());
}

const CHILD_DIR: &str = "STATIONDESK_TEST_EXPORT_DIR";
const CHILD_OUT: &str = "STATIONDESK_TEST_EXPORT_OUT";

/// Run as a child process by `two_exports_at_once_give_one_bundle`; does nothing otherwise.
#[test]
fn child_exporter() {
    let (Ok(dir), Ok(out)) = (std::env::var(CHILD_DIR), std::env::var(CHILD_OUT)) else {
        return;
    };
    let clock = stationdesk::domain::clock::FixedClock::at(2026, 11, 24, 10, 0);
    let mut svc =
        stationdesk::service::Service::open(Path::new(&dir), std::sync::Arc::new(clock)).unwrap();
    match svc.export_bundle(None, Path::new(&out)).unwrap() {
        ExportOutcome::Written(r) => println!("BUNDLE {}", r.bundle_id),
        ExportOutcome::Empty { .. } => println!("EMPTY"),
    }
}

#[test]
fn two_exports_at_once_give_one_bundle() {
    let (b, _) = station_with_business();
    let out = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let child = common::child_test(module_path!(), "child_exporter");
    let spawn = || {
        Command::new(&exe)
            .args([child.as_str(), "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_DIR, b.e.dir.path())
            .env(CHILD_OUT, out.path())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (x, y) = (spawn(), spawn());
    let (x, y) = (x.wait_with_output().unwrap(), y.wait_with_output().unwrap());
    assert!(x.status.success() && y.status.success());
    let said = |o: &std::process::Output| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .find_map(|l| l.find("BUNDLE").map(|i| l[i..].trim().to_string()))
    };
    assert_eq!(said(&x).as_deref(), Some("BUNDLE WZ01-000001"));
    assert_eq!(said(&x), said(&y), "both wrote the same bundle");
    let bundles = stationdesk::store::handover::list(b.e.svc.store().conn()).unwrap();
    assert_eq!(bundles.len(), 1, "one bundle, not two overlapping ones");
    let names: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["WZ01-000001".to_string()]);
    let dir = out.path().join("WZ01-000001");
    let m = manifest(&dir);
    for f in m["files"].as_array().unwrap() {
        let bytes = std::fs::read(dir.join(f["file"].as_str().unwrap())).unwrap();
        assert_eq!(
            f["sha256"],
            hex::encode(Sha256::digest(&bytes)),
            "whole files"
        );
    }
}

#[test]
fn every_kind_of_change_is_recorded_in_its_own_transaction() {
    let (mut b, id) = station_with_business();
    let conn = b.e.svc.store().conn();
    let before = stationdesk::store::outbox::last_closed(conn).unwrap();
    // a change to a customer's file: a U record with the row as it became
    let mut d = stationdesk::domain::customer_file::CustomerDraft {
        name: "张三".into(),
        kind: Some(stationdesk::domain::customer::CustomerKind::Person),
        id_number: ID.into(),
        phone: "13900001111".into(),
        address: "柳林镇王庄村3组8号".into(),
        usage: Some(UsageCategory::Residential),
        contracted_kva: "6".into(),
        ..Default::default()
    };
    b.e.svc.update_customer(&b.clerk, id, &d).unwrap();
    let conn = b.e.svc.store().conn();
    let (op, state): (String, String) = conn
        .query_row(
            "SELECT op, state FROM outbox WHERE entity = 'customer' ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(op, "U");
    assert!(state.contains("13900001111"), "{state}");
    // a refused change leaves no record (its transaction rolled back)
    let after = stationdesk::store::outbox::last_closed(conn).unwrap();
    assert!(after > before);
    d.phone = "12345".into();
    assert!(b.e.svc.update_customer(&b.clerk, id, &d).is_err());
    let conn = b.e.svc.store().conn();
    let (count, max): (i64, i64) = conn
        .query_row("SELECT count(*), max(seq) FROM outbox", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(count, max, "no gap");
    assert_eq!(max, stationdesk::store::outbox::last_closed(conn).unwrap());
    assert!(stationdesk::store::outbox::check(conn).unwrap().is_empty());
}

fn customer_file(lines: &[&str]) -> Vec<u8> {
    let mut s = String::from(
        "户号,旧户号,户名,客户类型,证件号码,联系电话,用电地址,台区编码,用电类别,供电电压,合同容量\n",
    );
    for l in lines {
        s.push_str(l);
        s.push('\n');
    }
    s.into_bytes()
}

fn area(e: &mut Env, chief: &stationdesk::service::Session) {
    e.svc
        .create_area(
            chief,
            &stationdesk::service::areas::AreaInput {
                code: "TQ001".into(),
                name: "王庄1号台区".into(),
                capacity_kva: "200".into(),
                manager: String::new(),
                active: true,
                area_type: None,
            },
        )
        .unwrap();
}

#[test]
fn a_customer_file_with_a_bad_row_imports_nothing_and_again_changes_nothing() {
    let (mut e, chief) = common::with_station();
    area(&mut e, &chief);
    let count = |e: &Env| -> i64 {
        e.svc
            .store()
            .conn()
            .query_row("SELECT count(*) FROM customer", [], |r| r.get(0))
            .unwrap()
    };
    let bad = customer_file(&[
        "0370000000001,1234567890,张三,个人,11010519491231002X,13800001234,柳林镇王庄村3组8号,TQ001,居民生活,,6",
        "0370000000002,,李四,个人,110105194912310021,,,TQ001,居民生活,,",
        "0370000000003,,王五,个人,,,,TQ009,居民生活,,",
    ]);
    match e.svc.import_customers(None, "kh.csv", &bad).unwrap() {
        FileOutcome::Rejected(errors) => {
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].line, 3);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(count(&e), 0, "nothing imported");
    // the database's checks come after the file's: an unknown 台区 is a bad line too
    let bad = customer_file(&[
        "0370000000001,1234567890,张三,个人,11010519491231002X,13800001234,柳林镇王庄村3组8号,TQ001,居民生活,,6",
        "0370000000003,,王五,个人,,,,TQ009,居民生活,,",
    ]);
    match e.svc.import_customers(None, "kh.csv", &bad).unwrap() {
        FileOutcome::Rejected(errors) => {
            assert_eq!(errors[0].line, 3);
            assert!(errors[0].message.contains("TQ009"), "{errors:?}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(count(&e), 0);
    let good = customer_file(&[
        "0370000000001,1234567890,张三,个人,11010519491231002X,13800001234,柳林镇王庄村3组8号,TQ001,居民生活,,6",
        "0370000000002,,柳林镇卫生院,单位,,,,TQ001,一般工商业,0.4kV,",
    ]);
    match e.svc.import_customers(None, "kh.csv", &good).unwrap() {
        FileOutcome::Imported(r) => {
            assert_eq!((r.imported, r.unchanged, r.incomplete), (2, 0, 1));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(count(&e), 2);
    let c = stationdesk::store::customers::by_account_no(e.svc.store().conn(), "0370000000001")
        .unwrap()
        .unwrap();
    assert_eq!(c.id_number, ID);
    assert_eq!(c.old_account_no.as_deref(), Some("1234567890"));
    // the same file again changes nothing: no row, no entry, no hand-over record
    let conn = e.svc.store().conn();
    let audit = stationdesk::store::audit::count(conn).unwrap();
    let records = stationdesk::store::outbox::last_closed(conn).unwrap();
    match e.svc.import_customers(None, "kh.csv", &good).unwrap() {
        FileOutcome::Imported(r) => assert_eq!((r.imported, r.unchanged), (0, 2)),
        other => panic!("{other:?}"),
    }
    let conn = e.svc.store().conn();
    assert_eq!(stationdesk::store::audit::count(conn).unwrap(), audit);
    assert_eq!(
        stationdesk::store::outbox::last_closed(conn).unwrap(),
        records
    );
    // a different content under a 户号 on file is refused (a change is made at the counter)
    let changed = customer_file(&[
        "0370000000001,1234567890,张三,个人,11010519491231002X,13900009999,柳林镇王庄村3组8号,TQ001,居民生活,,6",
    ]);
    assert!(matches!(
        e.svc.import_customers(None, "kh.csv", &changed).unwrap(),
        FileOutcome::Rejected(_)
    ));
    // the trail holds counts, never the file's ID numbers
    let trail: String = e
        .svc
        .store()
        .conn()
        .query_row(
            "SELECT group_concat(changes, ' ') FROM audit_log WHERE action = 'customer.import'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        !trail.contains(ID) && !trail.contains("13800001234"),
        "{trail}"
    );
    let report = e.svc.verify().unwrap();
    assert!(report.ok(), "{}", report.describe());
}

fn meter_file(lines: &[&str]) -> Vec<u8> {
    let mut s = String::from(
        "资产编号,类型,准确度等级,厂家,批次,整数位数,电流互感器变比,电压互感器变比,倍率,出厂日期,检定日期,有效期,状态,户号\n",
    );
    for l in lines {
        s.push_str(l);
        s.push('\n');
    }
    s.into_bytes()
}

#[test]
fn a_meter_file_with_a_bad_row_imports_nothing_and_again_changes_nothing() {
    let mut b = be::bench();
    let (_, account) = be::customer(&mut b.e, &b.clerk, "张三", UsageCategory::Residential);
    let meters = |e: &Env| -> i64 {
        e.svc
            .store()
            .conn()
            .query_row("SELECT count(*) FROM meter", [], |r| r.get(0))
            .unwrap()
    };
    let good_in_service =
        format!("3710000001,单相表,2,华立,B1,6,,,,2024-01-10,2024-02-01,,在运,{account}");
    let bad = meter_file(&[
        good_in_service.as_str(),
        "3710000002,单相表,2,华立,B1,6,,,,2024-01-10,2024-02-01,,库存,",
        "3710000003,单相表,2,华立,B1,6,,,,2024-01-10,2024-02-01,,在运,0379999999999",
    ]);
    match b.e.svc.import_meter_assets(None, "zc.csv", &bad).unwrap() {
        FileOutcome::Rejected(errors) => {
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].line, 4);
            assert!(errors[0].message.contains("不存在"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(meters(&b.e), 0);
    let good = meter_file(&[
        good_in_service.as_str(),
        "3710000002,单相表,2,华立,B1,6,,,,2024-01-10,2024-02-01,,库存,",
    ]);
    match b.e.svc.import_meter_assets(None, "zc.csv", &good).unwrap() {
        FileOutcome::Imported(r) => assert_eq!((r.imported, r.unchanged), (2, 0)),
        other => panic!("{other:?}"),
    }
    let m = stationdesk::store::meters::by_asset_no(b.e.svc.store().conn(), "3710000001")
        .unwrap()
        .unwrap();
    assert_eq!(m.status, stationdesk::domain::meter::MeterStatus::InService);
    assert_eq!(m.account_no.as_deref(), Some(account.as_str()));
    let conn = b.e.svc.store().conn();
    let audit = stationdesk::store::audit::count(conn).unwrap();
    match b.e.svc.import_meter_assets(None, "zc.csv", &good).unwrap() {
        FileOutcome::Imported(r) => assert_eq!((r.imported, r.unchanged), (0, 2)),
        other => panic!("{other:?}"),
    }
    assert_eq!(meters(&b.e), 2);
    assert_eq!(
        stationdesk::store::audit::count(b.e.svc.store().conn()).unwrap(),
        audit
    );
    let report = b.e.svc.verify().unwrap();
    assert!(report.ok(), "{}", report.describe());
}

#[test]
fn the_command_line_exports_confirms_and_imports() {
    let (b, _) = station_with_business();
    let out = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_stationdesk"))
            .args(args)
            .arg("--data-dir")
            .arg(b.e.dir.path())
            .env_remove("STATIONDESK_DATA_DIR")
            .output()
            .unwrap()
    };
    let o = run(&["export", "--out", out.path().to_str().unwrap()]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(text.contains("已写出交接包 WZ01-000001"), "{text}");
    let o = run(&["export", "--list"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("WZ01-000001  待确认"));
    let o = run(&["export", "--confirm", "WZ01-000001"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("已确认"));
    let o = run(&["export", "--confirm", "WZ01-000001"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("本次未作任何改动"));
    let o = run(&["export", "--out", out.path().to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("没有新的改动"));
    let o = run(&["export", "--confirm", "bad id"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("交接包编号"));
    let file = out.path().join("kh.csv");
    std::fs::write(
        &file,
        customer_file(&["0370000000001,,张三,个人,110105194912310021,,,,居民生活,,"]),
    )
    .unwrap();
    let o = run(&["import", "customers", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("第 2 行：证件号码"), "{err}");
    assert!(!err.contains("panicked"));
}

/// Where the example bundle of `docs/` lives.
fn example_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/handover-example")
}

/// Make `docs/handover-example/` again: a small station's first bundle, built through the
/// services with a fixed clock (names, ID numbers and phones are made up; the ID number is
/// the sample of GB 11643). `cargo test --test it make_the_example_bundle -- --ignored`.
#[test]
#[ignore]
fn make_the_example_bundle() {
    use stationdesk::domain::clock::Clock;
    use stationdesk::domain::work_order::{ConnectionClass, RequestKind};
    use stationdesk::service::orders::{AcceptRequest, Applicant};
    let mut b = be::bench();
    let chief = b.chief.clone();
    area(&mut b.e, &chief);
    let (id, account) = be::customer(&mut b.e, &b.clerk, "张三", UsageCategory::Residential);
    b.e.clock.advance(chrono::Duration::minutes(12));
    be::customer(&mut b.e, &b.clerk, "李四", UsageCategory::Commercial);
    b.e.clock.advance(chrono::Duration::minutes(25));
    let d = stationdesk::domain::customer_file::CustomerDraft {
        name: "张三".into(),
        kind: Some(stationdesk::domain::customer::CustomerKind::Person),
        id_number: ID.into(),
        phone: "13900001111".into(),
        address: "柳林镇王庄村3组8号".into(),
        usage: Some(UsageCategory::Residential),
        area_code: "TQ001".into(),
        contracted_kva: "6".into(),
        ..Default::default()
    };
    b.e.svc.update_customer(&b.clerk, id, &d).unwrap();
    b.e.clock.advance(chrono::Duration::minutes(40));
    b.e.svc
        .accept_request(
            &b.clerk,
            &AcceptRequest {
                class: Some(ConnectionClass::LvResidential),
                applicant: Some(Applicant {
                    name: "王小明".into(),
                    id_number: ID.into(),
                    phone: "13912345678".into(),
                    address: "柳林镇东村5号".into(),
                }),
                received: vec![stationdesk::domain::work_order::Document::IdProof],
                ..AcceptRequest::new(RequestKind::NewConnection)
            },
        )
        .unwrap();
    be::import(
        &mut b.e,
        &[be::bill(&account, "2026-10", 235, "128.53", "2026-11-25")],
    );
    b.e.clock.advance(chrono::Duration::minutes(75));
    let clerk = b.clerk.clone();
    be::pay(&mut b.e, &clerk, id, "150");
    b.e.clock.advance(chrono::Duration::hours(6));
    let mut cash = stationdesk::service::payments::standard_denominations();
    cash.iter_mut()
        .find(|x| x.label == "100 元")
        .unwrap()
        .pieces = 1;
    cash.iter_mut().find(|x| x.label == "50 元").unwrap().pieces = 1;
    b.e.svc
        .close_day(&b.clerk, b.e.clock.today(), &cash, "")
        .unwrap();
    b.e.svc
        .receive_meters(
            &b.clerk,
            &stationdesk::service::meters::ReceiveInput {
                first: "3710000001".into(),
                last: "3710000002".into(),
                kind: "单相表".into(),
                accuracy: "2".into(),
                maker: "华立".into(),
                batch: "B2026-01".into(),
                digits: "6".into(),
                produced_on: "2026-01-10".into(),
                verified_on: "2026-02-01".into(),
                ..Default::default()
            },
        )
        .unwrap();
    b.e.clock.advance(chrono::Duration::hours(8));
    let out = tempfile::tempdir().unwrap();
    let r = export(&mut b.e, out.path());
    let target = example_dir();
    let _ = std::fs::remove_dir_all(&target);
    std::fs::create_dir_all(&target).unwrap();
    for (name, bytes) in files(&r.dir) {
        std::fs::write(target.join(name), bytes).unwrap();
    }
}

/// The example shipped in `docs/` is a whole bundle: every file's hash and count as its
/// manifest says, every line of the format, the settings among them.
#[test]
fn the_example_bundle_in_the_docs_is_whole() {
    let dir = example_dir();
    let m = manifest(&dir);
    assert_eq!(m["format"], "stationdesk-handover/1");
    let mut total = 0;
    for f in m["files"].as_array().unwrap() {
        let bytes = std::fs::read(dir.join(f["file"].as_str().unwrap())).unwrap();
        assert_eq!(f["sha256"], hex::encode(Sha256::digest(&bytes)));
        total += f["records"].as_i64().unwrap();
    }
    assert_eq!(m["records"], total);
    let recs = lines(&dir);
    assert_eq!(recs.len() as i64, total);
    for v in &recs {
        for k in ["seq", "uuid", "op", "at", "audit_seq", "key", "row"] {
            assert!(v.get(k).is_some(), "{k} in {v}");
        }
    }
    assert!(recs.iter().any(|v| v["op"] == "U"), "a change is shown too");
}

#[test]
fn a_record_removed_behind_the_programs_back_is_found_by_verify() {
    let (b, _) = station_with_business();
    let conn = b.e.svc.store().conn();
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'outbox_no_delete'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER outbox_no_delete; DELETE FROM outbox WHERE seq = 3; {sql};"
    ))
    .unwrap();
    let r = b.e.svc.verify().unwrap();
    assert!(!r.ok());
    let text = r.describe();
    assert!(text.contains("交接记录编号不连续"), "{text}");
}

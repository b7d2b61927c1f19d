//! The tester's twelve kinds of tampering, done as the station's own administrator would
//! with the sqlite3 CLI and the program's source: triggers dropped, the change made, the
//! triggers put back exactly as they were (so the schema check alone cannot be what finds
//! it). Each must be found by `verify`, or, where the whole chain was rebuilt, by
//! `verify --anchor` with a value off a receipt or a day-end report, or by the key sheet.
use rusqlite::Connection;
use stationdesk::domain::customer::UsageCategory;
use stationdesk::service::payments::standard_denominations;
use stationdesk::service::verify::{VerifyOptions, VerifyReport};
use stationdesk::store::{audit, mac};

use crate::common::billing_env::*;

/// A station with bills, payments, a void and a closed day, then more work after it.
struct History {
    b: Bench,
    /// receipt id of the voided receipt
    voided: i64,
    /// an anchor off the first receipt: (seq, 10 hex digits)
    receipt_anchor: (i64, String),
    /// the key sheet: (start seq, key)
    sheet: (i64, mac::Key),
}

fn history() -> History {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    let (c2, a2) = customer(&mut b.e, &b.chief, "李四", UsageCategory::Commercial);
    import(
        &mut b.e,
        &[
            bill(&a, "2026-09", 431, "235.60", "2026-10-25"),
            bill(&a, "2026-10", 180, "100.00", "2026-11-25"),
            bill(&a2, "2026-10", 900, "812.40", "2026-11-25"),
        ],
    );
    let first = pay(&mut b.e, &b.clerk, c, "100.00");
    let head = audit::head(b.e.svc.store().conn()).unwrap().unwrap();
    let receipt_anchor = (head.0, head.1[..10].to_string());
    pay(&mut b.e, &b.clerk, c2, "812.40");
    let wrong = pay(&mut b.e, &b.clerk, c, "50.00");
    b.e.svc
        .void_receipt(
            &b.clerk,
            wrong.receipt_id,
            CHIEF_USER,
            CHIEF_PASSWORD,
            "金额录错",
        )
        .unwrap();
    pay(&mut b.e, &b.clerk, c, "135.60");
    let _ = first;
    let sheet = mac::sheet_key(b.e.svc.store().conn()).unwrap().unwrap();
    // the day closed with the cash counted right
    let preview = b.e.svc.day_end_preview(&b.clerk, today(&b)).unwrap();
    let mut cash = standard_denominations();
    let mut left = preview.cash_expected;
    for d in cash.iter_mut() {
        while left >= d.face {
            d.pieces += 1;
            left -= d.face;
        }
    }
    b.e.svc.close_day(&b.clerk, today(&b), &cash, "").unwrap();
    // and more work after it
    b.e.svc
        .update_setting(&b.chief, "security.idle_lock_minutes", "15")
        .unwrap();
    let other = account(
        &mut b.e,
        &b.chief,
        "clerk2",
        stationdesk::domain::role::Role::Clerk,
    );
    pay(&mut b.e, &other, c, "1.00");
    let report = b.e.svc.verify().unwrap();
    assert!(report.ok(), "{}", report.describe());
    History {
        b,
        voided: wrong.receipt_id,
        receipt_anchor,
        sheet,
    }
}

fn today(b: &Bench) -> chrono::NaiveDate {
    b.e.svc.now().date()
}

fn conn(h: &History) -> &Connection {
    h.b.e.svc.store().conn()
}

/// Drop every trigger, run `sql`, put the triggers back as they were.
fn behind_the_back(h: &History, sql: &str) {
    let c = conn(h);
    let triggers: Vec<(String, String)> = c
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (name, _) in &triggers {
        c.execute_batch(&format!("DROP TRIGGER \"{name}\""))
            .unwrap();
    }
    c.execute_batch(sql).unwrap();
    for (_, sql) in &triggers {
        c.execute_batch(sql).unwrap();
    }
}

/// Recompute every hash from entry `from` on, as someone holding the program's source can.
fn rehash_from(h: &History, from: i64) {
    let c = conn(h);
    c.execute_batch("DROP TRIGGER audit_log_no_update").unwrap();
    let entries: Vec<audit::Entry> = c
        .prepare(&format!(
            "SELECT {} FROM audit_log WHERE seq >= ?1 ORDER BY seq",
            "seq, at, user_id, user_name, action, entity, entity_id, changes, prev_hash, hash, seal, mac"
        ))
        .unwrap()
        .query_map([from], |r| {
            Ok(audit::Entry {
                seq: r.get(0)?,
                at: r.get(1)?,
                user_id: r.get(2)?,
                user_name: r.get(3)?,
                action: r.get(4)?,
                entity: r.get(5)?,
                entity_id: r.get(6)?,
                changes: r.get(7)?,
                prev_hash: r.get(8)?,
                hash: r.get(9)?,
                seal: r.get(10)?,
                mac: r.get(11)?,
            })
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let (mut prev, mut prev_mac): (String, Option<String>) = c
        .query_row(
            "SELECT hash, mac FROM audit_log WHERE seq = ?1",
            [from - 1],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap_or_else(|_| (audit::GENESIS.to_string(), None));
    for mut e in entries {
        e.prev_hash = prev.clone();
        e.hash = audit::entry_hash(&e, prev_mac.as_deref());
        c.execute(
            "UPDATE audit_log SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![e.prev_hash, e.hash, e.seq],
        )
        .unwrap();
        prev = e.hash;
        prev_mac = e.mac;
    }
    c.execute_batch(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END",
    )
    .unwrap();
}

fn verdict(h: &History) -> VerifyReport {
    h.b.e.svc.verify().unwrap()
}

/// The findings of the checks named `label`, asserting at least one.
fn found_by(r: &VerifyReport, label: &str) -> Vec<String> {
    let c = r
        .checks
        .iter()
        .find(|c| c.label == label)
        .unwrap_or_else(|| panic!("no check {label}"));
    assert!(!c.ok(), "{label} found nothing:\n{}", r.describe());
    c.findings.clone()
}

fn clean_except(r: &VerifyReport, labels: &[&str]) {
    assert!(!r.ok());
    for c in &r.checks {
        if !labels.contains(&c.label.as_str()) {
            assert!(c.ok(), "{} should pass:\n{}", c.label, r.describe());
        }
    }
}

#[test]
fn a_payment_raised_with_its_allocation_raised_to_match() {
    let h = history();
    behind_the_back(
        &h,
        "UPDATE payment SET amount_fen = amount_fen + 100000, tendered_fen = NULL, change_fen = NULL WHERE id = 2;
         UPDATE allocation SET amount_fen = amount_fen + 100000
          WHERE id = (SELECT min(id) FROM allocation WHERE payment_id = 2);",
    );
    let r = verdict(&h);
    let f = found_by(&r, "业务数据与审计记录一致");
    assert!(f.iter().any(|x| x.contains("收费记录（payment）")), "{f:?}");
    assert!(
        f.iter().any(|x| x.contains("收费分配（allocation）")),
        "{f:?}"
    );
    clean_except(&r, &["业务数据与审计记录一致"]);
}

#[test]
fn a_payment_set_to_one_fen() {
    let h = history();
    behind_the_back(
        &h,
        "UPDATE payment SET amount_fen = 1, tendered_fen = NULL, change_fen = NULL WHERE id = 1;",
    );
    let r = verdict(&h);
    let f = found_by(&r, "编号连续与金额合计");
    assert!(
        f[0].contains("SJ2026000001") && f[0].contains("0.01"),
        "{f:?}"
    );
    found_by(&r, "业务数据与审计记录一致");
}

#[test]
fn a_voided_receipt_deleted_with_its_void_and_prints() {
    let h = history();
    let id = h.voided;
    behind_the_back(
        &h,
        &format!(
            "DELETE FROM receipt_void WHERE receipt_id = {id};
             DELETE FROM receipt_print WHERE receipt_id = {id};
             DELETE FROM receipt WHERE id = {id};"
        ),
    );
    let r = verdict(&h);
    let f = found_by(&r, "编号连续与金额合计");
    assert!(f.iter().any(|x| x.contains("缺第 3 号")), "{f:?}");
    let f = found_by(&r, "业务数据与审计记录一致");
    assert!(f.iter().any(|x| x.contains("收据（receipt）")), "{f:?}");
    assert!(
        f.iter().any(|x| x.contains("收据作废（receipt_void）")),
        "{f:?}"
    );
}

#[test]
fn a_receipt_renumbered_leaving_a_gap() {
    let h = history();
    behind_the_back(
        &h,
        "UPDATE receipt SET seq = seq + 1, receipt_no = 'SJ' || printf('%04d%06d', year, seq + 1)
          WHERE id = (SELECT max(id) FROM receipt);",
    );
    let r = verdict(&h);
    found_by(&r, "编号连续与金额合计");
    found_by(&r, "业务数据与审计记录一致");
}

#[test]
fn the_last_audit_entry_deleted() {
    let h = history();
    behind_the_back(
        &h,
        "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log);",
    );
    let r = verdict(&h);
    let f = found_by(&r, "审计链与密钥签名");
    assert!(f.iter().any(|x| x.contains("最后 1 条记录被删除")), "{f:?}");
}

#[test]
fn the_last_ten_audit_entries_deleted() {
    let h = history();
    behind_the_back(
        &h,
        "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 10 FROM audit_log);",
    );
    let r = verdict(&h);
    let f = found_by(&r, "审计链与密钥签名");
    assert!(
        f.iter().any(|x| x.contains("最后 10 条记录被删除")),
        "{f:?}"
    );
}

#[test]
fn the_last_entries_deleted_with_their_seals_and_the_key_set_back() {
    // the most careful truncation: entries, their seal records and the key's counter; the
    // rows the entries sealed are still there, and the key cannot be rewound
    let h = history();
    behind_the_back(
        &h,
        "DELETE FROM seal_point WHERE seq > (SELECT max(seq) - 3 FROM audit_log);
         DELETE FROM row_seal WHERE seq > (SELECT max(seq) - 3 FROM audit_log);
         DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log);
         UPDATE audit_key SET next_seq = (SELECT max(seq) + 1 FROM audit_log);",
    );
    let r = verdict(&h);
    found_by(&r, "业务数据与审计记录一致");
    let with_key = VerifyOptions {
        key: Some(h.sheet),
        ..VerifyOptions::default()
    };
    // the key sheet still signs every entry that is left: the truncation is found by the
    // rows the deleted entries had sealed
    let r = h.b.e.svc.verify_with(&with_key).unwrap();
    assert!(!r.ok());
}

#[test]
fn an_audit_entry_rewritten_and_every_later_hash_recomputed() {
    let h = history();
    // the settings change of the set-up era is rewritten, and the chain rebuilt after it
    let seq: i64 = conn(&h)
        .query_row(
            "SELECT min(seq) FROM audit_log WHERE action = 'payment.take'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    behind_the_back(
        &h,
        &format!("UPDATE audit_log SET user_name = '别人' WHERE seq = {seq};"),
    );
    rehash_from(&h, seq);
    let r = verdict(&h);
    // the chain itself holds together now; the day-end report's printed head does not
    let f = found_by(&r, "日结报告所印链头");
    assert!(f[0].contains("日志在此之前被改写"), "{f:?}");
    // the receipt's anchor and the key sheet say the same
    let (aseq, ahash) = h.receipt_anchor.clone();
    let opts = VerifyOptions {
        anchors: vec![(aseq, ahash.clone())],
        key: Some(h.sheet),
    };
    let r = h.b.e.svc.verify_with(&opts).unwrap();
    found_by(&r, &format!("凭据 {aseq}:{ahash}"));
    let f = found_by(&r, "密钥单核对");
    assert!(f[0].contains(&format!("第 {seq} 条")), "{f:?}");
}

#[test]
fn an_entry_deleted_and_the_rest_renumbered_and_rehashed() {
    let h = history();
    let c = conn(&h);
    let seq: i64 = c
        .query_row(
            "SELECT min(seq) FROM audit_log WHERE action = 'payment.void'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    behind_the_back(
        &h,
        &format!(
            "DELETE FROM audit_log WHERE seq = {seq};
             UPDATE audit_log SET seq = seq - 1 WHERE seq > {seq};
             UPDATE seal_point SET seq = seq - 1 WHERE seq > {seq};
             UPDATE row_seal SET seq = seq - 1 WHERE seq > {seq};"
        ),
    );
    rehash_from(&h, seq);
    let r = verdict(&h);
    let f = found_by(&r, "审计链与密钥签名");
    assert!(f.iter().any(|x| x.contains("被删除")), "{f:?}");
}

#[test]
fn a_customers_name_changed() {
    let h = history();
    behind_the_back(&h, "UPDATE customer SET name = '王五' WHERE name = '张三';");
    let r = verdict(&h);
    let f = found_by(&r, "业务数据与审计记录一致");
    assert!(
        f[0].contains("客户档案（customer）") && f[0].contains("改动"),
        "{f:?}"
    );
    clean_except(&r, &["业务数据与审计记录一致"]);
}

#[test]
fn a_bill_multiplied_by_ten() {
    let h = history();
    behind_the_back(
        &h,
        "UPDATE bill SET amount_fen = amount_fen * 10 WHERE id = 1;",
    );
    let r = verdict(&h);
    let f = found_by(&r, "业务数据与审计记录一致");
    assert!(f[0].contains("电费账单（bill）"), "{f:?}");
    clean_except(&r, &["业务数据与审计记录一致"]);
}

#[test]
fn the_residential_late_fee_rate_changed_in_settings() {
    let h = history();
    behind_the_back(
        &h,
        "UPDATE settings SET value = '0.1' WHERE key = 'penalty.residential_permille';",
    );
    let r = verdict(&h);
    let f = found_by(&r, "业务数据与审计记录一致");
    assert!(
        f[0].contains("参数设置（settings）") && f[0].contains("penalty.residential_permille"),
        "{f:?}"
    );
    clean_except(&r, &["业务数据与审计记录一致"]);
}

#[test]
fn the_triggers_merely_dropped() {
    let h = history();
    conn(&h)
        .execute_batch("DROP TRIGGER payment_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    let r = verdict(&h);
    let f = found_by(&r, "数据库结构与保护规则");
    assert!(f.iter().any(|x| x.contains("payment_no_update")), "{f:?}");
    assert!(f.iter().any(|x| x.contains("audit_log_no_delete")), "{f:?}");
    clean_except(&r, &["数据库结构与保护规则"]);
}

#[test]
fn a_seal_record_changed_to_cover_an_edit_breaks_its_entry() {
    let h = history();
    behind_the_back(
        &h,
        "UPDATE settings SET value = '0.1' WHERE key = 'penalty.residential_permille';
         INSERT INTO row_seal (seq, tbl, row_key, digest)
         SELECT max(seq), 'settings', 'penalty.residential_permille', x'00' FROM audit_log;",
    );
    let r = verdict(&h);
    found_by(&r, "审计封存记录");
}

#[test]
fn an_anchor_taken_later_than_a_truncation_point_finds_it() {
    let h = history();
    let (seq, hash) = audit::head(conn(&h)).unwrap().unwrap();
    behind_the_back(
        &h,
        &format!("DELETE FROM audit_log WHERE seq >= {};", seq - 1),
    );
    let opts = VerifyOptions {
        anchors: vec![(seq, hash[..8].to_string())],
        key: None,
    };
    let r = h.b.e.svc.verify_with(&opts).unwrap();
    let f = found_by(&r, &format!("凭据 {seq}:{}", &hash[..8]));
    assert!(f[0].contains("日志被截断"), "{f:?}");
    // an intact anchor is confirmed
    let h = history();
    let (seq, hash) = audit::head(conn(&h)).unwrap().unwrap();
    let opts = VerifyOptions {
        anchors: vec![(seq, hash[..10].to_string())],
        key: Some(h.sheet),
    };
    let r = h.b.e.svc.verify_with(&opts).unwrap();
    assert!(r.ok(), "{}", r.describe());
    assert!(r.describe().contains("签名全部正确"));
}

#[test]
fn the_anchor_printed_on_a_receipt_checks_out_and_catches_a_rewrite() {
    let h = history();
    let (seq, hash) = h.b.e.svc.receipt_view(1).unwrap().anchor.unwrap();
    assert_eq!(seq, h.receipt_anchor.0);
    let line = stationdesk::print::anchor_line(Some(&(seq, hash.clone()))).unwrap();
    let short = line.rsplit(':').next().unwrap().to_string();
    assert_eq!(short.len(), stationdesk::print::ANCHOR_CHARS);
    let opts = VerifyOptions {
        anchors: vec![(seq, short.clone())],
        key: None,
    };
    assert!(h.b.e.svc.verify_with(&opts).unwrap().ok());
    behind_the_back(
        &h,
        &format!(
            "UPDATE audit_log SET changes = '{{}}' WHERE seq = {};",
            seq - 1
        ),
    );
    rehash_from(&h, seq - 1);
    let r = h.b.e.svc.verify_with(&opts).unwrap();
    found_by(&r, &format!("凭据 {seq}:{short}"));
}

#[test]
fn the_key_sheet_prints_once_and_what_it_says_verifies_the_trail() {
    let mut b = bench();
    let (start, key) = mac::sheet_key(b.e.svc.store().conn()).unwrap().unwrap();
    // a print that fails keeps the key for another try
    let blocker = b.e.dir.path().join("a-file");
    std::fs::write(&blocker, "x").unwrap();
    b.e.svc
        .update_setting(
            &b.chief,
            "print.folder",
            blocker.join("print").to_str().unwrap(),
        )
        .unwrap();
    assert!(b.e.svc.print_key_sheet(&b.chief).is_err());
    assert!(b.e.svc.key_sheet_pending().unwrap());
    b.e.svc
        .update_setting(&b.chief, "print.folder", "")
        .unwrap();
    // a clerk may not print it
    assert!(b.e.svc.print_key_sheet(&b.clerk).is_err());
    let out = b.e.svc.print_key_sheet(&b.chief).unwrap();
    assert!(!b.e.svc.key_sheet_pending().unwrap());
    assert!(mac::sheet_key(b.e.svc.store().conn()).unwrap().is_none());
    let again = b.e.svc.print_key_sheet(&b.chief).unwrap_err();
    assert!(again.message().contains("已于"), "{}", again.message());
    // the sheet's text, typed back without its spaces, is the key
    let pdf = std::fs::read(&out.path).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text: String = doc
        .extract_text(&pages)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains("审计密钥单"), "{text}");
    let typed_back = format!("{start}:{}", hex::encode(key));
    assert!(text.contains(&typed_back), "{text}");
    assert_eq!(mac::parse_sheet(&typed_back), Some((start, key)));
    // work goes on; the sheet proves every entry since
    let (c, _) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    let _ = c;
    let opts = VerifyOptions {
        anchors: vec![],
        key: mac::parse_sheet(&typed_back),
    };
    let r = b.e.svc.verify_with(&opts).unwrap();
    assert!(r.ok(), "{}", r.describe());
    assert!(r.describe().contains("签名全部正确"));
}

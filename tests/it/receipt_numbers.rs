//! Two counter windows (two processes) taking 500 payments each at once on one database:
//! 1,000 receipts with distinct, consecutive numbers, each payment with exactly one.
use crate::common;
use crate::common::billing_env;

use std::process::Command;
use std::sync::Arc;

use billing_env::*;
use stationdesk::domain::billing::PayMethod;
use stationdesk::domain::clock::FixedClock;
use stationdesk::domain::customer::UsageCategory;
use stationdesk::domain::role::Role;
use stationdesk::service::Service;
use stationdesk::service::auth::PasswordCost;
use stationdesk::service::payments::Payer;

const PAYMENTS: usize = 500;
const DIR_ENV: &str = "STATIONDESK_TEST_PAY_DIR";
const USER_ENV: &str = "STATIONDESK_TEST_PAY_USER";
const CUSTOMER_ENV: &str = "STATIONDESK_TEST_PAY_CUSTOMER";

/// Run as a child process by `two_windows_take_payments_at_once`; does nothing otherwise.
#[test]
fn child_window() {
    let (Ok(dir), Ok(user), Ok(customer)) = (
        std::env::var(DIR_ENV),
        std::env::var(USER_ENV),
        std::env::var(CUSTOMER_ENV),
    ) else {
        return;
    };
    let customer: i64 = customer.parse().unwrap();
    let clock = FixedClock::at(2026, 11, 24, 10, 0);
    let mut svc = Service::open(std::path::Path::new(&dir), Arc::new(clock))
        .unwrap()
        .with_password_cost(PasswordCost::Light);
    let me = svc.sign_in(&user, "pass-word1").unwrap();
    for i in 0..PAYMENTS {
        let mut req = request(Payer::Customer(customer), "1.25", PayMethod::Cash);
        req.request_key = format!("{user}-{i}");
        let done = svc.take_payment(&me, &req).unwrap();
        assert!(!done.replayed);
    }
}

#[test]
fn two_windows_take_payments_at_once() {
    let mut b = bench();
    account(&mut b.e, &b.chief, "clerk2", Role::Clerk);
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    // something owed, so the payments allocate to bills before the prepaid balance
    import(
        &mut b.e,
        &[
            bill(&a, "2026-09", 431, "235.60", "2026-10-25"),
            bill(&a, "2026-10", 180, "100.00", "2026-11-25"),
        ],
    );
    let exe = std::env::current_exe().unwrap();
    let child_test = common::child_test(module_path!(), "child_window");
    let spawn = |user: &str| {
        Command::new(&exe)
            .args([
                child_test.as_str(),
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(DIR_ENV, b.e.dir.path())
            .env(USER_ENV, user)
            .env(CUSTOMER_ENV, c.to_string())
            .spawn()
            .unwrap()
    };
    let mut one = spawn("clerk1");
    let mut two = spawn("clerk2");
    assert!(one.wait().unwrap().success(), "window 1 failed");
    assert!(two.wait().unwrap().success(), "window 2 failed");

    let conn = b.e.svc.store().conn();
    let (n, min, max, distinct): (i64, i64, i64, i64) = conn
        .query_row(
            "SELECT count(*), min(seq), max(seq), count(DISTINCT receipt_no) FROM receipt WHERE year = 2026",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((n, min, max, distinct), (1000, 1, 1000, 1000));
    let per_cashier: Vec<i64> = conn
        .prepare("SELECT count(*) FROM payment GROUP BY cashier_id ORDER BY cashier_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(per_cashier, [500, 500]);
    let without_one_receipt: i64 = conn
        .query_row(
            "SELECT count(*) FROM payment p
             WHERE (SELECT count(*) FROM receipt r WHERE r.payment_id = p.id) <> 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(without_one_receipt, 0);
    // 1,000 × 1.25 = 1,250.00: the bills and late fee (342.67) are paid, the rest prepaid
    let acc = b.e.svc.customer_account(c).unwrap();
    assert!(acc.bills.is_empty());
    assert_eq!(acc.prepaid, yuan("907.33"));
    let report = b.e.svc.verify().unwrap();
    assert!(report.ok(), "{}", report.describe());
}

#[test]
fn numbers_widen_to_eight_digits_past_999999_and_the_database_holds_the_rule() {
    use stationdesk::domain::billing::receipt_no;
    assert_eq!(
        receipt_no::format(2026, 999_999).as_deref(),
        Some("SJ2026999999")
    );
    assert_eq!(
        receipt_no::format(2026, 1_000_000).as_deref(),
        Some("SJ202601000000")
    );
    // the database's own rule: six digits below a million, eight from then on
    let store = stationdesk::store::Store::open_in_memory().unwrap();
    let c = store.conn();
    c.execute_batch(
        "PRAGMA foreign_keys = OFF;
         DROP TRIGGER receipt_gap_free; DROP TRIGGER receipt_complete;",
    )
    .unwrap();
    let insert = |id: i64, no: &str, seq: i64| {
        c.execute(
            "INSERT INTO receipt (id, receipt_no, year, seq, payment_id, issued_at,
                                  prepaid_after_fen, arrears_after_fen)
             VALUES (?1, ?2, 2026, ?3, ?1, '2026-12-31 09:00:00', 0, 0)",
            rusqlite::params![id, no, seq],
        )
    };
    insert(1, "SJ2026999999", 999_999).unwrap();
    insert(2, "SJ202601000000", 1_000_000).unwrap();
    assert!(
        insert(3, "SJ20261000001", 1_000_001).is_err(),
        "seven digits"
    );
    assert!(
        insert(4, "SJ202600000005", 5).is_err(),
        "eight digits below a million"
    );
    assert!(
        insert(5, "SJ2026100000000", 100_000_000).is_err(),
        "beyond the widest"
    );
}

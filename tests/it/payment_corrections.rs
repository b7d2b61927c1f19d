//! Voids and reversals: the same day only and before the day end, with the chief's password
//! and a reason; the number stays in the sequence; a reversal is a new negative receipt
//! and both are kept.
use crate::common::billing_env;

use billing_env::*;
use chrono::Duration;
use stationdesk::domain::billing::PayMethod;
use stationdesk::domain::customer::UsageCategory;
use stationdesk::domain::role::Role;
use stationdesk::service::ServiceError;
use stationdesk::service::payments::{Payer, standard_denominations};

fn setup() -> (Bench, i64, String) {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[
            bill(&a, "2026-09", 431, "235.60", "2026-10-25"),
            bill(&a, "2026-10", 180, "100.00", "2026-11-25"),
        ],
    );
    (b, c, a)
}

fn refused(r: Result<impl std::fmt::Debug, ServiceError>, needle: &str) {
    let e = r.unwrap_err();
    assert!(
        e.message().contains(needle),
        "{} should contain {needle}",
        e.message()
    );
}

#[test]
fn void_the_same_day_reopens_the_bills_and_keeps_the_number() {
    let (mut b, c, _) = setup();
    let before = b.e.svc.customer_account(c).unwrap();
    let done = pay(&mut b.e, &b.clerk, c, "400.00");
    assert_eq!(b.e.svc.customer_account(c).unwrap().prepaid, yuan("57.33"));
    // the chief's password, a reason, a real chief
    let void = |b: &mut Bench, user: &str, pw: &str, reason: &str| {
        b.e.svc
            .void_receipt(&b.clerk, done.receipt_id, user, pw, reason)
    };
    assert_eq!(
        void(&mut b, CHIEF_USER, CHIEF_PASSWORD, " ")
            .unwrap_err()
            .field(),
        Some("reason")
    );
    assert_eq!(
        void(&mut b, CHIEF_USER, "wrong", "收错户")
            .unwrap_err()
            .field(),
        Some("chief_password")
    );
    account(&mut b.e, &b.chief, "clerk2", Role::Clerk);
    assert_eq!(
        void(&mut b, "clerk2", "pass-word1", "收错户")
            .unwrap_err()
            .field(),
        Some("chief_username")
    );
    assert_eq!(count(&b.e, "receipt_void"), 0);
    void(&mut b, CHIEF_USER, CHIEF_PASSWORD, "收错户，客户要求退回").unwrap();
    // everything it paid is owed again, the prepaid it added is gone
    let after = b.e.svc.customer_account(c).unwrap();
    assert_eq!(after.bills, before.bills);
    assert_eq!(after.prepaid, yuan("0"));
    let v = b.e.svc.receipt_view(done.receipt_id).unwrap();
    let mark = v.void.unwrap();
    assert_eq!(mark.reason, "收错户，客户要求退回");
    assert_eq!(mark.approved_by, "李建国");
    // issue 18: the void copy prints the balances after the void (as before the payment)
    assert_eq!(mark.arrears_after, before.total_owed);
    assert_eq!(mark.prepaid_after, after.prepaid);
    assert_eq!(v.receipt_no, "SJ2026000001");
    // the number stays used: the next receipt is 2
    let next = pay(&mut b.e, &b.clerk, c, "10.00");
    assert_eq!(next.receipt_no, "SJ2026000002");
    refused(
        b.e.svc.void_receipt(
            &b.clerk,
            done.receipt_id,
            CHIEF_USER,
            CHIEF_PASSWORD,
            "再作废",
        ),
        "已作废",
    );
    let e = stationdesk::store::audit::recent(b.e.svc.store().conn(), 3, 0).unwrap();
    assert!(
        e.iter()
            .any(|x| x.action == "payment.void" && x.entity_id == "SJ2026000001")
    );
    assert!(b.e.svc.verify().unwrap().ok());
}

#[test]
fn void_is_refused_the_next_day_and_after_the_day_end() {
    let (mut b, c, _) = setup();
    let first = pay(&mut b.e, &b.clerk, c, "10.00");
    b.e.clock.advance(Duration::days(1));
    refused(
        b.e.svc.void_receipt(
            &b.clerk,
            first.receipt_id,
            CHIEF_USER,
            CHIEF_PASSWORD,
            "收错",
        ),
        "只能作废当天的收据",
    );
    let second = pay(&mut b.e, &b.clerk, c, "20.00");
    let today = b.e.clock.now_date();
    b.e.svc
        .close_day(&b.clerk, today, &cash(&[("10 元", 2)]), "")
        .unwrap();
    refused(
        b.e.svc.void_receipt(
            &b.clerk,
            second.receipt_id,
            CHIEF_USER,
            CHIEF_PASSWORD,
            "收错",
        ),
        "日结",
    );
    // and the database itself refuses it
    let conn = b.e.svc.store().conn();
    assert!(
        conn.execute(
            "INSERT INTO receipt_void (receipt_id, voided_at, voided_by, approved_by, reason)
             VALUES (?1, '2026-11-25 18:00:00', ?2, ?3, 'x')",
            rusqlite::params![second.receipt_id, b.clerk.staff_id, b.chief.staff_id],
        )
        .is_err()
    );
    assert_eq!(count(&b.e, "receipt_void"), 0);
}

#[test]
fn a_reversal_is_a_new_negative_receipt_and_both_are_kept() {
    let (mut b, c, _) = setup();
    let before = b.e.svc.customer_account(c).unwrap();
    let mut req = stationdesk::service::payments::PaymentRequest {
        reference: "4200001234".into(),
        ..request(Payer::Customer(c), "400.00", PayMethod::Mobile)
    };
    req.tendered = None;
    let original = b.e.svc.take_payment(&b.clerk, &req).unwrap();
    b.e.clock.advance(Duration::days(3));
    let reason = "转账到账后发现是邻居代缴，退回";
    refused(
        b.e.svc
            .reverse_receipt(&b.clerk, original.receipt_id, CHIEF_USER, "nope", reason),
        "密码",
    );
    let rev =
        b.e.svc
            .reverse_receipt(
                &b.clerk,
                original.receipt_id,
                CHIEF_USER,
                CHIEF_PASSWORD,
                reason,
            )
            .unwrap();
    assert_eq!(rev.receipt_no, "SJ2026000002");
    assert_eq!(rev.amount, yuan("-400.00"));
    assert_eq!(
        rev.lines
            .iter()
            .map(|l| l.amount)
            .sum::<rust_decimal::Decimal>(),
        yuan("-400.00")
    );
    assert_eq!(rev.lines[0].label, "2026年9月违约金");
    assert_eq!(
        rev.lines[0].detail, "逾期30天，应计7.07",
        "as on the original"
    );
    // both kept, each pointing at the other
    let o = b.e.svc.find_receipt("SJ2026000001").unwrap();
    assert!(!o.voided);
    assert_eq!(o.reversed_by.as_deref(), Some("SJ2026000002"));
    let r = b.e.svc.find_receipt("SJ2026000002").unwrap();
    assert_eq!(r.reverses.as_deref(), Some("SJ2026000001"));
    let v = b.e.svc.receipt_view(rev.receipt_id).unwrap();
    assert_eq!(
        v.reverses,
        Some(("SJ2026000001".to_string(), reason.to_string()))
    );
    assert_eq!(v.total, yuan("-400.00"));
    assert_eq!(v.method, "移动支付（参考号 4200001234）");
    // the bills are owed again, from the reversal's day on
    let after = b.e.svc.customer_account(c).unwrap();
    assert_eq!(after.prepaid, yuan("0"));
    assert_eq!(after.principal_owed, before.principal_owed);
    assert_eq!(
        after.bills[0].late_fee,
        yuan("7.07"),
        "late fee paid is owed again"
    );
    assert_eq!(rev.arrears_after, after.total_owed);
    // never twice, never a reversal of a reversal, never a void of either now
    refused(
        b.e.svc.reverse_receipt(
            &b.clerk,
            original.receipt_id,
            CHIEF_USER,
            CHIEF_PASSWORD,
            "x",
        ),
        "已由 SJ2026000002 红冲",
    );
    refused(
        b.e.svc
            .reverse_receipt(&b.clerk, rev.receipt_id, CHIEF_USER, CHIEF_PASSWORD, "x"),
        "红冲收据",
    );
    refused(
        b.e.svc
            .void_receipt(&b.clerk, rev.receipt_id, CHIEF_USER, CHIEF_PASSWORD, "x"),
        "红冲收据",
    );
    // the reversal is in the reversing cashier's day
    let p =
        b.e.svc
            .day_end_preview(&b.clerk, b.e.clock.now_date())
            .unwrap();
    assert_eq!(p.reversals.len(), 1);
    assert_eq!(p.expected_total, yuan("-400.00"));
    assert!(b.e.svc.verify().unwrap().ok());
}

/// Issue 12: a red receipt's late-fee line said `逾期 256 天 ¥9.80` where 256 days at 1‰
/// on the bill make 23.02: what was allocated must be explained by how it was counted.
#[test]
fn late_fee_lines_say_how_the_amount_was_counted_and_the_reversal_repeats_it() {
    let (mut b, c, _) = setup();
    // 30 days overdue: 235.60 × 30 × 1‰ = 7.068 → 7.07; 3.00 pays part of it
    let first = pay(&mut b.e, &b.clerk, c, "3.00");
    assert_eq!(first.lines.len(), 1);
    assert_eq!(first.lines[0].amount, yuan("3.00"));
    assert_eq!(
        first.lines[0].detail,
        "逾期30天，应计7.07，本次收3.00，余4.07未收"
    );
    // the next day: 31 days → 7.3036 → 7.30, of which 3.00 was taken yesterday
    b.e.clock.advance(Duration::days(1));
    let second = pay(&mut b.e, &b.clerk, c, "10.00");
    assert_eq!(second.lines[0].label, "2026年9月违约金");
    assert_eq!(second.lines[0].amount, yuan("4.30"));
    assert_eq!(second.lines[0].detail, "逾期31天，应计7.30，前已收3.00");
    // the settings change later: the receipt still says what was true that day
    b.e.svc
        .update_setting(&b.chief, "penalty.residential_permille", "2")
        .unwrap();
    b.e.clock.advance(Duration::days(2));
    let rev =
        b.e.svc
            .reverse_receipt(
                &b.clerk,
                second.receipt_id,
                CHIEF_USER,
                CHIEF_PASSWORD,
                "收错金额",
            )
            .unwrap();
    assert_eq!(rev.lines[0].amount, yuan("-4.30"));
    assert_eq!(
        rev.lines[0].detail, "逾期31天，应计7.30，前已收3.00",
        "the red line repeats the count of the line it gives back"
    );
    let printed = b.e.svc.receipt_view(second.receipt_id).unwrap();
    assert_eq!(printed.lines, second.lines, "reprints say the same");
}

#[test]
fn prepaid_already_used_blocks_a_void() {
    let (mut b, c, a) = setup();
    // everything owed plus 100 prepaid
    let done = pay(&mut b.e, &b.clerk, c, "442.67");
    assert_eq!(done.prepaid_after, yuan("100.00"));
    // a new bill takes 60 of the prepaid at once
    import(&mut b.e, &[bill(&a, "2026-11", 100, "60.00", "2026-12-25")]);
    refused(
        b.e.svc.void_receipt(
            &b.clerk,
            done.receipt_id,
            CHIEF_USER,
            CHIEF_PASSWORD,
            "收错",
        ),
        "预收款已被使用",
    );
    refused(
        b.e.svc.reverse_receipt(
            &b.clerk,
            done.receipt_id,
            CHIEF_USER,
            CHIEF_PASSWORD,
            "收错",
        ),
        "预收款已被使用",
    );
}

#[test]
fn a_voided_fee_payment_makes_the_fee_owed_again() {
    let mut b = bench();
    let (c, _) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    let mut r = stationdesk::service::orders::AcceptRequest::new(
        stationdesk::domain::work_order::RequestKind::MeterTest,
    );
    r.customer_id = Some(c);
    r.received = vec![stationdesk::domain::work_order::Document::IdProof];
    let order = b.e.svc.accept_request(&b.clerk, &r).unwrap().id;
    let fee =
        b.e.svc
            .add_fee(&b.clerk, order, "校验费", yuan("30"))
            .unwrap();
    let done = b.e.svc.collect_fee(&b.clerk, fee).unwrap();
    assert_eq!(done.lines[0].label, "业务费（校验费）");
    assert!(b.e.svc.order(order).unwrap().fees[0].collected);
    b.e.svc
        .void_receipt(
            &b.clerk,
            done.receipt_id,
            CHIEF_USER,
            CHIEF_PASSWORD,
            "收错金额",
        )
        .unwrap();
    let o = b.e.svc.order(order).unwrap();
    assert!(!o.fees[0].collected);
    assert!(o.events.iter().any(|e| e.action == "fee_void"));
    // collected again, with a new receipt
    let again = b.e.svc.collect_fee(&b.clerk, fee).unwrap();
    assert_eq!(again.receipt_no, "SJ2026000002");
}

/// Denominations with the given pieces counted.
fn cash(counted: &[(&str, u32)]) -> Vec<stationdesk::print::Denomination> {
    let mut d = standard_denominations();
    for (label, pieces) in counted {
        d.iter_mut().find(|x| x.label == *label).unwrap().pieces = *pieces;
    }
    d
}

trait Today {
    fn now_date(&self) -> chrono::NaiveDate;
}

impl Today for stationdesk::domain::clock::FixedClock {
    fn now_date(&self) -> chrono::NaiveDate {
        use stationdesk::domain::clock::Clock;
        self.today()
    }
}

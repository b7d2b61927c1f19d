//! The cashier's day end (日清日结): totals by method, receipt range, voids, reversals,
//! reprints, cash counted by denomination with a reason for any difference, the audit
//! chain's head; closed days take no more money and no voids; who sees which day ends.
use crate::common::billing_env;

use billing_env::*;
use chrono::{Duration, NaiveDate};
use stationdesk::domain::billing::PayMethod;
use stationdesk::domain::clock::Clock;
use stationdesk::domain::customer::UsageCategory;
use stationdesk::domain::role::Role;
use stationdesk::service::payments::{Payer, standard_denominations};

fn cash(counted: &[(&str, u32)]) -> Vec<stationdesk::print::Denomination> {
    let mut d = standard_denominations();
    for (label, pieces) in counted {
        d.iter_mut().find(|x| x.label == *label).unwrap().pieces = *pieces;
    }
    d
}

fn today(b: &Bench) -> NaiveDate {
    b.e.clock.today()
}

#[test]
fn a_day_closed_with_its_totals_and_the_audit_head() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    let (d, _) = customer(&mut b.e, &b.chief, "李四", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a, "2026-10", 180, "100.00", "2026-11-25")],
    );
    let p1 = pay(&mut b.e, &b.clerk, c, "100.00");
    let _p2 = pay(&mut b.e, &b.clerk, d, "55.50");
    let mobile =
        b.e.svc
            .take_payment(
                &b.clerk,
                &request(Payer::Customer(d), "200.00", PayMethod::Mobile),
            )
            .unwrap();
    // another cashier's receipt in between: not in this day end
    let other = account(&mut b.e, &b.chief, "clerk2", Role::Clerk);
    pay(&mut b.e, &other, d, "1.00");
    let voided = pay(&mut b.e, &b.clerk, c, "30.00");
    b.e.svc
        .void_receipt(
            &b.clerk,
            voided.receipt_id,
            CHIEF_USER,
            CHIEF_PASSWORD,
            "金额录错",
        )
        .unwrap();
    b.e.svc
        .record_receipt_print(&b.clerk, p1.receipt_id)
        .unwrap();
    b.e.svc
        .record_receipt_print(&b.clerk, p1.receipt_id)
        .unwrap();
    // printed: only p1; the others (but the voided one) are offered at start-up until the
    // day is closed
    assert_eq!(b.e.svc.unprinted_receipts(&b.clerk).unwrap().len(), 2);
    let p = b.e.svc.day_end_preview(&b.clerk, today(&b)).unwrap();
    assert_eq!(p.closed, None);
    let methods: Vec<(String, u32, String)> = p
        .by_method
        .iter()
        .map(|m| (m.method.clone(), m.count, m.amount.to_string()))
        .collect();
    assert_eq!(
        methods,
        [
            ("现金".to_string(), 2, "155.50".to_string()),
            ("银行卡".to_string(), 0, "0.00".to_string()),
            ("移动支付".to_string(), 1, "200.00".to_string()),
            ("支票".to_string(), 0, "0.00".to_string()),
        ]
    );
    assert_eq!(p.expected_total, yuan("355.50"));
    assert_eq!(p.cash_expected, yuan("155.50"));
    assert_eq!(p.receipt_first.as_deref(), Some("SJ2026000001"));
    assert_eq!(p.receipt_last.as_deref(), Some("SJ2026000005"));
    assert_eq!(p.receipt_count, 4);
    assert_eq!(p.voids.len(), 1);
    assert_eq!(p.voids[0].reason, "金额录错");
    assert_eq!(p.reprints, 1);
    // 155.50 in cash: one note short → a reason is required
    let short = cash(&[("100 元", 1), ("50 元", 1), ("5 角", 1)]);
    let err =
        b.e.svc
            .close_day(&b.clerk, today(&b), &short, "")
            .unwrap_err();
    assert_eq!(err.field(), Some("difference_reason"));
    assert!(err.message().contains("-5.00"), "{}", err.message());
    assert!(
        b.e.svc
            .close_day(&b.clerk, today(&b) + Duration::days(1), &short, "x")
            .is_err(),
        "no day end for a future day"
    );
    let id =
        b.e.svc
            .close_day(&b.clerk, today(&b), &short, "少收 5 元，已由本人补齐")
            .unwrap();
    assert!(b.e.svc.unprinted_receipts(&b.clerk).unwrap().is_empty());
    let v = b.e.svc.day_end_view(id).unwrap();
    assert_eq!(v.cashier, "员工clerk1");
    assert_eq!(v.business_date, today(&b));
    assert_eq!(v.expected_total, yuan("355.50"));
    assert_eq!(v.cash_expected, yuan("155.50"));
    assert_eq!(v.cash_counted, yuan("150.50"));
    assert_eq!(v.difference, yuan("-5.00"));
    assert_eq!(v.difference_reason, "少收 5 元，已由本人补齐");
    assert_eq!(v.denominations.len(), 11);
    assert_eq!(v.denominations[0].pieces, 1);
    assert_eq!(v.voids.len(), 1);
    assert_eq!(v.reprints, 1);
    assert_eq!(v.by_method[2].amount, yuan("200.00"));
    // the head printed is the chain's head just before the day end's own entry
    let entries = stationdesk::store::audit::recent(b.e.svc.store().conn(), 2, 0).unwrap();
    assert_eq!(entries[0].action, "dayend.close");
    assert_eq!(v.audit_head_seq, entries[1].seq);
    assert_eq!(v.audit_head_hash, entries[1].hash);
    assert!(entries[0].changes.contains(&v.audit_head_hash));
    // closed: nothing new, no second closing; the closed receipts cannot be voided
    let err =
        b.e.svc
            .close_day(&b.clerk, today(&b), &short, "again")
            .unwrap_err();
    assert!(
        err.message().contains("之后没有新的收款"),
        "{}",
        err.message()
    );
    assert!(
        b.e.svc
            .void_receipt(&b.clerk, mobile.receipt_id, CHIEF_USER, CHIEF_PASSWORD, "x")
            .unwrap_err()
            .message()
            .contains("不能再作废")
    );
    // another cashier still works that day
    pay(&mut b.e, &other, c, "2.00");
    assert_eq!(
        b.e.svc.day_end_preview(&b.clerk, today(&b)).unwrap().closed,
        Some(id)
    );
    // more money the same day: a second closing (第二次日结) covers it
    let late = pay(&mut b.e, &b.clerk, c, "30.00");
    let wrong = pay(&mut b.e, &b.clerk, c, "5.00");
    let p = b.e.svc.day_end_preview(&b.clerk, today(&b)).unwrap();
    assert_eq!((p.closed, p.batch), (None, 2));
    assert_eq!(p.receipt_count, 2);
    assert_eq!(p.expected_total, yuan("35.00"));
    // a receipt of the new batch can still be voided before its closing
    b.e.svc
        .void_receipt(
            &b.clerk,
            wrong.receipt_id,
            CHIEF_USER,
            CHIEF_PASSWORD,
            "金额录错",
        )
        .unwrap();
    let p = b.e.svc.day_end_preview(&b.clerk, today(&b)).unwrap();
    assert_eq!(p.expected_total, yuan("30.00"));
    assert_eq!(p.voids.len(), 1);
    let mut thirty = stationdesk::service::payments::standard_denominations();
    thirty[2].pieces = 1;
    thirty[3].pieces = 1;
    let second = b.e.svc.close_day(&b.clerk, today(&b), &thirty, "").unwrap();
    let v2 = b.e.svc.day_end_view(second).unwrap();
    assert_eq!(v2.batch, 2);
    assert_eq!(v2.expected_total, yuan("30.00"));
    assert_eq!(v2.voids.len(), 1, "the second closing lists its own void");
    let v1 = b.e.svc.day_end_view(id).unwrap();
    assert_eq!(
        (v1.batch, v1.voids.len()),
        (1, 1),
        "the first keeps its own"
    );
    assert!(
        b.e.svc
            .void_receipt(&b.clerk, late.receipt_id, CHIEF_USER, CHIEF_PASSWORD, "x")
            .is_err(),
        "covered by the second closing"
    );
    let pdf =
        stationdesk::print::render_day_end(&v2, stationdesk::print::FontSet::embedded().unwrap())
            .unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let text: String = doc
        .extract_text(&doc.get_pages().keys().copied().collect::<Vec<_>>())
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains("第二次日结"), "{text}");
    assert_eq!(b.e.svc.record_day_end_print(&b.clerk, id).unwrap(), 0);
    assert_eq!(b.e.svc.record_day_end_print(&b.clerk, id).unwrap(), 1);
    assert!(b.e.svc.verify().unwrap().ok());
}

#[test]
fn the_chief_sees_every_cashiers_day_ends_a_cashier_their_own() {
    let mut b = bench();
    let (c, _) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    let clerk2 = account(&mut b.e, &b.chief, "clerk2", Role::Clerk);
    let aud = account(&mut b.e, &b.chief, "aud1", Role::Auditor);
    let mgr = account(&mut b.e, &b.chief, "mgr1", Role::AreaManager);
    let day1 = today(&b);
    pay(&mut b.e, &b.clerk, c, "10.00");
    pay(&mut b.e, &clerk2, c, "20.00");
    b.e.clock.advance(Duration::days(1));
    // yesterday is still open for both: listed as days to close
    let open = b.e.svc.days_to_close(&b.chief).unwrap();
    assert_eq!(open.len(), 2);
    assert_eq!(open[0].business_date, day1);
    assert_eq!(b.e.svc.days_to_close(&b.clerk).unwrap().len(), 1);
    b.e.svc
        .close_day(&b.clerk, day1, &cash(&[("10 元", 1)]), "")
        .unwrap();
    b.e.svc
        .close_day(&clerk2, day1, &cash(&[("10 元", 2)]), "")
        .unwrap();
    assert!(b.e.svc.days_to_close(&b.chief).unwrap().is_empty());
    // an empty day may be closed too
    b.e.svc
        .close_day(&b.chief, today(&b), &cash(&[]), "")
        .unwrap();
    let range = (day1, today(&b));
    assert_eq!(
        b.e.svc.day_ends(&b.chief, range.0, range.1).unwrap().len(),
        3
    );
    assert_eq!(b.e.svc.day_ends(&aud, range.0, range.1).unwrap().len(), 3);
    let own = b.e.svc.day_ends(&b.clerk, range.0, range.1).unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].cash_counted, yuan("10.00"));
    assert_eq!(own[0].difference, yuan("0.00"));
    assert!(b.e.svc.day_ends(&mgr, range.0, range.1).unwrap().is_empty());
    // area managers and auditors close no day
    for who in [&aud, &mgr] {
        assert!(matches!(
            b.e.svc.close_day(who, today(&b), &cash(&[]), ""),
            Err(stationdesk::service::ServiceError::Denied(_))
        ));
    }
    // the receipts of a day: own only, unless chief or auditor
    assert_eq!(
        b.e.svc
            .receipts_of_day(&b.chief, clerk2.staff_id, day1)
            .unwrap()
            .len(),
        1
    );
    assert!(
        b.e.svc
            .receipts_of_day(&b.clerk, clerk2.staff_id, day1)
            .is_err()
    );
}

//! The check before the confirm dialog (`check_payment`): it refuses what `take_payment`
//! would refuse, at the same field, and writes nothing.
use crate::common::billing_env;

use billing_env::*;
use stationdesk::domain::billing::PayMethod;
use stationdesk::domain::customer::UsageCategory;
use stationdesk::domain::role::Role;
use stationdesk::service::payments::{Payer, cashier_check};

fn field_of<T: std::fmt::Debug>(r: Result<T, stationdesk::service::ServiceError>) -> String {
    let e = r.unwrap_err();
    format!("{}: {}", e.field().unwrap_or("-"), e.message())
}

#[test]
fn the_check_refuses_at_the_field_what_the_payment_would_refuse() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a, "2026-09", 431, "235.60", "2026-10-25")],
    );
    // a transfer without its reference
    let mut req = request(Payer::Customer(c), "100.00", PayMethod::Mobile);
    req.reference = "  ".into();
    let checked = field_of(b.e.svc.check_payment(&b.clerk, &req));
    assert_eq!(checked, "reference: 移动支付须填写参考号");
    assert_eq!(field_of(b.e.svc.take_payment(&b.clerk, &req)), checked);
    // cash handed over below the amount
    let mut req = request(Payer::Customer(c), "100.00", PayMethod::Cash);
    req.tendered = Some(yuan("50"));
    assert_eq!(
        field_of(b.e.svc.check_payment(&b.clerk, &req)),
        "tendered: 实收现金 50.00 元少于收款金额 100.00 元"
    );
    // more than two decimals, zero
    let mut req = request(Payer::Customer(c), "0", PayMethod::Cash);
    assert_eq!(
        field_of(b.e.svc.check_payment(&b.clerk, &req)),
        "amount: 收款金额应大于 0"
    );
    req.amount = yuan("1.005");
    assert_eq!(
        field_of(b.e.svc.check_payment(&b.clerk, &req)),
        "amount: 收款金额最多两位小数（到分）"
    );
    // auditors and area managers look only
    let auditor = account(&mut b.e, &b.chief, "jicha", Role::Auditor);
    let manager = account(&mut b.e, &b.chief, "taiqu1", Role::AreaManager);
    let ok = request(Payer::Customer(c), "300.00", PayMethod::Cash);
    assert!(b.e.svc.check_payment(&auditor, &ok).is_err());
    assert!(b.e.svc.check_payment(&manager, &ok).is_err());
    assert!(cashier_check(&auditor).is_err());
    assert!(cashier_check(&manager).is_err());
    assert!(cashier_check(&b.clerk).is_ok());
    assert_eq!(count(&b.e, "payment"), 0);
}

#[test]
fn a_sound_request_gives_the_preview_with_the_change_and_writes_nothing() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a, "2026-09", 431, "235.60", "2026-10-25")],
    );
    let mut req = request(Payer::Customer(c), "300.00", PayMethod::Cash);
    req.tendered = Some(yuan("500"));
    let checked = b.e.svc.check_payment(&b.clerk, &req).unwrap();
    assert_eq!(checked.change, Some(yuan("200.00")));
    assert_eq!(checked.name, "张三");
    assert_eq!(checked.prepaid_added, yuan("57.33"));
    let preview =
        b.e.svc
            .preview_payment(Payer::Customer(c), yuan("300"), Some(yuan("500")))
            .unwrap();
    assert_eq!(checked, preview);
    // a card payment: no change, the slip number optional
    let card = request(Payer::Customer(c), "242.67", PayMethod::Card);
    let checked = b.e.svc.check_payment(&b.clerk, &card).unwrap();
    assert_eq!(checked.change, None);
    assert_eq!(checked.arrears_after, yuan("0"));
    assert_eq!(count(&b.e, "payment"), 0);
    assert_eq!(count(&b.e, "receipt"), 0);
    // and taking it gives the lines the check showed
    let done = b.e.svc.take_payment(&b.clerk, &req).unwrap();
    let again = b.e.svc.check_payment(&b.clerk, &card);
    assert!(again.is_ok());
    assert_eq!(done.lines, preview.lines);
}

#[test]
fn after_the_day_end_more_money_goes_into_a_second_closing() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a, "2026-09", 431, "235.60", "2026-10-25")],
    );
    pay(&mut b.e, &b.clerk, c, "100.00");
    assert!(b.e.svc.check_day_open(&b.clerk).is_ok());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let mut cash = stationdesk::service::payments::standard_denominations();
    cash[0].pieces = 1;
    b.e.svc.close_day(&b.clerk, today, &cash, "").unwrap();
    // the cashier is not refused for the rest of the day
    assert!(b.e.svc.check_day_open(&b.clerk).is_ok());
    let req = request(Payer::Customer(c), "50.00", PayMethod::Cash);
    assert!(b.e.svc.check_payment(&b.clerk, &req).is_ok());
    assert!(b.e.svc.check_payment(&b.chief, &req).is_ok());
}

#[test]
fn a_payment_above_the_single_payment_limit_is_refused_with_the_limit_named() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a, "2026-09", 431, "235.60", "2026-10-25")],
    );
    // the default limit: 100,000 元 (a clerk who typed 99999999999 is stopped)
    let req = request(Payer::Customer(c), "100000.01", PayMethod::Card);
    let checked = field_of(b.e.svc.check_payment(&b.clerk, &req));
    assert!(
        checked.starts_with("amount: ") && checked.contains("100,000.00"),
        "{checked}"
    );
    assert_eq!(field_of(b.e.svc.take_payment(&b.clerk, &req)), checked);
    // the chief sets it lower; it is the setting that counts
    b.e.svc
        .update_setting(&b.chief, "payment.max_amount", "500")
        .unwrap();
    let req = request(Payer::Customer(c), "500.01", PayMethod::Card);
    assert!(field_of(b.e.svc.check_payment(&b.clerk, &req)).contains("500.00"));
    let req = request(Payer::Customer(c), "500.00", PayMethod::Card);
    assert!(b.e.svc.check_payment(&b.clerk, &req).is_ok());
    // nothing was taken by the refused ones
    assert_eq!(count(&b.e, "payment"), 0);
}

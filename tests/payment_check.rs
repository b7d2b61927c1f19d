//! The check before the confirm dialog (`check_payment`): it refuses what `take_payment`
//! would refuse, at the same field, and writes nothing.
mod billing_env;
mod common;

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

//! The typed boundary seen through the service: a corrupt stored code is an error that
//! names the table and the row, never a default (a payment must not read as cash).
use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::auth::PasswordCost;
use super::payments::{Payer, PaymentRequest};
use super::setup::SetupInput;
use super::{Service, ServiceError, Session};
use crate::domain::billing::PayMethod;
use crate::domain::clock::FixedClock;
use crate::domain::customer::{CustomerKind, UsageCategory};
use crate::domain::customer_file::CustomerDraft;
use crate::store::{Store, StoreError};

/// A station in memory on 2026-11-24 09:00 with its chief signed in, and one customer.
fn station() -> (Service, Session, i64) {
    let store = Store::open_in_memory().unwrap();
    let clock = FixedClock::at(2026, 11, 24, 9, 0);
    let mut svc = Service::new(store, std::env::temp_dir(), Arc::new(clock))
        .with_password_cost(PasswordCost::Light);
    let chief = svc
        .first_run_setup(
            &SetupInput {
                station_name: "王庄供电所".into(),
                station_code: "WZ01".into(),
                station_phone: "0538-8123456".into(),
                chief_username: "suozhang".into(),
                chief_name: "李建国".into(),
                password: "secret99".into(),
                password_again: "secret99".into(),
            },
            false,
        )
        .unwrap();
    let draft = CustomerDraft {
        name: "王小明".into(),
        kind: Some(CustomerKind::Person),
        id_number: "11010519491231002X".into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村3组8号".into(),
        usage: Some(UsageCategory::Residential),
        contracted_kva: "6".into(),
        ..Default::default()
    };
    let customer = svc.create_customer(&chief, &draft, "").unwrap();
    (svc, chief, customer)
}

/// Write `sql` past the schema's guards (CHECK constraints and the no-update triggers), as
/// a damaged file or a hand edit would.
fn corrupt(svc: &Service, sql: &str) {
    let conn = svc.store().conn();
    conn.execute_batch("PRAGMA ignore_check_constraints = ON;")
        .unwrap();
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS payment_no_update;
         DROP TRIGGER IF EXISTS order_no_update;",
    )
    .unwrap();
    conn.execute_batch(sql).unwrap();
}

fn corrupt_message(e: ServiceError) -> String {
    match e {
        ServiceError::Store(StoreError::Corrupt(m)) => m,
        other => panic!("expected a corrupt-data error, got {other:?}"),
    }
}

#[test]
fn a_payment_with_an_unknown_method_is_an_error_naming_the_payment() {
    let (mut svc, chief, customer) = station();
    let done = svc
        .take_payment(
            &chief,
            &PaymentRequest {
                payer: Payer::Customer(customer),
                amount: Decimal::from_str("100").unwrap(),
                method: PayMethod::Card,
                reference: "8812".into(),
                tendered: None,
                request_key: "k1".into(),
            },
        )
        .unwrap();
    assert_eq!(done.method, PayMethod::Card);
    assert!(svc.receipt_view(done.receipt_id).is_ok());

    corrupt(
        &svc,
        &format!(
            "UPDATE payment SET method = 'xx' WHERE id = {}",
            done.payment_id
        ),
    );
    let e = svc.receipt_view(done.receipt_id).unwrap_err();
    let expected = format!("payment {}: 未知的付款方式代码 \"xx\"", done.payment_id);
    assert_eq!(corrupt_message(e), expected);
    // the list of the day and the day end's figures refuse it too, never count it as cash
    let today = svc.now().date();
    let e = svc
        .receipts_of_day(&chief, chief.staff_id, today)
        .unwrap_err();
    assert_eq!(corrupt_message(e), expected);
    let e = svc.day_end_preview(&chief, today).unwrap_err();
    assert!(corrupt_message(e).contains("未知的付款方式代码 \"xx\""));
}

#[test]
fn a_customer_with_an_unknown_usage_is_an_error_naming_the_customer() {
    let (svc, chief, customer) = station();
    assert_eq!(
        svc.customer_file(customer).unwrap().usage_label,
        UsageCategory::Residential.label()
    );
    corrupt(
        &svc,
        &format!("UPDATE customer SET usage_category = 'farm' WHERE id = {customer}"),
    );
    let expected = format!("customer {customer}: 未知的用电类别代码 \"farm\"");
    assert_eq!(
        corrupt_message(svc.customer_file(customer).unwrap_err()),
        expected
    );
    assert_eq!(
        corrupt_message(svc.customer_draft(&chief, customer).unwrap_err()),
        expected
    );
}

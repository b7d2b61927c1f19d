//! Shared set-up of the payment tests: a station with a chief and clerks, customers of
//! each class, bills imported from CSV text, payments with fresh request keys.
#![allow(dead_code)]
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

use rust_decimal::Decimal;
use stationdesk::domain::billing::PayMethod;
use stationdesk::domain::customer::{CustomerKind, UsageCategory};
use stationdesk::domain::customer_file::CustomerDraft;
use stationdesk::domain::role::Role;
use stationdesk::service::Session;
use stationdesk::service::auth::NewAccount;
use stationdesk::service::payments::{
    ImportOutcome, ImportReport, Payer, PaymentDone, PaymentRequest,
};

use crate::common::{self, Env};

pub const ID: &str = "11010519491231002X";
pub const CHIEF_USER: &str = "suozhang";
pub const CHIEF_PASSWORD: &str = "secret99";

pub fn yuan(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

pub struct Bench {
    pub e: Env,
    pub chief: Session,
    pub clerk: Session,
}

/// A station on 2026-11-24 09:00 with its chief and one clerk (`clerk1`).
pub fn bench() -> Bench {
    let (mut e, chief) = common::with_station();
    let clerk = account(&mut e, &chief, "clerk1", Role::Clerk);
    Bench { e, chief, clerk }
}

pub fn account(e: &mut Env, chief: &Session, user: &str, role: Role) -> Session {
    e.svc
        .create_account(
            chief,
            &NewAccount {
                username: user.into(),
                display_name: format!("员工{user}"),
                role: Some(role),
                is_admin: false,
                password: "pass-word1".into(),
                phone: String::new(),
            },
        )
        .unwrap();
    e.svc.sign_in(user, "pass-word1").unwrap()
}

/// A customer of `usage`; returns (id, 户号).
pub fn customer(e: &mut Env, s: &Session, name: &str, usage: UsageCategory) -> (i64, String) {
    let d = CustomerDraft {
        name: name.into(),
        kind: Some(CustomerKind::Person),
        id_number: ID.into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村3组8号".into(),
        usage: Some(usage),
        contracted_kva: "6".into(),
        ..Default::default()
    };
    let id = e.svc.create_customer(s, &d, "").unwrap();
    let account = stationdesk::store::customers::by_id(e.svc.store().conn(), id)
        .unwrap()
        .unwrap()
        .account_no;
    (id, account)
}

/// Import bill lines (`户号,账期,kWh,金额,到期日`, one per entry) through the service.
pub fn import(e: &mut Env, lines: &[String]) -> ImportReport {
    let mut text = String::from("户号,账期,电量kWh,金额,到期日\n");
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    match e
        .svc
        .import_bills(None, "test.csv", text.as_bytes())
        .unwrap()
    {
        ImportOutcome::Imported(r) => r,
        ImportOutcome::Rejected(errors) => panic!("rejected: {errors:?}"),
    }
}

pub fn bill(account: &str, period: &str, kwh: i64, amount: &str, due: &str) -> String {
    format!("{account},{period},{kwh},{amount},{due}")
}

static KEYS: AtomicU64 = AtomicU64::new(1);

pub fn fresh_key() -> String {
    format!("test-{}", KEYS.fetch_add(1, Ordering::Relaxed))
}

pub fn request(payer: Payer, amount: &str, method: PayMethod) -> PaymentRequest {
    PaymentRequest {
        payer,
        amount: yuan(amount),
        method,
        reference: if method == PayMethod::Cash {
            String::new()
        } else {
            "REF123".into()
        },
        tendered: None,
        request_key: fresh_key(),
    }
}

/// Cash from a customer, exactly the amount.
pub fn pay(e: &mut Env, s: &Session, customer_id: i64, amount: &str) -> PaymentDone {
    e.svc
        .take_payment(
            s,
            &request(Payer::Customer(customer_id), amount, PayMethod::Cash),
        )
        .unwrap()
}

/// (label, amount) of each receipt line.
pub fn lines(done: &PaymentDone) -> Vec<(String, String)> {
    done.lines
        .iter()
        .map(|l| (l.label.clone(), l.amount.to_string()))
        .collect()
}

/// Count rows of a table.
pub fn count(e: &Env, table: &str) -> i64 {
    e.svc
        .store()
        .conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

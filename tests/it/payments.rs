//! Taking payments through the service: allocation and late fees end to end (the year
//! boundary, the minimum charge, outages, waivers), business fees, prepaid balance, the
//! double confirm, roles, receipts (view, prints, unprinted after a crash), grades, and
//! the database refusing to edit what was issued.
use crate::common::billing_env;

use billing_env::*;
use chrono::NaiveDate;
use stationdesk::domain::billing::{PayMethod, PaymentGrade};
use stationdesk::domain::customer::UsageCategory;
use stationdesk::domain::role::Role;
use stationdesk::domain::work_order::{Document, RequestKind, Stage};
use stationdesk::service::ServiceError;
use stationdesk::service::orders::{AcceptRequest, Applicant};
use stationdesk::service::payments::Payer;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn s(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn oldest_bill_first_late_fee_before_principal_change_and_prepaid() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[
            bill(&a, "2026-09", 431, "235.60", "2026-10-25"),
            bill(&a, "2026-10", 180, "100.00", "2026-11-25"),
        ],
    );
    // 2026-11-24: the September bill is 30 days overdue: 235.60 × 1‰ × 30 = 7.068 → 7.07
    let acc = b.e.svc.customer_account(c).unwrap();
    assert_eq!(acc.bills.len(), 2);
    assert_eq!(acc.bills[0].days_overdue, 30);
    assert_eq!(acc.bills[0].late_fee, yuan("7.07"));
    assert_eq!(acc.bills[1].days_overdue, 0);
    assert_eq!(acc.bills[1].late_fee, yuan("0"));
    assert_eq!(acc.principal_owed, yuan("335.60"));
    assert_eq!(acc.late_fees, yuan("7.07"));
    assert_eq!(acc.total_owed, yuan("342.67"));
    assert_eq!(acc.to_pay, yuan("342.67"));
    assert!(acc.residential);
    // the confirm dialog's preview writes nothing
    let preview =
        b.e.svc
            .preview_payment(Payer::Customer(c), yuan("300"), Some(yuan("500")))
            .unwrap();
    assert_eq!(preview.change, Some(yuan("200.00")));
    assert_eq!(preview.arrears_after, yuan("42.67"));
    assert_eq!(count(&b.e, "payment"), 0);
    // 300 in cash, 500 handed over
    let mut req = request(Payer::Customer(c), "300.00", PayMethod::Cash);
    req.tendered = Some(yuan("500"));
    let done = b.e.svc.take_payment(&b.clerk, &req).unwrap();
    assert_eq!(
        lines(&done),
        s(&[
            ("2026年9月违约金", "7.07"),
            ("2026年9月电费", "235.60"),
            ("2026年10月电费", "57.33"),
        ])
    );
    assert_eq!(done.lines[0].detail, "逾期30天，应计7.07");
    assert_eq!(done.lines[1].detail, "431 kWh");
    // issue 18: a line paying part of a bill does not print the whole bill's kWh as if
    // this amount bought them
    assert_eq!(done.lines[2].detail, "部分（账单 100.00 元，180 kWh）");
    assert_eq!(done.change, Some(yuan("200.00")));
    assert_eq!(done.arrears_after, yuan("42.67"));
    assert_eq!(done.prepaid_after, yuan("0"));
    assert_eq!(done.receipt_no, "SJ2026000001");
    assert!(!done.replayed);
    assert_eq!(preview.lines, done.lines);
    // the rest and a little more: the surplus is prepaid
    let done = pay(&mut b.e, &b.clerk, c, "50.00");
    assert_eq!(
        lines(&done),
        s(&[("2026年10月电费", "42.67"), ("预收电费", "7.33")])
    );
    assert_eq!(done.receipt_no, "SJ2026000002");
    let acc = b.e.svc.customer_account(c).unwrap();
    assert!(acc.bills.is_empty());
    assert_eq!(acc.prepaid, yuan("7.33"));
    assert_eq!(acc.to_pay, yuan("0"));
    assert!(b.e.svc.verify().unwrap().ok());
}

#[test]
fn non_residential_year_boundary_and_the_minimum_charge_end_to_end() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "王庄面粉厂", UsageCategory::Commercial);
    let (r, ra) = customer(&mut b.e, &b.chief, "李四", UsageCategory::Residential);
    import(
        &mut b.e,
        &[
            bill(&a, "2025-11", 1500, "1000.00", "2025-12-25"),
            bill(&ra, "2025-11", 120, "80.00", "2026-01-05"),
        ],
    );
    b.e.clock
        .set(day("2026-01-10").and_hms_opt(9, 0, 0).unwrap());
    // 6 days of 2025 at 2‰ (12.00) + 10 days of 2026 at 3‰ (30.00)
    let acc = b.e.svc.customer_account(c).unwrap();
    assert!(!acc.residential);
    assert_eq!(acc.bills[0].late_fee, yuan("42.00"));
    let done = pay(&mut b.e, &b.clerk, c, "1042.00");
    assert_eq!(
        lines(&done),
        s(&[("2025年11月违约金", "42.00"), ("2025年11月电费", "1000.00")])
    );
    // a new year: receipt numbers start again at 1
    assert_eq!(done.receipt_no, "SJ2026000001");
    // residential 80.00, 5 days: 0.40 → the minimum 1.00
    let acc = b.e.svc.customer_account(r).unwrap();
    assert_eq!(acc.bills[0].late_fee, yuan("1.00"));
    b.e.svc
        .update_setting(&b.chief, "penalty.min_charge_enabled", "否")
        .unwrap();
    assert_eq!(
        b.e.svc.customer_account(r).unwrap().bills[0].late_fee,
        yuan("0.40")
    );
    // principal first when the setting says so
    b.e.svc
        .update_setting(&b.chief, "payment.late_fee_first", "否")
        .unwrap();
    let done = pay(&mut b.e, &b.clerk, r, "80.20");
    assert_eq!(
        lines(&done),
        s(&[("2025年11月电费", "80.00"), ("2025年11月违约金", "0.20")])
    );
    let acc = b.e.svc.customer_account(r).unwrap();
    assert_eq!(acc.bills.len(), 1);
    assert_eq!(acc.bills[0].owed, yuan("0"));
    assert_eq!(acc.bills[0].late_fee, yuan("0.20"));
    // no principal owed: the late fee does not grow
    b.e.clock
        .set(day("2026-03-01").and_hms_opt(9, 0, 0).unwrap());
    assert_eq!(
        b.e.svc.customer_account(r).unwrap().bills[0].late_fee,
        yuan("0.20")
    );
}

#[test]
fn outages_and_waivers_are_the_chiefs_and_lower_the_fee() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a, "2026-09", 431, "235.60", "2026-10-25")],
    );
    assert_eq!(
        b.e.svc.customer_account(c).unwrap().bills[0].late_fee,
        yuan("7.07")
    );
    assert!(matches!(
        b.e.svc
            .declare_outage(&b.clerk, day("2026-10-28"), day("2026-11-03"), "系统切换"),
        Err(ServiceError::Denied(_))
    ));
    assert_eq!(
        b.e.svc
            .declare_outage(&b.chief, day("2026-11-03"), day("2026-10-28"), "系统切换")
            .unwrap_err()
            .field(),
        Some("to")
    );
    assert_eq!(
        b.e.svc
            .declare_outage(&b.chief, day("2026-10-28"), day("2026-11-03"), " ")
            .unwrap_err()
            .field(),
        Some("reason")
    );
    b.e.svc
        .declare_outage(
            &b.chief,
            day("2026-10-28"),
            day("2026-11-03"),
            "营销系统切换",
        )
        .unwrap();
    // 23 days instead of 30: 5.4188 → 5.42
    let acc = b.e.svc.customer_account(c).unwrap();
    assert_eq!(acc.bills[0].late_fee, yuan("5.42"));
    assert_eq!(b.e.svc.outage_periods().unwrap().len(), 1);
    let bill_id = acc.bills[0].bill_id;
    assert!(matches!(
        b.e.svc.waive_late_fee(&b.clerk, bill_id, "困难户"),
        Err(ServiceError::Denied(_))
    ));
    assert_eq!(
        b.e.svc
            .waive_late_fee(&b.chief, bill_id, "")
            .unwrap_err()
            .field(),
        Some("reason")
    );
    b.e.svc
        .waive_late_fee(&b.chief, bill_id, "低保户，经所长批准")
        .unwrap();
    let acc = b.e.svc.customer_account(c).unwrap();
    assert_eq!(acc.bills[0].late_fee, yuan("0"));
    assert!(acc.bills[0].late_fee_waived);
    let entry = &stationdesk::store::audit::recent(b.e.svc.store().conn(), 1, 0).unwrap()[0];
    assert_eq!(entry.action, "bill.waive_late_fee");
    assert!(entry.changes.contains("5.42"), "{}", entry.changes);
    assert!(b.e.svc.waive_late_fee(&b.chief, bill_id, "again").is_err());
    let done = pay(&mut b.e, &b.clerk, c, "235.60");
    assert_eq!(lines(&done), s(&[("2026年9月电费", "235.60")]));
}

#[test]
fn a_double_confirm_takes_one_payment() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a, "2026-10", 180, "100.00", "2026-11-25")],
    );
    let req = request(Payer::Customer(c), "100.00", PayMethod::Mobile);
    let first = b.e.svc.take_payment(&b.clerk, &req).unwrap();
    let second = b.e.svc.take_payment(&b.clerk, &req).unwrap();
    assert!(!first.replayed);
    assert!(second.replayed);
    assert_eq!(first.receipt_no, second.receipt_no);
    assert_eq!(first.payment_id, second.payment_id);
    assert_eq!(first.lines, second.lines);
    assert_eq!(count(&b.e, "payment"), 1);
    assert_eq!(count(&b.e, "receipt"), 1);
    // the same key with another amount is a mistake, not a new payment
    let mut other = req.clone();
    other.amount = yuan("50");
    let err = b.e.svc.take_payment(&b.clerk, &other).unwrap_err();
    assert!(err.message().contains("已经收过款"), "{}", err.message());
    assert_eq!(count(&b.e, "payment"), 1);
}

#[test]
fn bad_input_and_roles() {
    let mut b = bench();
    let (c, _) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    let field = |r: Result<_, ServiceError>| r.map(|_| ()).unwrap_err().field();
    let mut req = request(Payer::Customer(c), "0", PayMethod::Cash);
    assert_eq!(field(b.e.svc.take_payment(&b.clerk, &req)), Some("amount"));
    req.amount = yuan("1.234");
    assert_eq!(field(b.e.svc.take_payment(&b.clerk, &req)), Some("amount"));
    req.amount = yuan("10");
    req.tendered = Some(yuan("5"));
    assert_eq!(
        field(b.e.svc.take_payment(&b.clerk, &req)),
        Some("tendered")
    );
    let mut req = request(Payer::Customer(c), "10", PayMethod::Mobile);
    req.reference = " ".into();
    assert_eq!(
        field(b.e.svc.take_payment(&b.clerk, &req)),
        Some("reference")
    );
    let mut req = request(Payer::Customer(c), "10", PayMethod::Card);
    req.tendered = Some(yuan("10"));
    assert_eq!(
        field(b.e.svc.take_payment(&b.clerk, &req)),
        Some("tendered")
    );
    req.request_key = String::new();
    req.tendered = None;
    assert_eq!(
        field(b.e.svc.take_payment(&b.clerk, &req)),
        Some("request_key")
    );
    // area managers and auditors read the account but take no money
    let mgr = account(&mut b.e, &b.chief, "mgr1", Role::AreaManager);
    let aud = account(&mut b.e, &b.chief, "aud1", Role::Auditor);
    for who in [&mgr, &aud] {
        let r =
            b.e.svc
                .take_payment(who, &request(Payer::Customer(c), "10", PayMethod::Cash));
        assert!(matches!(r, Err(ServiceError::Denied(_))), "{r:?}");
        assert!(b.e.svc.customer_account(c).is_ok());
    }
    assert_eq!(count(&b.e, "payment"), 0);
    // a card payment without a slip number is fine
    let mut req = request(Payer::Customer(c), "10", PayMethod::Card);
    req.reference = String::new();
    b.e.svc.take_payment(&b.chief, &req).unwrap();
}

fn new_connection(b: &mut Bench, customer_id: Option<i64>) -> i64 {
    let mut r = AcceptRequest::new(RequestKind::NewConnection);
    r.class = Some(stationdesk::domain::work_order::ConnectionClass::LvResidential);
    r.received = vec![Document::IdProof, Document::PropertyProof];
    match customer_id {
        Some(c) => {
            r.kind = RequestKind::Relocate;
            r.customer_id = Some(c);
            r.class = None;
        }
        None => {
            r.applicant = Some(Applicant {
                name: "王小明".into(),
                id_number: ID.into(),
                phone: "13800001234".into(),
                address: "柳林镇王庄村3组9号".into(),
            });
        }
    }
    b.e.svc.accept_request(&b.clerk, &r).unwrap().id
}

#[test]
fn business_fees_after_the_bills_and_never_before_the_survey() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a, "2026-10", 180, "100.00", "2026-11-25")],
    );
    let order = new_connection(&mut b, Some(c));
    let fee =
        b.e.svc
            .add_fee(&b.clerk, order, "迁址工程费", yuan("120.50"))
            .unwrap();
    // before the survey: shown, not collected
    let acc = b.e.svc.customer_account(c).unwrap();
    assert_eq!(acc.fees.len(), 1);
    assert!(!acc.fees[0].collectible);
    assert!(acc.fees[0].note.contains("现场勘查"));
    assert_eq!(acc.total_owed, yuan("100.00"));
    let done = pay(&mut b.e, &b.clerk, c, "150.00");
    assert_eq!(
        lines(&done),
        s(&[("2026年10月电费", "100.00"), ("预收电费", "50.00")])
    );
    let stages = b.e.svc.order(order).unwrap().stages;
    assert!(stages.iter().any(|st| st.stage == Stage::Survey));
    b.e.svc
        .complete_stage(&b.clerk, order, Stage::Survey, "可迁址")
        .unwrap();
    // after it: money pays the fee; the prepaid balance does not (it is for electricity)
    let acc = b.e.svc.customer_account(c).unwrap();
    assert!(acc.fees[0].collectible);
    assert_eq!(acc.to_pay, yuan("120.50"));
    let done = pay(&mut b.e, &b.clerk, c, "100.00");
    assert_eq!(lines(&done), s(&[("业务费（迁址工程费）", "100.00")]));
    assert!(!b.e.svc.order(order).unwrap().fees[0].collected);
    let done = pay(&mut b.e, &b.clerk, c, "20.50");
    assert_eq!(done.lines[0].amount, yuan("20.50"));
    let o = b.e.svc.order(order).unwrap();
    assert!(o.fees[0].collected);
    assert_eq!(o.fees[0].id, fee);
    assert!(
        o.events
            .iter()
            .any(|ev| ev.action == "fee_collect" && ev.detail.contains("部分"))
    );
    assert_eq!(b.e.svc.customer_account(c).unwrap().prepaid, yuan("50.00"));
}

#[test]
fn an_applicant_pays_the_orders_fees_and_no_more() {
    let mut b = bench();
    let order = new_connection(&mut b, None);
    b.e.svc
        .add_fee(&b.clerk, order, "表计费", yuan("80.00"))
        .unwrap();
    let before_survey = b.e.svc.take_payment(
        &b.clerk,
        &request(Payer::Order(order), "80", PayMethod::Cash),
    );
    assert!(
        before_survey.unwrap_err().message().contains("现场勘查"),
        "no money before the survey"
    );
    b.e.svc
        .complete_stage(&b.clerk, order, Stage::Survey, "")
        .unwrap();
    let too_much =
        b.e.svc
            .take_payment(
                &b.clerk,
                &request(Payer::Order(order), "100", PayMethod::Cash),
            )
            .unwrap_err();
    assert_eq!(too_much.field(), Some("amount"));
    assert!(too_much.message().contains("80.00"));
    let done =
        b.e.svc
            .take_payment(
                &b.clerk,
                &request(Payer::Order(order), "80", PayMethod::Cash),
            )
            .unwrap();
    assert_eq!(lines(&done), s(&[("业务费（表计费）", "80.00")]));
    let view = b.e.svc.receipt_view(done.receipt_id).unwrap();
    assert_eq!(view.customer_name, "王小明");
    assert_eq!(view.account_no, "");
    assert!(b.e.svc.order(order).unwrap().fees[0].collected);
}

#[test]
fn receipt_view_prints_reprints_and_the_unprinted_after_a_crash() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a, "2026-10", 180, "100.00", "2026-11-25")],
    );
    let mut req = request(Payer::Customer(c), "100.00", PayMethod::Mobile);
    req.reference = "4200001234".into();
    let done = b.e.svc.take_payment(&b.clerk, &req).unwrap();
    let v = b.e.svc.receipt_view(done.receipt_id).unwrap();
    assert_eq!(v.station_name, "王庄供电所");
    assert_eq!(v.receipt_no, "SJ2026000001");
    assert_eq!(v.account_no, a);
    assert_eq!(v.customer_name, "张三");
    assert_eq!(v.total, yuan("100.00"));
    assert_eq!(v.method, "移动支付（参考号 4200001234）");
    assert_eq!(v.tendered, None);
    assert_eq!(v.cashier, "员工clerk1");
    assert_eq!(v.lines.len(), 1);
    assert_eq!(v.reprint, 0);
    assert_eq!(v.void, None);
    assert_eq!(v.paper, b.e.svc.paper().unwrap());
    b.e.svc
        .update_setting(&b.chief, "print.receipt_paper", "roll80")
        .unwrap();
    assert_eq!(
        b.e.svc.receipt_view(done.receipt_id).unwrap().paper,
        stationdesk::print::Paper::Roll80
    );
    // committed but not printed (the program died): offered to its cashier and the chief
    let offered = b.e.svc.unprinted_receipts(&b.clerk).unwrap();
    assert_eq!(offered.len(), 1);
    assert_eq!(offered[0].receipt_no, "SJ2026000001");
    assert_eq!(offered[0].prints, 0);
    assert_eq!(b.e.svc.unprinted_receipts(&b.chief).unwrap().len(), 1);
    let other = account(&mut b.e, &b.chief, "clerk2", Role::Clerk);
    assert!(b.e.svc.unprinted_receipts(&other).unwrap().is_empty());
    // printed at the next start: 补打 (1), then reprints count on
    assert_eq!(
        b.e.svc
            .record_recovered_receipt_print(&b.clerk, done.receipt_id)
            .unwrap(),
        1
    );
    assert!(b.e.svc.unprinted_receipts(&b.clerk).unwrap().is_empty());
    let v =
        b.e.svc
            .receipt_for_print(&b.clerk, done.receipt_id, false)
            .unwrap();
    assert_eq!(v.reprint, 2);
    // an ordinary first print is 0, the next ones 1, 2
    let second = pay(&mut b.e, &b.clerk, c, "5.00");
    assert_eq!(
        b.e.svc
            .record_receipt_print(&b.clerk, second.receipt_id)
            .unwrap(),
        0
    );
    assert_eq!(
        b.e.svc
            .record_receipt_print(&b.clerk, second.receipt_id)
            .unwrap(),
        1
    );
    let aud = account(&mut b.e, &b.chief, "aud1", Role::Auditor);
    assert!(matches!(
        b.e.svc.record_receipt_print(&aud, second.receipt_id),
        Err(ServiceError::Denied(_))
    ));
    let entries = stationdesk::store::audit::recent(b.e.svc.store().conn(), 50, 0).unwrap();
    let reprints = entries
        .iter()
        .filter(|x| x.action == "receipt.reprint")
        .count();
    assert_eq!(reprints, 3);
    assert_eq!(
        b.e.svc.find_receipt("sj2026000002").unwrap().receipt_id,
        second.receipt_id
    );
    assert_eq!(b.e.svc.customer_receipts(c, 10).unwrap().len(), 2);
}

#[test]
fn payment_grades_from_the_last_twelve_months() {
    let mut b = bench();
    let mut make = |name: &str| customer(&mut b.e, &b.chief, name, UsageCategory::Residential);
    let on_time = make("按时");
    let late = make("逾期");
    let always = make("欠费");
    let prepaid = make("预付");
    // twelve monthly bills 2025-11 … 2026-10 for each, due the 25th of the next month
    let first = stationdesk::domain::billing::Period::parse("2025-11").unwrap();
    let mut rows = Vec::new();
    for i in 0..12 {
        let p = first.plus(i);
        let due = format!("{}-25", p.next());
        for (_, a) in [&on_time, &late, &always, &prepaid] {
            rows.push(bill(a, &p.to_string(), 100, "50.00", &due));
        }
    }
    b.e.clock
        .set(day("2025-11-01").and_hms_opt(8, 0, 0).unwrap());
    // a year of bills ahead of time: the chief widens the import window for it
    b.e.svc
        .update_setting(&b.chief, "import.period_future_months", "12")
        .unwrap();
    import(&mut b.e, &rows);
    // walk through the year: pay on the due date, or late, or not at all
    for i in 0..12 {
        let due = first.plus(i).next().first_day() + chrono::Duration::days(24);
        b.e.clock.set(due.and_hms_opt(10, 0, 0).unwrap());
        pay(&mut b.e, &b.clerk, on_time.0, "50.00");
        pay(&mut b.e, &b.clerk, prepaid.0, "50.00");
        if i == 2 || i == 6 {
            b.e.clock.set(
                (due + chrono::Duration::days(3))
                    .and_hms_opt(10, 0, 0)
                    .unwrap(),
            );
            // the overdue bill with its late fee (the later bills are not due yet)
            let acc = b.e.svc.customer_account(late.0).unwrap();
            let owed = acc.bills[0].owed + acc.bills[0].late_fee;
            assert_eq!(owed, yuan("51.00"), "3 days × 0.05 → the minimum 1.00");
            pay(&mut b.e, &b.clerk, late.0, &owed.to_string());
        } else {
            pay(&mut b.e, &b.clerk, late.0, "50.00");
        }
    }
    b.e.clock
        .set(day("2026-11-24").and_hms_opt(9, 0, 0).unwrap());
    pay(&mut b.e, &b.clerk, prepaid.0, "200.00");
    let grade = |b: &Bench, c: i64| b.e.svc.customer_account(c).unwrap().grade;
    // the 2026-10 bill falls due 2026-11-25: not judged yet
    assert_eq!(grade(&b, on_time.0), PaymentGrade::OnTime);
    assert_eq!(grade(&b, late.0), PaymentGrade::OftenLate);
    assert_eq!(grade(&b, always.0), PaymentGrade::AlwaysInArrears);
    assert_eq!(grade(&b, prepaid.0), PaymentGrade::Prepaid);
    assert_eq!(b.e.svc.payment_grade(always.0).unwrap().label(), "每月欠费");
}

#[test]
fn the_database_refuses_to_edit_or_delete_what_was_issued() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a, "2026-10", 180, "100.00", "2026-11-25")],
    );
    let done = pay(&mut b.e, &b.clerk, c, "120.00");
    let conn = b.e.svc.store().conn();
    for sql in [
        "UPDATE receipt SET arrears_after_fen = 0",
        "DELETE FROM receipt",
        "UPDATE payment SET amount_fen = 1",
        "DELETE FROM payment",
        "UPDATE allocation SET amount_fen = 1",
        "DELETE FROM allocation",
        "UPDATE bill SET amount_fen = 1",
        "DELETE FROM bill",
    ] {
        assert!(conn.execute(sql, []).is_err(), "{sql} must be refused");
    }
    // a receipt out of sequence, or for a payment whose lines do not add up
    assert!(
        conn.execute(
            "INSERT INTO payment (customer_id, amount_fen, method, cashier_id, at, business_date, request_key)
             VALUES (?1, 500, 'cash', ?2, '2026-11-24 10:00:00', '2026-11-24', 'manual')",
            rusqlite::params![c, b.clerk.staff_id],
        )
        .is_ok()
    );
    let pid = conn.last_insert_rowid();
    assert!(
        conn.execute(
            "INSERT INTO receipt (receipt_no, year, seq, payment_id, issued_at, prepaid_after_fen, arrears_after_fen)
             VALUES ('SJ2026000002', 2026, 2, ?1, '2026-11-24 10:00:00', 0, 0)",
            [pid],
        )
        .is_err(),
        "no allocation lines"
    );
    conn.execute(
        "INSERT INTO allocation (payment_id, pos, kind, customer_id, amount_fen) VALUES (?1, 0, 'prepaid_add', ?2, 500)",
        rusqlite::params![pid, c],
    )
    .unwrap();
    assert!(
        conn.execute(
            "INSERT INTO receipt (receipt_no, year, seq, payment_id, issued_at, prepaid_after_fen, arrears_after_fen)
             VALUES ('SJ2026000003', 2026, 3, ?1, '2026-11-24 10:00:00', 0, 0)",
            [pid],
        )
        .is_err(),
        "a gap in the numbers"
    );
    assert_eq!(done.receipt_no, "SJ2026000001");
}

#[test]
fn a_clock_set_back_never_gives_a_receipt_an_earlier_time_and_the_chief_is_told() {
    let mut b = bench();
    let (c, _) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    let first = pay(&mut b.e, &b.clerk, c, "10.00");
    let first_at = b.e.svc.receipt_view(first.receipt_id).unwrap().issued_at;
    // someone sets the PC clock back two hours
    b.e.clock.advance(chrono::Duration::hours(-2));
    let second = pay(&mut b.e, &b.clerk, c, "20.00");
    let v = b.e.svc.receipt_view(second.receipt_id).unwrap();
    assert_eq!(v.issued_at, first_at, "not earlier than its predecessor");
    assert_eq!(v.receipt_no, "SJ2026000002");
    let e = stationdesk::store::audit::recent(b.e.svc.store().conn(), 10, 0).unwrap();
    let behind = e
        .iter()
        .find(|x| x.action == "clock.behind")
        .expect("logged");
    assert!(
        behind.changes.contains("2026-11-24 07:00:00"),
        "{}",
        behind.changes
    );
    let notes = b.e.svc.dashboard().unwrap().chief_notes;
    assert!(
        notes
            .iter()
            .any(|n| n.contains("电脑时钟曾慢于上一张收据 1 次")),
        "{notes:?}"
    );
    assert!(b.e.svc.verify().unwrap().ok());
}

#[test]
fn a_print_that_failed_is_recorded_as_a_failure_not_as_printed() {
    let mut b = bench();
    let (c, _) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    let done = pay(&mut b.e, &b.clerk, c, "10.00");
    // the print folder cannot be made: the print fails
    let blocker = b.e.dir.path().join("a-file");
    std::fs::write(&blocker, "x").unwrap();
    b.e.svc
        .update_setting(
            &b.chief,
            "print.folder",
            blocker.join("print").to_str().unwrap(),
        )
        .unwrap();
    let err =
        b.e.svc
            .print_receipt(&b.clerk, done.receipt_id, false)
            .unwrap_err();
    assert!(err.message().contains("打印文件夹"), "{}", err.message());
    assert_eq!(count(&b.e, "receipt_print"), 0, "not recorded as printed");
    let offered = b.e.svc.unprinted_receipts(&b.clerk).unwrap();
    assert_eq!(offered.len(), 1, "still offered at sign-in");
    let e = stationdesk::store::audit::recent(b.e.svc.store().conn(), 1, 0).unwrap();
    assert_eq!(e[0].action, "print.failed");
    assert!(e[0].changes.contains("打印文件夹"), "{}", e[0].changes);
    // once the folder is right, the first print that succeeds is the first print
    b.e.svc
        .update_setting(&b.chief, "print.folder", "")
        .unwrap();
    let out =
        b.e.svc
            .print_receipt(&b.clerk, done.receipt_id, false)
            .unwrap();
    assert!(!out.path.display().to_string().contains("补打"));
    assert_eq!(count(&b.e, "receipt_print"), 1);
    assert!(b.e.svc.unprinted_receipts(&b.clerk).unwrap().is_empty());
    // a reprint is numbered 1
    let out =
        b.e.svc
            .print_receipt(&b.clerk, done.receipt_id, false)
            .unwrap();
    assert!(
        out.path.display().to_string().contains("补打1"),
        "{}",
        out.path.display()
    );
    assert!(b.e.svc.verify().unwrap().ok());
}

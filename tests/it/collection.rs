//! Collection of arrears (issue 15): the arrears list on fixed data against the counter's
//! own account figures, marks, reminder and disconnection notices (PDF text read back),
//! the disconnection rules (notice period, quota, outage) and the 复电 order after payment.
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use stationdesk::domain::customer::{CustomerKind, UsageCategory};
use stationdesk::domain::customer_file::CustomerDraft;
use stationdesk::domain::role::Role;
use stationdesk::domain::work_order::RequestKind;
use stationdesk::service::Session;
use stationdesk::service::areas::AreaInput;
use stationdesk::service::collection::{ArrearsFilter, ArrearsRow, ReminderScope};

use crate::common::billing_env::{self, Bench, bill, count, import, pay, yuan};

fn at(m: u32, d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, m, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap()
}

fn pdf_text(path: &std::path::Path) -> String {
    let doc = lopdf::Document::load(path).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap().replace('\n', "")
}

struct Station {
    b: Bench,
    reader: Session,
    area: i64,
    /// 张三 (residential, two overdue bills), 李四 (commercial, one), 王五 (residential,
    /// part paid), 赵六 (paid in full), 钱七 (bill not yet due)
    ids: [i64; 5],
}

fn customer(b: &mut Bench, name: &str, usage: UsageCategory, area: &str) -> (i64, String) {
    let d = CustomerDraft {
        name: name.into(),
        kind: Some(CustomerKind::Person),
        id_number: billing_env::ID.into(),
        phone: "13800001234".into(),
        address: format!("柳林镇王庄村{name}家"),
        usage: Some(usage),
        area_code: area.into(),
        contracted_kva: "6".into(),
        ..Default::default()
    };
    let id = b.e.svc.create_customer(&b.chief, &d, "").unwrap();
    let account = stationdesk::store::customers::by_id(b.e.svc.store().conn(), id)
        .unwrap()
        .unwrap()
        .account_no;
    (id, account)
}

/// A station on 2026-11-24 09:00 with 台区 TQ001 read by `taiqu1` and five customers.
fn station() -> Station {
    let mut b = billing_env::bench();
    let reader = billing_env::account(&mut b.e, &b.chief, "taiqu1", Role::AreaManager);
    b.e.svc
        .create_area(
            &b.chief,
            &AreaInput {
                code: "TQ001".into(),
                name: "王庄1号台区".into(),
                capacity_kva: "400".into(),
                manager: "taiqu1".into(),
                active: true,
                area_type: None,
            },
        )
        .unwrap();
    let area = stationdesk::store::customers::area_by_code(b.e.svc.store().conn(), "TQ001")
        .unwrap()
        .unwrap()
        .0;
    let (a, an) = customer(&mut b, "张三", UsageCategory::Residential, "TQ001");
    let (l, ln) = customer(&mut b, "李四", UsageCategory::Commercial, "TQ001");
    let (w, wn) = customer(&mut b, "王五", UsageCategory::Residential, "TQ001");
    let (z, zn) = customer(&mut b, "赵六", UsageCategory::Residential, "TQ001");
    let (q, qn) = customer(&mut b, "钱七", UsageCategory::Residential, "");
    import(
        &mut b.e,
        &[
            bill(&an, "2026-09", 180, "100.00", "2026-10-15"),
            bill(&an, "2026-10", 90, "50.00", "2026-11-15"),
            bill(&ln, "2026-09", 300, "200.00", "2026-10-01"),
            bill(&wn, "2026-09", 180, "100.00", "2026-10-15"),
            bill(&zn, "2026-09", 180, "80.00", "2026-10-15"),
            bill(&qn, "2026-11", 180, "60.00", "2026-12-15"),
        ],
    );
    // 王五 paid 60.00 on Nov 1 (late by 17 days), 赵六 everything
    b.e.clock.set(at(11, 1, 10));
    pay(&mut b.e, &b.clerk, w, "60.00");
    b.e.clock.set(at(11, 24, 9));
    let to_pay = b.e.svc.customer_account(z).unwrap().to_pay;
    pay(&mut b.e, &b.clerk, z, &to_pay.to_string());
    Station {
        b,
        reader,
        area,
        ids: [a, l, w, z, q],
    }
}

fn row(list: &[ArrearsRow], id: i64) -> &ArrearsRow {
    list.iter()
        .find(|r| r.customer_id == id)
        .expect("in the list")
}

#[test]
fn the_arrears_list_has_the_counters_figures_on_fixed_data() {
    let s = station();
    let [a, l, w, z, q] = s.ids;
    let list = s.b.e.svc.arrears_list(&ArrearsFilter::default()).unwrap();
    let ids: Vec<i64> = list.rows.iter().map(|r| r.customer_id).collect();
    // most overdue first: 李四 (54 days), then 张三 and 王五 (40 days, by 户号)
    assert_eq!(
        ids,
        vec![l, a, w],
        "paid ({z}) and not yet due ({q}) are not arrears"
    );
    let r = row(&list.rows, a);
    assert_eq!(r.principal, yuan("150.00"));
    assert_eq!(r.days_overdue, 40);
    assert_eq!(r.area_name, "王庄1号台区");
    assert_eq!(r.reader_name, "员工taiqu1");
    // 100.00 × 1‰ × 40 days = 4.00; 50.00 × 1‰ × 9 = 0.45, raised to the 1 元 minimum
    assert_eq!(r.bills[0].late_fee, yuan("4.00"));
    assert_eq!(r.bills[1].late_fee, yuan("1.00"));
    assert_eq!(r.late_fee, yuan("5.00"));
    // commercial: 200.00 × 2‰ × 54 = 21.60
    assert_eq!(row(&list.rows, l).late_fee, yuan("21.60"));
    // every row equals the customer's account at the counter (all their bills are overdue)
    for r in &list.rows {
        let acc = s.b.e.svc.customer_account(r.customer_id).unwrap();
        assert_eq!(r.principal, acc.principal_owed, "{}", r.name);
        assert_eq!(r.late_fee, acc.late_fees, "{}", r.name);
    }
    // 王五: part paid (principal first after the late fee of that day), the rest accrues
    let rw = row(&list.rows, w);
    assert!(rw.principal > Decimal::ZERO && rw.principal < yuan("100.00"));
    assert_eq!(list.principal, list.rows.iter().map(|r| r.principal).sum());
    // filters: the 台区 and the reader
    let by_area =
        s.b.e
            .svc
            .arrears_list(&ArrearsFilter {
                area_id: Some(s.area),
                ..Default::default()
            })
            .unwrap();
    assert_eq!(by_area.rows, list.rows);
    let by_reader =
        s.b.e
            .svc
            .arrears_list(&ArrearsFilter {
                reader_id: Some(s.reader.staff_id),
                ..Default::default()
            })
            .unwrap();
    assert_eq!(by_reader.rows.len(), 3);
    let nobody =
        s.b.e
            .svc
            .arrears_list(&ArrearsFilter {
                reader_id: Some(s.b.clerk.staff_id),
                ..Default::default()
            })
            .unwrap();
    assert!(nobody.rows.is_empty());
    // past the 30-day cut-off: all three (54 and 40 days)
    assert!(list.rows.iter().all(|r| r.candidate));
    let grades = s.b.e.svc.arrears_grades(&[a]).unwrap();
    assert_eq!(grades[&a], s.b.e.svc.payment_grade(a).unwrap());
}

#[test]
fn a_voided_payment_leaves_the_bill_in_arrears() {
    let mut s = station();
    let [a, ..] = s.ids;
    let before = s.b.e.svc.customer_arrears(a).unwrap().unwrap();
    let done = pay(&mut s.b.e, &s.b.clerk, a, &before.total().to_string());
    assert!(s.b.e.svc.customer_arrears(a).unwrap().is_none(), "paid");
    s.b.e
        .svc
        .void_receipt(
            &s.b.clerk,
            done.receipt_id,
            billing_env::CHIEF_USER,
            billing_env::CHIEF_PASSWORD,
            "收错客户",
        )
        .unwrap();
    let after = s.b.e.svc.customer_arrears(a).unwrap().expect("owed again");
    assert_eq!(after.principal, before.principal);
    assert_eq!(after.late_fee, before.late_fee);
}

#[test]
fn arrears_are_marked_deliberate_or_not_and_auditors_only_read() {
    let mut s = station();
    let [a, l, ..] = s.ids;
    s.b.e
        .svc
        .mark_arrears(&s.reader, a, true, "多次上门催缴拒不缴费")
        .unwrap();
    s.b.e
        .svc
        .mark_arrears(&s.reader, l, true, "外出务工")
        .unwrap();
    s.b.e
        .svc
        .mark_arrears(&s.b.chief, l, false, "外出务工，已电话联系")
        .unwrap();
    let err =
        s.b.e
            .svc
            .mark_arrears(&s.reader, a, true, "  ")
            .unwrap_err();
    assert!(
        err.message().contains("请填写认定依据"),
        "{}",
        err.message()
    );
    let auditor = billing_env::account(&mut s.b.e, &s.b.chief, "jicha", Role::Auditor);
    let err = s.b.e.svc.mark_arrears(&auditor, a, false, "x").unwrap_err();
    assert!(err.message().contains("只能查看"), "{}", err.message());
    let list =
        s.b.e
            .svc
            .arrears_list(&ArrearsFilter {
                deliberate_only: true,
                ..Default::default()
            })
            .unwrap();
    assert_eq!(list.rows.len(), 1);
    assert_eq!(list.rows[0].customer_id, a);
    assert_eq!(list.rows[0].mark_note, "多次上门催缴拒不缴费");
    let all = s.b.e.svc.arrears_list(&ArrearsFilter::default()).unwrap();
    assert_eq!(
        row(&all.rows, l).deliberate,
        Some(false),
        "the latest mark stands"
    );
    assert_eq!(count(&s.b.e, "arrears_mark"), 3, "every mark is kept");
    let e = stationdesk::store::audit::recent(s.b.e.svc.store().conn(), 5, 0).unwrap();
    let mark = e.iter().find(|x| x.action == "collection.mark").unwrap();
    assert!(mark.changes.contains("非恶意欠费"), "{}", mark.changes);
}

#[test]
fn reminder_notices_of_a_taiqu_are_one_pdf_read_back_with_names_and_amounts() {
    let mut s = station();
    let [a, l, w, ..] = s.ids;
    let done =
        s.b.e
            .svc
            .print_reminders(&s.b.clerk, ReminderScope::Area(s.area))
            .unwrap();
    assert_eq!(done.count, 3);
    let text = pdf_text(&done.outcome.path);
    assert_eq!(
        text.matches(stationdesk::print::REMINDER_TITLE).count(),
        3,
        "{text}"
    );
    for name in ["张三", "李四", "王五", "王庄供电所", "0538-8123456"] {
        assert!(text.contains(name), "{name} in {text}");
    }
    assert!(!text.contains("赵六") && !text.contains("钱七"), "{text}");
    assert!(!text.contains("13800001234"), "no phone on a notice");
    // 张三: 150.00 + 5.00; 李四: 200.00 + 21.60
    for amount in ["150.00", "155.00", "4.00", "221.60", "21.60", "2026年9月"] {
        assert!(text.contains(amount), "{amount} in {text}");
    }
    assert!(text.contains("贰佰贰拾壹元陆角整"), "{text}");
    assert_eq!(count(&s.b.e, "collection_notice"), 3);
    let list = s.b.e.svc.arrears_list(&ArrearsFilter::default()).unwrap();
    for id in [a, l, w] {
        assert_eq!(
            row(&list.rows, id).last_reminder,
            NaiveDate::from_ymd_opt(2026, 11, 24)
        );
    }
    // one customer
    let one =
        s.b.e
            .svc
            .print_reminders(&s.b.clerk, ReminderScope::Customer(a))
            .unwrap();
    assert_eq!(one.count, 1);
    assert!(pdf_text(&one.outcome.path).contains("张三"));
    assert_eq!(count(&s.b.e, "collection_notice"), 4);
    // nothing overdue: refused, nothing printed
    let err =
        s.b.e
            .svc
            .print_reminders(&s.b.clerk, ReminderScope::Customer(s.ids[3]))
            .unwrap_err();
    assert!(err.message().contains("不必催缴"), "{}", err.message());
}

#[test]
fn a_failed_print_is_not_recorded_as_a_notice() {
    let mut s = station();
    let blocker = s.b.e.dir.path().join("a-file");
    std::fs::write(&blocker, "x").unwrap();
    s.b.e
        .svc
        .update_setting(
            &s.b.chief,
            "print.folder",
            blocker.join("print").to_str().unwrap(),
        )
        .unwrap();
    assert!(
        s.b.e
            .svc
            .print_reminders(&s.b.clerk, ReminderScope::Area(s.area))
            .is_err()
    );
    assert!(
        s.b.e
            .svc
            .print_disconnect_notice(&s.b.clerk, s.ids[0])
            .is_err()
    );
    assert_eq!(count(&s.b.e, "collection_notice"), 0);
    let e = stationdesk::store::audit::recent(s.b.e.svc.store().conn(), 1, 0).unwrap();
    assert_eq!(e[0].action, "print.failed");
}

#[test]
fn a_disconnection_needs_a_notice_whose_period_has_run_out() {
    let mut s = station();
    let [a, ..] = s.ids;
    let err =
        s.b.e
            .svc
            .record_disconnection(&s.reader, a, "欠费停电")
            .unwrap_err();
    assert!(
        err.message().contains("尚未打印停电通知书"),
        "{}",
        err.message()
    );
    let notice = s.b.e.svc.print_disconnect_notice(&s.reader, a).unwrap();
    // the default notice period: 7 days from Nov 24, so cut from Dec 2
    assert_eq!(notice.period_end, NaiveDate::from_ymd_opt(2026, 12, 1));
    let text = pdf_text(&notice.outcome.path);
    for part in [
        stationdesk::print::DISCONNECT_TITLE,
        "张三",
        "2026年12月01日",
        "2026年12月02日",
        "155.00",
        "24 小时",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    s.b.e.clock.set(at(12, 1, 16));
    let err =
        s.b.e
            .svc
            .record_disconnection(&s.reader, a, "欠费停电")
            .unwrap_err();
    assert!(
        err.message().contains("2026-12-02 起方可停电"),
        "{}",
        err.message()
    );
    assert_eq!(count(&s.b.e, "disconnection"), 0);
    s.b.e.clock.set(at(12, 2, 9));
    let preview = s.b.e.svc.disconnection_preview(a).unwrap();
    assert_eq!(preview.name, "张三");
    assert_eq!((preview.used, preview.quota), (0, 10));
    let done =
        s.b.e
            .svc
            .record_disconnection(&s.reader, a, "欠费停电")
            .unwrap();
    assert_eq!(done.owed, preview.principal + preview.late_fee);
    let again =
        s.b.e
            .svc
            .record_disconnection(&s.reader, a, "欠费停电")
            .unwrap_err();
    assert!(again.message().contains("已停电"), "{}", again.message());
    let list = s.b.e.svc.arrears_list(&ArrearsFilter::default()).unwrap();
    let r = row(&list.rows, a);
    assert_eq!(r.disconnected_on, NaiveDate::from_ymd_opt(2026, 12, 2));
    assert!(!r.candidate);
    let e = stationdesk::store::audit::recent(s.b.e.svc.store().conn(), 1, 0).unwrap();
    assert_eq!(e[0].action, "collection.disconnect");
    assert!(s.b.e.svc.verify().unwrap().ok());
}

#[test]
fn the_readers_monthly_quota_refuses_with_the_setting_named() {
    let mut s = station();
    let [a, l, ..] = s.ids;
    s.b.e
        .svc
        .update_setting(&s.b.chief, "disconnect.monthly_quota", "1")
        .unwrap();
    s.b.e.svc.print_disconnect_notice(&s.reader, a).unwrap();
    s.b.e.svc.print_disconnect_notice(&s.reader, l).unwrap();
    s.b.e.clock.set(at(12, 2, 9));
    s.b.e
        .svc
        .record_disconnection(&s.reader, a, "欠费")
        .unwrap();
    let err =
        s.b.e
            .svc
            .record_disconnection(&s.reader, l, "欠费")
            .unwrap_err();
    assert_eq!(
        err.message(),
        "台区经理 员工taiqu1 本月已停电 1 户，达到每月限额 1 户（系统设置），不能再登记停电"
    );
    assert!(s.b.e.svc.disconnection_preview(l).is_err());
    assert_eq!(count(&s.b.e, "disconnection"), 1);
    // a new month starts a new count
    s.b.e.clock.set(
        NaiveDate::from_ymd_opt(2027, 1, 4)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    );
    s.b.e
        .svc
        .record_disconnection(&s.reader, l, "欠费")
        .unwrap();
}

#[test]
fn no_disconnection_inside_an_outage_period() {
    let mut s = station();
    let [a, ..] = s.ids;
    s.b.e.svc.print_disconnect_notice(&s.reader, a).unwrap();
    s.b.e.clock.set(at(12, 3, 9));
    s.b.e
        .svc
        .declare_outage(
            &s.b.chief,
            NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
            "营销系统切换",
        )
        .unwrap();
    let err =
        s.b.e
            .svc
            .record_disconnection(&s.reader, a, "欠费")
            .unwrap_err();
    assert!(err.message().contains("暂停欠费停电"), "{}", err.message());
}

#[test]
fn after_payment_the_reconnection_order_is_opened_with_its_24_hour_limit() {
    let mut s = station();
    let [a, ..] = s.ids;
    let err = s.b.e.svc.reconnect(&s.b.clerk, a).unwrap_err();
    assert!(err.message().contains("没有待复电"), "{}", err.message());
    s.b.e.svc.print_disconnect_notice(&s.reader, a).unwrap();
    s.b.e.clock.set(at(12, 2, 9));
    s.b.e
        .svc
        .record_disconnection(&s.reader, a, "欠费")
        .unwrap();
    let err = s.b.e.svc.reconnect(&s.b.clerk, a).unwrap_err();
    assert!(
        err.message().contains("缴清后方可复电"),
        "{}",
        err.message()
    );
    s.b.e.clock.set(at(12, 3, 10));
    // what the counter asks right after any payment: nothing while money is still owed
    assert_eq!(s.b.e.svc.reconnect_if_paid(&s.b.clerk, a).unwrap(), None);
    let to_pay = s.b.e.svc.customer_account(a).unwrap().to_pay;
    pay(&mut s.b.e, &s.b.clerk, a, &to_pay.to_string());
    let orders_before = count(&s.b.e, "work_order");
    // the payment that clears the arrears: the 复电 order at once
    let done = s.b.e.svc.reconnect_if_paid(&s.b.clerk, a).unwrap().unwrap();
    assert_eq!(count(&s.b.e, "work_order"), orders_before + 1);
    assert_eq!(done.within_hours, 24);
    let d = s.b.e.svc.order_deadline(done.order_id).unwrap();
    assert_eq!(
        d.plan.whole_due_at,
        Some(at(12, 4, 10)),
        "24 hours after acceptance"
    );
    let o = stationdesk::store::orders::order_by_id(s.b.e.svc.store().conn(), done.order_id)
        .unwrap()
        .unwrap();
    assert_eq!(o.kind, RequestKind::Resume);
    assert_eq!(o.customer_id, Some(a));
    // the order's acceptance and the reconnection are audited in the same transaction
    let e = stationdesk::store::audit::recent(s.b.e.svc.store().conn(), 3, 0).unwrap();
    let actions: Vec<&str> = e.iter().map(|x| x.action.as_str()).collect();
    assert!(
        actions.starts_with(&["collection.reconnect"]),
        "{actions:?}"
    );
    assert!(actions.contains(&"order.accept"), "{actions:?}");
    assert_eq!(count(&s.b.e, "reconnection"), 1);
    let again = s.b.e.svc.reconnect(&s.b.clerk, a).unwrap_err();
    assert!(
        again.message().contains("没有待复电"),
        "{}",
        again.message()
    );
    assert!(s.b.e.svc.verify().unwrap().ok());
}

#[test]
fn the_collection_screen_at_80x24_marks_notifies_and_disconnects() {
    use crate::common::ui::*;
    use crossterm::event::KeyCode;
    let s = station();
    let [a, ..] = s.ids;
    let mut app = app_signed_in(&s.b.e);
    // the sign-in offer of the unprinted receipts: later
    key(&mut app, KeyCode::Esc);
    // 抄表核算, then 欠费催收
    key(&mut app, KeyCode::Char('h'));
    key(&mut app, KeyCode::Char('s'));
    let t = text(&app, 80, 24);
    assert!(
        t.contains("3 户") && t.contains("张三") && t.contains("21.60"),
        "{t}"
    );
    insta::assert_snapshot!("collection_80x24", screen(&app, 80, 24).backend());
    // 李四 is first (most overdue); move to 张三 and mark the arrears deliberate
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('m'));
    typed(&mut app, "1");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "多次催缴拒不缴费");
    key(&mut app, KeyCode::Enter);
    let t = text(&app, 80, 24);
    assert!(t.contains("已认定为恶意欠费") && t.contains("恶意"), "{t}");
    // a disconnection before any notice: refused with the rule, no form
    key(&mut app, KeyCode::Char('x'));
    assert!(text(&app, 80, 24).contains("尚未打印停电通知书"));
    key(&mut app, KeyCode::Char('n'));
    assert!(text(&app, 80, 24).contains("通知期至 2026-12-01"));
    // after the notice period: the reason, then one confirm with the name and the amount
    s.b.e.clock.set(at(12, 2, 9));
    key(&mut app, KeyCode::Char('x'));
    key(&mut app, KeyCode::Enter);
    let t = text(&app, 80, 24);
    assert!(t.contains("张三") && t.contains("登记欠费停电"), "{t}");
    assert!(t.contains("欠费 150.00 元"), "{t}");
    assert_eq!(count(&s.b.e, "disconnection"), 0, "not before the confirm");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("已登记停电"));
    assert_eq!(count(&s.b.e, "disconnection"), 1);
    let d = stationdesk::store::collection::last_disconnection(s.b.e.svc.store().conn(), a)
        .unwrap()
        .unwrap();
    assert_eq!(d.reason, "逾期欠费，停电通知书期满仍未缴清");
    assert!(text(&app, 80, 24).contains("已停电"));
}

#[test]
fn the_collection_screen_says_when_nobody_is_in_arrears() {
    use crate::common::ui::*;
    use crossterm::event::KeyCode;
    let b = billing_env::bench();
    let mut app = app_signed_in(&b.e);
    // 抄表核算, then 欠费催收
    key(&mut app, KeyCode::Char('h'));
    key(&mut app, KeyCode::Char('s'));
    let t = text(&app, 80, 24);
    assert!(t.contains("没有逾期未缴电费的客户"), "{t}");
}

#[test]
fn the_demo_has_marked_arrears_notices_and_a_disconnection() {
    let (mut e, chief) = crate::common::with_station();
    e.svc.load_demo_data(&chief, 300, 7).unwrap();
    let marks = count(&e, "arrears_mark");
    assert!(marks >= 3, "{marks}");
    assert!(count(&e, "collection_notice") >= 3);
    assert_eq!(count(&e, "disconnection"), 2);
    // one paid and has its 复电 order (24 hours), the other is still cut
    assert_eq!(count(&e, "reconnection"), 1);
    let kind: String = e
        .svc
        .store()
        .conn()
        .query_row(
            "SELECT o.kind FROM reconnection r JOIN work_order o ON o.id = r.order_id",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kind, "resume");
    let list = e.svc.arrears_list(&ArrearsFilter::default()).unwrap();
    assert!(list.rows.iter().any(|r| r.deliberate == Some(true)));
    assert!(list.rows.iter().any(|r| r.disconnected_on.is_some()));
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn an_auditor_reads_the_collection_screen_but_changes_nothing() {
    use crate::common::ui::*;
    use crossterm::event::KeyCode;
    let mut s = station();
    let mut auditor = billing_env::account(&mut s.b.e, &s.b.chief, "jicha", Role::Auditor);
    s.b.e
        .svc
        .change_own_password(&mut auditor, "pass-word1", "pass-word2")
        .unwrap();
    let mut app = app_as(&s.b.e, "jicha", "pass-word2");
    // 抄表核算, then 欠费催收
    key(&mut app, KeyCode::Char('h'));
    key(&mut app, KeyCode::Char('s'));
    let t = text(&app, 80, 24);
    assert!(t.contains("张三"), "{t}");
    assert!(!t.contains("登记停电"), "no write keys in the footer: {t}");
    for k in ['m', 'p', 'n', 'x', 'r'] {
        key(&mut app, KeyCode::Char(k));
        assert!(text(&app, 80, 24).contains("稽查员只能查看"));
    }
    assert_eq!(count(&s.b.e, "arrears_mark"), 0);
    assert_eq!(count(&s.b.e, "collection_notice"), 0);
}

//! Rotation plans through the service (issue 13): which meters a year's plan takes, the
//! split into months, approval once, moves and reports audited, a swap marking its item
//! done, and the month-end assessment of items not done (once per item).
use chrono::NaiveDate;

use crate::common::billing_env::{self, Bench};

use stationdesk::domain::customer::{CustomerKind, UsageCategory};
use stationdesk::domain::customer_file::CustomerDraft;
use stationdesk::domain::meter::SwapReason;
use stationdesk::domain::role::Role;
use stationdesk::domain::rotation::{ItemState, Source};
use stationdesk::service::ServiceError;
use stationdesk::service::areas::AreaInput;
use stationdesk::service::meters::{ReceiveInput, SwapInput};

fn meter(b: &mut Bench, no: &str, kind: &str, class: &str, ct: &str, verified: &str) {
    b.e.svc
        .receive_meters(
            &b.clerk,
            &ReceiveInput {
                first: no.into(),
                kind: kind.into(),
                accuracy: class.into(),
                maker: "华立".into(),
                batch: "B1".into(),
                digits: "6".into(),
                ct_ratio: ct.into(),
                produced_on: "2016-01-01".into(),
                verified_on: verified.into(),
                ..Default::default()
            },
        )
        .unwrap();
}

fn customer_with(b: &mut Bench, name: &str, kva: &str, asset: &str) -> i64 {
    let d = CustomerDraft {
        name: name.into(),
        kind: Some(CustomerKind::Person),
        id_number: billing_env::ID.into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村3组8号".into(),
        usage: Some(UsageCategory::Residential),
        area_code: "TQ001".into(),
        contracted_kva: kva.into(),
        ..Default::default()
    };
    let id = b.e.svc.create_customer(&b.clerk, &d, "").unwrap();
    b.e.svc
        .swap_meter(
            &b.clerk,
            &SwapInput {
                customer_id: id,
                new_asset_no: asset.into(),
                new_initial: "0".into(),
                swapped_on: "2020-06-01".into(),
                reason: Some(SwapReason::Install),
                ..Default::default()
            },
        )
        .unwrap();
    id
}

/// A station on 2026-11-24 with a 台区 held by `taiqu1` and four customers' meters.
fn station() -> (Bench, stationdesk::service::Session) {
    let mut b = billing_env::bench();
    let manager = billing_env::account(&mut b.e, &b.chief, "taiqu1", Role::AreaManager);
    b.e.svc
        .create_area(
            &b.chief,
            &AreaInput {
                code: "TQ001".into(),
                name: "王庄1号台区".into(),
                capacity_kva: "630".into(),
                manager: "taiqu1".into(),
                active: true,
                area_type: None,
            },
        )
        .unwrap();
    // valid until 2026-06-01 (in the 2026 plan), 2027-01-01 (not), 2025-03-01 (overdue), and a
    // large customer's CT meter valid until 2026-05-01
    meter(&mut b, "3710000001", "单相表", "2", "", "2018-06-01");
    meter(&mut b, "3710000002", "单相表", "2", "", "2019-01-01");
    meter(&mut b, "3710000003", "单相表", "2", "", "2017-03-01");
    meter(
        &mut b,
        "3720000004",
        "三相经互感器表",
        "0.5S",
        "200/5",
        "2020-05-01",
    );
    for k in 5..=8 {
        meter(
            &mut b,
            &format!("37100000{k:02}"),
            "单相表",
            "2",
            "",
            "2026-01-10",
        );
    }
    customer_with(&mut b, "张一", "8", "3710000001");
    let zhang2 = customer_with(&mut b, "张二", "8", "3710000002");
    let _ = zhang2;
    customer_with(&mut b, "张三", "8", "3710000003");
    customer_with(&mut b, "大户", "400", "3720000004");
    (b, manager)
}

#[test]
fn the_plan_takes_the_meters_due_or_overdue_and_splits_them_into_the_months_left() {
    let (mut b, manager) = station();
    // the chief only, for this year or the next
    assert!(matches!(
        b.e.svc.propose_rotation_plan(&b.clerk, "2026").unwrap_err(),
        ServiceError::Denied(_)
    ));
    assert_eq!(
        b.e.svc
            .propose_rotation_plan(&b.chief, "2030")
            .unwrap_err()
            .field(),
        Some("year")
    );
    assert_eq!(b.e.svc.propose_rotation_plan(&b.chief, "2026").unwrap(), 3);
    let plan = b.e.svc.rotation_plan(2026).unwrap();
    let got: Vec<(&str, Source, u32)> = plan
        .items
        .iter()
        .map(|i| (i.asset_no.as_str(), i.source, i.month))
        .collect();
    // made in November: November and December only, the overdue one first
    assert!(
        got.contains(&("3710000003", Source::Overdue, 11)),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|(a, s, _)| *a == "3710000001" && *s == Source::Expiry)
    );
    assert!(
        got.iter()
            .any(|(a, s, _)| *a == "3720000004" && *s == Source::Large)
    );
    assert!(
        !got.iter().any(|(a, ..)| *a == "3710000002"),
        "valid until 2027-01-01"
    );
    assert!(got.iter().all(|(.., m)| (11..=12).contains(m)));
    assert!(
        plan.items
            .iter()
            .all(|i| i.manager_name.as_deref() == Some("员工taiqu1"))
    );
    // once per year
    assert!(b.e.svc.propose_rotation_plan(&b.chief, "2026").is_err());

    // moved by the chief before approval, never into a past month
    let item = plan
        .items
        .iter()
        .find(|i| i.asset_no == "3710000001")
        .unwrap();
    let (id, to) = (item.id, if item.month == 12 { "11" } else { "12" });
    assert_eq!(
        b.e.svc
            .move_rotation_items(&b.chief, 2026, &[id], "10")
            .unwrap_err()
            .field(),
        Some("month")
    );
    assert_eq!(
        b.e.svc
            .move_rotation_items(&b.chief, 2026, &[id], to)
            .unwrap(),
        1
    );
    let moved = b.e.svc.rotation_plan(2026).unwrap();
    assert_eq!(
        moved
            .items
            .iter()
            .find(|i| i.id == id)
            .unwrap()
            .month
            .to_string(),
        to
    );
    // approved once, then a report by the area manager is an audited addition
    assert_eq!(b.e.svc.approve_rotation_plan(&b.chief, 2026).unwrap(), 3);
    assert!(b.e.svc.approve_rotation_plan(&b.chief, 2026).is_err());
    let (f, _) = {
        let e =
            b.e.svc
                .report_rotation_meter(&manager, 2026, "3710000003", "表计烧毁")
                .unwrap_err();
        (e.field().map(str::to_string), e.to_string())
    };
    assert_eq!(f.as_deref(), Some("asset_no"), "already in the plan");
    b.e.svc
        .report_rotation_meter(&manager, 2026, "3710000002", "表计黑屏")
        .unwrap();
    let plan = b.e.svc.rotation_plan(2026).unwrap();
    let r = plan
        .items
        .iter()
        .find(|i| i.asset_no == "3710000002")
        .unwrap();
    assert_eq!(
        (r.source, r.month, r.added_after_approval),
        (Source::Reported, 11, true)
    );
    assert_eq!(r.reported_by.as_deref(), Some("员工taiqu1"));
    let n: i64 =
        b.e.svc
            .store()
            .conn()
            .query_row(
                "SELECT count(*) FROM audit_log WHERE action LIKE 'rotation.%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(n, 4, "propose, move, approve, report");
}

#[test]
fn a_swap_marks_its_item_done_and_the_month_end_assesses_the_rest_once() {
    let (mut b, _manager) = station();
    b.e.svc.propose_rotation_plan(&b.chief, "2026").unwrap();
    b.e.svc.approve_rotation_plan(&b.chief, 2026).unwrap();
    let cid =
        b.e.svc
            .meter_by_asset_no("3710000003")
            .unwrap()
            .unwrap()
            .customer_id
            .unwrap();
    b.e.svc
        .swap_meter(
            &b.clerk,
            &SwapInput {
                customer_id: cid,
                old_asset_no: "3710000003".into(),
                old_final: "4321".into(),
                new_asset_no: "3710000005".into(),
                new_initial: "0".into(),
                swapped_on: "2026-11-24".into(),
                reason: Some(SwapReason::Rotation),
                ..Default::default()
            },
        )
        .unwrap();
    let plan = b.e.svc.rotation_plan(2026).unwrap();
    let done = plan
        .items
        .iter()
        .find(|i| i.asset_no == "3710000003")
        .unwrap();
    assert_eq!(done.done_on, NaiveDate::from_ymd_opt(2026, 11, 24));
    assert_eq!(plan.state(done), ItemState::Done);
    let p = b.e.svc.rotation_progress(2026).unwrap();
    assert_eq!((p.total.planned, p.total.done, p.total.pending), (3, 1, 2));

    // after the year: the two not done are assessed, once each, to the area manager
    b.e.clock.set(
        NaiveDate::from_ymd_opt(2027, 1, 4)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    );
    let p = b.e.svc.rotation_progress(2026).unwrap();
    assert_eq!(p.total.not_done, 2);
    assert_eq!(b.e.svc.run_assessment_check(&[]).unwrap(), 2);
    assert_eq!(b.e.svc.run_assessment_check(&[]).unwrap(), 0, "idempotent");
    let entries = b.e.svc.assessment_entries(&Default::default()).unwrap();
    let rot: Vec<_> = entries
        .iter()
        .filter(|e| e.item == "轮换未按月完成")
        .collect();
    assert_eq!(rot.len(), 2);
    assert!(rot.iter().all(|e| e.staff_name == "员工taiqu1"), "{rot:?}");
    assert!(
        rot.iter().any(|e| e.summary.contains("3720000004")),
        "{rot:?}"
    );
}

#[test]
fn the_month_s_work_list_prints_per_area_manager_and_exports_as_csv() {
    let (mut b, _manager) = station();
    b.e.svc.propose_rotation_plan(&b.chief, "2026").unwrap();
    let plan = b.e.svc.rotation_plan(2026).unwrap();
    let month = plan.items[0].month;
    let in_month: Vec<_> = plan.items.iter().filter(|i| i.month == month).collect();
    let outs =
        b.e.svc
            .print_rotation_lists(&b.clerk, 2026, &month.to_string())
            .unwrap();
    assert_eq!(outs.len(), 1, "one area manager");
    let doc = lopdf::Document::load(&outs[0].path).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let t = doc.extract_text(&pages).unwrap().replace('\n', "");
    assert!(t.contains("计量装置轮换工作单"), "{t}");
    assert!(t.contains(&format!("2026 年 {month} 月")), "{t}");
    assert!(t.contains("员工taiqu1"), "{t}");
    for i in &in_month {
        assert!(t.contains(&i.asset_no), "{} in {t}", i.asset_no);
        assert!(t.contains(i.account_no.as_deref().unwrap()), "{t}");
        assert!(t.contains(i.customer_name.as_deref().unwrap()), "{t}");
    }
    assert!(t.contains(&format!("共 {} 只", in_month.len())), "{t}");
    // a month with nothing to do is said at its field
    let empty = if month == 11 { "1" } else { "11" };
    let e = b.e.svc.print_rotation_lists(&b.clerk, 2026, empty);
    assert!(e.is_err());

    let path = b.e.svc.export_rotation_csv(&b.clerk, 2026, None).unwrap();
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 1 + plan.items.len());
    assert!(lines[0].contains("资产编号") && lines[0].contains("状态"));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("3720000004") && l.contains("大客户") && l.contains("待换"))
    );
}

#[test]
fn the_plan_screen_at_80x24_propose_approve_and_print() {
    use crate::common::ui::*;
    use crossterm::event::KeyCode;
    let (b, _manager) = station();
    let mut app = app_signed_in(&b.e);
    key(&mut app, KeyCode::F(5));
    key(&mut app, KeyCode::Char('l'));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("2026 年轮换计划") && s.contains("尚未制订"),
        "{s}"
    );
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已生成轮换计划：3 只表计"), "{s}");
    assert!(s.contains("[全年]") && s.contains("草稿，未批准"), "{s}");
    assert!(s.contains("3710000003") && s.contains("已超期"), "{s}");
    insta::assert_snapshot!("rotation_plan_80x24", screen(&app, 80, 24).backend());
    // the progress with its bars
    key(&mut app, KeyCode::Char('p'));
    let s = text(&app, 100, 40);
    assert!(
        s.contains("2026 年轮换进度") && s.contains("░") && s.contains("员工taiqu1"),
        "{s}"
    );
    key(&mut app, KeyCode::Esc);
    // approve once, asked first
    key(&mut app, KeyCode::Char('a'));
    assert!(text(&app, 80, 24).contains("批准后只能通过上报新增和调整月份改变"));
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("已批准 2026 年轮换计划（3 只）") && s.contains("已批准（"),
        "{s}"
    );
    // November's work list
    key(&mut app, KeyCode::Char('w'));
    typed(&mut app, "11");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已打印 1 份工作单"), "{s}");
    // a month: ] walks from 全年 to 1月
    key(&mut app, KeyCode::Char(']'));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("[1]") && s.contains("1月没有计划中的表计"),
        "{s}"
    );
}

#[test]
fn a_meter_with_an_open_fault_order_enters_the_plan_as_faulty() {
    use stationdesk::domain::work_order::RequestKind;
    use stationdesk::service::orders::AcceptRequest;
    let (mut b, _manager) = station();
    let m = b.e.svc.meter_by_asset_no("3710000002").unwrap().unwrap();
    let mut req = AcceptRequest::new(RequestKind::FaultyMeter);
    req.customer_id = m.customer_id;
    req.description = "电表黑屏".into();
    b.e.svc.accept_request(&b.clerk, &req).unwrap();
    assert_eq!(b.e.svc.propose_rotation_plan(&b.chief, "2026").unwrap(), 4);
    let plan = b.e.svc.rotation_plan(2026).unwrap();
    let f = plan
        .items
        .iter()
        .find(|i| i.asset_no == "3710000002")
        .unwrap();
    assert_eq!(f.source, Source::Fault);
    // the overdue and faulty first: November
    assert_eq!(f.month, 11);
}

#[test]
fn on_site_checks_are_due_by_class_and_a_faulty_meter_gets_its_order() {
    use stationdesk::domain::meter::{CheckResult, MeteringClass};
    use stationdesk::service::meter_checks::CheckInput;
    let (mut b, manager) = station();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let month_end = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    // only the large customer (400 kVA: class Ⅲ, yearly); installed 2020-06-01, never checked
    let due = b.e.svc.checks_due(today, month_end).unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0].row.asset_no, "3720000004");
    assert_eq!(due[0].class, MeteringClass::III);
    assert_eq!(due[0].due, NaiveDate::from_ymd_opt(2021, 6, 1).unwrap());
    assert!(due[0].overdue_days > 1000);
    assert_eq!(due[0].row.manager_name.as_deref(), Some("员工taiqu1"));
    let id = b.e.svc.meter_by_asset_no("3720000004").unwrap().unwrap().id;
    // a check in the future, or a fault without a word, is refused at its field
    let mut i = CheckInput {
        checked_on: "2026-11-25".into(),
        result: Some(CheckResult::Ok),
        ..Default::default()
    };
    assert_eq!(
        b.e.svc
            .record_meter_check(&manager, id, &i)
            .unwrap_err()
            .field(),
        Some("checked_on")
    );
    i.checked_on = "2026-11-20".into();
    i.result = Some(CheckResult::Tolerance);
    assert_eq!(
        b.e.svc
            .record_meter_check(&manager, id, &i)
            .unwrap_err()
            .field(),
        Some("note")
    );
    // passed: the next check moves a year on
    i.result = Some(CheckResult::Ok);
    let done = b.e.svc.record_meter_check(&manager, id, &i).unwrap();
    assert_eq!(done.order_tracking_no, None);
    assert!(b.e.svc.checks_due(today, month_end).unwrap().is_empty());
    let next_year = NaiveDate::from_ymd_opt(2027, 11, 30).unwrap();
    let due = b.e.svc.checks_due(today, next_year).unwrap();
    assert_eq!(due[0].due, NaiveDate::from_ymd_opt(2027, 11, 20).unwrap());
    // out of tolerance: a 故障换表 order for the account, linked to the check
    i.result = Some(CheckResult::Tolerance);
    i.note = "误差 +3.2%".into();
    let done = b.e.svc.record_meter_check(&manager, id, &i).unwrap();
    let no = done.order_tracking_no.expect("an order");
    let conn = b.e.svc.store().conn();
    let (kind, linked): (String, i64) = conn
        .query_row(
            "SELECT o.kind, (SELECT count(*) FROM meter_check k WHERE k.order_id = o.id)
               FROM work_order o WHERE o.tracking_no = ?1",
            [&no],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), linked), ("faulty_meter", 1));
    // and the meter is now faulty for the plan
    let plan_n = b.e.svc.propose_rotation_plan(&b.chief, "2026").unwrap();
    assert_eq!(
        plan_n, 3,
        "3720000004 was already due this year as a large customer"
    );
}

#[test]
fn the_checks_screen_at_80x24_records_a_fault_and_its_order() {
    use crate::common::ui::*;
    use crossterm::event::KeyCode;
    let (b, _manager) = station();
    let mut app = app_signed_in(&b.e);
    key(&mut app, KeyCode::F(5));
    key(&mut app, KeyCode::Char('c'));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("应检 1 处，其中逾期 1 处") && s.contains("3720000004"),
        "{s}"
    );
    assert!(s.contains("Ⅲ类") && s.contains("逾期"), "{s}");
    insta::assert_snapshot!("meter_checks_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Enter);
    // today's date proposed: Enter takes it
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "3");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("写明超差或故障的情况"),
        "a fault needs a word: {s}"
    );
    typed(&mut app, "表计黑屏");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("已受理故障换表工单") && s.contains("没有到期的现场检验"),
        "{s}"
    );
}

#[test]
fn a_fault_swap_completes_the_fault_order_s_swap_stage() {
    use stationdesk::domain::meter::CheckResult;
    use stationdesk::service::meter_checks::CheckInput;
    let (mut b, manager) = station();
    let m = b.e.svc.meter_by_asset_no("3710000002").unwrap().unwrap();
    let done =
        b.e.svc
            .record_meter_check(
                &manager,
                m.id,
                &CheckInput {
                    checked_on: "2026-11-23".into(),
                    result: Some(CheckResult::Fault),
                    note: "表计黑屏".into(),
                    ..Default::default()
                },
            )
            .unwrap();
    let no = done.order_tracking_no.unwrap();
    let swap =
        b.e.svc
            .swap_meter(
                &manager,
                &SwapInput {
                    customer_id: m.customer_id.unwrap(),
                    old_asset_no: "3710000002".into(),
                    old_final: "100".into(),
                    new_asset_no: "3710000006".into(),
                    new_initial: "0".into(),
                    swapped_on: "2026-11-24".into(),
                    reason: Some(SwapReason::Fault),
                    ..Default::default()
                },
            )
            .unwrap();
    let order_id = swap
        .order_done
        .expect("the fault order's swap stage is done");
    let conn = b.e.svc.store().conn();
    let (tracking, stage_done, linked): (String, i64, i64) = conn
        .query_row(
            "SELECT o.tracking_no,
                    (SELECT count(*) FROM order_stage s WHERE s.order_id = o.id
                        AND s.stage = 'meter_swap' AND s.done_at IS NOT NULL),
                    (SELECT count(*) FROM meter_swap w WHERE w.order_id = o.id)
               FROM work_order o WHERE o.id = ?1",
            [order_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((tracking, stage_done, linked), (no, 1, 1));
}

#[test]
fn a_fault_order_not_swapped_in_its_three_working_days_is_assessed_once() {
    use stationdesk::domain::meter::CheckResult;
    use stationdesk::service::meter_checks::CheckInput;
    let (mut b, manager) = station();
    // found faulty on Tuesday 2026-11-17: the swap is due within 3 working days
    b.e.clock.set(
        NaiveDate::from_ymd_opt(2026, 11, 17)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    );
    let m = b.e.svc.meter_by_asset_no("3710000001").unwrap().unwrap();
    b.e.svc
        .record_meter_check(
            &manager,
            m.id,
            &CheckInput {
                checked_on: "2026-11-17".into(),
                result: Some(CheckResult::Fault),
                note: "表计烧毁".into(),
                ..Default::default()
            },
        )
        .unwrap();
    b.e.clock.set(
        NaiveDate::from_ymd_opt(2026, 11, 24)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    );
    let late = b.e.svc.late_fault_swaps().unwrap();
    assert_eq!(late.len(), 1);
    assert!(late[0].overdue_days >= 1, "{late:?}");
    let before =
        b.e.svc
            .assessment_entries(&Default::default())
            .unwrap()
            .len();
    b.e.svc.run_assessment_check(&[]).unwrap();
    b.e.svc.run_assessment_check(&[]).unwrap();
    let entries = b.e.svc.assessment_entries(&Default::default()).unwrap();
    let faulty: Vec<_> = entries
        .iter()
        .filter(|e| e.item == "故障表未按期处理")
        .collect();
    assert_eq!(faulty.len(), 1, "{entries:?}");
    assert!(
        faulty[0].summary.starts_with("故障换表"),
        "{}",
        faulty[0].summary
    );
    assert!(entries.len() > before);
}

#[test]
fn a_meter_test_request_is_linked_to_the_meter_tested() {
    use stationdesk::domain::work_order::RequestKind;
    use stationdesk::service::orders::AcceptRequest;
    let (mut b, _manager) = station();
    let m = b.e.svc.meter_by_asset_no("3710000001").unwrap().unwrap();
    let mut req = AcceptRequest::new(RequestKind::MeterTest);
    req.customer_id = m.customer_id;
    req.description = "客户认为电表走得快".into();
    req.received = vec![stationdesk::domain::work_order::Document::IdProof];
    let done = b.e.svc.accept_request(&b.clerk, &req).unwrap();
    let orders = b.e.svc.meter_orders(m.id).unwrap();
    assert_eq!(
        orders,
        vec![(
            done.tracking_no.clone(),
            "校表".to_string(),
            "办理中".to_string()
        )]
    );
    // the order's history names the meter
    let n: i64 = b
        .e
        .svc
        .store()
        .conn()
        .query_row(
            "SELECT count(*) FROM order_event WHERE order_id = ?1 AND detail LIKE '%3710000001%'",
            [done.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
    assert!(b.e.svc.verify().unwrap().ok());
}

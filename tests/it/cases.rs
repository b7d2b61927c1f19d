//! Complaints and repair calls through the service (issue 14): logging with the field
//! checks, minute and hour clocks across midnight, working days across a holiday, the
//! handling steps in order, the visit-before-close rule, reopening with the history kept,
//! failed visits, sampling, the 12398 risk marks, the assessment link to a late order, and
//! the monthly report's figures on fixed data (PDF and CSV read back).
use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::common::billing_env::{self, Bench};

use stationdesk::domain::case::{AreaType, CaseKind, Channel, ClockKind};
use stationdesk::domain::case_flow::{CaseState, ClosedHow, StepKind, VisitOutcome, VisitResult};
use stationdesk::domain::customer::UsageCategory;
use stationdesk::domain::role::Role;
use stationdesk::service::areas::AreaInput;
use stationdesk::service::cases::{CaseInput, StepInput, VisitInput};
use stationdesk::service::{ServiceError, Session};

fn at(m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

fn field(e: ServiceError) -> (String, String) {
    match e {
        ServiceError::Invalid { field, message } => (field.to_string(), message),
        other => panic!("not a field error: {other:?}"),
    }
}

/// A station with 台区 TQ001 (its manager taiqu1) and a customer on it.
fn station() -> (Bench, Session, i64) {
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
    let d = stationdesk::domain::customer_file::CustomerDraft {
        name: "张三".into(),
        kind: Some(stationdesk::domain::customer::CustomerKind::Person),
        id_number: billing_env::ID.into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村3组8号".into(),
        usage: Some(UsageCategory::Residential),
        area_code: "TQ001".into(),
        contracted_kva: "6".into(),
        ..Default::default()
    };
    let cid = b.e.svc.create_customer(&b.clerk, &d, "").unwrap();
    (b, manager, cid)
}

fn repair(customer: i64) -> CaseInput {
    CaseInput {
        kind: Some(CaseKind::Repair),
        channel: Some(Channel::Phone),
        customer_id: Some(customer),
        content: "家里没电，邻居也没电".into(),
        supply_cut: true,
        ..Default::default()
    }
}

fn step(s: StepKind, at: &str, note: &str) -> StepInput {
    StepInput {
        step: Some(s),
        at: at.into(),
        note: note.into(),
        ..Default::default()
    }
}

fn visit(r: VisitResult, at: &str, note: &str) -> VisitInput {
    VisitInput {
        result: Some(r),
        at: at.into(),
        note: note.into(),
    }
}

#[test]
fn a_rural_repair_call_on_saturday_night_runs_its_clocks_across_midnight() {
    let (mut b, _, cid) = station();
    b.e.clock.set(at(11, 28, 23, 30));
    let saved = b.e.svc.log_case(&b.clerk, &repair(cid)).unwrap();
    assert!(
        saved.case_no.starts_with("WZ01T20261128"),
        "{}",
        saved.case_no
    );
    // the customer's place, 台区 and phone come from the file
    let d = b.e.svc.case_detail(saved.id).unwrap();
    assert_eq!(d.case.row.place, "柳林镇王庄村3组8号");
    assert_eq!(d.case.row.area_name.as_deref(), Some("王庄1号台区"));
    assert_eq!(d.case.row.caller_phone, "13800001234");
    assert_eq!(d.case.area_type, AreaType::Rural);
    assert_eq!(
        d.case.clocks[0].due,
        at(11, 29, 1, 0),
        "90 minutes straight"
    );

    b.e.clock.set(at(11, 29, 0, 25));
    let board = b.e.svc.case_board().unwrap();
    let c = &board.cases[0];
    assert_eq!(
        c.clock_words(at(11, 29, 0, 25), &board.calendar),
        "到达剩 35分"
    );
    // the crew arrives at 00:50; restored at 03:00 after 37 customers were cut from 23:10
    b.e.clock.set(at(11, 29, 3, 5));
    b.e.svc
        .record_case_step(
            &b.clerk,
            saved.id,
            &step(StepKind::Arrived, "2026-11-29 00:50", ""),
        )
        .unwrap();
    // restored before arrival: refused at the time, nothing recorded
    let e =
        b.e.svc
            .record_case_step(
                &b.clerk,
                saved.id,
                &StepInput {
                    outage_customers: "37".into(),
                    ..step(StepKind::Restored, "2026-11-29 00:40", "")
                },
            )
            .unwrap_err();
    assert_eq!(
        field(e),
        ("at".into(), "恢复供电时间不能早于到达时间".into())
    );
    b.e.svc
        .record_case_step(
            &b.clerk,
            saved.id,
            &StepInput {
                outage_customers: "37".into(),
                outage_from: "2026-11-28 23:10".into(),
                ..step(StepKind::Restored, "03:00", "")
            },
        )
        .unwrap();
    let d = b.e.svc.case_detail(saved.id).unwrap();
    let words = d.case.clock_words(at(11, 29, 3, 5), &d.calendar);
    assert_eq!(words, "到达已用 1时20分 修复已用 2时10分");
    // the visit is refused until the handling has its result
    assert!(matches!(
        b.e.svc
            .record_case_visit(&b.clerk, saved.id, &visit(VisitResult::Satisfied, "", ""))
            .unwrap_err(),
        ServiceError::Refused(m) if m.contains("先登记处理结果")
    ));
    assert_eq!(
        field(
            b.e.svc
                .record_case_step(&b.clerk, saved.id, &step(StepKind::Result, "03:00", ""))
                .unwrap_err()
        ),
        ("note".into(), "请写明处理结果".into())
    );
    let state =
        b.e.svc
            .record_case_step(
                &b.clerk,
                saved.id,
                &step(StepKind::Result, "03:00", "更换熔断器"),
            )
            .unwrap();
    assert_eq!(state, CaseState::Visit);
    assert_eq!(
        b.e.svc
            .record_case_visit(
                &b.clerk,
                saved.id,
                &visit(VisitResult::Satisfied, "", "表扬抢修快")
            )
            .unwrap(),
        VisitOutcome::Close
    );
    let d = b.e.svc.case_detail(saved.id).unwrap();
    assert_eq!(d.case.row.state, CaseState::Closed);
    assert_eq!(d.case.row.closed_how, Some(ClosedHow::Visited));
    // outage customer-hours: 37 × (23:10 → 03:00 = 3 h 50 min) = 141.83
    let totals =
        b.e.svc
            .outage_totals(at(11, 1, 0, 0), at(12, 1, 0, 0))
            .unwrap();
    assert_eq!(totals.len(), 1);
    assert_eq!((totals[0].customers, totals[0].month), (37, 14183));
    assert_eq!(
        totals[0].weeks[4], 14183,
        "29 November is in the fifth week"
    );
    // every change has its audit entry
    let n: i64 =
        b.e.svc
            .store()
            .conn()
            .query_row(
                "SELECT count(*) FROM audit_log WHERE entity = 'service_case'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(n, 5, "create, arrived, restored, result, visit");
}

#[test]
fn what_is_typed_is_checked_at_its_field() {
    let (mut b, _, cid) = station();
    let mut i = CaseInput {
        kind: Some(CaseKind::Complaint),
        channel: Some(Channel::Hotline12398),
        customer_id: Some(cid),
        content: "电费算错".into(),
        ..Default::default()
    };
    assert_eq!(
        field(b.e.svc.log_case(&b.clerk, &i).unwrap_err()),
        ("upstream_no".into(), "12398转办须填写上级工单号".into())
    );
    i.upstream_no = "GD2026-1124-0001".into();
    i.received = "2026-11-24 10:30".into();
    assert_eq!(
        field(b.e.svc.log_case(&b.clerk, &i).unwrap_err()),
        ("received".into(), "时间不能晚于现在".into())
    );
    i.received = "25:00".into();
    assert!(
        field(b.e.svc.log_case(&b.clerk, &i).unwrap_err())
            .1
            .contains("不是真实的时间")
    );
    i.received = "08:40".into();
    i.caller_phone = "1380000".into();
    assert_eq!(
        field(b.e.svc.log_case(&b.clerk, &i).unwrap_err()).0,
        "caller_phone"
    );
    i.caller_phone = String::new();
    i.customer_id = None;
    assert_eq!(
        field(b.e.svc.log_case(&b.clerk, &i).unwrap_err()).0,
        "caller"
    );
    i.caller_name = "王先生".into();
    i.area = "TQ999".into();
    assert_eq!(
        field(b.e.svc.log_case(&b.clerk, &i).unwrap_err()),
        ("area".into(), "没有台区 TQ999".into())
    );
    i.area = "王庄1号台区".into();
    let saved = b.e.svc.log_case(&b.clerk, &i).unwrap();
    let d = b.e.svc.case_detail(saved.id).unwrap();
    assert_eq!(d.case.row.received_at, at(11, 24, 8, 40));
    assert_eq!(d.case.row.upstream_no, "GD2026-1124-0001");
    // the 12398 transfer keeps its own close deadline: 10 working days
    let reply = d
        .case
        .clocks
        .iter()
        .find(|c| c.kind == ClockKind::Reply)
        .unwrap();
    assert_eq!(
        reply.due.date(),
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    );
    // an auditor logs nothing
    let auditor = billing_env::account(&mut b.e, &b.chief, "jicha", Role::Auditor);
    assert!(matches!(
        b.e.svc.log_case(&auditor, &i).unwrap_err(),
        ServiceError::Denied(_)
    ));
}

#[test]
fn a_complaint_s_reply_counts_working_days_across_the_national_day_holiday() {
    let (mut b, _, cid) = station();
    b.e.clock.set(at(9, 30, 10, 0));
    let saved =
        b.e.svc
            .log_case(
                &b.clerk,
                &CaseInput {
                    kind: Some(CaseKind::Complaint),
                    channel: Some(Channel::Counter),
                    customer_id: Some(cid),
                    content: "抄表员态度不好".into(),
                    ..Default::default()
                },
            )
            .unwrap();
    let d = b.e.svc.case_detail(saved.id).unwrap();
    let reply = d
        .case
        .clocks
        .iter()
        .find(|c| c.kind == ClockKind::Reply)
        .unwrap();
    assert_eq!(
        reply.due.date(),
        NaiveDate::from_ymd_opt(2026, 10, 13).unwrap()
    );
    // on 14 October it is one working day late, and first on the board
    b.e.clock.set(at(10, 14, 9, 0));
    let board = b.e.svc.case_board().unwrap();
    assert_eq!(
        board.cases[0].clock_words(at(10, 14, 9, 0), &board.calendar),
        "联系逾期 12天23时 回复逾期 1天"
    );
    assert!(b.e.svc.case_counts().unwrap().overdue == 1);
}

#[test]
fn an_unsatisfied_visit_reopens_the_case_with_its_history_and_twice_marks_it() {
    let (mut b, _, cid) = station();
    let saved =
        b.e.svc
            .log_case(
                &b.clerk,
                &CaseInput {
                    kind: Some(CaseKind::Complaint),
                    channel: Some(Channel::Phone),
                    customer_id: Some(cid),
                    content: "停电不通知".into(),
                    ..Default::default()
                },
            )
            .unwrap();
    let id = saved.id;
    let svc = &mut b.e.svc;
    // a complaint's result needs its reply first
    assert_eq!(
        field(
            svc.record_case_step(&b.clerk, id, &step(StepKind::Result, "", "已解释"))
                .unwrap_err()
        )
        .1,
        "投诉须先登记答复客户"
    );
    svc.record_case_step(&b.clerk, id, &step(StepKind::Contacted, "", ""))
        .unwrap();
    svc.record_case_step(
        &b.clerk,
        id,
        &step(StepKind::Replied, "", "已致歉，今后提前三天公告"),
    )
    .unwrap();
    svc.record_case_step(&b.clerk, id, &step(StepKind::Result, "", "已答复"))
        .unwrap();
    // unsatisfied needs its reason
    assert_eq!(
        field(
            svc.record_case_visit(&b.clerk, id, &visit(VisitResult::Unsatisfied, "", ""))
                .unwrap_err()
        )
        .0,
        "note"
    );
    assert_eq!(
        svc.record_case_visit(
            &b.clerk,
            id,
            &visit(VisitResult::Unsatisfied, "", "公告没贴到村里")
        )
        .unwrap(),
        VisitOutcome::Reopen
    );
    let d = svc.case_detail(id).unwrap();
    assert_eq!((d.case.row.state, d.case.row.round), (CaseState::Open, 1));
    assert_eq!(
        d.steps.len(),
        4,
        "the first round's steps kept, the reopening added"
    );
    assert_eq!(d.steps[3].step, StepKind::Reopened);
    assert_eq!(d.visits.len(), 1);
    // the second round needs its own reply
    assert!(
        svc.record_case_step(&b.clerk, id, &step(StepKind::Result, "", "再答复"))
            .is_err()
    );
    b.e.clock.advance(Duration::hours(1));
    let svc = &mut b.e.svc;
    svc.record_case_step(&b.clerk, id, &step(StepKind::Replied, "", "村口补贴公告"))
        .unwrap();
    svc.record_case_step(&b.clerk, id, &step(StepKind::Result, "", "已补贴"))
        .unwrap();
    svc.record_case_visit(
        &b.clerk,
        id,
        &visit(VisitResult::Unsatisfied, "", "还是不满意"),
    )
    .unwrap();
    let board = svc.case_board().unwrap();
    let risk = board.cases[0].risk(at(11, 24, 10, 0));
    assert!(risk.at_risk(), "{risk:?}");
    assert_eq!(risk.words(), "不满意2次");
    assert!(
        svc.dashboard()
            .unwrap()
            .chief_notes
            .iter()
            .any(|n| n.contains("12398"))
    );
    // rows are history: no edit, no delete
    let conn = svc.store().conn();
    assert!(conn.execute("DELETE FROM case_step", []).is_err());
    assert!(
        conn.execute("UPDATE case_visit SET result = 'satisfied'", [])
            .is_err()
    );
}

#[test]
fn no_answer_tries_wait_their_interval_and_the_last_one_closes_as_failed() {
    let (mut b, _, cid) = station();
    let id =
        b.e.svc
            .log_case(
                &b.clerk,
                &CaseInput {
                    kind: Some(CaseKind::Opinion),
                    channel: Some(Channel::Counter),
                    customer_id: Some(cid),
                    content: "建议营业厅周六开门".into(),
                    ..Default::default()
                },
            )
            .unwrap()
            .id;
    b.e.svc
        .record_case_step(&b.clerk, id, &step(StepKind::Result, "", "已转所长"))
        .unwrap();
    let out =
        b.e.svc
            .record_case_visit(&b.clerk, id, &visit(VisitResult::NoAnswer, "", ""))
            .unwrap();
    assert_eq!(
        out,
        VisitOutcome::TryAgain {
            next: at(11, 25, 9, 0)
        }
    );
    b.e.clock.advance(Duration::hours(2));
    let e =
        b.e.svc
            .record_case_visit(&b.clerk, id, &visit(VisitResult::NoAnswer, "", ""))
            .unwrap_err();
    assert_eq!(
        field(e),
        (
            "at".into(),
            "上次回访在 11-24 09:00，下次回访不早于 11-25 09:00".into()
        )
    );
    for day in [25, 26] {
        b.e.clock.set(at(11, day, 9, 30));
        b.e.svc
            .record_case_visit(&b.clerk, id, &visit(VisitResult::NoAnswer, "", ""))
            .unwrap();
    }
    let d = b.e.svc.case_detail(id).unwrap();
    assert_eq!(d.case.row.closed_how, Some(ClosedHow::VisitFailed));
    assert_eq!(d.visits.len(), 3);
}

#[test]
fn the_chief_samples_visits_of_questions_and_the_unsampled_close_on_their_result() {
    let (mut b, _, cid) = station();
    b.e.svc
        .update_setting(&b.chief, "visit.sample_percent", "50")
        .unwrap();
    let mut needed = 0;
    for n in 0..6 {
        let saved =
            b.e.svc
                .log_case(
                    &b.clerk,
                    &CaseInput {
                        kind: Some(CaseKind::Question),
                        channel: Some(Channel::Phone),
                        customer_id: Some(cid),
                        content: format!("咨询电价 {n}"),
                        ..Default::default()
                    },
                )
                .unwrap();
        let state =
            b.e.svc
                .record_case_step(&b.clerk, saved.id, &step(StepKind::Result, "", "已解答"))
                .unwrap();
        if saved.visit_needed {
            needed += 1;
            assert_eq!(state, CaseState::Visit);
        } else {
            assert_eq!(state, CaseState::Closed);
            let d = b.e.svc.case_detail(saved.id).unwrap();
            assert_eq!(d.case.row.closed_how, Some(ClosedHow::NotSampled));
        }
    }
    assert_eq!(needed, 3);
    // six calls from one customer in a month: a repeat caller
    let board = b.e.svc.case_board().unwrap();
    assert_eq!(board.cases[0].repeat, Some(6));
}

#[test]
fn a_complaint_about_a_late_order_fires_the_assessment_rule_for_its_holder() {
    use stationdesk::domain::work_order::{ConnectionClass, Document, RequestKind};
    use stationdesk::service::orders::{AcceptRequest, Applicant};
    let (mut b, manager, cid) = station();
    let order =
        b.e.svc
            .accept_request(
                &b.clerk,
                &AcceptRequest {
                    class: Some(ConnectionClass::LvResidential),
                    applicant: Some(Applicant {
                        name: "李四".into(),
                        id_number: billing_env::ID.into(),
                        phone: "13912345678".into(),
                        address: "柳林镇东村5号".into(),
                    }),
                    received: vec![Document::IdProof],
                    ..AcceptRequest::new(RequestKind::NewConnection)
                },
            )
            .unwrap();
    let mut i = CaseInput {
        kind: Some(CaseKind::Complaint),
        channel: Some(Channel::Counter),
        customer_id: Some(cid),
        content: "新装一个月还没装表".into(),
        order_no: order.tracking_no.clone(),
        ..Default::default()
    };
    // not late yet: refused
    assert!(
        field(b.e.svc.log_case(&b.clerk, &i).unwrap_err())
            .1
            .contains("没有超期")
    );
    i.kind = Some(CaseKind::Question);
    assert_eq!(
        field(b.e.svc.log_case(&b.clerk, &i).unwrap_err()).0,
        "order_no"
    );
    i.kind = Some(CaseKind::Complaint);
    b.e.clock.set(at(12, 24, 9, 0));
    let saved = b.e.svc.log_case(&b.clerk, &i).unwrap();
    let created = b.e.svc.check_assessment().unwrap();
    assert!(created >= 1);
    let conn = b.e.svc.store().conn();
    let (staff, summary): (i64, String) = conn
        .query_row(
            "SELECT e.staff_id, e.summary FROM assessment_entry e
             JOIN assessment_rule r ON r.id = e.rule_id
             WHERE r.trigger_kind = 'complaint_delay' AND e.subject = ?1",
            [format!("case:{}", saved.id)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let holder = stationdesk::store::orders::order_by_id(conn, order.id)
        .unwrap()
        .unwrap();
    assert_eq!(
        Some(staff),
        holder.dispatched_to.or(Some(holder.responsible_id))
    );
    assert!(
        summary.contains(&saved.case_no) && summary.contains(&order.tracking_no),
        "{summary}"
    );
    // once per complaint, however often the check runs
    let _ = manager;
    assert_eq!(b.e.svc.check_assessment().unwrap(), 0);
}

#[test]
fn the_chief_sets_a_tai_qu_s_area_type_and_the_arrival_limit_follows() {
    let (mut b, _, cid) = station();
    let area = b.e.svc.areas().unwrap()[0].id;
    assert!(matches!(
        b.e.svc
            .set_area_type(&b.clerk, area, AreaType::Urban)
            .unwrap_err(),
        ServiceError::Denied(_)
    ));
    b.e.svc
        .set_area_type(&b.chief, area, AreaType::Urban)
        .unwrap();
    let saved = b.e.svc.log_case(&b.clerk, &repair(cid)).unwrap();
    let d = b.e.svc.case_detail(saved.id).unwrap();
    assert_eq!(d.case.clocks[0].due, at(11, 24, 9, 45));
}

fn pdf_text(path: &std::path::Path) -> String {
    let doc = lopdf::Document::load(path).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap().replace('\n', "")
}

#[test]
fn the_monthly_report_counts_on_fixed_data_in_pdf_and_csv() {
    let (mut b, _, cid) = station();
    // two repair calls: one on time (arrived after 60 of 90 minutes), one late (100)
    for (day, arrive, restore) in [(10, "10:00", "11:30"), (12, "10:40", "16:00")] {
        b.e.clock.set(at(11, day, 9, 0));
        let id = b.e.svc.log_case(&b.clerk, &repair(cid)).unwrap().id;
        b.e.clock.set(at(11, day, 17, 0));
        b.e.svc
            .record_case_step(&b.clerk, id, &step(StepKind::Arrived, arrive, ""))
            .unwrap();
        b.e.svc
            .record_case_step(
                &b.clerk,
                id,
                &StepInput {
                    outage_customers: "10".into(),
                    ..step(StepKind::Restored, restore, "")
                },
            )
            .unwrap();
        b.e.svc
            .record_case_step(&b.clerk, id, &step(StepKind::Result, "", "已修复"))
            .unwrap();
        b.e.svc
            .record_case_visit(&b.clerk, id, &visit(VisitResult::Basic, "", ""))
            .unwrap();
    }
    // a 12345 transfer by phone, still open
    b.e.clock.set(at(11, 20, 9, 0));
    b.e.svc
        .log_case(
            &b.clerk,
            &CaseInput {
                kind: Some(CaseKind::Complaint),
                channel: Some(Channel::Hotline12345),
                upstream_no: "12345-88".into(),
                customer_id: Some(cid),
                content: "线路老化".into(),
                ..Default::default()
            },
        )
        .unwrap();
    b.e.clock.set(at(12, 2, 9, 0));
    let r = b.e.svc.case_month_report(2026, 11).unwrap();
    assert_eq!(r.total, 3);
    let arrive = r
        .on_time
        .iter()
        .find(|(k, _)| *k == ClockKind::Arrive)
        .unwrap()
        .1;
    assert_eq!(
        (arrive.counted, arrive.on_time, arrive.rate()),
        (2, 1, "50.0%".into())
    );
    let restore = r
        .on_time
        .iter()
        .find(|(k, _)| *k == ClockKind::Restore)
        .unwrap()
        .1;
    assert_eq!(
        (restore.counted, restore.on_time),
        (2, 1),
        "1 h 30 on time, 5 h 20 late"
    );
    assert_eq!(r.arrive[0].1.words(), "1时20分");
    assert_eq!(r.restore[0].1.words(), "3时25分");
    assert_eq!(r.satisfaction, [0, 2, 0, 0]);
    // 10 customers × (9:00 → 11:30 = 2.5 h) + 10 × (9:00 → 16:00 = 7 h) = 95.00
    assert_eq!(r.outages[0].month, 9500);
    assert_eq!(r.outages[0].weeks[1], 2500 + 7000);
    let pdf = b.e.svc.print_case_report(&b.chief, 2026, 11).unwrap();
    let text = pdf_text(&pdf.path);
    for want in [
        "投诉报修月报",
        "2026 年 11 月",
        "50.0%",
        "1时20分",
        "95.00",
        "王庄1号台区",
    ] {
        assert!(text.contains(want), "{want} not in {text}");
    }
    let csv = b.e.svc.export_case_report_csv(&b.chief, 2026, 11).unwrap();
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 with BOM");
    let body = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(body.contains("按类别和来源,故障报修,电话,2"), "{body}");
    assert!(body.contains("按类别和来源,投诉,12345转办,1"), "{body}");
    assert!(
        body.contains("停电时户数,王庄1号台区,月合计,95.00"),
        "{body}"
    );
    // the duty log of the shift of 20 November prints the transfer with its number
    let log = b.e.svc.print_duty_log(&b.clerk, at(11, 20, 8, 0)).unwrap();
    let text = pdf_text(&log.path);
    assert!(
        text.contains("值班记录") && text.contains("12345-88"),
        "{text}"
    );
    assert!(
        text.contains("138****1234") && !text.contains("13800001234"),
        "{text}"
    );
}

#[test]
fn the_demo_has_cases_of_every_kind_channel_and_state() {
    let (mut e, chief) = crate::common::with_station();
    let summary = e.svc.load_demo_data(&chief, 300, 7).unwrap();
    assert!(summary.cases.cases > 150, "{:?}", summary.cases);
    assert_eq!(summary.cases.reopened, 1);
    let conn = e.svc.store().conn();
    let distinct = |col: &str| -> i64 {
        conn.query_row(
            &format!("SELECT count(DISTINCT {col}) FROM service_case"),
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(distinct("kind"), 6);
    assert_eq!(distinct("channel"), 5);
    assert_eq!(distinct("state"), 3);
    let one = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert!(one("SELECT count(*) FROM case_step WHERE outage_customers > 0") > 5);
    assert!(one("SELECT count(*) FROM case_visit WHERE result = 'unsatisfied'") == 1);
    assert!(one("SELECT count(*) FROM case_visit WHERE result = 'no_answer'") > 0);
    assert!(one("SELECT count(*) FROM service_case WHERE order_id IS NOT NULL") == 1);
    assert!(one("SELECT count(*) FROM area_type WHERE area_type = 'urban'") > 0);
    let now = e.svc.now();
    let board = e.svc.case_board().unwrap();
    assert!(board.cases.iter().any(|c| c.overdue(now)), "some overdue");
    assert!(board.cases.len() >= 5);
    assert!(e.svc.case_counts().unwrap().at_risk > 0);
    // the demo's assessment has the complaint's entry
    assert_eq!(
        one("SELECT count(*) FROM assessment_entry WHERE subject LIKE 'case:%'"),
        1
    );
    // and verify finds the demo as the program left it
    let report = e.svc.verify().unwrap();
    assert!(report.ok(), "{report:?}");
}

#[test]
fn a_damaged_case_row_is_named_and_the_home_numbers_still_show() {
    let (mut b, _, cid) = station();
    let id = b.e.svc.log_case(&b.clerk, &repair(cid)).unwrap().id;
    b.e.svc
        .store()
        .conn()
        .execute(
            "UPDATE service_case SET received_at = '坏时间' WHERE id = ?1",
            [id],
        )
        .unwrap();
    let e = b.e.svc.case_board().unwrap_err();
    assert!(
        e.message().contains("service_case") && e.message().contains("坏时间"),
        "{}",
        e.message()
    );
    let d = b.e.svc.dashboard().unwrap();
    assert_eq!(d.customers, 1, "the other numbers are read");
    assert!(d.cases_error.is_some());
}

#[test]
fn a_reopened_case_keeps_its_hotline_limit_and_counts_no_outage_twice() {
    let (mut b, _, cid) = station();
    b.e.clock.set(at(11, 2, 9, 0));
    let mut i = repair(cid);
    i.channel = Some(Channel::Hotline12398);
    i.upstream_no = "12398-77".into();
    let id = b.e.svc.log_case(&b.clerk, &i).unwrap().id;
    let first_due = |svc: &stationdesk::service::Service| {
        svc.case_detail(id)
            .unwrap()
            .case
            .clocks
            .iter()
            .find(|c| c.kind == ClockKind::Reply)
            .map(|c| c.due)
    };
    let due = first_due(&b.e.svc);
    b.e.clock.set(at(11, 2, 12, 0));
    let svc = &mut b.e.svc;
    svc.record_case_step(&b.clerk, id, &step(StepKind::Arrived, "10:00", ""))
        .unwrap();
    svc.record_case_step(
        &b.clerk,
        id,
        &StepInput {
            outage_customers: "10".into(),
            ..step(StepKind::Restored, "11:00", "")
        },
    )
    .unwrap();
    // the result cannot be dated before a step already recorded
    assert_eq!(
        field(
            svc.record_case_step(&b.clerk, id, &step(StepKind::Result, "10:30", "已修复"))
                .unwrap_err()
        )
        .0,
        "at"
    );
    svc.record_case_step(&b.clerk, id, &step(StepKind::Result, "11:10", "已修复"))
        .unwrap();
    // waiting for the visit: no dispatch, and no visit dated before the result
    assert!(matches!(
        svc.dispatch_case(&b.clerk, id, "", "抢修班").unwrap_err(),
        ServiceError::Refused(_)
    ));
    assert_eq!(
        field(
            svc.record_case_visit(&b.clerk, id, &visit(VisitResult::Satisfied, "11:00", ""))
                .unwrap_err()
        )
        .0,
        "at"
    );
    // unsatisfied the next week: reopened, repaired again
    b.e.clock.set(at(11, 9, 9, 0));
    let svc = &mut b.e.svc;
    svc.record_case_visit(&b.clerk, id, &visit(VisitResult::Unsatisfied, "", "又停了"))
        .unwrap();
    assert_eq!(
        first_due(svc),
        due,
        "the 12398 close limit counts from the first call"
    );
    b.e.clock.set(at(11, 9, 12, 0));
    let svc = &mut b.e.svc;
    svc.record_case_step(&b.clerk, id, &step(StepKind::Arrived, "09:40", ""))
        .unwrap();
    svc.record_case_step(
        &b.clerk,
        id,
        &StepInput {
            outage_customers: "10".into(),
            ..step(StepKind::Restored, "10:00", "")
        },
    )
    .unwrap();
    // 10 × 2 h (09:00 → 11:00 on the 2nd) + 10 × 1 h (the reopening 09:00 → 10:00 on the 9th)
    let totals = svc.outage_totals(at(11, 1, 0, 0), at(12, 1, 0, 0)).unwrap();
    assert_eq!(totals[0].month, 2000 + 1000);
}

#[test]
fn a_tai_qu_is_created_and_changed_with_its_area_type_in_one_audited_change() {
    let (mut b, _, _) = station();
    let id =
        b.e.svc
            .create_area(
                &b.chief,
                &AreaInput {
                    code: "TQ002".into(),
                    name: "南街1号台区".into(),
                    capacity_kva: "400".into(),
                    manager: String::new(),
                    active: true,
                    area_type: Some(AreaType::Urban),
                },
            )
            .unwrap();
    assert_eq!(b.e.svc.area_type(Some(id)).unwrap(), AreaType::Urban);
    let entries = |svc: &stationdesk::service::Service| -> Vec<String> {
        svc.store()
            .conn()
            .prepare("SELECT action FROM audit_log WHERE entity_id = 'TQ002' ORDER BY seq")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(entries(&b.e.svc), ["area.create"]);
    b.e.svc
        .update_area(
            &b.chief,
            id,
            &AreaInput {
                code: "TQ002".into(),
                name: "南街1号台区".into(),
                capacity_kva: "400".into(),
                manager: String::new(),
                active: true,
                area_type: Some(AreaType::Remote),
            },
        )
        .unwrap();
    assert_eq!(b.e.svc.area_type(Some(id)).unwrap(), AreaType::Remote);
    assert_eq!(entries(&b.e.svc), ["area.create", "area.update"]);
}

//! Deadlines through the service: promised dates on acceptance (the worked cases),
//! moved by early/late stages and customer pauses, printed on the slip, the deadline board
//! with its marks and filters, the status-bar counts, and who may pause.
use crate::common;

use chrono::NaiveDate;
use stationdesk::domain::deadline::Urgency;
use stationdesk::domain::role::Role;
use stationdesk::domain::work_order::{ConnectionClass, Document, RequestKind, Stage};
use stationdesk::service::auth::NewAccount;
use stationdesk::service::deadlines::{DeadlineFilter, PauseCause};
use stationdesk::service::orders::{AcceptRequest, Applicant};
use stationdesk::service::{ServiceError, Session};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn set_day(e: &common::Env, day: NaiveDate, hour: u32) {
    e.clock.set(day.and_hms_opt(hour, 0, 0).unwrap());
}

fn new_lv(name: &str, class: ConnectionClass) -> AcceptRequest {
    AcceptRequest {
        class: Some(class),
        applicant: Some(Applicant {
            name: name.into(),
            id_number: "11010519491231002X".into(),
            phone: "13912345678".into(),
            address: "柳林镇东村5号".into(),
        }),
        received: vec![Document::IdProof],
        ..AcceptRequest::new(RequestKind::NewConnection)
    }
}

fn accept_on(
    e: &mut common::Env,
    s: &Session,
    day: NaiveDate,
    name: &str,
    class: ConnectionClass,
) -> i64 {
    set_day(e, day, 9);
    e.svc.accept_request(s, &new_lv(name, class)).unwrap().id
}

fn clerk(e: &mut common::Env, chief: &Session, user: &str, role: Role) -> Session {
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

#[test]
fn the_worked_cases_are_promised_and_printed() {
    let (mut e, chief) = common::with_station();
    let a = accept_on(
        &mut e,
        &chief,
        d(2026, 1, 29),
        "王一",
        ConnectionClass::LvResidential,
    );
    let b = accept_on(
        &mut e,
        &chief,
        d(2026, 2, 12),
        "王二",
        ConnectionClass::LvResidential,
    );
    assert_eq!(
        e.svc.order_deadline(a).unwrap().plan.whole_due,
        Some(d(2026, 2, 5))
    );
    assert_eq!(
        e.svc.order_deadline(b).unwrap().plan.whole_due,
        Some(d(2026, 2, 26))
    );
    let slip = e.svc.slip_view(b).unwrap();
    assert_eq!(slip.promised_completion, Some(d(2026, 2, 26)));
    assert_eq!(slip.stages[0], ("受理".to_string(), Some(d(2026, 2, 12))));
    assert!(
        slip.stages.iter().all(|(_, due)| due.is_some()),
        "{:?}",
        slip.stages
    );
    // the PDF carries the dates
    let pdf = stationdesk::print::render_slip(&slip, e.svc.fonts().unwrap()).unwrap();
    assert!(!pdf.is_empty());
}

#[test]
fn early_or_late_stages_and_pauses_move_the_promises() {
    let (mut e, chief) = common::with_station();
    let id = accept_on(
        &mut e,
        &chief,
        d(2026, 11, 16),
        "王三",
        ConnectionClass::LvResidential,
    );
    let first = e.svc.order_deadline(id).unwrap();
    assert_eq!(first.plan.whole_due, Some(d(2026, 11, 23)));
    let archive_due = |e: &common::Env| {
        e.svc
            .order_deadline(id)
            .unwrap()
            .plan
            .stages
            .last()
            .unwrap()
            .due
            .unwrap()
    };
    assert_eq!(archive_due(&e), d(2026, 11, 26));
    // the survey, then energising a day early: filing counts from the real end
    set_day(&e, d(2026, 11, 17), 10);
    e.svc.complete_stage(&chief, id, Stage::Survey, "").unwrap();
    set_day(&e, d(2026, 11, 20), 10);
    let missing = e.svc.order(id).unwrap().missing_documents();
    for doc in missing {
        e.svc.supply_document(&chief, id, doc).unwrap();
    }
    e.svc
        .complete_stage(&chief, id, Stage::Energize, "")
        .unwrap();
    assert_eq!(archive_due(&e), d(2026, 11, 25));

    // a pause: customer documents, from Tue Nov 24 to Thu Nov 26 (resumes Fri Nov 27)
    let other = accept_on(
        &mut e,
        &chief,
        d(2026, 11, 20),
        "王四",
        ConnectionClass::LvResidential,
    );
    assert_eq!(
        e.svc.order_deadline(other).unwrap().plan.whole_due,
        Some(d(2026, 11, 27))
    );
    set_day(&e, d(2026, 11, 24), 9);
    e.svc
        .pause_order(
            &chief,
            other,
            PauseCause::Documents,
            "产权证明未带",
            d(2026, 11, 24),
        )
        .unwrap();
    let dl = e.svc.order_deadline(other).unwrap();
    assert!(dl.paused_now);
    assert_eq!(dl.urgency, Urgency::Paused);
    assert_eq!(dl.pauses[0].cause, PauseCause::Documents);
    // a second pause while one runs is refused
    assert!(matches!(
        e.svc
            .pause_order(&chief, other, PauseCause::Other, "x", d(2026, 11, 24)),
        Err(ServiceError::Refused(_))
    ));
    set_day(&e, d(2026, 11, 27), 9);
    // resuming on the day it began is refused at the field
    assert_eq!(
        e.svc
            .resume_order(&chief, other, d(2026, 11, 24))
            .unwrap_err()
            .field(),
        Some("resume_on")
    );
    e.svc.resume_order(&chief, other, d(2026, 11, 27)).unwrap();
    let dl = e.svc.order_deadline(other).unwrap();
    assert!(!dl.paused_now);
    assert_eq!(dl.pauses[0].to, Some(d(2026, 11, 26)));
    assert_eq!(dl.pauses[0].working_days, 3);
    // Nov 23, 27 (after the pause), Nov 30, Dec 1, 2 …: 3 working days later than before
    assert_eq!(dl.plan.whole_due, Some(d(2026, 12, 2)));
    let detail = e.svc.order(other).unwrap();
    assert!(
        detail
            .events
            .iter()
            .any(|ev| ev.detail.contains("暂停计时（客户资料未补齐）"))
    );
    assert!(
        detail
            .events
            .iter()
            .any(|ev| ev.detail.contains("恢复计时"))
    );
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn bad_pauses_get_a_message_at_their_field() {
    let (mut e, chief) = common::with_station();
    let id = accept_on(
        &mut e,
        &chief,
        d(2026, 11, 24),
        "王五",
        ConnectionClass::LvResidential,
    );
    assert_eq!(
        e.svc
            .pause_order(&chief, id, PauseCause::Other, "  ", d(2026, 11, 24))
            .unwrap_err()
            .field(),
        Some("reason")
    );
    assert_eq!(
        e.svc
            .pause_order(&chief, id, PauseCause::Other, "等待", d(2026, 11, 25))
            .unwrap_err()
            .field(),
        Some("from")
    );
    assert_eq!(
        e.svc
            .pause_order(&chief, id, PauseCause::Other, "等待", d(2026, 11, 20))
            .unwrap_err()
            .field(),
        Some("from")
    );
    assert!(matches!(
        e.svc.resume_order(&chief, id, d(2026, 11, 24)),
        Err(ServiceError::Refused(_))
    ));
    let auditor = clerk(&mut e, &chief, "jicha", Role::Auditor);
    assert!(matches!(
        e.svc
            .pause_order(&auditor, id, PauseCause::Other, "等待", d(2026, 11, 24)),
        Err(ServiceError::Denied(_))
    ));
}

#[test]
fn the_board_sorts_by_urgency_with_words_and_filters() {
    let (mut e, chief) = common::with_station();
    let zhang = clerk(&mut e, &chief, "zhangli", Role::Clerk);
    // today is Tue 2026-11-24
    let overdue = accept_on(
        &mut e,
        &chief,
        d(2026, 11, 10),
        "逾期户",
        ConnectionClass::LvResidential,
    );
    let today = accept_on(
        &mut e,
        &chief,
        d(2026, 11, 17),
        "今日户",
        ConnectionClass::LvResidential,
    );
    let risk = accept_on(
        &mut e,
        &zhang,
        d(2026, 11, 19),
        "临期户",
        ConnectionClass::LvResidential,
    );
    let fine = accept_on(
        &mut e,
        &zhang,
        d(2026, 11, 24),
        "从容户",
        ConnectionClass::HvSingle,
    );
    let paused = accept_on(
        &mut e,
        &chief,
        d(2026, 11, 23),
        "暂停户",
        ConnectionClass::LvNonResidential,
    );
    set_day(&e, d(2026, 11, 24), 10);
    e.svc
        .pause_order(
            &chief,
            paused,
            PauseCause::CustomerWait,
            "客户外出",
            d(2026, 11, 24),
        )
        .unwrap();
    // the current stage of each is the survey (2 working days) — complete it so the
    // whole-process promise is what counts
    for id in [overdue, today, risk] {
        e.svc.complete_stage(&chief, id, Stage::Survey, "").unwrap();
    }
    let board = e.svc.deadline_board(&DeadlineFilter::default()).unwrap();
    let order: Vec<i64> = board.rows.iter().map(|r| r.order_id).collect();
    assert_eq!(order, vec![overdue, today, risk, fine, paused]);
    let marks: Vec<String> = board.rows.iter().map(|r| r.mark()).collect();
    // Nov 10 + 5 = Nov 17; overdue Nov 18..24 = 5 working days
    assert_eq!(
        marks,
        ["逾期 5天", "今日到期", "剩 2天", "剩 2天", "暂停计时"]
    );
    assert_eq!(board.rows[3].stage, Some(Stage::Survey));
    assert_eq!(board.counts.overdue, 1);
    assert_eq!(board.counts.due_today, 1);
    assert_eq!(board.counts.at_risk, 2);
    assert_eq!(board.counts.paused, 1);
    // filters: person, class, urgent only
    let mine = e
        .svc
        .deadline_board(&DeadlineFilter {
            staff_id: Some(zhang.staff_id),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        mine.rows.iter().map(|r| r.order_id).collect::<Vec<_>>(),
        vec![risk, fine]
    );
    let hv = e
        .svc
        .deadline_board(&DeadlineFilter {
            class: Some(ConnectionClass::HvSingle),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hv.rows.len(), 1);
    let urgent = e
        .svc
        .deadline_board(&DeadlineFilter {
            urgent_only: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(urgent.rows.len(), 4);
    // the status bar count
    assert_eq!(e.svc.dashboard().unwrap().overdue, 1);
    // 2027 is not entered yet: a board reaching into it says so
    set_day(&e, d(2026, 12, 28), 9);
    let late = accept_on(
        &mut e,
        &chief,
        d(2026, 12, 28),
        "跨年户",
        ConnectionClass::LvResidential,
    );
    e.svc
        .complete_stage(&chief, late, Stage::Survey, "")
        .unwrap();
    let board = e.svc.deadline_board(&DeadlineFilter::default()).unwrap();
    assert_eq!(board.calendar_missing, vec![2027]);
    assert_eq!(
        e.svc.order_deadline(late).unwrap().calendar_missing,
        Some(2027)
    );
}

#[test]
fn late_stages_feed_assessment() {
    let (mut e, chief) = common::with_station();
    let zhang = clerk(&mut e, &chief, "zhangli", Role::Clerk);
    let lv = accept_on(
        &mut e,
        &chief,
        d(2026, 11, 2),
        "迟办户",
        ConnectionClass::LvNonResidential,
    );
    let hv = accept_on(
        &mut e,
        &chief,
        d(2026, 10, 9),
        "高压户",
        ConnectionClass::HvSingle,
    );
    set_day(&e, d(2026, 11, 6), 9);
    e.svc.complete_stage(&chief, lv, Stage::Survey, "").unwrap();
    e.svc.dispatch_order(&chief, hv, zhang.staff_id).unwrap();
    e.svc.complete_stage(&chief, hv, Stage::Survey, "").unwrap();
    set_day(&e, d(2026, 11, 24), 9);
    let facts = e.svc.late_stages().unwrap();
    // low voltage: the whole process only (a late survey is not counted twice)
    let of = |id: i64| facts.iter().filter(move |f| f.order_id == id);
    assert_eq!(
        of(lv).map(|f| f.stage.as_str()).collect::<Vec<_>>(),
        ["whole"]
    );
    let whole = of(lv).next().unwrap();
    // due Nov 9 (5 days), still open on Nov 24: 11 working days
    assert_eq!(
        (whole.due, whole.done, whole.overdue_days),
        (d(2026, 11, 9), None, 11)
    );
    assert!(!whole.residential);
    assert_eq!(whole.holder_id, chief.staff_id);
    // high voltage: each supplier stage as well; survey due Mon Oct 12 (Sat Oct 10 is a
    // make-up working day), done Nov 6
    let survey = of(hv).find(|f| f.stage == "survey").unwrap();
    assert_eq!(
        (survey.due, survey.done),
        (d(2026, 10, 12), Some(d(2026, 11, 6)))
    );
    assert_eq!(survey.overdue_days, 19);
    assert_eq!(
        survey.holder_id, zhang.staff_id,
        "the dispatched person holds it"
    );
    // plan reply: 15 working days from Oct 9 = Oct 29; open on Nov 24: 18 working days late
    let plan = of(hv).find(|f| f.stage == "plan_reply").unwrap();
    assert_eq!((plan.due, plan.overdue_days), (d(2026, 10, 29), 18));
    // the check creates entries once, however often it runs
    let first = e.svc.check_assessment().unwrap();
    assert!(first >= 3, "{first}");
    assert_eq!(e.svc.check_assessment().unwrap(), 0);
}

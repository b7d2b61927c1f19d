//! Work orders through the service: every request kind accepted, tracking numbers per
//! day, stage order, fee-before-survey refusal, cancel, 咨询, stale flag, auditors.
use crate::common;

use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;
use stationdesk::domain::clock::FixedClock;
use stationdesk::domain::customer::{CustomerKind, NewArea, UsageCategory};
use stationdesk::domain::customer_file::CustomerDraft;
use stationdesk::domain::role::Role;
use stationdesk::domain::work_order::{
    ConnectionClass, ContactChannel, Document, OrderState, RequestKind, Stage,
};
use stationdesk::service::auth::{NewAccount, PasswordCost};
use stationdesk::service::orders::{AcceptRequest, Applicant, OrderFilter};
use stationdesk::service::{Service, ServiceError, Session};

const ID: &str = "11010519491231002X";

fn yuan(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn add_area(e: &common::Env, code: &str) -> i64 {
    stationdesk::store::customers::insert_area(
        e.svc.store().conn(),
        &NewArea {
            code: code.into(),
            name: format!("{code}台区"),
            capacity_kva: 200,
            manager_username: None,
        },
        None,
        "2026-11-01 08:00:00",
    )
    .unwrap()
}

fn customer(e: &mut common::Env, s: &Session, name: &str, area: &str) -> i64 {
    let d = CustomerDraft {
        name: name.into(),
        kind: Some(CustomerKind::Person),
        id_number: ID.into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村3组8号".into(),
        usage: Some(UsageCategory::Residential),
        area_code: area.into(),
        contracted_kva: "6".into(),
        ..Default::default()
    };
    e.svc.create_customer(s, &d, "").unwrap()
}

fn account(e: &mut common::Env, chief: &Session, user: &str, role: Role) -> Session {
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

fn applicant() -> Applicant {
    Applicant {
        name: "王小明".into(),
        id_number: ID.into(),
        phone: "13912345678".into(),
        address: "柳林镇东村5号".into(),
    }
}

fn new_lv(received: &[Document]) -> AcceptRequest {
    AcceptRequest {
        class: Some(ConnectionClass::LvResidential),
        applicant: Some(applicant()),
        received: received.to_vec(),
        ..AcceptRequest::new(RequestKind::NewConnection)
    }
}

fn refused_with(r: Result<impl std::fmt::Debug, ServiceError>, text: &str) {
    let e = r.unwrap_err();
    assert!(
        e.message().contains(text),
        "{} — wanted {text}",
        e.message()
    );
}

#[test]
fn every_request_kind_is_accepted() {
    let (mut e, chief) = common::with_station();
    add_area(&e, "TQ001");
    let cust = customer(&mut e, &chief, "张三", "TQ001");
    for kind in RequestKind::ALL {
        let mut req = AcceptRequest::new(kind);
        req.received = vec![Document::IdProof];
        match kind {
            RequestKind::NewConnection => {
                for class in ConnectionClass::ALL {
                    let r = AcceptRequest {
                        class: Some(class),
                        applicant: Some(applicant()),
                        area_code: "tq001".into(),
                        ..req.clone()
                    };
                    let a = e.svc.accept_request(&chief, &r).unwrap();
                    assert_eq!(a.state, OrderState::Open);
                    let d = e.svc.order(a.id).unwrap();
                    assert_eq!(d.class, Some(class));
                    assert_eq!(d.area_name.as_deref(), Some("TQ001台区"));
                    assert_eq!(d.id_masked, "1101**********002X");
                    assert_eq!(d.stages.len(), if class.is_high_voltage() { 9 } else { 4 });
                    assert!(!d.missing_documents().is_empty());
                }
                continue;
            }
            RequestKind::Inquiry => req.answer = "峰谷电价自下月起执行".into(),
            RequestKind::Temporary => req.applicant = Some(applicant()),
            _ => req.customer_id = Some(cust),
        }
        let a = e.svc.accept_request(&chief, &req).unwrap();
        let d = e.svc.order(a.id).unwrap();
        assert_eq!(d.kind, kind);
        assert_eq!(d.responsible_id, chief.staff_id, "首问负责");
        assert_eq!(d.stages[0].stage, Stage::Accept);
        assert!(d.stages[0].done);
        if kind == RequestKind::Inquiry {
            assert_eq!(a.state, OrderState::Completed);
        } else {
            assert_eq!(a.state, OrderState::Open, "{kind:?}");
            assert_eq!(d.stages.last().unwrap().stage, Stage::Archive);
            assert_eq!(d.current_stage, Some(d.stages[1].stage));
        }
        if req.customer_id.is_some() {
            assert_eq!(d.name, "张三");
            assert_eq!(d.area_name.as_deref(), Some("TQ001台区"));
        }
    }
    // 4 新装 + 13 others
    assert_eq!(e.svc.order_counts().unwrap().accepted_today, 17);
    assert_eq!(e.svc.order_counts().unwrap().open, 16);
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn bad_requests_are_refused_at_their_field() {
    let (mut e, chief) = common::with_station();
    let cust = customer(&mut e, &chief, "张三", "");
    // 新装 without class
    let r = AcceptRequest {
        class: None,
        ..new_lv(&[Document::IdProof])
    };
    assert_eq!(
        e.svc.accept_request(&chief, &r).unwrap_err().field(),
        Some("class")
    );
    // 一证受理: nothing shown at all
    let err = e.svc.accept_request(&chief, &new_lv(&[])).unwrap_err();
    assert_eq!(err.field(), Some("documents"));
    assert!(err.message().contains("身份证明"));
    // a wrong check digit
    let mut r = new_lv(&[Document::IdProof]);
    r.applicant.as_mut().unwrap().id_number = "110105194912310021".into();
    assert_eq!(
        e.svc.accept_request(&chief, &r).unwrap_err().field(),
        Some("applicant_id_number")
    );
    // 更名 needs an existing customer, and has no class
    let mut r = AcceptRequest::new(RequestKind::Rename);
    r.received = vec![Document::IdProof];
    r.applicant = Some(applicant());
    assert_eq!(
        e.svc.accept_request(&chief, &r).unwrap_err().field(),
        Some("customer")
    );
    r.applicant = None;
    r.customer_id = Some(cust);
    r.class = Some(ConnectionClass::HvSingle);
    assert_eq!(
        e.svc.accept_request(&chief, &r).unwrap_err().field(),
        Some("class")
    );
    // 咨询 without an answer
    let r = AcceptRequest::new(RequestKind::Inquiry);
    assert_eq!(
        e.svc.accept_request(&chief, &r).unwrap_err().field(),
        Some("answer")
    );
    // nothing was written
    assert_eq!(e.svc.order_counts().unwrap().accepted_today, 0);
}

#[test]
fn tracking_numbers_are_consecutive_per_day_and_restart_next_day() {
    let (mut e, chief) = common::with_station();
    let mut nos = Vec::new();
    for _ in 0..3 {
        nos.push(
            e.svc
                .accept_request(&chief, &new_lv(&[Document::IdProof]))
                .unwrap()
                .tracking_no,
        );
    }
    assert_eq!(
        nos,
        ["WZ01202611240001", "WZ01202611240002", "WZ01202611240003"]
    );
    // a failed request takes no number
    assert!(e.svc.accept_request(&chief, &new_lv(&[])).is_err());
    let mut inq = AcceptRequest::new(RequestKind::Inquiry);
    inq.answer = "可以".into();
    assert_eq!(
        e.svc.accept_request(&chief, &inq).unwrap().tracking_no,
        "WZ01202611240004"
    );
    e.clock.advance(chrono::Duration::days(1));
    let next = e
        .svc
        .accept_request(&chief, &new_lv(&[Document::IdProof]))
        .unwrap();
    assert_eq!(next.tracking_no, "WZ01202611250001");
    assert_eq!(
        e.svc.order_by_tracking_no("wz01202611250001").unwrap().id,
        next.id
    );
}

#[test]
fn two_windows_at_once_never_share_a_number() {
    let (e, chief) = common::with_station();
    let dir = e.dir.path().to_path_buf();
    drop(e.svc);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let dir = dir.clone();
            let chief = chief.clone();
            std::thread::spawn(move || {
                let clock = FixedClock::at(2026, 11, 24, 10, 0);
                let mut svc = Service::open(&dir, Arc::new(clock))
                    .unwrap()
                    .with_password_cost(PasswordCost::Light);
                (0..15)
                    .map(|_| {
                        svc.accept_request(&chief, &new_lv(&[Document::IdProof]))
                            .unwrap()
                            .tracking_no
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut all: Vec<String> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    all.sort();
    let expected: Vec<String> = (1..=30).map(|i| format!("WZ0120261124{i:04}")).collect();
    assert_eq!(all, expected);
    let svc = Service::open(&dir, Arc::new(FixedClock::at(2026, 11, 24, 11, 0))).unwrap();
    assert!(svc.verify().unwrap().ok());
}

#[test]
fn no_fee_before_the_survey_and_stages_in_order() {
    let (mut e, chief) = common::with_station();
    let a = e
        .svc
        .accept_request(&chief, &new_lv(&[Document::IdProof]))
        .unwrap();
    assert_eq!(a.missing, [Document::PropertyProof]);
    // recording a fee is fine, collecting it is not
    let fee = e
        .svc
        .add_fee(&chief, a.id, "表计费", yuan("120.50"))
        .unwrap();
    refused_with(e.svc.collect_fee(&chief, fee), "现场勘查尚未完成");
    assert!(!e.svc.order(a.id).unwrap().fees[0].collected);
    // stages in chain order
    refused_with(
        e.svc.complete_stage(&chief, a.id, Stage::Energize, ""),
        "请先完成「现场勘查」",
    );
    refused_with(
        e.svc.complete_stage(&chief, a.id, Stage::PlanReply, ""),
        "没有",
    );
    assert_eq!(
        e.svc
            .complete_stage(&chief, a.id, Stage::Survey, "具备供电条件，接 3 号杆")
            .unwrap(),
        OrderState::Open
    );
    refused_with(
        e.svc.complete_stage(&chief, a.id, Stage::Survey, ""),
        "已经完成",
    );
    e.svc.collect_fee(&chief, fee).unwrap();
    refused_with(e.svc.collect_fee(&chief, fee), "已于");
    // energising waits for the papers (or the chief's fast channel)
    refused_with(
        e.svc.complete_stage(&chief, a.id, Stage::Energize, ""),
        "资料未补齐",
    );
    e.svc
        .supply_document(&chief, a.id, Document::PropertyProof)
        .unwrap();
    refused_with(
        e.svc.supply_document(&chief, a.id, Document::PropertyProof),
        "已经收到",
    );
    e.svc
        .complete_stage(&chief, a.id, Stage::Energize, "表号 0001")
        .unwrap();
    assert_eq!(
        e.svc
            .complete_stage(&chief, a.id, Stage::Archive, "")
            .unwrap(),
        OrderState::Completed
    );
    let d = e.svc.order(a.id).unwrap();
    assert_eq!(d.state, OrderState::Completed);
    assert!(d.stages.iter().all(|s| s.done));
    assert_eq!(d.stages[1].notes, "具备供电条件，接 3 号杆");
    assert_eq!(d.fees[0].amount, yuan("120.50"));
    assert!(d.documents.iter().all(|x| x.received));
    let actions: Vec<_> = d.events.iter().map(|x| x.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "accept",
            "fee_add",
            "stage",
            "fee_collect",
            "document",
            "stage",
            "stage",
            "file",
            "complete"
        ]
    );
    refused_with(
        e.svc.complete_stage(&chief, a.id, Stage::Archive, ""),
        "已办结",
    );
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn kinds_without_survey_may_be_charged_and_hv_goes_the_long_way() {
    let (mut e, chief) = common::with_station();
    let cust = customer(&mut e, &chief, "张三", "");
    let mut r = AcceptRequest::new(RequestKind::MeterTest);
    r.customer_id = Some(cust);
    r.received = vec![Document::IdProof];
    let a = e.svc.accept_request(&chief, &r).unwrap();
    let fee = e.svc.add_fee(&chief, a.id, "校验费", yuan("30")).unwrap();
    e.svc.collect_fee(&chief, fee).unwrap();

    let hv = AcceptRequest {
        class: Some(ConnectionClass::HvSingle),
        received: Document::ALL.to_vec(),
        ..new_lv(&[])
    };
    let a = e.svc.accept_request(&chief, &hv).unwrap();
    assert!(a.missing.is_empty());
    for s in &a.stages[1..] {
        e.svc.complete_stage(&chief, a.id, *s, "").unwrap();
    }
    assert_eq!(e.svc.order(a.id).unwrap().state, OrderState::Completed);
    // bad amounts
    let open = e
        .svc
        .accept_request(&chief, &new_lv(&[Document::IdProof]))
        .unwrap();
    for bad in ["0", "-1", "1.234"] {
        assert_eq!(
            e.svc
                .add_fee(&chief, open.id, "表计费", yuan(bad))
                .unwrap_err()
                .field(),
            Some("amount")
        );
    }
}

#[test]
fn fast_channel_is_the_chiefs_and_lets_energising_go_first() {
    let (mut e, chief) = common::with_station();
    let clerk = account(&mut e, &chief, "clerk1", Role::Clerk);
    let a = e
        .svc
        .accept_request(&clerk, &new_lv(&[Document::IdProof]))
        .unwrap();
    e.svc
        .complete_stage(&clerk, a.id, Stage::Survey, "")
        .unwrap();
    assert!(matches!(
        e.svc.set_fast_channel(&clerk, a.id, true, "急需"),
        Err(ServiceError::Denied(_))
    ));
    e.svc
        .set_fast_channel(&chief, a.id, true, "养殖场急需用电，信誉良好")
        .unwrap();
    e.svc
        .complete_stage(&clerk, a.id, Stage::Energize, "")
        .unwrap();
    refused_with(
        e.svc.complete_stage(&clerk, a.id, Stage::Archive, ""),
        "不能归档",
    );
    let d = e.svc.order(a.id).unwrap();
    assert!(d.fast_channel);
    assert_eq!(d.responsible_name, "员工clerk1");
}

#[test]
fn cancel_keeps_the_order() {
    let (mut e, chief) = common::with_station();
    let a = e
        .svc
        .accept_request(&chief, &new_lv(&[Document::IdProof]))
        .unwrap();
    let fee = e.svc.add_fee(&chief, a.id, "表计费", yuan("50")).unwrap();
    assert_eq!(
        e.svc.cancel_order(&chief, a.id, "  ").unwrap_err().field(),
        Some("reason")
    );
    e.svc.cancel_order(&chief, a.id, "客户放弃申请").unwrap();
    let d = e.svc.order(a.id).unwrap();
    assert_eq!(d.state, OrderState::Cancelled);
    assert_eq!(d.cancel_reason.as_deref(), Some("客户放弃申请"));
    assert_eq!(d.stages.len(), 4);
    assert_eq!(d.events.last().unwrap().action, "cancel");
    refused_with(e.svc.cancel_order(&chief, a.id, "again"), "已撤销");
    refused_with(
        e.svc.complete_stage(&chief, a.id, Stage::Survey, ""),
        "已撤销",
    );
    refused_with(e.svc.collect_fee(&chief, fee), "已撤销");
    // the database refuses a delete outright
    assert!(
        e.svc
            .store()
            .conn()
            .execute("DELETE FROM work_order WHERE id = ?1", [a.id])
            .is_err()
    );
    let all = e
        .svc
        .orders(&OrderFilter {
            state: None,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.len(), 1);
    assert!(e.svc.orders(&OrderFilter::default()).unwrap().is_empty());
    assert_eq!(e.svc.order_counts().unwrap().open, 0);
}

#[test]
fn an_inquiry_is_answered_and_closed_at_once() {
    let (mut e, chief) = common::with_station();
    let mut r = AcceptRequest::new(RequestKind::Inquiry);
    r.description = "问电费怎么交".into();
    r.answer = "可在营业厅、网上国网或银行代扣缴纳".into();
    let a = e.svc.accept_request(&chief, &r).unwrap();
    assert_eq!(a.state, OrderState::Completed);
    let d = e.svc.order(a.id).unwrap();
    assert_eq!(d.answer, "可在营业厅、网上国网或银行代扣缴纳");
    assert!(d.closed_at.is_some());
    assert!(!d.stale);
    let c = e.svc.order_counts().unwrap();
    assert_eq!((c.accepted_today, c.open), (1, 0));
}

#[test]
fn stale_after_n_days_without_contact() {
    let (mut e, chief) = common::with_station();
    let a = e
        .svc
        .accept_request(&chief, &new_lv(&[Document::IdProof]))
        .unwrap();
    let b = e
        .svc
        .accept_request(&chief, &new_lv(&[Document::IdProof]))
        .unwrap();
    e.clock.advance(chrono::Duration::days(10));
    assert!(!e.svc.order(a.id).unwrap().stale);
    assert_eq!(e.svc.order_counts().unwrap().stale, 0);
    e.svc
        .record_contact(&chief, b.id, ContactChannel::Phone, "告知下周勘查")
        .unwrap();
    e.clock.advance(chrono::Duration::days(1));
    assert!(e.svc.order(a.id).unwrap().stale);
    assert!(!e.svc.order(b.id).unwrap().stale);
    let c = e.svc.order_counts().unwrap();
    assert_eq!((c.open, c.stale, c.accepted_today), (2, 1, 0));
    let stale = e
        .svc
        .orders(&OrderFilter {
            stale_only: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].id, a.id);
    let board = e.svc.orders(&OrderFilter::default()).unwrap();
    assert_eq!(board.iter().filter(|o| o.stale).count(), 1);
    // N is the chief's setting
    e.svc
        .update_setting(&chief, "order.no_contact_days", "20")
        .unwrap();
    assert!(!e.svc.order(a.id).unwrap().stale);
    assert_eq!(e.svc.order_counts().unwrap().stale, 0);
    let d = e.svc.order(b.id).unwrap();
    assert_eq!(d.contacts.len(), 1);
    assert_eq!(d.contacts[0].channel, ContactChannel::Phone);
    assert_eq!(d.contacts[0].at, "2026-12-04 09:00:00");
}

#[test]
fn the_board_filters_by_kind_stage_area_and_person() {
    let (mut e, chief) = common::with_station();
    let tq1 = add_area(&e, "TQ001");
    add_area(&e, "TQ002");
    let mgr = account(&mut e, &chief, "mgr1", Role::AreaManager);
    let cust = customer(&mut e, &chief, "张三", "TQ002");
    let a = e
        .svc
        .accept_request(
            &chief,
            &AcceptRequest {
                area_code: "TQ001".into(),
                ..new_lv(&[Document::IdProof])
            },
        )
        .unwrap();
    let mut r = AcceptRequest::new(RequestKind::Suspend);
    r.customer_id = Some(cust);
    r.received = vec![Document::IdProof];
    let b = e.svc.accept_request(&chief, &r).unwrap();
    e.svc.dispatch_order(&chief, a.id, mgr.staff_id).unwrap();
    let ids = |f: OrderFilter| -> Vec<i64> {
        e.svc
            .orders(&f)
            .unwrap()
            .into_iter()
            .map(|o| o.id)
            .collect()
    };
    assert_eq!(ids(OrderFilter::default()), [a.id, b.id]);
    assert_eq!(
        ids(OrderFilter {
            kind: Some(RequestKind::Suspend),
            ..Default::default()
        }),
        [b.id]
    );
    assert_eq!(
        ids(OrderFilter {
            area_id: Some(tq1),
            ..Default::default()
        }),
        [a.id]
    );
    assert_eq!(
        ids(OrderFilter {
            staff_id: Some(mgr.staff_id),
            ..Default::default()
        }),
        [a.id]
    );
    assert_eq!(
        ids(OrderFilter {
            stage: Some(Stage::Seal),
            ..Default::default()
        }),
        [b.id]
    );
    let board = e.svc.orders(&OrderFilter::default()).unwrap();
    assert_eq!(board[0].dispatched_name.as_deref(), Some("员工mgr1"));
    assert_eq!(board[0].current_stage, Some(Stage::Survey));
    assert_eq!(board[0].missing_documents, 1);
    // the area manager records the survey
    e.svc
        .complete_stage(&mgr, a.id, Stage::Survey, "可接入")
        .unwrap();
    let d = e.svc.order(a.id).unwrap();
    assert_eq!(d.stages[1].done_by.as_deref(), Some("员工mgr1"));
    // an auditor cannot take orders
    let aud = account(&mut e, &chief, "audit1", Role::Auditor);
    assert_eq!(
        e.svc
            .dispatch_order(&chief, a.id, aud.staff_id)
            .unwrap_err()
            .field(),
        Some("staff")
    );
}

#[test]
fn auditors_only_read() {
    let (mut e, chief) = common::with_station();
    let a = e
        .svc
        .accept_request(&chief, &new_lv(&[Document::IdProof]))
        .unwrap();
    let fee = e.svc.add_fee(&chief, a.id, "表计费", yuan("10")).unwrap();
    let aud = account(&mut e, &chief, "audit1", Role::Auditor);
    let denied = |r: Result<(), ServiceError>| assert!(matches!(r, Err(ServiceError::Denied(_))));
    denied(
        e.svc
            .accept_request(&aud, &new_lv(&[Document::IdProof]))
            .map(|_| ()),
    );
    denied(e.svc.dispatch_order(&aud, a.id, chief.staff_id));
    denied(
        e.svc
            .complete_stage(&aud, a.id, Stage::Survey, "")
            .map(|_| ()),
    );
    denied(e.svc.record_contact(&aud, a.id, ContactChannel::Phone, "x"));
    denied(e.svc.supply_document(&aud, a.id, Document::PropertyProof));
    denied(e.svc.add_fee(&aud, a.id, "x", yuan("1")).map(|_| ()));
    denied(e.svc.collect_fee(&aud, fee).map(|_| ()));
    denied(e.svc.cancel_order(&aud, a.id, "x"));
    denied(e.svc.set_fast_channel(&aud, a.id, true, "x"));
    // reading is fine
    assert_eq!(e.svc.order(a.id).unwrap().events.len(), 2);
}

#[test]
fn every_change_is_audited_and_the_chain_verifies() {
    let (mut e, chief) = common::with_station();
    let clerk = account(&mut e, &chief, "clerk1", Role::Clerk);
    let before = stationdesk::store::audit::count(e.svc.store().conn()).unwrap();
    let a = e
        .svc
        .accept_request(&clerk, &new_lv(&[Document::IdProof]))
        .unwrap();
    e.svc.dispatch_order(&clerk, a.id, chief.staff_id).unwrap();
    e.svc
        .record_contact(&clerk, a.id, ContactChannel::Visit, "上门查看")
        .unwrap();
    e.svc
        .complete_stage(&clerk, a.id, Stage::Survey, "可接入")
        .unwrap();
    let fee = e
        .svc
        .add_fee(&clerk, a.id, "表计费", yuan("88.80"))
        .unwrap();
    e.svc.collect_fee(&clerk, fee).unwrap();
    e.svc
        .supply_document(&clerk, a.id, Document::PropertyProof)
        .unwrap();
    e.svc.cancel_order(&clerk, a.id, "客户改期另办").unwrap();
    let entries = stationdesk::store::audit::recent(e.svc.store().conn(), 9, 0).unwrap();
    let mut actions: Vec<_> = entries.iter().map(|x| x.action.as_str()).collect();
    actions.reverse();
    // collecting the fee is a payment with its receipt (issue 6), recorded on the
    // receipt and on the order
    assert_eq!(
        actions,
        [
            "order.accept",
            "order.dispatch",
            "order.contact",
            "order.stage",
            "order.fee_add",
            "payment.take",
            "order.fee_collect",
            "order.document",
            "order.cancel"
        ]
    );
    assert!(
        entries
            .iter()
            .filter(|x| x.action != "payment.take")
            .all(|x| x.entity_id == a.tracking_no)
    );
    let payment = entries.iter().find(|x| x.action == "payment.take").unwrap();
    assert_eq!(payment.entity, "receipt");
    assert!(payment.changes.contains("88.80"), "{}", payment.changes);
    // personal data masked in the trail
    let accept = &entries[8];
    assert!(
        accept.changes.contains("1101**********002X"),
        "{}",
        accept.changes
    );
    assert!(!accept.changes.contains(ID));
    assert_eq!(
        stationdesk::store::audit::count(e.svc.store().conn()).unwrap(),
        before + 9
    );
    let report = e.svc.verify().unwrap();
    assert!(report.ok(), "{report:?}");
}

#[test]
fn a_completed_new_connection_opens_the_applicants_customer_file() {
    use stationdesk::domain::work_order::{ConnectionClass, Document, OrderState, RequestKind};
    use stationdesk::service::orders::{AcceptRequest, Applicant};
    let (mut e, chief) = common::with_station();
    let mut req = AcceptRequest::new(RequestKind::NewConnection);
    req.class = Some(ConnectionClass::LvResidential);
    req.applicant = Some(Applicant {
        name: "刘洋".into(),
        id_number: "11010519491231002X".into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村9组1号".into(),
    });
    req.received = vec![Document::IdProof];
    let a = e.svc.accept_request(&chief, &req).unwrap();
    for d in e.svc.order(a.id).unwrap().missing_documents() {
        e.svc.supply_document(&chief, a.id, d).unwrap();
    }
    let mut state = OrderState::Open;
    for st in a.stages.iter().skip(1) {
        state = e.svc.complete_stage(&chief, a.id, *st, "").unwrap();
    }
    assert_eq!(state, OrderState::Completed);
    let o = e.svc.order(a.id).unwrap();
    let cid = o.customer_id.expect("file opened");
    let f = e.svc.customer_file(cid).unwrap();
    assert_eq!(f.name, "刘洋");
    assert_eq!(Some(f.account_no.clone()), o.account_no);
    assert_eq!(e.svc.search_customers("ly", 5, 0).unwrap().hits[0].id, cid);
    assert!(o.events.iter().any(|ev| ev.detail.contains("建立客户档案")));
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn suspend_resume_and_close_change_the_customers_status_when_done() {
    use stationdesk::domain::customer::{CustomerKind, UsageCategory};
    use stationdesk::domain::customer_file::CustomerDraft;
    use stationdesk::domain::work_order::{Document, RequestKind};
    use stationdesk::service::orders::AcceptRequest;
    let (mut e, chief) = common::with_station();
    let draft = CustomerDraft {
        name: "张三".into(),
        kind: Some(CustomerKind::Person),
        id_number: "11010519491231002X".into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村3组8号".into(),
        usage: Some(UsageCategory::Residential),
        contracted_kva: "6".into(),
        ..Default::default()
    };
    let cid = e.svc.create_customer(&chief, &draft, "").unwrap();
    for (kind, label) in [
        (RequestKind::Suspend, "暂停"),
        (RequestKind::Resume, "正常"),
        (RequestKind::Close, "已销户"),
    ] {
        let mut req = AcceptRequest::new(kind);
        req.customer_id = Some(cid);
        req.received = vec![Document::IdProof];
        let a = e.svc.accept_request(&chief, &req).unwrap();
        for d in e.svc.order(a.id).unwrap().missing_documents() {
            e.svc.supply_document(&chief, a.id, d).unwrap();
        }
        for st in a.stages.iter().skip(1) {
            e.svc.complete_stage(&chief, a.id, *st, "").unwrap();
        }
        assert_eq!(
            e.svc.customer_file(cid).unwrap().status_label,
            label,
            "{kind:?}"
        );
    }
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn change_requests_put_their_new_values_on_the_file_when_done() {
    use stationdesk::domain::customer::{CustomerKind, UsageCategory};
    use stationdesk::domain::customer_file::CustomerDraft;
    use stationdesk::domain::file_change::ChangeInput;
    use stationdesk::domain::work_order::{Document, RequestKind};
    use stationdesk::service::orders::AcceptRequest;
    let (mut e, chief) = common::with_station();
    let draft = CustomerDraft {
        name: "张三".into(),
        kind: Some(CustomerKind::Person),
        id_number: "11010519491231002X".into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村3组8号".into(),
        usage: Some(UsageCategory::Residential),
        contracted_kva: "6".into(),
        ..Default::default()
    };
    let cid = e.svc.create_customer(&chief, &draft, "").unwrap();
    let mut run = |kind: RequestKind, change: ChangeInput| {
        let mut req = AcceptRequest::new(kind);
        req.customer_id = Some(cid);
        req.received = vec![Document::IdProof];
        let a = e.svc.accept_request_with_change(&chief, &req, &change)?;
        for d in e.svc.order(a.id).unwrap().missing_documents() {
            e.svc.supply_document(&chief, a.id, d).unwrap();
        }
        for st in a.stages.iter().skip(1) {
            e.svc.complete_stage(&chief, a.id, *st, "").unwrap();
        }
        Ok::<_, stationdesk::service::ServiceError>(())
    };
    // 增容 must raise the capacity: refused at the field, nothing accepted
    let low = ChangeInput {
        new_kva: "5".into(),
        ..Default::default()
    };
    assert_eq!(
        run(RequestKind::CapacityIncrease, low).unwrap_err().field(),
        Some("new_kva")
    );
    run(
        RequestKind::CapacityIncrease,
        ChangeInput {
            new_kva: "10".into(),
            ..Default::default()
        },
    )
    .unwrap();
    run(
        RequestKind::Rename,
        ChangeInput {
            new_name: "张三丰".into(),
            ..Default::default()
        },
    )
    .unwrap();
    run(
        RequestKind::ChangeCategory,
        ChangeInput {
            new_usage: "2".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let f = e.svc.customer_file(cid).unwrap();
    assert_eq!(f.contracted_kva, "10");
    assert_eq!(f.name, "张三丰");
    assert_eq!(f.usage_label, "一般工商业");
    assert_eq!(
        e.svc.search_customers("zsf", 5, 0).unwrap().hits[0].id,
        cid,
        "initials follow"
    );
    assert!(e.svc.verify().unwrap().ok());
}

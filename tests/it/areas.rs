//! 台区 maintenance: the chief creates and changes them, every change audited.
use crate::common;

use stationdesk::domain::role::Role;
use stationdesk::service::ServiceError;
use stationdesk::service::areas::AreaInput;
use stationdesk::service::auth::NewAccount;

fn input(code: &str, manager: &str) -> AreaInput {
    AreaInput {
        code: code.into(),
        name: "王庄1号台区".into(),
        capacity_kva: "315".into(),
        manager: manager.into(),
        active: true,
        area_type: None,
    }
}

#[test]
fn the_chief_keeps_the_areas_and_every_change_is_audited() {
    let (mut e, chief) = common::with_station();
    for (user, role) in [("taiqu1", Role::AreaManager), ("yingye1", Role::Clerk)] {
        e.svc
            .create_account(
                &chief,
                &NewAccount {
                    username: user.into(),
                    display_name: "员工".into(),
                    role: Some(role),
                    is_admin: false,
                    password: "first-pw1".into(),
                    phone: "".into(),
                },
            )
            .unwrap();
    }
    let id = e
        .svc
        .create_area(&chief, &input("tq001", "taiqu1"))
        .unwrap();
    let a = &e.svc.areas().unwrap()[0];
    assert_eq!(
        (a.code.as_str(), a.manager_username.as_deref()),
        ("TQ001", Some("taiqu1"))
    );
    assert_eq!(
        e.svc
            .create_area(&chief, &input("TQ001", ""))
            .unwrap_err()
            .field(),
        Some("code")
    );
    assert_eq!(
        e.svc
            .create_area(&chief, &input("TQ002", "yingye1"))
            .unwrap_err()
            .field(),
        Some("manager")
    );
    let mut bad = input("TQ002", "");
    bad.capacity_kva = "很大".into();
    assert_eq!(
        e.svc.create_area(&chief, &bad).unwrap_err().field(),
        Some("capacity")
    );

    let mut change = input("", "");
    change.capacity_kva = "400".into();
    change.active = false;
    e.svc.update_area(&chief, id, &change).unwrap();
    let last = stationdesk::store::audit::recent(e.svc.store().conn(), 1, 0)
        .unwrap()
        .remove(0);
    assert_eq!(last.action, "area.update");
    assert!(
        last.changes.contains("315") && last.changes.contains("400"),
        "{}",
        last.changes
    );
    assert!(!e.svc.areas().unwrap()[0].active, "kept, set inactive");

    let clerk = e.svc.sign_in("yingye1", "first-pw1").unwrap();
    assert!(matches!(
        e.svc.create_area(&clerk, &input("TQ009", "")),
        Err(ServiceError::Denied(_))
    ));
    assert!(e.svc.verify().unwrap().ok());
}

/// Issue 18: with `order.auto_dispatch` on, a new order goes to its 台区's area manager in
/// the acceptance's transaction (audited); off, nobody is chosen for the clerk.
#[test]
fn new_orders_go_to_the_area_manager_when_the_chief_says_so() {
    use stationdesk::domain::work_order::{ConnectionClass, Document, RequestKind};
    use stationdesk::service::orders::{AcceptRequest, Applicant};
    let (mut e, chief) = common::with_station();
    e.svc
        .create_account(
            &chief,
            &NewAccount {
                username: "taiqu1".into(),
                display_name: "高红梅".into(),
                role: Some(Role::AreaManager),
                is_admin: false,
                password: "first-pw1".into(),
                phone: "".into(),
            },
        )
        .unwrap();
    e.svc
        .create_area(&chief, &input("TQ001", "taiqu1"))
        .unwrap();
    let req = AcceptRequest {
        class: Some(ConnectionClass::LvResidential),
        applicant: Some(Applicant {
            name: "刘洋".into(),
            id_number: "11010519491231002X".into(),
            phone: "13912345678".into(),
            address: "柳林镇东村5号".into(),
        }),
        area_code: "TQ001".into(),
        received: vec![Document::IdProof],
        ..AcceptRequest::new(RequestKind::NewConnection)
    };
    let off = e.svc.accept_request(&chief, &req).unwrap();
    assert_eq!(e.svc.order(off.id).unwrap().dispatched_name, None);
    e.svc
        .update_setting(&chief, "order.auto_dispatch", "是")
        .unwrap();
    let on = e.svc.accept_request(&chief, &req).unwrap();
    let o = e.svc.order(on.id).unwrap();
    assert_eq!(o.dispatched_name.as_deref(), Some("高红梅"));
    let audited: i64 = e
        .svc
        .store()
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'order.dispatch' AND entity_id = ?1",
            [&on.tracking_no],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
    assert!(e.svc.verify().unwrap().ok());
}

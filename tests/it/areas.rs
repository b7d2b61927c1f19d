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

//! Customer files through the service: create (complete or with items missing), generated
//! and typed 户号, edits audited with personal data masked, initials following the name.
use crate::common;

use stationdesk::domain::customer::{CustomerKind, UsageCategory};
use stationdesk::domain::customer_file::CustomerDraft;
use stationdesk::domain::role::Role;
use stationdesk::service::ServiceError;
use stationdesk::service::auth::NewAccount;

fn draft(name: &str) -> CustomerDraft {
    CustomerDraft {
        name: name.into(),
        kind: Some(CustomerKind::Person),
        id_number: "11010519491231002X".into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村3组8号".into(),
        usage: Some(UsageCategory::Residential),
        area_code: String::new(),
        supply_voltage: String::new(),
        contracted_kva: "6".into(),
        notes: String::new(),
    }
}

fn last_audit(e: &common::Env) -> stationdesk::store::audit::Entry {
    stationdesk::store::audit::recent(e.svc.store().conn(), 1, 0)
        .unwrap()
        .remove(0)
}

#[test]
fn files_get_generated_account_numbers_in_order() {
    let (mut e, chief) = common::with_station();
    let a = e.svc.create_customer(&chief, &draft("张三"), "").unwrap();
    let b = e.svc.create_customer(&chief, &draft("李四"), "").unwrap();
    let fa = e.svc.customer_file(a).unwrap();
    let fb = e.svc.customer_file(b).unwrap();
    assert_eq!(fa.account_no, "0370000000001");
    assert_eq!(fb.account_no, "0370000000002");
    // the pattern is the chief's
    e.svc
        .update_setting(&chief, "customer.account_pattern", "0371#########")
        .unwrap();
    let c = e.svc.create_customer(&chief, &draft("王五"), "").unwrap();
    assert_eq!(e.svc.customer_file(c).unwrap().account_no, "0371000000001");
    // a typed number: 10 or 13 digits, never taken twice
    assert_eq!(
        e.svc
            .create_customer(&chief, &draft("赵六"), "12345")
            .unwrap_err()
            .field(),
        Some("account_no")
    );
    let err = e
        .svc
        .create_customer(&chief, &draft("赵六"), "0370000000001")
        .unwrap_err();
    assert!(err.message().contains("已被使用"), "{}", err.message());
    e.svc
        .create_customer(&chief, &draft("赵六"), "3701234567")
        .unwrap();
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn a_file_with_items_missing_is_kept_and_marked_incomplete() {
    let (mut e, chief) = common::with_station();
    let d = CustomerDraft {
        name: "孙七".into(),
        kind: Some(CustomerKind::Person),
        id_number: "11010519491231002X".into(),
        usage: Some(UsageCategory::Residential),
        ..Default::default()
    };
    let id = e.svc.create_customer(&chief, &d, "").unwrap();
    let f = e.svc.customer_file(id).unwrap();
    assert!(f.docs_incomplete);
    let entry = last_audit(&e);
    assert_eq!(entry.action, "customer.create");
    assert!(entry.changes.contains("联系电话"), "{}", entry.changes);
    assert!(
        !entry.changes.contains("11010519491231002X"),
        "ID masked in the trail"
    );
    assert_eq!(e.svc.dashboard().unwrap().incomplete_files, 1);
}

#[test]
fn bad_input_names_its_field_and_nothing_is_written() {
    let (mut e, chief) = common::with_station();
    let mut d = draft("周八");
    d.id_number = "110105194912310021".into();
    assert_eq!(
        e.svc.create_customer(&chief, &d, "").unwrap_err().field(),
        Some("id_number")
    );
    let mut d = draft("周八");
    d.area_code = "TQ999".into();
    assert_eq!(
        e.svc.create_customer(&chief, &d, "").unwrap_err().field(),
        Some("area")
    );
    assert_eq!(e.svc.dashboard().unwrap().customers, 0);
}

#[test]
fn edits_are_audited_masked_and_the_initials_follow_the_name() {
    let (mut e, chief) = common::with_station();
    let id = e.svc.create_customer(&chief, &draft("张三"), "").unwrap();
    assert_eq!(e.svc.search_customers("zs", 10, 0).unwrap().hits.len(), 1);
    let mut d = draft("王小明");
    d.phone = "13900005678".into();
    // the 户名 changes through 更名/过户; here only as a correction, with its reason
    let err = e.svc.update_customer(&chief, id, &d).unwrap_err();
    assert_eq!(err.field(), Some("name"));
    assert!(err.message().contains("更名或过户"), "{}", err.message());
    e.svc
        .correct_customer(&chief, id, &d, "建档时姓名录错")
        .unwrap();
    let entry = last_audit(&e);
    assert_eq!(entry.action, "customer.correct");
    assert!(
        entry.changes.contains("建档时姓名录错"),
        "{}",
        entry.changes
    );
    assert!(
        entry.changes.contains("张三") && entry.changes.contains("王小明"),
        "{}",
        entry.changes
    );
    assert!(entry.changes.contains("139****5678"), "{}", entry.changes);
    assert!(
        !entry.changes.contains("13900005678"),
        "phone masked in the trail"
    );
    assert_eq!(e.svc.search_customers("zs", 10, 0).unwrap().hits.len(), 0);
    assert_eq!(e.svc.search_customers("wxm", 10, 0).unwrap().hits[0].id, id);
    // the full ID number and phone: shown with a reason, audited
    assert_eq!(
        e.svc
            .reveal_customer_contact(&chief, id, " ")
            .unwrap_err()
            .field(),
        Some("reason")
    );
    let (_, phone) = e
        .svc
        .reveal_customer_contact(&chief, id, "客户来电核对")
        .unwrap();
    assert_eq!(phone, "13900005678");
    let entry = last_audit(&e);
    assert_eq!(entry.action, "customer.reveal");
    assert!(entry.changes.contains("客户来电核对"), "{}", entry.changes);
    // no change, no entry
    let before = stationdesk::store::audit::count(e.svc.store().conn()).unwrap();
    e.svc.update_customer(&chief, id, &d).unwrap();
    assert_eq!(
        stationdesk::store::audit::count(e.svc.store().conn()).unwrap(),
        before
    );
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn an_auditor_cannot_open_or_change_files() {
    let (mut e, chief) = common::with_station();
    e.svc
        .create_account(
            &chief,
            &NewAccount {
                username: "jicha".into(),
                display_name: "赵敏".into(),
                role: Some(Role::Auditor),
                is_admin: false,
                password: "audit-pw1".into(),
                phone: "".into(),
            },
        )
        .unwrap();
    let auditor = e.svc.sign_in("jicha", "audit-pw1").unwrap();
    assert!(matches!(
        e.svc.create_customer(&auditor, &draft("张三"), ""),
        Err(ServiceError::Denied(_))
    ));
}

#[test]
fn incomplete_files_are_listed_for_the_area_manager_who_must_complete_them() {
    use stationdesk::service::areas::AreaInput;
    let (mut e, chief) = common::with_station();
    for u in ["taiqu1", "taiqu2"] {
        e.svc
            .create_account(
                &chief,
                &NewAccount {
                    username: u.into(),
                    display_name: u.into(),
                    role: Some(Role::AreaManager),
                    is_admin: false,
                    password: "first-pw1".into(),
                    phone: "".into(),
                },
            )
            .unwrap();
    }
    for (code, m) in [("TQ001", "taiqu1"), ("TQ002", "taiqu2")] {
        e.svc
            .create_area(
                &chief,
                &AreaInput {
                    code: code.into(),
                    name: format!("{code}台区"),
                    capacity_kva: "315".into(),
                    manager: m.into(),
                    active: true,
                    area_type: None,
                },
            )
            .unwrap();
    }
    for (name, area) in [("甲", "TQ001"), ("乙", "TQ002"), ("丙", "TQ001")] {
        let mut d = draft(name);
        d.area_code = area.into();
        d.phone = String::new(); // missing: incomplete
        e.svc.create_customer(&chief, &d, "").unwrap();
    }
    let mut complete = draft("丁");
    complete.area_code = "TQ001".into();
    e.svc.create_customer(&chief, &complete, "").unwrap();
    let names = |hits: Vec<stationdesk::service::search::CustomerHit>| {
        hits.into_iter().map(|h| h.name).collect::<Vec<_>>()
    };
    assert_eq!(
        names(e.svc.incomplete_files(&chief, 50).unwrap()),
        ["甲", "乙", "丙"]
    );
    let m1 = e.svc.sign_in("taiqu1", "first-pw1").unwrap();
    assert_eq!(
        names(e.svc.incomplete_files(&m1, 50).unwrap()),
        ["甲", "丙"]
    );
}

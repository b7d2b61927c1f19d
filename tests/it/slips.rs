//! The acceptance slip of a real order: printed to the print folder, text read back,
//! reprints marked 补打 and counted in the audit trail.
use crate::common;

use stationdesk::domain::work_order::{ConnectionClass, Document, RequestKind};
use stationdesk::service::orders::{AcceptRequest, Applicant};

fn pdf_text(path: &std::path::Path) -> String {
    let doc = lopdf::Document::load(path).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap().replace('\n', "")
}

#[test]
fn a_new_connection_slip_prints_and_reprints() {
    let (mut e, chief) = common::with_station();
    let mut req = AcceptRequest::new(RequestKind::NewConnection);
    req.class = Some(ConnectionClass::LvResidential);
    req.applicant = Some(Applicant {
        name: "王小明".into(),
        id_number: "11010519491231002X".into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村3组8号".into(),
    });
    req.received = vec![Document::IdProof];
    req.description = "新建住宅用电".into();
    let accepted = e.svc.accept_request(&chief, &req).unwrap();

    let first = e.svc.print_slip(&chief, accepted.id).unwrap();
    let text = pdf_text(&first.path);
    assert!(text.contains(&accepted.tracking_no), "{text}");
    assert!(text.contains("王小明"), "{text}");
    assert!(text.contains("1101**********002X"), "masked ID: {text}");
    assert!(!text.contains("19491231"), "no full ID: {text}");
    assert!(text.contains("待补资料"), "{text}");
    assert!(
        text.contains("新建住宅用电"),
        "the request is on the slip: {text}"
    );
    assert!(
        !text.contains("补打"),
        "the original is not a reprint: {text}"
    );

    let second = e.svc.print_slip(&chief, accepted.id).unwrap();
    assert_ne!(first.path, second.path, "never overwritten");
    assert!(pdf_text(&second.path).contains("补打（第 1 次）"));
    let prints = stationdesk::store::audit::count_for(
        e.svc.store().conn(),
        "order.print_slip",
        "work_order",
        &accepted.tracking_no,
    )
    .unwrap();
    assert_eq!(prints, 2);
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn a_change_request_slip_shows_the_new_values() {
    use stationdesk::domain::customer::{CustomerKind, UsageCategory};
    use stationdesk::domain::customer_file::CustomerDraft;
    use stationdesk::domain::file_change::ChangeInput;
    let (mut e, chief) = common::with_station();
    // the customer's 台区 has an area manager the customer can call
    e.svc
        .create_account(
            &chief,
            &stationdesk::service::auth::NewAccount {
                username: "taiqu1".into(),
                display_name: "高红梅".into(),
                role: Some(stationdesk::domain::role::Role::AreaManager),
                is_admin: false,
                password: "first-pw1".into(),
                phone: "13706357762".into(),
            },
        )
        .unwrap();
    e.svc
        .create_area(
            &chief,
            &stationdesk::service::areas::AreaInput {
                code: "TQ001".into(),
                name: "王庄1号台区".into(),
                capacity_kva: "315".into(),
                manager: "taiqu1".into(),
                active: true,
                area_type: None,
            },
        )
        .unwrap();
    let cid = e
        .svc
        .create_customer(
            &chief,
            &CustomerDraft {
                name: "张三".into(),
                kind: Some(CustomerKind::Person),
                id_number: "11010519491231002X".into(),
                phone: "13800001234".into(),
                address: "柳林镇王庄村3组8号".into(),
                usage: Some(UsageCategory::Residential),
                contracted_kva: "6".into(),
                area_code: "TQ001".into(),
                ..Default::default()
            },
            "",
        )
        .unwrap();
    let mut req = AcceptRequest::new(RequestKind::CapacityIncrease);
    req.customer_id = Some(cid);
    req.received = vec![Document::IdProof];
    req.description = "家里装空调".into();
    let change = ChangeInput {
        new_kva: "10".into(),
        ..Default::default()
    };
    let a = e
        .svc
        .accept_request_with_change(&chief, &req, &change)
        .unwrap();
    let out = e.svc.print_slip(&chief, a.id).unwrap();
    let text = pdf_text(&out.path);
    // issue 18: the capacity on file beside the new one, and whom to call
    assert!(
        text.contains("家里装空调；合同容量 6 kVA → 10 kVA"),
        "{text}"
    );
    assert!(
        text.contains("台区经理：高红梅  电话 13706357762"),
        "{text}"
    );
}

/// Issue 18: 新装 asks for the capacity applied for; the slip prints it and the file opened
/// at the end takes it as its 合同容量.
#[test]
fn a_new_connection_asks_for_its_capacity_and_the_file_gets_it() {
    use stationdesk::domain::file_change::ChangeInput;
    use stationdesk::domain::work_order::ConnectionClass;
    use stationdesk::service::orders::Applicant;
    let (mut e, chief) = common::with_station();
    let mut req = AcceptRequest::new(RequestKind::NewConnection);
    req.class = Some(ConnectionClass::LvResidential);
    req.applicant = Some(Applicant {
        name: "刘洋".into(),
        id_number: "11010519491231002X".into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村9组1号".into(),
    });
    req.received = vec![Document::IdProof, Document::PropertyProof];
    let none = ChangeInput::default();
    assert_eq!(
        e.svc
            .accept_request_with_change(&chief, &req, &none)
            .unwrap_err()
            .field(),
        Some("new_kva"),
        "asked for"
    );
    let change = ChangeInput {
        new_kva: "８".into(),
        ..Default::default()
    };
    let a = e
        .svc
        .accept_request_with_change(&chief, &req, &change)
        .unwrap();
    let out = e.svc.print_slip(&chief, a.id).unwrap();
    let text = pdf_text(&out.path);
    assert!(text.contains("申请容量 8 kVA"), "{text}");
    for stage in a.stages.iter().skip(1) {
        e.svc.complete_stage(&chief, a.id, *stage, "").unwrap();
    }
    let o = e.svc.order(a.id).unwrap();
    let cid = o.customer_id.expect("the file opened at the end");
    let draft = e.svc.customer_draft(&chief, cid).unwrap();
    assert_eq!(draft.contracted_kva, "8");
}

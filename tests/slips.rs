//! The acceptance slip of a real order: printed to the print folder, text read back,
//! reprints marked 补打 and counted in the audit trail.
mod common;

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

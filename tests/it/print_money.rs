//! The receipt and the day-end report printed through the service: the PDF in the print
//! folder carries the number, the amount in figures and in capitals, the customer; a second
//! print is marked 补打 with its number.
use crate::common::billing_env;

use billing_env::*;
use stationdesk::domain::billing::PayMethod;
use stationdesk::domain::customer::UsageCategory;
use stationdesk::service::payments::Payer;

fn text_of(path: &std::path::Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn a_receipt_prints_with_its_number_amounts_and_reprint_mark() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a, "2026-10", 1840, "1005.00", "2026-11-25")],
    );
    let mut req = request(Payer::Customer(c), "1005.00", PayMethod::Cash);
    req.tendered = Some(yuan("1100.00"));
    let done = b.e.svc.take_payment(&b.clerk, &req).unwrap();
    let first =
        b.e.svc
            .print_receipt(&b.clerk, done.receipt_id, false)
            .unwrap();
    let t = text_of(&first.path);
    for want in [
        "SJ2026000001",
        "张三",
        &a,
        "1,005.00",
        "壹仟零伍元整",
        "员工clerk1",
        "95.00",
    ] {
        assert!(t.contains(want), "{want} missing in {t}");
    }
    assert!(!t.contains("补打"));
    let again =
        b.e.svc
            .print_receipt(&b.clerk, done.receipt_id, false)
            .unwrap();
    assert_ne!(again.path, first.path, "never overwritten");
    assert!(text_of(&again.path).contains("补打（第1次）"));
}

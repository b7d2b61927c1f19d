//! Readings, bills computed here, review and release, line loss (issue 15), through the
//! service on a temporary database with the clock set to each reading day.
use chrono::NaiveDate;
use stationdesk::domain::billing::Period;
use stationdesk::domain::customer::{CustomerKind, UsageCategory};
use stationdesk::domain::customer_file::CustomerDraft;
use stationdesk::domain::meter::SwapReason;
use stationdesk::domain::reading::ReadingKind;
use stationdesk::domain::role::Role;
use stationdesk::domain::tariff::ReviewFlag;
use stationdesk::service::areas::AreaInput;
use stationdesk::service::meters::{ReceiveInput, SwapInput};
use stationdesk::service::readings::ReadingEntry;

use crate::common::billing_env::{self, Bench, yuan};

pub(crate) fn period(s: &str) -> Period {
    Period::parse(s).unwrap()
}

pub(crate) fn on(b: &Bench, y: i32, m: u32, d: u32) {
    b.e.clock.set(
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    );
}

/// A station with 台区 TQ001; returns its id.
pub(crate) fn area(b: &mut Bench) -> i64 {
    b.e.svc
        .create_area(
            &b.chief,
            &AreaInput {
                code: "TQ001".into(),
                name: "王庄1号台区".into(),
                capacity_kva: "315".into(),
                manager: String::new(),
                active: true,
                area_type: None,
            },
        )
        .unwrap()
}

/// A customer on TQ001 with a meter `asset` installed on 2026-01-05 reading `initial`.
pub(crate) fn customer(
    b: &mut Bench,
    name: &str,
    usage: UsageCategory,
    asset: &str,
    initial: &str,
) -> i64 {
    let d = CustomerDraft {
        name: name.into(),
        kind: Some(CustomerKind::Person),
        id_number: billing_env::ID.into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村3组8号".into(),
        usage: Some(usage),
        contracted_kva: "6".into(),
        area_code: "TQ001".into(),
        ..Default::default()
    };
    let id = b.e.svc.create_customer(&b.clerk, &d, "").unwrap();
    receive(b, asset);
    on(b, 2026, 1, 5);
    b.e.svc
        .swap_meter(
            &b.clerk,
            &SwapInput {
                customer_id: id,
                new_asset_no: asset.into(),
                new_initial: initial.into(),
                swapped_on: "2026-01-05".into(),
                reason: Some(SwapReason::Install),
                ..Default::default()
            },
        )
        .unwrap();
    id
}

pub(crate) fn receive(b: &mut Bench, asset: &str) {
    b.e.svc
        .receive_meters(
            &b.clerk,
            &ReceiveInput {
                first: asset.into(),
                last: String::new(),
                kind: "单相表".into(),
                accuracy: "2".into(),
                maker: "华立".into(),
                batch: "B2025".into(),
                digits: "5".into(),
                produced_on: "2025-03-01".into(),
                verified_on: "2025-03-15".into(),
                ..Default::default()
            },
        )
        .unwrap();
}

pub(crate) fn meter_id(b: &Bench, asset: &str) -> i64 {
    b.e.svc.meter_by_asset_no(asset).unwrap().unwrap().id
}

pub(crate) fn read(b: &mut Bench, asset: &str, p: &str, value: &str) {
    let meter_id = meter_id(b, asset);
    b.e.svc
        .record_reading(
            &b.clerk,
            &ReadingEntry {
                meter_id,
                period: period(p),
                kind: ReadingKind::Actual,
                value: value.into(),
                reason: String::new(),
                rollover: false,
            },
        )
        .unwrap();
}

fn bill_of(b: &Bench, customer: i64, p: &str) -> Option<(i64, i64, String)> {
    b.e.svc
        .store()
        .conn()
        .query_row(
            "SELECT kwh, amount_fen, source FROM bill WHERE customer_id = ?1 AND period = ?2",
            rusqlite::params![customer, p],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .ok()
}

fn accept_all(b: &mut Bench, area: i64, p: &str) -> Vec<ReviewFlag> {
    let flags = b.e.svc.review_flags(area, period(p)).unwrap();
    for f in &flags {
        b.e.svc
            .decide_flag(&b.clerk, f.flag_id, true, "已核实")
            .unwrap();
    }
    flags.iter().map(|f| f.flag).collect()
}

#[test]
fn a_bill_across_a_tier_boundary_is_split_and_january_starts_again() {
    let mut b = billing_env::bench();
    let a = area(&mut b);
    let c = customer(
        &mut b,
        "李四",
        UsageCategory::Residential,
        "3710000001",
        "0",
    );
    on(&b, 2026, 9, 25);
    read(&mut b, "3710000001", "2026-09", "2400");
    let done =
        b.e.svc
            .compute_bills(&b.clerk, period("2026-09"), Some(a))
            .unwrap();
    assert_eq!((done.computed, done.flagged), (1, 0));
    let r =
        b.e.svc
            .release_book(&b.clerk, a, period("2026-09"))
            .unwrap();
    assert_eq!((r.released, r.bills, r.kwh), (1, 1, 2400));
    // 2400 × 0.5469 = 1312.56
    assert_eq!(
        bill_of(&b, c, "2026-09"),
        Some((2400, 131_256, "local".into()))
    );

    on(&b, 2026, 10, 25);
    read(&mut b, "3710000001", "2026-10", "2700");
    let done =
        b.e.svc
            .compute_bills(&b.clerk, period("2026-10"), Some(a))
            .unwrap();
    // 300 against an average of 2400: held
    assert_eq!((done.computed, done.flagged), (1, 1));
    let held =
        b.e.svc
            .release_book(&b.clerk, a, period("2026-10"))
            .unwrap_err();
    assert!(held.to_string().contains("待复核"), "{held}");
    assert_eq!(bill_of(&b, c, "2026-10"), None);
    assert_eq!(
        accept_all(&mut b, a, "2026-10"),
        vec![ReviewFlag::VersusAverage]
    );
    // computing again with the same readings keeps the decision
    let again =
        b.e.svc
            .compute_bills(&b.clerk, period("2026-10"), Some(a))
            .unwrap();
    assert_eq!((again.computed, again.unchanged), (0, 1));
    b.e.svc
        .release_book(&b.clerk, a, period("2026-10"))
        .unwrap();
    // 120 × 0.5469 = 65.63 and 180 × 0.5969 = 107.44
    assert_eq!(
        bill_of(&b, c, "2026-10"),
        Some((300, 17_307, "local".into()))
    );

    on(&b, 2027, 1, 25);
    read(&mut b, "3710000001", "2027-01", "3000");
    b.e.svc
        .compute_bills(&b.clerk, period("2027-01"), Some(a))
        .unwrap();
    accept_all(&mut b, a, "2027-01");
    b.e.svc
        .release_book(&b.clerk, a, period("2027-01"))
        .unwrap();
    // a new year: all 300 at the first tier, 164.07
    assert_eq!(
        bill_of(&b, c, "2027-01"),
        Some((300, 16_407, "local".into()))
    );
    // a released month's reading is fixed
    on(&b, 2027, 1, 26);
    let m = meter_id(&b, "3710000001");
    let e =
        b.e.svc
            .record_reading(
                &b.clerk,
                &ReadingEntry {
                    meter_id: m,
                    period: period("2027-01"),
                    kind: ReadingKind::Actual,
                    value: "3010".into(),
                    reason: String::new(),
                    rollover: false,
                },
            )
            .unwrap_err();
    assert!(e.to_string().contains("已发行"), "{e}");
}

/// Compute one 台区's bills of a month (as the clerk's `C` on the book).
fn compute(
    b: &mut Bench,
    area: i64,
    p: &str,
) -> stationdesk::service::readings::compute::Computation {
    b.e.svc
        .compute_bills(&b.clerk, period(p), Some(area))
        .unwrap()
}

/// Release one 台区's book of a month.
fn release(b: &mut Bench, area: i64, p: &str) -> stationdesk::service::readings::bills::Release {
    b.e.svc.release_book(&b.clerk, area, period(p)).unwrap()
}

/// A month computed for two customers: one new draft held by a flag, then its reading
/// corrected and the month computed again (the draft computed before is computed anew,
/// the other kept), a third customer's first draft beside it; the seals verify.
#[test]
fn a_corrected_reading_computes_its_draft_again_beside_new_ones() {
    let mut b = billing_env::bench();
    let a = area(&mut b);
    let c1 = customer(
        &mut b,
        "钱一",
        UsageCategory::Residential,
        "3710000001",
        "0",
    );
    let c2 = customer(
        &mut b,
        "孙二",
        UsageCategory::Residential,
        "3710000002",
        "0",
    );
    on(&b, 2026, 9, 25);
    read(&mut b, "3710000001", "2026-09", "200");
    read(&mut b, "3710000002", "2026-09", "200");
    compute(&mut b, a, "2026-09");
    release(&mut b, a, "2026-09");
    on(&b, 2026, 10, 25);
    // 2000 against an average of 200: held
    read(&mut b, "3710000001", "2026-10", "2200");
    read(&mut b, "3710000002", "2026-10", "400");
    let first = compute(&mut b, a, "2026-10");
    assert_eq!((first.computed, first.flagged), (2, 1));
    let flags = b.e.svc.review_flags(a, period("2026-10")).unwrap();
    assert_eq!(
        flags
            .iter()
            .map(|f| (f.customer_id, f.kwh, f.flag))
            .collect::<Vec<_>>(),
        vec![(c1, 2000, ReviewFlag::VersusAverage)],
        "the flag on the first customer's draft"
    );
    // the reading corrected; a third customer read for the first time this month
    read(&mut b, "3710000001", "2026-10", "410");
    let c3 = customer(
        &mut b,
        "周三",
        UsageCategory::Residential,
        "3710000003",
        "0",
    );
    on(&b, 2026, 10, 26);
    read(&mut b, "3710000003", "2026-10", "150");
    let again = compute(&mut b, a, "2026-10");
    assert_eq!(
        (again.computed, again.unchanged, again.flagged),
        (2, 1, 0),
        "{again:?}"
    );
    // the old flags belong to the old computation: nothing holds the book now
    let r = release(&mut b, a, "2026-10");
    assert_eq!((r.released, r.kwh), (3, 210 + 200 + 150));
    assert_eq!(bill_of(&b, c1, "2026-10").map(|x| x.0), Some(210));
    assert_eq!(bill_of(&b, c2, "2026-10").map(|x| x.0), Some(200));
    assert_eq!(bill_of(&b, c3, "2026-10").map(|x| x.0), Some(150));
    assert!(b.e.svc.verify().unwrap().ok());
}

#[test]
fn a_bill_across_a_meter_swap_counts_both_stretches_once() {
    let mut b = billing_env::bench();
    let a = area(&mut b);
    let c = customer(
        &mut b,
        "王五商店",
        UsageCategory::Commercial,
        "3710000001",
        "0",
    );
    on(&b, 2026, 9, 25);
    read(&mut b, "3710000001", "2026-09", "500");
    b.e.svc
        .compute_bills(&b.clerk, period("2026-09"), Some(a))
        .unwrap();
    b.e.svc
        .release_book(&b.clerk, a, period("2026-09"))
        .unwrap();
    receive(&mut b, "3710000002");
    on(&b, 2026, 10, 10);
    b.e.svc
        .swap_meter(
            &b.clerk,
            &SwapInput {
                customer_id: c,
                old_asset_no: "3710000001".into(),
                old_final: "560".into(),
                new_asset_no: "3710000002".into(),
                new_initial: "10".into(),
                swapped_on: "2026-10-10".into(),
                reason: Some(SwapReason::Rotation),
                ..Default::default()
            },
        )
        .unwrap();
    on(&b, 2026, 10, 25);
    // the new meter's line starts from its initial reading
    let line =
        b.e.svc
            .reading_line(meter_id(&b, "3710000002"), period("2026-10"))
            .unwrap();
    assert_eq!(line.prev.map(|p| p.1), Some(1000));
    read(&mut b, "3710000002", "2026-10", "50");
    b.e.svc
        .compute_bills(&b.clerk, period("2026-10"), Some(a))
        .unwrap();
    accept_all(&mut b, a, "2026-10");
    b.e.svc
        .release_book(&b.clerk, a, period("2026-10"))
        .unwrap();
    // (560 − 500) + (50 − 10) = 100 kWh at 0.68
    assert_eq!(
        bill_of(&b, c, "2026-10"),
        Some((100, 6_800, "local".into()))
    );
    // next month: only the new meter
    on(&b, 2026, 11, 24);
    read(&mut b, "3710000002", "2026-11", "150");
    b.e.svc
        .compute_bills(&b.clerk, period("2026-11"), Some(a))
        .unwrap();
    accept_all(&mut b, a, "2026-11");
    b.e.svc
        .release_book(&b.clerk, a, period("2026-11"))
        .unwrap();
    assert_eq!(
        bill_of(&b, c, "2026-11"),
        Some((100, 6_800, "local".into()))
    );
}

#[test]
fn a_reading_below_the_last_is_refused_unless_a_confirmed_rollover() {
    let mut b = billing_env::bench();
    let a = area(&mut b);
    customer(
        &mut b,
        "赵六",
        UsageCategory::Residential,
        "3710000001",
        "99900",
    );
    on(&b, 2026, 10, 25);
    let m = meter_id(&b, "3710000001");
    let mut e = ReadingEntry {
        meter_id: m,
        period: period("2026-10"),
        kind: ReadingKind::Actual,
        value: "100".into(),
        reason: String::new(),
        rollover: false,
    };
    let err = b.e.svc.record_reading(&b.clerk, &e).unwrap_err();
    assert_eq!(err.field(), Some("rollover"));
    assert!(err.to_string().contains("走字 200"), "{err}");
    // estimated needs its reason; missed takes no value
    e.kind = ReadingKind::Estimated;
    assert_eq!(
        b.e.svc.record_reading(&b.clerk, &e).unwrap_err().field(),
        Some("reason")
    );
    e.kind = ReadingKind::Missed;
    e.reason = "门锁".into();
    assert_eq!(
        b.e.svc.record_reading(&b.clerk, &e).unwrap_err().field(),
        Some("value")
    );
    e.kind = ReadingKind::Actual;
    e.reason.clear();
    e.rollover = true;
    let saved = b.e.svc.record_reading(&b.clerk, &e).unwrap();
    assert!(saved.line.current.as_ref().unwrap().rollover);
    // Enter twice: the same reading again adds nothing
    assert!(b.e.svc.record_reading(&b.clerk, &e).unwrap().unchanged);
    b.e.svc
        .compute_bills(&b.clerk, period("2026-10"), Some(a))
        .unwrap();
    let flags = b.e.svc.review_flags(a, period("2026-10")).unwrap();
    assert_eq!(flags.len(), 1);
    assert_eq!(
        (flags[0].flag, flags[0].kwh),
        (ReviewFlag::BelowPrevious, 200)
    );
    // an auditor records nothing
    let auditor = billing_env::account(&mut b.e, &b.chief, "jicha", Role::Auditor);
    e.value = "120".into();
    assert!(b.e.svc.record_reading(&auditor, &e).is_err());
    // a sent-back flag still holds the bill
    b.e.svc
        .decide_flag(&b.clerk, flags[0].flag_id, false, "请核对示数")
        .unwrap();
    assert!(
        b.e.svc
            .release_book(&b.clerk, a, period("2026-10"))
            .is_err()
    );
    assert_eq!(
        b.e.svc.review_flags(a, period("2026-10")).unwrap()[0].accepted,
        Some(false)
    );
}

#[test]
fn a_reading_file_is_all_or_nothing_and_twice_changes_nothing() {
    let mut b = billing_env::bench();
    area(&mut b);
    customer(
        &mut b,
        "甲",
        UsageCategory::Residential,
        "3710000001",
        "100",
    );
    customer(
        &mut b,
        "乙",
        UsageCategory::Residential,
        "3710000002",
        "100",
    );
    on(&b, 2026, 10, 26);
    let bad = "资产编号,抄表日期,抄表类型,示数,原因\n\
               3710000001,2026-10-25,实抄,250,\n\
               3710000009,2026-10-25,实抄,250,\n\
               3710000002,2026-10-25,实抄,50,\n\
               3710000002,2026-10-25,估抄,120,\n";
    let lines =
        b.e.svc
            .import_readings_csv(&b.clerk, bad.as_bytes(), "hand.csv")
            .unwrap()
            .unwrap_err();
    let at: Vec<usize> = lines.iter().map(|l| l.line).collect();
    assert_eq!(at, vec![3, 4, 5], "{lines:?}");
    assert!(lines[0].message.contains("3710000009"));
    assert!(
        lines[1].message.contains("小于上次"),
        "{}",
        lines[1].message
    );
    assert!(lines[2].message.contains("原因"), "{}", lines[2].message);
    assert_eq!(billing_env::count(&b.e, "reading"), 0);
    let good = "\u{feff}资产编号,抄表日期,抄表类型,示数,原因\n\
                3710000001,2026-10-25,实抄,250,\n\
                3710000002,2026-10-25,估抄,120,门锁未见表\n";
    let first =
        b.e.svc
            .import_readings_csv(&b.clerk, good.as_bytes(), "hand.csv")
            .unwrap()
            .unwrap();
    assert_eq!((first.added, first.unchanged), (2, 0));
    let second =
        b.e.svc
            .import_readings_csv(&b.clerk, good.as_bytes(), "hand.csv")
            .unwrap()
            .unwrap();
    assert_eq!((second.added, second.unchanged), (0, 2));
    assert_eq!(billing_env::count(&b.e, "reading"), 2);
}

#[test]
fn local_bills_are_compared_with_the_provincial_file() {
    let mut b = billing_env::bench();
    let a = area(&mut b);
    let c = customer(
        &mut b,
        "钱七",
        UsageCategory::Residential,
        "3710000001",
        "0",
    );
    let account: String =
        b.e.svc
            .store()
            .conn()
            .query_row("SELECT account_no FROM customer WHERE id = ?1", [c], |r| {
                r.get(0)
            })
            .unwrap();
    on(&b, 2026, 10, 25);
    read(&mut b, "3710000001", "2026-10", "200");
    // the province billed 210 kWh at 114.85
    billing_env::import(
        &mut b.e,
        &[billing_env::bill(
            &account,
            "2026-10",
            210,
            "114.85",
            "2026-11-20",
        )],
    );
    b.e.svc
        .compute_bills(&b.clerk, period("2026-10"), Some(a))
        .unwrap();
    let diff = b.e.svc.tariff_differences(period("2026-10")).unwrap();
    assert_eq!(diff.len(), 1);
    assert_eq!(
        (
            diff[0].local_kwh,
            diff[0].local_fen,
            diff[0].imported_kwh,
            diff[0].imported_fen
        ),
        (200, 10_938, 210, 11_485)
    );
    // the imported bill stays; the local one is not released beside it
    let e =
        b.e.svc
            .release_book(&b.clerk, a, period("2026-10"))
            .unwrap_err();
    assert!(e.to_string().contains("没有待发行"), "{e}");
    assert_eq!(bill_of(&b, c, "2026-10").unwrap().2, "import");
}

#[test]
fn line_loss_is_flagged_when_negative_and_explained() {
    let mut b = billing_env::bench();
    let a = area(&mut b);
    customer(
        &mut b,
        "孙八",
        UsageCategory::Residential,
        "3710000001",
        "0",
    );
    receive(&mut b, "3790000001");
    // the 台区's summary meter (×1), installed as the demo does
    b.e.svc
        .store()
        .conn()
        .execute(
            "UPDATE meter SET status = 'service', area_id = ?1 WHERE asset_no = '3790000001'",
            [a],
        )
        .unwrap();
    on(&b, 2026, 9, 25);
    read(&mut b, "3790000001", "2026-09", "1000");
    read(&mut b, "3710000001", "2026-09", "100");
    on(&b, 2026, 10, 25);
    read(&mut b, "3790000001", "2026-10", "1150");
    read(&mut b, "3710000001", "2026-10", "300");
    b.e.svc
        .compute_bills(&b.clerk, period("2026-10"), Some(a))
        .unwrap();
    accept_all(&mut b, a, "2026-10");
    b.e.svc
        .release_book(&b.clerk, a, period("2026-10"))
        .unwrap();
    let rows = b.e.svc.line_loss(period("2026-10"), 12).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].cells.len(), 12);
    let last = rows[0].last().unwrap();
    // supply 150, sales 200: −33.33 %
    assert_eq!(last.supply, Some(yuan("150")));
    assert_eq!(last.sales, yuan("200"));
    assert_eq!(last.loss.unwrap().rate, Some(yuan("-33.33")));
    assert!(last.flagged);
    // September: no reading before, so no supply
    assert_eq!(rows[0].cells[10].supply, None);
    // the month is over and nobody explained: one entry for the area manager, once
    let manager = billing_env::account(&mut b.e, &b.chief, "taiqu1", Role::AreaManager);
    b.e.svc
        .store()
        .conn()
        .execute(
            "UPDATE transformer_area SET manager_id = ?1 WHERE id = ?2",
            [manager.staff_id, a],
        )
        .unwrap();
    on(&b, 2026, 11, 3);
    assert_eq!(b.e.svc.run_assessment_check(&[]).unwrap(), 1);
    assert_eq!(b.e.svc.run_assessment_check(&[]).unwrap(), 0);
    let (summary, staff): (String, i64) =
        b.e.svc
            .store()
            .conn()
            .query_row(
                "SELECT summary, staff_id FROM assessment_entry WHERE subject = ?1",
                [format!("lineloss:{a}:2026-10")],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
    assert_eq!(staff, manager.staff_id);
    assert!(summary.contains("-33.33%（负线损）"), "{summary}");
    b.e.svc
        .explain_line_loss(&b.clerk, a, period("2026-10"), "新装用户表计倍率待核")
        .unwrap();
    let rows = b.e.svc.line_loss(period("2026-10"), 12).unwrap();
    assert_eq!(
        rows[0].last().unwrap().note.as_ref().map(|n| n.0.as_str()),
        Some("新装用户表计倍率待核")
    );
}

#[test]
fn the_demo_reads_every_meter_and_its_bills_are_what_the_station_computes() {
    use stationdesk::demo::seed::build_demo_station;
    use stationdesk::domain::clock::FixedClock;
    use stationdesk::service::Service;
    use std::sync::Arc;

    let dir = tempfile::tempdir().unwrap();
    let clock = FixedClock::at(2026, 11, 24, 16, 0);
    build_demo_station(dir.path(), Arc::new(clock.clone()), 600, 7).unwrap();
    let mut svc = Service::open(dir.path(), Arc::new(clock)).unwrap();
    let one = |svc: &Service, sql: &str| -> i64 {
        svc.store().conn().query_row(sql, [], |r| r.get(0)).unwrap()
    };
    // thirteen months of readings for every meter in service, some estimated, a few missed
    assert_eq!(
        one(
            &svc,
            "SELECT count(*) FROM meter m LEFT JOIN customer c ON c.id = m.customer_id
              WHERE m.status = 'service' AND (m.area_id IS NOT NULL OR c.area_id IS NOT NULL)
                AND NOT EXISTS (SELECT 1 FROM meter_swap s WHERE s.new_meter_id = m.id
                                  AND s.swapped_on > '2026-10-01')
                AND NOT EXISTS (SELECT 1 FROM reading r WHERE r.meter_id = m.id
                                  AND r.period = '2026-10')"
        ),
        0
    );
    assert!(
        one(
            &svc,
            "SELECT count(*) FROM reading WHERE kind = 'estimated'"
        ) > 0
    );
    // the sales per 台区 the demo wrote are its bills' sums
    assert_eq!(
        one(
            &svc,
            "SELECT count(*) FROM (SELECT c.area_id, b.period, COUNT(*) AS n, SUM(b.kwh) AS k,
                                          SUM(b.amount_fen) AS f
                                     FROM bill b JOIN customer c ON c.id = b.customer_id
                                    WHERE c.area_id IS NOT NULL GROUP BY 1, 2) x
               LEFT JOIN area_sales s ON s.area_id = x.area_id AND s.period = x.period
              WHERE s.bills IS NOT x.n OR s.kwh IS NOT x.k OR s.amount_fen IS NOT x.f"
        ),
        0
    );
    assert_eq!(
        one(&svc, "SELECT count(*) FROM reading WHERE rollover = 1"),
        1
    );
    // this month's books read so far: computed, with flags left for the checker
    assert!(
        one(
            &svc,
            "SELECT count(*) FROM bill_draft WHERE period = '2026-11'"
        ) > 0
    );
    assert!(one(&svc, "SELECT count(*) FROM bill_flag") > 0);
    // households billed at another category's tariff are held for the checker
    assert_eq!(
        one(
            &svc,
            "SELECT count(*) FROM bill_flag WHERE flag = 'category_mismatch'"
        ),
        3
    );
    // last month computed again by the station's own rules: the same as the demo's bills
    let chief = svc.sign_in("suozhang", "demo1234").unwrap();
    let done = svc.compute_bills(&chief, period("2026-10"), None).unwrap();
    assert!(done.computed > 500, "{done:?}");
    assert_eq!(svc.tariff_differences(period("2026-10")).unwrap(), vec![]);
    // line loss: one 台区 negative, one high, the others normal
    let rows = svc.line_loss(period("2026-10"), 12).unwrap();
    let rate = |i: usize| rows[i].last().unwrap().loss.unwrap().rate.unwrap();
    assert!(rate(0) < yuan("0"), "{}", rate(0));
    assert!(rate(1) > yuan("10"), "{}", rate(1));
    assert!(rate(2) > yuan("0") && rate(2) < yuan("10"), "{}", rate(2));
    assert!(rows[1].cells[10].note.is_some());
    // the reading log: a message answered with money, one overdue, one never handed on
    assert_eq!(one(&svc, "SELECT count(*) FROM reading_note"), 4);
    assert_eq!(one(&svc, "SELECT count(*) FROM reading_message"), 2);
    assert_eq!(
        one(&svc, "SELECT sum(recovered_fen) FROM reading_message"),
        186_000
    );
    assert_eq!(one(&svc, "SELECT count(*) FROM spot_check"), 9);
    assert!(svc.verify().unwrap().ok());
}

#[test]
fn the_collection_rate_is_counted_at_month_end_and_before_the_next_reading() {
    let mut b = billing_env::bench();
    let a = area(&mut b);
    let c1 = customer(&mut b, "甲", UsageCategory::Residential, "3710000001", "0");
    let c2 = customer(&mut b, "乙", UsageCategory::Residential, "3710000002", "0");
    // bills due long after the checks, so that no late fee takes part of the money
    b.e.svc
        .store()
        .conn()
        .execute(
            "UPDATE settings SET value = '60' WHERE key = 'bill.due_days'",
            [],
        )
        .unwrap();
    on(&b, 2026, 10, 25);
    read(&mut b, "3710000001", "2026-10", "100");
    read(&mut b, "3710000002", "2026-10", "200");
    b.e.svc
        .compute_bills(&b.clerk, period("2026-10"), Some(a))
        .unwrap();
    b.e.svc
        .release_book(&b.clerk, a, period("2026-10"))
        .unwrap();
    // 54.69 paid on 10 November, 109.38 on 27 November
    on(&b, 2026, 11, 10);
    billing_env::pay(&mut b.e, &b.clerk, c1, "54.69");
    on(&b, 2026, 11, 27);
    billing_env::pay(&mut b.e, &b.clerk, c2, "109.38");
    on(&b, 2026, 12, 2);
    for _ in 0..2 {
        let r = b.e.svc.collection_rates(period("2026-10"), 12).unwrap();
        assert_eq!(r.target, yuan("100"));
        let cell = r.areas[0].last().unwrap();
        assert_eq!(cell.month_end.billed, yuan("164.07"));
        // by 30 November: everything
        assert_eq!(cell.month_end.on.to_string(), "2026-11-30");
        assert_eq!(cell.month_end.rate, Some(yuan("100.00")));
        // the day before the next reading (25th): one bill of two, 33.33 %
        assert_eq!(cell.before_reading.on.to_string(), "2026-11-24");
        assert_eq!(cell.before_reading.collected, yuan("54.69"));
        assert_eq!(cell.before_reading.rate, Some(yuan("33.33")));
        assert!(cell.month_end.passed && cell.before_reading.passed);
        assert_eq!(r.areas[0].cells.len(), 12);
        assert_eq!(r.readers.len(), 1);
        assert_eq!(
            r.readers[0].last().unwrap().month_end.collected,
            yuan("164.07")
        );
    }
    // the checks passed are kept (read back the second time round)
    assert_eq!(billing_env::count(&b.e, "collection_checkpoint"), 2);
}

#[test]
fn reading_notes_are_handed_on_answered_and_counted_per_reader_with_spot_checks() {
    use stationdesk::domain::reading::{NoteKind, SpotFinding};
    use stationdesk::service::readings::notes::NoteInput;

    let mut b = billing_env::bench();
    area(&mut b);
    let c = customer(
        &mut b,
        "孙九",
        UsageCategory::Residential,
        "3710000001",
        "0",
    );
    let account: String =
        b.e.svc
            .store()
            .conn()
            .query_row("SELECT account_no FROM customer WHERE id = ?1", [c], |r| {
                r.get(0)
            })
            .unwrap();
    let manager = billing_env::account(&mut b.e, &b.chief, "taiqu1", Role::AreaManager);
    on(&b, 2026, 11, 20);
    let m = meter_id(&b, "3710000001");
    let mut note = NoteInput {
        meter_id: m,
        kind: Some(NoteKind::Site),
        text: "表箱门锁坏，无法加封".into(),
        ..Default::default()
    };
    let first = b.e.svc.add_reading_note(&b.clerk, &note).unwrap();
    // a suspected theft, handed on at once, due in 2 days
    note.kind = Some(NoteKind::Theft);
    note.text = "表尾接线有旁路痕迹".into();
    note.to = "taiqu1".into();
    note.days = "2".into();
    b.e.svc.add_reading_note(&b.clerk, &note).unwrap();
    // an unknown person is said at the field; an auditor adds nothing
    note.to = "nobody".into();
    assert_eq!(
        b.e.svc
            .add_reading_note(&b.clerk, &note)
            .unwrap_err()
            .field(),
        Some("to")
    );
    let auditor = billing_env::account(&mut b.e, &b.chief, "jicha", Role::Auditor);
    note.to.clear();
    assert!(b.e.svc.add_reading_note(&auditor, &note).is_err());
    let p = period("2026-11");
    let q = b.e.svc.reader_quality(p, b.e.svc.now().date()).unwrap();
    assert_eq!(
        (q[0].notes, q[0].messages, q[0].not_passed, q[0].overdue),
        (2, 1, 1, 0)
    );
    // the site problem handed on later; three days on, the theft message is overdue
    b.e.svc.pass_note_on(&b.clerk, first, "taiqu1", "").unwrap();
    assert!(b.e.svc.pass_note_on(&b.clerk, first, "taiqu1", "").is_err());
    on(&b, 2026, 11, 23);
    let q = b.e.svc.reader_quality(p, b.e.svc.now().date()).unwrap();
    assert_eq!((q[0].messages, q[0].not_passed, q[0].overdue), (2, 0, 1));
    // the manager answers: 350.00 元 of electricity recovered; only once
    let theft =
        b.e.svc
            .reading_log(p)
            .unwrap()
            .into_iter()
            .find(|n| n.kind == NoteKind::Theft)
            .unwrap();
    let msg = theft.message_id.unwrap();
    b.e.svc
        .message_feedback(&manager, msg, "查实窃电，已追补电费", "350")
        .unwrap();
    assert!(
        b.e.svc
            .message_feedback(&manager, msg, "again", "")
            .is_err()
    );
    let q = b.e.svc.reader_quality(p, b.e.svc.now().date()).unwrap();
    assert_eq!((q[0].overdue, q[0].recovered), (0, yuan("350.00")));

    // spot checks against the month's minimum
    b.e.svc
        .record_spot_check(&b.clerk, "tq001", "", Some(SpotFinding::Ok), "")
        .unwrap();
    assert_eq!(
        b.e.svc
            .record_spot_check(
                &b.clerk,
                "TQ001",
                &account,
                Some(SpotFinding::WrongReading),
                ""
            )
            .unwrap_err()
            .field(),
        Some("note")
    );
    b.e.svc
        .record_spot_check(
            &b.clerk,
            "TQ001",
            &account,
            Some(SpotFinding::WrongReading),
            "示数 1350 抄成 1530",
        )
        .unwrap();
    assert_eq!(
        b.e.svc
            .record_spot_check(&b.clerk, "TQ999", "", Some(SpotFinding::Ok), "")
            .unwrap_err()
            .field(),
        Some("area")
    );
    let s = b.e.svc.spot_month(p).unwrap();
    assert_eq!(
        (
            s.areas,
            s.households,
            s.problems,
            s.need_areas,
            s.need_households
        ),
        (1, 1, 1, 5, 20)
    );
    // a site problem never handed on: assessed to its reader once the rule's 2 days are over
    note.kind = Some(NoteKind::Site);
    note.text = "表箱倾斜".into();
    note.to.clear();
    let late = b.e.svc.add_reading_note(&b.clerk, &note).unwrap();
    on(&b, 2026, 11, 25);
    assert_eq!(b.e.svc.run_assessment_check(&[]).unwrap(), 0);
    on(&b, 2026, 11, 26);
    assert_eq!(b.e.svc.run_assessment_check(&[]).unwrap(), 1);
    assert_eq!(b.e.svc.run_assessment_check(&[]).unwrap(), 0);
    let staff: i64 =
        b.e.svc
            .store()
            .conn()
            .query_row(
                "SELECT staff_id FROM assessment_entry WHERE subject = ?1",
                [format!("note:{late}")],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(staff, b.clerk.staff_id);
}

#[test]
fn the_chief_sets_a_tariff_category_and_the_next_bill_is_priced_and_held_by_it() {
    let mut b = billing_env::bench();
    let a = area(&mut b);
    let c = customer(
        &mut b,
        "赵六",
        UsageCategory::Residential,
        "3710000009",
        "0",
    );
    let auditor = billing_env::account(&mut b.e, &b.chief, "jicha9", Role::Auditor);
    // only the chief, and only with a reason
    let e =
        b.e.svc
            .set_tariff_category(&b.clerk, c, Some(UsageCategory::Commercial), "核定")
            .unwrap_err();
    assert!(e.to_string().contains("只有所长"), "{e}");
    let e =
        b.e.svc
            .set_tariff_category(&auditor, c, Some(UsageCategory::Commercial), "核定")
            .unwrap_err();
    assert!(e.to_string().contains("只能查看"), "{e}");
    let e =
        b.e.svc
            .set_tariff_category(&b.chief, c, Some(UsageCategory::Commercial), " ")
            .unwrap_err();
    assert!(e.to_string().contains("原因"), "{e}");
    b.e.svc
        .set_tariff_category(&b.chief, c, Some(UsageCategory::Commercial), "开小卖部")
        .unwrap();
    assert_eq!(
        b.e.svc.customer_file(c).unwrap().tariff_label,
        Some("一般工商业")
    );
    let trail: String =
        b.e.svc
            .store()
            .conn()
            .query_row(
                "SELECT changes FROM audit_log WHERE action = 'customer.tariff'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert!(
        trail.contains("commercial") && trail.contains("开小卖部"),
        "{trail}"
    );
    // the same again is no change
    let e =
        b.e.svc
            .set_tariff_category(&b.chief, c, Some(UsageCategory::Commercial), "再设")
            .unwrap_err();
    assert!(e.to_string().contains("没有变化"), "{e}");

    on(&b, 2026, 9, 25);
    read(&mut b, "3710000009", "2026-09", "100");
    b.e.svc
        .compute_bills(&b.clerk, period("2026-09"), Some(a))
        .unwrap();
    assert_eq!(
        accept_all(&mut b, a, "2026-09"),
        vec![ReviewFlag::CategoryMismatch]
    );
    b.e.svc
        .release_book(&b.clerk, a, period("2026-09"))
        .unwrap();
    // 100 × 0.6800 (the commercial price), not the residential tier
    assert_eq!(
        bill_of(&b, c, "2026-09"),
        Some((100, 6_800, "local".into()))
    );

    // back to the usage category: the next month is residential and not held
    b.e.svc
        .set_tariff_category(&b.chief, c, None, "小卖部已关")
        .unwrap();
    assert_eq!(b.e.svc.customer_file(c).unwrap().tariff_label, None);
    on(&b, 2026, 10, 25);
    read(&mut b, "3710000009", "2026-10", "200");
    b.e.svc
        .compute_bills(&b.clerk, period("2026-10"), Some(a))
        .unwrap();
    assert!(
        !b.e.svc
            .review_flags(a, period("2026-10"))
            .unwrap()
            .iter()
            .any(|f| f.flag == ReviewFlag::CategoryMismatch)
    );
}

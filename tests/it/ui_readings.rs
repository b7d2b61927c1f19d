//! 抄表核算 through the keys (issue 15): the books of the month, typing readings into a book
//! (Enter, next meter; a reading below the last one said under the line, nothing lost), the
//! review of a held bill and the release confirmed once with the amount, at 80×24.
use crossterm::event::KeyCode;
use stationdesk::domain::customer::UsageCategory;

use crate::common::billing_env;
use crate::common::ui::*;
use crate::readings::{area, customer, on, read};

#[test]
fn a_book_is_read_reviewed_and_released_at_80x24() {
    let mut b = billing_env::bench();
    area(&mut b);
    customer(
        &mut b,
        "李四",
        UsageCategory::Residential,
        "3710000001",
        "0",
    );
    customer(
        &mut b,
        "王五",
        UsageCategory::Residential,
        "3710000002",
        "0",
    );
    on(&b, 2026, 10, 25);
    read(&mut b, "3710000001", "2026-10", "100");
    read(&mut b, "3710000002", "2026-10", "120");
    let a = b.e.svc.areas().unwrap()[0].id;
    let oct = stationdesk::domain::billing::Period::parse("2026-10").unwrap();
    b.e.svc.compute_bills(&b.clerk, oct, Some(a)).unwrap();
    b.e.svc.release_book(&b.clerk, a, oct).unwrap();
    on(&b, 2026, 11, 24);
    let mut app = app_signed_in(&b.e);
    key(&mut app, KeyCode::Char('h'));
    let s = text(&app, 80, 24);
    assert!(s.contains("抄表册 2026-11") && s.contains("TQ001"), "{s}");
    assert!(s.contains("0/2"), "{s}");
    insta::assert_snapshot!("reading_books_80x24", screen(&app, 80, 24).backend());

    // the book: first meter, type the reading, Enter, the next meter
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "1350");
    let s = text(&app, 80, 24);
    assert!(s.contains("[1350]") && s.contains("→ 1250 kWh"), "{s}");
    // far above the usual month (100 kWh): looked at first, saved with its own key
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("远高于平常的 100 kWh") && s.contains("已抄 0 / 2"),
        "{s}"
    );
    key(&mut app, KeyCode::F(6));
    // below the last reading (120): refused under the line, the typing kept
    typed(&mut app, "50");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("小于上次示数 120") && s.contains("[50]"), "{s}");
    insta::assert_snapshot!("reading_sheet_80x24", screen(&app, 80, 24).backend());
    // Enter again by habit saves nothing: a rollover is confirmed only by its own key
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已抄 1 / 2") && s.contains("按F6确认"), "{s}");
    key(&mut app, KeyCode::Esc);
    typed(&mut app, "300");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已抄 2 / 2") && s.contains("1250"), "{s}");
    key(&mut app, KeyCode::Esc);

    // compute: 1250 kWh against 100 last month is held; 180 against 120 is not
    key(&mut app, KeyCode::Char('c'));
    let s = text(&app, 80, 24);
    assert!(s.contains("核算 2 户，其中待复核 1 户"), "{s}");
    key(&mut app, KeyCode::Char('v'));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("与近三月平均相比突增突减") && s.contains("待复核"),
        "{s}"
    );
    insta::assert_snapshot!("bill_review_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('f'));
    let s = text(&app, 80, 24);
    // 1250 × 0.5469 = 683.63 and 180 × 0.5469 = 98.44
    assert!(
        s.contains("2 户，合计 782.07 元") && s.contains("待复核 0 户"),
        "{s}"
    );
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已发行 2 户，合计 782.07 元"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('x'));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("台区线损 2026-10") && s.contains("总表未抄"),
        "{s}"
    );
    // the collection rate of last month's bills (released in October, nothing paid yet)
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('r'));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("电费回收率 2026-10 账单") && s.contains("0.00%"),
        "{s}"
    );
    insta::assert_snapshot!("collection_rate_80x24", screen(&app, 80, 24).backend());
}

#[test]
fn a_note_is_handed_on_and_a_spot_check_recorded_at_80x24() {
    let mut b = billing_env::bench();
    area(&mut b);
    customer(
        &mut b,
        "李四",
        UsageCategory::Residential,
        "3710000001",
        "0",
    );
    on(&b, 2026, 11, 24);
    let mut app = app_signed_in(&b.e);
    key(&mut app, KeyCode::Char('h'));
    key(&mut app, KeyCode::Enter);
    // F5: a reading-log note, handed on to the chief at once
    key(&mut app, KeyCode::F(5));
    typed(&mut app, "5");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "表尾接线有旁路痕迹");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "suozhang");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("抄表日志已记录并转交"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('m'));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("疑似窃电") && s.contains("待反馈（限 11-27）"),
        "{s}"
    );
    insta::assert_snapshot!("reading_log_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('p'));
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "TQ001");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("抽查已记录") && s.contains("台区 1/5（未达）"),
        "{s}"
    );
    insta::assert_snapshot!("spot_checks_80x24", screen(&app, 80, 24).backend());
}

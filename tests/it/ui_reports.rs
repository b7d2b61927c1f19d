//! The 营业报表 and 统计图 screens at 80×24: reached from the home menu, every value of the
//! charts written as text, a report written from the screen into the print folder.
use crossterm::event::KeyCode;

use crate::common::ui::{key, screen, text};

/// Signed in as the chief, the question about the day's unprinted receipts answered no.
fn app_signed_in(e: &crate::common::Env) -> stationdesk::ui::App {
    let mut app = crate::common::ui::app_signed_in(e);
    assert!(text(&app, 80, 24).contains("未打印的收据"));
    key(&mut app, KeyCode::Esc);
    app
}

/// The frame as text with the data directory (a temporary folder) named as such.
fn shown(app: &stationdesk::ui::App, dir: &std::path::Path) -> String {
    text(app, 80, 24).replace(&dir.display().to_string(), "<数据目录>")
}

#[test]
fn the_home_menu_still_fits_and_offers_reports_and_charts() {
    let b = crate::reports::station();
    let app = app_signed_in(&b.e);
    let t = text(&app, 80, 24);
    // in the menu box (the footer names 退出 too)
    for want in ["│ F7/B  报表  G 统计图", "│ F10/Q 退出"] {
        assert!(t.contains(want), "{want}:\n{t}");
    }
    assert!(!t.contains("未开放"), "{t}");
}

#[test]
fn the_chart_screen_at_80x24() {
    let b = crate::reports::station();
    let mut app = app_signed_in(&b.e);
    key(&mut app, KeyCode::Char('g'));
    let t = text(&app, 80, 24);
    // November: 170.00 元 = 0.02 万元, one of two orders on time; earlier months empty
    assert!(t.contains("26-11"), "{t}");
    assert!(t.contains("0.02*"), "{t}");
    assert!(t.contains("50.0% 1/2*"), "{t}");
    assert!(t.contains("合计 0.02 万元"), "{t}");
    insta::assert_snapshot!("stats_80x24", screen(&app, 80, 24).backend());
    // a month back: November is the last but one... moved, then back again
    key(&mut app, KeyCode::Left);
    assert!(text(&app, 80, 24).contains("（2025-11 至 2026-10）"));
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    assert!(text(&app, 80, 24).contains("（2025-12 至 2026-11）"));
}

#[test]
fn the_report_screen_writes_the_files_it_names() {
    let b = crate::reports::station();
    let dir = b.e.dir.path().to_path_buf();
    let mut app = app_signed_in(&b.e);
    key(&mut app, KeyCode::F(7));
    insta::assert_snapshot!("reports_80x24", shown(&app, &dir));
    // this month, daily, CSV only
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Tab);
    let t = text(&app, 80, 24);
    assert!(
        t.contains("营业日报") && t.contains("2026年11月24日"),
        "{t}"
    );
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('f'));
    }
    assert!(text(&app, 80, 24).contains("CSV（UTF-8）"));
    key(&mut app, KeyCode::Enter);
    let t = shown(&app, &dir);
    assert!(t.contains("营业日报-2026-11-24.csv"), "{t}");
    assert!(dir.join("print").join("营业日报-2026-11-24.csv").exists());
    insta::assert_snapshot!("reports_written_80x24", t);
    // not past today
    key(&mut app, KeyCode::Right);
    assert!(text(&app, 80, 24).contains("已是最近一期"));
}

//! 计量装置 through the keys (issue 13): receiving a batch with the form, finding a meter
//! as a scanner types it, sending it for verification and scrapping it with one question.
use crossterm::event::KeyCode;

use crate::common::{self, ui::*};

/// Fill the receive form: the fields in order, Tab between them, Enter on the last.
fn receive(app: &mut stationdesk::ui::App, values: &[&str]) {
    key(app, KeyCode::Char('n'));
    for (i, v) in values.iter().enumerate() {
        typed(app, v);
        if i + 1 < values.len() {
            key(app, KeyCode::Tab);
        }
    }
    key(app, KeyCode::Enter);
}

const BATCH: [&str; 13] = [
    "3710000098",
    "3710000102",
    "单相表",
    "2",
    "华立",
    "B2018-03",
    "5",
    "2018-03-01",
    "2018-03-15",
    "",
    "",
    "",
    "",
];

#[test]
fn receive_find_and_scrap_at_80x24() {
    let (e, _chief) = common::with_station();
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::F(5));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("[库存 0]") && s.contains("没有“库存”的表计"),
        "{s}"
    );

    // a bad class is said at its field, and nothing typed is lost
    let mut bad = BATCH;
    bad[3] = "3";
    receive(&mut app, &bad);
    let s = text(&app, 80, 24);
    assert!(s.contains("准确度等级应为 2、1、0.5S 或 0.2S"), "{s}");
    // correct the class: the field with the error has the focus
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "2");
    // Enter walks to the last field and submits there
    for _ in 0..10 {
        key(&mut app, KeyCode::Enter);
    }
    let s = text(&app, 80, 24);
    assert!(s.contains("已入库 5 只"), "{s}");
    assert!(s.contains("[库存 5]") && s.contains("3710000100"), "{s}");
    // class 2 meters verified 2018-03-15 are valid eight years: expired on 2026-11-24
    assert!(s.contains("2026-03-15 过期"), "{s}");
    insta::assert_snapshot!("meters_stock_80x24", screen(&app, 80, 24).backend());

    // a scanner types the number with a stray character and Enter
    key(&mut app, KeyCode::Char('f'));
    typed(&mut app, "3710000101");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("表计 3710000101") && s.contains("入库"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('f'));
    typed(&mut app, "3710-0101");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("资产编号只能是字母和数字，不能含“-”"));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);

    // send the selected meter for verification, then scrap it with one question
    let s = text(&app, 80, 24);
    assert!(
        s.contains("▶3710000101"),
        "the found meter is selected: {s}"
    );
    key(&mut app, KeyCode::Char('t'));
    typed(&mut app, "新表抽检");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("3710000101 已改为“待检”"));
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    let s = text(&app, 80, 24);
    assert!(s.contains("[待检 1]") && s.contains("▶3710000101"), "{s}");
    key(&mut app, KeyCode::Char('x'));
    typed(&mut app, "检定不合格");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("报废后不能再使用"), "{s}");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已报废") && s.contains("报废 1"), "{s}");
    // a scrapped meter never returns
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Char('p'));
    assert!(text(&app, 80, 24).contains("已报废的表计不能再使用"));
}

#[test]
fn the_stock_screen_at_160x50_and_the_auditor_changes_nothing() {
    let (mut e, chief) = common::with_station();
    let auditor = crate::common::billing_env::account(
        &mut e,
        &chief,
        "jicha",
        stationdesk::domain::role::Role::Auditor,
    );
    let _ = auditor;
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::F(5));
    receive(&mut app, &BATCH);
    let s = text(&app, 160, 50);
    assert!(s.contains("单相表·2级 5 只"), "{s}");
    insta::assert_snapshot!("meters_stock_160x50", screen(&app, 160, 50).backend());
    drop(app);
    let mut app = app_as(&e, "jicha", "pass-word1");
    // a new account sets its own password first
    for p in ["pass-word1", "new-pass-9", "new-pass-9"] {
        typed(&mut app, p);
        key(&mut app, KeyCode::Enter);
    }
    key(&mut app, KeyCode::F(5));
    key(&mut app, KeyCode::Char('n'));
    let s = text(&app, 80, 24);
    assert!(s.contains("稽查员只能查看"), "{s}");
    // a chief-only key gets the same answer, not “只有所长可以…”
    key(&mut app, KeyCode::Char('e'));
    assert!(text(&app, 80, 24).contains("无权限：稽查员只能查看，不能修改"));
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('g'));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("无权限：稽查员只能查看，不能修改") && !s.contains("只有所长"),
        "{s}"
    );
}

#[test]
fn a_swap_from_the_customer_page_prints_its_slip() {
    let (mut e, chief) = common::with_station();
    let (cid, account) = crate::common::billing_env::customer(
        &mut e,
        &chief,
        "张三",
        stationdesk::domain::customer::UsageCategory::Residential,
    );
    let _ = cid;
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::F(5));
    // an expired meter is refused at its field: this batch is verified this year
    let mut fresh = BATCH;
    fresh[7] = "2026-01-10";
    fresh[8] = "2026-02-01";
    receive(&mut app, &fresh);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('c'));
    typed(&mut app, &account);
    key(&mut app, KeyCode::F(7));
    let s = text(&app, 80, 24);
    assert!(s.contains("换表：") && s.contains("张三"), "{s}");
    insta::assert_snapshot!("swap_form_80x24", screen(&app, 80, 24).backend());
    // a first installation: no old meter; the new one scanned, today's date taken
    for _ in 0..4 {
        key(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "3710000098");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "0");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "QF201");
    // past 安装位置, 换表日期 (today, proposed) and 换表人员 (me) to 换表原因
    for _ in 0..4 {
        key(&mut app, KeyCode::Tab);
    }
    // a wrong reason is said at its field
    typed(&mut app, "9");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("请填 1–5 或原因名称"));
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "5");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("已换表") && s.contains("换表工作单已打印"),
        "{s}"
    );
    // the file's page lists the meter now in service
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 100, 40);
    assert!(
        s.contains("表计：3710000098 单相表2级 倍率 1") && s.contains("装表：2026-11-24 新装"),
        "{s}"
    );
}

//! 投诉报修 through the keys (issue 14): a repair call from the board to saved in a handful
//! of keys, the form and the board at 80×24, the clocks moving on with no key pressed, and a
//! step and the return visit on the case page.
use chrono::Duration;
use crossterm::event::KeyCode;

use crate::common::{self, ui::*};
use stationdesk::domain::customer::{CustomerKind, UsageCategory};
use stationdesk::domain::customer_file::CustomerDraft;
use stationdesk::service::areas::AreaInput;

/// A station with 台区 TQ001 and the customer 张三 on it.
fn station() -> common::Env {
    let (mut e, chief) = common::with_station();
    e.svc
        .create_area(
            &chief,
            &AreaInput {
                code: "TQ001".into(),
                name: "王庄1号台区".into(),
                capacity_kva: "630".into(),
                manager: String::new(),
                active: true,
                area_type: None,
            },
        )
        .unwrap();
    let d = CustomerDraft {
        name: "张三".into(),
        kind: Some(CustomerKind::Person),
        id_number: "11010519491231002X".into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村3组8号".into(),
        usage: Some(UsageCategory::Residential),
        area_code: "TQ001".into(),
        contracted_kva: "6".into(),
        ..Default::default()
    };
    e.svc.create_customer(&chief, &d, "").unwrap();
    // the clock tests let time pass without a key: no idle lock meanwhile
    e.svc
        .update_setting(&chief, "security.idle_lock_minutes", "240")
        .unwrap();
    e
}

#[test]
fn a_repair_call_is_saved_in_a_handful_of_keys_and_its_clock_moves_on_by_itself() {
    let e = station();
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::F(6));
    let s = text(&app, 80, 24);
    assert!(s.contains("没有在办的投诉报修"), "{s}");

    // the path of the README: b, the caller, Enter, y (停电), Enter, the content, Enter
    let mut keys = 0;
    let mut press = |app: &mut stationdesk::ui::App, k: KeyCode| {
        keys += 1;
        key(app, k);
    };
    press(&mut app, KeyCode::Char('b'));
    for c in "张三".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("报修：") && s.contains("张三"), "{s}");
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("case_form_80x24", screen(&app, 80, 24).backend());
    typed(&mut app, "家里没电，邻居也没电");
    press(&mut app, KeyCode::Enter);
    assert!(keys < 20, "{keys} keys besides the content");
    let s = text(&app, 80, 24);
    assert!(s.contains("已登记 WZ01T20261124001"), "{s}");
    assert!(s.contains("到达剩 1时30分"), "{s}");

    // ten minutes pass with no key: the tick brings the words up to date
    e.clock.advance(Duration::minutes(10));
    app.tick();
    let s = text(&app, 80, 24);
    assert!(s.contains("到达剩 1时20分"), "{s}");
    // and past the limit the case is overdue, first, marked in words
    e.clock.advance(Duration::minutes(85));
    app.tick();
    let s = text(&app, 80, 24);
    assert!(s.contains("到达逾期 5分") && s.contains("逾期"), "{s}");
    insta::assert_snapshot!("case_board_80x24", screen(&app, 80, 24).backend());
}

#[test]
fn the_case_page_records_a_step_and_the_visit_and_refuses_a_visit_too_early() {
    let e = station();
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::F(6));
    key(&mut app, KeyCode::Char('n'));
    // not a customer on file: a name and a phone
    key(&mut app, KeyCode::F(2));
    typed(&mut app, "王先生");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "1390000");
    // to the content, skipping the rest; the kind and channel are still empty
    for _ in 0..6 {
        key(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "咨询峰谷电价");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("请填 1–6 或类别名称"), "{s}");
    // fill the kind and the channel: then the phone is refused at its field
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "5");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "2");
    // Enter walks to the content (ten fields on) and submits there
    for _ in 0..11 {
        key(&mut app, KeyCode::Enter);
    }
    let s = text(&app, 80, 24);
    assert!(s.contains("联系电话") && s.contains("手机号"), "{s}");
    typed(&mut app, "1234");
    for _ in 0..7 {
        key(&mut app, KeyCode::Enter);
    }
    let s = text(&app, 80, 24);
    assert!(s.contains("已登记"), "{s}");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("王先生") && s.contains("139****1234"), "{s}");
    assert!(s.contains("咨询峰谷电价"), "nothing typed was lost: {s}");
    // the visit before the result: said, no form
    key(&mut app, KeyCode::Char('h'));
    let s = text(&app, 80, 24);
    assert!(s.contains("还在处理中"), "{s}");
    // the result (6), then the visit: satisfied (1)
    key(&mut app, KeyCode::Char('s'));
    typed(&mut app, "6");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "已解答");
    for _ in 0..3 {
        key(&mut app, KeyCode::Enter);
    }
    let s = text(&app, 80, 24);
    assert!(s.contains("已登记处理结果，待回访"), "{s}");
    key(&mut app, KeyCode::Char('h'));
    typed(&mut app, "1");
    for _ in 0..3 {
        key(&mut app, KeyCode::Enter);
    }
    let s = text(&app, 80, 24);
    assert!(
        s.contains("已回访，工单办结") && s.contains("回访：满意"),
        "{s}"
    );
    // closed, it leaves the board but stays in the shift's duty log
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('l'));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("值班记录") && s.contains("2026-11-24 08:00") && s.contains("王先生"),
        "{s}"
    );
    assert!(s.contains("回访办结") && s.contains("咨询峰谷电价"), "{s}");
    insta::assert_snapshot!("duty_log_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Left);
    assert!(text(&app, 80, 24).contains("本班次没有来电和报修记录"));
}

//! Whole-app tests driven by key events, with snapshots of the rendered frames at 80×24
//! and 120×40 (CJK text is two cells wide).
use crate::common;

use common::ui::{app_signed_in, key, screen, service_of, text, typed};

use chrono::Duration;
use crossterm::event::KeyCode;
use stationdesk::ui::App;

fn signed_in_app() -> (common::Env, App) {
    let (e, _chief) = common::with_station();
    let app = app_signed_in(&e);
    (e, app)
}

#[test]
fn sign_in_screen() {
    let (e, _chief) = common::with_station();
    let svc = service_of(&e);
    let app = App::new(svc);
    insta::assert_snapshot!("sign_in_80x24", screen(&app, 80, 24).backend());
    insta::assert_snapshot!("sign_in_120x40", screen(&app, 120, 40).backend());
}

#[test]
fn wrong_password_shows_a_message_at_the_field_and_keeps_the_user_name() {
    let (e, _chief) = common::with_station();
    let svc = service_of(&e);
    let mut app = App::new(svc);
    typed(&mut app, "suozhang");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "wrong-one");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("用户名或密码不对"), "{s}");
    assert!(
        !s.contains("再错"),
        "the tries left would tell that the name exists: {s}"
    );
    assert!(s.contains("suozhang"), "user name kept: {s}");
    assert!(app.session().is_none());
}

#[test]
fn home_screen() {
    let (_e, app) = signed_in_app();
    assert!(app.session().is_some());
    insta::assert_snapshot!("home_80x24", screen(&app, 80, 24).backend());
    insta::assert_snapshot!("home_120x40", screen(&app, 120, 40).backend());
}

#[test]
fn help_overlay_lists_the_keys_of_the_screen() {
    let (_e, mut app) = signed_in_app();
    key(&mut app, KeyCode::F(1));
    let s = text(&app, 80, 24);
    for k in ["F9/Z", "系统设置", "F10/Q", "退出", "L", "锁屏"] {
        assert!(s.contains(k), "help lists {k}: {s}");
    }
    insta::assert_snapshot!("help_80x24", screen(&app, 80, 24).backend());
    insta::assert_snapshot!("help_120x40", screen(&app, 120, 40).backend());
    key(&mut app, KeyCode::Esc);
    assert!(!text(&app, 80, 24).contains("帮助：本屏按键"));
}

#[test]
fn quitting_asks_first() {
    let (_e, mut app) = signed_in_app();
    key(&mut app, KeyCode::F(10));
    let s = text(&app, 80, 24);
    assert!(s.contains("确定退出程序吗"), "{s}");
    // both ways out of the question are on it, not cut off by its width
    assert!(
        s.contains("Enter/F10 退出程序") && s.contains("Esc/N 取消"),
        "{s}"
    );
    key(&mut app, KeyCode::Esc);
    assert!(!app.quit);
    // Esc on home asks nothing: pressed once too often, then typing, never quits
    key(&mut app, KeyCode::Esc);
    assert!(!text(&app, 80, 24).contains("确定退出程序吗"));
    key(&mut app, KeyCode::Char('q'));
    // Y is also a menu key (营业受理): it does not answer the quit question
    key(&mut app, KeyCode::Char('y'));
    assert!(!app.quit);
    key(&mut app, KeyCode::Enter);
    assert!(app.quit);
}

#[test]
fn the_screen_locks_when_idle_and_unlocks_with_the_password() {
    let (e, mut app) = signed_in_app();
    e.clock.advance(Duration::minutes(9));
    app.tick();
    assert!(!text(&app, 80, 24).contains("屏幕已锁定"));
    e.clock.advance(Duration::minutes(1));
    app.tick();
    let s = text(&app, 80, 24);
    assert!(s.contains("屏幕已锁定"), "{s}");
    assert!(
        !s.contains("在册客户"),
        "nothing of the work shows while locked"
    );
    typed(&mut app, "secret99");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("在册客户"));
}

#[test]
fn settings_edit_through_the_screen_with_errors_next_to_the_field() {
    let (_e, mut app) = signed_in_app();
    key(&mut app, KeyCode::F(9));
    let s = text(&app, 120, 40);
    assert!(s.contains("连续输错密码锁定次数"), "{s}");
    // first row: security.max_failed_logins
    key(&mut app, KeyCode::Enter);
    for _ in 0..3 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "0");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("不能小于 1 次"), "{s}");
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "6");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已保存"), "{s}");
    assert_eq!(
        app.svc.setting("security.max_failed_logins").unwrap().value,
        "6"
    );
    insta::assert_snapshot!("settings_80x24", screen(&app, 80, 24).backend());
}

#[test]
fn first_run_walks_through_setup_in_chinese() {
    let e = common::env();
    let mut app = App::new(e.svc);
    let s = text(&app, 80, 24);
    assert!(s.contains("第 1 步"), "{s}");
    // empty name: message at the field, nothing lost
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "WZ01");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("请填写供电所名称"), "{s}");
    assert!(s.contains("WZ01"), "{s}");
    insta::assert_snapshot!("setup_error_80x24", screen(&app, 80, 24).backend());
    typed(&mut app, "王庄供电所");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("第 2 步"));
    for (i, v) in ["suozhang", "李建国", "secret99", "secret98"]
        .iter()
        .enumerate()
    {
        typed(&mut app, v);
        if i < 3 {
            key(&mut app, KeyCode::Enter);
        }
    }
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("两次输入的密码不一致"));
    for _ in 0..8 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "secret99");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("第 3 步"));
    // the audit key sheet was printed at once, and the first key erased
    let s = text(&app, 80, 24);
    assert!(
        s.contains("审计密钥单已打印") && s.contains("请删除此文件"),
        "{s}"
    );
    assert!(!app.svc.key_sheet_pending().unwrap());
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('n'));
    let s = text(&app, 80, 24);
    assert!(s.contains("在册客户"), "{s}");
    assert!(s.contains("王庄供电所"), "{s}");
}

#[test]
fn a_question_left_open_cannot_be_answered_behind_the_idle_lock() {
    let (e, mut app) = signed_in_app();
    key(&mut app, KeyCode::F(10));
    let s = text(&app, 80, 24);
    assert!(s.contains("确定退出程序吗"), "{s}");
    // both ways out of the question are on it, not cut off by its width
    assert!(
        s.contains("Enter/F10 退出程序") && s.contains("Esc/N 取消"),
        "{s}"
    );
    e.clock.advance(Duration::minutes(10));
    app.tick();
    // typing a password that starts with y must not answer the quit question
    typed(&mut app, "yyy");
    key(&mut app, KeyCode::Enter);
    assert!(!app.quit);
    let s = text(&app, 80, 24);
    assert!(s.contains("屏幕已锁定"), "{s}");
    assert!(!s.contains("确定退出程序吗"), "{s}");
}

#[test]
fn lock_accounts_and_audit_screens_at_80x24() {
    let (e, mut app) = signed_in_app();
    key(&mut app, KeyCode::Char('u'));
    insta::assert_snapshot!("accounts_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Char('n'));
    let s = text(&app, 80, 24);
    assert!(s.contains("新建账号") && s.contains("岗位"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::F(8));
    // 稽查: the audit trail is its first entry
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("修改设置") || s.contains("新建账号"), "{s}");
    insta::assert_snapshot!("audit_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Esc);
    e.clock.advance(Duration::minutes(30));
    app.tick();
    insta::assert_snapshot!("locked_80x24", screen(&app, 80, 24).backend());
}

#[test]
fn customer_search_as_you_type_and_the_masked_file() {
    let (mut e, chief) = common::with_station();
    e.svc.load_demo_data(&chief, 200, 7).unwrap();
    let svc = service_of(&e);
    // a customer to look for, and its unmasked ID number
    let hit = svc.search_customers("王", 1, 0).unwrap().hits.remove(0);
    let file = svc.customer_file(hit.id).unwrap();
    let full_id: String = svc
        .store()
        .conn()
        .query_row(
            "SELECT id_number FROM customer WHERE id = ?1",
            [hit.id],
            |r| r.get(0),
        )
        .unwrap();
    let mut app = App::new(svc);
    typed(&mut app, "suozhang");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "secret99");
    key(&mut app, KeyCode::Enter);
    // the demo left today's receipt unprinted: the offer at sign-in is declined
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('c'));
    assert!(text(&app, 80, 24).contains("请输入查询内容"));
    typed(&mut app, &hit.account_no);
    let s = text(&app, 80, 24);
    assert!(s.contains(&hit.name), "{s}");
    assert!(s.contains("按户号找到"), "{s}");
    insta::assert_snapshot!("customer_search_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains(&format!("客户档案：{}", hit.name)), "{s}");
    assert!(s.contains(&file.id_masked), "{s}");
    assert!(!s.contains(&full_id), "the ID number is masked: {s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert!(text(&app, 80, 24).contains("在册客户"));
}

#[test]
fn a_new_customer_file_through_the_form() {
    let (_e, mut app) = signed_in_app();
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::F(2));
    key(&mut app, KeyCode::Tab); // keep the generated 户号
    typed(&mut app, "王小明");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "110105194912310021"); // wrong check digit
    for _ in 0..7 {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("校验码"), "message at the ID field: {s}");
    assert!(
        s.contains("110105194912310021"),
        "nothing typed is lost: {s}"
    );
    insta::assert_snapshot!("file_form_error_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "X");
    for _ in 0..7 {
        key(&mut app, KeyCode::Tab);
    }
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已建档：户号 0370000000001（资料不全"), "{s}");
    assert!(s.contains("王小明"), "the new file is listed: {s}");
    // a half-filled form asks before it is thrown away
    key(&mut app, KeyCode::F(2));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "李");
    key(&mut app, KeyCode::Esc);
    assert!(text(&app, 80, 24).contains("再按一次 Esc 放弃"));
    key(&mut app, KeyCode::Esc);
    assert!(!text(&app, 80, 24).contains("新建客户档案"));
}

/// Issue 12: a name with a character no configured font can draw is said under the field
/// as it is typed (the name is kept as typed and saves); the warning goes when the
/// character does.
#[test]
fn a_name_no_font_can_print_is_said_under_the_field_while_typing() {
    let (_e, mut app) = signed_in_app();
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::F(2));
    key(&mut app, KeyCode::Tab); // keep the generated 户号
    typed(&mut app, "王");
    assert!(!text(&app, 80, 24).contains("字体里没有"));
    typed(&mut app, "𬌗");
    let s = text(&app, 80, 24);
    assert!(
        s.contains("! “𬌗”字体里没有，单据上印作〔U+2C317〕；照样保存"),
        "said at once, with a mark not only a colour: {s}"
    );
    assert!(s.contains("王𬌗"), "kept as typed: {s}");
    insta::assert_snapshot!(
        "file_form_unprintable_80x24",
        screen(&app, 80, 24).backend()
    );
    // still said when the focus moves on
    key(&mut app, KeyCode::Tab);
    assert!(text(&app, 80, 24).contains("字体里没有"));
    key(&mut app, KeyCode::BackTab);
    key(&mut app, KeyCode::Backspace);
    assert!(
        !text(&app, 80, 24).contains("字体里没有"),
        "gone with the character"
    );
}

#[test]
fn the_areas_screen_at_80x24() {
    let (mut e, chief) = common::with_station();
    e.svc.load_demo_data(&chief, 50, 7).unwrap();
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::Char('a'));
    let s = text(&app, 80, 24);
    assert!(s.contains("TQ001") && s.contains("台区经理"), "{s}");
    insta::assert_snapshot!("areas_80x24", screen(&app, 80, 24).backend());
}

#[test]
fn accept_a_request_at_the_counter_and_find_it_on_the_board() {
    let (mut e, chief) = common::with_station();
    e.svc.load_demo_data(&chief, 100, 7).unwrap();
    let svc = service_of(&e);
    let hit = svc.search_customers("王", 1, 0).unwrap().hits.remove(0);
    let mut app = App::new(svc);
    typed(&mut app, "suozhang");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "secret99");
    key(&mut app, KeyCode::Enter);
    // the demo left today's receipt unprinted: the offer at sign-in is declined
    key(&mut app, KeyCode::Esc);
    // an existing customer: 增容
    key(&mut app, KeyCode::Char('c'));
    typed(&mut app, &hit.account_no);
    key(&mut app, KeyCode::F(4));
    typed(&mut app, "99");
    for _ in 0..5 {
        key(&mut app, KeyCode::Enter);
    }
    assert!(
        text(&app, 80, 24).contains("请填 1–14"),
        "kind checked at the field"
    );
    // the error put the focus back on the kind field
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "2");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    // 增容 asks for the new capacity, written to the file when the order finishes
    assert!(text(&app, 120, 40).contains("新合同容量"));
    typed(&mut app, "10");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "空调增容到 10 kVA");
    // 增容 needs no answer field: 申请内容 → 已收身份证明 → submit
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 120, 40);
    assert!(s.contains("已受理：工单号 WZ0120261124"), "{s}");
    assert!(s.contains("受理回执已打印"), "{s}");
    // (the demo's own printouts — its collection notices — are in the folder too)
    let slips = std::fs::read_dir(e.dir.path().join("print"))
        .unwrap()
        .filter(|f| {
            f.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("受理回执")
        })
        .count();
    assert_eq!(slips, 1);
    key(&mut app, KeyCode::Esc);
    // a new applicant on the board: 新装, low-voltage residential
    key(&mut app, KeyCode::F(2));
    key(&mut app, KeyCode::Char('n'));
    insta::assert_snapshot!("accept_form_80x24", screen(&app, 80, 24).backend());
    for v in [
        "1",
        "1",
        "刘洋",
        "11010519491231002X",
        "13800001234",
        "柳林镇王庄村9组1号",
        "",
        "８", // 申请容量 (issue 18), full-width as an input method types it
        "新建住房用电",
        "",
    ] {
        typed(&mut app, v);
        key(&mut app, KeyCode::Enter);
    }
    // 新装 has no answer field: the Enter after 已收身份证明 accepted it
    let s = text(&app, 120, 40);
    assert!(s.contains("刘洋") && s.contains("新装"), "{s}");
    assert!(s.contains(&hit.name), "{s}");
    insta::assert_snapshot!("orders_board_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 120, 40);
    assert!(
        s.contains("待补资料") && s.contains("首问负责：李建国"),
        "{s}"
    );
    // filter the board: 新装 only
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('v'));
    assert!(
        text(&app, 80, 24).contains("筛选工单"),
        "the filter form opens"
    );
    typed(&mut app, "1");
    for _ in 0..5 {
        key(&mut app, KeyCode::Enter);
    }
    let s = text(&app, 120, 40);
    assert!(
        s.contains("筛选：新装 · 办理中") && s.contains("刘洋"),
        "{s}"
    );
    assert!(!s.contains("增容"), "the 增容 order is filtered out: {s}");
}

#[test]
fn work_on_an_order_from_its_page() {
    let (mut e, chief) = common::with_station();
    let mut req = stationdesk::service::orders::AcceptRequest::new(
        stationdesk::domain::work_order::RequestKind::NewConnection,
    );
    req.class = Some(stationdesk::domain::work_order::ConnectionClass::LvResidential);
    req.applicant = Some(stationdesk::service::orders::Applicant {
        name: "刘洋".into(),
        id_number: "11010519491231002X".into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村9组1号".into(),
    });
    req.received = vec![stationdesk::domain::work_order::Document::IdProof];
    e.svc.accept_request(&chief, &req).unwrap();
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::F(2));
    key(&mut app, KeyCode::Enter);
    // a fee cannot be collected before the survey
    key(&mut app, KeyCode::Char('f'));
    typed(&mut app, "工程费");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "120.5");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("120.50 元"));
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("刘洋") && s.contains("120.50 元"),
        "confirm shows name and amount: {s}"
    );
    key(&mut app, KeyCode::Char('y'));
    let s = text(&app, 120, 40);
    assert!(
        s.contains("勘查"),
        "refused before the survey, with the reason: {s}"
    );
    // survey done, then the fee is collected
    key(&mut app, KeyCode::Char('s'));
    typed(&mut app, "有供电点，距表箱 30 米");
    key(&mut app, KeyCode::Enter);
    // asked once, naming the stage and the order (issue 18)
    let s = text(&app, 120, 40);
    assert!(
        s.contains("完成环节“现场勘查”？") && s.contains("工单：WZ01"),
        "{s}"
    );
    assert!(
        !s.contains("“现场勘查”已完成"),
        "not before the answer: {s}"
    );
    key(&mut app, KeyCode::Char('y'));
    assert!(text(&app, 120, 40).contains("“现场勘查”已完成"));
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('y'));
    let s = text(&app, 120, 40);
    assert!(s.contains("费用已收取") && s.contains("已收"), "{s}");
    // the receipt went to the print folder with the money
    assert!(s.contains("收据 SJ2026000001 已打印"), "{s}");
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "约好周四装表");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 120, 40).contains("约好周四装表"));
    insta::assert_snapshot!("order_page_80x24", screen(&app, 80, 24).backend());
    assert!(app.svc.verify().unwrap().ok());
}

#[test]
fn lists_page_and_jump_to_their_ends() {
    let (e, mut app) = signed_in_app();
    let all = e.svc.settings().unwrap();
    assert!(all.len() > 40, "a list longer than a screen");
    let first = all[0].label.clone();
    let last = all[all.len() - 1].label.clone();
    key(&mut app, KeyCode::F(9));
    let selected = |app: &App| {
        text(app, 80, 24)
            .lines()
            .find(|l| l.contains('▶'))
            .unwrap_or_default()
            .to_string()
    };
    assert!(selected(&app).contains(&first), "{}", selected(&app));
    key(&mut app, KeyCode::End);
    assert!(selected(&app).contains(&last), "End: {}", selected(&app));
    key(&mut app, KeyCode::PageUp);
    let page_up = selected(&app);
    assert!(
        !page_up.is_empty() && !page_up.contains(&last),
        "PgUp: {page_up}"
    );
    key(&mut app, KeyCode::Home);
    assert!(selected(&app).contains(&first), "Home: {}", selected(&app));
    key(&mut app, KeyCode::PageDown);
    assert!(!selected(&app).contains(&first), "PgDn: {}", selected(&app));
    // a smaller terminal after a resize still shows the selection
    key(&mut app, KeyCode::End);
    assert!(text(&app, 160, 50).contains('▶'));
    assert!(text(&app, 80, 24).contains('▶'));
}

#[test]
fn a_paste_with_line_breaks_types_into_the_field_and_never_submits() {
    let (_e, mut app) = signed_in_app();
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::F(2));
    key(&mut app, KeyCode::Tab);
    app.handle_paste("王五\n\n李四\r\n\u{1b}]52;c;ZXZpbA==\u{7}\u{202e}");
    let s = text(&app, 80, 24);
    assert!(s.contains("新建客户档案"), "still open: {s}");
    assert!(s.contains("王五 李四"), "{s}");
    assert!(!s.contains('\u{1b}') && !s.contains('\u{202e}'), "{s}");
    assert!(!s.contains("已建档"), "{s}");
    // where keys are commands a paste is not run as commands
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    app.handle_paste("q");
    assert!(!text(&app, 80, 24).contains("确定退出程序吗"));
    assert!(text(&app, 80, 24).contains("没有输入框"));
}

#[test]
fn long_messages_wrap_and_the_history_shows_them_in_full() {
    let (_e, mut app) = signed_in_app();
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::F(2));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::F(12));
    let s = text(&app, 80, 24);
    assert!(s.contains("最近的消息"), "{s}");
    assert!(s.contains("未保存"), "{s}");
}

#[test]
fn the_chief_edits_the_station_profile_in_settings() {
    let (e, _chief) = common::with_station();
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::F(9));
    key(&mut app, KeyCode::Char('i'));
    let s = text(&app, 80, 24);
    assert!(s.contains("供电所资料") && s.contains("王庄供电所"), "{s}");
    // an emoji in the name is refused at the field; what was typed stays
    for _ in 0..5 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "城关😀供电所");
    for _ in 0..4 {
        key(&mut app, KeyCode::Enter);
    }
    let s = text(&app, 80, 24);
    assert!(s.contains("不能有表情符号"), "{s}");
    assert!(s.contains("城关😀供电所"), "{s}");
    // the refused field has the focus
    for _ in 0..6 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "城关供电所");
    for _ in 0..4 {
        key(&mut app, KeyCode::Enter);
    }
    let s = text(&app, 80, 24);
    assert!(s.contains("供电所资料已保存"), "{s}");
    assert!(
        s.contains("城关供电所 │"),
        "the status bar shows the new name: {s}"
    );
    let entries = stationdesk::store::audit::recent(app.svc.store().conn(), 1, 0).unwrap();
    assert_eq!(entries[0].action, "station.update");
    assert!(
        entries[0].changes.contains("城关供电所"),
        "{}",
        entries[0].changes
    );
    assert!(app.svc.verify().unwrap().ok());
}

#[test]
fn the_file_form_shows_id_and_phone_masked_and_keeps_them_and_f6_reveals_with_a_reason() {
    let (mut e, chief) = common::with_station();
    let d = stationdesk::domain::customer_file::CustomerDraft {
        name: "张三".into(),
        kind: Some(stationdesk::domain::customer::CustomerKind::Person),
        id_number: "11010519491231002X".into(),
        phone: "13900005678".into(),
        usage: Some(stationdesk::domain::customer::UsageCategory::Residential),
        ..Default::default()
    };
    let id = e.svc.create_customer(&chief, &d, "").unwrap();
    let account = e.svc.customer_file(id).unwrap().account_no;
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::Char('c'));
    typed(&mut app, &account);
    key(&mut app, KeyCode::F(3));
    let s = text(&app, 80, 24);
    assert!(
        !s.contains("11010519491231002X") && !s.contains("13900005678"),
        "{s}"
    );
    assert!(s.contains("139****5678"), "{s}");
    // saved without touching them (Enter through the eleven fields): the stored numbers stay
    for _ in 0..11 {
        key(&mut app, KeyCode::Enter);
    }
    let s = text(&app, 80, 24);
    assert!(!s.contains("修改客户档案"), "{s}");
    let (id_number, phone) = app
        .svc
        .reveal_customer_contact(&chief, id, "测试核对")
        .unwrap();
    assert_eq!(
        (id_number.as_str(), phone.as_str()),
        ("11010519491231002X", "13900005678")
    );
    // F6: the full numbers with a reason
    key(&mut app, KeyCode::F(6));
    typed(&mut app, "客户来电核对身份");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("13900005678") && s.contains("已记入审计日志"),
        "{s}"
    );
    let _ = &mut e;
}

/// Issue 18: the audit log reads as Chinese (accounts by name, actions in words) and can be
/// narrowed by person, date range and action.
#[test]
fn the_audit_log_names_people_and_filters_by_person_date_and_action() {
    let (_e, mut app) = signed_in_app();
    key(&mut app, KeyCode::F(8));
    // 稽查: the audit trail is its first entry
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 120, 40);
    assert!(
        s.contains("账号 李建国（suozhang）"),
        "named, not numbered: {s}"
    );
    assert!(!s.contains("auth.") && !s.contains("staff "), "{s}");
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "新建账号");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 120, 40);
    assert!(s.contains("操作含“新建账号”（共 1 条"), "{s}");
    assert!(!s.contains("登录 "), "{s}");
    // a date with nothing on it, and an action nobody has a name for
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "2026-11-25");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 120, 40).contains("（共 0 条"));
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Tab);
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "飞行");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 120, 40).contains("没有名称含“飞行”的操作"));
}

/// Issue 18: the 台区 is picked from a list searched as you type (code or name), not typed
/// from memory; ↓ moves in the list and Enter takes the one marked.
#[test]
fn the_area_is_picked_from_a_list_searched_as_you_type() {
    let (mut e, chief) = common::with_station();
    e.svc.load_demo_data(&chief, 50, 7).unwrap();
    let areas = e.svc.areas().unwrap();
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::F(2));
    // 户号, 户名, 类型, 证件, 电话, 地址 → 台区编码
    for _ in 0..6 {
        key(&mut app, KeyCode::Tab);
    }
    // part of a name: the list narrows to the 台区 whose name holds it
    let word: String = areas[1].name.chars().take(2).collect();
    typed(&mut app, &word);
    let s = text(&app, 80, 24);
    assert!(s.contains(&areas[1].code), "listed by name: {s}");
    assert!(s.contains("选定"), "{s}");
    insta::assert_snapshot!("area_picker_80x24", screen(&app, 80, 24).backend());
    let listed = areas
        .iter()
        .filter(|a| a.active && (a.name.contains(&word) || a.code.contains(&word)))
        .count();
    for _ in 1..listed {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    let chosen = areas
        .iter()
        .rfind(|a| a.active && (a.name.contains(&word) || a.code.contains(&word)))
        .unwrap();
    let line = s
        .lines()
        .find(|l| l.contains("台区编码"))
        .unwrap_or_default();
    assert!(line.contains(&chosen.code), "the one marked is taken: {s}");
    assert!(
        !s.contains("选定"),
        "the list closes once one is taken: {s}"
    );
}

/// A refusal of the acceptance lands next to its field (the form's keys are the service's):
/// a new applicant without an ID number is told so under 证件号码, and nothing typed is lost.
#[test]
fn an_acceptance_refusal_lands_next_to_its_field() {
    let (_e, mut app) = signed_in_app();
    key(&mut app, KeyCode::F(2));
    key(&mut app, KeyCode::Char('n'));
    for v in [
        "1",
        "1",
        "赵明",
        "",
        "13800001234",
        "柳林镇王庄村5组2号",
        "",
        "8",
        "新建住房",
        "",
    ] {
        typed(&mut app, v);
        key(&mut app, KeyCode::Enter);
    }
    let s = text(&app, 120, 40);
    let lines: Vec<&str> = s.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("证件号码*"))
        .expect("the ID field is required and marked");
    assert!(lines[at + 1].contains("✗ 一证受理"), "under the field: {s}");
    assert!(
        s.contains("赵明") && s.contains("柳林镇王庄村5组2号"),
        "kept: {s}"
    );
}

/// Issue 15: the chief sets the tariff category (执行电价类别) from the customer search with a
/// reason; a wrong number is told next to the field and the reason typed is kept.
#[test]
fn f8_sets_the_tariff_category_with_a_reason() {
    let (mut e, chief) = common::with_station();
    let d = stationdesk::domain::customer_file::CustomerDraft {
        name: "钱七".into(),
        kind: Some(stationdesk::domain::customer::CustomerKind::Person),
        usage: Some(stationdesk::domain::customer::UsageCategory::Residential),
        ..Default::default()
    };
    let id = e.svc.create_customer(&chief, &d, "").unwrap();
    let account = e.svc.customer_file(id).unwrap().account_no;
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::Char('c'));
    typed(&mut app, &account);
    key(&mut app, KeyCode::F(8));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("执行电价类别") && s.contains("0 同用电类别"),
        "{s}"
    );
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "7");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "开小卖部");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("请填 0–4") && s.contains("开小卖部"), "{s}");
    // the wrong number is focused
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "2");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("执行电价类别已设为一般工商业"), "{s}");
    assert_eq!(
        app.svc.customer_file(id).unwrap().tariff_label,
        Some("一般工商业")
    );
    let _ = &mut e;
}

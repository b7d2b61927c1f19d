//! The deadline board, the order page's promises and pauses, and the holiday calendar,
//! driven by keys, with snapshots at 80×24.
use crate::common;

use chrono::NaiveDate;
use common::ui::{app_signed_in, key, screen, text, typed};
use crossterm::event::KeyCode;
use stationdesk::domain::work_order::{ConnectionClass, Document, RequestKind, Stage};
use stationdesk::service::deadlines::PauseCause;
use stationdesk::service::orders::{AcceptRequest, Applicant};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Orders overdue, due today, at risk, on track and paused, as of Tue 2026-11-24.
fn board_env() -> common::Env {
    let (mut e, chief) = common::with_station();
    let accept = |e: &mut common::Env, day: NaiveDate, name: &str, class: ConnectionClass| {
        e.clock.set(day.and_hms_opt(9, 0, 0).unwrap());
        let req = AcceptRequest {
            class: Some(class),
            applicant: Some(Applicant {
                name: name.into(),
                id_number: "11010519491231002X".into(),
                phone: "13912345678".into(),
                address: "柳林镇东村5号".into(),
            }),
            received: vec![Document::IdProof],
            ..AcceptRequest::new(RequestKind::NewConnection)
        };
        let id = e.svc.accept_request(&chief, &req).unwrap().id;
        e.svc.complete_stage(&chief, id, Stage::Survey, "").unwrap();
        id
    };
    accept(
        &mut e,
        d(2026, 11, 10),
        "欧阳逾期",
        ConnectionClass::LvResidential,
    );
    accept(
        &mut e,
        d(2026, 11, 17),
        "张今日",
        ConnectionClass::LvResidential,
    );
    accept(
        &mut e,
        d(2026, 11, 19),
        "李临期",
        ConnectionClass::LvNonResidential,
    );
    accept(&mut e, d(2026, 11, 20), "王从容", ConnectionClass::HvSingle);
    let paused = accept(
        &mut e,
        d(2026, 11, 23),
        "赵暂停",
        ConnectionClass::LvResidential,
    );
    e.clock.set(d(2026, 11, 24).and_hms_opt(9, 0, 0).unwrap());
    e.svc
        .pause_order(
            &chief,
            paused,
            PauseCause::Documents,
            "产权证明未带",
            d(2026, 11, 24),
        )
        .unwrap();
    e
}

#[test]
fn the_deadline_board_at_80x24() {
    let e = board_env();
    let mut app = app_signed_in(&e);
    assert!(text(&app, 80, 24).contains("逾期工单           1 件"));
    key(&mut app, KeyCode::F(4));
    let s = text(&app, 80, 24);
    assert!(s.contains("逾期 1 · 今日到期 1 · 临期 1 · 暂停 1"), "{s}");
    let lines: Vec<&str> = s.lines().collect();
    let row = |name: &str| lines.iter().position(|l| l.contains(name)).unwrap();
    assert!(row("欧阳逾期") < row("张今日") && row("张今日") < row("李临期"));
    assert!(lines[row("欧阳逾期")].contains("逾期 5天"));
    assert!(lines[row("赵暂停")].contains("暂停计时"));
    insta::assert_snapshot!("deadline_board_80x24", screen(&app, 80, 24).backend());

    // filter to the high-voltage class: one order
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "3");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("高压单电源") && s.contains("王从容") && !s.contains("欧阳逾期"),
        "{s}"
    );

    // a bad class number stays in the form with a message next to it
    key(&mut app, KeyCode::Char('v'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "9");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("请填 1–4 或留空"));
}

#[test]
fn pause_and_resume_from_the_order_page() {
    let e = board_env();
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::F(4));
    // the first row is the overdue order
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("承诺完成 2026-11-17"), "{s}");
    assert!(
        s.contains("当前环节：装表接电，2026-11-17前（逾期 5天）"),
        "{s}"
    );
    key(&mut app, KeyCode::Char('t'));
    // cause 1, no reason: refused next to the field, nothing lost
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("请填写暂停原因"));
    // the cursor waits in the field with the message
    typed(&mut app, "客户要求下周再来");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已暂停计时（客户资料未补齐）"), "{s}");
    assert!(
        s.contains("暂停计时：客户资料未补齐 2026-11-24 至今（暂停中）"),
        "{s}"
    );
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("恢复计时日期须晚于暂停开始日期"));
}

#[test]
fn the_holiday_calendar_at_80x24() {
    let e = board_env();
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::F(4));
    key(&mut app, KeyCode::Char('l'));
    let s = text(&app, 80, 24);
    assert!(s.contains("2026 年：已录入"), "{s}");
    assert!(s.contains("2026-02-14 周六  调休上班  春节调休"), "{s}");
    assert!(s.contains("2026-02-15 周日  放假      春节"), "{s}");
    insta::assert_snapshot!("calendar_2026_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Right);
    assert!(text(&app, 80, 24).contains("2027 年：！未录入"));
    // the chief enters a day of 2027
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "02-11");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "春节");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("2027-02-11 周四  放假      春节"), "{s}");
    // issue 18: the whole festival in one entry, and a date that does not exist says so
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "02-30");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "春节");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("2027-02-30 不是真实的日期：2027 年 2 月只有 28 天"),
        "{s}"
    );
    // the focus is back on the date, as typed
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "１２"); // full-width digits from the input method
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "2027-02-17");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("2027-02-12 至 2027-02-17 已录入为放假（6 天）"),
        "{s}"
    );
    assert!(s.contains("2027-02-17 周三  放假      春节"), "{s}");
    key(&mut app, KeyCode::Char('y'));
    typed(&mut app, "国务院办公厅通知");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("2027 年：已录入（国务院办公厅通知）"));
}

#[test]
fn the_chief_opens_the_fast_channel_from_the_order_page() {
    let e = board_env();
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::F(4));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('e'));
    // no reason: refused next to the field
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter);
    assert!(
        text(&app, 80, 24).contains("开通原因"),
        "{}",
        text(&app, 80, 24)
    );
    typed(&mut app, "医院急需用电，信誉良好");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("快速通道（先接电后补资料）：医院急需用电，信誉良好"),
        "{s}"
    );
    key(&mut app, KeyCode::Esc);
    let s = text(&app, 80, 24);
    let row = s.lines().find(|l| l.contains("欧阳逾期")).unwrap();
    assert!(row.contains("快速"), "{row}");
}

/// Issue 18: the 营业受理 board marks each order's urgency beside 久未联系 and opens at the
/// most urgent order.
#[test]
fn the_orders_board_marks_urgency_and_opens_at_the_most_urgent() {
    let e = board_env();
    let mut app = app_signed_in(&e);
    key(&mut app, KeyCode::F(2));
    let s = text(&app, 120, 40);
    let selected = s
        .lines()
        .find(|l| l.trim_start().starts_with('▶'))
        .unwrap_or_default();
    assert!(selected.contains("逾期"), "opens at the most urgent: {s}");
    assert!(s.contains("标记"), "{s}");
}

/// Issue 18: every role's home shows its own work (orders in the person's hands, overdue
/// first), and `W` opens it as a board.
#[test]
fn home_shows_my_work_and_w_opens_it() {
    let e = board_env();
    let mut app = app_signed_in(&e);
    let s = text(&app, 120, 40);
    let line = s
        .lines()
        .find(|l| l.contains("我的工作") && l.contains("逾期"))
        .unwrap_or_default()
        .to_string();
    assert!(!line.contains(" 0 件"), "the chief holds orders: {line}");
    assert!(!line.contains("逾期 0"), "one of them overdue: {line}");
    assert!(
        s.contains("欧阳逾期"),
        "listed where there is room, overdue first: {s}"
    );
    key(&mut app, KeyCode::Char('w'));
    let s = text(&app, 120, 40);
    assert!(s.contains("我的工作：李建国经手的工单"), "{s}");
    let first = s.lines().find(|l| l.contains("WZ01")).unwrap_or_default();
    assert!(first.contains("逾期"), "most urgent first: {s}");
}

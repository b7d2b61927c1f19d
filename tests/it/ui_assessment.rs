//! The 考核 screens driven by key events, with snapshots at 80×24 (CJK text is two cells
//! wide): the entries of a month, the evidence, confirm and waive, the rules, the summary.
use crate::common;

use common::ui::{key, screen, text, typed};

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use stationdesk::domain::assessment::DeadlineFact;
use stationdesk::domain::role::Role;
use stationdesk::service::Session;
use stationdesk::service::assessment::RuleInput;
use stationdesk::service::auth::NewAccount;
use stationdesk::ui::App;

fn account(e: &mut common::Env, chief: &Session, user: &str, name: &str, role: Role) -> i64 {
    e.svc
        .create_account(
            chief,
            &NewAccount {
                username: user.into(),
                display_name: name.into(),
                role: Some(role),
                is_admin: false,
                password: "pass-word1".into(),
                phone: String::new(),
            },
        )
        .unwrap()
}

fn fact(order_id: i64, holder: i64, overdue: i64, residential: bool) -> DeadlineFact {
    DeadlineFact {
        order_id,
        tracking_no: format!("WZ0120261110{order_id:04}"),
        stage: "whole".into(),
        stage_label: "全过程".into(),
        residential,
        holder_id: holder,
        due: NaiveDate::from_ymd_opt(2026, 11, 17).unwrap(),
        done: None,
        overdue_days: overdue,
    }
}

/// A station with November entries in every state, and the app signed in as `user`.
fn app_with_entries(user: &str, password: &str) -> (common::Env, App) {
    let (mut e, chief) = common::with_station();
    let clerk = account(&mut e, &chief, "yingye1", "王芳", Role::Clerk);
    let manager = account(&mut e, &chief, "taiqu1", "张伟", Role::AreaManager);
    account(&mut e, &chief, "jicha1", "赵敏", Role::Auditor);
    // the auditor has chosen a password of their own (no forced change at sign-in)
    let mut auditor = e.svc.sign_in("jicha1", "pass-word1").unwrap();
    e.svc
        .change_own_password(&mut auditor, "pass-word1", "audit-pass2")
        .unwrap();
    let rule = e
        .svc
        .assessment_rules()
        .unwrap()
        .into_iter()
        .find(|r| r.code == "order_overdue")
        .unwrap();
    // residential set, others left blank: those entries show 金额未设
    e.svc
        .update_assessment_rule(
            &chief,
            rule.id,
            &RuleInput {
                amount_residential: "50".into(),
                ..RuleInput::of(&rule)
            },
        )
        .unwrap();
    e.svc
        .run_assessment_check(&[
            fact(1, clerk, 3, true),
            fact(2, clerk, 2, false),
            fact(3, manager, 4, true),
            fact(4, manager, 6, true),
        ])
        .unwrap();
    let ids: Vec<i64> = e
        .svc
        .assessment_entries(&Default::default())
        .unwrap()
        .iter()
        .map(|x| x.id)
        .collect();
    e.svc.confirm_assessment_entry(&chief, ids[0]).unwrap();
    e.svc
        .waive_assessment_entry(&chief, ids[2], "台风停电，不可抗力")
        .unwrap();
    let app = common::ui::app_as(&e, user, password);
    (e, app)
}

#[test]
fn the_entries_of_a_month_and_the_chiefs_decisions() {
    let (e, mut app) = app_with_entries("suozhang", "secret99");
    assert!(
        text(&app, 80, 24).contains("考核"),
        "listed on the home menu"
    );
    key(&mut app, KeyCode::Char('k'));
    let s = text(&app, 80, 24);
    for want in [
        "2026年11月",
        "王芳",
        "张伟",
        "已确认",
        "免考核",
        "金额未设",
        "待确认",
    ] {
        assert!(s.contains(want), "{want}: {s}");
    }
    insta::assert_snapshot!("assessment_entries_80x24", screen(&app, 80, 24).backend());

    // the evidence
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("WZ01202611100001") && s.contains("2026-11-17"),
        "{s}"
    );
    assert!(s.contains("超期：3 个工作日"), "{s}");
    key(&mut app, KeyCode::Esc);

    // the second entry (王芳, not residential, no amount): confirm asks once
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('y'));
    let s = text(&app, 80, 24);
    assert!(s.contains("确认对 王芳 的考核"), "{s}");
    assert!(s.contains("金额未设"), "{s}");
    key(&mut app, KeyCode::Char('y'));
    assert!(text(&app, 80, 24).contains("已确认：王芳"));

    // waive the last one: the reason is required, said under the field
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('w'));
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("请填写免考核的理由"), "{s}");
    typed(&mut app, "客户要求延期");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已免考核：张伟"), "{s}");
    // already decided: W refuses with the reason
    key(&mut app, KeyCode::Char('w'));
    assert!(text(&app, 80, 24).contains("只能免除待确认的记录"));

    // the help lists the screen's keys
    key(&mut app, KeyCode::F(1));
    let s = text(&app, 80, 24);
    assert!(s.contains("撤回决定") && s.contains("上月"), "{s}");
    key(&mut app, KeyCode::Esc);

    // another month
    key(&mut app, KeyCode::Left);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("2026年10月") && s.contains("没有符合筛选的考核记录"),
        "{s}"
    );
    key(&mut app, KeyCode::Char(']'));

    // filter by person
    key(&mut app, KeyCode::Char('v'));
    typed(&mut app, "taiqu1");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("张伟 · 全部状态") && !s.contains("王芳"), "{s}");
    assert!(app.svc.verify().unwrap().ok());
    drop(e);
}

#[test]
fn the_monthly_summary_prints_and_exports() {
    let (e, mut app) = app_with_entries("suozhang", "secret99");
    key(&mut app, KeyCode::Char('k'));
    key(&mut app, KeyCode::Char('s'));
    let s = text(&app, 80, 24);
    assert!(s.contains("合计") && s.contains("50.00"), "{s}");
    insta::assert_snapshot!("assessment_summary_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Char('p'));
    assert!(text(&app, 120, 40).contains("考核汇总已生成"));
    key(&mut app, KeyCode::Char('e'));
    assert!(text(&app, 120, 40).contains("已导出"));
    let files: Vec<String> = std::fs::read_dir(e.dir.path().join("print"))
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for want in [
        "考核汇总-2026-11.pdf",
        "考核汇总-2026-11.csv",
        "考核明细-2026-11.csv",
    ] {
        assert!(files.iter().any(|f| f == want), "{want} in {files:?}");
    }
}

#[test]
fn rules_are_read_by_all_and_changed_by_the_chief() {
    let (_e, mut app) = app_with_entries("suozhang", "secret99");
    key(&mut app, KeyCode::Char('k'));
    key(&mut app, KeyCode::Char('r'));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("业扩报装超时限") && s.contains("50.00 元/户"),
        "{s}"
    );
    // since issue 14 every rule has its data source (complaints linked to a late order)
    assert!(!s.contains("暂无数据"), "{s}");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "abc");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("金额格式不对"), "message at the field: {s}");
    for _ in 0..3 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "100");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 120, 40);
    assert!(
        s.contains("已保存：业扩报装超时限") && s.contains("非居民 100.00 元/户"),
        "{s}"
    );
}

#[test]
fn an_auditor_reads_but_cannot_decide() {
    let (_e, mut app) = app_with_entries("jicha1", "audit-pass2");
    key(&mut app, KeyCode::Char('k'));
    key(&mut app, KeyCode::Down);
    // the auditor gets the one answer he gets everywhere, never “只有所长可以…”
    let said = |app: &stationdesk::ui::App| {
        let s = text(app, 80, 24);
        assert!(
            s.contains("无权限：稽查员只能查看，不能修改") && !s.contains("只有所长可以"),
            "{s}"
        );
    };
    key(&mut app, KeyCode::Char('y'));
    said(&app);
    key(&mut app, KeyCode::Char('w'));
    said(&app);
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Enter);
    said(&app);
    // the same on the other screens with chief-only keys
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Char('n'));
    said(&app);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('z'));
    key(&mut app, KeyCode::Enter);
    said(&app);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('l'));
    key(&mut app, KeyCode::Char('n'));
    said(&app);
}

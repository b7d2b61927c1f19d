//! Issue 16: the 稽查 screens at 80×24, typed as an auditor would: the hub, a view's table
//! with its conclusion, the number gaps proved whole, a finding recorded, fixed by the
//! clerk and accepted, and the month's audit report printed and read back.
use crossterm::event::KeyCode;
use stationdesk::domain::customer::UsageCategory;
use stationdesk::domain::role::Role;

use crate::common::billing_env::{self, *};
use crate::common::ui::{app_as, key, screen, text, typed};

fn pdf_text(path: &std::path::Path) -> String {
    let doc = lopdf::Document::load(path).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap().replace('\n', "")
}

#[test]
fn the_auditor_reads_the_views_and_takes_a_finding_through_to_acceptance() {
    let mut b = bench();
    let mut auditor = billing_env::account(&mut b.e, &b.chief, "jicha9", Role::Auditor);
    b.e.svc
        .change_own_password(&mut auditor, "pass-word1", "pass-word2")
        .unwrap();
    b.e.svc
        .change_own_password(&mut b.clerk, "pass-word1", "pass-word2")
        .unwrap();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a, "2026-10", 180, "100.00", "2026-11-25")],
    );
    let first = pay(&mut b.e, &b.clerk, c, "30.00");
    b.e.svc
        .void_receipt(
            &b.clerk,
            first.receipt_id,
            CHIEF_USER,
            CHIEF_PASSWORD,
            "收错金额",
        )
        .unwrap();
    pay(&mut b.e, &b.clerk, c, "20.00");

    let mut app = app_as(&b.e, "jicha9", "pass-word2");
    key(&mut app, KeyCode::F(8));
    let s = text(&app, 80, 24);
    assert!(s.contains("审计日志") && s.contains("编号连续性"), "{s}");
    insta::assert_snapshot!("inspection_80x24", screen(&app, 80, 24).backend());
    // 收据作废、红冲与补打: the third entry
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("作废 1 张，红冲 0 笔，补打 0 次"), "{s}");
    assert!(s.contains("收错金额") || s.contains("查看整行"), "{s}");
    insta::assert_snapshot!("corrections_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("原因：收错金额"));
    key(&mut app, KeyCode::Esc);
    // a wrong date in the filter is told next to its field, what was typed kept
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "x");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("日期请写成 2026-12-31"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    // 编号连续性
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("未发现断号"), "{s}");
    key(&mut app, KeyCode::Esc);
    // 限期整改: record a finding against the clerk
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("没有整改事项"));
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "1");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "作废收据后未重开");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "clerk1");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "2026-11-30");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已登记整改事项 ZG2026-001"), "{s}");
    assert!(s.contains("待整改"), "{s}");
    insta::assert_snapshot!("findings_80x24", screen(&app, 80, 24).backend());
    // the auditor cannot record the fix
    key(&mut app, KeyCode::Char('x'));
    assert!(text(&app, 80, 24).contains("只能查看"));

    // the clerk records the fix from the same hub
    let mut clerk = app_as(&b.e, "clerk1", "pass-word2");
    // the unprinted receipt of the test's payment is offered first: not now
    key(&mut clerk, KeyCode::Char('n'));
    key(&mut clerk, KeyCode::F(8));
    key(&mut clerk, KeyCode::Down);
    key(&mut clerk, KeyCode::Enter);
    key(&mut clerk, KeyCode::Char('x'));
    typed(&mut clerk, "已重开收据并说明");
    key(&mut clerk, KeyCode::Enter);
    assert!(text(&clerk, 80, 24).contains("等待稽查员验收"));
    key(&mut clerk, KeyCode::Char('y'));
    assert!(text(&clerk, 80, 24).contains("只有稽查员"));

    // the auditor accepts (Enter on an empty note: 验收通过) and prints the month's report
    let mut app = app_as(&b.e, "jicha9", "pass-word2");
    key(&mut app, KeyCode::F(8));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('y'));
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已验收销号") && s.contains("已销号"), "{s}");
    key(&mut app, KeyCode::Char('p'));
    let s = text(&app, 120, 40);
    assert!(s.contains("稽查月度报告 2026年11月 已打印"), "{s}");
    let pdf = std::fs::read_dir(b.e.dir.path().join("print"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("稽查报告-2026-11"))
        .unwrap();
    let t = pdf_text(&pdf);
    for needle in [
        "稽查月度报告",
        "2026年11月",
        "作废 1 张",
        "ZG2026-001",
        "作废收据后未重开",
        "已重开收据并说明",
        "已销号",
        "稽查员签字",
    ] {
        assert!(t.contains(needle), "{needle} not in {t}");
    }
}

//! The 收费 screens driven by key events, with snapshots at 80×24 (CJK text two cells
//! wide) and 120×40: the account of a customer in arrears, the payment form and its one
//! confirm with the amount in 大写, the receipt printed after the commit, a double Enter
//! paying once, a bad amount refused next to its field, a void refused for a wrong chief
//! password at the field, the day end, receipts never printed offered at sign-in, the
//! payment grade on the customer's file.
use crate::common;
use crate::common::billing_env;

use billing_env::*;
use common::ui::{app_signed_in, key, screen, text, typed};
use crossterm::event::KeyCode;
use stationdesk::domain::customer::UsageCategory;
use stationdesk::ui::App;

/// The bench with 张三 (residential) in arrears: September 30 days overdue, October not
/// due yet. Returns (bench, customer id, 户号).
fn arrears() -> (Bench, i64, String) {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[
            bill(&a, "2026-09", 431, "235.60", "2026-10-25"),
            bill(&a, "2026-10", 180, "100.00", "2026-11-25"),
        ],
    );
    // the clerk has set a password of their own (no forced change at sign-in)
    b.e.svc
        .change_own_password(&mut b.clerk, "pass-word1", "pass-word2")
        .unwrap();
    (b, c, a)
}

/// The app over the bench's data directory, signed in as `user`.
fn app_as(b: &Bench, user: &str, password: &str) -> App {
    common::ui::app_as(&b.e, user, password)
}

/// 收费 (F3 on home), the customer found by 户号 and picked.
fn open_account(app: &mut App, account_no: &str) {
    key(app, KeyCode::F(3));
    typed(app, account_no);
    key(app, KeyCode::Enter);
}

/// Enter (收款), then the amount, the method and the cash handed over; Enter on the last
/// field submits.
fn fill_payment(app: &mut App, amount: &str, tendered: &str) {
    key(app, KeyCode::Enter);
    typed(app, amount);
    key(app, KeyCode::Enter);
    key(app, KeyCode::Enter);
    typed(app, tendered);
}

fn print_files(b: &Bench) -> Vec<String> {
    let dir = b.e.dir.path().join("print");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn pdf_text(path: &std::path::Path) -> String {
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
fn the_account_of_a_customer_in_arrears_at_80x24_and_120x40() {
    let (b, _, a) = arrears();
    let mut app = app_signed_in(&b.e);
    key(&mut app, KeyCode::F(3));
    let s = text(&app, 80, 24);
    assert!(s.contains("收费") && s.contains("查找客户"), "{s}");
    typed(&mut app, "张三");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    for want in [
        a.as_str(),
        "信誉等级：按月缴费",
        "2026年9月",
        "逾期30天",
        "7.07",
        "2026年10月",
        "未到期",
        "应收 342.67 元",
        "Enter/F2 收款",
    ] {
        assert!(s.contains(want), "{want} missing:\n{s}");
    }
    insta::assert_snapshot!("payment_account_80x24", screen(&app, 80, 24).backend());
    insta::assert_snapshot!("payment_account_120x40", screen(&app, 120, 40).backend());
}

#[test]
fn a_payment_through_the_screen_confirms_once_with_daxie_and_prints_the_receipt() {
    let (b, _, a) = arrears();
    let mut app = app_signed_in(&b.e);
    open_account(&mut app, &a);
    fill_payment(&mut app, "300", "500");
    // the change and the allocation follow the typing
    let s = text(&app, 80, 24);
    assert!(s.contains("找零：200.00 元"), "{s}");
    assert!(s.contains("2026年9月违约金") && s.contains("57.33"), "{s}");
    insta::assert_snapshot!("payment_form_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    for want in [
        "确认收款",
        "张三",
        "收款金额：300.00 元",
        "大写：人民币叁佰元整",
        "找零：200.00 元",
    ] {
        assert!(s.contains(want), "{want} missing:\n{s}");
    }
    insta::assert_snapshot!("payment_confirm_80x24", screen(&app, 80, 24).backend());
    assert_eq!(count(&b.e, "payment"), 0, "nothing before the confirm");
    key(&mut app, KeyCode::Enter);
    assert_eq!(count(&b.e, "payment"), 1);
    assert_eq!(count(&b.e, "receipt"), 1);
    let s = text(&app, 80, 24);
    assert!(s.contains("收据 SJ2026000001"), "{s}");
    assert!(s.contains("收据已打印"), "{s}");
    assert!(
        s.contains("应收 42.67 元"),
        "the account is read again: {s}"
    );
    let files = print_files(&b);
    assert_eq!(files, ["收费凭证-SJ2026000001.pdf"]);
    let t = pdf_text(&b.e.dir.path().join("print").join(&files[0]));
    assert!(t.contains("叁佰元整") && t.contains("张三"), "{t}");
    // issue 18: the customer's 用电地址, the station's phone, the stamp, and the part of a
    // bill paid said as a part
    for want in [
        "用电地址：柳林镇王庄村3组8号",
        "电话0538-8123456",
        "收款单位（盖章）",
        "部分（账单100.00元，180kWh）",
    ] {
        assert!(t.contains(want), "{want}: {t}");
    }
}

#[test]
fn a_double_enter_on_the_confirm_pays_once() {
    let (b, _, a) = arrears();
    let mut app = app_signed_in(&b.e);
    open_account(&mut app, &a);
    fill_payment(&mut app, "100", "");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("确认收款"));
    // the key bounces: Enter after Enter after Enter
    for _ in 0..12 {
        key(&mut app, KeyCode::Enter);
    }
    assert_eq!(count(&b.e, "payment"), 1);
    assert_eq!(count(&b.e, "receipt"), 1);
    assert_eq!(print_files(&b).len(), 1);
    // Enter after the payment opened nothing: the success line stays, no form, nothing
    // cancelled (issue 18: it used to open an empty form, and Esc then said 已取消，未收款)
    let s = text(&app, 80, 24);
    assert!(s.contains("已收款 100.00 元"), "{s}");
    assert!(!s.contains("收款金额*"), "{s}");
    key(&mut app, KeyCode::Esc);
    assert!(!text(&app, 80, 24).contains("已取消"));
}

/// Issue 18: the amount starts as the amount due, selected, so Enter takes it; the cash
/// handed over starts as the amount; a cash payment of exactly what is owed is F2 and three
/// Enters, then the confirm.
#[test]
fn the_amount_due_is_proposed_and_enter_takes_it() {
    let (b, _, a) = arrears();
    let mut app = app_signed_in(&b.e);
    open_account(&mut app, &a);
    key(&mut app, KeyCode::F(2));
    let s = text(&app, 80, 24);
    assert!(s.contains("收款金额*：342.67"), "{s}");
    key(&mut app, KeyCode::Enter); // amount as proposed
    key(&mut app, KeyCode::Enter); // 1 现金
    let s = text(&app, 80, 24);
    assert!(
        s.contains("实收现金： 342.67"),
        "the tendered field follows: {s}"
    );
    assert!(s.contains("找零：0.00 元"), "{s}");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("确认收款") && s.contains("342.67"), "{s}");
    key(&mut app, KeyCode::Enter);
    assert_eq!(count(&b.e, "payment"), 1);
    // typing replaces the proposal; N 换客户 starts an empty search
    key(&mut app, KeyCode::F(2));
    typed(&mut app, "50");
    assert!(
        text(&app, 80, 24).contains("收款金额*：50 "),
        "replaced, not appended"
    );
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('n'));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("查找客户：") && !s.contains(&a),
        "an empty search: {s}"
    );
}

#[test]
fn a_bad_amount_is_refused_next_to_the_field_and_kept() {
    let (b, _, a) = arrears();
    let mut app = app_signed_in(&b.e);
    open_account(&mut app, &a);
    fill_payment(&mut app, "12.345", "");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("✗ 金额最多两位小数（到分）"), "{s}");
    assert!(s.contains("12.345"), "what was typed is kept: {s}");
    let lines: Vec<&str> = s.lines().collect();
    let field = lines.iter().position(|l| l.contains("12.345")).unwrap();
    assert!(
        lines[field + 1].contains("金额最多两位小数"),
        "the message is under the field:\n{s}"
    );
    // cash handed over below the amount: at its field, from the service's check
    key(&mut app, KeyCode::Backspace);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "10");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("实收现金 10.00 元少于收款金额 12.34 元"), "{s}");
    // a transfer needs its reference
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "3");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("移动支付须填写参考号"), "{s}");
    assert_eq!(count(&b.e, "payment"), 0);
}

#[test]
fn a_void_with_a_wrong_chief_password_is_refused_at_the_field() {
    let (b, _, a) = arrears();
    let mut app = app_as(&b, "clerk1", "pass-word2");
    open_account(&mut app, &a);
    fill_payment(&mut app, "100", "");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert_eq!(count(&b.e, "receipt"), 1);
    key(&mut app, KeyCode::Char('r'));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("SJ2026000001") && s.contains("有效 已打印"),
        "{s}"
    );
    insta::assert_snapshot!("receipts_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Char('x'));
    typed(&mut app, "金额录错");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, CHIEF_USER);
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "not-his");
    key(&mut app, KeyCode::Enter);
    // the password is checked before the question: no confirm for an act it would refuse
    let s = text(&app, 80, 24);
    assert!(!s.contains("作废收据 SJ2026000001？"), "{s}");
    assert!(s.contains("所长密码不对（再错 2 次将暂停审批）"), "{s}");
    assert!(s.contains("金额录错"), "the reason is kept: {s}");
    // two more wrong tries pause approvals, never the chief's sign-in
    for _ in 0..2 {
        for _ in 0..7 {
            key(&mut app, KeyCode::Backspace);
        }
        typed(&mut app, "not-his");
        key(&mut app, KeyCode::Enter);
    }
    let s = text(&app, 80, 24);
    assert!(s.contains("暂停审批到") && s.contains("不影响登录"), "{s}");
    let mut chief_window = stationdesk::ui::App::new(common::ui::service_of(&b.e));
    typed(&mut chief_window, CHIEF_USER);
    key(&mut chief_window, KeyCode::Enter);
    typed(&mut chief_window, CHIEF_PASSWORD);
    key(&mut chief_window, KeyCode::Enter);
    assert!(chief_window.session().is_some(), "the chief still signs in");
    let voids: i64 =
        b.e.svc
            .store()
            .conn()
            .query_row("SELECT count(*) FROM receipt_void", [], |r| r.get(0))
            .unwrap_or(0);
    assert_eq!(voids, 0);
    // after the pause the chief types it again, right this time
    b.e.clock.advance(chrono::Duration::minutes(3));
    for _ in 0.."not-his".len() {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, CHIEF_PASSWORD);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已作废，号码保留"), "{s}");
    assert!(s.contains("作废"), "{s}");
    assert!(b.e.svc.find_receipt("SJ2026000001").unwrap().voided);
    // back on the account, the bill is owed again
    key(&mut app, KeyCode::Esc);
    assert!(text(&app, 80, 24).contains("应收 342.67 元"));
}

#[test]
fn the_day_end_counts_the_cash_and_prints_its_report() {
    let (b, _, a) = arrears();
    let mut app = app_as(&b, "clerk1", "pass-word2");
    open_account(&mut app, &a);
    fill_payment(&mut app, "235.60", "300");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('e'));
    let s = text(&app, 80, 24);
    for want in [
        "收款员 员工clerk1",
        "SJ2026000001",
        "现金      1 笔",
        "235.60",
    ] {
        assert!(s.contains(want), "{want} missing:\n{s}");
    }
    insta::assert_snapshot!("day_end_80x24", screen(&app, 80, 24).backend());
    // only today is open: ← and → say so instead of doing nothing
    key(&mut app, KeyCode::Left);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("没有更早的未日结日期；已日结的日子按 L 在历史日结中查看"),
        "{s}"
    );
    key(&mut app, KeyCode::Right);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("已是最后一天（今天）") && s.contains("SJ2026000001"),
        "{s}"
    );
    key(&mut app, KeyCode::Enter);
    // 2 × 100, 1 × 20, 1 × 10, 1 × 5, 1 × 1, 1 × 5 角: 236.50, 0.90 more than expected
    for pieces in ["2", "", "1", "1", "1", "1", "1", "", "", "", ""] {
        typed(&mut app, pieces);
        key(&mut app, KeyCode::Enter);
    }
    let s = text(&app, 80, 24);
    assert!(
        s.contains("236.50 元") && s.contains("+0.90 元（长款）"),
        "{s}"
    );
    insta::assert_snapshot!("day_end_count_80x24", screen(&app, 80, 24).backend());
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("请填写差额原因"));
    typed(&mut app, "顾客多给未找回");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("清点现金 236.50 元，差额 +0.90 元（长款）"),
        "{s}"
    );
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已日结；日结单已打印"), "{s}");
    assert!(s.contains("已日结（"), "{s}");
    let files = print_files(&b);
    let report = files
        .iter()
        .find(|f| f.starts_with("日清日结-20261124"))
        .unwrap();
    let t = pdf_text(&b.e.dir.path().join("print").join(report));
    assert!(t.contains("0.90") && t.contains("顾客多给未找回"), "{t}");
    // the history lists it; P prints it again
    key(&mut app, KeyCode::Char('l'));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("2026-11-24") && s.contains("+0.90（长款）"),
        "{s}"
    );
    key(&mut app, KeyCode::Char('p'));
    assert!(text(&app, 80, 24).contains("日结单已补打"));
}

#[test]
fn receipts_never_printed_are_offered_at_sign_in() {
    let (mut b, c, _) = arrears();
    // taken, then the program died before printing
    pay(&mut b.e, &b.clerk, c, "50.00");
    let mut app = app_as(&b, "clerk1", "pass-word2");
    let s = text(&app, 80, 24);
    assert!(
        s.contains("未打印的收据 1 张") && s.contains("SJ2026000001"),
        "{s}"
    );
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("已补打 1 张收据"), "{s}");
    let files = print_files(&b);
    assert_eq!(files.len(), 1);
    assert!(pdf_text(&b.e.dir.path().join("print").join(&files[0])).contains("补打"));
    assert!(b.e.svc.unprinted_receipts(&b.clerk).unwrap().is_empty());
}

#[test]
fn the_customer_file_shows_the_payment_grade() {
    let (b, _, _) = arrears();
    let mut app = app_signed_in(&b.e);
    key(&mut app, KeyCode::Char('c'));
    typed(&mut app, "张三");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("信誉等级：按月缴费（欠费 342.67 元，预收 0.00 元）"),
        "{s}"
    );
    assert!(s.contains("建档时间"), "the last line still fits: {s}");
}

#[test]
fn the_chief_waives_a_late_fee_and_declares_an_outage() {
    let (b, c, a) = arrears();
    let mut app = app_signed_in(&b.e);
    open_account(&mut app, &a);
    // the first row is September, 7.07 of late fee
    key(&mut app, KeyCode::Char('w'));
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("✗ 请填写免收原因"));
    typed(&mut app, "系统故障无法缴费");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("免收 2026年9月 电费的违约金（至今 7.07 元"),
        "{s}"
    );
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("违约金已免收") && s.contains("已免"), "{s}");
    assert!(s.contains("应收 335.60 元"), "{s}");
    assert!(b.e.svc.customer_account(c).unwrap().bills[0].late_fee_waived);
    // outage periods: the list, and a period declared by the chief
    key(&mut app, KeyCode::Char('o'));
    assert!(text(&app, 80, 24).contains("没有登记的停运期"));
    key(&mut app, KeyCode::Char('n'));
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "2026-11-01");
    key(&mut app, KeyCode::Enter);
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "2026-10-30");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "省营销系统切换");
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 80, 24).contains("结束日期不能早于开始日期"));
    // the cursor waits in the end date
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "2026-11-08");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("2026-11-01 2026-11-08 8 天") && s.contains("省营销系统切换"),
        "{s}"
    );
    assert_eq!(b.e.svc.outage_periods().unwrap().len(), 1);
}

#[test]
fn a_clerk_cannot_waive_and_a_reversal_prints_a_negative_receipt() {
    let (mut b, c, a) = arrears();
    // yesterday's payment: too late to void, a reversal instead
    b.e.clock.set(
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    );
    pay(&mut b.e, &b.clerk, c, "100.00");
    b.e.clock.set(
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
    );
    let mut app = app_as(&b, "clerk1", "pass-word2");
    // the receipt of yesterday was never printed: declined at sign-in
    assert!(text(&app, 80, 24).contains("未打印的收据 1 张"));
    key(&mut app, KeyCode::Esc);
    open_account(&mut app, &a);
    key(&mut app, KeyCode::Char('w'));
    assert!(text(&app, 80, 24).contains("只有所长可以免收违约金"));
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Char('x'));
    let s = text(&app, 80, 24);
    assert!(
        s.contains("只能作废当天的收据") && s.contains("请按 H 红冲"),
        "{s}"
    );
    key(&mut app, KeyCode::Char('h'));
    typed(&mut app, "重复收费");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, CHIEF_USER);
    key(&mut app, KeyCode::Enter);
    typed(&mut app, CHIEF_PASSWORD);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(s.contains("红冲收据 SJ2026000001？"), "{s}");
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 80, 24);
    assert!(
        s.contains("已红冲：红冲收据 SJ2026000002 -100.00 元"),
        "{s}"
    );
    assert!(s.contains("冲 SJ2026000001") && s.contains("已红冲"), "{s}");
    let files = print_files(&b);
    assert_eq!(files, ["收费凭证-SJ2026000002.pdf"]);
    let t = pdf_text(&b.e.dir.path().join("print").join(&files[0]));
    assert!(t.contains("负壹佰元整"), "{t}");
}

#[test]
fn esc_on_a_filled_payment_form_asks_before_throwing_the_amount_away() {
    let (b, _, a) = arrears();
    let mut app = app_signed_in(&b.e);
    open_account(&mut app, &a);
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "300");
    key(&mut app, KeyCode::Esc);
    let s = text(&app, 80, 24);
    assert!(s.contains("已填的内容尚未提交"), "{s}");
    assert!(s.contains("300"), "the amount is kept: {s}");
    // typing on answers "keep it": the next Esc asks again
    typed(&mut app, "5");
    key(&mut app, KeyCode::Esc);
    assert!(text(&app, 80, 24).contains("3005"));
    key(&mut app, KeyCode::Esc);
    let s = text(&app, 80, 24);
    assert!(s.contains("已取消，未收款"), "{s}");
    assert!(!s.contains("3005"), "{s}");
    assert!(print_files(&b).is_empty(), "no payment, no receipt");
}

#[test]
fn an_auditor_is_offered_only_what_an_auditor_can_do() {
    let (mut b, _, a) = arrears();
    let mut s = account(
        &mut b.e,
        &b.chief,
        "audit1",
        stationdesk::domain::role::Role::Auditor,
    );
    b.e.svc
        .change_own_password(&mut s, "pass-word1", "pass-word2")
        .unwrap();
    let mut app = app_as(&b, "audit1", "pass-word2");
    open_account(&mut app, &a);
    let s = text(&app, 80, 24);
    assert!(s.contains("信誉等级"), "{s}");
    let footer = s.lines().rev().nth(1).unwrap_or_default();
    assert!(footer.contains("Esc 返回"), "{footer}");
    for not_offered in ["收款", "免收违约金"] {
        assert!(!footer.contains(not_offered), "{not_offered}: {footer}");
    }
    insta::assert_snapshot!("auditor_account_80x24", screen(&app, 80, 24).backend());
    // the help lists every key and marks those the auditor cannot use
    key(&mut app, KeyCode::F(1));
    let s = text(&app, 80, 24);
    assert!(s.contains("收款（无权限）"), "{s}");
    // and the key itself is refused by the service's rule, not only hidden
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Enter);
    assert!(
        !text(&app, 80, 24).contains("金额"),
        "no payment form for an auditor"
    );
    // issue 18: 日清日结 is the list of every cashier's day ends for him (no screen calls
    // him 收款员), and every refusal has the same words
    key(&mut app, KeyCode::Char('e'));
    let s = text(&app, 80, 24);
    assert!(s.contains("的日结"), "the list: {s}");
    assert!(!s.contains("收款员 员工audit1"), "{s}");
    key(&mut app, KeyCode::Char('p'));
    assert!(
        text(&app, 80, 24).contains("无权限：稽查员只能查看，不能修改"),
        "{}",
        text(&app, 80, 24)
    );
}

/// Issue 12: large amounts show whole in the lists (a factory's bill of 1,234,567.89, a
/// payment at the 100,000 元 limit), never cut by a fixed column.
#[test]
fn large_amounts_show_whole_in_the_bill_and_receipt_lists() {
    let mut b = bench();
    let (_, a) = customer(&mut b.e, &b.chief, "鑫源机械厂", UsageCategory::Industrial);
    import(
        &mut b.e,
        &[bill(&a, "2026-10", 1_987_654, "1234567.89", "2026-11-25")],
    );
    b.e.svc
        .change_own_password(&mut b.clerk, "pass-word1", "pass-word2")
        .unwrap();
    let mut app = app_signed_in(&b.e);
    open_account(&mut app, &a);
    for (w, h) in [(80, 24), (120, 40)] {
        let s = text(&app, w, h);
        assert!(s.contains("1,234,567.89"), "{w}x{h}:\n{s}");
        assert!(s.contains("1987654"), "{w}x{h}:\n{s}");
    }
    fill_payment(&mut app, "100000", "100000");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('r'));
    for (w, h) in [(80, 24), (120, 40)] {
        let s = text(&app, w, h);
        assert!(s.contains("100,000.00"), "{w}x{h}:\n{s}");
    }
    insta::assert_snapshot!(
        "receipts_large_amount_80x24",
        screen(&app, 80, 24).backend()
    );
}

/// Issue 18: `Enter` with several matches gives the clerk the list (address and masked
/// phone to confirm the person) rather than taking the first; one chosen is taken.
#[test]
fn enter_with_several_matches_lets_the_clerk_choose() {
    let mut b = bench();
    customer(&mut b.e, &b.chief, "王丽", UsageCategory::Residential);
    let (_, second) = customer(&mut b.e, &b.chief, "王丽华", UsageCategory::Residential);
    b.e.svc
        .change_own_password(&mut b.clerk, "pass-word1", "pass-word2")
        .unwrap();
    let mut app = app_signed_in(&b.e);
    key(&mut app, KeyCode::F(3));
    typed(&mut app, "王丽");
    let s = text(&app, 120, 40);
    assert!(
        s.contains("柳林镇王庄村3组8号") && s.contains("地址"),
        "{s}"
    );
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 120, 40);
    assert!(s.contains("找到 2 户：请核对地址、电话"), "{s}");
    assert!(!s.contains("信誉等级"), "nobody taken yet: {s}");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let s = text(&app, 120, 40);
    assert!(s.contains(&second) && s.contains("王丽华"), "{s}");
    // an exact 户号 is taken at once
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, &second);
    key(&mut app, KeyCode::Enter);
    assert!(text(&app, 120, 40).contains("信誉等级"));
}

//! What the receipt screens say about a receipt: its states as words, its details for the
//! popup, and the receipts never printed offered at sign-in.
use crate::domain::money;
use crate::service::payments::ReceiptSummary;
use crate::service::{Service, ServiceError, Session};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::Confirm;
use crate::ui::screen::Op;
use crate::ui::screens::pay_text::{capital_text, printed_text};

/// The confirmed print of receipts offered at sign-in (the home screen runs it).
#[derive(Debug)]
pub struct PrintUnprinted(pub Vec<i64>);

/// The question at sign-in: receipts committed but never printed.
pub fn unprinted_question(list: &[ReceiptSummary]) -> Confirm {
    let mut lines = vec!["以下收据已记账但没有打印（程序可能曾意外退出）：".to_string()];
    const SHOWN: usize = 8;
    for r in list.iter().take(SHOWN) {
        lines.push(format!(
            "{} {} {} {} 元",
            r.receipt_no,
            r.issued_at.format("%m-%d %H:%M"),
            r.payer,
            money::format_yuan_grouped(r.amount)
        ));
    }
    if list.len() > SHOWN {
        lines.push(format!("…另有 {} 张", list.len() - SHOWN));
    }
    lines.push("现在打印吗？打印件标记“补打”。选否则下次登录时再提示。".into());
    Confirm {
        title: format!("未打印的收据 {} 张", list.len()),
        lines,
        on_yes: Op::new(PrintUnprinted(list.iter().map(|r| r.receipt_id).collect())),
    }
}

/// Print each receipt offered at sign-in (marked 补打); says how many were printed and
/// which could not be.
pub fn print_recovered(
    svc: &mut Service,
    session: &Session,
    ids: &[i64],
) -> Result<String, ServiceError> {
    let mut printed = Vec::new();
    let mut failed = Vec::new();
    for &id in ids {
        match svc.print_receipt(session, id, true) {
            Ok(out) => printed.push(printed_text(&out)),
            Err(e) => failed.push(e.message()),
        }
    }
    if failed.is_empty() {
        let last = printed.last().cloned().unwrap_or_default();
        return Ok(format!("已补打 {} 张收据（{last}）", printed.len()));
    }
    Err(ServiceError::Refused(format!(
        "补打 {} 张，{} 张未能打印：{}（可在收费 → 收据中按 {} 补打）",
        printed.len(),
        failed.len(),
        failed[0],
        keymap::key_label(Context::Receipts, Action::ReprintReceipt)
    )))
}

/// A receipt's states as words.
pub fn marks(r: &ReceiptSummary) -> String {
    let mut m = Vec::new();
    if r.voided {
        m.push("作废".to_string());
    }
    if let Some(orig) = &r.reverses {
        m.push(format!("冲 {orig}"));
    }
    if r.reversed_by.is_some() {
        m.push("已红冲".into());
    }
    if m.is_empty() {
        m.push("有效".into());
    }
    m.push(match r.prints {
        0 => "未打印".into(),
        1 => "已打印".into(),
        n => format!("补打{}次", n - 1),
    });
    m.join(" ")
}

/// A receipt in full for the notice popup: what it paid, the amount in capitals, the
/// method, the cashier, its state.
pub fn detail_lines(svc: &Service, r: &ReceiptSummary) -> Result<Vec<String>, ServiceError> {
    let v = svc.receipt_view(r.receipt_id)?;
    let mut l = vec![
        format!(
            "开具：{}  收款员：{}",
            v.issued_at.format("%Y-%m-%d %H:%M"),
            v.cashier
        ),
        format!("客户：{}", r.payer),
    ];
    const SHOWN: usize = 6;
    for line in v.lines.iter().take(SHOWN) {
        l.push(format!(
            "  {} {} {} 元",
            line.label,
            line.detail,
            money::format_yuan_grouped(line.amount)
        ));
    }
    if v.lines.len() > SHOWN {
        l.push(format!("  …另有 {} 项", v.lines.len() - SHOWN));
    }
    l.push(format!(
        "合计：{} 元（{}）",
        money::format_yuan_grouped(v.total),
        capital_text(v.total)
    ));
    let mut method = format!("方式：{}", v.method);
    if let (Some(t), Some(c)) = (v.tendered, v.change) {
        method.push_str(&format!(
            "  实收 {} 找零 {}",
            money::format_yuan_grouped(t),
            money::format_yuan_grouped(c)
        ));
    }
    l.push(method);
    l.push(format!(
        "收后：欠费 {} 元  预收 {} 元",
        money::format_yuan_grouped(v.arrears_after),
        money::format_yuan_grouped(v.prepaid_after)
    ));
    if let Some(vm) = &v.void {
        l.push(format!(
            "作废：{}，所长 {} 审批，原因：{}",
            vm.at.format("%Y-%m-%d %H:%M"),
            vm.approved_by,
            vm.reason
        ));
    }
    if let Some((orig, why)) = &v.reverses {
        l.push(format!("红冲 {orig}，原因：{why}"));
    }
    l.push(format!("状态：{}", marks(r)));
    Ok(l)
}

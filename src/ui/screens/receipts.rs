//! 收费 · 收据: a customer's latest receipts (or receipts found by number), marked as text
//! (有效 / 作废 / 红冲 / 已被红冲 / 未打印 / 补打 N 次). `P` reprints (补打, counted), `X`
//! voids (the same day, before the day end) and `H` reverses (红冲) — both ask the reason
//! and the chief's user name and password typed at the counter, then confirm once with
//! the number, the customer and the amount. Also: receipts never printed, offered at
//! sign-in.
use std::cell::Cell;

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell as TableCell, Row, Table, Widget};

use crate::domain::money;
use crate::print::PrintOutcome;
use crate::service::payments::{ReceiptSummary, cashier_check};
use crate::service::{Service, ServiceError, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::{Confirm, Msg, Pending, ScreenOp};
use crate::ui::screens::assessment::popup;
use crate::ui::screens::pay_account::right;
use crate::ui::screens::pay_form::capital_text;
use crate::ui::theme;
use crate::ui::widgets::chrome::selectable_rows;
use crate::ui::widgets::field::{Form, FormEvent, TextField};

/// How many of a customer's receipts the list shows.
const LATEST: usize = 30;

/// Where a printout went: the file in the print folder and, when sent, the printer.
pub fn printed_text(out: &PrintOutcome) -> String {
    let file = out
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match &out.sent_to {
        Some(p) => format!("{file}，已送打印机 {p}"),
        None => format!("打印目录 {file}"),
    }
}

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
        on_yes: Pending::PrintUnprinted(list.iter().map(|r| r.receipt_id).collect()),
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
        "补打 {} 张，{} 张未能打印：{}（可在收费 → 收据中按 P 补打）",
        printed.len(),
        failed.len(),
        failed[0]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Undo {
    Void,
    Reverse,
}

impl Undo {
    fn label(self) -> &'static str {
        match self {
            Undo::Void => "作废",
            Undo::Reverse => "红冲",
        }
    }
}

enum Source {
    Customer {
        id: i64,
        label: String,
    },
    /// receipt numbers looked up, newest first
    Found(Vec<String>),
}

pub struct ReceiptsView {
    source: Source,
    receipts: Vec<ReceiptSummary>,
    selected: usize,
    offset: Cell<usize>,
    find: Option<Form>,
    undo: Option<(Undo, i64, Form)>,
    error: Option<String>,
    /// the business day, for 今天 in the list
    today: NaiveDate,
}

fn find_form() -> Form {
    Form::new(vec![
        TextField::new("receipt_no", "收据号")
            .required()
            .max(20)
            .hint("如 SJ2026000123"),
    ])
}

impl ReceiptsView {
    pub fn for_customer(svc: &Service, id: i64, label: String) -> ReceiptsView {
        let mut v = ReceiptsView {
            source: Source::Customer { id, label },
            receipts: Vec::new(),
            selected: 0,
            offset: Cell::new(0),
            find: None,
            undo: None,
            error: None,
            today: svc.now().date(),
        };
        v.reload(svc);
        v
    }

    pub fn found(svc: &Service, r: &ReceiptSummary) -> ReceiptsView {
        let mut v = ReceiptsView {
            source: Source::Found(vec![r.receipt_no.clone()]),
            receipts: Vec::new(),
            selected: 0,
            offset: Cell::new(0),
            find: None,
            undo: None,
            error: None,
            today: svc.now().date(),
        };
        v.reload(svc);
        v
    }

    /// The form to look a receipt up by its number.
    pub fn find_form() -> Form {
        find_form()
    }

    pub fn reload(&mut self, svc: &Service) {
        self.today = svc.now().date();
        let got = match &self.source {
            Source::Customer { id, .. } => svc.customer_receipts(*id, LATEST),
            Source::Found(nos) => nos.iter().map(|n| svc.find_receipt(n)).collect(),
        };
        match got {
            Ok(r) => {
                self.receipts = r;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.receipts.len().saturating_sub(1));
    }

    pub fn context(&self) -> Context {
        if self.find.is_some() || self.undo.is_some() {
            Context::Form
        } else {
            Context::Receipts
        }
    }

    fn current(&self) -> Option<&ReceiptSummary> {
        self.receipts.get(self.selected)
    }

    fn open_undo(&mut self, session: &Session, undo: Undo) -> Option<Msg> {
        if let Err(e) = cashier_check(session) {
            return Some(Msg::warn(e.message()));
        }
        let r = self.current()?;
        let refused = if r.voided {
            Some(format!("收据 {} 已作废", r.receipt_no))
        } else if let Some(orig) = &r.reverses {
            Some(format!(
                "收据 {} 是冲 {orig} 的红冲收据，不能再{}",
                r.receipt_no,
                undo.label()
            ))
        } else if let Some(rev) = &r.reversed_by {
            Some(format!("收据 {} 已由 {rev} 红冲", r.receipt_no))
        } else if undo == Undo::Void && r.business_date != self.today {
            Some(format!(
                "只能作废当天的收据：{} 开具于 {}，请按 H 红冲",
                r.receipt_no, r.business_date
            ))
        } else {
            None
        };
        if let Some(m) = refused {
            return Some(Msg::warn(m));
        }
        let id = r.receipt_id;
        let form = Form::new(vec![
            TextField::new(
                "reason",
                if undo == Undo::Void {
                    "作废原因"
                } else {
                    "红冲原因"
                },
            )
            .required()
            .max(200)
            .hint("必填，如：金额录错、客户退款"),
            TextField::new("chief_username", "所长用户名")
                .required()
                .max(20)
                .hint("由所长本人在柜台输入"),
            TextField::new("chief_password", "所长密码")
                .required()
                .masked()
                .max(64),
        ]);
        self.undo = Some((undo, id, form));
        None
    }

    /// Enter on the last field of the void/reversal form: check that nothing is left
    /// empty, then confirm once with the number, customer and amount.
    fn confirm_undo(&mut self) -> Option<Msg> {
        let (undo, id, form) = self.undo.as_mut()?;
        form.clear_errors();
        for (key, what) in [
            ("reason", format!("请填写{}原因", undo.label())),
            ("chief_username", "请所长输入用户名".to_string()),
            ("chief_password", "请所长输入密码".to_string()),
        ] {
            if form.value(key).trim().is_empty() {
                form.set_error(key, what);
                return None;
            }
        }
        let r = self.receipts.iter().find(|r| r.receipt_id == *id)?;
        let mut lines = vec![
            format!("{}收据 {}？", undo.label(), r.receipt_no),
            format!("客户：{}", r.payer),
            format!(
                "金额：{} 元（{}）",
                money::format_yuan_grouped(r.amount),
                capital_text(r.amount)
            ),
            format!("原因：{}", form.value("reason").trim()),
        ];
        let (op, after) = match undo {
            Undo::Void => (
                ScreenOp::VoidReceipt { receipt_id: *id },
                "作废后号码保留并标记作废，所付账单重新计为欠费。",
            ),
            Undo::Reverse => (
                ScreenOp::ReverseReceipt { receipt_id: *id },
                "将开具一张负数的红冲收据并打印，原收据保留。",
            ),
        };
        lines.push(after.into());
        Some(Msg::Confirm(Confirm {
            title: format!("{}收据", undo.label()),
            lines,
            on_yes: Pending::Screen(op),
        }))
    }

    /// The confirmed void or reversal, with what the form holds; a refusal (a wrong
    /// password, say) goes next to its field and the form stays.
    pub fn run(&mut self, svc: &mut Service, session: &Session, op: &ScreenOp) -> Option<Msg> {
        let (_, id, form) = self.undo.as_mut()?;
        let (reason, user, pw) = (
            form.value("reason").to_string(),
            form.value("chief_username").to_string(),
            form.value("chief_password").to_string(),
        );
        let no = self
            .receipts
            .iter()
            .find(|r| r.receipt_id == *id)
            .map(|r| r.receipt_no.clone())
            .unwrap_or_default();
        let said = match op {
            ScreenOp::VoidReceipt { receipt_id } => svc
                .void_receipt(session, *receipt_id, &user, &pw, &reason)
                .map(|_| {
                    let m = Msg::info(format!(
                        "收据 {no} 已作废（号码保留），所付账单重新计为欠费；按 P 可打印带作废标记的收据"
                    ));
                    (m, None)
                }),
            ScreenOp::ReverseReceipt { receipt_id } => svc
                .reverse_receipt(session, *receipt_id, &user, &pw, &reason)
                .map(|done| {
                    let amount = money::format_yuan_grouped(done.amount);
                    let m = match svc.print_receipt(session, done.receipt_id, false) {
                        Ok(out) => Msg::info(format!(
                            "已红冲：红冲收据 {} {amount} 元，已打印（{}）",
                            done.receipt_no,
                            printed_text(&out)
                        )),
                        Err(e) => Msg::error(format!(
                            "已红冲：红冲收据 {} {amount} 元，但未能打印：{}（选中后按 P 补打）",
                            done.receipt_no,
                            e.message()
                        )),
                    };
                    (m, Some(done.receipt_no))
                }),
            _ => return None,
        };
        match said {
            Ok((m, new_no)) => {
                // receipts found by number: show the new reversal above its original
                if let (Some(no), Source::Found(nos)) = (new_no, &mut self.source) {
                    nos.insert(0, no);
                }
                self.undo = None;
                self.reload(svc);
                Some(Msg::Batch(vec![Msg::Refresh, m]))
            }
            Err(e) => {
                let (_, _, form) = self.undo.as_mut()?;
                form.place_error(&e)
            }
        }
    }

    pub fn handle(
        &mut self,
        svc: &mut Service,
        session: &Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        if let Some(form) = &mut self.find {
            if action == Some(Action::Back) {
                self.find = None;
                return None;
            }
            if form.handle_key(ev) != FormEvent::Submit {
                return None;
            }
            form.clear_errors();
            return match svc.find_receipt(form.value("receipt_no")) {
                Ok(r) => {
                    self.find = None;
                    match &mut self.source {
                        Source::Found(nos) => {
                            nos.retain(|n| *n != r.receipt_no);
                            nos.insert(0, r.receipt_no.clone());
                        }
                        Source::Customer { .. } => {
                            self.source = Source::Found(vec![r.receipt_no.clone()]);
                        }
                    }
                    self.selected = 0;
                    self.reload(svc);
                    None
                }
                Err(e) => form.place_error(&e),
            };
        }
        if let Some((_, _, form)) = &mut self.undo {
            if action == Some(Action::Back) {
                self.undo = None;
                return Some(Msg::warn("已取消，收据未改"));
            }
            if form.handle_key(ev) != FormEvent::Submit {
                return None;
            }
            return self.confirm_undo();
        }
        let n = self.receipts.len();
        match action? {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::Back => return Some(Msg::Pop),
            Action::FindReceipt => self.find = Some(find_form()),
            Action::Print => {
                let r = self.current()?;
                let (id, no, first) = (r.receipt_id, r.receipt_no.clone(), r.prints == 0);
                let msg = match svc.print_receipt(session, id, false) {
                    Ok(out) if first => {
                        Msg::info(format!("收据 {no} 已打印（{}）", printed_text(&out)))
                    }
                    Ok(out) => Msg::info(format!("收据 {no} 已补打（{}）", printed_text(&out))),
                    Err(e) => Msg::error(format!("收据 {no} 未能打印：{}", e.message())),
                };
                self.reload(svc);
                return Some(msg);
            }
            Action::VoidReceipt => return self.open_undo(session, Undo::Void),
            Action::ReverseReceipt => return self.open_undo(session, Undo::Reverse),
            Action::Submit => {
                let r = self.current()?;
                return Some(match detail_lines(svc, r) {
                    Ok(lines) => Msg::Notice {
                        title: format!("收据 {}", r.receipt_no),
                        lines,
                    },
                    Err(e) => Msg::error(e.message()),
                });
            }
            _ => {}
        }
        None
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let [head, list] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(2)]).areas(area);
        let title = match &self.source {
            Source::Customer { label, .. } => {
                format!(" {label} 的收据（最近 {LATEST} 张，新的在前）")
            }
            Source::Found(_) => " 按收据号查找的收据（F 再查一张）".to_string(),
        };
        Line::from(title).render(head, buf);
        self.render_list(list, buf);
        if let Some(form) = &self.find {
            return popup(area, buf, " 按收据号查找 ", form, &[]);
        }
        let (undo, id, form) = self.undo.as_ref()?;
        let r = self.receipts.iter().find(|r| r.receipt_id == *id)?;
        let lines = vec![format!(
            "{} · {} · {} 元",
            r.receipt_no,
            r.payer,
            money::format_yuan_grouped(r.amount)
        )];
        let title = match undo {
            Undo::Void => " 作废收据（所长审批） ",
            Undo::Reverse => " 红冲收据（所长审批） ",
        };
        popup(area, buf, title, form, &lines)
    }

    fn render_list(&self, area: Rect, buf: &mut Buffer) {
        let today = self.today;
        let h = usize::from(area.height.saturating_sub(1));
        if self.receipts.is_empty() {
            let msg = self.error.clone().unwrap_or_else(|| "没有收据".into());
            Line::from(format!(" {msg}")).render(area, buf);
            return;
        }
        let rows: Vec<Row> = selectable_rows(&self.receipts, self.selected, &self.offset, h, |r| {
            let when = if r.business_date == today {
                r.issued_at.format("今天 %H:%M").to_string()
            } else {
                r.issued_at.format("%m-%d %H:%M").to_string()
            };
            vec![
                r.receipt_no.clone(),
                when,
                format!("{:>10}", money::format_yuan_grouped(r.amount)),
                r.method.split('（').next().unwrap_or_default().to_string(),
                r.cashier.clone(),
                marks(r),
            ]
        });
        Table::new(
            rows,
            [
                Constraint::Length(13),
                Constraint::Length(11),
                Constraint::Length(11),
                Constraint::Length(8),
                Constraint::Length(10),
                Constraint::Min(8),
            ],
        )
        .header(
            Row::new(vec![
                TableCell::from(" 收据号"),
                TableCell::from("开具时间"),
                right("金额".into()),
                TableCell::from("方式"),
                TableCell::from("收款员"),
                TableCell::from("状态"),
            ])
            .style(theme::heading()),
        )
        .render(area, buf);
    }
}

/// A receipt in full for the notice popup: what it paid, the amount in capitals, the
/// method, the cashier, its state.
fn detail_lines(svc: &Service, r: &ReceiptSummary) -> Result<Vec<String>, ServiceError> {
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

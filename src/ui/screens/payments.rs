//! 收费: pick the customer with the search box, see the account at once (bills in arrears
//! with late fees to date, business fees, prepaid balance, payment grade), take a payment
//! (one confirm with the amount in 大写; the receipt prints right after the commit). From
//! here: the customer's receipts (R: reprint, void, reverse), a receipt by number (F), the
//! chief's late-fee waiver (W) and outage periods (O), the day end (E).

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::billing::PayMethod;
use crate::domain::money;
use crate::service::payments::{AccountView, PaymentDone, PaymentRequest, cashier_check};
use crate::service::{Service, Session};
use crate::ui::forms::pay_form::PayForm;
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::Op;
use crate::ui::screen::Screen;
use crate::ui::screens::pay_account::{header_lines, render_account};
use crate::ui::screens::pay_text::printed_text;
use crate::ui::screens::receipts::ReceiptsView;
use crate::ui::theme;
use crate::ui::widgets::customer_search::Choice;
use crate::ui::widgets::customer_search::CustomerSearch;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list;
use crate::ui::widgets::modal::{self, Step};

/// What the 收费 screen asks to confirm.
#[derive(Debug)]
pub enum PayOp {
    /// the request, with the key made when the confirm dialog opened: a second run of the
    /// same dialog returns the first payment instead of taking another
    Take(Box<PaymentRequest>),
    WaiveLateFee {
        bill_id: i64,
    },
}

#[derive(Default)]
pub struct PaymentsView {
    search: CustomerSearch,
    account: Option<AccountView>,
    /// the bill selected in the table
    selected: usize,
    offset: crate::ui::widgets::list::Scroll,
    pay: Option<PayForm>,
    /// what the last payment on this screen did (receipt, change, where it printed)
    note: Vec<Line<'static>>,
    find: Option<Form>,
    /// the bill whose late fee is being waived, and the reason form
    waive: Option<(i64, Form)>,
    /// a payment was just taken: Enter is the clerk's confirm pressed again, not a request
    /// for another payment, until another key is pressed (F2 still opens one)
    just_paid: bool,
}

/// What a payment did, as the lines under the account.
fn done_lines(done: &PaymentDone, printed: &Result<String, String>) -> Vec<Line<'static>> {
    let mut what = format!(
        " {}已收款 {} 元（{}",
        theme::MARK_OK,
        money::format_yuan_grouped(done.amount),
        done.method.label()
    );
    if let (PayMethod::Cash, Some(t), Some(c)) = (done.method, done.tendered, done.change) {
        what.push_str(&format!(
            "，实收 {} 找零 {}",
            money::format_yuan_grouped(t),
            money::format_yuan_grouped(c)
        ));
    }
    what.push_str(&format!("） 收据 {}", done.receipt_no));
    let print = match printed {
        Ok(p) => Line::from(format!(" {}收据已打印：{p}", theme::MARK_OK)),
        Err(e) => Line::from(Span::styled(
            format!(
                " {}收据未能打印：{e}；检查打印设置后按 {} 打开收据，选中按 {} 补打",
                theme::MARK_ERROR,
                keymap::key_label(Context::PayAccount, Action::OpenReceipts),
                keymap::key_label(Context::Receipts, Action::ReprintReceipt)
            ),
            theme::error(),
        )),
    };
    vec![Line::from(Span::styled(what, theme::info())), print]
}

impl PaymentsView {
    pub fn reload(&mut self, svc: &Service) {
        if let Some(a) = &self.account
            && let Ok(fresh) = svc.customer_account(a.customer_id)
        {
            self.account = Some(fresh);
        }
        let n = self.account.as_ref().map_or(0, |a| a.bills.len());
        self.selected = self.selected.min(n.saturating_sub(1));
    }

    fn pick(&mut self, svc: &Service, customer_id: i64) -> Option<Msg> {
        match svc.customer_account(customer_id) {
            Ok(a) => {
                self.account = Some(a);
                self.selected = 0;
                self.offset.set(0);
                self.note.clear();
                None
            }
            Err(e) => Some(Msg::error(e.message())),
        }
    }

    /// The confirmed payment (its key was made with the dialog): taken, then the receipt
    /// printed at once. A refusal goes next to its field; the form keeps what was typed.
    fn take(&mut self, svc: &mut Service, session: &Session, req: &PaymentRequest) -> Msg {
        let done = match svc.take_payment(session, req) {
            Ok(d) => d,
            Err(e) => {
                return match self.pay.as_mut() {
                    Some(p) => p
                        .form
                        .place_error(&e)
                        .unwrap_or_else(|| Msg::error(format!("未收款：{}", e.message()))),
                    None => Msg::error(e.message()),
                };
            }
        };
        self.pay = None;
        if done.replayed {
            self.note = vec![Line::from(format!(
                "{}这次确认已经收过款（收据 {}），没有重复收款",
                theme::MARK_WARN,
                done.receipt_no
            ))];
            self.reload(svc);
            return Msg::warn(format!(
                "这次确认已经收过款（收据 {}），没有重复收款",
                done.receipt_no
            ));
        }
        let printed = svc
            .print_receipt(session, done.receipt_id, false)
            .map(|out| printed_text(&out))
            .map_err(|e| e.message());
        self.note = done_lines(&done, &printed);
        self.just_paid = true;
        self.reload(svc);
        let mut said = format!(
            "已收款 {} 元，收据 {}",
            money::format_yuan_grouped(done.amount),
            done.receipt_no
        );
        if let Some(c) = done.change.filter(|c| !c.is_zero()) {
            said.push_str(&format!("，找零 {} 元", money::format_yuan_grouped(c)));
        }
        // a customer whose supply was cut for arrears: the 复电 order as soon as they are paid
        if let crate::service::payments::Payer::Customer(id) = req.payer {
            match svc.reconnect_if_paid(session, id) {
                Ok(Some(r)) => said.push_str(&format!(
                    "；欠费已结清，已开复电工单 {}（{} 小时内恢复供电）",
                    r.tracking_no, r.within_hours
                )),
                Ok(None) => {}
                Err(e) => said.push_str(&format!("；复电工单未能开出：{}", e.message())),
            }
        }
        let msg = match printed {
            Ok(_) => Msg::info(format!("{said}；收据已打印")),
            Err(e) => Msg::error(format!(
                "{said}；但收据未能打印：{e}（按 {} 打开收据，选中按 {} 补打）",
                keymap::key_label(Context::PayAccount, Action::OpenReceipts),
                keymap::key_label(Context::Receipts, Action::ReprintReceipt)
            )),
        };
        Msg::Batch(vec![Msg::Refresh, msg])
    }

    /// Carry out what the confirm dialog asked.
    pub fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        match op.get::<PayOp>()? {
            PayOp::Take(req) => Some(self.take(svc, session, req)),
            PayOp::WaiveLateFee { bill_id } => {
                let (_, form) = self.waive.as_mut()?;
                let reason = form.value("reason").to_string();
                match svc.waive_late_fee(session, *bill_id, &reason) {
                    Ok(()) => {
                        self.waive = None;
                        self.reload(svc);
                        Some(Msg::Batch(vec![
                            Msg::Refresh,
                            Msg::info("该账单的违约金已免收（已记入审计日志）"),
                        ]))
                    }
                    Err(e) => form.place_error(&e),
                }
            }
        }
    }

    fn open_waive(&mut self, session: &Session) -> Option<Msg> {
        if !session.is_chief() {
            return Some(crate::ui::text::chief_only(session, "免收违约金"));
        }
        let b = self.account.as_ref()?.bills.get(self.selected)?;
        if b.late_fee_waived {
            return Some(Msg::warn(format!("{}的违约金已免收", b.period_label)));
        }
        if b.late_fee.is_zero() {
            return Some(Msg::warn(format!("{}没有违约金", b.period_label)));
        }
        let form = Form::new(vec![
            TextField::new("reason", "免收原因")
                .required()
                .max(200)
                .hint("如：系统停运期间无法缴费"),
        ]);
        self.waive = Some((b.bill_id, form));
        None
    }

    fn confirm_waive(&mut self) -> Option<Msg> {
        let (bill_id, form) = self.waive.as_mut()?;
        form.clear_errors();
        let reason = form.value("reason").trim().to_string();
        if reason.is_empty() {
            form.set_error("reason", "请填写免收原因".into());
            return None;
        }
        let a = self.account.as_ref()?;
        let b = a.bills.iter().find(|b| b.bill_id == *bill_id)?;
        Some(Msg::Confirm(Confirm {
            title: "免收违约金".into(),
            lines: vec![
                format!("客户：{} {}", a.account_no, a.name),
                format!(
                    "免收 {} 电费的违约金（至今 {} 元，以后也不再计）？",
                    b.period_label,
                    money::format_yuan_grouped(b.late_fee)
                ),
                format!("原因：{reason}"),
            ],
            on_yes: Op::new(PayOp::WaiveLateFee { bill_id: *bill_id }),
        }))
    }

    fn handle_find(&mut self, svc: &Service, ev: &KeyEvent, action: Option<Action>) -> Option<Msg> {
        let form = match modal::step(&mut self.find, ev, action, "")? {
            Step::Submit(f) => f,
            Step::Done(m) => return m,
        };
        form.clear_errors();
        match svc.find_receipt(form.value("receipt_no")) {
            Ok(r) => {
                self.find = None;
                Some(Msg::push(ReceiptsView::found(svc, &r)))
            }
            Err(e) => form.place_error(&e),
        }
    }

    fn common(&mut self, svc: &Service, session: &Session, action: Action) -> Option<Msg> {
        match action {
            Action::FindReceipt => {
                self.find = Some(ReceiptsView::find_form());
                None
            }
            Action::OpenDayEnd => Some(super::day_end::open_for(svc, session)),
            Action::OpenOutages => Some(Msg::push(super::outages::OutagesView::load(svc))),
            _ => None,
        }
    }
}

impl Screen for PaymentsView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_PAYMENTS
    }

    fn context(&self) -> Context {
        if self.pay.is_some() || self.find.is_some() || self.waive.is_some() {
            Context::Form
        } else if self.account.is_some() {
            Context::PayAccount
        } else {
            Context::PaySearch
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        if self.find.is_some() {
            return self.handle_find(svc, ev, action);
        }
        match modal::step(&mut self.waive, ev, action, "已取消，违约金未改") {
            Some(Step::Submit(_)) => {
                return self.confirm_waive();
            }
            Some(Step::Done(m)) => return m,
            None => {}
        }
        let handle = |p: &mut PayForm, ev: &KeyEvent, a| p.handle_key(svc, ev, a);
        match modal::step_by(&mut self.pay, ev, action, "已取消，未收款", handle) {
            Some(Step::Submit(p)) => return p.submit(svc, session),
            Some(Step::Done(m)) => return m,
            None => {}
        }
        let Some(a) = &self.account else {
            return match action {
                Some(Action::Back) => Some(Msg::Pop),
                Some(Action::Open) => match self.search.choose() {
                    Choice::Take(hit) => self.pick(svc, hit.id),
                    Choice::Choose(m) => Some(Msg::info(m)),
                    Choice::Nothing => Some(Msg::warn("请先输入并选中一位客户")),
                },
                Some(x @ (Action::FindReceipt | Action::OpenDayEnd | Action::OpenOutages)) => {
                    self.common(svc, session, x)
                }
                _ => {
                    self.search.handle_key(svc, ev, action);
                    None
                }
            };
        };
        let n = a.bills.len();
        // after a payment, Enter (the clerk's confirm pressed again, or a bouncing key) does
        // nothing until another key is pressed; F2 opens the next payment at once
        let enter = ev.code == crossterm::event::KeyCode::Enter;
        if !enter {
            self.just_paid = false;
        }
        match action? {
            a if list::is_move(a) => list::step(&mut self.selected, n, self.offset.page(), a),
            Action::TakePayment if self.just_paid && enter => {}
            Action::TakePayment => {
                if let Err(e) = cashier_check(session).and_then(|_| svc.check_day_open(session)) {
                    return Some(Msg::warn(e.message()));
                }
                self.pay = Some(PayForm::new(svc, a));
            }
            Action::OpenReceipts => {
                let label = format!("{} {}", a.account_no, a.name);
                return Some(Msg::push(ReceiptsView::for_customer(
                    svc,
                    a.customer_id,
                    label,
                )));
            }
            Action::WaiveLateFee => return self.open_waive(session),
            // 换客户 starts an empty search; Esc goes back to the list it came from
            Action::ChangeCustomer => {
                self.account = None;
                self.note.clear();
                self.search.set_query(svc, "");
            }
            Action::Back => {
                self.account = None;
                self.note.clear();
            }
            x => return self.common(svc, session, x),
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let Some(a) = &self.account else {
            let cursor = self.search.render(area, buf);
            if let Some(form) = &self.find {
                return crate::ui::widgets::modal::render(area, buf, " 按收据号查找 ", form, &[]);
            }
            return cursor;
        };
        if let Some(p) = &self.pay {
            let [head, body] =
                Layout::vertical([Constraint::Length(3), Constraint::Min(4)]).areas(area);
            Paragraph::new(header_lines(a)).render(head, buf);
            return p.render(body, buf);
        }
        render_account(area, buf, a, self.selected, &self.offset, &self.note);
        if let Some(form) = &self.find {
            return crate::ui::widgets::modal::render(area, buf, " 按收据号查找 ", form, &[]);
        }
        if let Some((bill_id, form)) = &self.waive {
            let what = a
                .bills
                .iter()
                .find(|b| b.bill_id == *bill_id)
                .map(|b| {
                    format!(
                        "{} {} · {} · 违约金至今 {} 元",
                        a.account_no,
                        a.name,
                        b.period_label,
                        money::format_yuan_grouped(b.late_fee)
                    )
                })
                .unwrap_or_default();
            return crate::ui::widgets::modal::render(
                area,
                buf,
                " 免收违约金（所长） ",
                form,
                &[what],
            );
        }
        None
    }

    fn refresh(&mut self, svc: &Service) {
        PaymentsView::reload(self, svc);
    }

    fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        PaymentsView::run(self, svc, session, op)
    }
}

//! The payment form (收款): amount, method, then the cash handed over (cash) or the
//! method's reference (card slip, transfer reference, cheque number). The change and the
//! allocation preview follow every keystroke; nothing typed is lost when a value is
//! refused (the message shows under its field) or when the method changes.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};
use unicode_width::UnicodeWidthStr;

use crate::domain::billing::PayMethod;
use crate::domain::money;
use crate::service::payments::{AccountView, Payer, PaymentPreview, PaymentRequest};
use crate::service::{Service, Session};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::Op;
use crate::ui::screens::pay_text::{capital_text, request_key, spread};
use crate::ui::screens::payments::PayOp;
use crate::ui::theme;
use crate::ui::widgets::field::{Form, FormEvent, TextField};

const METHOD_HINT: &str = "1 现金  2 银行卡  3 移动支付  4 支票";

/// What the preview pane shows.
enum Preview {
    /// nothing to preview yet (no amount typed)
    Waiting,
    Ready(PaymentPreview),
    /// the amount cannot be taken (e.g. more than a closed account owes)
    Refused(String),
}

pub struct PayForm {
    pub customer_id: i64,
    pub form: Form,
    /// the method the third field is built for
    method: PayMethod,
    /// what was typed in the field of the other kind, kept while it is hidden
    reference: String,
    tendered: String,
    preview: Preview,
}

/// The method typed: `1`–`4` or its name.
pub fn method_of(text: &str) -> Option<PayMethod> {
    let t = crate::domain::validate::fold_digits(text);
    let t = t.trim();
    if let Ok(i) = t.parse::<usize>() {
        return (1..=PayMethod::ALL.len())
            .contains(&i)
            .then(|| PayMethod::ALL[i - 1]);
    }
    PayMethod::ALL.into_iter().find(|m| m.label() == t)
}

fn third_field(method: PayMethod, reference: &str, tendered: &str) -> TextField {
    match method.reference_label() {
        None => TextField::new("tendered", "实收现金")
            .max(14)
            .with_value(tendered)
            .hint("顾客交来的现金：Enter 即等于收款金额，多交直接输入"),
        Some(label) => {
            let f = TextField::new("reference", label)
                .max(40)
                .with_value(reference);
            if method.reference_required() {
                f.required()
                    .hint(format!("{}须填写{label}", method.label()))
            } else {
                f.hint(format!("POS {label}，可空"))
            }
        }
    }
}

impl PayForm {
    pub fn new(svc: &Service, account: &AccountView) -> PayForm {
        let method = PayMethod::Cash;
        // the amount due is proposed, selected: Enter takes it, typing replaces it
        let due = if account.to_pay > rust_decimal::Decimal::ZERO {
            money::format_yuan(account.to_pay)
        } else {
            String::new()
        };
        let form = Form::new(vec![
            TextField::new("amount", "收款金额")
                .required()
                .max(14)
                .proposed(&due)
                .hint(if due.is_empty() {
                    "元，到分；没有欠费，收的钱转为预收".to_string()
                } else {
                    format!("元，到分；已填应收 {due} 元：Enter 照收，直接输入改金额")
                }),
            TextField::new("method", "收款方式")
                .required()
                .max(1)
                .with_value("1")
                .hint(METHOD_HINT),
            third_field(method, "", ""),
        ]);
        let mut f = PayForm {
            customer_id: account.customer_id,
            form,
            method,
            reference: String::new(),
            tendered: String::new(),
            preview: Preview::Waiting,
        };
        f.update_preview(svc);
        f
    }

    fn typed(&self) -> (String, String, String) {
        (
            self.form.value("amount").to_string(),
            self.form.value("method").to_string(),
            self.form.value("tendered").to_string(),
        )
    }

    /// Rebuild the third field when the method typed asks for another one; what was typed
    /// in the hidden one is kept for when it comes back.
    fn sync_method(&mut self) {
        let Some(m) = method_of(self.form.value("method")) else {
            return;
        };
        if m == self.method {
            return;
        }
        if let Some(f) = self.form.fields.get(2) {
            match f.key {
                "tendered" => self.tendered = f.value.clone(),
                _ => self.reference = f.value.clone(),
            }
        }
        self.method = m;
        let f = third_field(m, &self.reference, &self.tendered);
        if let Some(slot) = self.form.fields.get_mut(2) {
            *slot = f;
        }
    }

    fn update_preview(&mut self, svc: &Service) {
        self.preview = match money::parse_yuan(self.form.value("amount")) {
            Err(_) => Preview::Waiting,
            Ok(a) => match svc.preview_payment(Payer::Customer(self.customer_id), a, None) {
                Ok(p) => Preview::Ready(p),
                Err(e) => Preview::Refused(e.message()),
            },
        };
    }

    pub fn handle_key(
        &mut self,
        svc: &Service,
        ev: &KeyEvent,
        action: Option<crate::ui::keymap::Action>,
    ) -> FormEvent {
        let before = self.typed();
        // the method is one digit: typing another replaces it
        if let (Some(f), crossterm::event::KeyCode::Char(_)) =
            (self.form.fields.get_mut(self.form.focus), ev.code)
            && f.key == "method"
        {
            f.clear();
        }
        let focus = self.form.focus;
        let e = self.form.handle_key(ev, action);
        self.sync_method();
        // arriving at an empty cash-tendered field: the amount is proposed, selected
        if self.form.focus != focus {
            let amount = self.form.value("amount").trim().to_string();
            if let Some(f) = self.form.fields.get_mut(self.form.focus)
                && f.key == "tendered"
                && f.value.is_empty()
            {
                *f = f.clone().proposed(&amount);
            }
        }
        if self.typed() != before {
            self.update_preview(svc);
        }
        e
    }

    /// Read the form into a request (with a fresh key) and check it as the payment will
    /// be checked; problems go next to their fields and `None` comes back (with a message
    /// for the status line when the problem belongs to no field).
    fn request(
        &mut self,
        svc: &Service,
        session: &Session,
    ) -> Result<(PaymentRequest, PaymentPreview), Option<Msg>> {
        self.form.clear_errors();
        let amount = match money::parse_yuan(self.form.value("amount")) {
            Ok(a) => a,
            Err(m) => {
                self.form.set_error("amount", m.into());
                return Err(None);
            }
        };
        let Some(method) = method_of(self.form.value("method")) else {
            self.form
                .set_error("method", format!("请填 1–4：{METHOD_HINT}"));
            return Err(None);
        };
        let tendered = match self.form.value("tendered").trim() {
            "" => None,
            t => match money::parse_yuan(t) {
                Ok(v) => Some(v),
                Err(m) => {
                    self.form.set_error("tendered", m.into());
                    return Err(None);
                }
            },
        };
        let req = PaymentRequest {
            payer: Payer::Customer(self.customer_id),
            amount,
            method,
            reference: if method == PayMethod::Cash {
                String::new()
            } else {
                self.form.value("reference").to_string()
            },
            tendered: if method == PayMethod::Cash {
                tendered
            } else {
                None
            },
            request_key: request_key(svc, session),
        };
        match svc.check_payment(session, &req) {
            Ok(p) => Ok((req, p)),
            Err(e) => Err(self.form.place_error(&e)),
        }
    }

    /// Enter on the last field: the one confirm dialog (customer, amount, 大写, change),
    /// carrying the request and its key.
    pub fn submit(&mut self, svc: &Service, session: &Session) -> Option<Msg> {
        let (req, p) = match self.request(svc, session) {
            Ok(x) => x,
            Err(m) => return m,
        };
        let mut lines = vec![
            format!("客户：{} {}", p.account_no, p.name),
            format!("收款金额：{} 元", money::format_yuan_grouped(req.amount)),
            format!("大写：{}", capital_text(req.amount)),
            format!("方式：{}", req.method.describe(&req.reference)),
        ];
        if req.method == PayMethod::Cash {
            let tendered = req.tendered.unwrap_or(req.amount);
            lines.push(format!(
                "实收现金：{} 元    找零：{} 元",
                money::format_yuan_grouped(tendered),
                money::format_yuan_grouped(p.change.unwrap_or_default())
            ));
        }
        lines.push(format!(
            "收后欠费 {} 元，预收余额 {} 元",
            money::format_yuan_grouped(p.arrears_after),
            money::format_yuan_grouped(p.prepaid_after)
        ));
        lines.push("确认后记账并打印收据。".into());
        Some(Msg::Confirm(Confirm {
            title: "确认收款".into(),
            lines,
            on_yes: Op::new(PayOp::Take(Box::new(req))),
        }))
    }

    /// The change as the clerk types (cash only).
    fn change_line(&self) -> Option<Line<'static>> {
        if self.method != PayMethod::Cash {
            return None;
        }
        let amount = money::parse_yuan(self.form.value("amount")).ok()?;
        let t = self.form.value("tendered").trim();
        if t.is_empty() {
            return Some(Line::from(format!(
                " 找零：0.00 元（实收 {} 元）",
                money::format_yuan_grouped(amount)
            )));
        }
        Some(match money::parse_yuan(t) {
            Ok(t) if t >= amount => Line::from(Span::styled(
                format!(" 找零：{} 元", money::format_yuan_grouped(t - amount)),
                theme::heading(),
            )),
            Ok(_) => Line::from(Span::styled(
                format!("{}实收少于收款金额", theme::MARK_WARN),
                theme::warn(),
            )),
            Err(_) => Line::from(" 找零：—"),
        })
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let form_h = self.form.height();
        let [form_area, change_area, preview_area] = Layout::vertical([
            Constraint::Length(form_h),
            Constraint::Length(1),
            Constraint::Min(4),
        ])
        .areas(area);
        // wide enough for the longest message under a field, no wider
        let cursor = self.form.render(
            Rect {
                width: form_area.width.min(72),
                ..form_area
            },
            buf,
        );
        // the method's name beside its number
        if let Some(m) = method_of(self.form.value("method")) {
            let label_w = self
                .form
                .fields
                .iter()
                .map(|f| f.label.width() as u16 + 4)
                .max()
                .unwrap_or(10);
            let at = Rect::new(
                form_area.x + label_w + 6,
                form_area.y + 2,
                form_area.width.saturating_sub(label_w + 6).min(20),
                1,
            );
            if at.width > 0 && form_area.height > 2 {
                Line::from(format!("（{}）", m.label())).render(at, buf);
            }
        }
        let hint = Span::styled(
            format!(
                "{} 在最后一项提交，确认前会再问一次",
                keymap::key_label(Context::Form, Action::Submit)
            ),
            theme::dim(),
        );
        let [change, hint_area] =
            Layout::horizontal([Constraint::Min(20), Constraint::Length(40)]).areas(change_area);
        if let Some(l) = self.change_line() {
            l.render(change, buf);
        }
        Line::from(hint).render(hint_area, buf);
        self.render_preview(preview_area, buf);
        cursor
    }

    fn render_preview(&self, area: Rect, buf: &mut Buffer) {
        let block = Block::default().borders(Borders::ALL).title(format!(
            " 预计分配（{}）：先还最早的账单，多收转为预收 ",
            self.method.label()
        ));
        let inner = block.inner(area);
        block.render(area, buf);
        let p = match &self.preview {
            Preview::Waiting => {
                Line::from(Span::styled("输入收款金额后显示", theme::dim())).render(inner, buf);
                return;
            }
            Preview::Refused(m) => {
                Line::from(Span::styled(
                    format!("{}{m}", theme::MARK_ERROR),
                    theme::error(),
                ))
                .render(inner, buf);
                return;
            }
            Preview::Ready(p) => p,
        };
        let [lines_area, total_area] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        // two columns when there is room: a year of arrears still fits at 80×24
        let cols: u16 = if inner.width >= 70 { 2 } else { 1 };
        let col_w = inner.width / cols;
        let rows = usize::from(lines_area.height).max(1);
        let room = rows * usize::from(cols);
        let w = usize::from(col_w.saturating_sub(2));
        let wide = w >= 50;
        let mut cells: Vec<String> = Vec::new();
        let n = p.lines.len();
        for (i, l) in p.lines.iter().enumerate() {
            if i + 1 == room && n > room {
                cells.push(format!("…另有 {} 项", n - i));
                break;
            }
            let label = if wide && !l.detail.is_empty() {
                format!("{} {}", l.label, l.detail)
            } else {
                l.label.clone()
            };
            cells.push(spread(&label, &money::format_yuan_grouped(l.amount), w));
        }
        for (i, c) in cells.iter().enumerate() {
            let col = u16::try_from(i / rows).unwrap_or(0);
            let row = u16::try_from(i % rows).unwrap_or(0);
            let r = Rect::new(
                lines_area.x + col * col_w,
                lines_area.y + row,
                col_w.saturating_sub(2),
                1,
            );
            Line::from(c.as_str()).render(r, buf);
        }
        Line::from(Span::styled(
            format!(
                "收后欠费 {} 元    收后预收余额 {} 元",
                money::format_yuan_grouped(p.arrears_after),
                money::format_yuan_grouped(p.prepaid_after)
            ),
            theme::heading(),
        ))
        .render(total_area, buf);
    }
}

crate::has_form!(PayForm);

//! 收费 · 收据: a customer's latest receipts (or receipts found by number), marked as text
//! (有效 / 作废 / 红冲 / 已被红冲 / 未打印 / 补打 N 次). `P` reprints (补打, counted), `X`
//! voids (the same day, before the day end) and `H` reverses (红冲) — both ask the reason
//! and the chief's user name and password typed at the counter, then confirm once with
//! the number, the customer and the amount. Also: receipts never printed, offered at
//! sign-in.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell as TableCell, Row, Table, Widget};

use crate::domain::money;
use crate::service::payments::ReceiptSummary;
use crate::service::{Service, Session};
use crate::ui::forms::receipt_undo::{Undo, UndoForm};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Op;
use crate::ui::screen::Screen;
use crate::ui::screens::pay_account::right;
use crate::ui::screens::pay_text::printed_text;
use crate::ui::screens::receipt_text::{detail_lines, marks};
use crate::ui::theme;
use crate::ui::widgets::chrome::selectable_rows;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list;
use crate::ui::widgets::modal::{self, Step};

/// How many of a customer's receipts the list shows.
const LATEST: usize = 30;

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
    offset: crate::ui::widgets::list::Scroll,
    find: Option<Form>,
    undo: Option<UndoForm>,
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
            offset: crate::ui::widgets::list::Scroll::default(),
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
            offset: crate::ui::widgets::list::Scroll::default(),
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

    fn current(&self) -> Option<&ReceiptSummary> {
        self.receipts.get(self.selected)
    }

    /// The confirmed void or reversal (see [`UndoForm::run`]).
    pub fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        match self.undo.as_mut()?.run(svc, session, op) {
            Ok((m, new_no)) => {
                // receipts found by number: show the new reversal above its original
                if let (Some(no), Source::Found(nos)) = (new_no, &mut self.source) {
                    nos.insert(0, no);
                }
                self.undo = None;
                self.reload(svc);
                Some(Msg::Batch(vec![Msg::Refresh, m]))
            }
            Err(m) => m,
        }
    }

    fn open_undo(&mut self, svc: &Service, session: &Session, undo: Undo) -> Option<Msg> {
        let r = self.current()?;
        // a reversal belongs to the signed-in cashier's day, which must still be open
        if undo == Undo::Reverse
            && let Err(e) = svc.check_day_open(session)
        {
            return Some(Msg::warn(e.message()));
        }
        match UndoForm::open(session, r, self.today, undo) {
            Ok(f) => {
                self.undo = Some(f);
                None
            }
            Err(m) => Some(m),
        }
    }

    fn render_list(&self, area: Rect, buf: &mut Buffer) {
        let today = self.today;
        let h = usize::from(area.height.saturating_sub(1));
        if self.receipts.is_empty() {
            let msg = self.error.clone().unwrap_or_else(|| "没有收据".into());
            Line::from(format!(" {msg}")).render(area, buf);
            return;
        }
        let no_w = list::fit(13, self.receipts.iter().map(|r| r.receipt_no.as_str()));
        let amount_w = list::fit(
            10,
            self.receipts
                .iter()
                .map(|r| money::format_yuan_grouped(r.amount)),
        ) as usize;
        let rows: Vec<Row> = selectable_rows(&self.receipts, self.selected, &self.offset, h, |r| {
            let when = if r.business_date == today {
                r.issued_at.format("今天 %H:%M").to_string()
            } else {
                r.issued_at.format("%m-%d %H:%M").to_string()
            };
            vec![
                r.receipt_no.clone(),
                when,
                format!("{:>amount_w$}", money::format_yuan_grouped(r.amount)),
                r.method.split('（').next().unwrap_or_default().to_string(),
                r.cashier.clone(),
                marks(r),
            ]
        });
        Table::new(
            rows,
            crate::ui::widgets::chrome::columns(
                area.width,
                &[
                    (no_w, 0),
                    (11, 0),
                    (amount_w as u16 + 1, 0),
                    (8, 1),
                    (10, 1),
                    (8, 3),
                ],
            ),
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

impl Screen for ReceiptsView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_RECEIPTS
    }

    fn context(&self) -> Context {
        if self.find.is_some() || self.undo.is_some() {
            Context::Form
        } else {
            Context::Receipts
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.find, ev, action, "") {
            Some(Step::Submit(form)) => {
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
            Some(Step::Done(m)) => return m,
            None => {}
        }
        match modal::step(&mut self.undo, ev, action, "已取消，收据未改") {
            Some(Step::Submit(u)) => {
                return u.confirm(svc, session);
            }
            Some(Step::Done(m)) => return m,
            None => {}
        }
        let n = self.receipts.len();
        match action? {
            a if list::is_move(a) => list::step(&mut self.selected, n, self.offset.page(), a),
            Action::Back => return Some(Msg::Pop),
            Action::FindReceipt => self.find = Some(find_form()),
            Action::ReprintReceipt => {
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
            Action::VoidReceipt => return self.open_undo(svc, session, Undo::Void),
            Action::ReverseReceipt => return self.open_undo(svc, session, Undo::Reverse),
            Action::Open => {
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

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, list] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(2)]).areas(area);
        let title = match &self.source {
            Source::Customer { label, .. } => {
                format!(" {label} 的收据（最近 {LATEST} 张，新的在前）")
            }
            Source::Found(_) => format!(
                " 按收据号查找的收据（{} 再查一张）",
                keymap::key_label(Context::Receipts, Action::FindReceipt)
            ),
        };
        Line::from(title).render(head, buf);
        self.render_list(list, buf);
        if let Some(form) = &self.find {
            return crate::ui::widgets::modal::render(area, buf, " 按收据号查找 ", form, &[]);
        }
        self.undo.as_ref()?.render(area, buf)
    }

    fn refresh(&mut self, svc: &Service) {
        ReceiptsView::reload(self, svc);
    }

    fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        ReceiptsView::run(self, svc, session, op)
    }
}

//! 复核: the review flags of a book's computed bills, open first. Each flag is accepted (the
//! bill may go) or sent back for the reading to be checked, with a note; the book is
//! released from here too once its flags are cleared.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, Widget};

use crate::domain::billing::Period;
use crate::domain::money;
use crate::service::{Service, Session};
use crate::store::readings::{BookRow, FlagRow};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::{Op, Screen};
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list::{self, Scroll};
use crate::ui::widgets::modal::{self, Step};

struct ReleaseOp;

pub struct ReviewView {
    book: BookRow,
    period: Period,
    flags: Vec<FlagRow>,
    selected: usize,
    offset: Scroll,
    /// (flag, accept) and the note form
    form: Option<((i64, bool), Form)>,
    error: Option<String>,
}

fn state(f: &FlagRow) -> &'static str {
    match f.accepted {
        None => "待复核",
        Some(true) => "已通过",
        Some(false) => "已退回",
    }
}

impl ReviewView {
    pub fn load(svc: &Service, book: &BookRow, period: Period) -> ReviewView {
        let mut v = ReviewView {
            book: book.clone(),
            period,
            flags: Vec::new(),
            selected: 0,
            offset: Scroll::default(),
            form: None,
            error: None,
        };
        v.reload(svc);
        v
    }

    fn reload(&mut self, svc: &Service) {
        match svc.review_flags(self.book.area_id, self.period) {
            Ok(f) => {
                self.flags = f;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.flags.len().saturating_sub(1));
    }

    fn submit(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let ((flag_id, accept), form) = self.form.as_mut()?;
        form.clear_errors();
        match svc.decide_flag(session, *flag_id, *accept, form.value("note")) {
            Ok(()) => {
                let word = if *accept {
                    "已通过"
                } else {
                    "已退回重抄"
                };
                self.form = None;
                self.reload(svc);
                Some(Msg::info(word))
            }
            Err(e) => form.place_error(&e),
        }
    }
}

impl Screen for ReviewView {
    fn title(&self) -> &'static str {
        "账单复核"
    }

    fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::BillReview
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.form, ev, action, "未保存") {
            Some(Step::Submit(_)) => return self.submit(svc, session),
            Some(Step::Done(m)) => return m,
            None => {}
        }
        match action? {
            a if list::is_move(a) => {
                list::step(&mut self.selected, self.flags.len(), self.offset.page(), a)
            }
            Action::Back => return Some(Msg::Pop),
            Action::AcceptFlag | Action::ReturnFlag | Action::ReleaseBook
                if !session.can_write() =>
            {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            a @ (Action::AcceptFlag | Action::ReturnFlag) => {
                let f = self.flags.get(self.selected)?;
                let accept = a == Action::AcceptFlag;
                let mut note = TextField::new("note", "复核意见").required().max(100);
                note = if accept {
                    note.proposed("已核实").hint("如 已核实，用电确有变化")
                } else {
                    note.hint("如 请到现场核对示数")
                };
                self.form = Some(((f.flag_id, accept), Form::new(vec![note])));
            }
            Action::ReleaseBook => {
                return Some(match svc.release_preview(self.book.area_id, self.period) {
                    Ok((0, _, held)) => Msg::warn(format!("没有可发行的账单：{held} 户待复核")),
                    Ok((n, amount, held)) => Msg::Confirm(Confirm::new(
                        "发行账单",
                        vec![
                            format!("发行 {} {} 的账单？", self.book.area_name, self.period),
                            format!("{n} 户，合计 {} 元", money::format_yuan_grouped(amount)),
                            format!("待复核 {held} 户不在本次发行之内"),
                        ],
                        ReleaseOp,
                    )),
                    Err(e) => Msg::error(e.message()),
                });
            }
            _ => {}
        }
        None
    }

    fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        op.get::<ReleaseOp>()?;
        let r = svc.release_book(session, self.book.area_id, self.period);
        self.reload(svc);
        Some(Msg::outcome(r.map(|r| {
            format!(
                "已发行 {} 户，合计 {} 元；待复核 {} 户",
                r.released,
                money::format_yuan_grouped(r.amount),
                r.held
            )
        })))
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, list_area, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);
        let open = self
            .flags
            .iter()
            .filter(|f| f.accepted != Some(true))
            .count();
        Line::from(vec![
            Span::styled(
                format!(" 复核 {} {}", self.book.area_name, self.period),
                theme::heading(),
            ),
            Span::raw(format!(
                " · 复核原因 {} 条，未通过 {open} 条",
                self.flags.len()
            )),
        ])
        .render(head, buf);
        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(list_area, buf);
        } else if self.flags.is_empty() {
            Line::from(Span::styled(
                " 没有待复核的账单（先核算本册；核算后无异常的账单可直接发行）",
                theme::dim(),
            ))
            .render(list_area, buf);
        } else {
            let h = usize::from(list_area.height.saturating_sub(1));
            let rows = selectable_rows(&self.flags, self.selected, &self.offset, h, |f| {
                vec![
                    f.account_no.clone(),
                    f.name.clone(),
                    f.kwh.to_string(),
                    money::format_yuan(money::from_fen(f.amount_fen)),
                    f.flag.label().to_string(),
                    state(f).to_string(),
                ]
            });
            let widths = columns(
                list_area.width,
                &[(14, 0), (6, 1), (6, 0), (9, 0), (14, 2), (6, 0)],
            );
            Table::new(rows, widths)
                .header(
                    Row::new(vec![" 户号", "户名", "电量", "金额", "复核原因", "状态"])
                        .style(theme::heading()),
                )
                .render(list_area, buf);
            if let Some(f) = self.flags.get(self.selected) {
                let mut s = format!(" {}", f.detail);
                if !f.note.is_empty() {
                    s.push_str(&format!("；意见：{}", f.note));
                }
                Line::from(Span::styled(s, theme::dim())).render(foot, buf);
            }
        }
        let ((_, accept), form) = self.form.as_ref()?;
        let title = if *accept {
            " 通过 "
        } else {
            " 退回重抄 "
        };
        crate::ui::widgets::chrome::form_popup_w(area, buf, 64, title, form)
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }
}

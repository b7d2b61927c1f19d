//! 收费 · 系统停运期: periods when the provincial system was down (DOMAIN.md §5): no late
//! fee accrues inside them. Everyone sees the list; the chief declares one with `N`.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Row, Table, Widget};

use crate::service::payments::OutagePeriod;
use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::selectable_rows;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list;
use crate::ui::widgets::modal::{self, Step};

pub struct OutagesView {
    list: Vec<OutagePeriod>,
    selected: usize,
    offset: crate::ui::widgets::list::Scroll,
    form: Option<Form>,
    error: Option<String>,
}

impl OutagesView {
    pub fn load(svc: &Service) -> OutagesView {
        let mut v = OutagesView {
            list: Vec::new(),
            selected: 0,
            offset: crate::ui::widgets::list::Scroll::default(),
            form: None,
            error: None,
        };
        v.reload(svc);
        v
    }

    pub fn reload(&mut self, svc: &Service) {
        match svc.outage_periods() {
            Ok(mut l) => {
                l.reverse();
                self.list = l;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.list.len().saturating_sub(1));
    }

    fn submit(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let form = self.form.as_mut()?;
        form.clear_errors();
        let mut date = |key: &'static str| -> Option<NaiveDate> {
            match crate::domain::validate::date(form.value(key)) {
                Ok(d) => Some(d),
                Err(m) => {
                    form.set_error(key, m);
                    None
                }
            }
        };
        let from = date("from")?;
        let to = date("to")?;
        match svc.declare_outage(session, from, to, form.value("reason")) {
            Ok(_) => {
                self.form = None;
                self.reload(svc);
                Some(Msg::Batch(vec![
                    Msg::Refresh,
                    Msg::info(format!("已登记停运期 {from} 至 {to}：期间不计违约金")),
                ]))
            }
            Err(e) => form.place_error(&e),
        }
    }
}

impl Screen for OutagesView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_OUTAGES
    }

    fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::Outages
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.form, ev, action, "未登记") {
            Some(Step::Submit(_)) => {
                return self.submit(svc, session);
            }
            Some(Step::Done(m)) => return m,
            None => {}
        }
        let n = self.list.len();
        match action? {
            a if list::is_move(a) => list::step(&mut self.selected, n, self.offset.page(), a),
            Action::Back => return Some(Msg::Pop),
            Action::DeclareOutage => {
                if !session.is_chief() {
                    return Some(crate::ui::text::chief_only(session, "登记系统停运期"));
                }
                let today = svc.now().date().format("%Y-%m-%d").to_string();
                self.form = Some(Form::new(vec![
                    TextField::new("from", "开始日期")
                        .required()
                        .max(10)
                        .with_value(&today)
                        .hint("格式 2026-11-24，当天起不计违约金"),
                    TextField::new("to", "结束日期")
                        .required()
                        .max(10)
                        .with_value(&today)
                        .hint("含当天"),
                    TextField::new("reason", "原因")
                        .required()
                        .max(200)
                        .hint("如：省营销系统切换，无法缴费"),
                ]));
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, list] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(2)]).areas(area);
        ratatui::widgets::Paragraph::new(vec![
            Line::from(" 省营销系统停运或切换期间，欠费不计违约金（供电营业规则；所长登记）"),
            Line::from(format!(" 共 {} 段", self.list.len())),
        ])
        .render(head, buf);
        if self.list.is_empty() {
            let msg = self
                .error
                .clone()
                .unwrap_or_else(|| "没有登记的停运期".into());
            Line::from(format!(" {msg}")).render(list, buf);
        } else {
            let h = usize::from(list.height.saturating_sub(1));
            let rows: Vec<Row> = selectable_rows(&self.list, self.selected, &self.offset, h, |o| {
                vec![
                    o.from.to_string(),
                    o.to.to_string(),
                    format!("{} 天", (o.to - o.from).num_days() + 1),
                    o.reason.clone(),
                    o.declared_by.clone(),
                ]
            });
            Table::new(
                rows,
                [
                    Constraint::Length(11),
                    Constraint::Length(10),
                    Constraint::Length(6),
                    Constraint::Min(16),
                    Constraint::Length(10),
                ],
            )
            .header(
                Row::new(vec![" 开始", "结束", "天数", "原因", "登记人"]).style(theme::heading()),
            )
            .render(list, buf);
        }
        let form = self.form.as_ref()?;
        crate::ui::widgets::modal::render(area, buf, " 登记系统停运期（所长） ", form, &[])
    }

    fn refresh(&mut self, svc: &Service) {
        OutagesView::reload(self, svc);
    }
}

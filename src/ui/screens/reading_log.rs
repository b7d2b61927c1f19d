//! 抄表日志与消息传递: the month's reading-log notes, each with its message (to whom, by
//! when, the feedback); per reader, the messages overdue and the site problems never handed
//! on. A note is handed on, or a message answered, from here.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, Widget};

use crate::domain::billing::Period;
use crate::domain::money;
use crate::service::readings::notes::ReaderQuality;
use crate::service::{Service, Session};
use crate::store::reading_notes::NoteRow;
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list::{self, Scroll};
use crate::ui::widgets::modal::{self, Step};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FormFor {
    PassOn(i64),
    Feedback(i64),
}

pub struct ReadingLogView {
    period: Period,
    /// the day the states are told as of (from the service's clock)
    today: chrono::NaiveDate,
    notes: Vec<NoteRow>,
    readers: Vec<ReaderQuality>,
    selected: usize,
    offset: Scroll,
    form: Option<(FormFor, Form)>,
    error: Option<String>,
}

fn state(n: &NoteRow, today: chrono::NaiveDate) -> String {
    match (n.message_id, n.due_on, &n.feedback) {
        (Some(_), _, Some(f)) => format!("已反馈：{f}"),
        (Some(_), Some(d), None) if d < today => format!("逾期未反馈（限 {}）", d.format("%m-%d")),
        (Some(_), Some(d), None) => format!("待反馈（限 {}）", d.format("%m-%d")),
        (None, _, _) if n.kind.needs_handing_on() => "未转交".into(),
        _ => "—".into(),
    }
}

impl ReadingLogView {
    pub fn load(svc: &Service) -> ReadingLogView {
        let mut v = ReadingLogView {
            period: Period::of(svc.now().date()),
            today: svc.now().date(),
            notes: Vec::new(),
            readers: Vec::new(),
            selected: 0,
            offset: Scroll::default(),
            form: None,
            error: None,
        };
        v.reload(svc);
        v
    }

    fn reload(&mut self, svc: &Service) {
        let today = svc.now().date();
        self.today = today;
        match svc
            .reading_log(self.period)
            .and_then(|n| Ok((n, svc.reader_quality(self.period, today)?)))
        {
            Ok((n, q)) => {
                self.notes = n;
                self.readers = q;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.notes.len().saturating_sub(1));
    }

    fn submit(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let (what, form) = self.form.as_mut()?;
        form.clear_errors();
        let r = match *what {
            FormFor::PassOn(id) => svc
                .pass_note_on(session, id, form.value("to"), form.value("days"))
                .map(|_| "已转交"),
            FormFor::Feedback(id) => svc
                .message_feedback(session, id, form.value("feedback"), form.value("recovered"))
                .map(|_| "反馈已记录"),
        };
        match r {
            Ok(m) => {
                self.form = None;
                self.reload(svc);
                Some(Msg::info(m))
            }
            Err(e) => form.place_error(&e),
        }
    }
}

impl Screen for ReadingLogView {
    fn title(&self) -> &'static str {
        "抄表日志与消息传递"
    }

    fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::ReadingLog
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
                list::step(&mut self.selected, self.notes.len(), self.offset.page(), a)
            }
            Action::Back => return Some(Msg::Pop),
            a @ (Action::PrevMonth | Action::NextMonth) => {
                let latest = Period::of(svc.now().date());
                if list::month_step(&mut self.period, a, latest) != Some(true) {
                    return Some(Msg::warn("不能查看以后的月份"));
                }
                self.reload(svc);
            }
            Action::PassOn | Action::GiveFeedback if !session.can_write() => {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            Action::PassOn => {
                let n = self.notes.get(self.selected)?;
                if n.message_id.is_some() {
                    return Some(Msg::warn("这条日志已转交"));
                }
                self.form = Some((
                    FormFor::PassOn(n.id),
                    Form::new(vec![
                        TextField::new("to", "转交给")
                            .required()
                            .max(20)
                            .hint("责任人的用户名"),
                        TextField::new("days", "反馈时限")
                            .max(2)
                            .hint("天；留空按系统设置"),
                    ]),
                ));
            }
            Action::GiveFeedback => {
                let n = self.notes.get(self.selected)?;
                let (Some(id), None) = (n.message_id, &n.feedback) else {
                    return Some(Msg::warn("只有已转交、尚未反馈的消息可以填写反馈"));
                };
                self.form = Some((
                    FormFor::Feedback(id),
                    Form::new(vec![
                        TextField::new("feedback", "处理结果").required().max(100),
                        TextField::new("recovered", "追回电费")
                            .max(12)
                            .hint("元；没有则留空"),
                    ]),
                ));
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let readers = u16::try_from(self.readers.len().min(4)).unwrap_or(0);
        let [head, who, list_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(readers),
            Constraint::Min(3),
        ])
        .areas(area);
        Line::from(vec![
            Span::styled(format!(" 抄表日志 {}", self.period), theme::heading()),
            Span::raw(format!(" · {} 条", self.notes.len())),
        ])
        .render(head, buf);
        let lines: Vec<Line> = self
            .readers
            .iter()
            .take(4)
            .map(|q| {
                Line::from(format!(
                    " {}：日志 {}，转交 {}，逾期未反馈 {}，未转交 {}，追回 {} 元",
                    q.reader,
                    q.notes,
                    q.messages,
                    q.overdue,
                    q.not_passed,
                    money::format_yuan(q.recovered)
                ))
            })
            .collect();
        ratatui::widgets::Paragraph::new(lines).render(who, buf);
        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(list_area, buf);
        } else if self.notes.is_empty() {
            Line::from(Span::styled(
                " 本月没有抄表日志（在抄表录入中记录）",
                theme::dim(),
            ))
            .render(list_area, buf);
        } else {
            let h = usize::from(list_area.height.saturating_sub(1));
            let rows = selectable_rows(&self.notes, self.selected, &self.offset, h, |n| {
                vec![
                    n.kind.label().to_string(),
                    if n.account_no.is_empty() {
                        n.area_code.clone()
                    } else {
                        n.account_no.clone()
                    },
                    n.text.clone(),
                    n.reader.clone(),
                    n.to_name.clone().unwrap_or_else(|| "—".into()),
                    state(n, self.today),
                ]
            });
            let widths = columns(
                list_area.width,
                &[(9, 0), (14, 0), (10, 3), (6, 0), (6, 0), (18, 0)],
            );
            Table::new(rows, widths)
                .header(
                    Row::new(vec![" 类型", "户号", "情况", "抄表员", "转交", "状态"])
                        .style(theme::heading()),
                )
                .render(list_area, buf);
        }
        let (what, form) = self.form.as_ref()?;
        let title = match what {
            FormFor::PassOn(_) => " 转交责任人 ",
            FormFor::Feedback(_) => " 消息反馈 ",
        };
        crate::ui::widgets::chrome::form_popup_w(area, buf, 64, title, form)
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }
}

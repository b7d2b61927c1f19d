//! 节假日历: the official days of a year (放假, 调休上班) as entered, and whether the year's
//! notice is in; the chief enters a later year's days when the State Council publishes them
//! (N), takes back a wrong entry (same form, kind 3) and marks the year entered (Y). Every
//! change is audited; promised dates follow at once.
use chrono::{Datelike, NaiveDate, Weekday};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use crate::service::calendar::{CalendarYear, DayKind};
use crate::service::{Service, Session};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::modal::{self, Step};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Day,
    Year,
}

pub struct CalendarView {
    year: CalendarYear,
    scroll: u16,
    form: Option<(Op, Form)>,
    error: Option<String>,
}

fn weekday(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "周一",
        Weekday::Tue => "周二",
        Weekday::Wed => "周三",
        Weekday::Thu => "周四",
        Weekday::Fri => "周五",
        Weekday::Sat => "周六",
        Weekday::Sun => "周日",
    }
}

impl CalendarView {
    pub fn load(svc: &Service, year: i32) -> CalendarView {
        let mut v = CalendarView {
            year: CalendarYear {
                year,
                source: None,
                days: Vec::new(),
            },
            scroll: 0,
            form: None,
            error: None,
        };
        v.show(svc, year);
        v
    }

    fn show(&mut self, svc: &Service, year: i32) {
        match svc.calendar_year(year) {
            Ok(y) => {
                self.year = y;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.scroll = 0;
    }

    pub fn reload(&mut self, svc: &Service) {
        let y = self.year.year;
        self.show(svc, y);
    }

    fn handle_form(
        &mut self,
        svc: &mut Service,
        session: &Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        let (op, form) = match modal::step(&mut self.form, ev, action, "已取消")? {
            Step::Submit(f) => f,
            Step::Done(m) => return m,
        };
        form.clear_errors();
        let year = self.year.year;
        let result = match op {
            Op::Day => {
                let day = match crate::domain::validate::date(form.value("day")) {
                    Ok(d) => d,
                    Err(m) => {
                        form.set_error("day", m);
                        return None;
                    }
                };
                let to = match form.value("to").trim() {
                    "" => day,
                    t => match crate::domain::validate::date(t) {
                        Ok(d) => d,
                        Err(m) => {
                            form.set_error("to", m);
                            return None;
                        }
                    },
                };
                let what = if to == day {
                    day.to_string()
                } else {
                    format!("{day} 至 {to}")
                };
                let kind = match crate::domain::validate::fold_digits(form.value("kind")).trim() {
                    "1" | "" => Some(DayKind::Off),
                    "2" => Some(DayKind::MakeUp),
                    "3" => None,
                    _ => {
                        form.set_error("kind", "请填 1、2 或 3".into());
                        return None;
                    }
                };
                match kind {
                    Some(k) => svc
                        .set_calendar_days(session, day, to, k, form.value("name"))
                        .map(|n| match k {
                            DayKind::Off => format!("{what} 已录入为放假（{n} 天）"),
                            _ => format!("{what} 已录入为调休上班（{n} 天）"),
                        }),
                    None => svc
                        .clear_calendar_days(session, day, to)
                        .map(|n| format!("{what} 已恢复为普通日（{n} 天）")),
                }
                .map(|m| (m, day.year()))
            }
            Op::Year => svc
                .set_calendar_year(session, year, form.value("source"))
                .map(|_| (format!("{year} 年节假日已标记为录入完毕"), year)),
        };
        match result {
            Ok((m, y)) => {
                self.form = None;
                self.show(svc, y);
                Some(Msg::Batch(vec![Msg::Refresh, Msg::info(m)]))
            }
            Err(e) => {
                let (_, form) = self.form.as_mut()?;
                form.place_error(&e)
            }
        }
    }
}

impl Screen for CalendarView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_CALENDAR
    }

    fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::Calendar
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        if self.form.is_some() {
            return self.handle_form(svc, session, ev, action);
        }
        match action? {
            Action::Back => return Some(Msg::Pop),
            Action::PrevYear => self.show(svc, self.year.year - 1),
            Action::NextYear => self.show(svc, self.year.year + 1),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1),
            Action::AddDay | Action::MarkYear => {
                if !session.is_chief() {
                    return Some(crate::ui::text::chief_only(session, "维护节假日"));
                }
                let fields = if action == Some(Action::AddDay) {
                    vec![
                        TextField::new("day", "日期")
                            .required()
                            .max(11)
                            .with_value(&format!("{}-", self.year.year))
                            .hint("如 2027-02-06；连续几天填第一天"),
                        TextField::new("to", "至")
                            .max(11)
                            .hint("连续几天（如春节）填最后一天，如 2027-02-17；单日留空"),
                        TextField::new("kind", "类型")
                            .max(1)
                            .with_value("1")
                            .hint("1 放假  2 调休上班  3 撤销该日录入（恢复为普通日）"),
                        TextField::new("name", "节日名称")
                            .max(20)
                            .hint("如 春节；撤销时可留空"),
                    ]
                } else {
                    vec![
                        TextField::new("source", "依据")
                            .required()
                            .max(60)
                            .hint("如 国务院办公厅 2026-11-xx 通知"),
                    ]
                };
                let op = if action == Some(Action::AddDay) {
                    Op::Day
                } else {
                    Op::Year
                };
                self.form = Some((op, Form::new(fields)));
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, body] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
        let y = &self.year;
        let status = match &y.source {
            Some(s) => Line::from(format!(" {} 年：已录入（{}）", y.year, s)),
            None => Line::styled(
                format!(
                    " {} 年：！未录入国务院通知，按周一至周五计算（所长 {} 录入、{} 标记完毕）",
                    y.year,
                    keymap::key_label(Context::Calendar, Action::AddDay),
                    keymap::key_label(Context::Calendar, Action::MarkYear)
                ),
                theme::warn(),
            ),
        };
        Paragraph::new(vec![
            status,
            Line::from(format!(
                " 放假 {} 天 · 调休上班 {} 天    ←/→ 换年份",
                y.days.iter().filter(|d| d.kind == DayKind::Off).count(),
                y.days.iter().filter(|d| d.kind == DayKind::MakeUp).count()
            )),
        ])
        .render(head, buf);
        let lines: Vec<Line> = if let Some(e) = &self.error {
            vec![Line::from(e.clone())]
        } else if y.days.is_empty() {
            vec![Line::from(" 本年没有录入任何放假或调休日")]
        } else {
            y.days
                .iter()
                .map(|d| {
                    let kind = d.kind.label();
                    let pad = 8usize.saturating_sub(unicode_width::UnicodeWidthStr::width(kind));
                    Line::from(format!(
                        " {} {}  {kind}{}  {}",
                        d.day,
                        weekday(d.day),
                        " ".repeat(pad),
                        d.name
                    ))
                })
                .collect()
        };
        Paragraph::new(lines)
            .scroll((self.scroll, 0))
            .render(body, buf);
        let (op, form) = self.form.as_ref()?;
        let title = match op {
            Op::Day => " 录入放假 / 调休日 ",
            Op::Year => " 本年录入完毕 ",
        };
        crate::ui::widgets::chrome::form_popup(area, buf, title, form)
    }

    fn refresh(&mut self, svc: &Service) {
        CalendarView::reload(self, svc);
    }
}

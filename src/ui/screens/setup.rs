//! First run: the station, the chief's account, then the offer of demo data.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::service::setup::SetupInput;
use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::text;
use crate::ui::theme;
use crate::ui::widgets::chrome::centered;
use crate::ui::widgets::field::{Form, FormEvent, TextField};

/// Customers in the demo offered at first run.
pub const FIRST_RUN_DEMO_CUSTOMERS: usize = 3000;
const DEMO_SEED: u64 = 20261124;

enum Step {
    Station,
    Chief,
    Demo(Session),
}

pub struct SetupScreen {
    step: Step,
    station: Form,
    chief: Form,
}

impl Default for SetupScreen {
    fn default() -> Self {
        Self::new()
    }
}

impl SetupScreen {
    pub fn new() -> Self {
        SetupScreen {
            step: Step::Station,
            station: Form::new(vec![
                TextField::new("station_name", "供电所名称")
                    .required()
                    .max(30)
                    .printed()
                    .hint("如：王庄供电所"),
                TextField::new("station_code", "供电所编码")
                    .required()
                    .max(16)
                    .hint("2–16 位数字或字母，用于工单号、收据号"),
                TextField::new("station_phone", "服务电话")
                    .max(20)
                    .hint("印在受理回执上，如 0538-8123456"),
            ])
            // no external font can be set before set-up: the embedded one prints
            .with_fonts(crate::print::FontSet::embedded().ok()),
            chief: Form::new(vec![
                TextField::new("chief_username", "用户名")
                    .required()
                    .max(20)
                    .hint("登录用，英文字母或数字，如 suozhang"),
                TextField::new("chief_name", "所长姓名").required().max(20),
                TextField::new("password", "密码")
                    .required()
                    .masked()
                    .max(64)
                    .hint("至少 6 位"),
                TextField::new("password_again", "再输一次")
                    .required()
                    .masked()
                    .max(64),
            ]),
        }
    }

    pub fn context(&self) -> Context {
        match self.step {
            Step::Demo(_) => Context::YesNo,
            _ => Context::Form,
        }
    }

    fn input(&self) -> SetupInput {
        SetupInput {
            station_name: self.station.value("station_name").into(),
            station_code: self.station.value("station_code").into(),
            station_phone: self.station.value("station_phone").into(),
            chief_username: self.chief.value("chief_username").into(),
            chief_name: self.chief.value("chief_name").into(),
            password: self.chief.value("password").into(),
            password_again: self.chief.value("password_again").into(),
        }
    }

    /// Put a service error next to its field, on whichever step holds it.
    fn place_error(&mut self, field: Option<&'static str>, message: String) -> Option<Msg> {
        if let Some(f) = field {
            if self.station.set_error(f, message.clone()) {
                self.step = Step::Station;
                return None;
            }
            if self.chief.set_error(f, message.clone()) {
                self.step = Step::Chief;
                return None;
            }
        }
        Some(Msg::error(message))
    }

    pub fn handle(
        &mut self,
        svc: &mut Service,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match &self.step {
            Step::Station => {
                if action == Some(Action::Back) {
                    return Some(Msg::AskQuit);
                }
                if self.station.handle_key(ev, action) == FormEvent::Submit {
                    self.station.clear_errors();
                    // check this step's fields now, the rest after step 2
                    match self.input().check() {
                        Err(e)
                            if e.field().is_some_and(|f| {
                                self.station.fields.iter().any(|x| x.key == f)
                            }) =>
                        {
                            return self.place_error(e.field(), e.message());
                        }
                        _ => self.step = Step::Chief,
                    }
                }
                None
            }
            Step::Chief => {
                if action == Some(Action::Back) {
                    self.step = Step::Station;
                    return None;
                }
                if self.chief.handle_key(ev, action) != FormEvent::Submit {
                    return None;
                }
                self.chief.clear_errors();
                match svc.first_run_setup(&self.input(), false) {
                    Ok(session) => {
                        // the audit key sheet is printed at once: the person setting up is
                        // the chief, and the first key should leave the PC before any work
                        let sheet = super::audit::key_sheet_printed(svc.print_key_sheet(&session));
                        self.step = Step::Demo(session);
                        Some(Msg::Batch(vec![
                            Msg::Refresh,
                            Msg::info("供电所和所长账号已建立"),
                            sheet,
                        ]))
                    }
                    Err(e) => self.place_error(e.field(), e.message()),
                }
            }
            Step::Demo(session) => match action {
                Some(Action::Yes) => {
                    let session = session.clone();
                    match svc.load_demo_data(&session, FIRST_RUN_DEMO_CUSTOMERS, DEMO_SEED) {
                        Ok(summary) => {
                            let lines: Vec<String> =
                                summary.describe().lines().map(str::to_string).collect();
                            // sign in first, then show what was loaded on top of the home screen
                            Some(Msg::Batch(vec![
                                Msg::SignedIn(session),
                                Msg::Notice {
                                    title: "演示数据已载入".into(),
                                    lines,
                                },
                            ]))
                        }
                        Err(e) => Some(Msg::error(e.message())),
                    }
                }
                Some(Action::No) => Some(Msg::SignedIn(session.clone())),
                _ => None,
            },
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let (step_title, form) = match &self.step {
            Step::Station => (text::SETUP_STEP1, Some(&self.station)),
            Step::Chief => (text::SETUP_STEP2, Some(&self.chief)),
            Step::Demo(_) => (text::SETUP_STEP3, None),
        };
        let body_h = form.map(|f| f.height()).unwrap_or(6);
        let r = centered(area, 72, body_h + 6);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Line::from(format!(" {step_title} ")).centered());
        let inner = block.inner(r).inner(Margin::new(1, 0));
        block.render(r, buf);
        Paragraph::new(Span::styled(text::SETUP_INTRO, theme::heading()))
            .render(Rect { height: 1, ..inner }, buf);
        let rest = Rect::new(
            inner.x,
            inner.y + 2,
            inner.width,
            inner.height.saturating_sub(2),
        );
        match form {
            Some(f) => f.render(rest, buf),
            None => {
                Paragraph::new(vec![
                    Line::from(text::SETUP_DEMO_QUESTION),
                    Line::from(Span::styled(text::SETUP_DEMO_NOTE, theme::dim())),
                    Line::default(),
                    Line::from(Span::styled(text::setup_demo_keys(), theme::footer_key())),
                ])
                .wrap(Wrap { trim: true })
                .render(rest, buf);
                None
            }
        }
    }
}

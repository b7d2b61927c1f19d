//! Sign-in, and the same form as the idle lock (password only).
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::service::{Service, ServiceError, Session};
use crate::store::station::Station;
use crate::ui::keymap::Action;
use crate::ui::msg::Msg;
use crate::ui::text;
use crate::ui::theme;
use crate::ui::widgets::chrome::centered;
use crate::ui::widgets::field::{Form, FormEvent, TextField};

pub struct LoginScreen {
    form: Form,
    /// set for the idle lock: whose password unlocks
    unlock_for: Option<String>,
    /// the demo accounts, shown under the form on a demo station
    demo_hint: Option<String>,
}

impl LoginScreen {
    pub fn sign_in(demo_hint: Option<String>) -> Self {
        LoginScreen {
            form: Form::new(vec![
                TextField::new("username", "用户名").max(20),
                TextField::new("password", "密码").masked().max(64),
            ]),
            unlock_for: None,
            demo_hint,
        }
    }

    pub fn unlock(session: &Session) -> Self {
        LoginScreen {
            form: Form::new(vec![TextField::new("password", "密码").masked().max(64)]),
            unlock_for: Some(format!("{}（{}）", session.display_name, session.username)),
            demo_hint: None,
        }
    }

    fn show_error(&mut self, e: ServiceError) -> Option<Msg> {
        if let Some(f) = self.form.field_mut("password") {
            f.clear();
        }
        self.form.place_error(&e)
    }

    pub fn handle_sign_in(
        &mut self,
        svc: &mut Service,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        if action == Some(Action::Quit) {
            return Some(Msg::AskQuit);
        }
        if self.form.handle_key(ev, action) != FormEvent::Submit {
            return None;
        }
        self.form.clear_errors();
        let (u, p) = (
            self.form.value("username").to_string(),
            self.form.value("password").to_string(),
        );
        match svc.sign_in(&u, &p) {
            Ok(s) => Some(Msg::SignedIn(s)),
            Err(e) => self.show_error(e),
        }
    }

    pub fn handle_unlock(
        &mut self,
        svc: &mut Service,
        session: &Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        if action == Some(Action::SwitchUser) {
            return Some(Msg::SignOut);
        }
        if self.form.handle_key(ev, action) != FormEvent::Submit {
            return None;
        }
        self.form.clear_errors();
        let p = self.form.value("password").to_string();
        match svc.unlock(session, &p) {
            Ok(()) => Some(Msg::Unlocked),
            Err(e) => self.show_error(e),
        }
    }

    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        station: Option<&Station>,
    ) -> Option<Position> {
        let h = 6 + self.form.height() + if self.demo_hint.is_some() { 3 } else { 0 };
        let r = centered(area, 64, h);
        let title = station.map(|s| s.name.as_str()).unwrap_or(text::APP);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Line::from(format!(" {title} ")).centered());
        let inner = block.inner(r);
        block.render(r, buf);
        let intro = match &self.unlock_for {
            Some(who) => format!("{} 当前用户：{who}", text::LOCKED_HINT),
            None => text::login_hint(),
        };
        Paragraph::new(intro).wrap(Wrap { trim: true }).render(
            Rect { height: 2, ..inner }.inner(ratatui::layout::Margin::new(1, 0)),
            buf,
        );
        let form_area = Rect::new(
            inner.x + 1,
            inner.y + 3,
            inner.width.saturating_sub(2),
            self.form.height(),
        );
        let cursor = self.form.render(form_area, buf);
        if let Some(hint) = &self.demo_hint {
            let y = form_area.bottom() + 1;
            if y + 1 < inner.bottom() {
                Paragraph::new(Span::styled(hint.as_str(), theme::dim()))
                    .wrap(Wrap { trim: true })
                    .render(
                        Rect::new(inner.x + 1, y, inner.width.saturating_sub(2), 2),
                        buf,
                    );
            }
        }
        cursor
    }
}

//! Change one's own password (forced after a reset).
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Widget};

use crate::service::{Service, Session};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::widgets::chrome::centered;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::modal::{self, Key};

pub struct PasswordView {
    form: Form,
    forced: bool,
}

impl PasswordView {
    pub fn new(forced: bool) -> Self {
        PasswordView {
            form: Form::new(vec![
                TextField::new("old_password", "原密码")
                    .required()
                    .masked()
                    .max(64),
                TextField::new("new_password", "新密码")
                    .required()
                    .masked()
                    .max(64)
                    .hint("至少 6 位"),
                TextField::new("again", "再输一次")
                    .required()
                    .masked()
                    .max(64),
            ]),
            forced,
        }
    }
}

impl Screen for PasswordView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_PASSWORD
    }

    fn context(&self) -> Context {
        Context::Form
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::key(&mut self.form, ev, action) {
            Key::Submit => {}
            Key::Handled => return None,
            Key::Asked(m) => return Some(m),
            Key::Close => return Some(if self.forced { Msg::SignOut } else { Msg::Pop }),
        }
        self.form.clear_errors();
        let (old, new, again) = (
            self.form.value("old_password").to_string(),
            self.form.value("new_password").to_string(),
            self.form.value("again").to_string(),
        );
        if new != again {
            self.form
                .set_error("again", "两次输入的新密码不一致".into());
            return None;
        }
        match svc.change_own_password(session, &old, &new) {
            Ok(()) => Some(Msg::Batch(vec![Msg::Pop, Msg::info("密码已修改")])),
            Err(e) => self.form.place_error(&e),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let r = centered(area, 64, self.form.height() + 2);
        let title = if self.forced {
            format!(
                " 请设置新密码（{} 注销） ",
                keymap::key_label(Context::Form, Action::Back)
            )
        } else {
            " 修改密码 ".to_string()
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Line::from(title).centered());
        let inner = block.inner(r).inner(Margin::new(1, 0));
        block.render(r, buf);
        self.form.render(inner, buf)
    }
}

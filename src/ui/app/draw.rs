//! Drawing the app: the title, the screen on top (or set-up, sign-in, the lock), the
//! message line, the footer and status bar, and whatever pop-up is open; and the message
//! history pop-up.
use chrono::Datelike;
use ratatui::Frame;
use ratatui::text::Line;

use super::{App, HISTORY_SHOWN, Mode};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::text;
use crate::ui::widgets::chrome;

impl App {
    /// The session's last messages, newest first, in full.
    pub(super) fn show_history(&mut self) {
        let mut lines: Vec<String> = self
            .history
            .iter()
            .rev()
            .take(HISTORY_SHOWN)
            .map(|(at, s)| format!("{} {}", at.format("%H:%M:%S"), chrome::status_text(s)))
            .collect();
        if lines.is_empty() {
            lines.push("本次登录还没有消息".into());
        }
        self.notice = Some(("最近的消息（新的在上）".into(), lines));
    }

    pub(super) fn title(&self) -> &str {
        if self.locked.is_some() {
            return text::TITLE_LOCKED;
        }
        match &self.mode {
            Mode::Setup(_) => text::TITLE_SETUP,
            Mode::Login(_) => text::TITLE_LOGIN,
            Mode::Main => self
                .stack
                .last()
                .map(|s| s.title())
                .unwrap_or(text::TITLE_HOME),
        }
    }

    pub(super) fn status_parts(&self) -> Vec<String> {
        let station = self
            .station
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "（供电所未设置）".into());
        let user = self
            .session
            .as_ref()
            .map(|s| format!("{}·{}", s.display_name, s.role.label()))
            .unwrap_or_else(|| "未登录".into());
        let now = self.svc.now();
        let wd = text::WEEKDAYS[now.weekday().num_days_from_monday() as usize];
        let mut parts = vec![
            station,
            user,
            format!("{} {wd}", now.format("%Y-%m-%d")),
            match self.overdue {
                (orders, 0) => format!("逾期 {orders} 项"),
                (orders, cases) => format!("逾期 {orders} 项（投诉报修 {cases}）"),
            },
        ];
        if self.svc.read_only().is_some() {
            parts.push("只读：数据库有问题".into());
        }
        if self.backing_up() {
            parts.push("备份中…".into());
        }
        parts
    }

    pub fn render(&self, frame: &mut Frame) {
        let area = frame.area();
        if area.width < 60 || area.height < 16 {
            let msg = format!(
                "窗口太小（{}×{}），请调整到至少 80×24",
                area.width, area.height
            );
            frame.render_widget(Line::from(msg), area);
            return;
        }
        let b = chrome::bands(area, chrome::message_rows(self.status.as_ref(), area.width));
        let ctx = self.context();
        let buf = frame.buffer_mut();
        chrome::title_bar(b.title, buf, self.title());
        let cursor = if let Some(lock) = &self.locked {
            lock.render(b.body, buf, self.station.as_ref())
        } else {
            match &self.mode {
                Mode::Setup(s) => s.render(b.body, buf),
                Mode::Login(l) => l.render(b.body, buf, self.station.as_ref()),
                Mode::Main => match (self.stack.last(), self.session.as_ref()) {
                    (Some(v), Some(s)) => v.render(b.body, buf, s),
                    _ => None,
                },
            }
        };
        let log_key = keymap::key_label(ctx, Action::MessageLog);
        let more = if log_key.is_empty() {
            String::new()
        } else {
            format!("（{log_key} 看全文）")
        };
        chrome::message_line(b.message, buf, self.status.as_ref(), &more);
        if !self.closing {
            chrome::footer(b.footer, buf, ctx, self.who());
        }
        chrome::status_bar(b.status, buf, &self.status_parts());
        let mut overlay = false;
        if self.locked.is_some() {
            if self.help {
                chrome::help_popup(b.body, buf, ctx, self.who());
                overlay = true;
            }
        } else if self.quit_asked {
            let lines = [Line::from(text::CONFIRM_QUIT)];
            chrome::dialog(
                b.body,
                buf,
                "退出",
                &lines,
                Context::QuitConfirm,
                self.who(),
            );
            overlay = true;
        } else if let Some((c, _)) = &self.confirm {
            let lines: Vec<Line> = c.lines.iter().map(|l| Line::from(l.as_str())).collect();
            chrome::dialog(b.body, buf, &c.title, &lines, Context::Confirm, self.who());
            overlay = true;
        } else if let Some((title, lines)) = &self.notice {
            let lines: Vec<Line> = lines.iter().map(|l| Line::from(l.as_str())).collect();
            chrome::dialog(b.body, buf, title, &lines, Context::Notice, self.who());
            overlay = true;
        } else if self.help {
            chrome::help_popup(b.body, buf, ctx, self.who());
            overlay = true;
        }
        if let (Some(p), false) = (cursor, overlay) {
            frame.set_cursor_position(p);
        }
    }
}

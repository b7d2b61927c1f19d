//! The screen trait: every screen of the signed-in program is a `Box<dyn Screen>` on the
//! app's stack (gitui's components: a screen reports the keys it offers now through its
//! keymap context, handles its keys, draws itself and returns where the cursor goes).
//!
//! Adding a screen touches its own file (the struct and `impl Screen`) and the one line
//! that opens it (`Msg::push(MyScreen::load(svc))`), nothing else.
use std::any::Any;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;

pub trait Screen {
    /// the title bar's text
    fn title(&self) -> &'static str;
    /// the keys in force now (footer, help and key lookup come from this keymap context)
    fn context(&self) -> Context;
    /// a key: `action` is what the keymap made of it in `context()`
    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg>;
    /// draw into `area`; returns where the terminal cursor goes (a focused field)
    fn render(&self, area: Rect, buf: &mut Buffer, session: &Session) -> Option<Position>;
    /// re-read what the screen shows after a change (screens cache their reads)
    fn refresh(&mut self, _svc: &Service) {}
    /// carry out an action this screen asked the user to confirm (`Msg::Confirm`): the
    /// screen's form is still open, so a refusal lands next to its field
    fn run(&mut self, _svc: &mut Service, _session: &Session, _op: &Op) -> Option<Msg> {
        Some(Msg::error("该操作已不在当前屏幕，未执行"))
    }
    /// about once a second, with no key pressed: a screen whose words follow the clock
    /// (the cases board's `到达剩 35分`) brings them up to date here; the frame after it
    /// shows them (only the cells that changed are written to the terminal)
    fn tick(&mut self, _svc: &Service) {}
    /// the overdue counts the status bar shows — work orders, complaints and repair calls
    /// (the home screen knows them)
    fn overdue(&self) -> Option<(i64, i64)> {
        None
    }
}

/// A confirmed action, typed by the screen that asked for it (each screen has its own op
/// type and downcasts here: the app carries it without knowing any business).
pub struct Op(Box<dyn Any>);

impl Op {
    pub fn new<T: Any>(op: T) -> Op {
        Op(Box::new(op))
    }

    /// The op as the screen's own type, when it is one.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0.downcast_ref()
    }
}

impl std::fmt::Debug for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Op(..)")
    }
}

//! Messages from screens to the app (a small Elm-style loop): screens never change the
//! app's structure themselves, and money-moving or destructive actions go through
//! `Msg::Confirm` first. The app carries no business: a confirmed action goes back to the
//! screen that asked (`Screen::run`) as that screen's own typed op.
use crate::service::Session;
use crate::ui::screen::{Op, Screen};
use crate::ui::widgets::chrome::Status;

pub enum Msg {
    Status(Status),
    Push(Box<dyn Screen>),
    Pop,
    /// ask once, then hand `on_yes` back to the screen that asked
    Confirm(Confirm),
    /// an information popup
    Notice {
        title: String,
        lines: Vec<String>,
    },
    SignedIn(Session),
    Unlocked,
    AskQuit,
    Lock,
    SignOut,
    /// the dashboard and status bar need fresh numbers
    Refresh,
    /// several messages, in order
    Batch(Vec<Msg>),
    /// back up now, in the background (after a day end)
    Backup(crate::domain::backup::Reason),
}

pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    pub on_yes: Op,
}

impl Confirm {
    /// Ask `title` with `lines`; yes hands `op` back to the asking screen's `run`.
    pub fn new<T: std::any::Any>(title: impl Into<String>, lines: Vec<String>, op: T) -> Confirm {
        Confirm {
            title: title.into(),
            lines,
            on_yes: Op::new(op),
        }
    }
}

impl Msg {
    pub fn info(s: impl Into<String>) -> Msg {
        Msg::Status(Status::Info(s.into()))
    }
    pub fn warn(s: impl Into<String>) -> Msg {
        Msg::Status(Status::Warn(s.into()))
    }
    pub fn error(s: impl Into<String>) -> Msg {
        Msg::Status(Status::Error(s.into()))
    }
    /// What a confirmed action did (the app refreshes the screens after every one).
    pub fn outcome(result: Result<String, crate::service::ServiceError>) -> Msg {
        match result {
            Ok(m) => Msg::info(m),
            Err(e) => Msg::error(e.message()),
        }
    }
    /// open `screen` on top of the stack
    pub fn push(screen: impl Screen + 'static) -> Msg {
        Msg::Push(Box::new(screen))
    }
}

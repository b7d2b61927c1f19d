//! The app: mode (set-up, sign-in, main), the stack of screens, popups, the status bar,
//! idle lock, and the update loop.
use chrono::NaiveDateTime;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::backup::Reason;
use crate::service::backup::BackupJob;
use crate::service::{Service, Session};
use crate::store::station::Station;
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::Screen;
use crate::ui::screens::{
    home::HomeView, login::LoginScreen, password::PasswordView, setup::SetupScreen,
};
use crate::ui::text;
use crate::ui::widgets::chrome::Status;

mod draw;

/// Messages kept for the history (`Action::MessageLog`).
const HISTORY: usize = 100;
/// Messages shown in the history pop-up.
const HISTORY_SHOWN: usize = 15;

/// The characters of a paste as they are typed: line breaks and tabs become one space,
/// control and invisible format characters (bidi overrides, zero-width) are dropped, and a
/// paste longer than any field is cut.
fn paste_chars(text: &str) -> Vec<char> {
    const MAX: usize = 1000;
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if matches!(c, '\n' | '\r' | '\t') {
            if out.last().is_some_and(|p| *p != ' ') {
                out.push(' ');
            }
        } else if !c.is_control() && !crate::domain::validate::is_format_char(c) {
            out.push(c);
        }
        if out.len() >= MAX {
            break;
        }
    }
    while out.last() == Some(&' ') {
        out.pop();
    }
    out
}

enum Mode {
    Setup(SetupScreen),
    Login(LoginScreen),
    Main,
}

pub struct App {
    pub svc: Service,
    mode: Mode,
    stack: Vec<Box<dyn Screen>>,
    session: Option<Session>,
    locked: Option<LoginScreen>,
    help: bool,
    /// the question on screen and the stack index of the screen that asked it
    confirm: Option<(Confirm, usize)>,
    /// the quit question (not a business confirmation)
    quit_asked: bool,
    notice: Option<(String, Vec<String>)>,
    /// the read-only notice was shown
    told_read_only: bool,
    /// freed memory was handed back since the last key
    memory_released: bool,
    status: Option<Status>,
    /// the messages of this session, oldest first (the last [`HISTORY`] kept)
    history: Vec<(NaiveDateTime, Status)>,
    station: Option<Station>,
    /// overdue work orders, and complaints and repair calls, for the status bar
    overdue: (i64, i64),
    last_input: NaiveDateTime,
    idle_minutes: i64,
    /// the backup running in the background, and one more asked for while it ran
    backup: Option<BackupJob>,
    backup_again: Option<Reason>,
    /// who was signed in when the program was closed (named in the exit backup's record)
    closed_by: Option<String>,
    /// the program is closing (its backups running): no keys are offered
    closing: bool,
    pub quit: bool,
}

impl App {
    pub fn new(svc: Service) -> App {
        let station = svc.station().ok().flatten();
        let mode = match &station {
            None => Mode::Setup(SetupScreen::new()),
            Some(_) => Mode::Login(LoginScreen::sign_in(
                svc.demo_accounts_hint().ok().flatten(),
            )),
        };
        let now = svc.now();
        let mut app = App {
            svc,
            mode,
            stack: Vec::new(),
            session: None,
            locked: None,
            help: false,
            confirm: None,
            quit_asked: false,
            notice: None,
            status: None,
            history: Vec::new(),
            station,
            overdue: (0, 0),
            last_input: now,
            idle_minutes: 10,
            quit: false,
            backup: None,
            backup_again: None,
            closed_by: None,
            closing: false,
            told_read_only: false,
            memory_released: false,
        };
        app.load_idle_minutes();
        app.tell_read_only();
        app
    }

    /// Once the database is known to be read-only (at start, or when the start-up check
    /// finishes), say so once, with the reasons.
    fn tell_read_only(&mut self) {
        if self.told_read_only {
            return;
        }
        if let Some(why) = self.svc.read_only() {
            self.told_read_only = true;
            let mut lines = vec![
                "数据库有问题，程序以只读方式打开：可以登录查看，不能办理业务，".to_string(),
                "也不会往数据库里写任何东西。".to_string(),
                String::new(),
            ];
            lines.extend(why.split('；').map(str::to_string));
            lines.push(String::new());
            lines.push("请联系所长：用 stationdesk verify 完整检查，并从最近的好备份恢复。".into());
            self.notice = Some(("数据库只读".into(), lines));
        }
    }

    /// Show `s` on the message line and keep it in the session's message history.
    fn say(&mut self, s: Status) {
        if self.history.len() >= HISTORY {
            self.history.remove(0);
        }
        self.history.push((self.svc.now(), s.clone()));
        self.status = Some(s);
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// The signed-in role and administrator flag, for the keys offered (None: all).
    fn who(&self) -> Option<(crate::domain::role::Role, bool)> {
        self.session.as_ref().map(|s| (s.role, s.is_admin))
    }

    fn load_idle_minutes(&mut self) {
        // clamped to the setting's range: a hand-edited value never overflows a date
        if let Ok(m) = self.svc.int_setting("security.idle_lock_minutes") {
            self.idle_minutes = m.max(1);
        }
    }

    /// The keys in force now (for the footer, help and lookup).
    fn context(&self) -> Context {
        if self.locked.is_some() {
            return Context::Locked;
        }
        if self.quit_asked {
            return Context::QuitConfirm;
        }
        if self.confirm.is_some() {
            return Context::Confirm;
        }
        if self.notice.is_some() {
            return Context::Notice;
        }
        match &self.mode {
            Mode::Setup(s) => s.context(),
            Mode::Login(_) => Context::Login,
            Mode::Main => self
                .stack
                .last()
                .map(|s| s.context())
                .unwrap_or(Context::Home),
        }
    }

    pub fn handle_key(&mut self, ev: KeyEvent) {
        self.last_input = self.svc.now();
        self.memory_released = false;
        if ev.code == KeyCode::Char('c') && ev.modifiers.contains(KeyModifiers::CONTROL) {
            self.update(Msg::AskQuit);
            return;
        }
        let ctx = self.context();
        let action = keymap::lookup(ctx, &ev);
        if self.locked.is_some()
            && (action == Some(Action::Help)
                || (self.help && matches!(ev.code, KeyCode::Esc | KeyCode::Enter)))
        {
            self.help = !self.help;
            return;
        }
        if let (Some(lock), Some(session)) = (self.locked.as_mut(), self.session.as_ref()) {
            self.status = None;
            if let Some(m) = lock.handle_unlock(&mut self.svc, session, &ev, action) {
                self.update(m);
            }
            return;
        }
        if self.quit_asked {
            match action {
                Some(Action::Yes) => self.quit_now(),
                Some(Action::No) => {
                    self.quit_asked = false;
                    self.say(Status::Warn("已取消".into()));
                }
                _ => {}
            }
            return;
        }
        if let Some((c, owner)) = self.confirm.take() {
            match action {
                Some(Action::Yes) => self.run_confirmed(c, owner),
                Some(Action::No) => self.say(Status::Warn("已取消".into())),
                _ => self.confirm = Some((c, owner)),
            }
            return;
        }
        if self.notice.is_some() {
            if action == Some(Action::Back) {
                self.notice = None;
            }
            return;
        }
        if self.help {
            if keymap::lookup(Context::HelpPopup, &ev).is_some() {
                self.help = false;
            }
            return;
        }
        if action == Some(Action::Help) {
            self.help = true;
            return;
        }
        if action == Some(Action::MessageLog) {
            self.show_history();
            return;
        }
        self.status = None;
        let msg = if let (Some(lock), Some(session)) = (self.locked.as_mut(), self.session.as_ref())
        {
            lock.handle_unlock(&mut self.svc, session, &ev, action)
        } else {
            match &mut self.mode {
                Mode::Setup(s) => s.handle(&mut self.svc, &ev, action),
                Mode::Login(l) => l.handle_sign_in(&mut self.svc, &ev, action),
                Mode::Main => match (self.stack.last_mut(), self.session.as_mut()) {
                    (Some(view), Some(session)) => view.handle(&mut self.svc, session, &ev, action),
                    _ => None,
                },
            }
        };
        if let Some(m) = msg {
            self.update(m);
        }
    }

    /// A paste (one event with bracketed paste): typed into the field in focus, one
    /// character at a time as if typed, with line breaks and tabs as spaces, so a pasted
    /// line break never submits a form or moves to the next field. Where keys are commands
    /// (a list), a paste is refused rather than run as commands.
    pub fn handle_paste(&mut self, text: &str) {
        if !self.context().typing() {
            self.say(Status::Warn("这里没有输入框，粘贴的内容未使用".into()));
            return;
        }
        for c in paste_chars(text) {
            self.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    /// Called about once a second: the idle lock, a background backup that finished.
    pub fn tick(&mut self) {
        self.tell_read_only();
        self.collect_backup();
        // memory freed by printing goes back to the system once the clerk pauses, not after
        // every print (the next print would fault its pages back in, on the payment's time)
        if !self.memory_released && self.svc.now() - self.last_input >= chrono::Duration::seconds(3)
        {
            crate::platform::release_free_memory();
            self.memory_released = true;
        }
        if self.session.is_none() || self.locked.is_some() || !matches!(self.mode, Mode::Main) {
            return;
        }
        if let Some(top) = self.stack.last_mut() {
            top.tick(&self.svc);
        }
        let idle = self.svc.now() - self.last_input;
        if idle >= chrono::Duration::minutes(self.idle_minutes) {
            self.update(Msg::Lock);
        }
    }

    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Status(s) => self.say(s),
            Msg::Push(v) => self.stack.push(v),
            Msg::Pop => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                }
                self.refresh();
            }
            Msg::Confirm(c) => {
                let owner = self.stack.len().saturating_sub(1);
                self.confirm = Some((c, owner));
            }
            Msg::Notice { title, lines } => self.notice = Some((title, lines)),
            Msg::SignedIn(session) => {
                self.station = self.svc.station().ok().flatten();
                let must_change = session.must_change_password;
                let me = session.staff_id;
                self.session = Some(session);
                self.mode = Mode::Main;
                self.stack = vec![Box::new(HomeView::load(&self.svc, Some(me)))];
                self.load_idle_minutes();
                self.check_assessment();
                self.refresh();
                self.offer_unprinted();
                if must_change {
                    self.stack.push(Box::new(PasswordView::new(true)));
                    self.say(Status::Info(text::MUST_CHANGE_PASSWORD.into()));
                }
            }
            Msg::Unlocked => {
                self.locked = None;
                self.say(Status::Info("已解锁".into()));
            }
            Msg::AskQuit => self.quit_asked = true,
            Msg::Lock => {
                if let Some(s) = &self.session {
                    self.locked = Some(LoginScreen::unlock(s));
                    // nothing pending may be answered, or stay readable, behind the lock
                    self.help = false;
                    self.confirm = None;
                    self.quit_asked = false;
                    self.notice = None;
                }
            }
            Msg::SignOut => {
                if let Some(s) = self.session.take()
                    && let Err(e) = self.svc.sign_out(&s)
                {
                    self.say(Status::Error(e.message()));
                }
                self.confirm = None;
                self.quit_asked = false;
                self.notice = None;
                self.locked = None;
                self.stack.clear();
                self.mode = Mode::Login(LoginScreen::sign_in(
                    self.svc.demo_accounts_hint().ok().flatten(),
                ));
            }
            Msg::Refresh => {
                self.check_assessment();
                self.refresh();
            }
            Msg::Batch(msgs) => {
                for m in msgs {
                    self.update(m);
                }
            }
            Msg::Backup(reason) => self.start_backup(reason),
        }
    }

    /// Who is signed in, as a backup's record names them.
    fn signed_in(&self) -> Option<String> {
        self.session.as_ref().map(|s| s.actor().user_name)
    }

    /// Start a backup in the background; one already running gets another after it.
    fn start_backup(&mut self, reason: Reason) {
        if self.backup.is_some() {
            self.backup_again = Some(reason);
            return;
        }
        match self.svc.start_backup(reason, self.signed_in()) {
            Ok(job) => self.backup = Some(job),
            Err(e) => self.say(Status::Error(format!("未能备份：{}", e.message()))),
        }
    }

    /// A background backup that has finished: its outcome said, the home screen's line
    /// brought up to date, and the one asked for meanwhile started.
    fn collect_backup(&mut self) {
        if !self.backup.as_ref().is_some_and(BackupJob::is_finished) {
            return;
        }
        let Some(job) = self.backup.take() else {
            return;
        };
        let out = job.wait();
        self.say(if out.ok() && out.record_problem.is_none() {
            Status::Info(out.describe())
        } else {
            Status::Error(out.describe())
        });
        // only the home screen's line: a form open on another screen is left as it is
        if let Some(home) = self.stack.first_mut() {
            home.refresh(&self.svc);
        }
        if let Some(reason) = self.backup_again.take() {
            self.start_backup(reason);
        }
    }

    /// Whether a backup is running in the background.
    pub fn backing_up(&self) -> bool {
        self.backup.is_some()
    }

    /// When the program closes: the background backup waited for, then the exit backup
    /// when one is due (`backup.on_exit`, something done since the last good copy).
    /// `show` is called with what is happening before each wait, so the terminal can say
    /// it. Returns what to tell on the way out.
    pub fn close(&mut self, show: &mut dyn FnMut(&App, &str)) -> Option<String> {
        // no keys are read from here on: the footer offers none
        self.closing = true;
        let mut said = Vec::new();
        if let Some(job) = self.backup.take() {
            show(self, "正在完成日结后的备份，请稍候……");
            let out = job.wait();
            if !out.ok() {
                said.push(out.describe());
            }
        }
        match self.svc.backup_due_at_exit() {
            Ok(true) => match self.svc.backup_plan(Reason::Exit, self.closed_by.clone()) {
                Ok(plan) => {
                    show(
                        self,
                        &format!(
                            "正在备份到 {}，请稍候，不要关闭窗口……",
                            plan.folder.display()
                        ),
                    );
                    said.push(crate::service::backup::run(&plan).describe());
                }
                Err(e) => said.push(format!("退出时未能备份：{}", e.message())),
            },
            Ok(false) => {}
            Err(e) => said.push(format!("退出时未能备份：{}", e.message())),
        }
        (!said.is_empty()).then(|| said.join("\n"))
    }

    /// Receipts committed but never printed (the program died before printing): asked
    /// once at sign-in; yes prints each, marked 补打. A failure to read them is shown.
    fn offer_unprinted(&mut self) {
        let Some(session) = &self.session else {
            return;
        };
        // only those who print receipts are asked (not auditors or area managers)
        if crate::service::payments::cashier_check(session).is_err() {
            return;
        }
        match self.svc.unprinted_receipts(session) {
            Ok(list) if list.is_empty() => {}
            Ok(list) => {
                // home (stack index 0) prints them when the answer is yes
                self.confirm = Some((
                    crate::ui::screens::receipt_text::unprinted_question(&list),
                    0,
                ));
            }
            Err(e) => self.say(Status::Error(format!(
                "未能检查未打印的收据：{}",
                e.message()
            ))),
        }
    }

    /// Assessment triggers, at sign-in and after every change (idempotent). A failure is
    /// shown, never fatal: the counter keeps working.
    fn check_assessment(&mut self) {
        match self.svc.check_assessment() {
            Ok(0) => {}
            Ok(n) => {
                if self.status.is_none() {
                    self.say(Status::Info(format!(
                        "新增考核记录 {n} 条（考核 {} 查看）",
                        keymap::key_label(Context::Home, Action::OpenAssessment)
                    )));
                }
            }
            Err(e) => self.say(Status::Error(format!("考核检查未完成：{}", e.message()))),
        }
    }

    fn refresh(&mut self) {
        self.station = self.svc.station().ok().flatten();
        self.load_idle_minutes();
        for v in &mut self.stack {
            v.refresh(&self.svc);
        }
        if let Some(n) = self.stack.first().and_then(|h| h.overdue()) {
            self.overdue = n;
        }
    }

    fn quit_now(&mut self) {
        self.quit_asked = false;
        self.closed_by = self.signed_in();
        if let Some(s) = self.session.take() {
            // best effort: the program is closing either way
            let _ = self.svc.sign_out(&s);
        }
        self.quit = true;
    }

    /// Yes to a confirmation: the screen that asked carries it out (its form is still
    /// open, so a refusal lands next to its field).
    fn run_confirmed(&mut self, c: Confirm, owner: usize) {
        let Some(session) = self.session.clone() else {
            return;
        };
        let msg = match self.stack.get_mut(owner) {
            Some(screen) => screen.run(&mut self.svc, &session, &c.on_yes),
            None => Some(Msg::error("该操作已不在当前屏幕，未执行")),
        };
        self.refresh();
        if let Some(m) = msg {
            self.update(m);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::paste_chars;

    #[test]
    fn a_paste_has_no_line_breaks_controls_or_hidden_format_characters() {
        let s: String = paste_chars("王五\n\n李四\r\n\t\u{1b}[31m\u{202E}abc\u{200B}")
            .into_iter()
            .collect();
        assert_eq!(s, "王五 李四 [31mabc");
        let long = "1".repeat(5000);
        assert_eq!(paste_chars(&long).len(), 1000);
        assert!(paste_chars("\n\n").is_empty());
    }
}

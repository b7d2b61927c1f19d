//! The app: mode (set-up, sign-in, main), the stack of screens, popups, the status bar,
//! idle lock, and the update loop.
use chrono::{Datelike, NaiveDateTime};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::text::Line;

use crate::service::{Service, Session};
use crate::store::station::Station;
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::{Confirm, Msg, Pending};
use crate::ui::screens::{
    View, home::HomeView, login::LoginScreen, password::PasswordView, setup::SetupScreen,
};
use crate::ui::text;
use crate::ui::widgets::chrome::{self, Status};

enum Mode {
    Setup(SetupScreen),
    Login(LoginScreen),
    Main,
}

pub struct App {
    pub svc: Service,
    mode: Mode,
    stack: Vec<View>,
    session: Option<Session>,
    locked: Option<LoginScreen>,
    help: bool,
    confirm: Option<Confirm>,
    notice: Option<(String, Vec<String>)>,
    status: Option<Status>,
    station: Option<Station>,
    overdue: i64,
    last_input: NaiveDateTime,
    idle_minutes: i64,
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
            notice: None,
            status: None,
            station,
            overdue: 0,
            last_input: now,
            idle_minutes: 10,
            quit: false,
        };
        app.load_idle_minutes();
        app
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
                .map(View::context)
                .unwrap_or(Context::Home),
        }
    }

    fn title(&self) -> &str {
        if self.locked.is_some() {
            return text::TITLE_LOCKED;
        }
        match &self.mode {
            Mode::Setup(_) => text::TITLE_SETUP,
            Mode::Login(_) => text::TITLE_LOGIN,
            Mode::Main => self
                .stack
                .last()
                .map(View::title)
                .unwrap_or(text::TITLE_HOME),
        }
    }

    pub fn handle_key(&mut self, ev: KeyEvent) {
        self.last_input = self.svc.now();
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
        if let Some(c) = self.confirm.take() {
            match action {
                Some(Action::Yes) => self.run_pending(c.on_yes),
                Some(Action::No) => self.status = Some(Status::Warn("已取消".into())),
                _ => self.confirm = Some(c),
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
            if matches!(
                ev.code,
                KeyCode::Esc | KeyCode::F(1) | KeyCode::Enter | KeyCode::Char('?')
            ) {
                self.help = false;
            }
            return;
        }
        if action == Some(Action::Help) {
            self.help = true;
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

    /// Called about once a second: the idle lock.
    pub fn tick(&mut self) {
        if self.session.is_none() || self.locked.is_some() || !matches!(self.mode, Mode::Main) {
            return;
        }
        let idle = self.svc.now() - self.last_input;
        if idle >= chrono::Duration::minutes(self.idle_minutes) {
            self.update(Msg::Lock);
        }
    }

    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Status(s) => self.status = Some(s),
            Msg::Push(v) => self.stack.push(*v),
            Msg::Pop => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                }
                self.refresh();
            }
            Msg::Confirm(c) => self.confirm = Some(c),
            Msg::Notice { title, lines } => self.notice = Some((title, lines)),
            Msg::SignedIn(session) => {
                self.station = self.svc.station().ok().flatten();
                let must_change = session.must_change_password;
                self.session = Some(session);
                self.mode = Mode::Main;
                self.stack = vec![View::Home(HomeView::load(&self.svc))];
                self.load_idle_minutes();
                self.check_assessment();
                self.refresh();
                self.offer_unprinted();
                if must_change {
                    self.stack.push(View::Password(PasswordView::new(true)));
                    self.status = Some(Status::Info(text::MUST_CHANGE_PASSWORD.into()));
                }
            }
            Msg::Unlocked => {
                self.locked = None;
                self.status = Some(Status::Info("已解锁".into()));
            }
            Msg::AskQuit => {
                self.confirm = Some(Confirm {
                    title: "退出".into(),
                    lines: vec![text::CONFIRM_QUIT.into()],
                    on_yes: Pending::Quit,
                })
            }
            Msg::Lock => {
                if let Some(s) = &self.session {
                    self.locked = Some(LoginScreen::unlock(s));
                    // nothing pending may be answered, or stay readable, behind the lock
                    self.help = false;
                    self.confirm = None;
                    self.notice = None;
                }
            }
            Msg::SignOut => {
                if let Some(s) = self.session.take()
                    && let Err(e) = self.svc.sign_out(&s)
                {
                    self.status = Some(Status::Error(e.message()));
                }
                self.confirm = None;
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
        }
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
                self.confirm = Some(crate::ui::screens::receipt_text::unprinted_question(&list));
            }
            Err(e) => {
                self.status = Some(Status::Error(format!(
                    "未能检查未打印的收据：{}",
                    e.message()
                )))
            }
        }
    }

    /// Assessment triggers, at sign-in and after every change (idempotent). A failure is
    /// shown, never fatal: the counter keeps working.
    fn check_assessment(&mut self) {
        match self.svc.check_assessment() {
            Ok(0) => {}
            Ok(n) => {
                if self.status.is_none() {
                    self.status = Some(Status::Info(format!(
                        "新增考核记录 {n} 条（考核 {} 查看）",
                        keymap::key_label(Context::Home, Action::OpenAssessment)
                    )));
                }
            }
            Err(e) => self.status = Some(Status::Error(format!("考核检查未完成：{}", e.message()))),
        }
    }

    fn refresh(&mut self) {
        self.station = self.svc.station().ok().flatten();
        self.load_idle_minutes();
        for v in &mut self.stack {
            v.refresh(&self.svc);
        }
        if let Some(View::Home(h)) = self.stack.first() {
            self.overdue = h.dashboard.overdue;
        }
    }

    fn run_pending(&mut self, p: Pending) {
        if p == Pending::Quit {
            if let Some(s) = self.session.take() {
                // best effort: the program is closing either way
                let _ = self.svc.sign_out(&s);
            }
            self.quit = true;
            return;
        }
        let Some(session) = self.session.clone() else {
            return;
        };
        if let Pending::Screen(op) = &p {
            let msg = match self.stack.last_mut() {
                Some(v) => v.run(&mut self.svc, &session, op),
                None => None,
            };
            self.refresh();
            if let Some(m) = msg {
                self.update(m);
            }
            return;
        }
        let result = match &p {
            Pending::Quit | Pending::Screen(_) => return,
            Pending::PrintUnprinted(ids) => {
                crate::ui::screens::receipt_text::print_recovered(&mut self.svc, &session, ids)
            }
            Pending::ResetSetting { key } => self
                .svc
                .reset_setting(&session, key)
                .map(|s| format!("已将“{}”恢复为默认值 {}", s.label, s.display_value())),
            Pending::SetActive { staff_id, active } => self
                .svc
                .set_account_active(&session, *staff_id, *active)
                .map(|_| {
                    if *active {
                        "账号已启用".to_string()
                    } else {
                        "账号已停用（记录保留）".to_string()
                    }
                }),
            Pending::ResetPassword { staff_id, password } => self
                .svc
                .reset_password(&session, *staff_id, password)
                .map(|_| "密码已重置，对方下次登录须设置新密码".to_string()),
            Pending::CollectFee { fee_id } => {
                self.svc.collect_fee(&session, *fee_id).and_then(|done| {
                    // the receipt goes with the money, printed at once as at 收费
                    match self.svc.print_receipt(&session, done.receipt_id, false) {
                        Ok(_) => Ok(format!("费用已收取，收据 {} 已打印", done.receipt_no)),
                        Err(e) => Err(crate::service::ServiceError::Refused(format!(
                            "费用已收取（收据 {}），但收据未能打印：{}（可在收费 → 收据中按 {} 补打）",
                            done.receipt_no,
                            e.message(),
                            keymap::key_label(Context::Receipts, Action::ReprintReceipt)
                        ))),
                    }
                })
            }
            Pending::CancelOrder { order_id, reason } => self
                .svc
                .cancel_order(&session, *order_id, reason)
                .map(|_| "工单已撤销（保留备查）".to_string()),
            Pending::ConfirmAssessment { entry_id } => self
                .svc
                .confirm_assessment_entry(&session, *entry_id)
                .map(|e| {
                    format!(
                        "已确认：{} {}（{} 元）",
                        e.staff_name,
                        e.item,
                        e.amount_text()
                    )
                }),
        };
        match result {
            Ok(m) => self.status = Some(Status::Info(m)),
            Err(e) => self.status = Some(Status::Error(e.message())),
        }
        self.refresh();
    }

    fn status_parts(&self) -> Vec<String> {
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
        vec![
            station,
            user,
            format!("{} {wd}", now.format("%Y-%m-%d")),
            format!("逾期 {} 项", self.overdue),
        ]
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
        let b = chrome::bands(area);
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
        chrome::message_line(b.message, buf, self.status.as_ref());
        chrome::footer(b.footer, buf, ctx, self.who());
        chrome::status_bar(b.status, buf, &self.status_parts());
        let mut overlay = false;
        if self.locked.is_some() {
            if self.help {
                chrome::help_popup(b.body, buf, ctx, self.who());
                overlay = true;
            }
        } else if let Some(c) = &self.confirm {
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

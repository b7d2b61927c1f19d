//! One list of actions and their keys per screen: the footer hints, the F1/? help, the key
//! handling and every message that names a key all come from here, so they cannot drift
//! apart. Labels are made from the keys (`Key::label`), never typed beside them; each
//! binding carries the `Need` of its action, so the footer offers a role only what it can do.
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

use crate::domain::role::{Need, Role};

mod action;
mod cases;
mod counter;
mod money;
mod office;
mod reading;
mod reports;
#[cfg(test)]
mod source_scan;
mod tables;
#[cfg(test)]
mod tests;

pub use action::Action;

/// A key as written in the tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    F(u8),
    Char(char),
    Esc,
    Enter,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
}

impl Key {
    fn matches(self, ev: &KeyEvent) -> bool {
        match (self, ev.code) {
            (Key::F(n), KeyCode::F(m)) => n == m,
            (Key::Char(c), KeyCode::Char(d)) => {
                !ev.modifiers.contains(KeyModifiers::CONTROL) && c.eq_ignore_ascii_case(&d)
            }
            (Key::Esc, KeyCode::Esc) => true,
            (Key::Enter, KeyCode::Enter) => true,
            (Key::Tab, KeyCode::Tab) => true,
            (Key::BackTab, KeyCode::BackTab) => true,
            (Key::Up, KeyCode::Up) => true,
            (Key::Down, KeyCode::Down) => true,
            (Key::Left, KeyCode::Left) => true,
            (Key::Right, KeyCode::Right) => true,
            (Key::PageUp, KeyCode::PageUp) => true,
            (Key::PageDown, KeyCode::PageDown) => true,
            (Key::Home, KeyCode::Home) => true,
            (Key::End, KeyCode::End) => true,
            _ => false,
        }
    }

    /// How the key is written on screen: `F1`, `Esc`, `Shift+Tab`, `↑`, `PgDn`, `Q`.
    pub fn label(self) -> String {
        match self {
            Key::F(n) => format!("F{n}"),
            Key::Char(c) => c.to_ascii_uppercase().to_string(),
            Key::Esc => "Esc".into(),
            Key::Enter => "Enter".into(),
            Key::Tab => "Tab".into(),
            Key::BackTab => "Shift+Tab".into(),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::PageUp => "PgUp".into(),
            Key::PageDown => "PgDn".into(),
            Key::Home => "Home".into(),
            Key::End => "End".into(),
        }
    }
}

/// An action, its keys, what it does and what it needs of the signed-in role.
pub struct Binding {
    pub action: Action,
    pub keys: &'static [Key],
    pub desc: &'static str,
    /// the role this action needs; the footer leaves it out for roles it doesn't allow
    pub need: Need,
    /// shown in the one-line footer (the help lists all)
    pub footer: bool,
}

/// The screens (and dialogs) that have their own keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// any form: typed letters go into the fields
    Form,
    /// the sign-in form: Esc quits
    Login,
    /// the list of 台区
    Areas,
    /// the order board
    Orders,
    /// one order
    OrderPage,
    /// the deadline board
    Deadlines,
    /// the working-day calendar
    Calendar,
    /// a search box over a list: typed letters search, arrows move in the list
    Search,
    Home,
    Settings,
    Accounts,
    Audit,
    Confirm,
    /// the question before quitting: no letter that is also a menu key confirms it
    QuitConfirm,
    Locked,
    Notice,
    /// the F1/? help popup
    HelpPopup,
    /// a yes/no question where Enter must not choose for the user
    YesNo,
    /// the assessment entries of a month
    Assessment,
    /// the assessment rules
    AssessmentRules,
    /// the monthly assessment summary
    AssessmentSummary,
    /// 收费, no customer yet: typed letters search
    PaySearch,
    /// 收费, a customer's account
    PayAccount,
    /// a customer's receipts (or receipts found by number)
    Receipts,
    /// the cashier's day end
    DayEnd,
    /// past day ends
    DayEnds,
    /// declared outage periods
    Outages,
    /// meter assets by status
    Meters,
    /// a year's rotation plan
    Rotation,
    /// the on-site checks due
    Checks,
    /// the open complaints and repair calls
    Cases,
    /// one complaint or repair call
    CasePage,
    /// picking who called: typed letters search
    CaseCaller,
    /// the duty log of one shift
    DutyLog,
    /// the reading books of a month
    ReadingBooks,
    /// one book's readings: typed digits are the reading
    ReadingSheet,
    /// the held bills of a book
    BillReview,
    /// line loss per 台区
    LineLoss,
    /// 欠费催收: the arrears list
    Collection,
    /// 电费回收率 per 台区 and reader
    CollectionRate,
    /// the reading log and its messages
    ReadingLog,
    /// the month's spot checks
    SpotChecks,
    /// 稽查: the audit views and the findings
    Inspection,
    /// one audit view's table
    AuditTable,
    /// 限期整改: the findings
    Findings,
    /// 数据交接: the bundles for the provincial system
    Handover,
    /// 营业报表: kind, days and format of a report
    Reports,
    /// 统计: twelve months in charts
    Stats,
}

impl Context {
    pub const ALL: [Context; 48] = [
        Context::Form,
        Context::Login,
        Context::Areas,
        Context::Orders,
        Context::OrderPage,
        Context::Deadlines,
        Context::Calendar,
        Context::Search,
        Context::Home,
        Context::Settings,
        Context::Accounts,
        Context::Audit,
        Context::Confirm,
        Context::QuitConfirm,
        Context::Locked,
        Context::Notice,
        Context::HelpPopup,
        Context::YesNo,
        Context::Assessment,
        Context::AssessmentRules,
        Context::AssessmentSummary,
        Context::PaySearch,
        Context::PayAccount,
        Context::Receipts,
        Context::DayEnd,
        Context::DayEnds,
        Context::Outages,
        Context::Meters,
        Context::Rotation,
        Context::Checks,
        Context::Cases,
        Context::CasePage,
        Context::CaseCaller,
        Context::DutyLog,
        Context::ReadingBooks,
        Context::ReadingSheet,
        Context::BillReview,
        Context::LineLoss,
        Context::Collection,
        Context::CollectionRate,
        Context::ReadingLog,
        Context::SpotChecks,
        Context::Inspection,
        Context::AuditTable,
        Context::Findings,
        Context::Handover,
        Context::Reports,
        Context::Stats,
    ];

    /// Whether typed characters are text here (forms, search boxes), not commands.
    pub fn typing(self) -> bool {
        matches!(
            self,
            Context::Form
                | Context::Login
                | Context::Locked
                | Context::Search
                | Context::PaySearch
                | Context::CaseCaller
        )
    }
}

/// A binding as it holds on one screen: where characters are text, its letter keys are
/// left out (they would be typed, not obeyed), so the label shows only the keys that work.
#[derive(Clone, Copy)]
pub struct Bound {
    pub ctx: Context,
    binding: &'static Binding,
}

impl std::ops::Deref for Bound {
    type Target = Binding;
    fn deref(&self) -> &Binding {
        self.binding
    }
}

impl Bound {
    /// The keys that do it on this screen.
    pub fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        let typing = self.ctx.typing();
        self.binding
            .keys
            .iter()
            .copied()
            .filter(move |k| !(typing && matches!(k, Key::Char(_))))
    }

    /// `F1/?`, `Enter/F2`: the labels of its keys joined with `/`.
    pub fn label(&self) -> String {
        self.keys().map(Key::label).collect::<Vec<_>>().join("/")
    }

    /// Whether the signed-in role may do it (`None`: nobody signed in yet, all shown).
    pub fn allowed(&self, who: Option<(Role, bool)>) -> bool {
        who.is_none_or(|(role, admin)| self.need.allows(role, admin))
    }
}

/// The keys of a screen, in help order: its own, then the shared parts it reuses (list
/// navigation, back, help). An action bound by the screen itself shadows the shared one.
pub fn bindings(ctx: Context) -> Vec<Bound> {
    let mut out: Vec<Bound> = Vec::new();
    for part in tables::parts(ctx) {
        for binding in part.iter() {
            if !out.iter().any(|b| b.action == binding.action) {
                out.push(Bound { ctx, binding });
            }
        }
    }
    out
}

/// The action a key stands for on a screen. In forms and search boxes, plain characters
/// are text, not commands, so only non-character keys are looked up there.
pub fn lookup(ctx: Context, ev: &KeyEvent) -> Option<Action> {
    bindings(ctx)
        .into_iter()
        .find(|bd| bd.keys().any(|k| k.matches(ev)))
        .map(|bd| bd.action)
}

/// How the keys of `action` on screen `ctx` are written, for messages that name a key
/// (`按 P 补打`). Empty when the screen has no such key (a test checks the ones in use).
pub fn key_label(ctx: Context, action: Action) -> String {
    bindings(ctx)
        .into_iter()
        .find(|b| b.action == action)
        .map(|b| b.label())
        .unwrap_or_default()
}

/// The footer entries `(keys, what)` of a screen that the signed-in role may use.
pub fn footer(ctx: Context, who: Option<(Role, bool)>) -> Vec<(String, &'static str)> {
    footer_bound(ctx, who)
        .into_iter()
        .map(|b| (b.label(), b.desc))
        .collect()
}

fn footer_bound(ctx: Context, who: Option<(Role, bool)>) -> Vec<Bound> {
    bindings(ctx)
        .into_iter()
        .filter(|b| b.footer && b.allowed(who))
        .collect()
}

/// Columns of one footer entry: `key desc` and two spaces before the next one.
pub fn entry_width(key: &str, desc: &str) -> usize {
    key.width() + 1 + desc.width() + 2
}

/// The footer entries that fit `width` columns after a leading space: the way back and the
/// help first, then the screen's own keys in order while they fit (what doesn't fit is
/// still in the help). Shown in table order.
pub fn footer_fitted(
    ctx: Context,
    who: Option<(Role, bool)>,
    width: usize,
) -> Vec<(String, &'static str)> {
    let all: Vec<(bool, String, &'static str)> = footer_bound(ctx, who)
        .into_iter()
        .map(|b| {
            let first = matches!(b.action, Action::Back | Action::Help | Action::Quit);
            (first, b.label(), b.desc)
        })
        .collect();
    // the leading space, and no trailing spaces after the last entry
    let room = width + 1;
    let mut used = 0usize;
    let mut take = vec![false; all.len()];
    for pass_first in [true, false] {
        for (i, (first, k, d)) in all.iter().enumerate() {
            let w = entry_width(k, d);
            if *first == pass_first && !take[i] && used + w <= room {
                used += w;
                take[i] = true;
            }
        }
    }
    all.into_iter()
        .zip(take)
        .filter_map(|((_, k, d), t)| t.then_some((k, d)))
        .collect()
}

//! The key tables: each screen's own keys, then the shared parts it reuses (list
//! navigation, Esc back, F1/? help). A screen's own binding of an action shadows the shared
//! one (the audit log names its pages 较新/较早), so each key and its label is written once.
use super::counter::*;
use super::money::*;
use super::office::*;
use super::{Action as A, Binding, Context, Key as K};
use crate::domain::role::Need::{self, Read};

pub(super) const fn b(
    action: A,
    keys: &'static [K],
    desc: &'static str,
    need: Need,
    footer: bool,
) -> Binding {
    Binding {
        action,
        keys,
        desc,
        need,
        footer,
    }
}

// ---- shared parts ----

/// ↑/↓ (and k/j where letters are commands) move the selection.
pub(super) const ARROWS: &[Binding] = &[
    b(A::Up, &[K::Up, K::Char('k')], "上一条", Read, false),
    b(A::Down, &[K::Down, K::Char('j')], "下一条", Read, false),
];

/// PgUp/PgDn move a page.
pub(super) const PAGES: &[Binding] = &[
    b(A::PageUp, &[K::PageUp], "上一页", Read, false),
    b(A::PageDown, &[K::PageDown], "下一页", Read, false),
];

/// Home/End go to the first and last row (not in search boxes: there they move the cursor).
pub(super) const ENDS: &[Binding] = &[
    b(A::First, &[K::Home], "第一条", Read, false),
    b(A::Last, &[K::End], "最后一条", Read, false),
];

pub(super) const BACK: &[Binding] = &[b(A::Back, &[K::Esc], "返回", Read, true)];

pub(super) const HELP: &[Binding] = &[
    b(A::Help, &[K::F(1), K::Char('?')], "帮助", Read, true),
    b(
        A::MessageLog,
        &[K::F(12)],
        "最近的消息（全文）",
        Read,
        false,
    ),
];

/// A list: its own keys, then arrows, pages, ends, back and help.
macro_rules! list {
    ($own:expr) => {
        &[$own, ARROWS, PAGES, ENDS, BACK, HELP]
    };
}

// ---- forms and dialogs ----

const FORM: &[Binding] = &[
    b(A::NextField, &[K::Tab, K::Down], "下一项", Read, true),
    b(A::PrevField, &[K::BackTab, K::Up], "上一项", Read, false),
    b(
        A::Submit,
        &[K::Enter],
        "确定（在最后一项时提交）",
        Read,
        true,
    ),
    b(A::Back, &[K::Esc], "返回 / 取消", Read, true),
];

const LOGIN: &[Binding] = &[
    b(A::NextField, &[K::Tab, K::Down], "下一项", Read, true),
    b(A::PrevField, &[K::BackTab, K::Up], "上一项", Read, false),
    b(A::Submit, &[K::Enter], "确定 / 登录", Read, true),
    b(A::Quit, &[K::Esc], "退出程序", Read, true),
];

const CONFIRM: &[Binding] = &[
    b(A::Yes, &[K::Enter, K::Char('y')], "确认", Read, true),
    b(A::No, &[K::Esc, K::Char('n')], "取消", Read, true),
];

/// Quitting: confirmed by Enter or F10 again, never by a letter that is also a menu key.
const QUIT_CONFIRM: &[Binding] = &[
    b(A::Yes, &[K::Enter, K::F(10)], "退出程序", Read, true),
    b(A::No, &[K::Esc, K::Char('n')], "取消", Read, true),
];

const LOCKED: &[Binding] = &[
    b(A::Submit, &[K::Enter], "解锁", Read, true),
    b(A::SwitchUser, &[K::F(2)], "换人登录", Read, true),
];

const NOTICE: &[Binding] = &[b(A::Back, &[K::Esc, K::Enter], "关闭", Read, true)];

const HELP_POPUP: &[Binding] = &[b(
    A::Back,
    &[K::Esc, K::Enter, K::F(1), K::Char('?')],
    "关闭帮助",
    Read,
    true,
)];

const YES_NO: &[Binding] = &[
    b(A::Yes, &[K::Char('y')], "是", Read, true),
    b(A::No, &[K::Char('n')], "否", Read, true),
];

/// The parts a context is made of, in order; the first binding of an action wins.
pub(super) fn parts(ctx: Context) -> &'static [&'static [Binding]] {
    use Context as C;
    match ctx {
        C::Form => &[FORM, HELP],
        C::Login => &[LOGIN, HELP],
        C::Confirm => &[CONFIRM],
        C::QuitConfirm => &[QUIT_CONFIRM],
        C::Locked => &[LOCKED, HELP],
        C::Notice => &[NOTICE],
        C::HelpPopup => &[HELP_POPUP],
        C::YesNo => &[YES_NO, HELP],
        C::Home => &[HOME, HELP],
        // search boxes: Home/End move the cursor in the box
        C::Search => &[SEARCH, ARROWS, PAGES, BACK, HELP],
        C::PaySearch => &[PAY_SEARCH, ARROWS, PAGES, BACK, HELP],
        C::OrderPage => &[ORDER_PAGE, BACK, HELP],
        C::Calendar => &[CALENDAR, BACK, HELP],
        C::DayEnd => &[DAY_END, BACK, HELP],
        C::Areas => list!(AREAS),
        C::Orders => list!(ORDERS),
        C::Deadlines => list!(DEADLINES),
        C::Settings => list!(SETTINGS),
        C::Accounts => list!(ACCOUNTS),
        C::Audit => list!(AUDIT),
        C::Assessment => list!(ASSESSMENT),
        C::AssessmentRules => list!(ASSESSMENT_RULES),
        C::AssessmentSummary => list!(ASSESSMENT_SUMMARY),
        C::PayAccount => list!(PAY_ACCOUNT),
        C::Receipts => list!(RECEIPTS),
        C::DayEnds => list!(DAY_ENDS),
        C::Outages => list!(OUTAGES),
        C::Meters => list!(METERS),
        C::Rotation => list!(ROTATION),
        C::Checks => list!(CHECKS),
        C::Cases => list!(super::cases::CASES),
        C::CasePage => &[super::cases::CASE_PAGE, BACK, HELP],
        C::CaseCaller => &[super::cases::CASE_CALLER, ARROWS, PAGES, BACK, HELP],
        C::DutyLog => list!(super::cases::DUTY_LOG),
        C::ReadingBooks => list!(super::reading::READING_BOOKS),
        C::ReadingSheet => list!(super::reading::READING_SHEET),
        C::BillReview => list!(super::reading::BILL_REVIEW),
        C::LineLoss => list!(super::reading::LINE_LOSS),
        C::Collection => list!(COLLECTION),
        C::CollectionRate => list!(super::reading::COLLECTION_RATE),
        C::ReadingLog => list!(super::reading::READING_LOG),
        C::SpotChecks => list!(super::reading::SPOT_CHECKS),
        C::Inspection => list!(INSPECTION),
        C::AuditTable => list!(AUDIT_TABLE),
        C::Findings => list!(FINDINGS),
        C::Handover => list!(HANDOVER),
        C::Reports => &[super::reports::REPORTS, BACK, HELP],
        C::Stats => &[super::reports::STATS, BACK, HELP],
    }
}

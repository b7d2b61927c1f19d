//! One file per screen. `View` is a screen on the stack once signed in.
pub mod accept;
pub mod accounts;
pub mod areas;
pub mod assessment;
pub mod assessment_rules;
pub mod assessment_summary;
pub mod audit;
pub mod calendar;
pub mod cash_count;
pub mod customers;
pub mod day_end;
pub mod day_ends;
pub mod deadlines;
pub mod home;
pub mod login;
pub mod lookup;
pub mod order_page;
pub mod orders;
pub mod outages;
pub mod password;
pub mod pay_account;
pub mod pay_form;
pub mod pay_text;
pub mod payments;
pub mod receipt_text;
pub mod receipt_undo;
pub mod receipts;
pub mod settings;
pub mod setup;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::{Msg, ScreenOp};
use crate::ui::text;

pub enum View {
    Home(home::HomeView),
    Settings(settings::SettingsView),
    Accounts(accounts::AccountsView),
    Areas(areas::AreasView),
    Audit(audit::AuditView),
    Customers(customers::CustomersView),
    Orders(orders::OrdersView),
    Order(Box<order_page::OrderPage>),
    Deadlines(deadlines::DeadlinesView),
    Calendar(calendar::CalendarView),
    Password(password::PasswordView),
    Assessment(Box<assessment::AssessmentView>),
    AssessmentRules(assessment_rules::AssessmentRulesView),
    AssessmentSummary(assessment_summary::AssessmentSummaryView),
    Payments(Box<payments::PaymentsView>),
    Receipts(Box<receipts::ReceiptsView>),
    DayEnd(Box<day_end::DayEndView>),
    DayEnds(day_ends::DayEndsView),
    Outages(outages::OutagesView),
}

impl View {
    pub fn title(&self) -> &'static str {
        match self {
            View::Home(_) => text::TITLE_HOME,
            View::Settings(_) => text::TITLE_SETTINGS,
            View::Accounts(_) => text::TITLE_ACCOUNTS,
            View::Areas(_) => text::TITLE_AREAS,
            View::Audit(_) => text::TITLE_AUDIT,
            View::Customers(_) => text::TITLE_CUSTOMERS,
            View::Orders(_) => text::TITLE_ORDERS,
            View::Order(_) => text::TITLE_ORDER,
            View::Deadlines(_) => text::TITLE_DEADLINES,
            View::Calendar(_) => text::TITLE_CALENDAR,
            View::Password(_) => text::TITLE_PASSWORD,
            View::Assessment(_) => text::TITLE_ASSESSMENT,
            View::AssessmentRules(_) => text::TITLE_ASSESSMENT_RULES,
            View::AssessmentSummary(_) => text::TITLE_ASSESSMENT_SUMMARY,
            View::Payments(_) => text::TITLE_PAYMENTS,
            View::Receipts(_) => text::TITLE_RECEIPTS,
            View::DayEnd(_) => text::TITLE_DAY_END,
            View::DayEnds(_) => text::TITLE_DAY_ENDS,
            View::Outages(_) => text::TITLE_OUTAGES,
        }
    }

    pub fn context(&self) -> Context {
        match self {
            View::Home(_) => Context::Home,
            View::Settings(v) => v.context(),
            View::Accounts(v) => v.context(),
            View::Areas(v) => v.context(),
            View::Audit(_) => Context::Audit,
            View::Customers(v) => v.context(),
            View::Orders(v) => v.context(),
            View::Order(v) => v.context(),
            View::Deadlines(v) => v.context(),
            View::Calendar(v) => v.context(),
            View::Password(_) => Context::Form,
            View::Assessment(v) => v.context(),
            View::AssessmentRules(v) => v.context(),
            View::AssessmentSummary(_) => Context::AssessmentSummary,
            View::Payments(v) => v.context(),
            View::Receipts(v) => v.context(),
            View::DayEnd(v) => v.context(),
            View::DayEnds(_) => Context::DayEnds,
            View::Outages(v) => v.context(),
        }
    }

    pub fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match self {
            View::Home(v) => v.handle(svc, session, action),
            View::Settings(v) => v.handle(svc, session, ev, action),
            View::Accounts(v) => v.handle(svc, session, ev, action),
            View::Areas(v) => v.handle(svc, session, ev, action),
            View::Audit(v) => v.handle(svc, action),
            View::Customers(v) => v.handle(svc, session, ev, action),
            View::Orders(v) => v.handle(svc, session, ev, action),
            View::Order(v) => v.handle(svc, session, ev, action),
            View::Deadlines(v) => v.handle(svc, session, ev, action),
            View::Calendar(v) => v.handle(svc, session, ev, action),
            View::Password(v) => v.handle(svc, session, ev, action),
            View::Assessment(v) => v.handle(svc, session, ev, action),
            View::AssessmentRules(v) => v.handle(svc, session, ev, action),
            View::AssessmentSummary(v) => v.handle(svc, session, action),
            View::Payments(v) => v.handle(svc, session, ev, action),
            View::Receipts(v) => v.handle(svc, session, ev, action),
            View::DayEnd(v) => v.handle(svc, session, ev, action),
            View::DayEnds(v) => v.handle(svc, session, action),
            View::Outages(v) => v.handle(svc, session, ev, action),
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, session: &Session) -> Option<Position> {
        match self {
            View::Home(v) => {
                v.render(area, buf, session);
                None
            }
            View::Settings(v) => v.render(area, buf, session),
            View::Accounts(v) => v.render(area, buf),
            View::Areas(v) => v.render(area, buf),
            View::Audit(v) => {
                v.render(area, buf);
                None
            }
            View::Password(v) => v.render(area, buf),
            View::Customers(v) => v.render(area, buf),
            View::Orders(v) => v.render(area, buf),
            View::Order(v) => v.render(area, buf),
            View::Deadlines(v) => v.render(area, buf),
            View::Calendar(v) => v.render(area, buf),
            View::Assessment(v) => v.render(area, buf),
            View::AssessmentRules(v) => v.render(area, buf, session),
            View::AssessmentSummary(v) => {
                v.render(area, buf);
                None
            }
            View::Payments(v) => v.render(area, buf),
            View::Receipts(v) => v.render(area, buf),
            View::DayEnd(v) => v.render(area, buf),
            View::DayEnds(v) => {
                v.render(area, buf);
                None
            }
            View::Outages(v) => v.render(area, buf),
        }
    }

    /// Re-read what the screen shows after a change.
    pub fn refresh(&mut self, svc: &Service) {
        match self {
            View::Home(v) => *v = home::HomeView::load(svc),
            View::Settings(v) => v.reload(svc),
            View::Accounts(v) => v.reload(svc),
            View::Areas(v) => v.reload(svc),
            View::Orders(v) => v.reload(svc),
            View::Order(v) => v.reload(svc),
            View::Deadlines(v) => v.reload(svc),
            View::Calendar(v) => v.reload(svc),
            View::Audit(v) => v.reload(svc),
            View::Assessment(v) => v.reload(svc),
            View::AssessmentRules(v) => v.reload(svc),
            View::AssessmentSummary(v) => v.reload(svc),
            View::Payments(v) => v.reload(svc),
            View::Receipts(v) => v.reload(svc),
            View::DayEnd(v) => v.reload(svc),
            View::DayEnds(v) => v.reload(svc),
            View::Outages(v) => v.reload(svc),
            View::Password(_) | View::Customers(_) => {}
        }
    }

    /// Carry out a confirmed action whose form lives on this screen (money screens: a
    /// refusal lands next to its field).
    pub fn run(&mut self, svc: &mut Service, session: &Session, op: &ScreenOp) -> Option<Msg> {
        match self {
            View::Payments(v) => v.run(svc, session, op),
            View::Receipts(v) => v.run(svc, session, op),
            View::DayEnd(v) => v.run(svc, session, op),
            _ => Some(Msg::error("该操作已不在当前屏幕，未执行")),
        }
    }
}

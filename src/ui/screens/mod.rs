//! One file per screen; each implements `crate::ui::screen::Screen` and is opened with
//! `Msg::push(..)` from the screen that leads to it.
pub mod accounts;
pub mod areas;
pub mod assessment;
pub mod assessment_rules;
pub mod assessment_summary;
pub mod audit;
pub mod calendar;
pub mod customers;
pub mod day_end;
pub mod day_ends;
pub mod deadlines;
pub mod home;
pub mod login;
pub mod meters;
pub mod order_page;
pub mod orders;
pub mod outages;
pub mod password;
pub mod pay_account;
pub mod pay_text;
pub mod payments;
pub mod receipt_text;
pub mod receipts;
pub mod rotation;
pub mod settings;
pub mod setup;

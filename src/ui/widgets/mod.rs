//! Reusable widgets: text fields and forms, the chrome (title, footer, status bar),
//! popups (help, confirm, notice).
pub mod chrome;
pub mod customer_search;
pub mod field;
pub mod list;
pub mod lookup;
pub mod modal;

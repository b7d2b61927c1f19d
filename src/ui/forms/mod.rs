//! Forms that open over a screen (one file per form): what they ask, how they check it
//! and what they hand to the service. Keys, `Esc` and the pop-up come from
//! `widgets::modal`; the screens that open them own them while they are open.
pub mod accept;
pub mod case_form;
pub mod cash_count;
pub mod pay_form;
pub mod receipt_undo;
pub mod swap;

//! Contacts with the customer, and the stale flag (首问负责): an open order nobody has
//! talked to the customer about for N days shows on the board and the home screen.
use chrono::NaiveDate;

use super::OrderState;

crate::coded_enum! {
    /// Ways the station talks to the customer about an order.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum ContactChannel: "联系方式" {
        Phone = "phone" / "电话",
        Visit = "visit" / "上门",
        Counter = "counter" / "到厅",
        Sms = "sms" / "短信",
        Other = "other" / "其他",
    }
}

/// The last day on which a contact keeps an order fresh: an open order whose last contact
/// (or acceptance, when there was none) falls before this date is stale.
pub fn stale_cutoff(today: NaiveDate, no_contact_days: i64) -> NaiveDate {
    today
        .checked_sub_signed(chrono::Duration::days(no_contact_days.max(0)))
        .unwrap_or(NaiveDate::MIN)
}

/// An open order with no recorded contact for more than `no_contact_days` days (counted
/// from the last contact, or from acceptance when there was none) is flagged.
pub fn is_stale(
    state: OrderState,
    accepted: NaiveDate,
    last_contact: Option<NaiveDate>,
    today: NaiveDate,
    no_contact_days: i64,
) -> bool {
    if state != OrderState::Open {
        return false;
    }
    let since = last_contact.map_or(accepted, |c| c.max(accepted));
    since < stale_cutoff(today, no_contact_days)
}

//! Messages from screens to the app (a small Elm-style loop): screens never change the
//! app's structure themselves, and money-moving or destructive actions go through
//! `Msg::Confirm` first.
use crate::service::Session;
use crate::service::payments::PaymentRequest;
use crate::ui::screens::View;
use crate::ui::widgets::chrome::Status;

pub enum Msg {
    Status(Status),
    Push(Box<View>),
    Pop,
    /// ask once, then run `on_yes`
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
}

pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    pub on_yes: Pending,
}

/// An action waiting for the user's confirmation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    Quit,
    ResetSetting {
        key: String,
    },
    SetActive {
        staff_id: i64,
        active: bool,
    },
    ResetPassword {
        staff_id: i64,
        password: String,
    },
    CollectFee {
        fee_id: i64,
    },
    CancelOrder {
        order_id: i64,
        reason: String,
    },
    ConfirmAssessment {
        entry_id: i64,
    },
    /// print receipts committed but never printed (offered at sign-in), marked 补打
    PrintUnprinted(Vec<i64>),
    /// run by the screen on top, whose form stays open so an error lands next to its field
    Screen(ScreenOp),
}

/// A confirmed action the screen on top carries out with what its form holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScreenOp {
    /// the request, with the key made when the confirm dialog opened: a second run of the
    /// same dialog returns the first payment instead of taking another
    TakePayment(Box<PaymentRequest>),
    VoidReceipt {
        receipt_id: i64,
    },
    ReverseReceipt {
        receipt_id: i64,
    },
    WaiveLateFee {
        bill_id: i64,
    },
    CloseDay,
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
}

//! Payments at the counter (收费), receipts, voids and reversals, late fees, prepaid
//! balance, bill import and the cashier's day end (日清日结). DOMAIN.md §5, issue 6.
//!
//! Every change is one `Store::write` (`BEGIN IMMEDIATE`) with its audit entry: a payment,
//! its allocations, its receipt (number allocated in that same transaction), the fees it
//! marks collected and the audit entry commit together or not at all.
//!
//! Roles: clerks (营业员/收费员) and the chief take payments, void and reverse (with the
//! chief's password typed at the counter) and close their day; the chief alone waives late
//! fees and declares outage periods. Area managers and auditors only read (accounts,
//! receipts, day ends); an auditor sees every cashier's day ends like the chief.
pub(crate) mod account;
mod check;
pub(crate) mod corrections;
pub(crate) mod day_end;
mod day_ends;
pub(crate) mod import;
mod lines;
mod plan;
mod post;
mod print;
pub(crate) mod receipts;
pub(crate) mod take;

pub use account::{AccountView, BillLine, FeeLine};
pub use check::cashier_check;
pub use corrections::OutagePeriod;
pub use day_end::{DayEndPreview, standard_denominations};
pub use day_ends::{DayEndSummary, OpenDay};
pub use import::CHUNK as IMPORT_CHUNK;
pub use import::{ImportOutcome, ImportReport};
pub use post::CLOCK_BEHIND;
pub use receipts::ReceiptSummary;
pub use take::{Payer, PaymentDone, PaymentPreview, PaymentRequest};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::billing::LateFeeRules;
use crate::domain::money;
use crate::domain::role::Role;
use crate::domain::settings::SettingValue;
use crate::store::StoreError;

/// The rule settings a payment needs, read once per call.
#[derive(Clone, Debug)]
pub(crate) struct Rules {
    pub late: LateFeeRules,
    pub late_fee_first: bool,
    pub grade_late_times: i64,
    /// the largest single payment taken (`payment.max_amount`)
    pub max_amount: Decimal,
}

impl Service {
    fn typed_setting(&self, key: &str) -> ServiceResult<SettingValue> {
        self.setting(key)?
            .typed()
            .map_err(|_| ServiceError::Refused(format!("设置项 {key} 已损坏")))
    }

    pub(crate) fn decimal_setting(&self, key: &str) -> ServiceResult<Decimal> {
        match self.typed_setting(key)? {
            SettingValue::Decimal(v) | SettingValue::Money(v) => Ok(v),
            _ => Err(ServiceError::Refused(format!("设置项 {key} 已损坏"))),
        }
    }

    fn bool_setting(&self, key: &str) -> ServiceResult<bool> {
        match self.typed_setting(key)? {
            SettingValue::Bool(v) => Ok(v),
            _ => Err(ServiceError::Refused(format!("设置项 {key} 已损坏"))),
        }
    }

    pub(crate) fn billing_rules(&self) -> ServiceResult<Rules> {
        Ok(Rules {
            late: LateFeeRules {
                residential_permille: self.decimal_setting("penalty.residential_permille")?,
                other_current_permille: self.decimal_setting("penalty.other_current_permille")?,
                other_prior_permille: self.decimal_setting("penalty.other_prior_permille")?,
                min_charge_enabled: self.bool_setting("penalty.min_charge_enabled")?,
                min_charge: self.decimal_setting("penalty.min_charge")?,
            },
            late_fee_first: self.bool_setting("payment.late_fee_first")?,
            grade_late_times: self.int_setting("grade.late_times_per_year")?,
            max_amount: self.decimal_setting("payment.max_amount")?,
        })
    }

    /// The paper of receipts and day-end reports: `print.receipt_paper`, or the slips'
    /// paper when that says `same`.
    pub fn receipt_paper(&self) -> ServiceResult<crate::print::Paper> {
        let code = self.setting("print.receipt_paper")?.value;
        match crate::print::Paper::from_setting_code(&code) {
            Some(p) => Ok(p),
            None => self.paper(),
        }
    }
}

/// Whether this session sees every cashier's receipts and day ends.
fn sees_all(session: &Session) -> bool {
    matches!(session.role, Role::Chief | Role::Auditor)
}

pub(crate) const DATE: &str = "%Y-%m-%d";

pub(crate) fn date_text(d: NaiveDate) -> String {
    // (DATE, written directly)
    crate::domain::clock::day_to_db(d)
}

/// A date read from the database.
pub(crate) fn db_date(s: &str) -> ServiceResult<NaiveDate> {
    NaiveDate::parse_from_str(s, DATE)
        .map_err(|_| ServiceError::Store(StoreError::Corrupt(format!("日期“{s}”无法识别"))))
}

pub(crate) fn db_time(s: &str) -> ServiceResult<chrono::NaiveDateTime> {
    crate::domain::clock::from_db(s)
        .ok_or_else(|| ServiceError::Store(StoreError::Corrupt(format!("时间“{s}”无法识别"))))
}

/// 元 → 分 for amounts the program computed (never out of range in practice).
pub(crate) fn fen(v: Decimal) -> ServiceResult<i64> {
    money::to_fen(v).ok_or_else(|| ServiceError::invalid("amount", "金额超出范围"))
}

pub(crate) fn yuan(fen: i64) -> Decimal {
    money::from_fen(fen)
}

/// A typed amount of money: above zero, at most two decimals.
/// Refuse a payment above the station's single-payment limit, naming the limit.
pub(crate) fn within_limit(v: Decimal, rules: &Rules) -> ServiceResult<()> {
    if v > rules.max_amount {
        return Err(ServiceError::invalid(
            "amount",
            format!(
                "超过单笔收款上限 {} 元（系统设置），请核对",
                money::format_yuan_grouped(rules.max_amount)
            ),
        ));
    }
    Ok(())
}

pub(crate) fn positive_amount(v: Decimal, field: &'static str, what: &str) -> ServiceResult<i64> {
    if v <= Decimal::ZERO {
        return Err(ServiceError::invalid(field, format!("{what}应大于 0")));
    }
    if money::round_fen(v) != v {
        return Err(ServiceError::invalid(
            field,
            format!("{what}最多两位小数（到分）"),
        ));
    }
    money::to_fen(v).ok_or_else(|| ServiceError::invalid(field, format!("{what}超出范围")))
}

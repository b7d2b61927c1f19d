//! Bills, payments and receipts (抄核收, DOMAIN.md §5): the pure rules. No SQL, no clock:
//! dates come in as parameters, rates and switches from the settings.
//!
//! - [`late_fee`]: 电费违约金 per bill, day by day, rounded once.
//! - [`allocation`]: how money received (and a prepaid balance) pays bills, late fees and
//!   business fees.
//! - [`grade`]: the payment grade (信誉等级) from the last 12 months.
//! - [`import`]: the bill file from the provincial system (CSV), checked line by line.
//! - [`receipt_no`]: the receipt number format.
pub mod allocation;
pub mod grade;
pub mod import;
pub mod late_fee;
pub mod period;
pub mod receipt_no;

pub use allocation::{Allocation, AllocationPlan, OpenBill, OpenFee, Target, allocate};
pub use grade::{BillRecord, PaymentGrade, grade};
pub use late_fee::{FeeClass, LateFeeBill, LateFeeRules, Outage, accrued_late_fee};
pub use period::Period;

crate::coded_enum! {
    /// How the money was paid.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum PayMethod: "付款方式" {
        /// 现金
        Cash = "cash" / "现金",
        /// 银行卡 (POS)
        Card = "card" / "银行卡",
        /// 移动支付 (WeChat, Alipay, bank app transfer)
        Mobile = "mobile" / "移动支付",
        /// 支票
        Cheque = "cheque" / "支票",
    }
}

impl PayMethod {
    /// What the reference of this method is called (`None`: cash has none).
    pub fn reference_label(self) -> Option<&'static str> {
        match self {
            PayMethod::Cash => None,
            PayMethod::Card => Some("凭条号"),
            PayMethod::Mobile => Some("参考号"),
            PayMethod::Cheque => Some("票号"),
        }
    }

    /// Whether a reference must be typed: a transfer and a cheque are traced by it; a
    /// card payment's terminal slip number is optional.
    pub fn reference_required(self) -> bool {
        matches!(self, PayMethod::Mobile | PayMethod::Cheque)
    }

    /// As printed on the receipt: `移动支付（参考号 4200001234）`, `现金`.
    pub fn describe(self, reference: &str) -> String {
        match (self.reference_label(), reference.trim()) {
            (Some(what), r) if !r.is_empty() => format!("{}（{what} {r}）", self.label()),
            _ => self.label().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_round_trip_and_describe() {
        for m in PayMethod::ALL {
            assert_eq!(PayMethod::from_code(m.code()), Some(m));
        }
        assert_eq!(PayMethod::from_code("bitcoin"), None);
        assert_eq!(
            PayMethod::Mobile.describe(" 4200001234 "),
            "移动支付（参考号 4200001234）"
        );
        assert_eq!(PayMethod::Cash.describe("x"), "现金");
        assert_eq!(PayMethod::Card.describe(""), "银行卡");
        assert_eq!(PayMethod::Cheque.describe("00012"), "支票（票号 00012）");
        assert!(PayMethod::Cheque.reference_required());
        assert!(!PayMethod::Card.reference_required());
    }
}

//! View models of the money documents — the payment receipt (收费凭证) and the cashier's
//! day-end report (日清日结报告). Pure data: `service::payments` fills them from the database,
//! `print::receipt` and `print::day_end` lay them out. Amounts are exact `Decimal` 元.
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::Paper;

/// One receipt as printed. A void or a reprint prints the same receipt with its mark.
#[derive(Clone, Debug, PartialEq)]
pub struct ReceiptView {
    pub station_name: String,
    /// the station's address and service phone, under its name (empty: not printed)
    pub station_address: String,
    pub station_phone: String,
    /// gap-free receipt number, printed large
    pub receipt_no: String,
    pub issued_at: NaiveDateTime,
    /// 户号 and 户名
    pub account_no: String,
    pub customer_name: String,
    /// 用电地址 and 台区 (empty: not printed)
    pub customer_address: String,
    pub area_name: String,
    /// what the money paid, in allocation order (bill periods, late fees, business fees,
    /// prepaid); negative amounts on a reversal
    pub lines: Vec<ReceiptLine>,
    /// sum of the lines: the amount of this receipt (negative on a reversal, 红冲)
    pub total: Decimal,
    /// 现金 / 银行卡 / 移动支付 / 支票 with its reference, e.g. `移动支付（参考号 4200001234）`
    pub method: String,
    /// cash only: money handed over and change given back
    pub tendered: Option<Decimal>,
    pub change: Option<Decimal>,
    /// the cashier's display name
    pub cashier: String,
    /// the customer's prepaid balance (预收) and remaining arrears after this receipt
    pub prepaid_after: Decimal,
    pub arrears_after: Decimal,
    /// 0 for the original; N ≥ 1 prints 补打（第 N 次）
    pub reprint: u32,
    /// set when the receipt was voided (作废): printed across the receipt
    pub void: Option<VoidMark>,
    /// 红冲: the number of the receipt this one reverses, and why
    pub reverses: Option<(String, String)>,
    /// the audit chain after this receipt's entry: its seq and the first characters of its
    /// hash, printed so the customer holds a value `verify --anchor` can check
    pub anchor: Option<(i64, String)>,
    pub paper: Paper,
}

/// One line of what a receipt paid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptLine {
    /// e.g. `2026年10月电费`, `2026年10月违约金`, `业务费（增容）`, `预收电费`
    pub label: String,
    /// e.g. `235 kWh`, `逾期 12 天`, a tracking number; may be empty
    pub detail: String,
    pub amount: Decimal,
}

/// Why and by whom a receipt was voided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoidMark {
    pub at: NaiveDateTime,
    /// the chief who approved, display name
    pub approved_by: String,
    pub reason: String,
    /// the customer's prepaid balance and arrears once the receipt was voided (as before
    /// the payment)
    pub prepaid_after: Decimal,
    pub arrears_after: Decimal,
}

/// A cashier's day end (日清日结) as printed.
#[derive(Clone, Debug, PartialEq)]
pub struct DayEndView {
    pub station_name: String,
    pub cashier: String,
    /// which closing of the day: 1, or 2 … for a second closing (第二次日结)
    pub batch: u32,
    pub business_date: NaiveDate,
    pub closed_at: NaiveDateTime,
    /// per payment method: label, number of receipts, amount (voided receipts excluded,
    /// reversals included as negatives)
    pub by_method: Vec<MethodTotal>,
    pub expected_total: Decimal,
    /// first and last receipt number used that day, and how many numbers in between
    pub receipt_first: Option<String>,
    pub receipt_last: Option<String>,
    pub receipt_count: u32,
    pub voids: Vec<DayEndItem>,
    pub reversals: Vec<DayEndItem>,
    /// every receipt of the closing in number order: number, payer, amount, and in
    /// `reason` 作废 / 红冲 … when it is one
    pub receipts: Vec<DayEndItem>,
    /// reprints made that day
    pub reprints: u32,
    /// cash: expected from the receipts, counted by denomination, difference (counted −
    /// expected) and the cashier's reason when it is not zero
    pub cash_expected: Decimal,
    pub denominations: Vec<Denomination>,
    pub cash_counted: Decimal,
    pub difference: Decimal,
    pub difference_reason: String,
    /// the audit chain's head when the day was closed: any later rewrite of the day is
    /// provable against the paper
    pub audit_head_seq: i64,
    pub audit_head_hash: String,
    pub reprint: u32,
    pub paper: Paper,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MethodTotal {
    pub method: String,
    pub count: u32,
    pub amount: Decimal,
}

/// A voided or reversed receipt listed on the day end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayEndItem {
    pub receipt_no: String,
    pub customer_name: String,
    pub amount: Decimal,
    pub reason: String,
}

/// Counted cash of one note or coin: label (`100 元`, `5 角`), face value, pieces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denomination {
    pub label: String,
    pub face: Decimal,
    pub pieces: u32,
}

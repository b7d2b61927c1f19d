//! What a receipt says each allocation paid (`2026年10月电费 235 kWh`, …).
use chrono::NaiveDate;

use super::{db_date, yuan};
use crate::domain::billing::Period;
use crate::domain::billing::late_fee::days_overdue;
use crate::print::ReceiptLine;
use crate::service::ServiceResult;
use crate::store::billing::payments::AllocationRow;

/// The receipt lines of a payment's allocations; `paid_on` is the business day the late
/// fees were counted to (the original's day for a reversal).
pub(crate) fn receipt_lines(
    rows: &[AllocationRow],
    paid_on: NaiveDate,
) -> ServiceResult<Vec<ReceiptLine>> {
    rows.iter().map(|a| receipt_line(a, paid_on)).collect()
}

fn receipt_line(a: &AllocationRow, paid_on: NaiveDate) -> ServiceResult<ReceiptLine> {
    let period = a
        .period
        .as_deref()
        .and_then(|p| Period::parse(p).ok())
        .map(|p| p.label())
        .unwrap_or_default();
    let (label, detail) = match a.kind.as_str() {
        "principal" => (
            format!("{period}电费"),
            a.kwh.map(|k| format!("{k} kWh")).unwrap_or_default(),
        ),
        "late_fee" => {
            let days = match a.due_date.as_deref() {
                Some(d) => days_overdue(db_date(d)?, paid_on),
                None => 0,
            };
            (format!("{period}违约金"), format!("逾期 {days} 天"))
        }
        "order_fee" => (
            format!("业务费（{}）", a.fee_item.clone().unwrap_or_default()),
            a.tracking_no.clone().unwrap_or_default(),
        ),
        "prepaid_use" => ("预收冲抵".to_string(), String::new()),
        "prepaid_add" => ("预收电费".to_string(), String::new()),
        other => (other.to_string(), String::new()),
    };
    Ok(ReceiptLine {
        label,
        detail,
        amount: yuan(a.amount_fen),
    })
}

//! What a receipt says each allocation paid (`2026年10月电费 235 kWh`, …).
use chrono::NaiveDate;

use super::{db_date, yuan};
use crate::domain::billing::Period;
use crate::domain::billing::late_fee::days_overdue;
use crate::domain::money;
use crate::print::ReceiptLine;
use crate::service::ServiceResult;
use crate::store::billing::payments::{AllocationRow, LateBasis};

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
        "principal" => {
            // a line paying part of a bill says so: the bill's kWh belong to all of it
            let part = a.bill_amount_fen.filter(|b| a.amount_fen.abs() < *b);
            let detail = match (part, a.kwh) {
                (Some(b), Some(k)) => {
                    format!("部分（账单 {} 元，{k} kWh）", money::format_yuan(yuan(b)))
                }
                (Some(b), None) => format!("部分（账单 {} 元）", money::format_yuan(yuan(b))),
                (None, k) => k.map(|k| format!("{k} kWh")).unwrap_or_default(),
            };
            (format!("{period}电费"), detail)
        }
        "late_fee" => {
            let detail = match (&a.basis, a.due_date.as_deref()) {
                (Some(b), _) => late_fee_detail(b, a.amount_fen),
                // posted before the count was kept: the days only
                (None, Some(d)) => format!("逾期 {} 天", days_overdue(db_date(d)?, paid_on)),
                (None, None) => String::new(),
            };
            (format!("{period}违约金"), detail)
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

/// How a late fee line's amount was counted, in words that add up to it:
/// `逾期256天，应计23.02，前已收13.22` (9.80 taken), `…，本次收其中部分` when less than what
/// was owed was taken, `停电免计7天`, `按最低收费`.
fn late_fee_detail(b: &LateBasis, amount_fen: i64) -> String {
    let mut s = format!("逾期{}天", b.days_overdue);
    if b.outage_days > 0 {
        s.push_str(&format!("，停电免计{}天", b.outage_days));
    }
    if b.days_charged + b.outage_days < b.days_overdue {
        s.push_str(&format!("，计费{}天", b.days_charged));
    }
    s.push_str(&format!(
        "，应计{}",
        money::format_yuan(yuan(b.accrued_fen))
    ));
    if b.minimum {
        s.push_str("（按最低收费）");
    }
    if b.paid_before_fen != 0 {
        s.push_str(&format!(
            "，前已收{}",
            money::format_yuan(yuan(b.paid_before_fen))
        ));
    }
    let owed = b.accrued_fen - b.paid_before_fen;
    if amount_fen > 0 && amount_fen < owed {
        s.push_str(&format!(
            "，本次收{}，余{}未收",
            money::format_yuan(yuan(amount_fen)),
            money::format_yuan(yuan(owed - amount_fen))
        ));
    }
    s
}

//! Planning a payment: the customer's (or work order's) account on the day, the
//! allocation rules applied, what the receipt will say.
use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::account::{AccountState, account_state, collectible_fees, fee_lines};
use super::take::Payer;
use super::{Rules, date_text, fen};
use crate::domain::billing::{AllocationPlan, Period, Target, allocate};
use crate::domain::money;
use crate::service::{ServiceError, ServiceResult};
use crate::store::billing as bstore;
use crate::store::billing::payments::{AllocationRow, LateBasis, NewAllocation};

/// A payment planned on one connection (inside the write transaction when taking it).
pub(crate) struct Planned {
    pub customer_id: Option<i64>,
    pub order_id: Option<i64>,
    pub account_no: String,
    pub name: String,
    pub plan: AllocationPlan,
    pub prepaid_before: Decimal,
    pub owed_before: Decimal,
    /// the most that may be received (`None`: anything, the surplus becomes prepaid)
    pub cap: Option<Decimal>,
    pub bills: BillInfo,
    pub fees: FeeInfo,
}

impl Planned {
    /// `户号 户名`, or the applicant's name.
    pub fn party(&self) -> String {
        if self.account_no.is_empty() {
            self.name.clone()
        } else {
            format!("{} {}", self.account_no, self.name)
        }
    }

    pub fn prepaid_after(&self) -> Decimal {
        self.prepaid_before - self.plan.prepaid_used() + self.plan.prepaid_added()
    }

    pub fn arrears_after(&self) -> Decimal {
        self.owed_before - self.plan.applied()
    }

    /// The plan as the rows a receipt is printed from.
    pub fn rows(&self) -> ServiceResult<Vec<AllocationRow>> {
        self.plan
            .lines
            .iter()
            .map(|l| {
                let (bill_id, fee_id) = match l.target {
                    Target::Principal(b) | Target::LateFee(b) => (Some(b), None),
                    Target::Fee(f) => (None, Some(f)),
                    Target::PrepaidUse | Target::PrepaidAdd => (None, None),
                };
                let bill = bill_id.and_then(|b| self.bills.get(&b));
                let fee = fee_id.and_then(|f| self.fees.get(&f));
                let basis = match (l.target, bill) {
                    (Target::LateFee(_), Some(b)) => Some(b.3),
                    _ => None,
                };
                Ok(AllocationRow {
                    kind: l.target.kind_code().to_string(),
                    bill_id,
                    period: bill.map(|b| b.0.to_string()),
                    kwh: bill.map(|b| b.1),
                    due_date: bill.map(|b| date_text(b.2)),
                    fee_id,
                    fee_item: fee.map(|f| f.0.clone()),
                    tracking_no: fee.map(|f| f.1.clone()),
                    amount_fen: fen(l.amount)?,
                    basis,
                    bill_amount_fen: match bill {
                        Some(b) => Some(fen(b.4)?),
                        None => None,
                    },
                })
            })
            .collect()
    }

    pub fn allocations(&self) -> ServiceResult<Vec<NewAllocation>> {
        Ok(self
            .rows()?
            .into_iter()
            .zip(&self.plan.lines)
            .map(|(r, l)| NewAllocation {
                kind: l.target.kind_code(),
                customer_id: self.customer_id,
                bill_id: r.bill_id,
                fee_id: r.fee_id,
                amount_fen: r.amount_fen,
                basis: r.basis,
            })
            .collect())
    }
}

/// bill id → (period, kWh, due date, how its late fee was counted, the bill's amount)
type BillInfo = HashMap<i64, (Period, i64, NaiveDate, LateBasis, Decimal)>;
/// fee id → (item, tracking number)
type FeeInfo = HashMap<i64, (String, String)>;

fn from_state(st: &AccountState) -> ServiceResult<(BillInfo, FeeInfo)> {
    let bills = st
        .open_bills()
        .map(|b| {
            Ok((
                b.bill_id,
                (b.period, b.kwh, b.due_date, b.late_basis(st.on)?, b.amount),
            ))
        })
        .collect::<ServiceResult<_>>()?;
    let fees = st
        .fees
        .iter()
        .map(|f| (f.fee_id, (f.item.clone(), f.tracking_no.clone())))
        .collect();
    Ok((bills, fees))
}

/// Plan `amount` from a customer whose account is `st`.
pub(crate) fn plan_for_customer(
    st: &AccountState,
    amount: Decimal,
    rules: &Rules,
) -> ServiceResult<Planned> {
    let plan = allocate(
        amount,
        st.prepaid,
        &st.allocation_bills(),
        &st.allocation_fees(),
        rules.late_fee_first,
    );
    let (bills, fees) = from_state(st)?;
    // a closed account keeps no new prepaid balance
    let cap = (st.customer.status == "closed")
        .then(|| (st.bills_owed() - st.prepaid).max(Decimal::ZERO) + st.fees_owed());
    Ok(Planned {
        customer_id: Some(st.customer.id),
        order_id: None,
        account_no: st.customer.account_no.clone(),
        name: st.customer.name.clone(),
        owed_before: st.total_owed(),
        prepaid_before: st.prepaid,
        plan,
        cap,
        bills,
        fees,
    })
}

/// Plan `amount` for `payer` on day `on`.
pub(crate) fn plan_payment(
    conn: &rusqlite::Connection,
    payer: Payer,
    amount: Decimal,
    on: NaiveDate,
    rules: &Rules,
) -> ServiceResult<Planned> {
    match payer {
        Payer::Customer(cid) => {
            plan_for_customer(&account_state(conn, cid, on, rules)?, amount, rules)
        }
        Payer::Order(oid) => {
            let loaded = crate::service::orders::load(conn, oid)?;
            let fee_rows = fee_lines(conn, bstore::fees_owed_on_order(conn, oid)?)?;
            let open = collectible_fees(&fee_rows);
            if open.is_empty() {
                let why = fee_rows
                    .iter()
                    .map(|f| f.note.clone())
                    .find(|n| !n.is_empty())
                    .unwrap_or_else(|| "该工单没有待收的业务费".to_string());
                return Err(ServiceError::Refused(why));
            }
            let fees_owed: Decimal = open.iter().map(|f| f.owed).sum();
            let plan = allocate(amount, Decimal::ZERO, &[], &open, rules.late_fee_first);
            let (account_no, name, owed_before, prepaid_before) = match loaded.row.customer_id {
                Some(cid) => {
                    let st = account_state(conn, cid, on, rules)?;
                    (
                        st.customer.account_no.clone(),
                        st.customer.name.clone(),
                        st.total_owed(),
                        st.prepaid,
                    )
                }
                None => (
                    String::new(),
                    loaded.row.applicant_name.clone(),
                    fees_owed,
                    Decimal::ZERO,
                ),
            };
            let fees = fee_rows
                .iter()
                .map(|f| (f.fee_id, (f.item.clone(), f.tracking_no.clone())))
                .collect();
            Ok(Planned {
                customer_id: loaded.row.customer_id,
                order_id: Some(oid),
                account_no,
                name,
                plan,
                prepaid_before,
                owed_before,
                cap: Some(fees_owed),
                bills: HashMap::new(),
                fees,
            })
        }
    }
}

/// Refuse money that cannot be kept as prepaid balance (a work order's applicant, a closed
/// account).
pub(crate) fn check_cap(planned: &Planned, amount: Decimal) -> ServiceResult<()> {
    if let Some(cap) = planned.cap
        && amount > cap
    {
        let why = if planned.order_id.is_some() {
            "该工单应收业务费"
        } else {
            "已销户客户不能预收，应收"
        };
        return Err(ServiceError::invalid(
            "amount",
            format!("收款金额超过{why} {} 元", money::format_yuan(cap)),
        ));
    }
    Ok(())
}

//! A customer's account at the counter: open bills with late fees to date, business fees
//! owed, prepaid balance, payment grade. [`account_state`] computes it on any connection,
//! so a payment computes it again inside its own transaction.
use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Rules, db_date, fen, yuan};
use crate::domain::billing::late_fee::{self, FeeClass, LateFeeBill, LateFeeCount, Outage};
use crate::domain::billing::{BillRecord, OpenBill, OpenFee, PaymentGrade, Period, grade};
use crate::domain::customer::UsageCategory;
use crate::domain::work_order as wo;
use crate::service::{Service, ServiceError, ServiceResult};
use crate::store::billing as store;
use crate::store::billing::payments::LateBasis;
use crate::store::customers::{self, CustomerRow};

/// What the clerk sees on picking a customer.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountView {
    pub customer_id: i64,
    pub account_no: String,
    pub name: String,
    /// 用电类别, e.g. 居民生活
    pub usage: String,
    pub residential: bool,
    /// 正常 / 暂停 / 销户
    pub status: String,
    /// the day the late fees are counted to
    pub today: NaiveDate,
    /// bills with anything owed (principal or late fee), oldest first
    pub bills: Vec<BillLine>,
    /// business fees on the customer's open work orders, oldest first
    pub fees: Vec<FeeLine>,
    /// prepaid balance (预收)
    pub prepaid: Decimal,
    pub grade: PaymentGrade,
    /// principal owed on the bills
    pub principal_owed: Decimal,
    /// late fees owed to date
    pub late_fees: Decimal,
    /// business fees that may be collected now
    pub fees_owed: Decimal,
    /// principal + late fees + collectable business fees
    pub total_owed: Decimal,
    /// what to ask for: the bills less the prepaid balance (never below 0), plus the fees
    pub to_pay: Decimal,
}

/// One bill with money owed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillLine {
    pub bill_id: i64,
    pub period: Period,
    /// `2026年10月`
    pub period_label: String,
    pub kwh: i64,
    pub amount: Decimal,
    /// principal paid so far
    pub paid: Decimal,
    /// principal still owed
    pub owed: Decimal,
    pub due_date: NaiveDate,
    pub days_overdue: i64,
    /// late fee owed to date (accrued less paid)
    pub late_fee: Decimal,
    pub late_fee_waived: bool,
    /// how the late fee accrued to date was counted
    pub late_count: LateFeeCount,
    /// late fee paid on the bill so far
    pub late_paid: Decimal,
}

impl BillLine {
    /// How a late fee taken on this bill today is counted, for its receipt line.
    pub(crate) fn late_basis(&self, on: NaiveDate) -> ServiceResult<LateBasis> {
        Ok(LateBasis {
            days_overdue: late_fee::days_overdue(self.due_date, on),
            days_charged: self.late_count.days_charged,
            outage_days: self.late_count.outage_days,
            minimum: self.late_count.minimum,
            accrued_fen: fen(self.late_count.fee)?,
            paid_before_fen: fen(self.late_paid)?,
        })
    }
}

/// A business fee on one of the customer's open work orders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeeLine {
    pub fee_id: i64,
    pub order_id: i64,
    pub tracking_no: String,
    pub item: String,
    pub amount: Decimal,
    pub paid: Decimal,
    pub owed: Decimal,
    /// `false` before the site survey: shown, but not collected yet
    pub collectible: bool,
    /// why it cannot be collected yet (empty when it can)
    pub note: String,
}

/// One bill's state on a day.
#[derive(Clone, Debug)]
pub(crate) struct BillState {
    pub line: BillLine,
    /// settled: nothing owed at all
    pub settled: bool,
}

/// Everything the payment rules need about a customer on a day.
#[derive(Clone, Debug)]
pub(crate) struct AccountState {
    pub customer: CustomerRow,
    /// every bill, oldest first
    pub bills: Vec<BillState>,
    pub history: Vec<BillRecord>,
    pub fees: Vec<FeeLine>,
    pub prepaid: Decimal,
    /// the day late fees are counted to
    pub on: NaiveDate,
}

impl AccountState {
    pub fn open_bills(&self) -> impl Iterator<Item = &BillLine> {
        self.bills.iter().filter(|b| !b.settled).map(|b| &b.line)
    }

    /// Bills for the allocation rules.
    pub fn allocation_bills(&self) -> Vec<OpenBill> {
        self.open_bills()
            .map(|b| OpenBill {
                bill_id: b.bill_id,
                principal_owed: b.owed,
                late_fee_owed: b.late_fee,
            })
            .collect()
    }

    pub fn allocation_fees(&self) -> Vec<OpenFee> {
        collectible_fees(&self.fees)
    }

    pub fn bills_owed(&self) -> Decimal {
        self.open_bills().map(|b| b.owed + b.late_fee).sum()
    }

    pub fn fees_owed(&self) -> Decimal {
        self.fees
            .iter()
            .filter(|f| f.collectible)
            .map(|f| f.owed)
            .sum()
    }

    /// Principal + late fees + collectable fees.
    pub fn total_owed(&self) -> Decimal {
        self.bills_owed() + self.fees_owed()
    }
}

pub(crate) fn collectible_fees(fees: &[FeeLine]) -> Vec<OpenFee> {
    fees.iter()
        .filter(|f| f.collectible && f.owed > Decimal::ZERO)
        .map(|f| OpenFee {
            fee_id: f.fee_id,
            owed: f.owed,
        })
        .collect()
}

/// The declared outage periods.
pub(crate) fn outages(conn: &rusqlite::Connection) -> ServiceResult<Vec<Outage>> {
    store::outages(conn)?
        .iter()
        .map(|o| {
            Ok(Outage {
                from: db_date(&o.from_date)?,
                to: db_date(&o.to_date)?,
            })
        })
        .collect()
}

/// Fees still owed, with whether the order allows collecting them now.
pub(crate) fn fee_lines(
    conn: &rusqlite::Connection,
    rows: Vec<store::FeeOwedRow>,
) -> ServiceResult<Vec<FeeLine>> {
    let mut checked: HashMap<i64, Result<(), crate::domain::work_order::OrderRefusal>> =
        HashMap::new();
    let mut out = Vec::new();
    for f in rows {
        let owed = f.amount_fen - f.paid_fen;
        if owed <= 0 {
            continue;
        }
        let check = match checked.get(&f.order_id) {
            Some(c) => c.clone(),
            None => {
                let loaded = crate::service::orders::load(conn, f.order_id)?;
                let c = wo::check_fee_collection(&loaded.facts());
                checked.insert(f.order_id, c.clone());
                c
            }
        };
        out.push(FeeLine {
            fee_id: f.fee_id,
            order_id: f.order_id,
            tracking_no: f.tracking_no,
            item: f.item,
            amount: yuan(f.amount_fen),
            paid: yuan(f.paid_fen),
            owed: yuan(owed),
            collectible: check.is_ok(),
            note: check.err().map(|e| e.to_string()).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// The day a bill's principal became fully paid (`None` while any is owed).
fn settled_on(amount_fen: i64, changes: &[(NaiveDate, i64)]) -> Option<NaiveDate> {
    let mut sorted = changes.to_vec();
    sorted.sort_by_key(|(d, _)| *d);
    let mut cum = 0i64;
    let mut settled = None;
    for (d, a) in sorted {
        let before = cum;
        cum += a;
        if cum >= amount_fen && before < amount_fen {
            settled = Some(d);
        } else if cum < amount_fen {
            settled = None;
        }
    }
    settled
}

/// The customer's account on day `on`.
pub(crate) fn account_state(
    conn: &rusqlite::Connection,
    customer_id: i64,
    on: NaiveDate,
    rules: &Rules,
) -> ServiceResult<AccountState> {
    let customer = customers::by_id(conn, customer_id)?
        .ok_or_else(|| ServiceError::NotFound("该客户".into()))?;
    let class = FeeClass::of_usage(customer.usage_category.code());
    let outages = outages(conn)?;
    let mut changes: HashMap<i64, Vec<(NaiveDate, i64)>> = HashMap::new();
    for (bill, date, amount) in store::principal_changes(conn, customer_id)? {
        changes
            .entry(bill)
            .or_default()
            .push((db_date(&date)?, amount));
    }
    let late_paid: HashMap<i64, i64> = store::late_fee_paid(conn, customer_id)?
        .into_iter()
        .collect();
    let mut bills = Vec::new();
    let mut history = Vec::new();
    for row in store::bills_of(conn, customer_id)? {
        let period = Period::parse(&row.period).map_err(|m| {
            ServiceError::Store(crate::store::StoreError::Corrupt(format!(
                "bill {}: {m}",
                row.id
            )))
        })?;
        let due = db_date(&row.due_date)?;
        let bill_changes = changes.remove(&row.id).unwrap_or_default();
        let paid_fen: i64 = bill_changes.iter().map(|(_, a)| a).sum();
        let owed_fen = (row.amount_fen - paid_fen).max(0);
        let decimal_changes: Vec<(NaiveDate, Decimal)> =
            bill_changes.iter().map(|(d, a)| (*d, yuan(*a))).collect();
        let count = late_fee::count_late_fee(
            &LateFeeBill {
                class,
                period,
                due_date: due,
                amount: yuan(row.amount_fen),
                principal_changes: &decimal_changes,
                waived: row.waived,
            },
            on,
            &rules.late,
            &outages,
        );
        let late_paid = yuan(late_paid.get(&row.id).copied().unwrap_or(0));
        let late_owed = (count.fee - late_paid).max(Decimal::ZERO);
        history.push(BillRecord {
            period,
            due_date: due,
            settled_on: settled_on(row.amount_fen, &bill_changes),
        });
        bills.push(BillState {
            settled: owed_fen == 0 && late_owed == Decimal::ZERO,
            line: BillLine {
                bill_id: row.id,
                period,
                period_label: period.label(),
                kwh: row.kwh,
                amount: yuan(row.amount_fen),
                paid: yuan(paid_fen),
                owed: yuan(owed_fen),
                due_date: due,
                days_overdue: if owed_fen > 0 {
                    late_fee::days_overdue(due, on)
                } else {
                    0
                },
                late_fee: late_owed,
                late_fee_waived: row.waived,
                late_count: count,
                late_paid,
            },
        });
    }
    let fees = fee_lines(conn, store::fees_owed_by_customer(conn, customer_id)?)?;
    let prepaid = yuan(store::prepaid_balance(conn, customer_id)?);
    Ok(AccountState {
        customer,
        bills,
        history,
        fees,
        prepaid,
        on,
    })
}

impl Service {
    /// The customer's account today (late fees counted to the clock's date).
    pub fn customer_account(&self, customer_id: i64) -> ServiceResult<AccountView> {
        let today = self.clock.today();
        let rules = self.billing_rules()?;
        let st = account_state(self.store.conn(), customer_id, today, &rules)?;
        let grade = grade(&st.history, st.prepaid, today, rules.grade_late_times);
        Ok(view_of(st, today, grade))
    }

    /// The payment grade (信誉等级) of a customer today.
    pub fn payment_grade(&self, customer_id: i64) -> ServiceResult<PaymentGrade> {
        Ok(self.customer_account(customer_id)?.grade)
    }
}

fn view_of(st: AccountState, today: NaiveDate, grade: PaymentGrade) -> AccountView {
    let principal_owed: Decimal = st.open_bills().map(|b| b.owed).sum();
    let late_fees: Decimal = st.open_bills().map(|b| b.late_fee).sum();
    let fees_owed = st.fees_owed();
    let bills_owed = principal_owed + late_fees;
    let usage = Some(st.customer.usage_category);
    AccountView {
        customer_id: st.customer.id,
        account_no: st.customer.account_no.clone(),
        name: st.customer.name.clone(),
        usage: usage.map(|u| u.label()).unwrap_or("").to_string(),
        residential: usage == Some(UsageCategory::Residential),
        status: crate::domain::customer::status_label(&st.customer.status).to_string(),
        today,
        bills: st.open_bills().cloned().collect(),
        fees: st.fees.clone(),
        prepaid: st.prepaid,
        grade,
        principal_owed,
        late_fees,
        fees_owed,
        total_owed: bills_owed + fees_owed,
        to_pay: (bills_owed - st.prepaid).max(Decimal::ZERO) + fees_owed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn settled_on_follows_payments_and_reversals() {
        assert_eq!(settled_on(100, &[]), None);
        assert_eq!(
            settled_on(100, &[(day("2026-11-02"), 60), (day("2026-11-01"), 40)]),
            Some(day("2026-11-02"))
        );
        assert_eq!(
            settled_on(100, &[(day("2026-11-01"), 100), (day("2026-11-05"), -100)]),
            None
        );
        assert_eq!(
            settled_on(
                100,
                &[
                    (day("2026-11-01"), 100),
                    (day("2026-11-05"), -100),
                    (day("2026-11-09"), 100)
                ]
            ),
            Some(day("2026-11-09"))
        );
    }
}

//! The in-memory account of a customer posted in bulk: the same rules (late fee day by
//! day, allocation oldest bill first) as the service, on the customer's open bills kept in
//! memory, so 100,000 customers' year is written without reading each account back.
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::domain::billing::late_fee::{
    FeeClass, LateFeeBill, Outage, count_late_fee, days_overdue,
};
use crate::domain::billing::{AllocationPlan, OpenBill, Period, allocate};
use crate::service::ServiceResult;
use crate::service::payments::{Rules, fen, yuan};
use crate::store::billing::payments::{LateBasis, NewAllocation};

/// A bill with money still owed.
#[derive(Clone, Debug)]
pub(super) struct BookBill {
    pub id: i64,
    pub period: Period,
    pub due: NaiveDate,
    pub amount: i64,
    pub paid: i64,
    pub changes: Vec<(NaiveDate, Decimal)>,
    pub late_paid: i64,
}

impl BookBill {
    fn late_owed(
        &self,
        class: FeeClass,
        day: NaiveDate,
        rules: &Rules,
        outages: &[Outage],
    ) -> ServiceResult<i64> {
        Ok(self.late(class, day, rules, outages)?.0)
    }

    /// (late fee owed, how it was counted) on `day`.
    fn late(
        &self,
        class: FeeClass,
        day: NaiveDate,
        rules: &Rules,
        outages: &[Outage],
    ) -> ServiceResult<(i64, LateBasis)> {
        let count = count_late_fee(
            &LateFeeBill {
                class,
                period: self.period,
                due_date: self.due,
                amount: yuan(self.amount),
                principal_changes: &self.changes,
                waived: false,
            },
            day,
            &rules.late,
            outages,
        );
        let accrued_fen = fen(count.fee)?;
        let basis = LateBasis {
            days_overdue: days_overdue(self.due, day),
            days_charged: count.days_charged,
            outage_days: count.outage_days,
            minimum: count.minimum,
            accrued_fen,
            paid_before_fen: self.late_paid,
        };
        Ok(((accrued_fen - self.late_paid).max(0), basis))
    }
}

/// One customer's open bills and prepaid balance (分).
#[derive(Clone, Debug, Default)]
pub(super) struct Book {
    pub open: Vec<BookBill>,
    pub prepaid: i64,
}

/// What one visit does to a book.
pub(super) struct Posted {
    pub amount: i64,
    pub allocations: Vec<NewAllocation>,
    pub prepaid_after: i64,
    pub arrears_after: i64,
}

impl Book {
    /// A new bill; the prepaid balance pays it at once. Returns the amount offset (分).
    pub fn add_bill(&mut self, bill: BookBill, on: NaiveDate) -> i64 {
        let mut bill = bill;
        let offset = self.prepaid.min(bill.amount).max(0);
        if offset > 0 {
            self.prepaid -= offset;
            bill.paid += offset;
            bill.changes.push((on, yuan(offset)));
        }
        if bill.paid < bill.amount {
            self.open.push(bill);
        }
        offset
    }

    /// (index, principal owed, late fee owed) of each open bill on `day`.
    fn owed(
        &self,
        class: FeeClass,
        day: NaiveDate,
        rules: &Rules,
        outages: &[Outage],
    ) -> ServiceResult<Vec<(usize, i64, i64, LateBasis)>> {
        self.open
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let (late, basis) = b.late(class, day, rules, outages)?;
                Ok((i, b.amount - b.paid, late, basis))
            })
            .collect()
    }

    /// Take `amount` (or, with `None`, what `wanted` picks from the owed lines) on `day`:
    /// the plan of the allocation rules, applied to the book. `None` when nothing is paid.
    pub fn pay(
        &mut self,
        customer_id: i64,
        class: FeeClass,
        day: NaiveDate,
        wanted: impl Fn(&[(NaiveDate, i64)], i64) -> i64,
        rules: &Rules,
        outages: &[Outage],
    ) -> ServiceResult<Option<Posted>> {
        let owed = self.owed(class, day, rules, outages)?;
        let lines: Vec<(NaiveDate, i64)> = owed
            .iter()
            .map(|(i, p, l, _)| (self.open[*i].due, p + l))
            .collect();
        let amount = wanted(&lines, self.prepaid);
        if amount <= 0 {
            return Ok(None);
        }
        let bills: Vec<OpenBill> = owed
            .iter()
            .map(|(i, p, l, _)| OpenBill {
                bill_id: self.open[*i].id,
                principal_owed: yuan(*p),
                late_fee_owed: yuan(*l),
            })
            .collect();
        let plan: AllocationPlan = allocate(
            yuan(amount),
            yuan(self.prepaid),
            &bills,
            &[],
            rules.late_fee_first,
        );
        let owed_before: i64 = lines.iter().map(|(_, o)| o).sum();
        let mut allocations = Vec::with_capacity(plan.lines.len());
        for l in &plan.lines {
            use crate::domain::billing::Target;
            let a = fen(l.amount)?;
            let bill_id = match l.target {
                Target::Principal(b) | Target::LateFee(b) => Some(b),
                _ => None,
            };
            let basis = match l.target {
                Target::LateFee(b) => owed
                    .iter()
                    .find(|(i, ..)| self.open[*i].id == b)
                    .map(|(.., basis)| *basis),
                _ => None,
            };
            if let Some(b) = bill_id.and_then(|id| self.open.iter_mut().find(|x| x.id == id)) {
                if matches!(l.target, Target::Principal(_)) {
                    b.paid += a;
                    b.changes.push((day, l.amount));
                } else {
                    b.late_paid += a;
                }
            }
            match l.target {
                Target::PrepaidUse | Target::PrepaidAdd => self.prepaid += a,
                _ => {}
            }
            allocations.push(NewAllocation {
                kind: l.target.kind_code(),
                customer_id: Some(customer_id),
                bill_id,
                fee_id: None,
                amount_fen: a,
                basis,
            });
        }
        let applied = fen(plan.applied())?;
        // settled bills leave the book: no principal owed means no more late fee
        let mut keep = Vec::with_capacity(self.open.len());
        for b in self.open.drain(..) {
            let late = b.late_owed(class, day, rules, outages)?;
            if b.paid < b.amount || late > 0 {
                keep.push(b);
            }
        }
        self.open = keep;
        Ok(Some(Posted {
            amount,
            allocations,
            prepaid_after: self.prepaid,
            arrears_after: owed_before - applied,
        }))
    }
}

/// The year a receipt of `day` is numbered in.
pub(super) fn year_of(day: NaiveDate) -> i32 {
    day.year()
}

//! Where the money of a payment goes (冲账顺序).
//!
//! 1. Bills, **oldest period first**. Within a bill the late fee comes before the principal
//!    when `payment.late_fee_first` is on (the default), otherwise the principal first.
//! 2. Then business fees owed on the customer's work orders, oldest first.
//! 3. Anything left becomes prepaid balance (预收).
//!
//! The customer's existing prepaid balance is applied too, when a payment is taken:
//! balance and money received form one pool for the bills. The prepaid balance is money for
//! electricity (预收电费), so it pays **bills only**, never business fees; business fees are
//! paid from the money received. The plan records the balance used as a negative line
//! ([`Target::PrepaidUse`]) and the surplus as a positive one ([`Target::PrepaidAdd`]), so
//! the lines of a plan always add up to exactly the money received.
//!
//! Amounts are `Decimal` 元 with at most two decimals; only additions, subtractions and
//! minimums are used, so the plan is exact.
use rust_decimal::Decimal;

/// A bill with money still owed, as of the payment day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenBill {
    pub bill_id: i64,
    pub principal_owed: Decimal,
    /// late fee accrued through the payment day less late fee already paid
    pub late_fee_owed: Decimal,
}

/// A business fee (业务费) still owed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenFee {
    pub fee_id: i64,
    pub owed: Decimal,
}

/// What one line of a payment pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    LateFee(i64),
    Principal(i64),
    Fee(i64),
    /// prepaid balance applied to the bills (a negative amount)
    PrepaidUse,
    /// surplus kept as prepaid balance
    PrepaidAdd,
}

impl Target {
    /// Kind code stored with the allocation.
    pub fn kind_code(self) -> &'static str {
        match self {
            Target::LateFee(_) => "late_fee",
            Target::Principal(_) => "principal",
            Target::Fee(_) => "order_fee",
            Target::PrepaidUse => "prepaid_use",
            Target::PrepaidAdd => "prepaid_add",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allocation {
    pub target: Target,
    pub amount: Decimal,
}

/// The lines of one payment, in the order they were paid.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllocationPlan {
    pub lines: Vec<Allocation>,
}

impl AllocationPlan {
    /// Sum of the lines: the money received.
    pub fn total(&self) -> Decimal {
        self.lines.iter().map(|l| l.amount).sum()
    }

    /// Prepaid balance applied (positive number).
    pub fn prepaid_used(&self) -> Decimal {
        -self.sum_of(|t| t == Target::PrepaidUse)
    }

    /// Surplus kept as prepaid balance.
    pub fn prepaid_added(&self) -> Decimal {
        self.sum_of(|t| t == Target::PrepaidAdd)
    }

    /// Paid on bills and fees (principal, late fees, business fees).
    pub fn applied(&self) -> Decimal {
        self.sum_of(|t| !matches!(t, Target::PrepaidUse | Target::PrepaidAdd))
    }

    fn sum_of(&self, f: impl Fn(Target) -> bool) -> Decimal {
        self.lines
            .iter()
            .filter(|l| f(l.target))
            .map(|l| l.amount)
            .sum()
    }
}

/// Allocate `received` (> 0) plus the `prepaid` balance to `bills` (oldest first) and
/// `fees` (oldest first); see the module documentation for the order.
pub fn allocate(
    received: Decimal,
    prepaid: Decimal,
    bills: &[OpenBill],
    fees: &[OpenFee],
    late_fee_first: bool,
) -> AllocationPlan {
    let received = received.max(Decimal::ZERO);
    let prepaid = prepaid.max(Decimal::ZERO);
    let mut lines = Vec::new();
    let mut pool = received + prepaid;
    let mut take = |target: Target, owed: Decimal, pool: &mut Decimal| {
        let amount = owed.min(*pool);
        if amount > Decimal::ZERO {
            lines.push(Allocation { target, amount });
            *pool -= amount;
        }
    };
    let mut bills_paid = Decimal::ZERO;
    for b in bills {
        let before = pool;
        let late = (Target::LateFee(b.bill_id), b.late_fee_owed);
        let principal = (Target::Principal(b.bill_id), b.principal_owed);
        let order = if late_fee_first {
            [late, principal]
        } else {
            [principal, late]
        };
        for (target, owed) in order {
            take(target, owed, &mut pool);
        }
        bills_paid += before - pool;
    }
    // the balance covers bills first; fees and the surplus come from the money received
    let used = prepaid.min(bills_paid);
    let mut money = received - (bills_paid - used);
    for f in fees {
        take(Target::Fee(f.fee_id), f.owed, &mut money);
    }
    if used > Decimal::ZERO {
        lines.push(Allocation {
            target: Target::PrepaidUse,
            amount: -used,
        });
    }
    if money > Decimal::ZERO {
        lines.push(Allocation {
            target: Target::PrepaidAdd,
            amount: money,
        });
    }
    AllocationPlan { lines }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn bill(id: i64, principal: &str, late: &str) -> OpenBill {
        OpenBill {
            bill_id: id,
            principal_owed: d(principal),
            late_fee_owed: d(late),
        }
    }
    fn line(target: Target, amount: &str) -> Allocation {
        Allocation {
            target,
            amount: d(amount),
        }
    }

    #[test]
    fn oldest_bill_first_late_fee_before_principal_then_fees_then_prepaid() {
        let bills = [bill(1, "100.00", "3.00"), bill(2, "80.00", "1.00")];
        let fees = [OpenFee {
            fee_id: 9,
            owed: d("50.00"),
        }];
        let plan = allocate(d("300.00"), d("0"), &bills, &fees, true);
        assert_eq!(
            plan.lines,
            [
                line(Target::LateFee(1), "3.00"),
                line(Target::Principal(1), "100.00"),
                line(Target::LateFee(2), "1.00"),
                line(Target::Principal(2), "80.00"),
                line(Target::Fee(9), "50.00"),
                line(Target::PrepaidAdd, "66.00"),
            ]
        );
        assert_eq!(plan.total(), d("300.00"));
        assert_eq!(plan.applied(), d("234.00"));
        assert_eq!(plan.prepaid_added(), d("66.00"));
    }

    #[test]
    fn short_payment_stops_inside_a_bill_in_either_order() {
        let bills = [bill(1, "100.00", "3.00"), bill(2, "80.00", "1.00")];
        let plan = allocate(d("50.00"), d("0"), &bills, &[], true);
        assert_eq!(
            plan.lines,
            [
                line(Target::LateFee(1), "3.00"),
                line(Target::Principal(1), "47.00")
            ]
        );
        let plan = allocate(d("101.50"), d("0"), &bills, &[], false);
        assert_eq!(
            plan.lines,
            [
                line(Target::Principal(1), "100.00"),
                line(Target::LateFee(1), "1.50")
            ]
        );
    }

    #[test]
    fn prepaid_balance_pays_bills_but_not_fees() {
        let bills = [bill(1, "60.00", "0")];
        let fees = [OpenFee {
            fee_id: 4,
            owed: d("30.00"),
        }];
        // balance 100 covers the bill; the 20 received pays part of the fee
        let plan = allocate(d("20.00"), d("100.00"), &bills, &fees, true);
        assert_eq!(
            plan.lines,
            [
                line(Target::Principal(1), "60.00"),
                line(Target::Fee(4), "20.00"),
                line(Target::PrepaidUse, "-60.00"),
            ]
        );
        assert_eq!(plan.total(), d("20.00"));
        assert_eq!(plan.prepaid_used(), d("60.00"));
        // balance 10, bill 60, received 100: balance used, the rest pays the fee and
        // the surplus is kept
        let plan = allocate(d("100.00"), d("10.00"), &bills, &fees, true);
        assert_eq!(
            plan.lines,
            [
                line(Target::Principal(1), "60.00"),
                line(Target::Fee(4), "30.00"),
                line(Target::PrepaidUse, "-10.00"),
                line(Target::PrepaidAdd, "20.00"),
            ]
        );
        // nothing owed: all of it is prepaid
        let plan = allocate(d("200.00"), d("5.00"), &[], &[], true);
        assert_eq!(plan.lines, [line(Target::PrepaidAdd, "200.00")]);
    }

    fn money() -> impl Strategy<Value = Decimal> {
        (0i64..50_000).prop_map(|f| Decimal::new(f, 2))
    }

    proptest! {
        #[test]
        fn allocations_are_exact_and_never_overpay(
            received in (1i64..200_000).prop_map(|f| Decimal::new(f, 2)),
            prepaid in money(),
            bills in proptest::collection::vec((money(), money()), 0..8),
            fees in proptest::collection::vec(money(), 0..4),
            late_first in any::<bool>(),
        ) {
            let bills: Vec<OpenBill> = bills
                .into_iter()
                .enumerate()
                .map(|(i, (p, l))| OpenBill { bill_id: i as i64, principal_owed: p, late_fee_owed: l })
                .collect();
            let fees: Vec<OpenFee> = fees
                .into_iter()
                .enumerate()
                .map(|(i, o)| OpenFee { fee_id: 100 + i as i64, owed: o })
                .collect();
            let plan = allocate(received, prepaid, &bills, &fees, late_first);
            // the lines add up to exactly the money received: nothing appears or disappears
            prop_assert_eq!(plan.total(), received);
            prop_assert_eq!(plan.applied() - plan.prepaid_used() + plan.prepaid_added(), received);
            // never above what is owed, never negative except the balance used
            let mut paid_bills = Decimal::ZERO;
            for l in &plan.lines {
                match l.target {
                    Target::Principal(id) => {
                        let b = &bills[id as usize];
                        prop_assert!(l.amount > Decimal::ZERO && l.amount <= b.principal_owed);
                        paid_bills += l.amount;
                    }
                    Target::LateFee(id) => {
                        let b = &bills[id as usize];
                        prop_assert!(l.amount > Decimal::ZERO && l.amount <= b.late_fee_owed);
                        paid_bills += l.amount;
                    }
                    Target::Fee(id) => {
                        let f = &fees[(id - 100) as usize];
                        prop_assert!(l.amount > Decimal::ZERO && l.amount <= f.owed);
                    }
                    Target::PrepaidUse => prop_assert!(l.amount < Decimal::ZERO),
                    Target::PrepaidAdd => prop_assert!(l.amount > Decimal::ZERO),
                }
            }
            // the balance is used only for bills and never beyond itself
            prop_assert!(plan.prepaid_used() <= prepaid);
            prop_assert!(plan.prepaid_used() <= paid_bills);
            // each target paid at most once
            let mut seen = std::collections::HashSet::new();
            for l in &plan.lines {
                prop_assert!(seen.insert(l.target));
            }
            // oldest first: a bill gets money only when every older bill is fully paid
            for (i, b) in bills.iter().enumerate() {
                let got: Decimal = plan.lines.iter()
                    .filter(|l| matches!(l.target, Target::Principal(x) | Target::LateFee(x) if x == b.bill_id))
                    .map(|l| l.amount).sum();
                let later_got = plan.lines.iter().any(|l| matches!(
                    l.target, Target::Principal(x) | Target::LateFee(x) if x as usize > i));
                if later_got {
                    prop_assert_eq!(got, b.principal_owed + b.late_fee_owed);
                }
            }
            // a surplus only when everything owed is paid
            if plan.prepaid_added() > Decimal::ZERO {
                let owed: Decimal = bills.iter().map(|b| b.principal_owed + b.late_fee_owed).sum::<Decimal>()
                    + fees.iter().map(|f| f.owed).sum::<Decimal>();
                prop_assert_eq!(plan.applied(), owed);
            }
        }
    }
}

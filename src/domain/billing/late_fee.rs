//! 电费违约金 (late-payment penalty), 供电营业规则 as DOMAIN.md §5 reads it.
//!
//! How one bill's late fee is counted (all numbers come from the settings `penalty.*`):
//!
//! - Days: from the day **after** the due date through the payment day, both included
//!   (paid on the due date: nothing; paid the day after: one day).
//! - Each day charges `outstanding principal × rate`, where the outstanding principal of a
//!   day is the bill's amount less every principal payment made on **earlier** days (the
//!   payment day itself still counts on the amount owed that morning). A reversal (红冲)
//!   gives principal back from its own day on.
//! - Rate per day: residential customers `penalty.residential_permille` ‰. Everyone else:
//!   `penalty.other_current_permille` ‰ on arrears of the current year and
//!   `penalty.other_prior_permille` ‰ on arrears of earlier years. **Reading:** the
//!   arrears' year is the year of the bill's period (账期); a day in that same calendar year
//!   charges the current-year rate, a day in any later year the prior-year rate. So a
//!   2025-11 bill overdue from 2025-12-26 charges 2‰ through 2025-12-31 and 3‰ from
//!   2026-01-01 on; a 2025-12 bill falling due in January 2026 is prior-year arrears from its
//!   first overdue day.
//! - Days inside an outage / suspension period declared by the chief (from, to, both
//!   included) charge nothing.
//! - The daily amounts are added exactly and the sum is rounded half-up to the 分 **once**.
//! - Minimum charge: when `penalty.min_charge_enabled` and the sum is above zero but below
//!   `penalty.min_charge`, the fee is the minimum. A zero fee stays zero.
//! - A waived bill (the chief, with a reason) charges nothing, for all its days.
//!
//! What is still owed is this accrued fee less the late fee already paid on the bill.
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::Period;
use crate::domain::money::round_fen;

/// The penalty settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LateFeeRules {
    /// ‰ per day, residential
    pub residential_permille: Decimal,
    /// ‰ per day, others, arrears of the current year
    pub other_current_permille: Decimal,
    /// ‰ per day, others, arrears of earlier years
    pub other_prior_permille: Decimal,
    pub min_charge_enabled: bool,
    /// 元
    pub min_charge: Decimal,
}

impl LateFeeRules {
    /// The DOMAIN.md defaults (1‰, 2‰, 3‰, at least 1 元): for tests; the program reads
    /// the settings.
    pub fn domain_defaults() -> LateFeeRules {
        LateFeeRules {
            residential_permille: Decimal::ONE,
            other_current_permille: Decimal::TWO,
            other_prior_permille: Decimal::new(3, 0),
            min_charge_enabled: true,
            min_charge: Decimal::ONE,
        }
    }
}

/// Which rate applies: residential (居民生活) or any other usage category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeeClass {
    Residential,
    Other,
}

impl FeeClass {
    /// From the customer's usage category code: only `residential` is residential.
    pub fn of_usage(code: &str) -> FeeClass {
        if code == "residential" {
            FeeClass::Residential
        } else {
            FeeClass::Other
        }
    }
}

/// An outage / suspension period declared by the chief: no late fee accrues from `from`
/// through `to` (both included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outage {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Outage {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// What the late fee of one bill depends on.
#[derive(Clone, Debug, PartialEq)]
pub struct LateFeeBill<'a> {
    pub class: FeeClass,
    pub period: Period,
    pub due_date: NaiveDate,
    /// principal, 元
    pub amount: Decimal,
    /// principal paid (positive) or given back by a reversal (negative), by business day,
    /// in any order
    pub principal_changes: &'a [(NaiveDate, Decimal)],
    pub waived: bool,
}

/// Days overdue on `today` (0 until the day after the due date).
pub fn days_overdue(due_date: NaiveDate, today: NaiveDate) -> i64 {
    (today - due_date).num_days().max(0)
}

/// How one bill's late fee was counted on a day: what a receipt prints beside the amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LateFeeCount {
    /// the fee accrued, rounded once, minimum charge applied (not less what was paid)
    pub fee: Decimal,
    /// days that charged something
    pub days_charged: i64,
    /// overdue days inside a declared outage / suspension period (charged nothing)
    pub outage_days: i64,
    /// the minimum charge replaced a smaller sum
    pub minimum: bool,
}

impl LateFeeCount {
    const NONE: LateFeeCount = LateFeeCount {
        fee: Decimal::ZERO,
        days_charged: 0,
        outage_days: 0,
        minimum: false,
    };
}

/// The late fee the bill has accrued from the day after its due date through `through`
/// (the payment day), rounded once, with the minimum charge applied. Not less what was
/// already paid.
pub fn accrued_late_fee(
    bill: &LateFeeBill<'_>,
    through: NaiveDate,
    rules: &LateFeeRules,
    outages: &[Outage],
) -> Decimal {
    count_late_fee(bill, through, rules, outages).fee
}

/// [`accrued_late_fee`] with how it was counted.
pub fn count_late_fee(
    bill: &LateFeeBill<'_>,
    through: NaiveDate,
    rules: &LateFeeRules,
    outages: &[Outage],
) -> LateFeeCount {
    if bill.waived || through <= bill.due_date {
        return LateFeeCount::NONE;
    }
    let mut changes: Vec<(NaiveDate, Decimal)> = bill.principal_changes.to_vec();
    changes.sort_by_key(|(d, _)| *d);
    let thousand = Decimal::ONE_THOUSAND;
    let mut total = Decimal::ZERO;
    let mut outstanding = bill.amount;
    let mut next_change = 0;
    let mut day = bill.due_date;
    let (mut days_charged, mut outage_days) = (0, 0);
    while let Some(d) = day.succ_opt() {
        if d > through {
            break;
        }
        day = d;
        // payments of earlier days lower the amount the day charges on
        while let Some((when, amount)) = changes.get(next_change)
            && *when < d
        {
            outstanding -= *amount;
            next_change += 1;
        }
        if outstanding <= Decimal::ZERO {
            // fully paid: nothing accrues unless a later reversal reopens it
            if next_change >= changes.len() {
                break;
            }
            continue;
        }
        if outages.iter().any(|o| o.contains(d)) {
            outage_days += 1;
            continue;
        }
        let permille = match bill.class {
            FeeClass::Residential => rules.residential_permille,
            FeeClass::Other if d.year() > bill.period.year() => rules.other_prior_permille,
            FeeClass::Other => rules.other_current_permille,
        };
        total += outstanding * permille / thousand;
        days_charged += 1;
    }
    let fee = round_fen(total);
    if rules.min_charge_enabled && fee > Decimal::ZERO && fee < rules.min_charge {
        LateFeeCount {
            fee: round_fen(rules.min_charge),
            days_charged,
            outage_days,
            minimum: true,
        }
    } else {
        LateFeeCount {
            fee,
            days_charged,
            outage_days,
            minimum: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn bill<'a>(
        class: FeeClass,
        period: &str,
        due: &str,
        amount: &str,
        paid: &'a [(NaiveDate, Decimal)],
    ) -> LateFeeBill<'a> {
        LateFeeBill {
            class,
            period: Period::parse(period).unwrap(),
            due_date: day(due),
            amount: d(amount),
            principal_changes: paid,
            waived: false,
        }
    }
    fn fee(b: &LateFeeBill<'_>, through: &str) -> Decimal {
        accrued_late_fee(b, day(through), &LateFeeRules::domain_defaults(), &[])
    }

    #[test]
    fn residential_one_permille_per_day_from_the_day_after_the_due_date() {
        let b = bill(
            FeeClass::Residential,
            "2026-09",
            "2026-10-25",
            "235.60",
            &[],
        );
        // paid on the due date: nothing, and no minimum either
        assert_eq!(fee(&b, "2026-10-25"), d("0"));
        assert_eq!(fee(&b, "2026-10-01"), d("0"));
        // 2026-10-26 … 2026-11-24 = 30 days × 235.60 × 1‰ = 7.068 → 7.07
        assert_eq!(fee(&b, "2026-11-24"), d("7.07"));
        assert_eq!(days_overdue(day("2026-10-25"), day("2026-11-24")), 30);
        assert_eq!(days_overdue(day("2026-10-25"), day("2026-10-20")), 0);
    }

    #[test]
    fn minimum_charge_applies_to_a_small_positive_fee_only() {
        let b = bill(FeeClass::Residential, "2026-09", "2026-10-25", "80.00", &[]);
        // 5 days × 0.08 = 0.40 → at least 1.00
        assert_eq!(fee(&b, "2026-10-30"), d("1.00"));
        let mut off = LateFeeRules::domain_defaults();
        off.min_charge_enabled = false;
        assert_eq!(
            accrued_late_fee(&b, day("2026-10-30"), &off, &[]),
            d("0.40")
        );
        // a different minimum
        let mut two = LateFeeRules::domain_defaults();
        two.min_charge = d("2.50");
        assert_eq!(
            accrued_late_fee(&b, day("2026-10-30"), &two, &[]),
            d("2.50")
        );
        // above the minimum: the fee itself (15 days × 0.08 = 1.20)
        assert_eq!(fee(&b, "2026-11-09"), d("1.20"));
        // zero stays zero
        assert_eq!(fee(&b, "2026-10-25"), d("0"));
    }

    #[test]
    fn non_residential_current_year_then_prior_year_rate_from_january_first() {
        // 2025-11 bill due 2025-12-25, paid 2026-01-10:
        // 2025-12-26 … 12-31: 6 days × 1000 × 2‰ = 12.00
        // 2026-01-01 … 01-10: 10 days × 1000 × 3‰ = 30.00
        let b = bill(FeeClass::Other, "2025-11", "2025-12-25", "1000.00", &[]);
        assert_eq!(fee(&b, "2025-12-31"), d("12.00"));
        assert_eq!(fee(&b, "2026-01-10"), d("42.00"));
        // a December bill falling due in January is prior-year arrears from the first day:
        // 2026-01-21 … 01-30: 10 days × 1000 × 3‰
        let dec = bill(FeeClass::Other, "2025-12", "2026-01-20", "1000.00", &[]);
        assert_eq!(fee(&dec, "2026-01-30"), d("30.00"));
        // a residential customer has one rate across the boundary: 16 days × 1‰ × 1000
        let res = bill(
            FeeClass::Residential,
            "2025-11",
            "2025-12-25",
            "1000.00",
            &[],
        );
        assert_eq!(fee(&res, "2026-01-10"), d("16.00"));
        // an odd amount across the boundary, rounded once:
        // 6 × 333.33 × 0.002 = 3.99996; 4 × 333.33 × 0.003 = 3.99996 → 7.99992 → 8.00
        let odd = bill(FeeClass::Other, "2025-11", "2025-12-25", "333.33", &[]);
        assert_eq!(fee(&odd, "2026-01-04"), d("8.00"));
    }

    #[test]
    fn daily_amounts_are_added_then_rounded_once() {
        // 3 days × 33.35 × 1‰ = 0.10005 → 0.10 (rounding each day would give 0.09)
        let b = bill(FeeClass::Residential, "2026-09", "2026-10-25", "33.35", &[]);
        let mut off = LateFeeRules::domain_defaults();
        off.min_charge_enabled = false;
        assert_eq!(
            accrued_late_fee(&b, day("2026-10-28"), &off, &[]),
            d("0.10")
        );
        // half-up: 1 day × 5.00 × 1‰ = 0.005 → 0.01
        let five = bill(FeeClass::Residential, "2026-09", "2026-10-25", "5.00", &[]);
        assert_eq!(
            accrued_late_fee(&five, day("2026-10-26"), &off, &[]),
            d("0.01")
        );
    }

    #[test]
    fn partial_payments_lower_the_arrears_from_the_next_day() {
        // 200.00 due 10-25; 100.00 principal paid on 11-04:
        // 10-26 … 11-04: 10 days on 200 = 2.00; 11-05 … 11-14: 10 days on 100 = 1.00
        let paid = [(day("2026-11-04"), d("100.00"))];
        let b = bill(
            FeeClass::Residential,
            "2026-09",
            "2026-10-25",
            "200.00",
            &paid,
        );
        assert_eq!(fee(&b, "2026-11-14"), d("3.00"));
        // fully paid on 11-04: nothing accrues after
        let all = [(day("2026-11-04"), d("200.00"))];
        let b = bill(
            FeeClass::Residential,
            "2026-09",
            "2026-10-25",
            "200.00",
            &all,
        );
        assert_eq!(fee(&b, "2027-05-01"), d("2.00"));
        // a reversal on 11-09 gives the 200 back from 11-10: 2.00 + 5 days × 0.20
        let rev = [
            (day("2026-11-04"), d("200.00")),
            (day("2026-11-09"), d("-200.00")),
        ];
        let b = bill(
            FeeClass::Residential,
            "2026-09",
            "2026-10-25",
            "200.00",
            &rev,
        );
        assert_eq!(fee(&b, "2026-11-14"), d("3.00"));
        // payments before the due date lower the base from the start
        let early = [(day("2026-10-20"), d("150.00"))];
        let b = bill(
            FeeClass::Residential,
            "2026-09",
            "2026-10-25",
            "200.00",
            &early,
        );
        // 20 days × 50 × 1‰ = 1.00
        assert_eq!(fee(&b, "2026-11-14"), d("1.00"));
    }

    #[test]
    fn outage_days_accrue_nothing_and_waived_bills_nothing_at_all() {
        let b = bill(
            FeeClass::Residential,
            "2026-09",
            "2026-10-25",
            "235.60",
            &[],
        );
        let outage = [Outage {
            from: day("2026-10-28"),
            to: day("2026-11-03"),
        }];
        // 30 days − 7 outage days = 23 × 0.2356 = 5.4188 → 5.42
        let rules = LateFeeRules::domain_defaults();
        assert_eq!(
            accrued_late_fee(&b, day("2026-11-24"), &rules, &outage),
            d("5.42")
        );
        // before the outage: 10-26, 10-27 = 0.4712 → the minimum 1.00
        assert_eq!(
            accrued_late_fee(&b, day("2026-11-01"), &rules, &outage),
            d("1.00")
        );
        // overdue only inside an outage: nothing, so no minimum either
        let from_first_day = [Outage {
            from: day("2026-10-26"),
            to: day("2026-11-03"),
        }];
        assert_eq!(
            accrued_late_fee(&b, day("2026-11-01"), &rules, &from_first_day),
            d("0.00")
        );
        let waived = LateFeeBill {
            waived: true,
            ..b.clone()
        };
        assert_eq!(fee(&waived, "2026-11-24"), d("0"));
    }

    #[test]
    fn the_count_says_days_charged_outage_days_and_the_minimum() {
        let b = bill(
            FeeClass::Residential,
            "2026-09",
            "2026-10-25",
            "235.60",
            &[],
        );
        let outage = [Outage {
            from: day("2026-10-28"),
            to: day("2026-11-03"),
        }];
        let rules = LateFeeRules::domain_defaults();
        let c = count_late_fee(&b, day("2026-11-24"), &rules, &outage);
        assert_eq!(
            c,
            LateFeeCount {
                fee: d("5.42"),
                days_charged: 23,
                outage_days: 7,
                minimum: false,
            }
        );
        let small = count_late_fee(&b, day("2026-10-27"), &rules, &[]);
        assert_eq!(
            (small.fee, small.days_charged, small.minimum),
            (d("1.00"), 2, true)
        );
        // paid in full on 11-05: the days after charge nothing and are not counted
        let paid = [(day("2026-11-05"), d("235.60"))];
        let settled = bill(
            FeeClass::Residential,
            "2026-09",
            "2026-10-25",
            "235.60",
            &paid,
        );
        let c = count_late_fee(&settled, day("2026-11-24"), &rules, &[]);
        // 10-26 … 11-05 = 11 days × 0.2356 = 2.5916 → 2.59
        assert_eq!((c.fee, c.days_charged), (d("2.59"), 11));
    }

    proptest! {
        /// The fee never decreases as days pass, and never falls below what a shorter
        /// span accrued (before the minimum).
        #[test]
        fn fee_grows_with_time(
            amount in 1i64..10_000_000,
            days_a in 0i64..800,
            extra in 0i64..400,
            other in any::<bool>(),
        ) {
            let class = if other { FeeClass::Other } else { FeeClass::Residential };
            let due = day("2025-11-25");
            let b = LateFeeBill {
                class,
                period: Period::parse("2025-10").unwrap(),
                due_date: due,
                amount: Decimal::new(amount, 2),
                principal_changes: &[],
                waived: false,
            };
            let rules = LateFeeRules::domain_defaults();
            let a = accrued_late_fee(&b, due + chrono::Duration::days(days_a), &rules, &[]);
            let c = accrued_late_fee(&b, due + chrono::Duration::days(days_a + extra), &rules, &[]);
            prop_assert!(a <= c);
            prop_assert!(a >= Decimal::ZERO);
            prop_assert_eq!(round_fen(c), c);
        }
    }
}

//! Bills computed at the station (issue 15, started): the residential tiered tariff by the
//! year's cumulative consumption (a bill that crosses a tier boundary is split across the
//! tiers; the count starts again in January), flat prices for other categories, the review
//! flags a bill must have cleared before release, and the line loss of a 台区.
//!
//! Pure rules: no SQL, no clock. Every number comes from the settings (`DOMAIN.md` §5 gives
//! the defaults). Money is `Decimal` in 元; each tier's amount is rounded half-up to the 分
//! and the bill is the sum of its lines, so the printed lines add up to the total.
use rust_decimal::Decimal;

use super::money::round_fen;

/// The residential tiers: annual kWh limits and prices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tiers {
    /// the first tier ends here (kWh in the year)
    pub limit1: Decimal,
    /// the second tier ends here
    pub limit2: Decimal,
    pub price1: Decimal,
    pub price2: Decimal,
    pub price3: Decimal,
}

/// One line of a bill: kWh at one price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChargeLine {
    /// 1, 2 or 3 for a tier; 0 for a flat price
    pub tier: u8,
    pub kwh: Decimal,
    pub price: Decimal,
    /// `kwh × price`, half-up to the 分
    pub amount: Decimal,
}

/// The lines of a residential bill of `kwh`, when `before` kWh were already billed in the
/// same calendar year (0 for the year's first bill: the count starts again in January).
/// Tiers with no kWh in this bill are left out.
pub fn tiered(before: Decimal, kwh: Decimal, t: &Tiers) -> Vec<ChargeLine> {
    let before = before.max(Decimal::ZERO);
    let kwh = kwh.max(Decimal::ZERO);
    let end = before + kwh;
    let bands = [
        (1u8, Decimal::ZERO, t.limit1, t.price1),
        (2, t.limit1, t.limit2.max(t.limit1), t.price2),
        (3, t.limit2.max(t.limit1), Decimal::MAX, t.price3),
    ];
    let mut out = Vec::new();
    for (tier, lo, hi, price) in bands {
        // the part of (before, end] inside (lo, hi]
        let from = before.max(lo);
        let to = end.min(hi);
        if to > from {
            let part = to - from;
            out.push(ChargeLine {
                tier,
                kwh: part,
                price,
                amount: round_fen(part * price),
            });
        }
    }
    out
}

/// The line of a bill at a flat price.
pub fn flat(kwh: Decimal, price: Decimal) -> ChargeLine {
    let kwh = kwh.max(Decimal::ZERO);
    ChargeLine {
        tier: 0,
        kwh,
        price,
        amount: round_fen(kwh * price),
    }
}

/// The bill's amount: the sum of its lines.
pub fn total(lines: &[ChargeLine]) -> Decimal {
    lines.iter().map(|l| l.amount).sum()
}

crate::coded_enum! {
    /// Why a bill is held for review before release.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum ReviewFlag: "复核原因" {
        /// up or down more than the set share against the same month last year
        VersusLastYear = "vs_last_year" / "与去年同月相比突增突减",
        /// up or down more than the set share against the last three months' average
        VersusAverage = "vs_average" / "与近三月平均相比突增突减",
        /// no consumption on an account in use
        ZeroActive = "zero_active" / "在用户零电量",
        /// the reading is below the previous one (a rollover only when confirmed)
        BelowPrevious = "below_previous" / "示数小于上次",
        /// estimated three months running
        EstimatedThrice = "estimated_thrice" / "连续三个月估抄",
        /// the multiplier changed since the last bill
        MultiplierChanged = "multiplier_changed" / "倍率变化",
        /// the tariff category does not match the customer's usage category
        CategoryMismatch = "category_mismatch" / "电价类别与用电类别不符",
    }
}

/// What the review looks at for one bill.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewInput {
    pub kwh: Decimal,
    /// the same month last year, when billed
    pub last_year: Option<Decimal>,
    /// the last three months billed (fewer when the account is newer)
    pub recent: Vec<Decimal>,
    pub active: bool,
    /// the reading is below the previous one (a confirmed rollover or not)
    pub below_previous: bool,
    /// this reading and the two before it were estimated
    pub estimated_thrice: bool,
    pub multiplier_changed: bool,
    pub category_matches: bool,
}

/// `change` is off by more than `percent` % of `base` (a base of 0 with some consumption
/// counts as off).
fn off_by(change: Decimal, base: Decimal, percent: Decimal) -> bool {
    if base.is_zero() {
        return !change.is_zero();
    }
    (change - base).abs() * Decimal::ONE_HUNDRED > base.abs() * percent
}

/// The flags a bill raises; `percent` is the share (in %) a month may move against last
/// year's same month or the recent average before it is held.
pub fn review(r: &ReviewInput, percent: Decimal) -> Vec<ReviewFlag> {
    let mut out = Vec::new();
    if let Some(ly) = r.last_year
        && off_by(r.kwh, ly, percent)
    {
        out.push(ReviewFlag::VersusLastYear);
    }
    if !r.recent.is_empty() {
        let avg = r.recent.iter().copied().sum::<Decimal>() / Decimal::from(r.recent.len());
        if off_by(r.kwh, avg, percent) {
            out.push(ReviewFlag::VersusAverage);
        }
    }
    if r.active && r.kwh.is_zero() {
        out.push(ReviewFlag::ZeroActive);
    }
    if r.below_previous {
        out.push(ReviewFlag::BelowPrevious);
    }
    if r.estimated_thrice {
        out.push(ReviewFlag::EstimatedThrice);
    }
    if r.multiplier_changed {
        out.push(ReviewFlag::MultiplierChanged);
    }
    if !r.category_matches {
        out.push(ReviewFlag::CategoryMismatch);
    }
    out
}

/// The line loss of a 台区 in a month: supply (its summary meter) less sales (its
/// customers' billed kWh), and the rate in % to the hundredth (`None` without supply).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineLoss {
    pub supply: Decimal,
    pub sales: Decimal,
    pub loss: Decimal,
    pub rate: Option<Decimal>,
}

impl LineLoss {
    pub fn of(supply: Decimal, sales: Decimal) -> LineLoss {
        let loss = supply - sales;
        let rate = (!supply.is_zero()).then(|| {
            (loss * Decimal::ONE_HUNDRED / supply)
                .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        });
        LineLoss {
            supply,
            sales,
            loss,
            rate,
        }
    }

    /// Over the high threshold (in %), negative, or without supply: to be explained.
    pub fn flagged(&self, high_percent: Decimal) -> bool {
        match self.rate {
            Some(r) => r > high_percent || r < Decimal::ZERO,
            None => !self.sales.is_zero(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn shandong() -> Tiers {
        Tiers {
            limit1: d("2520"),
            limit2: d("4800"),
            price1: d("0.5469"),
            price2: d("0.5969"),
            price3: d("0.8469"),
        }
    }

    #[test]
    fn a_bill_within_the_first_tier() {
        let l = tiered(d("1000"), d("200"), &shandong());
        assert_eq!(l.len(), 1);
        // 200 × 0.5469 = 109.38
        assert_eq!((l[0].tier, l[0].amount), (1, d("109.38")));
        assert_eq!(total(&l), d("109.38"));
    }

    #[test]
    fn a_bill_across_a_tier_boundary_is_split() {
        // 2,400 kWh billed before; 300 this month: 120 at tier 1, 180 at tier 2
        let l = tiered(d("2400"), d("300"), &shandong());
        assert_eq!(l.len(), 2);
        assert_eq!(
            (l[0].tier, l[0].kwh, l[0].amount),
            (1, d("120"), d("65.63"))
        );
        // 180 × 0.5969 = 107.442 → 107.44
        assert_eq!(
            (l[1].tier, l[1].kwh, l[1].amount),
            (2, d("180"), d("107.44"))
        );
        assert_eq!(total(&l), d("173.07"));
        // across both boundaries at once: 2,500 before, 2,400 this time
        let l = tiered(d("2500"), d("2400"), &shandong());
        let kwh: Vec<Decimal> = l.iter().map(|x| x.kwh).collect();
        assert_eq!(kwh, vec![d("20"), d("2280"), d("100")]);
        // 10.938 → 10.94; 1,360.932 → 1,360.93; 84.69
        assert_eq!(total(&l), d("10.94") + d("1360.93") + d("84.69"));
    }

    #[test]
    fn the_count_starts_again_in_january() {
        // December: 4,900 before, all at tier 3; January: before is 0, tier 1 again
        let dec = tiered(d("4900"), d("100"), &shandong());
        assert_eq!((dec[0].tier, dec[0].amount), (3, d("84.69")));
        let jan = tiered(Decimal::ZERO, d("100"), &shandong());
        assert_eq!((jan[0].tier, jan[0].amount), (1, d("54.69")));
    }

    #[test]
    fn half_up_to_the_fen_and_flat_prices() {
        // 1 × 0.5465 = 0.5465 → 0.55 (half up), not 0.54
        let t = Tiers {
            price1: d("0.5465"),
            ..shandong()
        };
        assert_eq!(tiered(Decimal::ZERO, d("1"), &t)[0].amount, d("0.55"));
        assert_eq!(flat(d("333"), d("0.6355")).amount, d("211.62"));
        assert!(tiered(d("100"), Decimal::ZERO, &shandong()).is_empty());
    }

    #[test]
    fn each_review_flag_is_raised_and_not_raised() {
        let ok = ReviewInput {
            kwh: d("100"),
            last_year: Some(d("110")),
            recent: vec![d("90"), d("100"), d("110")],
            active: true,
            category_matches: true,
            ..Default::default()
        };
        assert!(review(&ok, d("50")).is_empty());
        let jump = ReviewInput {
            kwh: d("200"),
            ..ok.clone()
        };
        assert_eq!(
            review(&jump, d("50")),
            vec![ReviewFlag::VersusLastYear, ReviewFlag::VersusAverage]
        );
        // exactly 50 % more than the average is not more than 50 %
        let edge = ReviewInput {
            kwh: d("150"),
            last_year: None,
            ..ok.clone()
        };
        assert!(review(&edge, d("50")).is_empty());
        let zero = ReviewInput {
            kwh: Decimal::ZERO,
            last_year: None,
            recent: vec![],
            ..ok.clone()
        };
        assert_eq!(review(&zero, d("50")), vec![ReviewFlag::ZeroActive]);
        let inactive = ReviewInput {
            active: false,
            ..zero
        };
        assert!(review(&inactive, d("50")).is_empty());
        for (input, flag) in [
            (
                ReviewInput {
                    below_previous: true,
                    ..ok.clone()
                },
                ReviewFlag::BelowPrevious,
            ),
            (
                ReviewInput {
                    estimated_thrice: true,
                    ..ok.clone()
                },
                ReviewFlag::EstimatedThrice,
            ),
            (
                ReviewInput {
                    multiplier_changed: true,
                    ..ok.clone()
                },
                ReviewFlag::MultiplierChanged,
            ),
            (
                ReviewInput {
                    category_matches: false,
                    ..ok.clone()
                },
                ReviewFlag::CategoryMismatch,
            ),
        ] {
            assert_eq!(review(&input, d("50")), vec![flag]);
        }
    }

    proptest::proptest! {
        /// Whatever was billed before, a bill's lines hold its kWh exactly, and a month
        /// billed in two parts puts as many kWh in each tier as billed at once.
        #[test]
        fn the_tiers_hold_every_kwh_once(before in 0u32..8000, a in 0u32..3000, b in 0u32..3000) {
            let t = shandong();
            let (before, a, b) = (Decimal::from(before), Decimal::from(a), Decimal::from(b));
            let once = tiered(before, a + b, &t);
            proptest::prop_assert_eq!(once.iter().map(|l| l.kwh).sum::<Decimal>(), a + b);
            let mut split = [Decimal::ZERO; 4];
            for l in tiered(before, a, &t).iter().chain(tiered(before + a, b, &t).iter()) {
                split[usize::from(l.tier)] += l.kwh;
            }
            let mut whole = [Decimal::ZERO; 4];
            for l in &once {
                whole[usize::from(l.tier)] += l.kwh;
            }
            proptest::prop_assert_eq!(split, whole);
        }
    }

    #[test]
    fn line_loss_and_its_flags() {
        let l = LineLoss::of(d("10000"), d("9300"));
        assert_eq!((l.loss, l.rate), (d("700"), Some(d("7.00"))));
        assert!(!l.flagged(d("10")));
        let high = LineLoss::of(d("10000"), d("8800"));
        assert!(high.flagged(d("10")));
        let negative = LineLoss::of(d("10000"), d("10150"));
        assert_eq!(negative.rate, Some(d("-1.50")));
        assert!(negative.flagged(d("10")));
        // 1/3 % → 33.33
        assert_eq!(LineLoss::of(d("3"), d("2")).rate, Some(d("33.33")));
        // sales with no supply read: flagged, no rate
        let none = LineLoss::of(Decimal::ZERO, d("5"));
        assert_eq!(none.rate, None);
        assert!(none.flagged(d("10")));
    }
}

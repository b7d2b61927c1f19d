//! One customer's bill for one period, computed at the station (核算, issue 15): the
//! consumption of every meter segment (a swap gives two, each with its own multiplier), the
//! tariff (residential tiers by the year's kWh before this bill; flat prices otherwise) and
//! the review flags the bill raises.
//!
//! Pure: the service loads what is needed and stores what comes out.
use rust_decimal::Decimal;

use super::customer::UsageCategory;
use super::meter::{self, AdvanceError, Segment};
use super::money::round_fen;
use super::tariff::{self, ChargeLine, ReviewFlag, ReviewInput, Tiers};

/// The prices in force (settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prices {
    pub tiers: Tiers,
    pub commercial: Decimal,
    pub agricultural: Decimal,
    pub industrial: Decimal,
}

/// What one customer's bill is computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillInputs {
    pub usage: UsageCategory,
    /// the tariff applied when it is not the usage category (the customer's `tariff_code`)
    pub tariff: Option<UsageCategory>,
    pub active: bool,
    pub segments: Vec<Segment>,
    /// kWh billed earlier in the same calendar year
    pub year_before: Decimal,
    /// kWh of the same month last year, when billed
    pub last_year: Option<Decimal>,
    /// kWh of the last three months billed
    pub recent: Vec<Decimal>,
    /// this reading is estimated, and so were the two before it
    pub estimated_thrice: bool,
    /// the multiplier of the last bill, when there was one
    pub last_multiplier: Option<u32>,
}

/// A computed bill and what it raises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Computed {
    /// whole kWh billed (the consumption half-up to the kWh)
    pub kwh: i64,
    pub tariff: UsageCategory,
    pub lines: Vec<ChargeLine>,
    pub amount: Decimal,
    /// the multiplier of the current meter
    pub multiplier: u32,
    pub flags: Vec<(ReviewFlag, String)>,
}

/// Consumption to whole kWh, half-up (readings carry up to 2 decimals).
pub fn whole_kwh(v: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    v.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .unwrap_or(0)
}

/// The bill of `i`; `percent` is the review threshold for a jump or a fall.
pub fn compute(
    i: &BillInputs,
    prices: &Prices,
    percent: Decimal,
) -> Result<Computed, AdvanceError> {
    let used = meter::consumption(&i.segments)?;
    let kwh = whole_kwh(used);
    let k = Decimal::from(kwh);
    let tariff = i.tariff.unwrap_or(i.usage);
    let lines = match tariff {
        UsageCategory::Residential => tariff::tiered(i.year_before, k, &prices.tiers),
        UsageCategory::Commercial => vec![tariff::flat(k, prices.commercial)],
        UsageCategory::Agricultural => vec![tariff::flat(k, prices.agricultural)],
        UsageCategory::Industrial => vec![tariff::flat(k, prices.industrial)],
    };
    let lines: Vec<ChargeLine> = lines.into_iter().filter(|l| !l.kwh.is_zero()).collect();
    let amount = round_fen(tariff::total(&lines));
    let multiplier = i.segments.last().map_or(1, |s| s.multiplier);
    let below = i.segments.iter().any(|s| s.to < s.from);
    let changed = i.last_multiplier.is_some_and(|m| m != multiplier)
        || i.segments
            .windows(2)
            .any(|w| w[0].multiplier != w[1].multiplier);
    let input = ReviewInput {
        kwh: k,
        last_year: i.last_year,
        recent: i.recent.clone(),
        active: i.active,
        below_previous: below,
        estimated_thrice: i.estimated_thrice,
        multiplier_changed: changed,
        category_matches: tariff == i.usage,
    };
    let flags = tariff::review(&input, percent)
        .into_iter()
        .map(|f| {
            let detail = match f {
                ReviewFlag::VersusLastYear => {
                    format!(
                        "本月 {kwh} kWh，去年同月 {}",
                        i.last_year.unwrap_or_default()
                    )
                }
                ReviewFlag::VersusAverage => {
                    let avg = i.recent.iter().copied().sum::<Decimal>()
                        / Decimal::from(i.recent.len().max(1));
                    format!("本月 {kwh} kWh，近三月平均 {}", avg.round_dp(0))
                }
                ReviewFlag::ZeroActive => "在用户本月零电量".to_string(),
                ReviewFlag::BelowPrevious => "示数小于上次，已确认走满归零".to_string(),
                ReviewFlag::EstimatedThrice => "本月及前两月均为估抄".to_string(),
                ReviewFlag::MultiplierChanged => format!(
                    "倍率 {} → {multiplier}",
                    i.last_multiplier
                        .or_else(|| i.segments.first().map(|s| s.multiplier))
                        .unwrap_or(multiplier)
                ),
                ReviewFlag::CategoryMismatch => {
                    format!("执行{}电价，用电类别为{}", tariff.label(), i.usage.label())
                }
            };
            (f, detail)
        })
        .collect();
    Ok(Computed {
        kwh,
        tariff,
        lines,
        amount,
        multiplier,
        flags,
    })
}

/// The lines as stored: `tier:kwh:price:amount_fen;…`.
pub fn lines_text(lines: &[ChargeLine]) -> String {
    lines
        .iter()
        .map(|l| {
            format!(
                "{}:{}:{}:{}",
                l.tier,
                l.kwh.normalize(),
                l.price.normalize(),
                super::money::to_fen(l.amount).unwrap_or(0)
            )
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The lines read back (lines that do not parse are left out).
pub fn parse_lines(text: &str) -> Vec<ChargeLine> {
    text.split(';')
        .filter_map(|part| {
            let mut it = part.split(':');
            let tier = it.next()?.parse().ok()?;
            let kwh = it.next()?.parse().ok()?;
            let price = it.next()?.parse().ok()?;
            let fen: i64 = it.next()?.parse().ok()?;
            Some(ChargeLine {
                tier,
                kwh,
                price,
                amount: super::money::from_fen(fen),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn prices() -> Prices {
        Prices {
            tiers: Tiers {
                limit1: d("2520"),
                limit2: d("4800"),
                price1: d("0.5469"),
                price2: d("0.5969"),
                price3: d("0.8469"),
            },
            commercial: d("0.68"),
            agricultural: d("0.48"),
            industrial: d("0.65"),
        }
    }

    fn seg(from: &str, to: &str, m: u32) -> Segment {
        Segment {
            from: d(from),
            to: d(to),
            multiplier: m,
            digits: Some(5),
            rollover_confirmed: false,
        }
    }

    fn household(segments: Vec<Segment>) -> BillInputs {
        BillInputs {
            usage: UsageCategory::Residential,
            tariff: None,
            active: true,
            segments,
            year_before: Decimal::ZERO,
            last_year: Some(d("200")),
            recent: vec![d("200"), d("210"), d("190")],
            estimated_thrice: false,
            last_multiplier: Some(1),
        }
    }

    #[test]
    fn a_bill_across_a_tier_boundary_is_split() {
        let mut i = household(vec![seg("1000", "1300", 1)]);
        i.year_before = d("2400");
        i.last_year = Some(d("300"));
        i.recent = vec![d("300")];
        let c = compute(&i, &prices(), d("50")).unwrap();
        assert_eq!(c.kwh, 300);
        assert_eq!(c.lines.len(), 2);
        assert_eq!((c.lines[0].tier, c.lines[0].kwh), (1, d("120")));
        assert_eq!((c.lines[1].tier, c.lines[1].kwh), (2, d("180")));
        // 120 × 0.5469 = 65.628 → 65.63; 180 × 0.5969 = 107.442 → 107.44
        assert_eq!(c.amount, d("173.07"));
        assert!(c.flags.is_empty(), "{:?}", c.flags);
    }

    #[test]
    fn january_starts_the_count_again() {
        let mut i = household(vec![seg("0", "300", 1)]);
        i.year_before = Decimal::ZERO;
        i.last_year = None;
        i.recent = vec![];
        let c = compute(&i, &prices(), d("50")).unwrap();
        assert_eq!(c.lines.len(), 1);
        assert_eq!(c.amount, d("164.07"));
    }

    #[test]
    fn a_swap_bills_both_segments_with_their_multipliers() {
        // old meter 500 → 560 at ×1, new meter 0 → 3 at ×40 (a CT meter)
        let mut i = household(vec![seg("500", "560", 1), seg("0", "3", 40)]);
        i.usage = UsageCategory::Commercial;
        i.last_year = None;
        i.recent = vec![];
        let c = compute(&i, &prices(), d("50")).unwrap();
        assert_eq!(c.kwh, 180);
        assert_eq!(c.amount, d("122.40"));
        assert_eq!(c.multiplier, 40);
        assert_eq!(c.flags[0].0, ReviewFlag::MultiplierChanged);
    }

    #[test]
    fn each_flag_is_raised_and_not_raised() {
        let p = prices();
        let base = household(vec![seg("1000", "1200", 1)]);
        assert!(compute(&base, &p, d("50")).unwrap().flags.is_empty());
        let flags = |i: &BillInputs| -> Vec<ReviewFlag> {
            compute(i, &p, d("50"))
                .unwrap()
                .flags
                .into_iter()
                .map(|f| f.0)
                .collect()
        };
        let mut jump = base.clone();
        jump.segments = vec![seg("1000", "1400", 1)];
        assert_eq!(
            flags(&jump),
            vec![ReviewFlag::VersusLastYear, ReviewFlag::VersusAverage]
        );
        let mut zero = base.clone();
        zero.segments = vec![seg("1000", "1000", 1)];
        assert!(flags(&zero).contains(&ReviewFlag::ZeroActive));
        zero.active = false;
        assert!(!flags(&zero).contains(&ReviewFlag::ZeroActive));
        let mut roll = base.clone();
        roll.segments = vec![Segment {
            rollover_confirmed: true,
            ..seg("99900", "100", 1)
        }];
        assert_eq!(compute(&roll, &p, d("50")).unwrap().kwh, 200);
        assert_eq!(flags(&roll), vec![ReviewFlag::BelowPrevious]);
        roll.segments[0].rollover_confirmed = false;
        assert!(compute(&roll, &p, d("50")).is_err());
        let mut est = base.clone();
        est.estimated_thrice = true;
        assert_eq!(flags(&est), vec![ReviewFlag::EstimatedThrice]);
        let mut mult = base.clone();
        mult.last_multiplier = Some(5);
        assert_eq!(flags(&mult), vec![ReviewFlag::MultiplierChanged]);
        let mut cat = base.clone();
        cat.tariff = Some(UsageCategory::Commercial);
        assert_eq!(flags(&cat), vec![ReviewFlag::CategoryMismatch]);
        assert_eq!(compute(&cat, &p, d("50")).unwrap().amount, d("136.00"));
    }

    #[test]
    fn lines_round_trip_through_text() {
        let mut i = household(vec![seg("0", "4900", 1)]);
        i.year_before = Decimal::ZERO;
        let c = compute(&i, &prices(), d("50")).unwrap();
        assert_eq!(c.lines.len(), 3);
        assert_eq!(parse_lines(&lines_text(&c.lines)), c.lines);
    }

    #[test]
    fn whole_kwh_rounds_half_up() {
        assert_eq!(whole_kwh(d("10.5")), 11);
        assert_eq!(whole_kwh(d("10.49")), 10);
        assert_eq!(whole_kwh(d("0")), 0);
    }
}

//! What the demo customers do over the year (pure: no database): their bills and when
//! they come to pay. Deterministic from the seed.
use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::domain::billing::Period;

/// How a demo customer pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Habit {
    /// pays each bill between the 3rd and the 24th of the month it is issued (due the 25th)
    OnTime,
    /// on time, except about one bill in four paid days or weeks late
    SometimesLate,
    /// keeps a prepaid balance: tops up every six months; bills are offset at issue
    Prepaid,
    /// stopped paying with the November bill: arrears across the year boundary; some of
    /// them pay everything off four months later and pay on time again
    YearEndArrears { pays_off: bool },
    /// always pays last month's bill after its due date: in arrears every month
    MonthlyLate,
}

/// What a customer pays at an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pays {
    /// everything owed on bills (less the prepaid balance)
    AllOwed,
    /// the bills already past their due date, with their late fees
    Overdue,
    /// a deposit, 分
    Deposit(i64),
}

/// One visit to the counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Visit {
    pub at: NaiveDateTime,
    /// index into the customer list
    pub customer: u32,
    pub pays: Pays,
    /// index into the cashiers
    pub cashier: u8,
}

/// A demo customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DemoCustomer {
    pub id: i64,
    pub residential: bool,
    pub habit: Habit,
}

/// splitmix64: a well-mixed hash of the inputs.
pub(crate) fn mix(seed: u64, a: u64, b: u64) -> u64 {
    let mut z = seed
        .wrapping_add(a.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .wrapping_add(b.wrapping_mul(0xbf58_476d_1ce4_e5b9));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Most households are on the prepaid scheme (智能交费, topping up at the counter twice a
/// year): 68 % prepaid, 14 % pay each bill on time, 6 % sometimes late, 6 % in arrears
/// across the year end (half of them pay off in the spring), 6 % late every month.
pub(crate) fn habit(seed: u64, id: i64) -> Habit {
    let h = mix(seed, id as u64, 1);
    match h % 100 {
        0..=67 => Habit::Prepaid,
        68..=81 => Habit::OnTime,
        82..=87 => Habit::SometimesLate,
        88..=93 => Habit::YearEndArrears {
            pays_off: (h >> 20).is_multiple_of(2),
        },
        _ => Habit::MonthlyLate,
    }
}

/// The twelve periods billed: the year ending last month.
pub(crate) fn periods(today: NaiveDate) -> Vec<Period> {
    let last = Period::of(today).prev();
    (0..12).map(|i| last.plus(i - 11)).collect()
}

/// Bills are issued on the 1st of the next month at 08:00 and fall due on the 25th.
pub(crate) fn issue_day(p: Period) -> NaiveDate {
    p.next().first_day()
}

pub(crate) fn due_day(p: Period) -> NaiveDate {
    issue_day(p) + Duration::days(24)
}

/// kWh of a month: households 60–260 (more in summer and winter), others 300–3,300; each
/// customer's own level, moved ±10 % from month to month (a bill's review compares it with
/// the customer's own history, so the level is the customer's, not the month's).
pub(crate) fn kwh(seed: u64, c: &DemoCustomer, p: Period) -> i64 {
    let own = mix(seed, c.id as u64, 0x006b_7768);
    let h = mix(
        seed,
        c.id as u64,
        u64::from(p.month()) + 100 * p.year() as u64,
    );
    let season = match p.month() {
        7 | 8 | 12 | 1 => 140,
        6 | 9 | 2 => 115,
        _ => 100,
    };
    let base = if c.residential {
        60 + (own % 200) as i64
    } else {
        300 + (own % 3000) as i64
    };
    base * season * (90 + (h % 21) as i64) / 10_000
}

fn at(day: NaiveDate, seed: u64, id: i64, salt: u64) -> NaiveDateTime {
    let minutes = 30 + (mix(seed, id as u64, salt) % 510) as i64;
    day.and_hms_opt(8, 0, 0).unwrap_or_default() + Duration::minutes(minutes)
}

/// Every visit of the year up to `now`, in time order.
pub(crate) fn visits(
    seed: u64,
    customers: &[DemoCustomer],
    periods: &[Period],
    cashiers: usize,
    now: NaiveDateTime,
    // (by the customer's place in `customers`)
    typical_bill: impl Fn(usize) -> i64,
) -> Vec<Visit> {
    let cashiers = cashiers.max(1) as u64;
    // arrears start with the latest November bill that is not the last month's
    let stop = periods[..periods.len() - 1]
        .iter()
        .rposition(|p| p.month() == 11)
        .unwrap_or(periods.len().saturating_sub(4));
    let mut out = Vec::new();
    // an on-time payer whose latest bill is still open: the one who comes in today when
    // nobody else has (the demo built early in the morning, on a Sunday or a holiday)
    let mut walk_in: Option<u32> = None;
    for (i, c) in customers.iter().enumerate() {
        let mut push = |day: NaiveDate, salt: u64, pays: Pays| {
            let when = at(day, seed, c.id, salt);
            if when <= now {
                out.push(Visit {
                    at: when,
                    customer: i as u32,
                    pays,
                    cashier: (mix(seed, c.id as u64, salt + 7) % cashiers) as u8,
                });
            }
        };
        for (k, p) in periods.iter().enumerate() {
            let h = mix(seed, c.id as u64, 1000 + k as u64);
            let on_time = issue_day(*p) + Duration::days(2 + (h % 22) as i64);
            if c.habit == Habit::OnTime
                && k + 1 == periods.len()
                && walk_in.is_none()
                && issue_day(*p) <= now.date()
                && at(on_time, seed, c.id, k as u64) > now
            {
                walk_in = Some(i as u32);
            }
            match c.habit {
                Habit::OnTime => push(on_time, k as u64, Pays::AllOwed),
                Habit::SometimesLate if h.is_multiple_of(4) => push(
                    due_day(*p) + Duration::days(3 + ((h >> 8) % 25) as i64),
                    k as u64,
                    Pays::Overdue,
                ),
                Habit::SometimesLate => push(on_time, k as u64, Pays::AllOwed),
                Habit::Prepaid if k % 6 == 0 => {
                    let deposit = (typical_bill(i) * 6 / 10_000 + 1) * 10_000;
                    push(
                        issue_day(*p) + Duration::days(4 + (h % 10) as i64),
                        k as u64,
                        Pays::Deposit(deposit),
                    )
                }
                Habit::Prepaid => {}
                Habit::YearEndArrears { .. } if k < stop => push(on_time, k as u64, Pays::AllOwed),
                // four bills unpaid across the year end; some pay it all off with the
                // late fees two weeks after the fifth is issued, then pay on time again
                Habit::YearEndArrears { pays_off: true } if k == stop + 4 => {
                    push(issue_day(*p) + Duration::days(14), k as u64, Pays::AllOwed)
                }
                Habit::YearEndArrears { pays_off: true } if k > stop + 4 => {
                    push(on_time, k as u64, Pays::AllOwed)
                }
                Habit::YearEndArrears { .. } => {}
                Habit::MonthlyLate => push(
                    due_day(*p) + Duration::days(8 + (h % 12) as i64),
                    k as u64,
                    Pays::Overdue,
                ),
            }
        }
    }
    // the README promises a receipt of today (left unprinted, as after a crash): whatever
    // the hour or the day the demo is built
    if !out.iter().any(|v| v.at.date() == now.date())
        && let Some(customer) = walk_in
    {
        let at = (now - Duration::minutes(5)).max(now.date().and_hms_opt(0, 0, 0).unwrap_or(now));
        out.push(Visit {
            at,
            customer,
            pays: Pays::AllOwed,
            cashier: 0,
        });
    }
    out.sort_by_key(|v| (v.at, v.customer));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_year_of_visits_in_time_order_none_in_the_future() {
        let now = day("2026-11-24").and_hms_opt(9, 0, 0).unwrap();
        let ps = periods(now.date());
        assert_eq!(ps[0].to_string(), "2025-11");
        assert_eq!(ps[11].to_string(), "2026-10");
        assert_eq!(due_day(ps[11]), day("2026-11-25"));
        let customers: Vec<DemoCustomer> = (1..=400)
            .map(|id| DemoCustomer {
                id,
                residential: id % 10 != 0,
                habit: habit(7, id),
            })
            .collect();
        let habits: std::collections::HashSet<_> = customers
            .iter()
            .map(|c| std::mem::discriminant(&c.habit))
            .collect();
        assert_eq!(habits.len(), 5, "every habit appears");
        let v = visits(7, &customers, &ps, 2, now, |_| 10_000);
        assert!(v.windows(2).all(|w| w[0].at <= w[1].at));
        assert!(v.iter().all(|x| x.at <= now && x.cashier < 2));
        assert!(v.iter().any(|x| matches!(x.pays, Pays::Deposit(_))));
        assert!(v.iter().any(|x| x.pays == Pays::Overdue));
        // in arrears since the 2025-11 bill: no visit at all, or one pay-off on 2026-04-15
        // and on time after
        let of = |pays_off: bool| -> Vec<u32> {
            customers
                .iter()
                .enumerate()
                .filter(|(_, c)| c.habit == Habit::YearEndArrears { pays_off })
                .map(|(i, _)| i as u32)
                .collect()
        };
        let (never, later) = (of(false), of(true));
        assert!(!never.is_empty() && !later.is_empty());
        assert!(v.iter().all(|x| !never.contains(&x.customer)));
        let first = v.iter().find(|x| x.customer == later[0]).unwrap();
        assert_eq!(first.at.date(), day("2026-04-15"));
        assert_eq!(first.pays, Pays::AllOwed);
    }
}

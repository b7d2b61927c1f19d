//! Payment grade (信誉等级), recomputed from the last 12 months.
//!
//! Definitions (N is the setting `grade.late_times_per_year`, default 2):
//!
//! - **Window:** the bills of the twelve periods before the current month (on 2026-11-24:
//!   2025-11 … 2026-10). Only bills already due (due date before today) are judged; a bill
//!   still within its payment time is neither on time nor late yet.
//! - **Late:** a judged bill whose principal was fully paid after its due date, or is still
//!   not fully paid. Paid on the due date is on time.
//! - **每月欠费** (in arrears every month): every judged bill of the window was late, and
//!   there are at least N of them (one late bill of a new customer is not "every month").
//! - **多次逾期** (late ≥ N times): at least N judged bills of the window were late.
//! - **预付费** (prepaid): otherwise, when the customer holds a prepaid balance (预收) now.
//! - **按月缴费** (pays monthly on time): everyone else, including a new customer with no
//!   bill judged yet.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Period;

crate::coded_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum PaymentGrade: "缴费信誉等级" {
        /// 预付费
        Prepaid = "prepaid" / "预付费",
        /// 按月缴费
        OnTime = "on_time" / "按月缴费",
        /// 多次逾期
        OftenLate = "often_late" / "多次逾期",
        /// 每月欠费
        AlwaysInArrears = "always_in_arrears" / "每月欠费",
    }
}

/// One bill as the grade sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BillRecord {
    pub period: Period,
    pub due_date: NaiveDate,
    /// the day its principal became fully paid; `None` while any is owed
    pub settled_on: Option<NaiveDate>,
}

impl BillRecord {
    /// Late as judged on `today` (see the module documentation).
    pub fn late(&self, today: NaiveDate) -> bool {
        if self.due_date >= today {
            return false;
        }
        match self.settled_on {
            Some(d) => d > self.due_date,
            None => true,
        }
    }
}

/// The grade on `today`; `late_times` is N.
pub fn grade(
    bills: &[BillRecord],
    prepaid_balance: Decimal,
    today: NaiveDate,
    late_times: i64,
) -> PaymentGrade {
    let current = Period::of(today);
    let first = current.plus(-12);
    let judged: Vec<&BillRecord> = bills
        .iter()
        .filter(|b| b.period >= first && b.period < current && b.due_date < today)
        .collect();
    let late = judged.iter().filter(|b| b.late(today)).count() as i64;
    let n = late_times.max(1);
    if !judged.is_empty() && late == judged.len() as i64 && late >= n {
        PaymentGrade::AlwaysInArrears
    } else if late >= n {
        PaymentGrade::OftenLate
    } else if prepaid_balance > Decimal::ZERO {
        PaymentGrade::Prepaid
    } else {
        PaymentGrade::OnTime
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Twelve monthly bills 2025-11 … 2026-10, due on the 25th of the next month, each paid
    /// `delay(i)` days after its due date (`None`: unpaid).
    fn year(delay: impl Fn(usize) -> Option<i64>) -> Vec<BillRecord> {
        let first = Period::parse("2025-11").unwrap();
        (0..12)
            .map(|i| {
                let period = first.plus(i as i32);
                let due = period.next().first_day() + chrono::Duration::days(24);
                BillRecord {
                    period,
                    due_date: due,
                    settled_on: delay(i).map(|d| due + chrono::Duration::days(d)),
                }
            })
            .collect()
    }

    const TODAY: &str = "2026-11-24";

    #[test]
    fn the_four_grades() {
        let today = day(TODAY);
        let zero = Decimal::ZERO;
        // all on time (some early, some on the due date); the 2026-10 bill is not due yet
        let on_time = year(|i| if i == 11 { None } else { Some(-(i as i64 % 3)) });
        assert_eq!(grade(&on_time, zero, today, 2), PaymentGrade::OnTime);
        // the same with a prepaid balance
        assert_eq!(
            grade(&on_time, Decimal::new(5000, 2), today, 2),
            PaymentGrade::Prepaid
        );
        // late once: still on time with N = 2, often late with N = 1
        let once = year(|i| match i {
            3 => Some(4),
            11 => None,
            _ => Some(0),
        });
        assert_eq!(grade(&once, zero, today, 2), PaymentGrade::OnTime);
        assert_eq!(grade(&once, zero, today, 1), PaymentGrade::OftenLate);
        // late twice (one paid late, one never paid): often late, even with a balance
        let twice = year(|i| match i {
            3 => Some(4),
            7 => None,
            11 => None,
            _ => Some(0),
        });
        assert_eq!(
            grade(&twice, Decimal::ONE, today, 2),
            PaymentGrade::OftenLate
        );
        // every judged bill late
        let always = year(|i| if i % 2 == 0 { Some(10) } else { None });
        assert_eq!(
            grade(&always, zero, today, 2),
            PaymentGrade::AlwaysInArrears
        );
        // bills outside the window do not count: the same late year judged two years on
        assert_eq!(
            grade(&always, zero, day("2028-11-24"), 2),
            PaymentGrade::OnTime
        );
        // one late bill of a new customer is not "every month"
        let new = [BillRecord {
            period: Period::parse("2026-09").unwrap(),
            due_date: day("2026-10-25"),
            settled_on: None,
        }];
        assert_eq!(grade(&new, zero, today, 2), PaymentGrade::OnTime);
        assert_eq!(grade(&[], zero, today, 2), PaymentGrade::OnTime);
    }

    #[test]
    fn a_bill_is_late_only_once_its_due_date_has_passed() {
        let b = BillRecord {
            period: Period::parse("2026-10").unwrap(),
            due_date: day("2026-11-25"),
            settled_on: None,
        };
        assert!(!b.late(day("2026-11-25")));
        assert!(b.late(day("2026-11-26")));
        let paid = BillRecord {
            settled_on: Some(day("2026-11-25")),
            ..b
        };
        assert!(!paid.late(day("2027-01-01")));
        let late = BillRecord {
            settled_on: Some(day("2026-11-26")),
            ..b
        };
        assert!(late.late(day("2027-01-01")));
    }
}

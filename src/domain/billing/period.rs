//! A billing period (账期): one calendar month, written `YYYY-MM`.
use std::fmt;

use chrono::{Datelike, NaiveDate};

/// Why a typed 账期 is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("账期“{0}”格式不对，应为 年-月，如 2026-10")]
    Form(String),
    #[error("账期“{0}”的月份应在 1 到 12 之间")]
    Month(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    /// `None` unless 1 ≤ month ≤ 12 and the year has four digits.
    pub fn new(year: i32, month: u32) -> Option<Period> {
        ((1000..=9999).contains(&year) && (1..=12).contains(&month))
            .then_some(Period { year, month })
    }

    /// The period a date falls in.
    pub fn of(date: NaiveDate) -> Period {
        Period {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Parse `YYYY-MM` (also `YYYY-M`, `YYYYMM`, `YYYY/MM`), with a Chinese message.
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        let t = text.trim();
        let bad = || PeriodError::Form(t.to_string());
        let (y, m) = if let Some((y, m)) = t.split_once(['-', '/']) {
            (y, m)
        } else if t.len() == 6 && t.chars().all(|c| c.is_ascii_digit()) {
            t.split_at(4)
        } else {
            return Err(bad());
        };
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        Period::new(year, month).ok_or_else(|| PeriodError::Month(t.to_string()))
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// First day of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Last day of the month.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    pub fn next(self) -> Period {
        self.plus(1)
    }

    pub fn prev(self) -> Period {
        self.plus(-1)
    }

    /// This period moved by `months` (negative: earlier).
    pub fn plus(self, months: i32) -> Period {
        let index = self.year * 12 + self.month as i32 - 1 + months;
        Period {
            year: index.div_euclid(12),
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    /// `2026年10月`
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

impl fmt::Display for Period {
    /// `2026-10` (the stored form).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_display_and_arithmetic() {
        let p = Period::parse("2026-10").unwrap();
        assert_eq!(p.to_string(), "2026-10");
        assert_eq!(p.label(), "2026年10月");
        assert_eq!(Period::parse("2026-1").unwrap().to_string(), "2026-01");
        assert_eq!(Period::parse("202601").unwrap().to_string(), "2026-01");
        assert_eq!(Period::parse("2026/12").unwrap().to_string(), "2026-12");
        assert_eq!(
            Period::parse("2026-13").unwrap_err().to_string(),
            "账期“2026-13”的月份应在 1 到 12 之间"
        );
        assert!(Period::parse("26-10").is_err());
        assert!(Period::parse("2026-10-01").is_err());
        assert!(Period::parse("").is_err());
        assert_eq!(p.next().to_string(), "2026-11");
        assert_eq!(
            Period::parse("2026-12").unwrap().next().to_string(),
            "2027-01"
        );
        assert_eq!(
            Period::parse("2026-01").unwrap().prev().to_string(),
            "2025-12"
        );
        assert_eq!(p.plus(-12).to_string(), "2025-10");
        assert_eq!(p.plus(-22).to_string(), "2024-12");
        assert_eq!(
            Period::parse("2024-02").unwrap().last_day(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert!(Period::parse("2025-12").unwrap() < Period::parse("2026-01").unwrap());
    }
}

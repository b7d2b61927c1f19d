//! Time is injected: domain and service code ask a [`Clock`], never the system.
use chrono::{NaiveDate, NaiveDateTime};
use std::sync::{Arc, Mutex};

/// Source of "now" (local wall-clock time of the station).
pub trait Clock: Send + Sync {
    fn now(&self) -> NaiveDateTime;
    fn today(&self) -> NaiveDate {
        self.now().date()
    }
}

/// A clock that stands still (or is moved by hand): for tests and benchmarks.
#[derive(Clone, Debug)]
pub struct FixedClock(Arc<Mutex<NaiveDateTime>>);

impl FixedClock {
    pub fn new(at: NaiveDateTime) -> Self {
        Self(Arc::new(Mutex::new(at)))
    }
    /// A fixed clock at `y-m-d h:mi:00`; panics on an impossible date (tests only).
    pub fn at(y: i32, m: u32, d: u32, h: u32, mi: u32) -> Self {
        #[allow(clippy::expect_used)]
        let dt = NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, mi, 0))
            .expect("valid fixed date");
        Self::new(dt)
    }
    pub fn set(&self, at: NaiveDateTime) {
        if let Ok(mut g) = self.0.lock() {
            *g = at;
        }
    }
    pub fn advance(&self, by: chrono::Duration) {
        if let Ok(mut g) = self.0.lock() {
            *g += by;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> NaiveDateTime {
        match self.0.lock() {
            Ok(g) => *g,
            Err(p) => *p.into_inner(),
        }
    }
}

/// Format used for timestamps stored in the database (sortable text, local time).
pub const DB_TIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

pub fn to_db(at: NaiveDateTime) -> String {
    use chrono::Timelike;
    use std::fmt::Write;
    // the shape of DB_TIME_FORMAT written directly: chrono reads a format string anew for
    // every value it formats (the demo's year writes millions of times)
    let mut s = day_to_db(at.date());
    let _ = write!(s, " {:02}:{:02}:{:02}", at.hour(), at.minute(), at.second());
    s
}

/// A day as the database stores it (`%Y-%m-%d`, [`DB_TIME_FORMAT`]'s date).
pub fn day_to_db(d: NaiveDate) -> String {
    use chrono::Datelike;
    use std::fmt::Write;
    let mut s = String::with_capacity(19);
    let y = d.year();
    if (0..=9999).contains(&y) {
        let _ = write!(s, "{y:04}-{:02}-{:02}", d.month(), d.day());
    } else {
        // a sign and more digits, as chrono writes them
        let _ = write!(s, "{}", d.format("%Y-%m-%d"));
    }
    s
}

pub fn from_db(s: &str) -> Option<NaiveDateTime> {
    // the stored shape read by hand (chrono's format parser costs about a microsecond a
    // value: lists of thousands of rows read several times a second); anything else goes
    // to chrono, which refuses what is not a real time
    let b = s.as_bytes();
    if b.len() == 19
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b' '
        && b[13] == b':'
        && b[16] == b':'
    {
        let n = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |acc, d| {
                d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
            })
        };
        let date =
            chrono::NaiveDate::from_ymd_opt(i32::try_from(n(0..4)?).ok()?, n(5..7)?, n(8..10)?)?;
        return date.and_hms_opt(n(11..13)?, n(14..16)?, n(17..19)?);
    }
    NaiveDateTime::parse_from_str(s, DB_TIME_FORMAT).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_are_written_as_chrono_formats_them() {
        let days = [
            (2026, 12, 6),
            (2026, 1, 1),
            (2024, 2, 29),
            (1, 1, 1),
            (0, 3, 1),
            (999, 10, 9),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 30),
        ];
        for (y, m, d) in days {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(day_to_db(day), day.format("%Y-%m-%d").to_string());
            for (h, mi, s) in [(0, 0, 0), (8, 5, 9), (23, 59, 59)] {
                let t = day.and_hms_opt(h, mi, s).unwrap();
                assert_eq!(to_db(t), t.format(DB_TIME_FORMAT).to_string());
            }
        }
        // a time with fractions of a second is stored to the second
        let t = NaiveDate::from_ymd_opt(2026, 12, 6)
            .unwrap()
            .and_hms_milli_opt(17, 4, 3, 999)
            .unwrap();
        assert_eq!(to_db(t), "2026-12-06 17:04:03");
    }

    #[test]
    fn stored_times_read_back_exactly_and_bad_ones_are_refused() {
        let t = chrono::NaiveDate::from_ymd_opt(2026, 12, 6)
            .unwrap()
            .and_hms_opt(23, 59, 7)
            .unwrap();
        assert_eq!(from_db(&to_db(t)), Some(t));
        for bad in [
            "2026-02-30 10:00:00",
            "2026-12-06 24:00:00",
            "2026-12-06 10:60:00",
            "2026-1a-06 10:00:00",
            "2026-12-06T10:00:00",
            "2026-12-06 10:00",
            "",
        ] {
            assert_eq!(from_db(bad), None, "{bad}");
        }
        // proptest-like sweep: every minute of a day and every day of a leap year
        let mut d = chrono::NaiveDate::from_ymd_opt(2028, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        for _ in 0..(366 * 24) {
            assert_eq!(from_db(&to_db(d)), Some(d));
            d += chrono::Duration::minutes(61);
        }
    }
}

//! Working days on the official holiday calendar (法定节假日与调休). A day is a working day
//! when it is Monday–Friday and not a holiday, or when it is a make-up working day (调休).
//! Counting starts the working day after the start event. Pauses (time the customer causes)
//! are date ranges whose days do not count. A year the calendar does not know yet is
//! counted on weekdays alone; [`WorkCalendar::knows_year`] lets screens warn about it.
use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The official days: holidays off, make-up working days, and the years they cover.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    off: BTreeSet<NaiveDate>,
    makeup: BTreeSet<NaiveDate>,
    years: BTreeSet<i32>,
    index: DayIndex,
}

/// Running count of working days from `base`: `cum[i]` = working days in
/// `base..=base + i`. Makes adding and counting O(log n) for the deadline board (thousands
/// of orders, each with several stages); dates outside it fall back to walking day by day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct DayIndex {
    base: NaiveDate,
    cum: Vec<u32>,
}

impl DayIndex {
    fn pos(&self, d: NaiveDate) -> Option<usize> {
        let i = usize::try_from((d - self.base).num_days()).ok()?;
        (i < self.cum.len()).then_some(i)
    }

    fn date(&self, i: usize) -> Option<NaiveDate> {
        self.base
            .checked_add_signed(Duration::days(i64::try_from(i).ok()?))
    }

    /// Working days in `(a, b]`, both inside the index (`None` otherwise).
    fn between(&self, a: NaiveDate, b: NaiveDate) -> Option<u32> {
        if b <= a {
            return Some(0);
        }
        Some(self.cum[self.pos(b)?] - self.cum[self.pos(a)?])
    }

    /// Working days of `(a, b]` that lie inside a pause (overlapping pauses count once).
    fn paused(&self, a: NaiveDate, b: NaiveDate, pauses: &[Pause]) -> Option<u32> {
        let mut n = 0;
        for p in &merged(pauses) {
            let lo = p.from.max(a.succ_opt()?);
            let hi = p.to.min(b);
            if lo <= hi {
                n += self.between(lo.pred_opt()?, hi)?;
            }
        }
        Some(n)
    }

    /// The first date whose running count reaches `target`.
    fn reach(&self, target: u32) -> Option<NaiveDate> {
        let i = self.cum.partition_point(|&c| c < target);
        if i >= self.cum.len() {
            return None;
        }
        self.date(i)
    }
}

/// A pause of the clock: the days `from..=to` do not count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pause {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Pauses sorted and merged where they overlap or touch.
fn merged(pauses: &[Pause]) -> Vec<Pause> {
    let mut v: Vec<Pause> = pauses.iter().copied().filter(|p| p.from <= p.to).collect();
    if v.len() < 2 {
        return v;
    }
    v.sort_by_key(|p| p.from);
    let mut out: Vec<Pause> = Vec::with_capacity(v.len());
    for p in v {
        match out.last_mut() {
            Some(last) if p.from <= last.to.succ_opt().unwrap_or(last.to) => {
                last.to = last.to.max(p.to);
            }
            _ => out.push(p),
        }
    }
    out
}

impl WorkCalendar {
    /// A calendar from lists of days off and make-up working days; `years` are the years
    /// whose official notice these lists hold.
    pub fn new(
        off: impl IntoIterator<Item = NaiveDate>,
        makeup: impl IntoIterator<Item = NaiveDate>,
        years: impl IntoIterator<Item = i32>,
    ) -> Self {
        let mut c = WorkCalendar {
            off: off.into_iter().collect(),
            makeup: makeup.into_iter().collect(),
            years: years.into_iter().collect(),
            index: DayIndex::default(),
        };
        c.index = c.build_index();
        c
    }

    /// Index from five years before the first known year (or 2020) to fifteen after the
    /// last (or 2040).
    fn build_index(&self) -> DayIndex {
        let first = self.years.first().map_or(2020, |y| (*y - 5).min(2020));
        let last = self.years.last().map_or(2040, |y| (*y + 15).max(2040));
        let (Some(base), Some(end)) = (
            NaiveDate::from_ymd_opt(first, 1, 1),
            NaiveDate::from_ymd_opt(last, 12, 31),
        ) else {
            return DayIndex::default();
        };
        let mut cum = Vec::with_capacity(usize::try_from((end - base).num_days() + 1).unwrap_or(0));
        let mut n = 0u32;
        let mut d = base;
        while d <= end {
            if self.is_working_day(d) {
                n += 1;
            }
            cum.push(n);
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
        }
        DayIndex { base, cum }
    }

    /// Whether the official days of `year` are known.
    pub fn knows_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.makeup.contains(&d) {
            return true;
        }
        if self.off.contains(&d) {
            return false;
        }
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    }

    fn counts(&self, d: NaiveDate, pauses: &[Pause]) -> bool {
        self.is_working_day(d) && !pauses.iter().any(|p| p.from <= d && d <= p.to)
    }

    /// The date `n` working days after `start` (the start day itself never counts), days
    /// inside a pause skipped. `n = 0` gives `start`. `None` only past the end of dates.
    pub fn add_working_days(
        &self,
        start: NaiveDate,
        n: u32,
        pauses: &[Pause],
    ) -> Option<NaiveDate> {
        if n == 0 {
            return Some(start);
        }
        self.fast_add(start, n, pauses)
            .or_else(|| self.walk_add(start, n, pauses))
    }

    /// Through the index: the smallest date whose working days minus paused working days
    /// since `start` reach `n`. Each round adds the paused days found so far; the dates only
    /// grow and stop at the answer.
    fn fast_add(&self, start: NaiveDate, n: u32, pauses: &[Pause]) -> Option<NaiveDate> {
        let ix = &self.index;
        let at_start = ix.cum[ix.pos(start)?];
        let mut d = ix.reach(at_start + n)?;
        loop {
            let k = ix.paused(start, d, pauses)?;
            let next = ix.reach(at_start + n + k)?;
            if next == d {
                return Some(d);
            }
            d = next;
        }
    }

    fn walk_add(&self, start: NaiveDate, n: u32, pauses: &[Pause]) -> Option<NaiveDate> {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = d.checked_add_signed(Duration::days(1))?;
            if self.counts(d, pauses) {
                left -= 1;
            }
        }
        Some(d)
    }

    /// Working days after `start` up to and including `end` (0 when `end <= start`),
    /// days inside a pause not counted.
    pub fn working_days_between(&self, start: NaiveDate, end: NaiveDate, pauses: &[Pause]) -> u32 {
        if end <= start {
            return 0;
        }
        let ix = &self.index;
        if let (Some(all), Some(paused)) = (ix.between(start, end), ix.paused(start, end, pauses)) {
            return all - paused;
        }
        self.walk_between(start, end, pauses)
    }

    fn walk_between(&self, start: NaiveDate, end: NaiveDate, pauses: &[Pause]) -> u32 {
        let mut n = 0;
        let mut d = start;
        while d < end {
            match d.succ_opt() {
                Some(next) => d = next,
                None => break,
            }
            if self.counts(d, pauses) {
                n += 1;
            }
        }
        n
    }
}

fn days(year: i32, spans: &[(u32, u32, u32, u32)]) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for &(m1, d1, m2, d2) in spans {
        let (Some(mut d), Some(end)) = (
            NaiveDate::from_ymd_opt(year, m1, d1),
            NaiveDate::from_ymd_opt(year, m2, d2),
        ) else {
            continue;
        };
        while d <= end {
            out.push(d);
            match d.succ_opt() {
                Some(n) => d = n,
                None => break,
            }
        }
    }
    out
}

/// The 2025 and 2026 official calendars (State Council General Office notices of
/// 2024-11-12 and 2025-11-04), as DOMAIN.md lists them: the data a fresh database starts
/// with; later years are entered by the chief.
pub fn official_2025_2026() -> WorkCalendar {
    let mut off = days(
        2025,
        &[
            (1, 1, 1, 1),
            (1, 28, 2, 4),
            (4, 4, 4, 6),
            (5, 1, 5, 5),
            (5, 31, 6, 2),
            (10, 1, 10, 8),
        ],
    );
    off.extend(days(
        2026,
        &[
            (1, 1, 1, 3),
            (2, 15, 2, 23),
            (4, 4, 4, 6),
            (5, 1, 5, 5),
            (6, 19, 6, 21),
            (9, 25, 9, 27),
            (10, 1, 10, 7),
        ],
    ));
    let mut makeup = days(
        2025,
        &[
            (1, 26, 1, 26),
            (2, 8, 2, 8),
            (4, 27, 4, 27),
            (9, 28, 9, 28),
            (10, 11, 10, 11),
        ],
    );
    makeup.extend(days(
        2026,
        &[
            (1, 4, 1, 4),
            (2, 14, 2, 14),
            (2, 28, 2, 28),
            (5, 9, 5, 9),
            (9, 20, 9, 20),
            (10, 10, 10, 10),
        ],
    ));
    WorkCalendar::new(off, makeup, [2025, 2026])
}

crate::coded_enum! {
    /// What kind of official day.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum DayKind: "日期类型" {
        /// 放假
        Off = "off" / "放假",
        /// 调休上班
        MakeUp = "makeup" / "调休上班",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_worked_cases_of_the_issue() {
        let c = official_2025_2026();
        // 5 working days for 低压居民, counting from the day after acceptance
        assert_eq!(
            c.add_working_days(d(2026, 1, 29), 5, &[]),
            Some(d(2026, 2, 5))
        );
        // Sat Feb 14 is a make-up working day, Feb 15–23 are off
        assert_eq!(
            c.add_working_days(d(2026, 2, 12), 5, &[]),
            Some(d(2026, 2, 26))
        );
    }

    #[test]
    fn holidays_and_make_up_days_of_both_years() {
        let c = official_2025_2026();
        assert!(!c.is_working_day(d(2026, 1, 2)), "元旦");
        assert!(c.is_working_day(d(2026, 1, 4)), "Sunday make-up day");
        assert!(!c.is_working_day(d(2026, 10, 5)), "国庆");
        assert!(c.is_working_day(d(2026, 10, 10)), "Saturday make-up day");
        assert!(c.is_working_day(d(2026, 9, 20)), "Sunday before 国庆");
        assert!(!c.is_working_day(d(2025, 10, 8)), "国庆·中秋 2025");
        assert!(c.is_working_day(d(2025, 9, 28)));
        // National Day week 2026: accepted Tue Sep 29 → Sep 30, Oct 8, 9, 10 (Sat), 12
        assert_eq!(
            c.add_working_days(d(2026, 9, 29), 5, &[]),
            Some(d(2026, 10, 12))
        );
        // the turn of the year: Wed Dec 31 2025 → Jan 5, 6, 7, 8 and Sun Jan 4
        assert_eq!(
            c.add_working_days(d(2025, 12, 31), 5, &[]),
            Some(d(2026, 1, 8))
        );
        assert!(c.knows_year(2026) && !c.knows_year(2027));
        // an unknown year is counted on weekdays alone
        assert_eq!(
            c.add_working_days(d(2027, 1, 1), 1, &[]),
            Some(d(2027, 1, 4))
        );
    }

    #[test]
    fn a_pause_across_a_holiday_pushes_the_date() {
        let c = official_2025_2026();
        let pause = Pause {
            from: d(2026, 4, 1),
            to: d(2026, 4, 8),
        };
        // without the pause: Mar 31 → Apr 1, 2, 3, 7, 8 (Apr 4–6 off)
        assert_eq!(
            c.add_working_days(d(2026, 3, 31), 5, &[]),
            Some(d(2026, 4, 8))
        );
        assert_eq!(
            c.add_working_days(d(2026, 3, 31), 5, &[pause]),
            Some(d(2026, 4, 15))
        );
        assert_eq!(
            c.working_days_between(d(2026, 3, 31), d(2026, 4, 15), &[pause]),
            5
        );
    }

    proptest! {
        #[test]
        fn adding_then_counting_back_gives_n(offset in 0i64..730, n in 0u32..60) {
            let c = official_2025_2026();
            let start = d(2025, 1, 1) + Duration::days(offset);
            let due = c.add_working_days(start, n, &[]).unwrap();
            prop_assert_eq!(c.working_days_between(start, due, &[]), n);
            if n > 0 {
                prop_assert!(c.is_working_day(due));
            }
        }

        #[test]
        fn the_index_agrees_with_walking_day_by_day(
            offset in 0i64..900, n in 0u32..80,
            pauses in proptest::collection::vec((0i64..120, 0i64..25), 0..4),
            span in 0i64..200,
        ) {
            let c = official_2025_2026();
            let start = d(2025, 1, 1) + Duration::days(offset);
            let pauses: Vec<Pause> = pauses
                .into_iter()
                .map(|(p0, len)| Pause { from: start + Duration::days(p0 - 10), to: start + Duration::days(p0 - 10 + len) })
                .collect();
            prop_assert_eq!(
                c.add_working_days(start, n, &pauses),
                if n == 0 { Some(start) } else { c.walk_add(start, n, &pauses) }
            );
            let end = start + Duration::days(span);
            prop_assert_eq!(
                c.working_days_between(start, end, &pauses),
                c.walk_between(start, end, &pauses)
            );
        }

        #[test]
        fn pauses_only_ever_push_dates_later(offset in 0i64..700, n in 1u32..40, p0 in 0i64..60, len in 0i64..20) {
            let c = official_2025_2026();
            let start = d(2025, 1, 1) + Duration::days(offset);
            let pause = Pause { from: start + Duration::days(p0), to: start + Duration::days(p0 + len) };
            let plain = c.add_working_days(start, n, &[]).unwrap();
            let paused = c.add_working_days(start, n, &[pause]).unwrap();
            prop_assert!(paused >= plain);
        }
    }
}

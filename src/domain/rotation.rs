//! Rotation plans (计量装置轮换): which meters enter a year's plan, the even split into
//! months by 台区, and the progress of a month (planned, done, done late, not done).
//!
//! Pure rules: no SQL, no clock. `DOMAIN.md` §4.
use chrono::{Datelike, NaiveDate};

use super::meter::due_year;

crate::coded_enum! {
    /// Why a meter is in the plan.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Source: "轮换原因" {
        /// its verification period ends in the plan year
        Expiry = "expiry" / "到期",
        /// its verification period ended before the plan year
        Overdue = "overdue" / "已超期",
        /// reported faulty or abnormal (an on-site check, a repair call)
        Fault = "fault" / "故障或异常",
        /// a large customer (≥ 315 kVA, setting) on its own schedule
        Large = "large" / "大客户",
        /// reported during the year by an area manager
        Reported = "reported" / "月中上报",
    }
}

/// A meter in service, as the proposal sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub meter_id: i64,
    pub area_id: Option<i64>,
    pub valid_until: NaiveDate,
    /// reported faulty or abnormal and not swapped since
    pub faulty: bool,
    /// the account's contracted capacity is at or above the large-customer threshold
    pub large: bool,
}

/// The meters a plan for `year` proposes, with why: every meter in service whose
/// verification period ends in the year or already ended (`valid_until` is its last valid
/// day: a meter valid until 2027-01-01 is not in the 2026 plan), every faulty one, and the
/// large customers' meters due in the year under their own heading.
pub fn propose(candidates: &[Candidate], year: i32) -> Vec<(i64, Source)> {
    candidates
        .iter()
        .filter_map(|c| {
            let due = due_year(c.valid_until);
            let source = if due < year {
                Source::Overdue
            } else if due == year && c.large {
                Source::Large
            } else if due == year {
                Source::Expiry
            } else if c.faulty {
                Source::Fault
            } else {
                return None;
            };
            Some((c.meter_id, source))
        })
        .collect()
}

/// One item to place in a month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToPlace {
    pub item: usize,
    pub area_id: Option<i64>,
    pub source: Source,
    pub valid_until: NaiveDate,
}

/// The proposed month (1–12) of each item, in the order given: an even split over the
/// months from `first_month` to December, keeping each 台区's items together (a crew works
/// one 台区 per trip). Overdue and faulty meters go first, large customers next (their own
/// schedule, early in the year), then the rest by 台区 and in the order their periods end.
pub fn split(items: &[ToPlace], first_month: u32) -> Vec<u32> {
    let first = first_month.clamp(1, 12);
    let months = (13 - first) as usize;
    let mut order: Vec<&ToPlace> = items.iter().collect();
    let urgency = |s: Source| match s {
        Source::Overdue | Source::Fault | Source::Reported => 0,
        Source::Large => 1,
        Source::Expiry => 2,
    };
    order.sort_by_key(|t| (urgency(t.source), t.area_id, t.valid_until, t.item));
    let mut out = vec![first; items.len()];
    let n = order.len();
    for (k, t) in order.iter().enumerate() {
        // consecutive equal shares: month of position k
        let m = (k * months) / n.max(1);
        out[t.item] = first + m as u32;
    }
    out
}

/// Where an item stands on `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemState {
    /// its month has not ended and it is not done
    Pending,
    /// done within its month (or before)
    Done,
    /// done after its month ended
    DoneLate,
    /// its month ended and it is not done
    NotDone,
}

impl ItemState {
    pub fn label(self) -> &'static str {
        match self {
            ItemState::Pending => "待换",
            ItemState::Done => "已换",
            ItemState::DoneLate => "逾期换",
            ItemState::NotDone => "未完成",
        }
    }
}

/// The last day of `month` of `year`.
pub fn month_end(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month >= 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// The state of an item planned for `month` of `year`, done on `done` (if at all).
pub fn state(year: i32, month: u32, done: Option<NaiveDate>, today: NaiveDate) -> ItemState {
    let end = month_end(year, month);
    match done {
        Some(d) if d <= end => ItemState::Done,
        Some(_) => ItemState::DoneLate,
        None if today > end => ItemState::NotDone,
        None => ItemState::Pending,
    }
}

/// Counts of a group of items.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub planned: usize,
    pub done: usize,
    pub done_late: usize,
    pub not_done: usize,
    pub pending: usize,
}

impl Progress {
    pub fn add(&mut self, s: ItemState) {
        self.planned += 1;
        match s {
            ItemState::Done => self.done += 1,
            ItemState::DoneLate => self.done_late += 1,
            ItemState::NotDone => self.not_done += 1,
            ItemState::Pending => self.pending += 1,
        }
    }

    /// Done (on time or late) in per cent of planned, rounded down.
    pub fn percent_done(&self) -> usize {
        (self.done + self.done_late) * 100 / self.planned.max(1)
    }
}

/// A bar of `width` cells for a share `part / whole`: `█` for the part, `░` for the rest,
/// so the length says it without colour.
pub fn bar(part: usize, whole: usize, width: usize) -> String {
    let filled = (part * width).checked_div(whole).unwrap_or(0).min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// The quarter (1–4) of a month.
pub fn quarter(month: u32) -> u32 {
    (month.clamp(1, 12) - 1) / 3 + 1
}

/// The first month a plan made on `today` for `year` can schedule: this month for the
/// current year, January for a later one.
pub fn first_month(year: i32, today: NaiveDate) -> u32 {
    if year == today.year() {
        today.month()
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cand(id: i64, valid: NaiveDate, faulty: bool, large: bool) -> Candidate {
        Candidate {
            meter_id: id,
            area_id: Some(1),
            valid_until: valid,
            faulty,
            large,
        }
    }

    #[test]
    fn the_plan_takes_the_year_s_expiries_the_overdue_and_the_faulty() {
        let c = [
            cand(1, d(2026, 6, 30), false, false),  // ends in 2026
            cand(2, d(2027, 1, 1), false, false),   // valid on 2027-01-01: the 2027 plan
            cand(3, d(2026, 12, 31), false, false), // last valid day in 2026
            cand(4, d(2024, 3, 15), false, false),  // already past
            cand(5, d(2030, 1, 1), true, false),    // faulty
            cand(6, d(2026, 11, 30), false, true),  // large customer
            cand(7, d(2025, 12, 31), false, false), // ended last year
            cand(8, d(2031, 1, 1), false, false),   // fine
        ];
        assert_eq!(
            propose(&c, 2026),
            vec![
                (1, Source::Expiry),
                (3, Source::Expiry),
                (4, Source::Overdue),
                (5, Source::Fault),
                (6, Source::Large),
                (7, Source::Overdue),
            ]
        );
        assert_eq!(
            propose(&c, 2027).iter().filter(|(id, _)| *id == 2).count(),
            1
        );
    }

    #[test]
    fn the_split_is_even_keeps_areas_together_and_puts_urgent_first() {
        let mut items = Vec::new();
        for i in 0..24 {
            items.push(ToPlace {
                item: i,
                area_id: Some((i % 3) as i64),
                source: Source::Expiry,
                valid_until: d(2026, 1 + (i % 12) as u32, 1),
            });
        }
        items[23].source = Source::Overdue;
        let months = split(&items, 1);
        // 24 items over 12 months: two each
        for m in 1..=12 {
            assert_eq!(months.iter().filter(|&&x| x == m).count(), 2, "month {m}");
        }
        // the overdue one first
        assert_eq!(months[23], 1);
        // each 台区's items in consecutive months
        for area in 0..3 {
            let mut ms: Vec<u32> = items
                .iter()
                .filter(|t| t.area_id == Some(area) && t.source == Source::Expiry)
                .map(|t| months[t.item])
                .collect();
            ms.sort();
            assert!(
                ms.last().unwrap() - ms.first().unwrap() <= 4,
                "{area}: {ms:?}"
            );
        }
        // a plan made in October for this year uses October to December only
        let late = split(&items, 10);
        assert!(late.iter().all(|m| (10..=12).contains(m)));
        assert_eq!(late.iter().filter(|&&m| m == 10).count(), 8);
        assert!(split(&[], 1).is_empty());
    }

    #[test]
    fn an_item_is_done_late_or_not_done_once_its_month_ended() {
        assert_eq!(month_end(2026, 2), d(2026, 2, 28));
        assert_eq!(month_end(2026, 12), d(2026, 12, 31));
        assert_eq!(state(2026, 5, None, d(2026, 5, 31)), ItemState::Pending);
        assert_eq!(state(2026, 5, None, d(2026, 6, 1)), ItemState::NotDone);
        assert_eq!(
            state(2026, 5, Some(d(2026, 5, 31)), d(2026, 7, 1)),
            ItemState::Done
        );
        assert_eq!(
            state(2026, 5, Some(d(2026, 4, 2)), d(2026, 7, 1)),
            ItemState::Done
        );
        assert_eq!(
            state(2026, 5, Some(d(2026, 6, 1)), d(2026, 7, 1)),
            ItemState::DoneLate
        );
        let mut p = Progress::default();
        for s in [
            ItemState::Done,
            ItemState::DoneLate,
            ItemState::NotDone,
            ItemState::Pending,
        ] {
            p.add(s);
        }
        assert_eq!((p.planned, p.percent_done()), (4, 50));
        assert_eq!(bar(1, 4, 8), "██░░░░░░");
        assert_eq!(bar(0, 0, 4), "░░░░");
        assert_eq!(quarter(3), 1);
        assert_eq!(quarter(10), 4);
        assert_eq!(first_month(2026, d(2026, 10, 5)), 10);
        assert_eq!(first_month(2027, d(2026, 10, 5)), 1);
    }
}

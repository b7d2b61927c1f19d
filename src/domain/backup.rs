//! Backups: the names of the copies, which copies to keep, and how the last one is told.
//!
//! Rules (settings `backup.*`):
//! - a copy is named `stationdesk-<站码>-<YYYYMMDD>-<HHMMSS>.db` after the moment it was
//!   taken, so the folder sorts by time and a USB stick shared by two stations keeps them
//!   apart; only names of this shape and this station are ever removed;
//! - kept: the newest copy of each of the last N days that have copies, and the newest copy
//!   of each of the last M months that have copies (a copy can count for both). Everything
//!   else of this station is removed, and only after a new copy has passed its check;
//! - the home screen warns when the last attempt failed, or when the last good copy is more
//!   than the set number of days old (calendar days: a copy last evening is fresh today).
use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// The start of every copy's name.
pub const PREFIX: &str = "stationdesk-";
/// The end of a good copy's name.
pub const EXT: &str = ".db";
/// Added to a copy's name while it is being written and checked.
pub const PART: &str = ".part";

/// Why a backup was made (kept in its audit entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// after a cashier's day end (日结)
    DayEnd,
    /// when the program closes
    Exit,
    /// `stationdesk backup`
    Command,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::DayEnd => "day_end",
            Reason::Exit => "exit",
            Reason::Command => "command",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Reason::DayEnd => "日结后自动备份",
            Reason::Exit => "退出程序时备份",
            Reason::Command => "命令行备份",
        }
    }
}

/// The file name of the copy taken at `at` for station `code`; `n` > 1 for a second copy
/// within the same second.
pub fn copy_name(code: &str, at: NaiveDateTime, n: u32) -> String {
    let stamp = at.format("%Y%m%d-%H%M%S");
    if n > 1 {
        format!("{PREFIX}{code}-{stamp}-{n}{EXT}")
    } else {
        format!("{PREFIX}{code}-{stamp}{EXT}")
    }
}

/// The moment a copy of station `code` was taken, read from its file name; `None` for any
/// other file (another station's, a half-written one, something else).
pub fn parse_copy_name(code: &str, name: &str) -> Option<NaiveDateTime> {
    let rest = name
        .strip_prefix(PREFIX)?
        .strip_prefix(code)?
        .strip_prefix('-')?;
    let rest = rest.strip_suffix(EXT)?;
    let stamp = rest.get(..15)?;
    let tail = &rest[15..];
    if !(tail.is_empty() || tail.strip_prefix('-').is_some_and(is_count)) {
        return None;
    }
    NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()
}

fn is_count(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit())
}

/// Of `copies` (name, moment), the names to remove so that the newest copy of each of the
/// last `keep_daily` days and of each of the last `keep_monthly` months stays. The newest
/// copy always stays.
pub fn to_remove(
    copies: &[(String, NaiveDateTime)],
    keep_daily: u32,
    keep_monthly: u32,
) -> Vec<String> {
    let mut sorted: Vec<&(String, NaiveDateTime)> = copies.iter().collect();
    // newest first; the name breaks a tie within one second (`-2` after the first)
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    let keep_daily = keep_daily.max(1) as usize;
    let mut days: Vec<NaiveDate> = Vec::new();
    let mut months: Vec<(i32, u32)> = Vec::new();
    let mut remove = Vec::new();
    for (name, at) in sorted {
        let day = at.date();
        let month = (at.year(), at.month());
        // the first copy met of a day (or month) is its newest
        let mut keep = false;
        if !days.contains(&day) {
            days.push(day);
            keep |= days.len() <= keep_daily;
        }
        if !months.contains(&month) {
            months.push(month);
            keep |= months.len() <= keep_monthly as usize;
        }
        if !keep {
            remove.push(name.clone());
        }
    }
    remove
}

/// A moment as the home screen says it: `今天 17:32`, `昨天 17:32`, `11-22 17:32`, or with
/// the year when it is not this year's.
pub fn when(at: NaiveDateTime, now: NaiveDateTime) -> String {
    let (d, today) = (at.date(), now.date());
    let time = at.format("%H:%M");
    if d == today {
        format!("今天 {time}")
    } else if today.pred_opt() == Some(d) {
        format!("昨天 {time}")
    } else if d.year() == today.year() {
        format!("{} {time}", at.format("%m-%d"))
    } else {
        format!("{} {time}", at.format("%Y-%m-%d"))
    }
}

/// How the backups stand, for the home screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Standing {
    /// the last good copy is recent enough
    Good { at: NaiveDateTime },
    /// no copy has ever been made
    Never,
    /// the last good copy is older than the setting allows
    Stale { at: NaiveDateTime, days: i64 },
    /// the last attempt failed (with why), and when the last good copy was
    Failed {
        at: NaiveDateTime,
        why: String,
        last_good: Option<NaiveDateTime>,
    },
}

/// The standing from the last attempt and the last good copy; `warn_days`: calendar days
/// a good copy stays fresh.
pub fn standing(
    last: Option<(NaiveDateTime, bool, String)>,
    last_good: Option<NaiveDateTime>,
    now: NaiveDateTime,
    warn_days: i64,
) -> Standing {
    if let Some((at, false, why)) = last {
        return Standing::Failed { at, why, last_good };
    }
    match last_good {
        None => Standing::Never,
        Some(at) => {
            let days = (now.date() - at.date()).num_days();
            if days > warn_days {
                Standing::Stale { at, days }
            } else {
                Standing::Good { at }
            }
        }
    }
}

impl Standing {
    pub fn is_good(&self) -> bool {
        matches!(self, Standing::Good { .. })
    }

    /// One line for the home screen (without its mark).
    pub fn line(&self, now: NaiveDateTime) -> String {
        match self {
            Standing::Good { at } => format!("最近备份    {} ✓", when(*at, now)),
            Standing::Never => "最近备份    尚无".into(),
            Standing::Stale { at, days } => {
                format!("最近备份    {}（已 {days} 天）", when(*at, now))
            }
            Standing::Failed { at, .. } => format!("备份失败    {}", when(*at, now)),
        }
    }

    /// A second line when something is wrong: why, or what to do.
    pub fn detail(&self, now: NaiveDateTime) -> Option<String> {
        match self {
            Standing::Good { .. } | Standing::Never => None,
            Standing::Stale { .. } => {
                Some("请插好备份 U 盘后日结或退出程序，或运行 stationdesk backup".into())
            }
            Standing::Failed { why, last_good, .. } => {
                // the reason's first clause: the whole text was said when it failed
                let why = why.split(['（', '：']).next().unwrap_or(why);
                Some(match last_good {
                    Some(g) => format!("{why}（上次成功：{}）", when(*g, now)),
                    None => format!("{why}（还没有成功的备份）"),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn names_round_trip_and_other_files_are_not_copies() {
        let at = t("2026-11-24 17:32");
        let n = copy_name("WZ01", at, 1);
        assert_eq!(n, "stationdesk-WZ01-20261124-173200.db");
        assert_eq!(parse_copy_name("WZ01", &n), Some(at));
        assert_eq!(parse_copy_name("WZ01", &copy_name("WZ01", at, 2)), Some(at));
        for other in [
            "stationdesk-WZ02-20261124-173200.db",
            "stationdesk-WZ01-20261124-173200.db.part",
            "stationdesk-WZ01-20261124-1732.db",
            "stationdesk-WZ01-20261324-173200.db",
            "stationdesk-WZ01-20261124-173200-x.db",
            "stationdesk-WZ01-20261124-173200.db.before-restore",
            "notes.txt",
        ] {
            assert_eq!(parse_copy_name("WZ01", other), None, "{other}");
        }
    }

    fn copies(list: &[&str]) -> Vec<(String, NaiveDateTime)> {
        list.iter().map(|s| (s.to_string(), t(s))).collect()
    }

    #[test]
    fn the_newest_of_each_of_the_last_days_and_months_stays() {
        // two copies a day from Sep 1 to Nov 24 (day end and exit)
        let mut list = Vec::new();
        let mut d = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        while d <= NaiveDate::from_ymd_opt(2026, 11, 24).unwrap() {
            list.push(format!("{d} 17:30"));
            list.push(format!("{d} 17:45"));
            d = d.succ_opt().unwrap();
        }
        let refs: Vec<&str> = list.iter().map(String::as_str).collect();
        let all = copies(&refs);
        let gone = to_remove(&all, 7, 3);
        let mut kept: Vec<&str> = refs
            .iter()
            .copied()
            .filter(|n| !gone.iter().any(|g| g == n))
            .collect();
        kept.sort();
        assert_eq!(
            kept,
            vec![
                "2026-09-30 17:45",
                "2026-10-31 17:45",
                "2026-11-18 17:45",
                "2026-11-19 17:45",
                "2026-11-20 17:45",
                "2026-11-21 17:45",
                "2026-11-22 17:45",
                "2026-11-23 17:45",
                "2026-11-24 17:45",
            ]
        );
        // nothing monthly: the last days only; at least the newest copy always
        assert_eq!(all.len() - to_remove(&all, 2, 0).len(), 2);
        assert_eq!(all.len() - to_remove(&all, 0, 0).len(), 1);
        assert!(to_remove(&[], 7, 12).is_empty());
    }

    #[test]
    fn days_without_copies_do_not_count() {
        let all = copies(&["2026-11-01 17:00", "2026-11-10 17:00", "2026-11-24 17:00"]);
        assert!(to_remove(&all, 3, 0).is_empty());
        assert_eq!(to_remove(&all, 2, 0), vec!["2026-11-01 17:00".to_string()]);
    }

    #[test]
    fn the_standing_warns_after_the_set_days_or_a_failure() {
        let now = t("2026-11-24 09:00");
        let good = Some(t("2026-11-21 17:32"));
        assert_eq!(
            standing(None, good, now, 3),
            Standing::Good {
                at: t("2026-11-21 17:32")
            }
        );
        let stale = standing(None, good, now, 2);
        assert_eq!(stale.line(now), "最近备份    11-21 17:32（已 3 天）");
        assert!(!stale.is_good());
        assert_eq!(standing(None, None, now, 2), Standing::Never);
        let failed = standing(
            Some((
                t("2026-11-24 08:59"),
                false,
                "备份文件夹不存在（U 盘没有插好？）：请插好".into(),
            )),
            good,
            now,
            3,
        );
        assert_eq!(failed.line(now), "备份失败    今天 08:59");
        assert_eq!(
            failed.detail(now).unwrap(),
            "备份文件夹不存在（上次成功：11-21 17:32）"
        );
        assert_eq!(
            standing(
                Some((t("2026-11-23 17:00"), true, String::new())),
                Some(t("2026-11-23 17:00")),
                now,
                3
            )
            .line(now),
            "最近备份    昨天 17:00 ✓"
        );
        assert_eq!(when(t("2026-11-23 17:00"), now), "昨天 17:00");
        assert_eq!(when(t("2025-12-31 17:00"), now), "2025-12-31 17:00");
    }
}

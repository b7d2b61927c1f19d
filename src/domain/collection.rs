//! Collection of arrears (收, DOMAIN.md §5 and §8): when a customer may be disconnected.
//!
//! Rules (each number a setting):
//! - supply may be cut only when the oldest unpaid bill is more than `penalty.cutoff_after_days`
//!   days overdue, not counting days inside a declared outage period (when the provincial
//!   system was down, cut-offs were suspended like late fees);
//! - and only after a written disconnection notice (停电通知书) printed for these arrears
//!   (on or after the oldest unpaid bill's due date) whose notice period
//!   (`disconnect.notice_days`) has run out: the notice's `period_end` is its last day and
//!   the supply may be cut from the day after;
//! - never on a day inside a declared outage period;
//! - a reader (the 台区's manager) disconnects at most `disconnect.monthly_quota` customers a
//!   calendar month;
//! - a customer already disconnected is not disconnected again before the reconnection.
//!
//! Why pure: the service gathers the facts inside its transaction and this decides, so the
//! screen's list of candidates and the refusal of a recording say the same thing.
use chrono::{Duration, NaiveDate};

crate::coded_enum! {
    /// A notice printed for a customer in arrears.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum NoticeKind: "通知书类型" {
        /// 催费通知单
        Reminder = "reminder" / "催费通知单",
        /// 停电通知书
        Disconnect = "disconnect" / "停电通知书",
    }
}

/// The last day of a disconnection notice's period: the notice day plus `days`.
pub fn notice_period_end(printed_on: NaiveDate, days: i64) -> NaiveDate {
    printed_on + Duration::days(days.max(1))
}

/// Days overdue that count for a cut-off: overdue days less those inside outage periods.
pub fn cutoff_days(days_overdue: i64, outage_days: i64) -> i64 {
    (days_overdue - outage_days).max(0)
}

/// Everything the disconnection rule looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisconnectFacts {
    pub today: NaiveDate,
    /// principal of overdue bills still owed, 分
    pub owed_fen: i64,
    /// due date of the oldest unpaid bill
    pub oldest_due: Option<NaiveDate>,
    /// days overdue of the oldest unpaid bill that count (outage days taken out)
    pub counted_days: i64,
    /// `penalty.cutoff_after_days`
    pub cutoff_after_days: i64,
    /// today lies inside a declared outage period
    pub in_outage: bool,
    /// (printed on, last day of the period) of the latest disconnection notice
    pub notice: Option<(NaiveDate, NaiveDate)>,
    /// the customer is disconnected and not yet reconnected
    pub disconnected: bool,
    /// the reader's name, disconnections this month, the monthly quota
    pub reader: Option<(String, i64, i64)>,
}

/// Why a disconnection may not be recorded (or a notice not printed).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DisconnectRefusal {
    #[error("该客户没有逾期未缴的电费，不能停电")]
    NothingOwed,
    #[error("该客户已停电，尚未复电")]
    AlreadyDisconnected,
    #[error("停电期间（系统切换等）暂停欠费停电")]
    InOutage,
    #[error("欠费逾期 {days} 天，未超过可停电天数 {cutoff} 天（系统设置），不能停电")]
    TooEarly { days: i64, cutoff: i64 },
    #[error("尚未打印停电通知书：须先书面通知客户，期满后方可停电")]
    NoNotice,
    #[error("停电通知书 {printed} 打印，通知期至 {end}，{from} 起方可停电")]
    NoticeRunning {
        printed: NaiveDate,
        end: NaiveDate,
        from: NaiveDate,
    },
    #[error("该客户的台区未指定台区经理（抄表员），无法计入停电限额")]
    NoReader,
    #[error("{reader}本月已停电 {used} 户，达到每月限额 {quota} 户（系统设置），不能再登记停电")]
    QuotaReached {
        reader: String,
        used: i64,
        quota: i64,
    },
}

/// Whether a disconnection notice may be printed: arrears past the cut-off and not already
/// disconnected (the notice itself is what the rule asks before cutting).
pub fn check_notice(f: &DisconnectFacts) -> Result<(), DisconnectRefusal> {
    if f.owed_fen <= 0 || f.oldest_due.is_none() {
        return Err(DisconnectRefusal::NothingOwed);
    }
    if f.disconnected {
        return Err(DisconnectRefusal::AlreadyDisconnected);
    }
    if f.counted_days <= f.cutoff_after_days {
        return Err(DisconnectRefusal::TooEarly {
            days: f.counted_days,
            cutoff: f.cutoff_after_days,
        });
    }
    Ok(())
}

/// Whether a disconnection may be recorded today (see the module rules).
pub fn check_disconnection(f: &DisconnectFacts) -> Result<(), DisconnectRefusal> {
    check_notice(f)?;
    if f.in_outage {
        return Err(DisconnectRefusal::InOutage);
    }
    let oldest_due = f.oldest_due.ok_or(DisconnectRefusal::NothingOwed)?;
    let (printed, end) = match f.notice {
        Some((printed, end)) if printed >= oldest_due => (printed, end),
        _ => return Err(DisconnectRefusal::NoNotice),
    };
    if f.today <= end {
        return Err(DisconnectRefusal::NoticeRunning {
            printed,
            end,
            from: end + Duration::days(1),
        });
    }
    let (reader, used, quota) = f.reader.clone().ok_or(DisconnectRefusal::NoReader)?;
    if used >= quota {
        return Err(DisconnectRefusal::QuotaReached {
            reader,
            used,
            quota,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn facts() -> DisconnectFacts {
        DisconnectFacts {
            today: day("2026-11-24"),
            owed_fen: 12_345,
            oldest_due: Some(day("2026-09-25")),
            counted_days: 60,
            cutoff_after_days: 30,
            in_outage: false,
            notice: Some((day("2026-11-10"), day("2026-11-17"))),
            disconnected: false,
            reader: Some(("员工a".into(), 3, 10)),
        }
    }

    #[test]
    fn allowed_when_every_rule_is_met() {
        assert_eq!(check_disconnection(&facts()), Ok(()));
    }

    #[test]
    fn the_notice_period_must_have_run_out() {
        let mut f = facts();
        f.today = day("2026-11-17");
        assert_eq!(
            check_disconnection(&f),
            Err(DisconnectRefusal::NoticeRunning {
                printed: day("2026-11-10"),
                end: day("2026-11-17"),
                from: day("2026-11-18"),
            })
        );
        f.today = day("2026-11-18");
        assert_eq!(check_disconnection(&f), Ok(()));
        assert_eq!(notice_period_end(day("2026-11-10"), 7), day("2026-11-17"));
    }

    #[test]
    fn a_notice_older_than_the_arrears_does_not_count() {
        let mut f = facts();
        f.notice = Some((day("2026-09-01"), day("2026-09-08")));
        assert_eq!(check_disconnection(&f), Err(DisconnectRefusal::NoNotice));
        f.notice = None;
        assert_eq!(check_disconnection(&f), Err(DisconnectRefusal::NoNotice));
    }

    #[test]
    fn cutoff_quota_outage_and_state_refuse() {
        let mut f = facts();
        f.counted_days = 30;
        assert_eq!(
            check_disconnection(&f),
            Err(DisconnectRefusal::TooEarly {
                days: 30,
                cutoff: 30
            })
        );
        assert_eq!(cutoff_days(45, 20), 25);
        let mut f = facts();
        f.reader = Some(("员工a".into(), 10, 10));
        let e = check_disconnection(&f).unwrap_err();
        assert!(e.to_string().contains("每月限额 10 户"), "{e}");
        let mut f = facts();
        f.reader = None;
        assert_eq!(check_disconnection(&f), Err(DisconnectRefusal::NoReader));
        let mut f = facts();
        f.in_outage = true;
        assert_eq!(check_disconnection(&f), Err(DisconnectRefusal::InOutage));
        let mut f = facts();
        f.disconnected = true;
        assert_eq!(
            check_disconnection(&f),
            Err(DisconnectRefusal::AlreadyDisconnected)
        );
        let mut f = facts();
        f.owed_fen = 0;
        assert_eq!(check_notice(&f), Err(DisconnectRefusal::NothingOwed));
    }
}

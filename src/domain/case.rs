//! Complaints and repair calls (投诉 / 报修, issue 14): kinds and channels, the time limits
//! of a case (minutes and hours counted straight across midnight and weekends; working days
//! on the calendar), the clocks in words (`到达剩 35分`, `修复已用 2时10分`, `回复逾期 1天`)
//! and the checks of what is typed (upstream number on a transfer, times in order).
//!
//! Pure rules: no SQL, no clock (the moment "now" is passed in). `DOMAIN.md` §6.
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::calendar::WorkCalendar;

crate::coded_enum! {
    /// What a case is.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum CaseKind: "工单类别" {
        Complaint = "complaint" / "投诉",
        Report = "report" / "举报",
        Opinion = "opinion" / "意见建议",
        Repair = "repair" / "故障报修",
        Question = "question" / "咨询",
        Praise = "praise" / "表扬",
    }
}

crate::coded_enum! {
    /// How a case came in.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Channel: "来源" {
        Counter = "counter" / "柜台",
        Phone = "phone" / "电话",
        Hotline95598 = "95598" / "95598转办",
        Hotline12345 = "12345" / "12345转办",
        Hotline12398 = "12398" / "12398转办",
    }
}

impl CaseKind {
    /// Two characters, for narrow lists: 投诉 举报 意见 报修 咨询 表扬.
    pub fn short(self) -> &'static str {
        match self {
            CaseKind::Complaint => "投诉",
            CaseKind::Report => "举报",
            CaseKind::Opinion => "意见",
            CaseKind::Repair => "报修",
            CaseKind::Question => "咨询",
            CaseKind::Praise => "表扬",
        }
    }
}

impl Channel {
    /// For narrow lists: 柜台 电话 95598 12345 12398.
    pub fn short(self) -> &'static str {
        match self {
            Channel::Counter => "柜台",
            Channel::Phone => "电话",
            Channel::Hotline95598 => "95598",
            Channel::Hotline12345 => "12345",
            Channel::Hotline12398 => "12398",
        }
    }

    /// Transferred from an upstream hotline: the upstream case number is required.
    pub fn is_transfer(self) -> bool {
        matches!(
            self,
            Channel::Hotline95598 | Channel::Hotline12345 | Channel::Hotline12398
        )
    }
}

crate::coded_enum! {
    /// The kind of area a 台区 serves: it sets the repair crew's arrival limit.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum AreaType: "区域类型" {
        Urban = "urban" / "城区",
        Rural = "rural" / "农村",
        Remote = "remote" / "边远",
    }
}

/// The limits, all from the settings (`DOMAIN.md` §6 gives the defaults).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseLimits {
    pub arrive_urban_minutes: i64,
    pub arrive_rural_minutes: i64,
    pub arrive_remote_minutes: i64,
    pub restore_urban_hours: i64,
    pub restore_rural_hours: i64,
    pub complaint_contact_hours: i64,
    pub complaint_reply_days: u32,
    pub report_reply_days: u32,
    pub close_12398_days: u32,
    pub close_12345_days: u32,
}

impl CaseLimits {
    /// The crew's arrival limit for a 台区 of `area`.
    pub fn arrive(&self, area: AreaType) -> Duration {
        Duration::minutes(match area {
            AreaType::Urban => self.arrive_urban_minutes,
            AreaType::Rural => self.arrive_rural_minutes,
            AreaType::Remote => self.arrive_remote_minutes,
        })
    }

    /// The limit to restore supply after arrival (a remote area counts as rural).
    pub fn restore(&self, area: AreaType) -> Duration {
        Duration::hours(match area {
            AreaType::Urban => self.restore_urban_hours,
            AreaType::Rural | AreaType::Remote => self.restore_rural_hours,
        })
    }
}

/// One clock of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClockKind {
    /// the repair crew on site
    Arrive,
    /// supply back after arrival
    Restore,
    /// first contact with the complainant
    Contact,
    /// the reply to the customer (or the upstream hotline's close)
    Reply,
}

impl ClockKind {
    pub fn label(self) -> &'static str {
        match self {
            ClockKind::Arrive => "到达",
            ClockKind::Restore => "修复",
            ClockKind::Contact => "联系",
            ClockKind::Reply => "回复",
        }
    }
}

/// A clock: when it started and when it is due; `done` when it stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    pub kind: ClockKind,
    pub start: NaiveDateTime,
    pub due: NaiveDateTime,
    pub done: Option<NaiveDateTime>,
    /// the limit counts working days (the words then say days)
    pub working_days: bool,
}

/// The end of the day `n` working days after `start`'s day: a working-day limit is met
/// when the reply is given by the end of that day.
fn working_due(cal: &WorkCalendar, start: NaiveDateTime, n: u32) -> NaiveDateTime {
    let day = cal
        .add_working_days(start.date(), n, &[])
        .unwrap_or(NaiveDate::MAX);
    day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN))
}

/// When the steps of a case's current round happened (the clocks stop on them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Steps {
    pub contacted: Option<NaiveDateTime>,
    pub arrived: Option<NaiveDateTime>,
    pub restored: Option<NaiveDateTime>,
    pub replied: Option<NaiveDateTime>,
    /// the handling finished (处理结果 recorded): every clock still running stops
    pub finished: Option<NaiveDateTime>,
    /// when the case first came in, for a reopened case (an upstream hotline's close limit
    /// counts from it, not from the reopening); `None`: the start given
    pub first_received: Option<NaiveDateTime>,
}

/// The clocks a case runs, from when it was received (`received`: for a reopened case, when
/// it was reopened), stopped by its steps. A repair call's restore clock starts when the
/// crew arrived. A complaint's contact clock stops at the first contact, arrival or reply.
/// Transfers from 12398 (working days) and 12345 (calendar days) close by their own limits
/// when sooner than the complaint reply.
pub fn clocks(
    kind: CaseKind,
    channel: Channel,
    area: AreaType,
    received: NaiveDateTime,
    steps: &Steps,
    limits: &CaseLimits,
    cal: &WorkCalendar,
) -> Vec<Clock> {
    let arrived = steps.arrived;
    let mut out = Vec::new();
    match kind {
        CaseKind::Repair => {
            out.push(Clock {
                kind: ClockKind::Arrive,
                start: received,
                due: received + limits.arrive(area),
                done: arrived,
                working_days: false,
            });
            if let Some(a) = arrived {
                out.push(Clock {
                    kind: ClockKind::Restore,
                    start: a,
                    due: a + limits.restore(area),
                    done: steps.restored,
                    working_days: false,
                });
            }
        }
        CaseKind::Complaint => {
            out.push(Clock {
                kind: ClockKind::Contact,
                start: received,
                due: received + Duration::hours(limits.complaint_contact_hours),
                done: [steps.contacted, steps.arrived, steps.replied]
                    .into_iter()
                    .flatten()
                    .min(),
                working_days: false,
            });
            out.push(Clock {
                kind: ClockKind::Reply,
                start: received,
                due: working_due(cal, received, limits.complaint_reply_days),
                done: None,
                working_days: true,
            });
        }
        CaseKind::Report => out.push(Clock {
            kind: ClockKind::Reply,
            start: received,
            due: working_due(cal, received, limits.report_reply_days),
            done: None,
            working_days: true,
        }),
        CaseKind::Opinion | CaseKind::Question | CaseKind::Praise => {}
    }
    // an upstream transfer closes by the hotline's own limit
    let first = steps.first_received.unwrap_or(received);
    let upstream = match channel {
        Channel::Hotline12398 => Some(working_due(cal, first, limits.close_12398_days)),
        Channel::Hotline12345 => Some(calendar_due(first, limits.close_12345_days)),
        _ => None,
    };
    if let Some(due) = upstream {
        let working_days = channel != Channel::Hotline12345;
        match out.iter_mut().find(|c| c.kind == ClockKind::Reply) {
            Some(c) if due < c.due => {
                // the hotline's limit is sooner: its due date and its kind of days
                c.due = due;
                c.working_days = working_days;
            }
            Some(_) => {}
            None => out.push(Clock {
                kind: ClockKind::Reply,
                start: first,
                due,
                done: None,
                working_days,
            }),
        }
    }
    for c in &mut out {
        if c.kind == ClockKind::Reply {
            c.done = steps.replied;
        }
        // finished handling stops whatever still runs
        if c.done.is_none() {
            c.done = steps.finished;
        }
    }
    out
}

/// The end of the day `n` calendar days after `start`'s day.
fn calendar_due(start: NaiveDateTime, n: u32) -> NaiveDateTime {
    (start.date() + Duration::days(i64::from(n)))
        .and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN))
}

/// A span in words: `35分`, `2时10分`, `1天3时`.
fn span_words(d: Duration) -> String {
    let m = d.num_minutes().max(0);
    let (days, hours, mins) = (m / 1440, (m % 1440) / 60, m % 60);
    match (days, hours, mins) {
        (0, 0, m) => format!("{m}分"),
        (0, h, 0) => format!("{h}时"),
        (0, h, m) => format!("{h}时{m}分"),
        (d, 0, _) => format!("{d}天"),
        (d, h, _) => format!("{d}天{h}时"),
    }
}

/// The clock in words at `now`: `到达剩 35分` while running, `修复已用 2时10分` when done
/// within its limit (`…已用` the time it took), `回复逾期 1天` past it (working-day limits say
/// working days late).
pub fn clock_words(c: &Clock, now: NaiveDateTime, cal: &WorkCalendar) -> String {
    let label = c.kind.label();
    let end = c.done.unwrap_or(now);
    if end > c.due {
        if c.working_days {
            let late = cal
                .working_days_between(c.due.date(), end.date(), &[])
                .max(1);
            return format!("{label}逾期 {late}天");
        }
        return format!("{label}逾期 {}", span_words(end - c.due));
    }
    match c.done {
        Some(d) => format!("{label}已用 {}", span_words(d - c.start)),
        None if c.working_days => {
            let left = cal.working_days_between(now.date(), c.due.date(), &[]);
            if left == 0 {
                format!("{label}今日到期")
            } else {
                format!("{label}剩 {left}天")
            }
        }
        None => format!("{label}剩 {}", span_words(c.due - now)),
    }
}

/// Whether a clock is past its limit at `now` (or was when it stopped).
pub fn overdue(c: &Clock, now: NaiveDateTime) -> bool {
    c.done.unwrap_or(now) > c.due
}

/// What is typed when a case comes in, checked: the upstream number of a transfer, a
/// received time not in the future, a sensible upstream number.
pub fn check_intake(
    channel: Channel,
    upstream_no: &str,
    received: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), (&'static str, String)> {
    let no = upstream_no.trim();
    if channel.is_transfer() {
        if no.is_empty() {
            return Err((
                "upstream_no",
                format!("{}须填写上级工单号", channel.label()),
            ));
        }
        if no.chars().count() > 40 || !no.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err((
                "upstream_no",
                "上级工单号只能是字母、数字和“-”，最多 40 位".into(),
            ));
        }
    }
    if received > now + Duration::minutes(1) {
        return Err(("received", "受理时间不能晚于现在".into()));
    }
    Ok(())
}

/// The steps of a repair call in order: received ≤ arrived ≤ restored.
pub fn check_times(
    received: NaiveDateTime,
    arrived: Option<NaiveDateTime>,
    restored: Option<NaiveDateTime>,
) -> Result<(), (&'static str, String)> {
    if let Some(a) = arrived
        && a < received
    {
        return Err(("arrived", "到达时间不能早于受理时间".into()));
    }
    match (arrived, restored) {
        (None, Some(_)) => Err(("restored", "请先登记到达时间".into())),
        (Some(a), Some(r)) if r < a => Err(("restored", "恢复供电时间不能早于到达时间".into())),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> CaseLimits {
        CaseLimits {
            arrive_urban_minutes: 45,
            arrive_rural_minutes: 90,
            arrive_remote_minutes: 120,
            restore_urban_hours: 3,
            restore_rural_hours: 4,
            complaint_contact_hours: 24,
            complaint_reply_days: 5,
            report_reply_days: 9,
            close_12398_days: 10,
            close_12345_days: 7,
        }
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn cal() -> WorkCalendar {
        crate::domain::calendar::official_2025_2026()
    }

    #[test]
    fn minute_and_hour_limits_count_across_midnight_and_weekends() {
        // a rural repair call on Saturday 23:30: the crew is due 01:00 on Sunday
        let c = clocks(
            CaseKind::Repair,
            Channel::Phone,
            AreaType::Rural,
            at(2026, 11, 28, 23, 30),
            &Steps::default(),
            &limits(),
            &cal(),
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].due, at(2026, 11, 29, 1, 0));
        let cal = cal();
        assert_eq!(
            clock_words(&c[0], at(2026, 11, 29, 0, 25), &cal),
            "到达剩 35分"
        );
        assert_eq!(
            clock_words(&c[0], at(2026, 11, 29, 1, 10), &cal),
            "到达逾期 10分"
        );
        // arrived at 00:50: the restore clock runs 4 hours from then, across the night
        let c = clocks(
            CaseKind::Repair,
            Channel::Phone,
            AreaType::Rural,
            at(2026, 11, 28, 23, 30),
            &Steps {
                arrived: Some(at(2026, 11, 29, 0, 50)),
                ..Steps::default()
            },
            &limits(),
            &cal,
        );
        assert_eq!(
            clock_words(&c[0], at(2026, 11, 29, 3, 0), &cal),
            "到达已用 1时20分"
        );
        assert_eq!(c[1].due, at(2026, 11, 29, 4, 50));
        let mut restored = c[1];
        restored.done = Some(at(2026, 11, 29, 3, 0));
        assert_eq!(
            clock_words(&restored, at(2026, 11, 29, 9, 0), &cal),
            "修复已用 2时10分"
        );
        // an urban call: 45 minutes; a remote one: 120, restore as rural
        let u = clocks(
            CaseKind::Repair,
            Channel::Counter,
            AreaType::Urban,
            at(2026, 11, 24, 9, 0),
            &Steps::default(),
            &limits(),
            &cal,
        );
        assert_eq!(u[0].due, at(2026, 11, 24, 9, 45));
        assert_eq!(limits().restore(AreaType::Remote), Duration::hours(4));
    }

    #[test]
    fn working_day_limits_skip_the_holiday() {
        let cal = cal();
        // a complaint on Wednesday 2026-09-30, before the National Day holiday (1–7 October):
        // five working days are 8, 9, 10 (a make-up Saturday), 12 and 13 October
        let c = clocks(
            CaseKind::Complaint,
            Channel::Counter,
            AreaType::Rural,
            at(2026, 9, 30, 10, 0),
            &Steps::default(),
            &limits(),
            &cal,
        );
        let reply = c.iter().find(|c| c.kind == ClockKind::Reply).unwrap();
        let contact = c.iter().find(|c| c.kind == ClockKind::Contact).unwrap();
        assert_eq!(contact.due, at(2026, 10, 1, 10, 0), "24 hours straight");
        assert_eq!(
            reply.due.date(),
            cal.add_working_days(NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(), 5, &[])
                .unwrap()
        );
        assert_eq!(reply.due, at(2026, 10, 13, 23, 59) + Duration::seconds(59));
        assert_eq!(
            clock_words(reply, at(2026, 10, 9, 9, 0), &cal)
                .chars()
                .take(3)
                .collect::<String>(),
            "回复剩"
        );
        assert_eq!(
            clock_words(reply, reply.due - Duration::hours(2), &cal),
            "回复今日到期"
        );
        let late = reply.due + Duration::days(1);
        assert!(clock_words(reply, late, &cal).starts_with("回复逾期 "));
        assert!(overdue(reply, late) && !overdue(reply, reply.due));
    }

    #[test]
    fn an_upstream_transfer_closes_by_its_own_limit() {
        let cal = cal();
        let received = at(2026, 11, 24, 9, 0);
        let plain = clocks(
            CaseKind::Complaint,
            Channel::Counter,
            AreaType::Rural,
            received,
            &Steps::default(),
            &limits(),
            &cal,
        );
        let t12345 = clocks(
            CaseKind::Complaint,
            Channel::Hotline12345,
            AreaType::Rural,
            received,
            &Steps::default(),
            &limits(),
            &cal,
        );
        let reply = |v: &[Clock]| v.iter().find(|c| c.kind == ClockKind::Reply).unwrap().due;
        // 5 working days for a complaint; a 12345 transfer: 7, so the complaint's is sooner
        assert_eq!(reply(&t12345), reply(&plain));
        // a 12398 transfer of a question still has its 10-day close
        let q = clocks(
            CaseKind::Question,
            Channel::Hotline12398,
            AreaType::Rural,
            received,
            &Steps::default(),
            &limits(),
            &cal,
        );
        assert_eq!(q.len(), 1);
        assert_eq!(
            q[0].due.date(),
            cal.add_working_days(received.date(), 10, &[]).unwrap()
        );
        // praise by phone runs no clock
        assert!(
            clocks(
                CaseKind::Praise,
                Channel::Phone,
                AreaType::Rural,
                received,
                &Steps::default(),
                &limits(),
                &cal
            )
            .is_empty()
        );
    }

    #[test]
    fn intake_and_times_are_checked() {
        let now = at(2026, 11, 24, 9, 0);
        assert_eq!(
            check_intake(Channel::Hotline95598, " ", now, now).unwrap_err(),
            ("upstream_no", "95598转办须填写上级工单号".to_string())
        );
        assert_eq!(
            check_intake(Channel::Hotline12398, "GD2026-1124-0001", now, now),
            Ok(())
        );
        assert_eq!(
            check_intake(Channel::Hotline12345, "12 34", now, now)
                .unwrap_err()
                .0,
            "upstream_no"
        );
        assert_eq!(
            check_intake(Channel::Phone, "", now + Duration::hours(1), now)
                .unwrap_err()
                .0,
            "received"
        );
        assert_eq!(
            check_intake(Channel::Phone, "", now - Duration::hours(5), now),
            Ok(())
        );
        let r = at(2026, 11, 24, 8, 0);
        assert_eq!(
            check_times(r, Some(at(2026, 11, 24, 7, 0)), None)
                .unwrap_err()
                .0,
            "arrived"
        );
        assert_eq!(
            check_times(r, None, Some(at(2026, 11, 24, 9, 0)))
                .unwrap_err()
                .0,
            "restored"
        );
        assert_eq!(
            check_times(
                r,
                Some(at(2026, 11, 24, 9, 0)),
                Some(at(2026, 11, 24, 8, 30))
            )
            .unwrap_err(),
            ("restored", "恢复供电时间不能早于到达时间".to_string())
        );
        assert_eq!(
            check_times(
                r,
                Some(at(2026, 11, 24, 9, 0)),
                Some(at(2026, 11, 24, 11, 0))
            ),
            Ok(())
        );
        assert!(Channel::Hotline12398.is_transfer() && !Channel::Counter.is_transfer());
    }
}

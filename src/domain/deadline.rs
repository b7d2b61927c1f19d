//! Promised dates of work orders (业扩报装时限) on the working-day calendar.
//!
//! Every kind of request has a whole-process limit (working days, or hours for 复电), taken
//! from the settings; the 业扩 kinds (新装, 增容, 临时用电) also have per-stage limits. A stage's
//! promised date counts from the end of the stage it depends on — its real end when that stage
//! is done, its promised date while it is not — so a stage finished early or late moves the
//! later dates. Customer time (pauses) is skipped. No stage before completion is promised
//! later than the whole process: the whole-process limit is what the customer was promised.
//! 归档 (filing) comes after completion and has its own short limit.
use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::calendar::{Pause, WorkCalendar};
use super::work_order::{ConnectionClass, RequestKind, Stage};

/// A limit: working days, or clock hours for urgent kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    Days(u32),
    Hours(u32),
}

/// The limits in force (all from the settings; DOMAIN.md §2 gives the defaults).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeadlineRules {
    pub lv_residential: u32,
    pub lv_nonresidential: u32,
    pub hv_single: u32,
    pub hv_dual: u32,
    /// NDRC/NEA: low voltage without / with external works
    pub lv_no_works: u32,
    pub lv_with_works: u32,
    pub survey: u32,
    pub hv_plan_single: u32,
    pub hv_plan_dual: u32,
    pub hv_design_review: u32,
    pub hv_mid_check: u32,
    pub hv_completion: u32,
    pub hv_energize: u32,
    /// filing after completion
    pub archive: u32,
    /// 变更用电 (暂停, 减容, 过户, 更名, 改类, 移表, 销户)
    pub change: u32,
    /// 复电 (恢复用电), clock hours
    pub resume_hours: u32,
    pub meter_test: u32,
    pub faulty_meter: u32,
    /// "at risk" = due within this many working days
    pub at_risk_days: u32,
    pub warn_first_percent: u32,
    pub warn_second_percent: u32,
}

impl Default for DeadlineRules {
    /// DOMAIN.md's defaults (the program reads the settings; this is for tests).
    fn default() -> Self {
        DeadlineRules {
            lv_residential: 5,
            lv_nonresidential: 6,
            hv_single: 22,
            hv_dual: 32,
            lv_no_works: 5,
            lv_with_works: 15,
            survey: 2,
            hv_plan_single: 15,
            hv_plan_dual: 30,
            hv_design_review: 10,
            hv_mid_check: 5,
            hv_completion: 5,
            hv_energize: 5,
            archive: 3,
            change: 5,
            resume_hours: 24,
            meter_test: 5,
            faulty_meter: 3,
            at_risk_days: 2,
            warn_first_percent: 50,
            warn_second_percent: 75,
        }
    }
}

/// 业扩报装: the kinds that connect or enlarge a supply.
pub fn is_connection_kind(kind: RequestKind) -> bool {
    matches!(
        kind,
        RequestKind::NewConnection | RequestKind::CapacityIncrease | RequestKind::Temporary
    )
}

impl DeadlineRules {
    /// The whole-process limit of an order; `None` for 咨询 (answered at once).
    /// Low voltage takes the stricter of the service promise for its class and the NDRC/NEA
    /// limit without external works; with external works the NDRC/NEA limit with them.
    pub fn whole_limit(
        &self,
        kind: RequestKind,
        class: Option<ConnectionClass>,
        external_works: bool,
    ) -> Option<Limit> {
        use RequestKind as K;
        let days = match kind {
            K::NewConnection | K::CapacityIncrease | K::Temporary => {
                match class.unwrap_or(ConnectionClass::LvResidential) {
                    ConnectionClass::HvSingle => self.hv_single,
                    ConnectionClass::HvDual => self.hv_dual,
                    _ if external_works && kind.allows_external_works(class) => self.lv_with_works,
                    ConnectionClass::LvResidential => self.lv_residential.min(self.lv_no_works),
                    ConnectionClass::LvNonResidential => {
                        self.lv_nonresidential.min(self.lv_no_works)
                    }
                }
            }
            K::Resume => return Some(Limit::Hours(self.resume_hours)),
            K::MeterTest => self.meter_test,
            K::FaultyMeter => self.faulty_meter,
            K::Inquiry => return None,
            K::CapacityDecrease
            | K::Suspend
            | K::Transfer
            | K::Rename
            | K::ChangeCategory
            | K::Relocate
            | K::Close => self.change,
        };
        Some(Limit::Days(days))
    }

    /// A stage's own limit and the stage it counts from (`None` = from acceptance).
    fn stage_limit(
        &self,
        stage: Stage,
        class: Option<ConnectionClass>,
    ) -> Option<(u32, Option<Stage>)> {
        let dual = class == Some(ConnectionClass::HvDual);
        match stage {
            Stage::Survey => Some((self.survey, None)),
            Stage::PlanReply => Some((
                if dual {
                    self.hv_plan_dual
                } else {
                    self.hv_plan_single
                },
                None,
            )),
            Stage::DesignReview => Some((self.hv_design_review, Some(Stage::PlanReply))),
            Stage::MidCheck => Some((self.hv_mid_check, Some(Stage::DesignReview))),
            Stage::CompletionCheck => Some((self.hv_completion, Some(Stage::MidCheck))),
            Stage::Energize if class.is_some_and(ConnectionClass::is_high_voltage) => {
                Some((self.hv_energize, Some(Stage::CompletionCheck)))
            }
            _ => None,
        }
    }
}

/// What the plan needs to know of an order.
#[derive(Clone, Copy, Debug)]
pub struct OrderClock<'a> {
    pub kind: RequestKind,
    pub class: Option<ConnectionClass>,
    pub external_works: bool,
    pub accepted_at: NaiveDateTime,
    /// the chain in order with the day each stage was done
    pub stages: &'a [(Stage, Option<NaiveDate>)],
    /// customer time; a pause still running is passed as ending today
    pub pauses: &'a [Pause],
}

/// One stage with its promised date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StagePlan {
    pub stage: Stage,
    pub due: Option<NaiveDate>,
    pub done: Option<NaiveDate>,
}

/// The promised dates of an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub limit: Option<Limit>,
    pub stages: Vec<StagePlan>,
    /// promised completion (装表接电 for 业扩; the last stage before 归档 otherwise)
    pub whole_due: Option<NaiveDate>,
    /// hour limits: the promised moment
    pub whole_due_at: Option<NaiveDateTime>,
    /// index in `stages` of the stage that completes the request
    pub completion: usize,
}

impl Plan {
    /// The first stage not done, with its plan.
    pub fn current(&self) -> Option<&StagePlan> {
        self.stages.iter().find(|s| s.done.is_none())
    }

    /// The day the request was completed, if it is.
    pub fn completed_on(&self) -> Option<NaiveDate> {
        self.stages.get(self.completion).and_then(|s| s.done)
    }

    /// Whether a completed request kept its promise (时限达标): completed on or before the
    /// whole-process promise and, for high voltage, every supplier stage (方案答复, 设计审核,
    /// 中间检查, 竣工检验, 装表接电 — not 受理, 签订合同 or 归档) done by its own promise
    /// (State Grid's assessment, DOMAIN.md §2). `None` when the request has no limit or is not
    /// completed: it is not counted either way.
    pub fn kept(&self, high_voltage: bool) -> Option<bool> {
        let done = self.completed_on()?;
        let due = self.whole_due?;
        let stages_kept = !high_voltage
            || self
                .stages
                .iter()
                .filter(|s| !matches!(s.stage, Stage::Accept | Stage::Archive | Stage::Contract))
                .all(|s| match (s.done, s.due) {
                    (Some(d), Some(due)) => d <= due,
                    _ => true,
                });
        Some(done <= due && stages_kept)
    }
}

/// Paused calendar days in `(from, to]` (for hour limits: each paused day adds 24 hours).
fn paused_calendar_days(from: NaiveDate, to: NaiveDate, pauses: &[Pause]) -> i64 {
    let mut days: Vec<NaiveDate> = Vec::new();
    for p in pauses {
        let mut d = p.from.max(from + Duration::days(1));
        while d <= p.to.min(to) {
            if !days.contains(&d) {
                days.push(d);
            }
            d += Duration::days(1);
        }
    }
    i64::try_from(days.len()).unwrap_or(0)
}

/// Compute the promised dates of an order.
pub fn plan(rules: &DeadlineRules, cal: &WorkCalendar, o: &OrderClock<'_>) -> Plan {
    let accepted = o.accepted_at.date();
    let limit = rules.whole_limit(o.kind, o.class, o.external_works);
    let completion = completion_index(o.stages);
    let (whole_due, whole_due_at) = match limit {
        None => (None, None),
        Some(Limit::Days(n)) => (cal.add_working_days(accepted, n, o.pauses), None),
        Some(Limit::Hours(h)) => {
            let first = o.accepted_at + Duration::hours(i64::from(h));
            let extra = paused_calendar_days(accepted, first.date(), o.pauses);
            let at = first + Duration::days(extra);
            (Some(at.date()), Some(at))
        }
    };
    let mut out: Vec<StagePlan> = Vec::with_capacity(o.stages.len());
    for (i, &(stage, done)) in o.stages.iter().enumerate() {
        let due = if stage == Stage::Accept {
            Some(accepted)
        } else if i > completion {
            // filing: after the completing stage, its real end or its promise
            let base = out
                .get(completion)
                .and_then(|s| s.done.or(s.due))
                .unwrap_or(accepted);
            cal.add_working_days(base, rules.archive, o.pauses)
        } else if matches!(limit, Some(Limit::Hours(_))) || !is_connection_kind(o.kind) {
            whole_due
        } else {
            let own = rules.stage_limit(stage, o.class).and_then(|(n, from)| {
                let base = match from {
                    None => Some(accepted),
                    Some(prev) => out
                        .iter()
                        .find(|s| s.stage == prev)
                        .and_then(|s| s.done.or(s.due)),
                };
                cal.add_working_days(base?, n, o.pauses)
            });
            match (own, whole_due) {
                (Some(a), Some(w)) => Some(a.min(w)),
                (a, w) => a.or(w),
            }
        };
        out.push(StagePlan { stage, due, done });
    }
    // 签订合同 has no limit of its own: it must be signed before energising
    if let Some(energize_due) = out
        .iter()
        .find(|s| s.stage == Stage::Energize)
        .and_then(|s| s.due)
    {
        for s in out.iter_mut().filter(|s| s.stage == Stage::Contract) {
            s.due = Some(s.due.map_or(energize_due, |d| d.min(energize_due)));
        }
    }
    Plan {
        limit,
        stages: out,
        whole_due,
        whole_due_at,
        completion,
    }
}

/// The stage that completes the request: 装表接电 when the chain has it, else the last stage
/// before 归档, else the last stage.
fn completion_index(stages: &[(Stage, Option<NaiveDate>)]) -> usize {
    if let Some(i) = stages.iter().position(|(s, _)| *s == Stage::Energize) {
        return i;
    }
    match stages.iter().position(|(s, _)| *s == Stage::Archive) {
        Some(i) if i > 0 => i - 1,
        _ => stages.len().saturating_sub(1),
    }
}

/// How an open order stands against its promise today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    /// working days (or hours for hour limits) past the promised date
    Overdue {
        days: u32,
        hours: Option<i64>,
    },
    DueToday {
        hours: Option<i64>,
    },
    /// due within the at-risk window
    AtRisk {
        days: u32,
    },
    /// an hour limit due tomorrow, less than a day away (`剩 10小时`): at risk, not due today
    AtRiskHours {
        hours: i64,
    },
    OnTrack {
        days: u32,
    },
    /// the clock is stopped by the customer
    Paused,
    /// no limit (咨询) or finished
    None,
}

impl Urgency {
    /// Rank for sorting, most urgent first.
    pub fn rank(self) -> u8 {
        match self {
            Urgency::Overdue { .. } => 0,
            Urgency::DueToday { .. } => 1,
            Urgency::AtRisk { .. } | Urgency::AtRiskHours { .. } => 2,
            Urgency::OnTrack { .. } => 3,
            Urgency::Paused => 4,
            Urgency::None => 5,
        }
    }

    /// Most urgent first: the rank, then within it the most overdue first, the fewest hours
    /// or days left first.
    pub fn sort_key(self) -> (u8, i64) {
        let within = match self {
            Urgency::Overdue { hours: Some(h), .. } => -h,
            Urgency::Overdue { days, .. } => -(i64::from(days) * 24),
            Urgency::DueToday { hours: Some(h) } => h,
            Urgency::DueToday { hours: None } => 24,
            Urgency::AtRisk { days } | Urgency::OnTrack { days } => i64::from(days) * 24,
            Urgency::AtRiskHours { hours } => hours,
            Urgency::Paused | Urgency::None => 0,
        };
        (self.rank(), within)
    }

    /// The mark shown next to the order, in words (never colour alone).
    pub fn mark(self) -> String {
        match self {
            // a day or more late on an hour limit is counted in days like the others
            Urgency::Overdue { hours: Some(h), .. } if h < 24 => format!("逾期 {h}小时"),
            Urgency::Overdue { hours: Some(h), .. } => format!("逾期 {}天", h / 24),
            Urgency::Overdue { days, .. } => format!("逾期 {days}天"),
            Urgency::DueToday { hours: Some(h) } | Urgency::AtRiskHours { hours: h } => {
                format!("剩 {h}小时")
            }
            Urgency::DueToday { hours: None } => "今日到期".into(),
            Urgency::AtRisk { days } | Urgency::OnTrack { days } => format!("剩 {days}天"),
            Urgency::Paused => "暂停计时".into(),
            Urgency::None => String::new(),
        }
    }
}

/// The standing of the order's current stage against `now`. `paused_now` = a pause is running.
pub fn urgency(
    rules: &DeadlineRules,
    cal: &WorkCalendar,
    plan: &Plan,
    pauses: &[Pause],
    now: NaiveDateTime,
    paused_now: bool,
) -> Urgency {
    let Some(current) = plan.current() else {
        return Urgency::None;
    };
    if plan.limit.is_none() {
        return Urgency::None;
    }
    if paused_now {
        return Urgency::Paused;
    }
    let today = now.date();
    if let (Some(at), true) = (plan.whole_due_at, current.stage != Stage::Archive) {
        let left = (at - now).num_hours();
        return if now > at {
            Urgency::Overdue {
                days: cal.working_days_between(at.date(), today, pauses),
                hours: Some((now - at).num_hours().max(1)),
            }
        } else if at.date() == today {
            Urgency::DueToday { hours: Some(left) }
        } else if left < 24 {
            // less than a day away but tomorrow: at risk, not counted as 今日到期
            Urgency::AtRiskHours { hours: left }
        } else {
            Urgency::OnTrack {
                days: u32::try_from((at.date() - today).num_days()).unwrap_or(0),
            }
        };
    }
    let Some(due) = current.due else {
        return Urgency::None;
    };
    if due < today {
        let days = cal.working_days_between(due, today, pauses).max(1);
        Urgency::Overdue { days, hours: None }
    } else if due == today {
        Urgency::DueToday { hours: None }
    } else {
        let days = cal.working_days_between(today, due, pauses);
        if days <= rules.at_risk_days {
            Urgency::AtRisk { days }
        } else {
            Urgency::OnTrack { days }
        }
    }
}

/// Share of the whole-process limit used so far, in percent (working days from acceptance to
/// `today` or completion, customer time excluded). `None` for hour limits and no limit.
pub fn percent_used(
    cal: &WorkCalendar,
    plan: &Plan,
    accepted: NaiveDate,
    today: NaiveDate,
    pauses: &[Pause],
) -> Option<u32> {
    let Some(Limit::Days(n)) = plan.limit else {
        return None;
    };
    if n == 0 {
        return None;
    }
    let end = plan.completed_on().unwrap_or(today);
    let used = cal.working_days_between(accepted, end, pauses);
    Some(used.saturating_mul(100) / n)
}

/// The early-warning level reached (0, 1 = first, 2 = second) and its mark.
pub fn warning(rules: &DeadlineRules, percent: Option<u32>) -> Option<String> {
    let p = percent?;
    if p >= 100 {
        None
    } else if p >= rules.warn_second_percent {
        Some(format!("预警 {}%", rules.warn_second_percent))
    } else if p >= rules.warn_first_percent {
        Some(format!("预警 {}%", rules.warn_first_percent))
    } else {
        None
    }
}

/// Working days a stage is or was late: as of its end when done, as of `today` otherwise
/// (0 = on time).
pub fn overdue_days(cal: &WorkCalendar, s: &StagePlan, today: NaiveDate, pauses: &[Pause]) -> u32 {
    let Some(due) = s.due else { return 0 };
    let end = s.done.unwrap_or(today);
    cal.working_days_between(due, end, pauses)
}

crate::coded_enum! {
    /// Why the customer stopped the clock.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum PauseCause: "暂停原因" {
        /// 资料未补齐
        Documents = "documents" / "客户资料未补齐",
        /// 客户要求暂缓
        CustomerWait = "customer_wait" / "客户要求暂缓",
        /// 客户自建工程（设计、施工）
        CustomerWorks = "customer_works" / "客户自建工程",
        Other = "other" / "其他客户原因",
    }
}

#[cfg(test)]
#[path = "deadline_tests.rs"]
mod tests;

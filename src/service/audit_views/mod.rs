//! The audit views of 营销稽查 (issue 16): each a table with a count and a one-line
//! conclusion, filtered by person, date range and 台区 where the view has them (a filter
//! that does not apply is named, never silently ignored). Read-only for every role. The
//! trail itself is its own screen (`ui/screens/audit.rs`); the findings (限期整改) are
//! `service/rectification.rs`.
use chrono::NaiveDate;

mod cash;
mod files;
mod numbers;

use super::{Service, ServiceResult};
use crate::domain::assessment::WHOLE_PROCESS;
use crate::domain::money;

/// The views, in the order of the 稽查 menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuditViewKind {
    /// receipts voided, reversed and reprinted
    Corrections,
    /// gaps in every number sequence
    Numbers,
    /// cash against receipts per day end
    DayEnds,
    /// deadlines kept and missed
    Deadlines,
    /// business fees collected before the site survey
    FeesBeforeSurvey,
    /// customer files still incomplete
    IncompleteFiles,
    /// tariff category against usage category
    Tariff,
    /// late-fee waivers and outage periods
    Waivers,
    /// setting changes
    Settings,
    /// accounts created, reset and deactivated
    Accounts,
}

impl AuditViewKind {
    pub const ALL: [AuditViewKind; 10] = [
        AuditViewKind::Corrections,
        AuditViewKind::Numbers,
        AuditViewKind::DayEnds,
        AuditViewKind::Deadlines,
        AuditViewKind::FeesBeforeSurvey,
        AuditViewKind::IncompleteFiles,
        AuditViewKind::Tariff,
        AuditViewKind::Waivers,
        AuditViewKind::Settings,
        AuditViewKind::Accounts,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AuditViewKind::Corrections => "收据作废、红冲与补打",
            AuditViewKind::Numbers => "编号连续性",
            AuditViewKind::DayEnds => "日结现金与收据",
            AuditViewKind::Deadlines => "业扩时限执行",
            AuditViewKind::FeesBeforeSurvey => "勘查前收费",
            AuditViewKind::IncompleteFiles => "资料不全的档案",
            AuditViewKind::Tariff => "电价类别与用电类别",
            AuditViewKind::Waivers => "违约金减免与停电期间",
            AuditViewKind::Settings => "参数与规则修改",
            AuditViewKind::Accounts => "账号新建、重置与停用",
        }
    }

    /// The filters this view cannot apply (named on the screen).
    pub fn not_filtered_by(self) -> &'static [&'static str] {
        match self {
            AuditViewKind::Numbers => &["人员", "台区"],
            AuditViewKind::DayEnds | AuditViewKind::Settings | AuditViewKind::Accounts => &["台区"],
            AuditViewKind::Tariff | AuditViewKind::IncompleteFiles => &["日期"],
            _ => &[],
        }
    }
}

/// Rows in a view's first page (the screens ask for this many; the budget is measured on it).
pub const PAGE: usize = 40;

/// What to look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditFilter {
    pub staff_id: Option<i64>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub area_id: Option<i64>,
}

/// One view's table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditTable {
    /// column headings and widths (terminal cells)
    pub columns: Vec<(&'static str, u16)>,
    pub rows: Vec<Vec<String>>,
    /// rows matching in all (`rows` holds the first `limit`)
    pub total: i64,
    /// the conclusion in one line (`未发现断号：…`, `共 3 笔，合计 …`)
    pub summary: String,
    /// rows that need the auditor's attention (a gap, a difference, a fee before survey)
    pub problems: i64,
}

pub(super) fn yuan(fen: i64) -> String {
    money::format_yuan_grouped(money::from_fen(fen))
}

pub(super) fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The end of the range as a text bound for `YYYY-MM-DD HH:MM:SS` columns.
fn day_end_bound(d: NaiveDate) -> String {
    format!("{} 23:59:59", day(d))
}

/// The actions of the settings view (also the `audit_log_settings` partial index's list,
/// migration 0030: keep them the same).
pub const SETTINGS_ACTIONS: &str = "('settings.update', 'assessment.rule_update', 'station.update',
                     'calendar.set_day', 'calendar.set_year', 'calendar.clear_day')";
/// The actions of the accounts view (the `audit_log_accounts` partial index's list).
pub const ACCOUNT_ACTIONS: &str =
    "('staff.create', 'staff.reset_password', 'staff.change_password',
                     'staff.activate', 'staff.deactivate', 'auth.lockout')";

impl Service {
    /// One audit view under `filter`, its first `limit` rows.
    pub fn audit_view(
        &self,
        kind: AuditViewKind,
        filter: &AuditFilter,
        limit: usize,
    ) -> ServiceResult<AuditTable> {
        let conn = self.store().conn();
        let lim = i64::try_from(limit).unwrap_or(i64::MAX);
        let from = day(filter.from);
        let to = day_end_bound(filter.to);
        let t = match kind {
            AuditViewKind::Corrections => cash::corrections(conn, filter, &from, &to, lim)?,
            AuditViewKind::Numbers => numbers::numbers(conn, filter)?,
            AuditViewKind::DayEnds => cash::day_ends(conn, filter, lim)?,
            AuditViewKind::Deadlines => return self.deadlines_view(filter, limit),
            AuditViewKind::FeesBeforeSurvey => {
                cash::fees_before_survey(conn, filter, &from, &to, lim)?
            }
            AuditViewKind::IncompleteFiles => files::incomplete(conn, filter, &from, &to, lim)?,
            AuditViewKind::Tariff => files::tariff(conn, filter, lim)?,
            AuditViewKind::Waivers => cash::waivers(conn, filter, &from, &to, lim)?,
            AuditViewKind::Settings => {
                let names = self.staff_names()?;
                files::trail(conn, SETTINGS_ACTIONS, filter, &from, &to, lim, &names)?
            }
            AuditViewKind::Accounts => {
                let names = self.staff_names()?;
                files::trail(conn, ACCOUNT_ACTIONS, filter, &from, &to, lim, &names)?
            }
        };
        Ok(t)
    }

    fn staff_names(&self) -> ServiceResult<std::collections::HashMap<String, String>> {
        Ok(self
            .list_staff()?
            .into_iter()
            .map(|s| {
                (
                    s.id.to_string(),
                    format!("{}（{}）", s.display_name, s.username),
                )
            })
            .collect())
    }

    /// Connection orders' whole process (and high-voltage supplier stages): promised, done,
    /// kept or missed — the deadline module's own facts.
    fn deadlines_view(&self, filter: &AuditFilter, limit: usize) -> ServiceResult<AuditTable> {
        let today = self.now().date();
        let names = self.staff_names()?;
        let areas = crate::store::orders::area_of_orders(self.store().conn())?;
        let mut facts: Vec<_> = self
            .late_stages()?
            .into_iter()
            .filter(|f| {
                let when = f.done.unwrap_or(f.due);
                when >= filter.from && when <= filter.to
            })
            .filter(|f| filter.staff_id.is_none_or(|s| f.holder_id == s))
            .filter(|f| {
                filter
                    .area_id
                    .is_none_or(|a| areas.get(&f.order_id).copied().flatten() == Some(a))
            })
            .collect();
        let late = |f: &crate::domain::assessment::DeadlineFact| match f.done {
            Some(d) => d > f.due,
            None => today > f.due,
        };
        // the misses first, then the latest promises
        facts.sort_by(|a, b| {
            late(b)
                .cmp(&late(a))
                .then(b.due.cmp(&a.due))
                .then(a.tracking_no.cmp(&b.tracking_no))
        });
        let missed = facts.iter().filter(|f| late(f)).count() as i64;
        let whole = facts.iter().filter(|f| f.stage == WHOLE_PROCESS).count();
        let whole_kept = facts
            .iter()
            .filter(|f| f.stage == WHOLE_PROCESS && f.done.is_some() && !late(f))
            .count();
        let rows = facts
            .iter()
            .take(limit)
            .map(|f| {
                vec![
                    f.tracking_no.clone(),
                    f.stage_label.clone(),
                    match (f.done, late(f)) {
                        (Some(_), false) => "按时".into(),
                        (Some(_), true) => format!("超时{}工作日", f.overdue_days),
                        (None, false) => "办理中".into(),
                        (None, true) => format!("已超时{}工作日", f.overdue_days),
                    },
                    day(f.due),
                    f.done.map(day).unwrap_or_else(|| "未完成".into()),
                    names
                        .get(&f.holder_id.to_string())
                        .cloned()
                        .unwrap_or_else(|| f.holder_id.to_string()),
                ]
            })
            .collect();
        Ok(AuditTable {
            columns: vec![
                ("工单号", 16),
                ("环节", 12),
                ("结果", 14),
                ("承诺日期", 10),
                ("完成日期", 10),
                ("责任人", 16),
            ],
            rows,
            total: facts.len() as i64,
            summary: format!(
                "全过程 {whole} 件，已按时办结 {whole_kept} 件；超时（含办理中已超时）{missed} 项"
            ),
            problems: missed,
        })
    }
}

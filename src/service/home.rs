//! The numbers on the home screen and in the status bar.
use super::{Service, ServiceResult};
use crate::store::customers;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dashboard {
    pub customers: i64,
    pub areas: i64,
    pub incomplete_files: i64,
    /// audited actions recorded today (sign-ins and other `auth.` entries excluded)
    pub actions_today: i64,
    /// work orders accepted today (咨询 included)
    pub orders_today: i64,
    /// open work orders
    pub orders_open: i64,
    /// open orders with no contact for more than `order.no_contact_days` days
    pub orders_stale: i64,
    /// overdue work orders (the meter and case issues add their counts here)
    pub overdue: i64,
    /// work orders due today and due within the at-risk window
    pub due_today: i64,
    pub at_risk: i64,
    /// work orders whose clock the customer has stopped
    pub paused: i64,
    /// for the chief: things to see to (the audit key sheet not printed, the PC clock
    /// found behind the last receipt)
    pub chief_notes: Vec<String>,
    /// complaints and repair calls: open, overdue, at risk of escalation, visits due
    pub cases: crate::service::cases::board::CaseCounts,
    /// the cases could not be read (a damaged row): said on their line, the other numbers
    /// still shown
    pub cases_error: Option<String>,
    /// rectification findings (限期整改): waiting for the fix, of those overdue, fixes
    /// waiting for the auditor
    pub findings: crate::service::rectification::FindingCounts,
    /// the backups: the line (`最近备份    今天 17:32 ✓`), a second line when something
    /// is wrong, and whether all is well
    pub backup: BackupLine,
}

/// How the backups stand, as the home screen shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BackupLine {
    pub line: String,
    pub detail: Option<String>,
    /// nothing to warn about (a good copy recent enough, or none yet on a new station)
    pub calm: bool,
    /// the last attempt failed (or the standing could not be read)
    pub failed: bool,
}

impl Service {
    pub fn dashboard(&self) -> ServiceResult<Dashboard> {
        let conn = self.store().conn();
        let c = customers::counts(conn)?;
        let today = self.now().date().format("%Y-%m-%d").to_string();
        let actions_today = crate::store::audit::count_since(conn, &today, "auth.")?;
        let mut chief_notes = Vec::new();
        if self.key_sheet_pending()? {
            chief_notes.push("审计密钥单尚未打印（审计日志 M）".to_string());
        }
        if let Some((n, last)) = crate::store::audit::count_and_last(
            conn,
            "clock",
            crate::service::payments::CLOCK_BEHIND,
        )? {
            chief_notes.push(format!(
                "电脑时钟曾慢于上一张收据 {n} 次，最近 {last}，请核对时间"
            ));
        }
        let o = self.order_counts()?;
        let d = self.deadline_counts()?;
        let (cases, cases_error) = match self.case_counts() {
            Ok(c) => (c, None),
            Err(e) => (Default::default(), Some(e.message())),
        };
        if cases.at_risk > 0 {
            chief_notes.push(format!(
                "有 {} 件投诉报修有升级 12398 的风险（投诉报修中标“险”）",
                cases.at_risk
            ));
        }
        let now = self.now();
        let backup = match self.backup_standing() {
            Ok(st) => BackupLine {
                line: st.line(now),
                detail: st.detail(now),
                calm: matches!(
                    st,
                    crate::domain::backup::Standing::Good { .. }
                        | crate::domain::backup::Standing::Never
                ),
                failed: matches!(st, crate::domain::backup::Standing::Failed { .. }),
            },
            Err(e) => BackupLine {
                line: "最近备份    读不出".into(),
                detail: Some(e.message()),
                calm: false,
                failed: true,
            },
        };
        Ok(Dashboard {
            backup,
            orders_today: o.accepted_today,
            orders_open: o.open,
            orders_stale: o.stale,
            customers: c.customers,
            areas: c.areas,
            incomplete_files: c.incomplete_files,
            actions_today,
            overdue: d.overdue as i64,
            due_today: d.due_today as i64,
            at_risk: d.at_risk as i64,
            paused: d.paused as i64,
            chief_notes,
            cases,
            cases_error,
            findings: self.finding_counts()?,
        })
    }
}

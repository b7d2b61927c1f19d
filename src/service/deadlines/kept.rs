//! Whether completed orders kept their promises (时限达标), for the station reports and the
//! 统计 chart: the orders completed in a range of days, each measured by the same plan as
//! its order page ([`Plan::kept`](crate::domain::deadline::Plan::kept)).
use super::*;

/// One completed order and whether it kept its promise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptRow {
    pub order_id: i64,
    pub kind: RequestKind,
    pub class: Option<ConnectionClass>,
    /// the day the order was closed as completed
    pub closed_on: NaiveDate,
    /// the day the request was completed (装表接电 for 业扩, else its last stage); the day it
    /// was closed when the chain has no completing stage done
    pub completed_on: NaiveDate,
    /// `None`: the kind has no limit
    pub kept: Option<bool>,
}

impl Service {
    /// The orders closed as completed from `from` through `to`, each with whether it kept
    /// its promise.
    pub fn deadlines_kept(&self, from: NaiveDate, to: NaiveDate) -> ServiceResult<Vec<KeptRow>> {
        let until = to + Duration::days(1);
        let rows = store::clock_rows_completed(
            self.store().conn(),
            &from.format("%Y-%m-%d").to_string(),
            &until.format("%Y-%m-%d").to_string(),
        )?;
        let rules = self.deadline_rules()?;
        let cal = self.work_calendar()?;
        let now = self.now();
        Ok(rows
            .iter()
            .map(|row| {
                let c = compute(&rules, &cal, row, now);
                let closed = row.closed_at.as_deref().and_then(date_of).unwrap_or(to);
                KeptRow {
                    order_id: row.id,
                    kind: row.kind,
                    class: row.class,
                    closed_on: closed,
                    completed_on: c.plan.completed_on().unwrap_or(closed),
                    kept: c
                        .plan
                        .kept(row.class.is_some_and(ConnectionClass::is_high_voltage)),
                }
            })
            .collect())
    }
}

//! The numbers on the home screen and in the status bar.
use super::{Service, ServiceResult};
use crate::store::customers;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dashboard {
    pub customers: i64,
    pub areas: i64,
    pub incomplete_files: i64,
    /// audited actions recorded today (sign-ins excluded)
    pub actions_today: i64,
    /// overdue work items; the deadline, meter and case issues add theirs here
    pub overdue: i64,
}

impl Service {
    pub fn dashboard(&self) -> ServiceResult<Dashboard> {
        let conn = self.store().conn();
        let c = customers::counts(conn)?;
        let today = self.now().date().format("%Y-%m-%d").to_string();
        let actions_today: i64 = conn
            .query_row(
                "SELECT count(*) FROM audit_log WHERE at >= ?1 AND action <> 'auth.sign_in'",
                [&today],
                |r| r.get(0),
            )
            .map_err(crate::store::StoreError::from)?;
        Ok(Dashboard {
            customers: c.customers,
            areas: c.areas,
            incomplete_files: c.incomplete_files,
            actions_today,
            overdue: 0,
        })
    }
}

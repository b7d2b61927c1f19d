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
    /// overdue work items: nothing can be overdue yet; the deadline, meter and case
    /// issues add their counts here
    pub overdue: i64,
}

impl Service {
    pub fn dashboard(&self) -> ServiceResult<Dashboard> {
        let conn = self.store().conn();
        let c = customers::counts(conn)?;
        let today = self.now().date().format("%Y-%m-%d").to_string();
        let actions_today = crate::store::audit::count_since(conn, &today, "auth.")?;
        Ok(Dashboard {
            customers: c.customers,
            areas: c.areas,
            incomplete_files: c.incomplete_files,
            actions_today,
            overdue: 0,
        })
    }
}

//! Complaints and repair calls (issue 14, in progress): the time limits from the settings.
//! The case register, its screens and the return visits come next.
use super::{Service, ServiceResult};
use crate::domain::case::CaseLimits;

impl Service {
    /// The limits of cases as the chief set them (`DOMAIN.md` §6 gives the defaults).
    pub fn case_limits(&self) -> ServiceResult<CaseLimits> {
        let days = |key: &str| -> ServiceResult<u32> {
            Ok(u32::try_from(self.int_setting(key)?).unwrap_or(0))
        };
        Ok(CaseLimits {
            arrive_urban_minutes: self.int_setting("repair.arrive_urban_minutes")?,
            arrive_rural_minutes: self.int_setting("repair.arrive_rural_minutes")?,
            arrive_remote_minutes: self.int_setting("repair.arrive_remote_minutes")?,
            restore_urban_hours: self.int_setting("repair.restore_urban_hours")?,
            restore_rural_hours: self.int_setting("repair.restore_rural_hours")?,
            complaint_contact_hours: self.int_setting("complaint.contact_hours")?,
            complaint_reply_days: days("complaint.reply_days")?,
            report_reply_days: days("report.reply_days")?,
            close_12398_days: days("hotline12398.close_days")?,
            close_12345_days: days("hotline12345.close_days")?,
        })
    }
}

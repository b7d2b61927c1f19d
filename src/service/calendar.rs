//! The working-day calendar: read by every deadline; the chief enters a later year's
//! official days when the State Council publishes them (each change audited).
use chrono::NaiveDate;

use super::{Service, ServiceError, ServiceResult, Session};
pub use crate::domain::calendar::DayKind;
use crate::domain::calendar::WorkCalendar;
use crate::domain::role::Need;
use crate::service::Cx;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::calendar as store;

/// One entered day of a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

/// A year of the calendar as the calendar screen shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarYear {
    pub year: i32,
    /// the notice it was entered from; `None` = not entered (weekdays alone count)
    pub source: Option<String>,
    pub days: Vec<CalendarDay>,
}

impl Service {
    pub fn work_calendar(&self) -> ServiceResult<WorkCalendar> {
        Ok(store::load(self.store().conn())?)
    }

    pub fn calendar_year(&self, year: i32) -> ServiceResult<CalendarYear> {
        let conn = self.store().conn();
        Ok(CalendarYear {
            year,
            source: store::year_source(conn, year)?,
            days: store::days_of_year(conn, year)?
                .into_iter()
                .map(|(day, kind, name)| CalendarDay { day, kind, name })
                .collect(),
        })
    }

    /// Take back a wrongly entered day (it becomes an ordinary day); chief only, audited.
    pub fn clear_calendar_day(&mut self, session: &Session, day: NaiveDate) -> ServiceResult<()> {
        self.clear_calendar_days(session, day, day).map(|_| ())
    }

    /// Clear every entered day from `from` through `to` (both included) in one transaction,
    /// each day audited; days never entered are left alone. Returns how many were cleared;
    /// none at all is refused.
    pub fn clear_calendar_days(
        &mut self,
        session: &Session,
        from: NaiveDate,
        to: NaiveDate,
    ) -> ServiceResult<usize> {
        let Cx { now, actor, .. } = self.begin_to(session, Need::Chief, "维护节假日")?;
        let days = day_range(from, to)?;
        self.store_mut().write(|tx| -> ServiceResult<usize> {
            let mut cleared = 0;
            for day in &days {
                let Some(old) = store::clear_day(tx, *day)? else {
                    continue;
                };
                cleared += 1;
                audit::append(
                    tx,
                    NewEntry {
                        at: now,
                        actor: &actor,
                        action: "calendar.clear_day",
                        entity: "calendar_day",
                        entity_id: &day.to_string(),
                        changes: Changes::new().field("kind", old, ""),
                    },
                )?;
            }
            if cleared == 0 {
                let what = if from == to {
                    from.to_string()
                } else {
                    format!("{from} 至 {to}")
                };
                return Err(ServiceError::invalid("day", format!("{what} 没有录入过")));
            }
            Ok(cleared)
        })
    }

    /// Enter one official day (放假 or 调休上班) with its holiday's name; chief only.
    pub fn set_calendar_day(
        &mut self,
        session: &Session,
        day: NaiveDate,
        kind: DayKind,
        name: &str,
    ) -> ServiceResult<()> {
        self.set_calendar_days(session, day, day, kind, name)
            .map(|_| ())
    }

    /// Enter the days `from` through `to` (both included; at most 31, within one year) as
    /// 放假 or 调休上班 with their holiday's name, in one transaction, each day audited:
    /// 2027's Spring Festival is one entry. Returns the number of days.
    pub fn set_calendar_days(
        &mut self,
        session: &Session,
        from: NaiveDate,
        to: NaiveDate,
        kind: DayKind,
        name: &str,
    ) -> ServiceResult<usize> {
        let Cx { now, actor, .. } = self.begin_to(session, Need::Chief, "维护节假日")?;
        let name = crate::domain::validate::name(name, "节日名称", 20)
            .map_err(|m| ServiceError::invalid("name", m))?;
        let days = day_range(from, to)?;
        self.store_mut().write(|tx| -> ServiceResult<usize> {
            for day in &days {
                let old = store::set_day(tx, *day, kind, &name)?;
                audit::append(
                    tx,
                    NewEntry {
                        at: now,
                        actor: &actor,
                        action: "calendar.set_day",
                        entity: "calendar_day",
                        entity_id: &day.to_string(),
                        changes: Changes::new()
                            .field("kind", old.unwrap_or_default(), kind.code())
                            .note("name", name.clone()),
                    },
                )?;
            }
            Ok(days.len())
        })
    }

    /// Mark a year's notice as entered (its days then count as official); chief only.
    pub fn set_calendar_year(
        &mut self,
        session: &Session,
        year: i32,
        source: &str,
    ) -> ServiceResult<()> {
        let Cx { now, at, actor, .. } = self.begin_to(session, Need::Chief, "维护节假日")?;
        if !(2000..=2100).contains(&year) {
            return Err(ServiceError::invalid("year", "年份应在 2000–2100 之间"));
        }
        let source = crate::domain::customer_file::clean_text(source);
        let source = source.trim();
        self.store_mut().write(|tx| -> ServiceResult<()> {
            store::add_year(tx, year, source, &at)?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "calendar.set_year",
                    entity: "calendar_year",
                    entity_id: &year.to_string(),
                    changes: Changes::new().created("source", source),
                },
            )?;
            Ok(())
        })
    }
}

/// The days `from` through `to`: in order, within one year, at most 31.
fn day_range(from: NaiveDate, to: NaiveDate) -> ServiceResult<Vec<NaiveDate>> {
    use chrono::Datelike;
    if to < from {
        return Err(ServiceError::invalid("to", "结束日期不能早于开始日期"));
    }
    if to.year() != from.year() {
        return Err(ServiceError::invalid("to", "请分年录入（不跨年）"));
    }
    let n = (to - from).num_days() + 1;
    if n > 31 {
        return Err(ServiceError::invalid("to", "一次最多录入 31 天"));
    }
    Ok(from.iter_days().take(n as usize).collect())
}

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
        let Cx { now, actor, .. } = self.begin_to(session, Need::Chief, "维护节假日")?;
        self.store_mut().write(|tx| -> ServiceResult<()> {
            let Some(old) = store::clear_day(tx, day)? else {
                return Err(ServiceError::invalid("day", format!("{day} 没有录入过")));
            };
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
            Ok(())
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
        let Cx { now, actor, .. } = self.begin_to(session, Need::Chief, "维护节假日")?;
        let name = crate::domain::validate::name(name, "节日名称", 20)
            .map_err(|m| ServiceError::invalid("name", m))?;
        self.store_mut().write(|tx| -> ServiceResult<()> {
            let old = store::set_day(tx, day, kind, &name)?;
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
            Ok(())
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

//! Meter reading (抄, issue 15): the reading books of the 台区, the book screen's lines, one
//! reading typed (a correction replaces the reading before it, until the bill is released),
//! and a reading file (a handheld unit's or the provincial system's export) taken whole or
//! not at all; the same file twice changes nothing.
pub mod bills;
pub mod collection_rate;
pub mod compute;
pub mod lineloss;
pub mod notes;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::billing::Period;
use crate::domain::meter::{self, AdvanceError, MeterStatus};
use crate::domain::meter_intake::LineError;
use crate::domain::reading::{self, ReadingIn, ReadingKind};
use crate::domain::role::Need;
use crate::domain::validate;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::readings::{self as store, BookRow, NewReading, SheetRow};

/// A reading as typed on the book screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadingEntry {
    pub meter_id: i64,
    pub period: Period,
    pub kind: ReadingKind,
    pub value: String,
    pub reason: String,
    /// the reader confirmed a register rollover (a reading below the last one)
    pub rollover: bool,
}

/// A reading saved, and the book line as it stands now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadingSaved {
    pub line: SheetRow,
    /// the same reading was there already: nothing was added
    pub unchanged: bool,
}

/// A reading file taken.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadingsImported {
    pub added: usize,
    /// already there with the same value (a file loaded twice)
    pub unchanged: usize,
}

/// The kWh a line's reading advanced (× multiplier), when both readings have a value.
pub fn line_advance(line: &SheetRow) -> Option<Result<Decimal, AdvanceError>> {
    let cur = line.current.as_ref()?;
    let to = meter::from_centi(cur.value_centi?);
    let (_, from) = line.prev?;
    Some(
        meter::advance(meter::from_centi(from), to, line.digits, cur.rollover)
            .map(|a| a * Decimal::from(line.multiplier)),
    )
}

impl Service {
    /// The reading books of the active 台区 with the progress of `period`.
    pub fn reading_books(&self, period: Period) -> ServiceResult<Vec<BookRow>> {
        Ok(store::books(self.store().conn(), &period.to_string())?)
    }

    /// Set the reader and the monthly reading day of a 台区's book.
    pub fn set_reading_book(
        &mut self,
        session: &Session,
        area_id: i64,
        reader: &str,
        day: &str,
    ) -> ServiceResult<()> {
        let cx = self.begin(session, Need::Write)?;
        let day: u32 = validate::fold_digits(day)
            .trim()
            .parse()
            .ok()
            .filter(|d| (1..=28).contains(d))
            .ok_or_else(|| ServiceError::invalid("reading_day", "抄表日应为 1 到 28 之间的数字"))?;
        let reader = reader.trim();
        let reader_id = if reader.is_empty() {
            None
        } else {
            Some(self.active_staff("reader", reader)?)
        };
        let code = self.area_code(area_id)?;
        self.store_mut().write(|tx| -> ServiceResult<()> {
            store::set_book(tx, area_id, reader_id, day, cx.staff_id(), &cx.at)?;
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "reading_book.set",
                    entity: "reading_book",
                    entity_id: &code,
                    changes: Changes::new()
                        .note("reader", reader)
                        .note("reading_day", i64::from(day)),
                },
            )?;
            Ok(())
        })
    }

    fn area_code(&self, area_id: i64) -> ServiceResult<String> {
        self.store()
            .conn()
            .query_row(
                "SELECT code FROM transformer_area WHERE id = ?1",
                [area_id],
                |r| r.get::<_, String>(0),
            )
            .map_err(|_| ServiceError::NotFound("该台区".into()))
    }

    /// The lines of a 台区's book for `period`.
    pub fn reading_sheet(&self, area_id: i64, period: Period) -> ServiceResult<Vec<SheetRow>> {
        Ok(store::sheet(
            self.store().conn(),
            area_id,
            &period.to_string(),
            &period.prev().to_string(),
            &period.plus(-12).to_string(),
        )?)
    }

    /// One meter's line of the book for `period`.
    pub fn reading_line(&self, meter_id: i64, period: Period) -> ServiceResult<SheetRow> {
        store::sheet_line(
            self.store().conn(),
            meter_id,
            &period.to_string(),
            &period.prev().to_string(),
            &period.plus(-12).to_string(),
        )?
        .ok_or_else(|| ServiceError::NotFound("该表计".into()))
    }

    /// The day a reading of `period` is taken on when recorded `today`: today within the
    /// period, its last day for a period gone by; a period to come is refused.
    fn read_day(period: Period, today: NaiveDate) -> ServiceResult<NaiveDate> {
        let now = Period::of(today);
        if period > now {
            return Err(ServiceError::invalid("value", "不能录入以后月份的示数"));
        }
        Ok(if period == now {
            today
        } else {
            period.last_day()
        })
    }

    /// Check a reading against the line it goes on; the value in centi-kWh.
    fn check_against(
        line: &SheetRow,
        kind: ReadingKind,
        value: &str,
        rollover: bool,
    ) -> ServiceResult<Option<i64>> {
        if !kind.has_value() {
            if !value.trim().is_empty() {
                return Err(ServiceError::invalid("value", "漏抄不填示数"));
            }
            return Ok(None);
        }
        let v =
            meter::reading(value, line.digits).map_err(|m| ServiceError::invalid("value", m))?;
        if let Some((_, prev)) = line.prev {
            let prev = meter::from_centi(prev);
            if let Err(e) = meter::advance(prev, v, line.digits, rollover) {
                let field = match e {
                    AdvanceError::RolloverUnconfirmed { .. } => "rollover",
                    AdvanceError::BelowLast => "value",
                };
                return Err(ServiceError::invalid(
                    field,
                    format!("{e}（上次 {}）", prev.normalize()),
                ));
            }
        }
        Ok(Some(meter::to_centi(v)))
    }

    /// Record one reading from the book screen.
    pub fn record_reading(
        &mut self,
        session: &Session,
        e: &ReadingEntry,
    ) -> ServiceResult<ReadingSaved> {
        let cx = self.begin(session, Need::Write)?;
        let line = self.reading_line(e.meter_id, e.period)?;
        let m = self.meter(e.meter_id)?;
        if m.status != MeterStatus::InService {
            return Err(ServiceError::invalid(
                "value",
                format!("表计 {} 不在运行中", m.asset_no),
            ));
        }
        let read_on = Self::read_day(e.period, cx.today())?;
        let reason = e.reason.trim();
        if reason.chars().count() > 60 || reason.chars().any(char::is_control) {
            return Err(ServiceError::invalid("reason", "原因最多 60 个字"));
        }
        if matches!(e.kind, ReadingKind::Estimated | ReadingKind::Missed) && reason.is_empty() {
            return Err(ServiceError::invalid(
                "reason",
                format!("{}须写明原因", e.kind.label()),
            ));
        }
        let value = Self::check_against(&line, e.kind, &e.value, e.rollover)?;
        let rollover = e.rollover && value.zip(line.prev).is_some_and(|(v, (_, p))| v < p);
        if let Some(cur) = &line.current
            && cur.kind == e.kind
            && cur.value_centi == value
            && cur.reason == reason
        {
            return Ok(ReadingSaved {
                line,
                unchanged: true,
            });
        }
        let period = e.period.to_string();
        let asset_no = line.asset_no.clone();
        let area_id = m.area_id;
        self.store_mut().write(|tx| -> ServiceResult<()> {
            if let Some(c) = m.customer_id
                && store::period_closed(tx, c, &period)?
            {
                return Err(ServiceError::invalid(
                    "value",
                    format!("{period} 的账单已发行，示数不能再改"),
                ));
            }
            store::insert_reading(
                tx,
                &NewReading {
                    meter_id: e.meter_id,
                    customer_id: m.customer_id,
                    area_id,
                    period: &period,
                    read_on,
                    kind: e.kind,
                    value_centi: value,
                    rollover,
                    reason,
                    source: "screen",
                    source_file: "",
                    replaces_id: line.current.as_ref().map(|c| c.id),
                    reader_id: Some(cx.staff_id()),
                    recorded_by: cx.staff_id(),
                    at: &cx.at,
                },
            )?;
            let mut ch = Changes::new()
                .note("period", period.clone())
                .note("kind", e.kind.label());
            if let Some(v) = value {
                ch = ch.note("value", meter::from_centi(v).normalize().to_string());
            }
            if rollover {
                ch = ch.note("rollover", "是");
            }
            if !reason.is_empty() {
                ch = ch.note("reason", reason);
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "reading.record",
                    entity: "meter",
                    entity_id: &asset_no,
                    changes: ch,
                },
            )?;
            Ok(())
        })?;
        Ok(ReadingSaved {
            line: self.reading_line(e.meter_id, e.period)?,
            unchanged: false,
        })
    }

    /// Take the reading file at `path` (as typed).
    pub fn import_readings_file(
        &mut self,
        session: &Session,
        path: &str,
    ) -> ServiceResult<Result<ReadingsImported, Vec<LineError>>> {
        self.begin(session, Need::Write)?;
        let (bytes, name) = super::read_typed_file(path)?;
        self.import_readings_csv(session, &bytes, &name)
    }

    /// Take a reading file (UTF-8 CSV, columns of [`reading::CSV_COLUMNS`]): every line is
    /// checked first (its meter in service, its value not below the last one); one bad line
    /// and nothing is taken. A reading already there with the same value is skipped, so the
    /// same file twice changes nothing; one there with another value is a bad line.
    pub fn import_readings_csv(
        &mut self,
        session: &Session,
        bytes: &[u8],
        file_name: &str,
    ) -> ServiceResult<Result<ReadingsImported, Vec<LineError>>> {
        let cx = self.begin(session, Need::Write)?;
        let text = match crate::domain::meter_intake::utf8_text(bytes) {
            Ok(t) => t,
            Err(e) => return Ok(Err(e)),
        };
        let file_name = validate::shown(file_name);
        let inputs = match reading::parse_csv_lines(text) {
            Ok(v) => v,
            Err(e) => return Ok(Err(e)),
        };
        let today = cx.today();
        let mut errors = Vec::new();
        // (reading, its line, value, customer, 台区)
        type Todo = (ReadingIn, SheetRow, Option<i64>, Option<i64>, Option<i64>);
        let mut todo: Vec<Todo> = Vec::new();
        let mut unchanged = 0;
        for (line_no, r) in inputs {
            let mut bad = |m: String| {
                errors.push(LineError {
                    line: line_no,
                    message: m,
                })
            };
            let r = match r {
                Ok(r) => r,
                Err(m) => {
                    bad(m);
                    continue;
                }
            };
            let Some(m) = self.meter_by_asset_no(&r.asset_no)? else {
                bad(format!("没有资产编号为 {} 的表计", r.asset_no));
                continue;
            };
            if m.status != MeterStatus::InService {
                bad(format!("表计 {} 不在运行中", r.asset_no));
                continue;
            }
            if r.read_on > today {
                bad(format!("抄表日期 {} 晚于今天", r.read_on));
                continue;
            }
            let period = Period::of(r.read_on);
            let line = self.reading_line(m.id, period)?;
            let value_text = r.value.map(|v| v.to_string()).unwrap_or_default();
            let value = match Self::check_against(&line, r.kind, &value_text, false) {
                Ok(v) => v,
                Err(ServiceError::Invalid { message, .. }) => {
                    bad(format!("表计 {}：{message}", r.asset_no));
                    continue;
                }
                Err(e) => return Err(e),
            };
            if let Some(cur) = &line.current {
                if cur.kind == r.kind && cur.value_centi == value {
                    unchanged += 1;
                    continue;
                }
                bad(format!(
                    "表计 {} 在 {period} 已有示数{}，与文件不同；请在抄表界面更正",
                    r.asset_no,
                    cur.value_centi
                        .map(|v| format!(" {}", meter::from_centi(v).normalize()))
                        .unwrap_or_default()
                ));
                continue;
            }
            if let Some(c) = m.customer_id
                && store::period_closed(self.store().conn(), c, &period.to_string())?
            {
                bad(format!("{period} 的账单已发行，示数不能再改"));
                continue;
            }
            todo.push((r, line, value, m.customer_id, m.area_id));
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let added = todo.len();
        if added == 0 {
            return Ok(Ok(ReadingsImported { added, unchanged }));
        }
        self.store_mut().write(|tx| -> ServiceResult<()> {
            for (r, line, value, customer_id, area_id) in &todo {
                let period = Period::of(r.read_on).to_string();
                store::insert_reading(
                    tx,
                    &NewReading {
                        meter_id: line.meter_id,
                        customer_id: *customer_id,
                        area_id: *area_id,
                        period: &period,
                        read_on: r.read_on,
                        kind: r.kind,
                        value_centi: *value,
                        rollover: false,
                        reason: &r.reason,
                        source: "file",
                        source_file: &file_name,
                        replaces_id: None,
                        reader_id: None,
                        recorded_by: cx.staff_id(),
                        at: &cx.at,
                    },
                )?;
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "reading.import",
                    entity: "reading_file",
                    entity_id: &file_name,
                    changes: Changes::new()
                        .note("imported", added as i64)
                        .note("unchanged", unchanged as i64),
                },
            )?;
            Ok(())
        })?;
        Ok(Ok(ReadingsImported { added, unchanged }))
    }
}

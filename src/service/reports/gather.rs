//! Gathering a report's figures: sums in SQL (`store::reports`), the rest from the services
//! that own them (deadlines, collection rate, assessment, rotation, reading books, line
//! loss, the cases' monthly report), so a figure here never disagrees with its own screen.
use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Arrears, OrderLine, ReadingFigures, Recovery, ReportScope, StationReport};
use crate::domain::assessment::Month;
use crate::domain::billing::Period;
use crate::domain::money::from_fen;
use crate::domain::rotation::Progress;
use crate::domain::work_order::RequestKind;
use crate::service::{Service, ServiceResult};
use crate::store::readings as readings_store;
use crate::store::reports as store;

impl Service {
    /// The figures of one report, made now by `made_by` (a person's name, or the system's
    /// words for a scheduled run).
    pub fn station_report(
        &mut self,
        scope: ReportScope,
        made_by: &str,
    ) -> ServiceResult<StationReport> {
        let station = self.require_station()?;
        let (from, to) = (scope.from(), scope.to());
        let conn = self.store().conn();
        let collections = store::collections(conn, from, to)?;
        let paid_for = store::paid_for(conn, from, to)?;
        let corrections = store::corrections(conn, from, to)?;
        let parts = store::arrears_parts(conn, to)?;
        let arrears = Arrears {
            on: to,
            billed: from_fen(parts.billed),
            paid: from_fen(parts.paid),
            offset: from_fen(parts.offset),
        };
        let meters = store::meter_figures(conn, from, to)?;
        let cases = store::cases_by_kind(conn, from, to)?;
        let orders = self.order_lines(from, to)?;
        let recovery = self.recovery(scope)?;
        let monthly = matches!(scope, ReportScope::Month(_));
        let period = scope.period();
        let (assessment, readings, case_month, rotation) = if monthly {
            (
                Some(self.assessment_summary(Month {
                    year: period.year(),
                    month: period.month(),
                })?),
                Some(self.reading_figures(period)?),
                Some(self.case_month_report(period.year(), period.month())?),
                self.rotation_month(period)?,
            )
        } else {
            (None, None, None, None)
        };
        Ok(StationReport {
            scope,
            station: station.name,
            made_at: self.now(),
            made_by: made_by.to_string(),
            collections,
            paid_for,
            corrections,
            arrears,
            recovery,
            orders,
            meters,
            rotation,
            cases,
            assessment,
            readings,
            case_month,
        })
    }

    /// Orders by kind over the days, with the promises kept by those completed.
    fn order_lines(&self, from: NaiveDate, to: NaiveDate) -> ServiceResult<Vec<OrderLine>> {
        let counts = store::order_counts(self.store().conn(), from, to)?;
        let mut kept: HashMap<RequestKind, (i64, i64)> = HashMap::new();
        for k in self.deadlines_kept(from, to)? {
            let e = kept.entry(k.kind).or_default();
            match k.kept {
                Some(true) => e.0 += 1,
                Some(false) => e.1 += 1,
                None => {}
            }
        }
        Ok(RequestKind::ALL
            .iter()
            .filter_map(|kind| {
                let c = counts.iter().find(|c| c.kind == *kind);
                let (k, l) = kept.get(kind).copied().unwrap_or_default();
                let line = OrderLine {
                    kind: *kind,
                    accepted: c.map_or(0, |c| c.accepted),
                    completed: c.map_or(0, |c| c.completed),
                    cancelled: c.map_or(0, |c| c.cancelled),
                    open_at_end: c.map_or(0, |c| c.open_at_end),
                    kept: k,
                    late: l,
                };
                let any = line.accepted
                    + line.completed
                    + line.cancelled
                    + line.open_at_end
                    + line.kept
                    + line.late
                    > 0;
                any.then_some(line)
            })
            .collect())
    }

    /// The collection rate of the bills issued in the month of the report (账期 the month
    /// before): through the last day of a daily report; for a month, the two checks of the
    /// 回收率 screen (month end kept once passed, before the next reading day).
    fn recovery(&mut self, scope: ReportScope) -> ServiceResult<Recovery> {
        let period = scope.period().prev();
        let target = self.decimal_setting("collection.target_percent")?;
        match scope {
            ReportScope::Month(_) => {
                let rates = self.collection_rates(period, 1)?;
                let areas = rates
                    .areas
                    .iter()
                    .filter_map(|r| {
                        let c = r.last()?;
                        Some((
                            r.code.clone(),
                            r.name.clone(),
                            r.reader.clone(),
                            c.month_end.billed,
                            c.month_end.collected,
                        ))
                    })
                    .collect();
                Ok(Recovery {
                    period,
                    target,
                    through: scope.to(),
                    areas,
                    checks: rates.areas,
                })
            }
            ReportScope::Day(day) => {
                let conn = self.store().conn();
                let p = period.to_string();
                let sales = readings_store::area_sales(conn, &p, &p)?;
                let mut collected: HashMap<i64, i64> = HashMap::new();
                for (a, d, fen) in readings_store::collected_by_day(conn, &p)? {
                    if d <= day {
                        *collected.entry(a).or_default() += fen;
                    }
                }
                let areas = readings_store::rate_areas(conn)?
                    .into_iter()
                    .map(|(a, code, name, _, reader)| {
                        let billed = sales.get(&(a, p.clone())).map_or(0, |s| s.2);
                        (
                            code,
                            name,
                            reader,
                            from_fen(billed),
                            from_fen(collected.get(&a).copied().unwrap_or(0)),
                        )
                    })
                    .collect();
                Ok(Recovery {
                    period,
                    target,
                    through: day,
                    areas,
                    checks: Vec::new(),
                })
            }
        }
    }

    /// The month's reading books and line loss.
    fn reading_figures(&self, period: Period) -> ServiceResult<ReadingFigures> {
        let books = self.reading_books(period)?;
        let mut f = ReadingFigures {
            period,
            books,
            loss_counted: 0,
            loss_flagged: 0,
            loss_negative: 0,
            supply: Decimal::ZERO,
            sales: Decimal::ZERO,
        };
        for row in self.line_loss(period, 1)? {
            let Some(cell) = row.last() else { continue };
            if cell.flagged {
                f.loss_flagged += 1;
            }
            if let Some(loss) = &cell.loss {
                f.loss_counted += 1;
                f.supply += loss.supply;
                f.sales += loss.sales;
                if loss.rate.is_some_and(|r| r < Decimal::ZERO) {
                    f.loss_negative += 1;
                }
            }
        }
        Ok(f)
    }

    /// The items of the month in the year's rotation plan, by state as of today.
    fn rotation_month(&self, period: Period) -> ServiceResult<Option<Progress>> {
        let plan = self.rotation_plan(period.year())?;
        if plan.plan.is_none() {
            return Ok(None);
        }
        let mut p = Progress::default();
        for i in plan.items.iter().filter(|i| i.month == period.month()) {
            p.add(plan.state(i));
        }
        Ok(Some(p))
    }
}

//! The collection rate (电费回收率, DOMAIN.md §8) per 台区 and reader: what was collected of
//! the bills of a period, at the end of the month they were issued in and on the day before
//! the book's next reading day, against the target setting; 12 months for the chart. A
//! check whose day has passed cannot change any more and is kept (`collection_checkpoint`),
//! so only the checks still running are counted again.
use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::super::{Service, ServiceResult};
use crate::domain::billing::Period;
use crate::domain::money;
use crate::domain::reading::{before_reading_day, collection_rate};
use crate::store::readings as store;

/// One check of one period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RatePoint {
    pub on: NaiveDate,
    pub billed: Decimal,
    pub collected: Decimal,
    /// % to the hundredth; `None` when nothing was billed
    pub rate: Option<Decimal>,
    /// the day has passed: the figure is final
    pub passed: bool,
}

impl RatePoint {
    fn of(on: NaiveDate, billed_fen: i64, collected_fen: i64, today: NaiveDate) -> RatePoint {
        let billed = money::from_fen(billed_fen);
        let collected = money::from_fen(collected_fen);
        RatePoint {
            on,
            billed,
            collected,
            rate: collection_rate(billed, collected),
            passed: on < today,
        }
    }

    fn add(self, o: RatePoint) -> RatePoint {
        let billed = self.billed + o.billed;
        let collected = self.collected + o.collected;
        RatePoint {
            on: self.on.max(o.on),
            billed,
            collected,
            rate: collection_rate(billed, collected),
            passed: self.passed && o.passed,
        }
    }
}

/// The two checks of one period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateCell {
    pub period: Period,
    pub month_end: RatePoint,
    pub before_reading: RatePoint,
}

/// One 台区 (or one reader's 台区 together), oldest period first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateRow {
    pub area_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub reader: String,
    pub cells: Vec<RateCell>,
}

impl RateRow {
    pub fn last(&self) -> Option<&RateCell> {
        self.cells.last()
    }
}

/// The rates of every 台区 and reader, and the target (%).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectionRates {
    pub target: Decimal,
    pub areas: Vec<RateRow>,
    pub readers: Vec<RateRow>,
}

const MONTH_END: &str = "month_end";
const BEFORE_READING: &str = "before_reading";

impl Service {
    /// The collection rates of the bills of the `months` periods ending with `last`.
    pub fn collection_rates(
        &mut self,
        last: Period,
        months: u32,
    ) -> ServiceResult<CollectionRates> {
        let months = months.clamp(1, 24) as i32;
        let first = last.plus(1 - months);
        let (from, to) = (first.to_string(), last.to_string());
        let today = self.now().date();
        let target = self.decimal_setting("collection.target_percent")?;
        let conn = self.store().conn();
        let areas = store::rate_areas(conn)?;
        let sales = store::area_sales(conn, &from, &to)?;
        let kept = store::checkpoints(conn, &from, &to)?;
        let mut to_keep: Vec<(i64, String, &'static str, store::Checkpoint)> = Vec::new();
        let mut cells: HashMap<i64, Vec<RateCell>> = HashMap::new();
        for i in 0..months {
            let period = first.plus(i);
            let p = period.to_string();
            let month_end = period.next().last_day();
            let need = areas.iter().any(|(a, _, _, day, _)| {
                let billed = sales
                    .get(&(*a, p.clone()))
                    .is_some_and(|s| s.1 > 0 || s.2 > 0);
                billed
                    && (!kept.contains_key(&(*a, p.clone(), MONTH_END.into()))
                        || !kept.contains_key(&(*a, p.clone(), BEFORE_READING.into()))
                        || month_end >= today
                        || before_reading_day(period, *day) >= today)
            });
            let mut by_day: HashMap<i64, Vec<(NaiveDate, i64)>> = HashMap::new();
            if need {
                for (a, d, fen) in store::collected_by_day(conn, &p)? {
                    by_day.entry(a).or_default().push((d, fen));
                }
            }
            for (a, _, _, day, _) in &areas {
                let billed = sales.get(&(*a, p.clone())).map_or(0, |s| s.2);
                let mut point = |kind: &'static str, on: NaiveDate| -> RatePoint {
                    if on < today
                        && let Some(k) = kept.get(&(*a, p.clone(), kind.to_string()))
                    {
                        return RatePoint::of(k.0, k.1, k.2, today);
                    }
                    let collected: i64 = by_day
                        .get(a)
                        .map(|v| v.iter().filter(|(d, _)| *d <= on).map(|(_, f)| *f).sum())
                        .unwrap_or(0);
                    if on < today && billed > 0 {
                        to_keep.push((*a, p.clone(), kind, (on, billed, collected)));
                    }
                    RatePoint::of(on, billed, collected, today)
                };
                let cell = RateCell {
                    period,
                    month_end: point(MONTH_END, month_end),
                    before_reading: point(BEFORE_READING, before_reading_day(period, *day)),
                };
                cells.entry(*a).or_default().push(cell);
            }
        }
        if !to_keep.is_empty() {
            // derived figures of checks already passed (nothing of the business changes); a
            // database open read-only, or a full disk, only means they are counted again
            // next time, so a failure here does not fail the figures already counted
            let _kept = self.store_mut().write(|tx| -> ServiceResult<()> {
                for (a, p, kind, c) in &to_keep {
                    store::keep_checkpoint(tx, *a, p, kind, *c)?;
                }
                Ok(())
            });
        }
        let mut rows: Vec<RateRow> = areas
            .iter()
            .map(|(a, code, name, _, reader)| RateRow {
                area_id: Some(*a),
                code: code.clone(),
                name: name.clone(),
                reader: reader.clone(),
                cells: cells.remove(a).unwrap_or_default(),
            })
            .collect();
        rows.sort_by(|x, y| x.code.cmp(&y.code));
        // per reader: their 台区 together
        let mut readers: Vec<RateRow> = Vec::new();
        for r in &rows {
            match readers.iter_mut().find(|x| x.reader == r.reader) {
                Some(x) => {
                    for (c, d) in x.cells.iter_mut().zip(&r.cells) {
                        c.month_end = c.month_end.add(d.month_end);
                        c.before_reading = c.before_reading.add(d.before_reading);
                    }
                    x.code.push_str(&format!("、{}", r.code));
                }
                None => readers.push(RateRow {
                    area_id: None,
                    code: r.code.clone(),
                    name: String::new(),
                    reader: r.reader.clone(),
                    cells: r.cells.clone(),
                }),
            }
        }
        Ok(CollectionRates {
            target,
            areas: rows,
            readers,
        })
    }
}

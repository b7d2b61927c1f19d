//! Line loss per 台区 and month (线损, DOMAIN.md §8): supply from the summary meter's readings
//! (× its multiplier), sales from the bills of its customers (kept per 台区 and month by a
//! trigger), the rate, the flag (over the set threshold, or negative) and the area
//! manager's explanation.
use rust_decimal::Decimal;

use super::super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::billing::Period;
use crate::domain::meter;
use crate::domain::role::Need;
use crate::domain::tariff::LineLoss;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::readings as store;

/// One 台区 in one month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LossCell {
    pub period: Period,
    /// `None`: the summary meter was not read (or has no reading before)
    pub supply: Option<Decimal>,
    pub sales: Decimal,
    pub loss: Option<LineLoss>,
    pub flagged: bool,
    /// the latest explanation and who gave it
    pub note: Option<(String, String)>,
}

/// One 台区's months, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LossRow {
    pub area_id: i64,
    pub code: String,
    pub name: String,
    pub cells: Vec<LossCell>,
}

impl LossRow {
    /// The month asked about (the last one).
    pub fn last(&self) -> Option<&LossCell> {
        self.cells.last()
    }
}

impl Service {
    /// The line loss of every active 台区 for the `months` months ending with `last`.
    pub fn line_loss(&self, last: Period, months: u32) -> ServiceResult<Vec<LossRow>> {
        let months = months.clamp(1, 36) as i32;
        let first = last.plus(1 - months);
        let (from, to) = (first.to_string(), last.to_string());
        let conn = self.store().conn();
        let high = self.decimal_setting("lineloss.high_percent")?;
        let mut supply: std::collections::HashMap<(i64, String), Decimal> = Default::default();
        for r in store::supply_reads(conn, &from, &to)? {
            let Some(prev) = r.prev_centi else { continue };
            let Ok(adv) = meter::advance(
                meter::from_centi(prev),
                meter::from_centi(r.value_centi),
                r.digits,
                r.rollover,
            ) else {
                continue;
            };
            *supply.entry((r.area_id, r.period)).or_default() += adv * Decimal::from(r.multiplier);
        }
        let sales = store::area_sales(conn, &from, &to)?;
        let notes = store::loss_notes(conn, &from, &to)?;
        let mut out = Vec::new();
        for (area_id, code, name) in store::active_areas(conn)? {
            let cells = (0..months)
                .map(|i| {
                    let period = first.plus(i);
                    let key = (area_id, period.to_string());
                    let s = supply.get(&key).copied();
                    let sold = sales
                        .get(&key)
                        .map_or(Decimal::ZERO, |(_, kwh, _)| Decimal::from(*kwh));
                    let loss = s.map(|s| LineLoss::of(s, sold));
                    LossCell {
                        period,
                        supply: s,
                        sales: sold,
                        // no bills out yet: nothing to judge
                        flagged: !sold.is_zero() && loss.is_some_and(|l| l.flagged(high)),
                        loss,
                        note: notes.get(&key).cloned(),
                    }
                })
                .collect();
            out.push(LossRow {
                area_id,
                code,
                name,
                cells,
            });
        }
        Ok(out)
    }

    /// The 台区 whose line loss was flagged in one of the three months before `today`'s and
    /// is still unexplained (the month is over): the facts of the line-loss rule.
    pub fn line_loss_unexplained(
        &self,
        today: chrono::NaiveDate,
    ) -> ServiceResult<Vec<crate::domain::assessment::LineLossFact>> {
        let last = Period::of(today).prev();
        let managers: std::collections::HashMap<i64, i64> = self
            .store()
            .conn()
            .prepare_cached(
                "SELECT id, manager_id FROM transformer_area WHERE manager_id IS NOT NULL",
            )
            .and_then(|mut s| {
                s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()
            })
            .map_err(crate::store::StoreError::from)?;
        let mut out = Vec::new();
        for row in self.line_loss(last, 3)? {
            let Some(&manager_id) = managers.get(&row.area_id) else {
                continue;
            };
            for c in &row.cells {
                if !c.flagged || c.note.is_some() {
                    continue;
                }
                let Some(rate) = c.loss.and_then(|l| l.rate) else {
                    continue;
                };
                out.push(crate::domain::assessment::LineLossFact {
                    area_id: row.area_id,
                    area: format!("{} {}", row.code, row.name),
                    period: c.period.to_string(),
                    rate,
                    manager_id,
                });
            }
        }
        Ok(out)
    }

    /// The area manager's explanation of a 台区's line loss in a month.
    pub fn explain_line_loss(
        &mut self,
        session: &Session,
        area_id: i64,
        period: Period,
        note: &str,
    ) -> ServiceResult<()> {
        let cx = self.begin(session, Need::Write)?;
        let note = note.trim();
        if note.is_empty() {
            return Err(ServiceError::invalid("note", "请写明线损原因"));
        }
        if note.chars().count() > 200 || note.chars().any(char::is_control) {
            return Err(ServiceError::invalid("note", "说明最多 200 个字"));
        }
        let code = self.area_code(area_id)?;
        let p = period.to_string();
        self.store_mut().write(|tx| -> ServiceResult<()> {
            store::insert_loss_note(tx, area_id, &p, note, cx.staff_id(), &cx.at)?;
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "lineloss.explain",
                    entity: "line_loss",
                    entity_id: &code,
                    changes: Changes::new().note("period", p.clone()).note("note", note),
                },
            )?;
            Ok(())
        })
    }
}

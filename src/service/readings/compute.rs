//! Bills computed at the station (核) from the month's readings.
//!
//! Computing is repeatable: a customer whose readings, swaps, kWh, amount and tariff are
//! the same as last time keeps the draft and the checker's decisions; one that changed is
//! computed again and its flags raised afresh. A released draft never changes.
use rust_decimal::Decimal;

use std::collections::HashMap;

use super::super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::bill_run::{self, BillInputs, Prices};
use crate::domain::billing::Period;
use crate::domain::coded::Coded;
use crate::domain::customer::UsageCategory;
use crate::domain::meter::{self, Segment};
use crate::domain::money;
use crate::domain::reading::ReadingKind;
use crate::domain::role::Need;
use crate::domain::tariff::Tiers;
use crate::service::begin::Cx;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::readings::{self as store, ComputeRow, NewDraft};

/// What a computation did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Computation {
    /// drafts made or computed again
    pub computed: usize,
    /// with the same inputs as before (decisions kept)
    pub unchanged: usize,
    /// already released: left as they are
    pub released: usize,
    /// of those computed, how many raised a flag
    pub flagged: usize,
    /// 漏抄: no bill this month
    pub missed: usize,
    /// customers that could not be computed, with why (户号, reason)
    pub failed: Vec<(i64, String)>,
}

struct Prepared {
    customer_id: i64,
    area_id: Option<i64>,
    computed: bill_run::Computed,
    inputs: String,
    estimated: bool,
}

impl Service {
    /// The prices in force (settings).
    pub(crate) fn prices(&self) -> ServiceResult<Prices> {
        let limit = |k: &str| -> ServiceResult<Decimal> { Ok(Decimal::from(self.int_setting(k)?)) };
        Ok(Prices {
            tiers: Tiers {
                limit1: limit("tariff.tier1_limit_kwh")?,
                limit2: limit("tariff.tier2_limit_kwh")?,
                price1: self.decimal_setting("tariff.tier1_price")?,
                price2: self.decimal_setting("tariff.tier2_price")?,
                price3: self.decimal_setting("tariff.tier3_price")?,
            },
            commercial: self.decimal_setting("tariff.commercial_price")?,
            agricultural: self.decimal_setting("tariff.agricultural_price")?,
            industrial: self.decimal_setting("tariff.industrial_price")?,
        })
    }

    /// Compute the bills of `period` from its readings: one 台区's, or every 台区's.
    pub fn compute_bills(
        &mut self,
        session: &Session,
        period: Period,
        area_id: Option<i64>,
    ) -> ServiceResult<Computation> {
        let cx = self.begin(session, Need::Write)?;
        let prices = self.prices()?;
        let percent = Decimal::from(self.int_setting("review.change_percent")?);
        let p = period.to_string();
        let year_start = Period::new(period.year(), 1).unwrap_or(period).to_string();
        let last_year = period.plus(-12).to_string();
        let recent = [
            period.plus(-1).to_string(),
            period.plus(-2).to_string(),
            period.plus(-3).to_string(),
        ];
        // the month's readings here, the year's billed kWh and the drafts so far beside
        let (rows, (history, multipliers, drafts)) = self.store().read_beside(
            |conn| store::compute_rows(conn, &p, area_id),
            |conn| {
                let history = store::histories(
                    conn,
                    area_id,
                    &p,
                    &year_start,
                    &last_year,
                    [&recent[0], &recent[1], &recent[2]],
                )?;
                Ok((
                    history,
                    store::last_multipliers(conn, &p)?,
                    store::drafts_of(conn, &p)?,
                ))
            },
        )?;
        let conn = self.store().conn();
        let mut out = Computation::default();
        let mut todo: Vec<Prepared> = Vec::new();
        let mut k = 0;
        while k < rows.len() {
            let mut end = k + 1;
            while end < rows.len() && rows[end].customer_id == rows[k].customer_id {
                end += 1;
            }
            let group = &rows[k..end];
            k = end;
            let first = &group[0];
            if group.iter().any(|r| r.kind == ReadingKind::Missed) {
                out.missed += 1;
                continue;
            }
            let segments = match self.segments(group, &p) {
                Ok(s) => s,
                Err(why) => {
                    out.failed.push((first.customer_id, why));
                    continue;
                }
            };
            let estimated = group.iter().any(|r| r.kind == ReadingKind::Estimated);
            let estimated_thrice = match group.iter().find(|r| r.kind == ReadingKind::Estimated) {
                Some(r) => store::estimated_in(conn, r.meter_id, [&recent[0], &recent[1]])? == 2,
                None => false,
            };
            let h = history.get(first.customer_id);
            let tariff = (!first.tariff_code.trim().is_empty())
                .then(|| UsageCategory::parse_code(first.tariff_code.trim()).ok())
                .flatten();
            let inputs = BillInputs {
                usage: first.usage,
                tariff,
                active: first.active,
                segments,
                year_before: Decimal::from(h.year_before),
                last_year: h.last_year.map(Decimal::from),
                recent: h.recent.iter().copied().map(Decimal::from).collect(),
                estimated_thrice,
                last_multiplier: multipliers.get(&first.customer_id).copied(),
            };
            let computed = match bill_run::compute(&inputs, &prices, percent) {
                Ok(c) => c,
                Err(e) => {
                    out.failed.push((first.customer_id, e.to_string()));
                    continue;
                }
            };
            let key = format!(
                "r{}|s{}|{}|{}|{}",
                group
                    .iter()
                    .map(|r| r.reading_id.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
                group
                    .iter()
                    .filter_map(|r| r.swap.as_ref().map(|s| s.id.to_string()))
                    .collect::<Vec<_>>()
                    .join(","),
                computed.kwh,
                money::to_fen(computed.amount).unwrap_or(0),
                computed.tariff.code()
            );
            match drafts.get(&first.customer_id) {
                Some(d) if d.released => {
                    out.released += 1;
                    continue;
                }
                Some(d) if d.inputs == key => {
                    out.unchanged += 1;
                    continue;
                }
                _ => {}
            }
            if !computed.flags.is_empty() {
                out.flagged += 1;
            }
            todo.push(Prepared {
                customer_id: first.customer_id,
                area_id: first.area_id,
                computed,
                inputs: key,
                estimated,
            });
        }
        out.computed = todo.len();
        let area_code = match area_id {
            Some(a) => self.area_code(a)?,
            None => "全部台区".into(),
        };
        let summary = out.clone();
        self.store_mut().write(|tx| -> ServiceResult<()> {
            store_drafts(tx, &cx, &p, &todo, &drafts)?;
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "bill.compute",
                    entity: "bill_draft",
                    entity_id: &format!("{p} {area_code}"),
                    changes: Changes::new()
                        .note("period", p.clone())
                        .note("computed", summary.computed as i64)
                        .note("unchanged", summary.unchanged as i64)
                        .note("held", summary.flagged as i64)
                        .note("missed", summary.missed as i64),
                },
            )?;
            Ok(())
        })?;
        Ok(out)
    }

    /// The segments of one customer's readings of a period: each meter from its previous
    /// reading (or its installation) to this one; a meter installed by a swap brings the old
    /// meter's last stretch (its last reading to its final reading) with its own multiplier.
    fn segments(&self, group: &[ComputeRow], period: &str) -> Result<Vec<Segment>, String> {
        let mut out = Vec::new();
        for r in group {
            let to = r.value_centi.ok_or("漏抄")?;
            let from = match (r.prev_centi, &r.swap) {
                (Some(p), _) => p,
                (None, Some(s)) => {
                    if let (Some(old), Some(fin), Some(mult)) =
                        (s.old_meter_id, s.old_final_centi, s.old_multiplier)
                    {
                        let start = store::last_value(self.store().conn(), old, period)
                            .map_err(|e| e.to_string())?
                            .ok_or("旧表没有起始示数")?;
                        out.push(Segment {
                            from: meter::from_centi(start),
                            to: meter::from_centi(fin),
                            multiplier: mult,
                            digits: s.old_digits,
                            rollover_confirmed: s.rollover,
                        });
                    }
                    s.initial_centi
                }
                (None, None) => return Err("没有上次示数，也没有装表起码".into()),
            };
            out.push(Segment {
                from: meter::from_centi(from),
                to: meter::from_centi(to),
                multiplier: r.multiplier,
                digits: r.digits,
                rollover_confirmed: r.rollover,
            });
        }
        Ok(out)
    }
}

/// The computed drafts, each with its flags: those of customers computed for the first time
/// this period many to a statement, those computed before one upsert each. (Another window
/// computing the same month meanwhile makes the insert fail on its draft: nothing is kept,
/// and the clerk computes again.)
fn store_drafts(
    tx: &rusqlite::Transaction<'_>,
    cx: &Cx,
    period: &str,
    todo: &[Prepared],
    known: &HashMap<i64, store::DraftKey>,
) -> ServiceResult<()> {
    let lines: Vec<String> = todo
        .iter()
        .map(|t| bill_run::lines_text(&t.computed.lines))
        .collect();
    let mut fresh: Vec<(&Prepared, NewDraft<'_>)> = Vec::new();
    let mut again: Vec<(&Prepared, NewDraft<'_>)> = Vec::new();
    for (t, lines) in todo.iter().zip(&lines) {
        let draft = NewDraft {
            customer_id: t.customer_id,
            period,
            area_id: t.area_id,
            kwh: t.computed.kwh,
            amount_fen: money::to_fen(t.computed.amount)
                .ok_or_else(|| ServiceError::Refused("金额超出范围".into()))?,
            tariff: t.computed.tariff,
            lines,
            multiplier: t.computed.multiplier,
            estimated: t.estimated,
            inputs: &t.inputs,
            by: cx.staff_id(),
            at: &cx.at,
        };
        if known.contains_key(&t.customer_id) {
            again.push((t, draft));
        } else {
            fresh.push((t, draft));
        }
    }
    let new_drafts: Vec<NewDraft<'_>> = fresh.iter().map(|(_, d)| d.clone()).collect();
    store::insert_new_drafts(tx, &new_drafts)?;
    for (t, d) in &fresh {
        if t.computed.flags.is_empty() {
            continue;
        }
        let id = store::draft_id(tx, d.customer_id, d.period)?
            .ok_or_else(|| ServiceError::Refused("账单草稿未能保存".into()))?;
        for (flag, detail) in &t.computed.flags {
            store::insert_flag(tx, id, &t.inputs, *flag, detail)?;
        }
    }
    for (t, d) in &again {
        let id = store::upsert_draft(tx, d)?;
        for (flag, detail) in &t.computed.flags {
            store::insert_flag(tx, id, &t.inputs, *flag, detail)?;
        }
    }
    Ok(())
}

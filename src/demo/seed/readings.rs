//! The demo's readings (issue 15): a reading book per 台区 with its reader and reading day,
//! thirteen months of readings for every meter (the month before the billed year is the
//! baseline), some estimated, a few missed, the swaps of the meter history read through
//! (the old meter's last stretch ends at its final reading), and the 台区 summary meters with
//! normal, high and negative loss and one register rollover. The year's bills are computed
//! from these readings by the same rules the station uses (`domain::bill_run`), so the
//! demo's bills come from its readings. This month's readings of the books already read
//! are left for the station to compute and review (`seed_current_month`).
use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use rust_decimal::Decimal;

use super::billing::plan::{self, DemoCustomer};
use super::readings_aside::{self as aside, PendingReadings, ReadRow, Sink, SmallWrites};
use crate::domain::bill_run::{self, BillInputs, Prices};
use crate::domain::billing::Period;
use crate::domain::customer::UsageCategory;
use crate::domain::meter::{self, Segment};
use crate::domain::money;
use crate::domain::reading::ReadingKind;
use crate::service::{Service, ServiceResult};
use crate::store::Store;

/// Reading days of the books, by 台区 in order: the first two are read at the very start of
/// a month, so this month's readings of those two are in whenever the demo is built.
const DAYS: [u32; 9] = [1, 2, 8, 12, 15, 18, 20, 22, 25];

/// The bills the readings give: per customer, (period, kWh, 分) for each month billed.
pub type DemoBills = HashMap<i64, Vec<(Period, i64, i64)>>;

/// What the demo's readings hold.
#[derive(Clone, Debug, Default)]
pub struct DemoReadings {
    pub bills: DemoBills,
    pub readings: usize,
    pub estimated: usize,
    pub missed: usize,
    /// 台区 whose books are read this month (their bills left to compute and review)
    pub current_areas: Vec<(i64, NaiveDate)>,
    /// each customer's 台区 (the billing seed keeps the sales per 台区 with its bills)
    pub areas: HashMap<i64, i64>,
}

struct Cust {
    id: i64,
    area: Option<i64>,
    usage: UsageCategory,
}

struct Swap {
    on: NaiveDate,
    new_meter: i64,
    init: i64,
    mult: u32,
    old: Option<(i64, i64, u32)>,
}

/// Hash of a few numbers (deterministic, like the rest of the demo).
fn h(seed: u64, a: u64, b: u64) -> u64 {
    plan::mix(seed, a, b)
}

fn reading_day(area_index: usize, p: Period) -> NaiveDate {
    p.first_day() + Duration::days(i64::from(DAYS[area_index % DAYS.len()]) - 1)
}

/// A customer's cumulative consumption (centi-kWh) at any day, from its monthly kWh between
/// reading days (straight lines between them; integers, so the registers are exact).
struct Curve {
    points: Vec<(i64, i64)>,
}

fn day_no(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

/// `a × b / c` rounded half-up, for non-negative `a × b` and positive `c`.
fn mul_div(a: i64, b: i64, c: i64) -> i64 {
    let c = c.max(1);
    let p = a * b;
    if p >= 0 {
        (p + c / 2) / c
    } else {
        -((-p + c / 2) / c)
    }
}

impl Curve {
    fn at(&self, t: NaiveDate) -> i64 {
        let t = day_no(t);
        let n = self.points.len();
        if n == 0 {
            return 0;
        }
        if n == 1 {
            return self.points[0].1;
        }
        let seg = |a: (i64, i64), b: (i64, i64)| a.1 + mul_div(b.1 - a.1, t - a.0, b.0 - a.0);
        if t <= self.points[0].0 {
            return seg(self.points[0], self.points[1]);
        }
        for w in self.points.windows(2) {
            if t <= w[1].0 {
                return seg(w[0], w[1]);
            }
        }
        seg(self.points[n - 2], self.points[n - 1])
    }
}

/// One reading made in memory.
#[derive(Clone, Copy)]
pub(super) struct Read {
    pub meter: i64,
    pub period: Period,
    pub on: NaiveDate,
    pub kind: ReadingKind,
    pub value: Option<i64>,
    pub rollover: bool,
}

/// The year's readings made in memory, and written into a file of their own by a thread of
/// their own while the billing goes on (the two cores of the station's PC both work);
/// [`aside::finish`] then moves them into the database in one statement, with the reading books,
/// the loss notes and the audit entry, in one transaction. Returns the bills they give.
pub fn seed(
    store: Store,
    dir: &Path,
    now: NaiveDateTime,
    seed: u64,
    prices: Prices,
) -> ServiceResult<(DemoReadings, PendingReadings)> {
    let (mut sink, writer) = aside::start(store.conn(), dir)?;
    let planned = plan_all(store.conn(), now.date(), seed, &prices, &mut sink);
    // the last rows, and the end of the rows for the writer
    drop(sink);
    let (out, small) = planned?;
    Ok((out, writer.pending(small)))
}

/// Everything the readings step makes, from what the database holds: the readings go to
/// `sink`, the other writes are returned.
fn plan_all(
    tx: &Connection,
    today: NaiveDate,
    seed: u64,
    prices: &Prices,
    sink: &mut Sink,
) -> crate::store::StoreResult<(DemoReadings, SmallWrites)> {
    let mut small = SmallWrites::default();
    let areas: Vec<(i64, Option<i64>)> = tx
        .prepare("SELECT id, manager_id FROM transformer_area ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let Some(any_staff) = tx.query_row("SELECT MIN(id) FROM staff", [], |r| {
        r.get::<_, Option<i64>>(0)
    })?
    else {
        return Ok((DemoReadings::default(), small));
    };
    let area_index: HashMap<i64, usize> = areas.iter().enumerate().map(|(i, a)| (a.0, i)).collect();
    let manager: HashMap<i64, i64> = areas
        .iter()
        .map(|(a, m)| (*a, m.unwrap_or(any_staff)))
        .collect();
    for (i, (a, m)) in areas.iter().enumerate() {
        small
            .books
            .push((*a, *m, DAYS[i % DAYS.len()], m.unwrap_or(any_staff)));
    }
    let customers: Vec<Cust> = tx
        .prepare(
            "SELECT id, area_id, usage_category FROM customer WHERE status <> 'closed' ORDER BY id",
        )?
        .query_map([], |r| {
            Ok(Cust {
                id: r.get(0)?,
                area: r.get(1)?,
                usage: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut swaps: HashMap<i64, Vec<Swap>> = HashMap::new();
    {
        let mut stmt = tx.prepare(
            "SELECT customer_id, swapped_on, new_meter_id, new_initial_centi, new_multiplier,
                    old_meter_id, old_final_centi, old_multiplier
               FROM meter_swap ORDER BY customer_id, id",
        )?;
        let rows = stmt.query_map([], |r| {
            let old = match (
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, Option<i64>>(6)?,
                r.get::<_, Option<u32>>(7)?,
            ) {
                (Some(m), Some(f), Some(x)) => Some((m, f, x)),
                _ => None,
            };
            Ok((
                r.get::<_, i64>(0)?,
                Swap {
                    on: r.get::<_, crate::store::convert::Day>(1)?.0,
                    new_meter: r.get(2)?,
                    init: r.get(3)?,
                    mult: r.get(4)?,
                    old,
                },
            ))
        })?;
        for row in rows {
            let (c, s) = row?;
            swaps.entry(c).or_default().push(s);
        }
    }
    let digits: HashMap<i64, Option<u32>> = tx
        .prepare("SELECT id, digits FROM meter WHERE customer_id IS NOT NULL OR area_id IS NOT NULL OR status = 'removed'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;

    let last = Period::of(today).prev();
    let base = last.plus(-12);
    let current = Period::of(today);
    let billed: Vec<Period> = (0..12).map(|i| last.plus(i - 11)).collect();
    let mut out = DemoReadings::default();
    for (i, (a, _)) in areas.iter().enumerate() {
        // read on an earlier day of this month (a book read today is not read yet at dawn)
        let day = reading_day(i, current);
        if day < today {
            out.current_areas.push((*a, day));
        }
    }
    // kWh sold per 台区 and period (the summary meters' supply follows it)
    let mut sales: HashMap<(i64, Period), i64> = HashMap::new();
    // three households of the first 台区 billed at the commercial price (the provincial
    // file's tariff code): the checker's 电价类别与用电类别不符
    let first_area = areas.first().map(|a| a.0);
    let mismatched: Vec<i64> = customers
        .iter()
        .filter(|c| c.area == first_area && c.usage == UsageCategory::Residential)
        .map(|c| c.id)
        .skip(7)
        .take(3)
        .collect();
    small.tariff = mismatched.clone();
    for c in &customers {
        let (Some(area), Some(sw)) = (c.area, swaps.get(&c.id)) else {
            continue;
        };
        let ai = area_index.get(&area).copied().unwrap_or(0);
        let dc = DemoCustomer {
            id: c.id,
            residential: c.usage == UsageCategory::Residential,
            habit: plan::habit(seed, c.id),
        };
        let reads_now = out.current_areas.iter().any(|(a, _)| *a == area);
        // the months read: the baseline, the year billed and, for the books read, this one
        let mut periods: Vec<Period> = (0..13).map(|i| base.plus(i)).collect();
        if reads_now {
            periods.push(current);
        }
        let kwh = |p: Period| -> i64 {
            let k = plan::kwh(seed, &dc, p);
            if p != current {
                return k;
            }
            // this month: a few jumps and a few zeros for the checker
            match h(seed, c.id as u64, 77) % 200 {
                0..=3 => k * 4,
                4 => 0,
                _ => k,
            }
        };
        let mut cum = (1000 + (c.id % 5000)) * 100;
        let mut points = Vec::with_capacity(periods.len());
        for (k, p) in periods.iter().enumerate() {
            if k > 0 {
                cum += kwh(*p) * 100;
            }
            points.push((day_no(reading_day(ai, *p)), cum));
        }
        let curve = Curve { points };
        // the meters' registers at a day (centi-kWh)
        let register = |t: NaiveDate| -> Option<(i64, i64)> {
            let k = sw.iter().rposition(|s| s.on <= t)?;
            let s = &sw[k];
            let v = match sw.get(k + 1).and_then(|n| n.old.map(|o| (n.on, o))) {
                // removed later at its final reading
                Some((off, (_, fin, m))) => {
                    let to_go = mul_div(curve.at(off) - curve.at(t), 1, i64::from(m.max(1)));
                    (fin - to_go).max(s.init)
                }
                None => s.init + mul_div(curve.at(t) - curve.at(s.on), 1, i64::from(s.mult.max(1))),
            };
            Some((s.new_meter, v))
        };
        let estimated_run = h(seed, c.id as u64, 5) % 997 == 3;
        let mut reads: Vec<Read> = Vec::with_capacity(periods.len());
        for (k, p) in periods.iter().enumerate() {
            let on = reading_day(ai, *p);
            let Some((m, v)) = register(on) else { continue };
            let roll = h(seed, c.id as u64, 1000 + k as u64);
            let kind = if *p == base {
                ReadingKind::Actual
            } else if estimated_run && (*p == current || *p == last || *p == last.prev()) {
                ReadingKind::Estimated
            } else if *p != current && roll % 1500 == 7 {
                ReadingKind::Missed
            } else if roll % 100 == 3 {
                ReadingKind::Estimated
            } else if roll % 50 == 5 {
                ReadingKind::Customer
            } else {
                ReadingKind::Actual
            };
            reads.push(Read {
                meter: m,
                period: *p,
                on,
                kind,
                value: (kind != ReadingKind::Missed).then_some(v),
                rollover: false,
            });
        }
        // bills of the year from the readings, as the station computes them
        let mut year_before: HashMap<i32, i64> = HashMap::new();
        let first_billed = billed[0];
        if first_billed.month() > 1 {
            let mut p = Period::new(first_billed.year(), 1).unwrap_or(first_billed);
            let mut sum = 0;
            while p < first_billed {
                sum += plan::kwh(seed, &dc, p);
                p = p.next();
            }
            year_before.insert(first_billed.year(), sum);
        }
        let mut bills = Vec::new();
        for p in &billed {
            let Some(now_read) = reads.iter().find(|r| r.period == *p) else {
                continue;
            };
            let Some(to) = now_read.value else { continue };
            let mut segments = Vec::new();
            let prev = reads
                .iter()
                .rev()
                .find(|r| r.meter == now_read.meter && r.period < *p && r.value.is_some());
            let mult = sw
                .iter()
                .find(|s| s.new_meter == now_read.meter)
                .map_or(1, |s| s.mult);
            let from = match prev {
                Some(r) => r.value.unwrap_or(0),
                None => {
                    let Some(s) = sw.iter().rev().find(|s| s.new_meter == now_read.meter) else {
                        continue;
                    };
                    if let Some((old, fin, om)) = s.old {
                        let start = reads
                            .iter()
                            .rev()
                            .find(|r| r.meter == old && r.value.is_some())
                            .and_then(|r| r.value)
                            .unwrap_or_else(|| {
                                sw.iter().find(|x| x.new_meter == old).map_or(0, |x| x.init)
                            });
                        segments.push(Segment {
                            from: meter::from_centi(start),
                            to: meter::from_centi(fin),
                            multiplier: om,
                            digits: digits.get(&old).copied().flatten(),
                            rollover_confirmed: false,
                        });
                    }
                    s.init
                }
            };
            segments.push(Segment {
                from: meter::from_centi(from),
                to: meter::from_centi(to),
                multiplier: mult,
                digits: digits.get(&now_read.meter).copied().flatten(),
                rollover_confirmed: false,
            });
            let yb = year_before.entry(p.year()).or_insert(0);
            let inputs = BillInputs {
                usage: c.usage,
                tariff: mismatched
                    .contains(&c.id)
                    .then_some(UsageCategory::Commercial),
                active: true,
                segments,
                year_before: Decimal::from(*yb),
                last_year: None,
                recent: Vec::new(),
                estimated_thrice: false,
                last_multiplier: None,
            };
            let Ok(done) = bill_run::compute(&inputs, prices, Decimal::ONE_HUNDRED) else {
                continue;
            };
            *yb += done.kwh;
            *sales.entry((area, *p)).or_default() += done.kwh;
            let fen = money::to_fen(done.amount).unwrap_or(0);
            if fen > 0 {
                bills.push((*p, done.kwh, fen));
            }
        }
        if reads_now {
            // this month's consumption, for the summary meter's supply
            *sales.entry((area, current)).or_default() += kwh(current);
        }
        out.bills.insert(c.id, bills);
        out.areas.insert(c.id, area);
        let reader = manager.get(&area).copied();
        for r in &reads {
            write_read(sink, r, Some(c.id), None, reader.unwrap_or(any_staff))?;
            out.readings += 1;
            match r.kind {
                ReadingKind::Estimated => out.estimated += 1,
                ReadingKind::Missed => out.missed += 1,
                _ => {}
            }
        }
    }
    // the summary meters: supply = sales × the 台区's loss, on a 600/5 CT (×120)
    let summary: Vec<(i64, i64, u32, Option<u32>)> = tx
        .prepare("SELECT id, area_id, multiplier, digits FROM meter WHERE area_id IS NOT NULL AND status = 'service' ORDER BY area_id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    for (meter_id, area, mult, digits) in summary {
        let ai = area_index.get(&area).copied().unwrap_or(0);
        let cap = digits.and_then(meter::register_capacity);
        let mut periods: Vec<Period> = (0..13).map(|i| base.plus(i)).collect();
        if out.current_areas.iter().any(|(a, _)| *a == area) {
            periods.push(current);
        }
        // one register close to its end, to roll over during the year
        let monthly = sales.get(&(area, last)).copied().unwrap_or(0) / i64::from(mult.max(1));
        let mut value = match (ai, cap) {
            (2, Some(cap)) => cap - Decimal::from(monthly * 19 / 2),
            _ => Decimal::from(50_000 + 1_000 * ai as i64),
        };
        for (k, p) in periods.iter().enumerate() {
            let mut rollover = false;
            if k > 0 {
                let sold = Decimal::from(sales.get(&(area, *p)).copied().unwrap_or(0));
                let back = k as i32 - 13;
                let factor = match ai {
                    // a negative loss last month: a wrong reading or multiplier somewhere
                    0 if *p == last => Decimal::new(97, 2),
                    // high for the last three months
                    1 if back >= -3 => Decimal::new(116, 2),
                    _ => Decimal::new(104 + (ai as i64 % 3), 2),
                };
                value += (sold * factor / Decimal::from(mult.max(1))).round_dp(2);
                if let Some(cap) = cap
                    && value >= cap
                {
                    value -= cap;
                    rollover = true;
                }
            }
            let r = Read {
                meter: meter_id,
                period: *p,
                on: reading_day(ai, *p),
                kind: ReadingKind::Actual,
                value: Some(meter::to_centi(value)),
                rollover,
            };
            write_read(
                sink,
                &r,
                None,
                Some(area),
                manager.get(&area).copied().unwrap_or(any_staff),
            )?;
            out.readings += 1;
        }
        // the high 台区: the manager explained the months before last, not last month yet
        if ai == 1 {
            for back in [2, 3] {
                small.loss_notes.push((
                    area,
                    last.plus(1 - back).to_string(),
                    manager.get(&area).copied().unwrap_or(any_staff),
                ));
            }
        }
    }
    small.counts = (out.readings, out.missed);
    Ok((out, small))
}

fn write_read(
    sink: &mut Sink,
    r: &Read,
    customer: Option<i64>,
    area: Option<i64>,
    reader: i64,
) -> crate::store::StoreResult<()> {
    sink.push(ReadRow {
        read: *r,
        customer,
        area,
        reader,
    });
    Ok(())
}

/// This month's readings of the books already read, computed by the station's own service
/// (by the chief, at 17:30 on the reading day) with the flags left open for the checker.
pub fn seed_current_month(
    db: &std::path::Path,
    dir: &std::path::Path,
    areas: &[(i64, NaiveDate)],
) -> ServiceResult<usize> {
    let mut flagged = 0;
    for (a, day) in areas {
        let at = day.and_hms_opt(17, 30, 0).unwrap_or_default();
        let mut svc = Service::new(
            super::demo_store(db)?,
            dir.to_path_buf(),
            std::sync::Arc::new(crate::domain::clock::FixedClock::new(at)),
        );
        let Some(chief) = svc
            .list_staff()?
            .into_iter()
            .find(|s| s.active && s.role == crate::domain::role::Role::Chief)
        else {
            return Ok(0);
        };
        let session = crate::service::auth::session_of(&chief);
        flagged += svc
            .compute_bills(&session, Period::of(*day), Some(*a))?
            .flagged;
    }
    Ok(flagged)
}

//! Meters for the demo station (issue 13): every customer's meter in service (several makers,
//! classes and ages; some past `valid_until`; CT meters with multipliers on the large
//! customers), a 台区 summary meter per 台区, swaps in the history, meters in stock, in
//! verification and scrapped, and one batch extended by the regulator.
//!
//! Written in bulk in one transaction (100,000 customers: 300,000 rows), with the same
//! shapes the meter service writes and one audit entry per kind of step.
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rusqlite::params;

use crate::demo::rng::Rng;
use crate::domain::clock;
use crate::domain::meter::{AccuracyClass, MeterKind, MeterStatus};
use crate::domain::role::Role;
use crate::service::ServiceResult;
use crate::store::audit::{self, Actor, Changes, NewEntry};
use crate::store::convert::Day;
use crate::store::{Store, StoreResult};

mod writer;

use writer::Writer;

/// The stream of the demo's random draws for meters.
const STREAM: u64 = 0x006D_6574_6572;

const MAKERS: [&str; 5] = ["华立", "威胜", "林洋", "正泰", "许继"];

/// The batch the demo regulator extended by four years.
pub const EXTENDED_MAKER: &str = "华立";
pub const EXTENDED_BATCH: &str = "B2017-02";

/// What the demo recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoMeters {
    pub in_service: usize,
    pub expired: usize,
    pub swaps: usize,
    pub stock: usize,
    pub plan: DemoPlan,
    /// on-site checks recorded
    pub checks: usize,
}

struct Customer {
    id: i64,
    usage: String,
    kva: f64,
}

/// A meter's description before it is written.
#[derive(Clone)]
struct Spec {
    kind: MeterKind,
    accuracy: AccuracyClass,
    maker: &'static str,
    batch: String,
    ct: Option<(u32, u32)>,
    produced: NaiveDate,
}

fn spec(rng: &mut Rng, kva: f64, today: NaiveDate, newer_than: Option<NaiveDate>) -> Spec {
    let maker = MAKERS[rng.below(MAKERS.len() as u64) as usize];
    // produced in the last eight years, a few older ones left over (a replacement is produced
    // after the meter it replaces)
    let oldest = if rng.chance(40) {
        2012
    } else {
        today.year() - 8
    };
    let from = newer_than
        .map_or(oldest, |d| d.year() + 1)
        .min(today.year() - 1);
    let year = rng.range(from as u64, (today.year() - 1) as u64) as i32;
    let month = rng.range(1, 12) as u32;
    let produced = NaiveDate::from_ymd_opt(year, month, rng.range(1, 28) as u32).unwrap_or(today);
    let batch = format!("B{year}-{:02}", month.div_ceil(2));
    let (kind, accuracy, ct) = if kva >= 315.0 {
        let ratio = [(300, 5), (400, 5), (600, 5)][rng.below(3) as usize];
        (MeterKind::ThreeCt, AccuracyClass::C05S, Some(ratio))
    } else if kva >= 50.0 {
        (MeterKind::Three, AccuracyClass::C1, None)
    } else {
        (MeterKind::Single, AccuracyClass::C2, None)
    };
    Spec {
        kind,
        accuracy,
        maker,
        batch,
        ct,
        produced,
    }
}

/// Write the demo's meters into the database of `store` as of `now`.
pub fn seed(mut store: Store, now: NaiveDateTime, seed: u64) -> ServiceResult<DemoMeters> {
    store.tune_for_demo_load()?;
    let (customers, areas, staff) = read_inputs(store.conn())?;
    if staff.is_empty() {
        return Ok(DemoMeters::default());
    }
    let actor = Actor::system("演示数据");
    let at = clock::to_db(now);
    store.write(|tx| -> ServiceResult<DemoMeters> {
        Ok(write_all(
            tx, &customers, &areas, &staff, seed, now, &at, &actor,
        )?)
    })
}

type Inputs = (Vec<Customer>, Vec<i64>, Vec<i64>);

/// The customers, 台区 and the staff who install meters.
fn read_inputs(conn: &rusqlite::Connection) -> StoreResult<Inputs> {
    let customers: Vec<Customer> = conn
        .prepare(
            "SELECT id, usage_category, contracted_kva FROM customer WHERE status <> 'closed' ORDER BY id",
        )?
        .query_map([], |r| {
            let kva: String = r.get(2)?;
            Ok(Customer {
                id: r.get(0)?,
                usage: r.get(1)?,
                kva: kva.trim().parse().unwrap_or(0.0),
            })
        })?
        .collect::<Result<_, _>>()
        ?;
    let areas: Vec<i64> = conn
        .prepare("SELECT id FROM transformer_area ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let staff: Vec<i64> = conn
        .prepare("SELECT id FROM staff WHERE active = 1 AND role IN (?1, ?2) ORDER BY id")?
        .query_map(params![Role::AreaManager, Role::Chief], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok((customers, areas, staff))
}

#[allow(clippy::too_many_arguments)]
fn write_all(
    tx: &rusqlite::Connection,
    customers: &[Customer],
    areas: &[i64],
    staff: &[i64],
    seed: u64,
    now: NaiveDateTime,
    at: &str,
    actor: &Actor,
) -> StoreResult<DemoMeters> {
    let today = now.date();
    {
        let mut w = Writer::new(tx, at, staff, 0)?;
        let mut out = DemoMeters::default();
        for c in customers {
            let mut rng = Rng::for_item(seed, STREAM, c.id as u64);
            let first = spec(&mut rng, c.kva, today, None);
            let installed = first.produced + Duration::days(rng.range(20, 120) as i64);
            let installed = installed.min(today);
            let m1 = w.meter(
                &first,
                MeterStatus::Stock,
                first.produced + Duration::days(10),
            )?;
            let mult = first.ct.map_or(1, |(p, q)| p / q);
            w.install(c.id, None, m1, 0, mult, installed, "install")?;
            // about one in twelve was swapped since (rotation of an older meter)
            if c.usage == "residential" && rng.chance(80) && installed < today - Duration::days(400)
            {
                let second = spec(&mut rng, c.kva, today, Some(first.produced));
                let m2 = w.meter(
                    &second,
                    MeterStatus::Stock,
                    second.produced + Duration::days(10),
                )?;
                let day = (second.produced + Duration::days(rng.range(40, 200) as i64)).min(today);
                let fin = i64::try_from(rng.range(1_000, 30_000)).unwrap_or(1_000) * 100;
                w.install(c.id, Some((m1, fin)), m2, 0, 1, day, "rotation")?;
                // the removed meter: verified and scrapped, or still waiting
                if rng.chance(600) {
                    w.status(m1, MeterStatus::Removed, MeterStatus::Testing, day)?;
                    w.status(
                        m1,
                        MeterStatus::Testing,
                        MeterStatus::Scrapped,
                        day + Duration::days(7),
                    )?;
                }
                out.swaps += 1;
            }
            out.in_service += 1;
            // large customers' installations: checked on site about yearly, some now due
            if c.kva >= 315.0 {
                let ago = rng.range(150, 420) as i64;
                let day = today - Duration::days(ago);
                if day > installed {
                    let staff = w.staff[(c.id as usize) % w.staff.len()];
                    tx.prepare_cached(
                        "INSERT INTO meter_check (meter_id, checked_on, result, note, staff_id,
                                                  recorded_by, at)
                         VALUES (?1, ?2, 'ok', '', ?3, ?3, ?4)",
                    )?
                    .execute(params![
                        m1,
                        Day(day),
                        staff,
                        format!("{} 10:00:00", day)
                    ])?;
                    out.checks += 1;
                }
            }
        }
        // a summary meter (考核表) on every 台区
        for (i, &area) in areas.iter().enumerate() {
            let mut rng = Rng::for_item(seed, STREAM ^ 1, i as u64);
            let mut s = spec(
                &mut rng,
                400.0,
                today,
                Some(today - Duration::days(3 * 365)),
            );
            s.ct = Some((600, 5));
            let id = w.meter(&s, MeterStatus::Stock, s.produced + Duration::days(10))?;
            w.place(id, MeterStatus::InService, None, Some(area), "台区总表", "")?;
            w.event(
                id,
                Some(MeterStatus::Stock),
                MeterStatus::InService,
                None,
                "台区总表",
                s.produced + Duration::days(40),
            )?;
        }
        // this year's delivery in stock, some in verification
        let mut rng = Rng::for_item(seed, STREAM ^ 2, 0);
        let stock = (customers.len() / 200).clamp(20, 500);
        for i in 0..stock {
            let mut s = spec(&mut rng, 4.0, today, Some(today - Duration::days(400)));
            s.batch = format!("B{}-01", today.year());
            s.produced = NaiveDate::from_ymd_opt(today.year(), 1, 10).unwrap_or(today);
            let status = if i % 10 == 9 {
                MeterStatus::Testing
            } else {
                MeterStatus::Stock
            };
            w.meter(&s, status, s.produced + Duration::days(40))?;
        }
        out.stock = stock;
        w.flush()?;
        // the regulator extended one batch by four years
        let extended: i64 = tx.query_row(
            "SELECT count(*) FROM meter WHERE maker = ?1 AND batch = ?2 AND status <> 'scrapped'",
            params![EXTENDED_MAKER, EXTENDED_BATCH],
            |r| r.get(0),
        )?;
        if extended > 0 {
            tx.execute(
                "UPDATE meter SET valid_until = date(valid_until, '+4 years')
                  WHERE maker = ?1 AND batch = ?2 AND status <> 'scrapped'",
                params![EXTENDED_MAKER, EXTENDED_BATCH],
            )?;
            tx.execute(
                "INSERT INTO meter_extension (at, staff_id, doc_no, years, maker, batch, meters)
                 VALUES (?1, ?2, '鲁质监量函〔2025〕18号', 4, ?3, ?4, ?5)",
                params![at, staff[0], EXTENDED_MAKER, EXTENDED_BATCH, extended],
            )?;
        }
        out.expired = usize::try_from(tx.query_row(
            "SELECT count(*) FROM meter WHERE status = 'service' AND valid_until < ?1",
            [Day(today)],
            |r| r.get::<_, i64>(0),
        )?)
        .unwrap_or(0);
        audit::append(
            tx,
            NewEntry {
                at: now,
                actor,
                action: "meter.import_demo",
                entity: "meter",
                entity_id: "demo",
                changes: Changes::new()
                    .note("count", w.next_asset as i64)
                    .note("swaps", out.swaps as i64)
                    .note("extended", extended),
            },
        )?;
        Ok(out)
    }
}

/// What the demo's rotation plan holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DemoPlan {
    pub items: usize,
    pub done: usize,
    pub late: usize,
    pub assessed: usize,
}

/// This year's rotation plan: proposed and approved by the chief in the first week of
/// January, reports by the area managers during the year, most items of the months gone by
/// swapped (some late, some not at all), part of this month's; then the month-end check
/// assesses the items not done in their month.
pub fn seed_plan(
    store: Store,
    dir: &std::path::Path,
    now: NaiveDateTime,
    seed: u64,
) -> ServiceResult<DemoPlan> {
    use crate::domain::clock::FixedClock;
    use crate::service::Service;
    store.tune_for_demo_load()?;
    let today = now.date();
    let year = today.year();
    // never after the build's own time (a demo built on 2 January plans that morning)
    let jan = |d: u32| {
        NaiveDate::from_ymd_opt(year, 1, d)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap_or(now)
            .min(now - Duration::minutes(i64::from(10 - d)))
    };
    let clock = FixedClock::new(jan(5));
    let mut svc = Service::new(store, dir.to_path_buf(), std::sync::Arc::new(clock.clone()));
    let staff = svc.list_staff()?;
    let Some(chief) = staff
        .iter()
        .find(|s| s.active && s.role == Role::Chief)
        .map(crate::service::auth::session_of)
    else {
        return Ok(DemoPlan::default());
    };
    let managers: Vec<_> = staff
        .iter()
        .filter(|s| s.active && s.role == Role::AreaManager)
        .map(crate::service::auth::session_of)
        .collect();
    svc.propose_rotation_plan(&chief, &year.to_string())?;
    clock.set(jan(6));
    svc.approve_rotation_plan(&chief, year)?;
    // a few meters reported by the area managers during the year (yesterday afternoon)
    let plan = svc.rotation_plan(year)?;
    let in_plan: std::collections::HashSet<i64> = plan.items.iter().map(|i| i.meter_id).collect();
    let spare: Vec<String> = svc
        .store()
        .conn()
        .prepare(
            "SELECT asset_no FROM meter WHERE status = 'service' AND customer_id IS NOT NULL
              ORDER BY id DESC LIMIT 200",
        )
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(crate::store::StoreError::from)?;
    clock.set(
        (today - Duration::days(1))
            .and_hms_opt(16, 10, 0)
            .unwrap_or(now)
            .min(now),
    );
    let notes = ["表计黑屏", "封印缺失", "表计超期未换", "表箱进水"];
    let mut reported = 0;
    for (k, no) in spare.iter().enumerate() {
        if reported >= managers.len() * 2 {
            break;
        }
        let Some(m) = crate::store::meters::by_asset_no(svc.store().conn(), no)? else {
            continue;
        };
        if in_plan.contains(&m.id) || managers.is_empty() {
            continue;
        }
        let who = &managers[k % managers.len()];
        if svc
            .report_rotation_meter(who, year, no, notes[k % notes.len()])
            .is_ok()
        {
            reported += 1;
        }
    }
    // the swaps of the year: written in bulk
    let plan = svc.rotation_plan(year)?;
    let staff_ids: Vec<i64> = staff
        .iter()
        .filter(|s| s.active && matches!(s.role, Role::AreaManager | Role::Chief))
        .map(|s| s.id)
        .collect();
    let mut out = DemoPlan {
        items: plan.items.len(),
        ..DemoPlan::default()
    };
    let at = clock::to_db(now);
    let done = svc
        .store_mut()
        .write(|tx| -> ServiceResult<(usize, usize)> {
            Ok(swap_plan_items(
                tx,
                &plan.items,
                &staff_ids,
                seed,
                today,
                &at,
            )?)
        })?;
    out.done = done.0;
    out.late = done.1;
    // the month-end check, as run at today's first sign-in
    clock.set(now);
    out.assessed = svc.run_assessment_check(&[])?;
    Ok(out)
}

/// Swap most items of the months gone by (a tenth of them late, a sixth not at all) and a
/// third of this month's, in one transaction. Returns (done, of which late).
fn swap_plan_items(
    tx: &rusqlite::Connection,
    items: &[crate::store::rotation::ItemRow],
    staff: &[i64],
    seed: u64,
    today: NaiveDate,
    at: &str,
) -> StoreResult<(usize, usize)> {
    if staff.is_empty() {
        return Ok((0, 0));
    }
    let next_asset: i64 = tx.query_row("SELECT count(*) FROM meter", [], |r| r.get(0))?;
    let mut w = Writer::new(
        tx,
        at,
        staff,
        u64::try_from(next_asset).unwrap_or(0) + 500_000,
    )?;
    let (mut done, mut late) = (0, 0);
    for i in items {
        // a meter reported yesterday is not swapped yet
        let (Some(customer), false) = (
            i.customer_id,
            i.source == crate::domain::rotation::Source::Reported,
        ) else {
            continue;
        };
        let mut rng = Rng::for_item(seed, STREAM ^ 3, i.id as u64);
        let end = crate::domain::rotation::month_end(today.year(), i.month);
        let first = NaiveDate::from_ymd_opt(today.year(), i.month, 1).unwrap_or(today);
        let day = if end < today {
            if rng.chance(170) {
                continue; // not done
            }
            if rng.chance(100) {
                late += 1;
                end + Duration::days(rng.range(1, 20) as i64)
            } else {
                first + Duration::days(rng.range(0, (end - first).num_days().max(0) as u64) as i64)
            }
        } else if i.month == today.month() && today.day() > 1 && rng.chance(330) {
            first + Duration::days(rng.range(0, u64::from(today.day() - 2)) as i64)
        } else {
            continue;
        };
        // no later than yesterday: nothing is recorded after the build
        let day = day.min(today - Duration::days(1));
        let s = spec(&mut rng, 4.0, today, Some(today - Duration::days(400)));
        let new = w.meter(&s, MeterStatus::Stock, day - Duration::days(3))?;
        let fin = i64::try_from(rng.range(2_000, 40_000)).unwrap_or(2_000) * 100;
        let swap_id = w.install(
            customer,
            Some((i.meter_id, fin)),
            new,
            0,
            1,
            day,
            "rotation",
        )?;
        crate::store::rotation::mark_done(tx, i.id, swap_id, day)?;
        done += 1;
    }
    w.flush()?;
    Ok((done, late))
}

/// Meters in service past their verification period on `today`.
pub fn expired_in_service(store: &Store, today: NaiveDate) -> ServiceResult<usize> {
    let n: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM meter WHERE status = 'service' AND valid_until < ?1",
            [Day(today)],
            |r| r.get(0),
        )
        .map_err(crate::store::StoreError::from)?;
    Ok(usize::try_from(n).unwrap_or(0))
}

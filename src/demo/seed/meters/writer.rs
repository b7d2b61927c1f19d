//! The demo's meters written as the meter service writes them, gathered in memory and
//! written a few hundred rows to a statement (`meters::seed`, `meters::seed_plan`).
use chrono::{Duration, NaiveDate};
use rusqlite::params;

use super::Spec;
use crate::domain::meter::{self, MeterStatus};
use crate::store::StoreResult;
use crate::store::bulk::Rows;
use crate::store::convert::Day;

/// A meter the writer made, as it is at the end of the build (written once, by [`Writer::flush`]).
struct MeterRow {
    asset: String,
    spec: Spec,
    verified: NaiveDate,
    valid: NaiveDate,
    received: NaiveDate,
    status: MeterStatus,
    customer: Option<i64>,
    area: Option<i64>,
    position: &'static str,
    seals: String,
}

/// Writes meters, their status changes and swaps as the meter service does, gathered in
/// memory and written a few hundred rows to a statement by [`Writer::flush`] (a meter once,
/// in its state at the end, instead of inserted and then updated at each change). Meters
/// already in the database (below `first_id`) are changed in place.
pub(super) struct Writer<'a> {
    tx: &'a rusqlite::Connection,
    at: String,
    pub(super) staff: Vec<i64>,
    pub(super) next_asset: u64,
    /// the id of the first meter made here
    first_id: i64,
    meters: Vec<MeterRow>,
    events: Rows,
    next_event: i64,
    swaps: Rows,
    next_swap: i64,
}

/// Meters made before what was made is written.
const FLUSH_EVERY: usize = 2_000;

const METER_COLUMNS: &[&str] = &[
    "id",
    "asset_no",
    "kind",
    "accuracy",
    "maker",
    "batch",
    "digits",
    "ct_ratio",
    "multiplier",
    "produced_on",
    "verified_on",
    "valid_until",
    "status",
    "customer_id",
    "area_id",
    "position",
    "seals",
    "received_on",
];

const EVENT_COLUMNS: &[&str] = &[
    "id",
    "meter_id",
    "at",
    "staff_id",
    "from_status",
    "to_status",
    "customer_id",
    "reason",
];

const SWAP_COLUMNS: &[&str] = &[
    "id",
    "customer_id",
    "swapped_on",
    "at",
    "staff_id",
    "recorded_by",
    "reason",
    "old_meter_id",
    "old_final_centi",
    "old_multiplier",
    "old_seals",
    "new_meter_id",
    "new_initial_centi",
    "new_multiplier",
    "new_seals",
];

/// A meter's multiplier: its CT ratio's, or 1.
fn multiplier_of(s: &Spec) -> u32 {
    s.ct.map_or(1, |(p, q)| p / q)
}

impl<'a> Writer<'a> {
    pub(super) fn new(
        tx: &'a rusqlite::Connection,
        at: &str,
        staff: &[i64],
        next_asset: u64,
    ) -> StoreResult<Self> {
        use crate::store::bulk::max_id;
        Ok(Writer {
            tx,
            at: at.to_string(),
            staff: staff.to_vec(),
            next_asset,
            first_id: max_id(tx, "meter")? + 1,
            meters: Vec::new(),
            events: Rows::new(EVENT_COLUMNS.len()),
            next_event: max_id(tx, "meter_event")? + 1,
            swaps: Rows::new(SWAP_COLUMNS.len()),
            next_swap: max_id(tx, "meter_swap")? + 1,
        })
    }

    /// The meter made here with id `id`, if it is one.
    fn made(&mut self, id: i64) -> Option<&mut MeterRow> {
        let i = usize::try_from(id - self.first_id).ok()?;
        self.meters.get_mut(i)
    }

    /// Makes a meter as received on `received` and returns its id.
    pub(super) fn meter(
        &mut self,
        s: &Spec,
        status: MeterStatus,
        received: NaiveDate,
    ) -> StoreResult<i64> {
        // a few thousand at a time: 100,000 customers' rows are not all held at once (a
        // meter written already is changed in place)
        if self.meters.len() >= FLUSH_EVERY {
            self.flush()?;
        }
        self.next_asset += 1;
        let verified = s.produced + Duration::days(30);
        let years = s.accuracy.valid_years(8, 6);
        let id = self.first_id + self.meters.len() as i64;
        self.meters.push(MeterRow {
            asset: format!("3710{:09}", self.next_asset),
            spec: s.clone(),
            verified,
            valid: meter::default_valid_until(verified, years),
            received,
            status: MeterStatus::Stock,
            customer: None,
            area: None,
            position: "",
            seals: String::new(),
        });
        self.event(id, None, MeterStatus::Stock, None, "入库", received)?;
        if status != MeterStatus::Stock {
            self.status(id, MeterStatus::Stock, status, received)?;
        }
        Ok(id)
    }

    pub(super) fn event(
        &mut self,
        id: i64,
        from: Option<MeterStatus>,
        to: MeterStatus,
        customer: Option<i64>,
        reason: &str,
        day: NaiveDate,
    ) -> StoreResult<()> {
        let staff = self.staff[(id as usize) % self.staff.len()];
        self.events.push(params![
            self.next_event,
            id,
            format!("{} 09:00:00", crate::domain::clock::day_to_db(day)),
            staff,
            from,
            to,
            customer,
            reason
        ])?;
        self.next_event += 1;
        Ok(())
    }

    /// Put meter `id` in service where `place` says: (status, customer, 台区, position,
    /// seals); a meter in the database is updated.
    pub(super) fn place(
        &mut self,
        id: i64,
        status: MeterStatus,
        customer: Option<i64>,
        area: Option<i64>,
        position: &'static str,
        seals: &str,
    ) -> StoreResult<()> {
        if let Some(m) = self.made(id) {
            m.status = status;
            m.customer = customer;
            m.area = area;
            m.position = position;
            m.seals = seals.to_string();
            return Ok(());
        }
        self.tx
            .prepare_cached(
                "UPDATE meter SET status = ?2, customer_id = ?3, area_id = ?4, position = ?5,
                                  seals = ?6
                  WHERE id = ?1",
            )?
            .execute(params![id, status, customer, area, position, seals])?;
        Ok(())
    }

    /// A status change away from service (送检, 报废 …).
    pub(super) fn status(
        &mut self,
        id: i64,
        from: MeterStatus,
        to: MeterStatus,
        day: NaiveDate,
    ) -> StoreResult<()> {
        if let Some(m) = self.made(id) {
            m.status = to;
        } else {
            self.tx
                .prepare_cached("UPDATE meter SET status = ?2 WHERE id = ?1")?
                .execute(params![id, to])?;
        }
        let reason = match to {
            MeterStatus::Testing => "拆回表送检",
            MeterStatus::Scrapped => "检定不合格",
            _ => "检定合格",
        };
        self.event(id, Some(from), to, None, reason, day)
    }

    /// A meter's own multiplier (a CT meter's is its ratio, never 1).
    fn multiplier(&mut self, id: i64) -> StoreResult<u32> {
        if let Some(m) = self.made(id) {
            return Ok(multiplier_of(&m.spec));
        }
        Ok(self
            .tx
            .prepare_cached("SELECT multiplier FROM meter WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?)
    }

    /// Put meter `new` on `customer` (taking `old` off with its final reading); returns the
    /// swap's id.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn install(
        &mut self,
        customer: i64,
        old: Option<(i64, i64)>,
        new: i64,
        initial_centi: i64,
        multiplier: u32,
        day: NaiveDate,
        reason: &str,
    ) -> StoreResult<i64> {
        let staff = self.staff[(customer as usize) % self.staff.len()];
        let why = format!(
            "换表：{}",
            if old.is_some() {
                "周期轮换"
            } else {
                "新装"
            }
        );
        if let Some((old_id, _)) = old {
            self.place(old_id, MeterStatus::Removed, None, None, "", "")?;
            self.event(
                old_id,
                Some(MeterStatus::InService),
                MeterStatus::Removed,
                None,
                &why,
                day,
            )?;
        }
        let seal = format!("QF{:07}", new % 10_000_000);
        self.place(
            new,
            MeterStatus::InService,
            Some(customer),
            None,
            "表箱",
            &seal,
        )?;
        self.event(
            new,
            Some(MeterStatus::Stock),
            MeterStatus::InService,
            Some(customer),
            &why,
            day,
        )?;
        let (old_id, old_final, old_mult) = match old {
            Some((id, fin)) => (Some(id), Some(fin), Some(self.multiplier(id)?)),
            None => (None, None, None),
        };
        let id = self.next_swap;
        self.next_swap += 1;
        self.swaps.push(params![
            id,
            customer,
            Day(day),
            self.at,
            staff,
            staff,
            reason,
            old_id,
            old_final,
            old_mult,
            "",
            new,
            initial_centi,
            multiplier,
            seal
        ])?;
        Ok(id)
    }

    /// Write what was made: the meters in their state at the end, their status changes and
    /// the swaps, in the order they were made (ids as given).
    pub(super) fn flush(&mut self) -> StoreResult<()> {
        use crate::store::bulk::insert_rows;
        let mut rows = Rows::new(METER_COLUMNS.len());
        for (i, m) in self.meters.iter().enumerate() {
            let s = &m.spec;
            let ct = s.ct.map(|(p, q)| format!("{p}/{q}")).unwrap_or_default();
            rows.push(params![
                self.first_id + i as i64,
                m.asset,
                s.kind,
                s.accuracy,
                s.maker,
                s.batch,
                6,
                ct,
                multiplier_of(s),
                Day(s.produced),
                Day(m.verified),
                Day(m.valid),
                m.status,
                m.customer,
                m.area,
                m.position,
                m.seals,
                Day(m.received)
            ])?;
        }
        insert_rows(self.tx, "meter", METER_COLUMNS, &rows)?;
        insert_rows(self.tx, "meter_event", EVENT_COLUMNS, &self.events)?;
        insert_rows(self.tx, "meter_swap", SWAP_COLUMNS, &self.swaps)?;
        self.first_id += self.meters.len() as i64;
        self.meters.clear();
        self.events.clear();
        self.swaps.clear();
        Ok(())
    }
}

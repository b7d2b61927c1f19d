//! Meter assets as stored (migration 0020): the asset register, its status history, swaps
//! and batch extensions.
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreResult;
use super::convert::{Cols, Day};
use crate::domain::meter::{AccuracyClass, MeterKind, MeterStatus, SwapReason};

/// A meter or CT/PT set as stored, with the account it is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeterRow {
    pub id: i64,
    pub asset_no: String,
    pub kind: MeterKind,
    pub accuracy: AccuracyClass,
    pub maker: String,
    pub batch: String,
    pub digits: Option<u32>,
    pub ct_ratio: String,
    pub pt_ratio: String,
    pub multiplier: u32,
    pub produced_on: NaiveDate,
    pub verified_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: MeterStatus,
    pub customer_id: Option<i64>,
    pub area_id: Option<i64>,
    pub position: String,
    pub seals: String,
    pub received_on: NaiveDate,
    /// 户号 and name of the account it is on
    pub account_no: Option<String>,
    pub customer_name: Option<String>,
}

/// A meter received into stock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMeter {
    pub asset_no: String,
    pub kind: MeterKind,
    pub accuracy: AccuracyClass,
    pub maker: String,
    pub batch: String,
    pub digits: Option<u32>,
    pub ct_ratio: String,
    pub pt_ratio: String,
    pub multiplier: u32,
    pub produced_on: NaiveDate,
    pub verified_on: NaiveDate,
    pub valid_until: NaiveDate,
}

const SELECT: &str = "SELECT m.*, c.account_no AS account_no, c.name AS customer_name
    FROM meter AS m LEFT JOIN customer AS c ON c.id = m.customer_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MeterRow> {
    let c = Cols::new(r, "meter", "id")?;
    Ok(MeterRow {
        id: c.id(),
        asset_no: c.get("asset_no")?,
        kind: c.get("kind")?,
        accuracy: c.get("accuracy")?,
        maker: c.get("maker")?,
        batch: c.get("batch")?,
        digits: c.get("digits")?,
        ct_ratio: c.get("ct_ratio")?,
        pt_ratio: c.get("pt_ratio")?,
        multiplier: c.get("multiplier")?,
        produced_on: c.get::<Day>("produced_on")?.0,
        verified_on: c.get::<Day>("verified_on")?.0,
        valid_until: c.get::<Day>("valid_until")?.0,
        status: c.get("status")?,
        customer_id: c.get("customer_id")?,
        area_id: c.get("area_id")?,
        position: c.get("position")?,
        seals: c.get("seals")?,
        received_on: c.get::<Day>("received_on")?.0,
        account_no: c.get("account_no")?,
        customer_name: c.get("customer_name")?,
    })
}

/// Receive a meter into stock, with its first history line.
pub fn insert(
    conn: &Connection,
    m: &NewMeter,
    received_on: NaiveDate,
    at: &str,
    staff_id: i64,
    reason: &str,
) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO meter (asset_no, kind, accuracy, maker, batch, digits, ct_ratio, pt_ratio,
                            multiplier, produced_on, verified_on, valid_until, status, received_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'stock', ?13)",
    )?
    .execute(params![
        m.asset_no,
        m.kind,
        m.accuracy,
        m.maker,
        m.batch,
        m.digits,
        m.ct_ratio,
        m.pt_ratio,
        m.multiplier,
        Day(m.produced_on),
        Day(m.verified_on),
        Day(m.valid_until),
        Day(received_on),
    ])?;
    let id = conn.last_insert_rowid();
    event(
        conn,
        id,
        at,
        staff_id,
        None,
        MeterStatus::Stock,
        None,
        reason,
    )?;
    Ok(id)
}

/// A meter taken from the provincial system's asset file: in stock, or in service on a
/// customer's account, with one history line saying where it came from (no staff member:
/// the file did it).
pub fn insert_imported(
    conn: &Connection,
    m: &NewMeter,
    status: MeterStatus,
    customer_id: Option<i64>,
    received_on: NaiveDate,
    at: &str,
    reason: &str,
) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO meter (asset_no, kind, accuracy, maker, batch, digits, ct_ratio, pt_ratio,
                            multiplier, produced_on, verified_on, valid_until, status, customer_id,
                            received_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        m.asset_no,
        m.kind,
        m.accuracy,
        m.maker,
        m.batch,
        m.digits,
        m.ct_ratio,
        m.pt_ratio,
        m.multiplier,
        Day(m.produced_on),
        Day(m.verified_on),
        Day(m.valid_until),
        status,
        customer_id,
        Day(received_on),
    ])?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached(
        "INSERT INTO meter_event (meter_id, at, staff_id, from_status, to_status, customer_id, reason)
         VALUES (?1, ?2, NULL, NULL, ?3, ?4, ?5)",
    )?
    .execute(params![id, at, status, customer_id, reason])?;
    Ok(id)
}

/// One line of a meter's history.
#[allow(clippy::too_many_arguments)]
fn event(
    conn: &Connection,
    meter_id: i64,
    at: &str,
    staff_id: i64,
    from: Option<MeterStatus>,
    to: MeterStatus,
    customer_id: Option<i64>,
    reason: &str,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO meter_event (meter_id, at, staff_id, from_status, to_status, customer_id, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![meter_id, at, staff_id, from, to, customer_id, reason])?;
    Ok(())
}

/// Whether an asset number is taken.
pub fn exists(conn: &Connection, asset_no: &str) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM meter WHERE asset_no = ?1")?
        .exists([asset_no])?)
}

pub fn by_asset_no(conn: &Connection, asset_no: &str) -> StoreResult<Option<MeterRow>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE m.asset_no = ?1"))?
        .query_row([asset_no], row)
        .optional()?)
}

pub fn by_id(conn: &Connection, id: i64) -> StoreResult<Option<MeterRow>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE m.id = ?1"))?
        .query_row([id], row)
        .optional()?)
}

/// Where a meter goes when its status changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placement {
    pub customer_id: Option<i64>,
    pub area_id: Option<i64>,
    pub position: String,
    pub seals: String,
}

/// Change a meter's status (and where it is), with its history line. The caller has
/// checked the change is allowed; `false` (nothing written) when the stored status is no
/// longer `from`.
#[allow(clippy::too_many_arguments)]
pub fn set_status(
    conn: &Connection,
    id: i64,
    from: MeterStatus,
    to: MeterStatus,
    place: &Placement,
    at: &str,
    staff_id: i64,
    reason: &str,
) -> StoreResult<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE meter SET status = ?3, customer_id = ?4, area_id = ?5, position = ?6, seals = ?7
              WHERE id = ?1 AND status = ?2",
        )?
        .execute(params![
            id,
            from,
            to,
            place.customer_id,
            place.area_id,
            place.position,
            place.seals
        ])?;
    if n != 1 {
        return Ok(false);
    }
    event(
        conn,
        id,
        at,
        staff_id,
        Some(from),
        to,
        place.customer_id,
        reason,
    )?;
    Ok(true)
}

/// Count of assets by status, kind and class.
pub fn summary(
    conn: &Connection,
) -> StoreResult<Vec<(MeterStatus, MeterKind, AccuracyClass, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT status, kind, accuracy, count(*) AS n FROM meter
          GROUP BY status, kind, accuracy ORDER BY status, kind, accuracy",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let c = Cols::keyed(r, "meter", "status")?;
            Ok((
                c.get("status")?,
                c.get("kind")?,
                c.get("accuracy")?,
                c.get("n")?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A page of assets with the given status, by asset number from `from` on.
pub fn list(
    conn: &Connection,
    status: MeterStatus,
    from: &str,
    limit: usize,
) -> StoreResult<Vec<MeterRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE m.status = ?1 AND m.asset_no >= ?2 ORDER BY m.asset_no LIMIT (SELECT ?3)"
    ))?;
    let rows = stmt
        .query_map(
            params![status, from, i64::try_from(limit).unwrap_or(i64::MAX)],
            row,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The meters in service on a customer's account.
pub fn of_customer(conn: &Connection, customer_id: i64) -> StoreResult<Vec<MeterRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE m.customer_id = ?1 ORDER BY m.kind, m.asset_no"
    ))?;
    let rows = stmt
        .query_map([customer_id], row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Every asset of a maker's batch, or produced in a year (for a batch extension).
pub fn of_batch(
    conn: &Connection,
    maker_batch: Option<(&str, &str)>,
    produced_year: Option<i32>,
) -> StoreResult<Vec<MeterRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE m.status <> 'scrapped'
            AND (?1 IS NULL OR (m.maker = ?1 AND m.batch = ?2))
            AND (?3 IS NULL OR substr(m.produced_on, 1, 4) = printf('%04d', ?3))
          ORDER BY m.asset_no"
    ))?;
    let (maker, batch) = maker_batch.unzip();
    let rows = stmt
        .query_map(params![maker, batch, produced_year], row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Move a meter's `valid_until`.
pub fn set_valid_until(conn: &Connection, id: i64, day: NaiveDate) -> StoreResult<()> {
    conn.prepare_cached("UPDATE meter SET valid_until = ?2 WHERE id = ?1")?
        .execute(params![id, Day(day)])?;
    Ok(())
}

/// A batch extension as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewExtension<'a> {
    pub at: &'a str,
    pub staff_id: i64,
    pub doc_no: &'a str,
    pub years: u32,
    pub maker_batch: Option<(&'a str, &'a str)>,
    pub produced_year: Option<i32>,
    pub meters: usize,
}

pub fn insert_extension(conn: &Connection, e: &NewExtension<'_>) -> StoreResult<i64> {
    let (maker, batch) = e.maker_batch.unzip();
    conn.prepare_cached(
        "INSERT INTO meter_extension (at, staff_id, doc_no, years, maker, batch, produced_year, meters)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        e.at,
        e.staff_id,
        e.doc_no,
        e.years,
        maker,
        batch,
        e.produced_year,
        i64::try_from(e.meters).unwrap_or(i64::MAX)
    ])?;
    Ok(conn.last_insert_rowid())
}

/// One line of a meter's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRow {
    pub at: String,
    pub staff_name: Option<String>,
    pub from: Option<MeterStatus>,
    pub to: MeterStatus,
    pub account_no: Option<String>,
    pub reason: String,
}

pub fn events(conn: &Connection, meter_id: i64) -> StoreResult<Vec<EventRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.at, s.display_name AS staff_name, e.from_status, e.to_status,
                c.account_no, e.reason
           FROM meter_event AS e LEFT JOIN staff AS s ON s.id = e.staff_id
           LEFT JOIN customer AS c ON c.id = e.customer_id
          WHERE e.meter_id = ?1 ORDER BY e.id",
    )?;
    let rows = stmt
        .query_map([meter_id], |r| {
            let c = Cols::new(r, "meter_event", "id")?;
            Ok(EventRow {
                at: c.get("at")?,
                staff_name: c.get("staff_name")?,
                from: c.get("from_status")?,
                to: c.get("to_status")?,
                account_no: c.get("account_no")?,
                reason: c.get("reason")?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A swap as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSwap {
    pub customer_id: i64,
    pub swapped_on: NaiveDate,
    pub at: String,
    pub staff_id: i64,
    pub recorded_by: i64,
    pub reason: SwapReason,
    /// old meter, its final reading (hundredths of a kWh) and multiplier
    pub old: Option<(i64, i64, u32)>,
    pub old_seals: String,
    pub rollover: bool,
    pub new_meter_id: i64,
    pub new_initial_centi: i64,
    pub new_multiplier: u32,
    pub new_seals: String,
    pub order_id: Option<i64>,
}

pub fn insert_swap(conn: &Connection, s: &NewSwap) -> StoreResult<i64> {
    let (old_id, old_final, old_mult) = match s.old {
        Some((a, b, c)) => (Some(a), Some(b), Some(c)),
        None => (None, None, None),
    };
    conn.prepare_cached(
        "INSERT INTO meter_swap (customer_id, swapped_on, at, staff_id, recorded_by, reason,
                                 old_meter_id, old_final_centi, old_multiplier, old_seals, rollover,
                                 new_meter_id, new_initial_centi, new_multiplier, new_seals, order_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        s.customer_id,
        Day(s.swapped_on),
        s.at,
        s.staff_id,
        s.recorded_by,
        s.reason,
        old_id,
        old_final,
        old_mult,
        s.old_seals,
        s.rollover,
        s.new_meter_id,
        s.new_initial_centi,
        s.new_multiplier,
        s.new_seals,
        s.order_id
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A swap on a customer's account, with both meters' numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwapRow {
    pub id: i64,
    pub swapped_on: NaiveDate,
    pub reason: SwapReason,
    pub staff_name: String,
    pub old_asset_no: Option<String>,
    pub old_final_centi: Option<i64>,
    pub old_multiplier: Option<u32>,
    pub old_seals: String,
    pub rollover: bool,
    pub new_asset_no: String,
    pub new_initial_centi: i64,
    pub new_multiplier: u32,
    pub new_seals: String,
}

const SWAP_SELECT: &str = "SELECT w.*, s.display_name AS staff_name, o.asset_no AS old_asset_no,
        n.asset_no AS new_asset_no
   FROM meter_swap AS w JOIN staff AS s ON s.id = w.staff_id
   LEFT JOIN meter AS o ON o.id = w.old_meter_id JOIN meter AS n ON n.id = w.new_meter_id";

fn swap_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SwapRow> {
    let c = Cols::new(r, "meter_swap", "id")?;
    Ok(SwapRow {
        id: c.id(),
        swapped_on: c.get::<Day>("swapped_on")?.0,
        reason: c.get("reason")?,
        staff_name: c.get("staff_name")?,
        old_asset_no: c.get("old_asset_no")?,
        old_final_centi: c.get("old_final_centi")?,
        old_multiplier: c.get("old_multiplier")?,
        old_seals: c.get("old_seals")?,
        rollover: c.get("rollover")?,
        new_asset_no: c.get("new_asset_no")?,
        new_initial_centi: c.get("new_initial_centi")?,
        new_multiplier: c.get("new_multiplier")?,
        new_seals: c.get("new_seals")?,
    })
}

/// A customer's swaps, newest first.
pub fn swaps_of_customer(conn: &Connection, customer_id: i64) -> StoreResult<Vec<SwapRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SWAP_SELECT} WHERE w.customer_id = ?1 ORDER BY w.swapped_on DESC, w.id DESC"
    ))?;
    let rows = stmt
        .query_map([customer_id], swap_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn swap_by_id(conn: &Connection, id: i64) -> StoreResult<Option<SwapRow>> {
    Ok(conn
        .prepare_cached(&format!("{SWAP_SELECT} WHERE w.id = ?1"))?
        .query_row([id], swap_row)
        .optional()?)
}

/// The last reading known for a meter and its day: the reading it was installed at (the
/// readings of the readings issue will join this).
pub fn last_reading(conn: &Connection, meter_id: i64) -> StoreResult<Option<(NaiveDate, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, swapped_on, new_initial_centi FROM meter_swap WHERE new_meter_id = ?1
              ORDER BY id DESC LIMIT 1",
        )?
        .query_row([meter_id], |r| {
            let c = Cols::new(r, "meter_swap", "id")?;
            Ok((c.get::<Day>("swapped_on")?.0, c.get("new_initial_centi")?))
        })
        .optional()?)
}

/// An on-site check as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCheck<'a> {
    pub meter_id: i64,
    pub checked_on: NaiveDate,
    pub result: crate::domain::meter::CheckResult,
    pub note: &'a str,
    pub staff_id: i64,
    pub recorded_by: i64,
    pub at: &'a str,
    pub order_id: Option<i64>,
}

pub fn insert_check(conn: &Connection, c: &NewCheck<'_>) -> StoreResult<i64> {
    conn.prepare_cached(
        "INSERT INTO meter_check (meter_id, checked_on, result, note, staff_id, recorded_by, at, order_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        c.meter_id,
        Day(c.checked_on),
        c.result,
        c.note,
        c.staff_id,
        c.recorded_by,
        c.at,
        c.order_id
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A meter in service on an account of at least `min_kva`, with what its check schedule
/// needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckRow {
    pub meter_id: i64,
    pub asset_no: String,
    pub kind: MeterKind,
    pub customer_id: i64,
    pub account_no: String,
    pub customer_name: String,
    pub contracted_kva: String,
    pub area_name: Option<String>,
    pub manager_name: Option<String>,
    pub installed_on: Option<NaiveDate>,
    pub last_check: Option<NaiveDate>,
}

pub fn check_rows(conn: &Connection, min_kva: i64) -> StoreResult<Vec<CheckRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.asset_no, m.kind, c.id AS customer_id, c.account_no, c.name,
                c.contracted_kva, a.name AS area_name, s.display_name AS manager_name,
                (SELECT max(swapped_on) FROM meter_swap AS w WHERE w.new_meter_id = m.id) AS installed_on,
                (SELECT max(checked_on) FROM meter_check AS k WHERE k.meter_id = m.id) AS last_check
           FROM meter AS m JOIN customer AS c ON c.id = m.customer_id
           LEFT JOIN transformer_area AS a ON a.id = c.area_id
           LEFT JOIN staff AS s ON s.id = a.manager_id
          WHERE m.status = 'service' AND CAST(c.contracted_kva AS REAL) >= ?1",
    )?;
    let rows = stmt
        .query_map([min_kva], |r| {
            let c = Cols::new(r, "meter", "id")?;
            Ok(CheckRow {
                meter_id: c.id(),
                asset_no: c.get("asset_no")?,
                kind: c.get("kind")?,
                customer_id: c.get("customer_id")?,
                account_no: c.get("account_no")?,
                customer_name: c.get("name")?,
                contracted_kva: c.get("contracted_kva")?,
                area_name: c.get("area_name")?,
                manager_name: c.get("manager_name")?,
                installed_on: c.get::<Option<Day>>("installed_on")?.map(|d| d.0),
                last_check: c.get::<Option<Day>>("last_check")?.map(|d| d.0),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The meter a 校表 or 故障换表 order is about.
pub fn link_order(conn: &Connection, order_id: i64, meter_id: i64) -> StoreResult<()> {
    conn.prepare_cached("INSERT INTO order_meter (id, meter_id) VALUES (?1, ?2)")?
        .execute(params![order_id, meter_id])?;
    Ok(())
}

/// The orders about a meter: tracking number, kind and state, oldest first.
pub fn orders_of(conn: &Connection, meter_id: i64) -> StoreResult<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.tracking_no, o.kind, o.state FROM order_meter AS l
           JOIN work_order AS o ON o.id = l.id WHERE l.meter_id = ?1 ORDER BY o.id",
    )?;
    let rows = stmt
        .query_map([meter_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

//! Figures per 台区 and month (migrations 0026 and 0028): the summary meters' readings (the
//! supply side of line loss), sales kept with each bill, the area managers' explanations,
//! and the money collected on a period's bills for the collection rate. Re-exported by
//! `store::readings`.
use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::StoreResult;
use super::convert::{Cols, Day};
use super::readings::CURRENT;

/// A summary meter reading in force with the one before it, for the supply side of line
/// loss: (area, period, value, previous value, multiplier, digits, rollover).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SupplyRead {
    pub area_id: i64,
    pub period: String,
    pub value_centi: i64,
    pub prev_centi: Option<i64>,
    pub multiplier: u32,
    pub digits: Option<u32>,
    pub rollover: bool,
}

pub fn supply_reads(conn: &Connection, from: &str, to: &str) -> StoreResult<Vec<SupplyRead>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.id, r.area_id, r.period, r.value_centi, m.multiplier, m.digits, r.rollover,
                (SELECT x.value_centi FROM reading x WHERE x.meter_id = r.meter_id
                   AND x.period < r.period AND x.value_centi IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM reading y WHERE y.replaces_id = x.id)
                 ORDER BY x.period DESC, x.id DESC LIMIT 1) AS prev
           FROM reading r INDEXED BY reading_area JOIN meter m ON m.id = r.meter_id
          WHERE r.area_id IS NOT NULL AND r.period BETWEEN ?1 AND ?2
            AND r.value_centi IS NOT NULL AND {CURRENT}
          ORDER BY r.area_id, r.period"
    ))?;
    let rows = stmt.query_map(params![from, to], |r| {
        let c = Cols::new(r, "reading", "id")?;
        Ok(SupplyRead {
            area_id: c.get("area_id")?,
            period: c.get("period")?,
            value_centi: c.get("value_centi")?,
            prev_centi: c.get("prev")?,
            multiplier: c.get("multiplier")?,
            digits: c.get("digits")?,
            rollover: c.get::<i64>("rollover")? == 1,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Bills, kWh and 分 billed.
pub type Sales = (i64, i64, i64);

/// The active 台区: (id, code, name), by code.
pub fn active_areas(conn: &Connection) -> StoreResult<Vec<(i64, String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, code, name FROM transformer_area WHERE active = 1 ORDER BY code",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Billed kWh and money per 台区 and period (kept by a trigger on `bill`).
pub fn area_sales(
    conn: &Connection,
    from: &str,
    to: &str,
) -> StoreResult<HashMap<(i64, String), Sales>> {
    let mut stmt = conn.prepare_cached(
        "SELECT area_id, period, bills, kwh, amount_fen FROM area_sales
          WHERE period BETWEEN ?1 AND ?2",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?, r.get(4)?)))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The latest explanation of each 台区's line loss per period in a range: note, by whom.
pub fn loss_notes(
    conn: &Connection,
    from: &str,
    to: &str,
) -> StoreResult<HashMap<(i64, String), (String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.area_id, n.period, n.note, s.display_name FROM line_loss_note n
           JOIN staff s ON s.id = n.noted_by
          WHERE n.period BETWEEN ?1 AND ?2 ORDER BY n.id",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, r.get(3)?)))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn insert_loss_note(
    conn: &Connection,
    area_id: i64,
    period: &str,
    note: &str,
    by: i64,
    at: &str,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO line_loss_note (area_id, period, note, noted_by, noted_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![area_id, period, note, by, at])?;
    Ok(())
}

/// A 台区 with what the collection rate needs: (id, code, name, reading day, reader).
pub type RateArea = (i64, String, String, u32, String);

pub fn rate_areas(conn: &Connection) -> StoreResult<Vec<RateArea>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.code, a.name, COALESCE(b.reading_day, 25),
                COALESCE(s.display_name, '—')
           FROM transformer_area a
           LEFT JOIN reading_book b ON b.area_id = a.id
           LEFT JOIN staff s ON s.id = COALESCE(b.reader_id, a.manager_id)
          WHERE a.active = 1 ORDER BY a.code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Money collected on the bills of `period` per 台区 and day: principal paid by receipts
/// not voided, and prepaid balances applied. (area, day, 分).
pub fn collected_by_day(
    conn: &Connection,
    period: &str,
) -> StoreResult<Vec<(i64, NaiveDate, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.area_id, p.business_date, SUM(a.amount_fen)
           FROM bill b JOIN customer c ON c.id = b.customer_id
           JOIN allocation a ON a.bill_id = b.id AND a.kind = 'principal'
           JOIN live_payment p ON p.id = a.payment_id
          WHERE b.period = ?1 AND c.area_id IS NOT NULL
          GROUP BY 1, 2
         UNION ALL
         SELECT c.area_id, o.business_date, SUM(o.amount_fen)
           FROM bill b JOIN customer c ON c.id = b.customer_id
           JOIN prepaid_offset o ON o.bill_id = b.id
          WHERE b.period = ?1 AND c.area_id IS NOT NULL
          GROUP BY 1, 2",
    )?;
    let rows = stmt.query_map([period], |r| {
        Ok((r.get(0)?, r.get::<_, Day>(1)?.0, r.get(2)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A kept collection-rate check: (on day, billed 分, collected 分).
pub type Checkpoint = (NaiveDate, i64, i64);

/// The kept checks of periods `from`..=`to`, by (area, period, checkpoint).
pub fn checkpoints(
    conn: &Connection,
    from: &str,
    to: &str,
) -> StoreResult<HashMap<(i64, String, String), Checkpoint>> {
    let mut stmt = conn.prepare_cached(
        "SELECT area_id, period, checkpoint, on_date, billed_fen, collected_fen
           FROM collection_checkpoint WHERE period BETWEEN ?1 AND ?2",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok((
            (r.get(0)?, r.get(1)?, r.get(2)?),
            (r.get::<_, Day>(3)?.0, r.get(4)?, r.get(5)?),
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn keep_checkpoint(
    conn: &Connection,
    area_id: i64,
    period: &str,
    checkpoint: &str,
    c: Checkpoint,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO collection_checkpoint
             (area_id, period, checkpoint, on_date, billed_fen, collected_fen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![area_id, period, checkpoint, Day(c.0), c.1, c.2])?;
    Ok(())
}

//! Readings, reading books, bills computed here and their review, line-loss notes (issue
//! 15, migration 0026). Functions take `&Connection` and run inside the caller's
//! transaction when they write. Readings are `value_centi` (kWh × 100); a reading "now" for
//! a meter and period is the one no later reading replaced.
use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreResult;
use super::convert::{Cols, ColumnMap, Day};
use crate::domain::customer::UsageCategory;
use crate::domain::reading::ReadingKind;

pub use super::area_figures::*;
pub use super::bill_drafts::*;

/// A reading not replaced by a later one (SQL, for a reading aliased `r`).
pub(crate) const CURRENT: &str = "NOT EXISTS (SELECT 1 FROM reading y WHERE y.replaces_id = r.id)";

/// A 台区's reading book with the month's progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookRow {
    pub area_id: i64,
    pub area_code: String,
    pub area_name: String,
    pub reader_id: Option<i64>,
    pub reader_name: Option<String>,
    /// `None`: no book set up yet (the 台区 manager reads it on the 25th)
    pub reading_day: Option<u32>,
    pub meters: i64,
    pub read: i64,
    pub missed: i64,
    pub estimated: i64,
    pub drafts: i64,
    pub released: i64,
}

pub fn books(conn: &Connection, period: &str) -> StoreResult<Vec<BookRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id AS area_id, a.code, a.name, COALESCE(b.reader_id, a.manager_id) AS reader_id,
                s.display_name AS reader_name, b.reading_day
           FROM transformer_area a
           LEFT JOIN reading_book b ON b.area_id = a.id
           LEFT JOIN staff s ON s.id = COALESCE(b.reader_id, a.manager_id)
          WHERE a.active = 1
          ORDER BY a.code",
    )?;
    let rows = stmt.query_map([], |r| {
        let c = Cols::new(r, "transformer_area", "area_id")?;
        Ok(BookRow {
            area_id: c.id(),
            area_code: c.get("code")?,
            area_name: c.get("name")?,
            reader_id: c.get("reader_id")?,
            reader_name: c.get("reader_name")?,
            reading_day: c.get("reading_day")?,
            meters: 0,
            read: 0,
            missed: 0,
            estimated: 0,
            drafts: 0,
            released: 0,
        })
    })?;
    let mut out: Vec<BookRow> = rows.collect::<Result<_, _>>()?;
    let mut meters: HashMap<i64, i64> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE(c.area_id, m.area_id), COUNT(*) FROM meter m
           LEFT JOIN customer c ON c.id = m.customer_id
          WHERE m.status = 'service' GROUP BY 1",
    )?;
    for r in stmt.query_map([], |r| Ok((r.get::<_, Option<i64>>(0)?, r.get(1)?)))? {
        let (a, n) = r?;
        if let Some(a) = a {
            meters.insert(a, n);
        }
    }
    let mut reads: HashMap<(i64, String), i64> = HashMap::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT COALESCE(c.area_id, r.area_id), r.kind, COUNT(*) FROM reading r
           LEFT JOIN customer c ON c.id = r.customer_id
          WHERE r.period = ?1 AND {CURRENT} GROUP BY 1, 2"
    ))?;
    for r in stmt.query_map([period], |r| {
        Ok((
            r.get::<_, Option<i64>>(0)?,
            r.get::<_, String>(1)?,
            r.get(2)?,
        ))
    })? {
        let (a, k, n) = r?;
        if let Some(a) = a {
            reads.insert((a, k), n);
        }
    }
    let mut drafts: HashMap<i64, (i64, i64)> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT area_id, COUNT(*), COALESCE(SUM(released_at IS NOT NULL), 0) FROM bill_draft
          WHERE period = ?1 AND area_id IS NOT NULL GROUP BY 1",
    )?;
    for r in stmt.query_map([period], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))? {
        let (a, n) = r?;
        drafts.insert(a, n);
    }
    for b in &mut out {
        let k = |kind: &str| {
            reads
                .get(&(b.area_id, kind.to_string()))
                .copied()
                .unwrap_or(0)
        };
        b.meters = meters.get(&b.area_id).copied().unwrap_or(0);
        b.missed = k("missed");
        b.estimated = k("estimated");
        b.read = k("actual") + k("customer") + b.missed + b.estimated;
        (b.drafts, b.released) = drafts.get(&b.area_id).copied().unwrap_or((0, 0));
    }
    Ok(out)
}

pub fn set_book(
    conn: &Connection,
    area_id: i64,
    reader_id: Option<i64>,
    reading_day: u32,
    by: i64,
    at: &str,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO reading_book (area_id, reader_id, reading_day, changed_by, changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (area_id) DO UPDATE SET reader_id = excluded.reader_id,
             reading_day = excluded.reading_day, changed_by = excluded.changed_by,
             changed_at = excluded.changed_at",
    )?
    .execute(params![area_id, reader_id, reading_day, by, at])?;
    Ok(())
}

/// A reading now in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Current {
    pub id: i64,
    pub kind: ReadingKind,
    pub value_centi: Option<i64>,
    pub rollover: bool,
    pub reason: String,
    pub read_on: NaiveDate,
}

/// One line of a reading book: a meter, what it read before, and this month's reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetRow {
    pub meter_id: i64,
    pub asset_no: String,
    pub multiplier: u32,
    pub digits: Option<u32>,
    /// `None`: the 台区's summary meter (考核表)
    pub customer_id: Option<i64>,
    pub account_no: String,
    pub name: String,
    pub address: String,
    /// the previous reading with a value (or the meter's initial reading at installation)
    pub prev: Option<(NaiveDate, i64)>,
    pub current: Option<Current>,
    /// billed kWh last month and in the same month last year
    pub last_month: Option<i64>,
    pub last_year: Option<i64>,
}

const SHEET_COLS: &str = "m.id AS meter_id, m.asset_no, m.multiplier, m.digits,
        cur.id AS cur_id, cur.kind AS cur_kind, cur.value_centi AS cur_value, cur.rollover AS cur_rollover,
        cur.reason AS cur_reason, cur.read_on AS cur_read_on,
        prev.value_centi AS prev_value, prev.read_on AS prev_read_on,
        sw.new_initial_centi AS sw_initial, sw.swapped_on AS sw_on";

fn sheet_joins() -> String {
    format!(
        "LEFT JOIN reading cur ON cur.id = (SELECT r.id FROM reading r WHERE r.meter_id = m.id
                AND r.period = ?2 AND {CURRENT} ORDER BY r.id DESC LIMIT 1)
         LEFT JOIN reading prev ON prev.id = (SELECT r.id FROM reading r WHERE r.meter_id = m.id
                AND r.period < ?2 AND r.value_centi IS NOT NULL AND {CURRENT}
                ORDER BY r.period DESC, r.id DESC LIMIT 1)
         LEFT JOIN meter_swap sw ON prev.id IS NULL AND sw.id = (SELECT s.id FROM meter_swap s
                WHERE s.new_meter_id = m.id ORDER BY s.id DESC LIMIT 1)"
    )
}

fn sheet_row(r: &rusqlite::Row<'_>, customer: bool) -> rusqlite::Result<SheetRow> {
    let c = Cols::new(r, "meter", "meter_id")?;
    let current = match c.get::<Option<i64>>("cur_id")? {
        Some(id) => Some(Current {
            id,
            kind: c.get("cur_kind")?,
            value_centi: c.get("cur_value")?,
            rollover: c.get::<i64>("cur_rollover")? == 1,
            reason: c.get("cur_reason")?,
            read_on: c.get::<Day>("cur_read_on")?.0,
        }),
        None => None,
    };
    let prev = match (
        c.get::<Option<i64>>("prev_value")?,
        c.get::<Option<Day>>("prev_read_on")?,
    ) {
        (Some(v), Some(d)) => Some((d.0, v)),
        _ => match (
            c.get::<Option<i64>>("sw_initial")?,
            c.get::<Option<Day>>("sw_on")?,
        ) {
            (Some(v), Some(d)) => Some((d.0, v)),
            _ => None,
        },
    };
    Ok(SheetRow {
        meter_id: c.id(),
        asset_no: c.get("asset_no")?,
        multiplier: c.get("multiplier")?,
        digits: c.get("digits")?,
        customer_id: if customer {
            c.get("customer_id")?
        } else {
            None
        },
        account_no: if customer {
            c.get("account_no")?
        } else {
            String::new()
        },
        name: if customer {
            c.get("name")?
        } else {
            String::new()
        },
        address: if customer {
            c.get("address")?
        } else {
            String::new()
        },
        prev,
        current,
        last_month: if customer { c.get("last_month")? } else { None },
        last_year: if customer { c.get("last_year")? } else { None },
    })
}

/// The book of 台区 `area_id` for `period`: its summary meters first, then its customers'
/// meters in 户号 order. `last_month`/`last_year` are the periods compared with.
pub fn sheet(
    conn: &Connection,
    area_id: i64,
    period: &str,
    last_month: &str,
    last_year: &str,
) -> StoreResult<Vec<SheetRow>> {
    let joins = sheet_joins();
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SHEET_COLS} FROM meter m {joins}
          WHERE m.area_id = ?1 AND m.status = 'service' ORDER BY m.asset_no"
    ))?;
    for row in stmt.query_map(params![area_id, period], |r| sheet_row(r, false))? {
        out.push(row?);
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SHEET_COLS}, c.id AS customer_id, c.account_no, c.name, c.address,
                lm.kwh AS last_month, ly.kwh AS last_year
           FROM customer c JOIN meter m ON m.customer_id = c.id AND m.status = 'service'
           {joins}
           LEFT JOIN bill lm ON lm.customer_id = c.id AND lm.period = ?3
           LEFT JOIN bill ly ON ly.customer_id = c.id AND ly.period = ?4
          WHERE c.area_id = ?1 AND c.status <> 'closed'
          ORDER BY c.account_no, m.asset_no"
    ))?;
    for row in stmt.query_map(params![area_id, period, last_month, last_year], |r| {
        sheet_row(r, true)
    })? {
        out.push(row?);
    }
    Ok(out)
}

/// One meter's line of the book (after a reading is saved).
pub fn sheet_line(
    conn: &Connection,
    meter_id: i64,
    period: &str,
    last_month: &str,
    last_year: &str,
) -> StoreResult<Option<SheetRow>> {
    let joins = sheet_joins();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SHEET_COLS}, m.customer_id AS customer_id, COALESCE(c.account_no, '') AS account_no,
                COALESCE(c.name, '') AS name, COALESCE(c.address, '') AS address,
                lm.kwh AS last_month, ly.kwh AS last_year
           FROM meter m LEFT JOIN customer c ON c.id = m.customer_id
           {joins}
           LEFT JOIN bill lm ON lm.customer_id = c.id AND lm.period = ?3
           LEFT JOIN bill ly ON ly.customer_id = c.id AND ly.period = ?4
          WHERE m.id = ?1"
    ))?;
    Ok(stmt
        .query_row(params![meter_id, period, last_month, last_year], |r| {
            sheet_row(r, true)
        })
        .optional()?)
}

/// A reading to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReading<'a> {
    pub meter_id: i64,
    pub customer_id: Option<i64>,
    pub area_id: Option<i64>,
    pub period: &'a str,
    pub read_on: NaiveDate,
    pub kind: ReadingKind,
    pub value_centi: Option<i64>,
    pub rollover: bool,
    pub reason: &'a str,
    pub source: &'a str,
    pub source_file: &'a str,
    pub replaces_id: Option<i64>,
    pub reader_id: Option<i64>,
    pub recorded_by: i64,
    pub at: &'a str,
}

/// The columns a new reading writes, in the order of [`reading_params`].
pub const READING_COLUMNS: &[&str] = &[
    "meter_id",
    "customer_id",
    "area_id",
    "period",
    "read_on",
    "kind",
    "value_centi",
    "rollover",
    "reason",
    "source",
    "source_file",
    "replaces_id",
    "reader_id",
    "recorded_by",
    "at",
];

/// A new reading's parameters, for [`READING_COLUMNS`], handed to `f`.
pub fn reading_params<T>(n: &NewReading<'_>, f: impl FnOnce(&[&dyn rusqlite::ToSql]) -> T) -> T {
    f(params![
        n.meter_id,
        n.customer_id,
        n.area_id,
        n.period,
        Day(n.read_on),
        n.kind,
        n.value_centi,
        i64::from(n.rollover),
        n.reason,
        n.source,
        n.source_file,
        n.replaces_id,
        n.reader_id,
        n.recorded_by,
        n.at
    ])
}

pub fn insert_reading(conn: &Connection, n: &NewReading<'_>) -> StoreResult<i64> {
    reading_params(n, |p| {
        super::bulk::insert_one(conn, "reading", READING_COLUMNS, p)
    })
}

/// Whether the bill of `customer_id` for `period` has been released (or came from the
/// provincial file): its readings are then fixed.
pub fn period_closed(conn: &Connection, customer_id: i64, period: &str) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM bill_draft WHERE customer_id = ?1 AND period = ?2
                              AND released_at IS NOT NULL)",
        )?
        .query_row(params![customer_id, period], |r| r.get::<_, bool>(0))?)
}

/// What one customer's bill is computed from: its readings now in force for the period,
/// each with the previous reading of its meter or the swap that installed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComputeRow {
    pub customer_id: i64,
    pub area_id: Option<i64>,
    pub usage: UsageCategory,
    pub tariff_code: String,
    pub active: bool,
    pub reading_id: i64,
    pub meter_id: i64,
    pub kind: ReadingKind,
    pub value_centi: Option<i64>,
    pub rollover: bool,
    pub multiplier: u32,
    pub digits: Option<u32>,
    pub prev_id: Option<i64>,
    pub prev_centi: Option<i64>,
    pub swap: Option<SwapLink>,
}

/// The swap that installed a meter with no reading before this one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwapLink {
    pub id: i64,
    pub initial_centi: i64,
    pub old_meter_id: Option<i64>,
    pub old_final_centi: Option<i64>,
    pub old_multiplier: Option<u32>,
    pub old_digits: Option<u32>,
    pub rollover: bool,
}

/// Every customer reading now in force for `period` (of one 台区, or all), by customer.
pub fn compute_rows(
    conn: &Connection,
    period: &str,
    area_id: Option<i64>,
) -> StoreResult<Vec<ComputeRow>> {
    let area = if area_id.is_some() {
        "AND c.area_id = ?2"
    } else {
        "AND ?2 IS NULL"
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id AS customer_id, c.area_id, c.usage_category, c.tariff_code, c.status,
                r.id AS reading_id, r.meter_id, r.kind, r.value_centi, r.rollover,
                m.multiplier, m.digits, p.id AS prev_id, p.value_centi AS prev_centi,
                sw.id AS sw_id, sw.new_initial_centi, sw.old_meter_id, sw.old_final_centi,
                sw.old_multiplier, sw.rollover AS sw_rollover, om.digits AS old_digits
           FROM reading r
           JOIN customer c ON c.id = r.customer_id
           JOIN meter m ON m.id = r.meter_id
           LEFT JOIN reading p ON p.id = (SELECT x.id FROM reading x WHERE x.meter_id = r.meter_id
                AND x.period < r.period AND x.value_centi IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM reading y WHERE y.replaces_id = x.id)
                ORDER BY x.period DESC, x.id DESC LIMIT 1)
           LEFT JOIN meter_swap sw ON p.id IS NULL AND sw.id = (SELECT s.id FROM meter_swap s
                WHERE s.new_meter_id = r.meter_id ORDER BY s.id DESC LIMIT 1)
           LEFT JOIN meter om ON om.id = sw.old_meter_id
          WHERE r.period = ?1 AND r.customer_id IS NOT NULL AND {CURRENT} {area}"
    ))?;
    // the columns found by name once for the query, not for every value of every row
    // (100,000 readings a month: rusqlite looks a name up among all the columns)
    let map = ColumnMap::of(&stmt);
    let rows = stmt.query_map(params![period, area_id], |r| {
        let c = Cols::mapped(r, "reading", "reading_id", &map)?;
        let swap = match c.get::<Option<i64>>("sw_id")? {
            Some(id) => Some(SwapLink {
                id,
                initial_centi: c.get("new_initial_centi")?,
                old_meter_id: c.get("old_meter_id")?,
                old_final_centi: c.get("old_final_centi")?,
                old_multiplier: c.get("old_multiplier")?,
                old_digits: c.get("old_digits")?,
                rollover: c.get::<i64>("sw_rollover")? == 1,
            }),
            None => None,
        };
        Ok(ComputeRow {
            customer_id: c.get("customer_id")?,
            area_id: c.get("area_id")?,
            usage: c.get("usage_category")?,
            tariff_code: c.get("tariff_code")?,
            active: c.get::<String>("status")? == "active",
            reading_id: c.id(),
            meter_id: c.get("meter_id")?,
            kind: c.get("kind")?,
            value_centi: c.get("value_centi")?,
            rollover: c.get::<i64>("rollover")? == 1,
            multiplier: c.get("multiplier")?,
            digits: c.get("digits")?,
            prev_id: c.get("prev_id")?,
            prev_centi: c.get("prev_centi")?,
            swap,
        })
    })?;
    let mut rows: Vec<ComputeRow> = rows.collect::<Result<_, _>>()?;
    // by customer, then reading: sorted here rather than by SQLite, which would sort the
    // rows with all their columns in a temporary tree
    rows.sort_unstable_by_key(|r| (r.customer_id, r.reading_id));
    Ok(rows)
}

/// The last reading with a value of a removed meter, at or before `period` (the start of
/// its last stretch), or its initial reading when it was never read.
pub fn last_value(conn: &Connection, meter_id: i64, period: &str) -> StoreResult<Option<i64>> {
    let read = conn
        .prepare_cached(&format!(
            "SELECT r.value_centi FROM reading r WHERE r.meter_id = ?1 AND r.period <= ?2
                AND r.value_centi IS NOT NULL AND {CURRENT}
              ORDER BY r.period DESC, r.id DESC LIMIT 1"
        ))?
        .query_row(params![meter_id, period], |r| r.get::<_, i64>(0))
        .optional()?;
    if read.is_some() {
        return Ok(read);
    }
    Ok(conn
        .prepare_cached(
            "SELECT new_initial_centi FROM meter_swap WHERE new_meter_id = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([meter_id], |r| r.get::<_, i64>(0))
        .optional()?)
}

/// Billed kWh history of a customer before a period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// kWh billed earlier in the period's calendar year
    pub year_before: i64,
    pub last_year: Option<i64>,
    /// the three months before, latest first (those billed)
    pub recent: Vec<i64>,
}

/// The histories of many customers, by customer id.
///
/// Kept in a vector indexed by id when the ids are about as many as the customers (as
/// they are: ids are given in order), so that a year's bills, read month by month in
/// customer order, land on neighbouring slots; a hash map scattered those million writes
/// over 5 MB (0.12 s of a month's computation). Ids far beyond the customers' number go
/// to a map.
#[derive(Clone, Debug, Default)]
pub struct Histories {
    dense: Vec<History>,
    sparse: HashMap<i64, History>,
}

impl Histories {
    fn for_customers(conn: &Connection) -> StoreResult<Self> {
        let (count, max): (i64, i64) = conn
            .prepare_cached("SELECT count(*), COALESCE(max(id), 0) FROM customer")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let dense = if max <= 2 * count + 10_000 {
            usize::try_from(max + 1).unwrap_or(0)
        } else {
            0
        };
        Ok(Histories {
            dense: vec![History::default(); dense],
            sparse: HashMap::new(),
        })
    }

    fn slot(&mut self, customer_id: i64) -> &mut History {
        match usize::try_from(customer_id) {
            Ok(i) if i < self.dense.len() => &mut self.dense[i],
            _ => self.sparse.entry(customer_id).or_default(),
        }
    }

    /// A customer's history (empty when nothing was billed before).
    pub fn get(&self, customer_id: i64) -> History {
        match usize::try_from(customer_id) {
            Ok(i) if i < self.dense.len() => self.dense[i].clone(),
            _ => self.sparse.get(&customer_id).cloned().unwrap_or_default(),
        }
    }
}

/// The history of every customer (of one 台区, or all) before `period`: `year_start` is
/// its January, `last_year` the same month a year ago, `recent` the three months before.
pub fn histories(
    conn: &Connection,
    area_id: Option<i64>,
    period: &str,
    year_start: &str,
    last_year: &str,
    recent: [&str; 3],
) -> StoreResult<Histories> {
    let from = std::cmp::min(year_start, last_year);
    let sql = format!(
        "SELECT b.customer_id, b.period, b.kwh FROM {} WHERE b.period >= ?1 AND b.period < ?2 {}",
        if area_id.is_some() {
            "customer c JOIN bill b ON b.customer_id = c.id"
        } else {
            "bill b"
        },
        if area_id.is_some() {
            "AND c.area_id = ?3"
        } else {
            "AND ?3 IS NULL"
        }
    );
    let mut out = Histories::for_customers(conn)?;
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![from, period, area_id])?;
    while let Some(r) = rows.next()? {
        let customer: i64 = r.get(0)?;
        let kwh: i64 = r.get(2)?;
        // the period read in place (a million bills: no text copied for each)
        let p = r.get_ref(1)?.as_str().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
        })?;
        let h = out.slot(customer);
        if p >= year_start {
            h.year_before += kwh;
        }
        if p == last_year {
            h.last_year = Some(kwh);
        }
        if recent.contains(&p) {
            h.recent.push(kwh);
        }
    }
    Ok(out)
}

/// How many of `periods` the reading now in force of meter `meter_id` was estimated.
pub fn estimated_in(conn: &Connection, meter_id: i64, periods: [&str; 2]) -> StoreResult<i64> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT COUNT(DISTINCT r.period) FROM reading r WHERE r.meter_id = ?1
                AND r.period IN (?2, ?3) AND r.kind = 'estimated' AND {CURRENT}"
        ))?
        .query_row(params![meter_id, periods[0], periods[1]], |r| r.get(0))?)
}

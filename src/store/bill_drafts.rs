//! Bills computed here and their review (migration 0026): drafts, the flags each computation
//! raised, the checker's decisions, release, and the comparison with the provincial file's
//! bills. Re-exported by `store::readings`.
use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreResult;
use super::convert::Cols;
use crate::domain::customer::UsageCategory;
use crate::domain::tariff::ReviewFlag;

/// The multiplier of each customer's latest computed bill before `period`.
pub fn last_multipliers(conn: &Connection, period: &str) -> StoreResult<HashMap<i64, u32>> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, multiplier FROM bill_draft d
          WHERE period = (SELECT MAX(period) FROM bill_draft x
                           WHERE x.customer_id = d.customer_id AND x.period < ?1)",
    )?;
    let rows = stmt.query_map([period], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A computed bill as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftKey {
    pub id: i64,
    pub inputs: String,
    pub released: bool,
}

pub fn drafts_of(conn: &Connection, period: &str) -> StoreResult<HashMap<i64, DraftKey>> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, id, inputs, released_at IS NOT NULL FROM bill_draft WHERE period = ?1",
    )?;
    let rows = stmt.query_map([period], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            DraftKey {
                id: r.get(1)?,
                inputs: r.get(2)?,
                released: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A draft to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDraft<'a> {
    pub customer_id: i64,
    pub period: &'a str,
    pub area_id: Option<i64>,
    pub kwh: i64,
    pub amount_fen: i64,
    pub tariff: UsageCategory,
    pub lines: &'a str,
    pub multiplier: u32,
    pub estimated: bool,
    pub inputs: &'a str,
    pub by: i64,
    pub at: &'a str,
}

/// The columns of a draft as [`draft_params`] gives them.
const DRAFT_COLUMNS: &[&str] = &[
    "customer_id",
    "period",
    "area_id",
    "kwh",
    "amount_fen",
    "tariff",
    "lines",
    "multiplier",
    "estimated",
    "inputs",
    "computed_by",
    "computed_at",
];

/// A draft's values in the order of [`DRAFT_COLUMNS`], handed to `f`.
fn draft_params<T>(d: &NewDraft<'_>, f: impl FnOnce(&[&dyn rusqlite::ToSql]) -> T) -> T {
    f(params![
        d.customer_id,
        d.period,
        d.area_id,
        d.kwh,
        d.amount_fen,
        d.tariff,
        d.lines,
        d.multiplier,
        i64::from(d.estimated),
        d.inputs,
        d.by,
        d.at
    ])
}

/// Store drafts of customers that have none for their period yet, a few hundred to a
/// statement (a month of every 台区 is 100,000 drafts: one upsert each cost 1.3 s). A
/// customer that already has one makes the statement fail, and the caller's transaction
/// with it: those go through [`upsert_draft`].
pub fn insert_new_drafts(conn: &Connection, drafts: &[NewDraft<'_>]) -> StoreResult<()> {
    let mut rows = super::bulk::Rows::new(DRAFT_COLUMNS.len());
    for d in drafts {
        draft_params(d, |p| rows.push(p))?;
    }
    super::bulk::insert_rows(conn, "bill_draft", DRAFT_COLUMNS, &rows)
}

/// The id of a customer's draft of a period.
pub fn draft_id(conn: &Connection, customer_id: i64, period: &str) -> StoreResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM bill_draft WHERE customer_id = ?1 AND period = ?2")?
        .query_row(params![customer_id, period], |r| r.get(0))
        .optional()?)
}

/// Store a draft (a new one, or a new computation of one not released); its id.
pub fn upsert_draft(conn: &Connection, d: &NewDraft<'_>) -> StoreResult<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO bill_draft (customer_id, period, area_id, kwh, amount_fen, tariff, lines,
                                 multiplier, estimated, inputs, computed_by, computed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (customer_id, period) DO UPDATE SET area_id = excluded.area_id,
             kwh = excluded.kwh, amount_fen = excluded.amount_fen, tariff = excluded.tariff,
             lines = excluded.lines, multiplier = excluded.multiplier,
             estimated = excluded.estimated, inputs = excluded.inputs,
             computed_by = excluded.computed_by, computed_at = excluded.computed_at
           WHERE bill_draft.released_at IS NULL
         RETURNING id",
    )?;
    Ok(draft_params(d, |p| stmt.query_row(p, |r| r.get(0)))?)
}

pub fn insert_flag(
    conn: &Connection,
    draft_id: i64,
    inputs: &str,
    flag: ReviewFlag,
    detail: &str,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO bill_flag (draft_id, inputs, flag, detail) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![draft_id, inputs, flag, detail])?;
    Ok(())
}

/// One flag of a draft under review, with the latest decision on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagRow {
    pub flag_id: i64,
    pub draft_id: i64,
    pub customer_id: i64,
    pub account_no: String,
    pub name: String,
    pub kwh: i64,
    pub amount_fen: i64,
    pub flag: ReviewFlag,
    pub detail: String,
    /// `None`: open; `Some(true)` accepted; `Some(false)` sent back
    pub accepted: Option<bool>,
    pub note: String,
}

/// The flags of the drafts of a 台区 and period not released yet.
pub fn flags(conn: &Connection, area_id: i64, period: &str) -> StoreResult<Vec<FlagRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.id AS flag_id, d.id AS draft_id, d.customer_id, c.account_no, c.name, d.kwh,
                d.amount_fen, f.flag, f.detail, x.decision, COALESCE(x.note, '') AS note
           FROM bill_draft d
           JOIN bill_flag f ON f.draft_id = d.id AND f.inputs = d.inputs
           JOIN customer c ON c.id = d.customer_id
           LEFT JOIN bill_flag_decision x ON x.id = (SELECT MAX(id) FROM bill_flag_decision
                                                      WHERE flag_id = f.id)
          WHERE d.period = ?1 AND d.area_id = ?2 AND d.released_at IS NULL
          ORDER BY x.decision IS NOT NULL, c.account_no, f.id",
    )?;
    let rows = stmt.query_map(params![period, area_id], |r| {
        let c = Cols::new(r, "bill_flag", "flag_id")?;
        Ok(FlagRow {
            flag_id: c.id(),
            draft_id: c.get("draft_id")?,
            customer_id: c.get("customer_id")?,
            account_no: c.get("account_no")?,
            name: c.get("name")?,
            kwh: c.get("kwh")?,
            amount_fen: c.get("amount_fen")?,
            flag: c.get("flag")?,
            detail: c.get("detail")?,
            accepted: c.get::<Option<String>>("decision")?.map(|d| d == "accept"),
            note: c.get("note")?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The flag `flag_id` if it is a flag now of a draft not released: (draft, customer).
pub fn open_flag(conn: &Connection, flag_id: i64) -> StoreResult<Option<(i64, i64, ReviewFlag)>> {
    Ok(conn
        .prepare_cached(
            "SELECT d.id, d.customer_id, f.flag FROM bill_flag f
               JOIN bill_draft d ON d.id = f.draft_id AND d.inputs = f.inputs
              WHERE f.id = ?1 AND d.released_at IS NULL",
        )?
        .query_row([flag_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

pub fn insert_decision(
    conn: &Connection,
    flag_id: i64,
    accept: bool,
    note: &str,
    by: i64,
    at: &str,
) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO bill_flag_decision (flag_id, decision, note, decided_by, decided_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        flag_id,
        if accept { "accept" } else { "return" },
        note,
        by,
        at
    ])?;
    Ok(())
}

/// A draft ready to release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ready {
    pub draft_id: i64,
    pub customer_id: i64,
    pub kwh: i64,
    pub amount_fen: i64,
}

/// What a 台区's drafts for a period stand at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DraftCounts {
    pub drafts: i64,
    pub released: i64,
    /// with a flag not accepted
    pub held: i64,
    /// a bill for the period came from the provincial file
    pub imported: i64,
}

const HELD: &str =
    "EXISTS (SELECT 1 FROM bill_flag f WHERE f.draft_id = d.id AND f.inputs = d.inputs
        AND COALESCE((SELECT decision FROM bill_flag_decision x WHERE x.flag_id = f.id
                       ORDER BY x.id DESC LIMIT 1), 'open') <> 'accept')";
const HAS_BILL: &str =
    "EXISTS (SELECT 1 FROM bill b WHERE b.customer_id = d.customer_id AND b.period = d.period)";

pub fn ready(conn: &Connection, area_id: i64, period: &str) -> StoreResult<Vec<Ready>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.id, d.customer_id, d.kwh, d.amount_fen FROM bill_draft d
          WHERE d.period = ?1 AND d.area_id = ?2 AND d.released_at IS NULL
            AND NOT {HELD} AND NOT {HAS_BILL}
          ORDER BY d.id"
    ))?;
    let rows = stmt.query_map(params![period, area_id], |r| {
        Ok(Ready {
            draft_id: r.get(0)?,
            customer_id: r.get(1)?,
            kwh: r.get(2)?,
            amount_fen: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn draft_counts(conn: &Connection, area_id: i64, period: &str) -> StoreResult<DraftCounts> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT COUNT(*),
                    COALESCE(SUM(d.released_at IS NOT NULL), 0),
                    COALESCE(SUM(d.released_at IS NULL AND {HELD}), 0),
                    COALESCE(SUM(d.released_at IS NULL AND {HAS_BILL}), 0)
               FROM bill_draft d WHERE d.period = ?1 AND d.area_id = ?2"
        ))?
        .query_row(params![period, area_id], |r| {
            Ok(DraftCounts {
                drafts: r.get(0)?,
                released: r.get(1)?,
                held: r.get(2)?,
                imported: r.get(3)?,
            })
        })?)
}

pub fn mark_released(
    conn: &Connection,
    draft_id: i64,
    bill_id: Option<i64>,
    by: i64,
    at: &str,
) -> StoreResult<()> {
    conn.prepare_cached(
        "UPDATE bill_draft SET released_by = ?2, released_at = ?3, bill_id = ?4
          WHERE id = ?1 AND released_at IS NULL",
    )?
    .execute(params![draft_id, by, at, bill_id])?;
    Ok(())
}

/// A local bill that differs from the one the provincial file brought (电价执行检查).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub customer_id: i64,
    pub account_no: String,
    pub name: String,
    pub area_code: String,
    pub local_kwh: i64,
    pub local_fen: i64,
    pub imported_kwh: i64,
    pub imported_fen: i64,
    pub tariff: UsageCategory,
    pub usage: UsageCategory,
}

pub fn differences(conn: &Connection, period: &str) -> StoreResult<Vec<Difference>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.customer_id, c.account_no, c.name, COALESCE(a.code, '') AS area_code,
                d.kwh, d.amount_fen, b.kwh AS b_kwh, b.amount_fen AS b_fen, d.tariff,
                c.usage_category
           FROM bill_draft d
           JOIN bill b ON b.customer_id = d.customer_id AND b.period = d.period
                      AND (d.bill_id IS NULL OR b.id <> d.bill_id)
           JOIN customer c ON c.id = d.customer_id
           LEFT JOIN transformer_area a ON a.id = d.area_id
          WHERE d.period = ?1 AND (b.kwh <> d.kwh OR b.amount_fen <> d.amount_fen)
          ORDER BY c.account_no",
    )?;
    let rows = stmt.query_map([period], |r| {
        let c = Cols::new(r, "bill_draft", "id")?;
        Ok(Difference {
            customer_id: c.get("customer_id")?,
            account_no: c.get("account_no")?,
            name: c.get("name")?,
            area_code: c.get("area_code")?,
            local_kwh: c.get("kwh")?,
            local_fen: c.get("amount_fen")?,
            imported_kwh: c.get("b_kwh")?,
            imported_fen: c.get("b_fen")?,
            tariff: c.get("tariff")?,
            usage: c.get("usage_category")?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

//! Hand-over bundles (`handover_bundle`, migration 0032): a range of outbox records written
//! for the county, pending until it is confirmed upstream. At most one is pending (a unique
//! partial index) and each starts right after the one before (a trigger); what a bundle
//! holds is fixed when it is made, so writing it again gives the same bytes.
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::StoreResult;
use super::convert::Cols;
use crate::domain::handover::BundleState;

/// A bundle as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleRow {
    /// the bundle's number at this station (1, 2, 3 …)
    pub id: i64,
    /// `WZ01-000003`
    pub bundle_id: String,
    pub station_code: String,
    pub station_name: String,
    pub seq_from: i64,
    pub seq_to: i64,
    /// `+08:00`
    pub utc_offset: String,
    pub head_seq: i64,
    pub head_hash: String,
    pub created_at: String,
    pub created_by: Option<i64>,
    pub state: BundleState,
    pub confirmed_at: Option<String>,
    pub confirmed_by: Option<i64>,
    /// once written: the manifest's SHA-256 (the same at every export)
    pub manifest_sha256: Option<String>,
    /// once written: records per entity, JSON `{"customer": 12, …}`
    pub counts: Option<String>,
}

impl BundleRow {
    /// Records in the bundle (the numbers have no gaps).
    pub fn records(&self) -> i64 {
        self.seq_to - self.seq_from + 1
    }
}

const SELECT: &str = "SELECT id, bundle_id, station_code, station_name, seq_from, seq_to,
        utc_offset, head_seq, head_hash, created_at, created_by, state, confirmed_at,
        confirmed_by, manifest_sha256, counts FROM handover_bundle";

impl TryFrom<&Row<'_>> for BundleRow {
    type Error = rusqlite::Error;

    fn try_from(r: &Row<'_>) -> rusqlite::Result<Self> {
        let c = Cols::new(r, "handover_bundle", "id")?;
        Ok(BundleRow {
            id: c.id(),
            bundle_id: c.get("bundle_id")?,
            station_code: c.get("station_code")?,
            station_name: c.get("station_name")?,
            seq_from: c.get("seq_from")?,
            seq_to: c.get("seq_to")?,
            utc_offset: c.get("utc_offset")?,
            head_seq: c.get("head_seq")?,
            head_hash: c.get("head_hash")?,
            created_at: c.get("created_at")?,
            created_by: c.get("created_by")?,
            state: c.get("state")?,
            confirmed_at: c.get("confirmed_at")?,
            confirmed_by: c.get("confirmed_by")?,
            manifest_sha256: c.get("manifest_sha256")?,
            counts: c.get("counts")?,
        })
    }
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<BundleRow> {
    BundleRow::try_from(r)
}

/// The bundle waiting for confirmation, if any.
pub fn pending(conn: &Connection) -> StoreResult<Option<BundleRow>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE state = 'pending'"))?
        .query_row([], from_row)
        .optional()?)
}

pub fn by_bundle_id(conn: &Connection, bundle_id: &str) -> StoreResult<Option<BundleRow>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE bundle_id = ?1"))?
        .query_row([bundle_id], from_row)
        .optional()?)
}

/// Every bundle, newest first.
pub fn list(conn: &Connection) -> StoreResult<Vec<BundleRow>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY id DESC"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The number and the last record of the newest bundle (0, 0 before the first).
pub fn last(conn: &Connection) -> StoreResult<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(max(id), 0), coalesce(max(seq_to), 0) FROM handover_bundle",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// A bundle to record (pending).
pub struct NewBundle<'a> {
    pub id: i64,
    pub bundle_id: &'a str,
    pub station_code: &'a str,
    pub station_name: &'a str,
    pub seq_from: i64,
    pub seq_to: i64,
    pub utc_offset: &'a str,
    pub head_seq: i64,
    pub head_hash: &'a str,
    pub created_at: &'a str,
    pub created_by: Option<i64>,
}

pub fn insert(conn: &Connection, b: &NewBundle<'_>) -> StoreResult<()> {
    conn.prepare_cached(
        "INSERT INTO handover_bundle (id, bundle_id, station_code, station_name, seq_from, seq_to,
             utc_offset, head_seq, head_hash, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        b.id,
        b.bundle_id,
        b.station_code,
        b.station_name,
        b.seq_from,
        b.seq_to,
        b.utc_offset,
        b.head_seq,
        b.head_hash,
        b.created_at,
        b.created_by
    ])?;
    Ok(())
}

/// Keep what the first writing of a bundle gave (manifest hash, counts); nothing when they
/// are already kept. Returns whether it wrote.
pub fn set_written(
    conn: &Connection,
    id: i64,
    manifest_sha256: &str,
    counts: &str,
) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE handover_bundle SET manifest_sha256 = ?2, counts = ?3
              WHERE id = ?1 AND manifest_sha256 IS NULL",
        )?
        .execute(params![id, manifest_sha256, counts])?
        == 1)
}

/// Mark a pending bundle confirmed. Returns whether it was pending.
pub fn confirm(conn: &Connection, id: i64, at: &str, by: Option<i64>) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE handover_bundle SET state = 'confirmed', confirmed_at = ?2, confirmed_by = ?3
              WHERE id = ?1 AND state = 'pending'",
        )?
        .execute(params![id, at, by])?
        == 1)
}

//! Forward integrity of the audit trail (Schneier–Kelsey): every entry carries an HMAC of
//! its hash under a key that evolves after each entry, `K_{i+1} = SHA-256(tag ‖ K_i)`, the
//! old key overwritten. The first key is printed once on a key sheet for the county company
//! and erased here once printed; whoever later holds the database and the program holds
//! only the current key, from which no earlier key can be computed, so no entry before it
//! can be forged without the sheet showing it. See `docs/reliability.md` for the limits.
use chrono::NaiveDateTime;
use hmac::{Hmac, Mac};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{StoreError, StoreResult};
use crate::domain::clock;

pub type Key = [u8; 32];

/// The next key from this one.
pub fn evolve(k: &Key) -> Key {
    let mut h = Sha256::new();
    h.update(b"stationdesk audit key evolve\x1f");
    h.update(k);
    h.finalize().into()
}

/// The MAC of an entry's hash under its key.
pub fn mac_of(k: &Key, hash: &str) -> String {
    // HMAC takes a key of any length: this cannot fail
    let mut m = match <Hmac<Sha256> as Mac>::new_from_slice(k) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    m.update(hash.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

fn key_of(bytes: Vec<u8>) -> StoreResult<Key> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("audit_key：密钥长度不对".into()))
}

/// The schema version the tables were last sealed at (0: never).
pub fn sealed_version(conn: &Connection) -> StoreResult<i64> {
    Ok(conn
        .prepare_cached("SELECT sealed_version FROM audit_key WHERE id = 1")?
        .query_row([], |r| r.get::<_, i64>(0))
        .optional()?
        .unwrap_or(0))
}

pub fn set_sealed_version(conn: &Connection, v: i64) -> StoreResult<()> {
    conn.execute("UPDATE audit_key SET sealed_version = ?1 WHERE id = 1", [v])?;
    Ok(())
}

/// Make the first key if there is none: random, for the entry after the current head.
/// Returns whether it was made now.
pub fn ensure_key(conn: &Connection, at: NaiveDateTime) -> StoreResult<bool> {
    let exists = conn
        .prepare_cached("SELECT 1 FROM audit_key WHERE id = 1")?
        .exists([])?;
    if exists {
        return Ok(false);
    }
    let mut k: Key = [0; 32];
    getrandom::fill(&mut k)
        .map_err(|e| StoreError::Corrupt(format!("无法取得随机数生成审计密钥：{e}")))?;
    let next: i64 = conn.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log", [], |r| {
        r.get(0)
    })?;
    conn.execute(
        "INSERT INTO audit_key (id, next_seq, key, start_seq, sheet_key, created_at, sealed_version)
         VALUES (1, ?1, ?2, ?1, ?2, ?3, 0)",
        params![next, k.to_vec(), clock::to_db(at)],
    )?;
    Ok(true)
}

/// Sign entry `seq`'s hash with the current key and evolve it. `None` when there is no key
/// yet. The key is used for the entry it is numbered for; a key ahead of the trail (entries
/// removed from its end) signs anyway and stays ahead, so a check with the key sheet fails
/// from there on and `verify` reports the gap.
pub fn sign(conn: &Connection, seq: i64, hash: &str) -> StoreResult<Option<String>> {
    let row: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT next_seq, key FROM audit_key WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((mut next, key)) = row else {
        return Ok(None);
    };
    let mut k = key_of(key)?;
    while next < seq {
        k = evolve(&k);
        next += 1;
    }
    let mac = mac_of(&k, hash);
    let k2 = evolve(&k);
    k.fill(0);
    conn.prepare_cached("UPDATE audit_key SET next_seq = ?1, key = ?2 WHERE id = 1")?
        .execute(params![next + 1, k2.to_vec()])?;
    Ok(Some(mac))
}

/// The key's state: (seq of the entry it will sign next, seq it started at, whether the
/// key sheet is still to be printed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyState {
    pub next_seq: i64,
    pub start_seq: i64,
    pub sheet_pending: bool,
    pub created_at: String,
    pub printed_at: Option<String>,
}

pub fn state(conn: &Connection) -> StoreResult<Option<KeyState>> {
    Ok(conn
        .prepare_cached(
            "SELECT next_seq, start_seq, sheet_key IS NOT NULL, created_at, printed_at
             FROM audit_key WHERE id = 1",
        )?
        .query_row([], |r| {
            Ok(KeyState {
                next_seq: r.get(0)?,
                start_seq: r.get(1)?,
                sheet_pending: r.get(2)?,
                created_at: r.get(3)?,
                printed_at: r.get(4)?,
            })
        })
        .optional()?)
}

/// The starting key for its sheet, while it is still kept: (start seq, key).
pub fn sheet_key(conn: &Connection) -> StoreResult<Option<(i64, Key)>> {
    let row: Option<(i64, Option<Vec<u8>>)> = conn
        .prepare_cached("SELECT start_seq, sheet_key FROM audit_key WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        Some((seq, Some(k))) => Ok(Some((seq, key_of(k)?))),
        _ => Ok(None),
    }
}

/// Erase the starting key once its sheet is printed.
pub fn erase_sheet_key(conn: &Connection, at: NaiveDateTime) -> StoreResult<()> {
    conn.execute(
        "UPDATE audit_key SET sheet_key = NULL, printed_at = ?1 WHERE id = 1",
        [clock::to_db(at)],
    )?;
    Ok(())
}

/// The text of a key as printed on the sheet and read back by `verify --key`: `SEQ:HEX`.
pub fn sheet_text(start_seq: i64, k: &Key) -> String {
    format!("{start_seq}:{}", hex::encode(k))
}

/// Read a key sheet's text (a file with `SEQ:HEX` somewhere in it).
pub fn parse_sheet(text: &str) -> Option<(i64, Key)> {
    text.split(|c: char| c.is_whitespace() || c == '，' || c == ',')
        .find_map(|tok| {
            let (seq, hex_part) = tok.split_once(':')?;
            let seq: i64 = seq.parse().ok()?;
            let bytes = hex::decode(hex_part.trim()).ok()?;
            let k: Key = bytes.try_into().ok()?;
            (seq >= 1).then_some((seq, k))
        })
}

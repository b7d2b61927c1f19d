//! The append-only, hash-chained audit trail. Each entry stores the SHA-256 of the
//! previous entry's hash plus its own content, so an edited, deleted or inserted row
//! breaks the chain; triggers refuse UPDATE and DELETE.
use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{StoreResult, mac, seal};
use crate::domain::clock;

/// The hash "before" the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it: a signed-in staff member, or the program itself (set-up, demo, import).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub user_name: String,
}

impl Actor {
    pub fn system(what: &str) -> Actor {
        Actor {
            user_id: None,
            user_name: format!("系统（{what}）"),
        }
    }
}

/// Field changes: `{"field": {"old": …, "new": …}}`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes(Map<String, Value>);

impl Changes {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn field(mut self, name: &str, old: impl Into<Value>, new: impl Into<Value>) -> Self {
        let mut pair = Map::new();
        pair.insert("old".into(), old.into());
        pair.insert("new".into(), new.into());
        self.0.insert(name.to_string(), Value::Object(pair));
        self
    }
    /// A field set on creation (no old value).
    pub fn created(self, name: &str, new: impl Into<Value>) -> Self {
        self.field(name, Value::Null, new)
    }
    /// Free information that is not a field change (counts, reasons).
    pub fn note(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.0.insert(name.to_string(), value.into());
        self
    }
    pub fn to_json(&self) -> String {
        Value::Object(self.0.clone()).to_string()
    }
}

/// One entry to append.
pub struct NewEntry<'a> {
    pub at: NaiveDateTime,
    pub actor: &'a Actor,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub changes: Changes,
}

/// A stored entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub seq: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub changes: String,
    pub prev_hash: String,
    pub hash: String,
    /// what the entry's transaction wrote (see [`super::seal`]); part of the hash
    pub seal: Option<String>,
    /// HMAC of `hash` under the evolving key of this seq (see [`super::mac`]); not part of
    /// the hash
    pub mac: Option<String>,
}

/// The hash of an entry. It covers the previous entry's MAC too (`prev_mac`, from the
/// first signed entry on), so a MAC changed afterwards breaks the next entry's hash and is
/// found without the key sheet.
pub fn entry_hash(e: &Entry, prev_mac: Option<&str>) -> String {
    let uid = e.user_id.map(|u| u.to_string()).unwrap_or_default();
    let mut h = Sha256::new();
    for part in [
        e.prev_hash.as_str(),
        &e.seq.to_string(),
        &e.at,
        &uid,
        &e.user_name,
        &e.action,
        &e.entity,
        &e.entity_id,
        &e.changes,
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    // entries before seals existed hash as they always did
    if let Some(seal) = &e.seal {
        h.update(b"seal");
        h.update([0x1f]);
        h.update(seal.as_bytes());
        h.update([0x1f]);
    }
    if let Some(m) = prev_mac {
        h.update(b"prev_mac");
        h.update([0x1f]);
        h.update(m.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// Append an entry; call inside the same transaction as the change it records. The entry
/// seals what the transaction wrote and is signed with the evolving key. The first entry
/// after a schema upgrade (or the first ever) is preceded by a `schema.seal` entry that
/// seals the tables as the upgrade left them and makes the key.
pub fn append(conn: &Connection, n: NewEntry<'_>) -> StoreResult<i64> {
    if mac::sealed_version(conn)? < super::known_schema_version() as i64 {
        seal_schema(conn, n.at)?;
    }
    append_one(conn, n, false)
}

/// Seal the tables now if the schema changed since they were last sealed (called right
/// after opening, so that `verify` never sees an upgrade's rows unsealed). Returns whether
/// it sealed.
pub fn ensure_sealed(conn: &Connection, at: NaiveDateTime) -> StoreResult<bool> {
    if mac::sealed_version(conn)? >= super::known_schema_version() as i64 {
        return Ok(false);
    }
    seal_schema(conn, at)?;
    Ok(true)
}

/// The `schema.seal` entry: everything present is sealed as it is, and the MAC key made
/// (once). Recorded in the audit trail, so an unexpected one is visible.
fn seal_schema(conn: &Connection, at: NaiveDateTime) -> StoreResult<()> {
    let created = mac::ensure_key(conn, at)?;
    let version = super::known_schema_version() as i64;
    let before = mac::sealed_version(conn)?;
    append_one(
        conn,
        NewEntry {
            at,
            actor: &Actor::system("数据库升级"),
            action: SCHEMA_SEAL,
            entity: "database",
            entity_id: "",
            changes: Changes::new()
                .field("schema_version", before, version)
                .note("key_created", created),
        },
        true,
    )?;
    mac::set_sealed_version(conn, version)
}

/// The action of the entry that seals the tables after a schema upgrade.
pub const SCHEMA_SEAL: &str = "schema.seal";

fn append_one(conn: &Connection, n: NewEntry<'_>, all_rows: bool) -> StoreResult<i64> {
    let last: Option<(i64, String, Option<String>)> = conn
        .prepare_cached("SELECT seq, hash, mac FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let (seq, prev_hash, prev_mac) = match last {
        Some((s, h, m)) => (s + 1, h, m),
        None => (1, GENESIS.to_string(), None),
    };
    let seal = seal::seal(conn, seq, all_rows)?;
    let mut e = Entry {
        seq,
        at: clock::to_db(n.at),
        user_id: n.actor.user_id,
        user_name: n.actor.user_name.clone(),
        action: n.action.to_string(),
        entity: n.entity.to_string(),
        entity_id: n.entity_id.to_string(),
        changes: n.changes.to_json(),
        prev_hash,
        hash: String::new(),
        seal,
        mac: None,
    };
    e.hash = entry_hash(&e, prev_mac.as_deref());
    e.mac = mac::sign(conn, seq, &e.hash)?;
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at, user_id, user_name, action, entity, entity_id, changes,
                                prev_hash, hash, seal, mac)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        e.seq,
        e.at,
        e.user_id,
        e.user_name,
        e.action,
        e.entity,
        e.entity_id,
        e.changes,
        e.prev_hash,
        e.hash,
        e.seal,
        e.mac
    ])?;
    // the hand-over records this transaction's triggers wrote are closed under this entry
    super::outbox::close(conn, seq, &e.at)?;
    Ok(seq)
}

/// Seal what a transaction wrote without an entry of its own (called before every commit):
/// such writes are recorded under a system entry rather than left unsealed. The program's
/// own use cases append their entry after their writes, so this finds nothing for them.
pub fn seal_leftovers(conn: &Connection) -> StoreResult<()> {
    if mac::sealed_version(conn)? < super::known_schema_version() as i64 {
        return Ok(());
    }
    if !seal::pending(conn)? {
        return Ok(());
    }
    // no clock below the service: the time of the entry before it
    let at: Option<String> = conn
        .prepare_cached("SELECT at FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let Some(at) = at.as_deref().and_then(clock::from_db) else {
        return Ok(());
    };
    append_one(
        conn,
        NewEntry {
            at,
            actor: &Actor::system("未单独记录的改动"),
            action: UNATTRIBUTED,
            entity: "database",
            entity_id: "",
            changes: Changes::new(),
        },
        false,
    )?;
    Ok(())
}

/// The action of a system entry that seals writes no use case recorded.
pub const UNATTRIBUTED: &str = "audit.unattributed";

pub(crate) fn row_to_entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        seq: r.get(0)?,
        at: r.get(1)?,
        user_id: r.get(2)?,
        user_name: r.get(3)?,
        action: r.get(4)?,
        entity: r.get(5)?,
        entity_id: r.get(6)?,
        changes: r.get(7)?,
        prev_hash: r.get(8)?,
        hash: r.get(9)?,
        seal: r.get(10)?,
        mac: r.get(11)?,
    })
}

pub(crate) const COLUMNS: &str =
    "seq, at, user_id, user_name, action, entity, entity_id, changes, prev_hash, hash, seal, mac";

/// Newest first.
pub fn recent(conn: &Connection, limit: usize, offset: usize) -> StoreResult<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT ?1 OFFSET ?2"
    ))?;
    let rows = stmt.query_map(params![limit as i64, offset as i64], row_to_entry)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What the audit screen is narrowed to: a person (part of the name or user name), a date
/// range (both included) and actions (codes; empty = all).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub user: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub actions: Vec<String>,
}

/// Entries matching `f`, newest first, and how many match in all.
pub fn search(
    conn: &Connection,
    f: &Filter,
    limit: usize,
    offset: usize,
) -> StoreResult<(i64, Vec<Entry>)> {
    let mut cond = Vec::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if !f.user.is_empty() {
        args.push(f.user.clone().into());
        cond.push(format!("instr(user_name, ?{}) > 0", args.len()));
    }
    if let Some(from) = &f.from {
        args.push(from.clone().into());
        cond.push(format!("at >= ?{}", args.len()));
    }
    if let Some(to) = &f.to {
        // the whole last day
        args.push(format!("{to} 99").into());
        cond.push(format!("at < ?{}", args.len()));
    }
    if !f.actions.is_empty() {
        let mut marks = Vec::new();
        for a in &f.actions {
            args.push(a.clone().into());
            marks.push(format!("?{}", args.len()));
        }
        cond.push(format!("action IN ({})", marks.join(", ")));
    }
    let filter = if cond.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", cond.join(" AND "))
    };
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM audit_log {filter}"),
        rusqlite::params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    args.push((limit as i64).into());
    args.push((offset as i64).into());
    let n = args.len();
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM audit_log {filter} ORDER BY seq DESC LIMIT ?{} OFFSET ?{n}",
        n - 1
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), row_to_entry)?;
    Ok((total, rows.collect::<Result<_, _>>()?))
}

/// Entries by a person (not the program itself: set-up, demo, seals) since `from` (a
/// `YYYY-MM-DD…` prefix) whose action does not start with `except_prefix` (e.g. `auth.`:
/// sign-ins are not business).
pub fn count_since(conn: &Connection, from: &str, except_prefix: &str) -> StoreResult<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM audit_log WHERE at >= ?1 AND user_id IS NOT NULL
           AND substr(action, 1, length(?2)) <> ?2",
        params![from, except_prefix],
        |r| r.get(0),
    )?)
}

/// The first entry about one entity (a receipt's payment): its seq and hash.
pub fn first_of(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
) -> StoreResult<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT seq, hash FROM audit_log WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq LIMIT 1",
        )?
        .query_row(params![entity, entity_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// How many entries record `action` about `entity` (any id, found through the entity
/// index), and the time of the latest; `None` when there are none.
pub fn count_and_last(
    conn: &Connection,
    entity: &str,
    action: &str,
) -> StoreResult<Option<(i64, String)>> {
    let (n, last): (i64, Option<String>) = conn
        .prepare_cached(
            "SELECT count(*), max(at) FROM audit_log WHERE entity = ?1 AND action = ?2",
        )?
        .query_row([entity, action], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(last.filter(|_| n > 0).map(|l| (n, l)))
}

/// How many entries record `action` on one entity (e.g. slips printed for an order).
pub fn count_for(
    conn: &Connection,
    action: &str,
    entity: &str,
    entity_id: &str,
) -> StoreResult<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM audit_log WHERE entity = ?1 AND entity_id = ?2 AND action = ?3",
        params![entity, entity_id, action],
        |r| r.get(0),
    )?)
}

pub fn count(conn: &Connection) -> StoreResult<i64> {
    Ok(conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
}

/// Head of the chain: (last seq, its hash).
pub fn head(conn: &Connection) -> StoreResult<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Result of walking the whole chain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChainReport {
    pub entries: i64,
    pub head: Option<(i64, String)>,
    /// Chinese descriptions of every break found (at most 100 listed).
    pub problems: Vec<String>,
}

/// Walk the chain from the first entry: numbers consecutive from 1, each entry's
/// `prev_hash` is the previous entry's hash, and each hash matches the content.
pub fn verify_chain(conn: &Connection) -> StoreResult<ChainReport> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut report = ChainReport::default();
    let mut expected_seq = 1i64;
    let mut prev = GENESIS.to_string();
    let mut prev_mac: Option<String> = None;
    let note = |report: &mut ChainReport, msg: String| {
        if report.problems.len() < 100 {
            report.problems.push(msg);
        }
    };
    while let Some(row) = rows.next()? {
        let e = row_to_entry(row)?;
        report.entries += 1;
        if e.seq != expected_seq {
            note(
                &mut report,
                format!(
                    "第 {expected_seq} 条起缺失或被插入记录（下一条编号为 {}）",
                    e.seq
                ),
            );
        }
        if e.prev_hash != prev {
            note(
                &mut report,
                format!(
                    "第 {} 条的前一条哈希对不上：前面的记录被删除、插入或改动",
                    e.seq
                ),
            );
        }
        if entry_hash(&e, prev_mac.as_deref()) != e.hash {
            note(
                &mut report,
                format!("第 {} 条的内容与其哈希不符：记录被改动", e.seq),
            );
        }
        expected_seq = e.seq + 1;
        prev = e.hash.clone();
        prev_mac = e.mac.clone();
        report.head = Some((e.seq, e.hash));
    }
    Ok(report)
}

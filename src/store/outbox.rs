//! The outbox of the hand-over (issue 17): an append-only journal of every change to the
//! tables handed over to the provincial system, written **by triggers** in the change's own
//! transaction, so no use case can forget it. See `docs/handover.md`.
//!
//! - `outbox(seq, entity, row_key, op, state)`: one record per row inserted, changed or
//!   deleted, numbered without gaps (`seq` is the rowid; records are never deleted or
//!   edited — triggers refuse it — and a transaction rolled back takes its numbers with it).
//!   Changing tables ([`seal::Kind::Changing`]: customers, orders, meters, settings …)
//!   record the row as it became (`state`, a `json_object` of its columns); append-only
//!   tables (bills, payments, receipts, readings …) record only the key: their rows never
//!   change (triggers refuse UPDATE and DELETE), so the row read at export is the row as it
//!   was committed, and 6 million keys take a fifth of the room the rows would.
//! - `outbox_commit(last_seq, first_seq, audit_seq, at, nonce)`: the audit entry that closed
//!   each transaction's records ([`close`], called by `audit::append`): the records' time
//!   and the random nonce their UUIDs are made from (`domain::handover::record_uuid`).
//!
//! The triggers are generated from [`ENTITIES`] and the schema ([`triggers_sql`]) and
//! written into migration 0032; a test checks that the migration holds exactly what the
//! generator gives now, so a later migration that adds a column (or a table) to a handed-over
//! table must make its trigger again. Tables that are not handed over are in [`LOCAL_ONLY`]
//! (with the reason) or in `seal::NOT_SEALED` (derived data, the audit trail's own tables).
//!
//! A bulk load (the demo's year of history) does not pay a trigger per row: [`pause`] drops
//! the hand-over triggers, [`resume`] makes them again exactly as the migrations made them
//! and records what was written meanwhile in one `INSERT … SELECT` per table ([`snapshot`]).
use rusqlite::{Connection, params};

use super::seal::{self, Kind};
use super::{StoreError, StoreResult};

/// A table handed over.
#[derive(Clone, Copy, Debug)]
pub struct Entity {
    pub table: &'static str,
    /// columns not handed over (secrets and local counters)
    pub omit: &'static [&'static str],
    /// only the rows for which this holds (SQL over the row; `{r}` is the row's prefix)
    pub only: Option<&'static str>,
    /// when the row's business happened (SQL over the row as `t`): picks a month of
    /// changes for the bench; not part of the format
    pub when: &'static str,
}

const fn all(table: &'static str, when: &'static str) -> Entity {
    Entity {
        table,
        omit: &[],
        only: None,
        when,
    }
}

/// Every table handed over, parents before children (the order of the bundle's files and
/// of a first load).
pub const ENTITIES: &[Entity] = &[
    Entity {
        // accounts: who did what (user ids in every other table); never their secrets or
        // the sign-in counters
        omit: &[
            "password_hash",
            "must_change_password",
            "failed_attempts",
            "locked_until",
            "approval_failed",
            "approval_locked_until",
        ],
        ..all("staff", "t.created_at")
    },
    all("settings", "t.updated_at"),
    all("transformer_area", "t.created_at"),
    all("area_type", "''"),
    Entity {
        // the pinyin initials are a search aid made from the name
        omit: &["name_initials"],
        ..all("customer", "t.updated_at")
    },
    all("work_order", "t.created_at"),
    all("order_stage", "t.done_at"),
    all("order_document", "t.received_at"),
    all("order_fee", "coalesce(t.collected_at, t.added_at)"),
    all("order_contact", "t.at"),
    all("order_event", "t.at"),
    all("order_pause", "coalesce(t.ended_at, t.started_at)"),
    all("assessment_rule", "t.updated_at"),
    all("assessment_entry", "coalesce(t.decided_at, t.created_at)"),
    all("meter", "t.received_on"),
    all("meter_event", "t.at"),
    all("meter_swap", "t.at"),
    all("meter_extension", "t.at"),
    all("meter_check", "t.at"),
    all(
        "order_meter",
        "(SELECT o.created_at FROM work_order o WHERE o.id = t.id)",
    ),
    all("rotation_plan", "t.created_at"),
    all("rotation_item", "coalesce(t.done_on, t.reported_at)"),
    all("reading_book", "t.changed_at"),
    all("reading", "t.at"),
    Entity {
        // bills computed here (and the demo's); bills imported from the provincial system
        // came from it
        only: Some("{r}source <> 'import'"),
        ..all("bill", "t.imported_at")
    },
    all("late_fee_waiver", "t.waived_at"),
    all("outage_period", "t.declared_at"),
    all("payment", "t.at"),
    all(
        "allocation",
        "(SELECT p.at FROM payment p WHERE p.id = t.payment_id)",
    ),
    all(
        "late_fee_basis",
        "(SELECT p.at FROM allocation a JOIN payment p ON p.id = a.payment_id WHERE a.id = t.id)",
    ),
    all("receipt", "t.issued_at"),
    all("receipt_print", "t.printed_at"),
    all("receipt_void", "t.voided_at"),
    all("prepaid_offset", "t.at"),
    all("day_end", "t.closed_at"),
    all(
        "day_end_batch",
        "(SELECT d.closed_at FROM day_end d WHERE d.id = t.id)",
    ),
    all(
        "day_end_method",
        "(SELECT d.closed_at FROM day_end d WHERE d.id = t.day_end_id)",
    ),
    all(
        "day_end_cash",
        "(SELECT d.closed_at FROM day_end d WHERE d.id = t.day_end_id)",
    ),
    all("service_case", "t.created_at"),
    all("case_step", "t.recorded_at"),
    all("case_visit", "t.recorded_at"),
    all("line_loss_note", "t.noted_at"),
    all("reading_note", "t.noted_at"),
    all("reading_message", "coalesce(t.feedback_at, t.sent_at)"),
    all("spot_check", "t.at"),
    all("arrears_mark", "t.marked_at"),
    all("collection_notice", "t.printed_at"),
    all("disconnection", "t.recorded_at"),
    all("reconnection", "t.created_at"),
    all("audit_finding", "t.found_at"),
    all("audit_finding_step", "t.at"),
];

/// Business tables kept at the station only, and why (the test that every table is
/// handed over, local or derived reads this list; `docs/handover.md` repeats it).
pub const LOCAL_ONLY: &[(&str, &str)] = &[
    (
        "station",
        "本所自己的抬头（名称、电话、地址，印在单据上）；交接包清单中写明所编码与名称",
    ),
    (
        "calendar_year",
        "国务院办公厅公布的节假日安排，各地相同，县公司不需要本所的副本",
    ),
    ("calendar_day", "同上：节假日与调休日"),
    (
        "bill_draft",
        "核算中的账单草稿（可反复重算）；发行后成为 bill 行（来源 local），随 bill 交接",
    ),
    (
        "bill_flag",
        "草稿的复核原因，随草稿重算而重写；发行的账单随 bill 交接",
    ),
    (
        "bill_flag_decision",
        "复核员对草稿复核原因的意见，属发行前的所内核对",
    ),
    (
        "handover_bundle",
        "交接包本身的记录（待确认 / 已确认），是交接的簿记而非业务",
    ),
];

pub fn entity(table: &str) -> Option<&'static Entity> {
    ENTITIES.iter().find(|e| e.table == table)
}

impl Entity {
    /// How the table is sealed (append-only or changing), which decides whether a record
    /// carries the row's state.
    pub fn kind(&self) -> Kind {
        seal::table(self.table)
            .map(|t| t.kind)
            .unwrap_or(Kind::Changing)
    }

    /// The key columns (the sealed table's key).
    pub fn key(&self) -> &'static [&'static str] {
        seal::table(self.table).map(|t| t.key).unwrap_or(&["id"])
    }

    /// Chinese name of the table (the seal's label).
    pub fn label(&self) -> &'static str {
        seal::table(self.table).map(|t| t.label).unwrap_or("")
    }
}

/// The columns of a table that are handed over, in the table's order.
pub fn columns(conn: &Connection, e: &Entity) -> StoreResult<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    let names = stmt
        .query_map([e.table], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(names
        .into_iter()
        .filter(|n| !e.omit.contains(&n.as_str()))
        .collect())
}

fn q(name: &str) -> String {
    format!("\"{name}\"")
}

/// The record's key: the key column's value, or a JSON array of the key columns' values.
fn key_sql(e: &Entity, prefix: &str) -> String {
    match e.key() {
        [one] => format!("{prefix}{}", q(one)),
        many => format!(
            "json_array({})",
            many.iter()
                .map(|c| format!("{prefix}{}", q(c)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn state_sql(cols: &[String], prefix: &str) -> String {
    format!(
        "json_object({})",
        cols.iter()
            .map(|c| format!("'{c}', {prefix}{}", q(c)))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// Whether the table refuses DELETE by a trigger of its own (then no delete trigger is made).
fn refuses_delete(conn: &Connection, table: &str) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?1
               AND sql LIKE '%BEFORE DELETE%' AND sql LIKE '%RAISE%'",
        )?
        .exists([table])?)
}

/// The names of the hand-over triggers of a table (`handover_<table>_insert` …).
pub const TRIGGER_PREFIX: &str = "handover_";

/// The `CREATE TRIGGER` statements of one entity, as migration 0032 holds them.
pub fn triggers_sql(conn: &Connection, e: &Entity) -> StoreResult<Vec<String>> {
    let cols = columns(conn, e)?;
    let t = e.table;
    let only = |r: &str| e.only.map(|o| o.replace("{r}", r));
    let mut out = Vec::new();
    match e.kind() {
        Kind::AppendOnly => {
            let when = only("NEW.")
                .map(|w| format!(" WHEN {w}"))
                .unwrap_or_default();
            out.push(format!(
                "CREATE TRIGGER {TRIGGER_PREFIX}{t}_insert AFTER INSERT ON {}{when} BEGIN\n    INSERT INTO outbox (entity, row_key, op) VALUES ('{t}', {}, 'I');\nEND",
                q(t),
                key_sql(e, "NEW.")
            ));
        }
        Kind::Changing => {
            let when = only("NEW.")
                .map(|w| format!(" WHEN {w}"))
                .unwrap_or_default();
            out.push(format!(
                "CREATE TRIGGER {TRIGGER_PREFIX}{t}_insert AFTER INSERT ON {}{when} BEGIN\n    INSERT INTO outbox (entity, row_key, op, state) VALUES ('{t}', {}, 'I', {});\nEND",
                q(t),
                key_sql(e, "NEW."),
                state_sql(&cols, "NEW.")
            ));
            let changed = cols
                .iter()
                .map(|c| format!("OLD.{0} IS NOT NEW.{0}", q(c)))
                .collect::<Vec<_>>()
                .join(" OR ");
            let key_changed = e
                .key()
                .iter()
                .map(|c| format!("OLD.{0} IS NOT NEW.{0}", q(c)))
                .collect::<Vec<_>>()
                .join(" OR ");
            out.push(format!(
                "CREATE TRIGGER {TRIGGER_PREFIX}{t}_update AFTER UPDATE ON {} WHEN {changed} BEGIN\n    INSERT INTO outbox (entity, row_key, op) SELECT '{t}', {}, 'D' WHERE {key_changed};\n    INSERT INTO outbox (entity, row_key, op, state) VALUES ('{t}', {}, 'U', {});\nEND",
                q(t),
                key_sql(e, "OLD."),
                key_sql(e, "NEW."),
                state_sql(&cols, "NEW.")
            ));
            if !refuses_delete(conn, t)? {
                out.push(format!(
                    "CREATE TRIGGER {TRIGGER_PREFIX}{t}_delete AFTER DELETE ON {} BEGIN\n    INSERT INTO outbox (entity, row_key, op) VALUES ('{t}', {}, 'D');\nEND",
                    q(t),
                    key_sql(e, "OLD.")
                ));
            }
        }
    }
    Ok(out)
}

/// Which rows a snapshot records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Snapshot<'a> {
    /// every row (changing rows with their state now): the migration's first records, made
    /// while the outbox is still empty
    First,
    /// as `First`, leaving out changing rows whose latest record holds their state now
    /// (after a bulk load: [`resume`])
    Unrecorded,
    /// the rows whose business happened at or after this stored time, recorded again (the
    /// bench's month of changes on a copy)
    Since(&'a str),
}

/// The `INSERT … SELECT` that records one entity's rows.
pub fn snapshot_sql(conn: &Connection, e: &Entity, which: Snapshot<'_>) -> StoreResult<String> {
    let cols = columns(conn, e)?;
    let t = e.table;
    let mut conds: Vec<String> = e.only.iter().map(|o| o.replace("{r}", "t.")).collect();
    match which {
        // the migration: the outbox is empty, every row is recorded
        Snapshot::First => {}
        Snapshot::Unrecorded => {
            if e.kind() == Kind::AppendOnly {
                conds.push(format!(
                    "t.id > coalesce((SELECT m.last_id FROM temp.outbox_max m WHERE m.entity = '{t}'), 0)"
                ));
            } else {
                conds.push(format!(
                    "NOT EXISTS (SELECT 1 FROM temp.outbox_latest s WHERE s.entity = '{t}' AND s.row_key = {} AND s.state = {})",
                    key_sql(e, "t."),
                    state_sql(&cols, "t.")
                ));
            }
        }
        Snapshot::Since(at) => conds.push(format!("({}) >= '{}'", e.when, at.replace('\'', ""))),
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    let order = e
        .key()
        .iter()
        .map(|c| format!("t.{}", q(c)))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(match e.kind() {
        Kind::AppendOnly => format!(
            "INSERT INTO outbox (entity, row_key, op) SELECT '{t}', {}, 'I' FROM {} t{filter} ORDER BY {order}",
            key_sql(e, "t."),
            q(t)
        ),
        Kind::Changing => format!(
            "INSERT INTO outbox (entity, row_key, op, state) SELECT '{t}', {}, 'I', {} FROM {} t{filter} ORDER BY {order}",
            key_sql(e, "t."),
            state_sql(&cols, "t."),
            q(t)
        ),
    })
}

/// Record the rows `which` names, every entity in order. Returns the records written.
pub fn snapshot(conn: &Connection, which: Snapshot<'_>) -> StoreResult<usize> {
    let mut n = 0;
    for e in ENTITIES {
        n += conn.execute(&snapshot_sql(conn, e, which)?, [])?;
    }
    Ok(n)
}

/// Drop the hand-over triggers for a bulk load; [`resume`] must follow.
pub fn pause(conn: &Connection) -> StoreResult<()> {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE ?1")?
        .query_map([format!("{TRIGGER_PREFIX}%")], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for n in names {
        conn.execute_batch(&format!("DROP TRIGGER {}", q(&n)))?;
    }
    Ok(())
}

/// Make the hand-over triggers again exactly as the migrations made them, and record the
/// rows written while they were away. Returns the records written.
pub fn resume(conn: &Connection) -> StoreResult<usize> {
    super::verify::restore_reference_triggers(conn, |name| name.starts_with(TRIGGER_PREFIX))?;
    // the latest state recorded of every changing row (few: only what was recorded
    // before the pause), so that rows the load left as they were are not recorded twice
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.outbox_latest;
         CREATE TEMP TABLE outbox_latest (entity TEXT NOT NULL, row_key NOT NULL, state TEXT,
             PRIMARY KEY (entity, row_key)) WITHOUT ROWID;
         INSERT INTO temp.outbox_latest (entity, row_key, state)
             SELECT entity, row_key, state FROM outbox WHERE true ORDER BY seq
             ON CONFLICT (entity, row_key) DO UPDATE SET state = excluded.state;
         DELETE FROM temp.outbox_latest WHERE state IS NULL;
         DROP TABLE IF EXISTS temp.outbox_max;
         CREATE TEMP TABLE outbox_max (entity TEXT PRIMARY KEY, last_id INTEGER NOT NULL) WITHOUT ROWID;
         INSERT INTO temp.outbox_max (entity, last_id)
             SELECT entity, max(row_key) FROM outbox WHERE state IS NULL AND op = 'I' GROUP BY entity;",
    )?;
    let n = snapshot(conn, Snapshot::Unrecorded);
    conn.execute_batch("DROP TABLE temp.outbox_latest; DROP TABLE temp.outbox_max")?;
    n
}

/// Close the records the current transaction wrote under the audit entry `audit_seq` at
/// `at` (called by `audit::append` for every entry): their time and the nonce of their
/// UUIDs.
pub fn close(conn: &Connection, audit_seq: i64, at: &str) -> StoreResult<()> {
    let last: Option<i64> = conn
        .prepare_cached("SELECT max(seq) FROM outbox")?
        .query_row([], |r| r.get(0))?;
    let Some(last) = last else { return Ok(()) };
    let closed: i64 = conn
        .prepare_cached("SELECT coalesce(max(last_seq), 0) FROM outbox_commit")?
        .query_row([], |r| r.get(0))?;
    if last <= closed {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO outbox_commit (last_seq, first_seq, audit_seq, at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![last, closed + 1, audit_seq, at])?;
    Ok(())
}

/// The last record closed by a commit (0: none).
pub fn last_closed(conn: &Connection) -> StoreResult<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(last_seq), 0) FROM outbox_commit")?
        .query_row([], |r| r.get(0))?)
}

/// What a record carries of its row.
pub enum RowOf<'a> {
    /// a deletion: the key only
    Gone,
    /// a changing table's row as it became: the `json_object` the trigger wrote
    State(&'a str),
    /// an append-only table's row, read now (it never changed): the entity's
    /// [`columns`] in order
    Row(&'a rusqlite::Row<'a>),
}

/// One record as the export reads it.
pub struct Rec<'a> {
    pub seq: i64,
    /// index into [`ENTITIES`]
    pub entity: usize,
    pub op: crate::domain::handover::OutboxOp,
    /// the key: the key column's value, or a JSON array of the key columns' values
    pub key: rusqlite::types::ValueRef<'a>,
    /// the audit entry that closed the record's transaction, its time and nonce
    pub audit_seq: i64,
    pub at: &'a str,
    pub nonce: &'a [u8],
    pub row: RowOf<'a>,
}

/// An append-only table read alongside the records: its rows come in id order, as its
/// records do, so one pass over each table serves the whole range (a lookup by id for a
/// record out of order).
enum Cursor<'s, 'c> {
    Idle(&'s mut rusqlite::Statement<'c>),
    Running(rusqlite::Rows<'s>, i64),
    Taken,
}

/// Read the records `from..=to` in order, each with its commit and its row, and hand them
/// to `f`. A record whose row is missing (an append-only row removed behind the program's
/// back) is an error naming it.
pub fn visit<E: From<StoreError>>(
    conn: &Connection,
    from: i64,
    to: i64,
    mut f: impl FnMut(&Rec<'_>) -> Result<(), E>,
) -> Result<(), E> {
    use crate::domain::handover::OutboxOp;
    let index: std::collections::HashMap<&str, usize> = ENTITIES
        .iter()
        .enumerate()
        .map(|(i, e)| (e.table, i))
        .collect();
    let mut scans = Vec::with_capacity(ENTITIES.len());
    let mut lookups = Vec::with_capacity(ENTITIES.len());
    for e in ENTITIES {
        if e.kind() != Kind::AppendOnly {
            scans.push(None);
            lookups.push(None);
            continue;
        }
        let cols = columns(conn, e)?
            .iter()
            .map(|c| q(c))
            .collect::<Vec<_>>()
            .join(", ");
        let only = e
            .only
            .map(|o| format!(" AND {}", o.replace("{r}", "")))
            .unwrap_or_default();
        scans.push(Some(
            conn.prepare(&format!(
                "SELECT {cols} FROM {} WHERE id >= ?1{only} ORDER BY id",
                q(e.table)
            ))
            .map_err(StoreError::from)?,
        ));
        lookups.push(Some(
            conn.prepare(&format!("SELECT {cols} FROM {} WHERE id = ?1", q(e.table)))
                .map_err(StoreError::from)?,
        ));
    }
    let mut cursors: Vec<Cursor<'_, '_>> = scans
        .iter_mut()
        .map(|s| s.as_mut().map_or(Cursor::Taken, Cursor::Idle))
        .collect();
    let mut commits = conn
        .prepare("SELECT last_seq, audit_seq, at, nonce FROM outbox_commit WHERE last_seq >= ?1 ORDER BY last_seq")
        .map_err(StoreError::from)?;
    let mut commits = commits.query([from]).map_err(StoreError::from)?;
    let mut commit: (i64, i64, String, Vec<u8>) = (0, 0, String::new(), Vec::new());
    let mut records = conn
        .prepare("SELECT seq, entity, row_key, op, state FROM outbox WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq")
        .map_err(StoreError::from)?;
    let mut records = records.query([from, to]).map_err(StoreError::from)?;
    let corrupt = |m: String| E::from(StoreError::Corrupt(m));
    let mut last_entity = 0usize;
    while let Some(r) = records.next().map_err(StoreError::from)? {
        let seq: i64 = r.get(0).map_err(StoreError::from)?;
        while commit.0 < seq {
            let Some(c) = commits.next().map_err(StoreError::from)? else {
                return Err(corrupt(format!("交接记录第 {seq} 条没有对应的提交记录")));
            };
            commit = (
                c.get(0).map_err(StoreError::from)?,
                c.get(1).map_err(StoreError::from)?,
                c.get(2).map_err(StoreError::from)?,
                c.get(3).map_err(StoreError::from)?,
            );
        }
        let name = r.get_ref(1).map_err(StoreError::from)?;
        let name = name
            .as_str()
            .map_err(|e| StoreError::from(rusqlite::Error::from(e)))?;
        // records of one table come in runs: the last one's table is tried first
        let i = if ENTITIES[last_entity].table == name {
            last_entity
        } else {
            let Some(&i) = index.get(name) else {
                return Err(corrupt(format!(
                    "交接记录第 {seq} 条属于未知的表“{}”",
                    crate::domain::validate::shown(name)
                )));
            };
            i
        };
        last_entity = i;
        let op: OutboxOp = r.get(3).map_err(StoreError::from)?;
        let key = r.get_ref(2).map_err(StoreError::from)?;
        macro_rules! base {
            ($row:expr) => {
                Rec {
                    seq,
                    entity: i,
                    op,
                    key,
                    audit_seq: commit.1,
                    at: &commit.2,
                    nonce: &commit.3,
                    row: $row,
                }
            };
        }
        if op == OutboxOp::Delete {
            f(&base!(RowOf::Gone))?;
            continue;
        }
        if ENTITIES[i].kind() == Kind::Changing {
            let state = r.get_ref(4).map_err(StoreError::from)?;
            let state = state
                .as_str_or_null()
                .map_err(|e| StoreError::from(rusqlite::Error::from(e)))?
                .ok_or_else(|| corrupt(format!("交接记录第 {seq} 条没有记下该行的内容")))?;
            f(&base!(RowOf::State(state)))?;
            continue;
        }
        let id = key
            .as_i64()
            .map_err(|_| corrupt(format!("交接记录第 {seq} 条的编号不是整数")))?;
        let missing = || {
            corrupt(format!(
                "交接记录第 {seq} 条所指的{}（{}）第 {id} 号已不存在",
                ENTITIES[i].label(),
                ENTITIES[i].table
            ))
        };
        // out of order (or the same row again): looked up by id
        let behind = matches!(&cursors[i], Cursor::Running(_, at) if id <= *at);
        if behind {
            let Some(lookup) = lookups[i].as_mut() else {
                return Err(missing());
            };
            let mut rows = lookup.query([id]).map_err(StoreError::from)?;
            let row = rows.next().map_err(StoreError::from)?.ok_or_else(missing)?;
            f(&base!(RowOf::Row(row)))?;
            continue;
        }
        if let Cursor::Idle(_) = &cursors[i]
            && let Cursor::Idle(stmt) = std::mem::replace(&mut cursors[i], Cursor::Taken)
        {
            let rows = stmt.query([id]).map_err(StoreError::from)?;
            cursors[i] = Cursor::Running(rows, 0);
        }
        let Cursor::Running(rows, at) = &mut cursors[i] else {
            return Err(missing());
        };
        loop {
            let Some(row) = rows.next().map_err(StoreError::from)? else {
                return Err(missing());
            };
            let rid: i64 = row.get(0).map_err(StoreError::from)?;
            *at = rid;
            if rid < id {
                continue;
            }
            if rid > id {
                return Err(missing());
            }
            f(&base!(RowOf::Row(row)))?;
            break;
        }
    }
    Ok(())
}

/// Records per entity in a range of sequence numbers.
pub fn counts(conn: &Connection, from: i64, to: i64) -> StoreResult<Vec<(String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT entity, count(*) FROM outbox WHERE seq BETWEEN ?1 AND ?2 GROUP BY entity",
    )?;
    let rows = stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The outbox's own consistency, for `verify`: numbered 1.. without a gap, every record
/// closed by a commit whose ranges follow each other, every entity known. Findings in
/// Chinese.
pub fn check(conn: &Connection) -> StoreResult<Vec<String>> {
    let mut out = Vec::new();
    let (count, max): (i64, Option<i64>) =
        conn.query_row("SELECT count(*), max(seq) FROM outbox", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let max = max.unwrap_or(0);
    if count != max {
        out.push(format!(
            "交接记录编号不连续：最大编号 {max}，实有 {count} 条（有记录被删除）"
        ));
    }
    let mut stmt =
        conn.prepare("SELECT last_seq, first_seq FROM outbox_commit ORDER BY last_seq")?;
    let mut rows = stmt.query([])?;
    let mut expect = 1i64;
    while let Some(r) = rows.next()? {
        let (last, first): (i64, i64) = (r.get(0)?, r.get(1)?);
        if first != expect || last < first {
            out.push(format!(
                "交接记录第 {first}–{last} 条的提交记录与前一次提交接不上（应从第 {expect} 条起）"
            ));
            break;
        }
        expect = last + 1;
    }
    let closed = expect - 1;
    if closed < max {
        // records of a transaction still open are never seen here: these were committed
        // without an audit entry closing them
        out.push(format!(
            "交接记录第 {}–{max} 条没有对应的提交（审计）记录",
            closed + 1
        ));
    }
    let entities: Vec<String> = conn
        .prepare("SELECT DISTINCT entity FROM outbox")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for e in entities.iter().filter(|e| entity(e).is_none()) {
        out.push(format!(
            "交接记录中有未知的表“{}”",
            crate::domain::validate::shown(e)
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::OptionalExtension;

    /// Every table of the schema is handed over, kept local (with a reason) or derived
    /// data / the audit trail's own (`seal::NOT_SEALED`); every handed-over table has its
    /// triggers exactly as the generator makes them now.
    #[test]
    fn every_business_table_is_handed_over_or_listed_as_local_only() {
        let store = crate::store::Store::open_in_memory().unwrap();
        let conn = store.conn();
        let names: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for n in &names {
            let handed = entity(n).is_some();
            let local = LOCAL_ONLY.iter().any(|(t, _)| t == n);
            let derived = seal::NOT_SEALED.contains(&n.as_str());
            assert!(
                handed || local || derived,
                "table {n} holds business data but is neither handed over (store::outbox::ENTITIES) nor listed in LOCAL_ONLY"
            );
            assert!(
                [handed, local, derived].iter().filter(|b| **b).count() == 1,
                "table {n} is in more than one list"
            );
            if seal::table(n).is_some() {
                assert!(
                    handed || local,
                    "sealed table {n} is not handed over nor local"
                );
            }
        }
        for e in ENTITIES {
            assert!(
                names.contains(&e.table.to_string()),
                "{} does not exist",
                e.table
            );
            for sql in triggers_sql(conn, e).unwrap() {
                let name = sql.split_whitespace().nth(2).unwrap();
                let stored: Option<String> = conn
                    .query_row(
                        "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
                        [name],
                        |r| r.get(0),
                    )
                    .optional()
                    .unwrap();
                assert_eq!(
                    stored.as_deref(),
                    Some(sql.as_str()),
                    "trigger {name} is not what the generator makes now: a later migration must drop and make it again (print the SQL with `cargo test --lib print_handover_sql -- --ignored --nocapture`)"
                );
            }
        }
        for (t, why) in LOCAL_ONLY {
            assert!(
                names.contains(&t.to_string()),
                "local-only {t} does not exist"
            );
            assert!(!why.is_empty());
        }
    }

    /// `docs/handover.md` names every table handed over and every one kept local, so the
    /// county's side reads the same list as the program.
    #[test]
    fn the_format_document_lists_every_table() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/handover.md"))
            .unwrap();
        for e in ENTITIES {
            assert!(
                doc.contains(&format!("| `{}` |", e.table)),
                "docs/handover.md does not list {}",
                e.table
            );
        }
        for (t, _) in LOCAL_ONLY {
            assert!(
                doc.contains(&format!("`{t}`")),
                "docs/handover.md does not name {t}"
            );
        }
    }

    /// The SQL of migration 0032's triggers and first records (for a migration that must
    /// make them again).
    #[test]
    #[ignore]
    fn print_handover_sql() {
        let store = crate::store::Store::open_in_memory().unwrap();
        let conn = store.conn();
        for e in ENTITIES {
            println!("{};", snapshot_sql(conn, e, Snapshot::First).unwrap());
        }
        for e in ENTITIES {
            for sql in triggers_sql(conn, e).unwrap() {
                println!("{sql};");
            }
        }
    }
}

//! Seals: what each audit entry's transaction wrote to the business tables, so that
//! `verify` can tell the tables as they are from the tables as the program left them.
//!
//! Two kinds of table:
//! - **append-only** tables (bills, payments, receipts, …; triggers refuse UPDATE and
//!   DELETE) carry a running hash over their rows in id order. An entry records the hash up
//!   to the last row it added (and every [`POINT_EVERY`] rows on the way, so a fault in a
//!   bulk load is placed within a few thousand rows) in `seal_point`;
//! - **changing** tables (customers, settings, orders, …) have each touched row's digest
//!   recorded in `row_seal` under the entry. Temporary triggers, made on every writable
//!   connection, note the rows a transaction touches; [`seal`] reads them when the entry is
//!   appended.
//!
//! The entry's `seal` column is the SHA-256 of those records; it is part of the entry's
//! hash, so a record changed to cover an edit breaks the chain. See `docs/reliability.md`.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::StoreResult;
use run::{HASH_BESIDE_FROM, chain_beside, chain_here};

mod run;
mod touched;

use touched::touched_rows;
pub use touched::{drift, latest_seals};

/// How a sealed table is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// rows only ever added, with an `id INTEGER PRIMARY KEY` in order
    AppendOnly,
    /// rows added, changed or removed; identified by `key` columns
    Changing,
}

/// One sealed table.
#[derive(Clone, Copy, Debug)]
pub struct Table {
    pub name: &'static str,
    /// what the table holds, in Chinese (for findings)
    pub label: &'static str,
    pub kind: Kind,
    /// the columns naming a row (its primary key)
    pub key: &'static [&'static str],
    /// columns left out of the digest: counters the program keeps outside the audit trail
    /// (the sign-in and counter-approval failure counts and pauses; each failure has its
    /// own audit entry), which are not business data
    pub volatile: &'static [&'static str],
}

const fn changing(name: &'static str, label: &'static str, key: &'static [&'static str]) -> Table {
    Table {
        name,
        label,
        kind: Kind::Changing,
        key,
        volatile: &[],
    }
}

const fn append_only(name: &'static str, label: &'static str) -> Table {
    Table {
        name,
        label,
        kind: Kind::AppendOnly,
        key: &["id"],
        volatile: &[],
    }
}

/// Every business table. Derived tables (the search index) and the audit trail's own
/// tables are not here. A new migration that adds a business table adds it here too (a
/// test compares this list with the schema).
pub const TABLES: &[Table] = &[
    changing("station", "供电所资料", &["id"]),
    Table {
        volatile: &[
            "failed_attempts",
            "locked_until",
            "approval_failed",
            "approval_locked_until",
        ],
        ..changing("staff", "员工账号", &["id"])
    },
    changing("settings", "参数设置", &["key"]),
    changing("transformer_area", "台区", &["id"]),
    changing("customer", "客户档案", &["id"]),
    changing("work_order", "工单", &["id"]),
    changing("order_stage", "工单环节", &["order_id", "pos"]),
    changing("order_document", "工单资料", &["order_id", "doc"]),
    changing("order_fee", "工单费用", &["id"]),
    changing("order_contact", "工单联系记录", &["id"]),
    append_only("order_event", "工单历史"),
    changing("calendar_year", "日历年份", &["year"]),
    changing("calendar_day", "节假日与调休", &["day"]),
    changing("order_pause", "工单暂停", &["id"]),
    changing("assessment_rule", "考核规则", &["id"]),
    changing("assessment_entry", "考核记录", &["id"]),
    append_only("bill", "电费账单"),
    append_only("late_fee_waiver", "违约金免收"),
    append_only("outage_period", "停电期间"),
    append_only("payment", "收费记录"),
    append_only("allocation", "收费分配"),
    append_only("late_fee_basis", "违约金计算依据"),
    append_only("receipt", "收据"),
    append_only("receipt_print", "收据打印记录"),
    append_only("receipt_void", "收据作废"),
    append_only("prepaid_offset", "预收冲抵"),
    append_only("day_end", "日结"),
    append_only("day_end_batch", "日结批次"),
    changing("day_end_method", "日结收费方式", &["day_end_id", "pos"]),
    changing("day_end_cash", "日结现金清点", &["day_end_id", "pos"]),
    changing("meter", "计量资产", &["id"]),
    append_only("meter_event", "表计状态记录"),
    append_only("meter_swap", "换表记录"),
    append_only("meter_extension", "检定有效期延长"),
    append_only("meter_check", "现场检验"),
    append_only("order_meter", "工单所涉表计"),
    changing("rotation_plan", "轮换计划", &["id"]),
    changing("rotation_item", "轮换计划条目", &["id"]),
    changing("area_type", "台区区域类型", &["area_id"]),
    changing("service_case", "投诉报修工单", &["id"]),
    append_only("case_step", "投诉报修处理环节"),
    append_only("case_visit", "回访记录"),
    changing("reading_book", "抄表册", &["area_id"]),
    append_only("reading", "抄表示数"),
    changing("bill_draft", "核算账单", &["id"]),
    append_only("bill_flag", "复核原因"),
    append_only("bill_flag_decision", "复核意见"),
    append_only("line_loss_note", "线损说明"),
    append_only("reading_note", "抄表日志"),
    changing("reading_message", "消息传递", &["id"]),
    append_only("spot_check", "抄表质量抽查"),
    append_only("arrears_mark", "欠费性质认定"),
    append_only("collection_notice", "催费与停电通知"),
    append_only("disconnection", "欠费停电"),
    append_only("reconnection", "复电工单"),
    changing("audit_finding", "整改事项", &["id"]),
    append_only("audit_finding_step", "整改记录"),
    changing("handover_bundle", "交接包", &["id"]),
];

/// Tables that are neither business data nor sealed, and why (the schema test uses this).
pub const NOT_SEALED: &[&str] = &[
    "audit_log",
    "seal_point",
    "row_seal",
    "audit_key",
    "clock_event",
    "search_gram_pos",
    "customer_name_gram",
    "customer_fts",
    "customer_initial_variant",
    "search_backfill",
    "customer_address_order",
    // sales per 台区 and month, kept by a trigger from `bill` (derived, counted again at will)
    "area_sales",
    // collection rates at checks already passed (derived, counted again at will)
    "collection_checkpoint",
    // the hand-over's journal: each record repeats a change to a sealed row, written by a
    // trigger in that change's transaction (6 million records on the 100,000-customer demo
    // would double the seals' work); `verify` checks it is numbered without a gap and closed
    "outbox",
    "outbox_commit",
    "customer_piece",
    "customer_piece_data",
    "customer_piece_idx",
    "customer_piece_config",
    "customer_fts_data",
    "customer_fts_idx",
    "customer_fts_docsize",
    "customer_fts_config",
    "customer_fts_content",
];

pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// Rows between two recorded points of an append-only table's running hash.
pub const POINT_EVERY: i64 = 4096;

/// The running hash before the first row.
pub const CHAIN_START: [u8; 32] = [0; 32];

/// A row's digest: 16 bytes of SHA-256 over the table, the row's key and every column but
/// the volatile ones, each with its type.
pub type RowDigest = [u8; 16];

impl Table {
    /// SQL giving the row's key as text; `prefix` is `NEW.`, `OLD.` or empty.
    pub fn key_sql(&self, prefix: &str) -> String {
        self.key
            .iter()
            .map(|c| format!("CAST({prefix}\"{c}\" AS TEXT)"))
            .collect::<Vec<_>>()
            .join(" || char(31) || ")
    }

    /// `SELECT key, * FROM table`: the key first, then the columns.
    pub fn select_sql(&self) -> String {
        format!("SELECT {}, * FROM \"{}\"", self.key_sql(""), self.name)
    }
}

/// Digest of one row as selected by [`Table::select_sql`] (column 0 is the key).
pub fn row_digest(
    t: &Table,
    row: &rusqlite::Row<'_>,
    names: &[String],
) -> rusqlite::Result<RowDigest> {
    thread_local! {
        // the bytes hashed, gathered first: one hash call per row (millions of rows are
        // sealed when the demo is built), the buffer kept from row to row
        static BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BYTES.with_borrow_mut(|b| {
        b.clear();
        row_bytes(t, row, key_text(row)?, names, b)?;
        Ok(digest_of(b))
    })
}

/// The bytes of one row that its digest hashes, appended to `b`: the table, the key (the
/// row's column 0, [`key_text`], read once by the caller), then every column but the
/// volatile ones with its name and type.
fn row_bytes(
    t: &Table,
    row: &rusqlite::Row<'_>,
    key: &str,
    names: &[String],
    b: &mut Vec<u8>,
) -> rusqlite::Result<()> {
    row_bytes_from(t, row, 0, key, names, b)
}

/// [`row_bytes`] of a row whose key is column `base` and its columns follow it.
fn row_bytes_from(
    t: &Table,
    row: &rusqlite::Row<'_>,
    base: usize,
    key: &str,
    names: &[String],
    b: &mut Vec<u8>,
) -> rusqlite::Result<()> {
    b.extend_from_slice(t.name.as_bytes());
    b.push(0x1e);
    b.extend_from_slice(key.as_bytes());
    b.push(0x1e);
    for (i, name) in names.iter().enumerate().skip(1) {
        if t.volatile.contains(&name.as_str()) {
            continue;
        }
        b.extend_from_slice(name.as_bytes());
        b.push(0x1f);
        match row.get_ref(base + i)? {
            ValueRef::Null => b.push(b'N'),
            ValueRef::Integer(v) => {
                b.push(b'I');
                b.extend_from_slice(&v.to_be_bytes());
            }
            ValueRef::Real(v) => {
                b.push(b'R');
                b.extend_from_slice(&v.to_bits().to_be_bytes());
            }
            ValueRef::Text(v) => {
                b.push(b'T');
                b.extend_from_slice(&(v.len() as u64).to_be_bytes());
                b.extend_from_slice(v);
            }
            ValueRef::Blob(v) => {
                b.push(b'B');
                b.extend_from_slice(&(v.len() as u64).to_be_bytes());
                b.extend_from_slice(v);
            }
        }
        b.push(0x1e);
    }
    Ok(())
}

/// A row's digest from its bytes ([`row_bytes`]).
fn digest_of(bytes: &[u8]) -> RowDigest {
    let full = Sha256::digest(bytes);
    let mut out = [0u8; 16];
    out.copy_from_slice(&full[..16]);
    out
}

/// The row's key (column 0, text), without copying it.
fn key_text<'r>(row: &'r rusqlite::Row<'_>) -> rusqlite::Result<&'r str> {
    row.get_ref(0)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The id of an append-only table's row from its key (column 0).
pub fn key_id(row: &rusqlite::Row<'_>) -> rusqlite::Result<i64> {
    id_of_key(key_text(row)?)
}

/// The id an append-only table's key text names.
fn id_of_key(key: &str) -> rusqlite::Result<i64> {
    key.parse::<i64>().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("编号“{key}”不是整数").into(),
        )
    })
}

/// The running hash after one more row.
pub fn chain_step(prev: &[u8; 32], digest: &RowDigest) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(digest);
    h.finalize().into()
}

/// Column names of a prepared `SELECT key, *`: `_key`, then the table's columns as
/// `PRAGMA table_info` lists them (rusqlite's `column_names` panics on a name that is not
/// UTF-8, which a damaged schema can hold; here such a name is an error, not a panic).
pub fn names_of(conn: &Connection, t: &Table) -> rusqlite::Result<Vec<String>> {
    let mut names = vec!["_key".to_string()];
    let mut stmt = conn.prepare_cached("SELECT name FROM pragma_table_xinfo(?1) ORDER BY cid")?;
    let rows = stmt.query_map([t.name], |r| r.get::<_, String>(0))?;
    for n in rows {
        names.push(n?);
    }
    Ok(names)
}

/// Make the temporary triggers that note touched rows of changing tables. Called once on
/// every connection that writes; they live in the connection's temp schema, not in the
/// database file.
pub fn install_triggers(conn: &Connection) -> StoreResult<()> {
    let mut sql = String::from(
        "CREATE TEMP TABLE IF NOT EXISTS seal_touched (
             tbl TEXT NOT NULL, row_key TEXT NOT NULL, rid INTEGER NOT NULL,
             PRIMARY KEY (tbl, row_key, rid)) WITHOUT ROWID;\n",
    );
    for t in TABLES.iter().filter(|t| t.kind == Kind::Changing) {
        for (event, refs) in [
            ("INSERT", &["NEW"][..]),
            ("UPDATE", &["OLD", "NEW"][..]),
            ("DELETE", &["OLD"][..]),
        ] {
            // `ON CONFLICT DO NOTHING`, not `OR IGNORE`: the UPDATE of an upsert (`ON
            // CONFLICT DO UPDATE`) runs its triggers under ABORT, which overrides a trigger
            // statement's `OR` clause (not its own upsert clause), and OLD and NEW of one row
            // are the same record
            let inserts: String = refs
                .iter()
                .map(|r| {
                    format!(
                        "INSERT INTO seal_touched VALUES ('{name}', {key}, {r}.rowid)
                         ON CONFLICT DO NOTHING;",
                        name = t.name,
                        key = t.key_sql(&format!("{r}."))
                    )
                })
                .collect();
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER IF NOT EXISTS seal_{name}_{ev} AFTER {event} ON main.\"{name}\"
                 BEGIN {inserts} END;\n",
                name = t.name,
                ev = event.to_lowercase(),
            ));
        }
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

/// One record of what an entry sealed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    Point {
        tbl: String,
        last_id: i64,
        chain: String,
    },
    Row {
        tbl: String,
        key: String,
        digest: Option<Vec<u8>>,
    },
}

/// The seal of a list of records, in a canonical order (points by table and id, then rows
/// by table and key), whatever order they come in.
pub fn seal_of(records: &[Record]) -> Option<String> {
    if records.is_empty() {
        return None;
    }
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    // each record's line (`P␟tbl␟last id␟chain` or `R␟tbl␟key␟digest in hex or -`) laid
    // out in one buffer kept from record to record: a month's bills seal 100,000 rows
    let mut h = Sha256::new();
    let mut line: Vec<u8> = Vec::new();
    for r in sorted {
        line.clear();
        match r {
            Record::Point {
                tbl,
                last_id,
                chain,
            } => {
                line.extend_from_slice(b"P\x1f");
                line.extend_from_slice(tbl.as_bytes());
                line.push(0x1f);
                line.extend_from_slice(last_id.to_string().as_bytes());
                line.push(0x1f);
                line.extend_from_slice(chain.as_bytes());
            }
            Record::Row { tbl, key, digest } => {
                line.extend_from_slice(b"R\x1f");
                line.extend_from_slice(tbl.as_bytes());
                line.push(0x1f);
                line.extend_from_slice(key.as_bytes());
                line.push(0x1f);
                match digest {
                    Some(d) => push_hex(&mut line, d),
                    None => line.push(b'-'),
                }
            }
        }
        line.push(b'\n');
        h.update(&line);
    }
    Some(hex::encode(h.finalize()))
}

/// `bytes` in lower-case hex, as `hex::encode` writes them, appended to `out`.
fn push_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 0x0f)]);
    }
}

fn order_key(r: &Record) -> (u8, &str, i64, &str) {
    match r {
        Record::Point { tbl, last_id, .. } => (0, tbl, *last_id, ""),
        Record::Row { tbl, key, .. } => (1, tbl, 0, key),
    }
}

/// The last recorded point of an append-only table: (last id, running hash).
pub fn last_point(conn: &Connection, tbl: &str) -> StoreResult<(i64, [u8; 32])> {
    let row: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT last_id, chain FROM seal_point WHERE tbl = ?1 ORDER BY last_id DESC LIMIT 1",
        )?
        .query_row([tbl], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match row {
        Some((id, chain)) => (id, parse_chain(&chain).unwrap_or(CHAIN_START)),
        None => (0, CHAIN_START),
    })
}

pub fn parse_chain(text: &str) -> Option<[u8; 32]> {
    let bytes = hex::decode(text).ok()?;
    bytes.try_into().ok()
}

/// The latest digest recorded for one row: `None` never sealed, `Some(None)` sealed as
/// deleted.
pub fn latest_seals_of(
    conn: &Connection,
    tbl: &str,
    key: &str,
) -> StoreResult<Option<Option<Vec<u8>>>> {
    Ok(conn
        .prepare_cached(
            "SELECT digest FROM row_seal WHERE tbl = ?1 AND row_key = ?2 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row(params![tbl, key], |r| r.get::<_, Option<Vec<u8>>>(0))
        .optional()?)
}

/// What the current transaction wrote since the last entry: rows of append-only tables
/// past their last point, and the touched rows of changing tables whose digest differs
/// from their latest seal. Records them under `seq` and returns the seal, or `None` when
/// nothing was written. `all_rows` also seals changing rows that were never sealed or
/// whose digest no longer matches (the first seal of an existing database).
pub fn seal(conn: &Connection, seq: i64, all_rows: bool) -> StoreResult<Option<String>> {
    let mut records = Vec::new();
    for t in TABLES.iter().filter(|t| t.kind == Kind::AppendOnly) {
        extend_chain(conn, t, seq, &mut records)?;
    }
    let touched = if all_rows {
        drift(conn)?
    } else {
        touched_rows(conn)?
    };
    // written a few hundred to a statement (a bulk write seals 100,000 rows)
    let mut rows = super::bulk::Rows::new(4);
    for (tbl, key, digest) in &touched {
        rows.push(rusqlite::params![seq, tbl, key, digest])?;
    }
    super::bulk::insert_rows(
        conn,
        "row_seal",
        &["seq", "tbl", "row_key", "digest"],
        &rows,
    )?;
    records.extend(
        touched
            .into_iter()
            .map(|(tbl, key, digest)| Record::Row { tbl, key, digest }),
    );
    if has_touched_table(conn)? {
        conn.prepare_cached("DELETE FROM temp.seal_touched")?
            .execute([])?;
    }
    Ok(seal_of(&records))
}

fn has_touched_table(conn: &Connection) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sqlite_temp_schema WHERE name = 'seal_touched'")?
        .exists([])?)
}

/// Whether the transaction wrote anything not yet sealed (checked before commit).
pub fn pending(conn: &Connection) -> StoreResult<bool> {
    if has_touched_table(conn)?
        && conn
            .prepare_cached("SELECT 1 FROM temp.seal_touched LIMIT 1")?
            .exists([])?
    {
        return Ok(true);
    }
    for t in TABLES.iter().filter(|t| t.kind == Kind::AppendOnly) {
        let (last, _) = last_point(conn, t.name)?;
        let max: Option<i64> = conn
            .prepare_cached(&format!("SELECT max(id) FROM \"{}\"", t.name))?
            .query_row([], |r| r.get(0))?;
        if max.unwrap_or(0) > last {
            return Ok(true);
        }
    }
    Ok(false)
}

fn extend_chain(
    conn: &Connection,
    t: &Table,
    seq: i64,
    records: &mut Vec<Record>,
) -> StoreResult<()> {
    let (last, chain) = last_point(conn, t.name)?;
    let max: Option<i64> = conn
        .prepare_cached(&format!("SELECT max(id) FROM \"{}\"", t.name))?
        .query_row([], |r| r.get(0))?;
    let max = max.unwrap_or(0);
    if max <= last {
        return Ok(());
    }
    let mut stmt = conn.prepare_cached(&format!("{} WHERE id > ?1 ORDER BY id", t.select_sql()))?;
    let names = names_of(conn, t)?;
    let mut rows = stmt.query([last])?;
    let points = if max - last >= HASH_BESIDE_FROM {
        chain_beside(t, &mut rows, &names, last, chain)?
    } else {
        chain_here(t, &mut rows, &names, last, chain)?
    };
    drop(rows);
    let mut ins = conn.prepare_cached(
        "INSERT INTO seal_point (seq, tbl, last_id, chain) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (id, chain) in points {
        ins.execute(params![seq, t.name, id, chain])?;
        records.push(Record::Point {
            tbl: t.name.to_string(),
            last_id: id,
            chain,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A seal's text is part of every audit entry's hash: how it is computed may change,
    /// its value may not (the figure below was computed by the first version).
    #[test]
    fn seal_of_a_fixed_list_is_the_same_value_as_ever() {
        let mut records = vec![
            Record::Row {
                tbl: "customer".into(),
                key: "12".into(),
                digest: Some(vec![0xab, 0x01, 0xff]),
            },
            Record::Point {
                tbl: "payment".into(),
                last_id: 4096,
                chain: "00ff".into(),
            },
            Record::Row {
                tbl: "bill_draft".into(),
                key: "7\u{1f}2026-11".into(),
                digest: None,
            },
            Record::Point {
                tbl: "bill".into(),
                last_id: 3,
                chain: "c0de".into(),
            },
            Record::Row {
                tbl: "customer".into(),
                key: "100".into(),
                digest: Some(Vec::new()),
            },
        ];
        let expected = seal_of(&records);
        assert_eq!(
            expected.as_deref(),
            Some("5f5a1fe0ebdb53598b1f729ba584dfc285fe1d9d13dcfeda118102443b0b3a8c")
        );
        records.reverse();
        assert_eq!(
            seal_of(&records),
            expected,
            "the order records come in is irrelevant"
        );
        assert_eq!(seal_of(&[]), None);
    }

    /// Every table the migrations make is sealed or named as not business data: a new
    /// migration's table cannot be forgotten.
    #[test]
    fn every_table_is_sealed_or_named_as_not_business_data() {
        let store = crate::store::Store::open_in_memory().unwrap();
        let names: Vec<String> = store
            .conn()
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for n in &names {
            assert!(
                table(n).is_some() || NOT_SEALED.contains(&n.as_str()),
                "table {n} is neither sealed nor in NOT_SEALED"
            );
        }
        for t in TABLES {
            assert!(
                names.contains(&t.name.to_string()),
                "sealed table {} does not exist",
                t.name
            );
            if t.kind == Kind::AppendOnly {
                let sql: String = store
                    .conn()
                    .query_row(
                        "SELECT group_concat(sql, ' ') FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?1",
                        [t.name],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert!(
                    sql.contains("BEFORE UPDATE") && sql.contains("BEFORE DELETE"),
                    "append-only table {} lacks its triggers",
                    t.name
                );
            }
        }
    }
}

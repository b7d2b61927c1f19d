//! The checks of `stationdesk verify`: what the books say, not only the log. Every check
//! returns Chinese findings naming the first row at fault; a check that cannot read the
//! database reports that as a finding instead of stopping the others. Listed, with what each
//! proves, in `docs/reliability.md`.
use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::audit;
use super::error::explain;
use super::seal::{self, Record};
use super::{StoreError, StoreResult, mac, migration_sources};

mod books;
pub use books::{day_end_heads, sequences, tables};

/// Findings of one check are listed up to this many (the count is always given).
pub const SHOWN: usize = 20;

/// The outcome of one check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// what was checked, in Chinese
    pub label: String,
    /// what is wrong (empty: passed)
    pub findings: Vec<String>,
    /// how many findings there were (more than listed when many)
    pub total: usize,
    /// facts worth knowing that are not faults (a key sheet not printed yet)
    pub notes: Vec<String>,
}

impl Outcome {
    fn new(label: &str) -> Outcome {
        Outcome {
            label: label.into(),
            ..Outcome::default()
        }
    }
    pub fn fault(&mut self, text: impl Into<String>) {
        self.total += 1;
        if self.findings.len() < SHOWN {
            self.findings.push(text.into());
        }
    }
    fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }
    pub fn ok(&self) -> bool {
        self.total == 0
    }
}

/// Run `f` as one check; an error reading the database becomes its finding. A panic in a
/// library on a badly damaged file (rusqlite panics on some malformed text) is caught and
/// reported the same way, so the other checks still run and a verdict is always given.
pub fn check(label: &str, f: impl FnOnce(&mut Outcome) -> StoreResult<()>) -> Outcome {
    let mut o = Outcome::new(label);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut o)));
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => o.fault(format!("无法完成此项检查：{}", describe(&e))),
        Err(_) => o.fault("无法完成此项检查：数据库结构已损坏，无法读取"),
    }
    o
}

/// A store error as a finding (no raw SQLite text).
pub fn describe(e: &StoreError) -> String {
    match e {
        StoreError::Sqlite(inner) => explain(inner),
        other => other.to_string(),
    }
}

/// `PRAGMA integrity_check` (or `quick_check`): SQLite's own lines are technical English;
/// they are counted and the first few given as the technician's detail.
pub fn integrity(conn: &Connection, quick: bool, o: &mut Outcome) -> StoreResult<()> {
    let pragma = if quick {
        "quick_check"
    } else {
        "integrity_check"
    };
    let mut stmt = conn.prepare(&format!("PRAGMA {pragma}"))?;
    let mut rows = stmt.query([])?;
    let mut lines = Vec::new();
    while let Some(r) = rows.next()? {
        let line: String = r.get(0)?;
        if line != "ok" {
            lines.push(line);
        }
    }
    if !lines.is_empty() {
        // SQLite's lines are English: only the page numbers they name are passed on
        let mut pages: Vec<u64> = lines
            .iter()
            .flat_map(|l| {
                let words: Vec<&str> = l.split(|c: char| !c.is_ascii_alphanumeric()).collect();
                words
                    .windows(2)
                    .filter(|w| w[0].eq_ignore_ascii_case("page"))
                    .filter_map(|w| w[1].parse::<u64>().ok())
                    .collect::<Vec<_>>()
            })
            .collect();
        pages.sort_unstable();
        pages.dedup();
        let at = if pages.is_empty() {
            String::new()
        } else {
            let shown: Vec<String> = pages.iter().take(8).map(u64::to_string).collect();
            format!(
                "，涉及数据库文件第 {} 页{}",
                shown.join("、"),
                if pages.len() > 8 { "等" } else { "" }
            )
        };
        o.fault(format!(
            "数据库文件内部结构损坏：SQLite 报告 {} 处问题{at}",
            lines.len()
        ));
    }
    Ok(())
}

/// The schema as the migrations made it, for a database at `version`.
pub fn reference_schema(version: usize) -> StoreResult<Vec<(String, String, String)>> {
    let conn = Connection::open_in_memory()?;
    for sql in migration_sources()?.into_iter().take(version) {
        conn.execute_batch(sql)
            .map_err(|e| StoreError::Migration(explain(&e)))?;
    }
    schema_of(&conn)
}

/// Make again, exactly as the migrations made them, the triggers `wanted` names that are
/// missing (after a bulk load dropped them for speed). Returns how many were made.
pub fn restore_reference_triggers(
    conn: &Connection,
    wanted: impl Fn(&str) -> bool,
) -> StoreResult<usize> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let mut made = 0;
    for (kind, name, sql) in reference_schema(usize::try_from(version).unwrap_or(0))? {
        if kind != "trigger" || !wanted(&name) {
            continue;
        }
        let present = conn
            .prepare_cached("SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = ?1")?
            .exists([&name])?;
        if !present {
            conn.execute_batch(&sql)?;
            made += 1;
        }
    }
    Ok(made)
}

fn schema_of(conn: &Connection) -> StoreResult<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT type, name, COALESCE(sql, '') FROM sqlite_schema
         WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn kind_label(t: &str) -> &str {
    match t {
        "table" => "表",
        "index" => "索引",
        "trigger" => "触发器（保护规则）",
        "view" => "视图",
        other => other,
    }
}

/// Tables, indexes, triggers and views exactly as the migrations made them: a dropped
/// trigger, an added column or a changed rule is named.
pub fn schema(conn: &Connection, o: &mut Outcome) -> StoreResult<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let known = super::known_schema_version() as i64;
    if version > known {
        o.fault(format!(
            "数据库版本 {version} 比本程序认识的 {known} 新，无法核对结构，请用新版程序检查"
        ));
        return Ok(());
    }
    if version < known {
        o.note(format!(
            "数据库为第 {version} 版，尚未升级到本程序的第 {known} 版（程序正常打开时自动升级）；按第 {version} 版核对"
        ));
    }
    let want: HashMap<(String, String), String> = reference_schema(version as usize)?
        .into_iter()
        .map(|(t, n, sql)| ((t, n), sql))
        .collect();
    let have: HashMap<(String, String), String> = schema_of(conn)?
        .into_iter()
        .map(|(t, n, sql)| ((t, n), sql))
        .collect();
    let mut keys: Vec<&(String, String)> = want.keys().chain(have.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let (t, n) = k;
        match (want.get(k), have.get(k)) {
            (Some(_), None) => o.fault(format!("{}“{n}”不见了（被删除）", kind_label(t))),
            (None, Some(_)) => o.fault(format!("多出{}“{n}”（不是程序建立的）", kind_label(t))),
            (Some(a), Some(b)) if a != b => o.fault(format!("{}“{n}”的定义被改动", kind_label(t))),
            _ => {}
        }
    }
    Ok(())
}

/// The chain of hashes, then the forward-secure key's place: entries from the key's start
/// carry a MAC, and the key has signed exactly the entries there are.
pub fn chain(conn: &Connection, o: &mut Outcome) -> StoreResult<Option<(i64, String)>> {
    let report = audit::verify_chain(conn)?;
    for p in &report.problems {
        o.fault(p.clone());
    }
    let head = report.head.clone();
    let head_seq = head.as_ref().map(|(s, _)| *s).unwrap_or(0);
    match mac::state(conn)? {
        None => {
            let sealed: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM audit_log WHERE seal IS NOT NULL)",
                [],
                |r| r.get(0),
            )?;
            if sealed {
                o.fault("审计密钥记录不见了（被删除）");
            }
        }
        Some(k) => {
            if k.next_seq != head_seq + 1 {
                if k.next_seq > head_seq + 1 {
                    o.fault(format!(
                        "审计密钥已签到第 {} 条，日志却只到第 {head_seq} 条：最后 {} 条记录被删除",
                        k.next_seq - 1,
                        k.next_seq - 1 - head_seq
                    ));
                } else {
                    o.fault(format!(
                        "日志到第 {head_seq} 条，审计密钥只签到第 {} 条：之后的记录不是本程序写入的",
                        k.next_seq - 1
                    ));
                }
            }
            let unsigned: Option<i64> = conn.query_row(
                "SELECT min(seq) FROM audit_log WHERE seq >= ?1 AND mac IS NULL",
                [k.start_seq],
                |r| r.get(0),
            )?;
            if let Some(s) = unsigned {
                o.fault(format!("第 {s} 条没有密钥签名（MAC），不是本程序写入的"));
            }
            if k.sheet_pending {
                o.note(format!(
                    "审计密钥单尚未打印（密钥自第 {} 条起，生成于 {}）：请所长打印密钥单交县公司保管",
                    k.start_seq, k.created_at
                ));
            } else if let Some(at) = &k.printed_at {
                o.note(format!(
                    "审计密钥单已于 {at} 打印（密钥自第 {} 条起）",
                    k.start_seq
                ));
            }
        }
    }
    // seals after an upgrade: each raises the version, so one cannot be made again to cover
    // an edit
    let mut stmt =
        conn.prepare("SELECT seq, changes FROM audit_log WHERE action = ?1 ORDER BY seq")?;
    let mut rows = stmt.query([audit::SCHEMA_SEAL])?;
    let mut last = 0i64;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let changes: String = r.get(1)?;
        let to = serde_json::from_str::<serde_json::Value>(&changes)
            .ok()
            .and_then(|v| v["schema_version"]["new"].as_i64())
            .unwrap_or(0);
        if to <= last {
            o.fault(format!(
                "第 {seq} 条是又一次“封存数据表”而数据库版本并未升高：可能是在掩盖程序之外的改动"
            ));
        }
        last = last.max(to);
    }
    Ok(head)
}

/// Each entry's seal against the seal records filed under it.
pub fn seals(conn: &Connection, o: &mut Outcome) -> StoreResult<()> {
    let mut by_seq: HashMap<i64, Vec<Record>> = HashMap::new();
    {
        let mut stmt = conn.prepare("SELECT seq, tbl, last_id, chain FROM seal_point")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            by_seq.entry(r.get(0)?).or_default().push(Record::Point {
                tbl: r.get(1)?,
                last_id: r.get(2)?,
                chain: r.get(3)?,
            });
        }
        let mut stmt = conn.prepare("SELECT seq, tbl, row_key, digest FROM row_seal")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            by_seq.entry(r.get(0)?).or_default().push(Record::Row {
                tbl: r.get(1)?,
                key: r.get(2)?,
                digest: r.get(3)?,
            });
        }
    }
    let mut stmt = conn.prepare("SELECT seq, seal FROM audit_log ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let stored: Option<String> = r.get(1)?;
        let records = by_seq.remove(&seq).unwrap_or_default();
        let got = seal::seal_of(&records);
        if got != stored {
            o.fault(format!(
                "第 {seq} 条的封存与其记下的数据不符：封存记录被改动、删除或添加"
            ));
        }
    }
    let mut orphans: Vec<i64> = by_seq.into_keys().collect();
    orphans.sort();
    for seq in orphans {
        o.fault(format!(
            "封存记录指向不存在的第 {seq} 条日志：该条日志被删除"
        ));
    }
    Ok(())
}

/// The hand-over's outbox: numbered without a gap, every record closed by a commit (a
/// database before schema 32 has none).
pub fn handover(conn: &Connection, o: &mut Outcome) -> StoreResult<()> {
    let exists = conn
        .prepare_cached("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'")?
        .exists([])?;
    if exists {
        for f in super::outbox::check(conn)? {
            o.fault(f);
        }
    }
    Ok(())
}

/// `--anchor SEQ:HASH`: whether the trail still holds the history a receipt or a day-end
/// report showed.
pub fn anchor(conn: &Connection, seq: i64, prefix: &str, o: &mut Outcome) -> StoreResult<()> {
    let prefix = prefix.trim().to_ascii_lowercase();
    if prefix.len() < 8 || !prefix.chars().all(|c| c.is_ascii_hexdigit()) {
        o.fault(format!(
            "凭据“{}”的哈希应为至少 8 位十六进制数字",
            crate::domain::validate::shown(&prefix)
        ));
        return Ok(());
    }
    let hash: Option<String> = conn
        .query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq], |r| {
            r.get(0)
        })
        .optional()?;
    let head: i64 = conn.query_row("SELECT COALESCE(max(seq), 0) FROM audit_log", [], |r| {
        r.get(0)
    })?;
    match hash {
        None => o.fault(format!(
            "凭据证明曾有第 {seq} 条，数据库中的日志只到第 {head} 条：第 {} 条起的记录被删除（日志被截断）",
            head + 1
        )),
        Some(h) if !h.starts_with(&prefix) => {
            // the earliest day end whose stored head no longer matches narrows it down
            let earliest: Option<i64> = conn
                .query_row(
                    "SELECT min(d.audit_head_seq) FROM day_end d LEFT JOIN audit_log a ON a.seq = d.audit_head_seq
                     WHERE a.hash IS NOT d.audit_head_hash AND d.audit_head_seq <= ?1",
                    [seq],
                    |r| r.get(0),
                )?;
            let from = match earliest {
                Some(s) => format!("日结记录显示自第 {s} 条或更早即已不同"),
                None => "用更早的凭据可进一步确定从哪一条起".into(),
            };
            o.fault(format!(
                "第 {seq} 条与凭据不符：数据库已不是凭据所证的历史，第 {seq} 条或更早的记录被改写（{from}）"
            ))
        }
        Some(_) => o.note(format!("第 {seq} 条与凭据一致：到该条为止的历史未被改写")),
    }
    Ok(())
}

/// `--key FILE`: every entry from the key's start carries the MAC of its key.
pub fn key_sheet(conn: &Connection, start: i64, key: mac::Key, o: &mut Outcome) -> StoreResult<()> {
    let mut stmt =
        conn.prepare("SELECT seq, hash, mac FROM audit_log WHERE seq >= ?1 ORDER BY seq")?;
    let mut rows = stmt.query(params![start])?;
    let mut k = key;
    let mut expect = start;
    let mut checked = 0i64;
    while let Some(r) = rows.next()? {
        let (seq, hash, m): (i64, String, Option<String>) = (r.get(0)?, r.get(1)?, r.get(2)?);
        while expect < seq {
            k = mac::evolve(&k);
            expect += 1;
        }
        if m.as_deref() != Some(mac::mac_of(&k, &hash).as_str()) {
            o.fault(format!(
                "第 {seq} 条的密钥签名不对：自该条起的记录不是原来的（被改写、删除后重写或伪造）"
            ));
            return Ok(());
        }
        checked += 1;
        k = mac::evolve(&k);
        expect += 1;
    }
    if checked == 0 {
        o.fault(format!("日志中没有第 {start} 条及以后的记录，与密钥单不符"));
    } else {
        o.note(format!(
            "用密钥单核对了第 {start} 条起的 {checked} 条记录，签名全部正确"
        ));
    }
    Ok(())
}

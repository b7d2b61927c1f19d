//! The checks of `stationdesk verify`: what the books say, not only the log. Every check
//! returns Chinese findings naming the first row at fault; a check that cannot read the
//! database reports that as a finding instead of stopping the others. Listed, with what each
//! proves, in `docs/reliability.md`.
use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::audit::{self, GENESIS};
use super::error::explain;
use super::seal::{self, Kind, Record, TABLES};
use super::{StoreError, StoreResult, mac, migration_sources};

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

/// Every sealed table as it is, against its seals: a row changed, added or removed behind
/// the program's back is named.
pub fn tables(conn: &Connection, o: &mut Outcome) -> StoreResult<()> {
    for t in TABLES.iter().filter(|t| t.kind == Kind::AppendOnly) {
        if let Err(e) = append_only_table(conn, t, o) {
            o.fault(format!("{}：无法读取（{}）", t.label, describe(&e)));
        }
    }
    match seal::drift(conn) {
        Ok(drift) => {
            for (tbl, key, digest) in drift {
                let label = seal::table(&tbl).map(|t| t.label).unwrap_or("");
                let sealed = seal::latest_seals_of(conn, &tbl, &key)?;
                let what = match (sealed, digest) {
                    (None, Some(_)) => "没有任何审计记录，是在程序之外添加的",
                    (Some(_), None) => "已不存在：在程序之外被删除",
                    _ => "与审计记录不符：在程序之外被改动",
                };
                o.fault(format!("{label}（{tbl}）主键 {}：{what}", shown_key(&key)));
            }
        }
        Err(e) => o.fault(format!("无法读取可修改的表：{}", describe(&e))),
    }
    Ok(())
}

fn shown_key(key: &str) -> String {
    crate::domain::validate::shown(&key.replace('\u{1f}', "/"))
}

fn append_only_table(conn: &Connection, t: &seal::Table, o: &mut Outcome) -> StoreResult<()> {
    let mut points: Vec<(i64, String, i64)> = conn
        .prepare("SELECT last_id, chain, seq FROM seal_point WHERE tbl = ?1 ORDER BY last_id")?
        .query_map([t.name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    points.reverse();
    let mut stmt = conn.prepare(&format!("{} ORDER BY id", t.select_sql()))?;
    let names = seal::names_of(conn, t)?;
    let mut rows = stmt.query([])?;
    let mut chain = seal::CHAIN_START;
    let mut from = 1i64;
    let mut last_id = 0i64;
    let mut prev_id = 0i64;
    while let Some(r) = rows.next()? {
        let id = seal::key_id(r)?;
        if id <= prev_id {
            o.fault(format!(
                "{}（{}）：编号顺序异常（第 {id} 号）",
                t.label, t.name
            ));
            return Ok(());
        }
        prev_id = id;
        // a point the rows skipped over: rows up to it were removed
        if let Some((pid, _, seq)) = points.last().cloned()
            && pid < id
        {
            o.fault(format!(
                "{}（{}）：第 {from}–{pid} 号之间有记录被删除（第 {seq} 条日志封存到第 {pid} 号）",
                t.label, t.name
            ));
            return Ok(());
        }
        chain = seal::chain_step(&chain, &seal::row_digest(t, r, &names)?);
        last_id = id;
        match points.last() {
            Some((pid, want, seq)) if *pid == id => {
                if hex::encode(chain) != *want {
                    o.fault(format!(
                        "{}（{}）：第 {from}–{id} 号之间的记录与审计封存（第 {seq} 条日志）不符：在程序之外被改动、删除或插入",
                        t.label, t.name
                    ));
                    return Ok(());
                }
                from = id + 1;
                points.pop();
            }
            Some(_) => {}
            None => {
                o.fault(format!(
                    "{}（{}）：第 {id} 号起的记录没有任何审计记录，是在程序之外添加的",
                    t.label, t.name
                ));
                return Ok(());
            }
        }
    }
    if let Some((pid, _, seq)) = points.last() {
        o.fault(format!(
            "{}（{}）：第 {} 号之后的记录被删除（第 {seq} 条日志封存到第 {pid} 号，表中只到第 {last_id} 号）",
            t.label, t.name, last_id
        ));
    }
    Ok(())
}

/// Numbers that must run without gaps, and amounts that must add up.
pub fn sequences(conn: &Connection, o: &mut Outcome) -> StoreResult<()> {
    // receipts: per year from 1
    let mut stmt = conn.prepare("SELECT year, seq, receipt_no FROM receipt ORDER BY year, seq")?;
    let mut rows = stmt.query([])?;
    let (mut year, mut next) = (0i64, 1i64);
    while let Some(r) = rows.next()? {
        let (y, s, no): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if y != year {
            year = y;
            next = 1;
        }
        if s != next {
            o.fault(format!(
                "{y} 年的收据号不连续：缺第 {next} 号（下一张是 {}）",
                crate::domain::validate::shown(&no)
            ));
        }
        next = s + 1;
    }
    // tracking numbers: per day from 1
    let mut stmt = conn.prepare(
        "SELECT track_date, track_seq, tracking_no FROM work_order ORDER BY track_date, track_seq",
    )?;
    let mut rows = stmt.query([])?;
    let (mut day, mut next) = (String::new(), 1i64);
    while let Some(r) = rows.next()? {
        let (d, s, no): (String, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if d != day {
            day = d.clone();
            next = 1;
        }
        if s != next {
            o.fault(format!(
                "{} 的工单编号不连续：缺第 {next} 号（下一张是 {}）",
                crate::domain::validate::shown(&d),
                crate::domain::validate::shown(&no)
            ));
        }
        next = s + 1;
    }
    // every receipt's allocations add up to its payment
    let mut stmt = conn.prepare(
        "SELECT r.receipt_no, p.amount_fen, (SELECT SUM(a.amount_fen) FROM allocation a WHERE a.payment_id = p.id)
         FROM receipt r JOIN payment p ON p.id = r.payment_id
         WHERE p.amount_fen IS NOT (SELECT SUM(a.amount_fen) FROM allocation a WHERE a.payment_id = p.id)
         ORDER BY r.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (no, amount, sum): (String, i64, Option<i64>) = (r.get(0)?, r.get(1)?, r.get(2)?);
        o.fault(format!(
            "收据 {} 的金额 {} 与其分配合计 {} 不符",
            crate::domain::validate::shown(&no),
            fen(amount),
            fen(sum.unwrap_or(0))
        ));
    }
    // every payment has its receipt
    let missing: Option<i64> = conn
        .query_row(
            "SELECT min(p.id) FROM payment p WHERE NOT EXISTS (SELECT 1 FROM receipt r WHERE r.payment_id = p.id)",
            [],
            |r| r.get(0),
        )?;
    if let Some(id) = missing {
        o.fault(format!("第 {id} 号收费记录没有收据（收据被删除）"));
    }
    Ok(())
}

fn fen(v: i64) -> String {
    use crate::domain::money;
    format!("{} 元", money::format_yuan_grouped(money::from_fen(v)))
}

/// Each day end's chain head, as printed on its report, against the chain.
pub fn day_end_heads(conn: &Connection, o: &mut Outcome) -> StoreResult<()> {
    let mut stmt = conn.prepare(
        "SELECT d.id, d.business_date, s.display_name, d.audit_head_seq, d.audit_head_hash, a.hash
         FROM day_end d LEFT JOIN staff s ON s.id = d.cashier_id
         LEFT JOIN audit_log a ON a.seq = d.audit_head_seq
         ORDER BY d.audit_head_seq, d.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut bad = 0usize;
    let mut first: Option<String> = None;
    while let Some(r) = rows.next()? {
        let (date, who, seq, want, have): (String, Option<String>, i64, String, Option<String>) =
            (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
        if seq == 0 && want == GENESIS {
            continue;
        }
        if have.as_deref() != Some(want.as_str()) {
            bad += 1;
            if first.is_none() {
                first = Some(format!(
                    "{} {} 的日结报告印有第 {seq} 条的链头，{}",
                    crate::domain::validate::shown(&date),
                    crate::domain::validate::shown(&who.unwrap_or_default()),
                    if have.is_none() {
                        "该条已不存在：日志被截断"
                    } else {
                        "与现在的日志不符：日志在此之前被改写"
                    }
                ));
            }
        }
    }
    if let Some(f) = first {
        o.fault(format!("{f}（共 {bad} 份日结报告对不上）"));
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

//! The checks of `verify` that read the books themselves: every sealed table against its
//! seals, numbering and allocation sums, and the chain heads stored with the day ends.
use rusqlite::Connection;

use super::{Outcome, describe};
use crate::store::StoreResult;
use crate::store::audit::GENESIS;
use crate::store::seal::{self, Kind, TABLES};

/// Every sealed table as it is, against its seals: a row changed, added or removed behind
/// the program's back is named.
pub fn tables(conn: &Connection, o: &mut Outcome) -> StoreResult<()> {
    for t in TABLES.iter().filter(|t| t.kind == Kind::AppendOnly) {
        // a table a later migration adds is not there in a database not yet upgraded (the
        // structure check names a table missing at the database's own version)
        let exists = conn
            .prepare_cached("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1")?
            .exists([t.name])?;
        if !exists {
            continue;
        }
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

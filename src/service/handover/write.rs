//! Writing one bundle's files: a JSON Lines file per entity (UTF-8, one record a line) and
//! the manifest (`docs/handover.md`). Everything written comes from the bundle row and
//! the outbox range it names, never from the clock or the settings of the moment, so the
//! same bundle written twice gives the same bytes.
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use rusqlite::types::ValueRef;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::domain::handover::{
    FORMAT, MANIFEST, fen_text, is_moment_column, is_money_column, is_stored_moment,
    record_uuid_bytes, with_offset,
};
use crate::service::{ServiceError, ServiceResult};
use crate::store::handover::BundleRow;
use crate::store::outbox::{self, ENTITIES, Rec, RowOf};
use crate::store::{StoreError, outbox::Entity};

/// One entity's file as it is written.
struct Out {
    entity: &'static Entity,
    cols: Vec<String>,
    moment: Vec<bool>,
    /// (column index, sum in 分) of the money columns
    money: Vec<(usize, i128)>,
    file: Option<BufWriter<File>>,
    hasher: Sha256,
    bytes: u64,
    records: u64,
    ops: [u64; 3],
}

/// What was written.
pub(super) struct Written {
    pub manifest_sha256: String,
    /// (entity, records) in the order of the files
    pub counts: Vec<(String, u64)>,
}

fn io(path: &Path, e: std::io::Error) -> ServiceError {
    ServiceError::Refused(format!(
        "无法写入 {}：{}",
        path.display(),
        crate::service::error::io_text(&e)
    ))
}

/// Write bundle `b` into the folder `dir` (which exists and is empty).
pub(super) fn write_bundle(
    conn: &rusqlite::Connection,
    b: &BundleRow,
    previous: Option<&str>,
    dir: &Path,
) -> ServiceResult<Written> {
    let mut outs = Vec::with_capacity(ENTITIES.len());
    for e in ENTITIES {
        let cols = outbox::columns(conn, e)?;
        let moment = cols.iter().map(|c| is_moment_column(c)).collect();
        let money = cols
            .iter()
            .enumerate()
            .filter(|(_, c)| is_money_column(c))
            .map(|(i, _)| (i, 0i128))
            .collect();
        outs.push(Out {
            entity: e,
            cols,
            moment,
            money,
            file: None,
            hasher: Sha256::new(),
            bytes: 0,
            records: 0,
            ops: [0; 3],
        });
    }
    let offset = b.utc_offset.as_str();
    let mut line: Vec<u8> = Vec::with_capacity(4096);
    outbox::visit(
        conn,
        b.seq_from,
        b.seq_to,
        |r: &Rec<'_>| -> ServiceResult<()> {
            let out = &mut outs[r.entity];
            line.clear();
            record_line(&mut line, r, out, offset)?;
            if out.file.is_none() {
                let path = dir.join(file_name(out.entity));
                let f = File::create(&path).map_err(|e| io(&path, e))?;
                out.file = Some(BufWriter::with_capacity(1 << 18, f));
            }
            if let Some(f) = out.file.as_mut() {
                f.write_all(&line)
                    .map_err(|e| io(&dir.join(file_name(out.entity)), e))?;
            }
            out.hasher.update(&line);
            out.bytes += line.len() as u64;
            out.records += 1;
            out.ops[match r.op {
                crate::domain::handover::OutboxOp::Insert => 0,
                crate::domain::handover::OutboxOp::Update => 1,
                crate::domain::handover::OutboxOp::Delete => 2,
            }] += 1;
            Ok(())
        },
    )?;
    let mut files = Vec::new();
    let mut counts = Vec::new();
    for out in outs.iter_mut() {
        let Some(mut f) = out.file.take() else {
            continue;
        };
        let path = dir.join(file_name(out.entity));
        f.flush().map_err(|e| io(&path, e))?;
        // not synced to disk: a bundle torn by a power cut shows in its hashes and is still
        // pending, so it is written again; a sync of 2 GB would double the first bundle's time
        drop(f);
        let sha = hex::encode(std::mem::take(&mut out.hasher).finalize());
        let mut money = Map::new();
        for (i, sum) in &out.money {
            money.insert(
                out.cols[*i].clone(),
                json!({
                    "fen": i64::try_from(*sum).map(Value::from).unwrap_or_else(|_| Value::from(sum.to_string())),
                    "yuan": fen_text(*sum),
                }),
            );
        }
        files.push(json!({
            "entity": out.entity.table,
            "label": out.entity.label(),
            "file": file_name(out.entity),
            "key": out.entity.key(),
            "kind": match out.entity.kind() {
                crate::store::seal::Kind::AppendOnly => "append_only",
                crate::store::seal::Kind::Changing => "changing",
            },
            "records": out.records,
            "ops": { "I": out.ops[0], "U": out.ops[1], "D": out.ops[2] },
            "bytes": out.bytes,
            "sha256": sha,
            "money_sums": money,
        }));
        counts.push((out.entity.table.to_string(), out.records));
    }
    let manifest = json!({
        "format": FORMAT,
        "bundle_id": b.bundle_id,
        "bundle_number": b.id,
        "previous_bundle": previous,
        "station": { "code": b.station_code, "name": b.station_name },
        "created_at": with_offset(&b.created_at, offset).unwrap_or_else(|| b.created_at.clone()),
        "utc_offset": offset,
        "seq_from": b.seq_from,
        "seq_to": b.seq_to,
        "records": b.records(),
        "audit_head": { "seq": b.head_seq, "hash": b.head_hash },
        "files": files,
    });
    let mut text = serde_json::to_string_pretty(&manifest)
        .map_err(|e| ServiceError::Refused(format!("交接包清单无法生成：{e}")))?;
    text.push('\n');
    let path = dir.join(MANIFEST);
    let mut f = File::create(&path).map_err(|e| io(&path, e))?;
    f.write_all(text.as_bytes()).map_err(|e| io(&path, e))?;
    Ok(Written {
        manifest_sha256: hex::encode(Sha256::digest(text.as_bytes())),
        counts,
    })
}

/// `customer.jsonl`
pub fn file_name(e: &Entity) -> String {
    format!("{}.jsonl", e.table)
}

/// One line: `{"seq":…,"uuid":…,"op":…,"at":…,"audit_seq":…,"key":{…},"row":{…}}\n`.
fn record_line(line: &mut Vec<u8>, r: &Rec<'_>, out: &mut Out, offset: &str) -> ServiceResult<()> {
    line.extend_from_slice(b"{\"seq\":");
    push_int(line, r.seq);
    line.extend_from_slice(b",\"uuid\":\"");
    line.extend_from_slice(&record_uuid_bytes(r.nonce, r.seq));
    line.extend_from_slice(b"\",\"op\":\"");
    line.extend_from_slice(r.op.code().as_bytes());
    line.extend_from_slice(b"\",\"at\":");
    text(line, r.at, true, offset);
    line.extend_from_slice(b",\"audit_seq\":");
    push_int(line, r.audit_seq);
    line.extend_from_slice(b",\"key\":{");
    let key = out.entity.key();
    if key.len() == 1 {
        json_str(line, key[0]);
        line.push(b':');
        value_ref(line, r.key, false, offset);
    } else {
        let t = r
            .key
            .as_str()
            .map_err(|e| ServiceError::from(StoreError::from(rusqlite::Error::from(e))))?;
        let parts: Vec<Value> = serde_json::from_str(t).map_err(|_| {
            ServiceError::from(StoreError::Corrupt(format!(
                "交接记录第 {} 条的主键无法读取",
                r.seq
            )))
        })?;
        for (i, (k, v)) in key.iter().zip(parts.iter()).enumerate() {
            if i > 0 {
                line.push(b',');
            }
            json_str(line, k);
            line.push(b':');
            json_value(line, v, false, offset);
        }
    }
    line.extend_from_slice(b"},\"row\":");
    match &r.row {
        RowOf::Gone => line.extend_from_slice(b"null"),
        RowOf::Row(row) => {
            line.push(b'{');
            let mut money = 0;
            for (i, c) in out.cols.iter().enumerate() {
                if i > 0 {
                    line.push(b',');
                }
                json_str(line, c);
                line.push(b':');
                let v = row.get_ref(i).map_err(StoreError::from)?;
                value_ref(line, v, out.moment[i], offset);
                if money < out.money.len() && out.money[money].0 == i {
                    if let ValueRef::Integer(n) = v {
                        out.money[money].1 += i128::from(n);
                    }
                    money += 1;
                }
            }
            line.push(b'}');
        }
        RowOf::State(t) => {
            let state: Map<String, Value> = serde_json::from_str(t).map_err(|_| {
                ServiceError::from(StoreError::Corrupt(format!(
                    "交接记录第 {} 条记下的内容无法读取",
                    r.seq
                )))
            })?;
            line.push(b'{');
            let mut money = 0;
            for (i, c) in out.cols.iter().enumerate() {
                if i > 0 {
                    line.push(b',');
                }
                json_str(line, c);
                line.push(b':');
                let v = state.get(c).unwrap_or(&Value::Null);
                json_value(line, v, out.moment[i], offset);
                if money < out.money.len() && out.money[money].0 == i {
                    if let Some(n) = v.as_i64() {
                        out.money[money].1 += i128::from(n);
                    }
                    money += 1;
                }
            }
            line.push(b'}');
        }
    }
    line.extend_from_slice(b"}\n");
    Ok(())
}

fn push_int(line: &mut Vec<u8>, n: i64) {
    // writing into a Vec cannot fail
    let _ = write!(line, "{n}");
}

/// A text value; a stored moment in a moment column gets the offset
/// (`2026-11-24T10:15:00+08:00`).
fn text(line: &mut Vec<u8>, s: &str, moment: bool, offset: &str) {
    if moment && is_stored_moment(s) {
        line.push(b'"');
        line.extend_from_slice(&s.as_bytes()[..10]);
        line.push(b'T');
        line.extend_from_slice(&s.as_bytes()[11..]);
        line.extend_from_slice(offset.as_bytes());
        line.push(b'"');
    } else {
        json_str(line, s);
    }
}

fn value_ref(line: &mut Vec<u8>, v: ValueRef<'_>, moment: bool, offset: &str) {
    match v {
        ValueRef::Null => line.extend_from_slice(b"null"),
        ValueRef::Integer(n) => push_int(line, n),
        ValueRef::Real(x) => match serde_json::Number::from_f64(x) {
            Some(n) => line.extend_from_slice(n.to_string().as_bytes()),
            None => line.extend_from_slice(b"null"),
        },
        ValueRef::Text(t) => text(line, &String::from_utf8_lossy(t), moment, offset),
        ValueRef::Blob(b) => json_str(line, &hex::encode(b)),
    }
}

fn json_value(line: &mut Vec<u8>, v: &Value, moment: bool, offset: &str) {
    match v {
        Value::String(s) => text(line, s, moment, offset),
        Value::Number(n) => match n.as_i64() {
            Some(i) => push_int(line, i),
            None => line.extend_from_slice(n.to_string().as_bytes()),
        },
        Value::Null => line.extend_from_slice(b"null"),
        other => line.extend_from_slice(other.to_string().as_bytes()),
    }
}

/// A JSON string: quotes, backslashes and control characters escaped; everything else as
/// UTF-8 (runs copied whole).
fn json_str(line: &mut Vec<u8>, s: &str) {
    line.push(b'"');
    let b = s.as_bytes();
    let mut from = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => b"",
            _ => continue,
        };
        line.extend_from_slice(&b[from..i]);
        if esc.is_empty() {
            let _ = write!(line, "\\u{c:04x}");
        } else {
            line.extend_from_slice(esc);
        }
        from = i + 1;
    }
    line.extend_from_slice(&b[from..]);
    line.push(b'"');
}

#[cfg(test)]
mod tests {
    #[test]
    fn strings_are_escaped_as_json() {
        let mut v = Vec::new();
        super::json_str(&mut v, "王\"五\\\n\u{1}");
        let s = String::from_utf8(v).unwrap();
        assert_eq!(s, "\"王\\\"五\\\\\\n\\u0001\"");
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, "王\"五\\\n\u{1}");
    }
}

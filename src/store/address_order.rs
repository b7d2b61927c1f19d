//! Each customer's place in address order and the pieces of its name, address and phone
//! (migration 0025, issue 18): several short words (`王庄 3组`) are looked up as an FTS AND
//! over the pieces, whose rowid is the place, so the hits come in address order and the
//! search stops at the first page instead of walking the address index.
//!
//! Places are integers with gaps ([`GAP`] apart when numbered afresh). A new or moved file
//! takes the middle of the gap between its neighbours in (address, name, phone, id) order;
//! when no integer is left between them every place is numbered afresh. While a numbering
//! is pending (after the upgrade, or during a bulk load that asks for one) files are not
//! placed one by one: the numbering places them all.
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreResult;
use super::bulk::{Rows, insert_rows};

/// The distance between places numbered afresh: room for 8 million customers in an `i64`.
pub const GAP: i64 = 1 << 40;
/// The largest step after the file before: a village's houses added one after another in
/// address order use a gap a million times before it runs out.
const STEP: i64 = 1 << 20;
/// The least distance the places around a full gap are spread to.
const ROOM: i64 = 1 << 16;

/// The 1- and 2-character pieces of `text`s, lower-cased, as FTS tokens separated by
/// spaces (pieces holding white space are left out; the tokenizer drops punctuation).
pub fn pieces(texts: &[&str]) -> String {
    // slices of the lower-cased texts, not a string per piece (the whole station's pieces
    // are made again when places are numbered afresh)
    let lower: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
    let mut out: Vec<&str> = Vec::new();
    for t in &lower {
        let mut chars = t.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_whitespace() {
                continue;
            }
            let one = i + c.len_utf8();
            out.push(&t[i..one]);
            if let Some(&(_, d)) = chars.peek()
                && !d.is_whitespace()
            {
                out.push(&t[i..one + d.len_utf8()]);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out.join(" ")
}

/// The FTS expression for several words: a word of one or two characters is a piece, a
/// longer word every two-character piece of it (`小李庄` → `"小李" AND "李庄"`; the search
/// checks the whole word on each hit). `None` when a word has nothing the tokenizer keeps
/// (punctuation only): then the words cannot be looked up this way.
pub fn words_expression(words: &[&str]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for w in words {
        if !w.chars().any(char::is_alphanumeric) {
            return None;
        }
        let chars: Vec<char> = w.to_lowercase().chars().collect();
        let windows: Vec<String> = if chars.len() <= 2 {
            vec![chars.iter().collect()]
        } else {
            chars.windows(2).map(|p| p.iter().collect()).collect()
        };
        for p in windows {
            // a piece that is punctuation only is no token
            if p.chars().any(char::is_alphanumeric) && !parts.contains(&p) {
                parts.push(p);
            }
        }
    }
    (!parts.is_empty()).then(|| {
        parts
            .iter()
            .map(|p| format!("\"{}\"", p.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" AND ")
    })
}

struct File {
    name: String,
    address: String,
    phone: String,
}

fn file(conn: &Connection, id: i64) -> StoreResult<Option<File>> {
    Ok(conn
        .prepare_cached("SELECT name, address, phone FROM customer WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(File {
                name: r.get(0)?,
                address: r.get(1)?,
                phone: r.get(2)?,
            })
        })
        .optional()?)
}

fn file_pieces(f: &File) -> String {
    pieces(&[&f.name, &f.address, &f.phone])
}

/// Take customer `id` out of the order and the pieces, as its file reads now (call before
/// the file is changed).
pub fn remove(conn: &Connection, id: i64) -> StoreResult<()> {
    let ord: Option<i64> = conn
        .prepare_cached("SELECT ord FROM customer_address_order WHERE customer_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let (Some(ord), Some(f)) = (ord, file(conn, id)?) else {
        return Ok(());
    };
    // a contentless index forgets a row when told what it held
    conn.prepare_cached(
        "INSERT INTO customer_piece (customer_piece, rowid, pieces) VALUES ('delete', ?1, ?2)",
    )?
    .execute(params![ord, file_pieces(&f)])?;
    conn.prepare_cached("DELETE FROM customer_address_order WHERE customer_id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Give customer `id` (its file as it reads now) its place and its pieces.
pub fn place(conn: &Connection, id: i64) -> StoreResult<()> {
    if pending(conn)? {
        return Ok(());
    }
    let Some(f) = file(conn, id)? else {
        return Ok(());
    };
    let key = params![f.address, f.name, f.phone, id];
    let before: Option<i64> = conn
        .prepare_cached(
            "SELECT o.ord FROM customer AS c INDEXED BY customer_address
               JOIN customer_address_order AS o ON o.customer_id = c.id
              WHERE (c.address, c.name, c.phone, c.id) < (?1, ?2, ?3, ?4)
              ORDER BY c.address DESC, c.name DESC, c.phone DESC, c.id DESC LIMIT 1",
        )?
        .query_row(key, |r| r.get(0))
        .optional()?;
    let after: Option<i64> = conn
        .prepare_cached(
            "SELECT o.ord FROM customer AS c INDEXED BY customer_address
               JOIN customer_address_order AS o ON o.customer_id = c.id
              WHERE (c.address, c.name, c.phone, c.id) > (?1, ?2, ?3, ?4)
              ORDER BY c.address, c.name, c.phone, c.id LIMIT 1",
        )?
        .query_row(key, |r| r.get(0))
        .optional()?;
    let ord = match (before, after) {
        (None, None) => Some(GAP),
        (Some(b), None) => b.checked_add(GAP),
        (None, Some(a)) => a.checked_sub(GAP),
        (Some(b), Some(a)) if a - b >= 2 => Some(b + ((a - b) / 2).min(STEP)),
        _ => None,
    };
    let Some(ord) = ord else {
        // no integer left between the neighbours: spread the places around them (every
        // place afresh only when that reaches both ends), then place this file
        match (before, after) {
            (Some(b), Some(a)) if respace(conn, b, a)? => return place(conn, id),
            _ => {
                renumber(conn)?;
                return Ok(());
            }
        }
    };
    conn.prepare_cached("INSERT INTO customer_address_order (customer_id, ord) VALUES (?1, ?2)")?
        .execute(params![id, ord])?;
    conn.prepare_cached("INSERT INTO customer_piece (rowid, pieces) VALUES (?1, ?2)")?
        .execute(params![ord, file_pieces(&f)])?;
    Ok(())
}

/// Spread the places around the full gap between `b` and `a`: the window of files on either
/// side grows until spreading them evenly leaves at least [`ROOM`] between places; their
/// places and pieces are written again. `false` when the window reached both ends without
/// room (then every place is numbered afresh).
fn respace(conn: &Connection, b: i64, a: i64) -> StoreResult<bool> {
    let mut k: i64 = 32;
    loop {
        let side = |sql: &str, from: i64| -> StoreResult<Vec<(i64, i64)>> {
            Ok(conn
                .prepare_cached(sql)?
                .query_map(params![from, k + 1], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?)
        };
        let lower = side(
            "SELECT customer_id, ord FROM customer_address_order WHERE ord <= ?1
              ORDER BY ord DESC LIMIT ?2",
            b,
        )?;
        let upper = side(
            "SELECT customer_id, ord FROM customer_address_order WHERE ord >= ?1
              ORDER BY ord LIMIT ?2",
            a,
        )?;
        let full = |v: &Vec<(i64, i64)>| v.len() as i64 > k;
        let (lo, moved_lo) = match lower.last() {
            Some(&(_, o)) if full(&lower) => (o, &lower[..lower.len() - 1]),
            Some(&(_, o)) => (o.saturating_sub(GAP), &lower[..]),
            None => (b.saturating_sub(GAP), &lower[..]),
        };
        let (hi, moved_hi) = match upper.last() {
            Some(&(_, o)) if full(&upper) => (o, &upper[..upper.len() - 1]),
            Some(&(_, o)) => (o.saturating_add(GAP), &upper[..]),
            None => (a.saturating_add(GAP), &upper[..]),
        };
        let mut moved: Vec<(i64, i64)> = moved_lo.iter().chain(moved_hi).copied().collect();
        moved.sort_by_key(|(_, o)| *o);
        let step = (hi - lo) / (moved.len() as i64 + 2);
        if step >= ROOM {
            for &(id, old) in &moved {
                if let Some(f) = file(conn, id)? {
                    conn.prepare_cached(
                        "INSERT INTO customer_piece (customer_piece, rowid, pieces)
                         VALUES ('delete', ?1, ?2)",
                    )?
                    .execute(params![old, file_pieces(&f)])?;
                }
                conn.prepare_cached("DELETE FROM customer_address_order WHERE customer_id = ?1")?
                    .execute([id])?;
            }
            for (j, &(id, _)) in moved.iter().enumerate() {
                let ord = lo + step * (j as i64 + 1);
                conn.prepare_cached(
                    "INSERT INTO customer_address_order (customer_id, ord) VALUES (?1, ?2)",
                )?
                .execute(params![id, ord])?;
                if let Some(f) = file(conn, id)? {
                    conn.prepare_cached(
                        "INSERT INTO customer_piece (rowid, pieces) VALUES (?1, ?2)",
                    )?
                    .execute(params![ord, file_pieces(&f)])?;
                }
            }
            return Ok(true);
        }
        if !full(&lower) && !full(&upper) {
            return Ok(false);
        }
        k *= 2;
    }
}

/// Number every customer's place afresh, [`GAP`] apart in address order, and write the
/// pieces again. Returns the number of customers.
pub fn renumber(conn: &Connection) -> StoreResult<usize> {
    conn.execute(
        "INSERT INTO customer_piece (customer_piece) VALUES ('delete-all')",
        [],
    )?;
    conn.execute("DELETE FROM customer_address_order", [])?;
    let files: Vec<(i64, File)> = conn
        .prepare(
            "SELECT id, name, address, phone FROM customer INDEXED BY customer_address
              ORDER BY address, name, phone, id",
        )?
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                File {
                    name: r.get(1)?,
                    address: r.get(2)?,
                    phone: r.get(3)?,
                },
            ))
        })?
        .collect::<Result<_, _>>()?;
    // the places a few hundred rows to a statement, not a statement per file
    let mut order = Rows::new(2);
    let mut piece = Rows::new(2);
    for (i, (id, f)) in files.iter().enumerate() {
        let ord = (i as i64 + 1) * GAP;
        order.push(rusqlite::params![id, ord])?;
        piece.push(rusqlite::params![ord, file_pieces(f)])?;
    }
    insert_rows(
        conn,
        "customer_address_order",
        &["customer_id", "ord"],
        &order,
    )?;
    // the pieces into the full-text index by one statement: FTS5 writes its new entries out
    // as a segment of their own at the end of every statement (and when they fill its
    // memory), so a statement per file made 100,000 segments to merge, and a statement per
    // few hundred files still hundreds
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.piece_load;
         CREATE TEMP TABLE piece_load (ord INTEGER PRIMARY KEY, pieces TEXT NOT NULL);",
    )?;
    insert_rows(conn, "temp.piece_load", &["ord", "pieces"], &piece)?;
    conn.execute(
        "INSERT INTO customer_piece (rowid, pieces) SELECT ord, pieces FROM temp.piece_load ORDER BY ord",
        [],
    )?;
    conn.execute_batch("DROP TABLE temp.piece_load")?;
    Ok(files.len())
}

/// Whether a numbering of every place is pending (a `search_backfill` row asks for it).
pub fn pending(conn: &Connection) -> StoreResult<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM search_backfill WHERE what = 'address_order')",
        )?
        .query_row([], |r| r.get(0))?)
}

/// Ask for a numbering of every place at the next [`backfill`] (a bulk load: the files
/// are then not placed one by one).
pub fn defer(conn: &Connection) -> StoreResult<()> {
    conn.execute(
        "INSERT OR IGNORE INTO search_backfill (what) VALUES ('address_order')",
        [],
    )?;
    Ok(())
}

/// Place every customer on file when a numbering is pending: once after the upgrade that
/// added the order (the migration leaves a `search_backfill` row asking for it), and after
/// a bulk load.
pub fn backfill(conn: &Connection) -> StoreResult<usize> {
    if !pending(conn)? {
        return Ok(0);
    }
    let n = renumber(conn)?;
    conn.execute(
        "DELETE FROM search_backfill WHERE what = 'address_order'",
        [],
    )?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces as first written, a string per piece: the reference for [`pieces`].
    fn pieces_one_by_one(texts: &[&str]) -> String {
        let mut out: Vec<String> = Vec::new();
        for t in texts {
            let chars: Vec<char> = t.to_lowercase().chars().collect();
            for (i, c) in chars.iter().enumerate() {
                if c.is_whitespace() {
                    continue;
                }
                out.push(c.to_string());
                if let Some(d) = chars.get(i + 1)
                    && !d.is_whitespace()
                {
                    out.push(format!("{c}{d}"));
                }
            }
        }
        out.sort();
        out.dedup();
        out.join(" ")
    }

    #[test]
    fn pieces_of_the_demo_files_are_those_made_a_string_at_a_time() {
        let areas = crate::demo::areas(3);
        let mut n = 0;
        for c in crate::demo::customers(3, 2000, &areas, "WZ01") {
            let texts = [c.name.as_str(), c.address.as_str(), c.phone.as_str()];
            assert_eq!(pieces(&texts), pieces_one_by_one(&texts), "{texts:?}");
            n += 1;
        }
        assert_eq!(n, 2000);
        for texts in [
            ["İstanbul  Straße", "ÀB c", " 0635-8123456 "],
            ["", " ", "a"],
            ["王 庄\t3组", "Ǆ", "ǅa"],
        ] {
            assert_eq!(pieces(&texts), pieces_one_by_one(&texts), "{texts:?}");
        }
    }

    #[test]
    fn pieces_are_the_one_and_two_character_runs_without_white_space() {
        assert_eq!(pieces(&["王庄 3组"]), "3 3组 庄 王 王庄 组");
        assert_eq!(pieces(&["Ab"]), "a ab b");
        assert_eq!(
            words_expression(&["王庄", "3组"]).as_deref(),
            Some("\"王庄\" AND \"3组\"")
        );
        assert_eq!(words_expression(&["王庄", "、"]), None);
        assert_eq!(
            words_expression(&["小李庄", "1"]).as_deref(),
            Some("\"小李\" AND \"李庄\" AND \"1\"")
        );
        assert_eq!(
            words_expression(&["3-5号"]).as_deref(),
            Some("\"3-\" AND \"-5\" AND \"5号\"")
        );
    }
}

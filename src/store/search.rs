//! Customer search SQL (docs/search.md). Each kind of [`Query`] runs a few index-backed
//! branches, each cut to the first `n` rows in its own order; one statement merges them,
//! keeps each customer's best rank and pages the result. No branch scans the table.
//!
//! `LIMIT (SELECT :n)`, not `LIMIT :n`: SQLite 3.53 plans with the value bound to a bare
//! `LIMIT` parameter and so re-prepares the statement on every new binding, which cost
//! 0.2 ms per search here (the whole search takes 0.01–0.02 ms without it).
use rusqlite::types::Value;
use rusqlite::{Connection, ToSql};

use super::StoreResult;
use crate::domain::search::{
    Matched, PHONE_CONTAINS_MIN, PHONE_TAIL_LEN, Query, prefix_upper_bound,
};

/// One customer found, phone unmasked (the service masks it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HitRow {
    pub id: i64,
    pub account_no: String,
    pub old_account_no: Option<String>,
    pub name: String,
    pub phone: String,
    pub address: String,
    pub area_name: Option<String>,
    /// `active`, `suspended` or `closed`
    pub status: String,
    pub matched: Matched,
}

/// A customer to build benchmark keystrokes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    pub account_no: String,
    pub old_account_no: Option<String>,
    pub name: String,
    pub name_initials: String,
    pub phone: String,
    pub address: String,
}

/// Branches of one search and their parameters; every branch yields `(id, r, k1, k2)`:
/// customer, rank ([`Matched::rank`]) and two sort keys within the rank.
#[derive(Default)]
struct Plan {
    branches: Vec<String>,
    params: Vec<(&'static str, Value)>,
}

impl Plan {
    fn param(&mut self, name: &'static str, v: impl Into<Value>) {
        if !self.params.iter().any(|(n, _)| *n == name) {
            self.params.push((name, v.into()));
        }
    }

    /// `column = :q`: one seek on a unique (or NOCASE) index.
    fn exact(&mut self, m: Matched, column: &str, q: &str) {
        self.param(":q", q.to_string());
        self.branches.push(format!(
            "SELECT id, {r}, {column}, id FROM customer WHERE {column} = :q",
            r = m.rank()
        ));
    }

    /// `column` starts with `q`: a range on its index, in index order. `q` must already be
    /// lower-cased for a NOCASE column (NOCASE folds only ASCII upper case, and the bound
    /// is computed on the bytes).
    fn prefix(&mut self, m: Matched, column: &str, q: &str, hi_name: &'static str) {
        self.param(":q", q.to_string());
        let upper = match prefix_upper_bound(q) {
            Some(hi) => {
                self.param(hi_name, hi);
                format!(" AND {column} < {hi_name}")
            }
            None => String::new(),
        };
        self.branches.push(format!(
            "SELECT * FROM (SELECT id, {r}, {column}, id FROM customer
              WHERE {column} >= :q{upper} ORDER BY {column}, id LIMIT (SELECT :n))",
            r = m.rank()
        ));
    }

    /// An FTS5 trigram match in rowid order; `filter` is the column filter (`name`,
    /// `{address phone_digits}`) or empty for all columns.
    fn trigram(&mut self, m: Matched, filter: &str, phrases: &[&str], param: &'static str) {
        let expr = phrases
            .iter()
            .map(|p| format!("\"{}\"", p.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" AND ");
        let expr = if filter.is_empty() {
            expr
        } else {
            format!("{filter} : ({expr})")
        };
        self.param(param, expr);
        self.branches.push(format!(
            "SELECT * FROM (SELECT rowid AS id, {r}, rowid, rowid FROM customer_fts
              WHERE customer_fts MATCH {param} ORDER BY rowid LIMIT (SELECT :n))",
            r = m.rank()
        ));
    }
}

/// Words of a several-word search that are looked for (more are ignored).
const WORDS_MAX: usize = 6;
const WORD_PARAMS: [&str; WORDS_MAX] = [":w1", ":w2", ":w3", ":w4", ":w5", ":w6"];

/// `pieces`: the address order and its pieces are in place (not while a numbering is
/// pending, e.g. a database upgraded but opened read-only).
fn plan(q: &Query, pieces: bool) -> Plan {
    let mut p = Plan::default();
    match q {
        Query::Empty => {}
        Query::Digits(d) => {
            p.exact(Matched::AccountExact, "account_no", d);
            p.exact(Matched::OldAccountExact, "old_account_no", d);
            if d.len() == PHONE_TAIL_LEN {
                p.exact(Matched::PhoneTail, "phone_tail", d);
            }
            p.prefix(Matched::AccountPrefix, "account_no", d, ":hi");
            p.prefix(Matched::OldAccountPrefix, "old_account_no", d, ":hi");
            p.prefix(Matched::PhonePrefix, "phone_digits", d, ":hi");
            if d.len() >= PHONE_CONTAINS_MIN {
                p.trigram(Matched::PhoneContains, "phone_digits", &[d], ":f1");
            }
        }
        Query::Initials(s) => {
            p.prefix(Matched::Initials, "name_initials", s, ":hi");
            // the other readings of polyphonic characters (徐长江 by `xzj` as well)
            let upper = match prefix_upper_bound(s) {
                Some(hi) => {
                    p.param(":hi", hi);
                    " AND initials < :hi"
                }
                None => "",
            };
            p.branches.push(format!(
                "SELECT * FROM (SELECT customer_id, {r}, initials, customer_id
                   FROM customer_initial_variant WHERE initials >= :q{upper}
                  ORDER BY initials, customer_id LIMIT (SELECT :n))",
                r = Matched::Initials.rank()
            ));
            if s.len() >= crate::domain::search::TRIGRAM_MIN {
                p.trigram(Matched::NameContains, "name", &[s], ":f1");
            }
        }
        Query::Short(s) => {
            let lower = s.to_ascii_lowercase();
            p.exact(Matched::NameExact, "name", &lower);
            p.prefix(Matched::NamePrefix, "name", &lower, ":hi");
            // names with the piece further in (the table holds no position 1: the prefix
            // branch above finds those)
            p.param(":g", s.clone());
            p.branches.push(format!(
                "SELECT * FROM (SELECT customer_id, {r}, pos, customer_id FROM customer_name_gram
                  WHERE gram = :g ORDER BY pos, customer_id LIMIT (SELECT :n))",
                r = Matched::NameContains.rank()
            ));
        }
        Query::Text(s) => {
            let lower = s.to_ascii_lowercase();
            p.exact(Matched::NameExact, "name", &lower);
            p.prefix(Matched::NamePrefix, "name", &lower, ":hi");
            p.trigram(Matched::NameContains, "name", &[s], ":f1");
            p.trigram(Matched::Address, "{address phone_digits}", &[s], ":f2");
        }
        Query::Words(words) => {
            // the words run together may be a name (`王 小明`): those first
            let joined = words.concat().to_ascii_lowercase();
            p.exact(Matched::NameExact, "name", &joined);
            p.prefix(Matched::NamePrefix, "name", &joined, ":hi");
            // then every customer whose name, address or phone holds every word, addresses
            // in order. Words of three or more characters narrow through the trigram index
            // first; with only short words (`王庄 3组`) the address index is walked in
            // order and the walk stops at the first page of matches.
            let mut held = Vec::new();
            for (i, w) in words.iter().enumerate().take(WORDS_MAX) {
                let name = WORD_PARAMS[i];
                p.param(name, w.clone());
                held.push(format!(
                    "instr(c.name || ' ' || c.address || ' ' || c.phone, {name}) > 0"
                ));
            }
            let held = held.join(" AND ");
            let long: Vec<&str> = words
                .iter()
                .map(String::as_str)
                .filter(|w| w.chars().count() >= crate::domain::search::TRIGRAM_MIN)
                .collect();
            let r = Matched::Address.rank();
            let all: Vec<&str> = words.iter().take(WORDS_MAX).map(String::as_str).collect();
            let expr = pieces
                .then(|| crate::store::address_order::words_expression(&all))
                .flatten();
            if let Some(expr) = expr {
                // the FTS AND of the words' pieces, in address order (the place is the
                // rowid), stops at the first page; each hit is checked for the whole words
                p.param(":p", expr);
                p.branches.push(format!(
                    "SELECT * FROM (SELECT c.id, {r}, customer_piece.rowid, c.id
                       FROM customer_piece
                       JOIN customer_address_order AS o ON o.ord = customer_piece.rowid
                       JOIN customer AS c ON c.id = o.customer_id
                      WHERE customer_piece MATCH :p AND {held}
                      ORDER BY customer_piece.rowid LIMIT (SELECT :n))"
                ));
            } else if long.is_empty() {
                p.branches.push(format!(
                    "SELECT * FROM (SELECT c.id, {r}, c.address, c.id FROM customer AS c
                      INDEXED BY customer_address
                      WHERE {held} ORDER BY c.address, c.id LIMIT (SELECT :n))"
                ));
            } else {
                let expr = long
                    .iter()
                    .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
                    .collect::<Vec<_>>()
                    .join(" AND ");
                p.param(":f1", expr);
                p.branches.push(format!(
                    "SELECT * FROM (SELECT c.id, {r}, c.address, c.id
                       FROM customer_fts JOIN customer AS c ON c.id = customer_fts.rowid
                      WHERE customer_fts MATCH :f1 AND {held}
                      ORDER BY c.address, c.id LIMIT (SELECT :n))"
                ));
            }
        }
    }
    p
}

/// Search customers: `limit` hits after skipping `offset`, best first (rank, then the
/// branch's own order, then id). Ask for one more than you show to know whether there are
/// more.
pub fn search(
    conn: &Connection,
    q: &Query,
    limit: usize,
    offset: usize,
) -> StoreResult<Vec<HitRow>> {
    let ready = !crate::store::address_order::pending(conn)?;
    let mut p = plan(q, ready);
    if p.branches.is_empty() {
        return Ok(Vec::new());
    }
    // every branch must reach past the requested page on its own
    let n = i64::try_from(offset.saturating_add(limit)).unwrap_or(i64::MAX);
    p.param(":n", n);
    p.param(":lim", i64::try_from(limit).unwrap_or(i64::MAX));
    p.param(":off", i64::try_from(offset).unwrap_or(i64::MAX));
    let sql = format!(
        "WITH m(id, r, k1, k2) AS ({}),
         best AS (SELECT id, min(r) AS r, k1, k2 FROM m GROUP BY id)
         SELECT c.id, c.account_no, c.old_account_no, c.name, c.phone, c.address, a.name,
                c.status, best.r
           FROM best JOIN customer AS c ON c.id = best.id
           LEFT JOIN transformer_area AS a ON a.id = c.area_id
          ORDER BY best.r, best.k1, best.k2, c.id
          LIMIT (SELECT :lim) OFFSET (SELECT :off)",
        p.branches.join("\n UNION ALL ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let params: Vec<(&str, &dyn ToSql)> = p
        .params
        .iter()
        .map(|(n, v)| (*n, v as &dyn ToSql))
        .collect();
    let rows = stmt.query_map(&params[..], |r| {
        let rank: i64 = r.get(8)?;
        Ok(HitRow {
            id: r.get(0)?,
            account_no: r.get(1)?,
            old_account_no: r.get(2)?,
            name: r.get(3)?,
            phone: r.get(4)?,
            address: r.get(5)?,
            area_name: r.get(6)?,
            status: r.get(7)?,
            matched: Matched::from_rank(rank).unwrap_or(Matched::Address),
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Up to `count` persons with a mobile phone, spread evenly over the table, for benchmark
/// keystrokes.
pub fn samples(conn: &Connection, count: usize) -> StoreResult<Vec<Sample>> {
    let (lo, hi): (i64, i64) = conn.query_row(
        "SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM customer",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut stmt = conn.prepare_cached(
        "SELECT account_no, old_account_no, name, name_initials, phone, address FROM customer
          WHERE id >= ?1 AND kind = 'person' AND length(phone) = 11 ORDER BY id LIMIT 1",
    )?;
    let mut out = Vec::new();
    let count = i64::try_from(count).unwrap_or(0);
    for i in 0..count {
        let start = lo + (hi - lo) * i / count.max(1);
        if let Some(s) = stmt
            .query_map([start], |r| {
                Ok(Sample {
                    account_no: r.get(0)?,
                    old_account_no: r.get(1)?,
                    name: r.get(2)?,
                    name_initials: r.get(3)?,
                    phone: r.get(4)?,
                    address: r.get(5)?,
                })
            })?
            .next()
        {
            out.push(s?);
        }
    }
    Ok(out)
}

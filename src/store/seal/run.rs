//! The running hash of an append-only table's new rows, and its points (see the module
//! above): hashed row by row here, or, for a large insert, by a second thread while this
//! one reads on.
use rusqlite::Rows;

use super::{POINT_EVERY, RowDigest, Table, chain_step, digest_of, id_of_key, key_text, row_bytes};
use crate::store::StoreResult;

/// From this many new rows on, a table's rows are hashed by a second thread while this one
/// reads on ([`chain_beside`]); fewer (a counter's payment seals a handful) are hashed here.
pub(super) const HASH_BESIDE_FROM: i64 = 20_000;

/// Rows read ahead of the hashing thread, per batch.
const BATCH_ROWS: usize = 2_048;

/// The points of the running hash over `rows` (`SELECT key, *` in id order) from `chain`
/// after `last`: one every [`POINT_EVERY`] rows and one at the last row.
pub(super) fn chain_here(
    t: &Table,
    rows: &mut Rows<'_>,
    names: &[String],
    last: i64,
    chain: [u8; 32],
) -> StoreResult<Vec<(i64, String)>> {
    let mut run = Run::new(last, chain);
    // the bytes of a row, the buffer kept from row to row
    let mut bytes = Vec::new();
    while let Some(row) = rows.next()? {
        // the key read once, for the id and the bytes
        let key = key_text(row)?;
        bytes.clear();
        row_bytes(t, row, key, names, &mut bytes)?;
        run.step(id_of_key(key)?, &digest_of(&bytes));
    }
    Ok(run.points())
}

/// [`chain_here`] with the hashing on a second thread: this thread reads the rows and lays
/// out their bytes ([`row_bytes`]) in batches, the other hashes them in the same order,
/// so the points are the same. Used for bulk loads (the demo seals millions of rows):
/// reading and hashing cost about the same, so the reading thread is spared most of the
/// hashing. If the thread cannot be started, the rows are hashed here.
pub(super) fn chain_beside(
    t: &Table,
    rows: &mut Rows<'_>,
    names: &[String],
    last: i64,
    chain: [u8; 32],
) -> StoreResult<Vec<(i64, String)>> {
    use std::sync::mpsc::{channel, sync_channel};
    /// Rows' bytes one after another, each row's id and where its bytes end.
    #[derive(Default)]
    struct Batch {
        bytes: Vec<u8>,
        ends: Vec<(i64, usize)>,
    }
    std::thread::scope(|s| -> StoreResult<Vec<(i64, String)>> {
        let (full, to_hash) = sync_channel::<Batch>(2);
        let (done, spare) = channel::<Batch>();
        let hasher = std::thread::Builder::new()
            .name("seal-hash".into())
            .spawn_scoped(s, move || {
                let mut run = Run::new(last, chain);
                for mut batch in to_hash {
                    let mut from = 0;
                    for &(id, end) in &batch.ends {
                        run.step(id, &digest_of(&batch.bytes[from..end]));
                        from = end;
                    }
                    batch.bytes.clear();
                    batch.ends.clear();
                    // the reader may have stopped; a batch not taken back is dropped
                    let _ = done.send(batch);
                }
                run
            });
        let Ok(hasher) = hasher else {
            return chain_here(t, rows, names, last, chain);
        };
        // the rows read into batches and handed over; a reading error ends the batches
        // early and is returned once the hasher has stopped
        let mut read: StoreResult<()> = Ok(());
        let mut batch = Batch::default();
        loop {
            let row = match rows.next() {
                Ok(Some(row)) => row,
                Ok(None) => break,
                Err(e) => {
                    read = Err(e.into());
                    break;
                }
            };
            let laid = key_text(row).and_then(|key| {
                let id = id_of_key(key)?;
                row_bytes(t, row, key, names, &mut batch.bytes)?;
                batch.ends.push((id, batch.bytes.len()));
                Ok(())
            });
            if let Err(e) = laid {
                read = Err(e.into());
                break;
            }
            if batch.ends.len() == BATCH_ROWS {
                let next = spare.try_recv().unwrap_or_default();
                if full.send(std::mem::replace(&mut batch, next)).is_err() {
                    break;
                }
            }
        }
        if read.is_ok() && !batch.ends.is_empty() {
            // (fails only if the hasher stopped, which the join below shows)
            let _ = full.send(batch);
        }
        // the hasher ends when the batches do
        drop(full);
        // hashing byte slices cannot fail; were it to panic, it panics here as it would
        // have in `chain_here`
        let run = hasher
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        read?;
        Ok(run.points())
    })
}

/// The running hash over rows in id order, and its points.
struct Run {
    chain: [u8; 32],
    count: i64,
    id: i64,
    points: Vec<(i64, String)>,
}

impl Run {
    fn new(last: i64, chain: [u8; 32]) -> Self {
        Run {
            chain,
            count: 0,
            id: last,
            points: Vec::new(),
        }
    }

    fn step(&mut self, id: i64, digest: &RowDigest) {
        self.chain = chain_step(&self.chain, digest);
        self.id = id;
        self.count += 1;
        if self.count % POINT_EVERY == 0 {
            self.points.push((id, hex::encode(self.chain)));
        }
    }

    fn points(mut self) -> Vec<(i64, String)> {
        if self.count % POINT_EVERY != 0 {
            self.points.push((self.id, hex::encode(self.chain)));
        }
        self.points
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::seal::{CHAIN_START, append_only, names_of, parse_chain};
    use rusqlite::Connection;

    /// The hashing thread's points are those of hashing row by row here: every
    /// [`POINT_EVERY`] rows and the last, from the start and from a point part way.
    #[test]
    fn hashing_beside_gives_the_points_of_hashing_here() {
        const T: Table = append_only("t", "测试");
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n INTEGER, r REAL, b BLOB);
             WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 30001)
             INSERT INTO t SELECT i, '户' || i, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 3 END,
                 i / 4.0, CASE WHEN i % 5 = 0 THEN x'00ff' END FROM k;",
        )
        .unwrap();
        let names = names_of(&c, &T).unwrap();
        let points = |last: i64, chain: [u8; 32], beside: bool| {
            let mut stmt = c
                .prepare(&format!("{} WHERE id > ?1 ORDER BY id", T.select_sql()))
                .unwrap();
            let mut rows = stmt.query([last]).unwrap();
            if beside {
                chain_beside(&T, &mut rows, &names, last, chain).unwrap()
            } else {
                chain_here(&T, &mut rows, &names, last, chain).unwrap()
            }
        };
        let here = points(0, CHAIN_START, false);
        assert_eq!(here.len(), 8, "7 full stretches of 4096 rows and the rest");
        assert_eq!(here.last().map(|p| p.0), Some(30_001));
        assert_eq!(points(0, CHAIN_START, true), here);
        // from the third point on, carrying its chain
        let (at, chain) = (&here[2].0, parse_chain(&here[2].1).unwrap());
        let rest = points(*at, chain, true);
        assert_eq!(rest, points(*at, chain, false));
        assert_eq!(rest.last(), here.last(), "the same running hash at the end");
        // a changed row changes every point from its own on
        c.execute("UPDATE t SET name = '户x' WHERE id = 9000", [])
            .unwrap();
        let changed = points(0, CHAIN_START, true);
        assert_eq!(changed[..2], here[..2]);
        assert!(changed[2..].iter().zip(&here[2..]).all(|(a, b)| a.1 != b.1));
    }
}

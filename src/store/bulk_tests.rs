//! Tests of `store::bulk` (kept beside it to keep that file to its code).
use super::*;

fn db() -> Connection {
    let c = Connection::open_in_memory().unwrap();
    c.execute_batch(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL UNIQUE);
         CREATE TRIGGER t_no_seven BEFORE INSERT ON t WHEN NEW.v = 7
         BEGIN SELECT RAISE(ABORT, 'no sevens'); END;
         CREATE TRIGGER t_no_update BEFORE UPDATE ON t BEGIN SELECT RAISE(ABORT, 'no'); END;",
    )
    .unwrap();
    c
}

#[test]
fn a_buffer_writes_full_buffers_and_the_rest_on_flush() {
    let c = Connection::open_in_memory().unwrap();
    c.execute_batch("CREATE TABLE s (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
        .unwrap();
    let mut b = RowBuffer::new("s", &["id", "v"]);
    let n = BUFFER_ROWS as i64 + 5;
    // texts of many lengths, so that a binding reused from one chunk to the next
    // never keeps a longer text's tail
    let text = |i: i64| "户".repeat((i % 13) as usize) + &i.to_string();
    for i in 1..=n {
        b.push(&c, rusqlite::params![i, text(i)]).unwrap();
    }
    let written: i64 = c
        .query_row("SELECT count(*) FROM s", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        written, BUFFER_ROWS as i64,
        "only the full buffer is written before flush"
    );
    b.flush(&c).unwrap();
    let got: Vec<(i64, String)> = c
        .prepare("SELECT id, v FROM s ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(got, (1..=n).map(|i| (i, text(i))).collect::<Vec<_>>());
}

#[test]
fn statements_are_full_chunks_then_powers_of_two() {
    let sizes = |n| statement_sizes(n).collect::<Vec<_>>();
    assert_eq!(sizes(0), Vec::<usize>::new());
    assert_eq!(sizes(1), vec![1]);
    assert_eq!(sizes(200), vec![200]);
    assert_eq!(sizes(437), vec![200, 200, 32, 4, 1]);
    assert_eq!(sizes(199), vec![128, 64, 4, 2, 1]);
    for n in 0..1000 {
        let s = sizes(n);
        assert_eq!(s.iter().sum::<usize>(), n, "{n}");
        assert!(s.windows(2).all(|w| w[0] >= w[1]), "{n}: {s:?}");
        assert!(s.iter().all(|k| *k == CHUNK || k.is_power_of_two()), "{n}");
    }
    // and every row is written, in order
    let c = db();
    let mut rows = Rows::new(2);
    for i in 1..=437i64 {
        rows.push(rusqlite::params![i, i * 3]).unwrap();
    }
    assert_eq!(rows.len(), 437);
    insert_rows(&c, "t", &["id", "v"], &rows).unwrap();
    let got: Vec<(i64, i64)> = c
        .prepare("SELECT id, v FROM t ORDER BY rowid")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(got, (1..=437).map(|i| (i, i * 3)).collect::<Vec<_>>());
}

#[test]
fn a_broken_rule_fails_the_statement_and_the_transaction_undoes_it() {
    let mut c = db();
    let tx = c.transaction().unwrap();
    let mut rows = Rows::new(2);
    rows.push(rusqlite::params![1, 1]).unwrap();
    rows.push(rusqlite::params![2, 1]).unwrap();
    assert!(insert_rows(&tx, "t", &["id", "v"], &rows).is_err());
    drop(tx);
    let n: i64 = c
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn paused_insert_triggers_come_back_as_they_were_and_others_stay() {
    let c = db();
    let triggers = || -> Vec<(String, String)> {
        c.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let before = triggers();
    let paused = Paused::insert_triggers(&c, "t").unwrap();
    let names: Vec<String> = triggers().into_iter().map(|t| t.0).collect();
    assert_eq!(names, vec!["t_no_update".to_string()]);
    // while paused, the insert rule does not run
    c.execute("INSERT INTO t (v) VALUES (7)", []).unwrap();
    paused.restore(&c).unwrap();
    assert_eq!(triggers(), before);
    assert!(c.execute("INSERT INTO t (v) VALUES (7)", []).is_err());
}

#[test]
fn paused_indexes_come_back_as_they_were_and_built_from_the_rows() {
    let c = Connection::open_in_memory().unwrap();
    c.execute_batch(
        "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT, k INT);
         CREATE INDEX p_name ON p(name);
         CREATE UNIQUE INDEX p_k ON p(k) WHERE k IS NOT NULL;",
    )
    .unwrap();
    let indexes = || -> Vec<(String, Option<String>)> {
        c.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let before = indexes();
    let paused = Paused::indexes(&c, "p").unwrap();
    // only SQLite's own key for the UNIQUE column stays, and it still holds
    let names: Vec<String> = indexes().into_iter().map(|i| i.0).collect();
    assert_eq!(names, vec!["sqlite_autoindex_p_1".to_string()]);
    for i in 0..50 {
        c.execute(
            "INSERT INTO p (code, name, k) VALUES (?1, ?2, ?3)",
            rusqlite::params![format!("c{i}"), format!("n{}", 50 - i), i],
        )
        .unwrap();
    }
    assert!(c.execute("INSERT INTO p (code) VALUES ('c1')", []).is_err());
    paused.restore(&c).unwrap();
    assert_eq!(indexes(), before);
    // the index made again holds every row: a lookup through it finds them
    let plan: String = c
        .query_row(
            "EXPLAIN QUERY PLAN SELECT id FROM p WHERE name = 'n7'",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("p_name"), "{plan}");
    let id: i64 = c
        .query_row("SELECT id FROM p WHERE name = 'n7'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(id, 44);
    assert_eq!(
        c.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "ok"
    );
    // a unique index made again over rows that break it fails, so the load is undone
    let paused = Paused::indexes(&c, "p").unwrap();
    c.execute("INSERT INTO p (code, k) VALUES ('dup', 3)", [])
        .unwrap();
    assert!(paused.restore(&c).is_err());
}

#[test]
fn values_are_what_the_statement_would_bind() {
    use crate::domain::reading::ReadingKind;
    use crate::store::convert::Day;
    use rusqlite::params;
    let c = Connection::open_in_memory().unwrap();
    c.execute_batch("CREATE TABLE v (a, b, c, d, e)").unwrap();
    let day = Day(chrono::NaiveDate::from_ymd_opt(2026, 3, 9).unwrap());
    let none: Option<i64> = None;
    c.execute(
        "INSERT INTO v VALUES (?1, ?2, ?3, ?4, ?5)",
        params![7i64, none, "门锁未见表", day, ReadingKind::Estimated],
    )
    .unwrap();
    let mut rows = Rows::new(5);
    rows.push(params![
        7i64,
        none,
        "门锁未见表",
        day,
        ReadingKind::Estimated
    ])
    .unwrap();
    insert_rows(&c, "v", &["a", "b", "c", "d", "e"], &rows).unwrap();
    let rows: Vec<String> = c
        .prepare(
            "SELECT quote(a) || typeof(a) || quote(b) || quote(c) || quote(d) || quote(e) FROM v",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0], rows[1]);
    assert_eq!(rows[0], "7integerNULL'门锁未见表''2026-03-09''estimated'");
}

#[test]
fn rows_keep_every_kind_of_value_and_refuse_a_wrong_row_whole() {
    let c = Connection::open_in_memory().unwrap();
    c.execute_batch("CREATE TABLE w (a, b, c)").unwrap();
    let mut rows = Rows::new(3);
    let blob: Vec<u8> = vec![0, 255, 7];
    let none: Option<&str> = None;
    rows.push(rusqlite::params![1.5f64, "甲乙", blob]).unwrap();
    rows.push(rusqlite::params![none, "", -3i64]).unwrap();
    // a row of the wrong length, or a value that cannot be kept, leaves nothing behind
    assert!(rows.push(rusqlite::params![1i64, 2i64]).is_err());
    let bad = rusqlite::types::Value::Text("丙".into());
    assert!(
        rows.push(rusqlite::params![
            "丁",
            bad,
            rusqlite::types::Value::Integer(u64::MAX as i64)
        ])
        .is_ok()
    );
    struct Fails;
    impl rusqlite::ToSql for Fails {
        fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
            Err(rusqlite::Error::ToSqlConversionFailure("no".into()))
        }
    }
    assert!(rows.push(rusqlite::params!["戊", "己", Fails]).is_err());
    assert_eq!(rows.len(), 3);
    // and rows meant for other columns are refused
    assert!(insert_rows(&c, "w", &["a", "b"], &rows).is_err());
    insert_rows(&c, "w", &["a", "b", "c"], &rows).unwrap();
    let got: Vec<String> = c
        .prepare("SELECT quote(a) || '|' || quote(b) || '|' || quote(c) FROM w ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        got,
        vec![
            "1.5|'甲乙'|X'00FF07'".to_string(),
            "NULL|''|-3".to_string(),
            "'丁'|'丙'|-1".to_string(),
        ]
    );
    // cleared, the buffer is empty and takes rows again
    rows.clear();
    assert!(rows.is_empty());
    rows.push(rusqlite::params![1i64, 2i64, 3i64]).unwrap();
    assert_eq!(rows.len(), 1);
}

#[test]
fn the_event_is_read_before_on() {
    assert!(fires_on_insert(
        "CREATE TRIGGER a BEFORE INSERT ON receipt WHEN x BEGIN SELECT 1; END"
    ));
    assert!(fires_on_insert(
        "CREATE TRIGGER \"b\" AFTER INSERT ON \"allocation\" BEGIN INSERT INTO o VALUES (1); END"
    ));
    assert!(!fires_on_insert(
        "CREATE TRIGGER c BEFORE UPDATE ON t BEGIN INSERT INTO o VALUES (1); END"
    ));
    assert!(!fires_on_insert(
        "CREATE TRIGGER d AFTER UPDATE OF name ON customer BEGIN INSERT INTO x VALUES (1); END"
    ));
}

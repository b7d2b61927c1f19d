//! Tests of `store::customers` (kept beside it to keep that file to its code).
use super::*;

/// (name pieces, customers a name finds, customers a phone finds)
type SearchState = (Vec<(String, i64, i64)>, Vec<i64>, Vec<i64>);

/// What search reads of the customers: the name pieces and the full-text index.
fn search_state(conn: &Connection) -> SearchState {
    let grams = conn
        .prepare("SELECT gram, pos, customer_id FROM customer_name_gram ORDER BY 1, 2, 3")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let found = |q: &str| -> Vec<i64> {
        conn.prepare("SELECT rowid FROM customer_fts WHERE customer_fts MATCH ?1 ORDER BY rowid")
            .unwrap()
            .query_map([q], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    (grams, found("\"王庄村\""), found("\"635\""))
}

fn load(paused: bool) -> crate::store::Store {
    let store = crate::store::Store::open_in_memory().unwrap();
    let conn = store.conn();
    let areas = crate::demo::areas(7);
    for a in &areas {
        insert_area(conn, a, None, "2026-01-01 08:00:00").unwrap();
    }
    // one customer before the load, indexed by the trigger
    let mut stream = crate::demo::customers(7, 300, &areas, "WZ01");
    let first = stream.next().unwrap();
    insert_customer(conn, &first, "x", Some(1), "2026-01-01 08:00:00").unwrap();
    let before = if paused {
        Some(pause_search(conn).unwrap())
    } else {
        None
    };
    for c in stream {
        insert_customer(conn, &c, "x", Some(1), "2026-01-01 08:00:00").unwrap();
    }
    if let Some(after) = before {
        assert_eq!(resume_search(conn, after).unwrap(), 299);
    }
    store
}

#[test]
fn customers_written_in_bulk_are_the_rows_insert_customer_writes() {
    let dump = |conn: &Connection| -> (Vec<Vec<String>>, Vec<(String, i64)>) {
        let files = conn
            .prepare("SELECT * FROM customer ORDER BY id")
            .unwrap()
            .query_map([], |r| {
                (0..r.as_ref().column_count())
                    .map(|i| {
                        Ok(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => "NULL".to_string(),
                            v => format!("{v:?}"),
                        })
                    })
                    .collect::<Result<Vec<String>, _>>()
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let variants = conn
            .prepare("SELECT initials, customer_id FROM customer_initial_variant ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        (files, variants)
    };
    let areas = crate::demo::areas(7);
    let make = |bulk: bool| {
        let store = crate::store::Store::open_in_memory().unwrap();
        let conn = store.conn();
        for a in &areas {
            insert_area(conn, a, None, "2026-01-01 08:00:00").unwrap();
        }
        crate::store::address_order::defer(conn).unwrap();
        let mut rows = crate::store::bulk::RowBuffer::new("customer", CUSTOMER_COLUMNS);
        let mut vars = crate::store::bulk::Rows::new(INITIAL_VARIANT_COLUMNS.len());
        for (i, c) in crate::demo::customers(7, 300, &areas, "WZ01").enumerate() {
            let initials = crate::domain::pinyin::initials(&c.name);
            let id = i as i64 + 1;
            if bulk {
                customer_params(
                    Some(id),
                    &c,
                    &initials,
                    Some(2),
                    "2026-01-01 08:00:00",
                    |p| rows.push(conn, p),
                )
                .unwrap();
                for v in initial_variants(&c.name) {
                    vars.push(params![v, id]).unwrap();
                }
            } else {
                let got =
                    insert_customer(conn, &c, &initials, Some(2), "2026-01-01 08:00:00").unwrap();
                assert_eq!(got, id);
            }
        }
        rows.flush(conn).unwrap();
        crate::store::bulk::insert_rows(
            conn,
            "customer_initial_variant",
            INITIAL_VARIANT_COLUMNS,
            &vars,
        )
        .unwrap();
        dump(conn)
    };
    let one_by_one = make(false);
    assert_eq!(one_by_one.0.len(), 300);
    assert!(!one_by_one.1.is_empty(), "some names have other readings");
    assert_eq!(make(true), one_by_one);
}

#[test]
fn a_bulk_load_with_search_paused_indexes_every_customer_as_the_trigger_does() {
    let by_trigger = load(false);
    let by_resume = load(true);
    let expected = search_state(by_trigger.conn());
    assert!(!expected.0.is_empty() && !expected.1.is_empty() && !expected.2.is_empty());
    assert_eq!(search_state(by_resume.conn()), expected);
    // the trigger is back, as the migration made it: a customer inserted after is found
    let sql = |s: &crate::store::Store| -> String {
        s.conn()
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = 'customer_search_insert'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(sql(&by_resume), sql(&by_trigger));
    let mut later = crate::demo::customers(8, 1, &crate::demo::areas(7), "WZ01")
        .next()
        .unwrap();
    later.account_no = "9999999999".into();
    later.old_account_no = None;
    later.name = "欧阳娜娜".into();
    let id = insert_customer(
        by_resume.conn(),
        &later,
        "oynn",
        Some(1),
        "2026-01-02 08:00:00",
    )
    .unwrap();
    let found: Vec<i64> = by_resume
        .conn()
        .prepare("SELECT customer_id FROM customer_name_gram WHERE gram = '娜娜'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(found, vec![id]);
}

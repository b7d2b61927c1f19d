//! Customer search through the service, on a demo station of 3,000 customers.
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use stationdesk::demo;
use stationdesk::demo::seed::{DEMO_STATION_CODE, build_demo_station};
use stationdesk::domain::clock::FixedClock;
use stationdesk::domain::customer::NewCustomer;
use stationdesk::domain::pinyin;
use stationdesk::domain::search::Matched;
use stationdesk::service::Service;
use stationdesk::service::search::{CustomerHit, SearchPage, search_bench};
use stationdesk::store::Store;

const SEED: u64 = 7;
const COUNT: usize = 3000;

fn clock() -> FixedClock {
    FixedClock::at(2026, 11, 24, 9, 0)
}

/// One demo database for all tests of this file (they only read).
fn data_dir() -> &'static PathBuf {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        build_demo_station(dir.path(), Arc::new(clock()), COUNT, SEED).unwrap();
        let path = dir.path().to_path_buf();
        (dir, path)
    })
    .1
}

fn svc() -> Service {
    Service::open(data_dir(), Arc::new(clock())).unwrap()
}

/// The demo's `index`-th customer as generated.
fn customer(index: usize) -> NewCustomer {
    let areas = demo::plan(SEED, 0, DEMO_STATION_CODE).areas;
    demo::customers(SEED, COUNT, &areas, DEMO_STATION_CODE).customer_at(index)
}

fn find(mut pred: impl FnMut(&NewCustomer) -> bool) -> NewCustomer {
    (0..COUNT).map(customer).find(|c| pred(c)).unwrap()
}

/// Every hit of `query`, page by page.
fn all_hits(svc: &Service, query: &str) -> Vec<CustomerHit> {
    let mut out = Vec::new();
    loop {
        let page = svc.search_customers(query, 200, out.len()).unwrap();
        out.extend(page.hits);
        if !page.more {
            return out;
        }
    }
}

fn position(hits: &[CustomerHit], account_no: &str) -> Option<usize> {
    hits.iter().position(|h| h.account_no == account_no)
}

#[test]
fn exact_account_no_comes_first() {
    let svc = svc();
    let c = customer(100);
    let page = svc.search_customers(&c.account_no, 20, 0).unwrap();
    assert_eq!(page.method, "digits");
    assert_eq!(page.hits[0].account_no, c.account_no);
    assert_eq!(page.hits[0].name, c.name);
    assert_eq!(page.hits[0].matched, Matched::AccountExact);
    assert!(!page.more);
    // typed with spaces or in full-width digits
    let spaced: String = c.account_no.chars().flat_map(|d| [d, ' ']).collect();
    assert_eq!(
        svc.search_customers(&spaced, 5, 0).unwrap().hits[0].account_no,
        c.account_no
    );
    // digit by digit, the customer is on the first page well before the end
    let prefix = &c.account_no[..10];
    let hits = svc.search_customers(prefix, 20, 0).unwrap().hits;
    assert!(hits.iter().all(|h| {
        h.account_no.starts_with(prefix)
            || h.old_account_no
                .as_deref()
                .is_some_and(|o| o.starts_with(prefix))
            || h.matched >= Matched::PhonePrefix
    }));
    assert!(position(&hits, &c.account_no).is_some());
}

#[test]
fn old_account_no_finds_the_customer() {
    let svc = svc();
    let c = find(|c| c.old_account_no.is_some());
    let old = c.old_account_no.clone().unwrap();
    let page = svc.search_customers(&old, 20, 0).unwrap();
    assert_eq!(page.hits[0].account_no, c.account_no);
    assert_eq!(page.hits[0].old_account_no.as_deref(), Some(old.as_str()));
    assert_eq!(page.hits[0].matched, Matched::OldAccountExact);
    // and by its beginning
    let hits = svc.search_customers(&old[..8], 50, 0).unwrap().hits;
    assert!(position(&hits, &c.account_no).is_some());
}

#[test]
fn pinyin_initials() {
    let svc = svc();
    let page = svc.search_customers("zs", 50, 0).unwrap();
    assert_eq!(page.method, "initials");
    assert!(!page.hits.is_empty());
    for h in &page.hits {
        // by the common reading or another reading of a polyphonic character
        assert!(
            pinyin::variants(&h.name)
                .iter()
                .any(|v| v.starts_with("zs")),
            "{}",
            h.name
        );
        assert_eq!(h.matched, Matched::Initials);
    }
    // upper case and full width too
    assert_eq!(svc.search_customers("ZS", 50, 0).unwrap().hits, page.hits);
    assert_eq!(svc.search_customers("ｚｓ", 50, 0).unwrap().hits, page.hits);
    // a person's full initials find them; exact initials before longer ones
    let c = find(|c| c.name.chars().count() == 3 && c.name.starts_with('王'));
    let initials = pinyin::initials(&c.name);
    let hits = all_hits(&svc, &initials);
    assert!(
        position(&hits, &c.account_no).is_some(),
        "{} {initials}",
        c.name
    );
    let exact = hits
        .iter()
        .take_while(|h| pinyin::variants(&h.name).contains(&initials))
        .count();
    assert!(
        hits[exact..]
            .iter()
            .all(|h| !pinyin::variants(&h.name).contains(&initials))
    );
}

/// Issue 18: a polyphonic character is found by either reading (徐长江 by `xzj` and
/// `xcj`), a shop by `…ddch` as well as `…ddcx`; a file corrected to another name follows.
#[test]
fn polyphonic_names_are_found_by_either_reading() {
    let (mut e, chief) = crate::common::with_station();
    let mut add = |name: &str| {
        let draft = stationdesk::domain::customer_file::CustomerDraft {
            name: name.into(),
            kind: Some(stationdesk::domain::customer::CustomerKind::Person),
            usage: Some(stationdesk::domain::customer::UsageCategory::Residential),
            address: "柳林镇王庄村3组1号".into(),
            ..Default::default()
        };
        e.svc.create_customer(&chief, &draft, "").unwrap()
    };
    add("徐长江");
    add("鑫源电动车行");
    add("翟志强");
    let names = |q: &str| -> Vec<String> {
        e.svc
            .search_customers(q, 20, 0)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.name)
            .collect()
    };
    assert_eq!(names("xcj"), ["徐长江"]);
    assert_eq!(names("xzj"), ["徐长江"]);
    assert_eq!(names("xyddch"), ["鑫源电动车行"]);
    assert_eq!(names("xyddcx"), ["鑫源电动车行"]);
    assert_eq!(names("zzq"), ["翟志强"]);
}

#[test]
fn heteronym_surnames_by_their_surname_reading() {
    let svc = svc();
    // the demo puts 单, 曾 and 解 at positions 12, 92 and 172
    for (index, surname, right, wrong) in [
        (12, '单', 's', 'd'),
        (92, '曾', 'z', 'c'),
        (172, '解', 'x', 'j'),
    ] {
        let c = customer(index);
        assert!(c.name.starts_with(surname), "{index}: {}", c.name);
        let initials = pinyin::initials(&c.name);
        assert!(initials.starts_with(right), "{initials}");
        let hits = all_hits(&svc, &initials);
        assert!(
            position(&hits, &c.account_no).is_some(),
            "{} by {initials}",
            c.name
        );
        let misread = format!("{wrong}{}", &initials[1..]);
        let hits = all_hits(&svc, &misread);
        assert!(
            position(&hits, &c.account_no).is_none(),
            "{} by {misread}",
            c.name
        );
        // and by the surname character itself
        let hits = all_hits(&svc, &surname.to_string());
        assert!(position(&hits, &c.account_no).is_some());
    }
}

#[test]
fn phone_tail_and_prefix() {
    let svc = svc();
    let c = find(|c| c.phone.len() == 11 && c.phone.starts_with('1'));
    let tail = &c.phone[7..];
    let page = svc.search_customers(tail, 200, 0).unwrap();
    let i = position(&page.hits, &c.account_no).unwrap();
    assert_eq!(page.hits[i].matched, Matched::PhoneTail);
    assert_eq!(
        page.hits[i].phone_masked,
        format!("{}****{tail}", &c.phone[..3])
    );
    for h in page.hits.iter().filter(|h| h.matched == Matched::PhoneTail) {
        assert!(h.phone_masked.ends_with(tail));
    }
    // the whole number
    let page = svc.search_customers(&c.phone, 20, 0).unwrap();
    assert_eq!(page.hits[0].account_no, c.account_no);
    assert_eq!(page.hits[0].matched, Matched::PhonePrefix);
    // a landline with its area code and hyphen, typed without the hyphen or without the
    // area code
    let l = find(|c| c.phone.starts_with("0635-"));
    let digits = l.phone.replace('-', "");
    let hits = svc.search_customers(&digits, 20, 0).unwrap().hits;
    assert_eq!(hits[0].account_no, l.account_no);
    let local = &l.phone[5..];
    let hits = svc.search_customers(local, 20, 0).unwrap().hits;
    assert!(position(&hits, &l.account_no).is_some(), "{local}");
}

#[test]
fn chinese_pieces_of_names() {
    let svc = svc();
    let c = find(|c| {
        c.name.chars().count() == 3 && c.kind == stationdesk::domain::customer::CustomerKind::Person
    });
    let chars: Vec<char> = c.name.chars().collect();
    for piece in [chars[2].to_string(), chars[1..].iter().collect::<String>()] {
        let hits = all_hits(&svc, &piece);
        assert!(
            position(&hits, &c.account_no).is_some(),
            "{} by {piece}",
            c.name
        );
        assert!(hits.iter().all(|h| h.name.contains(&piece)), "{piece}");
        // names starting with the piece before names containing it
        let starting = hits
            .iter()
            .take_while(|h| h.name.starts_with(&piece))
            .count();
        assert!(hits[starting..].iter().all(|h| !h.name.starts_with(&piece)));
        assert_eq!(
            svc.search_customers(&piece, 5, 0).unwrap().method,
            "name-gram"
        );
    }
    // the full name: exact first
    let page = svc.search_customers(&c.name, 20, 0).unwrap();
    assert_eq!(page.hits[0].name, c.name);
    assert_eq!(page.hits[0].matched, Matched::NameExact);
    assert!(position(&page.hits, &c.account_no).is_some() || page.more);
}

#[test]
fn address_words() {
    let svc = svc();
    let c = find(|c| c.address.contains('组') && c.address.ends_with('号'));
    // `柳林镇王庄村3组27号` → `王庄村3组27号`
    let word: String = c.address.chars().skip(3).collect();
    let hits = all_hits(&svc, &word);
    let i = position(&hits, &c.account_no).unwrap();
    assert_eq!(hits[i].matched, Matched::Address);
    assert!(
        hits.iter()
            .all(|h| h.address.contains(&word) || h.name.contains(&word))
    );
    // two words, each anywhere
    let village: String = word
        .chars()
        .take_while(|ch| *ch != '村')
        .chain(['村'])
        .collect();
    let house: String = c
        .address
        .chars()
        .rev()
        .take_while(|ch| *ch != '组')
        .collect();
    let house: String = house.chars().rev().collect();
    if house.chars().count() >= 3 {
        let query = format!("{village} {house}");
        let page = svc.search_customers(&query, 200, 0).unwrap();
        assert_eq!(page.method, "words-trigram");
        let hits = all_hits(&svc, &query);
        assert!(position(&hits, &c.account_no).is_some(), "{query}");
        assert!(
            hits.iter()
                .all(|h| h.address.contains(&village) && h.address.contains(&house))
        );
    }
}

/// Issue 18: short words narrow too (`王庄 3组` found nothing), and the customers found
/// by address come with their addresses in order; a name typed in two words still puts the
/// person first.
#[test]
fn several_short_words_narrow_and_come_in_address_order() {
    let svc = svc();
    let c = find(|c| c.address.contains("村3组"));
    // `柳林镇王庄村3组27号` → `王庄` and `3组`
    let village: String = c
        .address
        .chars()
        .skip(3)
        .take_while(|ch| *ch != '村')
        .collect();
    let query = format!("{village} 3组");
    let hits = all_hits(&svc, &query);
    assert!(
        position(&hits, &c.account_no).is_some(),
        "{query}: {} hits",
        hits.len()
    );
    assert!(hits.len() > 1);
    for h in &hits {
        let all = format!("{} {}", h.name, h.address);
        assert!(
            all.contains(&village) && all.contains("3组"),
            "{query}: {all}"
        );
    }
    let addresses: Vec<&str> = hits
        .iter()
        .filter(|h| h.matched == Matched::Address)
        .map(|h| h.address.as_str())
        .collect();
    let mut sorted = addresses.clone();
    sorted.sort();
    assert_eq!(addresses, sorted, "addresses in order");
    // the same with a long word: trigram first, the short word as a filter
    let long = format!("{village}村 3组");
    let hits2 = all_hits(&svc, &long);
    assert!(position(&hits2, &c.account_no).is_some(), "{long}");
    assert!(
        hits2
            .iter()
            .all(|h| h.address.contains(&format!("{village}村")) && h.address.contains("3组"))
    );
    // a name in two words: the person first
    let p = find(|c| c.name.chars().count() == 3 && !c.name.contains(' '));
    let first: String = p.name.chars().take(1).collect();
    let rest: String = p.name.chars().skip(1).collect();
    let hits = all_hits(&svc, &format!("{first} {rest}"));
    assert_eq!(hits[0].name, p.name, "exact name first");
}

#[test]
fn paging() {
    let svc = svc();
    let whole = svc.search_customers("王", 30, 0).unwrap();
    assert!(whole.more);
    assert_eq!(whole.hits.len(), 30);
    let first = svc.search_customers("王", 10, 0).unwrap();
    let second = svc.search_customers("王", 10, 10).unwrap();
    let third = svc.search_customers("王", 10, 20).unwrap();
    assert!(first.more && second.more);
    let joined: Vec<_> = [first.hits, second.hits, third.hits].concat();
    assert_eq!(joined, whole.hits);
    // every page of every hit, once each
    let all = all_hits(&svc, "王");
    let mut ids: Vec<i64> = all.iter().map(|h| h.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len());
    assert!(all.len() > 200);
    // past the end
    let past = svc.search_customers("王", 10, all.len()).unwrap();
    assert!(past.hits.is_empty() && !past.more);
    let last = svc.search_customers("王", 10, all.len() - 3).unwrap();
    assert_eq!(last.hits.len(), 3);
    assert!(!last.more);
    // limits are capped, zero gives nothing
    assert_eq!(
        svc.search_customers("王", 100_000, 0).unwrap().hits.len(),
        200
    );
    let zero = svc.search_customers("王", 0, 0).unwrap();
    assert!(zero.hits.is_empty() && zero.more);
}

#[test]
fn empty_and_blank_queries() {
    let svc = svc();
    for q in ["", " ", "   \t", "\u{3000}"] {
        let page = svc.search_customers(q, 20, 0).unwrap();
        assert_eq!(
            page,
            SearchPage {
                hits: vec![],
                more: false,
                method: "empty"
            }
        );
    }
}

#[test]
fn special_characters_are_plain_text() {
    let svc = svc();
    for q in [
        "%",
        "_",
        "'",
        "\"",
        "%%",
        "__",
        "%_'\"",
        "王%",
        "王_",
        "%王",
        "' OR 1=1 --",
        "\"; DROP TABLE customer; --",
        "name : 王",
        "王*",
        "NEAR(王 李)",
        "a AND b",
        "\\",
        "{name}",
        "(",
        "^王",
        "-王",
        "+",
        "-",
    ] {
        let page = svc
            .search_customers(q, 20, 0)
            .unwrap_or_else(|e| panic!("{q}: {e}"));
        for h in &page.hits {
            // only the letters and characters typed can match
            assert!(h.matched <= Matched::Address, "{q}");
        }
        if q.contains(['%', '_', '\'', '"']) {
            assert!(page.hits.is_empty(), "{q}: {:?}", page.hits.first());
        }
    }
    // the table is still there
    assert!(!svc.search_customers("王", 5, 0).unwrap().hits.is_empty());
}

#[test]
fn results_carry_the_customer_fields() {
    let svc = svc();
    let c = find(|c| c.old_account_no.is_some() && c.phone.len() == 11);
    let h = &svc.search_customers(&c.account_no, 1, 0).unwrap().hits[0];
    assert_eq!(h.old_account_no, c.old_account_no);
    assert_eq!(h.address, c.address);
    assert!(h.phone_masked.contains("****"));
    assert!(h.area_name.as_deref().is_some_and(|a| a.ends_with("台区")));
    assert_eq!(h.status, "active");
    assert_eq!(h.status_label(), "正常");
}

#[test]
fn index_follows_inserts_updates_and_deletes() {
    let mut store = Store::open_in_memory().unwrap();
    let q = |store: &Store, s: &str| -> Vec<String> {
        let query = stationdesk::domain::search::Query::classify(s);
        stationdesk::store::search::search(store.conn(), &query, 50, 0)
            .unwrap()
            .into_iter()
            .map(|h| h.name)
            .collect()
    };
    let mut c = customer(0);
    c.name = "王小明".into();
    c.phone = "0635-8123456".into();
    c.address = "柳林镇河东村2组5号".into();
    store
        .write(|tx| {
            stationdesk::store::customers::insert_customer(
                tx,
                &c,
                "wxm",
                None,
                "2026-11-24 09:00:00",
            )
        })
        .unwrap();
    assert_eq!(q(&store, "小明"), ["王小明"]);
    assert_eq!(q(&store, "3456"), ["王小明"]);
    assert_eq!(q(&store, "8123456"), ["王小明"]);
    assert_eq!(q(&store, "河东村"), ["王小明"]);
    store
        .conn()
        .execute(
            "UPDATE customer SET name = '李小红', phone = '13912345678', address = '柳林镇西街1号'",
            [],
        )
        .unwrap();
    assert!(q(&store, "小明").is_empty());
    assert!(q(&store, "3456").is_empty());
    assert!(q(&store, "河东村").is_empty());
    assert_eq!(q(&store, "小红"), ["李小红"]);
    assert_eq!(q(&store, "5678"), ["李小红"]);
    assert_eq!(q(&store, "西街1号"), ["李小红"]);
    let check = |store: &Store| {
        store
            .conn()
            .execute(
                "INSERT INTO customer_fts (customer_fts) VALUES ('integrity-check')",
                [],
            )
            .unwrap();
        assert!(store.integrity_check().unwrap().is_empty());
    };
    check(&store);
    store.conn().execute("DELETE FROM customer", []).unwrap();
    assert!(q(&store, "小红").is_empty());
    assert!(q(&store, "西街1号").is_empty());
    let grams: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM customer_name_gram", [], |r| r.get(0))
        .unwrap();
    assert_eq!(grams, 0);
    check(&store);
}

#[test]
fn benchmark_runs_on_a_small_database() {
    let svc = svc();
    let lines = search_bench(&svc, 1).unwrap();
    assert!(lines.len() >= 5);
    for (label, p50, p99) in &lines {
        assert!(*p50 >= 0.0 && p99 >= p50, "{label}");
    }
}

/// `cargo test --release --test it -- --ignored --nocapture search::benchmark_on_a_large_database`
/// with `STATIONDESK_SEARCH_DB` pointing at a data directory (e.g. from
/// `stationdesk demo --customers 100000 --data-dir /tmp/search100k`).
#[test]
#[ignore]
fn benchmark_on_a_large_database() {
    let dir = std::env::var("STATIONDESK_SEARCH_DB").unwrap_or("/tmp/search100k".into());
    let svc = Service::open(std::path::Path::new(&dir), Arc::new(clock())).unwrap();
    let runs = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    for (label, p50, p99) in search_bench(&svc, runs).unwrap() {
        println!("| {label} | {p50:.3} ms | {p99:.3} ms |");
    }
}

#[test]
fn upgrading_a_database_indexes_its_customers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(stationdesk::service::DB_FILE);
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        stationdesk::store::migrations()
            .unwrap()
            .to_version(&mut conn, 1)
            .unwrap();
        conn.execute(
            "INSERT INTO customer (account_no, old_account_no, name, name_initials, kind, phone,
                 address, usage_category, created_at, updated_at)
             VALUES ('0371234567890', '1234567890', '单小明', 'sxm', 'person', '0635-8123456',
                 '柳林镇河东村2组5号', 'residential', 'now', 'now')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    for q in [
        "小明",
        "明",
        "sxm",
        "3456",
        "8123456",
        "1234567890",
        "河东村2组",
        "单小明",
    ] {
        let query = stationdesk::domain::search::Query::classify(q);
        let hits = stationdesk::store::search::search(store.conn(), &query, 10, 0).unwrap();
        assert_eq!(hits.len(), 1, "{q}");
        assert_eq!(hits[0].name, "单小明");
    }
}

/// Names already on file when the readings table arrived (migration 0018) get theirs once,
/// at the upgrade; the request row is then gone, so it is not done again.
#[test]
fn names_on_file_get_their_readings_at_the_upgrade() {
    let (mut e, chief) = crate::common::with_station();
    let draft = stationdesk::domain::customer_file::CustomerDraft {
        name: "徐长江".into(),
        kind: Some(stationdesk::domain::customer::CustomerKind::Person),
        usage: Some(stationdesk::domain::customer::UsageCategory::Residential),
        address: "柳林镇王庄村3组1号".into(),
        ..Default::default()
    };
    e.svc.create_customer(&chief, &draft, "").unwrap();
    let conn = e.svc.store().conn();
    // as before the upgrade: no readings, the request row present
    conn.execute_batch(
        "DELETE FROM customer_initial_variant;
         INSERT INTO search_backfill (what) VALUES ('initial_variants');",
    )
    .unwrap();
    // the crate's common reading of 长 is zhǎng; names mostly read it cháng
    assert!(e.svc.search_customers("xcj", 5, 0).unwrap().hits.is_empty());
    assert_eq!(
        stationdesk::store::customers::backfill_initial_variants(conn).unwrap(),
        1
    );
    assert_eq!(e.svc.search_customers("xcj", 5, 0).unwrap().hits.len(), 1);
    assert_eq!(
        stationdesk::store::customers::backfill_initial_variants(conn).unwrap(),
        0,
        "done once"
    );
}

/// Issue 18: several short words look up the pieces in address order. Files added one
/// before the other into the same gap (more than the 40 halvings a gap allows) and a file
/// whose address changes keep the places in address order, and the search follows them.
#[test]
fn the_address_order_follows_new_and_moved_files_and_survives_a_full_gap() {
    use stationdesk::domain::customer::{CustomerKind, UsageCategory};
    use stationdesk::domain::customer_file::CustomerDraft;
    let (mut e, chief) = crate::common::with_station();
    let draft = |n: usize, address: String| CustomerDraft {
        name: format!("测试{n}"),
        kind: Some(CustomerKind::Person),
        id_number: "11010519491231002X".into(),
        phone: String::new(),
        address,
        usage: Some(UsageCategory::Residential),
        contracted_kva: "6".into(),
        ..Default::default()
    };
    // the neighbours first, then 60 houses each just before the last one added
    e.svc
        .create_customer(&chief, &draft(0, "柳林镇王庄村1组1号".into()), "")
        .unwrap();
    e.svc
        .create_customer(&chief, &draft(1, "柳林镇王庄村5组1号".into()), "")
        .unwrap();
    let mut ids = Vec::new();
    for n in (0..60).rev() {
        let id = e
            .svc
            .create_customer(
                &chief,
                &draft(100 + n, format!("柳林镇王庄村3组{n:03}号")),
                "",
            )
            .unwrap();
        ids.push(id);
    }
    let in_order = |svc: &stationdesk::service::Service| {
        let conn = svc.store().conn();
        let ords: Vec<i64> = conn
            .prepare(
                "SELECT o.ord FROM customer AS c JOIN customer_address_order AS o
                   ON o.customer_id = c.id ORDER BY c.address, c.name, c.phone, c.id",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let total: i64 = conn
            .query_row("SELECT count(*) FROM customer", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ords.len() as i64, total, "every file has a place");
        assert!(ords.windows(2).all(|w| w[0] < w[1]), "{ords:?}");
    };
    in_order(&e.svc);
    let hits = e.svc.search_customers("王庄 3组", 100, 0).unwrap().hits;
    assert_eq!(hits.len(), 60);
    let addresses: Vec<&str> = hits.iter().map(|h| h.address.as_str()).collect();
    let mut sorted = addresses.clone();
    sorted.sort();
    assert_eq!(addresses, sorted, "in address order");
    // a file that moves leaves its old pieces behind
    let moved = ids[0];
    let mut d = e.svc.customer_draft(&chief, moved).unwrap();
    d.address = "柳林镇李庄村9组2号".into();
    e.svc.update_customer(&chief, moved, &d).unwrap();
    in_order(&e.svc);
    assert_eq!(
        e.svc
            .search_customers("王庄 3组", 100, 0)
            .unwrap()
            .hits
            .len(),
        59
    );
    let found = e.svc.search_customers("李庄 9组", 100, 0).unwrap().hits;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, moved);
    assert!(
        e.svc
            .search_customers("王庄 9组", 100, 0)
            .unwrap()
            .hits
            .is_empty()
    );
}

/// Issue 18: a full gap is spread over the files around it, not the whole order: files far
/// away keep their places.
#[test]
fn a_full_gap_spreads_its_neighbours_only() {
    use stationdesk::domain::customer::{CustomerKind, UsageCategory};
    use stationdesk::domain::customer_file::CustomerDraft;
    let (mut e, chief) = crate::common::with_station();
    let draft = |n: usize, address: String| CustomerDraft {
        name: format!("测试{n}"),
        kind: Some(CustomerKind::Person),
        id_number: "11010519491231002X".into(),
        address,
        usage: Some(UsageCategory::Residential),
        contracted_kva: "6".into(),
        ..Default::default()
    };
    let ord_of = |svc: &stationdesk::service::Service, id: i64| -> i64 {
        svc.store()
            .conn()
            .query_row(
                "SELECT ord FROM customer_address_order WHERE customer_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    // 200 files spread over two villages
    let mut far = 0;
    for n in 0..200 {
        let village = if n < 100 { "东村" } else { "西村" };
        let id = e
            .svc
            .create_customer(&chief, &draft(n, format!("柳林镇{village}{n:03}号")), "")
            .unwrap();
        if n == 190 {
            far = id;
        }
    }
    let far_before = ord_of(&e.svc, far);
    // 80 files each placed just before the one added last, inside 东村: the gap runs out
    for n in (0..80).rev() {
        e.svc
            .create_customer(
                &chief,
                &draft(1000 + n, format!("柳林镇东村050号{n:03}室")),
                "",
            )
            .unwrap();
    }
    assert_eq!(
        ord_of(&e.svc, far),
        far_before,
        "a file far away keeps its place"
    );
    let conn = e.svc.store().conn();
    let ords: Vec<i64> = conn
        .prepare(
            "SELECT o.ord FROM customer AS c JOIN customer_address_order AS o
               ON o.customer_id = c.id ORDER BY c.address, c.name, c.phone, c.id",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(ords.len(), 280);
    assert!(ords.windows(2).all(|w| w[0] < w[1]));
    let hits = e.svc.search_customers("东村 05", 200, 0).unwrap().hits;
    assert!(hits.len() >= 80, "{}", hits.len());
}

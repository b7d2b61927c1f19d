//! Hostile input (issue 11), as properties: free text typed at the counter, pasted or read
//! from a file never carries a control or invisible format character to the screen, a
//! printout, a message or the audit trail, and text without them is kept exactly as typed
//! (trimmed); the bill file parser survives any bytes; the ID number and credit code checks
//! agree with an implementation of the standards written here, over 100,000 numbers each.
//!
//! The service properties share one station per property (a fresh database for every case
//! would cost more than the case), so they run through a `TestRunner` rather than the
//! `proptest!` macro.
use std::cell::{Cell, RefCell};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use stationdesk::domain::billing::import::{Limits, parse_bill_file};
use stationdesk::domain::customer::{CustomerKind, UsageCategory};
use stationdesk::domain::customer_file::{CustomerDraft, clean_text};
use stationdesk::domain::idcheck;
use stationdesk::domain::validate;
use stationdesk::domain::work_order::{
    ConnectionClass, ContactChannel, Document, OrderState, RequestKind,
};
use stationdesk::service::areas::AreaInput;
use stationdesk::service::orders::{AcceptRequest, Applicant, OrderDetail};
use stationdesk::service::payments::ImportOutcome;
use stationdesk::service::{Service, ServiceError};
use stationdesk::ui::screens::audit::describe_changes;

use crate::common;
use crate::common::billing_env::{self, CHIEF_PASSWORD, CHIEF_USER, ID};

// ---------------------------------------------------------------------------------------
// Generators

/// Terminal escape sequences and other multi-character hostile pieces.
const SEQUENCES: &[&str] = &[
    "\u{1b}[31m",
    "\u{1b}[0m",
    "\u{1b}[2J\u{1b}[H",
    "\u{1b}]52;c;ZXZpbA==\u{7}",
    "\u{1b}]0;标题\u{1b}\\",
    "\u{1b}",
    "\u{1b}[",
    "\u{9b}31m",
    "\r\n",
    "\t",
    // a family: three people joined by U+200D (the joiners are format characters)
    "👨\u{200d}👩\u{200d}👧",
];

/// Plain text that is not Chinese or ASCII: an emoji, a supplementary-plane CJK character,
/// a rare one, the ideographic space (trimmed like any space).
const OTHER_PLAIN: &[&str] = &["😀", "𠮷", "䶮", "\u{3000}", "王\u{3000}五"];

/// Zero-width characters.
const ZERO_WIDTH: &[char] = &['\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}'];

fn char_string(u: u32) -> String {
    char::from_u32(u).map(String::from).unwrap_or_default()
}

/// Ordinary text: Chinese, printable ASCII (with spaces), full-width digits, an emoji, a
/// supplementary-plane CJK character. None of it is a control or format character.
fn plain_piece() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[\u{4e00}-\u{9fa5}]{1,6}",
        2 => "[ -~]{1,8}",
        1 => "[０-９]{1,4}",
        1 => prop::sample::select(OTHER_PLAIN).prop_map(String::from),
    ]
    .boxed()
}

/// One piece of hostile text: an escape sequence, a C0 or C1 control, DEL, a bidi
/// override or isolate, a zero-width character, or ordinary text between them.
fn hostile_piece() -> BoxedStrategy<String> {
    prop_oneof![
        2 => prop::sample::select(SEQUENCES).prop_map(String::from),
        1 => prop_oneof![0u32..=0x1f, Just(0x7f)].prop_map(char_string),
        1 => (0x80u32..=0x9f).prop_map(char_string),
        1 => prop_oneof![0x202au32..=0x202e, 0x2066u32..=0x2069].prop_map(char_string),
        1 => prop::sample::select(ZERO_WIDTH).prop_map(String::from),
        4 => plain_piece(),
    ]
    .boxed()
}

/// Text without control or format characters, at most `max` characters.
fn plain(max: usize) -> BoxedStrategy<String> {
    prop::collection::vec(plain_piece(), 1..8)
        .prop_map(move |v| v.concat().chars().take(max).collect())
        .boxed()
}

/// Hostile text of a few pieces.
fn hostile() -> BoxedStrategy<String> {
    prop::collection::vec(hostile_piece(), 0..10)
        .prop_map(|v| v.concat())
        .boxed()
}

/// Hostile text of thousands of characters.
fn long_hostile() -> BoxedStrategy<String> {
    prop::collection::vec(hostile_piece(), 500..1500)
        .prop_map(|v| v.concat())
        .boxed()
}

/// What a clerk might type into a field of at most `max` characters: plain text that fits,
/// hostile text, or a very long hostile paste.
fn typed(max: usize) -> BoxedStrategy<String> {
    prop_oneof![
        3 => plain(max),
        3 => hostile(),
        1 => long_hostile(),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------
// Checks

/// A character that must never reach a screen, a printout or a log.
fn invisible(c: char) -> bool {
    c.is_control() || validate::is_format_char(c)
}

fn has_invisible(s: &str) -> bool {
    s.chars().any(invisible)
}

/// Plain text that a field of at most `max` characters must accept (`required`: not blank).
fn acceptable(s: &str, max: usize, required: bool) -> bool {
    let t = s.trim();
    !has_invisible(s) && t.chars().count() <= max && !(required && t.is_empty())
}

/// A name field also refuses emoji (names are printed on everything).
fn acceptable_name(s: &str, max: usize, required: bool) -> bool {
    acceptable(s, max, required) && !s.chars().any(validate::is_emoji)
}

/// (a), (c), (d), (e): `text` has no control or format character.
fn visible(what: &str, text: &str) -> Result<(), TestCaseError> {
    match text.chars().find(|c| invisible(*c)) {
        Some(c) => Err(TestCaseError::fail(format!(
            "{what} carries U+{:04X}: {text:?}",
            u32::from(c)
        ))),
        None => Ok(()),
    }
}

/// Every character of `stored` was typed, in order (a tab or line break may become a
/// space): cleaning removes, it never invents.
fn came_from(what: &str, stored: &str, typed: &str) -> Result<(), TestCaseError> {
    let mut source = typed.chars().map(|c| {
        if matches!(c, '\t' | '\n' | '\r') {
            ' '
        } else {
            c
        }
    });
    for c in stored.chars() {
        if !source.by_ref().any(|t| t == c) {
            return Err(TestCaseError::fail(format!(
                "{what}: {stored:?} has {c:?} not typed in that place in {typed:?}"
            )));
        }
    }
    Ok(())
}

/// A stored free-text field: visible, made only of what was typed, and exactly what was
/// typed (trimmed) when that had no control or format character (b).
fn stored_text(what: &str, stored: &str, typed: &str) -> Result<(), TestCaseError> {
    visible(what, stored)?;
    came_from(what, stored, typed)?;
    if !has_invisible(typed) {
        prop_assert_eq!(stored, typed.trim(), "{} not stored as typed", what);
    }
    Ok(())
}

/// (d): the message of a refusal.
fn refusal(e: &ServiceError) -> Result<(), TestCaseError> {
    visible("error message", &e.message())
}

/// How many audit entries there are (to check those appended after).
fn audit_count(svc: &Service) -> i64 {
    svc.audit_page(1, 0).unwrap().0
}

/// (e): the audit entries appended since there were `before`, raw and as the audit screen
/// renders them.
fn audit_visible(svc: &Service, before: i64) -> Result<(), TestCaseError> {
    let new = usize::try_from(audit_count(svc) - before).unwrap();
    if new == 0 {
        return Ok(());
    }
    for e in svc.audit_page(new, 0).unwrap().1 {
        visible("audit changes JSON", &e.changes)?;
        visible("audit screen text", &describe_changes(&e.changes))?;
        visible("audit entity id", &e.entity_id)?;
        visible("audit user", &e.user_name)?;
    }
    Ok(())
}

/// Fails a property none of whose cases reached the store (it would prove nothing).
fn some_stored(stored: &Cell<u32>) {
    assert!(stored.get() > 0, "no case was stored");
}

fn run<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------------------------------
// Pure functions

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// (c) `shown` escapes every control and format character and keeps everything else.
    #[test]
    fn shown_is_visible_and_keeps_plain_text(text in typed(5000)) {
        let out = validate::shown(&text);
        visible("shown", &out)?;
        if !has_invisible(&text) {
            prop_assert_eq!(&out, &text);
        }
        // nothing visible is lost: the visible characters appear in order
        let kept: String = text.chars().filter(|c| !invisible(*c)).collect();
        came_from("shown", &kept, &out)?;
    }

    /// `clean_text` (every free-text field goes through it) leaves no control or format
    /// character, invents nothing and changes nothing in plain text.
    #[test]
    fn clean_text_removes_only_invisible_characters(text in typed(5000)) {
        let out = clean_text(&text);
        visible("clean_text", &out)?;
        came_from("clean_text", &out, &text)?;
        if !has_invisible(&text) {
            prop_assert_eq!(&out, &text);
        }
    }

    /// A name is refused (with a visible message) or kept exactly as typed, trimmed.
    #[test]
    fn names_are_refused_or_kept_as_typed(text in typed(40)) {
        match validate::name(&text, "户名", 40) {
            Ok(v) => {
                visible("name", &v)?;
                prop_assert_eq!(v.as_str(), text.trim());
            }
            Err(e) => {
                visible("name error", &e.to_string())?;
                prop_assert!(!acceptable_name(&text, 40, true), "{:?} refused: {}", text, e);
            }
        }
    }

    /// The audit screen's text of an entry's changes is visible whatever the entry holds:
    /// the trail is append-only, so text stored before a field was cleaned stays there.
    #[test]
    fn audit_changes_render_visible(
        fields in prop::collection::vec((hostile(), hostile(), prop::option::of(hostile())), 0..6),
        raw in hostile(),
    ) {
        let mut map = serde_json::Map::new();
        for (key, new, old) in fields {
            let value = match old {
                Some(old) => serde_json::json!({ "old": old, "new": new }),
                None => serde_json::Value::String(new),
            };
            map.insert(key, value);
        }
        let json = serde_json::Value::Object(map).to_string();
        visible("audit screen text", &describe_changes(&json))?;
        // not JSON at all (a damaged entry)
        visible("audit screen text", &describe_changes(&raw))?;
    }

    /// Any bytes or any text at all: the parser returns, and what it says is visible.
    #[test]
    fn bill_parser_survives_any_bytes(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..4000),
        "(?s).{0,2000}".prop_map(String::into_bytes),
    ]) {
        bill_file_checked(&bytes)?;
    }

    /// A bill file with hostile cells, quotes, invalid UTF-8 and very long lines.
    #[test]
    fn bill_parser_quotes_hostile_files_visibly(bytes in bill_file()) {
        bill_file_checked(&bytes)?;
    }
}

/// Cells of a bill file: good values and values near the edges of each check.
const BILL_CELLS: &[&str] = &[
    "0370000000001",
    "2026-10",
    "202610",
    "2026/1",
    "235",
    "128.53",
    "\"1,205.30\"",
    "2026-11-25",
    "2026/11/25",
    "",
    " ",
    "\"\"",
    "\"a\"\"b\"",
    "\"",
    "9999-99",
    "-1",
    "+5",
    "1e3",
    "0.001",
    "１２３",
    "-0",
    "0000-00",
    "+999-1",
    "-999-1",
    "99999999999999999999999999999999999",
    "0.00000000000000000000000000000000001",
    "2026-02-30",
];

/// A cell of a bill file: good values, numbers near the edges, hostile text, quotes.
fn bill_cell() -> BoxedStrategy<String> {
    prop_oneof![
        2 => prop::sample::select(BILL_CELLS).prop_map(String::from),
        2 => "[0-9.,+-]{0,40}",
        2 => hostile(),
        1 => "\"[^\"]{0,20}\"?",
    ]
    .boxed()
}

/// Bytes of a bill file: a header (right or hostile), rows of cells, CRLF or LF, perhaps a
/// BOM, an invalid UTF-8 byte, a line of tens of thousands of characters.
fn bill_file() -> impl Strategy<Value = Vec<u8>> {
    let header = prop_oneof![
        3 => Just("户号,账期,电量kWh,金额,到期日".to_string()),
        1 => prop::collection::vec(bill_cell(), 0..7).prop_map(|c| c.join(",")),
    ];
    let row = prop::collection::vec(bill_cell(), 0..8).prop_map(|c| c.join(","));
    let long_row = prop_oneof![
        4 => Just(None),
        1 => (hostile_piece(), 2000usize..8000).prop_map(|(p, n)| Some(p.repeat(n))),
    ];
    (
        any::<bool>(),
        header,
        prop::collection::vec(row, 0..12),
        long_row,
        any::<bool>(),
        prop::option::of((any::<prop::sample::Index>(), 0x80u8..=0xff)),
    )
        .prop_map(|(bom, header, rows, long_row, crlf, bad_byte)| {
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut text = if bom {
                "\u{feff}".to_string()
            } else {
                String::new()
            };
            text.push_str(&header);
            for r in rows.iter().chain(long_row.iter()) {
                text.push_str(eol);
                text.push_str(r);
            }
            let mut bytes = text.into_bytes();
            if let Some((at, b)) = bad_byte {
                let i = at.index(bytes.len() + 1);
                bytes.insert(i, b);
            }
            bytes
        })
}

fn bill_file_checked(bytes: &[u8]) -> Result<(), TestCaseError> {
    let limits = Limits {
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default(),
        past_months: 36,
        future_months: 1,
    };
    match parse_bill_file(bytes, &limits) {
        Ok(bills) => prop_assert!(!bills.is_empty()),
        Err(errors) => {
            prop_assert!(!errors.is_empty());
            for e in &errors {
                visible("bill file error", &e.describe())?;
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Through the service, on a temporary database

fn draft(name: &str, address: &str, notes: &str) -> CustomerDraft {
    CustomerDraft {
        name: name.into(),
        kind: Some(CustomerKind::Person),
        id_number: ID.into(),
        phone: "13800001234".into(),
        address: address.into(),
        usage: Some(UsageCategory::Residential),
        contracted_kva: "6".into(),
        notes: notes.into(),
        ..Default::default()
    }
}

/// Customer files: name, address and notes, created and then edited.
#[test]
fn customer_file_text_is_stored_visible() {
    let (e, chief) = common::with_station();
    let e = RefCell::new(e);
    let field = || (typed(40), typed(100), typed(200));
    let stored = Cell::new(0);
    run(64, (field(), field()), |((name, address, notes), edit)| {
        let mut env = e.borrow_mut();
        let svc = &mut env.svc;
        let before = audit_count(svc);
        let ok = acceptable_name(&name, 40, true) && acceptable(&address, 100, false);
        let ok = ok && acceptable(&notes, 200, false);
        let id = match svc.create_customer(&chief, &draft(&name, &address, &notes), "") {
            Ok(id) => id,
            Err(err) => {
                refusal(&err)?;
                prop_assert!(!ok, "plain input refused: {}", err.message());
                return Ok(());
            }
        };
        stored.set(stored.get() + 1);
        let f = svc.customer_file(id).unwrap();
        stored_text("name", &f.name, &name)?;
        stored_text("address", &f.address, &address)?;
        stored_text("notes", &f.notes, &notes)?;
        for (label, value) in f.lines() {
            visible(label, &value)?;
        }
        let d = svc.customer_draft(&chief, id).unwrap();
        stored_text("draft name", &d.name, &name)?;
        stored_text("draft notes", &d.notes, &notes)?;
        audit_visible(svc, before)?;
        // the same file edited
        let (name2, address2, notes2) = edit;
        let ok = acceptable_name(&name2, 40, true) && acceptable(&address2, 100, false);
        let ok = ok && acceptable(&notes2, 200, false);
        match svc.correct_customer(&chief, id, &draft(&name2, &address2, &notes2), "录入错误") {
            Ok(_) => {
                let f = svc.customer_file(id).unwrap();
                stored_text("edited name", &f.name, &name2)?;
                stored_text("edited address", &f.address, &address2)?;
                stored_text("edited notes", &f.notes, &notes2)?;
                audit_visible(svc, before)?;
            }
            Err(err) => {
                refusal(&err)?;
                prop_assert!(!ok, "plain edit refused: {}", err.message());
            }
        }
        for hit in svc.search_customers(&name, 20, 0).unwrap().hits {
            visible("search hit name", &hit.name)?;
            visible("search hit address", &hit.address)?;
        }
        Ok(())
    });
    some_stored(&stored);
}

/// Everything the order page shows is visible.
fn order_visible(d: &OrderDetail) -> Result<(), TestCaseError> {
    visible("order name", &d.name)?;
    visible("order address", &d.address)?;
    visible("order description", &d.description)?;
    visible("order answer", &d.answer)?;
    visible("cancel reason", d.cancel_reason.as_deref().unwrap_or(""))?;
    for s in &d.stages {
        visible("stage notes", &s.notes)?;
    }
    for c in &d.contacts {
        visible("contact", &c.content)?;
    }
    for ev in &d.events {
        visible("order event", &ev.detail)?;
    }
    Ok(())
}

/// Work orders: an applicant's name and address, the request, a contact, the cancel
/// reason, and a 咨询's answer.
#[test]
fn work_order_text_is_stored_visible() {
    let (e, chief) = common::with_station();
    let e = RefCell::new(e);
    let strategy = (
        (typed(40), typed(100), typed(200)),
        (typed(500), typed(200), typed(200)),
    );
    let stored = Cell::new(0);
    run(
        64,
        strategy,
        |((name, address, description), (contact, reason, answer))| {
            let mut env = e.borrow_mut();
            let svc = &mut env.svc;
            let before = audit_count(svc);
            // 咨询: answered and closed at once
            let inquiry = AcceptRequest {
                answer: answer.clone(),
                ..AcceptRequest::new(RequestKind::Inquiry)
            };
            match svc.accept_request(&chief, &inquiry) {
                Ok(a) => {
                    let d = svc.order(a.id).unwrap();
                    stored_text("answer", &d.answer, &answer)?;
                    order_visible(&d)?;
                    audit_visible(svc, before)?;
                }
                Err(err) => {
                    refusal(&err)?;
                    prop_assert!(!acceptable(&answer, 200, true), "{}", err.message());
                }
            }
            // 新装 by a new applicant
            let req = AcceptRequest {
                class: Some(ConnectionClass::LvResidential),
                applicant: Some(Applicant {
                    name: name.clone(),
                    id_number: ID.into(),
                    phone: "13912345678".into(),
                    address: address.clone(),
                }),
                description: description.clone(),
                received: vec![Document::IdProof],
                ..AcceptRequest::new(RequestKind::NewConnection)
            };
            let ok = acceptable_name(&name, 40, true) && acceptable(&address, 100, true);
            let a = match svc.accept_request(&chief, &req) {
                Ok(a) => a,
                Err(err) => {
                    refusal(&err)?;
                    prop_assert!(
                        !(ok && acceptable(&description, 200, false)),
                        "{}",
                        err.message()
                    );
                    return Ok(());
                }
            };
            stored.set(stored.get() + 1);
            let d = svc.order(a.id).unwrap();
            stored_text("applicant name", &d.name, &name)?;
            stored_text("applicant address", &d.address, &address)?;
            stored_text("description", &d.description, &description)?;
            order_visible(&d)?;
            audit_visible(svc, before)?;
            match svc.record_contact(&chief, a.id, ContactChannel::Phone, &contact) {
                Ok(()) => {
                    let d = svc.order(a.id).unwrap();
                    let c = d.contacts.last().unwrap();
                    stored_text("contact", &c.content, &contact)?;
                    audit_visible(svc, before)?;
                }
                Err(err) => {
                    refusal(&err)?;
                    prop_assert!(!acceptable(&contact, 500, true), "{}", err.message());
                }
            }
            match svc.cancel_order(&chief, a.id, &reason) {
                Ok(()) => {
                    let d = svc.order(a.id).unwrap();
                    prop_assert_eq!(d.state, OrderState::Cancelled);
                    stored_text(
                        "cancel reason",
                        d.cancel_reason.as_deref().unwrap(),
                        &reason,
                    )?;
                    order_visible(&d)?;
                    audit_visible(svc, before)?;
                }
                Err(err) => {
                    refusal(&err)?;
                    prop_assert!(!acceptable(&reason, 200, true), "{}", err.message());
                }
            }
            Ok(())
        },
    );
    some_stored(&stored);
}

/// The reasons of a void (作废) and a reversal (红冲), as the receipt shows them.
#[test]
fn void_and_reversal_reasons_are_stored_visible() {
    let (mut e, chief) = common::with_station();
    let (cid, _) = billing_env::customer(&mut e, &chief, "张三", UsageCategory::Residential);
    let e = RefCell::new(e);
    let stored = Cell::new(0);
    run(
        64,
        (typed(200), typed(200)),
        |(void_reason, reverse_reason)| {
            let mut env = e.borrow_mut();
            let before = audit_count(&env.svc);
            let paid = billing_env::pay(&mut env, &chief, cid, "10");
            let svc = &mut env.svc;
            match svc.void_receipt(
                &chief,
                paid.receipt_id,
                CHIEF_USER,
                CHIEF_PASSWORD,
                &void_reason,
            ) {
                Ok(()) => {
                    stored.set(stored.get() + 1);
                    let v = svc.receipt_view(paid.receipt_id).unwrap();
                    stored_text("void reason", &v.void.unwrap().reason, &void_reason)?;
                    audit_visible(svc, before)?;
                }
                Err(err) => {
                    refusal(&err)?;
                    prop_assert!(!acceptable(&void_reason, 200, true), "{}", err.message());
                }
            }
            let paid = billing_env::pay(&mut env, &chief, cid, "10");
            let svc = &mut env.svc;
            match svc.reverse_receipt(
                &chief,
                paid.receipt_id,
                CHIEF_USER,
                CHIEF_PASSWORD,
                &reverse_reason,
            ) {
                Ok(done) => {
                    let v = svc.receipt_view(done.receipt_id).unwrap();
                    let (_, reason) = v.reverses.unwrap();
                    stored_text("reversal reason", &reason, &reverse_reason)?;
                    audit_visible(svc, before)?;
                }
                Err(err) => {
                    refusal(&err)?;
                    prop_assert!(!acceptable(&reverse_reason, 200, true), "{}", err.message());
                }
            }
            Ok(())
        },
    );
    some_stored(&stored);
}

/// The chief's free text: a calendar year's source notice, a holiday's name, text
/// settings; and the messages that quote a setting.
#[test]
fn calendar_and_setting_text_is_stored_visible() {
    let (e, chief) = common::with_station();
    let e = RefCell::new(e);
    let strategy = (2000i32..=2100, typed(20), typed(200), typed(40));
    let stored = Cell::new(0);
    run(64, strategy, |(year, holiday, text, pattern)| {
        let mut env = e.borrow_mut();
        let svc = &mut env.svc;
        let before = audit_count(svc);
        // any text is taken as the source notice
        if let Err(err) = svc.set_calendar_year(&chief, year, &text) {
            return Err(TestCaseError::fail(format!("refused: {}", err.message())));
        }
        let source = svc.calendar_year(year).unwrap().source.unwrap_or_default();
        stored_text("calendar source", &source, &text)?;
        audit_visible(svc, before)?;
        let day = chrono::NaiveDate::from_ymd_opt(year, 10, 1).unwrap();
        let kind = stationdesk::service::calendar::DayKind::Off;
        match svc.set_calendar_day(&chief, day, kind, &holiday) {
            Ok(()) => {
                let days = svc.calendar_year(year).unwrap().days;
                let d = days.iter().find(|d| d.day == day).unwrap();
                stored_text("holiday name", &d.name, &holiday)?;
                audit_visible(svc, before)?;
            }
            Err(err) => {
                refusal(&err)?;
                prop_assert!(!acceptable_name(&holiday, 20, true), "{}", err.message());
            }
        }
        match svc.update_setting(&chief, "print.system_printer", &text) {
            Ok(s) => {
                stored.set(stored.get() + 1);
                stored_text("text setting", &s.value, &text)?;
                audit_visible(svc, before)?;
            }
            Err(err) => {
                refusal(&err)?;
                prop_assert!(!acceptable(&text, 200, false), "{}", err.message());
            }
        }
        // a 户号 rule the chief typed is quoted when a file is opened with it
        match svc.update_setting(&chief, "customer.account_pattern", &pattern) {
            Ok(s) => {
                visible("account pattern", &s.value)?;
                audit_visible(svc, before)?;
                if let Err(err) = svc.create_customer(&chief, &draft("张三", "", ""), "") {
                    refusal(&err)?;
                }
                svc.reset_setting(&chief, "customer.account_pattern")
                    .unwrap();
            }
            Err(err) => refusal(&err)?,
        }
        Ok(())
    });
    some_stored(&stored);
}

/// 台区 names are refused or kept as typed; a manager's name that is not an account is
/// not echoed raw.
#[test]
fn area_text_is_stored_visible() {
    let (e, chief) = common::with_station();
    let e = RefCell::new(e);
    let next = Cell::new(0u32);
    let manager = prop_oneof![Just(String::new()), typed(20)];
    let stored = Cell::new(0);
    run(64, (typed(30), manager), |(name, manager)| {
        let mut env = e.borrow_mut();
        let svc = &mut env.svc;
        let before = audit_count(svc);
        next.set(next.get() + 1);
        let input = AreaInput {
            code: format!("TQ{:04}", next.get()),
            name: name.clone(),
            capacity_kva: "100".into(),
            manager: manager.clone(),
            active: true,
            area_type: None,
        };
        match svc.create_area(&chief, &input) {
            Ok(id) => {
                stored.set(stored.get() + 1);
                let areas = svc.areas().unwrap();
                let a = areas.iter().find(|a| a.id == id).unwrap();
                stored_text("area name", &a.name, &name)?;
                audit_visible(svc, before)?;
            }
            Err(err) => {
                refusal(&err)?;
                let ok = acceptable_name(&name, 30, true) && manager.is_empty();
                prop_assert!(!ok, "{}", err.message());
            }
        }
        Ok(())
    });
    some_stored(&stored);
}

/// Looking up what a customer or clerk typed: a receipt number, a tracking number, a
/// search. The answer never echoes a control or format character.
#[test]
fn lookups_never_echo_invisible_characters() {
    let (mut e, chief) = common::with_station();
    billing_env::customer(&mut e, &chief, "张三", UsageCategory::Residential);
    let e = RefCell::new(e);
    run(128, typed(40), |q| {
        let env = e.borrow();
        let svc = &env.svc;
        if let Err(err) = svc.find_receipt(&q) {
            refusal(&err)?;
        }
        if let Err(err) = svc.order_by_tracking_no(&q) {
            refusal(&err)?;
        }
        for hit in svc.search_customers(&q, 20, 0).unwrap().hits {
            visible("search hit", &hit.name)?;
        }
        Ok(())
    });
}

/// A bill file imported through the service under a hostile file name: the report or
/// every error is visible.
#[test]
fn bill_import_reports_are_visible() {
    let (mut e, chief) = common::with_station();
    let (_, account) = billing_env::customer(&mut e, &chief, "张三", UsageCategory::Residential);
    let e = RefCell::new(e);
    let strategy = (
        typed(60),
        prop::collection::vec(bill_cell(), 0..6),
        1u32..=12,
    );
    let stored = Cell::new(0);
    run(64, strategy, |(file_name, junk, month)| {
        let mut env = e.borrow_mut();
        let svc = &mut env.svc;
        let before = audit_count(svc);
        let mut text = format!(
            "户号,账期,电量kWh,金额,到期日\n{account},2026-{month:02},235,128.53,2027-01-25\n"
        );
        if !junk.is_empty() {
            text.push_str(&junk.join(","));
        }
        match svc.import_bills(None, &file_name, text.as_bytes()).unwrap() {
            ImportOutcome::Imported(report) => {
                stored.set(stored.get() + 1);
                visible("import report", &report.describe())?;
                audit_visible(svc, before)?;
            }
            ImportOutcome::Rejected(errors) => {
                for err in &errors {
                    visible("import error", &err.describe())?;
                }
            }
        }
        Ok(())
    });
    some_stored(&stored);
}

// ---------------------------------------------------------------------------------------
// ID numbers and credit codes against the standards

/// xorshift64*: a fixed sequence, so every run checks the same numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

const COUNT: usize = 100_000;

/// GB 11643-1999: check character of the first 17 digits.
fn gb11643_check(first17: &[u8]) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const MAP: [u8; 11] = *b"10X98765432";
    let sum: u32 = first17
        .iter()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    char::from(MAP[(sum % 11) as usize])
}

fn leap(y: u32) -> bool {
    (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400)
}

fn month_days(y: u32, m: u32) -> u32 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Province codes of mainland ID numbers (and 81–83 for residence permits).
const PROVINCE: [u32; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

#[test]
fn id_card_check_characters_agree_with_gb11643() {
    let mut rng = Rng(0x5eed_1164_3199_9001);
    let all_checks = b"0123456789X";
    for _ in 0..COUNT {
        // any 17 digits: the check character alone
        let any: Vec<u8> = (0..17).map(|_| b'0' + rng.below(10) as u8).collect();
        let any = String::from_utf8(any).unwrap();
        assert_eq!(
            idcheck::id_card_check_char(&any),
            Some(gb11643_check(any.as_bytes())),
            "{any}"
        );
        // a real-looking number: province, area, birth date, sequence
        let y = 1900 + rng.below(200) as u32;
        let m = 1 + rng.below(12) as u32;
        let d = 1 + rng.below(u64::from(month_days(y, m))) as u32;
        let first17 = format!(
            "{:02}{:04}{y:04}{m:02}{d:02}{:03}",
            rng.pick(&PROVINCE),
            rng.below(10_000),
            rng.below(1000)
        );
        let check = gb11643_check(first17.as_bytes());
        let id = format!("{first17}{check}");
        assert_eq!(idcheck::check_id_card(&id), Ok(()), "{id}");
        assert_eq!(
            idcheck::check_id_card(&id.to_ascii_lowercase()),
            Ok(()),
            "{id} with a small x"
        );
        // every other check character is refused, for its check character
        let wrong = loop {
            let c = char::from(rng.pick(all_checks));
            if c != check {
                break c;
            }
        };
        assert_eq!(
            idcheck::check_id_card(&format!("{first17}{wrong}")),
            Err("身份证号码校验码不对"),
            "{first17}{wrong}"
        );
    }
}

/// GB 32100-2015: the 31 characters of a credit code, by value.
const USCC: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

fn gb32100_check(first17: &[u8]) -> char {
    const W: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let sum: u32 = first17
        .iter()
        .zip(W)
        .map(|(c, w)| USCC.iter().position(|a| a == c).unwrap() as u32 * w)
        .sum();
    char::from(USCC[((31 - sum % 31) % 31) as usize])
}

#[test]
fn credit_code_check_characters_agree_with_gb32100() {
    let mut rng = Rng(0x5eed_3210_0201_5001);
    for _ in 0..COUNT {
        // any 17 characters of the alphabet: the check character alone
        let any: Vec<u8> = (0..17).map(|_| rng.pick(USCC)).collect();
        let any = String::from_utf8(any).unwrap();
        assert_eq!(
            idcheck::uscc_check_char(&any),
            Some(gb32100_check(any.as_bytes())),
            "{any}"
        );
        // a real-looking code: two characters, a 6-digit area code, a 9-character body
        let mut code: Vec<u8> = Vec::with_capacity(18);
        code.extend((0..2).map(|_| rng.pick(USCC)));
        code.extend((0..6).map(|_| b'0' + rng.below(10) as u8));
        code.extend((0..9).map(|_| rng.pick(USCC)));
        let check = gb32100_check(&code);
        let first17 = String::from_utf8(code).unwrap();
        let full = format!("{first17}{check}");
        assert_eq!(idcheck::check_uscc(&full), Ok(()), "{full}");
        assert_eq!(
            idcheck::check_uscc(&full.to_ascii_lowercase()),
            Ok(()),
            "{full} in small letters"
        );
        let wrong = loop {
            let c = char::from(rng.pick(USCC));
            if c != check {
                break c;
            }
        };
        assert_eq!(
            idcheck::check_uscc(&format!("{first17}{wrong}")),
            Err("统一社会信用代码校验码不对"),
            "{first17}{wrong}"
        );
        // a letter the code never uses, anywhere
        let mut bad = full.into_bytes();
        let at = rng.below(18) as usize;
        bad[at] = rng.pick(b"IOZSV");
        let bad = String::from_utf8(bad).unwrap();
        assert!(idcheck::check_uscc(&bad).is_err(), "{bad}");
        if at < 17 {
            assert_eq!(idcheck::uscc_check_char(&bad[..17]), None, "{bad}");
        }
    }
}

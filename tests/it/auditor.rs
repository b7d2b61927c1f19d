//! Issue 16: the auditor (稽查员) sees everything and changes nothing. Every public service
//! that takes `&mut self` and a session is called here as an auditor and must be refused
//! with `ServiceError::Denied`; the list is checked against the source, so a new writing
//! service without its role check (or without a line here) fails this test.
use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use stationdesk::domain::billing::{PayMethod, Period};
use stationdesk::domain::calendar::DayKind;
use stationdesk::domain::case::AreaType;
use stationdesk::domain::customer::UsageCategory;
use stationdesk::domain::customer_file::CustomerDraft;
use stationdesk::domain::deadline::PauseCause;
use stationdesk::domain::file_change::ChangeInput;
use stationdesk::domain::meter::MeterStatus;
use stationdesk::domain::meter_intake::ReceiveInput;
use stationdesk::domain::reading::ReadingKind;
use stationdesk::domain::role::Role;
use stationdesk::domain::work_order::{ContactChannel, Document, RequestKind, Stage};
use stationdesk::service::areas::AreaInput;
use stationdesk::service::assessment::RuleInput;
use stationdesk::service::auth::NewAccount;
use stationdesk::service::cases::{CaseInput, StepInput, VisitInput};
use stationdesk::service::collection::ReminderScope;
use stationdesk::service::meter_checks::CheckInput;
use stationdesk::service::meters::SwapInput;
use stationdesk::service::orders::AcceptRequest;
use stationdesk::service::payments::{Payer, PaymentRequest, standard_denominations};
use stationdesk::service::readings::ReadingEntry;
use stationdesk::service::readings::notes::NoteInput;
use stationdesk::service::setup::StationProfile;
use stationdesk::service::{Service, ServiceError, Session};

use crate::common::billing_env;

type Call = Box<dyn Fn(&mut Service, &Session) -> Result<(), ServiceError>>;

macro_rules! calls {
    ($( $name:ident ( $($arg:expr),* ) ;)*) => {
        vec![$(
            (
                stringify!($name),
                Box::new(|svc: &mut Service, a: &Session| svc.$name(a $(, $arg)*).map(|_| ()))
                    as Call,
            )
        ),*]
    };
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn period() -> Period {
    Period::parse("2026-11").unwrap()
}

/// Every service that writes, called with harmless arguments: the role check comes first.
fn writing_services() -> Vec<(&'static str, Call)> {
    calls! {
        load_demo_data(30, 7);
        create_account(&NewAccount::default());
        reset_password(1, "pass-word2");
        set_account_active(1, false);
        create_area(&AreaInput::default());
        update_area(1, &AreaInput::default());
        confirm_assessment_entry(1);
        waive_assessment_entry(1, "原因");
        reopen_assessment_entry(1, "原因");
        update_assessment_rule(1, &RuleInput::default());
        clear_calendar_day(day());
        clear_calendar_days(day(), day());
        set_calendar_day(day(), DayKind::ALL[0], "节日");
        set_calendar_days(day(), day(), DayKind::ALL[0], "节日");
        set_calendar_year(2027, "通知");
        dispatch_case(1, "yingye1", "");
        record_case_step(1, &StepInput::default());
        record_case_visit(1, &VisitInput::default());
        set_area_type(1, AreaType::ALL[0]);
        log_case(&CaseInput::default());
        record_disconnection(1, "原因");
        reconnect_if_paid(1);
        reconnect(1);
        mark_arrears(1, true, "原因");
        print_reminders(ReminderScope::Customer(1));
        print_disconnect_notice(1);
        create_customer(&CustomerDraft::default(), "");
        update_customer(1, &CustomerDraft::default());
        correct_customer(1, &CustomerDraft::default(), "更正");
        set_tariff_category(1, Some(UsageCategory::Commercial), "原因");
        reveal_customer_contact(1, "原因");
        pause_order(1, PauseCause::ALL[0], "原因", day());
        resume_order(1, day());
        record_meter_check(1, &CheckInput::default());
        receive_meters(&ReceiveInput::default());
        import_meters_file("/nonexistent.csv");
        import_meters_csv(b"", "a.csv");
        change_meter_status(1, MeterStatus::ALL[0], "原因");
        extend_meter_batch(None, Some(2020), "2", "文号");
        print_swap_slip(1);
        swap_meter(&SwapInput::default());
        accept_request(&AcceptRequest::new(RequestKind::ALL[0]));
        accept_request_with_change(&AcceptRequest::new(RequestKind::ALL[0]), &ChangeInput::default());
        add_fee(1, "费用", Decimal::ONE);
        cancel_order(1, "原因");
        set_fast_channel(1, true, "原因");
        dispatch_order(1, 1);
        complete_stage(1, Stage::ALL[0], "");
        record_contact(1, ContactChannel::ALL[0], "内容");
        supply_document(1, Document::ALL[0]);
        check_chief_approval("suozhang", "secret99", "作废");
        void_receipt(1, "suozhang", "secret99", "原因");
        reverse_receipt(1, "suozhang", "secret99", "原因");
        waive_late_fee(1, "原因");
        declare_outage(day(), day(), "原因");
        close_day(day(), &standard_denominations(), "");
        record_day_end_print(1);
        print_receipt(1, false);
        print_day_end(1);
        record_receipt_print(1);
        record_recovered_receipt_print(1);
        receipt_for_print(1, false);
        take_payment(&PaymentRequest {
            payer: Payer::Customer(1),
            amount: Decimal::ONE,
            method: PayMethod::Cash,
            reference: String::new(),
            tendered: None,
            request_key: "k".into(),
        });
        collect_fee(1);
        compute_bills(period(), None);
        decide_flag(1, true, "已核实");
        release_book(1, period());
        explain_line_loss(1, period(), "原因");
        set_reading_book(1, "taiqu1", "5");
        record_reading(&ReadingEntry {
            meter_id: 1,
            period: period(),
            kind: ReadingKind::Actual,
            value: "1".into(),
            reason: String::new(),
            rollover: false,
        });
        import_readings_file("/nonexistent.csv");
        import_readings_csv(b"", "a.csv");
        add_reading_note(&NoteInput::default());
        pass_note_on(1, "yingye1", "3");
        message_feedback(1, "已处理", "");
        record_spot_check("TQ001", "", None, "");
        propose_rotation_plan("2027");
        move_rotation_items(2027, &[1], "3");
        approve_rotation_plan(2027);
        report_rotation_meter(2027, "3710000001", "原因");
        update_setting("bill.due_days", "20");
        reset_setting("bill.due_days");
        update_station(&StationProfile::default());
        print_slip(1);
        print_key_sheet();
        record_fix(1, "已整改");
    }
    .into_iter()
    .chain([
        // the services the command line also calls without a session
        (
            "import_bills",
            Box::new(|svc: &mut Service, a: &Session| {
                svc.import_bills(Some(a), "a.csv", b"").map(|_| ())
            }) as Call,
        ),
        (
            "export_bundle",
            Box::new(|svc: &mut Service, a: &Session| {
                svc.export_bundle(Some(a), std::path::Path::new("/nonexistent"))
                    .map(|_| ())
            }) as Call,
        ),
        (
            "confirm_bundle",
            Box::new(|svc: &mut Service, a: &Session| {
                svc.confirm_bundle(Some(a), "WZ01-000001").map(|_| ())
            }) as Call,
        ),
        (
            "import_customers",
            Box::new(|svc: &mut Service, a: &Session| {
                svc.import_customers(Some(a), "a.csv", b"").map(|_| ())
            }) as Call,
        ),
        (
            "import_meter_assets",
            Box::new(|svc: &mut Service, a: &Session| {
                svc.import_meter_assets(Some(a), "a.csv", b"").map(|_| ())
            }) as Call,
        ),
    ])
    .collect()
}

/// What an auditor may do that takes `&mut self`: their own session, and printouts or
/// exports of what is there (recorded in the audit trail, no business data changed).
const AUDITOR_MAY: &[(&str, &str)] = &[
    ("sign_out", "their own session"),
    ("unlock", "their own session"),
    ("change_own_password", "their own password"),
    (
        "print_assessment_summary",
        "a printout of the month's assessment",
    ),
    (
        "export_assessment_csv",
        "an export of the month's assessment",
    ),
    ("print_duty_log", "a printout of the duty log"),
    ("print_case_report", "a printout of the month's cases"),
    ("export_case_report_csv", "an export of the month's cases"),
    ("print_rotation_lists", "a printout of the rotation lists"),
    ("export_rotation_csv", "an export of the rotation plan"),
    (
        "print_audit_report",
        "a printout of the month's audit report",
    ),
    (
        "export_report",
        "the station report (PDF, xlsx, CSV) of what exists",
    ),
    ("record_finding", "the auditor's own finding (限期整改)"),
    ("decide_fix", "the auditor's acceptance or return of a fix"),
];

/// `pub fn NAME(&mut self, x: &Session …` anywhere under `src/` outside the screens.
fn services_in_source() -> BTreeSet<String> {
    let re_start = "pub fn ";
    let mut out = BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                if !p.ends_with("ui") && !p.ends_with("bench") {
                    stack.push(p);
                }
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for (i, _) in flat.match_indices(re_start) {
                let rest = &flat[i + re_start.len()..];
                let Some(open) = rest.find('(') else { continue };
                let name = &rest[..open];
                let name = name.split('<').next().unwrap_or(name);
                let args = &rest[open + 1..];
                let Some(args) = args.trim_start().strip_prefix("&mut self,") else {
                    continue;
                };
                let first = args.split(',').next().unwrap_or("");
                let first = first.split(')').next().unwrap_or("");
                if first.contains("&Session") || first.contains("&mut Session") {
                    out.insert(name.to_string());
                }
            }
        }
    }
    out
}

#[test]
fn every_writing_service_refuses_the_auditor() {
    let mut b = billing_env::bench();
    let auditor = billing_env::account(&mut b.e, &b.chief, "jicha9", Role::Auditor);
    let calls = writing_services();
    let covered: BTreeSet<String> = calls
        .iter()
        .map(|(n, _)| n.to_string())
        .chain(AUDITOR_MAY.iter().map(|(n, _)| n.to_string()))
        .collect();
    let found = services_in_source();
    let missing: Vec<_> = found.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "services taking a session not called here as an auditor: {missing:?}"
    );
    let stale: Vec<_> = covered.difference(&found).collect();
    assert!(stale.is_empty(), "no such service any more: {stale:?}");
    assert!(calls.len() > 80, "{}", calls.len());
    let before: i64 =
        b.e.svc
            .store()
            .conn()
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
            .unwrap();
    let mut wrong = Vec::new();
    for (name, call) in &calls {
        match call(&mut b.e.svc, &auditor) {
            Err(ServiceError::Denied(m)) => {
                assert!(m.contains("只能查看") || m.contains("只有"), "{name}: {m}");
            }
            other => wrong.push(format!("{name}: {other:?}")),
        }
    }
    assert!(
        wrong.is_empty(),
        "not refused to the auditor:\n{}",
        wrong.join("\n")
    );
    let after: i64 =
        b.e.svc
            .store()
            .conn()
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
            .unwrap();
    assert_eq!(before, after, "nothing written for the refused calls");
}

//! Station reports on a station whose every figure is known: payments of two cashiers by
//! three methods, a void, a reversal, bills of one 台区, work orders kept and late. The
//! figures are checked on the typed report, then read back from the PDF (text), the .xlsx
//! (calamine: number, date and text cells) and the CSV; a customer named `=SUM(A1)` stays
//! text in every file; the command line refuses a bad kind, month or path in Chinese.
use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::NaiveDate;
use stationdesk::domain::billing::{PayMethod, Period};
use stationdesk::domain::customer::{CustomerKind, UsageCategory};
use stationdesk::domain::customer_file::CustomerDraft;
use stationdesk::domain::work_order::{ConnectionClass, Document, RequestKind, Stage};
use stationdesk::export::Format;
use stationdesk::service::areas::AreaInput;
use stationdesk::service::orders::{AcceptRequest, Applicant};
use stationdesk::service::payments::Payer;
use stationdesk::service::reports::{ReportScope, StationReport};

use crate::common::billing_env::{
    Bench, CHIEF_PASSWORD, CHIEF_USER, ID, bench, bill, import, request, yuan,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(b: &Bench, day: NaiveDate, hour: u32) {
    b.e.clock.set(day.and_hms_opt(hour, 0, 0).unwrap());
}

fn customer_in_area(b: &mut Bench, name: &str) -> (i64, String) {
    let draft = CustomerDraft {
        name: name.into(),
        kind: Some(CustomerKind::Person),
        id_number: ID.into(),
        phone: "13800001234".into(),
        address: "柳林镇王庄村3组8号".into(),
        usage: Some(UsageCategory::Residential),
        contracted_kva: "6".into(),
        area_code: "TQ001".into(),
        ..Default::default()
    };
    let id = b.e.svc.create_customer(&b.chief, &draft, "").unwrap();
    let account = stationdesk::store::customers::by_id(b.e.svc.store().conn(), id)
        .unwrap()
        .unwrap()
        .account_no;
    (id, account)
}

fn new_lv(name: &str) -> AcceptRequest {
    AcceptRequest {
        class: Some(ConnectionClass::LvResidential),
        applicant: Some(Applicant {
            name: name.into(),
            id_number: ID.into(),
            phone: "13912345678".into(),
            address: "柳林镇东村5号".into(),
        }),
        area_code: "TQ001".into(),
        received: vec![Document::IdProof],
        ..AcceptRequest::new(RequestKind::NewConnection)
    }
}

/// A 新装 accepted on `on`, energised on `energised` and filed the same day.
fn finished_order(b: &mut Bench, name: &str, on: NaiveDate, energised: NaiveDate) {
    at(b, on, 9);
    let id = b.e.svc.accept_request(&b.chief, &new_lv(name)).unwrap().id;
    at(b, on.succ_opt().unwrap(), 10);
    b.e.svc
        .complete_stage(&b.chief, id, Stage::Survey, "")
        .unwrap();
    at(b, energised, 10);
    for doc in b.e.svc.order(id).unwrap().missing_documents() {
        b.e.svc.supply_document(&b.chief, id, doc).unwrap();
    }
    b.e.svc
        .complete_stage(&b.chief, id, Stage::Energize, "")
        .unwrap();
    b.e.svc
        .complete_stage(&b.chief, id, Stage::Archive, "")
        .unwrap();
}

/// The station of these tests, on 2026-11-24 at 17:00 (its figures are in the comments).
pub fn station() -> Bench {
    let mut b = bench();
    b.e.svc
        .create_area(
            &b.chief,
            &AreaInput {
                code: "TQ001".into(),
                name: "王庄1号台区".into(),
                capacity_kva: "315".into(),
                manager: String::new(),
                active: true,
                area_type: None,
            },
        )
        .unwrap();
    // work orders: one kept (due 11-09, energised 11-05), one late (energised 11-20), an
    // inquiry (no limit), one still open
    finished_order(&mut b, "王三", d(2026, 11, 2), d(2026, 11, 5));
    finished_order(&mut b, "王四", d(2026, 11, 2), d(2026, 11, 20));
    at(&b, d(2026, 11, 10), 9);
    b.e.svc
        .accept_request(
            &b.chief,
            &AcceptRequest {
                answer: "电价按居民合表执行".into(),
                description: "问电价".into(),
                ..AcceptRequest::new(RequestKind::Inquiry)
            },
        )
        .unwrap();
    at(&b, d(2026, 11, 23), 9);
    b.e.svc.accept_request(&b.chief, &new_lv("王五")).unwrap();

    at(&b, d(2026, 11, 24), 9);
    let (a, acc_a) = customer_in_area(&mut b, "张三");
    let (bb, acc_b) = customer_in_area(&mut b, "=SUM(A1)");
    let (c, acc_c) = customer_in_area(&mut b, "李四");
    // bills of October: 230.00 in all
    import(
        &mut b.e,
        &[
            bill(&acc_a, "2026-10", 180, "100.00", "2026-12-10"),
            bill(&acc_b, "2026-10", 90, "50.00", "2026-12-10"),
            bill(&acc_c, "2026-10", 150, "80.00", "2026-12-10"),
        ],
    );
    at(&b, d(2026, 11, 24), 10);
    let pay = |b: &mut Bench, clerk: bool, who: i64, amount: &str, m: PayMethod| {
        let s = if clerk {
            b.clerk.clone()
        } else {
            b.chief.clone()
        };
        b.e.svc
            .take_payment(&s, &request(Payer::Customer(who), amount, m))
            .unwrap()
    };
    // the clerk: A 100.00 cash; B 30.00 mobile, voided; B 50.00 cash; C 80.00 cash,
    // reversed (-80.00)
    pay(&mut b, true, a, "100.00", PayMethod::Cash);
    let wrong = pay(&mut b, true, bb, "30.00", PayMethod::Mobile);
    let clerk = b.clerk.clone();
    b.e.svc
        .void_receipt(
            &clerk,
            wrong.receipt_id,
            CHIEF_USER,
            CHIEF_PASSWORD,
            "收错户",
        )
        .unwrap();
    pay(&mut b, true, bb, "50.00", PayMethod::Cash);
    let back = pay(&mut b, true, c, "80.00", PayMethod::Cash);
    b.e.svc
        .reverse_receipt(
            &clerk,
            back.receipt_id,
            CHIEF_USER,
            CHIEF_PASSWORD,
            "重复缴费退回",
        )
        .unwrap();
    // the chief: C 20.00 by card
    pay(&mut b, false, c, "20.00", PayMethod::Card);
    at(&b, d(2026, 11, 24), 17);
    b
}

fn method_row(r: &StationReport, m: PayMethod) -> (i64, i64, i64, i64) {
    r.collections
        .iter()
        .filter(|c| c.method == m)
        .fold((0, 0, 0, 0), |a, c| {
            (
                a.0 + c.received,
                a.1 + c.received_fen,
                a.2 + c.reversed,
                a.3 + c.reversed_fen,
            )
        })
}

fn check_figures(r: &StationReport) {
    assert_eq!(method_row(r, PayMethod::Cash), (3, 23000, 1, -8000));
    assert_eq!(method_row(r, PayMethod::Card), (1, 2000, 0, 0));
    assert_eq!(
        method_row(r, PayMethod::Mobile),
        (0, 0, 0, 0),
        "the voided receipt does not count"
    );
    assert_eq!(r.received(), yuan("250.00"));
    assert_eq!(r.reversed(), yuan("-80.00"));
    assert_eq!(r.net(), yuan("170.00"));
    assert_eq!(r.paid_for.principal, 17000);
    let clerk: Vec<_> = r
        .collections
        .iter()
        .filter(|c| c.cashier == "员工clerk1")
        .collect();
    assert_eq!(clerk.iter().map(|c| c.received_fen).sum::<i64>(), 23000);
    assert_eq!(r.corrections.len(), 2, "{:?}", r.corrections);
    let void = r.corrections.iter().find(|c| !c.reversal).unwrap();
    assert_eq!(void.customer, "=SUM(A1)");
    assert_eq!(void.amount_fen, 3000);
    assert_eq!(void.reason, "收错户");
    assert_eq!(void.approver, "李建国");
    assert_eq!(r.arrears.billed, yuan("230.00"));
    assert_eq!(r.arrears.paid, yuan("170.00"));
    assert_eq!(r.arrears.owed(), yuan("60.00"));
    assert_eq!(r.recovery.period, Period::parse("2026-10").unwrap());
    assert_eq!(r.recovery.billed(), yuan("230.00"));
    assert_eq!(r.recovery.collected(), yuan("170.00"));
    assert_eq!(r.recovery.rate(), Some(yuan("73.91")));
}

#[test]
fn the_figures_of_a_day_and_of_a_month() {
    let mut b = station();
    let day =
        b.e.svc
            .station_report(ReportScope::Day(d(2026, 11, 24)), "李建国")
            .unwrap();
    check_figures(&day);
    // the day saw no order closed
    let new = day
        .orders
        .iter()
        .find(|o| o.kind == RequestKind::NewConnection)
        .unwrap();
    assert_eq!((new.accepted, new.completed, new.open_at_end), (0, 0, 1));
    assert!(day.assessment.is_none() && day.readings.is_none());

    let month =
        b.e.svc
            .station_report(
                ReportScope::Month(Period::parse("2026-11").unwrap()),
                "李建国",
            )
            .unwrap();
    check_figures(&month);
    let new = month
        .orders
        .iter()
        .find(|o| o.kind == RequestKind::NewConnection)
        .unwrap();
    assert_eq!(
        (
            new.accepted,
            new.completed,
            new.open_at_end,
            new.kept,
            new.late
        ),
        (3, 2, 1, 1, 1)
    );
    assert_eq!(new.kept_rate(), Some(yuan("50.00")));
    let inquiry = month
        .orders
        .iter()
        .find(|o| o.kind == RequestKind::Inquiry)
        .unwrap();
    assert_eq!((inquiry.completed, inquiry.kept, inquiry.late), (1, 0, 0));
    assert_eq!(inquiry.kept_rate(), None, "no limit: not counted");
    assert!(month.assessment.is_some() && month.readings.is_some());
    // October: nothing happened
    let oct =
        b.e.svc
            .station_report(
                ReportScope::Month(Period::parse("2026-10").unwrap()),
                "李建国",
            )
            .unwrap();
    assert_eq!(oct.net(), yuan("0"));
    assert!(oct.orders.is_empty());
    assert_eq!(oct.arrears.owed(), yuan("0"));
}

fn pdf_text(path: &Path) -> String {
    let doc = lopdf::Document::load(path).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap().replace('\n', "")
}

/// The row of `sheet` whose first cell is `first`.
fn xlsx_row(
    book: &mut Xlsx<std::io::BufReader<std::fs::File>>,
    sheet: &str,
    first: &str,
) -> Vec<Data> {
    let range = book.worksheet_range(sheet).unwrap();
    range
        .rows()
        .find(|r| {
            r.first()
                .is_some_and(|c| matches!(c, Data::String(s) if s == first))
        })
        .unwrap_or_else(|| panic!("{sheet}: no row {first}"))
        .to_vec()
}

#[test]
fn the_files_read_back_the_same_figures() {
    let mut b = station();
    let chief = b.chief.clone();
    let month = ReportScope::Month(Period::parse("2026-11").unwrap());
    let files =
        b.e.svc
            .export_report(&chief, month, &[Format::Pdf, Format::Xlsx, Format::Csv])
            .unwrap();
    assert_eq!(files.paths.len(), 3);
    let names: Vec<String> = files
        .paths
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "营业月报-2026-11.pdf",
            "营业月报-2026-11.xlsx",
            "营业月报-2026-11.csv"
        ]
    );
    let print = b.e.svc.print_folder().unwrap();
    assert!(files.paths.iter().all(|p| p.starts_with(&print)));

    // PDF: the text of the figures
    let text = pdf_text(&files.paths[0]);
    for want in [
        "供电所营业月报",
        "王庄供电所",
        "员工clerk1",
        "230.00",
        "-80.00",
        "170.00",
        "=SUM(A1)",
        "收错户",
        "73.91%",
        "50.00%",
        "欠费余额",
        "60.00",
    ] {
        assert!(text.contains(want), "PDF lacks {want}: {text}");
    }

    // Excel: numbers are numbers, days are dates, the formula-like name is text
    let mut book: Xlsx<_> = open_workbook(&files.paths[1]).unwrap();
    let sheets = book.sheet_names();
    assert_eq!(sheets[0], "说明");
    for s in [
        "收费·按方式",
        "收费·按收费员",
        "作废与红冲",
        "欠费余额",
        "电费回收",
        "工单",
    ] {
        assert!(sheets.iter().any(|n| n == s), "sheet {s} in {sheets:?}");
    }
    let cash = xlsx_row(&mut book, "收费·按方式", "现金");
    assert_eq!(
        cash[1..],
        [
            Data::Float(3.0),
            Data::Float(230.0),
            Data::Float(1.0),
            Data::Float(-80.0),
            Data::Float(150.0)
        ]
    );
    let clerk = xlsx_row(&mut book, "收费·按收费员", "员工clerk1");
    assert_eq!(clerk[7], Data::Float(1.0), "one void");
    let void = xlsx_row(
        &mut book,
        "作废与红冲",
        &b_receipt_no(&files.paths[2], "作废"),
    );
    match &void[1] {
        Data::DateTime(dt) => assert_eq!(
            dt.as_datetime().unwrap().date(),
            d(2026, 11, 24),
            "a date cell"
        ),
        other => panic!("营业日 should be a date cell: {other:?}"),
    }
    assert_eq!(void[4], Data::String("=SUM(A1)".into()));
    assert_eq!(void[5], Data::Float(30.0));
    let formulas = book.worksheet_formula("作废与红冲").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula anywhere"
    );
    let owed = xlsx_row(&mut book, "欠费余额", "欠费余额");
    assert_eq!(owed[1], Data::Float(60.0));
    let rate = xlsx_row(&mut book, "电费回收", "合计");
    match rate[5] {
        Data::Float(f) => assert!((f - 0.7391).abs() < 1e-9, "{f}"),
        ref other => panic!("rate should be a number: {other:?}"),
    }
    let new = xlsx_row(&mut book, "工单", "新装");
    assert_eq!(new[5..7], [Data::Float(1.0), Data::Float(1.0)]);

    // CSV: BOM, the same lines, the name defused
    let csv = std::fs::read(&files.paths[2]).unwrap();
    assert!(csv.starts_with("\u{feff}".as_bytes()), "BOM");
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.contains("\r\n现金,3,230.00,1,-80.00,150.00\r\n"),
        "{csv}"
    );
    assert!(csv.contains(",'=SUM(A1),30.00,"), "{csv}");
    assert!(!csv.contains(",=SUM"), "{csv}");
    assert!(csv.contains("\r\n欠费余额,60.00\r\n"), "{csv}");
    assert!(csv.contains(",73.91%"), "{csv}");

    // one audit entry naming the three files
    let (action, changes): (String, String) =
        b.e.svc
            .store()
            .conn()
            .query_row(
                "SELECT action, changes FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
    assert_eq!(action, "report.export");
    assert!(changes.contains("营业月报-2026-11.xlsx"), "{changes}");
}

/// The receipt number of the first CSV line of kind `kind` (作废 / 红冲).
fn b_receipt_no(csv: &Path, kind: &str) -> String {
    let text = std::fs::read_to_string(csv).unwrap();
    text.lines()
        .find(|l| l.split(',').nth(2) == Some(kind))
        .and_then(|l| l.split(',').next())
        .unwrap()
        .to_string()
}

#[test]
fn an_auditor_may_make_a_report_and_a_future_month_is_refused() {
    let mut b = station();
    let auditor = crate::common::billing_env::account(
        &mut b.e,
        &b.chief,
        "jicha",
        stationdesk::domain::role::Role::Auditor,
    );
    let day = ReportScope::Day(d(2026, 11, 24));
    let files =
        b.e.svc
            .export_report(&auditor, day, &[Format::Csv])
            .unwrap();
    assert!(files.paths[0].ends_with("营业日报-2026-11-24.csv"));
    let e =
        b.e.svc
            .export_report(
                &auditor,
                ReportScope::Month(Period::parse("2026-12").unwrap()),
                &[Format::Pdf],
            )
            .unwrap_err();
    assert!(e.message().contains("还没到"), "{}", e.message());
}

fn cli(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_stationdesk"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("STATIONDESK_DATA_DIR")
        .output()
        .unwrap()
}

#[test]
fn the_command_line_writes_a_report_and_refuses_bad_words_in_chinese() {
    let b = station();
    let dir = b.e.dir.path().to_path_buf();
    let out = dir.join("月报.xlsx");
    let o = cli(
        &dir,
        &[
            "report",
            "monthly",
            "--month",
            "2026-11",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("已生成营业月报"));
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let cash = xlsx_row(&mut book, "收费·按方式", "现金");
    assert_eq!(cash[5], Data::Float(150.0));
    // again to the same name: replaced, not refused
    let o = cli(
        &dir,
        &[
            "report",
            "monthly",
            "--month",
            "2026-11",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success());
    // a daily CSV by --format into the print folder
    let o = cli(
        &dir,
        &["report", "daily", "--day", "2026-11-24", "--format", "csv"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(dir.join("print").join("营业日报-2026-11-24.csv").exists());
    // three files from one run (gathered once), and all three into the print folder
    let named: Vec<String> = ["pdf", "xlsx", "csv"]
        .iter()
        .map(|e| dir.join(format!("三种.{e}")).display().to_string())
        .collect();
    let o = cli(
        &dir,
        &[
            "report", "monthly", "--month", "2026-11", "--out", &named[0], "--out", &named[1],
            "--out", &named[2],
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 3);
    assert!(named.iter().all(|n| Path::new(n).exists()));
    assert!(pdf_text(Path::new(&named[0])).contains("150.00"));
    let o = cli(
        &dir,
        &["report", "monthly", "--month", "2026-11", "--format", "all"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for e in ["pdf", "xlsx", "csv"] {
        assert!(
            dir.join("print")
                .join(format!("营业月报-2026-11.{e}"))
                .exists(),
            "{e}"
        );
    }

    let refused = |args: &[&str], needle: &str| {
        let o = cli(&dir, args);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(!o.status.success(), "{args:?} should fail");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(err.starts_with("错误："), "{err}");
        assert!(
            !err.contains("panicked") && !err.contains("error:"),
            "{err}"
        );
    };
    refused(
        &["report", "weekly", "--month", "2026-11"],
        "未知的报表种类“weekly”",
    );
    refused(
        &["report", "monthly", "--month", "2026-13"],
        "月份“2026-13”不对",
    );
    refused(&["report", "monthly", "--month", "11/2026x"], "YYYY-MM");
    refused(&["report", "monthly"], "月报须用 --month");
    refused(
        &["report", "daily", "--day", "2026-11-31"],
        "日期“2026-11-31”不对",
    );
    refused(&["report", "monthly", "--month", "2027-01"], "还没到");
    let nowhere = dir.join("no-such-folder").join("月报.pdf");
    refused(
        &[
            "report",
            "monthly",
            "--month",
            "2026-11",
            "--out",
            nowhere.to_str().unwrap(),
        ],
        "路径不存在",
    );
    refused(
        &[
            "report",
            "monthly",
            "--month",
            "2026-11",
            "--out",
            dir.to_str().unwrap(),
        ],
        "看出格式",
    );
    let folder = dir.join("a-folder.pdf");
    std::fs::create_dir(&folder).unwrap();
    refused(
        &[
            "report",
            "monthly",
            "--month",
            "2026-11",
            "--out",
            folder.to_str().unwrap(),
        ],
        "是一个文件夹",
    );
    refused(
        &["report", "monthly", "--month", "2026-11", "--out", "x.doc"],
        "看出格式",
    );
    // clap's own refusals are Chinese too
    refused(&["report"], "缺少参数");
    refused(
        &["report", "monthly", "--mnth", "2026-11"],
        "不认识的参数“--mnth”",
    );
    refused(&["reprot", "monthly"], "未知的子命令“reprot”");
    refused(&["report", "monthly", "--month"], "--month");
}

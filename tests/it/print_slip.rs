//! The acceptance slip (受理回执): render on both papers, read the text back with lopdf.

use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};
use stationdesk::print::{
    FolderPrinter, FontSet, Paper, PrintJob, Printer, SIGNATURE_DATE_LINE, SIGNATURE_LINE,
    SlipView, render_slip,
};

const FULL_ID: &str = "370102199003071234";
const MASKED_ID: &str = "3701**********1234";
const TRACKING: &str = "330102-20260512-0007";

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn accepted_at() -> NaiveDateTime {
    date(5, 12).and_hms_opt(9, 41, 5).unwrap()
}

fn view(paper: Paper) -> SlipView {
    SlipView {
        station_name: "城关供电所营业厅".into(),
        station_phone: "0635-8123456".into(),
        tracking_no: TRACKING.into(),
        accepted_at: accepted_at(),
        customer_name: "王建国".into(),
        account_no: None,
        id_masked: MASKED_ID.into(),
        phone_masked: "138****5678".into(),
        address: "城关镇和平路 18 号院东侧平房".into(),
        kind_label: "新装（低压居民）".into(),
        request_text: "新建住宅用电，设备约 8 kW".into(),
        documents_received: vec!["居民身份证".into()],
        documents_missing: vec!["房屋产权证明或购房合同".into(), "用电设备清单".into()],
        stages: vec![
            ("受理".into(), Some(date(5, 12))),
            ("现场勘查".into(), Some(date(5, 13))),
            ("装表接电".into(), Some(date(5, 18))),
            ("归档".into(), None),
        ],
        promised_completion: Some(date(5, 19)),
        fees: Vec::new(),
        clerk: "李晓红".into(),
        area_manager: ("高红梅".into(), "13706357762".into()),
        fast_channel: false,
        reprint: 0,
        paper,
    }
}

fn fonts() -> FontSet {
    FontSet::embedded().unwrap()
}

/// All text of all pages, as lopdf decodes it through the fonts' /ToUnicode maps.
fn extract(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("valid PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text extracts")
}

/// Text with line breaks removed: lines wrapped on roll paper are separate text runs.
fn joined(pdf: &[u8]) -> String {
    extract(pdf).chars().filter(|c| *c != '\n').collect()
}

fn page_count(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf).unwrap().get_pages().len()
}

const PAPERS: [Paper; 2] = [Paper::A5, Paper::Roll80];

#[test]
fn slip_reads_back_on_a5_and_roll() {
    for paper in PAPERS {
        let pdf = render_slip(&view(paper), fonts()).unwrap();
        assert!(pdf.len() < 50 * 1024, "{paper:?}: {} bytes", pdf.len());
        let text = joined(&pdf);
        for s in [
            "受理回执",
            "城关供电所营业厅",
            "0635-8123456",
            TRACKING,
            "2026-05-12 09:41",
            "新装（低压居民）",
            "申请人",
            "王建国",
            MASKED_ID,
            "138****5678",
            "居民身份证",
            "待补资料",
            "房屋产权证明或购房合同",
            "用电设备清单",
            "现场勘查",
            "2026-05-13",
            "装表接电",
            "2026-05-18",
            "承诺办结日期",
            "2026-05-19",
            "待定",
            "李晓红",
            "首问负责人",
            "新建住宅用电，设备约 8 kW",
            "请凭本回执查询办理进度",
            SIGNATURE_LINE,
            SIGNATURE_DATE_LINE,
        ] {
            assert!(text.contains(s), "{paper:?}: {s:?} not in {text:?}");
        }
        // The ID's middle (birth date) never appears, nor the full number or phone.
        for leak in [FULL_ID, "19900307", "13812345678"] {
            assert!(!text.contains(leak), "{paper:?}: {leak} leaked");
        }
        // A new applicant has no 户号; the original is not marked as a reprint.
        assert!(!text.contains("户号"), "{paper:?}");
        assert!(!text.contains("补打"), "{paper:?}");
        assert!(!text.contains("快速通道"), "{paper:?}");
        assert_eq!(page_count(&pdf), 1, "{paper:?}");
    }
}

#[test]
fn reprint_existing_customer_fast_channel_and_fees() {
    for paper in PAPERS {
        let mut v = view(paper);
        v.reprint = 2;
        v.account_no = Some("3700012345678".into());
        v.kind_label = "增容".into();
        v.fast_channel = true;
        v.fees = vec![("业务费".into(), "¥120.00".into())];
        v.documents_missing.clear();
        let text = joined(&render_slip(&v, fonts()).unwrap());
        for s in [
            "补打（第 2 次）",
            "户名",
            "户号",
            "3700012345678",
            "增容",
            "快速通道",
            "业务费",
            "¥120.00",
            "待补资料：无",
        ] {
            assert!(text.contains(s), "{paper:?}: {s:?} not in {text:?}");
        }
        assert!(!text.contains("申请人"), "{paper:?}");
    }
}

#[test]
fn unmasked_id_and_phone_are_masked_anyway() {
    let mut v = view(Paper::A5);
    v.id_masked = FULL_ID.into();
    v.phone_masked = "13812345678".into();
    let text = joined(&render_slip(&v, fonts()).unwrap());
    assert!(text.contains(MASKED_ID), "{text}");
    assert!(text.contains("138****5678"), "{text}");
    assert!(
        !text.contains("19900307") && !text.contains("12345678"),
        "{text}"
    );
}

#[test]
fn long_lists_continue_and_every_item_reads_back() {
    for paper in PAPERS {
        let mut v = view(paper);
        v.documents_missing = (1..=30)
            .map(|i| format!("第{i}项待补资料：村委会出具的宅基地使用证明及四邻签字确认书"))
            .collect();
        v.stages = (1..=12)
            .map(|i| (format!("环节{i}"), Some(date(6, i))))
            .collect();
        let pdf = render_slip(&v, fonts()).unwrap();
        assert!(pdf.len() < 50 * 1024, "{paper:?}: {} bytes", pdf.len());
        let text = joined(&pdf);
        for item in &v.documents_missing {
            assert!(text.contains(item.as_str()), "{paper:?}: {item} missing");
        }
        assert!(text.contains("2026-06-12"), "{paper:?}");
        assert!(text.contains(SIGNATURE_LINE), "{paper:?}");
        match paper {
            Paper::Roll80 => assert_eq!(page_count(&pdf), 1),
            _ => {
                assert!(page_count(&pdf) >= 2, "{paper:?}");
                // The continued list names the request on the next sheet.
                let cont = format!("待补资料（续）  受理编号：{TRACKING}");
                assert!(text.contains(&cont), "{text}");
                // A reprint is marked on the continued sheet too.
                v.reprint = 3;
                let text = joined(&render_slip(&v, fonts()).unwrap());
                assert_eq!(text.matches("补打（第 3 次）").count(), 2, "{text}");
            }
        }
    }
}

#[test]
fn missing_glyph_in_a_name_prints_as_its_code_point() {
    let mut v = view(Paper::A5);
    v.customer_name = "刘䶮".into();
    v.address = "𠮷田村".into();
    let pdf = render_slip(&v, fonts()).unwrap();
    let text: String = extract(&pdf)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains("刘〔U+4DAE〕"), "{text}");
    assert!(text.contains("〔U+20BB7〕田村"), "{text}");
}

#[test]
fn external_font_draws_the_rare_name_when_installed() {
    let path = std::path::Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    if !path.exists() {
        eprintln!("Noto Sans CJK not installed; skipped");
        return;
    }
    let mut v = view(Paper::A5);
    v.customer_name = "刘䶮".into();
    let pdf = render_slip(&v, FontSet::with_external(path, 2).unwrap()).unwrap();
    assert!(joined(&pdf).contains("刘䶮"));
}

#[test]
fn slip_is_deterministic() {
    let a = render_slip(&view(Paper::A5), fonts()).unwrap();
    let b = render_slip(&view(Paper::A5), fonts()).unwrap();
    assert_eq!(a, b);
}

/// Size and time per slip, for the report / docs:
/// `cargo test --release --test it -- --ignored --nocapture print_slip::timing`
#[test]
#[ignore]
fn timing() {
    fonts();
    for paper in PAPERS {
        let v = view(paper);
        let n = 30;
        let t = Instant::now();
        let mut size = 0;
        for _ in 0..n {
            size = render_slip(&v, fonts()).unwrap().len();
        }
        println!("{paper:?}: {size} bytes, {:?} per slip", t.elapsed() / n);
    }
}

/// Writes slips to `$STATIONDESK_PDF_OUT` for a look by eye:
/// `STATIONDESK_PDF_OUT=/tmp/pdf cargo test --test it -- --ignored print_slip::dump`
#[test]
#[ignore]
fn dump() {
    let Some(out) = std::env::var_os("STATIONDESK_PDF_OUT") else {
        return;
    };
    let printer = FolderPrinter::new(std::path::PathBuf::from(out));
    for paper in PAPERS {
        let mut v = view(paper);
        v.reprint = 1;
        v.fast_channel = true;
        let pdf = render_slip(&v, fonts()).unwrap();
        let stem = format!("slip-{}", paper.setting_code());
        let path = printer
            .print(&PrintJob {
                file_stem: stem,
                pdf,
            })
            .unwrap()
            .path;
        println!("{}", path.display());
        v.documents_missing = (1..=30)
            .map(|i| format!("第{i}项：村委会出具的宅基地使用证明及四邻签字确认书"))
            .collect();
        let pdf = render_slip(&v, fonts()).unwrap();
        let stem = format!("slip-long-{}", paper.setting_code());
        let path = printer
            .print(&PrintJob {
                file_stem: stem,
                pdf,
            })
            .unwrap()
            .path;
        println!("{}", path.display());
    }
}

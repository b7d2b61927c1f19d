//! PDF tests through the public API: render, read the text back with lopdf, write files.

use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};
use stationdesk::print::{
    Align, Column, Doc, FolderPrinter, FontSet, MIXED_LINE, Paper, PrintError, PrintJob, Printer,
    Table, TestPageView, TextStyle, render_test_page, wrap_text,
};

fn at() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 5, 12)
        .unwrap()
        .and_hms_opt(14, 3, 27)
        .unwrap()
}

fn view(paper: Paper) -> TestPageView {
    TestPageView {
        station_name: "城关供电所营业厅".into(),
        station_code: "330102".into(),
        printed_at: at(),
        printed_by: "李晓红".into(),
        paper,
    }
}

/// All text of all pages, as lopdf decodes it through the fonts' /ToUnicode maps.
fn extract(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("valid PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text extracts")
}

#[test]
fn test_page_is_small_and_its_text_reads_back() {
    for paper in Paper::ALL {
        let pdf = render_test_page(&view(paper)).unwrap();
        assert!(
            pdf.len() < 50 * 1024,
            "{paper:?}: {} bytes — font not subset?",
            pdf.len()
        );
        let text = extract(&pdf);
        for expected in [
            "打印测试页",
            "城关供电所营业厅",
            "330102",
            "2026-05-12 14:03:27",
            "李晓红",
        ] {
            assert!(
                text.contains(expected),
                "{paper:?}: {expected:?} not in {text:?}"
            );
        }
        // The amount line is long: on roll paper it wraps, so compare with line breaks removed.
        let joined: String = text.chars().filter(|c| *c != '\n').collect();
        assert!(
            joined.contains(MIXED_LINE),
            "{paper:?}: amount line not in {text:?}"
        );
        assert!(text.contains("¥1,234.56"), "{paper:?}");
    }
}

#[test]
fn output_is_deterministic() {
    let a = render_test_page(&view(Paper::A5)).unwrap();
    let b = render_test_page(&view(Paper::A5)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn roll_paper_grows_with_content() {
    let height = |pdf: &[u8]| {
        let doc = lopdf::Document::load_mem(pdf).unwrap();
        let (_, page) = doc.get_pages().into_iter().next().unwrap();
        let mb = doc
            .get_dictionary(page)
            .unwrap()
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap()
            .clone();
        mb[3].as_float().unwrap()
    };
    let short = {
        let mut d = Doc::new(Paper::Roll80, "t").unwrap();
        d.paragraph(TextStyle::new(9.0), "一行");
        d.finish().unwrap()
    };
    let long = {
        let mut d = Doc::new(Paper::Roll80, "t").unwrap();
        for i in 0..60 {
            d.paragraph(TextStyle::new(9.0), &format!("第 {i} 行"));
        }
        d.finish().unwrap()
    };
    assert!(height(&long) > height(&short) * 3.0);
}

#[test]
fn rare_character_missing_from_the_font_prints_as_its_code_point() {
    let fonts = FontSet::embedded().unwrap();
    // 𠮷 (U+20BB7, CJK Extension B) and 䶮 (U+4DAE, Extension A) are not in WenQuanYi Micro Hei.
    assert_eq!(fonts.missing_glyphs("吉𠮷䶮"), vec!['𠮷', '䶮']);
    let mut v = view(Paper::Roll80);
    v.printed_by = "刘䶮".into();
    v.station_name = "𠮷野家".into();
    // printed, not refused: a visible stand-in with the code point in place of each
    let pdf = render_test_page(&v).unwrap();
    let text: String = extract(&pdf)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains("刘〔U+4DAE〕"), "{text}");
    assert!(text.contains("〔U+20BB7〕野家"), "{text}");
}

#[test]
fn external_font_fills_in_rare_characters_when_installed() {
    let path = std::path::Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    if !path.exists() {
        eprintln!("Noto Sans CJK not installed; skipped");
        return;
    }
    let fonts = FontSet::with_external(path, 2).unwrap();
    assert!(fonts.missing_glyphs("刘䶮").is_empty());
    let mut v = view(Paper::A5);
    v.printed_by = "刘䶮".into();
    let pdf = stationdesk::print::render_test_page_with(&v, fonts).unwrap();
    assert!(pdf.len() < 80 * 1024, "{} bytes", pdf.len());
    assert!(extract(&pdf).contains('䶮'));
}

#[test]
fn folder_printer_writes_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("打印").join("2026-05");
    let printer = FolderPrinter::new(&folder);
    let job = |bytes: &[u8]| PrintJob {
        file_stem: "测试页".into(),
        pdf: bytes.to_vec(),
    };

    let first = printer.print(&job(b"one")).unwrap();
    assert_eq!(first.path, folder.join("测试页.pdf"));
    assert_eq!(first.sent_to, None);
    let second = printer.print(&job(b"two")).unwrap();
    assert_eq!(second.path, folder.join("测试页-2.pdf"));
    let third = printer.print(&job(b"three")).unwrap();
    assert_eq!(third.path, folder.join("测试页-3.pdf"));

    assert_eq!(std::fs::read(&first.path).unwrap(), b"one");
    assert_eq!(std::fs::read(&second.path).unwrap(), b"two");
    assert_eq!(std::fs::read(&third.path).unwrap(), b"three");
    // No temporary files are left behind.
    let names: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn folder_printer_writes_a_real_test_page() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_test_page(&view(Paper::A4)).unwrap();
    let out = FolderPrinter::new(dir.path())
        .print(&PrintJob {
            file_stem: "打印测试页 2026/05/12".into(),
            pdf: pdf.clone(),
        })
        .unwrap();
    assert_eq!(out.path, dir.path().join("打印测试页 2026_05_12.pdf"));
    assert_eq!(std::fs::read(&out.path).unwrap(), pdf);
}

#[cfg(unix)]
#[test]
fn read_only_folder_gives_a_chinese_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("只读");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores permissions; then there is nothing to test.
    if std::fs::write(ro.join("probe"), b"").is_ok() {
        eprintln!("running as root; skipped");
        return;
    }
    let err = FolderPrinter::new(&ro)
        .print(&PrintJob {
            file_stem: "x".into(),
            pdf: b"%PDF".to_vec(),
        })
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("无法在打印文件夹") && msg.contains("没有写入权限"),
        "{msg}"
    );
    // Nor can a folder be created inside it.
    let err = FolderPrinter::new(ro.join("子目录"))
        .print(&PrintJob {
            file_stem: "x".into(),
            pdf: b"%PDF".to_vec(),
        })
        .unwrap_err();
    assert!(err.to_string().contains("无法创建打印文件夹"), "{err}");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn wrapping_keeps_long_chinese_within_the_width() {
    let fonts = FontSet::embedded().unwrap();
    let text =
        "申请人因房屋翻建需要办理临时用电，现场勘查后确定由十号台区供电，计量装置安装在院墙外侧。";
    for (width, size) in [(72.0, 9.0), (40.0, 10.0), (20.0, 12.0)] {
        let lines = wrap_text(&fonts, text, width, size);
        assert!(lines.len() > 1, "{width}: {lines:?}");
        for l in &lines {
            assert!(fonts.text_width_mm(l, size) <= width + 0.01, "{width}: {l}");
            assert!(!l.starts_with(['，', '。']), "{l}");
        }
        assert_eq!(lines.concat(), text);
    }
    // And in a document, each wrapped line reads back in order.
    let mut d = Doc::new(Paper::Roll80, "wrap").unwrap();
    d.paragraph(TextStyle::new(9.0), &text.repeat(2));
    let got: String = extract(&d.finish().unwrap())
        .chars()
        .filter(|c| *c != '\n')
        .collect();
    assert!(got.contains(&text.repeat(2)), "{got}");
}

#[test]
fn tables_and_key_values_read_back() {
    let mut d = Doc::new(Paper::A5, "收据").unwrap();
    d.paragraph(TextStyle::new(14.0).bold().center(), "电费收据");
    d.key_value(TextStyle::new(10.0), "户名：", "王建国");
    d.left_right(TextStyle::new(10.0), "合计", "¥312.40");
    d.table(&Table {
        columns: vec![
            Column::new("月份", 1.0, Align::Left),
            Column::new("电量（千瓦时）", 1.5, Align::Right),
            Column::new("金额", 1.0, Align::Right),
        ],
        rows: vec![
            vec!["2026-04".into(), "520".into(), "¥280.80".into()],
            vec!["2026-05".into(), "60".into(), "¥31.60".into()],
        ],
        size: 10.0,
    });
    let text = extract(&d.finish().unwrap());
    for s in [
        "电费收据",
        "王建国",
        "¥312.40",
        "电量（千瓦时）",
        "2026-05",
        "¥31.60",
    ] {
        assert!(text.contains(s), "{s} not in {text}");
    }
}

/// Release timing, for docs/printing.md:
/// `cargo test --release --test it -- --ignored --nocapture print_pdf::timing`
#[test]
#[ignore]
fn timing() {
    let t = Instant::now();
    FontSet::embedded().unwrap();
    println!("font parse: {:?}", t.elapsed());
    for paper in Paper::ALL {
        let v = view(paper);
        let n = 50;
        let t = Instant::now();
        let mut size = 0;
        for _ in 0..n {
            size = render_test_page(&v).unwrap().len();
        }
        println!("{paper:?}: {} bytes, {:?} per page", size, t.elapsed() / n);
    }
    let noto = std::path::Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    if noto.exists() {
        let t = Instant::now();
        let fonts = FontSet::with_external(noto, 2).unwrap();
        println!("Noto Sans CJK SC parse: {:?}", t.elapsed());
        let mut v = view(Paper::A5);
        v.printed_by = "刘䶮".into();
        let t = Instant::now();
        let pdf = stationdesk::print::render_test_page_with(&v, fonts).unwrap();
        println!("with Noto fallback: {} bytes, {:?}", pdf.len(), t.elapsed());
    }
}

#[test]
fn folder_that_is_a_file_gives_a_chinese_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("不是文件夹");
    std::fs::write(&file, b"x").unwrap();
    let err = FolderPrinter::new(&file)
        .print(&PrintJob {
            file_stem: "x".into(),
            pdf: b"%PDF".to_vec(),
        })
        .unwrap_err();
    assert!(matches!(err, PrintError::CreateFolder { .. }), "{err:?}");
    assert!(err.to_string().starts_with("无法创建打印文件夹"), "{err}");
}

/// Writes the test page on every paper to `$STATIONDESK_PDF_OUT` for a look by eye:
/// `STATIONDESK_PDF_OUT=/tmp/pdf cargo test --test it -- --ignored print_pdf::dump`
#[test]
#[ignore]
fn dump() {
    let Some(out) = std::env::var_os("STATIONDESK_PDF_OUT") else {
        return;
    };
    let printer = FolderPrinter::new(std::path::PathBuf::from(out));
    for paper in Paper::ALL {
        let pdf = render_test_page(&view(paper)).unwrap();
        let stem = format!("test-page-{}", paper.setting_code());
        println!(
            "{}",
            printer
                .print(&PrintJob {
                    file_stem: stem,
                    pdf
                })
                .unwrap()
                .path
                .display()
        );
    }
}

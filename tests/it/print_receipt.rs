//! The payment receipt (收费凭证) and the day-end report (日清日结报告): render on every paper,
//! read the text back with lopdf.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use stationdesk::print::{
    CASHIER_SIGNATURE, CHIEF_SIGNATURE, DayEndItem, DayEndView, Denomination, FontSet, MethodTotal,
    Paper, ReceiptLine, ReceiptView, VoidMark, render_day_end, render_receipt,
};

const RECEIPT_NO: &str = "SF20260512-000123";
const HASH: &str = "3f9a0c1be47d25a86f0e13c9b27d4a5e6f708192a3b4c5d6e7f8091a2b3c4d5e6";

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn at(h: u32, m: u32, s: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 5, 12)
        .unwrap()
        .and_hms_opt(h, m, s)
        .unwrap()
}

fn line(label: &str, detail: &str, amount: &str) -> ReceiptLine {
    ReceiptLine {
        label: label.into(),
        detail: detail.into(),
        amount: d(amount),
    }
}

fn receipt(paper: Paper) -> ReceiptView {
    ReceiptView {
        station_name: "城关供电所营业厅".into(),
        station_address: "城关镇建设路 8 号".into(),
        station_phone: "0635-8123456".into(),
        receipt_no: RECEIPT_NO.into(),
        issued_at: at(9, 41, 5),
        account_no: "3700012345678".into(),
        customer_name: "王建国".into(),
        customer_address: "城关镇东关村3组12号".into(),
        area_name: "东关1号台区".into(),
        lines: vec![
            line("2026年3月电费", "1,203 kWh", "657.93"),
            line("2026年3月违约金", "逾期 12 天", "7.89"),
            line("2026年4月电费", "512 kWh", "280.02"),
            line("预收电费", "", "59.16"),
        ],
        total: d("1005.00"),
        method: "现金".into(),
        tendered: Some(d("1100.00")),
        change: Some(d("95.00")),
        cashier: "李晓红".into(),
        prepaid_after: d("59.16"),
        arrears_after: d("0"),
        reprint: 0,
        void: None,
        reverses: None,
        anchor: Some((580, "a6363c5bee79ce621e5b".into())),
        paper,
    }
}

fn reversal(paper: Paper) -> ReceiptView {
    let mut v = receipt(paper);
    v.receipt_no = "SF20260520-000456".into();
    v.issued_at = at(15, 2, 0);
    v.lines = vec![
        line("2026年3月电费", "冲销", "-657.93"),
        line("2026年3月违约金", "冲销", "-7.89"),
    ];
    v.total = d("-665.82");
    v.method = "银行卡".into();
    v.tendered = None;
    v.change = None;
    v.arrears_after = d("665.82");
    v.reverses = Some((RECEIPT_NO.into(), "户号录错，款项应入邻户".into()));
    v
}

fn voided(paper: Paper) -> ReceiptView {
    let mut v = receipt(paper);
    v.void = Some(VoidMark {
        at: at(10, 15, 30),
        approved_by: "张所长".into(),
        reason: "客户要求改用移动支付".into(),
        prepaid_after: d("0"),
        arrears_after: d("945.84"),
    });
    v.reprint = 1;
    v
}

fn day_end(paper: Paper) -> DayEndView {
    DayEndView {
        batch: 1,
        station_name: "城关供电所营业厅".into(),
        cashier: "李晓红".into(),
        business_date: NaiveDate::from_ymd_opt(2026, 5, 12).unwrap(),
        closed_at: at(17, 31, 2),
        by_method: vec![
            MethodTotal {
                method: "现金".into(),
                count: 18,
                amount: d("6210.40"),
            },
            MethodTotal {
                method: "银行卡".into(),
                count: 4,
                amount: d("1893.00"),
            },
            MethodTotal {
                method: "移动支付".into(),
                count: 9,
                amount: d("2311.75"),
            },
        ],
        expected_total: d("10415.15"),
        receipt_first: Some("SF20260512-000101".into()),
        receipt_last: Some("SF20260512-000133".into()),
        receipt_count: 33,
        voids: vec![DayEndItem {
            receipt_no: "SF20260512-000123".into(),
            customer_name: "王建国".into(),
            amount: d("1005.00"),
            reason: "客户要求改用移动支付".into(),
        }],
        reversals: vec![DayEndItem {
            receipt_no: "SF20260512-000130".into(),
            customer_name: "赵桂兰".into(),
            amount: d("-88.60"),
            reason: "冲销 SF20260428-000077 户号录错".into(),
        }],
        receipts: vec![
            DayEndItem {
                receipt_no: "SF20260512-000101".into(),
                customer_name: "0370000000001 张三".into(),
                amount: d("300.00"),
                reason: String::new(),
            },
            DayEndItem {
                receipt_no: "SF20260512-000123".into(),
                customer_name: "3700012345678 王建国".into(),
                amount: d("1005.00"),
                reason: "作废".into(),
            },
        ],
        reprints: 3,
        cash_expected: d("6210.40"),
        denominations: vec![
            Denomination {
                label: "100 元".into(),
                face: d("100"),
                pieces: 60,
            },
            Denomination {
                label: "10 元".into(),
                face: d("10"),
                pieces: 20,
            },
            Denomination {
                label: "5 角".into(),
                face: d("0.5"),
                pieces: 1,
            },
        ],
        cash_counted: d("6200.50"),
        difference: d("-9.90"),
        difference_reason: "找零时多付一位客户，已联系".into(),
        audit_head_seq: 48213,
        audit_head_hash: HASH.into(),
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

/// Each wanted string is in the text, compared without spaces: a line wrapped at a space on
/// roll paper loses that space.
fn assert_has(paper: Paper, text: &str, wanted: &[&str]) {
    let squeeze = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
    let text = squeeze(text);
    for s in wanted {
        assert!(
            text.contains(&squeeze(s)),
            "{paper:?}: {s:?} not in {text:?}"
        );
    }
}

#[test]
fn receipt_reads_back_on_every_paper() {
    for paper in Paper::ALL {
        let pdf = render_receipt(&receipt(paper), fonts()).unwrap();
        assert!(pdf.len() < 50 * 1024, "{paper:?}: {} bytes", pdf.len());
        assert_eq!(page_count(&pdf), 1, "{paper:?}");
        let text = joined(&pdf);
        assert_has(
            paper,
            &text,
            &[
                "城关供电所营业厅",
                "收费凭证",
                RECEIPT_NO,
                "2026-05-12 09:41:05",
                "户号",
                "3700012345678",
                "户名",
                "王建国",
                "2026年3月电费",
                "1,203 kWh",
                "¥657.93",
                "逾期 12 天",
                "¥7.89",
                "¥280.02",
                "预收电费",
                "合计",
                "¥1,005.00",
                "人民币（大写）壹仟零伍元整",
                "付款方式：现金",
                "实收：¥1,100.00",
                "找零：¥95.00",
                "收款员：李晓红",
                "预收余额：¥59.16",
                "尚欠电费：¥0.00",
                "存证码580:a6363c5bee",
            ],
        );
        assert!(
            !text.contains("a6363c5bee7"),
            "ten characters of the hash, no more"
        );
        for absent in ["补打", "作废", "红冲", "冲销原凭证"] {
            assert!(!text.contains(absent), "{paper:?}: {absent} in {text}");
        }
    }
}

#[test]
fn capital_amount_with_fen_and_non_cash_payment() {
    for paper in Paper::ALL {
        let mut v = receipt(paper);
        v.lines = vec![line("2026年4月电费", "18 kWh", "10.05")];
        v.total = d("10.05");
        v.method = "移动支付（参考号 4200001234）".into();
        v.tendered = None;
        v.change = None;
        v.arrears_after = d("1680.32");
        let text = joined(&render_receipt(&v, fonts()).unwrap());
        assert_has(
            paper,
            &text,
            &[
                "¥10.05",
                "人民币（大写）壹拾元零伍分",
                "移动支付（参考号 4200001234）",
                "尚欠电费：¥1,680.32",
            ],
        );
        assert!(!text.contains("实收") && !text.contains("找零"), "{text}");
        assert!(!text.contains("整"), "{paper:?}: no 整 with 分: {text}");
    }
}

#[test]
fn voided_reprint_carries_the_marks() {
    for paper in Paper::ALL {
        let pdf = render_receipt(&voided(paper), fonts()).unwrap();
        assert!(pdf.len() < 50 * 1024, "{paper:?}: {} bytes", pdf.len());
        let text = joined(&pdf);
        assert_has(
            paper,
            &text,
            &[
                "作废",
                "本凭证已作废，不作收款依据",
                "作废时间：2026-05-12 10:15:30",
                "作废后：预收余额¥0.00，尚欠电费¥945.84",
                "批准人：张所长",
                "作废原因：客户要求改用移动支付",
                "补打（第 1 次）",
                RECEIPT_NO,
                "¥1,005.00",
                "壹仟零伍元整",
            ],
        );
        // The number is repeated at the foot with the reprint mark.
        assert!(
            text.contains(&format!("凭证号 {RECEIPT_NO}  补打（第 1 次）")),
            "{text}"
        );
        let mut v = voided(paper);
        v.reprint = 4;
        let text = joined(&render_receipt(&v, fonts()).unwrap());
        assert!(text.matches("补打（第 4 次）").count() >= 2, "{text}");
        // issue 18: when it continues, the total goes with the foot: never a page that
        // holds only the foot
        if let Some(cont) = text.find("（续）") {
            assert!(cont < text.find("合计").unwrap(), "{text}");
        }
    }
}

#[test]
fn reversal_is_titled_and_negative() {
    for paper in Paper::ALL {
        let text = joined(&render_receipt(&reversal(paper), fonts()).unwrap());
        assert_has(
            paper,
            &text,
            &[
                "收费凭证（红冲）",
                "SF20260520-000456",
                "冲销原凭证：",
                RECEIPT_NO,
                "红冲原因：户号录错，款项应入邻户",
                "-¥657.93",
                "-¥7.89",
                "-¥665.82",
                "人民币（大写）负陆佰陆拾伍元捌角贰分",
                "付款方式：银行卡",
            ],
        );
        assert!(!text.contains("作废"), "{text}");
    }
}

#[test]
fn long_receipt_breaks_pages_on_a5_and_grows_on_roll() {
    for paper in [Paper::A5, Paper::Roll80] {
        let mut v = voided(paper);
        v.lines = (1..=40)
            .map(|i| line(&format!("第{i}期电费"), &format!("{i}0 kWh"), "12.34"))
            .collect();
        v.total = d("493.60");
        let pdf = render_receipt(&v, fonts()).unwrap();
        assert!(pdf.len() < 50 * 1024, "{paper:?}: {} bytes", pdf.len());
        let text = joined(&pdf);
        for i in 1..=40 {
            assert!(text.contains(&format!("第{i}期电费")), "{paper:?}: {i}");
        }
        assert_has(paper, &text, &["肆佰玖拾叁元陆角整", "尚欠电费"]);
        // A later sheet names the receipt and its marks at the top.
        let cont = format!("收费凭证（续）  凭证号 {RECEIPT_NO}  补打（第 1 次）  【作废】");
        match paper {
            Paper::Roll80 => {
                assert_eq!(page_count(&pdf), 1);
                assert!(!text.contains("（续）"), "{text}");
            }
            _ => {
                assert!(page_count(&pdf) >= 2);
                assert!(text.contains(&cont), "{text}");
            }
        }
    }
}

#[test]
fn receipt_is_deterministic() {
    for paper in Paper::ALL {
        for v in [receipt(paper), voided(paper), reversal(paper)] {
            let a = render_receipt(&v, fonts()).unwrap();
            let b = render_receipt(&v, fonts()).unwrap();
            assert_eq!(a, b, "{paper:?}");
        }
    }
}

#[test]
fn missing_glyph_in_the_customer_name_prints_as_its_code_point() {
    let mut v = receipt(Paper::Roll80);
    v.customer_name = "刘䶮".into();
    let pdf = render_receipt(&v, fonts()).unwrap();
    let text: String = extract(&pdf)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(text.contains("刘〔U+4DAE〕"), "{text}");
    assert!(
        text.contains("3700012345678"),
        "the 户号 identifies the customer"
    );
}

#[test]
fn day_end_reads_back() {
    for paper in Paper::ALL {
        let pdf = render_day_end(&day_end(paper), fonts()).unwrap();
        assert!(pdf.len() < 50 * 1024, "{paper:?}: {} bytes", pdf.len());
        let text = joined(&pdf);
        assert_has(
            paper,
            &text,
            &[
                "日清日结报告",
                "城关供电所营业厅",
                "收款员：李晓红",
                "营业日期：2026-05-12",
                "结账时间：2026-05-12 17:31:02",
                "方式",
                "笔数",
                "现金",
                "18",
                "¥6,210.40",
                "银行卡",
                "¥1,893.00",
                "移动支付",
                "¥2,311.75",
                "应收合计",
                "¥10,415.15",
                "壹万零肆佰壹拾伍元壹角伍分",
                "SF20260512-000101 至 SF20260512-000133（共 33 张）",
                "作废凭证：1 张",
                "客户要求改用移动支付",
                "红冲凭证：1 张",
                "赵桂兰",
                "-¥88.60",
                "冲销 SF20260428-000077 户号录错",
                "补打次数：3 次",
                "面额",
                "张数",
                "100 元",
                "¥6,000.00",
                "¥200.00",
                "5 角",
                "¥0.50",
                "现金应收",
                "实点现金",
                "¥6,200.50",
                "短款 ¥9.90",
                "差额原因：找零时多付一位客户，已联系",
                "审计链：第 48213 条",
                HASH,
                CASHIER_SIGNATURE,
                CHIEF_SIGNATURE,
            ],
        );
        assert!(!text.contains("长款"), "{paper:?}");
        assert!(!text.contains("补打（"), "{paper:?}");
        let a = render_day_end(&day_end(paper), fonts()).unwrap();
        assert_eq!(a, pdf, "{paper:?}: deterministic");
    }
}

#[test]
fn day_end_surplus_balanced_and_empty_day() {
    for paper in [Paper::A4, Paper::A5] {
        let mut v = day_end(paper);
        v.cash_counted = d("6220.40");
        v.difference = d("10.00");
        v.difference_reason = "客户未取找零".into();
        v.reprint = 2;
        let text = joined(&render_day_end(&v, fonts()).unwrap());
        assert_has(
            paper,
            &text,
            &["长款 ¥10.00", "客户未取找零", "补打（第 2 次）"],
        );
        assert!(!text.contains("短款"), "{text}");

        let mut v = day_end(paper);
        v.by_method.clear();
        v.expected_total = Decimal::ZERO;
        v.receipt_first = None;
        v.receipt_last = None;
        v.receipt_count = 0;
        v.voids.clear();
        v.reversals.clear();
        v.reprints = 0;
        v.cash_expected = Decimal::ZERO;
        v.denominations.clear();
        v.cash_counted = Decimal::ZERO;
        v.difference = Decimal::ZERO;
        v.difference_reason.clear();
        let text = joined(&render_day_end(&v, fonts()).unwrap());
        assert_has(
            paper,
            &text,
            &[
                "凭证号段：无",
                "作废凭证：无",
                "红冲凭证：无",
                "补打次数：0 次",
                "相符（无长短款）",
                "零元整",
                HASH,
            ],
        );
        assert!(!text.contains("差额原因"), "{text}");
        assert!(!text.contains("长款 ") && !text.contains("短款 "), "{text}");
    }
}

#[test]
fn day_end_with_many_voids_continues_on_the_next_page() {
    let mut v = day_end(Paper::A5);
    v.voids = (1..=40)
        .map(|i| DayEndItem {
            receipt_no: format!("SF20260512-{:06}", 100 + i),
            customer_name: format!("客户{i}"),
            amount: d("12.00"),
            reason: "客户要求改用移动支付，当场重开".into(),
        })
        .collect();
    let pdf = render_day_end(&v, fonts()).unwrap();
    assert!(page_count(&pdf) >= 2);
    let text = joined(&pdf);
    for i in 1..=40 {
        assert!(text.contains(&format!("客户{i}")), "{i}");
    }
    assert_has(Paper::A5, &text, &[HASH, CHIEF_SIGNATURE]);
    // The second sheet says whose day end it continues.
    assert!(
        text.contains("日清日结报告（续）  收款员：李晓红  营业日期：2026-05-12"),
        "{text}"
    );
}

/// Issue 18: the receipts of the day are listed by number with their amounts, and the cash
/// table is never split across pages, however many receipts come before it.
#[test]
fn day_end_lists_its_receipts_and_keeps_the_cash_table_on_one_page() {
    for n in [5usize, 20, 27, 35, 60] {
        let mut v = day_end(Paper::A5);
        v.receipts = (1..=n)
            .map(|i| DayEndItem {
                receipt_no: format!("SF20260512-{:06}", 100 + i),
                customer_name: format!("户{i}"),
                amount: d("12.00"),
                reason: String::new(),
            })
            .collect();
        let pdf = render_day_end(&v, fonts()).unwrap();
        let text = joined(&pdf);
        assert!(text.contains(&format!("凭证明细：{n} 张")), "{text}");
        assert!(
            text.contains(&format!("SF20260512-{:06}", 100 + n)),
            "{text}"
        );
        // the cash section (heading to 实点现金) is on one page
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let on_page = |needle: &str| {
            doc.get_pages()
                .keys()
                .copied()
                .find(|p| doc.extract_text(&[*p]).unwrap_or_default().contains(needle))
        };
        assert_eq!(on_page("三、现金"), on_page("实点现金"), "{n} receipts");
        assert!(on_page("三、现金").is_some());
    }
}

/// Writes samples to `/tmp/receipt_sample_*.pdf` for a look by eye:
/// `cargo test --test it -- --ignored print_receipt::samples`
#[test]
#[ignore]
fn samples() {
    for paper in Paper::ALL {
        let code = paper.setting_code();
        let write = |name: &str, pdf: Vec<u8>| {
            let path = format!("/tmp/receipt_sample_{name}_{code}.pdf");
            std::fs::write(&path, pdf).unwrap();
            println!("{path}");
        };
        write("plain", render_receipt(&receipt(paper), fonts()).unwrap());
        write("void", render_receipt(&voided(paper), fonts()).unwrap());
        write(
            "reversal",
            render_receipt(&reversal(paper), fonts()).unwrap(),
        );
        write("dayend", render_day_end(&day_end(paper), fonts()).unwrap());
        let mut v = voided(paper);
        v.lines = (1..=24)
            .map(|i| {
                line(
                    &format!("2025年{}月电费", i % 12 + 1),
                    "逾期 123 天，含违约金",
                    "12.34",
                )
            })
            .collect();
        v.total = d("296.16");
        v.method = "移动支付（参考号 420000123456789012345）".into();
        v.customer_name = "城关镇和平路农贸市场经营管理有限公司".into();
        write("long", render_receipt(&v, fonts()).unwrap());
        let mut v = day_end(paper);
        v.voids = (1..=12)
            .map(|i| DayEndItem {
                receipt_no: format!("SF20260512-{:06}", 100 + i),
                customer_name: format!("欧阳客户{i}"),
                amount: d("1234.56"),
                reason: "客户要求改用移动支付，当场重开，原凭证收回".into(),
            })
            .collect();
        write("dayend_long", render_day_end(&v, fonts()).unwrap());
    }
}

//! Receiving meters into stock (issue 13): a range of asset numbers, and the supplier's CSV
//! file checked line by line (every bad line listed by its number; one bad line and nothing
//! is taken). Pure: what the form or the file holds in, checked meter descriptions out.
use chrono::NaiveDate;

use super::meter::{self, AccuracyClass, MeterKind, Ratio};
use super::validate;

/// At most this many meters in one receipt into stock.
pub const RECEIVE_MAX: usize = 5000;

/// What is typed to receive a batch of meters with consecutive asset numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReceiveInput {
    pub first: String,
    pub last: String,
    /// `single`, `three`, `three_ct`, `ct`, `pt` or the Chinese name
    pub kind: String,
    pub accuracy: String,
    pub maker: String,
    pub batch: String,
    pub digits: String,
    pub ct_ratio: String,
    pub pt_ratio: String,
    pub multiplier: String,
    pub produced_on: String,
    pub verified_on: String,
    /// empty: from the class's verification period
    pub valid_until: String,
}

/// The asset numbers from `first` to `last`: the same letters, a number part counted up
/// with its width kept (`A0098`..`A0102`).
pub fn asset_range(first: &str, last: &str) -> Result<Vec<String>, (&'static str, String)> {
    let a = meter::asset_no(first).map_err(|m| ("first", m))?;
    if last.trim().is_empty() {
        return Ok(vec![a]);
    }
    let b = meter::asset_no(last).map_err(|m| ("last", m))?;
    let split = |s: &str| {
        let cut = s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        (s[..cut].to_string(), s[cut..].to_string())
    };
    let ((pa, na), (pb, nb)) = (split(&a), split(&b));
    if pa != pb || na.len() != nb.len() || na.is_empty() || na.len() > 18 {
        return Err((
            "last",
            "起止编号应只有末尾数字不同、位数相同，如 3710000100–3710000199".into(),
        ));
    }
    let (x, y): (u64, u64) = match (na.parse(), nb.parse()) {
        (Ok(x), Ok(y)) => (x, y),
        _ => return Err(("last", "编号末尾的数字无法识别".into())),
    };
    if y < x {
        return Err(("last", "止号应不小于起号".into()));
    }
    let count = y - x + 1;
    if count > RECEIVE_MAX as u64 {
        return Err((
            "last",
            format!("一次最多入库 {RECEIVE_MAX} 只，这里是 {count} 只"),
        ));
    }
    let width = na.len();
    Ok((x..=y).map(|n| format!("{pa}{n:0width$}")).collect())
}

fn parse_kind(input: &str) -> Option<MeterKind> {
    let t = input.trim();
    MeterKind::ALL
        .iter()
        .copied()
        .find(|k| k.code() == t || k.label() == t)
        .or(match t {
            "单相" => Some(MeterKind::Single),
            "三相" | "三相直通" => Some(MeterKind::Three),
            "三相经互感器" | "经互感器" => Some(MeterKind::ThreeCt),
            "CT" | "ct" | "电流互感器" => Some(MeterKind::CtSet),
            "PT" | "pt" | "电压互感器" => Some(MeterKind::PtSet),
            _ => None,
        })
}

/// A meter description checked, field by field (the field's key with the message).
pub(crate) struct Described {
    pub(crate) kind: MeterKind,
    pub(crate) accuracy: AccuracyClass,
    pub(crate) maker: String,
    pub(crate) batch: String,
    pub(crate) digits: Option<u32>,
    pub(crate) ct: Option<Ratio>,
    pub(crate) pt: Option<Ratio>,
    pub(crate) multiplier: u32,
    pub(crate) produced_on: NaiveDate,
    pub(crate) verified_on: NaiveDate,
    pub(crate) valid_until: Option<NaiveDate>,
}

pub(crate) fn describe(i: &ReceiveInput) -> Result<Described, (&'static str, String)> {
    let kind = parse_kind(&i.kind).ok_or((
        "kind",
        "类型应为 单相表、三相直通表、三相经互感器表、电流互感器组 或 电压互感器组".to_string(),
    ))?;
    let accuracy = AccuracyClass::parse(&i.accuracy)
        .ok_or(("accuracy", "准确度等级应为 2、1、0.5S 或 0.2S".to_string()))?;
    let maker = validate::name(&i.maker, "厂家", 30).map_err(|e| ("maker", e.to_string()))?;
    let batch = validate::fold_digits(&i.batch).trim().to_string();
    if batch.chars().count() > 30 || batch.chars().any(char::is_control) {
        return Err(("batch", "批次最多 30 个字".into()));
    }
    let digits = if i.digits.trim().is_empty() {
        None
    } else {
        Some(validate::whole_number(&i.digits, 1, 12).map_err(|m| ("digits", m))? as u32)
    };
    let ct = Ratio::parse(&i.ct_ratio).map_err(|m| ("ct_ratio", m))?;
    let pt = Ratio::parse(&i.pt_ratio).map_err(|m| ("pt_ratio", m))?;
    let multiplier =
        meter::check_multiplier(&i.multiplier, ct, pt).map_err(|m| ("multiplier", m))?;
    let produced_on = validate::date(&i.produced_on).map_err(|m| ("produced_on", m))?;
    let verified_on = validate::date(&i.verified_on).map_err(|m| ("verified_on", m))?;
    if verified_on < produced_on {
        return Err(("verified_on", "检定日期不能早于出厂日期".into()));
    }
    let valid_until = if i.valid_until.trim().is_empty() {
        None
    } else {
        let d = validate::date(&i.valid_until).map_err(|m| ("valid_until", m))?;
        if d <= verified_on {
            return Err(("valid_until", "有效期应晚于检定日期".into()));
        }
        Some(d)
    };
    Ok(Described {
        kind,
        accuracy,
        maker,
        batch,
        digits,
        ct,
        pt,
        multiplier,
        produced_on,
        verified_on,
        valid_until,
    })
}

/// One bad line of a supplier's file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

/// A file's text, or its one bad "line" when it is not UTF-8.
pub fn utf8_text(bytes: &[u8]) -> Result<&str, Vec<LineError>> {
    std::str::from_utf8(bytes).map_err(|_| {
        vec![LineError {
            line: 1,
            message: super::validate::NOT_UTF8.into(),
        }]
    })
}

/// The columns of a supplier's CSV file, in order (a header line with these names first).
pub const CSV_COLUMNS: [&str; 11] = [
    "资产编号",
    "类型",
    "准确度等级",
    "厂家",
    "批次",
    "整数位数",
    "电流互感器变比",
    "电压互感器变比",
    "倍率",
    "出厂日期",
    "检定日期",
];

const FIELD_NAMES: &[(&str, &str)] = &[
    ("first", "资产编号"),
    ("kind", "类型"),
    ("accuracy", "准确度等级"),
    ("maker", "厂家"),
    ("batch", "批次"),
    ("digits", "整数位数"),
    ("ct_ratio", "电流互感器变比"),
    ("pt_ratio", "电压互感器变比"),
    ("multiplier", "倍率"),
    ("produced_on", "出厂日期"),
    ("verified_on", "检定日期"),
    ("valid_until", "有效期"),
];

pub(crate) fn field_name(key: &str) -> &'static str {
    FIELD_NAMES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, n)| n)
}

/// Reads a supplier's CSV (UTF-8, optional BOM, a header line, one meter per line): every
/// bad line is listed with its number; any bad line means nothing is taken.
pub fn parse_supplier_csv(text: &str) -> Result<Vec<ReceiveInput>, Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut seen = std::collections::HashMap::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) => {
            let cols: Vec<&str> = header.split(',').map(str::trim).collect();
            if cols != CSV_COLUMNS {
                errors.push(LineError {
                    line: 1,
                    message: format!("第一行应为列名：{}", CSV_COLUMNS.join(",")),
                });
                return Err(errors);
            }
        }
        None => {
            return Err(vec![LineError {
                line: 1,
                message: "文件是空的".into(),
            }]);
        }
    }
    for (i, line) in lines {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if cells.len() != CSV_COLUMNS.len() {
            errors.push(LineError {
                line: n,
                message: format!("应有 {} 列，这里有 {} 列", CSV_COLUMNS.len(), cells.len()),
            });
            continue;
        }
        let input = ReceiveInput {
            first: cells[0].into(),
            last: String::new(),
            kind: cells[1].into(),
            accuracy: cells[2].into(),
            maker: cells[3].into(),
            batch: cells[4].into(),
            digits: cells[5].into(),
            ct_ratio: cells[6].into(),
            pt_ratio: cells[7].into(),
            multiplier: cells[8].into(),
            produced_on: cells[9].into(),
            verified_on: cells[10].into(),
            valid_until: String::new(),
        };
        let checked = meter::asset_no(&input.first)
            .map_err(|m| ("first", m))
            .and_then(|a| describe(&input).map(|_| a));
        match checked {
            Ok(asset) => {
                if let Some(first) = seen.insert(asset.clone(), n) {
                    errors.push(LineError {
                        line: n,
                        message: format!("资产编号 {asset} 与第 {first} 行重复"),
                    });
                } else {
                    out.push(input);
                }
            }
            Err((key, m)) => errors.push(LineError {
                line: n,
                message: format!("{}：{m}", field_name(key)),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if out.is_empty() {
        return Err(vec![LineError {
            line: 2,
            message: "文件里没有表计".into(),
        }]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_keeps_its_letters_and_width() {
        assert_eq!(
            asset_range("a0098", "A0101").unwrap(),
            vec!["A0098", "A0099", "A0100", "A0101"]
        );
        assert_eq!(asset_range("3710001", "").unwrap(), vec!["3710001"]);
        assert_eq!(
            asset_range("A0101", "A0098").unwrap_err().1,
            "止号应不小于起号"
        );
        assert!(
            asset_range("A0098", "B0101")
                .unwrap_err()
                .1
                .contains("只有末尾数字不同")
        );
        assert!(
            asset_range("A0001", "A9999")
                .unwrap_err()
                .1
                .contains("一次最多入库 5000 只")
        );
    }

    #[test]
    fn a_supplier_file_with_bad_lines_is_refused_whole() {
        let head = CSV_COLUMNS.join(",");
        let good = format!(
            "\u{feff}{head}\n3710000001,单相表,2,华立,B2026-01,6,,,,2026-01-10,2026-02-01\n3710000002,三相经互感器表,0.5S,威胜,B2026-02,6,200/5,,40,2026-01-10,2026-02-01\n"
        );
        let v = parse_supplier_csv(&good).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].ct_ratio, "200/5");
        let bad = format!(
            "{head}\n3710000001,单相表,2,华立,B1,6,,,,2026-01-10,2026-02-01\n3710-02,单相表,2,华立,B1,6,,,,2026-01-10,2026-02-01\n3710000003,单相表,3,华立,B1,6,,,,2026-01-10,2026-02-01\n3710000004,三相经互感器表,0.5S,威胜,B2,6,200/5,,30,2026-01-10,2026-02-01\n3710000001,单相表,2,华立,B1,6,,,,2026-01-10,2026-02-01\n3710000006,单相表,2\n3710000007,单相表,2,华立,B1,6,,,,2026-02-30,2026-03-01\n"
        );
        let e = parse_supplier_csv(&bad).unwrap_err();
        let lines: Vec<usize> = e.iter().map(|l| l.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7, 8], "{e:?}");
        assert!(e[0].message.starts_with("资产编号："), "{}", e[0].message);
        assert!(e[1].message.starts_with("准确度等级："), "{}", e[1].message);
        assert!(
            e[2].message.contains("倍率 30 与变比不符"),
            "{}",
            e[2].message
        );
        assert_eq!(e[3].message, "资产编号 3710000001 与第 2 行重复");
        assert_eq!(e[4].message, "应有 11 列，这里有 3 列");
        assert!(e[5].message.starts_with("出厂日期："), "{}", e[5].message);
        let e = parse_supplier_csv("资产编号,类型\n").unwrap_err();
        assert_eq!(e[0].line, 1);
    }
}

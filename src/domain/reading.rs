//! Meter readings (抄, issue 15, started): the kinds of reading, what each needs, the
//! handheld unit's or the provincial system's CSV checked line by line (every bad line
//! listed by its number; one bad line and nothing is taken; the same reading twice in a
//! file is refused), and the month's collection rate (电费回收率).
//!
//! Pure rules: no SQL, no clock.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::meter;
use super::meter_intake::LineError;
use super::validate;

crate::coded_enum! {
    /// How a reading was taken.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum ReadingKind: "抄表类型" {
        Actual = "actual" / "实抄",
        /// 估抄: needs a reason
        Estimated = "estimated" / "估抄",
        /// reported by the customer
        Customer = "customer" / "客户自报",
        /// 漏抄: no reading; the bill waits or is estimated next time
        Missed = "missed" / "漏抄",
    }
}

impl ReadingKind {
    /// Typed as its number (1 实抄 2 估抄 3 客户自报 4 漏抄), its name or its code.
    pub fn parse(t: &str) -> Option<ReadingKind> {
        let t = validate::fold_digits(t);
        let t = t.trim();
        validate::pick_named(t, &ReadingKind::ALL, ReadingKind::label)
            .or_else(|| ReadingKind::ALL.iter().copied().find(|k| k.code() == t))
    }

    /// Whether a register value comes with it (a missed reading has none).
    pub fn has_value(self) -> bool {
        self != ReadingKind::Missed
    }
}

crate::coded_enum! {
    /// What a reading-log note is about (抄表日志).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum NoteKind: "日志类型" {
        Site = "site" / "现场问题",
        Weather = "weather" / "天气",
        Load = "load" / "负荷变化",
        Phone = "phone" / "新电话",
        Theft = "theft" / "疑似窃电",
        Other = "other" / "其他",
    }
}

impl NoteKind {
    /// A problem that must be handed on when the reader cannot solve it on site.
    pub fn needs_handing_on(self) -> bool {
        matches!(self, NoteKind::Site | NoteKind::Theft)
    }
}

crate::coded_enum! {
    /// What a spot check (抽查) found.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum SpotFinding: "抽查结果" {
        Ok = "ok" / "无误",
        WrongReading = "wrong_reading" / "错抄",
        Estimated = "estimated" / "估抄",
        Missed = "missed" / "漏抄",
        WrongMultiplier = "wrong_multiplier" / "倍率错误",
        Other = "other" / "其他问题",
    }
}

/// One reading, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadingIn {
    pub asset_no: String,
    pub read_on: NaiveDate,
    pub kind: ReadingKind,
    /// kWh on the register; `None` for a missed reading
    pub value: Option<Decimal>,
    /// why estimated or missed (required then)
    pub reason: String,
}

/// Check one reading as typed (on the entry screen or a line of a file).
pub fn check(
    asset_no: &str,
    read_on: &str,
    kind: &str,
    value: &str,
    reason: &str,
) -> Result<ReadingIn, (&'static str, String)> {
    let asset_no = meter::asset_no(asset_no).map_err(|m| ("asset_no", m))?;
    let read_on = validate::date(read_on).map_err(|m| ("read_on", m))?;
    let kind = ReadingKind::parse(kind).ok_or_else(|| {
        (
            "kind",
            "抄表类型应为 1 实抄、2 估抄、3 客户自报 或 4 漏抄".to_string(),
        )
    })?;
    let value = if kind.has_value() {
        Some(meter::reading(value, None).map_err(|m| ("value", m))?)
    } else {
        if !value.trim().is_empty() {
            return Err(("value", "漏抄不填示数".into()));
        }
        None
    };
    let reason = reason.trim().to_string();
    if reason.chars().count() > 60 || reason.chars().any(char::is_control) {
        return Err(("reason", "原因最多 60 个字".into()));
    }
    if matches!(kind, ReadingKind::Estimated | ReadingKind::Missed) && reason.is_empty() {
        return Err(("reason", format!("{}须写明原因", kind.label())));
    }
    Ok(ReadingIn {
        asset_no,
        read_on,
        kind,
        value,
        reason,
    })
}

/// The columns of a reading file, in order (a header line with these names first).
pub const CSV_COLUMNS: [&str; 5] = ["资产编号", "抄表日期", "抄表类型", "示数", "原因"];

/// A reading file (UTF-8, with or without a BOM): every reading, or every bad line with its
/// number. The same meter twice on one day in the file is a bad line.
pub fn parse_csv(text: &str) -> Result<Vec<ReadingIn>, Vec<LineError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (line, r) in parse_csv_lines(text)? {
        match r {
            Ok(r) => out.push(r),
            Err(message) => errors.push(LineError { line, message }),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// One line of a reading file: its number and the reading or why it is bad.
pub type CsvLine = (usize, Result<ReadingIn, String>);

/// Each line of a reading file with its number, checked alone (so that the caller can add
/// its own checks and list every bad line at once); a missing or wrong header line is the
/// file's error.
pub fn parse_csv_lines(text: &str) -> Result<Vec<CsvLine>, Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) => {
            let cols: Vec<&str> = header.split(',').map(str::trim).collect();
            if cols != CSV_COLUMNS {
                return Err(vec![LineError {
                    line: 1,
                    message: format!("第一行应为列名：{}", CSV_COLUMNS.join(",")),
                }]);
            }
        }
        None => {
            return Err(vec![LineError {
                line: 1,
                message: "文件是空的".into(),
            }]);
        }
    }
    let mut out = Vec::new();
    let mut seen: std::collections::HashMap<(String, NaiveDate), usize> =
        std::collections::HashMap::new();
    for (i, line) in lines {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if cells.len() != CSV_COLUMNS.len() {
            out.push((
                n,
                Err(format!(
                    "应有 {} 列，这里有 {} 列",
                    CSV_COLUMNS.len(),
                    cells.len()
                )),
            ));
            continue;
        }
        let r = match check(cells[0], cells[1], cells[2], cells[3], cells[4]) {
            Ok(r) => match seen.insert((r.asset_no.clone(), r.read_on), n) {
                Some(first) => Err(format!(
                    "表计 {} 在 {} 的示数与第 {first} 行重复",
                    r.asset_no, r.read_on
                )),
                None => Ok(r),
            },
            Err((_, m)) => Err(m),
        };
        out.push((n, r));
    }
    Ok(out)
}

/// The day before the next reading day after the bills of `period` were issued (early in
/// the next month): the book's reading day in the next month when it falls on the 15th or
/// later, otherwise in the month after; the collection rate's second check.
pub fn before_reading_day(period: super::billing::Period, reading_day: u32) -> NaiveDate {
    let month = if reading_day >= 15 {
        period.next()
    } else {
        period.next().next()
    };
    month.first_day() + chrono::Duration::days(i64::from(reading_day.clamp(1, 28)) - 2)
}

/// The collection rate (电费回收率) in % to the hundredth: what was collected of what was
/// billed; `None` when nothing was billed.
pub fn collection_rate(billed: Decimal, collected: Decimal) -> Option<Decimal> {
    (billed > Decimal::ZERO).then(|| {
        (collected * Decimal::ONE_HUNDRED / billed)
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    })
}

#[cfg(test)]
mod rate_day_tests {
    use super::*;
    use crate::domain::billing::Period;

    #[test]
    fn the_second_check_is_the_day_before_the_next_reading() {
        let oct = Period::parse("2026-10").unwrap();
        // read on the 25th: bills out early November, next reading 25 November
        assert_eq!(before_reading_day(oct, 25).to_string(), "2026-11-24");
        // read on the 2nd: the next reading after the bills is 2 December
        assert_eq!(before_reading_day(oct, 2).to_string(), "2026-12-01");
        assert_eq!(before_reading_day(oct, 1).to_string(), "2026-11-30");
        assert_eq!(
            collection_rate(Decimal::from(200), Decimal::from(199)),
            Some(Decimal::new(9950, 2))
        );
        assert_eq!(collection_rate(Decimal::ZERO, Decimal::ZERO), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn kinds_and_what_each_needs() {
        assert_eq!(ReadingKind::parse("２"), Some(ReadingKind::Estimated));
        assert_eq!(ReadingKind::parse("漏抄"), Some(ReadingKind::Missed));
        assert_eq!(ReadingKind::parse("actual"), Some(ReadingKind::Actual));
        assert_eq!(ReadingKind::parse("5"), None);
        let r = check("3710000001", "2026-11-20", "1", "1350.5", "").unwrap();
        assert_eq!(r.value, Some(d("1350.5")));
        assert_eq!(
            check("3710000001", "2026-11-20", "2", "1350", "").unwrap_err(),
            ("reason", "估抄须写明原因".to_string())
        );
        assert!(check("3710000001", "2026-11-20", "2", "1350", "门锁无人").is_ok());
        let missed = check("3710000001", "2026-11-20", "4", "", "狗拦门").unwrap();
        assert_eq!(missed.value, None);
        assert_eq!(
            check("3710000001", "2026-11-20", "4", "12", "狗拦门")
                .unwrap_err()
                .0,
            "value"
        );
        assert_eq!(
            check("3710000001", "2026-02-30", "1", "1", "")
                .unwrap_err()
                .0,
            "read_on"
        );
        assert_eq!(
            check("3710000001", "2026-11-20", "1", "-3", "")
                .unwrap_err()
                .0,
            "value"
        );
    }

    #[test]
    fn a_file_is_taken_whole_or_its_bad_lines_are_listed() {
        let good = "\u{feff}资产编号,抄表日期,抄表类型,示数,原因\n\
                    3710000001,2026-11-20,1,1350,\n\
                    \n\
                    3710000002,2026-11-20,估抄,88.5,门锁无人\n";
        let r = parse_csv(good).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].kind, ReadingKind::Estimated);
        let bad = "资产编号,抄表日期,抄表类型,示数,原因\n\
                   3710000001,2026-11-20,1,1350,\n\
                   3710000002,2026-11-31,1,10,\n\
                   3710000001,2026-11-20,1,1351,\n\
                   3710000003,2026-11-20,1\n";
        let e = parse_csv(bad).unwrap_err();
        let lines: Vec<usize> = e.iter().map(|x| x.line).collect();
        assert_eq!(lines, vec![3, 4, 5]);
        assert!(e[1].message.contains("与第 2 行重复"), "{}", e[1].message);
        assert_eq!(e[2].message, "应有 5 列，这里有 3 列");
        assert_eq!(parse_csv("").unwrap_err()[0].message, "文件是空的");
        assert!(
            parse_csv("a,b\n").unwrap_err()[0]
                .message
                .starts_with("第一行应为列名")
        );
    }

    #[test]
    fn the_collection_rate() {
        assert_eq!(collection_rate(d("1000"), d("987.65")), Some(d("98.77")));
        assert_eq!(collection_rate(d("3"), d("1")), Some(d("33.33")));
        assert_eq!(collection_rate(Decimal::ZERO, d("5")), None);
    }
}

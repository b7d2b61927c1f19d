//! The bill file from the provincial system (`stationdesk import bills FILE.csv`).
//!
//! Format: UTF-8 text (a byte-order mark is allowed; GBK is not read: save the file as
//! UTF-8 first), comma-separated, one bill a line, a header row first:
//!
//! ```text
//! 户号,账期,电量kWh,金额,到期日
//! 0370000000001,2026-10,235,128.53,2026-11-25
//! ```
//!
//! - 户号: the customer's account number as on file;
//! - 账期: the month billed, `YYYY-MM` (`YYYY-M`, `YYYYMM`, `YYYY/MM` accepted);
//! - 电量kWh: whole kWh, 0 or more;
//! - 金额: 元 with at most two decimals, above 0 (`"1,205.30"` in quotes is fine);
//! - 到期日: `YYYY-MM-DD` (or `YYYY/MM/DD`), not before the period's first day.
//!
//! Fields may be in double quotes (`""` inside quotes is one quote). Blank lines are
//! skipped; extra empty columns at the end (as spreadsheets write them) are ignored.
//! This module checks the text; the store checks the accounts and what is already there.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Period;
use crate::domain::money;

/// What a plausible bill looks like, beside its format: periods within a window around
/// today (settings `import.period_past_months`, `import.period_future_months`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub today: NaiveDate,
    pub past_months: u32,
    pub future_months: u32,
}

impl Limits {
    /// The earliest and latest period accepted.
    pub fn window(&self) -> (Period, Period) {
        let now = Period::of(self.today);
        let mut first = now;
        for _ in 0..self.past_months {
            first = first.prev();
        }
        let mut last = now;
        for _ in 0..self.future_months {
            last = last.next();
        }
        (first, last)
    }
}

/// Longest cell accepted (characters); longer ones are refused and quoted shortened.
pub const MAX_CELL_CHARS: usize = 64;

/// Months after its period a due date may fall.
pub const MAX_DUE_MONTHS: u32 = 12;

/// A cell as quoted in a message: at most 20 characters, then `…`.
fn quoted(cell: &str) -> String {
    let cell = cell.trim();
    if cell.chars().count() > 20 {
        let head: String = cell.chars().take(20).collect();
        format!("{head}…")
    } else {
        cell.to_string()
    }
}

/// The header cells, in order (a cell must start with these words).
pub const HEADER: [&str; 5] = ["户号", "账期", "电量", "金额", "到期日"];

/// One checked bill of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BillLine {
    /// physical line number in the file, from 1 (the header is line 1)
    pub line: usize,
    pub account_no: String,
    pub period: Period,
    pub kwh: i64,
    pub amount: Decimal,
    pub due_date: NaiveDate,
}

/// A line that cannot be imported, and why (Chinese).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    /// from 1; 0 for the file as a whole
    pub line: usize,
    pub message: String,
}

impl LineError {
    /// A problem of line `line`. The message quotes the file's own text, so control and
    /// format characters in it are escaped: a hostile file never writes escape sequences
    /// to the screen or the terminal that shows the report.
    pub fn at(line: usize, message: impl Into<String>) -> LineError {
        LineError {
            line,
            message: crate::domain::validate::shown(&message.into()),
        }
    }

    /// `第 3 行：金额应大于 0`
    pub fn describe(&self) -> String {
        if self.line == 0 {
            self.message.clone()
        } else {
            format!("第 {} 行：{}", self.line, self.message)
        }
    }
}

/// Check the whole file: every bill, or every problem found (nothing is imported from a
/// file with any problem).
pub fn parse_bill_file(bytes: &[u8], limits: &Limits) -> Result<Vec<BillLine>, Vec<LineError>> {
    let (bills, errors) = check_bill_file(bytes, limits);
    if errors.is_empty() {
        Ok(bills)
    } else {
        Err(errors)
    }
}

/// Check the whole file: the good bills and every problem, so that the caller can add
/// what only the database knows (unknown 户号) and list everything at once.
pub fn check_bill_file(bytes: &[u8], limits: &Limits) -> (Vec<BillLine>, Vec<LineError>) {
    match check_text(bytes, limits) {
        Ok(both) => both,
        Err(errors) => (Vec::new(), errors),
    }
}

fn check_text(
    bytes: &[u8],
    limits: &Limits,
) -> Result<(Vec<BillLine>, Vec<LineError>), Vec<LineError>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            return Err(vec![LineError::at(line, crate::domain::validate::NOT_UTF8)]);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut errors = Vec::new();
    let mut bills: Vec<BillLine> = Vec::new();
    let mut seen: std::collections::HashMap<(String, Period), usize> =
        std::collections::HashMap::new();
    let mut header_seen = false;
    for (i, raw) in text.split('\n').enumerate() {
        let line_no = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        let cells = match split_csv_line(raw) {
            Ok(c) => c,
            Err(m) => {
                errors.push(LineError::at(line_no, m));
                if !header_seen {
                    header_seen = true;
                }
                continue;
            }
        };
        if !header_seen {
            header_seen = true;
            if let Err(m) = check_header(&cells) {
                errors.push(LineError::at(line_no, m));
                // without a header the rows cannot be trusted to be in this order
                return Err(errors);
            }
            continue;
        }
        match check_row(line_no, &cells, limits) {
            Ok(b) => {
                let key = (b.account_no.clone(), b.period);
                if let Some(first) = seen.get(&key) {
                    errors.push(LineError::at(
                        line_no,
                        format!(
                            "户号 {} 账期 {} 与第 {first} 行重复",
                            b.account_no, b.period
                        ),
                    ));
                } else {
                    seen.insert(key, line_no);
                    bills.push(b);
                }
            }
            Err(problems) => errors.push(LineError::at(line_no, problems.join("；"))),
        }
    }
    if !header_seen {
        errors.push(LineError::at(0, "文件是空的：须有表头行和账单"));
    } else if bills.is_empty() && errors.is_empty() {
        errors.push(LineError::at(0, "文件中只有表头，没有账单"));
    }
    Ok((bills, errors))
}

fn check_header(cells: &[String]) -> Result<(), String> {
    let cells = trim_trailing_empty(cells);
    let ok = cells.len() == HEADER.len()
        && cells
            .iter()
            .zip(HEADER)
            .all(|(c, h)| c.trim().starts_with(h));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "第一行应为表头：户号,账期,电量kWh,金额,到期日（读到：{}）",
            quoted(&cells.join(","))
        ))
    }
}

fn trim_trailing_empty(cells: &[String]) -> &[String] {
    let mut n = cells.len();
    while n > 0 && cells[n - 1].trim().is_empty() {
        n -= 1;
    }
    &cells[..n]
}

fn check_row(line: usize, cells: &[String], limits: &Limits) -> Result<BillLine, Vec<String>> {
    let cells = trim_trailing_empty(cells);
    if cells.len() != HEADER.len() {
        return Err(vec![format!(
            "应有 5 列（户号,账期,电量kWh,金额,到期日），这一行有 {} 列",
            cells.len()
        )]);
    }
    let long: Vec<String> = cells
        .iter()
        .zip(HEADER)
        .filter(|(c, _)| c.chars().count() > MAX_CELL_CHARS)
        .map(|(c, h)| {
            format!(
                "{h}“{}”长达 {} 个字符，超出允许的 {MAX_CELL_CHARS} 个",
                quoted(c),
                c.chars().count()
            )
        })
        .collect();
    if !long.is_empty() {
        return Err(long);
    }
    let mut problems = Vec::new();
    let account_no = cells[0].trim().to_string();
    if account_no.is_empty() {
        problems.push("户号为空".to_string());
    } else if account_no.chars().any(|c| c.is_whitespace()) || account_no.chars().count() > 32 {
        problems.push(format!("户号“{}”格式不对", quoted(&account_no)));
    }
    let period = Period::parse(&cells[1])
        .map_err(|m| problems.push(m.to_string()))
        .ok();
    let (first, last) = limits.window();
    if let Some(p) = period
        && (p < first || p > last)
    {
        problems.push(format!(
            "账期 {p} 不合理：只接受 {first} 至 {last} 的账单（距今 {} 个月以前到 {} 个月以后，见设置）",
            limits.past_months, limits.future_months
        ));
    }
    let kwh_text = cells[2].trim();
    let kwh = match kwh_text.parse::<i64>() {
        Ok(k) if (0..=1_000_000_000).contains(&k) => Some(k),
        _ => {
            problems.push(format!(
                "电量“{}”应为不小于 0 的整数（kWh）",
                quoted(kwh_text)
            ));
            None
        }
    };
    let amount = match money::parse_yuan(&cells[3]) {
        Ok(a) if a > Decimal::ZERO => Some(a),
        Ok(_) => {
            problems.push("金额应大于 0".to_string());
            None
        }
        Err(m) => {
            problems.push(format!("金额“{}”：{m}", quoted(&cells[3])));
            None
        }
    };
    let due_text = cells[4].trim();
    let due = NaiveDate::parse_from_str(due_text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(due_text, "%Y/%m/%d"))
        .map_err(|_| {
            problems.push(format!(
                "到期日“{}”应为 年-月-日，如 2026-11-25",
                quoted(due_text)
            ))
        })
        .ok();
    if let (Some(p), Some(d)) = (period, due)
        && d < p.first_day()
    {
        problems.push(format!("到期日 {d} 早于账期 {p}"));
    }
    if let (Some(p), Some(d)) = (period, due) {
        let mut latest = p;
        for _ in 0..MAX_DUE_MONTHS {
            latest = latest.next();
        }
        if d > latest.last_day() {
            problems.push(format!(
                "到期日 {d} 不合理：晚于账期 {p} 之后 {MAX_DUE_MONTHS} 个月"
            ));
        }
    }
    match (period, kwh, amount, due) {
        (Some(period), Some(kwh), Some(amount), Some(due_date)) if problems.is_empty() => {
            Ok(BillLine {
                line,
                account_no,
                period,
                kwh,
                amount,
                due_date,
            })
        }
        _ => Err(problems),
    }
}

/// Split one CSV line; fields may be quoted (`""` is a quote inside quotes).
pub(crate) fn split_csv_line(line: &str) -> Result<Vec<String>, String> {
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut in_quotes = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                '"' => in_quotes = false,
                _ => cur.push(c),
            }
        } else {
            match c {
                ',' => {
                    cells.push(std::mem::take(&mut cur));
                    was_quoted = false;
                }
                '"' if cur.trim().is_empty() && !was_quoted => {
                    cur.clear();
                    in_quotes = true;
                    was_quoted = true;
                }
                '"' => return Err("引号位置不对".to_string()),
                _ => cur.push(c),
            }
        }
    }
    if in_quotes {
        return Err("引号没有配对（一行中的引号须成对出现）".to_string());
    }
    cells.push(cur);
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn limits() -> Limits {
        Limits {
            today: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            past_months: 36,
            future_months: 1,
        }
    }

    fn parse(bytes: &[u8]) -> Result<Vec<BillLine>, Vec<LineError>> {
        parse_bill_file(bytes, &limits())
    }

    #[test]
    fn implausible_periods_long_cells_and_far_due_dates_are_refused() {
        let text = "户号,账期,电量kWh,金额,到期日\n\
            0370000000001,2988-10,235,128.53,2988-11-25\n\
            0370000000002,2020-01,235,128.53,2020-02-25\n\
            0370000000003,2026-12,235,128.53,2027-01-25\n\
            0370000000004,2027-01,235,128.53,2027-02-25\n\
            0370000000005,2026-10,235,128.53,2028-11-25\n";
        let e = parse(text.as_bytes()).unwrap_err();
        let lines: Vec<usize> = e.iter().map(|x| x.line).collect();
        assert_eq!(lines, [2, 3, 5, 6], "{e:?}");
        assert!(e[0].message.contains("账期 2988-10 不合理"), "{e:?}");
        assert!(e[0].message.contains("2023-11 至 2026-12"), "{e:?}");
        assert!(e[3].message.contains("到期日 2028-11-25 不合理"), "{e:?}");
        let long = format!(
            "户号,账期,电量kWh,金额,到期日\n{},2026-10,235,128.53,2026-11-25\n",
            "9".repeat(5000)
        );
        let e = parse(long.as_bytes()).unwrap_err();
        assert!(e[0].message.contains("长达 5000 个字符"), "{e:?}");
        assert!(e[0].message.chars().count() < 120, "{e:?}");
    }

    const GOOD: &str = "户号,账期,电量kWh,金额,到期日\r\n\
        0370000000001,2026-10,235,128.53,2026-11-25\r\n\
        \r\n\
        0370000000002,2026-9,0,\"1,205.30\",2026/10/25,,\r\n";

    #[test]
    fn a_good_file_with_crlf_quotes_and_a_bom() {
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend_from_slice(GOOD.as_bytes());
        let bills = parse(&bytes).unwrap();
        assert_eq!(bills.len(), 2);
        assert_eq!(bills[0].line, 2);
        assert_eq!(bills[0].account_no, "0370000000001");
        assert_eq!(bills[0].period.to_string(), "2026-10");
        assert_eq!(bills[0].kwh, 235);
        assert_eq!(bills[0].amount, Decimal::from_str("128.53").unwrap());
        assert_eq!(bills[1].line, 4);
        assert_eq!(bills[1].period.to_string(), "2026-09");
        assert_eq!(bills[1].amount, Decimal::from_str("1205.30").unwrap());
        assert_eq!(
            bills[1].due_date,
            NaiveDate::from_ymd_opt(2026, 10, 25).unwrap()
        );
        // the same without a BOM
        assert_eq!(parse(GOOD.as_bytes()).unwrap(), bills);
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number_and_reason() {
        let text = "户号,账期,电量kWh,金额,到期日\n\
            0370000000001,2026-10,235,128.53,2026-11-25\n\
            0370000000002,2026-13,235,128.53,2026-11-25\n\
            0370000000003,2026-10,-5,0,2026-11-25\n\
            ,2026-10,1,1.234,tomorrow\n\
            0370000000001,2026-10,235,128.53,2026-11-25\n\
            0370000000004,2026-10,1,2\n\
            0370000000005,2026-10,1,2,2026-09-30\n\
            0370000000006,\"2026-10,1,2,2026-11-25\n";
        let errors = parse(text.as_bytes()).unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5, 6, 7, 8, 9]);
        assert!(errors[0].message.contains("1 到 12"), "{errors:?}");
        assert!(errors[1].message.contains("电量“-5”"));
        assert!(errors[1].message.contains("金额应大于 0"));
        assert!(errors[2].message.contains("户号为空"));
        assert!(errors[2].message.contains("两位小数"));
        assert!(errors[2].message.contains("到期日“tomorrow”"));
        assert!(errors[3].message.contains("与第 2 行重复"));
        assert!(errors[4].message.contains("应有 5 列"));
        assert!(errors[5].message.contains("早于账期"));
        assert!(errors[6].message.contains("引号"));
        assert_eq!(
            errors[1].describe(),
            format!("第 4 行：{}", errors[1].message)
        );
    }

    #[test]
    fn header_encoding_and_empty_files() {
        let e = parse("0370000000001,2026-10,235,128.53,2026-11-25\n".as_bytes()).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 1);
        assert!(e[0].message.contains("表头"));
        let e = parse(b"").unwrap_err();
        assert!(e[0].message.contains("空的"));
        let e = parse("户号,账期,电量kWh,金额,到期日\n".as_bytes()).unwrap_err();
        assert!(e[0].message.contains("没有账单"));
        // GBK bytes of 户号 on line 2
        let mut bytes = "户号,账期,电量kWh,金额,到期日\n".as_bytes().to_vec();
        bytes.extend_from_slice(&[0xbb, 0xa7, 0xba, 0xc5, b'\n']);
        let e = parse(&bytes).unwrap_err();
        assert_eq!(e[0].line, 2);
        assert!(e[0].message.contains("UTF-8"));
    }
}

//! Tables for people to read elsewhere: one [`Workbook`] (a title, lines about it, tables of
//! typed cells) written three ways — PDF through the print pipeline ([`pdf`]), Excel
//! `.xlsx` ([`xlsx`]) and CSV for Excel ([`csv`]). The station reports fill one; any other
//! document made of tables (the monthly audit report) can fill one too and get the same
//! three files. Pure: no store, no clock; the caller writes the bytes (see `docs/reports.md`).
//!
//! Rule: a cell keeps its type to the end. Money stays a `Decimal` in 元 until the writer
//! (a number with the `0.00` format in Excel, `1234.50` in CSV, `1,234.50` on paper), a date
//! stays a date, and text stays text: text that a spreadsheet would read as a formula
//! (`=`, `+`, `-`, `@`, tab, CR at the start) is written so that it shows as text —
//! `write_string` with Excel's quote prefix in `.xlsx`, a leading `'` in CSV.
pub mod csv;
pub mod pdf;
pub mod xlsx;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use unicode_width::UnicodeWidthStr;

use crate::domain::money::{format_yuan, format_yuan_grouped};

/// One cell of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// a count
    Int(i64),
    /// 元, shown with two decimals
    Money(Decimal),
    /// percentage points (`98.25` is 98.25 %); `None`: nothing to divide by (shown `—`)
    Percent(Option<Decimal>),
    Date(NaiveDate),
    Empty,
}

/// What a table shows where a percentage has nothing to divide by.
pub const NO_RATE: &str = "—";

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// A count from a `usize`.
    pub fn count(n: usize) -> Cell {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// The cell as written in CSV and measured for widths: money `1234.50`, percent
    /// `98.25%`, date `2026-11-05`.
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Money(m) => format_yuan(*m),
            Cell::Percent(Some(p)) => format!("{}%", format_yuan(*p)),
            Cell::Percent(None) => NO_RATE.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Empty => String::new(),
        }
    }

    /// The cell as printed on paper: money grouped (`1,234.50`).
    pub fn printed(&self) -> String {
        match self {
            Cell::Money(m) => format_yuan_grouped(*m),
            other => other.plain(),
        }
    }

    /// Whether the cell is a figure (right-aligned on paper).
    pub fn is_figure(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Money(_) | Cell::Percent(_))
    }
}

/// One table: a sheet of its own in Excel, a titled table on paper, a section in CSV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// the sheet's tab in Excel (made safe and unique by the writer)
    pub name: String,
    /// the heading above the table on paper and in CSV
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// the last row is a total (bold)
    pub total_row: bool,
    /// lines under the table on paper, and on the first sheet in Excel
    pub notes: Vec<String>,
}

impl Sheet {
    pub fn new(name: &str, title: &str, columns: &[&str]) -> Sheet {
        Sheet {
            name: name.to_string(),
            title: title.to_string(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
            total_row: false,
            notes: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<Cell>) -> &mut Sheet {
        self.rows.push(cells);
        self
    }

    /// Adds the total row (drawn bold).
    pub fn total(&mut self, cells: Vec<Cell>) -> &mut Sheet {
        self.rows.push(cells);
        self.total_row = true;
        self
    }

    pub fn note(&mut self, line: impl Into<String>) -> &mut Sheet {
        self.notes.push(line.into());
        self
    }

    /// The cell at (row, column), `Empty` beyond the row's end.
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }

    /// Display width of each column (a CJK character counts 2) over the header and every
    /// cell as written in CSV: what the Excel column widths are made from.
    pub fn column_widths(&self) -> Vec<usize> {
        (0..self.columns.len())
            .map(|c| {
                let head = self.columns[c].width();
                (0..self.rows.len())
                    .map(|r| self.cell(r, c).plain().width())
                    .fold(head, usize::max)
            })
            .collect()
    }

    /// Whether column `col` holds figures only (right-aligned).
    pub fn is_figure_column(&self, col: usize) -> bool {
        let mut any = false;
        for r in 0..self.rows.len() {
            match self.cell(r, col) {
                Cell::Empty => {}
                c if c.is_figure() => any = true,
                _ => return false,
            }
        }
        any
    }
}

/// A document made of tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workbook {
    /// `王庄供电所月报 2026年11月`: the PDF's title, the Excel document title
    pub title: String,
    /// the big heading on paper (`供电所营业月报`)
    pub heading: String,
    /// lines under the heading: (key, value), e.g. (`供电所`, `王庄供电所`)
    pub about: Vec<(String, String)>,
    /// when it was made (from the injected clock): printed, and the Excel creation time
    pub made_at: NaiveDateTime,
    pub sheets: Vec<Sheet>,
    /// signature line at the end of the paper copy (empty: none)
    pub signatures: String,
}

/// The three files a workbook can be written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Pdf,
    Xlsx,
    Csv,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Pdf, Format::Xlsx, Format::Csv];

    /// The file extension (no dot).
    pub fn ext(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }

    /// As offered on screens.
    pub fn label(self) -> &'static str {
        match self {
            Format::Pdf => "PDF（打印）",
            Format::Xlsx => "Excel（.xlsx）",
            Format::Csv => "CSV（UTF-8）",
        }
    }

    /// `pdf`, `xlsx`, `csv` (any case, a leading dot allowed; `excel` is `xlsx`).
    pub fn parse(s: &str) -> Option<Format> {
        match s
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "pdf" => Some(Format::Pdf),
            "xlsx" | "excel" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// The format a file name asks for by its extension.
    pub fn of_path(path: &std::path::Path) -> Option<Format> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_the_same_everywhere() {
        assert_eq!(Cell::Money(Decimal::new(123450, 2)).plain(), "1234.50");
        assert_eq!(Cell::Money(Decimal::new(123450, 2)).printed(), "1,234.50");
        assert_eq!(Cell::Percent(Some(Decimal::new(9825, 2))).plain(), "98.25%");
        assert_eq!(Cell::Percent(None).plain(), "—");
        assert_eq!(
            Cell::Date(NaiveDate::from_ymd_opt(2026, 11, 5).unwrap()).plain(),
            "2026-11-05"
        );
    }

    #[test]
    fn widths_count_chinese_as_two() {
        let mut s = Sheet::new("收费", "收费", &["收费员", "金额"]);
        s.row(vec![
            Cell::text("王丽娟王丽娟"),
            Cell::Money(Decimal::new(5, 0)),
        ]);
        assert_eq!(s.column_widths(), vec![12, 4]);
        assert!(s.is_figure_column(1));
        assert!(!s.is_figure_column(0));
    }

    #[test]
    fn formats_from_names() {
        assert_eq!(
            Format::of_path(std::path::Path::new("a/月报.XLSX")),
            Some(Format::Xlsx)
        );
        assert_eq!(Format::of_path(std::path::Path::new("月报")), None);
        assert_eq!(Format::parse(".csv"), Some(Format::Csv));
        assert_eq!(Format::parse("doc"), None);
    }
}

//! A workbook as an Excel `.xlsx` file (rust_xlsxwriter): a first sheet 说明 with the title,
//! the lines about it and every table's notes, then one sheet per table. Counts, money and
//! percentages are number cells (money `0.00`, percentages `0.00%`, counts `0`), dates date
//! cells (`yyyy-mm-dd`), the header row is bold and frozen, and each column is as wide as
//! its widest cell counting a Chinese character as two (rust_xlsxwriter's autofit counts it
//! as one and cuts Chinese text). Text is always written with `write_string` — never as a
//! formula — and formula-like text also carries Excel's quote prefix, so editing the cell
//! keeps it text.
use rust_xlsxwriter::{DocProperties, Format, FormatBorder, Workbook as XlsxBook, Worksheet};
use unicode_width::UnicodeWidthStr;

use super::csv::is_formula_like;
use super::{Cell, Workbook};
use crate::print::PrintError;

/// Excel's limit on a sheet name, in characters.
const SHEET_NAME_MAX: usize = 31;
/// Column widths in Excel's character units.
const MIN_WIDTH: f64 = 6.0;
const MAX_WIDTH: f64 = 60.0;
/// The 说明 sheet.
const ABOUT_SHEET: &str = "说明";

/// What went wrong, in Chinese (the library's own words are English).
fn failed(e: rust_xlsxwriter::XlsxError) -> PrintError {
    use rust_xlsxwriter::XlsxError as E;
    PrintError::Workbook(
        match e {
            E::RowColumnLimitError => "行数或列数超过 Excel 的上限",
            E::MaxStringLengthExceeded => "有单元格的文字超过 Excel 的 32767 字上限",
            E::ParameterError(_) | E::DateTimeRangeError(_) => {
                "有数值或日期超出 Excel 能表示的范围"
            }
            E::SheetnameCannotBeBlank(_)
            | E::SheetnameLengthExceeded(_)
            | E::SheetnameReused(_)
            | E::SheetnameContainsInvalidCharacter(_)
            | E::SheetnameStartsOrEndsWithApostrophe(_) => "工作表名称不被 Excel 接受",
            E::IoError(_) | E::ZipError(_) | E::TempFileError(..) => "压缩写入出错",
            _ => "内部错误",
        }
        .to_string(),
    )
}

/// A sheet name Excel accepts, different from the names already used.
fn sheet_name(wanted: &str, used: &[String]) -> String {
    let base: String = wanted
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let base = base.trim_matches('\'').trim();
    let base = if base.is_empty() { "表" } else { base };
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    let mut name = cut(base, SHEET_NAME_MAX);
    let mut n = 2;
    while used.iter().any(|u| u.to_lowercase() == name.to_lowercase()) {
        let tail = format!("({n})");
        name = cut(base, SHEET_NAME_MAX - tail.chars().count()) + &tail;
        n += 1;
    }
    name
}

/// The formats of a cell kind, plain and bold (a total row).
struct Formats {
    header: Format,
    text: Format,
    quoted: Format,
    int: Format,
    money: Format,
    percent: Format,
    date: Format,
}

impl Formats {
    fn new(bold: bool) -> Formats {
        let b = |f: Format| if bold { f.set_bold() } else { f };
        Formats {
            header: Format::new()
                .set_bold()
                .set_border_bottom(FormatBorder::Thin),
            text: b(Format::new()),
            quoted: b(Format::new().set_quote_prefix()),
            int: b(Format::new().set_num_format("0")),
            money: b(Format::new().set_num_format("0.00")),
            percent: b(Format::new().set_num_format("0.00%")),
            date: b(Format::new().set_num_format("yyyy-mm-dd")),
        }
    }
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
) -> Result<(), PrintError> {
    match cell {
        Cell::Text(s) if is_formula_like(s) => {
            ws.write_string_with_format(row, col, s, &f.quoted)
                .map_err(failed)?;
        }
        Cell::Text(s) => {
            ws.write_string_with_format(row, col, s, &f.text)
                .map_err(failed)?;
        }
        Cell::Int(n) => {
            // counts are far below 2^53: exact as an Excel number
            ws.write_number_with_format(row, col, *n as f64, &f.int)
                .map_err(failed)?;
        }
        Cell::Money(m) => {
            ws.write_with_format(row, col, *m, &f.money)
                .map_err(failed)?;
        }
        Cell::Percent(Some(p)) => {
            ws.write_with_format(
                row,
                col,
                *p / rust_decimal::Decimal::ONE_HUNDRED,
                &f.percent,
            )
            .map_err(failed)?;
        }
        Cell::Percent(None) => {
            ws.write_string_with_format(row, col, super::NO_RATE, &f.text)
                .map_err(failed)?;
        }
        Cell::Date(d) => {
            ws.write_datetime_with_format(row, col, *d, &f.date)
                .map_err(failed)?;
        }
        Cell::Empty => {}
    }
    Ok(())
}

fn set_widths(ws: &mut Worksheet, widths: &[usize]) -> Result<(), PrintError> {
    for (c, w) in widths.iter().enumerate() {
        let width = (*w as f64 + 2.0).clamp(MIN_WIDTH, MAX_WIDTH);
        ws.set_column_width(u16::try_from(c).unwrap_or(u16::MAX), width)
            .map_err(failed)?;
    }
    Ok(())
}

fn about_sheet(book: &mut XlsxBook, wb: &Workbook) -> Result<(), PrintError> {
    let ws = book.add_worksheet();
    ws.set_name(ABOUT_SHEET).map_err(failed)?;
    let plain = Formats::new(false);
    let bold = Format::new().set_bold();
    let mut row = 0u32;
    ws.write_string_with_format(row, 0, &wb.title, &bold)
        .map_err(failed)?;
    let mut widths = vec![wb.title.width().min(20), 0];
    for (k, v) in &wb.about {
        row += 1;
        write_cell(ws, row, 0, &Cell::text(k.clone()), &plain)?;
        write_cell(ws, row, 1, &Cell::text(v.clone()), &plain)?;
        widths[0] = widths[0].max(k.width());
        widths[1] = widths[1].max(v.width());
    }
    row += 1;
    let contents: Vec<&str> = wb.sheets.iter().map(|s| s.title.as_str()).collect();
    if !contents.is_empty() {
        row += 1;
        ws.write_string_with_format(row, 0, "各表", &bold)
            .map_err(failed)?;
        for s in &wb.sheets {
            row += 1;
            write_cell(ws, row, 0, &Cell::text(s.title.clone()), &plain)?;
            widths[0] = widths[0].max(s.title.width());
            for n in &s.notes {
                row += 1;
                write_cell(ws, row, 1, &Cell::text(n.clone()), &plain)?;
                widths[1] = widths[1].max(n.width());
            }
        }
    }
    set_widths(ws, &widths)
}

/// The workbook as `.xlsx` bytes.
pub fn render(wb: &Workbook) -> Result<Vec<u8>, PrintError> {
    let mut book = XlsxBook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(&wb.title)
            .set_creation_datetime(&wb.made_at),
    );
    about_sheet(&mut book, wb)?;
    let plain = Formats::new(false);
    let bold = Formats::new(true);
    let mut used = vec![ABOUT_SHEET.to_string()];
    for s in &wb.sheets {
        let name = sheet_name(&s.name, &used);
        used.push(name.clone());
        let ws = book.add_worksheet();
        ws.set_name(&name).map_err(failed)?;
        for (c, title) in s.columns.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            ws.write_string_with_format(0, c, title, &plain.header)
                .map_err(failed)?;
        }
        ws.set_freeze_panes(1, 0).map_err(failed)?;
        let last = s.rows.len().saturating_sub(1);
        for (r, cells) in s.rows.iter().enumerate() {
            let f = if s.total_row && r == last {
                &bold
            } else {
                &plain
            };
            let row = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in cells.iter().enumerate() {
                write_cell(ws, row, u16::try_from(c).unwrap_or(u16::MAX), cell, f)?;
            }
        }
        set_widths(ws, &s.column_widths())?;
    }
    book.save_to_buffer().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_safe_and_unique() {
        let used = vec!["说明".to_string()];
        assert_eq!(sheet_name("收费/按方式", &used), "收费_按方式");
        assert_eq!(sheet_name("说明", &used), "说明(2)");
        let long = "很长的名字".repeat(10);
        let n = sheet_name(&long, &used);
        assert_eq!(n.chars().count(), 31);
        assert_eq!(sheet_name("", &used), "表");
    }
}

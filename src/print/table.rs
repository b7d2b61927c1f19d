//! Simple tables: columns sized by weight, cells wrapped within their column, a header that
//! repeats on every page.

use super::layout::{Doc, line_height_mm};
use super::style::{Align, TextStyle};

/// Gap between columns in millimetres.
pub(crate) const GAP: f32 = 1.5;

/// One column: its header, its share of the width (weights are relative) and alignment.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub title: String,
    pub weight: f32,
    pub align: Align,
}

impl Column {
    pub fn new(title: &str, weight: f32, align: Align) -> Self {
        Column {
            title: title.to_owned(),
            weight,
            align,
        }
    }
}

/// A table of text cells; `size` is the font size in points.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    pub size: f32,
}

impl Doc {
    /// Left edge and width of each column across the content width.
    fn column_boxes(&self, columns: &[Column]) -> Vec<(f32, f32)> {
        let total: f32 = columns.iter().map(|c| c.weight.max(0.0)).sum();
        let avail = self.content_width() - GAP * columns.len().saturating_sub(1) as f32;
        let mut x = self.left();
        columns
            .iter()
            .map(|c| {
                let share = if total > 0.0 {
                    c.weight.max(0.0) / total
                } else {
                    1.0 / columns.len() as f32
                };
                let w = (avail * share).max(1.0);
                let b = (x, w);
                x += w + GAP;
                b
            })
            .collect()
    }

    /// Height of a row whose cells are wrapped into `boxes`.
    fn row_height(&self, cells: &[&str], boxes: &[(f32, f32)], size: f32) -> f32 {
        let lines = cells
            .iter()
            .zip(boxes)
            .map(|(c, (_, w))| self.wrap(c, *w, size).len())
            .max()
            .unwrap_or(1);
        lines as f32 * line_height_mm(size)
    }

    fn table_row(
        &mut self,
        cells: &[&str],
        columns: &[Column],
        boxes: &[(f32, f32)],
        style: TextStyle,
    ) {
        let top = self.cursor();
        let mut bottom = top + line_height_mm(style.size);
        for ((cell, col), (x, w)) in cells.iter().zip(columns).zip(boxes) {
            self.set_cursor(top);
            self.paragraph_in(
                *x,
                *w,
                TextStyle {
                    align: col.align,
                    ..style
                },
                cell,
            );
            bottom = bottom.max(self.cursor());
        }
        self.set_cursor(bottom);
    }

    fn table_header(&mut self, columns: &[Column], boxes: &[(f32, f32)], size: f32) {
        let titles: Vec<&str> = columns.iter().map(|c| c.title.as_str()).collect();
        self.table_row(&titles, columns, boxes, TextStyle::new(size).bold());
        let y = self.cursor() + 0.5;
        let (l, r) = (self.left(), self.right());
        self.line((l, y), (r, y), 0.5);
        self.space(1.5);
    }

    /// Draws `table` at the cursor. Rows never split across pages; the header is repeated
    /// at the top of each new page. Missing cells are blank, extra cells are ignored.
    pub fn table(&mut self, table: &Table) -> &mut Self {
        if table.columns.is_empty() {
            return self;
        }
        let boxes = self.column_boxes(&table.columns);
        let size = table.size;
        let titles: Vec<&str> = table.columns.iter().map(|c| c.title.as_str()).collect();
        let header_h = self.row_height(&titles, &boxes, size) + 2.0;
        let first_h = table
            .rows
            .first()
            .map(|r| self.row_height(&cells(r, table.columns.len()), &boxes, size))
            .unwrap_or(0.0);
        self.ensure_space(header_h + first_h);
        self.table_header(&table.columns, &boxes, size);
        for row in &table.rows {
            let cells = cells(row, table.columns.len());
            let h = self.row_height(&cells, &boxes, size);
            if self.ensure_space(h) {
                self.table_header(&table.columns, &boxes, size);
            }
            self.table_row(&cells, &table.columns, &boxes, TextStyle::new(size));
        }
        let y = self.cursor() + 0.5;
        let (l, r) = (self.left(), self.right());
        self.line((l, y), (r, y), 0.5);
        self.space(1.5);
        self
    }
}

fn cells(row: &[String], n: usize) -> Vec<&str> {
    (0..n)
        .map(|i| row.get(i).map_or("", String::as_str))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::Paper;

    #[test]
    fn columns_fill_the_content_width() {
        let doc = Doc::new(Paper::Roll80, "t").unwrap();
        let cols = [
            Column::new("项目", 2.0, Align::Left),
            Column::new("金额", 1.0, Align::Right),
        ];
        let boxes = doc.column_boxes(&cols);
        let (x_last, w_last) = boxes[1];
        assert!((x_last + w_last - doc.right()).abs() < 0.01);
        assert!((boxes[0].1 - 2.0 * boxes[1].1).abs() < 0.01);
    }

    #[test]
    fn long_table_breaks_pages_on_a5() {
        let mut doc = Doc::new(Paper::A5, "t").unwrap();
        let rows = (0..80)
            .map(|i| vec![format!("第{i}行"), "¥1.00".to_owned()])
            .collect();
        let cols = vec![
            Column::new("项目", 2.0, Align::Left),
            Column::new("金额", 1.0, Align::Right),
        ];
        doc.table(&Table {
            columns: cols,
            rows,
            size: 10.0,
        });
        let pdf = doc.finish().unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }
}

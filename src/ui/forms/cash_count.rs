//! The cash counted at the day end: one field per denomination (pieces), the total and
//! the difference shown live as 长款/短款, and the reason (required when it is not zero).
use std::sync::OnceLock;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};
use rust_decimal::Decimal;

use crate::domain::money;
use crate::print::Denomination;
use crate::service::payments::standard_denominations;
use crate::ui::screens::pay_text::{difference_text, spread};
use crate::ui::theme;
use crate::ui::widgets::field::{Form, TextField};

/// The denominations' labels, once for the program: form fields name themselves with
/// `&'static str`.
fn denomination_labels() -> &'static [&'static str] {
    static LABELS: OnceLock<Vec<&'static str>> = OnceLock::new();
    LABELS.get_or_init(|| {
        standard_denominations()
            .into_iter()
            .map(|d| &*Box::leak(d.label.into_boxed_str()))
            .collect()
    })
}

/// The cash counted, one field per denomination (pieces), and the reason.
pub struct CashCount {
    pub form: Form,
    faces: Vec<Denomination>,
}

impl Default for CashCount {
    fn default() -> Self {
        Self::new()
    }
}

impl CashCount {
    pub fn new() -> CashCount {
        let faces = standard_denominations();
        let mut fields: Vec<TextField> = denomination_labels()
            .iter()
            .map(|l| TextField::new(l, l).max(6))
            .collect();
        fields.push(
            TextField::new("difference_reason", "原因")
                .max(200)
                .hint("清点与应交不符时须填写"),
        );
        CashCount {
            form: Form::new(fields),
            faces,
        }
    }

    /// Pieces typed per denomination (blank = 0); `None` where it is not a number.
    fn pieces(&self, i: usize) -> Option<u32> {
        let v = crate::domain::validate::fold_digits(&self.form.fields.get(i)?.value);
        let v = v.trim();
        if v.is_empty() {
            Some(0)
        } else {
            v.parse().ok()
        }
    }

    pub fn counted(&self) -> Decimal {
        self.faces
            .iter()
            .enumerate()
            .map(|(i, d)| d.face * Decimal::from(self.pieces(i).unwrap_or(0)))
            .sum()
    }

    /// The denominations as counted; a bad number goes next to its field.
    pub fn read(&mut self) -> Option<Vec<Denomination>> {
        self.form.clear_errors();
        let mut out = Vec::new();
        for (i, d) in self.faces.iter().enumerate() {
            match self.pieces(i) {
                Some(n) => out.push(Denomination {
                    pieces: n,
                    ..d.clone()
                }),
                None => {
                    let key = self.form.fields[i].key;
                    self.form
                        .set_error(key, format!("{}：张数应为整数", d.label));
                    return None;
                }
            }
        }
        Some(out)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, expected: Decimal) -> Option<Position> {
        let mut cursor = None;
        let w = usize::from(area.width);
        let n = self.faces.len();
        let mut y = area.y;
        Line::from(Span::styled(" 清点现金（张数）", theme::heading()))
            .render(Rect::new(area.x, y, area.width, 1), buf);
        y += 1;
        for (i, d) in self.faces.iter().enumerate() {
            if y >= area.bottom() {
                break;
            }
            let f = &self.form.fields[i];
            let r = Rect::new(area.x, y, 18.min(area.width), 1);
            if let Some(p) = f.render(r, buf, self.form.focus == i, 10) {
                cursor = Some(p);
            }
            let sub = match self.pieces(i) {
                Some(p) => money::format_yuan_grouped(d.face * Decimal::from(p)),
                None => "—".into(),
            };
            let rest = Rect::new(area.x + 18, y, area.width.saturating_sub(18), 1);
            Line::from(spread(" 张", &sub, w.saturating_sub(19))).render(rest, buf);
            y += 1;
        }
        let counted = self.counted();
        let diff = counted - expected;
        let mut lines = vec![
            Line::from(spread(
                " 清点合计",
                &format!("{} 元", money::format_yuan_grouped(counted)),
                w - 1,
            )),
            Line::from(spread(
                " 应交现金",
                &format!("{} 元", money::format_yuan_grouped(expected)),
                w - 1,
            )),
            Line::from(Span::styled(
                spread(" 差额", &difference_text(diff), w - 1),
                if diff.is_zero() {
                    theme::info()
                } else {
                    theme::warn()
                },
            )),
        ];
        if let Some(e) = self.form.fields[..n].iter().find_map(|f| f.error.clone()) {
            lines.push(Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            )));
        }
        let h = u16::try_from(lines.len()).unwrap_or(0);
        Paragraph::new(lines).render(
            Rect::new(
                area.x,
                y,
                area.width,
                h.min(area.bottom().saturating_sub(y)),
            ),
            buf,
        );
        y += h;
        if y < area.bottom() {
            let mut reason = self.form.fields[n].clone();
            reason.required = !diff.is_zero();
            let r = Rect::new(area.x, y, area.width, (area.bottom() - y).min(2));
            if let Some(p) = reason.render(r, buf, self.form.focus == n, 8) {
                cursor = Some(p);
            }
        }
        cursor
    }
}
crate::has_form!(CashCount);

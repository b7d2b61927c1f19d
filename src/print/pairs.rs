//! Two key/value pairs on one line (e.g. `户号：…  户名：…`) where the paper is wide enough.

use super::layout::{Doc, line_height_mm};
use super::style::{Align, TextStyle};

/// Content narrower than this (80 mm roll) puts the pairs one below the other.
const MIN_WIDTH_FOR_PAIRS: f32 = 100.0;
/// Gap between the two halves in millimetres.
const GAP: f32 = 4.0;

impl Doc {
    /// Whether [`Doc::key_value_pair`] puts two pairs side by side on this paper.
    pub fn pairs_side_by_side(&self) -> bool {
        self.content_width() >= MIN_WIDTH_FOR_PAIRS
    }

    /// Two key/value pairs side by side, each in half the content width, the keys in the key
    /// column of their half. On narrow paper, or when a pair does not fit on one line in its
    /// half (a long company name), the same as two [`Doc::key_value`] rows.
    pub fn key_value_pair(
        &mut self,
        style: TextStyle,
        left: (&str, &str),
        right: (&str, &str),
    ) -> &mut Self {
        let half = (self.content_width() - GAP) / 2.0;
        let fits = |doc: &Doc, (key, value): (&str, &str)| {
            let key_w = (doc.measure(key, style.size) + 1.0).max(doc.key_column());
            key_w + doc.measure(value, style.size) <= half
        };
        if !self.pairs_side_by_side() || !fits(self, left) || !fits(self, right) {
            self.key_value(style, left.0, left.1);
            return self.key_value(style, right.0, right.1);
        }
        let lh = line_height_mm(style.size);
        self.ensure_space(lh);
        let top = self.cursor();
        let mut bottom = top + lh;
        for (i, (key, value)) in [left, right].into_iter().enumerate() {
            let x = self.left() + i as f32 * (half + GAP);
            let key_w = self.measure(key, style.size) + 1.0;
            let col = key_w.max(self.key_column());
            let key_style = TextStyle {
                align: Align::Left,
                ..style
            };
            self.set_cursor(top);
            self.paragraph_in(x, col, key_style, key);
            bottom = bottom.max(self.cursor());
            self.set_cursor(top);
            let value_style = TextStyle {
                bold: false,
                ..key_style
            };
            self.paragraph_in(x + col, (half - col).max(1.0), value_style, value);
            bottom = bottom.max(self.cursor());
        }
        self.set_cursor(bottom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::Paper;

    #[test]
    fn pairs_share_a_line_on_a5_and_stack_on_roll() {
        for (paper, lines) in [(Paper::A5, 1.0), (Paper::Roll80, 2.0)] {
            let mut d = Doc::new(paper, "t").unwrap();
            let y0 = d.cursor();
            d.key_value_pair(
                TextStyle::new(9.0),
                ("户号：", "3700012345678"),
                ("户名：", "王建国"),
            );
            let got = (d.cursor() - y0) / line_height_mm(9.0);
            assert!((got - lines).abs() < 0.01, "{paper:?}: {got}");
        }
        // A value too long for its half: one pair per line.
        let mut d = Doc::new(Paper::A5, "t").unwrap();
        let y0 = d.cursor();
        let long = "城关镇和平路农贸市场经营管理有限公司";
        d.key_value_pair(
            TextStyle::new(10.0),
            ("户号：", "3700012345678"),
            ("户名：", long),
        );
        let got = (d.cursor() - y0) / line_height_mm(10.0);
        assert!((got - 2.0).abs() < 0.01, "{got}");
    }
}

//! Horizontal rules and the millimetre ruler, built on [`Doc::line`].

use super::layout::Doc;
use super::style::TextStyle;

impl Doc {
    fn rule_impl(&mut self, dashed: bool) -> &mut Self {
        self.ensure_space(3.0);
        let y = self.cursor() + 1.5;
        let (from, to) = ((self.left(), y), (self.right(), y));
        if dashed {
            self.dashed_line(from, to, 0.6);
        } else {
            self.line(from, to, 0.6);
        }
        self.space(3.0)
    }

    /// A solid horizontal line across the content width, with a little space around it.
    pub fn rule(&mut self) -> &mut Self {
        self.rule_impl(false)
    }

    /// A dashed horizontal line (the usual tear-off / section line on receipts).
    pub fn dashed_rule(&mut self) -> &mut Self {
        self.rule_impl(true)
    }

    /// A millimetre ruler `length_mm` long from the left margin: ticks every mm, longer every
    /// 5 mm, labelled in centimetres. Printing it and measuring shows whether the printer
    /// scales the page.
    pub fn ruler(&mut self, length_mm: f32) -> &mut Self {
        let length = length_mm.min(self.content_width()).floor();
        let label = TextStyle::new(6.0).center();
        self.ensure_space(9.0);
        let (x0, base) = (self.left(), self.cursor() + 5.0);
        self.line((x0, base), (x0 + length, base), 0.5);
        let mut mm = 0u16;
        while f32::from(mm) <= length {
            let x = x0 + f32::from(mm);
            let tick = match mm % 10 {
                0 => 3.0,
                5 => 2.0,
                _ => 1.2,
            };
            self.line((x, base - tick), (x, base), 0.3);
            if mm.is_multiple_of(10) {
                self.text_at(x, base + 3.0, label, &(mm / 10).to_string());
            }
            mm += 1;
        }
        self.space(9.0)
    }
}

//! What the day-end screen writes: the summary of the cashier's day (totals by method,
//! receipt range, voids, reversals, reprints), the side column and the strip of days.
use super::{DayEndView, weekday};
use crate::domain::money;
use crate::service::payments::DayEndPreview;
use crate::ui::keymap::{self, Action, Context};
use crate::ui::screens::pay_text::{difference_text, pad, spread};
use crate::ui::theme;
use ratatui::text::{Line, Span};

impl DayEndView {
    pub(super) fn summary_lines(&self, p: &DayEndPreview, w: usize) -> Vec<Line<'static>> {
        let mut l = vec![Line::from(Span::styled(
            format!(
                " {} {}  收款员 {}",
                p.business_date,
                weekday(p.business_date),
                p.cashier
            ),
            theme::heading(),
        ))];
        let nth = crate::print::batch_word(p.batch);
        l.push(Line::from(match &self.closed {
            Some(d) if p.batch > 1 => format!(
                " {}第{nth}次日结已完成（{}）",
                theme::MARK_OK,
                d.closed_at.format("%m-%d %H:%M")
            ),
            Some(d) => format!(
                " {}已日结（{}）",
                theme::MARK_OK,
                d.closed_at.format("%m-%d %H:%M")
            ),
            None if p.batch > 1 => {
                format!(" 状态：未日结（第{nth}次，上次后的收款）")
            }
            None => " 状态：未日结".into(),
        }));
        l.push(Line::from(match (&p.receipt_first, &p.receipt_last) {
            (Some(a), Some(b)) => format!(" 收据 {a}–{b}"),
            _ if p.batch > 1 => " 上次日结之后没有收据".into(),
            _ => " 当天没有收据".into(),
        }));
        l.push(Line::from(format!(
            " 共 {} 张  作废 {}  红冲 {}  补打 {} 次",
            p.receipt_count,
            p.voids.len(),
            p.reversals.len(),
            p.reprints
        )));
        l.push(Line::from(Span::styled(
            " 应收（不含作废）",
            theme::heading(),
        )));
        for m in &p.by_method {
            l.push(Line::from(spread(
                &format!("   {}{} 笔", pad(&m.method, 10), m.count),
                &money::format_yuan_grouped(m.amount),
                w - 1,
            )));
        }
        l.push(Line::from(spread(
            "   合计",
            &money::format_yuan_grouped(p.expected_total),
            w - 1,
        )));
        l.push(Line::from(Span::styled(
            spread(
                " 应交现金",
                &format!("{} 元", money::format_yuan_grouped(p.cash_expected)),
                w - 1,
            ),
            theme::heading(),
        )));
        if let Some(d) = &self.closed {
            l.push(Line::from(spread(
                " 清点现金",
                &format!("{} 元", money::format_yuan_grouped(d.cash_counted)),
                w - 1,
            )));
            l.push(Line::from(spread(
                " 差额",
                &difference_text(d.difference),
                w - 1,
            )));
        }
        l
    }

    pub(super) fn side_lines(&self, p: &DayEndPreview) -> Vec<Line<'static>> {
        let mut l = Vec::new();
        let items = p
            .voids
            .iter()
            .map(|v| ("作废", v))
            .chain(p.reversals.iter().map(|r| ("红冲", r)));
        for (what, it) in items {
            // the payer without the 户号: the number is on the receipt
            let name = it
                .customer_name
                .split_once(' ')
                .map_or(it.customer_name.as_str(), |(_, n)| n);
            l.push(Line::from(format!(
                " {what} {} {}",
                it.receipt_no,
                money::format_yuan_grouped(it.amount)
            )));
            l.push(Line::from(format!("   {name}：{}", it.reason)));
        }
        if l.is_empty() {
            l.push(Line::from(" 当天没有作废和红冲"));
        }
        if let Some(d) = &self.closed
            && !d.difference_reason.is_empty()
        {
            l.push(Line::from(format!(" 差额原因：{}", d.difference_reason)));
        }
        if !self.others.is_empty() {
            l.push(Line::default());
            l.push(Line::from(Span::styled(
                " 其他收款员未日结：",
                theme::heading(),
            )));
            for o in &self.others {
                l.push(Line::from(format!(
                    "   {} {}",
                    o.business_date.format("%m-%d"),
                    o.cashier
                )));
            }
        }
        if self.closed.is_none() {
            l.push(Line::default());
            l.push(Line::from(Span::styled(
                format!(
                    " {} 点钞日结；日结后自动打印日结单",
                    keymap::key_label(Context::DayEnd, Action::CountCash)
                ),
                theme::dim(),
            )));
        }
        l
    }

    /// ` 日期（←/→）：… 11-20 [11-23] 11-24`: the days still open and today, cut to
    /// `width` around the one shown.
    pub(super) fn day_strip(&self, width: usize) -> String {
        let head = format!(" 日期（←/→，{} 天）：", self.days.len());
        let items: Vec<String> = self
            .days
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let s = d.format("%m-%d").to_string();
                if i == self.idx { format!("[{s}]") } else { s }
            })
            .collect();
        // every item is ASCII: its width is its length; 2 more for the marks of a cut
        let room = width.saturating_sub(unicode_width::UnicodeWidthStr::width(head.as_str()) + 4);
        let fits =
            |a: usize, b: usize| items[a..=b].iter().map(|s| s.len() + 1).sum::<usize>() <= room;
        if items.is_empty() {
            return head;
        }
        let (mut a, mut b) = (self.idx.min(items.len() - 1), self.idx.min(items.len() - 1));
        loop {
            let grown = if b + 1 < items.len() && fits(a, b + 1) {
                b += 1;
                true
            } else {
                false
            };
            let back = if a > 0 && fits(a - 1, b) {
                a -= 1;
                true
            } else {
                false
            };
            if !grown && !back {
                break;
            }
        }
        format!(
            "{head}{}{}{}",
            if a > 0 { "… " } else { "" },
            items[a..=b].join(" "),
            if b + 1 < items.len() { " …" } else { "" }
        )
    }
}

//! 日清日结: the signed-in cashier's day as the day end will record it (expected totals by
//! method, receipt range, voids, reversals, reprints, cash expected); `Enter` opens the
//! count of the cash by denomination with the difference shown live as 长款/短款 (a
//! reason is required when it is not zero); one confirm, then the day is closed and its
//! report printed. `←/→` move between the days still open and today, `P` prints a closed
//! day's report again (补打), `L` lists past day ends.
use chrono::{Datelike, NaiveDate};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::domain::money;
use crate::service::payments::{DayEndPreview, DayEndSummary, OpenDay};
use crate::service::{Service, Session};
use crate::ui::forms::cash_count::CashCount;
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::Op;
use crate::ui::screen::Screen;
use crate::ui::screens::pay_text::{difference_text, pad, printed_text, spread};
use crate::ui::widgets::modal::{self, Step};
use crate::ui::{text, theme};

fn weekday(d: NaiveDate) -> &'static str {
    text::WEEKDAYS[d.weekday().num_days_from_monday() as usize]
}

/// The confirmed close of the cashier's day with what the count form holds.
#[derive(Debug)]
pub struct CloseDay;

pub struct DayEndView {
    session: Session,
    /// the cashier's days still open, and today, oldest first
    days: Vec<NaiveDate>,
    idx: usize,
    /// other cashiers' open days (the chief and auditors see them)
    others: Vec<OpenDay>,
    preview: Option<DayEndPreview>,
    /// the closed day end of the day shown, if closed
    closed: Option<DayEndSummary>,
    error: Option<String>,
    count: Option<CashCount>,
}

impl DayEndView {
    pub fn load(svc: &Service, session: &Session) -> DayEndView {
        let mut v = DayEndView {
            session: session.clone(),
            days: Vec::new(),
            idx: 0,
            others: Vec::new(),
            preview: None,
            closed: None,
            error: None,
            count: None,
        };
        v.load_days(svc);
        v.reload(svc);
        v
    }

    fn load_days(&mut self, svc: &Service) {
        let today = svc.now().date();
        let mut days = vec![today];
        match svc.days_to_close(&self.session) {
            Ok(open) => {
                let (mine, others): (Vec<OpenDay>, Vec<OpenDay>) = open
                    .into_iter()
                    .partition(|d| d.cashier_id == self.session.staff_id);
                days.extend(mine.iter().map(|d| d.business_date));
                self.others = others;
            }
            Err(e) => self.error = Some(e.message()),
        }
        days.sort();
        days.dedup();
        // the oldest day still open first: days are closed in order
        self.days = days;
        self.idx = 0;
    }

    fn day(&self) -> Option<NaiveDate> {
        self.days.get(self.idx).copied()
    }

    pub fn reload(&mut self, svc: &Service) {
        let Some(day) = self.day() else {
            return;
        };
        match svc.day_end_preview(&self.session, day) {
            Ok(p) => {
                self.closed = match p.closed {
                    Some(id) => svc
                        .day_ends(&self.session, day, day)
                        .ok()
                        .and_then(|l| l.into_iter().find(|d| d.id == id)),
                    None => None,
                };
                self.preview = Some(p);
                self.error = None;
            }
            Err(e) => {
                self.preview = None;
                self.error = Some(e.message());
            }
        }
    }

    fn confirm(&mut self) -> Option<Msg> {
        let p = self.preview.as_ref()?;
        let count = self.count.as_mut()?;
        count.read()?;
        let counted = count.counted();
        let diff = counted - p.cash_expected;
        let reason = count.form.value("difference_reason").trim().to_string();
        if !diff.is_zero() && reason.is_empty() {
            count
                .form
                .set_error("difference_reason", "请填写差额原因".into());
            return None;
        }
        let range = match (&p.receipt_first, &p.receipt_last) {
            (Some(a), Some(b)) => format!("收据 {a}–{b} 共 {} 张", p.receipt_count),
            _ => "当天没有收据".into(),
        };
        let mut lines = vec![
            format!(
                "日结 {} {}（收款员 {}）？",
                p.business_date,
                weekday(p.business_date),
                p.cashier
            ),
            format!(
                "{range}，作废 {} 张，红冲 {} 张，补打 {} 次",
                p.voids.len(),
                p.reversals.len(),
                p.reprints
            ),
            format!(
                "应收合计 {} 元，应交现金 {} 元",
                money::format_yuan_grouped(p.expected_total),
                money::format_yuan_grouped(p.cash_expected)
            ),
            format!(
                "清点现金 {} 元，差额 {}",
                money::format_yuan_grouped(counted),
                difference_text(diff)
            ),
        ];
        if !reason.is_empty() {
            lines.push(format!("差额原因：{reason}"));
        }
        lines.push("日结后当天的收据不能再作废，当天也不能再收款。".into());
        Some(Msg::Confirm(Confirm {
            title: "日清日结".into(),
            lines,
            on_yes: Op::new(CloseDay),
        }))
    }

    /// The confirmed day end: closed with what the count form holds, then its report
    /// printed at once.
    pub fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        op.get::<CloseDay>()?;
        let day = self.day()?;
        let count = self.count.as_mut()?;
        let denoms = count.read()?;
        let reason = count.form.value("difference_reason").to_string();
        match svc.close_day(session, day, &denoms, &reason) {
            Ok(id) => {
                self.count = None;
                self.reload(svc);
                let said = match svc.print_day_end(session, id) {
                    Ok(out) => Msg::info(format!(
                        "{day} 已日结；日结单已打印（{}）",
                        printed_text(&out)
                    )),
                    Err(e) => Msg::error(format!(
                        "{day} 已日结，但日结单未能打印：{}（可按 {} 补打）",
                        e.message(),
                        keymap::key_label(Context::DayEnd, Action::PrintDayEnd)
                    )),
                };
                Some(Msg::Batch(vec![Msg::Refresh, said]))
            }
            Err(e) => count.form.place_error(&e),
        }
    }

    fn summary_lines(&self, p: &DayEndPreview, w: usize) -> Vec<Line<'static>> {
        let mut l = vec![Line::from(Span::styled(
            format!(
                " {} {}  收款员 {}",
                p.business_date,
                weekday(p.business_date),
                p.cashier
            ),
            theme::heading(),
        ))];
        l.push(Line::from(match &self.closed {
            Some(d) => format!(
                " {}已日结（{}）",
                theme::MARK_OK,
                d.closed_at.format("%m-%d %H:%M")
            ),
            None => " 状态：未日结".into(),
        }));
        l.push(Line::from(match (&p.receipt_first, &p.receipt_last) {
            (Some(a), Some(b)) => format!(" 收据 {a}–{b}"),
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

    fn side_lines(&self, p: &DayEndPreview) -> Vec<Line<'static>> {
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
    fn day_strip(&self, width: usize) -> String {
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

impl Screen for DayEndView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_DAY_END
    }

    fn context(&self) -> Context {
        if self.count.is_some() {
            Context::Form
        } else {
            Context::DayEnd
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.count, ev, action, "已取消，未日结") {
            Some(Step::Submit(_)) => {
                return self.confirm();
            }
            Some(Step::Done(m)) => return m,
            None => {}
        }
        match action? {
            Action::Back => return Some(Msg::Pop),
            Action::PrevDay => {
                self.idx = self.idx.saturating_sub(1);
                self.reload(svc);
            }
            Action::NextDay => {
                self.idx = (self.idx + 1).min(self.days.len().saturating_sub(1));
                self.reload(svc);
            }
            Action::CountCash => {
                if let Err(e) = crate::service::payments::cashier_check(session) {
                    return Some(Msg::warn(e.message()));
                }
                let p = self.preview.as_ref()?;
                if let Some(d) = &self.closed {
                    return Some(Msg::warn(format!(
                        "{} 已于 {} 日结",
                        p.business_date,
                        d.closed_at.format("%Y-%m-%d %H:%M")
                    )));
                }
                self.count = Some(CashCount::new());
            }
            Action::PrintDayEnd => {
                let Some(d) = &self.closed else {
                    return Some(Msg::warn("这一天尚未日结，日结后自动打印日结单"));
                };
                return Some(match svc.print_day_end(session, d.id) {
                    Ok(out) => Msg::info(format!("日结单已补打（{}）", printed_text(&out))),
                    Err(e) => Msg::error(format!("日结单未能打印：{}", e.message())),
                });
            }
            Action::OpenHistory => {
                return Some(Msg::push(super::day_ends::DayEndsView::load(svc, session)));
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(4)]).areas(area);
        Line::from(self.day_strip(usize::from(head.width))).render(head, buf);
        let Some(p) = &self.preview else {
            let msg = self.error.clone().unwrap_or_default();
            Line::from(format!(" {}{msg}", theme::MARK_ERROR)).render(body, buf);
            return None;
        };
        let left_w = if body.width >= 110 { 56 } else { 40 };
        let [left, right] =
            Layout::horizontal([Constraint::Length(left_w), Constraint::Min(20)]).areas(body);
        Paragraph::new(self.summary_lines(p, usize::from(left.width))).render(left, buf);
        let block = Block::default().borders(Borders::LEFT);
        let inner = block.inner(right);
        block.render(right, buf);
        match &self.count {
            Some(c) => c.render(inner, buf, p.cash_expected),
            None => {
                Paragraph::new(self.side_lines(p)).render(inner, buf);
                None
            }
        }
    }

    fn refresh(&mut self, svc: &Service) {
        DayEndView::reload(self, svc);
    }

    fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        DayEndView::run(self, svc, session, op)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::role::Role;

    fn view(days: usize, idx: usize) -> DayEndView {
        let start = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        DayEndView {
            session: Session {
                staff_id: 1,
                username: "suozhang".into(),
                display_name: "李建国".into(),
                role: Role::Chief,
                is_admin: true,
                must_change_password: false,
            },
            days: (0..days)
                .map(|i| start + chrono::Duration::days(i as i64))
                .collect(),
            idx,
            others: Vec::new(),
            preview: None,
            closed: None,
            error: None,
            count: None,
        }
    }

    #[test]
    fn the_day_strip_keeps_the_day_shown_in_view_within_the_width() {
        use unicode_width::UnicodeWidthStr;
        let v = view(3, 1);
        assert_eq!(v.day_strip(80), " 日期（←/→，3 天）：10-01 [10-02] 10-03");
        for (idx, left, right) in [(0, false, true), (15, true, true), (29, true, false)] {
            let s = view(30, idx).day_strip(80);
            let shown =
                NaiveDate::from_ymd_opt(2026, 10, 1).unwrap() + chrono::Duration::days(idx as i64);
            assert!(s.contains(&format!("[{}]", shown.format("%m-%d"))), "{s}");
            assert!(s.width() <= 80, "{s}");
            assert_eq!(s.contains("… "), left, "{s}");
            assert_eq!(s.contains(" …"), right, "{s}");
        }
    }
}

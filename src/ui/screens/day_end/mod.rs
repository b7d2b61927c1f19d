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
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::domain::money;
use crate::service::payments::{DayEndPreview, DayEndSummary, OpenDay};
use crate::service::{Service, Session};
use crate::ui::forms::cash_count::CashCount;
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::Op;
use crate::ui::screen::Screen;
use crate::ui::screens::pay_text::{difference_text, printed_text};
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

mod lines;

/// 日清日结 for whoever is signed in: a cashier's own day; an auditor (who takes no
/// money) the list of every cashier's day ends, so no screen calls him 收款员.
pub fn open_for(svc: &Service, session: &Session) -> Msg {
    if session.can_write() {
        Msg::push(DayEndView::load(svc, session))
    } else {
        Msg::push(crate::ui::screens::day_ends::DayEndsView::load(
            svc, session,
        ))
    }
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
                // the day's work copied away at once, in the background
                Some(Msg::Batch(vec![
                    Msg::Refresh,
                    said,
                    Msg::Backup(crate::domain::backup::Reason::DayEnd),
                ]))
            }
            Err(e) => count.form.place_error(&e),
        }
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
                if self.idx == 0 {
                    // the strip holds the days still open and today: say where the rest are
                    return Some(Msg::info(format!(
                        "没有更早的未日结日期；已日结的日子按 {} 在历史日结中查看",
                        keymap::key_label(Context::DayEnd, Action::OpenHistory)
                    )));
                }
                self.idx -= 1;
                self.reload(svc);
            }
            Action::NextDay => {
                if self.idx + 1 >= self.days.len() {
                    return Some(Msg::info("已是最后一天（今天）"));
                }
                self.idx += 1;
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

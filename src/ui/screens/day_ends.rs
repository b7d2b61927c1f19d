//! 日清日结 · 历史: closed day ends, newest first (the chief and auditors see every
//! cashier's, a cashier their own), with the difference as 长款/短款; `P` prints a
//! report again (补打, counted).

use chrono::Duration;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Row, Table, Widget};

use crate::domain::money;
use crate::service::payments::DayEndSummary;
use crate::service::{Service, Session};
use crate::ui::keymap::Action;
use crate::ui::keymap::Context;
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::screens::pay_text::{difference_text, printed_text};
use crate::ui::theme;
use crate::ui::widgets::chrome::selectable_rows;
use crate::ui::widgets::list;
use crossterm::event::KeyEvent;
use ratatui::layout::Position;

/// How far back the list goes.
const DAYS_BACK: i64 = 92;

pub struct DayEndsView {
    session: Session,
    list: Vec<DayEndSummary>,
    selected: usize,
    offset: crate::ui::widgets::list::Scroll,
    error: Option<String>,
}

impl DayEndsView {
    pub fn load(svc: &Service, session: &Session) -> DayEndsView {
        let mut v = DayEndsView {
            session: session.clone(),
            list: Vec::new(),
            selected: 0,
            offset: crate::ui::widgets::list::Scroll::default(),
            error: None,
        };
        v.reload(svc);
        v
    }

    pub fn reload(&mut self, svc: &Service) {
        let today = svc.now().date();
        match svc.day_ends(&self.session, today - Duration::days(DAYS_BACK), today) {
            Ok(l) => {
                self.list = l;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.list.len().saturating_sub(1));
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let [head, list] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(2)]).areas(area);
        Line::from(format!(
            " 最近 {DAYS_BACK} 天的日结（共 {} 条，新的在前）",
            self.list.len()
        ))
        .render(head, buf);
        if self.list.is_empty() {
            let msg = self
                .error
                .clone()
                .unwrap_or_else(|| "还没有日结记录".into());
            Line::from(format!(" {msg}")).render(list, buf);
            return;
        }
        let h = usize::from(list.height.saturating_sub(1));
        // amounts shown whole however large: the columns widen to the largest
        let w = usize::from(crate::ui::widgets::list::fit(
            10,
            self.list.iter().flat_map(|d| {
                [d.expected_total, d.cash_expected, d.cash_counted].map(money::format_yuan_grouped)
            }),
        ));
        let rows: Vec<Row> = selectable_rows(&self.list, self.selected, &self.offset, h, |d| {
            vec![
                d.business_date.to_string(),
                d.cashier.clone(),
                format!("{:>w$}", money::format_yuan_grouped(d.expected_total)),
                format!("{:>w$}", money::format_yuan_grouped(d.cash_expected)),
                format!("{:>w$}", money::format_yuan_grouped(d.cash_counted)),
                difference_text(d.difference).replace(" 元", ""),
                d.closed_at.format("%m-%d %H:%M").to_string(),
            ]
        });
        Table::new(
            rows,
            [
                Constraint::Length(11),
                Constraint::Length(8),
                Constraint::Length(w as u16),
                Constraint::Length(w as u16),
                Constraint::Length(w as u16),
                Constraint::Length(14),
                Constraint::Min(11),
            ],
        )
        .header(
            Row::new(vec![
                " 日期".to_string(),
                "收款员".to_string(),
                format!("{:>w$}", "应收", w = w - 2),
                format!("{:>w$}", "应交现金", w = w - 4),
                format!("{:>w$}", "清点现金", w = w - 4),
                "差额".to_string(),
                "日结时间".to_string(),
            ])
            .style(theme::heading()),
        )
        .render(list, buf);
    }
}

impl Screen for DayEndsView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_DAY_ENDS
    }

    fn context(&self) -> Context {
        Context::DayEnds
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        _ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        let n = self.list.len();
        match action? {
            a if list::is_move(a) => list::step(&mut self.selected, n, self.offset.page(), a),
            Action::Back => return Some(Msg::Pop),
            Action::PrintDayEnd => {
                if !session.can_write() {
                    return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
                }
                let d = self.list.get(self.selected)?;
                return Some(match svc.print_day_end(session, d.id) {
                    Ok(out) => Msg::info(format!(
                        "{} {} 的日结单已补打（{}）",
                        d.business_date,
                        d.cashier,
                        printed_text(&out)
                    )),
                    Err(e) => Msg::error(format!("日结单未能打印：{}", e.message())),
                });
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        DayEndsView::render(self, area, buf);
        None
    }

    fn refresh(&mut self, svc: &Service) {
        DayEndsView::reload(self, svc);
    }
}

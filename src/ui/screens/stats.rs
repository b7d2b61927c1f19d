//! 统计图: twelve months side by side — money collected (万元) and work orders completed on
//! time (%) — each month a row with ratatui's `BarChart` (horizontal) and its value written
//! beside the bar, so the chart reads without colour; the month not over yet is marked `*`.
//! ←/→ move the twelve months; a key opens 营业报表.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Direction, Layout, Position, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Widget};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::domain::billing::Period;
use crate::domain::money::{format_yuan, to_fen};
use crate::service::reports::stats::MonthStat;
use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::list;

/// Months on the charts.
const MONTHS: u32 = 12;
/// Columns of the value text beside each bar.
const MONEY_TEXT: u16 = 10;
const RATE_TEXT: u16 = 15;

/// What one chart shows besides its bars.
struct ChartSpec {
    title: &'static str,
    /// columns of the value text beside the bars
    value_width: u16,
    /// the value of a full bar
    max: u64,
    /// the line under the months
    foot: String,
}

pub struct StatsView {
    /// the last month shown
    last: Period,
    /// the current month: the latest that can be shown
    latest: Period,
    months: Vec<MonthStat>,
    error: Option<String>,
}

/// `1035.14` (万元, from 元).
fn wan(v: Decimal) -> String {
    format_yuan(v / Decimal::from(10_000))
}

/// `25-12`
fn month_label(p: Period) -> String {
    format!("{:02}-{:02}", p.year() % 100, p.month())
}

fn bar_style(partial: bool) -> Style {
    if partial {
        Style::new().fg(Color::DarkGray)
    } else {
        Style::new().fg(Color::Cyan)
    }
}

impl StatsView {
    pub fn load(svc: &Service) -> StatsView {
        let latest = Period::of(svc.now().date());
        let mut v = StatsView {
            last: latest,
            latest,
            months: Vec::new(),
            error: None,
        };
        v.reload(svc);
        v
    }

    fn reload(&mut self, svc: &Service) {
        match svc.monthly_stats(self.last, MONTHS) {
            Ok(m) => {
                self.months = m;
                self.error = None;
            }
            Err(e) => {
                self.months.clear();
                self.error = Some(e.message());
            }
        }
    }

    /// One chart: a titled box, each month a row of label, bar and value text, then a
    /// line under the months.
    fn chart(
        &self,
        area: Rect,
        buf: &mut Buffer,
        spec: &ChartSpec,
        bar: impl Fn(&MonthStat) -> (u64, String),
    ) {
        let ChartSpec {
            title,
            value_width,
            max,
            foot,
        } = spec;
        let (value_width, max) = (*value_width, *max);
        let block = Block::default().borders(Borders::ALL).title(*title);
        let inner = block.inner(area);
        block.render(area, buf);
        let n = u16::try_from(self.months.len()).unwrap_or(0);
        let [rows, under] =
            Layout::vertical([Constraint::Length(n), Constraint::Min(0)]).areas(inner);
        let [bars_area, text_area] =
            Layout::horizontal([Constraint::Min(8), Constraint::Length(value_width)]).areas(rows);
        let mut bars = Vec::with_capacity(self.months.len());
        let mut texts = Vec::with_capacity(self.months.len());
        for m in &self.months {
            let (value, text) = bar(m);
            let mark = if m.partial { "*" } else { " " };
            bars.push(
                Bar::default()
                    .label(Line::from(month_label(m.period)))
                    .value(value)
                    // the value is written beside the bar, in full
                    .text_value(String::new())
                    .style(bar_style(m.partial)),
            );
            texts.push(Line::from(format!(" {text}{mark}")));
        }
        BarChart::default()
            .direction(Direction::Horizontal)
            .bar_width(1)
            .bar_gap(0)
            .group_gap(0)
            .max(max.max(1))
            .data(BarGroup::default().bars(&bars))
            .render(bars_area, buf);
        Paragraph::new(texts).render(text_area, buf);
        Paragraph::new(vec![Line::from(Span::styled(
            foot.as_str(),
            theme::heading(),
        ))])
        .render(under, buf);
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let [head, body, note] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(4),
            Constraint::Length(1),
        ])
        .areas(area);
        let first = self.last.plus(1 - MONTHS as i32);
        Line::from(Span::styled(
            format!(" 近 {MONTHS} 个月（{first} 至 {}）", self.last),
            theme::heading(),
        ))
        .render(head, buf);
        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!(" {}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(body, buf);
            return;
        }
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(body);
        let fen = |m: &MonthStat| {
            to_fen(m.collected.max(Decimal::ZERO))
                .and_then(|f| u64::try_from(f).ok())
                .unwrap_or(0)
        };
        let max_fen = self.months.iter().map(fen).max().unwrap_or(0);
        let total: Decimal = self.months.iter().map(|m| m.collected).sum();
        self.chart(
            left,
            buf,
            &ChartSpec {
                title: " 收费金额（万元） ",
                value_width: MONEY_TEXT,
                max: max_fen,
                foot: format!(" 合计 {} 万元", wan(total)),
            },
            |m| (fen(m), wan(m.collected)),
        );
        let (kept, late) = self
            .months
            .iter()
            .fold((0, 0), |a, m| (a.0 + m.kept, a.1 + m.late));
        let rate_text = |r: Option<Decimal>, k: i64, n: i64| match r {
            Some(r) => format!("{:.1}% {k}/{n}", r),
            None => "—".into(),
        };
        let all = crate::domain::reading::collection_rate(
            Decimal::from(kept + late),
            Decimal::from(kept),
        );
        self.chart(
            right,
            buf,
            &ChartSpec {
                title: " 工单按时办结率 ",
                value_width: RATE_TEXT,
                // hundredths of a percent
                max: 10_000,
                foot: format!(" 合计 {}", rate_text(all, kept, kept + late)),
            },
            |m| {
                let r = m.kept_rate();
                let v = r
                    .and_then(|r| (r * Decimal::ONE_HUNDRED).round().to_u64())
                    .unwrap_or(0);
                (v, rate_text(r, m.kept, m.kept + m.late))
            },
        );
        Line::from(Span::styled(
            " * 本月至今的数字；按时率 = 按时办结件数/有时限的办结件数",
            theme::dim(),
        ))
        .render(note, buf);
    }
}

impl Screen for StatsView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_STATS
    }

    fn context(&self) -> Context {
        Context::Stats
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        _session: &mut Session,
        _ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match action? {
            a @ (Action::PrevMonth | Action::NextMonth) => {
                let moved = list::month_step(&mut self.last, a, self.latest);
                if moved == Some(true) {
                    self.reload(svc);
                }
            }
            Action::OpenReports => {
                return Some(Msg::push(super::reports::ReportsView::load(svc)));
            }
            Action::Back => return Some(Msg::Pop),
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        StatsView::render(self, area, buf);
        None
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }
}

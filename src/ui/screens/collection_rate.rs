//! 电费回收率: the bills of a period, what each 台区 and each reader collected of them by the
//! end of the month they were issued in and by the day before the next reading day, against
//! the target (达标 / 未达标 in words); below, the selected 台区's 12 months as bars with
//! their rate in text.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Row, Table, Widget};
use rust_decimal::Decimal;

use crate::domain::billing::Period;
use crate::domain::money;
use crate::service::readings::collection_rate::{CollectionRates, RatePoint, RateRow};
use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::list::{self, Scroll};

pub struct CollectionRateView {
    /// the period whose bills are looked at
    period: Period,
    rates: Option<CollectionRates>,
    selected: usize,
    offset: Scroll,
    error: Option<String>,
}

fn pct(p: &RatePoint) -> String {
    p.rate.map_or("—".into(), |r| format!("{r:.2}%"))
}

fn verdict(p: &RatePoint, target: Decimal) -> &'static str {
    match p.rate {
        None => "无账单",
        Some(r) if r >= target => "达标",
        Some(_) if !p.passed => "未到期",
        Some(_) => "未达标",
    }
}

impl CollectionRateView {
    /// The bills of last month (the ones being collected now).
    pub fn load(svc: &mut Service) -> CollectionRateView {
        let mut v = CollectionRateView {
            period: Period::of(svc.now().date()).prev(),
            rates: None,
            selected: 0,
            offset: Scroll::default(),
            error: None,
        };
        v.reload(svc);
        v
    }

    fn reload(&mut self, svc: &mut Service) {
        match svc.collection_rates(self.period, 12) {
            Ok(r) => {
                self.rates = Some(r);
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        let n = self.rows().len();
        self.selected = self.selected.min(n.saturating_sub(1));
    }

    /// The 台区 first, then the readers.
    fn rows(&self) -> Vec<&RateRow> {
        self.rates
            .as_ref()
            .map(|r| r.areas.iter().chain(r.readers.iter()).collect())
            .unwrap_or_default()
    }

    fn chart(&self, area: Rect, buf: &mut Buffer) {
        let rows = self.rows();
        let Some(row) = rows.get(self.selected) else {
            return;
        };
        let target = self
            .rates
            .as_ref()
            .map_or(Decimal::ONE_HUNDRED, |r| r.target);
        let bars: Vec<Bar> = row
            .cells
            .iter()
            .map(|c| {
                let r = c.month_end.rate;
                let v = r
                    .map(|r| {
                        use rust_decimal::prelude::ToPrimitive;
                        r.round().to_u64().unwrap_or(0)
                    })
                    .unwrap_or(0);
                let style = match r {
                    Some(r) if r < target => theme::error(),
                    _ => theme::dim(),
                };
                Bar::default()
                    .value(v)
                    .label(Line::from(format!("{}月", c.period.month())))
                    .text_value(r.map_or("—".into(), |r| r.round_dp(0).to_string()))
                    .style(style)
            })
            .collect();
        let who = if row.area_id.is_some() {
            row.name.clone()
        } else {
            format!("抄表员 {}", row.reader)
        };
        BarChart::default()
            .block(Block::default().title(format!(
                " {who} 近 12 个月月末回收率（%，柱上为数值；目标 {target}%）"
            )))
            .bar_width(4)
            .bar_gap(1)
            .max(100)
            .data(BarGroup::default().bars(&bars))
            .render(area, buf);
    }
}

impl Screen for CollectionRateView {
    fn title(&self) -> &'static str {
        "电费回收率"
    }

    fn context(&self) -> Context {
        Context::CollectionRate
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        _session: &mut Session,
        _ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match action? {
            a if list::is_move(a) => {
                let n = self.rows().len();
                list::step(&mut self.selected, n, self.offset.page(), a)
            }
            Action::Back => return Some(Msg::Pop),
            a @ (Action::PrevMonth | Action::NextMonth) => {
                let latest = Period::of(svc.now().date()).prev();
                if list::month_step(&mut self.period, a, latest) != Some(true) {
                    return Some(Msg::warn("本月的账单还未发行"));
                }
                self.reload(svc);
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, table_area, chart_area, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(4),
            Constraint::Length(8),
            Constraint::Length(1),
        ])
        .areas(area);
        let Some(rates) = &self.rates else {
            let e = self.error.clone().unwrap_or_default();
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(table_area, buf);
            return None;
        };
        Line::from(vec![
            Span::styled(
                format!(" 电费回收率 {} 账单", self.period),
                theme::heading(),
            ),
            Span::raw(format!(" · 目标 {}%", rates.target)),
        ])
        .render(head, buf);
        let rows = self.rows();
        let h = usize::from(table_area.height.saturating_sub(1));
        let lines = selectable_rows(&rows, self.selected, &self.offset, h, |r| {
            let Some(c) = r.last() else {
                return vec![r.code.clone()];
            };
            vec![
                if r.area_id.is_some() {
                    format!("{} {}", r.code, r.name)
                } else {
                    format!("合计 {}", r.code)
                },
                r.reader.clone(),
                money::format_yuan_grouped(c.month_end.billed),
                pct(&c.month_end),
                verdict(&c.month_end, rates.target).to_string(),
                pct(&c.before_reading),
                format!(
                    "{}（{}）",
                    verdict(&c.before_reading, rates.target),
                    c.before_reading.on.format("%m-%d")
                ),
            ]
        });
        let widths = columns(
            table_area.width,
            &[(14, 3), (6, 1), (12, 0), (8, 0), (6, 0), (8, 0), (16, 0)],
        );
        Table::new(lines, widths)
            .header(
                Row::new(vec![
                    " 台区",
                    "抄表员",
                    "应收（元）",
                    "月末",
                    "",
                    "抄表日前",
                    "",
                ])
                .style(theme::heading()),
            )
            .render(table_area, buf);
        self.chart(chart_area, buf);
        Line::from(Span::styled(
            " 回收率＝已收电费÷应收电费（本金，含预收冲抵）；月末为账单发行当月月末",
            theme::dim(),
        ))
        .render(foot, buf);
        None
    }

    fn refresh(&mut self, svc: &Service) {
        let _ = svc;
    }
}

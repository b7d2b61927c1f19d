//! 线损: every 台区's line loss for a month (supply from its summary meter, sales from its
//! customers' bills), marked in words when high or negative, with the area manager's
//! explanation; below, the selected 台区's last 12 months as a bar chart whose bars carry
//! their rate in text.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Row, Table, Widget};

use crate::domain::billing::Period;
use crate::service::readings::lineloss::{LossCell, LossRow};
use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list::{self, Scroll};
use crate::ui::widgets::modal::{self, Step};

pub struct LineLossView {
    period: Period,
    /// the high threshold (%, setting), for the chart's scale
    high: rust_decimal::Decimal,
    rows: Vec<LossRow>,
    selected: usize,
    offset: Scroll,
    form: Option<(i64, Form)>,
    error: Option<String>,
}

/// The cell's state in words (never by colour alone).
fn mark(c: &LossCell) -> &'static str {
    match (c.supply, c.loss.and_then(|l| l.rate)) {
        (None, _) => "总表未抄",
        (Some(_), _) if c.sales.is_zero() => "账单未发行",
        (_, None) => "无供电量",
        (_, Some(r)) if r < rust_decimal::Decimal::ZERO => "负线损",
        _ if c.flagged => "偏高",
        _ => "正常",
    }
}

fn rate_text(c: &LossCell) -> String {
    c.loss
        .and_then(|l| l.rate)
        .map_or("—".into(), |r| format!("{r}%"))
}

impl LineLossView {
    pub fn load(svc: &Service, period: Period) -> LineLossView {
        let mut v = LineLossView {
            period,
            high: svc
                .setting("lineloss.high_percent")
                .ok()
                .and_then(|s| s.value.parse().ok())
                .unwrap_or(rust_decimal::Decimal::TEN),
            rows: Vec::new(),
            selected: 0,
            offset: Scroll::default(),
            form: None,
            error: None,
        };
        v.reload(svc);
        v
    }

    fn reload(&mut self, svc: &Service) {
        match svc.line_loss(self.period, 12) {
            Ok(r) => {
                self.rows = r;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    fn chart(&self, area: Rect, buf: &mut Buffer) {
        let Some(row) = self.rows.get(self.selected) else {
            return;
        };
        let [bars_area, values_area] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
        let rates: Vec<Option<rust_decimal::Decimal>> = row
            .cells
            .iter()
            .map(|c| c.loss.and_then(|l| l.rate))
            .collect();
        let as_u64 = |r: rust_decimal::Decimal| {
            use rust_decimal::prelude::ToPrimitive;
            r.max(rust_decimal::Decimal::ZERO)
                .round()
                .to_u64()
                .unwrap_or(0)
        };
        // the scale: twice the threshold, or the highest month
        let top = rates
            .iter()
            .flatten()
            .map(|r| as_u64(*r))
            .max()
            .unwrap_or(0)
            .max(as_u64(self.high * rust_decimal::Decimal::TWO))
            .max(1);
        let bars: Vec<Bar> = row
            .cells
            .iter()
            .zip(&rates)
            .map(|(c, r)| {
                let style = if c.flagged {
                    theme::error()
                } else {
                    theme::dim()
                };
                Bar::default()
                    .value(r.map_or(0, as_u64))
                    .label(Line::from(format!("{}月", c.period.month())))
                    .text_value(String::new())
                    .style(style)
            })
            .collect();
        BarChart::default()
            .block(Block::default().title(format!(
                " {} 近 12 个月线损率（%；阈值 {}%，偏高或为负标 !）",
                row.name, self.high
            )))
            .bar_width(4)
            .bar_gap(1)
            .max(top)
            .data(BarGroup::default().bars(&bars))
            .render(bars_area, buf);
        // the values in text, under their bars (never by colour or height alone)
        let text: String = row
            .cells
            .iter()
            .zip(&rates)
            .map(|(c, r)| {
                let v = r.map_or("—".to_string(), |r| r.round_dp(1).to_string());
                let mark = if c.flagged { "!" } else { "" };
                let cell = format!("{v}{mark}");
                let w = unicode_width::UnicodeWidthStr::width(cell.as_str());
                format!("{cell}{}", " ".repeat(5usize.saturating_sub(w)))
            })
            .collect();
        Line::from(Span::raw(text)).render(values_area, buf);
    }
}

impl Screen for LineLossView {
    fn title(&self) -> &'static str {
        "线损"
    }

    fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::LineLoss
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.form, ev, action, "未保存") {
            Some(Step::Submit(_)) => {
                let (area_id, form) = self.form.as_mut()?;
                form.clear_errors();
                return match svc.explain_line_loss(
                    session,
                    *area_id,
                    self.period,
                    form.value("note"),
                ) {
                    Ok(()) => {
                        self.form = None;
                        self.reload(svc);
                        Some(Msg::info("线损说明已保存"))
                    }
                    Err(e) => form.place_error(&e),
                };
            }
            Some(Step::Done(m)) => return m,
            None => {}
        }
        match action? {
            a if list::is_move(a) => {
                list::step(&mut self.selected, self.rows.len(), self.offset.page(), a)
            }
            Action::Back => return Some(Msg::Pop),
            a @ (Action::PrevMonth | Action::NextMonth) => {
                let latest = Period::of(svc.now().date());
                if list::month_step(&mut self.period, a, latest) != Some(true) {
                    return Some(Msg::warn("不能查看以后的月份"));
                }
                self.reload(svc);
            }
            Action::ExplainLoss if !session.can_write() => {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            Action::ExplainLoss => {
                let r = self.rows.get(self.selected)?;
                let old = r.last().and_then(|c| c.note.as_ref()).map(|n| n.0.clone());
                self.form = Some((
                    r.area_id,
                    Form::new(vec![
                        TextField::new("note", "线损原因")
                            .required()
                            .max(200)
                            .proposed(old.as_deref().unwrap_or(""))
                            .hint("如 总表倍率有误、新装户未建档、窃电待查"),
                    ]),
                ));
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, table_area, chart_area, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(4),
            Constraint::Length(9),
            Constraint::Length(1),
        ])
        .areas(area);
        let flagged = self
            .rows
            .iter()
            .filter(|r| r.last().is_some_and(|c| c.flagged))
            .count();
        Line::from(vec![
            Span::styled(format!(" 台区线损 {}", self.period), theme::heading()),
            Span::raw(format!(
                " · {} 个台区，须核查 {flagged} 个",
                self.rows.len()
            )),
        ])
        .render(head, buf);
        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(table_area, buf);
            return None;
        }
        let h = usize::from(table_area.height.saturating_sub(1));
        let rows = selectable_rows(&self.rows, self.selected, &self.offset, h, |r| {
            let c = r.last();
            vec![
                r.code.clone(),
                r.name.clone(),
                c.and_then(|c| c.supply)
                    .map_or("—".into(), |s| s.round_dp(0).to_string()),
                c.map_or("—".into(), |c| c.sales.to_string()),
                c.and_then(|c| c.loss)
                    .map_or("—".into(), |l| l.loss.round_dp(0).to_string()),
                c.map_or("—".into(), rate_text),
                c.map_or("", mark).to_string(),
                c.and_then(|c| c.note.as_ref())
                    .map_or(String::new(), |n| n.0.clone()),
            ]
        });
        let widths = columns(
            table_area.width,
            &[
                (7, 0),
                (8, 1),
                (8, 0),
                (8, 0),
                (7, 0),
                (8, 0),
                (8, 0),
                (6, 3),
            ],
        );
        Table::new(rows, widths)
            .header(
                Row::new(vec![
                    " 台区",
                    "名称",
                    "供电量",
                    "售电量",
                    "损失",
                    "线损率",
                    "判断",
                    "说明",
                ])
                .style(theme::heading()),
            )
            .render(table_area, buf);
        self.chart(chart_area, buf);
        Line::from(Span::styled(
            " 供电量＝总表电量×倍率；售电量＝本台区客户账单电量；偏高或为负须由台区经理说明",
            theme::dim(),
        ))
        .render(foot, buf);
        let (_, form) = self.form.as_ref()?;
        crate::ui::widgets::chrome::form_popup_w(area, buf, 72, " 线损说明 ", form)
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }
}

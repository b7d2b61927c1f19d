//! 考核 · 月度汇总: per person the entries of the month by state with their amounts (the
//! confirmed amount is what counts) and the total; P prints it (A4 PDF), E exports it as CSV
//! for Excel; ←/→ change the month.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Widget, Wrap};

use crate::domain::assessment::{Month, PersonSummary};
use crate::domain::money::format_yuan;
use crate::service::assessment::MonthSummary;
use crate::service::{Service, Session};
use crate::ui::keymap::Action;
use crate::ui::keymap::Context;
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::selectable_rows;
use crate::ui::widgets::list;
use crossterm::event::KeyEvent;
use ratatui::layout::Position;

pub struct AssessmentSummaryView {
    month: Month,
    summary: Option<MonthSummary>,
    selected: usize,
    offset: crate::ui::widgets::list::Scroll,
    error: Option<String>,
}

fn cells(p: &PersonSummary) -> Vec<String> {
    vec![
        p.staff_name.clone(),
        format!("{} 件", p.pending.count),
        format_yuan(p.pending.amount),
        format!("{} 件", p.confirmed.count),
        format_yuan(p.confirmed.amount),
        format!("{} 件", p.waived.count),
        format!("{} 件", p.amount_unset),
    ]
}

impl AssessmentSummaryView {
    pub fn load(svc: &Service, month: Month) -> AssessmentSummaryView {
        let mut v = AssessmentSummaryView {
            month,
            summary: None,
            selected: 0,
            offset: crate::ui::widgets::list::Scroll::default(),
            error: None,
        };
        v.reload(svc);
        v
    }

    pub fn reload(&mut self, svc: &Service) {
        match svc.assessment_summary(self.month) {
            Ok(s) => {
                self.selected = self.selected.min(s.people.len().saturating_sub(1));
                self.summary = Some(s);
                self.error = None;
            }
            Err(e) => {
                self.summary = None;
                self.error = Some(e.message());
            }
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let [head, list, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(3),
        ])
        .areas(area);
        Line::from(vec![
            Span::styled(format!(" {} ", self.month.label()), theme::heading()),
            Span::raw("考核汇总（←/→ 换月）"),
        ])
        .render(head, buf);
        let Some(s) = &self.summary else {
            let msg = self.error.clone().unwrap_or_default();
            Line::from(Span::styled(
                format!(" {}{msg}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(list, buf);
            return;
        };
        if s.people.is_empty() {
            Line::from(" 本月没有考核记录").render(list, buf);
        } else {
            // the total right under the people, and always in view
            let wanted = u16::try_from(s.people.len() + 1).unwrap_or(u16::MAX);
            let [people, total, _] = Layout::vertical([
                Constraint::Max(wanted),
                Constraint::Length(1),
                Constraint::Min(0),
            ])
            .areas(list);
            let widths = [
                Constraint::Length(9),
                Constraint::Length(8),
                Constraint::Length(10),
                Constraint::Length(8),
                Constraint::Length(11),
                Constraint::Length(8),
                Constraint::Min(8),
            ];
            let h = usize::from(people.height.saturating_sub(1));
            let rows: Vec<Row> = selectable_rows(&s.people, self.selected, &self.offset, h, cells);
            Table::new(rows, widths)
                .header(
                    Row::new(vec![
                        " 人员",
                        "待确认",
                        "待确认金额",
                        "已确认",
                        "已确认金额",
                        "免考核",
                        "金额未设",
                    ])
                    .style(theme::heading()),
                )
                .render(people, buf);
            let mut t = cells(&s.total);
            t[0] = format!(" {}", t[0]);
            Table::new(vec![Row::new(t).style(theme::heading())], widths).render(total, buf);
        }
        Paragraph::new(vec![Line::from(
            "已确认金额为应考核金额（元）；待确认事项尚未决定；金额未设按 0 元计。",
        )])
        .wrap(Wrap { trim: true })
        .block(Block::default().borders(Borders::TOP))
        .render(foot, buf);
    }
}

impl Screen for AssessmentSummaryView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_ASSESSMENT_SUMMARY
    }

    fn context(&self) -> Context {
        Context::AssessmentSummary
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        _ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        let n = self.summary.as_ref().map_or(0, |s| s.people.len());
        match action? {
            a if list::is_move(a) => list::step(&mut self.selected, n, self.offset.page(), a),
            Action::PrevMonth => {
                self.month = self.month.prev();
                self.selected = 0;
                self.reload(svc);
            }
            Action::NextMonth => {
                self.month = self.month.next();
                self.selected = 0;
                self.reload(svc);
            }
            Action::PrintSummary => {
                return Some(match svc.print_assessment_summary(session, self.month) {
                    Ok(out) => Msg::info(format!(
                        "考核汇总已生成：{}{}",
                        out.path.display(),
                        out.sent_to
                            .map(|p| format!("，已送打印机 {p}"))
                            .unwrap_or_default()
                    )),
                    Err(e) => Msg::error(e.message()),
                });
            }
            Action::ExportCsv => {
                return Some(match svc.export_assessment_csv(session, self.month) {
                    Ok(out) => Msg::info(format!(
                        "已导出（可用 Excel 打开）：{}、{}",
                        out.summary.display(),
                        out.details
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default()
                    )),
                    Err(e) => Msg::error(e.message()),
                });
            }
            Action::Back => return Some(Msg::Pop),
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        AssessmentSummaryView::render(self, area, buf);
        None
    }

    fn refresh(&mut self, svc: &Service) {
        AssessmentSummaryView::reload(self, svc);
    }
}

//! 业扩时限: the deadline board — open orders most urgent first with their marks in words
//! (`逾期 3天`, `今日到期`, `剩 2天`, `暂停计时`), the stage, its promised date and who holds
//! it; filters by person, 台区 and class; Enter opens the order; L the holiday calendar.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Row, Table, Widget};

use crate::domain::deadline::Urgency;
use crate::domain::validate::{pick_numbered, yes_no};
use crate::domain::work_order::ConnectionClass;
use crate::service::deadlines::{DeadlineBoard, DeadlineFilter, DeadlineRow};
use crate::service::{Service, Session};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::selectable_rows;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list;
use crate::ui::widgets::lookup::{area_in, staff_in};
use crate::ui::widgets::modal::{self, Step};

pub struct DeadlinesView {
    filter: DeadlineFilter,
    filter_text: String,
    filter_form: Option<Form>,
    board: DeadlineBoard,
    selected: usize,
    offset: crate::ui::widgets::list::Scroll,
    error: Option<String>,
}

/// The notes column: the early warning reached (`75%`) and the fast channel (`快速`).
fn notes(r: &DeadlineRow) -> String {
    let mut m = Vec::new();
    if let Some(p) = r.warning_percent {
        m.push(format!("{p}%"));
    }
    if r.fast_channel {
        m.push("快速".to_string());
    }
    m.join(" ")
}

fn style_of(u: Urgency) -> ratatui::style::Style {
    match u {
        Urgency::Overdue { .. } => theme::error(),
        Urgency::DueToday { .. } | Urgency::AtRisk { .. } | Urgency::AtRiskHours { .. } => {
            theme::warn()
        }
        _ => ratatui::style::Style::default(),
    }
}

impl DeadlinesView {
    pub fn load(svc: &Service) -> DeadlinesView {
        let mut v = DeadlinesView {
            filter: DeadlineFilter::default(),
            filter_text: "全部在办".into(),
            filter_form: None,
            board: DeadlineBoard::default(),
            selected: 0,
            offset: crate::ui::widgets::list::Scroll::default(),
            error: None,
        };
        v.reload(svc);
        v
    }

    /// The signed-in person's own work: orders dispatched to them or in their hands, most
    /// urgent first.
    pub fn mine(svc: &Service, session: &Session) -> DeadlinesView {
        let mut v = DeadlinesView::load(svc);
        v.filter.staff_id = Some(session.staff_id);
        v.filter_text = format!("我的工作：{}经手的工单", session.display_name);
        v.reload(svc);
        v
    }

    pub fn reload(&mut self, svc: &Service) {
        match svc.deadline_board(&self.filter) {
            Ok(b) => {
                self.board = b;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.board.rows.len().saturating_sub(1));
    }

    fn open_filter(&mut self, svc: &Service) {
        let form = Form::new(vec![
            TextField::new("staff", "负责人")
                .max(20)
                .hint("用户名（首问负责或派工），留空为全部"),
            TextField::new("area", "台区编码")
                .max(10)
                .hint("留空为全部，如 TQ001"),
            TextField::new("class", "用电类别").max(1).hint(
                ConnectionClass::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{}{}", i + 1, c.label()))
                    .collect::<Vec<_>>()
                    .join(" ")
                    + "，留空为全部",
            ),
            TextField::new("urgent", "只看逾期和临期")
                .max(2)
                .with_value(if self.filter.urgent_only {
                    "是"
                } else {
                    "否"
                })
                .hint("是 / 否"),
        ]);
        self.filter_form = Some(crate::ui::widgets::lookup::with_lookups(form, svc));
    }

    fn apply_filter(&mut self, svc: &Service) -> Option<Msg> {
        let form = self.filter_form.as_mut()?;
        form.clear_errors();
        let mut f = DeadlineFilter::default();
        let mut said = Vec::new();
        if let Some(s) = staff_in(form, "staff", svc)? {
            f.staff_id = Some(s.id);
            said.push(s.display_name);
        }
        if let Some(a) = area_in(form, "area", svc)? {
            f.area_id = Some(a.id);
            said.push(a.name);
        }
        let class = form.value("class").trim().to_string();
        if !class.is_empty() {
            match pick_numbered(&class, &ConnectionClass::ALL) {
                Some(c) => {
                    f.class = Some(c);
                    said.push(c.label().to_string());
                }
                None => {
                    form.set_error("class", "请填 1–4 或留空".into());
                    return None;
                }
            }
        }
        let Some(urgent) = yes_no(form.value("urgent"), false) else {
            form.set_error("urgent", "请填 是 或 否".into());
            return None;
        };
        f.urgent_only = urgent;
        if urgent {
            said.push("逾期和临期".into());
        }
        self.filter = f;
        self.filter_text = if said.is_empty() {
            "全部在办".into()
        } else {
            said.join(" · ")
        };
        self.filter_form = None;
        self.selected = 0;
        self.reload(svc);
        Some(Msg::info(format!(
            "筛选：{}，共 {} 件",
            self.filter_text,
            self.board.rows.len()
        )))
    }

    fn render_board(&self, area: Rect, buf: &mut Buffer) {
        let h = usize::from(area.height.saturating_sub(1));
        let rows: Vec<Row> =
            selectable_rows(&self.board.rows, self.selected, &self.offset, h, |r| {
                vec![
                    r.mark(),
                    notes(r),
                    r.tracking_no.clone(),
                    r.name.clone(),
                    r.stage.map(|s| s.label()).unwrap_or("—").to_string(),
                    r.due
                        .map(|d| d.format("%m-%d").to_string())
                        .unwrap_or_else(|| "待定".into()),
                    r.holder_name.clone(),
                    r.area_name.clone().unwrap_or_default(),
                ]
            });
        if rows.is_empty() {
            let msg = self
                .error
                .clone()
                .unwrap_or_else(|| "没有需要盯办的工单".into());
            Line::from(msg).render(area, buf);
            return;
        }
        // colour only doubles the words of the mark column
        let rows: Vec<Row> = rows
            .into_iter()
            .zip(self.board.rows.iter().skip(self.offset.get()))
            .map(|(row, r)| {
                if self.board.rows.get(self.selected).map(|s| s.order_id) == Some(r.order_id) {
                    row
                } else {
                    row.style(style_of(r.urgency))
                }
            })
            .collect();
        Table::new(
            rows,
            crate::ui::widgets::chrome::columns(
                area.width,
                &[
                    (10, 0),
                    (6, 1),
                    (16, 0),
                    (8, 3),
                    (12, 1),
                    (5, 0),
                    (6, 1),
                    (4, 3),
                ],
            ),
        )
        .header(
            Row::new(vec![
                " 标记",
                "预警",
                "工单号",
                "客户",
                "当前环节",
                "到期",
                "负责人",
                "台区",
            ])
            .style(theme::heading()),
        )
        .render(area, buf);
    }
}

impl Screen for DeadlinesView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_DEADLINES
    }

    fn context(&self) -> Context {
        if self.filter_form.is_some() {
            Context::Form
        } else {
            Context::Deadlines
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        _session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.filter_form, ev, action, "筛选未改") {
            Some(Step::Submit(_)) => {
                return self.apply_filter(svc);
            }
            Some(Step::Done(m)) => return m,
            None => {}
        }
        let n = self.board.rows.len();
        match action? {
            Action::Filter => self.open_filter(svc),
            a if list::is_move(a) => list::step(&mut self.selected, n, self.offset.page(), a),
            Action::Back => return Some(Msg::Pop),
            Action::OpenCalendar => {
                let year = chrono::Datelike::year(&svc.now().date());
                return Some(Msg::push(super::calendar::CalendarView::load(svc, year)));
            }
            Action::Open => {
                let id = self.board.rows.get(self.selected)?.order_id;
                return Some(match svc.order(id) {
                    Ok(o) => Msg::push(super::order_page::OrderPage::new(
                        o,
                        svc.order_deadline(id).ok(),
                    )),
                    Err(e) => Msg::error(e.message()),
                });
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let warn_rows = u16::from(!self.board.calendar_missing.is_empty());
        let [head, warn, board, legend] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(warn_rows),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        // which limits count what: the same words as the marks
        Line::styled(
            " 时限单位：复电按小时（夜间周末照算）；其余按工作日（不计周末、节假日）",
            theme::dim(),
        )
        .render(legend, buf);
        let c = &self.board.counts;
        Line::from(format!(
            " 逾期 {} · 今日到期 {} · 临期 {} · 暂停 {}    筛选：{}（{}）",
            c.overdue,
            c.due_today,
            c.at_risk,
            c.paused,
            self.filter_text,
            keymap::key_label(Context::Deadlines, Action::Filter)
        ))
        .render(head, buf);
        if warn_rows > 0 {
            let years: Vec<String> = self
                .board
                .calendar_missing
                .iter()
                .map(|y| y.to_string())
                .collect();
            Line::styled(
                format!(
                    " ！{} 年法定节假日未录入，暂按周一至周五计算（{} 录入）",
                    years.join("、"),
                    keymap::key_label(Context::Deadlines, Action::OpenCalendar)
                ),
                theme::warn(),
            )
            .render(warn, buf);
        }
        self.render_board(board, buf);
        let form = self.filter_form.as_ref()?;
        crate::ui::widgets::chrome::form_popup(area, buf, " 筛选时限看板 ", form)
    }

    fn refresh(&mut self, svc: &Service) {
        DeadlinesView::reload(self, svc);
    }
}

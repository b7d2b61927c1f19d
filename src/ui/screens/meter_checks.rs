//! 现场检验: the metering installations (classes Ⅰ–Ⅲ) whose on-site check is due by the end of
//! the month shown — overdue first, with their 台区 and area manager — and recording a check
//! (a meter out of tolerance or faulty gets its 故障换表 order at once).
use chrono::{Datelike, NaiveDate};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, Widget};

use crate::domain::meter::CheckResult;
use crate::service::meter_checks::{CheckDue, CheckInput};
use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list::{self, Scroll};
use crate::ui::widgets::modal::{self, Step};

pub struct ChecksView {
    today: NaiveDate,
    /// the list runs to the end of this month
    through: NaiveDate,
    due: Vec<CheckDue>,
    selected: usize,
    offset: Scroll,
    /// the check being recorded, and the meter
    form: Option<(i64, Form)>,
    error: Option<String>,
}

fn month_end(d: NaiveDate) -> NaiveDate {
    crate::domain::rotation::month_end(d.year(), d.month())
}

impl ChecksView {
    pub fn load(svc: &Service) -> ChecksView {
        let today = svc.now().date();
        let mut v = ChecksView {
            today,
            through: month_end(today),
            due: Vec::new(),
            selected: 0,
            offset: Scroll::default(),
            form: None,
            error: None,
        };
        v.reload(svc);
        v
    }

    fn reload(&mut self, svc: &Service) {
        self.today = svc.now().date();
        match svc.checks_due(self.today, self.through) {
            Ok(d) => {
                self.due = d;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.due.len().saturating_sub(1));
    }

    fn submit(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let (meter_id, form) = self.form.as_mut()?;
        form.clear_errors();
        let result = match form.value("result").trim() {
            "1" | "合格" => CheckResult::Ok,
            "2" | "误差超差" | "超差" => CheckResult::Tolerance,
            "3" | "故障" => CheckResult::Fault,
            _ => {
                form.set_error("result", "请填 1 合格、2 误差超差 或 3 故障".into());
                return None;
            }
        };
        let input = CheckInput {
            checked_on: form.value("checked_on").into(),
            result: Some(result),
            note: form.value("note").into(),
            staff: form.value("staff").into(),
        };
        match svc.record_meter_check(session, *meter_id, &input) {
            Ok(done) => {
                self.form = None;
                self.reload(svc);
                Some(Msg::Batch(vec![
                    Msg::Refresh,
                    match done.order_tracking_no {
                        Some(no) => Msg::warn(format!(
                            "已登记{}；已受理故障换表工单 {no}（3 个工作日内换表）",
                            result.label()
                        )),
                        None => Msg::info(format!("已登记{}，下次检验日期已顺延", result.label())),
                    },
                ]))
            }
            Err(e) => form.place_error(&e),
        }
    }
}

impl Screen for ChecksView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_CHECKS
    }

    fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::Checks
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.form, ev, action, "未登记") {
            Some(Step::Submit(_)) => return self.submit(svc, session),
            Some(Step::Done(m)) => return m,
            None => {}
        }
        match action? {
            a if list::is_move(a) => {
                list::step(&mut self.selected, self.due.len(), self.offset.page(), a)
            }
            Action::Back => return Some(Msg::Pop),
            Action::NextMonth => {
                self.through = month_end(self.through + chrono::Duration::days(1));
                self.reload(svc);
            }
            Action::PrevMonth => {
                let first = NaiveDate::from_ymd_opt(self.through.year(), self.through.month(), 1)
                    .unwrap_or(self.through);
                let back = month_end(first - chrono::Duration::days(1));
                if back >= month_end(self.today) {
                    self.through = back;
                    self.reload(svc);
                }
            }
            Action::RecordCheck if !session.can_write() => {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            Action::RecordCheck => {
                let d = self.due.get(self.selected)?;
                self.form = Some((
                    d.row.meter_id,
                    Form::new(vec![
                        TextField::new("checked_on", "检验日期")
                            .required()
                            .max(10)
                            .proposed(&self.today.format("%Y-%m-%d").to_string()),
                        TextField::new("result", "结论")
                            .required()
                            .max(4)
                            .hint("1 合格  2 误差超差  3 故障（2、3 自动受理故障换表）"),
                        TextField::new("note", "说明")
                            .max(100)
                            .hint("超差或故障时写明情况，如 误差 +3.2%"),
                        TextField::new("staff", "检验人员")
                            .max(20)
                            .hint("用户名；留空为本人"),
                    ]),
                ));
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, list_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        let overdue = self.due.iter().filter(|d| d.overdue_days > 0).count();
        Line::from(vec![
            Span::styled(" Ⅰ–Ⅲ类计量装置现场检验", theme::heading()),
            Span::raw(format!(
                " · 到 {} 应检 {} 处，其中逾期 {} 处",
                self.through,
                self.due.len(),
                overdue
            )),
        ])
        .render(head, buf);
        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(list_area, buf);
        } else if self.due.is_empty() {
            Line::from(Span::styled(" 没有到期的现场检验", theme::dim())).render(list_area, buf);
        } else {
            let h = usize::from(list_area.height.saturating_sub(1));
            let rows = selectable_rows(&self.due, self.selected, &self.offset, h, |d| {
                vec![
                    d.due.to_string(),
                    if d.overdue_days > 0 {
                        format!("逾期{}天", d.overdue_days)
                    } else {
                        "本月到期".into()
                    },
                    d.class.label().to_string(),
                    d.row.area_name.clone().unwrap_or_default(),
                    d.row.manager_name.clone().unwrap_or_else(|| "—".into()),
                    d.row.account_no.clone(),
                    d.row.customer_name.clone(),
                    d.row.asset_no.clone(),
                ]
            });
            let widths = columns(
                list_area.width,
                &[
                    (11, 0),
                    (10, 0),
                    (4, 0),
                    (8, 1),
                    (6, 1),
                    (13, 0),
                    (6, 3),
                    (13, 0),
                ],
            );
            Table::new(rows, widths)
                .header(
                    Row::new(vec![
                        " 应检日期",
                        "状态",
                        "类别",
                        "台区",
                        "台区经理",
                        "户号",
                        "户名",
                        "资产编号",
                    ])
                    .style(theme::heading()),
                )
                .render(list_area, buf);
        }
        let (_, form) = self.form.as_ref()?;
        crate::ui::widgets::chrome::form_popup_w(area, buf, 72, " 登记现场检验 ", form)
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }
}

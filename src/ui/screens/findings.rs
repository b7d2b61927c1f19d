//! 限期整改 (issue 16): the findings under the 稽查 filter (recorded in its range, or still
//! open), with what the auditor and the person responsible do: `N` record (the auditor),
//! `X` the fix (the person responsible, the 台区's manager or the chief), `Y` accept /
//! `R` send back (the auditor), `Enter` the history, `P` the month's audit report.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, Widget};

use super::inspection::Scope;
use crate::domain::assessment::Month;
use crate::domain::rectification::FindingCategory;
use crate::domain::role::Role;
use crate::domain::validate;
use crate::service::rectification::{Finding, FindingFilter, FindingInput};
use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list::{self, Scroll};
use crate::ui::widgets::modal::{self, Step};

/// The form open, and what it is for.
enum Editing {
    New(Form),
    Fix(i64, Form),
    Decide(i64, bool, Form),
}

impl crate::ui::widgets::modal::HasForm for Editing {
    fn form_mut(&mut self) -> &mut Form {
        match self {
            Editing::New(f) | Editing::Fix(_, f) | Editing::Decide(_, _, f) => f,
        }
    }
}

pub struct FindingsView {
    scope: Scope,
    /// the month of the audit report (`P`), from the filter's end
    month: Month,
    rows: Vec<Finding>,
    selected: usize,
    offset: Scroll,
    editing: Option<Editing>,
    error: Option<String>,
}

impl FindingsView {
    pub fn load(svc: &Service, scope: Scope) -> FindingsView {
        let mut v = FindingsView {
            month: Month::of(scope.filter.to),
            scope,
            rows: Vec::new(),
            selected: 0,
            offset: Scroll::default(),
            editing: None,
            error: None,
        };
        v.reload(svc);
        v
    }

    fn reload(&mut self, svc: &Service) {
        let f = &self.scope.filter;
        match svc.findings(&FindingFilter {
            from: f.from,
            to: f.to,
            open_too: true,
            staff_id: f.staff_id,
            area_id: f.area_id,
        }) {
            Ok(rows) => {
                self.rows = rows;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    fn submit(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let editing = self.editing.as_mut()?;
        let result = match editing {
            Editing::New(form) => {
                form.clear_errors();
                let category = validate::pick_named(
                    form.value("category").trim(),
                    &FindingCategory::ALL,
                    FindingCategory::label,
                );
                if category.is_none() {
                    form.set_error(
                        "category",
                        format!(
                            "请填 {}",
                            validate::numbered_list(&FindingCategory::ALL, FindingCategory::label)
                        ),
                    );
                    return None;
                }
                let input = FindingInput {
                    category,
                    description: form.value("description").into(),
                    staff: form.value("staff").into(),
                    area: form.value("area").into(),
                    due_on: validate::fold_digits(form.value("due_on")),
                };
                svc.record_finding(session, &input)
                    .map(|(_, no)| format!("已登记整改事项 {no}"))
            }
            Editing::Fix(id, form) => svc
                .record_fix(session, *id, form.value("note"))
                .map(|()| "整改情况已填报，等待稽查员验收".to_string()),
            Editing::Decide(id, accept, form) => svc
                .decide_fix(session, *id, *accept, form.value("note"))
                .map(|()| {
                    if *accept {
                        "已验收销号".to_string()
                    } else {
                        "已退回重改".to_string()
                    }
                }),
        };
        match result {
            Ok(m) => {
                self.editing = None;
                self.reload(svc);
                Some(Msg::info(m))
            }
            Err(e) => match self.editing.as_mut()? {
                Editing::New(f) | Editing::Fix(_, f) | Editing::Decide(_, _, f) => {
                    f.place_error(&e)
                }
            },
        }
    }

    fn selected_id(&self) -> Option<i64> {
        self.rows.get(self.selected).map(|f| f.row.id)
    }
}

impl Screen for FindingsView {
    fn title(&self) -> &'static str {
        "限期整改"
    }

    fn context(&self) -> Context {
        if self.editing.is_some() {
            Context::Form
        } else {
            Context::Findings
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.editing, ev, action, "未保存") {
            Some(Step::Submit(_)) => return self.submit(svc, session),
            Some(Step::Done(m)) => return m,
            None => {}
        }
        let auditor_only = || Some(Msg::warn("只有稽查员可以登记和验收整改事项"));
        match action? {
            a if list::is_move(a) => {
                list::step(&mut self.selected, self.rows.len(), self.offset.page(), a)
            }
            Action::Back => return Some(Msg::Pop),
            a @ (Action::PrevMonth | Action::NextMonth) => {
                self.month = if a == Action::PrevMonth {
                    self.month.prev()
                } else {
                    self.month.next()
                };
                return Some(Msg::info(format!("稽查报告月份：{}", self.month.label())));
            }
            Action::NewFinding if session.role != Role::Auditor => return auditor_only(),
            Action::NewFinding => {
                let days = svc.int_setting("audit.fix_days").unwrap_or(10);
                self.editing = Some(Editing::New(Form::new(vec![
                    TextField::new("category", "问题类别")
                        .required()
                        .max(12)
                        .hint(validate::numbered_list(
                            &FindingCategory::ALL,
                            FindingCategory::label,
                        )),
                    TextField::new("description", "问题描述")
                        .required()
                        .max(300),
                    TextField::new("staff", "责任人（账号）")
                        .max(20)
                        .hint("如 yingye1；与责任台区至少填一项"),
                    TextField::new("area", "责任台区编码")
                        .max(16)
                        .hint("如 TQ001"),
                    TextField::new("due_on", "整改期限")
                        .max(10)
                        .hint(format!("留空为 {days} 天后；或写 2026-12-31")),
                ])));
            }
            Action::RecordFix if !session.can_write() => {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            Action::RecordFix => {
                let id = self.selected_id()?;
                self.editing = Some(Editing::Fix(
                    id,
                    Form::new(vec![
                        TextField::new("note", "整改情况")
                            .required()
                            .max(300)
                            .hint("做了什么、结果如何"),
                    ]),
                ));
            }
            Action::AcceptFix | Action::ReturnFix if session.role != Role::Auditor => {
                return auditor_only();
            }
            a @ (Action::AcceptFix | Action::ReturnFix) => {
                let id = self.selected_id()?;
                let accept = a == Action::AcceptFix;
                self.editing = Some(Editing::Decide(
                    id,
                    accept,
                    Form::new(vec![if accept {
                        TextField::new("note", "验收意见")
                            .max(300)
                            .hint("留空为“验收通过”")
                    } else {
                        TextField::new("note", "退回原因").required().max(300)
                    }]),
                ));
            }
            Action::PrintAuditReport => {
                return Some(match svc.print_audit_report(session, self.month) {
                    Ok(out) => Msg::Notice {
                        title: format!("稽查月度报告 {} 已打印", self.month.label()),
                        lines: vec![
                            format!("文件：{}", out.path.display()),
                            match &out.sent_to {
                                Some(p) => format!("已送打印机：{p}"),
                                None => "请打开此文件打印。".into(),
                            },
                        ],
                    },
                    Err(e) => Msg::error(format!("{}（报告未打印，可再试）", e.message())),
                });
            }
            Action::Open => {
                let f = self.rows.get(self.selected)?;
                let mut lines = vec![
                    format!("类别：{}", f.row.category.label()),
                    format!("问题：{}", f.row.description),
                    format!("责任：{}", f.responsible()),
                    format!("期限：{}", f.row.due_on),
                    format!("状态：{}", f.state_text()),
                    format!("登记：{} {}", f.row.found_by_name, f.row.found_at),
                ];
                match svc.finding_steps(f.row.id) {
                    Ok(steps) => lines.extend(steps.iter().map(|s| {
                        format!(
                            "{} {} {}：{}",
                            &s.at[..s.at.len().min(16)],
                            s.by_name,
                            s.kind.label(),
                            s.note
                        )
                    })),
                    Err(e) => lines.push(e.message()),
                }
                return Some(Msg::Notice {
                    title: format!("整改事项 {}", f.row.finding_no),
                    lines,
                });
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, body] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
        let open = self
            .rows
            .iter()
            .filter(|f| f.row.state.code() != "accepted")
            .count();
        let overdue = self.rows.iter().filter(|f| f.overdue).count();
        ratatui::widgets::Paragraph::new(vec![
            Line::from(vec![
                Span::styled(" 限期整改 ", theme::heading()),
                Span::raw(self.scope.text()),
            ]),
            Line::from(format!(
                " 共 {} 项，未销号 {open} 项，逾期 {overdue} 项 · 报告月份 {}",
                self.rows.len(),
                self.month.label()
            )),
        ])
        .render(head, buf);
        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(body, buf);
        } else if self.rows.is_empty() {
            Line::from(Span::styled(" 没有整改事项", theme::dim())).render(body, buf);
        } else {
            let h = usize::from(body.height.saturating_sub(1));
            let rows = selectable_rows(&self.rows, self.selected, &self.offset, h, |f| {
                vec![
                    f.row.finding_no.clone(),
                    f.state_text(),
                    f.row.due_on.format("%m-%d").to_string(),
                    f.responsible(),
                    f.row.description.clone(),
                ]
            });
            Table::new(
                rows,
                columns(body.width, &[(11, 0), (13, 0), (5, 0), (12, 0), (20, 1)]),
            )
            .header(
                Row::new(vec![" 整改单号", "状态", "期限", "责任", "问题"]).style(theme::heading()),
            )
            .render(body, buf);
        }
        let form = match self.editing.as_ref()? {
            Editing::New(f) => (" 登记整改事项 ", f),
            Editing::Fix(_, f) => (" 填报整改情况 ", f),
            Editing::Decide(_, true, f) => (" 验收销号 ", f),
            Editing::Decide(_, false, f) => (" 退回重改 ", f),
        };
        crate::ui::widgets::chrome::form_popup_w(area, buf, 70, form.0, form.1)
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }
}

//! 轮换计划: a year's rotation plan by month (全年 or one month), with each item's 台区, area
//! manager, customer, meter, valid-until, why and where it stands; the chief proposes,
//! moves and approves; anyone who writes reports a meter; the progress shows as a table with
//! bars; the month's work lists print per area manager and the plan exports as CSV.
use chrono::Datelike;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, Widget};

use crate::domain::rotation::{self, ItemState, Progress};
use crate::service::rotation::{RotationPlan, manager_label};
use crate::service::{Service, Session};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::{Op, Screen};
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list::{self, Scroll};
use crate::ui::widgets::modal::{self, Step};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pending {
    /// move the selected item, or its 台区's items of the month
    Move(i64),
    Report,
    Propose,
    Print,
}

/// The confirmed approval of the plan of a year.
#[derive(Debug)]
pub struct ApproveOp {
    year: i32,
}

pub struct RotationView {
    year: i32,
    this_year: i32,
    /// 0 = the whole year
    month: u32,
    plan: RotationPlan,
    /// indices into `plan.items` shown for the month
    shown: Vec<usize>,
    selected: usize,
    offset: Scroll,
    form: Option<(Pending, Form)>,
    error: Option<String>,
}

impl RotationView {
    pub fn load(svc: &Service) -> RotationView {
        let today = svc.now().date();
        let mut v = RotationView {
            year: today.year(),
            this_year: today.year(),
            month: today.month(),
            plan: RotationPlan::default(),
            shown: Vec::new(),
            selected: 0,
            offset: Scroll::default(),
            form: None,
            error: None,
        };
        v.reload(svc);
        v
    }

    fn reload(&mut self, svc: &Service) {
        match svc.rotation_plan(self.year) {
            Ok(p) => {
                self.plan = p;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.filter();
    }

    fn filter(&mut self) {
        let m = self.month;
        self.shown = self
            .plan
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| m == 0 || i.month == m)
            .map(|(k, _)| k)
            .collect();
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }

    fn current(&self) -> Option<&crate::store::rotation::ItemRow> {
        self.plan.items.get(*self.shown.get(self.selected)?)
    }

    fn month_label(&self) -> String {
        if self.month == 0 {
            "全年".into()
        } else {
            format!("{}月", self.month)
        }
    }

    fn progress_notice(&self, svc: &Service) -> Msg {
        let p = match svc.rotation_progress(self.year) {
            Ok(p) => p,
            Err(e) => return Msg::error(e.message()),
        };
        // one line each, short enough for 80 columns; the months are on the plan screen's
        // own last line (← / → picks a month)
        let line = |label: &str, g: &Progress| {
            let pad =
                " ".repeat(10usize.saturating_sub(unicode_width::UnicodeWidthStr::width(label)));
            format!(
                "{label}{pad} 计划{} 已换{} 逾期换{} 未完成{} 待换{} {} {}%",
                g.planned,
                g.done,
                g.done_late,
                g.not_done,
                g.pending,
                rotation::bar(g.done + g.done_late, g.planned, 10),
                g.percent_done()
            )
        };
        let mut lines = vec!["按季度（批次）：".to_string()];
        lines.extend(
            p.by_quarter
                .iter()
                .map(|(q, g)| line(&format!("第{q}季度"), g)),
        );
        lines.push("按台区经理：".into());
        lines.extend(p.by_manager.iter().map(|(n, g)| line(n, g)));
        lines.push(line("合计", &p.total));
        lines.push(format!(
            "█ 已换（含逾期换）░ 未换；各月见计划页（{} 选月）",
            keymap::key_label(Context::Rotation, Action::NextMonth)
        ));
        Msg::Notice {
            title: format!("{} 年轮换进度", self.year),
            lines,
        }
    }

    fn submit(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let (pending, form) = self.form.as_mut()?;
        form.clear_errors();
        let year = self.year;
        let result = match *pending {
            Pending::Move(id) => {
                let whole = match form.value("scope").trim() {
                    "" | "1" => false,
                    "2" => true,
                    _ => {
                        form.set_error("scope", "请填 1 或 2".into());
                        return None;
                    }
                };
                let ids: Vec<i64> = match (whole, self.plan.items.iter().find(|i| i.id == id)) {
                    (true, Some(it)) => self
                        .plan
                        .items
                        .iter()
                        .filter(|i| i.month == it.month && i.area_id == it.area_id)
                        .map(|i| i.id)
                        .collect(),
                    _ => vec![id],
                };
                svc.move_rotation_items(session, year, &ids, form.value("month"))
                    .map(|n| format!("已调整 {n} 只表计的月份"))
            }
            Pending::Report => svc
                .report_rotation_meter(session, year, form.value("asset_no"), form.value("note"))
                .map(|_| "已上报，列入本月轮换".to_string()),
            Pending::Propose => svc
                .propose_rotation_plan(session, form.value("year"))
                .map(|n| format!("已生成轮换计划：{n} 只表计，请核对后批准")),
            Pending::Print => svc
                .print_rotation_lists(session, year, form.value("month"))
                .map(|outs| format!("已打印 {} 份工作单（每位台区经理一份）", outs.len())),
        };
        match result {
            Ok(m) => {
                if *pending == Pending::Propose {
                    if let Ok(y) = form.value("year").trim().parse() {
                        self.year = y;
                    }
                    self.month = 0;
                }
                self.form = None;
                self.reload(svc);
                Some(Msg::info(m))
            }
            Err(e) => form.place_error(&e),
        }
    }
}

impl Screen for RotationView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_ROTATION
    }

    fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::Rotation
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
            Some(Step::Submit(_)) => return self.submit(svc, session),
            Some(Step::Done(m)) => return m,
            None => {}
        }
        let a = action?;
        // an auditor gets the one answer he gets everywhere; others are told who may
        let chief_only = |what: &str| {
            if session.can_write() {
                Msg::warn(format!("只有所长可以{what}"))
            } else {
                Msg::warn(crate::ui::text::AUDITOR_READ_ONLY)
            }
        };
        match a {
            a if list::is_move(a) => {
                list::step(&mut self.selected, self.shown.len(), self.offset.page(), a)
            }
            Action::Back => return Some(Msg::Pop),
            Action::PrevMonth => {
                self.month = (self.month + 12) % 13;
                self.selected = 0;
                self.filter();
            }
            Action::NextMonth => {
                self.month = (self.month + 1) % 13;
                self.selected = 0;
                self.filter();
            }
            Action::NextYear => {
                self.year = if self.year == self.this_year {
                    self.this_year + 1
                } else {
                    self.this_year
                };
                self.month = 0;
                self.selected = 0;
                self.reload(svc);
            }
            Action::ShowProgress => return Some(self.progress_notice(svc)),
            Action::ProposePlan if !session.is_chief() => return Some(chief_only("制订轮换计划")),
            Action::MoveItem if !session.is_chief() => return Some(chief_only("调整轮换计划")),
            Action::ApprovePlan if !session.is_chief() => return Some(chief_only("批准轮换计划")),
            Action::ReportMeter | Action::PrintWorkList if !session.can_write() => {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            Action::ProposePlan => {
                self.form = Some((
                    Pending::Propose,
                    Form::new(vec![
                        TextField::new("year", "计划年份")
                            .required()
                            .max(4)
                            .proposed(&self.year.to_string())
                            .hint("今年或明年；按到期、超期、故障、大客户生成"),
                    ]),
                ));
            }
            Action::MoveItem => {
                let i = self.current()?;
                if i.done_on.is_some() {
                    return Some(Msg::warn("该表已换，不能再调整月份"));
                }
                self.form = Some((
                    Pending::Move(i.id),
                    Form::new(vec![
                        TextField::new("month", "移到月份")
                            .required()
                            .max(2)
                            .hint("1–12"),
                        TextField::new("scope", "范围")
                            .max(1)
                            .hint("1 只移这一只（默认）；2 本月同台区全部"),
                    ]),
                ));
            }
            Action::ApprovePlan => {
                let Some(p) = &self.plan.plan else {
                    return Some(Msg::warn("还没有计划"));
                };
                if let Some(at) = &p.approved_at {
                    return Some(Msg::warn(format!("该计划已于 {at} 批准")));
                }
                return Some(Msg::Confirm(Confirm::new(
                    "批准轮换计划",
                    vec![
                        format!(
                            "{} 年轮换计划，共 {} 只表计",
                            self.year,
                            self.plan.items.len()
                        ),
                        "批准后只能通过上报新增和调整月份改变，都记入审计日志。".into(),
                    ],
                    ApproveOp { year: self.year },
                )));
            }
            Action::ReportMeter => {
                self.form = Some((
                    Pending::Report,
                    Form::new(vec![
                        TextField::new("asset_no", "资产编号")
                            .required()
                            .max(40)
                            .hint("在运表计，可扫码"),
                        TextField::new("note", "发现的问题")
                            .required()
                            .max(100)
                            .hint("如 超期未换、表计黑屏、封印缺失"),
                    ]),
                ));
            }
            Action::PrintWorkList => {
                let m = if self.month == 0 {
                    String::new()
                } else {
                    self.month.to_string()
                };
                self.form = Some((
                    Pending::Print,
                    Form::new(vec![
                        TextField::new("month", "月份")
                            .required()
                            .max(2)
                            .proposed(&m)
                            .hint("每位台区经理一份，列出本月待换的表计"),
                    ]),
                ));
            }
            Action::ExportCsv => {
                let month = (self.month != 0).then_some(self.month);
                return Some(match svc.export_rotation_csv(session, self.year, month) {
                    Ok(p) => Msg::info(format!(
                        "已导出：{}",
                        p.file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                    )),
                    Err(e) => Msg::error(e.message()),
                });
            }
            _ => {}
        }
        None
    }

    fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        let ApproveOp { year } = op.get()?;
        let m = Msg::outcome(
            svc.approve_rotation_plan(session, *year)
                .map(|n| format!("已批准 {year} 年轮换计划（{n} 只）")),
        );
        self.reload(svc);
        Some(m)
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, months, list_area, sums] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);
        let state = match &self.plan.plan {
            None => format!(
                "尚未制订（所长按 {} 生成）",
                keymap::key_label(Context::Rotation, Action::ProposePlan)
            ),
            Some(p) => match (&p.approved_at, &p.approved_by) {
                (Some(at), by) => format!(
                    "已批准（{} {}）",
                    by.as_deref().unwrap_or(""),
                    at.get(..10).unwrap_or(at)
                ),
                _ => "草稿，未批准".into(),
            },
        };
        Line::from(vec![
            Span::styled(format!(" {} 年轮换计划", self.year), theme::heading()),
            Span::raw(format!(" · {state} · 共 {} 只", self.plan.items.len())),
        ])
        .render(head, buf);
        // the months: the one shown in brackets and reversed
        let mut spans = vec![Span::raw(" ")];
        for m in 0..=12u32 {
            let label = if m == 0 {
                "全年".to_string()
            } else {
                m.to_string()
            };
            if m == self.month {
                spans.push(Span::styled(format!("[{label}]"), theme::selected()));
            } else {
                spans.push(Span::raw(format!(" {label} ")));
            }
        }
        Line::from(spans).render(months, buf);

        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(list_area, buf);
        } else if self.shown.is_empty() {
            Line::from(Span::styled(
                format!(" {}没有计划中的表计", self.month_label()),
                theme::dim(),
            ))
            .render(list_area, buf);
        } else {
            let h = usize::from(list_area.height.saturating_sub(1));
            let items: Vec<&crate::store::rotation::ItemRow> = self
                .shown
                .iter()
                .filter_map(|&k| self.plan.items.get(k))
                .collect();
            // below 100 columns the area manager (on the progress and the work lists) is left out
            let wide = list_area.width >= 100;
            let rows = selectable_rows(&items, self.selected, &self.offset, h, |i| {
                let s = self.plan.state(i);
                let mut cells = vec![
                    format!("{:>2}月", i.month),
                    i.area_name.clone().unwrap_or_default(),
                    manager_label(i),
                    i.account_no.clone().unwrap_or_else(|| "—".into()),
                    i.customer_name.clone().unwrap_or_else(|| "台区总表".into()),
                    i.asset_no.clone(),
                    i.valid_until.to_string(),
                    i.source.label().to_string(),
                    match (s, i.done_on) {
                        // the day it was swapped, where there is room for it
                        (ItemState::Done | ItemState::DoneLate, Some(d)) if wide => {
                            format!("{} {}", s.label(), d.format("%m-%d"))
                        }
                        _ => s.label().to_string(),
                    },
                ];
                if !wide {
                    cells.remove(2);
                }
                cells
            });
            let mut cols = vec![
                (5, 0),
                (8, 1),
                (8, 1),
                (13, 0),
                (6, 2),
                (13, 0),
                (10, 0),
                (8, 0),
                (6, 1),
            ];
            let mut head = vec![
                " 月份",
                "台区",
                "台区经理",
                "户号",
                "户名",
                "资产编号",
                "有效期至",
                "原因",
                "状态",
            ];
            if !wide {
                cols.remove(2);
                head.remove(2);
            }
            Table::new(rows, columns(list_area.width, &cols))
                .header(Row::new(head).style(theme::heading()))
                .render(list_area, buf);
        }
        let mut g = Progress::default();
        for &k in &self.shown {
            if let Some(i) = self.plan.items.get(k) {
                g.add(self.plan.state(i));
            }
        }
        Line::from(Span::styled(
            format!(
                " {}：计划 {}，已换 {}，逾期换 {}，未完成 {}，待换 {}",
                self.month_label(),
                g.planned,
                g.done,
                g.done_late,
                g.not_done,
                g.pending
            ),
            theme::dim(),
        ))
        .render(sums, buf);

        let (pending, form) = self.form.as_ref()?;
        let title = match pending {
            Pending::Move(_) => " 调整月份（所长） ",
            Pending::Report => " 上报表计（超期或异常） ",
            Pending::Propose => " 生成轮换计划（所长） ",
            Pending::Print => " 打印轮换工作单 ",
        };
        crate::ui::widgets::chrome::form_popup_w(area, buf, 70, title, form)
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }
}

//! Home: the station's numbers at a glance and the menu of the program's parts, both
//! generated from data (the dashboard and the keymap).
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::service::home::Dashboard;
use crate::service::{Service, Session};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Op;
use crate::ui::screen::Screen;
use crate::ui::screens::{accounts::AccountsView, password::PasswordView, settings::SettingsView};
use crate::ui::{text, theme};
use crossterm::event::KeyEvent;
use ratatui::layout::Position;

pub struct HomeView {
    pub dashboard: Dashboard,
    /// a message when the numbers could not be read
    pub error: Option<String>,
    /// who is signed in, and the orders in their hands, most urgent first
    me: Option<i64>,
    my_work: Vec<crate::service::deadlines::DeadlineRow>,
}

/// Whether a menu action leads to a part that exists in this version.
fn available(_a: Action) -> bool {
    true
}

impl HomeView {
    /// Home for the person `me` (staff id), with their own work.
    pub fn load(svc: &Service, me: Option<i64>) -> HomeView {
        let my_work = me
            .and_then(|id| {
                svc.deadline_board(&crate::service::deadlines::DeadlineFilter {
                    staff_id: Some(id),
                    ..Default::default()
                })
                .ok()
            })
            .map(|b| b.rows)
            .unwrap_or_default();
        match svc.dashboard() {
            Ok(d) => HomeView {
                dashboard: d,
                error: None,
                me,
                my_work,
            },
            Err(e) => HomeView {
                dashboard: Dashboard::default(),
                error: Some(e.message()),
                me,
                my_work,
            },
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, session: &Session) {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(area);
        let d = &self.dashboard;
        let mut lines = vec![
            Line::from(Span::styled(
                format!("您好，{}（{}）", session.display_name, session.role.label()),
                theme::heading(),
            )),
            Line::default(),
            Line::from(format!("在册客户    {:>8} 户", d.customers)),
            Line::from(format!("台区        {:>8} 个", d.areas)),
            Line::from(format!("档案不全    {:>8} 户", d.incomplete_files)),
            Line::from(format!("今日受理    {:>8} 件", d.orders_today)),
            Line::from(format!("在办工单    {:>8} 件", d.orders_open)),
            Line::from(format!("久未联系    {:>8} 件", d.orders_stale)),
            Line::from(format!("今日操作    {:>8} 笔", d.actions_today)),
            Line::from(format!("逾期工单    {:>8} 件", d.overdue)),
            Line::from(format!("今日到期    {:>8} 件", d.due_today)),
            Line::from(format!("临期        {:>8} 件", d.at_risk)),
            Line::from(format!("暂停计时    {:>8} 件", d.paused)),
            // the at-risk count is the chief's note below
            match &d.cases_error {
                None => Line::from(format!(
                    "投诉报修    {:>8} 件 逾期{} 待访{}",
                    d.cases.open, d.cases.overdue, d.cases.visits_due
                )),
                Some(_) => Line::from(Span::styled(
                    format!(
                        "{}投诉报修读不出（{} 查看原因）",
                        theme::MARK_ERROR,
                        keymap::key_label(Context::Home, Action::OpenCases)
                    ),
                    theme::error(),
                )),
            },
            Line::from(format!(
                "限期整改    {:>8} 项 逾期{} 待验收{}",
                d.findings.open, d.findings.overdue, d.findings.to_accept
            )),
        ];
        if d.backup.calm {
            lines.push(Line::from(d.backup.line.clone()));
        } else {
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{}",
                    if d.backup.failed {
                        theme::MARK_ERROR
                    } else {
                        theme::MARK_WARN
                    },
                    d.backup.line
                ),
                theme::error(),
            )));
        }
        // the second line where there is room for it beside the chief's notes (80×24 is full)
        let notes = if session.role == crate::domain::role::Role::Chief || session.is_admin {
            d.chief_notes.len()
        } else {
            0
        };
        if let Some(detail) = d
            .backup
            .detail
            .as_ref()
            .filter(|_| usize::from(left.height.saturating_sub(2)) > lines.len() + 2 + notes)
        {
            lines.push(Line::from(Span::styled(
                format!("  {detail}"),
                theme::error(),
            )));
        }
        // the person's own work: the count always, the orders where the screen has room
        let overdue = self
            .my_work
            .iter()
            .filter(|r| matches!(r.urgency, crate::domain::deadline::Urgency::Overdue { .. }))
            .count();
        lines.push(Line::from(Span::styled(
            format!(
                "我的工作    {:>8} 件 逾期 {overdue}（{}）",
                self.my_work.len(),
                keymap::key_label(Context::Home, Action::MyWork)
            ),
            theme::heading(),
        )));
        let room = usize::from(left.height.saturating_sub(2)).saturating_sub(lines.len() + 2);
        for r in self.my_work.iter().take(room.min(12)) {
            lines.push(Line::from(format!(
                " {:<9} {} {} {}",
                r.mark(),
                r.tracking_no,
                r.kind.label(),
                r.name
            )));
        }
        if session.role == crate::domain::role::Role::Chief || session.is_admin {
            for n in &d.chief_notes {
                lines.push(Line::from(Span::styled(
                    format!("{}{n}", theme::MARK_WARN),
                    theme::error(),
                )));
            }
        }
        if let Some(e) = &self.error {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            )));
        }
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(" 本所概况 "))
            .render(left, buf);

        let stats = keymap::bindings(Context::Home)
            .into_iter()
            .find(|b| b.action == Action::OpenStats);
        let menu: Vec<Line> = keymap::bindings(Context::Home)
            .iter()
            // 我的工作 is named with its key in the left panel, 统计图 on the row of 报表: the
            // menu keeps its rows for the parts (18 rows fit at 80×24, all used)
            .filter(|b| {
                !matches!(
                    b.action,
                    Action::Help | Action::MessageLog | Action::MyWork | Action::OpenStats
                )
            })
            .map(|b| {
                let mut spans = vec![
                    Span::styled(format!(" {:<6}", b.label()), theme::footer_key()),
                    Span::raw(b.desc),
                ];
                if b.action == Action::OpenReports
                    && let Some(s) = &stats
                {
                    spans.push(Span::styled(
                        format!("  {} ", s.label()),
                        theme::footer_key(),
                    ));
                    spans.push(Span::raw(s.desc));
                }
                if !available(b.action) {
                    spans.push(Span::styled("（未开放）", theme::dim()));
                } else if !b.allowed(Some((session.role, session.is_admin))) {
                    spans.push(Span::styled("（无权限）", theme::dim()));
                }
                Line::from(spans)
            })
            .collect();
        Paragraph::new(menu)
            .block(Block::default().borders(Borders::ALL).title(" 功能 "))
            .render(right, buf);
    }
}

impl Screen for HomeView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_HOME
    }

    fn context(&self) -> Context {
        Context::Home
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        _ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        let a = action?;
        if !available(a) {
            return Some(Msg::warn(text::NOT_YET));
        }
        Some(match a {
            Action::OpenSettings => Msg::push(SettingsView::load(svc)),
            Action::OpenDeadlines => Msg::push(super::deadlines::DeadlinesView::load(svc)),
            Action::MyWork => Msg::push(super::deadlines::DeadlinesView::mine(svc, session)),
            Action::OpenAccounts if session.can_manage_accounts() => {
                Msg::push(AccountsView::load(svc))
            }
            Action::OpenAccounts => Msg::error(text::NO_ACCOUNTS_RIGHT),
            Action::OpenAudit => Msg::push(super::inspection::InspectionView::load(svc)),
            Action::OpenCustomers => Msg::push(super::customers::CustomersView::default()),
            Action::OpenCounter => Msg::push(super::orders::OrdersView::load(svc)),
            Action::OpenAssessment => Msg::push(super::assessment::AssessmentView::load(svc)),
            Action::OpenPayments => Msg::push(super::payments::PaymentsView::default()),
            Action::OpenDayEnd => super::day_end::open_for(svc, session),
            Action::OpenAreas => Msg::push(super::areas::AreasView::load(svc)),
            Action::OpenMeters => Msg::push(super::meters::MetersView::load(svc)),
            Action::OpenCases => Msg::push(super::cases::CasesView::load(svc)),
            Action::OpenReading => Msg::push(super::reading::ReadingBooksView::load(svc)),
            Action::OpenReports => Msg::push(super::reports::ReportsView::load(svc)),
            Action::OpenStats => Msg::push(super::stats::StatsView::load(svc)),
            Action::ChangePassword => Msg::push(PasswordView::new(false)),
            Action::Lock => Msg::Lock,
            Action::SignOut => Msg::SignOut,
            Action::Quit => Msg::AskQuit,
            _ => return None,
        })
    }

    fn render(&self, area: Rect, buf: &mut Buffer, session: &Session) -> Option<Position> {
        HomeView::render(self, area, buf, session);
        None
    }

    fn refresh(&mut self, svc: &Service) {
        *self = HomeView::load(svc, self.me);
    }

    fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        let super::receipt_text::PrintUnprinted(ids) = op.get()?;
        Some(Msg::outcome(super::receipt_text::print_recovered(
            svc, session, ids,
        )))
    }

    fn overdue(&self) -> Option<(i64, i64)> {
        Some((
            self.dashboard.overdue,
            i64::try_from(self.dashboard.cases.overdue).unwrap_or(i64::MAX),
        ))
    }
}

//! 考核: the assessment entries of a month (←/→ change the month), filtered by person and
//! state, marked as text (待确认 / 已确认 / 免考核 / 金额未设). Enter shows the evidence; the
//! chief confirms (Y, asked once with the person and amount), waives (W, with a reason) or
//! takes a decision back (O, with a reason). R opens the rules, S the monthly summary.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Widget, Wrap};

use crate::domain::assessment::{EntryState, Month};
use crate::service::assessment::{AssessmentEntry, EntryFilter};
use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::Op;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::selectable_rows;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list;
use crate::ui::widgets::lookup::staff_in;
use crate::ui::widgets::modal::{self, Step};

/// What a reason is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ReasonFor {
    Waive,
    Reopen,
}

/// The confirmed confirmation of the assessment entry `entry_id`.
#[derive(Debug)]
pub struct ConfirmEntry {
    entry_id: i64,
}

pub struct AssessmentView {
    month: Month,
    staff_id: Option<i64>,
    state: Option<EntryState>,
    /// the person and state filter in words, shown above the list
    filter_text: String,
    filter_form: Option<Form>,
    reason_form: Option<(ReasonFor, i64, Form)>,
    entries: Vec<AssessmentEntry>,
    selected: usize,
    offset: crate::ui::widgets::list::Scroll,
    error: Option<String>,
}

/// An entry's evidence and decision as lines for the notice popup.
pub fn evidence_lines(e: &AssessmentEntry) -> Vec<String> {
    let mut l = vec![
        format!("人员：{}", e.staff_name),
        format!("考核项目：{}（{}）", e.item, e.unit.label()),
    ];
    l.extend(e.evidence.iter().map(|(k, v)| format!("{k}：{v}")));
    l.push(if e.amount_unset {
        "金额：未设（规则尚未填写金额，按 0 元计）".into()
    } else {
        format!("金额：{} 元", e.amount_text())
    });
    let decided = match (&e.decided_by, &e.decided_at) {
        (Some(by), Some(at)) => format!("（{by} {at}）"),
        _ => String::new(),
    };
    l.push(format!("状态：{}{decided}", e.state.label()));
    if !e.reason.is_empty() {
        l.push(format!("理由：{}", e.reason));
    }
    l.push(format!("记录时间：{}", e.created_at));
    l
}

fn chief_only(session: &Session, what: &str) -> Option<Msg> {
    (!session.is_chief()).then(|| crate::ui::text::chief_only(session, what))
}

impl AssessmentView {
    pub fn load(svc: &Service) -> AssessmentView {
        let mut v = AssessmentView {
            month: Month::of(svc.now().date()),
            staff_id: None,
            state: None,
            filter_text: "全部人员 · 全部状态".into(),
            filter_form: None,
            reason_form: None,
            entries: Vec::new(),
            selected: 0,
            offset: crate::ui::widgets::list::Scroll::default(),
            error: None,
        };
        v.reload(svc);
        v
    }

    pub fn month(&self) -> Month {
        self.month
    }

    pub fn reload(&mut self, svc: &Service) {
        let f = EntryFilter {
            month: Some(self.month),
            staff_id: self.staff_id,
            state: self.state,
        };
        match svc.assessment_entries(&f) {
            Ok(e) => {
                self.entries = e;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.entries.len().saturating_sub(1));
    }

    fn current(&self) -> Option<&AssessmentEntry> {
        self.entries.get(self.selected)
    }

    fn open_filter(&mut self, svc: &Service) {
        let user = self
            .staff_id
            .and_then(|id| {
                svc.list_staff()
                    .ok()?
                    .into_iter()
                    .find(|s| s.id == id)
                    .map(|s| s.username)
            })
            .unwrap_or_default();
        let state = match self.state {
            Some(EntryState::Pending) => "1",
            Some(EntryState::Confirmed) => "2",
            Some(EntryState::Waived) => "3",
            None => "4",
        };
        self.filter_form = Some(Form::new(vec![
            TextField::new("staff", "人员")
                .max(20)
                .with_value(&user)
                .hint("用户名，留空为全部"),
            TextField::new("state", "状态")
                .max(1)
                .with_value(state)
                .hint("1 待确认  2 已确认  3 免考核  4 全部"),
        ]));
    }

    fn apply_filter(&mut self, svc: &Service) -> Option<Msg> {
        let form = self.filter_form.as_mut()?;
        form.clear_errors();
        let mut said = Vec::new();
        let staff_id = match staff_in(form, "staff", svc)? {
            Some(s) => {
                said.push(s.display_name);
                Some(s.id)
            }
            None => {
                said.push("全部人员".to_string());
                None
            }
        };
        let state = match form.value("state").trim() {
            "1" => Some(EntryState::Pending),
            "2" => Some(EntryState::Confirmed),
            "3" => Some(EntryState::Waived),
            "4" | "" => None,
            _ => {
                form.set_error("state", "请填 1–4".into());
                return None;
            }
        };
        said.push(state.map(|s| s.label()).unwrap_or("全部状态").to_string());
        self.staff_id = staff_id;
        self.state = state;
        self.filter_text = said.join(" · ");
        self.filter_form = None;
        self.selected = 0;
        self.reload(svc);
        Some(Msg::info(format!(
            "筛选：{}，共 {} 条",
            self.filter_text,
            self.entries.len()
        )))
    }

    fn submit_reason(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let (why, id, form) = self.reason_form.as_mut()?;
        form.clear_errors();
        let reason = form.value("reason").to_string();
        let done = match why {
            ReasonFor::Waive => svc
                .waive_assessment_entry(session, *id, &reason)
                .map(|e| format!("已免考核：{} {}", e.staff_name, e.item)),
            ReasonFor::Reopen => svc
                .reopen_assessment_entry(session, *id, &reason)
                .map(|e| format!("已撤回决定，改回待确认：{} {}", e.staff_name, e.item)),
        };
        match done {
            Ok(m) => {
                self.reason_form = None;
                self.reload(svc);
                Some(Msg::Batch(vec![Msg::Refresh, Msg::info(m)]))
            }
            Err(e) => form.place_error(&e),
        }
    }

    fn ask_reason(&mut self, why: ReasonFor, id: i64) {
        let (label, hint) = match why {
            ReasonFor::Waive => ("免考核理由", "如：不可抗力、客户原因"),
            ReasonFor::Reopen => ("撤回理由", "为什么改回待确认"),
        };
        let field = TextField::new("reason", label)
            .required()
            .max(200)
            .hint(hint);
        self.reason_form = Some((why, id, Form::new(vec![field])));
    }

    fn render_list(&self, area: Rect, buf: &mut Buffer) {
        let h = usize::from(area.height.saturating_sub(1));
        let rows: Vec<Row> = selectable_rows(&self.entries, self.selected, &self.offset, h, |e| {
            vec![
                e.staff_name.clone(),
                e.item.clone(),
                e.summary.clone(),
                e.amount_text(),
                e.marks(),
            ]
        });
        if rows.is_empty() {
            let msg = self
                .error
                .clone()
                .unwrap_or_else(|| "本月没有符合筛选的考核记录".into());
            Line::from(format!(" {msg}")).render(area, buf);
            return;
        }
        Table::new(
            rows,
            crate::ui::widgets::chrome::columns(
                area.width,
                &[(8, 1), (16, 2), (16, 4), (7, 0), (15, 1)],
            ),
        )
        .header(Row::new(vec![" 人员", "考核项目", "事由", "金额", "标记"]).style(theme::heading()))
        .render(area, buf);
    }
}

impl Screen for AssessmentView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_ASSESSMENT
    }

    fn context(&self) -> Context {
        if self.filter_form.is_some() || self.reason_form.is_some() {
            Context::Form
        } else {
            Context::Assessment
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
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
        match modal::step(&mut self.reason_form, ev, action, "已取消，考核记录未改") {
            Some(Step::Submit(_)) => return self.submit_reason(svc, session),
            Some(Step::Done(m)) => return m,
            None => {}
        }
        let n = self.entries.len();
        match action? {
            a if list::is_move(a) => list::step(&mut self.selected, n, self.offset.page(), a),
            Action::PrevMonth | Action::NextMonth => {
                self.month = if action == Some(Action::PrevMonth) {
                    self.month.prev()
                } else {
                    self.month.next()
                };
                self.selected = 0;
                self.reload(svc);
            }
            Action::Open => {
                let e = self.current()?;
                return Some(Msg::Notice {
                    title: format!("考核依据 · 第 {} 号", e.id),
                    lines: evidence_lines(e),
                });
            }
            Action::ConfirmEntry => {
                if let Some(m) = chief_only(session, "确认考核") {
                    return Some(m);
                }
                let e = self.current()?;
                if e.state != EntryState::Pending {
                    return Some(Msg::warn(format!(
                        "该记录{}，只能确认待确认的记录",
                        e.state.label()
                    )));
                }
                let amount = if e.amount_unset {
                    "金额未设（按 0 元计）".to_string()
                } else {
                    format!("金额 {} 元", e.amount_text())
                };
                return Some(Msg::Confirm(Confirm {
                    title: "确认考核".into(),
                    lines: vec![
                        format!("确认对 {} 的考核：{}？", e.staff_name, e.item),
                        e.summary.clone(),
                        amount,
                    ],
                    on_yes: Op::new(ConfirmEntry { entry_id: e.id }),
                }));
            }
            Action::WaiveEntry => {
                if let Some(m) = chief_only(session, "免除考核") {
                    return Some(m);
                }
                let e = self.current()?;
                if e.state != EntryState::Pending {
                    return Some(Msg::warn(format!(
                        "该记录{}，只能免除待确认的记录",
                        e.state.label()
                    )));
                }
                let id = e.id;
                self.ask_reason(ReasonFor::Waive, id);
            }
            Action::ReopenEntry => {
                if let Some(m) = chief_only(session, "撤回考核决定") {
                    return Some(m);
                }
                let e = self.current()?;
                if e.state == EntryState::Pending {
                    return Some(Msg::warn("该记录尚待确认，无需撤回"));
                }
                let id = e.id;
                self.ask_reason(ReasonFor::Reopen, id);
            }
            Action::Filter => self.open_filter(svc),
            Action::OpenRules => {
                return Some(Msg::push(
                    super::assessment_rules::AssessmentRulesView::load(svc),
                ));
            }
            Action::OpenSummary => {
                return Some(Msg::push(
                    super::assessment_summary::AssessmentSummaryView::load(svc, self.month),
                ));
            }
            Action::Back => return Some(Msg::Pop),
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, list, detail] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(3),
        ])
        .areas(area);
        Line::from(vec![
            Span::styled(format!(" {} ", self.month.label()), theme::heading()),
            Span::raw(format!(
                "· {}（共 {} 条，←/→ 换月）",
                self.filter_text,
                self.entries.len()
            )),
        ])
        .render(head, buf);
        self.render_list(list, buf);
        let mut info = Vec::new();
        if let Some(e) = self.current() {
            info.push(Line::from(e.summary.clone()));
            if !e.reason.is_empty() {
                info.push(Line::from(format!("理由：{}", e.reason)));
            }
        }
        Paragraph::new(info)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::TOP))
            .render(detail, buf);
        if let Some(form) = &self.filter_form {
            return crate::ui::widgets::modal::render(area, buf, " 筛选考核记录 ", form, &[]);
        }
        let (why, id, form) = self.reason_form.as_ref()?;
        let e = self.entries.iter().find(|e| e.id == *id)?;
        let title = match why {
            ReasonFor::Waive => " 免考核 ",
            ReasonFor::Reopen => " 撤回考核决定 ",
        };
        let lines = vec![
            format!("{} · {}", e.staff_name, e.item),
            if e.amount_unset {
                "金额：未设".to_string()
            } else {
                format!("金额：{} 元", e.amount_text())
            },
        ];
        crate::ui::widgets::modal::render(area, buf, title, form, &lines)
    }

    fn refresh(&mut self, svc: &Service) {
        AssessmentView::reload(self, svc);
    }

    fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        let ConfirmEntry { entry_id } = op.get()?;
        Some(Msg::outcome(
            svc.confirm_assessment_entry(session, *entry_id).map(|e| {
                format!(
                    "已确认：{} {}（{} 元）",
                    e.staff_name,
                    e.item,
                    e.amount_text()
                )
            }),
        ))
    }
}

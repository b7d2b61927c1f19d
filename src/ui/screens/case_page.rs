//! One complaint or repair call: who called, what about, its clocks in words (following the
//! minute), its marks, and its whole history — dispatches, steps, return visits, reopenings —
//! with the forms to dispatch it, record a step and record the return visit.
use chrono::{NaiveDateTime, Timelike};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::domain::case_flow::{CaseState, StepKind, VisitOutcome, VisitResult};
use crate::domain::idcheck::mask_phone;
use crate::domain::validate::{numbered_list, pick_named};
use crate::service::cases::board::CaseDetail;
use crate::service::cases::{StepInput, VisitInput};
use crate::service::{Service, Session};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::modal::{self, Step};

const VISIT_RESULTS: [VisitResult; 4] = [
    VisitResult::Satisfied,
    VisitResult::Basic,
    VisitResult::Unsatisfied,
    VisitResult::NoAnswer,
];

enum Ask {
    Step,
    Dispatch,
    Visit,
}

pub struct CasePage {
    id: i64,
    detail: Option<CaseDetail>,
    now: NaiveDateTime,
    scroll: u16,
    ask: Option<(Ask, Form)>,
    error: Option<String>,
}

impl CasePage {
    pub fn load(svc: &Service, id: i64) -> CasePage {
        let mut p = CasePage {
            id,
            detail: None,
            now: svc.now(),
            scroll: 0,
            ask: None,
            error: None,
        };
        p.reload(svc);
        p
    }

    fn reload(&mut self, svc: &Service) {
        self.now = svc.now();
        match svc.case_detail(self.id) {
            Ok(d) => {
                self.detail = Some(d);
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
    }

    fn open(&mut self, svc: &Service, ask: Ask) {
        let now = svc.now().format("%Y-%m-%d %H:%M").to_string();
        let form = match ask {
            Ask::Step => Form::new(vec![
                TextField::new("step", "环节")
                    .required()
                    .max(6)
                    .hint(numbered_list(&StepKind::RECORDED, StepKind::label)),
                TextField::new("at", "时间")
                    .required()
                    .max(16)
                    .proposed(&now)
                    .hint("发生的时间，如 14:30"),
                TextField::new("note", "说明")
                    .max(300)
                    .hint("查明原因、答复客户和处理结果须写明"),
                TextField::new("outage_customers", "停电户数")
                    .max(6)
                    .hint("恢复供电时：停电影响的户数"),
                TextField::new("outage_from", "停电开始")
                    .max(16)
                    .hint("恢复供电时：留空为来电时间"),
            ]),
            Ask::Dispatch => crate::ui::widgets::lookup::with_lookups(
                Form::new(vec![
                    TextField::new("staff", "处理人")
                        .max(20)
                        .hint("用户名，输入即查"),
                    TextField::new("crew", "班组")
                        .max(30)
                        .hint("如 抢修一班；可留空"),
                ]),
                svc,
            ),
            Ask::Visit => Form::new(vec![
                TextField::new("result", "回访结果")
                    .required()
                    .max(6)
                    .hint(numbered_list(&VISIT_RESULTS, VisitResult::label)),
                TextField::new("at", "回访时间")
                    .required()
                    .max(16)
                    .proposed(&now),
                TextField::new("note", "回访记录")
                    .max(300)
                    .hint("不满意须写明原因（工单将重新处理）"),
            ]),
        };
        self.ask = Some((ask, form));
    }

    fn submit(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let (ask, form) = self.ask.as_mut()?;
        form.clear_errors();
        let said = match ask {
            Ask::Step => {
                let typed = form.value("step").trim().to_string();
                let step = pick_named(&typed, &StepKind::RECORDED, StepKind::label);
                if step.is_none() {
                    form.set_error("step", "请填 1–6 或环节名称".into());
                    return None;
                }
                let input = StepInput {
                    step,
                    at: form.value("at").into(),
                    note: form.value("note").into(),
                    outage_customers: form.value("outage_customers").into(),
                    outage_from: form.value("outage_from").into(),
                };
                match svc.record_case_step(session, self.id, &input) {
                    Ok(state) => {
                        let label = step.map_or("", StepKind::label);
                        match state {
                            CaseState::Visit => format!("已登记{label}，待回访"),
                            CaseState::Closed => format!("已登记{label}；未抽中回访，已办结"),
                            CaseState::Open => format!("已登记{label}"),
                        }
                    }
                    Err(e) => return form.place_error(&e),
                }
            }
            Ask::Dispatch => {
                let staff = form.value("staff").to_string();
                let crew = form.value("crew").to_string();
                match svc.dispatch_case(session, self.id, &staff, &crew) {
                    Ok(()) => "已派工".to_string(),
                    Err(e) => return form.place_error(&e),
                }
            }
            Ask::Visit => {
                let typed = form.value("result").trim().to_string();
                let result = pick_named(&typed, &VISIT_RESULTS, VisitResult::label);
                if result.is_none() {
                    form.set_error("result", "请填 1–4 或回访结果".into());
                    return None;
                }
                let input = VisitInput {
                    result,
                    at: form.value("at").into(),
                    note: form.value("note").into(),
                };
                match svc.record_case_visit(session, self.id, &input) {
                    Ok(VisitOutcome::Close) => "已回访，工单办结".to_string(),
                    Ok(VisitOutcome::CloseFailed) => {
                        "回访次数已满仍未接通，按回访失败办结".to_string()
                    }
                    Ok(VisitOutcome::Reopen) => {
                        "客户不满意：工单已重新处理，原处理记录保留".to_string()
                    }
                    Ok(VisitOutcome::TryAgain { next }) => {
                        format!("未接通，下次回访不早于 {}", next.format("%m-%d %H:%M"))
                    }
                    Err(e) => return form.place_error(&e),
                }
            }
        };
        self.ask = None;
        self.reload(svc);
        Some(Msg::Batch(vec![Msg::Refresh, Msg::info(said)]))
    }

    fn lines(&self, d: &CaseDetail) -> Vec<Line<'static>> {
        let c = &d.case.row;
        let mut out = Vec::new();
        let heading = |t: String| Line::from(Span::styled(t, theme::heading()));
        let mut state = c.state.label().to_string();
        if let Some(how) = c.closed_how {
            state = how.label().to_string();
        }
        if c.round > 0 {
            state.push_str(&format!("（第 {} 次处理）", c.round + 1));
        }
        out.push(heading(format!(
            " {}  {} · {}{}  {}",
            c.case_no,
            c.kind.label(),
            c.channel.label(),
            if c.upstream_no.is_empty() {
                String::new()
            } else {
                format!(" {}", c.upstream_no)
            },
            state
        )));
        let mut flags = Vec::new();
        if c.urgent {
            flags.push("紧急".to_string());
        }
        if c.supply_cut {
            flags.push("客户停电".to_string());
        }
        if !c.visit_needed {
            flags.push("未抽中回访".to_string());
        }
        let risk = d.case.risk(self.now);
        if risk.at_risk() {
            flags.push(format!("险：{}", risk.words()));
        }
        out.push(Line::from(format!(
            " 受理 {}  {}",
            c.received_at.format("%Y-%m-%d %H:%M"),
            flags.join("  ")
        )));
        let who = match (&c.account_no, &c.customer_name) {
            (Some(no), Some(name)) => format!("{name}（户号 {no}）"),
            _ => c.caller_name.clone(),
        };
        let caller = if c.customer_name.is_some()
            && !c.caller_name.is_empty()
            && c.customer_name.as_deref() != Some(&c.caller_name)
        {
            format!("{who}，来电人 {}", c.caller_name)
        } else {
            who
        };
        out.push(Line::from(format!(
            " 来电 {caller}  {}",
            mask_phone(&c.caller_phone)
        )));
        out.push(Line::from(format!(
            " 地点 {}  台区 {}（{}）",
            c.place,
            c.area_name.as_deref().unwrap_or("未指定"),
            d.case.area_type.label()
        )));
        if let Some(no) = &c.order_tracking_no {
            out.push(Line::from(format!(" 延误的工单 {no}（计入考核）")));
        }
        out.push(Line::from(format!(" 内容 {}", c.content)));
        out.push(Line::from(vec![
            Span::styled(" 时限 ", theme::heading()),
            Span::raw(self.clock_text(d)),
        ]));
        out.push(heading(" 处理经过".into()));
        let mut events: Vec<(NaiveDateTime, i64, String)> = d
            .steps
            .iter()
            .map(|s| {
                let mut t = format!("  {}  {}", s.at.format("%m-%d %H:%M"), s.step.label());
                if !s.note.is_empty() {
                    t.push_str(&format!("：{}", s.note));
                }
                if let (Some(n), Some(from)) = (s.outage_customers, s.outage_from) {
                    t.push_str(&format!(
                        "（停电 {n} 户，自 {}，{} 时户）",
                        from.format("%m-%d %H:%M"),
                        crate::domain::case_flow::centi_text(
                            crate::domain::case_flow::customer_hours_centi(n, from, s.at)
                        )
                    ));
                }
                t.push_str(&format!("  〔{}〕", s.recorded_by));
                (s.at, s.id, t)
            })
            .chain(d.visits.iter().map(|v| {
                let mut t = format!(
                    "  {}  回访：{}",
                    v.at.format("%m-%d %H:%M"),
                    v.result.label()
                );
                if !v.note.is_empty() {
                    t.push_str(&format!("，{}", v.note));
                }
                t.push_str(&format!("  〔{}〕", v.recorded_by));
                (v.at, i64::MAX - v.id, t)
            }))
            .collect();
        events.sort_by_key(|(at, id, _)| (*at, *id));
        if events.is_empty() {
            out.push(Line::from(Span::styled("  尚无处理记录", theme::dim())));
        }
        out.extend(events.into_iter().map(|(_, _, t)| Line::from(t)));
        out
    }

    fn clock_text(&self, d: &CaseDetail) -> String {
        let t = d.case.clock_words(self.now, &d.calendar);
        if t.is_empty() {
            "本类不计时限".into()
        } else {
            t
        }
    }
}

impl Screen for CasePage {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_CASE
    }

    fn context(&self) -> Context {
        if self.ask.is_some() {
            Context::Form
        } else {
            Context::CasePage
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.ask, ev, action, "未登记") {
            Some(Step::Submit(_)) => return self.submit(svc, session),
            Some(Step::Done(m)) => return m,
            None => {}
        }
        match action? {
            Action::Back => return Some(Msg::Pop),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1),
            Action::RecordStep | Action::DispatchCase | Action::RecordVisit
                if !session.can_write() =>
            {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            Action::RecordStep => self.open(svc, Ask::Step),
            Action::DispatchCase => self.open(svc, Ask::Dispatch),
            Action::RecordVisit => {
                let state = self.detail.as_ref()?.case.row.state;
                if state != CaseState::Visit {
                    return Some(Msg::warn(match state {
                        CaseState::Open => format!(
                            "还在处理中：先按 {} 登记处理结果，再回访",
                            keymap::key_label(Context::CasePage, Action::RecordStep)
                        ),
                        _ => "该工单已办结".to_string(),
                    }));
                }
                self.open(svc, Ask::Visit);
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(area, buf);
            return None;
        }
        if let Some(d) = &self.detail {
            Paragraph::new(self.lines(d))
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0))
                .render(area, buf);
        }
        let (ask, form) = self.ask.as_ref()?;
        let title = match ask {
            Ask::Step => " 登记处理环节 ",
            Ask::Dispatch => " 派工 ",
            Ask::Visit => " 回访 ",
        };
        crate::ui::widgets::chrome::form_popup_w(area, buf, 72, title, form)
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }

    fn tick(&mut self, svc: &Service) {
        let now = svc.now();
        if now.minute() != self.now.minute() || now.hour() != self.now.hour() {
            self.now = now;
        }
    }
}

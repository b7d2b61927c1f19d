//! 投诉报修: the open cases board — overdue first, then by the nearest deadline — with each
//! case's clocks in words, redrawn as time passes (the minute tick, no key needed); marks
//! for the chief (逾期, 险: at risk of escalation to 12398, 急); logging a call (the caller
//! picked in the search box first); filters; the duty log of a shift and the monthly report.
use chrono::{Datelike, NaiveDateTime, Timelike};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, Widget};

use crate::domain::case::{CaseKind, Channel};
use crate::domain::validate;
use crate::service::cases::board::{BoardCase, CaseBoard, CaseFilter};
use crate::service::{Service, Session};
use crate::ui::forms::case_form::CaseForm;
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::screens::case_page::CasePage;
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::customer_search::{Choice, CustomerSearch};
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list::{self, Scroll};
use crate::ui::widgets::lookup::{area_in, staff_in, with_lookups};
use crate::ui::widgets::modal::{self, Step};

/// What the small forms of the board ask.
enum Ask {
    Filter,
    /// the shift of the duty log to print
    Shift,
    /// the month of the report
    Month,
}

pub struct CasesView {
    board: CaseBoard,
    /// the minute the words were last brought up to date
    now: NaiveDateTime,
    /// indices into `board.cases` that pass the filter, in board order
    shown: Vec<usize>,
    filter: CaseFilter,
    filter_text: String,
    selected: usize,
    offset: Scroll,
    /// picking the caller (`true`: for a repair call)
    picker: Option<(bool, CustomerSearch)>,
    case_form: Option<CaseForm>,
    ask: Option<(Ask, Form)>,
    error: Option<String>,
}

fn minute(t: NaiveDateTime) -> NaiveDateTime {
    t.with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(t)
}

impl CasesView {
    pub fn load(svc: &Service) -> CasesView {
        let mut v = CasesView {
            board: CaseBoard::default(),
            now: minute(svc.now()),
            shown: Vec::new(),
            filter: CaseFilter::default(),
            filter_text: "全部在办".into(),
            selected: 0,
            offset: Scroll::default(),
            picker: None,
            case_form: None,
            ask: None,
            error: None,
        };
        v.reload(svc);
        v
    }

    /// The board read again (after a change, or on coming back to it).
    pub fn reload(&mut self, svc: &Service) {
        let keep = self.current().map(|c| c.row.id);
        match svc.case_board() {
            Ok(b) => {
                self.board = b;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.now = minute(svc.now());
        self.reorder(keep);
    }

    /// The minute the board's words are for.
    pub fn now(&self) -> NaiveDateTime {
        self.now
    }

    /// Bring the words and the order to `now` (no database read): what the tick does when
    /// a minute has passed.
    pub fn move_to(&mut self, now: NaiveDateTime) {
        self.now = minute(now);
        let keep = self.current().map(|c| c.row.id);
        self.reorder(keep);
    }

    /// Board order at `self.now`, the filter applied, the selection kept on its case.
    fn reorder(&mut self, keep: Option<i64>) {
        self.board.sort(self.now);
        self.shown = self
            .board
            .cases
            .iter()
            .enumerate()
            .filter(|(_, c)| self.filter.matches(c))
            .map(|(i, _)| i)
            .collect();
        if let Some(id) = keep
            && let Some(pos) = self
                .shown
                .iter()
                .position(|i| self.board.cases[*i].row.id == id)
        {
            self.selected = pos;
        }
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }

    /// Put the selection on case `id` (when the filter shows it).
    fn select(&mut self, id: i64) {
        if let Some(pos) = self
            .shown
            .iter()
            .position(|i| self.board.cases[*i].row.id == id)
        {
            self.selected = pos;
        }
    }

    fn current(&self) -> Option<&BoardCase> {
        self.shown
            .get(self.selected)
            .and_then(|i| self.board.cases.get(*i))
    }

    fn open_ask(&mut self, svc: &Service, ask: Ask) {
        let form = match ask {
            Ask::Filter => with_lookups(
                Form::new(vec![
                    TextField::new("kind", "类别").max(6).hint(
                        validate::numbered_list(&CaseKind::ALL, CaseKind::label) + "，留空为全部",
                    ),
                    TextField::new("channel", "来源").max(6).hint(
                        validate::numbered_list(&Channel::ALL, Channel::label) + "，留空为全部",
                    ),
                    TextField::new("staff", "处理人")
                        .max(20)
                        .hint("用户名，留空为全部"),
                    TextField::new("area", "台区")
                        .max(10)
                        .hint("编码，留空为全部"),
                ]),
                svc,
            ),
            Ask::Shift => {
                let start = svc
                    .shift_start(svc.now())
                    .map(|s| s.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default();
                Form::new(vec![
                    TextField::new("from", "班次开始")
                        .required()
                        .max(16)
                        .proposed(&start)
                        .hint("打印从此时起 24 小时的来电与报修"),
                ])
            }
            Ask::Month => {
                let now = svc.now();
                Form::new(vec![
                    TextField::new("month", "月份")
                        .required()
                        .max(7)
                        .proposed(&format!("{}-{:02}", now.year(), now.month()))
                        .hint("如 2026-11；打印 PDF 并导出 CSV 到打印文件夹"),
                ])
            }
        };
        self.ask = Some((ask, form));
    }

    fn submit_ask(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let (ask, form) = self.ask.as_mut()?;
        form.clear_errors();
        match ask {
            Ask::Filter => {
                let mut f = CaseFilter::default();
                let mut said = Vec::new();
                let kind = form.value("kind").trim().to_string();
                if !kind.is_empty() {
                    let Some(k) = crate::ui::forms::case_form::parse_kind(&kind) else {
                        form.set_error("kind", "请填 1–6 或留空".into());
                        return None;
                    };
                    f.kind = Some(k);
                    said.push(k.label().to_string());
                }
                let channel = form.value("channel").trim().to_string();
                if !channel.is_empty() {
                    let Some(c) = crate::ui::forms::case_form::parse_channel(&channel) else {
                        form.set_error("channel", "请填 1–5 或留空".into());
                        return None;
                    };
                    f.channel = Some(c);
                    said.push(c.label().to_string());
                }
                if let Some(s) = staff_in(form, "staff", svc)? {
                    f.staff_id = Some(s.id);
                    said.push(s.display_name);
                }
                if let Some(a) = area_in(form, "area", svc)? {
                    f.area_id = Some(a.id);
                    said.push(a.name);
                }
                self.filter = f;
                self.filter_text = if said.is_empty() {
                    "全部在办".into()
                } else {
                    said.join(" · ")
                };
                self.ask = None;
                let keep = self.current().map(|c| c.row.id);
                self.reorder(keep);
                None
            }
            Ask::Shift => {
                let from = match validate::moment(form.value("from"), svc.now().date()) {
                    Ok(t) => t,
                    Err(e) => {
                        form.set_error("from", e);
                        return None;
                    }
                };
                match svc.print_duty_log(session, from) {
                    Ok(out) => {
                        self.ask = None;
                        Some(Msg::info(format!(
                            "值班记录已打印：{}",
                            file_name(&out.path)
                        )))
                    }
                    Err(e) => form.place_error(&e),
                }
            }
            Ask::Month => {
                let typed = validate::fold_digits(form.value("month"));
                let parsed = typed
                    .trim()
                    .split_once(['-', '/', '.'])
                    .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)));
                let Some((y, m)) =
                    parsed.filter(|(y, m)| (2000..=2100).contains(y) && (1..=12).contains(m))
                else {
                    form.set_error("month", "月份格式如 2026-11".into());
                    return None;
                };
                let pdf = match svc.print_case_report(session, y, m) {
                    Ok(out) => out,
                    Err(e) => return form.place_error(&e),
                };
                let said = match svc.export_case_report_csv(session, y, m) {
                    Ok(csv) => Msg::info(format!(
                        "{y} 年 {m} 月投诉报修月报已打印：{}；CSV：{}",
                        file_name(&pdf.path),
                        file_name(&csv)
                    )),
                    Err(e) => Msg::error(format!(
                        "月报已打印：{}，但 CSV 未能导出：{}",
                        file_name(&pdf.path),
                        e.message()
                    )),
                };
                self.ask = None;
                Some(said)
            }
        }
    }

    fn handle_picker(
        &mut self,
        svc: &mut Service,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        let (repair, search) = self.picker.as_mut()?;
        let repair = *repair;
        match action {
            Some(Action::Back) => {
                self.picker = None;
                None
            }
            Some(Action::NoCustomer) => {
                self.picker = None;
                self.case_form = Some(CaseForm::open(svc, None, repair));
                if let Some(f) = self.case_form.as_mut() {
                    f.form.focus = 4;
                }
                None
            }
            Some(Action::Open) => match search.choose() {
                Choice::Take(hit) => {
                    self.picker = None;
                    self.case_form = Some(CaseForm::open(svc, Some(hit), repair));
                    None
                }
                Choice::Choose(m) => Some(Msg::info(m)),
                Choice::Nothing => Some(Msg::warn(format!(
                    "请先输入并选中一位客户；不是档案客户按 {}",
                    keymap::key_label(Context::CaseCaller, Action::NoCustomer)
                ))),
            },
            _ => {
                search.handle_key(svc, ev, action);
                None
            }
        }
    }

    fn marks(&self, c: &BoardCase) -> String {
        let mut m = Vec::new();
        // overdue is at risk by itself: 险 says so only for the other reasons (or a clock
        // that stopped late), so 急 always has its room
        if c.overdue(self.now) {
            m.push("逾期");
        } else if c.risk(self.now).at_risk() {
            m.push("险");
        }
        if c.row.urgent {
            m.push("急");
        }
        m.join(" ")
    }
}

fn file_name(p: &std::path::Path) -> String {
    p.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// `06日14:30` (the month is on the case number)
fn short_time(t: NaiveDateTime) -> String {
    t.format("%d日%H:%M").to_string()
}

/// The case number without the station's code (the same on every case): `T20261206001`.
fn short_no(no: &str) -> String {
    match no.rfind('T') {
        Some(i) if no.len() - i == 12 => no[i..].to_string(),
        _ => no.to_string(),
    }
}

impl Screen for CasesView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_CASES
    }

    fn context(&self) -> Context {
        if self.case_form.is_some() || self.ask.is_some() {
            Context::Form
        } else if self.picker.is_some() {
            Context::CaseCaller
        } else {
            Context::Cases
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        if self.case_form.is_some() {
            let mut saved = None;
            let msg = CaseForm::handle(&mut self.case_form, &mut saved, svc, session, ev, action);
            if let Some(id) = saved {
                // the new case selected, wherever the board puts it
                self.reload(svc);
                self.select(id);
            }
            return msg;
        }
        match modal::step(&mut self.ask, ev, action, "已取消") {
            Some(Step::Submit(_)) => return self.submit_ask(svc, session),
            Some(Step::Done(m)) => return m,
            None => {}
        }
        if self.picker.is_some() {
            return self.handle_picker(svc, ev, action);
        }
        match action? {
            a if list::is_move(a) => {
                list::step(&mut self.selected, self.shown.len(), self.offset.page(), a)
            }
            Action::Back => return Some(Msg::Pop),
            Action::Open => {
                let id = self.current()?.row.id;
                return Some(Msg::push(CasePage::load(svc, id)));
            }
            Action::NewRepair | Action::NewCase if !session.can_write() => {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            a @ (Action::NewRepair | Action::NewCase) => {
                self.picker = Some((a == Action::NewRepair, CustomerSearch::new()));
            }
            Action::Filter => self.open_ask(svc, Ask::Filter),
            Action::PrintDutyLog => self.open_ask(svc, Ask::Shift),
            Action::OpenDutyLog => {
                return Some(Msg::push(super::duty_log::DutyLogView::load(svc)));
            }
            Action::CaseReport => self.open_ask(svc, Ask::Month),
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        if let Some((repair, search)) = &self.picker {
            let [head, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
            Line::from(vec![
                Span::styled(
                    if *repair {
                        " 报修：谁来电？"
                    } else {
                        " 登记来电：谁来电？"
                    },
                    theme::heading(),
                ),
                Span::raw(format!(
                    " 输入户号、户名、拼音首字母、电话或地址；不是档案客户按 {}",
                    keymap::key_label(Context::CaseCaller, Action::NoCustomer)
                )),
            ])
            .render(head, buf);
            return search.render(rest, buf);
        }
        let [head, list_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        let cases: Vec<&BoardCase> = self
            .shown
            .iter()
            .filter_map(|i| self.board.cases.get(*i))
            .collect();
        let overdue = cases.iter().filter(|c| c.overdue(self.now)).count();
        let risk = cases.iter().filter(|c| c.risk(self.now).at_risk()).count();
        Line::from(vec![
            Span::styled(format!(" {}", self.filter_text), theme::heading()),
            Span::raw(format!(
                " · 在办 {} 件，逾期 {overdue}，险 {risk} · {}",
                cases.len(),
                self.now.format("%H:%M")
            )),
        ])
        .render(head, buf);
        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(list_area, buf);
        } else if cases.is_empty() {
            Line::from(Span::styled(
                format!(
                    " 没有在办的投诉报修；按 {} 登记报修",
                    keymap::key_label(Context::Cases, Action::NewRepair)
                ),
                theme::dim(),
            ))
            .render(list_area, buf);
        } else {
            let h = usize::from(list_area.height.saturating_sub(1));
            let cal = &self.board.calendar;
            let rows = selectable_rows(&cases, self.selected, &self.offset, h, |c| {
                vec![
                    self.marks(c),
                    short_no(&c.row.case_no),
                    c.row.kind.short().to_string(),
                    c.row.channel.short().to_string(),
                    short_time(c.row.received_at),
                    c.row.caller().to_string(),
                    c.row.area_name.clone().unwrap_or_default(),
                    match c.row.state {
                        crate::domain::case_flow::CaseState::Visit => {
                            if c.no_answer > 0 {
                                format!("待回访（未接通{}次）", c.no_answer)
                            } else {
                                "待回访".into()
                            }
                        }
                        _ if c.clocks.is_empty() => "不计时限".into(),
                        _ => c.clock_words(self.now, cal),
                    },
                    c.row
                        .assignee_name
                        .clone()
                        .or_else(|| (!c.row.crew.is_empty()).then(|| c.row.crew.clone()))
                        .unwrap_or_else(|| "未派工".into()),
                ]
            });
            let widths = columns(
                list_area.width,
                &[
                    (9, 0),
                    (12, 0),
                    (4, 0),
                    (5, 0),
                    (9, 0),
                    (6, 1),
                    (6, 1),
                    (14, 4),
                    (6, 1),
                ],
            );
            Table::new(rows, widths)
                .header(
                    Row::new(vec![
                        " 标记",
                        "单号",
                        "类别",
                        "来源",
                        "受理",
                        "来电人",
                        "台区",
                        "时限",
                        "处理人",
                    ])
                    .style(theme::heading()),
                )
                .render(list_area, buf);
        }
        if let Some(f) = &self.case_form {
            return f.render(area, buf);
        }
        let (ask, form) = self.ask.as_ref()?;
        let title = match ask {
            Ask::Filter => " 筛选在办投诉报修 ",
            Ask::Shift => " 打印值班记录 ",
            Ask::Month => " 投诉报修月报 ",
        };
        crate::ui::widgets::chrome::form_popup_w(area, buf, 72, title, form)
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }

    /// A minute passed: the clocks' words move on and a case past its limit moves up.
    fn tick(&mut self, svc: &Service) {
        let now = minute(svc.now());
        if now != self.now {
            self.move_to(now);
        }
    }
}

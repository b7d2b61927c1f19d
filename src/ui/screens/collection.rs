//! 欠费催收: the customers in arrears (most overdue first) with owed, late fee to date,
//! grade and whether the arrears are deliberate; marking the arrears, printing reminder
//! notices (one customer or a whole 台区), the written disconnection notice, recording a
//! disconnection (confirmed once with the name and the amount) and the 复电 order after
//! payment. The list is read once (on opening and after a filter); a change re-reads only
//! the customer it touched.
use std::collections::HashMap;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, Widget};

use crate::domain::billing::PaymentGrade;
use crate::domain::money::format_yuan;
use crate::domain::validate::{pick_numbered, yes_no};
use crate::service::collection::{
    ArrearsFilter, ArrearsList, ArrearsRow, ReminderScope, mark_word,
};
use crate::service::{Service, Session};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::{Op, Screen};
use crate::ui::screens::pay_text::printed_text;
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list::{self, Scroll};
use crate::ui::widgets::lookup::{area_in, staff_in, with_lookups};
use crate::ui::widgets::modal::{self, Step};

/// The confirmed disconnection.
struct CutOp {
    customer_id: i64,
    reason: String,
}

pub struct CollectionView {
    list: Option<ArrearsList>,
    error: Option<String>,
    filter: ArrearsFilter,
    filter_text: String,
    selected: usize,
    offset: Scroll,
    grades: HashMap<i64, PaymentGrade>,
    filter_form: Option<Form>,
    mark_form: Option<(i64, Form)>,
    cut_form: Option<(i64, Form)>,
}

const DELIBERATE: [bool; 2] = [true, false];

fn grade_word(g: Option<&PaymentGrade>) -> &'static str {
    g.map_or("", |g| g.label())
}

fn state_word(r: &ArrearsRow, today: chrono::NaiveDate) -> &'static str {
    // a notice printed before these arrears fell due is not theirs
    let notice = r.disconnect_notice.filter(|(p, _)| *p >= r.oldest_due);
    match (r.disconnected_on, notice) {
        (Some(_), _) => "已停电",
        (None, Some((_, end))) if r.candidate && today <= end => "通知中",
        (None, Some(_)) if r.candidate => "期满",
        _ if r.candidate => "可停电",
        _ => "",
    }
}

impl CollectionView {
    pub fn load(svc: &Service) -> CollectionView {
        let mut v = CollectionView {
            list: None,
            error: None,
            filter: ArrearsFilter::default(),
            filter_text: "全部".into(),
            selected: 0,
            offset: Scroll::default(),
            grades: HashMap::new(),
            filter_form: None,
            mark_form: None,
            cut_form: None,
        };
        v.reload(svc);
        v
    }

    fn rows(&self) -> &[ArrearsRow] {
        self.list.as_ref().map_or(&[], |l| &l.rows)
    }

    fn current(&self) -> Option<&ArrearsRow> {
        self.rows().get(self.selected)
    }

    fn reload(&mut self, svc: &Service) {
        match svc.arrears_list(&self.filter) {
            Ok(l) => {
                self.list = Some(l);
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.rows().len().saturating_sub(1));
        self.fill_grades(svc);
    }

    /// The grades of the rows around the selection (the grade reads a year of bills, so it
    /// is asked only for what can be on screen).
    fn fill_grades(&mut self, svc: &Service) {
        let from = self.selected.saturating_sub(40);
        let ids: Vec<i64> = self
            .rows()
            .iter()
            .skip(from)
            .take(80)
            .map(|r| r.customer_id)
            .filter(|id| !self.grades.contains_key(id))
            .collect();
        if let Ok(g) = svc.arrears_grades(&ids) {
            self.grades.extend(g);
        }
    }

    /// Read one customer again after a change: the row is replaced, or leaves the list
    /// when nothing overdue is owed any more.
    fn refresh_row(&mut self, svc: &Service, customer_id: i64) {
        self.grades.remove(&customer_id);
        let Some(list) = self.list.as_mut() else {
            return;
        };
        let Some(i) = list.rows.iter().position(|r| r.customer_id == customer_id) else {
            return;
        };
        match svc.customer_arrears(customer_id) {
            Ok(Some(r)) => list.rows[i] = r,
            Ok(None) => {
                list.rows.remove(i);
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.rows().len().saturating_sub(1));
        self.fill_grades(svc);
    }

    fn open_filter(&mut self, svc: &Service) {
        let yes = |b: bool| if b { "是" } else { "否" };
        let form = Form::new(vec![
            TextField::new("area", "台区编码")
                .max(10)
                .hint("留空为全部，如 TQ001"),
            TextField::new("staff", "抄表员")
                .max(20)
                .hint("台区经理的用户名，留空为全部"),
            TextField::new("deliberate", "只看恶意欠费")
                .max(2)
                .with_value(yes(self.filter.deliberate_only))
                .hint("是 / 否"),
            TextField::new("candidates", "只看可停电的")
                .max(2)
                .with_value(yes(self.filter.candidates_only))
                .hint("是 / 否：逾期超过可停电天数且未停电"),
        ]);
        self.filter_form = Some(with_lookups(form, svc));
    }

    fn apply_filter(&mut self, svc: &Service) -> Option<Msg> {
        let form = self.filter_form.as_mut()?;
        form.clear_errors();
        let mut f = ArrearsFilter::default();
        let mut said = Vec::new();
        if let Some(a) = area_in(form, "area", svc)? {
            f.area_id = Some(a.id);
            said.push(a.name);
        }
        if let Some(s) = staff_in(form, "staff", svc)? {
            f.reader_id = Some(s.id);
            said.push(format!("{}的台区", s.display_name));
        }
        for (key, flag, word) in [
            ("deliberate", &mut f.deliberate_only, "恶意欠费"),
            ("candidates", &mut f.candidates_only, "可停电"),
        ] {
            match yes_no(form.value(key), false) {
                Some(v) => {
                    *flag = v;
                    if v {
                        said.push(word.into());
                    }
                }
                None => {
                    form.set_error(key, "请填 是 或 否".into());
                    return None;
                }
            }
        }
        self.filter = f;
        self.filter_text = if said.is_empty() {
            "全部".into()
        } else {
            said.join(" · ")
        };
        self.filter_form = None;
        self.selected = 0;
        self.reload(svc);
        Some(Msg::info(format!(
            "筛选：{}，共 {} 户",
            self.filter_text,
            self.rows().len()
        )))
    }

    fn submit_mark(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let (id, form) = self.mark_form.as_mut()?;
        let id = *id;
        form.clear_errors();
        let Some(deliberate) = pick_numbered(form.value("kind"), &DELIBERATE) else {
            form.set_error("kind", "请填 1 恶意欠费 或 2 非恶意欠费".into());
            return None;
        };
        let note = form.value("note").to_string();
        match svc.mark_arrears(session, id, deliberate, &note) {
            Ok(()) => {
                self.mark_form = None;
                self.refresh_row(svc, id);
                Some(Msg::info(format!("已认定为{}", mark_word(deliberate))))
            }
            Err(e) => form.place_error(&e),
        }
    }

    fn submit_cut(&mut self, svc: &Service) -> Option<Msg> {
        let (id, form) = self.cut_form.as_mut()?;
        let id = *id;
        form.clear_errors();
        let reason = form.value("reason").trim().to_string();
        if reason.is_empty() {
            form.set_error("reason", "请写明停电原因".into());
            return None;
        }
        match svc.disconnection_preview(id) {
            Ok(p) => Some(Msg::Confirm(Confirm::new(
                "登记欠费停电",
                vec![
                    format!("客户：{}（户号 {}）", p.name, p.account_no),
                    format!(
                        "欠费 {} 元 + 违约金 {} 元 = {} 元，逾期 {} 天",
                        format_yuan(p.principal),
                        format_yuan(p.late_fee),
                        format_yuan(p.principal + p.late_fee),
                        p.days_overdue
                    ),
                    format!(
                        "抄表员 {}：本月已停电 {} 户，限额 {} 户",
                        p.reader, p.used, p.quota
                    ),
                    format!("原因：{reason}"),
                ],
                CutOp {
                    customer_id: id,
                    reason,
                },
            ))),
            Err(e) => {
                form.set_error("reason", e.message());
                None
            }
        }
    }

    fn print_area(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let area = self.filter.area_id.or(self.current()?.area_id);
        let Some(area) = area else {
            return Some(Msg::warn("该客户未划入台区，请按户打印"));
        };
        match svc.print_reminders(session, ReminderScope::Area(area)) {
            Ok(done) => {
                let today = self.list.as_ref().map(|l| l.today);
                if let Some(list) = self.list.as_mut() {
                    for r in list.rows.iter_mut().filter(|r| r.area_id == Some(area)) {
                        r.last_reminder = today;
                    }
                }
                Some(Msg::info(format!(
                    "已打印 {} 户的催费通知单：{}",
                    done.count,
                    printed_text(&done.outcome)
                )))
            }
            Err(e) => Some(Msg::error(e.message())),
        }
    }

    fn write_refused(session: &Session) -> Option<Msg> {
        (!session.can_write()).then(|| Msg::warn(crate::ui::text::AUDITOR_READ_ONLY))
    }
}

impl Screen for CollectionView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_COLLECTION
    }

    fn context(&self) -> Context {
        if self.filter_form.is_some() || self.mark_form.is_some() || self.cut_form.is_some() {
            Context::Form
        } else {
            Context::Collection
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
            Some(Step::Submit(_)) => return self.apply_filter(svc),
            Some(Step::Done(m)) => return m,
            None => {}
        }
        match modal::step(&mut self.mark_form, ev, action, "未认定") {
            Some(Step::Submit(_)) => return self.submit_mark(svc, session),
            Some(Step::Done(m)) => return m,
            None => {}
        }
        match modal::step(&mut self.cut_form, ev, action, "未登记停电") {
            Some(Step::Submit(_)) => return self.submit_cut(svc),
            Some(Step::Done(m)) => return m,
            None => {}
        }
        match action? {
            a if list::is_move(a) => {
                let n = self.rows().len();
                list::step(&mut self.selected, n, self.offset.page(), a);
                self.fill_grades(svc);
            }
            Action::Back => return Some(Msg::Pop),
            Action::Filter => self.open_filter(svc),
            Action::ToggleCandidates => {
                self.filter.candidates_only = !self.filter.candidates_only;
                self.filter_text = if self.filter.candidates_only {
                    "可停电".into()
                } else {
                    "全部".into()
                };
                self.filter.deliberate_only = false;
                self.selected = 0;
                self.reload(svc);
            }
            Action::MarkArrears
            | Action::PrintReminder
            | Action::PrintAreaReminders
            | Action::PrintDisconnectNotice
            | Action::RecordDisconnection
            | Action::Reconnect
                if !session.can_write() =>
            {
                return Self::write_refused(session);
            }
            Action::MarkArrears => {
                let r = self.current()?;
                let kind = match r.deliberate {
                    Some(true) => "1",
                    Some(false) => "2",
                    None => "",
                };
                self.mark_form = Some((
                    r.customer_id,
                    Form::new(vec![
                        TextField::new("kind", "欠费性质")
                            .required()
                            .max(2)
                            .with_value(kind)
                            .hint("1 恶意欠费  2 非恶意欠费（老人、外出、未收到通知等）"),
                        TextField::new("note", "认定依据")
                            .required()
                            .max(100)
                            .with_value(&r.mark_note)
                            .hint("如 多次上门催缴拒不缴费；长年外出务工"),
                    ]),
                ));
            }
            Action::PrintReminder => {
                let id = self.current()?.customer_id;
                let r = svc.print_reminders(session, ReminderScope::Customer(id));
                self.refresh_row(svc, id);
                return Some(match r {
                    Ok(done) => {
                        Msg::info(format!("已打印催费通知单：{}", printed_text(&done.outcome)))
                    }
                    Err(e) => Msg::error(e.message()),
                });
            }
            Action::PrintAreaReminders => return self.print_area(svc, session),
            Action::PrintDisconnectNotice => {
                let id = self.current()?.customer_id;
                let r = svc.print_disconnect_notice(session, id);
                self.refresh_row(svc, id);
                return Some(match r {
                    Ok(done) => Msg::info(format!(
                        "已打印停电通知书，通知期至 {}：{}",
                        done.period_end.map(|d| d.to_string()).unwrap_or_default(),
                        printed_text(&done.outcome)
                    )),
                    Err(e) => Msg::warn(e.message()),
                });
            }
            Action::RecordDisconnection => {
                let id = self.current()?.customer_id;
                if let Err(e) = svc.disconnection_preview(id) {
                    return Some(Msg::warn(e.message()));
                }
                self.cut_form = Some((
                    id,
                    Form::new(vec![
                        TextField::new("reason", "停电原因")
                            .required()
                            .max(100)
                            .proposed("逾期欠费，停电通知书期满仍未缴清"),
                    ]),
                ));
            }
            Action::Reconnect => {
                let id = self.current()?.customer_id;
                let r = svc.reconnect(session, id);
                self.refresh_row(svc, id);
                return Some(match r {
                    Ok(done) => Msg::info(format!(
                        "已开复电工单 {}，须在 {} 小时内恢复供电",
                        done.tracking_no, done.within_hours
                    )),
                    Err(e) => Msg::warn(e.message()),
                });
            }
            _ => {}
        }
        None
    }

    fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        let CutOp {
            customer_id,
            reason,
        } = op.get::<CutOp>()?;
        match svc.record_disconnection(session, *customer_id, reason) {
            Ok(done) => {
                self.cut_form = None;
                self.refresh_row(svc, *customer_id);
                Some(Msg::info(format!(
                    "已登记停电，当时欠费 {} 元；缴清后按 {} 开复电工单",
                    format_yuan(done.owed),
                    keymap::key_label(Context::Collection, Action::Reconnect)
                )))
            }
            Err(e) => match self.cut_form.as_mut() {
                Some((_, form)) => form.place_error(&e),
                None => Some(Msg::error(e.message())),
            },
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, body, detail] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(3),
        ])
        .areas(area);
        let mut spans = vec![Span::styled(" 欠费催收", theme::heading())];
        if let Some(l) = &self.list {
            spans.push(Span::raw(format!(
                " · {} · {} 户 欠费 {} 元 违约金 {} 元",
                self.filter_text,
                l.rows.len(),
                format_yuan(l.principal),
                format_yuan(l.late_fee)
            )));
            if l.in_outage {
                spans.push(Span::styled(" · 停电期间暂停欠费停电", theme::warn()));
            }
        }
        Line::from(spans).render(head, buf);
        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(body, buf);
        } else if self.rows().is_empty() {
            let text = if self.filter == ArrearsFilter::default() {
                "没有逾期未缴电费的客户".to_string()
            } else {
                format!(
                    "筛选“{}”下没有欠费客户（{} 改筛选）",
                    self.filter_text,
                    keymap::key_label(Context::Collection, Action::Filter)
                )
            };
            Line::from(Span::styled(format!(" {text}"), theme::dim())).render(body, buf);
        } else {
            self.render_list(body, buf);
            self.render_detail(detail, buf);
        }
        if let Some(form) = &self.filter_form {
            return crate::ui::widgets::chrome::form_popup(area, buf, " 筛选欠费客户 ", form);
        }
        if let Some((_, form)) = &self.mark_form {
            return crate::ui::widgets::chrome::form_popup(area, buf, " 认定欠费性质 ", form);
        }
        let (_, form) = self.cut_form.as_ref()?;
        crate::ui::widgets::chrome::form_popup(area, buf, " 登记欠费停电 ", form)
    }

    fn refresh(&mut self, svc: &Service) {
        if let Some(id) = self.current().map(|r| r.customer_id) {
            self.refresh_row(svc, id);
        }
    }
}

impl CollectionView {
    fn render_list(&self, area: Rect, buf: &mut Buffer) {
        let h = usize::from(area.height.saturating_sub(1));
        let today = self.list.as_ref().map(|l| l.today).unwrap_or_default();
        let rows = selectable_rows(self.rows(), self.selected, &self.offset, h, |r| {
            vec![
                r.account_no.clone(),
                r.name.clone(),
                r.area_name.clone(),
                format_yuan(r.principal),
                format_yuan(r.late_fee),
                format!("{}天", r.days_overdue),
                grade_word(self.grades.get(&r.customer_id)).to_string(),
                match r.deliberate {
                    Some(true) => "恶意".into(),
                    Some(false) => "非恶意".into(),
                    None => String::new(),
                },
                state_word(r, today).to_string(),
            ]
        });
        let widths = columns(
            area.width,
            &[
                (14, 0),
                (6, 2),
                (8, 1),
                (9, 0),
                (8, 0),
                (5, 0),
                (8, 0),
                (6, 0),
                (6, 0),
            ],
        );
        Table::new(rows, widths)
            .header(
                Row::new(vec![
                    " 户号",
                    "户名",
                    "台区",
                    "欠费",
                    "违约金",
                    "逾期",
                    "等级",
                    "性质",
                    "状态",
                ])
                .style(theme::heading()),
            )
            .render(area, buf);
    }

    fn render_detail(&self, area: Rect, buf: &mut Buffer) {
        let Some(r) = self.current() else {
            return;
        };
        let bills = r
            .bills
            .iter()
            .map(|b| {
                format!(
                    "{} {}元(违约金{})",
                    b.period.label(),
                    format_yuan(b.owed),
                    format_yuan(b.late_fee)
                )
            })
            .collect::<Vec<_>>()
            .join("；");
        let mut notes = Vec::new();
        if let Some(d) = r.deliberate {
            notes.push(format!("{}：{}", mark_word(d), r.mark_note));
        }
        if let Some(d) = r.last_reminder {
            notes.push(format!("催费 {d}"));
        }
        if let Some((p, end)) = r.disconnect_notice {
            notes.push(format!("停电通知书 {p} 至 {end}"));
        }
        if let Some(d) = r.disconnected_on {
            notes.push(format!("{d} 停电"));
        }
        let reader = if r.reader_name.is_empty() {
            "未指定".to_string()
        } else {
            r.reader_name.clone()
        };
        Paragraph::new(vec![
            Line::from(Span::styled(
                format!(
                    " {} {} · 抄表员 {} · {}",
                    r.account_no, r.name, reader, bills
                ),
                theme::dim(),
            )),
            Line::from(Span::styled(
                format!(
                    " {}",
                    if notes.is_empty() {
                        "未认定性质，未发通知".to_string()
                    } else {
                        notes.join(" · ")
                    }
                ),
                theme::dim(),
            )),
        ])
        .render(area, buf);
    }
}

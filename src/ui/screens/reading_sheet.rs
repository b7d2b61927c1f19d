//! One reading book (抄表录入): type the reading, Enter, next meter. Beside each meter: the
//! previous reading, last month's and last year's same-month kWh, and the multiplier; the
//! line being typed shows the kWh it gives. A reading below the last one is refused, or
//! (the register's digits known) asks for a rollover confirmation. Estimated (with a
//! reason), customer-reported and missed readings go through a small form.
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, Widget};

use rust_decimal::Decimal;

use crate::domain::billing::Period;
use crate::domain::meter;
use crate::domain::reading::ReadingKind;
use crate::service::readings::{ReadingEntry, line_advance};
use crate::service::{Service, ServiceError, Session};
use crate::store::readings::{BookRow, SheetRow};
use crate::ui::keymap::{Action, Context, key_label};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list::{self, Scroll};
use crate::ui::widgets::modal::{self, Step};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FormFor {
    Other(i64),
    Find,
    Note(i64),
}

pub struct ReadingSheetView {
    area_name: String,
    area_id: i64,
    period: Period,
    lines: Vec<SheetRow>,
    selected: usize,
    offset: Scroll,
    /// the reading being typed for the selected meter
    input: String,
    /// the reading is saved as a rollover when below the last one (its own key confirmed it)
    rollover: bool,
    /// a consumption far above the usual was looked at and confirmed
    unusual_ok: bool,
    note: Option<String>,
    form: Option<(FormFor, Form)>,
    error: Option<String>,
}

fn value_text(l: &SheetRow) -> String {
    match &l.current {
        None => String::new(),
        Some(c) => match (c.kind, c.value_centi) {
            (ReadingKind::Missed, _) => "漏抄".into(),
            (k, Some(v)) => {
                let v = meter::from_centi(v).normalize();
                match k {
                    ReadingKind::Actual => v.to_string(),
                    ReadingKind::Estimated => format!("估{v}"),
                    _ => format!("报{v}"),
                }
            }
            (_, None) => String::new(),
        },
    }
}

fn kwh_text(v: Option<i64>) -> String {
    v.map_or("—".into(), |k| k.to_string())
}

impl ReadingSheetView {
    pub fn load(svc: &Service, book: &BookRow, period: Period) -> ReadingSheetView {
        let mut v = ReadingSheetView {
            area_name: format!("{} {}", book.area_code, book.area_name),
            area_id: book.area_id,
            period,
            lines: Vec::new(),
            selected: 0,
            offset: Scroll::default(),
            input: String::new(),
            rollover: false,
            unusual_ok: false,
            note: None,
            form: None,
            error: None,
        };
        match svc.reading_sheet(book.area_id, period) {
            Ok(l) => v.lines = l,
            Err(e) => v.error = Some(e.message()),
        }
        // start at the first meter not read
        v.selected = v
            .lines
            .iter()
            .position(|l| l.current.is_none())
            .unwrap_or(0);
        v
    }

    /// The meter line the reading is typed for.
    pub fn selected_line(&self) -> Option<&SheetRow> {
        self.lines.get(self.selected)
    }

    fn next_line(&mut self) {
        if self.selected + 1 < self.lines.len() {
            self.selected += 1;
        }
        self.input.clear();
        self.rollover = false;
        self.unusual_ok = false;
    }

    fn save(
        &mut self,
        svc: &mut Service,
        session: &Session,
        kind: ReadingKind,
        value: String,
        reason: String,
    ) -> Result<(), ServiceError> {
        let line = self
            .lines
            .get(self.selected)
            .ok_or_else(|| ServiceError::NotFound("该表计".into()))?;
        let entry = ReadingEntry {
            meter_id: line.meter_id,
            period: self.period,
            kind,
            value,
            reason,
            rollover: self.rollover,
        };
        let saved = svc.record_reading(session, &entry)?;
        if let Some(l) = self.lines.get_mut(self.selected) {
            *l = saved.line;
        }
        self.note = None;
        self.next_line();
        Ok(())
    }

    /// The kWh the typed reading gives when it is far above the meter's usual month (more
    /// than three times last month's or last year's, and 50 kWh more): an extra digit typed.
    fn unusual(&self) -> Option<(Decimal, i64)> {
        let l = self.lines.get(self.selected)?;
        let usual = l.last_month.into_iter().chain(l.last_year).max()?;
        let v = meter::reading(&self.input, l.digits).ok()?;
        let (_, p) = l.prev?;
        let kwh = meter::advance(meter::from_centi(p), v, l.digits, false).ok()?
            * Decimal::from(l.multiplier);
        (kwh > Decimal::from(usual * 3 + 50)).then_some((kwh.round_dp(0), usual))
    }

    fn enter(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        if self.input.trim().is_empty() {
            self.next_line();
            return None;
        }
        if !self.unusual_ok
            && let Some((kwh, usual)) = self.unusual()
        {
            self.note = Some(format!(
                "本月 {kwh} kWh，远高于平常的 {usual} kWh：请核对示数；无误按{}保存",
                key_label(Context::ReadingSheet, Action::ConfirmRollover)
            ));
            return None;
        }
        let value = self.input.clone();
        match self.save(svc, session, ReadingKind::Actual, value, String::new()) {
            Ok(()) => None,
            Err(e) if e.field() == Some("rollover") => {
                // never confirmed by the same key that saves: Enter pressed twice by habit
                // must not turn a mistyped reading into a rollover
                self.rollover = false;
                let l = self.lines.get(self.selected)?;
                let prev = l
                    .prev
                    .map(|(_, p)| meter::from_centi(p))
                    .unwrap_or_default();
                let adv = meter::reading(&self.input, l.digits)
                    .ok()
                    .and_then(|v| meter::advance(prev, v, l.digits, true).ok())
                    .unwrap_or_default();
                self.note = Some(format!(
                    "小于上次示数 {}；如为走满归零（走字 {}）按{}确认，否则改正",
                    prev.normalize(),
                    adv.normalize(),
                    key_label(Context::ReadingSheet, Action::ConfirmRollover)
                ));
                None
            }
            Err(e) => {
                self.rollover = false;
                self.note = Some(e.message());
                None
            }
        }
    }

    fn submit(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let (what, form) = self.form.as_mut()?;
        form.clear_errors();
        match *what {
            FormFor::Note(meter_id) => {
                let kind = crate::domain::validate::pick_named(
                    form.value("kind").trim(),
                    &crate::domain::reading::NoteKind::ALL,
                    crate::domain::reading::NoteKind::label,
                );
                let input = crate::service::readings::notes::NoteInput {
                    meter_id,
                    kind,
                    text: form.value("text").into(),
                    to: form.value("to").into(),
                    days: form.value("days").into(),
                };
                if kind.is_none() {
                    form.set_error(
                        "kind",
                        format!(
                            "请填 {}",
                            crate::domain::validate::numbered_list(
                                &crate::domain::reading::NoteKind::ALL,
                                crate::domain::reading::NoteKind::label
                            )
                        ),
                    );
                    return None;
                }
                match svc.add_reading_note(session, &input) {
                    Ok(_) => {
                        self.form = None;
                        Some(Msg::info(if input.to.trim().is_empty() {
                            "抄表日志已记录"
                        } else {
                            "抄表日志已记录并转交"
                        }))
                    }
                    Err(e) => form.place_error(&e),
                }
            }
            FormFor::Find => {
                let q = form.value("find").trim().to_string();
                let hit = self.lines.iter().position(|l| {
                    !q.is_empty()
                        && (l.account_no.contains(&q)
                            || l.asset_no.contains(&q)
                            || l.name.contains(&q))
                });
                match hit {
                    Some(i) => {
                        self.form = None;
                        self.selected = i;
                        self.input.clear();
                        None
                    }
                    None => {
                        form.set_error("find", "本册没有这个户号、表号或户名".into());
                        None
                    }
                }
            }
            FormFor::Other(_) => {
                let Some(kind) = ReadingKind::parse(form.value("kind")) else {
                    form.set_error("kind", "请填 1 实抄、2 估抄、3 客户自报 或 4 漏抄".into());
                    return None;
                };
                let value = form.value("value").to_string();
                let reason = form.value("reason").to_string();
                let r = self.save(svc, session, kind, value, reason);
                let (_, form) = self.form.as_mut()?;
                match r {
                    Ok(()) => {
                        self.form = None;
                        Some(Msg::info(format!("已保存{}", kind.label())))
                    }
                    Err(e) if e.field() == Some("rollover") => {
                        form.set_error(
                            "value",
                            format!("{}；再确认一次即按走满归零保存", e.message()),
                        );
                        self.rollover = true;
                        None
                    }
                    Err(e) => form.place_error(&e),
                }
            }
        }
    }
}

impl Screen for ReadingSheetView {
    fn title(&self) -> &'static str {
        "抄表录入"
    }

    fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::ReadingSheet
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
        match (action, ev.code) {
            (None, KeyCode::Char(c))
                if c.is_ascii_digit() || c == '.' || ('０'..='９').contains(&c) =>
            {
                if !session.can_write() {
                    return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
                }
                // Esc typed just before a digit reaches us as Alt+digit (the terminal's escape
                // sequence): it is Esc, then the digit
                if ev.modifiers.contains(crossterm::event::KeyModifiers::ALT) {
                    self.input.clear();
                    self.note = None;
                }
                if self.input.chars().count() < 14 {
                    self.input.push(c);
                    self.rollover = false;
                    self.unusual_ok = false;
                }
                return None;
            }
            (None, KeyCode::Backspace) => {
                self.input.pop();
                self.rollover = false;
                return None;
            }
            _ => {}
        }
        match action? {
            Action::Back if !self.input.is_empty() => {
                self.input.clear();
                self.rollover = false;
                self.note = None;
            }
            Action::Back => return Some(Msg::Pop),
            a if list::is_move(a) => {
                list::step(&mut self.selected, self.lines.len(), self.offset.page(), a);
                self.input.clear();
                self.rollover = false;
                self.note = None;
            }
            Action::SaveReading if !session.can_write() => {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            Action::SaveReading => return self.enter(svc, session),
            Action::ConfirmRollover if !session.can_write() => {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            Action::ConfirmRollover => {
                if self.input.trim().is_empty() {
                    return Some(Msg::warn("先输入示数"));
                }
                // the reading as typed, after a look: a rollover when below the last one,
                // or a consumption far above the usual
                self.rollover = true;
                self.unusual_ok = true;
                return self.enter(svc, session);
            }
            Action::OtherReading if !session.can_write() => {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            Action::OtherReading => {
                let l = self.lines.get(self.selected)?;
                self.rollover = false;
                self.form = Some((
                    FormFor::Other(l.meter_id),
                    Form::new(vec![
                        TextField::new("kind", "抄表类型")
                            .required()
                            .max(4)
                            .proposed("2")
                            .hint("1 实抄  2 估抄  3 客户自报  4 漏抄"),
                        TextField::new("value", "示数")
                            .max(14)
                            .proposed(&self.input)
                            .hint("漏抄不填"),
                        TextField::new("reason", "原因")
                            .max(60)
                            .hint("估抄、漏抄须写明，如 门锁未见表"),
                    ]),
                ));
            }
            Action::AddNote if !session.can_write() => {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            Action::AddNote => {
                let l = self.lines.get(self.selected)?;
                self.form = Some((
                    FormFor::Note(l.meter_id),
                    Form::new(vec![
                        TextField::new("kind", "类型").required().max(8).hint(
                            crate::domain::validate::numbered_list(
                                &crate::domain::reading::NoteKind::ALL,
                                crate::domain::reading::NoteKind::label,
                            ),
                        ),
                        TextField::new("text", "情况").required().max(100),
                        TextField::new("to", "转交给")
                            .max(20)
                            .hint("现场解决不了的问题：责任人的用户名；留空不转交"),
                        TextField::new("days", "反馈时限")
                            .max(2)
                            .hint("天；留空按系统设置"),
                    ]),
                ));
            }
            Action::FindMeter => {
                self.form = Some((
                    FormFor::Find,
                    Form::new(vec![
                        TextField::new("find", "户号、表号或户名")
                            .required()
                            .max(20),
                    ]),
                ));
            }
            Action::NextUnread => {
                let from = self.selected + 1;
                match self.lines[from.min(self.lines.len())..]
                    .iter()
                    .position(|l| l.current.is_none())
                {
                    Some(i) => {
                        self.selected = from + i;
                        self.input.clear();
                    }
                    None => return Some(Msg::info("后面的表都已抄")),
                }
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, list_area, entry, note] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let read = self.lines.iter().filter(|l| l.current.is_some()).count();
        Line::from(vec![
            Span::styled(
                format!(" {} {}", self.area_name, self.period),
                theme::heading(),
            ),
            Span::raw(format!(" · 已抄 {read} / {} 块表", self.lines.len())),
        ])
        .render(head, buf);
        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(list_area, buf);
            return None;
        }
        if self.lines.is_empty() {
            Line::from(Span::styled(" 本台区没有在运行的表计", theme::dim()))
                .render(list_area, buf);
            return None;
        }
        let h = usize::from(list_area.height.saturating_sub(1));
        let rows = selectable_rows(&self.lines, self.selected, &self.offset, h, |l| {
            let used = match line_advance(l) {
                Some(Ok(k)) => k.round_dp(0).to_string(),
                Some(Err(_)) => "?".into(),
                None => String::new(),
            };
            vec![
                if l.customer_id.is_some() {
                    l.account_no.clone()
                } else {
                    "台区总表".into()
                },
                l.name.clone(),
                l.asset_no.clone(),
                format!("×{}", l.multiplier),
                l.prev.map_or("—".into(), |(_, v)| {
                    meter::from_centi(v).normalize().to_string()
                }),
                value_text(l),
                used,
                kwh_text(l.last_month),
                kwh_text(l.last_year),
            ]
        });
        let widths = columns(
            list_area.width,
            &[
                (14, 0),
                (6, 2),
                (13, 0),
                (4, 0),
                (9, 0),
                (9, 0),
                (6, 0),
                (5, 0),
                (5, 0),
            ],
        );
        Table::new(rows, widths)
            .header(
                Row::new(vec![
                    " 户号",
                    "户名",
                    "表号",
                    "倍率",
                    "上次示数",
                    "本次示数",
                    "电量",
                    "上月",
                    "去年",
                ])
                .style(theme::heading()),
            )
            .render(list_area, buf);
        let l = self.lines.get(self.selected)?;
        let preview = if self.input.is_empty() {
            String::new()
        } else {
            match (meter::reading(&self.input, l.digits), l.prev) {
                (Ok(v), Some((_, p))) => {
                    match meter::advance(meter::from_centi(p), v, l.digits, self.rollover) {
                        Ok(a) => format!(
                            " → {}{} kWh",
                            if v < meter::from_centi(p) {
                                "走满归零后 "
                            } else {
                                ""
                            },
                            (a * rust_decimal::Decimal::from(l.multiplier)).round_dp(0)
                        ),
                        Err(_) => " → 小于上次".into(),
                    }
                }
                _ => String::new(),
            }
        };
        let label = format!(" 本次示数 {} ", l.asset_no);
        let width =
            u16::try_from(unicode_width::UnicodeWidthStr::width(label.as_str())).unwrap_or(0);
        Line::from(vec![
            Span::styled(label, theme::heading()),
            Span::raw(format!("[{}]", self.input)),
            Span::styled(preview, theme::dim()),
        ])
        .render(entry, buf);
        if let Some(n) = &self.note {
            Line::from(Span::styled(
                format!("{}{n}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(note, buf);
        }
        if let Some((what, form)) = self.form.as_ref() {
            let title = match what {
                FormFor::Other(_) => " 估抄、客户自报或漏抄 ",
                FormFor::Find => " 查找 ",
                FormFor::Note(_) => " 抄表日志 ",
            };
            return crate::ui::widgets::chrome::form_popup_w(area, buf, 68, title, form);
        }
        let x = entry.x + width + 1 + u16::try_from(self.input.chars().count()).unwrap_or(0);
        Some(Position::new(
            x.min(entry.right().saturating_sub(1)),
            entry.y,
        ))
    }

    fn refresh(&mut self, svc: &Service) {
        if let Ok(l) = svc.reading_sheet(self.area_id, self.period) {
            self.lines = l;
            self.selected = self.selected.min(self.lines.len().saturating_sub(1));
        }
    }
}

//! 抄表质量抽查: the month's spot checks of 台区 and households with their findings, counted
//! against the month's minimum (settings), and a new check recorded.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, Widget};

use crate::domain::billing::Period;
use crate::domain::reading::SpotFinding;
use crate::domain::validate;
use crate::service::readings::notes::SpotMonth;
use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list::{self, Scroll};
use crate::ui::widgets::modal::{self, Step};

pub struct SpotChecksView {
    period: Period,
    month: SpotMonth,
    selected: usize,
    offset: Scroll,
    form: Option<Form>,
    error: Option<String>,
}

impl SpotChecksView {
    pub fn load(svc: &Service) -> SpotChecksView {
        let mut v = SpotChecksView {
            period: Period::of(svc.now().date()),
            month: SpotMonth::default(),
            selected: 0,
            offset: Scroll::default(),
            form: None,
            error: None,
        };
        v.reload(svc);
        v
    }

    fn reload(&mut self, svc: &Service) {
        match svc.spot_month(self.period) {
            Ok(m) => {
                self.month = m;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.month.rows.len().saturating_sub(1));
    }

    fn submit(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let form = self.form.as_mut()?;
        form.clear_errors();
        let finding = validate::pick_named(
            form.value("finding").trim(),
            &SpotFinding::ALL,
            SpotFinding::label,
        );
        if finding.is_none() {
            form.set_error(
                "finding",
                format!(
                    "请填 {}",
                    validate::numbered_list(&SpotFinding::ALL, SpotFinding::label)
                ),
            );
            return None;
        }
        match svc.record_spot_check(
            session,
            form.value("area"),
            form.value("account"),
            finding,
            form.value("note"),
        ) {
            Ok(()) => {
                self.form = None;
                self.reload(svc);
                Some(Msg::info("抽查已记录"))
            }
            Err(e) => self.form.as_mut()?.place_error(&e),
        }
    }
}

impl Screen for SpotChecksView {
    fn title(&self) -> &'static str {
        "抄表质量抽查"
    }

    fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::SpotChecks
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
        match action? {
            a if list::is_move(a) => list::step(
                &mut self.selected,
                self.month.rows.len(),
                self.offset.page(),
                a,
            ),
            Action::Back => return Some(Msg::Pop),
            a @ (Action::PrevMonth | Action::NextMonth) => {
                let latest = Period::of(svc.now().date());
                if list::month_step(&mut self.period, a, latest) != Some(true) {
                    return Some(Msg::warn("不能查看以后的月份"));
                }
                self.reload(svc);
            }
            Action::NewSpotCheck if !session.can_write() => {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            Action::NewSpotCheck => {
                self.form = Some(Form::new(vec![
                    TextField::new("area", "台区编码").required().max(16),
                    TextField::new("account", "户号")
                        .max(20)
                        .hint("抽查整个台区时留空"),
                    TextField::new("finding", "抽查结果")
                        .required()
                        .max(8)
                        .proposed("1")
                        .hint(validate::numbered_list(
                            &SpotFinding::ALL,
                            SpotFinding::label,
                        )),
                    TextField::new("note", "说明")
                        .max(100)
                        .hint("发现问题须写明"),
                ]));
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, list_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        let m = &self.month;
        let short = |have: usize, need: i64| {
            if have as i64 >= need {
                "已达"
            } else {
                "未达"
            }
        };
        Line::from(vec![
            Span::styled(format!(" 抄表质量抽查 {}", self.period), theme::heading()),
            Span::raw(format!(
                " · 台区 {}/{}（{}）· 户 {}/{}（{}）· 发现问题 {} 处",
                m.areas,
                m.need_areas,
                short(m.areas, m.need_areas),
                m.households,
                m.need_households,
                short(m.households, m.need_households),
                m.problems
            )),
        ])
        .render(head, buf);
        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(list_area, buf);
        } else if m.rows.is_empty() {
            Line::from(Span::styled(" 本月还没有抽查记录", theme::dim())).render(list_area, buf);
        } else {
            let h = usize::from(list_area.height.saturating_sub(1));
            let rows = selectable_rows(&m.rows, self.selected, &self.offset, h, |r| {
                vec![
                    r.checked_on.format("%m-%d").to_string(),
                    r.area_code.clone(),
                    r.account_no
                        .clone()
                        .unwrap_or_else(|| "（整个台区）".into()),
                    r.finding.label().to_string(),
                    r.note.clone(),
                    r.checker.clone(),
                ]
            });
            let widths = columns(
                list_area.width,
                &[(6, 0), (7, 0), (13, 0), (8, 0), (10, 3), (6, 0)],
            );
            Table::new(rows, widths)
                .header(
                    Row::new(vec![" 日期", "台区", "户号", "结果", "说明", "抽查人"])
                        .style(theme::heading()),
                )
                .render(list_area, buf);
        }
        let form = self.form.as_ref()?;
        crate::ui::widgets::chrome::form_popup_w(area, buf, 68, " 记录抽查 ", form)
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }
}

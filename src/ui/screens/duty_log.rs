//! 值班记录: every call and accident report of one duty shift (from the handover hour of the
//! settings, 24 hours), whatever became of it, in the order it came in; `←`/`→` the shift
//! before or after, `P` prints it, `Enter` opens a case.
use chrono::{Duration, NaiveDateTime};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, Widget};

use crate::service::{Service, Session};
use crate::store::cases::CaseRow;
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::screens::case_page::CasePage;
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::list::{self, Scroll};

pub struct DutyLogView {
    from: NaiveDateTime,
    cases: Vec<CaseRow>,
    selected: usize,
    offset: Scroll,
    error: Option<String>,
}

impl DutyLogView {
    /// The shift in hand now.
    pub fn load(svc: &Service) -> DutyLogView {
        let from = svc.shift_start(svc.now()).unwrap_or_else(|_| svc.now());
        let mut v = DutyLogView {
            from,
            cases: Vec::new(),
            selected: 0,
            offset: Scroll::default(),
            error: None,
        };
        v.reload(svc);
        v
    }

    fn reload(&mut self, svc: &Service) {
        match svc.duty_log(self.from) {
            Ok(l) => {
                self.cases = l.cases;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.cases.len().saturating_sub(1));
    }
}

impl Screen for DutyLogView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_DUTY_LOG
    }

    fn context(&self) -> Context {
        Context::DutyLog
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        _ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match action? {
            a if list::is_move(a) => {
                list::step(&mut self.selected, self.cases.len(), self.offset.page(), a)
            }
            Action::Back => return Some(Msg::Pop),
            Action::PrevMonth => {
                self.from -= Duration::days(1);
                self.selected = 0;
                self.reload(svc);
            }
            Action::NextMonth if self.from + Duration::days(1) <= svc.now() => {
                self.from += Duration::days(1);
                self.selected = 0;
                self.reload(svc);
            }
            Action::Open => {
                let id = self.cases.get(self.selected)?.id;
                return Some(Msg::push(CasePage::load(svc, id)));
            }
            Action::PrintDutyLog => {
                return Some(match svc.print_duty_log(session, self.from) {
                    Ok(out) => Msg::info(format!(
                        "值班记录已打印：{}",
                        out.path
                            .file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                    )),
                    Err(e) => Msg::error(format!("值班记录未能打印：{}", e.message())),
                });
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, list_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        let to = self.from + Duration::days(1);
        Line::from(vec![
            Span::styled(" 值班记录", theme::heading()),
            Span::raw(format!(
                " · {} 至 {} · 共 {} 件",
                self.from.format("%Y-%m-%d %H:%M"),
                to.format("%m-%d %H:%M"),
                self.cases.len()
            )),
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
        if self.cases.is_empty() {
            Line::from(Span::styled(" 本班次没有来电和报修记录", theme::dim()))
                .render(list_area, buf);
            return None;
        }
        let h = usize::from(list_area.height.saturating_sub(1));
        let rows = selectable_rows(&self.cases, self.selected, &self.offset, h, |c| {
            vec![
                c.received_at.format("%H:%M").to_string(),
                c.kind.short().to_string(),
                c.channel.short().to_string(),
                c.caller().to_string(),
                c.area_name.clone().unwrap_or_default(),
                c.content.clone(),
                c.closed_how
                    .map_or_else(|| c.state.label().to_string(), |h| h.label().to_string()),
            ]
        });
        let widths = columns(
            list_area.width,
            &[(6, 0), (4, 0), (5, 0), (6, 1), (6, 1), (12, 4), (12, 0)],
        );
        Table::new(rows, widths)
            .header(
                Row::new(vec![
                    " 时间",
                    "类别",
                    "来源",
                    "来电人",
                    "台区",
                    "内容",
                    "状态",
                ])
                .style(theme::heading()),
            )
            .render(list_area, buf);
        None
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }
}

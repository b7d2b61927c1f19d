//! One audit view of 稽查 (issue 16): the filter, the conclusion with its count, the
//! table's first page (`A` every row), the columns that fit the width (`Enter` the whole
//! row). Opened from the hub (`inspection.rs`), whose filter it shares.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, Widget};

use super::inspection::Scope;
use crate::service::audit_views::{AuditTable, AuditViewKind, PAGE};
use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::field::Form;
use crate::ui::widgets::list::{self, Scroll};
use crate::ui::widgets::modal::{self, Step};

/// How many of `cols` fit in `width` (one space between), at least one.
fn fitting_columns(cols: &[(&'static str, u16)], width: u16) -> usize {
    let mut used = 0u16;
    let mut n = 0;
    for (_, w) in cols {
        // one space between columns; the first also holds the selection mark
        let need = *w + 1;
        if n > 0 && used.saturating_add(need) > width {
            break;
        }
        used = used.saturating_add(need);
        n += 1;
    }
    n.max(1)
}

/// One audit view: the filter, the conclusion, the table; `A` shows every row.
pub struct AuditTableView {
    kind: AuditViewKind,
    scope: Scope,
    table: AuditTable,
    all: bool,
    selected: usize,
    offset: Scroll,
    form: Option<Form>,
    error: Option<String>,
}

impl AuditTableView {
    pub fn load(svc: &Service, kind: AuditViewKind, scope: Scope) -> AuditTableView {
        let mut v = AuditTableView {
            kind,
            scope,
            table: AuditTable::default(),
            all: false,
            selected: 0,
            offset: Scroll::default(),
            form: None,
            error: None,
        };
        v.reload(svc);
        v
    }

    fn reload(&mut self, svc: &Service) {
        let limit = if self.all { usize::MAX } else { PAGE };
        match svc.audit_view(self.kind, &self.scope.filter, limit) {
            Ok(t) => {
                self.table = t;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.table.rows.len().saturating_sub(1));
    }
}

impl Screen for AuditTableView {
    fn title(&self) -> &'static str {
        "稽查"
    }

    fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::AuditTable
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        _session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.form, ev, action, "筛选未改") {
            Some(Step::Submit(form)) => {
                if self.scope.apply(svc, form) {
                    self.form = None;
                    self.selected = 0;
                    self.reload(svc);
                }
                return None;
            }
            Some(Step::Done(m)) => return m,
            None => {}
        }
        match action? {
            a if list::is_move(a) => list::step(
                &mut self.selected,
                self.table.rows.len(),
                self.offset.page(),
                a,
            ),
            Action::Back => return Some(Msg::Pop),
            Action::Filter => self.form = Some(self.scope.form(svc)),
            Action::ShowAll => {
                if self.table.rows.len() as i64 >= self.table.total {
                    return Some(Msg::info("已显示全部"));
                }
                self.all = true;
                self.reload(svc);
                return Some(Msg::info(format!(
                    "已显示全部 {} 行",
                    self.table.rows.len()
                )));
            }
            Action::Open => {
                let row = self.table.rows.get(self.selected)?;
                return Some(Msg::Notice {
                    title: self.kind.label().into(),
                    lines: self
                        .table
                        .columns
                        .iter()
                        .zip(row)
                        .map(|((h, _), v)| format!("{h}：{v}"))
                        .collect(),
                });
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, body] =
            Layout::vertical([Constraint::Length(4), Constraint::Min(3)]).areas(area);
        let skipped = self.kind.not_filtered_by();
        let t = &self.table;
        let shown = if (t.rows.len() as i64) < t.total {
            format!("显示前 {} 行，共 {} 行", t.rows.len(), t.total)
        } else {
            format!("共 {} 行", t.total)
        };
        let mut lines = vec![
            Line::from(vec![
                Span::styled(format!(" {} ", self.kind.label()), theme::heading()),
                Span::raw(self.scope.text()),
            ]),
            if t.problems > 0 {
                Line::from(vec![
                    Span::styled(
                        format!(" {}{}", theme::MARK_WARN, t.summary),
                        theme::error(),
                    ),
                    Span::raw(format!("（{shown}）")),
                ])
            } else {
                Line::from(format!(" {}（{shown}）", t.summary))
            },
        ];
        let hidden = t.columns.len() - fitting_columns(&t.columns, area.width).min(t.columns.len());
        let mut notes = Vec::new();
        if !skipped.is_empty() {
            notes.push(format!("本表不按{}筛选", skipped.join("、")));
        }
        if hidden > 0 {
            notes.push(format!(
                "屏幕放不下的 {hidden} 列（{}）按 {} 查看整行",
                t.columns[t.columns.len() - hidden..]
                    .iter()
                    .map(|c| c.0)
                    .collect::<Vec<_>>()
                    .join("、"),
                crate::ui::keymap::key_label(Context::AuditTable, Action::Open)
            ));
        }
        if !notes.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(" {}", notes.join("；")),
                theme::dim(),
            )));
        }
        // a long conclusion wraps onto the next row rather than being cut
        ratatui::widgets::Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .render(head, buf);
        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(body, buf);
        } else if t.rows.is_empty() {
            Line::from(Span::styled(" 所选范围内没有记录", theme::dim())).render(body, buf);
        } else {
            let h = usize::from(body.height.saturating_sub(1));
            // the columns that fit the width, from the left (Enter shows the whole row)
            let fit = fitting_columns(&t.columns, body.width);
            let rows = selectable_rows(&t.rows, self.selected, &self.offset, h, |r| {
                r.iter().take(fit).cloned().collect()
            });
            let mut spec: Vec<(u16, u16)> = t.columns.iter().take(fit).map(|c| (c.1, 0)).collect();
            // the first column also holds the selection mark
            if let Some(first) = spec.first_mut() {
                first.0 += 1;
            }
            if let Some(last) = spec.last_mut() {
                last.1 = 1;
            }
            let header: Vec<String> = t
                .columns
                .iter()
                .take(fit)
                .enumerate()
                .map(|(i, c)| {
                    if i == 0 {
                        format!(" {}", c.0)
                    } else {
                        c.0.to_string()
                    }
                })
                .collect();
            Table::new(rows, columns(body.width, &spec))
                .header(Row::new(header).style(theme::heading()))
                .render(body, buf);
        }
        let form = self.form.as_ref()?;
        crate::ui::widgets::chrome::form_popup_w(area, buf, 60, " 稽查筛选 ", form)
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }
}

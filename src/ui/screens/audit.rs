//! The audit trail, newest first, read-only for everyone; `V` walks the hash chain.
use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Row, Table, Widget};

use crate::service::Service;
use crate::store::audit::Entry;
use crate::ui::keymap::Action;
use crate::ui::msg::Msg;
use crate::ui::theme;

const PAGE: usize = 200;

pub struct AuditView {
    entries: Vec<Entry>,
    /// entries skipped from the newest (paging through the database)
    skip: usize,
    total: i64,
    selected: usize,
    offset: Cell<usize>,
    page: Cell<usize>,
}

/// Chinese name of an audited action.
pub fn action_label(code: &str) -> &str {
    match code {
        "auth.sign_in" => "登录",
        "auth.lockout" => "账号锁定",
        "settings.update" => "修改设置",
        "staff.create" => "新建账号",
        "staff.reset_password" => "重置密码",
        "staff.change_password" => "修改密码",
        "staff.activate" => "启用账号",
        "staff.deactivate" => "停用账号",
        "station.create" => "建立供电所",
        "station.mark_demo" => "标记为演示",
        "area.create" => "新建台区",
        "customer.import_demo" => "载入演示客户",
        other => other,
    }
}

impl AuditView {
    pub fn load(svc: &Service) -> AuditView {
        let mut v = AuditView {
            entries: Vec::new(),
            skip: 0,
            total: 0,
            selected: 0,
            offset: Cell::new(0),
            page: Cell::new(10),
        };
        v.reload(svc);
        v
    }

    pub fn reload(&mut self, svc: &Service) {
        let conn = svc.store().conn();
        self.total = crate::store::audit::count(conn).unwrap_or(0);
        self.entries = crate::store::audit::recent(conn, PAGE, self.skip).unwrap_or_default();
        self.selected = self.selected.min(self.entries.len().saturating_sub(1));
    }

    pub fn handle(&mut self, svc: &mut Service, action: Option<Action>) -> Option<Msg> {
        let n = self.entries.len();
        let page = self.page.get();
        match action? {
            Action::Up => {
                if self.selected == 0 && self.skip > 0 {
                    self.skip = self.skip.saturating_sub(PAGE);
                    self.reload(svc);
                    self.selected = self.entries.len().saturating_sub(1);
                } else {
                    self.selected = self.selected.saturating_sub(1);
                }
            }
            Action::Down => {
                if self.selected + 1 >= n && ((self.skip + n) as i64) < self.total {
                    self.skip += PAGE;
                    self.selected = 0;
                    self.offset.set(0);
                    self.reload(svc);
                } else {
                    self.selected = (self.selected + 1).min(n.saturating_sub(1));
                }
            }
            Action::PageUp => self.selected = self.selected.saturating_sub(page),
            Action::PageDown => self.selected = (self.selected + page).min(n.saturating_sub(1)),
            Action::Back => return Some(Msg::Pop),
            Action::VerifyChain => {
                return Some(match svc.verify() {
                    Ok(r) => Msg::Notice {
                        title: if r.ok() { "校验结果：正常".into() } else { "校验结果：异常".into() },
                        lines: r.describe().lines().map(str::to_string).collect(),
                    },
                    Err(e) => Msg::error(e.message()),
                });
            }
            _ => {}
        }
        None
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let h = area.height.saturating_sub(1) as usize;
        self.page.set(h.max(1));
        let off = self.offset.get();
        if self.selected < off {
            self.offset.set(self.selected);
        } else if self.selected >= off + h {
            self.offset.set(self.selected + 1 - h);
        }
        let rows: Vec<Row> = self
            .entries
            .iter()
            .enumerate()
            .skip(self.offset.get())
            .take(h)
            .map(|(i, e)| {
                let mark = if i == self.selected { theme::MARK_SELECTED } else { " " };
                let row = Row::new(vec![
                    format!("{mark}{}", e.seq),
                    e.at.get(5..16).unwrap_or(&e.at).to_string(),
                    e.user_name.clone(),
                    action_label(&e.action).to_string(),
                    format!("{} {}", e.entity, e.entity_id),
                    e.changes.clone(),
                ]);
                if i == self.selected { row.style(theme::selected()) } else { row }
            })
            .collect();
        Table::new(
            rows,
            [
                Constraint::Length(7),
                Constraint::Length(11),
                Constraint::Length(16),
                Constraint::Length(12),
                Constraint::Length(16),
                Constraint::Min(10),
            ],
        )
        .header(Row::new(vec![" 序号", "时间", "操作人", "操作", "对象", "变更"]).style(theme::heading()))
        .render(area, buf);
    }
}

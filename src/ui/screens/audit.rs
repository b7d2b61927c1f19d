//! The audit trail, newest first, read-only for everyone; `V` walks the hash chain.
use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Row, Table, Widget};

use crate::service::Service;
use crate::service::Session;
use crate::store::audit::Entry;
use crate::ui::keymap::Action;
use crate::ui::keymap::Context;
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crossterm::event::KeyEvent;
use ratatui::layout::Position;

const PAGE: usize = 200;

/// Print the key sheet (confirmed once).
struct KeySheetOp;

/// What the clerk is told after printing the key sheet.
pub fn key_sheet_printed(r: crate::service::ServiceResult<crate::print::PrintOutcome>) -> Msg {
    match r {
        Ok(out) => Msg::Notice {
            title: "审计密钥单已打印".into(),
            lines: vec![
                format!("文件：{}", out.path.display()),
                match &out.sent_to {
                    Some(p) => format!("已送打印机：{p}"),
                    None => "请打开此文件打印。".into(),
                },
                "打印出来后请删除此文件（它含有初始密钥），".into(),
                "把密钥单密封交县公司保管。".into(),
            ],
        },
        Err(e) => Msg::error(format!("{}（密钥单未打印，可再试）", e.message())),
    }
}

pub struct AuditView {
    /// staff id → `王丽娟（yingye1）`, so a 账号 is named, not numbered
    names: std::collections::HashMap<String, String>,
    filter: crate::store::audit::Filter,
    /// the filter in words, shown above the list
    filter_text: String,
    filter_form: Option<crate::ui::widgets::field::Form>,
    /// the words typed for the action filter
    action_words: String,
    entries: Vec<Entry>,
    /// entries skipped from the newest (paging through the database)
    skip: usize,
    total: i64,
    selected: usize,
    offset: crate::ui::widgets::list::Scroll,
    page: Cell<usize>,
}

pub use crate::domain::audit_labels::action_label;

pub use crate::domain::audit_labels::{entity_label, field_label};

pub use crate::domain::audit_labels::{describe_changes, describe_changes_with};

impl AuditView {
    pub fn load(svc: &Service) -> AuditView {
        let names = svc
            .list_staff()
            .map(|list| {
                list.into_iter()
                    .map(|s| {
                        (
                            s.id.to_string(),
                            format!("{}（{}）", s.display_name, s.username),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut v = AuditView {
            names,
            filter: crate::store::audit::Filter::default(),
            filter_text: "全部".into(),
            filter_form: None,
            action_words: String::new(),
            entries: Vec::new(),
            skip: 0,
            total: 0,
            selected: 0,
            offset: crate::ui::widgets::list::Scroll::default(),
            page: Cell::new(10),
        };
        v.reload(svc);
        v
    }

    /// `账号 王丽娟（yingye1）` rather than `账号 3`.
    fn object(&self, e: &Entry) -> String {
        let id = match (e.entity.as_str(), self.names.get(&e.entity_id)) {
            ("staff", Some(n)) => n.clone(),
            _ => e.entity_id.clone(),
        };
        format!("{} {id}", entity_label(&e.entity))
    }

    fn open_filter(&mut self) {
        use crate::ui::widgets::field::{Form, TextField};
        let f = &self.filter;
        self.filter_form = Some(Form::new(vec![
            TextField::new("user", "操作人")
                .max(20)
                .with_value(&f.user)
                .hint("姓名或用户名的一部分，空为所有人"),
            TextField::new("from", "从")
                .max(11)
                .with_value(f.from.as_deref().unwrap_or(""))
                .hint("日期，如 2026-11-01；空为不限"),
            TextField::new("to", "到")
                .max(11)
                .with_value(f.to.as_deref().unwrap_or(""))
                .hint("日期（含当天）；空为不限"),
            TextField::new("action", "操作")
                .max(20)
                .with_value(&self.action_words)
                .hint("如 收费、作废、派工、修改设置；空为全部"),
        ]));
    }

    fn apply_filter(&mut self, svc: &Service) -> Option<Msg> {
        let form = self.filter_form.as_mut()?;
        form.clear_errors();
        let date = |form: &mut crate::ui::widgets::field::Form, key: &'static str| match form
            .value(key)
            .trim()
        {
            "" => Ok(None),
            t => crate::domain::validate::date(t)
                .map(|d| Some(d.to_string()))
                .map_err(|m| {
                    form.set_error(key, m);
                }),
        };
        let from = date(form, "from").ok()?;
        let to = date(form, "to").ok()?;
        let words = form.value("action").trim().to_string();
        let actions: Vec<String> = if words.is_empty() {
            Vec::new()
        } else {
            let found = crate::domain::audit_labels::actions_matching(&words);
            if found.is_empty() {
                form.set_error("action", format!("没有名称含“{words}”的操作"));
                return None;
            }
            found.into_iter().map(str::to_string).collect()
        };
        let user = form.value("user").trim().to_string();
        let mut said = Vec::new();
        if !user.is_empty() {
            said.push(format!("操作人含“{user}”"));
        }
        match (&from, &to) {
            (Some(a), Some(b)) => said.push(format!("{a} 至 {b}")),
            (Some(a), None) => said.push(format!("{a} 起")),
            (None, Some(b)) => said.push(format!("至 {b}")),
            _ => {}
        }
        if !words.is_empty() {
            said.push(format!("操作含“{words}”"));
        }
        self.filter = crate::store::audit::Filter {
            user,
            from,
            to,
            actions,
        };
        self.action_words = words;
        self.filter_text = if said.is_empty() {
            "全部".into()
        } else {
            said.join("，")
        };
        self.filter_form = None;
        self.skip = 0;
        self.selected = 0;
        self.offset.set(0);
        self.reload(svc);
        None
    }

    pub fn reload(&mut self, svc: &Service) {
        let (total, entries) = svc
            .audit_search(&self.filter, PAGE, self.skip)
            .unwrap_or_default();
        self.total = total;
        self.entries = entries;
        self.selected = self.selected.min(self.entries.len().saturating_sub(1));
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let [area, detail] =
            ratatui::layout::Layout::vertical([Constraint::Min(3), Constraint::Length(4)])
                .areas(area);
        if let Some(e) = self.entries.get(self.selected) {
            let lines = vec![
                ratatui::text::Line::from(format!(
                    "第 {} 条  {}  {}  {}：{}",
                    e.seq,
                    e.at,
                    e.user_name,
                    action_label(&e.action),
                    self.object(e),
                )),
                ratatui::text::Line::from(describe_changes_with(&e.changes, &self.names)),
            ];
            ratatui::widgets::Paragraph::new(lines)
                .wrap(ratatui::widgets::Wrap { trim: true })
                .block(ratatui::widgets::Block::default().borders(ratatui::widgets::Borders::TOP))
                .render(detail, buf);
        }
        let h = area.height.saturating_sub(1) as usize;
        self.page.set(h.max(1));
        let rows = crate::ui::widgets::chrome::selectable_rows(
            &self.entries,
            self.selected,
            &self.offset,
            h,
            |e| {
                vec![
                    e.seq.to_string(),
                    e.at.get(5..16).unwrap_or(&e.at).to_string(),
                    e.user_name
                        .split('（')
                        .next()
                        .unwrap_or(&e.user_name)
                        .to_string(),
                    action_label(&e.action).to_string(),
                    self.object(e),
                    describe_changes_with(&e.changes, &self.names),
                ]
            },
        );
        Table::new(
            rows,
            crate::ui::widgets::chrome::columns(
                area.width,
                &[(7, 0), (11, 0), (10, 1), (12, 1), (14, 2), (10, 6)],
            ),
        )
        .header(
            Row::new(vec![" 序号", "时间", "操作人", "操作", "对象", "变更"])
                .style(theme::heading()),
        )
        .render(area, buf);
    }
}

impl Screen for AuditView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_AUDIT
    }

    fn context(&self) -> Context {
        if self.filter_form.is_some() {
            Context::Form
        } else {
            Context::Audit
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        _session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match crate::ui::widgets::modal::step(&mut self.filter_form, ev, action, "") {
            Some(crate::ui::widgets::modal::Step::Submit(_)) => return self.apply_filter(svc),
            Some(crate::ui::widgets::modal::Step::Done(m)) => return m,
            None => {}
        }
        let n = self.entries.len();
        let page = self.page.get();
        match action? {
            Action::Filter => {
                self.open_filter();
                return None;
            }
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
            Action::First => {
                self.skip = 0;
                self.reload(svc);
                self.selected = 0;
            }
            Action::Last => {
                let total = usize::try_from(self.total).unwrap_or(0);
                self.skip = total.saturating_sub(1) / PAGE * PAGE;
                self.reload(svc);
                self.selected = self.entries.len().saturating_sub(1);
            }
            Action::Back => return Some(Msg::Pop),
            Action::PrintKeySheet => {
                return Some(match svc.key_sheet_pending() {
                    Ok(true) => Msg::Confirm(crate::ui::msg::Confirm::new(
                        "打印审计密钥单",
                        vec![
                            "密钥单只能打印一次：打印成功后程序即销毁初始密钥。".into(),
                            "请随即把密钥单装入信封密封，签字后交县公司保管。".into(),
                            "现在打印？".into(),
                        ],
                        KeySheetOp,
                    )),
                    Ok(false) => Msg::error("审计密钥单已经打印过，初始密钥已销毁，不能再打印"),
                    Err(e) => Msg::error(e.message()),
                });
            }
            Action::VerifyChain => {
                return Some(match svc.verify() {
                    Ok(r) => Msg::Notice {
                        title: if r.ok() {
                            "校验结果：正常".into()
                        } else {
                            "校验结果：异常".into()
                        },
                        lines: r.describe().lines().map(str::to_string).collect(),
                    },
                    Err(e) => Msg::error(e.message()),
                });
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, list] =
            ratatui::layout::Layout::vertical([Constraint::Length(1), Constraint::Min(3)])
                .areas(area);
        ratatui::text::Line::from(format!(
            " 筛选：{}（共 {} 条，{} 修改筛选）",
            self.filter_text,
            self.total,
            crate::ui::keymap::key_label(Context::Audit, Action::Filter)
        ))
        .render(head, buf);
        AuditView::render(self, list, buf);
        let form = self.filter_form.as_ref()?;
        crate::ui::widgets::chrome::form_popup(area, buf, " 筛选审计日志 ", form)
    }

    fn refresh(&mut self, svc: &Service) {
        AuditView::reload(self, svc);
    }

    fn run(
        &mut self,
        svc: &mut Service,
        session: &Session,
        op: &crate::ui::screen::Op,
    ) -> Option<Msg> {
        op.get::<KeySheetOp>()?;
        Some(key_sheet_printed(svc.print_key_sheet(session)))
    }
}

//! The one search box used wherever a customer is picked: type 户号, name, pinyin
//! initials, phone (尾号 too) or address; the list follows every keystroke.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, Widget};

use crate::service::Service;
use crate::service::search::CustomerHit;
use crate::ui::keymap::Action;
use crate::ui::theme;
use crate::ui::widgets::chrome::selectable_rows;
use crate::ui::widgets::field::TextField;
use crate::ui::widgets::list;

/// Hits fetched per page; more are fetched when the selection reaches the end.
const PAGE: usize = 50;

pub struct CustomerSearch {
    input: TextField,
    hits: Vec<CustomerHit>,
    more: bool,
    selected: usize,
    offset: crate::ui::widgets::list::Scroll,
    error: Option<String>,
    /// set when the list is not a search but a named list (e.g. 资料不全)
    list_title: Option<String>,
    /// the clerk has looked at the list (moved in it, or pressed Enter once over it)
    looked: bool,
}

/// What `Enter` on the search means.
pub enum Choice {
    /// take this customer
    Take(CustomerHit),
    /// several matched and none was chosen yet: the list is the clerk's to choose from
    Choose(String),
    /// nothing to take
    Nothing,
}

impl Default for CustomerSearch {
    fn default() -> Self {
        Self::new()
    }
}

impl CustomerSearch {
    pub fn new() -> Self {
        CustomerSearch {
            input: TextField::new("query", "查找客户").max(64),
            hits: Vec::new(),
            more: false,
            selected: 0,
            offset: crate::ui::widgets::list::Scroll::default(),
            error: None,
            list_title: None,
            looked: false,
        }
    }

    /// Show a named list instead of search results (typing searches again).
    pub fn show_list(&mut self, title: &str, hits: Vec<CustomerHit>) {
        self.input.clear();
        self.hits = hits;
        self.more = false;
        self.selected = 0;
        self.offset.set(0);
        self.error = None;
        self.list_title = Some(title.to_string());
        // a named list is already the clerk's choice to make
        self.looked = true;
    }

    pub fn query(&self) -> &str {
        &self.input.value
    }

    /// Search for `q` as if typed (e.g. the 户号 of a file just created).
    pub fn set_query(&mut self, svc: &Service, q: &str) {
        self.input.set(q);
        self.run(svc);
    }

    pub fn selected(&self) -> Option<&CustomerHit> {
        self.hits.get(self.selected)
    }

    /// `Enter`: one match (or an exact 户号) is taken; with several, the first `Enter`
    /// hands the choice to the clerk (the list with addresses and phones to confirm the
    /// person), and the customer is taken once one is chosen.
    pub fn choose(&mut self) -> Choice {
        let Some(hit) = self.hits.get(self.selected).cloned() else {
            return Choice::Nothing;
        };
        let exact = matches!(
            hit.matched,
            crate::domain::search::Matched::AccountExact
                | crate::domain::search::Matched::OldAccountExact
        );
        if self.hits.len() > 1 && !self.looked && !exact {
            self.looked = true;
            return Choice::Choose(format!(
                "找到 {}{} 户：请核对地址、电话，用 ↑↓ 选中后再按 {}",
                self.hits.len(),
                if self.more { "+" } else { "" },
                crate::ui::keymap::key_label(
                    crate::ui::keymap::Context::Search,
                    crate::ui::keymap::Action::Open
                )
            ));
        }
        Choice::Take(hit)
    }

    fn run(&mut self, svc: &Service) {
        self.list_title = None;
        self.looked = false;
        self.selected = 0;
        self.offset.set(0);
        match svc.search_customers(&self.input.value, PAGE, 0) {
            Ok(p) => {
                self.hits = p.hits;
                self.more = p.more;
                self.error = None;
            }
            Err(e) => {
                self.hits.clear();
                self.more = false;
                self.error = Some(e.message());
            }
        }
    }

    fn fetch_more(&mut self, svc: &Service) {
        if !self.more {
            return;
        }
        if let Ok(p) = svc.search_customers(&self.input.value, PAGE, self.hits.len()) {
            self.hits.extend(p.hits);
            self.more = p.more;
        }
    }

    /// Typing and moving; returns whether the key was used.
    /// Typing goes to the input; the list moves by the keymap's list actions (`Home` and
    /// `End` stay with the input's cursor here, as typed text comes first in a search box).
    pub fn handle_key(&mut self, svc: &Service, ev: &KeyEvent, action: Option<Action>) -> bool {
        let n = self.hits.len();
        let page = self.offset.page();
        match action {
            Some(a @ (Action::Up | Action::PageUp)) => {
                self.looked = true;
                list::step(&mut self.selected, n, page, a)
            }
            Some(a @ (Action::Down | Action::PageDown)) => {
                self.looked = true;
                let ahead = if a == Action::Down { 1 } else { page };
                if self.selected + ahead >= n {
                    self.fetch_more(svc);
                }
                list::step(&mut self.selected, self.hits.len(), page, a);
            }
            _ => {
                let before = self.input.value.clone();
                if !self.input.handle_key(ev) {
                    return false;
                }
                if self.input.value != before {
                    self.run(svc);
                }
            }
        }
        true
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let [input, hint, list, count] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(2),
            Constraint::Length(1),
        ])
        .areas(area);
        let cursor = self
            .input
            .render(Rect { height: 1, ..input }, buf, true, 12);
        Line::from(Span::styled(
            "  户号、姓名、拼音首字母（zs）、电话或尾号、地址均可",
            theme::dim(),
        ))
        .render(hint, buf);
        let h = usize::from(list.height.saturating_sub(1));
        let rows = selectable_rows(&self.hits, self.selected, &self.offset, h, |c| {
            vec![
                c.account_no.clone(),
                c.name.clone(),
                c.phone_masked.clone(),
                c.area_name.clone().unwrap_or_default(),
                c.status_label().to_string(),
                c.address.clone(),
            ]
        });
        Table::new(
            rows,
            crate::ui::widgets::chrome::columns(
                list.width,
                &[(14, 0), (10, 2), (13, 0), (12, 2), (6, 0), (10, 4)],
            ),
        )
        .header(
            Row::new(vec![" 户号", "户名", "电话", "台区", "状态", "地址"]).style(theme::heading()),
        )
        .render(list, buf);
        let status = match (
            &self.error,
            self.input.value.trim().is_empty(),
            self.hits.len(),
        ) {
            (None, true, n) if self.list_title.is_some() => Line::from(format!(
                "{}：共 {n} 户（输入内容即回到查找）",
                self.list_title.as_deref().unwrap_or("")
            )),
            (Some(e), _, _) => Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            )),
            (None, true, _) => Line::from(Span::styled("请输入查询内容", theme::dim())),
            (None, false, 0) => Line::from("没有找到符合的客户"),
            (None, false, n) => {
                let how = self
                    .selected()
                    .map(|c| format!("，按{}找到", c.matched.label()))
                    .unwrap_or_default();
                Line::from(format!(
                    "第 {} 条 / 共 {n}{} 条{how}",
                    self.selected + 1,
                    if self.more { "+" } else { "" }
                ))
            }
        };
        status.render(count, buf);
        cursor
    }
}

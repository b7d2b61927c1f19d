//! 客户查询: find a customer as you type and read the file (personal data masked).
//! Accepting requests on the file comes with the counter issue.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::service::Service;
use crate::ui::keymap::Action;
use crate::ui::msg::Msg;
use crate::ui::widgets::customer_search::CustomerSearch;

#[derive(Default)]
pub struct CustomersView {
    search: CustomerSearch,
}

impl CustomersView {
    pub fn handle(
        &mut self,
        svc: &mut Service,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match action {
            Some(Action::Back) => return Some(Msg::Pop),
            Some(Action::Submit) => {
                let Some(hit) = self.search.selected() else {
                    return Some(Msg::warn("请先输入并选中一位客户"));
                };
                return Some(match svc.customer_file(hit.id) {
                    Ok(f) => Msg::Notice {
                        title: format!("客户档案：{}", f.name),
                        lines: f
                            .lines()
                            .into_iter()
                            .map(|(k, v)| format!("{k}：{v}"))
                            .collect(),
                    },
                    Err(e) => Msg::error(e.message()),
                });
            }
            _ => {}
        }
        self.search.handle_key(svc, ev);
        None
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        self.search.render(area, buf)
    }
}

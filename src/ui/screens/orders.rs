//! 营业受理 · 工单: the board of open orders (stale ones marked), the order page with its
//! whole history, and the acceptance slip (P prints it; a second print is a 补打).
use std::cell::Cell;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Row, Table, Widget};

use crate::service::orders::{OrderDetail, OrderFilter, OrderSummary};
use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screens::accept::{AcceptEvent, AcceptForm};
use crate::ui::theme;
use crate::ui::widgets::chrome::selectable_rows;

pub struct OrdersView {
    accept: Option<AcceptForm>,
    orders: Vec<OrderSummary>,
    selected: usize,
    offset: Cell<usize>,
    error: Option<String>,
}

/// The order page as lines: who, what, stages, documents, fees, contacts, history.
pub fn order_lines(o: &OrderDetail) -> Vec<String> {
    let mut l = vec![
        format!("工单号：{}    状态：{}", o.tracking_no, o.state.label()),
        format!(
            "业务：{}{}    受理：{}",
            o.kind.label(),
            o.class
                .map(|c| format!("（{}）", c.label()))
                .unwrap_or_default(),
            o.created_at
        ),
        format!(
            "客户：{}  {}  证件 {}  电话 {}",
            o.name,
            o.account_no.clone().unwrap_or_else(|| "新户".into()),
            o.id_masked,
            o.phone_masked
        ),
        format!(
            "首问负责：{}    派工：{}{}",
            o.responsible_name,
            o.dispatched_name.clone().unwrap_or_else(|| "未派".into()),
            if o.fast_channel {
                "    【快速通道】"
            } else {
                ""
            }
        ),
    ];
    if o.stale {
        l.push("！久未联系客户，请尽快联系并记录".into());
    }
    let stages: Vec<String> = o
        .stages
        .iter()
        .map(|s| format!("{}{}", if s.done { "✓" } else { "○" }, s.stage.label()))
        .collect();
    l.push(format!("环节：{}", stages.join(" → ")));
    let missing: Vec<&str> = o
        .missing_documents()
        .into_iter()
        .map(|d| d.label())
        .collect();
    l.push(format!(
        "待补资料：{}",
        if missing.is_empty() {
            "无".into()
        } else {
            missing.join("、")
        }
    ));
    for f in &o.fees {
        l.push(format!(
            "费用：{} {} 元 {}",
            f.item,
            crate::domain::money::format_yuan(f.amount),
            if f.collected { "已收" } else { "未收" }
        ));
    }
    for c in &o.contacts {
        l.push(format!(
            "联系：{} {} {}：{}",
            c.at,
            c.staff_name,
            c.channel.label(),
            c.content
        ));
    }
    l.push("经过：".into());
    for e in &o.events {
        l.push(format!(
            "  {} {} {}",
            e.at,
            e.staff_name.clone().unwrap_or_default(),
            e.detail
        ));
    }
    l
}

/// After acceptance the slip is printed at once (the customer takes it away).
pub fn accepted_and_printed(
    svc: &mut Service,
    session: &Session,
    order_id: i64,
    accepted: String,
) -> Msg {
    let said = match svc.print_slip(session, order_id) {
        Ok(out) => Msg::info(format!(
            "{accepted}；受理回执已打印（{}）",
            out.path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        )),
        Err(e) => Msg::error(format!(
            "{accepted}；但受理回执未能打印：{}（可在营业受理按 P 补打）",
            e.message()
        )),
    };
    Msg::Batch(vec![Msg::Refresh, said])
}

impl OrdersView {
    pub fn load(svc: &Service) -> OrdersView {
        let mut v = OrdersView {
            accept: None,
            orders: Vec::new(),
            selected: 0,
            offset: Cell::new(0),
            error: None,
        };
        v.reload(svc);
        v
    }

    pub fn reload(&mut self, svc: &Service) {
        match svc.orders(&OrderFilter::default()) {
            Ok(o) => {
                self.orders = o;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.orders.len().saturating_sub(1));
    }

    pub fn context(&self) -> Context {
        if self.accept.is_some() {
            Context::Form
        } else {
            Context::Orders
        }
    }

    pub fn handle(
        &mut self,
        svc: &mut Service,
        session: &Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        if let Some(form) = &mut self.accept {
            return match form.handle(svc, session, ev, action) {
                AcceptEvent::Stay(m) => m,
                AcceptEvent::Closed(m) => {
                    self.accept = None;
                    Some(m)
                }
                AcceptEvent::Accepted(id, m) => {
                    self.accept = None;
                    self.reload(svc);
                    if let Some(i) = self.orders.iter().position(|o| o.id == id) {
                        self.selected = i;
                    }
                    Some(accepted_and_printed(svc, session, id, m))
                }
            };
        }
        let n = self.orders.len();
        match action? {
            Action::NewFile => {
                if !session.role.can_write() {
                    return Some(Msg::warn("稽查员只能查看"));
                }
                self.accept = Some(AcceptForm::for_applicant());
            }
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::Back => return Some(Msg::Pop),
            Action::Submit => {
                let id = self.orders.get(self.selected)?.id;
                return Some(match svc.order(id) {
                    Ok(o) => Msg::Push(Box::new(super::View::Order(Box::new(
                        super::order_page::OrderPage::new(o),
                    )))),
                    Err(e) => Msg::error(e.message()),
                });
            }
            Action::PrintTestPage => {
                let id = self.orders.get(self.selected)?.id;
                return Some(match svc.print_slip(session, id) {
                    Ok(out) => Msg::info(format!("受理回执已生成：{}", out.path.display())),
                    Err(e) => Msg::error(e.message()),
                });
            }
            _ => {}
        }
        None
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        self.render_board(area, buf);
        self.accept.as_ref()?.render(area, buf)
    }

    fn render_board(&self, area: Rect, buf: &mut Buffer) {
        let h = usize::from(area.height.saturating_sub(1));
        let rows: Vec<Row> = selectable_rows(&self.orders, self.selected, &self.offset, h, |o| {
            vec![
                o.tracking_no.clone(),
                o.kind.label().to_string(),
                o.name.clone(),
                o.current_stage
                    .map(|s| s.label())
                    .unwrap_or("—")
                    .to_string(),
                o.responsible_name.clone(),
                if o.stale { "久未联系" } else { "" }.to_string(),
            ]
        });
        if rows.is_empty() {
            let msg = self.error.clone().unwrap_or_else(|| "没有在办工单".into());
            Line::from(msg).render(area, buf);
            return;
        }
        Table::new(
            rows,
            [
                Constraint::Length(17),
                Constraint::Length(10),
                Constraint::Length(12),
                Constraint::Length(12),
                Constraint::Length(8),
                Constraint::Min(8),
            ],
        )
        .header(
            Row::new(vec![
                " 工单号",
                "业务",
                "客户",
                "当前环节",
                "负责人",
                "标记",
            ])
            .style(theme::heading()),
        )
        .render(area, buf);
    }
}

//! 营业受理 · 工单: the board of open orders (stale ones marked), the order page with its
//! whole history, and the acceptance slip (P prints it; a second print is a 补打).

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Row, Table, Widget};

use crate::domain::validate::{pick_numbered, yes_no};
use crate::domain::work_order::{OrderState, RequestKind};
use crate::service::orders::{OrderDetail, OrderFilter, OrderSummary};
use crate::service::{Service, Session};
use crate::ui::forms::accept::{AcceptEvent, AcceptForm};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::selectable_rows;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list;
use crate::ui::widgets::lookup::{area_in, staff_in};
use crate::ui::widgets::modal::{self, Step};

pub struct OrdersView {
    accept: Option<AcceptForm>,
    filter: OrderFilter,
    /// the filter as typed, shown above the list
    filter_text: String,
    filter_form: Option<Form>,
    orders: Vec<OrderSummary>,
    /// the urgency of each order with a limit, from the deadline board
    urgency: std::collections::HashMap<i64, crate::domain::deadline::Urgency>,
    selected: usize,
    offset: crate::ui::widgets::list::Scroll,
    error: Option<String>,
}

/// The urgency mark of the board: 逾期 / 今日到期 / 临期 (with the time left), empty when
/// on track, paused or without a limit.
fn urgency_mark(u: Option<&crate::domain::deadline::Urgency>) -> String {
    use crate::domain::deadline::Urgency;
    match u {
        Some(u @ (Urgency::Overdue { .. } | Urgency::DueToday { hours: None })) => u.mark(),
        Some(Urgency::DueToday { hours: Some(h) }) => format!("今日到期 剩{h}小时"),
        Some(u @ (Urgency::AtRisk { .. } | Urgency::AtRiskHours { .. })) => {
            format!("临期 {}", u.mark())
        }
        _ => String::new(),
    }
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
    if o.fast_channel {
        l.push(format!(
            "快速通道（先接电后补资料）：{}",
            o.fast_channel_reason
        ));
    }
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
            "{accepted}；但受理回执未能打印：{}（可在营业受理按 {} 补打）",
            e.message(),
            keymap::key_label(Context::Orders, Action::PrintSlip)
        )),
    };
    Msg::Batch(vec![Msg::Refresh, said])
}

impl OrdersView {
    pub fn load(svc: &Service) -> OrdersView {
        let mut v = OrdersView {
            accept: None,
            filter: OrderFilter::default(),
            filter_text: "在办".into(),
            filter_form: None,
            orders: Vec::new(),
            urgency: std::collections::HashMap::new(),
            selected: 0,
            offset: crate::ui::widgets::list::Scroll::default(),
            error: None,
        };
        v.reload(svc);
        // the board opens at the most urgent order
        if let Some((i, _)) = v
            .orders
            .iter()
            .enumerate()
            .filter_map(|(i, o)| v.urgency.get(&o.id).map(|u| (i, u.sort_key())))
            .filter(|(_, k)| k.0 <= 2)
            .min_by_key(|(_, k)| *k)
        {
            v.selected = i;
        }
        v
    }

    pub fn reload(&mut self, svc: &Service) {
        match svc.orders(&self.filter) {
            Ok(o) => {
                self.orders = o;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.urgency = svc
            .deadline_board(&crate::service::deadlines::DeadlineFilter::default())
            .map(|b| {
                b.rows
                    .into_iter()
                    .map(|r| (r.order_id, r.urgency))
                    .collect()
            })
            .unwrap_or_default();
        self.selected = self.selected.min(self.orders.len().saturating_sub(1));
    }

    fn open_filter(&mut self, svc: &Service) {
        let state = match self.filter.state {
            Some(OrderState::Open) => "1",
            Some(OrderState::Completed) => "2",
            Some(OrderState::Cancelled) => "3",
            None => "4",
        };
        let form = Form::new(vec![
            TextField::new("kind", "业务类型")
                .max(2)
                .hint("留空为全部；1新装 2增容 … 14咨询（同受理）"),
            TextField::new("state", "状态")
                .max(1)
                .with_value(state)
                .hint("1 办理中  2 已办结  3 已撤销  4 全部"),
            TextField::new("area", "台区编码")
                .max(10)
                .hint("留空为全部，如 TQ001"),
            TextField::new("staff", "负责人")
                .max(20)
                .hint("用户名（首问负责或派工），留空为全部"),
            TextField::new("stale", "仅久未联系")
                .max(2)
                .with_value(if self.filter.stale_only { "是" } else { "否" })
                .hint("是 / 否"),
        ]);
        self.filter_form = Some(crate::ui::widgets::lookup::with_lookups(form, svc));
    }

    /// Read the filter form; problems go next to their fields.
    fn apply_filter(&mut self, svc: &Service) -> Option<Msg> {
        let form = self.filter_form.as_mut()?;
        form.clear_errors();
        let mut f = OrderFilter::default();
        let mut said = Vec::new();
        let kind = form.value("kind").trim().to_string();
        if !kind.is_empty() {
            match pick_numbered(&kind, &RequestKind::ALL) {
                Some(k) => {
                    f.kind = Some(k);
                    said.push(k.label().to_string());
                }
                None => {
                    form.set_error("kind", "请填 1–14 或留空".into());
                    return None;
                }
            }
        }
        f.state = match form.value("state").trim() {
            "1" | "" => Some(OrderState::Open),
            "2" => Some(OrderState::Completed),
            "3" => Some(OrderState::Cancelled),
            "4" => None,
            _ => {
                form.set_error("state", "请填 1–4".into());
                return None;
            }
        };
        said.push(f.state.map(|s| s.label()).unwrap_or("全部状态").to_string());
        if let Some(a) = area_in(form, "area", svc)? {
            f.area_id = Some(a.id);
            said.push(a.name);
        }
        if let Some(s) = staff_in(form, "staff", svc)? {
            f.staff_id = Some(s.id);
            said.push(s.display_name);
        }
        let Some(stale_only) = yes_no(form.value("stale"), false) else {
            form.set_error("stale", "请填 是 或 否".into());
            return None;
        };
        f.stale_only = stale_only;
        if f.stale_only {
            said.push("久未联系".into());
        }
        self.filter = f;
        self.filter_text = said.join(" · ");
        self.filter_form = None;
        self.selected = 0;
        self.reload(svc);
        Some(Msg::info(format!(
            "筛选：{}，共 {} 件",
            self.filter_text,
            self.orders.len()
        )))
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
                {
                    let mut marks = vec![urgency_mark(self.urgency.get(&o.id))];
                    if o.stale {
                        marks.push("久未联系".into());
                    }
                    marks.retain(|m| !m.is_empty());
                    marks.join(" · ")
                },
            ]
        });
        if rows.is_empty() {
            let msg = self
                .error
                .clone()
                .unwrap_or_else(|| "没有符合筛选的工单".into());
            Line::from(msg).render(area, buf);
            return;
        }
        Table::new(
            rows,
            crate::ui::widgets::chrome::columns(
                area.width,
                &[(17, 0), (10, 0), (10, 3), (12, 1), (8, 1), (14, 3)],
            ),
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

impl Screen for OrdersView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_ORDERS
    }

    fn context(&self) -> Context {
        if self.accept.is_some() || self.filter_form.is_some() {
            Context::Form
        } else {
            Context::Orders
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
            Some(Step::Submit(_)) => {
                return self.apply_filter(svc);
            }
            Some(Step::Done(m)) => return m,
            None => {}
        }
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
            Action::Filter => self.open_filter(svc),
            Action::AcceptNew => {
                if !session.can_write() {
                    return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
                }
                self.accept = Some(AcceptForm::for_applicant(
                    svc.fonts().ok(),
                    crate::ui::widgets::lookup::area_choices(svc),
                ));
            }
            a if list::is_move(a) => list::step(&mut self.selected, n, self.offset.page(), a),
            Action::Back => return Some(Msg::Pop),
            Action::Open => {
                let id = self.orders.get(self.selected)?.id;
                return Some(match svc.order(id) {
                    Ok(o) => Msg::push(super::order_page::OrderPage::new(
                        o,
                        svc.order_deadline(id).ok(),
                    )),
                    Err(e) => Msg::error(e.message()),
                });
            }
            Action::PrintSlip => {
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

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, board] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
        Line::from(format!(
            " 筛选：{}（共 {} 件，{} 修改筛选）",
            self.filter_text,
            self.orders.len(),
            keymap::key_label(Context::Orders, Action::Filter)
        ))
        .render(head, buf);
        self.render_board(board, buf);
        if let Some(form) = &self.filter_form {
            return crate::ui::widgets::chrome::form_popup(area, buf, " 筛选工单 ", form);
        }
        self.accept.as_ref()?.render(area, buf)
    }

    fn refresh(&mut self, svc: &Service) {
        OrdersView::reload(self, svc);
    }
}

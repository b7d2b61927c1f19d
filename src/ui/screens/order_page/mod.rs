//! The order page: the whole order, and the work done on it by the people responsible —
//! complete the current stage, record a contact, mark a document supplied, add or collect
//! a fee (collecting asks once, with the amount and the customer's name), dispatch,
//! cancel with a reason (asks once), reprint the slip.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use chrono::NaiveDate;

use crate::service::deadlines::OrderDeadline;
use crate::service::orders::OrderDetail;
use crate::service::{Service, Session};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::screens::orders::order_lines;
use crate::ui::widgets::field::Form;

/// What the order page asks to confirm.
#[derive(Debug)]
pub enum OrderConfirm {
    CollectFee {
        fee_id: i64,
    },
    /// the stage in hand, confirmed once; the form stays open until it is done
    Stage {
        order_id: i64,
        stage: crate::domain::work_order::Stage,
        notes: String,
    },
    Cancel {
        order_id: i64,
        reason: String,
    },
}

pub struct OrderPage {
    order: OrderDetail,
    /// promised dates and pauses; `None` when they could not be read
    deadline: Option<OrderDeadline>,
    scroll: u16,
    form: Option<(Op, Form)>,
}

fn numbered<T: Copy>(items: &[T], label: impl Fn(T) -> String) -> String {
    items
        .iter()
        .enumerate()
        .map(|(i, x)| format!("{}{}", i + 1, label(*x)))
        .collect::<Vec<_>>()
        .join(" ")
}

mod work;
use work::Op;

impl OrderPage {
    pub fn new(order: OrderDetail, deadline: Option<OrderDeadline>) -> Self {
        OrderPage {
            order,
            deadline,
            scroll: 0,
            form: None,
        }
    }

    pub fn id(&self) -> i64 {
        self.order.id
    }

    pub fn reload(&mut self, svc: &Service) {
        if let Ok(o) = svc.order(self.order.id) {
            self.order = o;
        }
        self.deadline = svc.order_deadline(self.order.id).ok();
    }
}

/// The order's promises as lines: completion, each stage's date (✓ with the real day when
/// done), pauses, warnings.
pub fn deadline_lines(d: &OrderDeadline) -> Vec<String> {
    let short = |x: NaiveDate| x.format("%m-%d").to_string();
    let mut l = Vec::new();
    let Some(limit) = d.plan.limit else {
        return l;
    };
    let limit = match limit {
        crate::domain::deadline::Limit::Days(n) => format!("{n} 个工作日"),
        crate::domain::deadline::Limit::Hours(h) => format!("{h} 小时"),
    };
    let promise = match (d.plan.whole_due_at, d.plan.whole_due) {
        (Some(at), _) => at.format("%Y-%m-%d %H:%M").to_string(),
        (None, Some(due)) => due.format("%Y-%m-%d").to_string(),
        (None, None) => "待定".into(),
    };
    let mut head = format!("时限：{limit}，承诺完成 {promise}");
    let mark = d.urgency.mark();
    let completed = d.plan.completed_on();
    if let Some(done) = completed {
        let on_time = d.plan.whole_due.is_none_or(|due| done <= due);
        head.push_str(&format!(
            "，{} 完成（{}）",
            done.format("%Y-%m-%d"),
            if on_time { "按时" } else { "超期" }
        ));
    }
    if let Some(p) = d.percent_used {
        head.push_str(&format!("  已用 {p}%"));
    }
    if let Some(w) = &d.warning {
        head.push_str(&format!("  【{w}】"));
    }
    l.push(head);
    let stages: Vec<String> = d
        .plan
        .stages
        .iter()
        .skip(1)
        .map(|s| match (s.done, s.due) {
            (Some(done), _) => format!("{} ✓{}", s.stage.label(), short(done)),
            (None, Some(due)) => format!("{} {}前", s.stage.label(), short(due)),
            (None, None) => format!("{} 待定", s.stage.label()),
        })
        .collect();
    l.push(format!("环节承诺：{}", stages.join(" · ")));
    // the stage in hand: its own promise and the mark (逾期 3天, 今日到期, 剩 2天, 暂停计时)
    if let Some(cur) = d.plan.current()
        && !mark.is_empty()
    {
        l.push(format!(
            "当前环节：{}，{}前（{mark}）",
            cur.stage.label(),
            cur.due
                .map_or_else(|| "待定".into(), |x| x.format("%Y-%m-%d").to_string())
        ));
    }
    for p in &d.pauses {
        let to =
            p.to.map_or_else(|| "至今（暂停中）".to_string(), |t| format!("至 {t}"));
        l.push(format!(
            "暂停计时：{} {} {to}，{} 个工作日不计（{}）：{}",
            p.cause.label(),
            p.from,
            p.working_days,
            p.started_by,
            p.reason
        ));
    }
    if let Some(y) = d.calendar_missing {
        l.push(format!(
            "！{y} 年的法定节假日尚未录入，暂按周一至周五计算（所长可在业扩时限 → {} 节假日历录入）",
            keymap::key_label(Context::Deadlines, Action::OpenCalendar)
        ));
    }
    l
}

impl Screen for OrderPage {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_ORDER
    }

    fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::OrderPage
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        if self.form.is_some() {
            return self.handle_form(svc, session, ev, action);
        }
        let op = match action? {
            Action::Back => return Some(Msg::Pop),
            Action::Up => {
                self.scroll = self.scroll.saturating_sub(1);
                return None;
            }
            Action::Down => {
                self.scroll = self.scroll.saturating_add(1);
                return None;
            }
            Action::PageUp => {
                self.scroll = self.scroll.saturating_sub(10);
                return None;
            }
            Action::PageDown => {
                self.scroll = self.scroll.saturating_add(10);
                return None;
            }
            Action::First => {
                self.scroll = 0;
                return None;
            }
            Action::PrintTestPage => {
                return Some(match svc.print_slip(session, self.order.id) {
                    Ok(out) => Msg::info(format!("受理回执已补打：{}", out.path.display())),
                    Err(e) => Msg::error(e.message()),
                });
            }
            Action::CompleteStage => Op::Stage,
            Action::RecordContact => Op::Contact,
            Action::SupplyDocument => Op::Document,
            Action::AddFee => Op::AddFee,
            Action::CollectFee => Op::CollectFee,
            Action::Dispatch => Op::Dispatch,
            Action::CancelOrder => Op::Cancel,
            Action::PauseClock => Op::Pause,
            Action::ResumeClock => Op::Resume,
            Action::FastChannel => {
                if !session.is_chief() {
                    return Some(crate::ui::text::chief_only(session, "开通或关闭快速通道"));
                }
                Op::Fast
            }
            _ => return None,
        };
        if !session.can_write() {
            return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
        }
        self.open(op, svc.now().date())
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let mut text = order_lines(&self.order);
        if let Some(d) = &self.deadline {
            let at = text
                .iter()
                .position(|l| l.starts_with("环节："))
                .map_or(text.len(), |i| i + 1);
            text.splice(at..at, deadline_lines(d));
        }
        let lines: Vec<Line> = text.into_iter().map(Line::from).collect();
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((self.scroll, 0))
            .render(area.inner(Margin::new(1, 0)), buf);
        let (op, form) = self.form.as_ref()?;
        let title = match op {
            Op::Stage => " 完成环节 ",
            Op::Contact => " 记录联系 ",
            Op::Document => " 资料补齐 ",
            Op::AddFee => " 收费项目 ",
            Op::CollectFee => " 收取费用 ",
            Op::Dispatch => " 派工 ",
            Op::Cancel => " 撤销工单 ",
            Op::Pause => " 暂停计时（客户原因） ",
            Op::Resume => " 恢复计时 ",
            Op::Fast => " 快速通道 ",
        };
        crate::ui::widgets::chrome::form_popup(area, buf, title, form)
    }

    fn refresh(&mut self, svc: &Service) {
        OrderPage::reload(self, svc);
    }

    fn run(
        &mut self,
        svc: &mut Service,
        session: &Session,
        op: &crate::ui::screen::Op,
    ) -> Option<Msg> {
        if let Some(OrderConfirm::Stage {
            order_id,
            stage,
            notes,
        }) = op.get::<OrderConfirm>()
        {
            return match svc.complete_stage(session, *order_id, *stage, notes) {
                Ok(st) => {
                    self.form = None;
                    self.reload(svc);
                    Some(Msg::Batch(vec![
                        Msg::Refresh,
                        Msg::info(format!("“{}”已完成（工单{}）", stage.label(), st.label())),
                    ]))
                }
                // refused: the message under the notes, which are kept
                Err(e) => match self.form.as_mut() {
                    Some((_, form)) => form.place_error(&e),
                    None => Some(Msg::error(e.message())),
                },
            };
        }
        let said = match op.get::<OrderConfirm>()? {
            OrderConfirm::CollectFee { fee_id } => {
                svc.collect_fee(session, *fee_id).and_then(|done| {
                    // the receipt goes with the money, printed at once as at 收费
                    match svc.print_receipt(session, done.receipt_id, false) {
                        Ok(_) => Ok(format!("费用已收取，收据 {} 已打印", done.receipt_no)),
                        Err(e) => Err(crate::service::ServiceError::Refused(format!(
                            "费用已收取（收据 {}），但收据未能打印：{}（可在收费 → 收据中按 {} 补打）",
                            done.receipt_no,
                            e.message(),
                            keymap::key_label(Context::Receipts, Action::ReprintReceipt)
                        ))),
                    }
                })
            }
            OrderConfirm::Cancel { order_id, reason } => svc
                .cancel_order(session, *order_id, reason)
                .map(|_| "工单已撤销（保留备查）".to_string()),
            OrderConfirm::Stage { .. } => return None,
        };
        Some(Msg::outcome(said))
    }
}

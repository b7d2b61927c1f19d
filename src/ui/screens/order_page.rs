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

use crate::domain::money;
use crate::domain::work_order::ContactChannel;
use crate::service::deadlines::{OrderDeadline, PauseCause};
use crate::service::orders::OrderDetail;
use crate::service::{Service, Session};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::Screen;
use crate::ui::screens::orders::order_lines;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::lookup::staff_in;
use crate::ui::widgets::modal::{self, Step};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Stage,
    Contact,
    Document,
    AddFee,
    CollectFee,
    Dispatch,
    Cancel,
    Pause,
    Resume,
    Fast,
}

/// What the order page asks to confirm.
#[derive(Debug)]
pub enum OrderConfirm {
    CollectFee { fee_id: i64 },
    Cancel { order_id: i64, reason: String },
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

    fn open(&mut self, op: Op, today: NaiveDate) -> Option<Msg> {
        let o = &self.order;
        let fields = match op {
            Op::Stage => {
                let stage = o.current_stage?;
                vec![
                    TextField::new("notes", stage.label())
                        .max(200)
                        .hint("完成情况、勘查结论等（可留空）"),
                ]
            }
            Op::Contact => vec![
                TextField::new("channel", "方式")
                    .max(1)
                    .with_value("1")
                    .hint(numbered(&ContactChannel::ALL, |c| c.label().to_string())),
                TextField::new("content", "内容")
                    .required()
                    .max(200)
                    .hint("说了什么、约了什么"),
            ],
            Op::Document => {
                let missing = o.missing_documents();
                if missing.is_empty() {
                    return Some(Msg::warn("没有待补资料"));
                }
                vec![
                    TextField::new("doc", "补齐的资料")
                        .required()
                        .max(2)
                        .hint(numbered(&missing, |d| d.label().to_string())),
                ]
            }
            Op::AddFee => vec![
                TextField::new("item", "收费项目").required().max(40),
                TextField::new("amount", "金额")
                    .required()
                    .max(12)
                    .hint("元，到分"),
            ],
            Op::CollectFee => {
                let open: Vec<_> = o.fees.iter().filter(|f| !f.collected).collect();
                if open.is_empty() {
                    return Some(Msg::warn("没有未收的费用"));
                }
                let hint: String = open
                    .iter()
                    .enumerate()
                    .map(|(i, f)| format!("{}{} {}元", i + 1, f.item, money::format_yuan(f.amount)))
                    .collect::<Vec<_>>()
                    .join(" ");
                vec![
                    TextField::new("fee", "收取第几项")
                        .required()
                        .max(2)
                        .with_value("1")
                        .hint(hint),
                ]
            }
            Op::Dispatch => vec![
                TextField::new("to", "派给（用户名）")
                    .required()
                    .max(20)
                    .hint("如 taiqu1"),
            ],
            Op::Cancel => vec![TextField::new("reason", "撤销原因").required().max(200)],
            Op::Pause => {
                if self.deadline.as_ref().is_some_and(|d| d.paused_now) {
                    return Some(Msg::warn(format!(
                        "已在暂停计时中；客户原因消除后按 {} 恢复计时",
                        keymap::key_label(Context::OrderPage, Action::ResumeClock)
                    )));
                }
                vec![
                    TextField::new("cause", "客户原因")
                        .max(1)
                        .with_value("1")
                        .hint(numbered(&PauseCause::ALL, |c| c.label().to_string())),
                    TextField::new("reason", "说明")
                        .required()
                        .max(200)
                        .hint("如：产权证明未带，客户约定下周补交"),
                    TextField::new("from", "暂停开始日")
                        .max(10)
                        .with_value(&today.format("%Y-%m-%d").to_string())
                        .hint("这一天起不计时限，格式 2026-11-24"),
                ]
            }
            Op::Fast => {
                let on = !o.fast_channel;
                vec![
                    TextField::new("on", "快速通道")
                        .max(2)
                        .with_value(if on { "开" } else { "关" })
                        .hint("开：先接电后补资料（信誉良好的急需客户）；关：恢复常规"),
                    TextField::new("reason", "原因")
                        .max(200)
                        .hint("开通必填，稽查可见"),
                ]
            }
            Op::Resume => {
                if !self.deadline.as_ref().is_some_and(|d| d.paused_now) {
                    return Some(Msg::warn("该工单没有在暂停计时"));
                }
                vec![
                    TextField::new("resume_on", "恢复计时日")
                        .max(10)
                        .with_value(&today.format("%Y-%m-%d").to_string())
                        .hint("这一天起重新计时，格式 2026-11-24"),
                ]
            }
        };
        self.form = Some((op, Form::new(fields)));
        None
    }

    fn handle_form(
        &mut self,
        svc: &mut Service,
        session: &Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        let (op, form) = match modal::step(&mut self.form, ev, action, "已取消")? {
            Step::Submit(f) => f,
            Step::Done(m) => return m,
        };
        form.clear_errors();
        let o = &self.order;
        let pick = |form: &mut Form, key: &'static str, n: usize| -> Option<usize> {
            let i = form
                .value(key)
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|i| (1..=n).contains(i));
            if i.is_none() {
                form.set_error(key, format!("请填 1–{n}"));
            }
            i.map(|i| i - 1)
        };
        let date = |form: &mut Form, key: &'static str| -> Option<NaiveDate> {
            let d = NaiveDate::parse_from_str(form.value(key).trim(), "%Y-%m-%d").ok();
            if d.is_none() {
                form.set_error(key, "日期格式如 2026-11-24".into());
            }
            d
        };
        let result: Result<String, crate::service::ServiceError> = match op {
            Op::Pause => {
                let i = pick(form, "cause", PauseCause::ALL.len())?;
                let from = date(form, "from")?;
                svc.pause_order(
                    session,
                    o.id,
                    PauseCause::ALL[i],
                    form.value("reason"),
                    from,
                )
                .map(|_| format!("已暂停计时（{}），时限顺延", PauseCause::ALL[i].label()))
            }
            Op::Fast => {
                let on = match form.value("on").trim() {
                    "开" | "是" | "1" => true,
                    "关" | "否" | "0" => false,
                    _ => {
                        form.set_error("on", "请填 开 或 关".into());
                        return None;
                    }
                };
                svc.set_fast_channel(session, o.id, on, form.value("reason"))
                    .map(|_| {
                        if on {
                            "已开通快速通道：资料可在接电后补齐".to_string()
                        } else {
                            "已关闭快速通道".to_string()
                        }
                    })
            }
            Op::Resume => {
                let on = date(form, "resume_on")?;
                svc.resume_order(session, o.id, on)
                    .map(|_| format!("已恢复计时，自 {on} 起计"))
            }
            Op::Stage => {
                let stage = o.current_stage?;
                svc.complete_stage(session, o.id, stage, form.value("notes"))
                    .map(|st| format!("“{}”已完成（工单{}）", stage.label(), st.label()))
            }
            Op::Contact => {
                let i = pick(form, "channel", ContactChannel::ALL.len())?;
                svc.record_contact(session, o.id, ContactChannel::ALL[i], form.value("content"))
                    .map(|_| "联系已记录".to_string())
            }
            Op::Document => {
                let missing = o.missing_documents();
                let i = pick(form, "doc", missing.len())?;
                svc.supply_document(session, o.id, missing[i])
                    .map(|_| format!("“{}”已补齐", missing[i].label()))
            }
            Op::AddFee => {
                let amount = match money::parse_yuan(form.value("amount")) {
                    Ok(a) => a,
                    Err(m) => {
                        form.set_error("amount", m.into());
                        return None;
                    }
                };
                svc.add_fee(session, o.id, form.value("item"), amount)
                    .map(|_| format!("已记收费项目 {} 元（未收）", money::format_yuan(amount)))
            }
            Op::CollectFee => {
                let open: Vec<_> = o.fees.iter().filter(|f| !f.collected).collect();
                let i = pick(form, "fee", open.len())?;
                let fee = open[i];
                let msg = Msg::Confirm(Confirm {
                    title: "收取费用".into(),
                    lines: vec![
                        format!("客户：{}", o.name),
                        format!("项目：{}", fee.item),
                        format!("金额：{} 元", money::format_yuan(fee.amount)),
                    ],
                    on_yes: crate::ui::screen::Op::new(OrderConfirm::CollectFee { fee_id: fee.id }),
                });
                self.form = None;
                return Some(msg);
            }
            Op::Dispatch => {
                let Some(s) = staff_in(form, "to", svc)? else {
                    form.set_error("to", "请填写派给谁（用户名）".into());
                    return None;
                };
                svc.dispatch_order(session, o.id, s.id)
                    .map(|_| format!("已派给 {}", s.display_name))
            }
            Op::Cancel => {
                let reason = form.value("reason").trim().to_string();
                if reason.is_empty() {
                    form.set_error("reason", "请写明撤销原因".into());
                    return None;
                }
                let msg = Msg::Confirm(Confirm {
                    title: "撤销工单".into(),
                    lines: vec![
                        format!("撤销 {} 的工单 {}？", o.name, o.tracking_no),
                        format!("原因：{reason}"),
                        "工单保留，不删除。".into(),
                    ],
                    on_yes: crate::ui::screen::Op::new(OrderConfirm::Cancel {
                        order_id: o.id,
                        reason,
                    }),
                });
                self.form = None;
                return Some(msg);
            }
        };
        match result {
            Ok(m) => {
                self.form = None;
                self.reload(svc);
                Some(Msg::Batch(vec![Msg::Refresh, Msg::info(m)]))
            }
            Err(e) => {
                let (_, form) = self.form.as_mut()?;
                form.place_error(&e)
            }
        }
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
                    return Some(Msg::warn("只有所长可以开通或关闭快速通道"));
                }
                Op::Fast
            }
            _ => return None,
        };
        if !session.can_write() {
            return Some(Msg::warn("稽查员只能查看"));
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
        };
        Some(Msg::outcome(said))
    }
}

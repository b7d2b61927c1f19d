//! The order page's work forms: complete a stage, record a contact, supply a document,
//! add or collect a fee, dispatch, cancel, pause and resume the clock, the fast channel —
//! what each asks, and what it hands to the service.
use crate::domain::money;
use crate::domain::work_order::ContactChannel;
use crate::service::deadlines::PauseCause;
use crate::service::{Service, Session};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::lookup::staff_in;
use crate::ui::widgets::modal::{self, Step};
use chrono::NaiveDate;
use crossterm::event::KeyEvent;

use super::{OrderConfirm, OrderPage, numbered};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
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

impl OrderPage {
    pub(super) fn open(&mut self, op: Op, today: NaiveDate) -> Option<Msg> {
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
                        .hint("开通时须填写，稽查可见"),
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

    pub(super) fn handle_form(
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
            let i = crate::domain::validate::fold_digits(form.value(key))
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
            match crate::domain::validate::date(form.value(key)) {
                Ok(d) => Some(d),
                Err(m) => {
                    form.set_error(key, m);
                    None
                }
            }
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
                // asked once, naming the stage and the order; the form stays open behind
                let stage = o.current_stage?;
                let notes = form.value("notes").trim().to_string();
                let mut lines = vec![
                    format!("完成环节“{}”？", stage.label()),
                    format!("工单：{} {} {}", o.tracking_no, o.kind.label(), o.name),
                ];
                if !notes.is_empty() {
                    lines.push(format!("情况：{notes}"));
                }
                lines.push("完成后转入下一环节，时限按下一环节计算。".into());
                return Some(Msg::Confirm(crate::ui::msg::Confirm {
                    title: "完成环节".into(),
                    lines,
                    on_yes: crate::ui::screen::Op::new(OrderConfirm::Stage {
                        order_id: o.id,
                        stage,
                        notes,
                    }),
                }));
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

//! The 换表 form: one form for the old meter's final reading and seals and the new meter's
//! number (typed or scanned), initial reading, multiplier and seals; saved in one
//! transaction, then the swap slip prints for the customer's signature.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::domain::meter::SwapReason;
use crate::domain::validate::yes_no;
use crate::service::meters::SwapInput;
use crate::service::{Service, Session};
use crate::ui::keymap::Action;
use crate::ui::msg::Msg;
use crate::ui::widgets::field::{Choice, Form, TextField};
use crate::ui::widgets::modal::{self, Step};

/// The reasons in the order offered (typed as their number or name).
const REASONS: [SwapReason; 5] = [
    SwapReason::Rotation,
    SwapReason::Fault,
    SwapReason::Capacity,
    SwapReason::Request,
    SwapReason::Install,
];

fn parse_reason(typed: &str) -> Option<SwapReason> {
    let t = crate::domain::validate::fold_digits(typed);
    let t = t.trim();
    REASONS
        .iter()
        .enumerate()
        .find(|(i, r)| t == (i + 1).to_string() || t == r.label())
        .map(|(_, r)| *r)
}

pub struct SwapForm {
    customer_id: i64,
    /// 户号 and name, for the title
    who: String,
    pub form: Form,
}

crate::has_form!(SwapForm);

impl SwapForm {
    /// The form for a customer: the meter in service on the account (when one) proposed as
    /// the old meter with its seals, today as the date.
    pub fn open(svc: &Service, customer_id: i64, who: String) -> SwapForm {
        let on = svc
            .customer_meters(customer_id)
            .map(|(on, _)| on)
            .unwrap_or_default();
        let (old_no, old_seals, position) = match on.as_slice() {
            [m] => (m.asset_no.clone(), m.seals.clone(), m.position.clone()),
            _ => Default::default(),
        };
        // the last reading the final one must not be below
        let last = match on.as_slice() {
            [m] => svc.last_meter_reading(m.id).ok().flatten(),
            _ => None,
        };
        let final_hint = match last {
            Some((day, r)) => format!("拆下时的示数 kWh；上次示数 {}（{day}）", r.normalize()),
            None => "拆下时的示数 kWh".to_string(),
        };
        let today = svc.now().date().format("%Y-%m-%d").to_string();
        let reasons = REASONS
            .iter()
            .enumerate()
            .map(|(i, r)| Choice {
                value: (i + 1).to_string(),
                label: format!("{} {}", i + 1, r.label()),
            })
            .collect();
        let form = Form::new(vec![
            TextField::new("old_asset_no", "旧表资产编号")
                .max(40)
                .with_value(&old_no)
                .hint("新装时留空"),
            TextField::new("old_final", "旧表止码")
                .max(14)
                .hint(final_hint),
            TextField::new("old_seals", "旧表封印")
                .max(60)
                .with_value(&old_seals),
            TextField::new("rollover", "走满归零")
                .max(2)
                .hint("止码小于上次示数且确是走满归零，填 是"),
            TextField::new("new_asset_no", "新表资产编号")
                .required()
                .max(40)
                .hint("库存表，可扫码"),
            TextField::new("new_initial", "新表起码")
                .required()
                .max(14)
                .hint("装上时的示数 kWh"),
            TextField::new("new_multiplier", "新表倍率")
                .max(8)
                .hint("留空按表计登记的变比"),
            TextField::new("new_seals", "新表封印").max(60),
            TextField::new("position", "安装位置")
                .max(30)
                .with_value(&position),
            TextField::new("swapped_on", "换表日期")
                .required()
                .max(10)
                .proposed(&today),
            TextField::new("staff", "换表人员")
                .max(20)
                .hint("用户名；留空为本人"),
            TextField::new("reason", "换表原因")
                .required()
                .max(6)
                .choices(reasons)
                .hint("1 周期轮换 2 故障 3 增减容 4 客户申请 5 新装"),
        ]);
        let mut form = form;
        if !old_no.is_empty() {
            // the old meter is proposed: start at its final reading
            form.focus = 1;
        }
        SwapForm {
            customer_id,
            who,
            form,
        }
    }

    /// A key for the form open in `slot` (`None` when no form is open).
    pub fn handle(
        slot: &mut Option<SwapForm>,
        svc: &mut Service,
        session: &Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        let me = match modal::step(slot, ev, action, "未换表")? {
            Step::Done(m) => return m,
            Step::Submit(me) => me,
        };
        let form = &mut me.form;
        form.clear_errors();
        let Some(rollover) = yes_no(form.value("rollover"), false) else {
            form.set_error("rollover", "请填 是 或 否".into());
            return None;
        };
        let reason = parse_reason(form.value("reason"));
        if reason.is_none() {
            form.set_error("reason", "请填 1–5 或原因名称".into());
            return None;
        }
        let input = SwapInput {
            customer_id: me.customer_id,
            old_asset_no: form.value("old_asset_no").into(),
            old_final: form.value("old_final").into(),
            old_seals: form.value("old_seals").into(),
            rollover,
            new_asset_no: form.value("new_asset_no").into(),
            new_initial: form.value("new_initial").into(),
            new_multiplier: form.value("new_multiplier").into(),
            new_seals: form.value("new_seals").into(),
            swapped_on: form.value("swapped_on").into(),
            staff: form.value("staff").into(),
            reason,
            position: form.value("position").into(),
            order_id: None,
        };
        match svc.swap_meter(session, &input) {
            Ok(done) => {
                let mut kwh = done
                    .old_kwh
                    .map(|k| format!("，旧表末段电量 {} kWh", k.normalize()))
                    .unwrap_or_default();
                if done.order_done.is_some() {
                    kwh.push_str("，故障换表工单的换表环节已完成");
                }
                let said = match svc.print_swap_slip(session, done.swap_id) {
                    Ok(out) => Msg::info(format!(
                        "已换表{kwh}；换表工作单已打印：{}",
                        out.path
                            .file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                    )),
                    Err(e) => Msg::error(format!(
                        "已换表{kwh}，但换表工作单未能打印：{}",
                        e.message()
                    )),
                };
                *slot = None;
                Some(Msg::Batch(vec![Msg::Refresh, said]))
            }
            Err(e) => form.place_error(&e),
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        crate::ui::widgets::chrome::form_popup(
            area,
            buf,
            &format!(" 换表：{} ", self.who),
            &self.form,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_by_number_or_name() {
        assert_eq!(parse_reason("1"), Some(SwapReason::Rotation));
        assert_eq!(parse_reason("２"), Some(SwapReason::Fault));
        assert_eq!(parse_reason("新装"), Some(SwapReason::Install));
        assert_eq!(parse_reason("6"), None);
        assert_eq!(parse_reason(""), None);
    }
}

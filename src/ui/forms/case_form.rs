//! 登记来电: one form for every case — kind, channel (an upstream transfer's number),
//! received time (now, editable for a call logged late), the caller (a customer picked in
//! the search box first, or a name and phone), place and 台区 (the customer's, proposed),
//! a late work order for a complaint, urgency, a cut supply for a repair call, and the
//! content last, so that `Enter` on it saves.
//!
//! A repair call (`报修`): the caller picked in the search box, then the form opens with
//! 故障报修, 电话 and now proposed and the focus on 停电; `y` `Enter`, the content, `Enter`.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use crate::domain::case::{CaseKind, Channel};
use crate::domain::validate::{numbered_list, pick_named, yes_no};
use crate::service::cases::CaseInput;
use crate::service::search::CustomerHit;
use crate::service::{Service, Session};
use crate::ui::keymap::Action;
use crate::ui::msg::Msg;
use crate::ui::widgets::field::{Choice, Form, TextField};
use crate::ui::widgets::modal::{self, Step};

fn numbered<T: Copy>(items: &[T], label: impl Fn(T) -> &'static str) -> Vec<Choice> {
    items
        .iter()
        .enumerate()
        .map(|(i, k)| Choice {
            value: (i + 1).to_string(),
            label: format!("{} {}", i + 1, label(*k)),
        })
        .collect()
}

/// A kind typed as its number or its name.
pub fn parse_kind(t: &str) -> Option<CaseKind> {
    pick_named(t, &CaseKind::ALL, CaseKind::label)
}

/// A channel typed as its number, its name or the hotline's number.
pub fn parse_channel(t: &str) -> Option<Channel> {
    let t = t.trim();
    pick_named(t, &Channel::ALL, Channel::label).or_else(|| {
        Channel::ALL
            .iter()
            .copied()
            .find(|c| t.len() == 5 && c.code() == t)
    })
}

pub struct CaseForm {
    customer: Option<CustomerHit>,
    repair: bool,
    pub form: Form,
}

crate::has_form!(CaseForm);

impl CaseForm {
    /// The form for a call from `customer` (or someone not on file); `repair` proposes a
    /// repair call by phone.
    pub fn open(svc: &Service, customer: Option<CustomerHit>, repair: bool) -> CaseForm {
        let now = svc.now().format("%Y-%m-%d %H:%M").to_string();
        let kind_hint = numbered_list(&CaseKind::ALL, CaseKind::label);
        let channel_hint = numbered_list(&Channel::ALL, Channel::label);
        // the 台区 is left empty for a customer: the service takes the file's own (a name
        // can be shared by two 台区, the file's id cannot)
        let place = customer
            .as_ref()
            .map(|c| c.address.clone())
            .unwrap_or_default();
        let kind = TextField::new("kind", "类别")
            .required()
            .max(6)
            .choices(numbered(&CaseKind::ALL, CaseKind::label))
            .hint(kind_hint);
        let channel = TextField::new("channel", "来源")
            .required()
            .max(6)
            .choices(numbered(&Channel::ALL, Channel::label))
            .hint(channel_hint);
        let mut form = Form::new(vec![
            if repair { kind.proposed("4") } else { kind },
            if repair {
                channel.proposed("2")
            } else {
                channel
            },
            TextField::new("upstream_no", "上级工单号")
                .max(40)
                .hint("95598、12345、12398 转办时填写上级的工单号"),
            TextField::new("received", "受理时间")
                .required()
                .max(16)
                .proposed(&now)
                .hint("补记来电时改为来电时间，如 08:40"),
            TextField::new("caller", "来电人")
                .max(40)
                .hint(if customer.is_some() {
                    "留空为客户本人"
                } else {
                    "不是档案客户时填姓名"
                }),
            TextField::new("caller_phone", "联系电话")
                .max(20)
                .hint(if customer.is_some() {
                    "留空用档案电话"
                } else {
                    "手机 11 位或座机"
                }),
            TextField::new("place", "地点").max(100).with_value(&place),
            TextField::new("area", "台区")
                .max(20)
                .choices(crate::ui::widgets::lookup::area_choices(svc))
                .hint(
                    match customer.as_ref().and_then(|c| c.area_name.as_deref()) {
                        Some(a) => format!("留空为档案的台区（{a}）；编码或名称，输入即查"),
                        None => "编码或名称，输入即查".to_string(),
                    },
                ),
            TextField::new("order_no", "延误的工单")
                .max(20)
                .hint("投诉因工单办理延误引起时填工单号（计入考核）"),
            TextField::new("urgent", "紧急")
                .max(2)
                .proposed("否")
                .hint("是 / 否"),
            TextField::new("supply_cut", "停电")
                .max(2)
                .proposed("否")
                .hint("报修时客户是否停电：是 / 否（y / n）"),
            TextField::new("content", "内容")
                .required()
                .max(500)
                .hint(format!(
                    "来电内容；在此按 {} 保存",
                    crate::ui::keymap::key_label(crate::ui::keymap::Context::Form, Action::Submit)
                )),
        ]);
        if repair {
            // kind, channel and time are proposed: start at 停电
            form.focus = 10;
        }
        CaseForm {
            customer,
            repair,
            form,
        }
    }

    /// Who the form is about, for its title.
    fn who(&self) -> String {
        let what = if self.repair {
            "报修"
        } else {
            "登记来电"
        };
        match &self.customer {
            Some(c) => format!(" {what}：{} {} ", c.account_no, c.name),
            None => format!(" {what}（非档案客户） "),
        }
    }

    /// A key for the form open in `slot`; on a save, the case number is said, the board
    /// refreshed and `saved` set to the new case.
    pub fn handle(
        slot: &mut Option<CaseForm>,
        saved: &mut Option<i64>,
        svc: &mut Service,
        session: &Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        let me = match modal::step(slot, ev, action, "未登记")? {
            Step::Done(m) => return m,
            Step::Submit(me) => me,
        };
        let form = &mut me.form;
        form.clear_errors();
        let kind = parse_kind(form.value("kind"));
        if kind.is_none() {
            form.set_error("kind", "请填 1–6 或类别名称".into());
            return None;
        }
        let channel = parse_channel(form.value("channel"));
        if channel.is_none() {
            form.set_error("channel", "请填 1–5 或来源名称".into());
            return None;
        }
        let Some(urgent) = yes_no(form.value("urgent"), false) else {
            form.set_error("urgent", "请填 是 或 否".into());
            return None;
        };
        let Some(supply_cut) = yes_no(form.value("supply_cut"), false) else {
            form.set_error("supply_cut", "请填 是 或 否".into());
            return None;
        };
        let input = CaseInput {
            kind,
            channel,
            upstream_no: form.value("upstream_no").into(),
            received: form.value("received").into(),
            customer_id: me.customer.as_ref().map(|c| c.id),
            caller_name: form.value("caller").into(),
            caller_phone: form.value("caller_phone").into(),
            place: form.value("place").into(),
            area: form.value("area").into(),
            content: form.value("content").into(),
            urgent,
            supply_cut,
            order_no: form.value("order_no").into(),
        };
        match svc.log_case(session, &input) {
            Ok(done) => {
                *slot = None;
                *saved = Some(done.id);
                let visit = if done.visit_needed {
                    ""
                } else {
                    "（未抽中回访）"
                };
                Some(Msg::Batch(vec![
                    Msg::Refresh,
                    Msg::info(format!("已登记 {}{visit}", done.case_no)),
                ]))
            }
            Err(e) => form.place_error(&e),
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        crate::ui::widgets::chrome::form_popup(area, buf, &self.who(), &self.form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_channels_by_number_or_name() {
        assert_eq!(parse_kind("4"), Some(CaseKind::Repair));
        assert_eq!(parse_kind("投诉"), Some(CaseKind::Complaint));
        assert_eq!(parse_kind("7"), None);
        assert_eq!(parse_channel("2"), Some(Channel::Phone));
        assert_eq!(parse_channel("12398"), Some(Channel::Hotline12398));
        assert_eq!(parse_channel("95598转办"), Some(Channel::Hotline95598));
        assert_eq!(parse_channel("x"), None);
    }
}

//! 受理: one form for any request — for a customer picked in 客户查询, or for a new
//! applicant (新装 / 临时用电 / 咨询 without a file). 一证受理: the ID proof alone is enough;
//! what is missing goes on the order and the slip.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use crate::domain::work_order::{ConnectionClass, Document, RequestKind};
use crate::service::orders::{AcceptRequest, Applicant};
use crate::service::{Service, Session};
use crate::ui::keymap::Action;
use crate::ui::msg::Msg;
use crate::ui::widgets::chrome::centered;
use crate::ui::widgets::field::{Form, FormEvent, TextField};

const KIND_HINT: &str =
    "1新装 2增容 3减容 4暂停 5恢复 6过户 7更名 8改类 9迁址 10销户 11临时 12校表 13换表 14咨询";

pub struct AcceptForm {
    form: Form,
    /// the customer the request is for; `None` = a new applicant
    customer: Option<(i64, String)>,
    discard_asked: bool,
}

/// What the form did.
pub enum AcceptEvent {
    /// keep the form open (maybe with a message)
    Stay(Option<Msg>),
    /// closed without accepting
    Closed(Msg),
    /// accepted: the order's id and what to tell the clerk
    Accepted(i64, String),
}

impl AcceptForm {
    pub fn for_customer(id: i64, name: &str) -> Self {
        Self::build(Some((id, name.to_string())))
    }

    pub fn for_applicant() -> Self {
        Self::build(None)
    }

    fn build(customer: Option<(i64, String)>) -> Self {
        let mut fields = vec![
            TextField::new("kind", "业务类型")
                .required()
                .max(2)
                .hint("填上方编号"),
            TextField::new("class", "用电分类")
                .max(1)
                .hint("新装必填：1 低压居民 2 低压非居民 3 高压单电源 4 高压双电源"),
        ];
        if customer.is_none() {
            fields.extend([
                TextField::new("applicant_name", "申请人")
                    .required()
                    .max(40),
                TextField::new("applicant_id", "证件号码")
                    .max(18)
                    .hint("身份证号或统一社会信用代码"),
                TextField::new("applicant_phone", "电话").max(20),
                TextField::new("applicant_address", "用电地址").max(100),
                TextField::new("area_code", "台区编码")
                    .max(10)
                    .hint("如 TQ001，可留空"),
            ]);
        }
        fields.extend([
            TextField::new("description", "申请内容")
                .max(200)
                .hint("客户要办什么；咨询填所问的事"),
            TextField::new("id_proof", "已收身份证明")
                .max(2)
                .with_value("是")
                .hint("是 / 否（一证受理）"),
            TextField::new("answer", "咨询答复")
                .max(200)
                .hint("仅咨询/查询：一句话答复，当场办结"),
        ]);
        AcceptForm {
            form: Form::new(fields),
            customer,
            discard_asked: false,
        }
    }

    fn request(&mut self) -> Option<AcceptRequest> {
        let f = &mut self.form;
        let kind = f
            .value("kind")
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| RequestKind::ALL.get(i).copied());
        let Some(kind) = kind else {
            f.set_error("kind", "请填 1–14".into());
            return None;
        };
        let class = match f.value("class").trim() {
            "" => None,
            n => match n
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| ConnectionClass::ALL.get(i))
            {
                Some(c) => Some(*c),
                None => {
                    f.set_error("class", "请填 1–4 或留空".into());
                    return None;
                }
            },
        };
        let id_proof = match f.value("id_proof").trim() {
            "是" | "1" | "y" | "Y" | "" => true,
            "否" | "0" | "n" | "N" => false,
            _ => {
                f.set_error("id_proof", "请填 是 或 否".into());
                return None;
            }
        };
        let mut req = AcceptRequest::new(kind);
        req.class = class;
        req.description = f.value("description").trim().to_string();
        req.answer = f.value("answer").trim().to_string();
        if id_proof {
            req.received = vec![Document::IdProof];
        }
        match &self.customer {
            Some((id, _)) => req.customer_id = Some(*id),
            None => {
                req.applicant = Some(Applicant {
                    name: f.value("applicant_name").into(),
                    id_number: f.value("applicant_id").into(),
                    phone: f.value("applicant_phone").into(),
                    address: f.value("applicant_address").into(),
                });
                req.area_code = f.value("area_code").trim().to_string();
            }
        }
        Some(req)
    }

    pub fn handle(
        &mut self,
        svc: &mut Service,
        session: &Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> AcceptEvent {
        if action == Some(Action::Back) {
            if self.form.is_dirty() && !self.discard_asked {
                self.discard_asked = true;
                return AcceptEvent::Stay(Some(Msg::warn(
                    "已填的内容尚未受理：再按一次 Esc 放弃，或继续填写",
                )));
            }
            return AcceptEvent::Closed(Msg::warn("未受理"));
        }
        self.discard_asked = false;
        if self.form.handle_key(ev) != FormEvent::Submit {
            return AcceptEvent::Stay(None);
        }
        self.form.clear_errors();
        let Some(req) = self.request() else {
            return AcceptEvent::Stay(None);
        };
        match svc.accept_request(session, &req) {
            Ok(a) => {
                let missing: Vec<&str> = a.missing.iter().map(|d| d.label()).collect();
                let msg = if missing.is_empty() {
                    format!("已受理：工单号 {}（{}）", a.tracking_no, a.state.label())
                } else {
                    format!(
                        "已受理：工单号 {}，待补：{}",
                        a.tracking_no,
                        missing.join("、")
                    )
                };
                AcceptEvent::Accepted(a.id, msg)
            }
            Err(e) => AcceptEvent::Stay(self.form.place_error(&e)),
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let title = match &self.customer {
            Some((_, name)) => format!(" 受理：{name} "),
            None => " 受理：新申请人 ".to_string(),
        };
        let r = centered(area, 78, self.form.height() + 4);
        Clear.render(r, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Line::from(title).centered());
        let inner = block.inner(r).inner(Margin::new(1, 0));
        block.render(r, buf);
        // the list of kinds stays in view above the fields (two lines at 80 columns)
        Paragraph::new(KIND_HINT)
            .wrap(Wrap { trim: true })
            .render(Rect { height: 2, ..inner }, buf);
        let fields = Rect {
            y: inner.y + 2,
            height: inner.height.saturating_sub(2),
            ..inner
        };
        self.form.render(fields, buf)
    }
}

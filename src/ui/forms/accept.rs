//! 受理: one form for any request — for a customer picked in 客户查询, or for a new
//! applicant (新装 / 临时用电 / 咨询 without a file). 一证受理: the ID proof alone is enough;
//! what is missing goes on the order and the slip.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::domain::validate::{pick_numbered, yes_no};
use crate::domain::work_order::{ConnectionClass, Document, RequestKind};
use crate::print::FontSet;
use crate::service::orders::{AcceptRequest, Applicant};
use crate::service::{Service, Session};
use crate::ui::keymap::Action;
use crate::ui::msg::Msg;
use crate::ui::widgets::chrome::centered;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::modal::{self, Key};

const KIND_HINT: &str =
    "1新装 2增容 3减容 4暂停 5恢复 6过户 7更名 8改类 9迁址 10销户 11临时 12校表 13换表 14咨询";

fn parse_kind(text: &str) -> Option<RequestKind> {
    pick_numbered(text, &RequestKind::ALL)
}

/// The fields a request of `kind` needs (all that could apply while the kind is unknown).
fn fields_for(kind: Option<RequestKind>, applicant: bool) -> Vec<TextField> {
    use crate::domain::work_order::ClassUse;
    let mut fields = vec![
        TextField::new("kind", "业务类型")
            .required()
            .max(2)
            .hint("填上方编号"),
    ];
    let class = kind.is_none_or(|k| k.class_use() != ClassUse::None);
    if class {
        // required fields are marked by `*` alone, the same in every form
        let required = kind.map(RequestKind::class_use) == Some(ClassUse::Required);
        let field = TextField::new("class", "用电分类").max(1);
        fields.push(if required {
            field
                .required()
                .hint("1 低压居民 2 低压非居民 3 高压单电源 4 高压双电源")
        } else {
            field.hint("可留空（低压）：1 低压居民 2 低压非居民 3 高压单电源 4 高压双电源")
        });
    }
    // the applicant's ID and address are required except for a 咨询
    let needed = |f: TextField| {
        if kind == Some(RequestKind::Inquiry) {
            f
        } else {
            f.required()
        }
    };
    if applicant {
        fields.extend([
            TextField::new("applicant_name", "申请人")
                .required()
                .max(40)
                .printed(),
            // keys as the service names them, so its refusals land next to the field
            needed(
                TextField::new("applicant_id_number", "证件号码")
                    .max(18)
                    .hint("身份证号或统一社会信用代码（一证受理）"),
            ),
            TextField::new("applicant_phone", "电话").max(20),
            needed(TextField::new("applicant_address", "用电地址").max(100)),
            TextField::new("area", "台区编码")
                .max(10)
                .hint("编码或名称，如 TQ001 或 王庄；可留空"),
        ]);
    }
    if let Some(k) = kind {
        for key in crate::domain::file_change::fields_needed(k) {
            fields.push(match *key {
                "new_name" => TextField::new("new_name", "新户名").required().max(40),
                "new_id" => TextField::new("new_id", "新证件号码")
                    .required()
                    .max(18)
                    .hint("新户主的身份证号或统一社会信用代码"),
                "new_phone" => TextField::new("new_phone", "新电话").max(20),
                "new_usage" => TextField::new("new_usage", "新用电类别")
                    .required()
                    .max(2)
                    .hint("1 居民生活 2 一般工商业 3 农业生产 4 大工业"),
                _ if matches!(k, RequestKind::NewConnection | RequestKind::Temporary) => {
                    TextField::new("new_kva", "申请容量")
                        .required()
                        .max(10)
                        .hint("kVA，如 8；建档时作为合同容量")
                }
                _ => TextField::new("new_kva", "新合同容量")
                    .required()
                    .max(10)
                    .hint("kVA，办结时写入档案"),
            });
        }
    }
    let inquiry = kind == Some(RequestKind::Inquiry);
    fields.push(
        TextField::new(
            "description",
            if inquiry {
                "所问事项"
            } else {
                "申请内容"
            },
        )
        .max(200)
        .hint("客户要办什么"),
    );
    fields.push(
        TextField::new("id_proof", "已收身份证明")
            .max(2)
            .with_value("是")
            .hint("是 / 否（一证受理）"),
    );
    if kind.is_none_or(|k| k == RequestKind::Inquiry) {
        fields.push(
            TextField::new("answer", "咨询答复")
                .max(200)
                .hint("仅咨询/查询：一句话答复，当场办结"),
        );
    }
    fields
}

pub struct AcceptForm {
    form: Form,
    /// the 台区 an applicant's field picks from
    areas: Vec<crate::ui::widgets::field::Choice>,
    /// the customer the request is for; `None` = a new applicant
    customer: Option<(i64, String)>,
}

crate::has_form!(AcceptForm);

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
    /// `fonts`: what slips are printed with, to say at once when a name cannot be drawn.
    pub fn for_customer(id: i64, name: &str, fonts: Option<FontSet>) -> Self {
        Self::build(Some((id, name.to_string())), fonts, Vec::new())
    }

    /// A new applicant; `areas`: the 台区 to pick from as the clerk types.
    pub fn for_applicant(
        fonts: Option<FontSet>,
        areas: Vec<crate::ui::widgets::field::Choice>,
    ) -> Self {
        Self::build(None, fonts, areas)
    }

    fn build(
        customer: Option<(i64, String)>,
        fonts: Option<FontSet>,
        areas: Vec<crate::ui::widgets::field::Choice>,
    ) -> Self {
        let fields = fields_for(None, customer.is_none());
        let form = crate::ui::widgets::lookup::with_choices(
            Form::new(fields).with_fonts(fonts),
            "area",
            areas.clone(),
        );
        AcceptForm {
            form,
            areas,
            customer,
        }
    }

    /// Once the kind is known, show only the fields that kind needs; what was typed in the
    /// fields that stay is kept, and the focus stays on the same field.
    fn follow_kind(&mut self) {
        let kind = parse_kind(self.form.value("kind"));
        let wanted = fields_for(kind, self.customer.is_none());
        let same = wanted.len() == self.form.fields.len()
            && wanted
                .iter()
                .zip(&self.form.fields)
                .all(|(a, b)| a.key == b.key && a.required == b.required);
        if same {
            return;
        }
        let focus_key = self.form.fields.get(self.form.focus).map(|f| f.key);
        let mut fields = wanted;
        for f in &mut fields {
            if let Some(old) = self.form.fields.iter().find(|o| o.key == f.key) {
                f.value = old.value.clone();
                f.cursor = old.cursor;
                f.error = old.error.clone();
            }
        }
        // a field that went away had the focus: the field after 业务类型 takes it
        let focus = fields
            .iter()
            .position(|f| Some(f.key) == focus_key)
            .unwrap_or(1.min(fields.len().saturating_sub(1)));
        self.form = crate::ui::widgets::lookup::with_choices(
            Form::new(fields).with_fonts(self.form.fonts()),
            "area",
            self.areas.clone(),
        );
        self.form.focus = focus;
    }

    fn request(&mut self) -> Option<AcceptRequest> {
        let f = &mut self.form;
        let kind = parse_kind(f.value("kind"));
        let Some(kind) = kind else {
            f.set_error("kind", "请填 1–14".into());
            return None;
        };
        let class = match f.value("class").trim() {
            "" => None,
            n => match pick_numbered(n, &ConnectionClass::ALL) {
                Some(c) => Some(c),
                None => {
                    f.set_error("class", "请填 1–4 或留空".into());
                    return None;
                }
            },
        };
        let Some(id_proof) = yes_no(f.value("id_proof"), true) else {
            f.set_error("id_proof", "请填 是 或 否".into());
            return None;
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
                    id_number: f.value("applicant_id_number").into(),
                    phone: f.value("applicant_phone").into(),
                    address: f.value("applicant_address").into(),
                });
                req.area_code = f.value("area").trim().to_string();
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
        let follow = |f: &mut AcceptForm, ev: &KeyEvent, a| {
            let e = f.form.handle_key(ev, a);
            f.follow_kind();
            e
        };
        match modal::key_by(self, ev, action, follow) {
            Key::Submit => {}
            Key::Handled => return AcceptEvent::Stay(None),
            Key::Asked(m) => return AcceptEvent::Stay(Some(m)),
            Key::Close => return AcceptEvent::Closed(Msg::warn("未受理")),
        }
        self.form.clear_errors();
        let Some(req) = self.request() else {
            return AcceptEvent::Stay(None);
        };
        let change = crate::domain::file_change::ChangeInput {
            new_name: self.form.value("new_name").into(),
            new_id: self.form.value("new_id").into(),
            new_phone: self.form.value("new_phone").into(),
            new_usage: self.form.value("new_usage").into(),
            new_kva: self.form.value("new_kva").into(),
        };
        match svc.accept_request_with_change(session, &req, &change) {
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
        crate::ui::widgets::chrome::clear_popup(r, buf);
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

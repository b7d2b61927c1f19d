//! 台区管理: the station's transformer areas; the chief creates and changes them.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::widgets::{Row, Table, Widget};

use crate::domain::case::AreaType;
use crate::domain::validate::{pick_numbered, yes_no};

const TYPE_HINT: &str = "1 城区  2 农村  3 边远（抢修到达时限按此）";

fn type_number(t: AreaType) -> &'static str {
    match t {
        AreaType::Urban => "1",
        AreaType::Rural => "2",
        AreaType::Remote => "3",
    }
}
use crate::service::areas::AreaInput;
use crate::service::{Service, Session};
use crate::store::customers::AreaRow;
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::selectable_rows;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list;
use crate::ui::widgets::modal::{self, Step};

pub struct AreasView {
    areas: Vec<AreaRow>,
    /// each 台区's area type (the repair crew's arrival limit); rural when not set
    types: std::collections::HashMap<i64, AreaType>,
    selected: usize,
    offset: crate::ui::widgets::list::Scroll,
    /// the form, and the 台区 it changes (`None`: a new one)
    editor: Option<(Form, Option<i64>)>,
}

impl AreasView {
    pub fn load(svc: &Service) -> AreasView {
        let mut v = AreasView {
            areas: Vec::new(),
            types: Default::default(),
            selected: 0,
            offset: crate::ui::widgets::list::Scroll::default(),
            editor: None,
        };
        v.reload(svc);
        v
    }

    pub fn reload(&mut self, svc: &Service) {
        self.areas = svc.areas().unwrap_or_default();
        self.types = svc.area_types().unwrap_or_default();
        self.selected = self.selected.min(self.areas.len().saturating_sub(1));
    }
}

impl Screen for AreasView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_AREAS
    }

    fn context(&self) -> Context {
        if self.editor.is_some() {
            Context::Form
        } else {
            Context::Areas
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.editor, ev, action, "未保存") {
            Some(Step::Submit((form, id))) => {
                form.clear_errors();
                let Some(active) = yes_no(form.value("active"), true) else {
                    form.set_error("active", "请填 是 或 否".into());
                    return None;
                };
                let typed = form.value("area_type").trim().to_string();
                let Some(area_type) = pick_numbered(&typed, &AreaType::ALL)
                    .or_else(|| AreaType::ALL.iter().copied().find(|t| t.label() == typed))
                else {
                    form.set_error("area_type", "请填 1 城区、2 农村 或 3 边远".into());
                    return None;
                };
                let input = AreaInput {
                    code: form.value("code").into(),
                    name: form.value("name").into(),
                    capacity_kva: form.value("capacity").into(),
                    manager: form.value("manager").into(),
                    active,
                    area_type: Some(area_type),
                };
                // the 台区 with its type: one transaction, one audit entry
                let result = match id {
                    None => svc.create_area(session, &input).map(|_| "台区已建立"),
                    Some(id) => svc.update_area(session, *id, &input).map(|()| "台区已保存"),
                };
                return match result {
                    Ok(m) => {
                        self.editor = None;
                        self.reload(svc);
                        Some(Msg::Batch(vec![Msg::Refresh, Msg::info(m)]))
                    }
                    Err(e) => form.place_error(&e),
                };
            }
            Some(Step::Done(m)) => return m,
            None => {}
        }
        let n = self.areas.len();
        match action? {
            a if list::is_move(a) => list::step(&mut self.selected, n, self.offset.page(), a),
            Action::Back => return Some(Msg::Pop),
            Action::NewArea | Action::EditArea if !session.can_write() => {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            Action::NewArea | Action::EditArea if !session.is_chief() => {
                return Some(crate::ui::text::chief_only(session, "维护台区"));
            }
            Action::NewArea => {
                self.editor = Some((
                    Form::new(vec![
                        TextField::new("code", "台区编码")
                            .required()
                            .max(16)
                            .hint("如 TQ010"),
                        TextField::new("name", "台区名称").required().max(30),
                        TextField::new("capacity", "容量")
                            .required()
                            .max(6)
                            .hint("kVA，如 315"),
                        TextField::new("manager", "台区经理")
                            .max(20)
                            .hint("用户名，如 taiqu1；可留空"),
                        TextField::new("area_type", "区域类型")
                            .required()
                            .max(4)
                            .proposed(type_number(AreaType::Rural))
                            .hint(TYPE_HINT),
                    ]),
                    None,
                ));
            }
            Action::EditArea => {
                let a = self.areas.get(self.selected)?;
                self.editor = Some((
                    Form::new(vec![
                        TextField::new("name", "台区名称")
                            .required()
                            .max(30)
                            .with_value(&a.name),
                        TextField::new("capacity", "容量")
                            .required()
                            .max(6)
                            .with_value(&a.capacity_kva.to_string()),
                        TextField::new("manager", "台区经理")
                            .max(20)
                            .with_value(a.manager_username.as_deref().unwrap_or(""))
                            .hint("用户名，如 taiqu1；可留空"),
                        TextField::new("active", "在用")
                            .max(2)
                            .with_value(if a.active { "是" } else { "否" })
                            .hint("是 / 否（停用的台区不再接新户）"),
                        TextField::new("area_type", "区域类型")
                            .required()
                            .max(4)
                            .with_value(type_number(
                                self.types.get(&a.id).copied().unwrap_or(AreaType::Rural),
                            ))
                            .hint(TYPE_HINT),
                    ]),
                    Some(a.id),
                ));
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let h = usize::from(area.height.saturating_sub(1));
        let rows = selectable_rows(&self.areas, self.selected, &self.offset, h, |a| {
            vec![
                a.code.clone(),
                a.name.clone(),
                format!("{} kVA", a.capacity_kva),
                a.manager_name.clone().unwrap_or_else(|| "—".into()),
                a.customers.to_string(),
                self.types
                    .get(&a.id)
                    .copied()
                    .unwrap_or(AreaType::Rural)
                    .label()
                    .to_string(),
                if a.active { "在用" } else { "[停用]" }.to_string(),
            ]
        });
        Table::new(
            rows,
            [
                Constraint::Length(9),
                Constraint::Min(14),
                Constraint::Length(10),
                Constraint::Length(10),
                Constraint::Length(8),
                Constraint::Length(5),
                Constraint::Length(7),
            ],
        )
        .header(
            Row::new(vec![
                " 编码",
                "名称",
                "容量",
                "台区经理",
                "客户数",
                "区域",
                "状态",
            ])
            .style(theme::heading()),
        )
        .render(area, buf);
        let (form, id) = self.editor.as_ref()?;
        let title = if id.is_some() {
            " 修改台区 "
        } else {
            " 新建台区 "
        };
        crate::ui::widgets::chrome::form_popup_w(area, buf, 70, title, form)
    }

    fn refresh(&mut self, svc: &Service) {
        AreasView::reload(self, svc);
    }
}

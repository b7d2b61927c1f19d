//! Account management (chief / administrator): create, reset password, deactivate.
//! Accounts are never deleted: records keep pointing at people.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::widgets::{Row, Table, Widget};

use crate::domain::role::Role;
use crate::service::auth::NewAccount;
use crate::service::{Service, Session};
use crate::store::staff::StaffRow;
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::Op;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list;
use crate::ui::widgets::modal::{self, HasForm, Step};

enum Editor {
    New(Form),
    Reset {
        form: Form,
        staff_id: i64,
        who: String,
    },
}

impl HasForm for Editor {
    fn form_mut(&mut self) -> &mut Form {
        match self {
            Editor::New(form) | Editor::Reset { form, .. } => form,
        }
    }
}

/// What the accounts screen asks to confirm.
#[derive(Debug)]
pub enum AccountOp {
    SetActive { staff_id: i64, active: bool },
    ResetPassword { staff_id: i64, password: String },
}

pub struct AccountsView {
    staff: Vec<StaffRow>,
    selected: usize,
    offset: crate::ui::widgets::list::Scroll,
    editor: Option<Editor>,
    now: String,
}

/// 营业员 / 1 → Role
fn parse_role(s: &str) -> Option<Role> {
    let s = s.trim();
    Role::ALL
        .into_iter()
        .enumerate()
        .find(|(i, r)| r.label() == s || r.code() == s || (i + 1).to_string() == s)
        .map(|(_, r)| r)
}

impl AccountsView {
    pub fn load(svc: &Service) -> AccountsView {
        let mut v = AccountsView {
            staff: Vec::new(),
            selected: 0,
            offset: crate::ui::widgets::list::Scroll::default(),
            editor: None,
            now: String::new(),
        };
        v.reload(svc);
        v
    }

    pub fn reload(&mut self, svc: &Service) {
        let keep = self.staff.get(self.selected).map(|s| s.id);
        self.staff = svc.list_staff().unwrap_or_default();
        self.selected = keep
            .and_then(|id| self.staff.iter().position(|s| s.id == id))
            .unwrap_or(self.selected)
            .min(self.staff.len().saturating_sub(1));
        self.now = crate::domain::clock::to_db(svc.now());
    }

    fn state(&self, s: &StaffRow) -> &'static str {
        if !s.active {
            "[停用]"
        } else if s
            .locked_until
            .as_deref()
            .is_some_and(|u| u > self.now.as_str())
        {
            "[锁定]"
        } else if s.must_change_password {
            "待改密码"
        } else {
            "在用"
        }
    }
}

impl Screen for AccountsView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_ACCOUNTS
    }

    fn context(&self) -> Context {
        if self.editor.is_some() {
            Context::Form
        } else {
            Context::Accounts
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.editor, ev, action, "已取消") {
            Some(Step::Done(m)) => m,
            Some(Step::Submit(ed)) => match ed {
                Editor::New(form) => {
                    form.clear_errors();
                    let role_text = form.value("role").to_string();
                    let Some(role) = parse_role(&role_text) else {
                        form.set_error(
                            "role",
                            "请填 1 营业员、2 所长、3 台区经理 或 4 稽查员".into(),
                        );
                        return None;
                    };
                    let Some(is_admin) =
                        crate::domain::validate::yes_no(form.value("is_admin"), false)
                    else {
                        form.set_error("is_admin", "请填 是 或 否".into());
                        return None;
                    };
                    let a = NewAccount {
                        username: form.value("username").into(),
                        display_name: form.value("display_name").into(),
                        role: Some(role),
                        is_admin,
                        password: form.value("password").into(),
                        phone: form.value("phone").into(),
                    };
                    match svc.create_account(session, &a) {
                        Ok(_) => {
                            self.editor = None;
                            self.reload(svc);
                            Some(Msg::info(format!(
                                "账号 {} 已建立，首次登录须修改密码",
                                a.username.trim()
                            )))
                        }
                        Err(e) => form.place_error(&e),
                    }
                }
                Editor::Reset {
                    form,
                    staff_id,
                    who,
                } => {
                    form.clear_errors();
                    let (p1, p2) = (
                        form.value("password").to_string(),
                        form.value("password_again").to_string(),
                    );
                    if let Err(m) = crate::domain::validate::password(&p1) {
                        form.set_error("password", m.to_string());
                        return None;
                    }
                    if p1 != p2 {
                        form.set_error("password_again", "两次输入的密码不一致".into());
                        return None;
                    }
                    let msg = Msg::Confirm(Confirm {
                        title: "重置密码".into(),
                        lines: vec![
                            format!("重置 {who} 的密码？"),
                            "对方下次登录时须设置新密码。".into(),
                        ],
                        on_yes: Op::new(AccountOp::ResetPassword {
                            staff_id: *staff_id,
                            password: p1,
                        }),
                    });
                    self.editor = None;
                    Some(msg)
                }
            },
            None => {
                let n = self.staff.len();
                match action? {
                    a if list::is_move(a) => {
                        list::step(&mut self.selected, n, self.offset.page(), a)
                    }
                    Action::Back => return Some(Msg::Pop),
                    Action::NewAccount => {
                        self.editor = Some(Editor::New(Form::new(vec![
                            TextField::new("username", "用户名")
                                .required()
                                .max(20)
                                .hint("英文字母或数字"),
                            TextField::new("display_name", "姓名").required().max(20),
                            TextField::new("role", "岗位")
                                .required()
                                .max(6)
                                .hint("1 营业员  2 所长  3 台区经理  4 稽查员"),
                            TextField::new("is_admin", "管理员")
                                .max(2)
                                .with_value("否")
                                .hint("是 / 否：可管理账号"),
                            TextField::new("password", "初始密码")
                                .required()
                                .masked()
                                .max(64)
                                .hint("至少 6 位"),
                            TextField::new("phone", "电话").max(20),
                        ])));
                    }
                    Action::ResetPassword => {
                        let s = self.staff.get(self.selected)?;
                        self.editor = Some(Editor::Reset {
                            form: Form::new(vec![
                                TextField::new("password", "新密码")
                                    .required()
                                    .masked()
                                    .max(64),
                                TextField::new("password_again", "再输一次")
                                    .required()
                                    .masked()
                                    .max(64),
                            ]),
                            staff_id: s.id,
                            who: format!("{}（{}）", s.display_name, s.username),
                        });
                    }
                    Action::ToggleActive => {
                        let s = self.staff.get(self.selected)?;
                        let (title, line) = if s.active {
                            (
                                "停用账号",
                                format!(
                                    "停用 {}（{}）？停用后不能登录，已有记录保留。",
                                    s.display_name, s.username
                                ),
                            )
                        } else {
                            (
                                "启用账号",
                                format!("重新启用 {}（{}）？", s.display_name, s.username),
                            )
                        };
                        return Some(Msg::Confirm(Confirm {
                            title: title.into(),
                            lines: vec![line],
                            on_yes: Op::new(AccountOp::SetActive {
                                staff_id: s.id,
                                active: !s.active,
                            }),
                        }));
                    }
                    _ => {}
                }
                None
            }
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let visible = usize::from(area.height.saturating_sub(1));
        let rows = crate::ui::widgets::chrome::selectable_rows(
            &self.staff,
            self.selected,
            &self.offset,
            visible,
            |s| {
                vec![
                    s.username.clone(),
                    s.display_name.clone(),
                    s.role.label().to_string(),
                    if s.is_admin { "是" } else { "" }.to_string(),
                    self.state(s).to_string(),
                ]
            },
        );
        Table::new(
            rows,
            [
                Constraint::Length(14),
                Constraint::Length(12),
                Constraint::Length(10),
                Constraint::Length(8),
                Constraint::Min(8),
            ],
        )
        .header(Row::new(vec![" 用户名", "姓名", "岗位", "管理员", "状态"]).style(theme::heading()))
        .render(area, buf);

        let (title, form) = match self.editor.as_ref()? {
            Editor::New(f) => ("新建账号".to_string(), f),
            Editor::Reset { form, who, .. } => (format!("重置密码：{who}"), form),
        };
        crate::ui::widgets::chrome::form_popup_w(area, buf, 70, &format!(" {title} "), form)
    }

    fn refresh(&mut self, svc: &Service) {
        AccountsView::reload(self, svc);
    }

    fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        let said = match op.get::<AccountOp>()? {
            AccountOp::SetActive { staff_id, active } => svc
                .set_account_active(session, *staff_id, *active)
                .map(|_| {
                    if *active {
                        "账号已启用".to_string()
                    } else {
                        "账号已停用（记录保留）".to_string()
                    }
                }),
            AccountOp::ResetPassword { staff_id, password } => svc
                .reset_password(session, *staff_id, password)
                .map(|_| "密码已重置，对方下次登录须设置新密码".to_string()),
        };
        Some(Msg::outcome(said))
    }
}

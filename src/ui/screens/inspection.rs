//! 稽查 (issue 16): the audit views and the findings under one filter (person, date range,
//! 台区). The hub lists them; `Enter` opens the audit trail, the findings or one view's
//! table. Everyone may look; only the auditor records findings.
use chrono::{Datelike, NaiveDate};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, Widget};

use crate::service::audit_views::{AuditFilter, AuditViewKind};
use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list::{self, Scroll};
use crate::ui::widgets::modal::{self, Step};

/// The filter every 稽查 screen shares, with its words.
#[derive(Clone, Debug)]
pub struct Scope {
    pub filter: AuditFilter,
    /// `人员 王丽娟（yingye1）` etc., for the head line
    person: Option<String>,
    area: Option<String>,
}

impl Scope {
    /// This year up to today, everyone, every 台区.
    pub fn this_year(today: NaiveDate) -> Scope {
        Scope {
            filter: AuditFilter {
                staff_id: None,
                from: NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
                to: today,
                area_id: None,
            },
            person: None,
            area: None,
        }
    }

    /// `2026-01-01 至 2026-12-06 · 人员 全部 · 台区 全部`
    pub fn text(&self) -> String {
        format!(
            "{} 至 {} · 人员 {} · 台区 {}",
            self.filter.from,
            self.filter.to,
            self.person.as_deref().unwrap_or("全部"),
            self.area.as_deref().unwrap_or("全部")
        )
    }

    pub fn form(&self, svc: &Service) -> Form {
        let user = self
            .filter
            .staff_id
            .and_then(|id| {
                svc.list_staff()
                    .ok()?
                    .into_iter()
                    .find(|s| s.id == id)
                    .map(|s| s.username)
            })
            .unwrap_or_default();
        let area = self
            .filter
            .area_id
            .and_then(|id| svc.areas().ok()?.into_iter().find(|a| a.id == id))
            .map(|a| a.code)
            .unwrap_or_default();
        Form::new(vec![
            TextField::new("from", "起始日期")
                .required()
                .max(10)
                .with_value(&self.filter.from.to_string()),
            TextField::new("to", "截止日期")
                .required()
                .max(10)
                .with_value(&self.filter.to.to_string()),
            TextField::new("person", "人员（账号）")
                .max(20)
                .with_value(&user)
                .hint("留空为全部，如 yingye1"),
            TextField::new("area", "台区编码")
                .max(16)
                .with_value(&area)
                .hint("留空为全部，如 TQ001"),
        ])
    }

    /// Take the form's values; a wrong one is put next to its field (`false`).
    pub fn apply(&mut self, svc: &Service, form: &mut Form) -> bool {
        form.clear_errors();
        let date = |form: &mut Form, key: &str| -> Option<NaiveDate> {
            let v = crate::domain::validate::fold_digits(form.value(key));
            match NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    form.set_error(key, "日期请写成 2026-12-31".into());
                    None
                }
            }
        };
        let Some(from) = date(form, "from") else {
            return false;
        };
        let Some(to) = date(form, "to") else {
            return false;
        };
        if to < from {
            form.set_error("to", "截止日期不能早于起始日期".into());
            return false;
        }
        let user = form.value("person").trim().to_string();
        let person = if user.is_empty() {
            None
        } else {
            match svc.list_staff().ok().and_then(|l| {
                l.into_iter()
                    .find(|s| s.username == user || s.display_name == user)
            }) {
                Some(s) => Some((s.id, format!("{}（{}）", s.display_name, s.username))),
                None => {
                    form.set_error(
                        "person",
                        format!("没有账号 {}", crate::domain::validate::shown(&user)),
                    );
                    return false;
                }
            }
        };
        let code = form.value("area").trim().to_string();
        let area = if code.is_empty() {
            None
        } else {
            match svc
                .areas()
                .ok()
                .and_then(|l| l.into_iter().find(|a| a.code.eq_ignore_ascii_case(&code)))
            {
                Some(a) => Some((a.id, format!("{} {}", a.code, a.name))),
                None => {
                    form.set_error(
                        "area",
                        format!("没有台区 {}", crate::domain::validate::shown(&code)),
                    );
                    return false;
                }
            }
        };
        self.filter = AuditFilter {
            staff_id: person.as_ref().map(|p| p.0),
            from,
            to,
            area_id: area.as_ref().map(|a| a.0),
        };
        self.person = person.map(|p| p.1);
        self.area = area.map(|a| a.1);
        true
    }
}

/// What the hub lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Trail,
    Findings,
    View(AuditViewKind),
}

fn items() -> Vec<Item> {
    let mut v = vec![Item::Trail, Item::Findings];
    v.extend(AuditViewKind::ALL.into_iter().map(Item::View));
    v
}

fn describe(kind: AuditViewKind) -> &'static str {
    match kind {
        AuditViewKind::Corrections => "每张作废、红冲的收据及审批人、原因，每次补打",
        AuditViewKind::Numbers => "收据、工单、投诉报修、整改单编号：证明连续或列出断号",
        AuditViewKind::DayEnds => "每次日结的应有与清点现金，并按收款记录重算核对",
        AuditViewKind::Deadlines => "业扩全过程及高压各环节：按时、超时、办理中已超时",
        AuditViewKind::FeesBeforeSurvey => "现场勘查完成前收取的业务费（应当为零）",
        AuditViewKind::IncompleteFiles => "在用而资料不全的档案、建档人与待补资料",
        AuditViewKind::Tariff => "执行电价类别与用电类别不同的客户及设定人",
        AuditViewKind::Waivers => "违约金减免与登记的停电期间、经办人与理由",
        AuditViewKind::Settings => "系统设置、考核规则、节假日、供电所资料的改动",
        AuditViewKind::Accounts => "账号的新建、重置密码、启用停用与锁定",
    }
}

pub struct InspectionView {
    scope: Scope,
    selected: usize,
    offset: Scroll,
    form: Option<Form>,
    counts: Option<crate::service::rectification::FindingCounts>,
}

impl InspectionView {
    pub fn load(svc: &Service) -> InspectionView {
        InspectionView {
            scope: Scope::this_year(svc.now().date()),
            selected: 0,
            offset: Scroll::default(),
            form: None,
            counts: svc.finding_counts().ok(),
        }
    }
}

impl Screen for InspectionView {
    fn title(&self) -> &'static str {
        "稽查"
    }

    fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::Inspection
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        _session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.form, ev, action, "筛选未改") {
            Some(Step::Submit(form)) => {
                if self.scope.apply(svc, form) {
                    self.form = None;
                }
                return None;
            }
            Some(Step::Done(m)) => return m,
            None => {}
        }
        let all = items();
        match action? {
            a if list::is_move(a) => {
                list::step(&mut self.selected, all.len(), self.offset.page(), a)
            }
            Action::Back => return Some(Msg::Pop),
            Action::Filter => self.form = Some(self.scope.form(svc)),
            Action::Open => {
                return Some(match all.get(self.selected)? {
                    Item::Trail => Msg::push(super::audit::AuditView::load(svc)),
                    Item::Findings => {
                        Msg::push(super::findings::FindingsView::load(svc, self.scope.clone()))
                    }
                    Item::View(kind) => Msg::push(super::audit_table::AuditTableView::load(
                        svc,
                        *kind,
                        self.scope.clone(),
                    )),
                });
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, body] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
        ratatui::widgets::Paragraph::new(vec![
            Line::from(vec![
                Span::styled(" 稽查 ", theme::heading()),
                Span::raw(format!("筛选：{}", self.scope.text())),
            ]),
            Line::from(Span::styled(
                " 只读：任何人都只能查看；整改事项由稽查员登记和验收",
                theme::dim(),
            )),
        ])
        .render(head, buf);
        let all = items();
        let h = usize::from(body.height.saturating_sub(1));
        let counts = self.counts.unwrap_or_default();
        let rows = selectable_rows(&all, self.selected, &self.offset, h, |i| match i {
            Item::Trail => vec![
                "审计日志".into(),
                "每次改动的人员、对象、操作、改前改后；校验哈希链".into(),
            ],
            Item::Findings => vec![
                "限期整改".into(),
                format!(
                    "待整改 {} 项（逾期 {}），待验收 {} 项",
                    counts.open, counts.overdue, counts.to_accept
                ),
            ],
            Item::View(k) => vec![k.label().into(), describe(*k).into()],
        });
        Table::new(rows, columns(body.width, &[(24, 0), (30, 1)]))
            .header(Row::new(vec![" 查看", "内容"]).style(theme::heading()))
            .render(body, buf);
        let form = self.form.as_ref()?;
        crate::ui::widgets::chrome::form_popup_w(area, buf, 60, " 稽查筛选 ", form)
    }

    fn refresh(&mut self, svc: &Service) {
        self.counts = svc.finding_counts().ok();
    }
}

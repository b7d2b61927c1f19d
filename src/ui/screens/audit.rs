//! The audit trail, newest first, read-only for everyone; `V` walks the hash chain.
use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Row, Table, Widget};

use crate::service::Service;
use crate::service::Session;
use crate::store::audit::Entry;
use crate::ui::keymap::Action;
use crate::ui::keymap::Context;
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;
use crossterm::event::KeyEvent;
use ratatui::layout::Position;

const PAGE: usize = 200;

/// Print the key sheet (confirmed once).
struct KeySheetOp;

/// What the clerk is told after printing the key sheet.
pub fn key_sheet_printed(r: crate::service::ServiceResult<crate::print::PrintOutcome>) -> Msg {
    match r {
        Ok(out) => Msg::Notice {
            title: "审计密钥单已打印".into(),
            lines: vec![
                format!("文件：{}", out.path.display()),
                match &out.sent_to {
                    Some(p) => format!("已送打印机：{p}"),
                    None => "请打开此文件打印。".into(),
                },
                "打印出来后请删除此文件（它含有初始密钥），".into(),
                "把密钥单密封交县公司保管。".into(),
            ],
        },
        Err(e) => Msg::error(format!("{}（密钥单未打印，可再试）", e.message())),
    }
}

pub struct AuditView {
    entries: Vec<Entry>,
    /// entries skipped from the newest (paging through the database)
    skip: usize,
    total: i64,
    selected: usize,
    offset: crate::ui::widgets::list::Scroll,
    page: Cell<usize>,
}

pub use crate::domain::audit_labels::action_label;

/// Chinese name of an audited entity.
pub fn entity_label(code: &str) -> &str {
    match code {
        "staff" => "账号",
        "setting" => "设置",
        "station" => "供电所",
        "transformer_area" => "台区",
        "customer" => "客户",
        "calendar_day" => "日历",
        "calendar_year" => "日历年份",
        "assessment_entry" => "考核记录",
        "assessment_rule" => "考核规则",
        "assessment_month" => "考核月份",
        "database" => "数据库",
        other => other,
    }
}

/// Chinese name of a changed field.
fn field_label(code: &str) -> &str {
    match code {
        "value" => "值",
        "label" => "项目",
        "active" => "在用",
        "display_name" => "姓名",
        "username" => "用户名",
        "role" => "岗位",
        "is_admin" => "管理员",
        "password" => "密码",
        "count" => "数量",
        "name" => "名称",
        "code" => "编码",
        "phone" => "电话",
        "capacity_kva" => "容量kVA",
        "locked_until" => "锁定至",
        "failed_attempts" => "连续输错",
        "during" => "场合",
        "is_demo" => "演示",
        "kind" => "类型",
        "id_number" => "证件号码",
        "address" => "地址",
        "area" => "台区",
        "usage" => "用电类别",
        "supply_voltage" => "电压",
        "contracted_kva" => "容量kVA",
        "notes" => "备注",
        "docs_incomplete" => "档案",
        "missing" => "待补",
        "state" => "状态",
        "staff" => "人员",
        "item" => "考核项目",
        "subject" => "对象",
        "amount" => "金额",
        "reason" => "理由",
        "amount_residential" => "居民金额",
        "amount_other" => "非居民金额",
        "trigger_param" => "天数N",
        "entries_priced" => "补定金额条数",
        "created" => "新增",
        "by_rule" => "按规则",
        "amount_unset" => "金额未设",
        "first_id" => "起始编号",
        "last_id" => "结束编号",
        "files" => "文件",
        "schema_version" => "数据库版本",
        "file" => "文件",
        "start_seq" => "起始条号",
        "import_id" => "导入批号",
        "chunk" => "批次",
        "imported" => "导入",
        "unchanged" => "已有",
        "customers" => "户数",
        "total" => "合计",
        "clock" => "电脑时间",
        "last_receipt" => "上一张收据时间",
        "key_created" => "生成审计密钥",
        other => other,
    }
}

/// `"clerk"` → `"营业员"` (other values unchanged).
fn role_label(v: &serde_json::Value) -> serde_json::Value {
    match v.as_str().and_then(crate::domain::role::Role::from_code) {
        Some(r) => serde_json::Value::String(r.label().to_string()),
        None => v.clone(),
    }
}

fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "空".into(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(b) => if *b { "是" } else { "否" }.into(),
        other => other.to_string(),
    }
}

/// `值 10→15；项目 无操作自动锁屏` from the stored JSON. Control and format characters
/// come out escaped: the trail is append-only, so text stored raw stays there.
pub fn describe_changes(json: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json) else {
        return crate::domain::validate::shown(json);
    };
    let text = map
        .iter()
        .map(|(k, v)| match v {
            serde_json::Value::Object(o) if o.contains_key("new") => {
                let old = o.get("old").unwrap_or(&serde_json::Value::Null);
                let new = o.get("new").unwrap_or(&serde_json::Value::Null);
                let (old, new) = if k == "role" {
                    (role_label(old), role_label(new))
                } else {
                    (old.clone(), new.clone())
                };
                let (old, new) = (&old, &new);
                if old.is_null() {
                    format!("{} {}", field_label(k), plain(new))
                } else {
                    format!("{} {}→{}", field_label(k), plain(old), plain(new))
                }
            }
            other => format!("{} {}", field_label(k), plain(other)),
        })
        .collect::<Vec<_>>()
        .join("；");
    crate::domain::validate::shown(&text)
}

impl AuditView {
    pub fn load(svc: &Service) -> AuditView {
        let mut v = AuditView {
            entries: Vec::new(),
            skip: 0,
            total: 0,
            selected: 0,
            offset: crate::ui::widgets::list::Scroll::default(),
            page: Cell::new(10),
        };
        v.reload(svc);
        v
    }

    pub fn reload(&mut self, svc: &Service) {
        let (total, entries) = svc.audit_page(PAGE, self.skip).unwrap_or_default();
        self.total = total;
        self.entries = entries;
        self.selected = self.selected.min(self.entries.len().saturating_sub(1));
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let [area, detail] =
            ratatui::layout::Layout::vertical([Constraint::Min(3), Constraint::Length(4)])
                .areas(area);
        if let Some(e) = self.entries.get(self.selected) {
            let lines = vec![
                ratatui::text::Line::from(format!(
                    "第 {} 条  {}  {}  {}：{} {}",
                    e.seq,
                    e.at,
                    e.user_name,
                    action_label(&e.action),
                    entity_label(&e.entity),
                    e.entity_id
                )),
                ratatui::text::Line::from(describe_changes(&e.changes)),
            ];
            ratatui::widgets::Paragraph::new(lines)
                .wrap(ratatui::widgets::Wrap { trim: true })
                .block(ratatui::widgets::Block::default().borders(ratatui::widgets::Borders::TOP))
                .render(detail, buf);
        }
        let h = area.height.saturating_sub(1) as usize;
        self.page.set(h.max(1));
        let rows = crate::ui::widgets::chrome::selectable_rows(
            &self.entries,
            self.selected,
            &self.offset,
            h,
            |e| {
                vec![
                    e.seq.to_string(),
                    e.at.get(5..16).unwrap_or(&e.at).to_string(),
                    e.user_name
                        .split('（')
                        .next()
                        .unwrap_or(&e.user_name)
                        .to_string(),
                    action_label(&e.action).to_string(),
                    format!("{} {}", entity_label(&e.entity), e.entity_id),
                    describe_changes(&e.changes),
                ]
            },
        );
        Table::new(
            rows,
            crate::ui::widgets::chrome::columns(
                area.width,
                &[(7, 0), (11, 0), (10, 1), (12, 1), (14, 2), (10, 6)],
            ),
        )
        .header(
            Row::new(vec![" 序号", "时间", "操作人", "操作", "对象", "变更"])
                .style(theme::heading()),
        )
        .render(area, buf);
    }
}

impl Screen for AuditView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_AUDIT
    }

    fn context(&self) -> Context {
        Context::Audit
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        _session: &mut Session,
        _ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        let n = self.entries.len();
        let page = self.page.get();
        match action? {
            Action::Up => {
                if self.selected == 0 && self.skip > 0 {
                    self.skip = self.skip.saturating_sub(PAGE);
                    self.reload(svc);
                    self.selected = self.entries.len().saturating_sub(1);
                } else {
                    self.selected = self.selected.saturating_sub(1);
                }
            }
            Action::Down => {
                if self.selected + 1 >= n && ((self.skip + n) as i64) < self.total {
                    self.skip += PAGE;
                    self.selected = 0;
                    self.offset.set(0);
                    self.reload(svc);
                } else {
                    self.selected = (self.selected + 1).min(n.saturating_sub(1));
                }
            }
            Action::PageUp => self.selected = self.selected.saturating_sub(page),
            Action::PageDown => self.selected = (self.selected + page).min(n.saturating_sub(1)),
            Action::First => {
                self.skip = 0;
                self.reload(svc);
                self.selected = 0;
            }
            Action::Last => {
                let total = usize::try_from(self.total).unwrap_or(0);
                self.skip = total.saturating_sub(1) / PAGE * PAGE;
                self.reload(svc);
                self.selected = self.entries.len().saturating_sub(1);
            }
            Action::Back => return Some(Msg::Pop),
            Action::PrintKeySheet => {
                return Some(match svc.key_sheet_pending() {
                    Ok(true) => Msg::Confirm(crate::ui::msg::Confirm::new(
                        "打印审计密钥单",
                        vec![
                            "密钥单只能打印一次：打印成功后程序即销毁初始密钥。".into(),
                            "请随即把密钥单装入信封密封，签字后交县公司保管。".into(),
                            "现在打印？".into(),
                        ],
                        KeySheetOp,
                    )),
                    Ok(false) => Msg::error("审计密钥单已经打印过，初始密钥已销毁，不能再打印"),
                    Err(e) => Msg::error(e.message()),
                });
            }
            Action::VerifyChain => {
                return Some(match svc.verify() {
                    Ok(r) => Msg::Notice {
                        title: if r.ok() {
                            "校验结果：正常".into()
                        } else {
                            "校验结果：异常".into()
                        },
                        lines: r.describe().lines().map(str::to_string).collect(),
                    },
                    Err(e) => Msg::error(e.message()),
                });
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        AuditView::render(self, area, buf);
        None
    }

    fn refresh(&mut self, svc: &Service) {
        AuditView::reload(self, svc);
    }

    fn run(
        &mut self,
        svc: &mut Service,
        session: &Session,
        op: &crate::ui::screen::Op,
    ) -> Option<Msg> {
        op.get::<KeySheetOp>()?;
        Some(key_sheet_printed(svc.print_key_sheet(session)))
    }
}

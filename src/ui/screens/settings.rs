//! Settings: every rule number, grouped; the chief edits, everyone else reads.
//! Also the test page (打印测试页).

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Widget, Wrap};

use crate::domain::settings::{Setting, SettingKind};
use crate::service::{Service, Session};
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::Op;
use crate::ui::screen::Screen;
use crate::ui::text;
use crate::ui::theme;
use crate::ui::widgets::chrome::centered;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list;
use crate::ui::widgets::modal::{self, Step};

/// The confirmed reset of the setting `key` to its default.
#[derive(Debug)]
pub struct ResetSetting {
    key: String,
}

pub struct SettingsView {
    items: Vec<Setting>,
    selected: usize,
    offset: crate::ui::widgets::list::Scroll,
    /// the form open, and what it edits
    editor: Option<(Editing, Form)>,
    error: Option<String>,
}

/// What the settings screen's form edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Editing {
    /// the selected setting
    Setting,
    /// 供电所资料
    Station,
}

impl SettingsView {
    pub fn load(svc: &Service) -> SettingsView {
        let mut v = SettingsView {
            items: Vec::new(),
            selected: 0,
            offset: crate::ui::widgets::list::Scroll::default(),
            editor: None,
            error: None,
        };
        v.reload(svc);
        v
    }

    pub fn reload(&mut self, svc: &Service) {
        match svc.settings() {
            Ok(items) => {
                self.items = items;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.items.len().saturating_sub(1));
    }

    fn current(&self) -> Option<&Setting> {
        self.items.get(self.selected)
    }
}

impl Screen for SettingsView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_SETTINGS
    }

    fn context(&self) -> Context {
        if self.editor.is_some() {
            Context::Form
        } else {
            Context::Settings
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.editor, ev, action, "未修改") {
            Some(Step::Submit((Editing::Station, form))) => {
                form.clear_errors();
                let p = crate::service::setup::StationProfile {
                    name: form.value("name").into(),
                    code: form.value("code").into(),
                    phone: form.value("phone").into(),
                    address: form.value("address").into(),
                };
                return match svc.update_station(session, &p) {
                    Ok(()) => {
                        self.editor = None;
                        Some(Msg::Batch(vec![
                            Msg::Refresh,
                            Msg::info("供电所资料已保存"),
                        ]))
                    }
                    Err(e) => form.place_error(&e),
                };
            }
            Some(Step::Submit((Editing::Setting, form))) => {
                let key = self.items.get(self.selected)?.key.clone();
                let input = form.value("value").to_string();
                return match svc.update_setting(session, &key, &input) {
                    Ok(s) => {
                        self.editor = None;
                        self.reload(svc);
                        Some(Msg::Batch(vec![
                            Msg::Refresh,
                            Msg::info(format!("已保存：{} = {}", s.label, s.display_value())),
                        ]))
                    }
                    Err(e) => form.place_error(&e),
                };
            }
            Some(Step::Done(m)) => return m,
            None => {}
        }
        let n = self.items.len();
        match action? {
            a if list::is_move(a) => list::step(&mut self.selected, n, self.offset.page(), a),
            Action::Back => return Some(Msg::Pop),
            Action::EditSetting => {
                if !session.can_edit_settings() {
                    return Some(text::chief_only(session, "修改设置"));
                }
                let s = self.current()?;
                let start = match s.kind {
                    SettingKind::Bool | SettingKind::Choice => s.display_value(),
                    _ => s.value.clone(),
                };
                let hint = match s.kind {
                    SettingKind::Bool => "填 是 或 否",
                    SettingKind::Choice => "填选项名称",
                    SettingKind::Money => "金额，到分",
                    _ => "",
                };
                self.editor = Some((
                    Editing::Setting,
                    Form::new(vec![
                        TextField::new("value", "新值")
                            .max(200)
                            .with_value(&start)
                            .hint(hint),
                    ]),
                ));
            }
            Action::OpenHandover => {
                return Some(Msg::push(super::handover::HandoverView::load(svc)));
            }
            Action::EditStation => {
                if !session.can_edit_settings() {
                    return Some(crate::ui::text::chief_only(session, "修改供电所资料"));
                }
                let st = match svc.station() {
                    Ok(Some(st)) => st,
                    Ok(None) => return None,
                    Err(e) => return Some(Msg::error(e.message())),
                };
                self.editor = Some((
                    Editing::Station,
                    Form::new(vec![
                        TextField::new("name", "供电所名称")
                            .required()
                            .max(30)
                            .printed()
                            .with_value(&st.name)
                            .hint("印在所有单据上"),
                        TextField::new("code", "供电所编码")
                            .required()
                            .max(16)
                            .with_value(&st.code)
                            .hint("新工单编号用它开头；已有编号不变"),
                        TextField::new("phone", "服务电话")
                            .max(20)
                            .with_value(&st.phone),
                        TextField::new("address", "地址")
                            .max(60)
                            .printed()
                            .with_value(&st.address),
                    ])
                    .with_fonts(svc.fonts().ok()),
                ));
            }
            Action::ResetDefault => {
                if !session.can_edit_settings() {
                    return Some(text::chief_only(session, "修改设置"));
                }
                let s = self.current()?;
                if s.value == s.default_value {
                    return Some(Msg::warn("已是默认值"));
                }
                return Some(Msg::Confirm(Confirm {
                    title: "恢复默认值".into(),
                    lines: vec![format!(
                        "将“{}”由 {} 恢复为默认值 {}？",
                        s.label,
                        s.display_value(),
                        s.display_default()
                    )],
                    on_yes: Op::new(ResetSetting { key: s.key.clone() }),
                }));
            }
            Action::PrintTestPage => {
                return Some(match svc.print_test_page(session) {
                    Ok(out) => Msg::info(format!(
                        "测试页已生成：{}{}",
                        out.path.display(),
                        out.sent_to
                            .map(|p| format!("，已送打印机 {p}"))
                            .unwrap_or_default()
                    )),
                    Err(e) => Msg::error(e.message()),
                });
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, session: &Session) -> Option<Position> {
        let [table_area, detail] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(4)]).areas(area);
        let rows_h = table_area.height.saturating_sub(1) as usize;
        let rows = crate::ui::widgets::chrome::selectable_rows(
            &self.items,
            self.selected,
            &self.offset,
            rows_h,
            |s| {
                vec![
                    s.group.clone(),
                    s.label.clone(),
                    s.display_value(),
                    s.display_default(),
                    if s.value != s.default_value {
                        "已改"
                    } else {
                        ""
                    }
                    .to_string(),
                ]
            },
        );
        let header =
            Row::new(vec![" 分组", "项目", "当前值", "默认值", "标记"]).style(theme::heading());
        Table::new(
            rows,
            [
                Constraint::Length(11),
                Constraint::Min(20),
                Constraint::Length(16),
                Constraint::Length(14),
                Constraint::Length(4),
            ],
        )
        .header(header)
        .render(table_area, buf);

        let mut info = Vec::new();
        if let Some(s) = self.current() {
            let range = match (&s.min, &s.max) {
                (Some(a), Some(b)) => format!("  范围 {a}–{b} {}", s.unit),
                _ => String::new(),
            };
            info.push(Line::from(format!(
                "{}：{}{range}",
                s.label,
                if s.help.is_empty() { "—" } else { &s.help }
            )));
        }
        if !session.can_edit_settings() {
            info.push(Line::from(Span::styled(
                if session.can_write() {
                    text::READ_ONLY_SETTINGS
                } else {
                    text::AUDITOR_READ_ONLY
                },
                theme::dim(),
            )));
        }
        if let Some(e) = &self.error {
            info.push(Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            )));
        }
        Paragraph::new(info)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::TOP))
            .render(detail, buf);

        let (editing, form) = self.editor.as_ref()?;
        if *editing == Editing::Station {
            return crate::ui::widgets::chrome::form_popup_w(area, buf, 70, " 供电所资料 ", form);
        }
        let s = self.current()?;
        let r = centered(area, 70, 10);
        crate::ui::widgets::chrome::clear_popup(r, buf);
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Line::from(format!(" 修改：{} ", s.label)).centered());
        let inner = block.inner(r).inner(Margin::new(1, 0));
        block.render(r, buf);
        Paragraph::new(vec![
            Line::from(format!(
                "当前值：{}    默认值：{}",
                s.display_value(),
                s.display_default()
            )),
            Line::from(Span::styled(s.help.clone(), theme::dim())),
        ])
        .render(Rect { height: 2, ..inner }, buf);
        form.render(Rect::new(inner.x, inner.y + 3, inner.width, 2), buf)
    }

    fn refresh(&mut self, svc: &Service) {
        SettingsView::reload(self, svc);
    }

    fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        let ResetSetting { key } = op.get()?;
        Some(Msg::outcome(svc.reset_setting(session, key).map(|s| {
            format!("已将“{}”恢复为默认值 {}", s.label, s.display_value())
        })))
    }
}

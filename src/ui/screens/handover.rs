//! 系统设置 · 数据交接: the bundles for the provincial system (issue 17,
//! `docs/handover.md`). Everyone sees the list — pending or confirmed, the records each
//! holds; the chief writes the next bundle into the hand-over folder (`X`) and confirms the
//! selected one once the county has taken it (`C`). The same acts are on the command line
//! (`stationdesk export`), which is the better place for a large first bundle: the screen
//! waits while it is written.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row, Table, Widget, Wrap};

use crate::domain::handover::BundleState;
use crate::service::handover::ExportOutcome;
use crate::service::{Service, Session};
use crate::store::handover::BundleRow;
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::{Op, Screen};
use crate::ui::theme;
use crate::ui::widgets::chrome::selectable_rows;
use crate::ui::widgets::list;

pub struct HandoverView {
    list: Vec<BundleRow>,
    unbundled: i64,
    folder: String,
    selected: usize,
    offset: list::Scroll,
    error: Option<String>,
}

/// The confirmation asked for, by bundle id.
struct ConfirmOp(String);

impl HandoverView {
    pub fn load(svc: &Service) -> HandoverView {
        let mut v = HandoverView {
            list: Vec::new(),
            unbundled: 0,
            folder: String::new(),
            selected: 0,
            offset: list::Scroll::default(),
            error: None,
        };
        v.reload(svc);
        v
    }

    fn reload(&mut self, svc: &Service) {
        let read = || -> crate::service::ServiceResult<(Vec<BundleRow>, i64, String)> {
            Ok((
                svc.bundles()?,
                svc.unbundled_records()?,
                svc.handover_folder()?.display().to_string(),
            ))
        };
        match read() {
            Ok((l, n, f)) => {
                self.list = l;
                self.unbundled = n;
                self.folder = f;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.list.len().saturating_sub(1));
    }

    fn export(&mut self, svc: &mut Service, session: &Session) -> Msg {
        let folder = match svc.handover_folder() {
            Ok(f) => f,
            Err(e) => return Msg::error(e.message()),
        };
        let done = svc.export_bundle(Some(session), &folder);
        self.reload(svc);
        match done {
            Ok(ExportOutcome::Empty { .. }) => {
                Msg::info("自上次确认的交接包以来没有新的改动，没有写出交接包")
            }
            Ok(ExportOutcome::Written(r)) => Msg::info(format!(
                "{}交接包 {}（{} 条记录）到 {}；县公司接收后按 {} 确认",
                if r.again {
                    "已重新写出"
                } else {
                    "已写出"
                },
                r.bundle_id,
                r.records,
                r.dir.display(),
                keymap::key_label(Context::Handover, Action::ConfirmBundle)
            )),
            Err(e) => Msg::error(e.message()),
        }
    }
}

fn counts_text(b: &BundleRow) -> String {
    let Some(c) = b
        .counts
        .as_deref()
        .and_then(|t| serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(t).ok())
    else {
        return "尚未完整写出".into();
    };
    let mut parts: Vec<(i64, String)> = c
        .iter()
        .map(|(k, v)| {
            let label = crate::store::outbox::entity(k)
                .map(|e| e.label())
                .unwrap_or(k.as_str());
            (v.as_i64().unwrap_or(0), label.to_string())
        })
        .collect();
    parts.sort_by_key(|p| std::cmp::Reverse(p.0));
    parts
        .iter()
        .take(4)
        .map(|(n, l)| format!("{l}{n}"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Screen for HandoverView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_HANDOVER
    }

    fn context(&self) -> Context {
        Context::Handover
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        _ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        let n = self.list.len();
        match action? {
            a if list::is_move(a) => list::step(&mut self.selected, n, self.offset.page(), a),
            Action::Back => return Some(Msg::Pop),
            Action::ExportBundle => {
                if !session.is_chief() {
                    return Some(crate::ui::text::chief_only(session, "导出交接包"));
                }
                return Some(self.export(svc, session));
            }
            Action::ConfirmBundle => {
                if !session.is_chief() {
                    return Some(crate::ui::text::chief_only(session, "确认交接包"));
                }
                let b = self.list.get(self.selected)?;
                if b.state == BundleState::Confirmed {
                    return Some(Msg::info(format!(
                        "交接包 {} 已于 {} 确认",
                        b.bundle_id,
                        b.confirmed_at.as_deref().unwrap_or("")
                    )));
                }
                return Some(Msg::Confirm(Confirm::new(
                    "确认县公司已接收交接包",
                    vec![
                        format!(
                            "交接包 {}：交接记录第 {}–{} 条，共 {} 条",
                            b.bundle_id,
                            b.seq_from,
                            b.seq_to,
                            b.records()
                        ),
                        "确认后下一个交接包从它之后开始；县公司未接收的不要确认".into(),
                    ],
                    ConfirmOp(b.bundle_id.clone()),
                )));
            }
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, body] =
            Layout::vertical([Constraint::Length(3), Constraint::Min(2)]).areas(area);
        let pending = self
            .list
            .iter()
            .find(|b| b.state == BundleState::Pending)
            .map(|b| format!("；待确认：{}", b.bundle_id))
            .unwrap_or_default();
        Paragraph::new(vec![
            Line::from(format!(
                " 尚未打包的交接记录 {} 条{pending}",
                self.unbundled
            )),
            Line::from(format!(" 交接包文件夹：{}", self.folder)),
        ])
        .wrap(Wrap { trim: false })
        .render(head, buf);
        if self.list.is_empty() {
            let msg = self.error.clone().unwrap_or_else(|| "还没有交接包".into());
            Line::from(format!(" {msg}")).render(body, buf);
            return None;
        }
        let h = usize::from(body.height.saturating_sub(1));
        let rows: Vec<Row> = selectable_rows(&self.list, self.selected, &self.offset, h, |b| {
            vec![
                format!(" {}", b.bundle_id),
                b.state.label().to_string(),
                b.records().to_string(),
                b.created_at.get(..16).unwrap_or(&b.created_at).to_string(),
                counts_text(b),
            ]
        });
        Table::new(
            rows,
            [
                Constraint::Length(13),
                Constraint::Length(7),
                Constraint::Length(9),
                Constraint::Length(17),
                Constraint::Min(20),
            ],
        )
        .header(
            Row::new(vec![" 交接包", "状态", "记录数", "生成时间", "主要内容"])
                .style(theme::heading()),
        )
        .render(body, buf);
        None
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }

    fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        let ConfirmOp(id) = op.get()?;
        let done = svc.confirm_bundle(Some(session), id);
        self.reload(svc);
        Some(Msg::outcome(done.map(|d| d.describe())))
    }
}

//! 计量装置: the meter assets by status (库存, 在运, 拆回, 待检, 报废), with the stock counted by
//! type and class; receiving into stock (a range of numbers or the supplier's file), finding a
//! meter by its asset number (typed or scanned), sending for verification, taking back,
//! scrapping and the chief's batch extension.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, Widget};

use crate::domain::meter::{MeterKind, MeterStatus};
use crate::service::meters::ReceiveInput;
use crate::service::{Service, Session};
use crate::store::meters::MeterRow;
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::{Op, Screen};
use crate::ui::theme;
use crate::ui::widgets::chrome::selectable_rows;
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list::{self, Scroll};
use crate::ui::widgets::modal::{self, Step};

use super::meter_text::{bad_lines, detail, receive_form};

/// Rows read for one tab (from the asset number found, or the first).
pub const PAGE_ROWS: usize = 1000;

/// The tabs, in order.
const TABS: [MeterStatus; 5] = [
    MeterStatus::Stock,
    MeterStatus::InService,
    MeterStatus::Removed,
    MeterStatus::Testing,
    MeterStatus::Scrapped,
];

/// What the open form is for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Pending {
    Receive,
    Import,
    Find,
    /// a status change of the meter (id, asset number) to the status
    Status(i64, String, MeterStatus),
    Extend,
}

/// The confirmed scrapping of a meter.
#[derive(Debug)]
pub struct ScrapOp {
    id: i64,
    reason: String,
}

pub struct MetersView {
    tab: MeterStatus,
    summary: Vec<(
        MeterStatus,
        MeterKind,
        crate::domain::meter::AccuracyClass,
        i64,
    )>,
    rows: Vec<MeterRow>,
    /// the list starts at this asset number
    from: String,
    selected: usize,
    offset: Scroll,
    today: NaiveDate,
    form: Option<(Pending, Form)>,
    error: Option<String>,
}

impl MetersView {
    pub fn load(svc: &Service) -> MetersView {
        let mut v = MetersView {
            tab: MeterStatus::Stock,
            summary: Vec::new(),
            rows: Vec::new(),
            from: String::new(),
            selected: 0,
            offset: Scroll::default(),
            today: svc.now().date(),
            form: None,
            error: None,
        };
        v.reload(svc);
        v
    }

    fn reload(&mut self, svc: &Service) {
        self.today = svc.now().date();
        let read = svc
            .meter_summary()
            .and_then(|s| Ok((s, svc.meters_with_status(self.tab, &self.from, PAGE_ROWS)?)));
        match read {
            Ok((s, rows)) => {
                self.summary = s;
                self.rows = rows;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    fn count(&self, status: MeterStatus) -> i64 {
        self.summary
            .iter()
            .filter(|(s, ..)| *s == status)
            .map(|(.., n)| n)
            .sum()
    }

    fn current(&self) -> Option<&MeterRow> {
        self.rows.get(self.selected)
    }

    fn switch(&mut self, svc: &Service, tab: MeterStatus) {
        self.tab = tab;
        self.from.clear();
        self.selected = 0;
        self.offset = Scroll::default();
        self.reload(svc);
    }

    fn submit(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let (pending, form) = self.form.as_mut()?;
        form.clear_errors();
        let pending = pending.clone();
        match pending {
            Pending::Receive => {
                let input = ReceiveInput {
                    first: form.value("first").into(),
                    last: form.value("last").into(),
                    kind: form.value("kind").into(),
                    accuracy: form.value("accuracy").into(),
                    maker: form.value("maker").into(),
                    batch: form.value("batch").into(),
                    digits: form.value("digits").into(),
                    ct_ratio: form.value("ct_ratio").into(),
                    pt_ratio: form.value("pt_ratio").into(),
                    multiplier: form.value("multiplier").into(),
                    produced_on: form.value("produced_on").into(),
                    verified_on: form.value("verified_on").into(),
                    valid_until: form.value("valid_until").into(),
                };
                match svc.receive_meters(session, &input) {
                    Ok(n) => {
                        self.form = None;
                        self.switch(svc, MeterStatus::Stock);
                        Some(Msg::Batch(vec![
                            Msg::Refresh,
                            Msg::info(format!("已入库 {n} 只")),
                        ]))
                    }
                    Err(e) => form.place_error(&e),
                }
            }
            Pending::Import => match svc.import_meters_file(session, form.value("path")) {
                Ok(Ok(n)) => {
                    self.form = None;
                    self.switch(svc, MeterStatus::Stock);
                    Some(Msg::info(format!("已从文件入库 {n} 只")))
                }
                Ok(Err(lines)) => Some(bad_lines(&lines)),
                Err(e) => form.place_error(&e),
            },
            Pending::Find => {
                let typed = form.value("asset_no").to_string();
                match svc.meter_by_asset_no(&typed) {
                    Ok(Some(m)) => {
                        self.form = None;
                        self.tab = m.status;
                        self.from = m.asset_no.clone();
                        self.selected = 0;
                        self.offset = Scroll::default();
                        self.reload(svc);
                        Some(detail(svc, &m, self.today))
                    }
                    Ok(None) => {
                        let msg = match crate::domain::meter::asset_no(&typed) {
                            Err(m) => m,
                            Ok(n) => format!("资产编号 {n} 不在册"),
                        };
                        form.set_error("asset_no", msg);
                        None
                    }
                    Err(e) => form.place_error(&e),
                }
            }
            Pending::Status(id, asset, to) => {
                let reason = form.value("reason").trim().to_string();
                if to == MeterStatus::Scrapped {
                    if reason.is_empty() {
                        form.set_error("reason", "请写明原因".into());
                        return None;
                    }
                    return Some(Msg::Confirm(Confirm::new(
                        "报废表计",
                        vec![
                            format!("资产编号：{asset}"),
                            format!("原因：{reason}"),
                            "报废后不能再使用，也不能撤销。".into(),
                        ],
                        ScrapOp { id, reason },
                    )));
                }
                match svc.change_meter_status(session, id, to, &reason) {
                    Ok(()) => {
                        self.form = None;
                        self.reload(svc);
                        Some(Msg::info(format!("{asset} 已改为“{}”", to.label())))
                    }
                    Err(e) => form.place_error(&e),
                }
            }
            Pending::Extend => {
                let maker = form.value("maker").trim().to_string();
                let batch = form.value("batch").trim().to_string();
                let year = form.value("year").trim().to_string();
                let produced_year = if year.is_empty() {
                    None
                } else {
                    match crate::domain::validate::whole_number(&year, 1990, 2100) {
                        Ok(y) => Some(y as i32),
                        Err(m) => {
                            form.set_error("year", m);
                            return None;
                        }
                    }
                };
                let maker_batch = (!maker.is_empty()).then_some((maker.as_str(), batch.as_str()));
                match svc.extend_meter_batch(
                    session,
                    maker_batch,
                    produced_year,
                    form.value("years"),
                    form.value("doc_no"),
                ) {
                    Ok(n) => {
                        self.form = None;
                        self.reload(svc);
                        Some(Msg::info(format!("已延长 {n} 只表计的检定有效期")))
                    }
                    Err(e) => form.place_error(&e),
                }
            }
        }
    }
}

impl Screen for MetersView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_METERS
    }

    fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::Meters
        }
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match modal::step(&mut self.form, ev, action, "未保存") {
            Some(Step::Submit(_)) => return self.submit(svc, session),
            Some(Step::Done(m)) => return m,
            None => {}
        }
        let n = self.rows.len();
        let a = action?;
        let write_refused = || Msg::warn(crate::ui::text::AUDITOR_READ_ONLY);
        match a {
            a if list::is_move(a) => list::step(&mut self.selected, n, self.offset.page(), a),
            Action::Back => return Some(Msg::Pop),
            Action::OpenRotation => {
                return Some(Msg::push(super::rotation::RotationView::load(svc)));
            }
            Action::OpenChecks => {
                return Some(Msg::push(super::meter_checks::ChecksView::load(svc)));
            }
            Action::PrevTab | Action::NextTab => {
                let i = TABS.iter().position(|t| *t == self.tab).unwrap_or(0);
                let next = if a == Action::NextTab {
                    (i + 1) % TABS.len()
                } else {
                    (i + TABS.len() - 1) % TABS.len()
                };
                self.switch(svc, TABS[next]);
            }
            Action::Open => {
                let m = self.current()?.clone();
                return Some(detail(svc, &m, self.today));
            }
            Action::FindMeter => {
                self.form = Some((
                    Pending::Find,
                    Form::new(vec![
                        TextField::new("asset_no", "资产编号")
                            .required()
                            .max(40)
                            .hint("输入，或用扫码枪扫表上的条码"),
                    ]),
                ));
            }
            Action::ReceiveMeters
            | Action::ImportMeters
            | Action::SendForTest
            | Action::TestPassed
            | Action::ScrapMeter
                if !session.can_write() =>
            {
                return Some(write_refused());
            }
            Action::ExtendBatch if !session.can_write() => return Some(write_refused()),
            Action::ExtendBatch if !session.is_chief() => {
                return Some(Msg::warn("只有所长可以批量延长检定有效期"));
            }
            Action::ReceiveMeters => self.form = Some((Pending::Receive, receive_form())),
            Action::ImportMeters => {
                self.form = Some((
                    Pending::Import,
                    Form::new(vec![
                        TextField::new("path", "文件路径")
                            .required()
                            .max(260)
                            .hint(format!(
                                "UTF-8 的 CSV，第一行列名：{}",
                                crate::service::meters::CSV_COLUMNS.join(",")
                            )),
                    ]),
                ));
            }
            Action::SendForTest | Action::TestPassed | Action::ScrapMeter => {
                let m = self.current()?;
                let (to, label, hint) = match a {
                    Action::SendForTest => {
                        (MeterStatus::Testing, "送检原因", "如 拆回表送检、新表抽检")
                    }
                    Action::TestPassed => (MeterStatus::Stock, "检定结论", "如 检定合格，证书号 …"),
                    _ => (MeterStatus::Scrapped, "报废原因", "如 检定不合格、外壳损坏"),
                };
                if let Err(e) = m.status.check_go(to) {
                    return Some(Msg::warn(e));
                }
                self.form = Some((
                    Pending::Status(m.id, m.asset_no.clone(), to),
                    Form::new(vec![
                        TextField::new("reason", label)
                            .required()
                            .max(100)
                            .hint(hint),
                    ]),
                ));
            }
            Action::ExtendBatch => {
                let (maker, batch) = self
                    .current()
                    .map(|m| (m.maker.clone(), m.batch.clone()))
                    .unwrap_or_default();
                self.form = Some((
                    Pending::Extend,
                    Form::new(vec![
                        TextField::new("maker", "厂家")
                            .max(30)
                            .with_value(&maker)
                            .hint("按厂家+批次；或清空后按生产年份"),
                        TextField::new("batch", "批次").max(30).with_value(&batch),
                        TextField::new("year", "生产年份")
                            .max(4)
                            .hint("如 2018：该年生产的全部表计"),
                        TextField::new("years", "延长年数")
                            .required()
                            .max(2)
                            .hint("1–10 年"),
                        TextField::new("doc_no", "批准文件号")
                            .required()
                            .max(60)
                            .hint("计量监督部门的文件号"),
                    ]),
                ));
            }
            _ => {}
        }
        None
    }

    fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        let ScrapOp { id, reason } = op.get()?;
        match svc.change_meter_status(session, *id, MeterStatus::Scrapped, reason) {
            Ok(()) => {
                self.form = None;
                self.reload(svc);
                Some(Msg::info("已报废"))
            }
            Err(e) => match self.form.as_mut() {
                Some((_, form)) => form.place_error(&e),
                None => Some(Msg::error(e.message())),
            },
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [tabs, stock, list_area, note] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(2),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);
        // the tabs: the current one marked in words and reversed, never by colour alone
        let mut spans = vec![Span::raw(" ")];
        for t in TABS {
            let text = format!(" {} {} ", t.label(), self.count(t));
            if t == self.tab {
                spans.push(Span::styled(
                    format!("[{}]", text.trim()),
                    theme::selected(),
                ));
            } else {
                spans.push(Span::raw(text));
            }
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(
            format!(
                "（{}/{} 切换）",
                keymap::key_label(Context::Meters, Action::PrevTab),
                keymap::key_label(Context::Meters, Action::NextTab)
            ),
            theme::dim(),
        ));
        Line::from(spans).render(tabs, buf);
        // what this status holds, by type and class
        let mut by_kind: Vec<String> = self
            .summary
            .iter()
            .filter(|(s, ..)| *s == self.tab)
            .map(|(_, k, c, n)| format!("{}·{} {n} 只", k.label(), c.label()))
            .collect();
        if by_kind.is_empty() {
            by_kind.push("无".into());
        }
        Paragraph::new(format!(" {}：{}", self.tab.label(), by_kind.join("，")))
            .wrap(ratatui::widgets::Wrap { trim: true })
            .render(stock, buf);

        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(list_area, buf);
        } else if self.rows.is_empty() {
            Line::from(Span::styled(
                format!(" 没有“{}”的表计", self.tab.label()),
                theme::dim(),
            ))
            .render(list_area, buf);
        } else {
            let h = usize::from(list_area.height.saturating_sub(1));
            let today = self.today;
            let rows = selectable_rows(&self.rows, self.selected, &self.offset, h, |m| {
                vec![
                    m.asset_no.clone(),
                    m.kind.label().trim_end_matches('表').to_string(),
                    m.accuracy.code().to_string(),
                    m.maker.clone(),
                    m.multiplier.to_string(),
                    format!(
                        "{}{}",
                        m.valid_until,
                        if crate::domain::meter::expired(m.valid_until, today) {
                            " 过期"
                        } else {
                            ""
                        }
                    ),
                    match (&m.account_no, &m.customer_name) {
                        (Some(a), Some(n)) => format!("{a} {n}"),
                        _ => m.batch.clone(),
                    },
                ]
            });
            let last = if self.tab == MeterStatus::InService {
                "户号 户名"
            } else {
                "批次"
            };
            let widths = crate::ui::widgets::chrome::columns(
                list_area.width,
                &[(15, 0), (12, 0), (4, 0), (6, 1), (4, 0), (15, 0), (10, 3)],
            );
            Table::new(rows, widths)
                .header(
                    Row::new(vec![
                        " 资产编号",
                        "类型",
                        "等级",
                        "厂家",
                        "倍率",
                        "有效期至",
                        last,
                    ])
                    .style(theme::heading()),
                )
                .render(list_area, buf);
        }
        let shown = if self.rows.len() >= PAGE_ROWS {
            format!(
                " 显示 {} 起的 {} 只；按 {} 按编号查找",
                self.rows.first().map_or("", |m| m.asset_no.as_str()),
                self.rows.len(),
                keymap::key_label(Context::Meters, Action::FindMeter)
            )
        } else if !self.from.is_empty() {
            format!(" 从 {} 起", self.from)
        } else {
            String::new()
        };
        Line::from(Span::styled(shown, theme::dim())).render(note, buf);

        let (pending, form) = self.form.as_ref()?;
        let title = match pending {
            Pending::Receive => " 入库（起止编号） ",
            Pending::Import => " 导入供应商文件 ",
            Pending::Find => " 查找表计 ",
            Pending::Status(_, _, MeterStatus::Testing) => " 送检 ",
            Pending::Status(_, _, MeterStatus::Stock) => " 检定合格入库 ",
            Pending::Status(..) => " 报废 ",
            Pending::Extend => " 批量延长检定有效期（所长） ",
        };
        crate::ui::widgets::chrome::form_popup_w(area, buf, 76, title, form)
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }
}

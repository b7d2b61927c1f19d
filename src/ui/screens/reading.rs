//! 抄表核算: the reading books of a month, one line per 台区 with its reader, reading day and
//! progress (read, estimated, missed, computed, released). From here a book is read
//! (`reading_sheet`), computed, reviewed (`bill_review`), released (confirmed once with the
//! count and the amount), a reading file is taken, and the line loss is shown.
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, Widget};

use crate::domain::billing::Period;
use crate::domain::money;
use crate::service::{Service, Session};
use crate::store::readings::BookRow;
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::{Confirm, Msg};
use crate::ui::screen::{Op, Screen};
use crate::ui::theme;
use crate::ui::widgets::chrome::{columns, selectable_rows};
use crate::ui::widgets::field::{Form, TextField};
use crate::ui::widgets::list::{self, Scroll};
use crate::ui::widgets::modal::{self, Step};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FormFor {
    Import,
    SetBook(i64),
}

/// Release a book, once confirmed.
struct ReleaseOp {
    area_id: i64,
    period: Period,
}

pub struct ReadingBooksView {
    period: Period,
    books: Vec<BookRow>,
    selected: usize,
    offset: Scroll,
    form: Option<(FormFor, Form)>,
    error: Option<String>,
}

impl ReadingBooksView {
    pub fn load(svc: &Service) -> ReadingBooksView {
        let mut v = ReadingBooksView {
            period: Period::of(svc.now().date()),
            books: Vec::new(),
            selected: 0,
            offset: Scroll::default(),
            form: None,
            error: None,
        };
        v.reload(svc);
        v
    }

    fn reload(&mut self, svc: &Service) {
        match svc.reading_books(self.period) {
            Ok(b) => {
                self.books = b;
                self.error = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
        self.selected = self.selected.min(self.books.len().saturating_sub(1));
    }

    fn book(&self) -> Option<&BookRow> {
        self.books.get(self.selected)
    }

    fn submit(&mut self, svc: &mut Service, session: &Session) -> Option<Msg> {
        let (what, form) = self.form.as_mut()?;
        form.clear_errors();
        match *what {
            FormFor::Import => match svc.import_readings_file(session, form.value("path")) {
                Ok(Ok(done)) => {
                    self.form = None;
                    self.reload(svc);
                    Some(Msg::info(format!(
                        "已导入示数 {} 条；文件中已有的 {} 条未重复导入",
                        done.added, done.unchanged
                    )))
                }
                Ok(Err(lines)) => {
                    let mut out: Vec<String> = lines
                        .iter()
                        .take(15)
                        .map(|l| format!("第 {} 行：{}", l.line, l.message))
                        .collect();
                    if lines.len() > 15 {
                        out.push(format!("……共 {} 行有误", lines.len()));
                    }
                    out.push("文件有误，一条也没有导入；改正后再导入".into());
                    Some(Msg::Notice {
                        title: "示数文件有误".into(),
                        lines: out,
                    })
                }
                Err(e) => form.place_error(&e),
            },
            FormFor::SetBook(area_id) => {
                match svc.set_reading_book(
                    session,
                    area_id,
                    form.value("reader"),
                    form.value("reading_day"),
                ) {
                    Ok(()) => {
                        self.form = None;
                        self.reload(svc);
                        Some(Msg::info("抄表册已保存"))
                    }
                    Err(e) => form.place_error(&e),
                }
            }
        }
    }

    fn release(&self, svc: &Service, session: &Session) -> Option<Msg> {
        if !session.can_write() {
            return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
        }
        let b = self.book()?;
        match svc.release_preview(b.area_id, self.period) {
            Ok((0, _, held)) => Some(Msg::warn(if held > 0 {
                format!("{} 没有可发行的账单：{held} 户待复核", b.area_name)
            } else {
                format!("{} 没有可发行的账单：请先录入示数并核算", b.area_name)
            })),
            Ok((n, amount, held)) => Some(Msg::Confirm(Confirm::new(
                "发行账单",
                vec![
                    format!(
                        "发行 {} {} {} 的账单？",
                        b.area_code, b.area_name, self.period
                    ),
                    format!("{n} 户，合计 {} 元", money::format_yuan_grouped(amount)),
                    if held > 0 {
                        format!("另有 {held} 户待复核，不在本次发行之内")
                    } else {
                        "复核原因都已处理".into()
                    },
                    "发行后示数不能再改；账单即可收费".into(),
                ],
                ReleaseOp {
                    area_id: b.area_id,
                    period: self.period,
                },
            ))),
            Err(e) => Some(Msg::error(e.message())),
        }
    }
}

impl Screen for ReadingBooksView {
    fn title(&self) -> &'static str {
        "抄表核算"
    }

    fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else {
            Context::ReadingBooks
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
        match action? {
            a if list::is_move(a) => {
                list::step(&mut self.selected, self.books.len(), self.offset.page(), a)
            }
            Action::Back => return Some(Msg::Pop),
            a @ (Action::PrevMonth | Action::NextMonth) => {
                let latest = Period::of(svc.now().date());
                if list::month_step(&mut self.period, a, latest) != Some(true) {
                    return Some(Msg::warn("不能查看以后的月份"));
                }
                self.reload(svc);
            }
            Action::Open => {
                let b = self.book()?.clone();
                return Some(Msg::push(super::reading_sheet::ReadingSheetView::load(
                    svc,
                    &b,
                    self.period,
                )));
            }
            Action::OpenReview => {
                let b = self.book()?.clone();
                return Some(Msg::push(super::bill_review::ReviewView::load(
                    svc,
                    &b,
                    self.period,
                )));
            }
            Action::OpenReadingLog => {
                return Some(Msg::push(super::reading_log::ReadingLogView::load(svc)));
            }
            Action::OpenSpotChecks => {
                return Some(Msg::push(super::spot_checks::SpotChecksView::load(svc)));
            }
            Action::OpenCollectionRate => {
                return Some(Msg::push(super::collection_rate::CollectionRateView::load(
                    svc,
                )));
            }
            Action::OpenCollection => {
                return Some(Msg::push(super::collection::CollectionView::load(svc)));
            }
            Action::OpenLineLoss => {
                // a month's loss needs its bills: this month's are not out yet
                let last = Period::of(svc.now().date()).prev();
                return Some(Msg::push(super::line_loss::LineLossView::load(
                    svc,
                    self.period.min(last),
                )));
            }
            Action::ComputeBills | Action::ImportReadings | Action::SetBook
                if !session.can_write() =>
            {
                return Some(Msg::warn(crate::ui::text::AUDITOR_READ_ONLY));
            }
            Action::ComputeBills => {
                let b = self.book()?.clone();
                let r = svc.compute_bills(session, self.period, Some(b.area_id));
                self.reload(svc);
                return Some(match r {
                    Ok(c) => {
                        let mut s = format!(
                            "{} 核算 {} 户，其中待复核 {} 户；未变 {} 户，已发行 {} 户，漏抄 {} 户",
                            b.area_name, c.computed, c.flagged, c.unchanged, c.released, c.missed
                        );
                        if !c.failed.is_empty() {
                            s.push_str(&format!(
                                "；{} 户无法核算：{}",
                                c.failed.len(),
                                c.failed[0].1
                            ));
                            return Some(Msg::warn(s));
                        }
                        Msg::info(s)
                    }
                    Err(e) => Msg::error(e.message()),
                });
            }
            Action::ReleaseBook => return self.release(svc, session),
            Action::ImportReadings => {
                self.form = Some((
                    FormFor::Import,
                    Form::new(vec![
                        TextField::new("path", "文件路径")
                            .required()
                            .max(260)
                            .hint("UTF-8 CSV：资产编号,抄表日期,抄表类型,示数,原因"),
                    ]),
                ));
            }
            Action::SetBook => {
                let b = self.book()?;
                self.form = Some((
                    FormFor::SetBook(b.area_id),
                    Form::new(vec![
                        TextField::new("reader", "抄表员")
                            .max(20)
                            .hint("用户名；留空为台区经理"),
                        TextField::new("reading_day", "抄表日")
                            .required()
                            .max(2)
                            .proposed(&b.reading_day.unwrap_or(25).to_string())
                            .hint("每月几号抄表，1–28"),
                    ]),
                ));
            }
            Action::TariffCheck => {
                return Some(match svc.tariff_differences(self.period) {
                    Ok(d) if d.is_empty() => Msg::info(format!(
                        "{} 本地核算与省公司导入的账单一致（或没有可比对的账单）",
                        self.period
                    )),
                    Ok(d) => {
                        let mut lines: Vec<String> = d
                            .iter()
                            .take(15)
                            .map(|x| {
                                format!(
                                    "{} {} 本地 {} kWh {} 元，导入 {} kWh {} 元{}",
                                    x.account_no,
                                    x.name,
                                    x.local_kwh,
                                    money::format_yuan(money::from_fen(x.local_fen)),
                                    x.imported_kwh,
                                    money::format_yuan(money::from_fen(x.imported_fen)),
                                    if x.tariff == x.usage {
                                        String::new()
                                    } else {
                                        format!("（执行{}电价）", x.tariff.label())
                                    }
                                )
                            })
                            .collect();
                        lines.insert(0, format!("共 {} 户不一致：", d.len()));
                        Msg::Notice {
                            title: format!("电价执行检查 {}", self.period),
                            lines,
                        }
                    }
                    Err(e) => Msg::error(e.message()),
                });
            }
            _ => {}
        }
        None
    }

    fn run(&mut self, svc: &mut Service, session: &Session, op: &Op) -> Option<Msg> {
        let ReleaseOp { area_id, period } = op.get()?;
        let r = svc.release_book(session, *area_id, *period);
        self.reload(svc);
        Some(Msg::outcome(r.map(|r| {
            format!(
                "已发行 {} 户（有电费 {} 户，合计 {} 元）；待复核 {} 户",
                r.released,
                r.bills,
                money::format_yuan_grouped(r.amount),
                r.held
            )
        })))
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        let [head, list_area] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
        let read: i64 = self.books.iter().map(|b| b.read).sum();
        let meters: i64 = self.books.iter().map(|b| b.meters).sum();
        Line::from(vec![
            Span::styled(format!(" 抄表册 {}", self.period), theme::heading()),
            Span::raw(format!(" · 已抄 {read} / {meters} 块表")),
        ])
        .render(head, buf);
        if let Some(e) = &self.error {
            Line::from(Span::styled(
                format!("{}{e}", theme::MARK_ERROR),
                theme::error(),
            ))
            .render(list_area, buf);
        } else if self.books.is_empty() {
            Line::from(Span::styled(
                " 还没有台区：先在台区管理中新建台区",
                theme::dim(),
            ))
            .render(list_area, buf);
        } else {
            let h = usize::from(list_area.height.saturating_sub(1));
            let rows = selectable_rows(&self.books, self.selected, &self.offset, h, |b| {
                vec![
                    b.area_code.clone(),
                    b.area_name.clone(),
                    b.reader_name.clone().unwrap_or_else(|| "—".into()),
                    b.reading_day.map_or("—".into(), |d| format!("{d}日")),
                    format!("{}/{}", b.read, b.meters),
                    b.estimated.to_string(),
                    b.missed.to_string(),
                    b.drafts.to_string(),
                    b.released.to_string(),
                ]
            });
            let widths = columns(
                list_area.width,
                &[
                    (7, 0),
                    (8, 3),
                    (6, 1),
                    (6, 0),
                    (13, 0),
                    (4, 0),
                    (4, 0),
                    (6, 0),
                    (6, 0),
                ],
            );
            Table::new(rows, widths)
                .header(
                    Row::new(vec![
                        " 台区",
                        "名称",
                        "抄表员",
                        "抄表日",
                        "已抄/表数",
                        "估抄",
                        "漏抄",
                        "已核算",
                        "已发行",
                    ])
                    .style(theme::heading()),
                )
                .render(list_area, buf);
        }
        let (what, form) = self.form.as_ref()?;
        let title = match what {
            FormFor::Import => " 导入示数文件 ",
            FormFor::SetBook(_) => " 抄表册 ",
        };
        crate::ui::widgets::chrome::form_popup_w(area, buf, 72, title, form)
    }

    fn refresh(&mut self, svc: &Service) {
        self.reload(svc);
    }
}

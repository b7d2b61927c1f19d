//! 营业报表: pick the kind (日报 / 月报), the day or month (←/→) and the format (PDF,
//! Excel, CSV, or all three), then `Enter` writes the files into the print folder like any
//! printout and lists where they went. Every role may (a report changes nothing; it is
//! audited). The figures are gathered only on `Enter`: stepping through months costs
//! nothing.
use std::path::PathBuf;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::export::Format;
use crate::service::reports::{ReportKind, ReportScope};
use crate::service::{Service, Session};
use crate::ui::keymap::{self, Action, Context};
use crate::ui::msg::Msg;
use crate::ui::screen::Screen;
use crate::ui::theme;

/// The formats offered, in the order `F` steps through them.
const CHOICES: [&[Format]; 4] = [
    &[Format::Pdf, Format::Xlsx, Format::Csv],
    &[Format::Pdf],
    &[Format::Xlsx],
    &[Format::Csv],
];

pub struct ReportsView {
    scope: ReportScope,
    today: chrono::NaiveDate,
    choice: usize,
    folder: String,
    /// the files of the last report written
    written: Vec<PathBuf>,
}

fn choice_label(formats: &[Format]) -> String {
    if formats.len() == Format::ALL.len() {
        "三种都要：PDF、Excel（.xlsx）和 CSV".into()
    } else {
        formats
            .iter()
            .map(|f| f.label())
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// What a report holds, for the screen.
fn contents(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Daily => {
            "收费汇总（按付款方式、按收费员）、收款构成、作废与红冲明细、欠费余额、电费回收率（截至当日）、工单与时限、计量装置、投诉报修"
        }
        ReportKind::Monthly => {
            "收费汇总（按付款方式、按收费员）、收款构成、作废与红冲明细、欠费余额、电费回收率（月末与抄表前）、工单与时限、考核（按人员）、计量装置与轮换、抄表核算与线损、投诉报修及时率与回访"
        }
    }
}

impl ReportsView {
    /// Last month's report, all three formats.
    pub fn load(svc: &Service) -> ReportsView {
        let today = svc.now().date();
        ReportsView {
            scope: ReportScope::of(ReportKind::Monthly, today).step(-1),
            today,
            choice: 0,
            folder: svc
                .print_folder()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            written: Vec::new(),
        }
    }

    fn key(a: Action) -> String {
        keymap::key_label(Context::Reports, a)
    }

    /// The kind changed: the day becomes the month's last day (not after today), the month
    /// the day's month.
    fn switch_kind(&mut self) {
        self.scope = match self.scope {
            ReportScope::Day(d) => ReportScope::of(ReportKind::Monthly, d),
            ReportScope::Month(p) => ReportScope::Day(p.last_day().min(self.today)),
        };
    }

    fn step(&mut self, n: i32) -> bool {
        let next = self.scope.step(n);
        if next.from() > self.today {
            return false;
        }
        self.scope = next;
        true
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let hint = |a: Action, what: &str| {
            Span::styled(format!("  （{} {what}）", Self::key(a)), theme::dim())
        };
        let row = |k: &str, v: String, h: Option<Span<'static>>| {
            // keys padded by display width (a Chinese character is two columns)
            let pad = 8usize.saturating_sub(unicode_width::UnicodeWidthStr::width(k));
            let mut spans = vec![
                Span::styled(format!("  {k}{}", " ".repeat(pad)), theme::heading()),
                Span::raw(v),
            ];
            spans.extend(h);
            Line::from(spans)
        };
        let formats = CHOICES[self.choice];
        let mut lines = vec![
            Line::from(vec![
                Span::styled(
                    format!(
                        " 选好种类、期间和格式，按 {} 生成，文件写入打印文件夹",
                        Self::key(Action::WriteReport)
                    ),
                    theme::heading(),
                ),
                Span::styled(
                    format!("（{} 统计图）", Self::key(Action::OpenStats)),
                    theme::dim(),
                ),
            ]),
            Line::default(),
            row(
                "种类",
                self.scope.kind().label().to_string(),
                Some(hint(Action::SwitchReportKind, "日报/月报")),
            ),
            row(
                "期间",
                format!(
                    "{}（{} 至 {}）",
                    self.scope.label(),
                    self.scope.from().format("%Y-%m-%d"),
                    self.scope.to().format("%Y-%m-%d")
                ),
                // the keys that move it are in the footer
                None,
            ),
            row(
                "格式",
                choice_label(formats),
                Some(hint(Action::SwitchReportFormat, "切换")),
            ),
            row("保存到", self.folder.clone(), None),
            Line::default(),
            Line::from(format!("  内容：{}", contents(self.scope.kind()))),
        ];
        if self.scope.to() >= self.today {
            lines.push(Line::from(Span::styled(
                "  ! 本期还没结束，报表为至今的数字".to_string(),
                theme::warn(),
            )));
        }
        if !self.written.is_empty() {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                "  已生成：".to_string(),
                theme::info(),
            )));
            for p in &self.written {
                lines.push(Line::from(format!("    {}", p.display())));
            }
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(area, buf);
    }
}

impl Screen for ReportsView {
    fn title(&self) -> &'static str {
        crate::ui::text::TITLE_REPORTS
    }

    fn context(&self) -> Context {
        Context::Reports
    }

    fn handle(
        &mut self,
        svc: &mut Service,
        session: &mut Session,
        _ev: &KeyEvent,
        action: Option<Action>,
    ) -> Option<Msg> {
        match action? {
            Action::PrevMonth => {
                self.step(-1);
            }
            Action::NextMonth => return (!self.step(1)).then(|| Msg::warn("已是最近一期")),
            Action::SwitchReportKind => self.switch_kind(),
            Action::SwitchReportFormat => self.choice = (self.choice + 1) % CHOICES.len(),
            Action::OpenStats => return Some(Msg::push(super::stats::StatsView::load(svc))),
            Action::WriteReport => {
                return Some(
                    match svc.export_report(session, self.scope, CHOICES[self.choice]) {
                        Ok(files) => {
                            self.written = files.paths.clone();
                            let names: Vec<String> = files
                                .paths
                                .iter()
                                .filter_map(|p| p.file_name())
                                .map(|n| n.to_string_lossy().into_owned())
                                .collect();
                            Msg::info(format!(
                                "{}已生成：{}{}",
                                self.scope.kind().label(),
                                names.join("、"),
                                files
                                    .sent_to
                                    .map(|p| format!("；PDF 已送打印机 {p}"))
                                    .unwrap_or_default()
                            ))
                        }
                        Err(e) => Msg::error(e.message()),
                    },
                );
            }
            Action::Back => return Some(Msg::Pop),
            _ => {}
        }
        None
    }

    fn render(&self, area: Rect, buf: &mut Buffer, _session: &Session) -> Option<Position> {
        ReportsView::render(self, area, buf);
        None
    }

    fn refresh(&mut self, svc: &Service) {
        self.today = svc.now().date();
    }
}

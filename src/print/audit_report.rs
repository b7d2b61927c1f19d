//! The monthly audit report (稽查月度报告), on A4: the conclusion of each audit view over
//! the month, then every finding recorded in the month or still open, with its fix and the
//! auditor's decision, and a line for the auditor's signature.
use chrono::NaiveDateTime;

use super::font::FontSet;
use super::layout::Doc;
use super::style::{Align, TextStyle};
use super::table::{Column, Table};
use super::{Paper, PrintError};

/// The auditor's signature line under the report.
pub const AUDIT_REPORT_SIGNATURE_LINE: &str = "稽查员签字：____________";

/// One finding as printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingLine {
    pub finding_no: String,
    pub category: String,
    pub description: String,
    pub responsible: String,
    pub due_on: String,
    /// `已销号`, `待整改·逾期` …
    pub state: String,
    /// the last fix recorded, or `—`
    pub fix: String,
}

/// Everything the report shows. Pure data, filled in by the service.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditReportView {
    pub station_name: String,
    /// `2026年11月`
    pub month_label: String,
    pub printed_at: NaiveDateTime,
    pub printed_by: String,
    /// (view, its conclusion over the month)
    pub views: Vec<(String, String)>,
    /// `本月登记 3 项，销号 1 项；待整改 2 项（逾期 1 项），待验收 0 项`
    pub findings_summary: String,
    pub findings: Vec<FindingLine>,
}

/// Renders the report on A4 with the given fonts.
pub fn render_audit_report(v: &AuditReportView, fonts: FontSet) -> Result<Vec<u8>, PrintError> {
    let paper = Paper::A4;
    let title = format!("稽查月度报告 {}", v.month_label);
    let mut doc = Doc::with_fonts(paper, &title, fonts);
    let body = paper.body_size();
    let text = TextStyle::new(body);

    doc.paragraph(TextStyle::new(body * 1.6).bold().center(), "稽查月度报告");
    doc.paragraph(TextStyle::new(body * 1.1).center(), &v.station_name);
    doc.space(1.0);
    doc.left_right(
        text,
        &format!("稽查月份：{}", v.month_label),
        &format!(
            "打印：{} {}",
            v.printed_at.format("%Y-%m-%d %H:%M"),
            v.printed_by
        ),
    );
    doc.rule();
    doc.paragraph(text.bold(), "一、稽查视图结论");
    doc.table(&Table {
        columns: vec![
            Column::new("稽查内容", 2.2, Align::Left),
            Column::new("本月结论", 6.0, Align::Left),
        ],
        rows: v
            .views
            .iter()
            .map(|(a, b)| vec![a.clone(), b.clone()])
            .collect(),
        size: body * 0.85,
    });
    doc.space(2.0);
    doc.paragraph(text.bold(), "二、限期整改");
    doc.paragraph(text, &v.findings_summary);
    if v.findings.is_empty() {
        doc.paragraph(text, "本月没有整改事项。");
    } else {
        doc.table(&Table {
            columns: vec![
                Column::new("整改单号", 1.6, Align::Left),
                Column::new("类别", 1.4, Align::Left),
                Column::new("问题", 3.0, Align::Left),
                Column::new("责任", 1.4, Align::Left),
                Column::new("期限", 1.3, Align::Left),
                Column::new("状态", 1.3, Align::Left),
                Column::new("整改情况", 2.6, Align::Left),
            ],
            rows: v
                .findings
                .iter()
                .map(|f| {
                    vec![
                        f.finding_no.clone(),
                        f.category.clone(),
                        f.description.clone(),
                        f.responsible.clone(),
                        f.due_on.clone(),
                        f.state.clone(),
                        f.fix.clone(),
                    ]
                })
                .collect(),
            size: body * 0.8,
        });
    }
    doc.ensure_space(3.0 * super::layout::line_height_mm(body));
    doc.space(super::layout::line_height_mm(body));
    doc.left_right(text, AUDIT_REPORT_SIGNATURE_LINE, "日期：____________");
    doc.finish()
}

//! The monthly summary per person: on the screen, printed (PDF, A4) and exported (CSV for
//! Excel). Printing and exporting are read-only for the business data (auditors may), and
//! each is recorded in the audit trail with the file written.
use std::path::PathBuf;

use super::{EntryFilter, Service, ServiceResult, Session};
use crate::domain::assessment::{Month, PersonSummary, SummaryItem, summarize};
use crate::domain::money::format_yuan;
use crate::domain::role::Need;
use crate::export::csv;
use crate::print::{
    AssessmentDetailLine, AssessmentSummaryView, FolderPrinter, PrintOutcome,
    render_assessment_summary,
};
use crate::service::Cx;
use crate::store::audit::{self, Changes, NewEntry};

/// One month's assessment per person, and the total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthSummary {
    pub month: Month,
    /// in staff order; only people with entries this month
    pub people: Vec<PersonSummary>,
    /// `staff_name` 合计
    pub total: PersonSummary,
}

/// The two files of a CSV export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvExport {
    /// one line per person and the total
    pub summary: PathBuf,
    /// one line per entry
    pub details: PathBuf,
}

fn tally_cells(p: &PersonSummary) -> Vec<String> {
    vec![
        p.pending.count.to_string(),
        format_yuan(p.pending.amount),
        p.confirmed.count.to_string(),
        format_yuan(p.confirmed.amount),
        p.waived.count.to_string(),
        format_yuan(p.waived.amount),
        p.amount_unset.to_string(),
    ]
}

impl Service {
    /// Count and amount of each person's entries of `month`, by state.
    pub fn assessment_summary(&self, month: Month) -> ServiceResult<MonthSummary> {
        let entries = self.assessment_entries(&EntryFilter {
            month: Some(month),
            ..Default::default()
        })?;
        let (people, total) = summarize(entries.iter().map(|e| SummaryItem {
            staff_id: e.staff_id,
            staff_name: &e.staff_name,
            state: e.state,
            amount: e.amount,
            amount_unset: e.amount_unset,
        }));
        Ok(MonthSummary {
            month,
            people,
            total,
        })
    }

    /// The summary as it prints now.
    pub fn assessment_summary_view(
        &self,
        session: &Session,
        month: Month,
    ) -> ServiceResult<AssessmentSummaryView> {
        let station = self.require_station()?;
        let s = self.assessment_summary(month)?;
        let details = self
            .assessment_entries(&EntryFilter {
                month: Some(month),
                ..Default::default()
            })?
            .into_iter()
            .map(|e| AssessmentDetailLine {
                staff_name: e.staff_name.clone(),
                item: e.item.clone(),
                summary: e.summary.clone(),
                state: e.state.label().to_string(),
                amount: e.amount_text(),
                reason: e.reason.clone(),
            })
            .collect();
        Ok(AssessmentSummaryView {
            station_name: station.name,
            month_label: month.label(),
            printed_at: self.now(),
            printed_by: session.display_name.clone(),
            people: s.people,
            total: s.total,
            details,
        })
    }

    fn audit_output(
        &mut self,
        session: &Session,
        action: &str,
        month: Month,
        files: &[&PathBuf],
    ) -> ServiceResult<()> {
        let now = self.now();
        let actor = session.actor();
        let files: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        self.store_mut().write(|tx| -> ServiceResult<()> {
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action,
                    entity: "assessment_month",
                    entity_id: &month.code(),
                    changes: Changes::new().note("files", files),
                },
            )?;
            Ok(())
        })
    }

    /// Print the month's summary (A4 PDF into the print folder, and to the printer when
    /// one is set), audited.
    pub fn print_assessment_summary(
        &mut self,
        session: &Session,
        month: Month,
    ) -> ServiceResult<PrintOutcome> {
        let Cx { session, .. } = self.begin(session, Need::Read)?;
        let view = self.assessment_summary_view(&session, month)?;
        let pdf = render_assessment_summary(&view, self.fonts()?)?;
        let out = self.print(&format!("考核汇总-{}", month.code()), pdf)?;
        self.audit_output(&session, "assessment.print", month, &[&out.path])?;
        Ok(out)
    }

    /// Export the month as two CSV files for Excel (per person, and every entry) into the
    /// print folder, each written completely or not at all; audited.
    pub fn export_assessment_csv(
        &mut self,
        session: &Session,
        month: Month,
    ) -> ServiceResult<CsvExport> {
        let Cx { session, .. } = self.begin(session, Need::Read)?;
        let s = self.assessment_summary(month)?;
        let code = month.code();
        let mut rows: Vec<Vec<String>> = s
            .people
            .iter()
            .chain(std::iter::once(&s.total))
            .map(|p| {
                let mut r = vec![code.clone(), p.staff_name.clone()];
                r.extend(tally_cells(p));
                r
            })
            .collect();
        let summary = csv::document(
            &[
                "月份",
                "人员",
                "待确认件数",
                "待确认金额(元)",
                "已确认件数",
                "已确认金额(元)",
                "免考核件数",
                "免考核金额(元)",
                "金额未设件数",
            ],
            &rows,
        );
        rows = self
            .assessment_entries(&EntryFilter {
                month: Some(month),
                ..Default::default()
            })?
            .into_iter()
            .map(|e| {
                vec![
                    e.id.to_string(),
                    code.clone(),
                    e.staff_name.clone(),
                    e.item.clone(),
                    e.unit.label().to_string(),
                    if e.residential { "居民" } else { "非居民" }.to_string(),
                    e.summary.clone(),
                    e.state.label().to_string(),
                    format_yuan(e.amount),
                    if e.amount_unset { "是" } else { "否" }.to_string(),
                    e.decided_by.clone().unwrap_or_default(),
                    e.decided_at.clone().unwrap_or_default(),
                    e.reason.clone(),
                    e.created_at.clone(),
                ]
            })
            .collect();
        let details = csv::document(
            &[
                "编号",
                "月份",
                "人员",
                "考核项目",
                "单位",
                "客户类别",
                "事由",
                "状态",
                "金额(元)",
                "金额未设",
                "决定人",
                "决定时间",
                "理由",
                "生成时间",
            ],
            &rows,
        );
        let folder = FolderPrinter::new(self.print_folder()?);
        let export = CsvExport {
            summary: folder.write_file(&format!("考核汇总-{code}"), "csv", &summary)?,
            details: folder.write_file(&format!("考核明细-{code}"), "csv", &details)?,
        };
        self.audit_output(
            &session,
            "assessment.export",
            month,
            &[&export.summary, &export.details],
        )?;
        Ok(export)
    }
}

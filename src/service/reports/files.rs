//! Writing a report: gathered once, laid out once, rendered in each format asked for, and
//! written like a printout — into the print folder (the PDF also to the printer when one is
//! set), complete or not at all, never over an existing file — or, for a scheduled run of
//! `stationdesk report`, to the file named on the command line. Each run is one audit
//! entry naming the files.
use std::path::PathBuf;

use chrono::NaiveDateTime;

use super::ReportScope;
use crate::domain::role::Need;
use crate::export::{self, Format, Workbook};
use crate::print::FolderPrinter;
use crate::service::{Service, ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Actor, Changes, NewEntry};

/// The files one run wrote, in the order asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFiles {
    pub paths: Vec<PathBuf>,
    /// the printer the PDF was sent to, if it was
    pub sent_to: Option<String>,
}

/// Who the audit trail names for a report made on the command line.
const CLI_ACTOR: &str = "报表命令";

impl Service {
    /// Refused when the report's first day is after today (nothing has happened yet).
    pub fn check_report_scope(&self, scope: ReportScope) -> ServiceResult<()> {
        let today = self.now().date();
        if scope.from() > today {
            return Err(ServiceError::invalid(
                "scope",
                format!("{} 还没到，不能出报表", scope.label()),
            ));
        }
        Ok(())
    }

    /// The bytes of a workbook in `format` (PDF with the configured fonts).
    pub fn render_workbook(&self, wb: &Workbook, format: Format) -> ServiceResult<Vec<u8>> {
        Ok(match format {
            Format::Pdf => export::pdf::render(wb, self.fonts()?)?,
            Format::Xlsx => export::xlsx::render(wb)?,
            Format::Csv => export::csv::workbook(wb),
        })
    }

    /// Make the report of `scope` and write it in each of `formats` into the print folder
    /// (the PDF also to the system printer when one is set); audited with the files.
    /// Every role may: a report changes nothing.
    pub fn export_report(
        &mut self,
        session: &Session,
        scope: ReportScope,
        formats: &[Format],
    ) -> ServiceResult<ReportFiles> {
        let cx = self.begin(session, Need::Read)?;
        self.check_report_scope(scope)?;
        let wb = self
            .station_report(scope, &cx.session.display_name)?
            .workbook();
        let stem = scope.file_stem();
        let folder = FolderPrinter::new(self.print_folder()?);
        let mut out = ReportFiles {
            paths: Vec::new(),
            sent_to: None,
        };
        for f in formats {
            let bytes = self.render_workbook(&wb, *f)?;
            if *f == Format::Pdf {
                let printed = self.print(&stem, bytes)?;
                out.sent_to = printed.sent_to;
                out.paths.push(printed.path);
            } else {
                out.paths.push(folder.write_file(&stem, f.ext(), &bytes)?);
            }
        }
        self.audit_report(&cx.actor, cx.now, scope, &out.paths)?;
        Ok(out)
    }

    /// `stationdesk report`: make the report of `scope` once and write it to each target —
    /// a format and the file named on the command line (replaced when it exists), or the
    /// print folder when none is named (never to a printer). Waits for the start-up check
    /// first: side by side on two cores, the check reading the whole file and the report's
    /// sums took longer than one after the other. Audited as the report command.
    pub fn write_report_files(
        &mut self,
        scope: ReportScope,
        targets: &[(Format, Option<PathBuf>)],
    ) -> ServiceResult<Vec<PathBuf>> {
        self.store().settle_health(true);
        self.check_report_scope(scope)?;
        let actor = Actor::system(CLI_ACTOR);
        let now = self.now();
        let wb = self.station_report(scope, &actor.user_name)?.workbook();
        let mut paths = Vec::with_capacity(targets.len());
        for (format, out) in targets {
            let bytes = self.render_workbook(&wb, *format)?;
            paths.push(match out {
                Some(p) => crate::print::write_file_at(p, &bytes)?,
                None => FolderPrinter::new(self.print_folder()?).write_file(
                    &scope.file_stem(),
                    format.ext(),
                    &bytes,
                )?,
            });
        }
        self.audit_report(&actor, now, scope, &paths)?;
        Ok(paths)
    }

    fn audit_report(
        &mut self,
        actor: &Actor,
        now: NaiveDateTime,
        scope: ReportScope,
        files: &[PathBuf],
    ) -> ServiceResult<()> {
        let files: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        self.store_mut().write(|tx| -> ServiceResult<()> {
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor,
                    action: "report.export",
                    entity: "station_report",
                    entity_id: &scope.code(),
                    changes: Changes::new()
                        .note("kind", scope.kind().label())
                        .note("files", files),
                },
            )?;
            Ok(())
        })
    }
}

//! Rectification (限期整改, issue 16): the auditor records a finding against a person or a
//! 台区 with a deadline, the person responsible (or the chief) records the fix, the auditor
//! accepts it (销号) or sends it back. Each act is one transaction with its audit entry;
//! the finding and its steps are never edited or deleted (migration 0030's triggers).
use chrono::{Duration, NaiveDate};

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::rectification::{self, FindingCategory, FindingStep};
use crate::domain::role::{Need, Role};
use crate::service::Cx;
use crate::service::orders::line;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::findings::{self, FindingRow, NewFinding, StepRow};

/// A finding as typed by the auditor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingInput {
    pub category: Option<FindingCategory>,
    pub description: String,
    /// the account (用户名) of the person responsible; may be empty when a 台区 is named
    pub staff: String,
    /// the 台区 code; may be empty when a person is named
    pub area: String,
    /// `YYYY-MM-DD`; empty = today + `audit.fix_days`
    pub due_on: String,
}

/// A finding for the screens and the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub row: FindingRow,
    /// past its deadline and still waiting for the fix
    pub overdue: bool,
}

impl Finding {
    /// Who answers for it, in words: `王丽娟`, `王庄1号台区`, or both.
    pub fn responsible(&self) -> String {
        match (&self.row.staff_name, &self.row.area_name) {
            (Some(s), Some(a)) => format!("{s}（{a}）"),
            (Some(s), None) => s.clone(),
            (None, Some(a)) => a.clone(),
            (None, None) => "—".into(),
        }
    }

    /// The state in words, with 逾期 when overdue (never by colour alone).
    pub fn state_text(&self) -> String {
        if self.overdue {
            format!("{}·逾期", self.row.state.label())
        } else {
            self.row.state.label().to_string()
        }
    }
}

/// Which findings to list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// also those recorded earlier and not yet accepted
    pub open_too: bool,
    /// only those of this person (staff id) or of a 台区 they manage
    pub staff_id: Option<i64>,
    pub area_id: Option<i64>,
}

/// Open findings for the home screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FindingCounts {
    /// waiting for the fix (open or sent back)
    pub open: i64,
    /// of those, past their deadline
    pub overdue: i64,
    /// fixes waiting for the auditor
    pub to_accept: i64,
}

impl Service {
    /// Record a finding (the auditor): number, category, what, who answers for it, by when.
    pub fn record_finding(
        &mut self,
        session: &Session,
        input: &FindingInput,
    ) -> ServiceResult<(i64, String)> {
        let Cx {
            now,
            at,
            actor,
            session: me,
        } = self.begin_to(session, Need::Auditor, "登记整改事项")?;
        let category = input
            .category
            .ok_or_else(|| ServiceError::invalid("category", "请选择问题类别"))?;
        let description = line(&input.description, "description", "问题描述", 300)?;
        if description.is_empty() {
            return Err(ServiceError::invalid("description", "请写明发现的问题"));
        }
        let staff_id = if input.staff.trim().is_empty() {
            None
        } else {
            Some(self.active_staff("staff", &input.staff)?)
        };
        let area = if input.area.trim().is_empty() {
            None
        } else {
            Some(
                crate::store::customers::area_by_code(self.store().conn(), input.area.trim())?
                    .ok_or_else(|| {
                        ServiceError::invalid(
                            "area",
                            format!(
                                "没有台区 {}",
                                crate::domain::validate::shown(input.area.trim())
                            ),
                        )
                    })?,
            )
        };
        if staff_id.is_none() && area.is_none() {
            return Err(ServiceError::invalid(
                "staff",
                "请填责任人（账号）或责任台区，至少一项",
            ));
        }
        let today = now.date();
        let due_on = if input.due_on.trim().is_empty() {
            today + Duration::days(self.int_setting("audit.fix_days")?)
        } else {
            let d = NaiveDate::parse_from_str(input.due_on.trim(), "%Y-%m-%d")
                .map_err(|_| ServiceError::invalid("due_on", "整改期限请写成 2026-12-31"))?;
            if d < today {
                return Err(ServiceError::invalid("due_on", "整改期限不能早于今天"));
            }
            d
        };
        let year = chrono::Datelike::year(&today);
        self.store_mut()
            .write(|tx| -> ServiceResult<(i64, String)> {
                let (id, no) = findings::insert_finding(
                    tx,
                    &NewFinding {
                        year,
                        category,
                        description: &description,
                        staff_id,
                        area_id: area.as_ref().map(|a| a.0),
                        due_on,
                        by: me.staff_id,
                        at: &at,
                    },
                )?;
                audit::append(
                    tx,
                    NewEntry {
                        at: now,
                        actor: &actor,
                        action: "finding.create",
                        entity: "finding",
                        entity_id: &no,
                        changes: Changes::new()
                            .created("category", category.code())
                            .created("description", description.clone())
                            .created("staff", input.staff.trim())
                            .created(
                                "area",
                                area.as_ref().map(|a| a.1.clone()).unwrap_or_default(),
                            )
                            .created("due_on", due_on.to_string()),
                    },
                )?;
                Ok((id, no))
            })
    }

    /// Record the fix (整改情况): the person responsible, the manager of the 台区 it names,
    /// or the chief.
    pub fn record_fix(&mut self, session: &Session, id: i64, note: &str) -> ServiceResult<()> {
        let cx = self.begin_to(session, Need::Write, "填报整改情况")?;
        let f = self.finding_row(id)?;
        let me = cx.staff_id();
        let answers = f.staff_id == Some(me)
            || f.area_manager_id == Some(me)
            || cx.session.role == Role::Chief;
        if !answers {
            return Err(ServiceError::Denied(
                "只有责任人、责任台区的台区经理或所长可以填报整改情况".into(),
            ));
        }
        self.step(&cx, f, FindingStep::Fix, note)
    }

    /// The auditor accepts the fix (销号) or sends it back with the reason.
    pub fn decide_fix(
        &mut self,
        session: &Session,
        id: i64,
        accept: bool,
        note: &str,
    ) -> ServiceResult<()> {
        let cx = self.begin_to(session, Need::Auditor, "验收整改")?;
        let f = self.finding_row(id)?;
        let (kind, note) = if accept {
            let n = if note.trim().is_empty() {
                "验收通过"
            } else {
                note
            };
            (FindingStep::Accept, n)
        } else {
            (FindingStep::Return, note)
        };
        self.step(&cx, f, kind, note)
    }

    fn finding_row(&self, id: i64) -> ServiceResult<FindingRow> {
        findings::by_id(self.store().conn(), id)?
            .ok_or_else(|| ServiceError::NotFound("该整改事项".into()))
    }

    fn step(&mut self, cx: &Cx, f: FindingRow, kind: FindingStep, note: &str) -> ServiceResult<()> {
        let note = line(note, "note", "说明", 300)?;
        if note.is_empty() {
            return Err(ServiceError::invalid(
                "note",
                match kind {
                    FindingStep::Fix => "请写明整改情况",
                    _ => "请写明退回原因",
                },
            ));
        }
        let to = rectification::after(f.state, kind).map_err(ServiceError::Refused)?;
        let (now, at, actor, me) = (cx.now, cx.at.clone(), cx.actor.clone(), cx.staff_id());
        self.store_mut().write(|tx| -> ServiceResult<()> {
            // inside the transaction: another window may have moved it meanwhile
            let fresh = findings::by_id(tx, f.id)?
                .ok_or_else(|| ServiceError::NotFound("该整改事项".into()))?;
            if fresh.state != f.state {
                return Err(ServiceError::Refused(format!(
                    "该整改事项已是“{}”，请刷新后再办",
                    fresh.state.label()
                )));
            }
            findings::add_step(tx, f.id, kind, &note, me, &at, to)?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: match kind {
                        FindingStep::Fix => "finding.fix",
                        FindingStep::Accept => "finding.accept",
                        FindingStep::Return => "finding.return",
                    },
                    entity: "finding",
                    entity_id: &f.finding_no,
                    changes: Changes::new()
                        .field("state", f.state.code(), to.code())
                        .note("note", note.clone()),
                },
            )?;
            Ok(())
        })
    }

    /// Findings by the filter, newest first, each marked overdue as of today.
    pub fn findings(&self, filter: &FindingFilter) -> ServiceResult<Vec<Finding>> {
        let today = self.now().date();
        let rows = findings::list(
            self.store().conn(),
            &filter.from.to_string(),
            &filter.to.to_string(),
            filter.open_too,
        )?;
        Ok(rows
            .into_iter()
            .filter(|r| {
                filter
                    .staff_id
                    .is_none_or(|s| r.staff_id == Some(s) || r.area_manager_id == Some(s))
            })
            .filter(|r| filter.area_id.is_none_or(|a| r.area_id == Some(a)))
            .map(|row| Finding {
                overdue: rectification::overdue(row.state, row.due_on, today),
                row,
            })
            .collect())
    }

    /// A finding's steps, oldest first.
    pub fn finding_steps(&self, id: i64) -> ServiceResult<Vec<StepRow>> {
        Ok(findings::steps(self.store().conn(), id)?)
    }

    /// Open and overdue findings, fixes waiting for the auditor (home screen).
    pub fn finding_counts(&self) -> ServiceResult<FindingCounts> {
        let (open, overdue, to_accept) = findings::counts(self.store().conn(), self.now().date())?;
        Ok(FindingCounts {
            open,
            overdue,
            to_accept,
        })
    }
}

impl Service {
    /// The month's audit report as it prints now: each view's conclusion over the month,
    /// then the findings recorded in the month or still open at its end.
    pub fn audit_report_view(
        &self,
        session: &Session,
        month: crate::domain::assessment::Month,
    ) -> ServiceResult<crate::print::AuditReportView> {
        use crate::service::audit_views::{AuditFilter, AuditViewKind};
        let station = self.require_station()?;
        let from = NaiveDate::from_ymd_opt(month.year, month.month, 1)
            .ok_or_else(|| ServiceError::invalid("month", "月份不对"))?;
        let next = month.next();
        let to = NaiveDate::from_ymd_opt(next.year, next.month, 1)
            .map(|d| d - Duration::days(1))
            .ok_or_else(|| ServiceError::invalid("month", "月份不对"))?;
        let filter = AuditFilter {
            staff_id: None,
            from,
            to,
            area_id: None,
        };
        let mut views = Vec::new();
        for kind in AuditViewKind::ALL {
            // every row of the month counted (a month of day ends is recounted in full)
            let t = self.audit_view(kind, &filter, usize::MAX)?;
            views.push((kind.label().to_string(), t.summary));
        }
        let list = self.findings(&FindingFilter {
            from,
            to,
            open_too: true,
            staff_id: None,
            area_id: None,
        })?;
        // recorded by the month's end (a finding of a later month is not this month's)
        let list: Vec<Finding> = list
            .into_iter()
            .filter(|f| {
                f.row
                    .found_at
                    .get(..10)
                    .is_some_and(|d| d <= to.to_string().as_str())
            })
            .collect();
        let in_month = |at: &str| at.get(..7) == Some(month.code().as_str());
        let recorded = list.iter().filter(|f| in_month(&f.row.found_at)).count();
        let closed = list
            .iter()
            .filter(|f| f.row.closed_at.as_deref().is_some_and(in_month))
            .count();
        let counts = self.finding_counts()?;
        Ok(crate::print::AuditReportView {
            station_name: station.name,
            month_label: month.label(),
            printed_at: self.now(),
            printed_by: session.display_name.clone(),
            views,
            findings_summary: format!(
                "本月登记 {recorded} 项，销号 {closed} 项；目前待整改 {} 项（逾期 {} 项），待验收 {} 项",
                counts.open, counts.overdue, counts.to_accept
            ),
            findings: list
                .iter()
                .map(|f| crate::print::FindingLine {
                    finding_no: f.row.finding_no.clone(),
                    category: f.row.category.label().into(),
                    description: f.row.description.clone(),
                    responsible: f.responsible(),
                    due_on: f.row.due_on.to_string(),
                    state: f.state_text(),
                    fix: f.row.last_fix.clone().unwrap_or_else(|| "—".into()),
                })
                .collect(),
        })
    }

    /// Print the month's audit report (A4 PDF into the print folder, and to the printer
    /// when one is set); recorded in the trail only once the file is written.
    pub fn print_audit_report(
        &mut self,
        session: &Session,
        month: crate::domain::assessment::Month,
    ) -> ServiceResult<crate::print::PrintOutcome> {
        let cx = self.begin(session, Need::Read)?;
        let view = self.audit_report_view(&cx.session, month)?;
        let pdf = crate::print::render_audit_report(&view, self.fonts()?)?;
        let out = self.print(&format!("稽查报告-{}", month.code()), pdf)?;
        let files = vec![out.path.display().to_string()];
        self.audit_alone(
            &cx,
            "audit.report_print",
            "audit_month",
            &month.code(),
            Changes::new().note("files", files),
        )?;
        Ok(out)
    }
}

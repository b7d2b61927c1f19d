//! Assessment (考核): the check that turns deadline facts and incomplete files into entries
//! (idempotent: one entry per rule and subject however often it runs), the rules the chief
//! keeps, the chief's decisions, and the monthly summary (screen, PDF, CSV).
//!
//! Deadlines are not computed here: the deadline module hands its facts to
//! [`Service::run_assessment_check`]. The `file_incomplete` trigger reads the database
//! itself: a file is "created incomplete" when its `customer.create` audit entry lists
//! missing items and it is still marked `docs_incomplete`; the person who opened it is the
//! entry's staff member.
mod entries;
mod report;
mod rules;

use std::collections::{BTreeMap, HashSet};

pub use entries::{AssessmentEntry, EntryFilter};
pub use report::{CsvExport, MonthSummary};
pub use rules::RuleInput;

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::assessment::{self as asm, DeadlineFact, IncompleteFile};
use crate::domain::clock;
use crate::domain::money::to_fen;
use crate::store::assessment as store;
use crate::store::audit::{self, Actor, Changes, NewEntry};

impl Service {
    /// Files opened at the counter with items missing and still incomplete, with who
    /// opened them (from the audit trail's `customer.create` entry).
    pub fn incomplete_file_facts(&self) -> ServiceResult<Vec<IncompleteFile>> {
        let rows = store::incomplete_files(self.store().conn())?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let changes: serde_json::Value = serde_json::from_str(&r.changes).ok()?;
                let missing = changes.get("missing")?.as_str()?.trim().to_string();
                if missing.is_empty() {
                    // opened complete, made incomplete by a later edit: not "created incomplete"
                    return None;
                }
                Some(IncompleteFile {
                    customer_id: r.customer_id,
                    account_no: r.account_no,
                    name: r.name,
                    residential: r.usage_category == "residential",
                    created_by: r.created_by,
                    created_on: clock::from_db(&r.created_at)?.date(),
                    missing,
                })
            })
            .collect())
    }

    /// Check every active rule against `facts` (from the deadline module) and the
    /// incomplete files, and record the entries that are new, in one transaction with one
    /// audit entry summing up what was created (none when nothing is new). Run it at
    /// start-up and after every relevant change: an entry is made once per rule and
    /// subject, however often this runs. Facts held by nobody known are skipped. Returns
    /// the number of entries created.
    pub fn run_assessment_check(&mut self, facts: &[DeadlineFact]) -> ServiceResult<usize> {
        let now = self.now();
        let conn = self.store().conn();
        let rules = store::rules(conn)?;
        let wants_files = rules
            .iter()
            .any(|r| r.active && r.trigger == asm::TriggerKind::FileIncomplete);
        let files = if wants_files {
            self.incomplete_file_facts()?
        } else {
            Vec::new()
        };
        let calendar = self.work_calendar()?;
        let mut drafts = asm::evaluate(&rules, facts, &files, &calendar, now.date());
        let wants_rotation = rules
            .iter()
            .any(|r| r.active && r.trigger == asm::TriggerKind::RotationMissed);
        if wants_rotation {
            // per rule: the facts are the items not yet assessed under it
            for r in rules
                .iter()
                .filter(|r| r.active && r.trigger == asm::TriggerKind::RotationMissed)
            {
                let missed = self.rotation_missed(now.date(), r.id)?;
                drafts.extend(asm::evaluate_rotation(
                    std::slice::from_ref(r),
                    &missed,
                    now.date(),
                ));
            }
        }
        let wants_faulty = rules
            .iter()
            .any(|r| r.active && r.trigger == asm::TriggerKind::FaultyMeter);
        if wants_faulty {
            let late = self.late_fault_swaps()?;
            drafts.extend(asm::evaluate_faulty(&rules, &late, now.date()));
        }
        let wants_complaints = rules
            .iter()
            .any(|r| r.active && r.trigger == asm::TriggerKind::ComplaintDelay);
        if wants_complaints {
            let facts: Vec<asm::ComplaintFact> = self
                .complaint_delay_facts()?
                .into_iter()
                .map(|(case_id, case_no, order)| asm::ComplaintFact {
                    case_id,
                    case_no,
                    order,
                })
                .collect();
            drafts.extend(asm::evaluate_complaints(&rules, &facts, now.date()));
        }
        let wants_line_loss = rules
            .iter()
            .any(|r| r.active && r.trigger == asm::TriggerKind::LineLossUnexplained);
        if wants_line_loss {
            let facts = self.line_loss_unexplained(now.date())?;
            drafts.extend(asm::evaluate_line_loss(&rules, &facts, now.date()));
        }
        let wants_notes = rules
            .iter()
            .any(|r| r.active && r.trigger == asm::TriggerKind::NoteNotPassed);
        if wants_notes {
            let facts = crate::store::reading_notes::not_passed(conn)?;
            drafts.extend(asm::evaluate_notes(&rules, &facts, now.date()));
        }
        let staff: HashSet<i64> = crate::store::staff::list(conn)?
            .into_iter()
            .map(|s| s.id)
            .collect();
        // read first: most runs find nothing new and need no write lock at all
        let mut fresh = Vec::new();
        for d in drafts {
            if staff.contains(&d.staff_id) && !store::has_entry(conn, d.rule_id, &d.subject)? {
                fresh.push(d);
            }
        }
        if fresh.is_empty() {
            return Ok(0);
        }
        let items: BTreeMap<i64, String> = rules.iter().map(|r| (r.id, r.item.clone())).collect();
        let at = clock::to_db(now);
        let actor = Actor::system("考核检查");
        self.store_mut().write(|tx| -> ServiceResult<usize> {
            let mut ids = Vec::new();
            let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
            let mut unset = 0usize;
            for d in &fresh {
                let amount_fen = to_fen(d.amount)
                    .ok_or_else(|| ServiceError::invalid("amount", "考核金额超出范围"))?;
                let evidence = d.evidence.to_string();
                let month = d.month.code();
                let row = store::NewEntryRow {
                    rule_id: d.rule_id,
                    subject: &d.subject,
                    staff_id: d.staff_id,
                    month: &month,
                    residential: d.residential,
                    summary: &d.summary,
                    evidence: &evidence,
                    amount_fen,
                    amount_unset: d.amount_unset,
                    created_at: &at,
                };
                // another window may have recorded it since the read above
                if let Some(id) = store::insert_entry(tx, &row)? {
                    ids.push(id);
                    let item = items.get(&d.rule_id).cloned().unwrap_or_default();
                    *per_rule.entry(item).or_default() += 1;
                    if d.amount_unset {
                        unset += 1;
                    }
                }
            }
            let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
                return Ok(0);
            };
            let by_rule: serde_json::Map<String, serde_json::Value> = per_rule
                .into_iter()
                .map(|(k, v)| (k, serde_json::Value::from(v)))
                .collect();
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "assessment.check",
                    entity: "assessment_entry",
                    entity_id: &format!("{first}-{last}"),
                    changes: Changes::new()
                        .note("created", ids.len())
                        .note("first_id", *first)
                        .note("last_id", *last)
                        .note("by_rule", serde_json::Value::Object(by_rule))
                        .note("amount_unset", unset),
                },
            )?;
            Ok(ids.len())
        })
    }
}

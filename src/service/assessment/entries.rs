//! Assessment entries: the list with its filters, one entry with its evidence, and the
//! chief's decisions (confirm, waive with a reason, take a decision back with a reason).
use rust_decimal::Decimal;

use super::{Service, ServiceError, ServiceResult, Session, store};
use crate::domain::assessment::{EntryState, MARK_AMOUNT_UNSET, Month, Unit, evidence_lines};
use crate::domain::clock;
use crate::domain::customer_file::clean_text;
use crate::domain::money::{format_yuan, from_fen};
use crate::domain::role::Need;
use crate::service::Cx;
use crate::store::audit::{self, Changes, NewEntry};

/// The mark of an entry about the chief himself, left to the county company.
pub const MARK_FOR_COUNTY: &str = "待上级审核";

/// Which entries to list; `None` = all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EntryFilter {
    pub month: Option<Month>,
    pub staff_id: Option<i64>,
    pub state: Option<EntryState>,
}

/// One entry as the screens and reports show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssessmentEntry {
    pub id: i64,
    pub rule_id: i64,
    /// the rule's item, e.g. 业扩报装超时限
    pub item: String,
    pub unit: Unit,
    /// `order:<id>:<stage>` or `customer:<id>`
    pub subject: String,
    pub staff_id: i64,
    pub staff_name: String,
    pub month: Month,
    pub residential: bool,
    /// one line: order, stage, due date, days overdue … or the file and what it lacks
    pub summary: String,
    /// the evidence as label / value lines
    pub evidence: Vec<(&'static str, String)>,
    /// 元; 0 when the rule had no amount (`amount_unset`)
    pub amount: Decimal,
    pub amount_unset: bool,
    pub state: EntryState,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    /// the waiver's reason
    pub reason: String,
    pub created_at: String,
    /// about the chief himself: for the county company to decide (待上级审核)
    pub for_county: bool,
}

impl AssessmentEntry {
    /// `待确认`, `已确认 金额未设`, `免考核` …
    pub fn marks(&self) -> String {
        let mut m = self.state.mark().to_string();
        if self.amount_unset {
            m = format!("{m} {MARK_AMOUNT_UNSET}");
        }
        if self.for_county {
            m = format!("{m} {MARK_FOR_COUNTY}");
        }
        m
    }

    /// `50.00`, or `未设`.
    pub fn amount_text(&self) -> String {
        if self.amount_unset {
            "未设".into()
        } else {
            format_yuan(self.amount)
        }
    }
}

fn view(r: store::EntryRow) -> ServiceResult<AssessmentEntry> {
    let evidence: serde_json::Value =
        serde_json::from_str(&r.evidence).unwrap_or(serde_json::Value::Null);
    let month = Month::parse(&r.month).ok_or_else(|| {
        ServiceError::Store(crate::store::StoreError::Corrupt(format!(
            "考核记录 {} 的月份“{}”不对",
            r.id, r.month
        )))
    })?;
    Ok(AssessmentEntry {
        id: r.id,
        rule_id: r.rule_id,
        item: r.item,
        unit: r.unit,
        subject: r.subject,
        staff_id: r.staff_id,
        staff_name: r.staff_name,
        month,
        residential: r.residential,
        summary: r.summary,
        evidence: evidence_lines(&evidence),
        amount: from_fen(r.amount_fen),
        amount_unset: r.amount_unset,
        state: r.state,
        decided_by: r.decided_by,
        decided_at: r.decided_at,
        reason: r.reason,
        created_at: r.created_at,
        for_county: r.for_county,
    })
}

fn reason_text(input: &str, what: &str) -> ServiceResult<String> {
    let r = clean_text(input).trim().to_string();
    if r.is_empty() {
        return Err(ServiceError::invalid(
            "reason",
            format!("请填写{what}的理由"),
        ));
    }
    if r.chars().count() > 200 {
        return Err(ServiceError::invalid("reason", "理由过长（最多 200 个字）"));
    }
    Ok(r)
}

impl Service {
    /// Entries matching `filter`, oldest first.
    pub fn assessment_entries(&self, filter: &EntryFilter) -> ServiceResult<Vec<AssessmentEntry>> {
        store::entries(
            self.store().conn(),
            filter.month,
            filter.staff_id,
            filter.state,
        )?
        .into_iter()
        .map(view)
        .collect()
    }

    pub fn assessment_entry(&self, id: i64) -> ServiceResult<AssessmentEntry> {
        let r = store::entry(self.store().conn(), id)?
            .ok_or_else(|| ServiceError::NotFound("该考核记录".into()))?;
        view(r)
    }

    /// Move an entry from `from` to `to` (chief only), audited with the person, amount
    /// and reason.
    fn decide(
        &mut self,
        session: &Session,
        id: i64,
        from: &[EntryState],
        to: EntryState,
        reason: &str,
        action: &str,
    ) -> ServiceResult<AssessmentEntry> {
        let now = self.now();
        let at = clock::to_db(now);
        let actor = session.actor();
        let about_himself = self.store_mut().write(|tx| -> ServiceResult<bool> {
            let e =
                store::entry(tx, id)?.ok_or_else(|| ServiceError::NotFound("该考核记录".into()))?;
            // separation of duties: an entry about the deciding chief is the county's
            if e.staff_id == session.staff_id {
                if !e.for_county {
                    store::mark_for_county(tx, id)?;
                    audit::append(
                        tx,
                        NewEntry {
                            at: now,
                            actor: &actor,
                            action: "assessment.for_county",
                            entity: "assessment_entry",
                            entity_id: &id.to_string(),
                            changes: Changes::new()
                                .field("for_county", false, true)
                                .note("item", e.item.clone())
                                .note("subject", e.subject.clone()),
                        },
                    )?;
                }
                return Ok(true);
            }
            if !from.contains(&e.state) {
                return Err(ServiceError::Refused(format!(
                    "该考核记录{}，不能再{}",
                    e.state.label(),
                    match to {
                        EntryState::Confirmed => "确认",
                        EntryState::Waived => "免考核",
                        EntryState::Pending => "改回待确认",
                    }
                )));
            }
            if to == EntryState::Pending {
                store::set_state(tx, id, to, None, None, "")?;
            } else {
                store::set_state(tx, id, to, Some(session.staff_id), Some(&at), reason)?;
            }
            let amount = if e.amount_unset {
                "未设".to_string()
            } else {
                format_yuan(from_fen(e.amount_fen))
            };
            let mut ch = Changes::new()
                .field("state", e.state.label(), to.label())
                .note("staff", e.staff_name.clone())
                .note("item", e.item.clone())
                .note("subject", e.subject.clone())
                .note("amount", amount);
            if !reason.is_empty() {
                ch = ch.note("reason", reason);
            }
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action,
                    entity: "assessment_entry",
                    entity_id: &id.to_string(),
                    changes: ch,
                },
            )?;
            Ok(false)
        })?;
        if about_himself {
            return Err(ServiceError::Refused(format!(
                "这条考核记录是关于您本人的：所长不能确认、免除或撤回自己的考核。已标记为“{MARK_FOR_COUNTY}”，由县公司决定，稽查人员可见"
            )));
        }
        self.assessment_entry(id)
    }

    /// Confirm a pending entry (chief only): its amount counts in the month's summary.
    pub fn confirm_assessment_entry(
        &mut self,
        session: &Session,
        id: i64,
    ) -> ServiceResult<AssessmentEntry> {
        let Cx { session, .. } = self.begin_to(session, Need::Chief, "确认考核")?;
        self.decide(
            &session,
            id,
            &[EntryState::Pending],
            EntryState::Confirmed,
            "",
            "assessment.confirm",
        )
    }

    /// Waive a pending entry (chief only) with a reason — force majeure, causes outside
    /// the staff member's control.
    pub fn waive_assessment_entry(
        &mut self,
        session: &Session,
        id: i64,
        reason: &str,
    ) -> ServiceResult<AssessmentEntry> {
        let Cx { session, .. } = self.begin_to(session, Need::Chief, "免除考核")?;
        let reason = reason_text(reason, "免考核")?;
        self.decide(
            &session,
            id,
            &[EntryState::Pending],
            EntryState::Waived,
            &reason,
            "assessment.waive",
        )
    }

    /// Take a decision back (chief only, with a reason): the entry is pending again and
    /// can be decided anew. The earlier decision stays in the audit trail.
    pub fn reopen_assessment_entry(
        &mut self,
        session: &Session,
        id: i64,
        reason: &str,
    ) -> ServiceResult<AssessmentEntry> {
        let Cx { session, .. } = self.begin_to(session, Need::Chief, "撤回考核决定")?;
        let reason = reason_text(reason, "撤回决定")?;
        self.decide(
            &session,
            id,
            &[EntryState::Confirmed, EntryState::Waived],
            EntryState::Pending,
            &reason,
            "assessment.reopen",
        )
    }
}

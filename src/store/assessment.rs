//! Assessment rules and entries (考核). Entries are never deleted (a trigger refuses it) and
//! their evidence never changes; only the decision, and a missing amount, may.
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::StoreResult;
use super::convert::Cols;
use crate::domain::assessment::{EntryState, Month, Rule, Unit};
use crate::domain::money::{from_fen, to_fen};

const RULE_COLUMNS: &str = "id, code, item, trigger_kind, trigger_param, unit,
    amount_residential_fen, amount_other_fen, active, note";

fn rule_from(r: &Row<'_>) -> rusqlite::Result<Rule> {
    let c = Cols::new(r, "assessment_rule", "id")?;
    Ok(Rule {
        id: c.id(),
        code: c.get("code")?,
        item: c.get("item")?,
        trigger: c.get("trigger_kind")?,
        param: c.get("trigger_param")?,
        unit: c.get("unit")?,
        amount_residential: c
            .get::<Option<i64>>("amount_residential_fen")?
            .map(from_fen),
        amount_other: c.get::<Option<i64>>("amount_other_fen")?.map(from_fen),
        active: c.get("active")?,
        note: c.get("note")?,
    })
}

/// All rules in the work plan's order.
pub fn rules(conn: &Connection) -> StoreResult<Vec<Rule>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RULE_COLUMNS} FROM assessment_rule ORDER BY sort, id"
    ))?;
    let rows = stmt.query_map([], rule_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn rule(conn: &Connection, id: i64) -> StoreResult<Option<Rule>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RULE_COLUMNS} FROM assessment_rule WHERE id = ?1"
    ))?;
    Ok(stmt.query_row([id], rule_from).optional()?)
}

/// Store a rule's number, amounts and active flag.
pub fn update_rule(conn: &Connection, r: &Rule, at: &str, by: i64) -> StoreResult<()> {
    conn.execute(
        "UPDATE assessment_rule SET trigger_param = ?2, amount_residential_fen = ?3,
             amount_other_fen = ?4, active = ?5, updated_at = ?6, updated_by = ?7
         WHERE id = ?1",
        params![
            r.id,
            r.param,
            r.amount_residential.and_then(to_fen),
            r.amount_other.and_then(to_fen),
            r.active,
            at,
            by
        ],
    )?;
    Ok(())
}

/// Give the rule's new amount to its pending entries that were made without one (the
/// customer class given). Returns how many were priced.
pub fn price_unset(
    conn: &Connection,
    rule_id: i64,
    residential: bool,
    fen: i64,
) -> StoreResult<usize> {
    Ok(conn.execute(
        "UPDATE assessment_entry SET amount_fen = ?3, amount_unset = 0
         WHERE rule_id = ?1 AND residential = ?2 AND state = 'pending' AND amount_unset = 1",
        params![rule_id, residential, fen],
    )?)
}

/// Whether the rule already has an entry for the subject.
pub fn has_entry(conn: &Connection, rule_id: i64, subject: &str) -> StoreResult<bool> {
    let mut stmt =
        conn.prepare_cached("SELECT 1 FROM assessment_entry WHERE rule_id = ?1 AND subject = ?2")?;
    Ok(stmt.exists(params![rule_id, subject])?)
}

/// An entry to insert.
pub struct NewEntryRow<'a> {
    pub rule_id: i64,
    pub subject: &'a str,
    pub staff_id: i64,
    pub month: &'a str,
    pub residential: bool,
    pub summary: &'a str,
    pub evidence: &'a str,
    pub amount_fen: i64,
    pub amount_unset: bool,
    pub created_at: &'a str,
}

/// Insert unless the rule already has an entry for the subject; the new id, or `None`.
pub fn insert_entry(conn: &Connection, e: &NewEntryRow<'_>) -> StoreResult<Option<i64>> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO assessment_entry (rule_id, subject, staff_id, month, residential, summary,
             evidence, amount_fen, amount_unset, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (rule_id, subject) DO NOTHING",
    )?;
    let n = stmt.execute(params![
        e.rule_id,
        e.subject,
        e.staff_id,
        e.month,
        e.residential,
        e.summary,
        e.evidence,
        e.amount_fen,
        e.amount_unset,
        e.created_at
    ])?;
    Ok((n == 1).then(|| conn.last_insert_rowid()))
}

/// A file opened at the counter with items missing and still incomplete: its id, 户号,
/// name, usage category, when it was opened, by whom, and what the opening entry of the
/// audit trail says was missing (a JSON object with a `missing` note).
pub struct IncompleteFileRow {
    pub customer_id: i64,
    pub account_no: String,
    pub name: String,
    pub usage_category: String,
    pub created_at: String,
    pub created_by: i64,
    pub changes: String,
}

/// Files still marked incomplete whose `customer.create` audit entry names a staff member
/// (files imported by the demo or the system have nobody to assess).
pub fn incomplete_files(conn: &Connection) -> StoreResult<Vec<IncompleteFileRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.account_no, c.name, c.usage_category, c.created_at, a.user_id, a.changes
         FROM customer c
         JOIN audit_log a ON a.entity = 'customer' AND a.entity_id = c.account_no
                         AND a.action = 'customer.create'
         WHERE c.docs_incomplete = 1 AND c.status <> 'closed' AND a.user_id IS NOT NULL
         ORDER BY c.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(IncompleteFileRow {
            customer_id: r.get(0)?,
            account_no: r.get(1)?,
            name: r.get(2)?,
            usage_category: r.get(3)?,
            created_at: r.get(4)?,
            created_by: r.get(5)?,
            changes: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An entry as stored, with the names of its rule, person and decider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRow {
    pub id: i64,
    pub rule_id: i64,
    pub item: String,
    pub unit: Unit,
    pub subject: String,
    pub staff_id: i64,
    pub staff_name: String,
    pub month: String,
    pub residential: bool,
    pub summary: String,
    pub evidence: String,
    pub amount_fen: i64,
    pub amount_unset: bool,
    pub state: EntryState,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub reason: String,
    pub created_at: String,
    /// about the chief himself: for the county company to decide (待上级审核)
    pub for_county: bool,
}

const ENTRY_SELECT: &str = "SELECT e.id AS id, e.rule_id AS rule_id, r.item AS item,
        r.unit AS unit, e.subject AS subject, e.staff_id AS staff_id,
        s.display_name AS staff_name, e.month AS month, e.residential AS residential,
        e.summary AS summary, e.evidence AS evidence, e.amount_fen AS amount_fen,
        e.amount_unset AS amount_unset, e.state AS state, d.display_name AS decided_by,
        e.decided_at AS decided_at, e.reason AS reason, e.created_at AS created_at,
        e.for_county AS for_county
    FROM assessment_entry e
    JOIN assessment_rule r ON r.id = e.rule_id
    JOIN staff s ON s.id = e.staff_id
    LEFT JOIN staff d ON d.id = e.decided_by";

fn entry_from(r: &Row<'_>) -> rusqlite::Result<EntryRow> {
    let c = Cols::new(r, "assessment_entry", "id")?;
    Ok(EntryRow {
        id: c.id(),
        rule_id: c.get("rule_id")?,
        item: c.get("item")?,
        unit: c.get("unit")?,
        subject: c.get("subject")?,
        staff_id: c.get("staff_id")?,
        staff_name: c.get("staff_name")?,
        month: c.get("month")?,
        residential: c.get("residential")?,
        summary: c.get("summary")?,
        evidence: c.get("evidence")?,
        amount_fen: c.get("amount_fen")?,
        amount_unset: c.get("amount_unset")?,
        state: c.get("state")?,
        decided_by: c.get("decided_by")?,
        decided_at: c.get("decided_at")?,
        reason: c.get("reason")?,
        created_at: c.get("created_at")?,
        for_county: c.get("for_county")?,
    })
}

/// Mark an entry for the county company (an entry about the chief himself).
pub fn mark_for_county(conn: &Connection, id: i64) -> StoreResult<()> {
    conn.execute(
        "UPDATE assessment_entry SET for_county = 1 WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

pub fn entry(conn: &Connection, id: i64) -> StoreResult<Option<EntryRow>> {
    let mut stmt = conn.prepare_cached(&format!("{ENTRY_SELECT} WHERE e.id = ?1"))?;
    Ok(stmt.query_row([id], entry_from).optional()?)
}

/// Entries of a month (all months when `None`), of one person and in one state when given;
/// oldest first.
pub fn entries(
    conn: &Connection,
    month: Option<Month>,
    staff_id: Option<i64>,
    state: Option<EntryState>,
) -> StoreResult<Vec<EntryRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ENTRY_SELECT}
         WHERE (?1 IS NULL OR e.month = ?1) AND (?2 IS NULL OR e.staff_id = ?2)
           AND (?3 IS NULL OR e.state = ?3)
         ORDER BY e.month, e.id"
    ))?;
    let rows = stmt.query_map(
        params![
            month.map(Month::code),
            staff_id,
            state.map(EntryState::code)
        ],
        entry_from,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Record a decision (or, with `Pending`, take one back: decider and time cleared).
pub fn set_state(
    conn: &Connection,
    id: i64,
    state: EntryState,
    by: Option<i64>,
    at: Option<&str>,
    reason: &str,
) -> StoreResult<()> {
    conn.execute(
        "UPDATE assessment_entry SET state = ?2, decided_by = ?3, decided_at = ?4, reason = ?5
         WHERE id = ?1",
        params![id, state, by, at, reason],
    )?;
    Ok(())
}

//! Work orders (工单): the order, its stages, documents, fees, contacts and history.
//! Orders are never deleted (a trigger refuses it).
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{StoreError, StoreResult};
use crate::domain::work_order::{
    ConnectionClass, ContactChannel, Document, OrderState, RequestKind, Stage,
};

fn bad(idx: usize, what: &str, code: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        rusqlite::types::Type::Text,
        format!("unknown {what} {code}").into(),
    )
}

fn kind_at(r: &Row<'_>, idx: usize) -> rusqlite::Result<RequestKind> {
    let code: String = r.get(idx)?;
    RequestKind::from_code(&code).ok_or_else(|| bad(idx, "order kind", &code))
}

fn class_at(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<ConnectionClass>> {
    let code: Option<String> = r.get(idx)?;
    code.map(|c| ConnectionClass::from_code(&c).ok_or_else(|| bad(idx, "class", &c)))
        .transpose()
}

fn state_at(r: &Row<'_>, idx: usize) -> rusqlite::Result<OrderState> {
    let code: String = r.get(idx)?;
    OrderState::from_code(&code).ok_or_else(|| bad(idx, "order state", &code))
}

fn stage_at(r: &Row<'_>, idx: usize) -> rusqlite::Result<Stage> {
    let code: String = r.get(idx)?;
    Stage::from_code(&code).ok_or_else(|| bad(idx, "stage", &code))
}

/// The next free sequence number of `date` (`YYYY-MM-DD`): gap-free because orders are
/// never deleted. Call inside the `BEGIN IMMEDIATE` transaction that inserts the order.
pub fn next_seq(conn: &Connection, date: &str) -> StoreResult<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(track_seq), 0) + 1 FROM work_order WHERE track_date = ?1",
        [date],
        |r| r.get(0),
    )?)
}

/// An order to insert.
pub struct NewOrder<'a> {
    pub tracking_no: &'a str,
    pub track_date: &'a str,
    pub track_seq: i64,
    pub kind: RequestKind,
    pub class: Option<ConnectionClass>,
    pub external_works: bool,
    pub customer_id: Option<i64>,
    pub applicant_name: &'a str,
    pub applicant_id_number: &'a str,
    pub applicant_phone: &'a str,
    pub applicant_address: &'a str,
    pub area_id: Option<i64>,
    pub description: &'a str,
    pub answer: &'a str,
    pub responsible_id: i64,
    pub created_at: &'a str,
}

pub fn insert_order(conn: &Connection, o: &NewOrder<'_>) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO work_order (tracking_no, track_date, track_seq, kind, conn_class,
             external_works, customer_id, applicant_name, applicant_id_number, applicant_phone,
             applicant_address, area_id, description, answer, responsible_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            o.tracking_no,
            o.track_date,
            o.track_seq,
            o.kind.code(),
            o.class.map(ConnectionClass::code),
            o.external_works,
            o.customer_id,
            o.applicant_name,
            o.applicant_id_number,
            o.applicant_phone,
            o.applicant_address,
            o.area_id,
            o.description,
            o.answer,
            o.responsible_id,
            o.created_at
        ],
    )
    .map_err(|e| match StoreError::from(e) {
        StoreError::Duplicate(_) => StoreError::Duplicate(format!("工单编号 {}", o.tracking_no)),
        other => other,
    })?;
    Ok(conn.last_insert_rowid())
}

/// Insert a stage; `done` = (at, by, notes) for a stage finished on insertion (受理).
pub fn insert_stage(
    conn: &Connection,
    order_id: i64,
    pos: usize,
    stage: Stage,
    done: Option<(&str, i64, &str)>,
) -> StoreResult<()> {
    let (state, at, by, notes) = match done {
        Some((at, by, notes)) => ("done", Some(at), Some(by), notes),
        None => ("pending", None, None, ""),
    };
    conn.execute(
        "INSERT INTO order_stage (order_id, pos, stage, state, done_at, done_by, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![order_id, pos as i64, stage.code(), state, at, by, notes],
    )?;
    Ok(())
}

pub fn set_stage_done(
    conn: &Connection,
    order_id: i64,
    pos: usize,
    at: &str,
    by: i64,
    notes: &str,
) -> StoreResult<()> {
    conn.execute(
        "UPDATE order_stage SET state = 'done', done_at = ?3, done_by = ?4, notes = ?5
         WHERE order_id = ?1 AND pos = ?2 AND state = 'pending'",
        params![order_id, pos as i64, at, by, notes],
    )?;
    Ok(())
}

/// A required document; `received` = (at, by) when it was shown at acceptance.
pub fn insert_document(
    conn: &Connection,
    order_id: i64,
    pos: usize,
    doc: Document,
    received: Option<(&str, i64)>,
) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO order_document (order_id, doc, pos, received, received_at, received_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            order_id,
            doc.code(),
            pos as i64,
            received.is_some(),
            received.map(|r| r.0),
            received.map(|r| r.1)
        ],
    )?;
    Ok(())
}

pub fn set_document_received(
    conn: &Connection,
    order_id: i64,
    doc: Document,
    at: &str,
    by: i64,
) -> StoreResult<()> {
    conn.execute(
        "UPDATE order_document SET received = 1, received_at = ?3, received_by = ?4
         WHERE order_id = ?1 AND doc = ?2 AND received = 0",
        params![order_id, doc.code(), at, by],
    )?;
    Ok(())
}

pub fn insert_event(
    conn: &Connection,
    order_id: i64,
    at: &str,
    staff_id: Option<i64>,
    action: &str,
    detail: &str,
) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO order_event (order_id, at, staff_id, action, detail)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![order_id, at, staff_id, action, detail],
    )?;
    Ok(())
}

pub fn set_dispatched(
    conn: &Connection,
    order_id: i64,
    staff_id: i64,
    at: &str,
) -> StoreResult<()> {
    conn.execute(
        "UPDATE work_order SET dispatched_to = ?2, dispatched_at = ?3 WHERE id = ?1",
        params![order_id, staff_id, at],
    )?;
    Ok(())
}

pub fn set_fast_channel(
    conn: &Connection,
    order_id: i64,
    on: bool,
    by: i64,
    reason: &str,
) -> StoreResult<()> {
    conn.execute(
        "UPDATE work_order SET fast_channel = ?2, fast_channel_by = ?3, fast_channel_reason = ?4
         WHERE id = ?1",
        params![order_id, on, by, reason],
    )?;
    Ok(())
}

/// Close the order (completed or cancelled).
/// Keep the new values a change request will put on the file (JSON).
pub fn set_change(conn: &Connection, order_id: i64, json: &str) -> StoreResult<()> {
    conn.execute(
        "UPDATE work_order SET change_to = ?2 WHERE id = ?1",
        params![order_id, json],
    )?;
    Ok(())
}

pub fn change_of(conn: &Connection, order_id: i64) -> StoreResult<String> {
    Ok(conn.query_row(
        "SELECT change_to FROM work_order WHERE id = ?1",
        [order_id],
        |r| r.get(0),
    )?)
}

/// Link an order to the customer file opened for its applicant.
pub fn set_customer(conn: &Connection, order_id: i64, customer_id: i64) -> StoreResult<()> {
    conn.execute(
        "UPDATE work_order SET customer_id = ?2 WHERE id = ?1 AND customer_id IS NULL",
        params![order_id, customer_id],
    )?;
    Ok(())
}

pub fn set_closed(
    conn: &Connection,
    order_id: i64,
    state: OrderState,
    at: &str,
    by: i64,
    cancel_reason: Option<&str>,
) -> StoreResult<()> {
    conn.execute(
        "UPDATE work_order SET state = ?2, closed_at = ?3, closed_by = ?4, cancel_reason = ?5
         WHERE id = ?1 AND state = 'open'",
        params![order_id, state.code(), at, by, cancel_reason],
    )?;
    Ok(())
}

pub fn insert_contact(
    conn: &Connection,
    order_id: i64,
    at: &str,
    staff_id: i64,
    channel: ContactChannel,
    content: &str,
) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO order_contact (order_id, at, staff_id, channel, content)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![order_id, at, staff_id, channel.code(), content],
    )?;
    let id = conn.last_insert_rowid();
    conn.execute(
        "UPDATE work_order SET last_contact_at = max(coalesce(last_contact_at, ''), ?2)
         WHERE id = ?1",
        params![order_id, at],
    )?;
    Ok(id)
}

pub fn insert_fee(
    conn: &Connection,
    order_id: i64,
    item: &str,
    amount_fen: i64,
    at: &str,
    by: i64,
) -> StoreResult<i64> {
    conn.execute(
        "INSERT INTO order_fee (order_id, item, amount_fen, added_at, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![order_id, item, amount_fen, at, by],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn set_fee_collected(conn: &Connection, fee_id: i64, at: &str, by: i64) -> StoreResult<()> {
    conn.execute(
        "UPDATE order_fee SET collected = 1, collected_at = ?2, collected_by = ?3
         WHERE id = ?1 AND collected = 0",
        params![fee_id, at, by],
    )?;
    Ok(())
}

/// An order as stored, with the names it points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderRow {
    pub id: i64,
    pub tracking_no: String,
    pub track_date: String,
    pub kind: RequestKind,
    pub class: Option<ConnectionClass>,
    pub external_works: bool,
    pub customer_id: Option<i64>,
    pub customer_account_no: Option<String>,
    pub customer_name: Option<String>,
    pub customer_id_number: Option<String>,
    pub customer_phone: Option<String>,
    pub customer_address: Option<String>,
    pub applicant_name: String,
    pub applicant_id_number: String,
    pub applicant_phone: String,
    pub applicant_address: String,
    pub area_id: Option<i64>,
    pub area_name: Option<String>,
    pub description: String,
    pub answer: String,
    pub state: OrderState,
    pub responsible_id: i64,
    pub responsible_name: String,
    pub dispatched_to: Option<i64>,
    pub dispatched_name: Option<String>,
    pub dispatched_at: Option<String>,
    pub fast_channel: bool,
    pub fast_channel_reason: String,
    pub created_at: String,
    pub last_contact_at: Option<String>,
    pub closed_at: Option<String>,
    pub cancel_reason: Option<String>,
}

const ORDER_COLUMNS: &str = "o.id, o.tracking_no, o.track_date, o.kind, o.conn_class,
    o.external_works, o.customer_id, c.account_no, c.name, c.id_number, c.phone, c.address,
    o.applicant_name, o.applicant_id_number, o.applicant_phone, o.applicant_address,
    o.area_id, a.name, o.description, o.answer, o.state, o.responsible_id, r.display_name,
    o.dispatched_to, d.display_name, o.dispatched_at, o.fast_channel, o.fast_channel_reason,
    o.created_at, o.last_contact_at, o.closed_at, o.cancel_reason";

const ORDER_FROM: &str = "FROM work_order o
    LEFT JOIN customer c ON c.id = o.customer_id
    LEFT JOIN transformer_area a ON a.id = o.area_id
    JOIN staff r ON r.id = o.responsible_id
    LEFT JOIN staff d ON d.id = o.dispatched_to";

fn order_from_row(r: &Row<'_>) -> rusqlite::Result<OrderRow> {
    Ok(OrderRow {
        id: r.get(0)?,
        tracking_no: r.get(1)?,
        track_date: r.get(2)?,
        kind: kind_at(r, 3)?,
        class: class_at(r, 4)?,
        external_works: r.get(5)?,
        customer_id: r.get(6)?,
        customer_account_no: r.get(7)?,
        customer_name: r.get(8)?,
        customer_id_number: r.get(9)?,
        customer_phone: r.get(10)?,
        customer_address: r.get(11)?,
        applicant_name: r.get(12)?,
        applicant_id_number: r.get(13)?,
        applicant_phone: r.get(14)?,
        applicant_address: r.get(15)?,
        area_id: r.get(16)?,
        area_name: r.get(17)?,
        description: r.get(18)?,
        answer: r.get(19)?,
        state: state_at(r, 20)?,
        responsible_id: r.get(21)?,
        responsible_name: r.get(22)?,
        dispatched_to: r.get(23)?,
        dispatched_name: r.get(24)?,
        dispatched_at: r.get(25)?,
        fast_channel: r.get(26)?,
        fast_channel_reason: r.get(27)?,
        created_at: r.get(28)?,
        last_contact_at: r.get(29)?,
        closed_at: r.get(30)?,
        cancel_reason: r.get(31)?,
    })
}

pub fn order_by_id(conn: &Connection, id: i64) -> StoreResult<Option<OrderRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ORDER_COLUMNS} {ORDER_FROM} WHERE o.id = ?1"
    ))?;
    Ok(stmt.query_row([id], order_from_row).optional()?)
}

pub fn order_id_by_tracking_no(conn: &Connection, no: &str) -> StoreResult<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM work_order WHERE tracking_no = ?1",
            [no],
            |r| r.get(0),
        )
        .optional()?)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageRow {
    pub pos: usize,
    pub stage: Stage,
    pub done: bool,
    pub done_at: Option<String>,
    pub done_by: Option<String>,
    pub notes: String,
}

pub fn stages(conn: &Connection, order_id: i64) -> StoreResult<Vec<StageRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.pos, s.stage, s.state, s.done_at, st.display_name, s.notes
         FROM order_stage s LEFT JOIN staff st ON st.id = s.done_by
         WHERE s.order_id = ?1 ORDER BY s.pos",
    )?;
    let rows = stmt.query_map([order_id], |r| {
        let state: String = r.get(2)?;
        Ok(StageRow {
            pos: usize::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
            stage: stage_at(r, 1)?,
            done: state == "done",
            done_at: r.get(3)?,
            done_by: r.get(4)?,
            notes: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentRow {
    pub doc: Document,
    pub received: bool,
    pub received_at: Option<String>,
    pub received_by: Option<String>,
}

pub fn documents(conn: &Connection, order_id: i64) -> StoreResult<Vec<DocumentRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.doc, d.received, d.received_at, st.display_name
         FROM order_document d LEFT JOIN staff st ON st.id = d.received_by
         WHERE d.order_id = ?1 ORDER BY d.pos",
    )?;
    let rows = stmt.query_map([order_id], |r| {
        let code: String = r.get(0)?;
        Ok(DocumentRow {
            doc: Document::from_code(&code).ok_or_else(|| bad(0, "document", &code))?,
            received: r.get(1)?,
            received_at: r.get(2)?,
            received_by: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeeRow {
    pub id: i64,
    pub order_id: i64,
    pub item: String,
    pub amount_fen: i64,
    pub added_at: String,
    pub added_by: String,
    pub collected: bool,
    pub collected_at: Option<String>,
    pub collected_by: Option<String>,
}

const FEE_SELECT: &str = "SELECT f.id, f.order_id, f.item, f.amount_fen, f.added_at,
        a.display_name, f.collected, f.collected_at, c.display_name
    FROM order_fee f JOIN staff a ON a.id = f.added_by
    LEFT JOIN staff c ON c.id = f.collected_by";

fn fee_from_row(r: &Row<'_>) -> rusqlite::Result<FeeRow> {
    Ok(FeeRow {
        id: r.get(0)?,
        order_id: r.get(1)?,
        item: r.get(2)?,
        amount_fen: r.get(3)?,
        added_at: r.get(4)?,
        added_by: r.get(5)?,
        collected: r.get(6)?,
        collected_at: r.get(7)?,
        collected_by: r.get(8)?,
    })
}

pub fn fees(conn: &Connection, order_id: i64) -> StoreResult<Vec<FeeRow>> {
    let mut stmt =
        conn.prepare_cached(&format!("{FEE_SELECT} WHERE f.order_id = ?1 ORDER BY f.id"))?;
    let rows = stmt.query_map([order_id], fee_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn fee_by_id(conn: &Connection, fee_id: i64) -> StoreResult<Option<FeeRow>> {
    let mut stmt = conn.prepare_cached(&format!("{FEE_SELECT} WHERE f.id = ?1"))?;
    Ok(stmt.query_row([fee_id], fee_from_row).optional()?)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactRow {
    pub at: String,
    pub staff_name: String,
    pub channel: ContactChannel,
    pub content: String,
}

pub fn contacts(conn: &Connection, order_id: i64) -> StoreResult<Vec<ContactRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.at, st.display_name, c.channel, c.content
         FROM order_contact c JOIN staff st ON st.id = c.staff_id
         WHERE c.order_id = ?1 ORDER BY c.at, c.id",
    )?;
    let rows = stmt.query_map([order_id], |r| {
        let code: String = r.get(2)?;
        Ok(ContactRow {
            at: r.get(0)?,
            staff_name: r.get(1)?,
            channel: ContactChannel::from_code(&code).ok_or_else(|| bad(2, "channel", &code))?,
            content: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRow {
    pub at: String,
    pub staff_name: Option<String>,
    pub action: String,
    pub detail: String,
}

pub fn events(conn: &Connection, order_id: i64) -> StoreResult<Vec<EventRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.at, st.display_name, e.action, e.detail
         FROM order_event e LEFT JOIN staff st ON st.id = e.staff_id
         WHERE e.order_id = ?1 ORDER BY e.id",
    )?;
    let rows = stmt.query_map([order_id], |r| {
        Ok(EventRow {
            at: r.get(0)?,
            staff_name: r.get(1)?,
            action: r.get(2)?,
            detail: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Filter of the order board. `state: None` = every state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub kind: Option<RequestKind>,
    pub state: Option<OrderState>,
    /// the current (first pending) stage
    pub stage: Option<Stage>,
    pub area_id: Option<i64>,
    /// first responsible or dispatched-to
    pub staff_id: Option<i64>,
    /// only orders whose last contact (or acceptance) is before this date (`YYYY-MM-DD`)
    pub quiet_before: Option<String>,
    pub limit: usize,
}

/// One line of the order board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListRow {
    pub order: OrderRow,
    pub current_stage: Option<Stage>,
    pub missing_documents: i64,
}

pub fn list(conn: &Connection, f: &ListFilter) -> StoreResult<Vec<ListRow>> {
    let sql = format!(
        "SELECT {ORDER_COLUMNS},
            (SELECT s.stage FROM order_stage s WHERE s.order_id = o.id AND s.state = 'pending'
             ORDER BY s.pos LIMIT 1) AS current_stage,
            (SELECT count(*) FROM order_document m WHERE m.order_id = o.id AND m.received = 0)
         {ORDER_FROM}
         WHERE (?1 IS NULL OR o.kind = ?1)
           AND (?2 IS NULL OR o.state = ?2)
           AND (?3 IS NULL OR current_stage = ?3)
           AND (?4 IS NULL OR o.area_id = ?4)
           AND (?5 IS NULL OR o.responsible_id = ?5 OR o.dispatched_to = ?5)
           AND (?6 IS NULL OR substr(coalesce(o.last_contact_at, o.created_at), 1, 10) < ?6)
         ORDER BY o.created_at, o.id
         LIMIT (SELECT ?7)"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let limit = if f.limit == 0 { 500 } else { f.limit } as i64;
    let rows = stmt.query_map(
        params![
            f.kind.map(RequestKind::code),
            f.state.map(OrderState::code),
            f.stage.map(Stage::code),
            f.area_id,
            f.staff_id,
            f.quiet_before,
            limit
        ],
        |r| {
            let current: Option<String> = r.get(32)?;
            Ok(ListRow {
                order: order_from_row(r)?,
                current_stage: current
                    .map(|c| Stage::from_code(&c).ok_or_else(|| bad(32, "stage", &c)))
                    .transpose()?,
                missing_documents: r.get(33)?,
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Numbers for the home screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// accepted on the day (咨询 included)
    pub accepted_today: i64,
    pub open: i64,
    /// open orders with no contact since before the cutoff
    pub stale: i64,
}

/// `today` and `stale_before` as `YYYY-MM-DD`.
pub fn counts(conn: &Connection, today: &str, stale_before: &str) -> StoreResult<Counts> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM work_order WHERE track_date = ?1),
                (SELECT count(*) FROM work_order WHERE state = 'open'),
                (SELECT count(*) FROM work_order WHERE state = 'open'
                    AND substr(coalesce(last_contact_at, created_at), 1, 10) < ?2)",
        params![today, stale_before],
        |r| {
            Ok(Counts {
                accepted_today: r.get(0)?,
                open: r.get(1)?,
                stale: r.get(2)?,
            })
        },
    )?)
}

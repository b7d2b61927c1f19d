//! Work orders (工单): the order, its stages, documents, fees, contacts and history.
//! Orders are never deleted (a trigger refuses it).
//!
//! This file writes (each function runs inside the caller's transaction, which also writes
//! the audit entry); [`rows`] reads, by column name, into the domain's types: a stored code
//! that no kind, stage or state has is an error naming the row, never a default.
mod rows;

pub use rows::*;

use rusqlite::{Connection, params};

use super::{StoreError, StoreResult};
use crate::domain::work_order::{
    ConnectionClass, ContactChannel, Document, OrderState, RequestKind, Stage,
};

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
            o.kind,
            o.class,
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
        params![order_id, pos as i64, stage, state, at, by, notes],
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
            doc,
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
        params![order_id, doc, at, by],
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
        params![order_id, state, at, by, cancel_reason],
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
        params![order_id, at, staff_id, channel, content],
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

/// Every work order's 台区 (audit views filter deadline facts by it).
pub fn area_of_orders(
    conn: &Connection,
) -> StoreResult<std::collections::HashMap<i64, Option<i64>>> {
    let mut stmt = conn.prepare("SELECT id, area_id FROM work_order")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

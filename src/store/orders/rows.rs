//! Reading work orders: every row by column name, into the domain's types. A stored
//! kind, stage, state, document or channel code that the domain does not know is an error
//! naming the table and row (`store/convert.rs`), so a corrupt order is found, not shown
//! as something it is not.
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::work_order::{
    ConnectionClass, ContactChannel, Document, OrderState, RequestKind, Stage,
};
use crate::store::StoreResult;
use crate::store::convert::Cols;

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

const ORDER_COLUMNS: &str = "o.id AS id, o.tracking_no AS tracking_no,
    o.track_date AS track_date, o.kind AS kind, o.conn_class AS conn_class,
    o.external_works AS external_works, o.customer_id AS customer_id,
    c.account_no AS customer_account_no, c.name AS customer_name,
    c.id_number AS customer_id_number, c.phone AS customer_phone,
    c.address AS customer_address, o.applicant_name AS applicant_name,
    o.applicant_id_number AS applicant_id_number, o.applicant_phone AS applicant_phone,
    o.applicant_address AS applicant_address, o.area_id AS area_id, a.name AS area_name,
    o.description AS description, o.answer AS answer, o.state AS state,
    o.responsible_id AS responsible_id, r.display_name AS responsible_name,
    o.dispatched_to AS dispatched_to, d.display_name AS dispatched_name,
    o.dispatched_at AS dispatched_at, o.fast_channel AS fast_channel,
    o.fast_channel_reason AS fast_channel_reason, o.created_at AS created_at,
    o.last_contact_at AS last_contact_at, o.closed_at AS closed_at,
    o.cancel_reason AS cancel_reason";

const ORDER_FROM: &str = "FROM work_order o
    LEFT JOIN customer c ON c.id = o.customer_id
    LEFT JOIN transformer_area a ON a.id = o.area_id
    JOIN staff r ON r.id = o.responsible_id
    LEFT JOIN staff d ON d.id = o.dispatched_to";

impl TryFrom<&Row<'_>> for OrderRow {
    type Error = rusqlite::Error;

    /// A row selected with `ORDER_COLUMNS`.
    fn try_from(r: &Row<'_>) -> rusqlite::Result<Self> {
        let c = Cols::new(r, "work_order", "id")?;
        Ok(OrderRow {
            id: c.id(),
            tracking_no: c.get("tracking_no")?,
            track_date: c.get("track_date")?,
            kind: c.get("kind")?,
            class: c.get("conn_class")?,
            external_works: c.get("external_works")?,
            customer_id: c.get("customer_id")?,
            customer_account_no: c.get("customer_account_no")?,
            customer_name: c.get("customer_name")?,
            customer_id_number: c.get("customer_id_number")?,
            customer_phone: c.get("customer_phone")?,
            customer_address: c.get("customer_address")?,
            applicant_name: c.get("applicant_name")?,
            applicant_id_number: c.get("applicant_id_number")?,
            applicant_phone: c.get("applicant_phone")?,
            applicant_address: c.get("applicant_address")?,
            area_id: c.get("area_id")?,
            area_name: c.get("area_name")?,
            description: c.get("description")?,
            answer: c.get("answer")?,
            state: c.get("state")?,
            responsible_id: c.get("responsible_id")?,
            responsible_name: c.get("responsible_name")?,
            dispatched_to: c.get("dispatched_to")?,
            dispatched_name: c.get("dispatched_name")?,
            dispatched_at: c.get("dispatched_at")?,
            fast_channel: c.get("fast_channel")?,
            fast_channel_reason: c.get("fast_channel_reason")?,
            created_at: c.get("created_at")?,
            last_contact_at: c.get("last_contact_at")?,
            closed_at: c.get("closed_at")?,
            cancel_reason: c.get("cancel_reason")?,
        })
    }
}

fn order_from_row(r: &Row<'_>) -> rusqlite::Result<OrderRow> {
    OrderRow::try_from(r)
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
        "SELECT s.order_id AS order_id, s.pos AS pos, s.stage AS stage, s.state AS state,
                s.done_at AS done_at, st.display_name AS done_by, s.notes AS notes
         FROM order_stage s LEFT JOIN staff st ON st.id = s.done_by
         WHERE s.order_id = ?1 ORDER BY s.pos",
    )?;
    let rows = stmt.query_map([order_id], |r| {
        let c = Cols::new(r, "work_order", "order_id")?;
        let state: String = c.get("state")?;
        Ok(StageRow {
            pos: usize::try_from(c.get::<i64>("pos")?).unwrap_or(0),
            stage: c.get("stage")?,
            done: state == "done",
            done_at: c.get("done_at")?,
            done_by: c.get("done_by")?,
            notes: c.get("notes")?,
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
        "SELECT d.order_id AS order_id, d.doc AS doc, d.received AS received,
                d.received_at AS received_at, st.display_name AS received_by
         FROM order_document d LEFT JOIN staff st ON st.id = d.received_by
         WHERE d.order_id = ?1 ORDER BY d.pos",
    )?;
    let rows = stmt.query_map([order_id], |r| {
        let c = Cols::new(r, "work_order", "order_id")?;
        Ok(DocumentRow {
            doc: c.get("doc")?,
            received: c.get("received")?,
            received_at: c.get("received_at")?,
            received_by: c.get("received_by")?,
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

const FEE_SELECT: &str = "SELECT f.id AS id, f.order_id AS order_id, f.item AS item,
        f.amount_fen AS amount_fen, f.added_at AS added_at, a.display_name AS added_by,
        f.collected AS collected, f.collected_at AS collected_at,
        c.display_name AS collected_by
    FROM order_fee f JOIN staff a ON a.id = f.added_by
    LEFT JOIN staff c ON c.id = f.collected_by";

impl TryFrom<&Row<'_>> for FeeRow {
    type Error = rusqlite::Error;

    fn try_from(r: &Row<'_>) -> rusqlite::Result<Self> {
        let c = Cols::new(r, "order_fee", "id")?;
        Ok(FeeRow {
            id: c.id(),
            order_id: c.get("order_id")?,
            item: c.get("item")?,
            amount_fen: c.get("amount_fen")?,
            added_at: c.get("added_at")?,
            added_by: c.get("added_by")?,
            collected: c.get("collected")?,
            collected_at: c.get("collected_at")?,
            collected_by: c.get("collected_by")?,
        })
    }
}

fn fee_from_row(r: &Row<'_>) -> rusqlite::Result<FeeRow> {
    FeeRow::try_from(r)
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
        "SELECT c.id AS id, c.at AS at, st.display_name AS staff_name, c.channel AS channel,
                c.content AS content
         FROM order_contact c JOIN staff st ON st.id = c.staff_id
         WHERE c.order_id = ?1 ORDER BY c.at, c.id",
    )?;
    let rows = stmt.query_map([order_id], |r| {
        let c = Cols::new(r, "order_contact", "id")?;
        Ok(ContactRow {
            at: c.get("at")?,
            staff_name: c.get("staff_name")?,
            channel: c.get("channel")?,
            content: c.get("content")?,
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
                AS missing_documents
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
            f.kind,
            f.state,
            f.stage,
            f.area_id,
            f.staff_id,
            f.quiet_before,
            limit
        ],
        |r| {
            let c = Cols::new(r, "work_order", "id")?;
            Ok(ListRow {
                order: order_from_row(r)?,
                current_stage: c.get("current_stage")?,
                missing_documents: c.get("missing_documents")?,
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

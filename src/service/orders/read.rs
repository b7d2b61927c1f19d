//! Reading work orders: the order page (whole history), the order board with its stale
//! flag (injected clock) and the home-screen numbers. Anyone signed in may read.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::masked;
use crate::domain::customer_file::clean_text;
use crate::domain::idcheck::{mask_id, mask_phone};
use crate::domain::money;
use crate::domain::work_order::{
    self as wo, ConnectionClass, ContactChannel, Document, OrderState, RequestKind, Stage,
};
use crate::service::{Service, ServiceError, ServiceResult};
use crate::store::orders::{self as store, ListFilter, OrderRow};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageView {
    pub stage: Stage,
    pub done: bool,
    pub done_at: Option<String>,
    pub done_by: Option<String>,
    pub notes: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentView {
    pub doc: Document,
    pub received: bool,
    pub received_at: Option<String>,
    pub received_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeeView {
    pub id: i64,
    pub item: String,
    /// 元
    pub amount: Decimal,
    pub added_at: String,
    pub added_by: String,
    pub collected: bool,
    pub collected_at: Option<String>,
    pub collected_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactView {
    pub at: String,
    pub staff_name: String,
    pub channel: ContactChannel,
    pub content: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventView {
    pub at: String,
    pub staff_name: Option<String>,
    pub action: String,
    pub detail: String,
}

/// An order with its whole history (the order page). ID numbers and phones masked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderDetail {
    pub id: i64,
    pub tracking_no: String,
    pub kind: RequestKind,
    pub class: Option<ConnectionClass>,
    pub external_works: bool,
    pub customer_id: Option<i64>,
    pub account_no: Option<String>,
    /// customer's or applicant's name
    pub name: String,
    pub id_masked: String,
    pub phone_masked: String,
    pub address: String,
    pub area_name: Option<String>,
    pub description: String,
    pub answer: String,
    pub state: OrderState,
    pub current_stage: Option<Stage>,
    pub responsible_id: i64,
    pub responsible_name: String,
    pub dispatched_to: Option<i64>,
    pub dispatched_name: Option<String>,
    pub fast_channel: bool,
    pub fast_channel_reason: String,
    pub created_at: String,
    pub last_contact_at: Option<String>,
    pub closed_at: Option<String>,
    pub cancel_reason: Option<String>,
    pub stale: bool,
    pub stages: Vec<StageView>,
    pub documents: Vec<DocumentView>,
    pub fees: Vec<FeeView>,
    pub contacts: Vec<ContactView>,
    pub events: Vec<EventView>,
}

impl OrderDetail {
    pub fn missing_documents(&self) -> Vec<Document> {
        self.documents
            .iter()
            .filter(|d| !d.received)
            .map(|d| d.doc)
            .collect()
    }
}

/// Filter of the order board; `Default` = open orders of every kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderFilter {
    pub kind: Option<RequestKind>,
    /// `None` = every state
    pub state: Option<OrderState>,
    /// the stage the order is at
    pub stage: Option<Stage>,
    /// 台区 id
    pub area_id: Option<i64>,
    /// first responsible or dispatched-to
    pub staff_id: Option<i64>,
    pub stale_only: bool,
    /// 0 = 500
    pub limit: usize,
}

impl Default for OrderFilter {
    fn default() -> Self {
        OrderFilter {
            kind: None,
            state: Some(OrderState::Open),
            stage: None,
            area_id: None,
            staff_id: None,
            stale_only: false,
            limit: 0,
        }
    }
}

/// One line of the order board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderSummary {
    pub id: i64,
    pub tracking_no: String,
    pub kind: RequestKind,
    pub class: Option<ConnectionClass>,
    pub name: String,
    pub area_name: Option<String>,
    pub state: OrderState,
    pub current_stage: Option<Stage>,
    pub responsible_name: String,
    pub dispatched_name: Option<String>,
    pub created_at: String,
    pub last_contact_at: Option<String>,
    pub missing_documents: i64,
    pub fast_channel: bool,
    pub stale: bool,
}

/// Order numbers for the home screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderCounts {
    /// accepted today, 咨询 included
    pub accepted_today: i64,
    pub open: i64,
    /// open orders with no contact for more than `order.no_contact_days` days
    pub stale: i64,
}

fn date_of(db_time: &str) -> Option<NaiveDate> {
    db_time
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

impl Service {
    fn no_contact_days(&self) -> ServiceResult<i64> {
        self.int_setting("order.no_contact_days")
    }

    fn stale_of(&self, row: &OrderRow, days: i64) -> bool {
        let Some(accepted) = date_of(&row.created_at) else {
            return false;
        };
        let last = row.last_contact_at.as_deref().and_then(date_of);
        wo::is_stale(row.state, accepted, last, self.now().date(), days)
    }

    /// An order with its whole history (stages, documents, fees, contacts, events).
    pub fn order(&self, order_id: i64) -> ServiceResult<OrderDetail> {
        let conn = self.store.conn();
        let row = store::order_by_id(conn, order_id)?
            .ok_or_else(|| ServiceError::NotFound("该工单".into()))?;
        let days = self.no_contact_days()?;
        let stale = self.stale_of(&row, days);
        let stages: Vec<StageView> = store::stages(conn, order_id)?
            .into_iter()
            .map(|s| StageView {
                stage: s.stage,
                done: s.done,
                done_at: s.done_at,
                done_by: s.done_by,
                notes: s.notes,
            })
            .collect();
        let current_stage = if row.state == OrderState::Open {
            stages.iter().find(|s| !s.done).map(|s| s.stage)
        } else {
            None
        };
        let documents = store::documents(conn, order_id)?
            .into_iter()
            .map(|d| DocumentView {
                doc: d.doc,
                received: d.received,
                received_at: d.received_at,
                received_by: d.received_by,
            })
            .collect();
        let fees = store::fees(conn, order_id)?
            .into_iter()
            .map(|f| FeeView {
                id: f.id,
                item: f.item,
                amount: money::from_fen(f.amount_fen),
                added_at: f.added_at,
                added_by: f.added_by,
                collected: f.collected,
                collected_at: f.collected_at,
                collected_by: f.collected_by,
            })
            .collect();
        let contacts = store::contacts(conn, order_id)?
            .into_iter()
            .map(|c| ContactView {
                at: c.at,
                staff_name: c.staff_name,
                channel: c.channel,
                content: c.content,
            })
            .collect();
        let events = store::events(conn, order_id)?
            .into_iter()
            .map(|e| EventView {
                at: e.at,
                staff_name: e.staff_name,
                action: e.action,
                detail: e.detail,
            })
            .collect();
        let (name, id_number, phone, address) = who(&row);
        Ok(OrderDetail {
            id: row.id,
            tracking_no: row.tracking_no,
            kind: row.kind,
            class: row.class,
            external_works: row.external_works,
            customer_id: row.customer_id,
            account_no: row.customer_account_no,
            name,
            id_masked: masked(&id_number, mask_id),
            phone_masked: masked(&phone, mask_phone),
            address,
            area_name: row.area_name,
            description: row.description,
            answer: row.answer,
            state: row.state,
            current_stage,
            responsible_id: row.responsible_id,
            responsible_name: row.responsible_name,
            dispatched_to: row.dispatched_to,
            dispatched_name: row.dispatched_name,
            fast_channel: row.fast_channel,
            fast_channel_reason: row.fast_channel_reason,
            created_at: row.created_at,
            last_contact_at: row.last_contact_at,
            closed_at: row.closed_at,
            cancel_reason: row.cancel_reason,
            stale,
            stages,
            documents,
            fees,
            contacts,
            events,
        })
    }

    /// The order with this tracking number (when the customer calls back).
    pub fn order_by_tracking_no(&self, tracking_no: &str) -> ServiceResult<OrderDetail> {
        let no = clean_text(tracking_no).trim().to_ascii_uppercase();
        let id = store::order_id_by_tracking_no(self.store.conn(), &no)?
            .ok_or_else(|| ServiceError::NotFound(format!("编号为 {no} 的工单")))?;
        self.order(id)
    }

    /// The order board: orders filtered by kind, state, stage, 台区 and responsible
    /// person, oldest first, each with its stale flag (injected clock).
    pub fn orders(&self, filter: &OrderFilter) -> ServiceResult<Vec<OrderSummary>> {
        let days = self.no_contact_days()?;
        let today = self.now().date();
        let quiet_before = filter
            .stale_only
            .then(|| wo::stale_cutoff(today, days).format("%Y-%m-%d").to_string());
        let rows = store::list(
            self.store.conn(),
            &ListFilter {
                kind: filter.kind,
                state: if filter.stale_only {
                    Some(OrderState::Open)
                } else {
                    filter.state
                },
                stage: filter.stage,
                area_id: filter.area_id,
                staff_id: filter.staff_id,
                quiet_before,
                limit: filter.limit,
            },
        )?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let stale = self.stale_of(&r.order, days);
                let (name, ..) = who(&r.order);
                let o = r.order;
                OrderSummary {
                    id: o.id,
                    tracking_no: o.tracking_no,
                    kind: o.kind,
                    class: o.class,
                    name,
                    area_name: o.area_name,
                    state: o.state,
                    current_stage: if o.state == OrderState::Open {
                        r.current_stage
                    } else {
                        None
                    },
                    responsible_name: o.responsible_name,
                    dispatched_name: o.dispatched_name,
                    created_at: o.created_at,
                    last_contact_at: o.last_contact_at,
                    missing_documents: r.missing_documents,
                    fast_channel: o.fast_channel,
                    stale,
                }
            })
            .collect())
    }

    /// Home-screen numbers: accepted today (咨询 included), open, stale.
    pub fn order_counts(&self) -> ServiceResult<OrderCounts> {
        let days = self.no_contact_days()?;
        let today = self.now().date();
        let c = store::counts(
            self.store.conn(),
            &today.format("%Y-%m-%d").to_string(),
            &wo::stale_cutoff(today, days).format("%Y-%m-%d").to_string(),
        )?;
        Ok(OrderCounts {
            accepted_today: c.accepted_today,
            open: c.open,
            stale: c.stale,
        })
    }
}

/// Name, ID number, phone and address: the customer's file or the applicant's details.
fn who(row: &OrderRow) -> (String, String, String, String) {
    match &row.customer_name {
        Some(name) => (
            name.clone(),
            row.customer_id_number.clone().unwrap_or_default(),
            row.customer_phone.clone().unwrap_or_default(),
            row.customer_address.clone().unwrap_or_default(),
        ),
        None => (
            row.applicant_name.clone(),
            row.applicant_id_number.clone(),
            row.applicant_phone.clone(),
            row.applicant_address.clone(),
        ),
    }
}

//! Recording a disconnection for arrears and opening the reconnection (复电) order after
//! payment. Both decide inside their own transaction on what the database says then
//! (another window may have recorded a disconnection or taken a payment meanwhile).
use rust_decimal::Decimal;

use super::customer_arrears;
use crate::domain::billing::late_fee;
use crate::domain::collection as rules;
use crate::domain::money;
use crate::domain::role::Need;
use crate::domain::work_order::{Document, RequestKind};
use crate::service::orders::{AcceptRequest, insert_accepted};
use crate::service::payments::account::account_state;
use crate::service::payments::fen;
use crate::service::{Service, ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::collection::{self as store, NewDisconnection};
use crate::store::convert::Day;

/// What the confirm dialog of a disconnection shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisconnectPreview {
    pub customer_id: i64,
    pub account_no: String,
    pub name: String,
    pub principal: Decimal,
    pub late_fee: Decimal,
    pub days_overdue: i64,
    pub reader: String,
    /// the reader's disconnections this month and the quota
    pub used: i64,
    pub quota: i64,
}

/// A disconnection recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disconnected {
    pub id: i64,
    pub owed: Decimal,
}

/// A reconnection order opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconnected {
    pub order_id: i64,
    pub tracking_no: String,
    /// `penalty.restore_within_hours` (the deadline board counts the order's limit from
    /// `deadline.resume_hours`)
    pub within_hours: i64,
}

impl Service {
    /// Whether a disconnection of the customer may be recorded today, and what the confirm
    /// dialog shows; the refusal in Chinese otherwise.
    pub fn disconnection_preview(&self, customer_id: i64) -> ServiceResult<DisconnectPreview> {
        let b = self.collection_basis()?;
        let quota = self.int_setting("disconnect.monthly_quota")?;
        let conn = self.store().conn();
        let row = customer_arrears(conn, customer_id, &b)?;
        let facts = Service::disconnect_facts(conn, row.as_ref(), customer_id, &b, quota)?;
        rules::check_disconnection(&facts).map_err(|e| ServiceError::Refused(e.to_string()))?;
        let row = row.ok_or_else(|| {
            ServiceError::Refused(rules::DisconnectRefusal::NothingOwed.to_string())
        })?;
        let used = facts.reader.map(|(_, u, _)| u).unwrap_or(0);
        Ok(DisconnectPreview {
            customer_id,
            account_no: row.account_no.clone(),
            name: row.name.clone(),
            principal: row.principal,
            late_fee: row.late_fee,
            days_overdue: row.days_overdue,
            reader: row.reader_name.clone(),
            used,
            quota,
        })
    }

    /// Record that the customer's supply was cut today for arrears, by the reader of the
    /// customer's 台区; refused without a disconnection notice whose period has run out,
    /// inside an outage period, or past the reader's monthly quota.
    pub fn record_disconnection(
        &mut self,
        session: &Session,
        customer_id: i64,
        reason: &str,
    ) -> ServiceResult<Disconnected> {
        let cx = self.begin(session, Need::Write)?;
        let reason = crate::service::orders::required_line(reason, "reason", "停电原因", 100)?;
        let b = self.collection_basis()?;
        let quota = self.int_setting("disconnect.monthly_quota")?;
        self.store_mut().write(|tx| -> ServiceResult<Disconnected> {
            let row = customer_arrears(tx, customer_id, &b)?;
            let facts = Service::disconnect_facts(tx, row.as_ref(), customer_id, &b, quota)?;
            rules::check_disconnection(&facts).map_err(|e| ServiceError::Refused(e.to_string()))?;
            let (Some(row), Some(notice)) = (
                row,
                store::latest_notice(tx, customer_id, rules::NoticeKind::Disconnect)?,
            ) else {
                return Err(ServiceError::Refused(
                    rules::DisconnectRefusal::NoNotice.to_string(),
                ));
            };
            let reader_id = row.reader_id.ok_or_else(|| {
                ServiceError::Refused(rules::DisconnectRefusal::NoReader.to_string())
            })?;
            let owed = row.principal + row.late_fee;
            let id = store::insert_disconnection(
                tx,
                &NewDisconnection {
                    customer_id,
                    notice_id: notice.id,
                    disconnected_on: Day(b.today),
                    reader_id,
                    reason: &reason,
                    owed_fen: fen(owed)?,
                    recorded_by: cx.staff_id(),
                    recorded_at: &cx.at,
                },
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "collection.disconnect",
                    entity: "customer",
                    entity_id: &row.account_no,
                    changes: Changes::new()
                        .created("disconnected_on", b.today.to_string())
                        .created("reader", row.reader_name.clone())
                        .created("amount", money::format_yuan(owed))
                        .created("days_overdue", row.days_overdue)
                        .note("reason", reason.clone())
                        .note("notice", notice.printed_on.0.to_string()),
                },
            )?;
            Ok(Disconnected { id, owed })
        })
    }

    /// Right after a payment: the 复电 order when the customer's supply is cut and nothing
    /// overdue is owed any more; `None` when there is no cut supply or money is still owed.
    pub fn reconnect_if_paid(
        &mut self,
        session: &Session,
        customer_id: i64,
    ) -> ServiceResult<Option<Reconnected>> {
        self.begin(session, Need::Write)?;
        let waiting = store::last_disconnection(self.store().conn(), customer_id)?
            .is_some_and(|d| d.order_id.is_none());
        if !waiting {
            return Ok(None);
        }
        match self.reconnect(session, customer_id) {
            Ok(r) => Ok(Some(r)),
            // still owes overdue money (or another window opened the order): nothing to do
            Err(ServiceError::Refused(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// After the arrears are paid, open the 复电 (恢复) work order of the customer's open
    /// disconnection: the order, its link and both audit entries in one transaction.
    pub fn reconnect(&mut self, session: &Session, customer_id: i64) -> ServiceResult<Reconnected> {
        let cx = self.begin(session, Need::Write)?;
        let rules_ = self.billing_rules()?;
        let within_hours = self.int_setting("penalty.restore_within_hours")?;
        let last = store::last_disconnection(self.store().conn(), customer_id)?;
        let Some(d) = last.filter(|d| d.order_id.is_none()) else {
            return Err(ServiceError::Refused("该客户没有待复电的停电记录".into()));
        };
        let mut req = AcceptRequest::new(RequestKind::Resume);
        req.customer_id = Some(customer_id);
        // the station opens this order itself for a customer whose file holds the ID
        // (一证受理 is met by the file; nothing else is asked of the customer)
        req.received = vec![Document::IdProof];
        req.description = format!(
            "欠费停电后已缴清电费，复电（{} 停电，{} 小时内恢复供电）",
            d.disconnected_on.0, within_hours
        );
        let checked = self.check_acceptance(&req, None)?;
        let today = cx.today();
        self.store_mut().write(|tx| -> ServiceResult<Reconnected> {
            // inside the transaction: a payment reversed meanwhile is seen
            let st = account_state(tx, customer_id, today, &rules_)?;
            let still: Decimal = st
                .open_bills()
                .filter(|bl| late_fee::days_overdue(bl.due_date, today) > 0)
                .map(|bl| bl.owed + bl.late_fee)
                .sum();
            if still > Decimal::ZERO {
                return Err(ServiceError::Refused(format!(
                    "尚欠逾期电费及违约金 {} 元，缴清后方可复电",
                    money::format_yuan(still)
                )));
            }
            if store::last_disconnection(tx, customer_id)?
                .is_none_or(|x| x.id != d.id || x.order_id.is_some())
            {
                return Err(ServiceError::Refused("该停电记录已办理复电".into()));
            }
            let accepted = insert_accepted(tx, &cx, &checked)?;
            store::insert_reconnection(tx, d.id, accepted.id, cx.staff_id(), &cx.at)?;
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "collection.reconnect",
                    entity: "customer",
                    entity_id: &st.customer.account_no,
                    changes: Changes::new()
                        .created("order", accepted.tracking_no.clone())
                        .note("disconnected_on", d.disconnected_on.0.to_string())
                        .note("within_hours", within_hours),
                },
            )?;
            Ok(Reconnected {
                order_id: accepted.id,
                tracking_no: accepted.tracking_no,
                within_hours,
            })
        })
    }
}

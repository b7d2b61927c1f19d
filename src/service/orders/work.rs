//! Work on an accepted order by the people responsible: dispatch, stages (a finished new
//! connection opens the applicant's file; change requests update the file), contacts,
//! documents. Fees, cancellation and the fast channel are in `exceptions.rs`.
use super::*;

impl Service {
    /// Dispatch an open order to a staff member (any active account but an auditor).
    pub fn dispatch_order(
        &mut self,
        session: &Session,
        order_id: i64,
        to_staff_id: i64,
    ) -> ServiceResult<()> {
        let Cx {
            session,
            now,
            at,
            actor,
        } = self.begin(session, Need::Write)?;
        self.store.write(|tx| -> ServiceResult<()> {
            let o = load(tx, order_id)?;
            if o.row.state != OrderState::Open {
                return Err(refused(format!("工单{}，不能派工", o.row.state.label())));
            }
            let to = staff::by_id(tx, to_staff_id)?
                .ok_or_else(|| ServiceError::invalid("staff", "找不到该员工"))?;
            if !to.active {
                return Err(ServiceError::invalid(
                    "staff",
                    format!("{} 的账号已停用", to.display_name),
                ));
            }
            if to.role == Role::Auditor {
                return Err(ServiceError::invalid("staff", "稽查员不能承办工单"));
            }
            if o.row.dispatched_to == Some(to.id) {
                return Ok(());
            }
            store::set_dispatched(tx, order_id, to.id, &at)?;
            store::insert_event(
                tx,
                order_id,
                &at,
                Some(session.staff_id),
                "dispatch",
                &format!("派工给 {}（{}）", to.display_name, to.role.label()),
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "order.dispatch",
                    entity: "work_order",
                    entity_id: &o.row.tracking_no,
                    changes: Changes::new().field("dispatched_to", o.row.dispatched_to, to.id),
                },
            )?;
            Ok(())
        })
    }

    /// Record `stage` as done with its notes (survey findings, plan replied …). Stages go
    /// in chain order; finishing the last one (归档) completes the order.
    pub fn complete_stage(
        &mut self,
        session: &Session,
        order_id: i64,
        stage: Stage,
        notes: &str,
    ) -> ServiceResult<OrderState> {
        let Cx {
            session,
            now,
            at,
            actor,
        } = self.begin(session, Need::Write)?;
        let notes = line(notes, "notes", "办理情况", 500)?;
        let me = session.staff_id;
        let pattern = self.setting("customer.account_pattern")?.value;
        self.store.write(|tx| -> ServiceResult<OrderState> {
            let o = load(tx, order_id)?;
            let (pos, finishes) = wo::check_complete_stage(&o.facts(), stage).map_err(refused)?;
            store::set_stage_done(tx, order_id, pos, &at, me, &notes)?;
            let mut detail = format!("完成「{}」", stage.label());
            if !notes.is_empty() {
                detail.push_str(&format!("：{notes}"));
            }
            store::insert_event(tx, order_id, &at, Some(me), "stage", &detail)?;
            // 更名 / 过户 / 改类 / 增容 / 减容 put their new values on the file when done
            if finishes && let Some(cid) = o.row.customer_id {
                let change = FileChange::from_json(&store::change_of(tx, order_id)?);
                if !change.is_empty() {
                    crate::service::customers::apply_change(
                        tx,
                        cid,
                        &change,
                        now,
                        &actor,
                        &o.row.tracking_no,
                    )?;
                    store::insert_event(
                        tx,
                        order_id,
                        &at,
                        Some(me),
                        "file",
                        "客户档案已按申请变更",
                    )?;
                }
            }
            // 暂停 / 恢复 / 销户 change the customer's status when they are done
            if finishes
                && let Some(cid) = o.row.customer_id
                && let Some(status) = match o.row.kind {
                    RequestKind::Suspend => Some("suspended"),
                    RequestKind::Resume => Some("active"),
                    RequestKind::Close => Some("closed"),
                    _ => None,
                }
            {
                let old = crate::store::customers::set_status(tx, cid, status, &at)?;
                let account = o.row.customer_account_no.clone().unwrap_or_default();
                audit::append(
                    tx,
                    NewEntry {
                        at: now,
                        actor: &actor,
                        action: "customer.status",
                        entity: "customer",
                        entity_id: &account,
                        changes: Changes::new()
                            .field("status", old.unwrap_or_default(), status)
                            .note("order", o.row.tracking_no.clone()),
                    },
                )?;
                store::insert_event(
                    tx,
                    order_id,
                    &at,
                    Some(me),
                    "status",
                    &format!(
                        "客户状态改为{}",
                        crate::domain::customer::status_label(status)
                    ),
                )?;
            }
            // a new connection ends with the applicant's customer file, in the same transaction
            if finishes
                && o.row.customer_id.is_none()
                && matches!(
                    o.row.kind,
                    RequestKind::NewConnection | RequestKind::Temporary
                )
            {
                let draft = applicant_draft(tx, &o.row)?;
                let checked = draft.check().map_err(|e| {
                    ServiceError::Refused(format!("申请人资料不能建档：{e}，请先更正"))
                })?;
                let (cid, account) = crate::service::customers::open_file_in(
                    tx, &checked, "", &pattern, now, &actor,
                )?;
                store::set_customer(tx, order_id, cid)?;
                store::insert_event(
                    tx,
                    order_id,
                    &at,
                    Some(me),
                    "file",
                    &format!("建立客户档案，户号 {account}"),
                )?;
            }
            let state = if finishes {
                store::set_closed(tx, order_id, OrderState::Completed, &at, me, None)?;
                store::insert_event(tx, order_id, &at, Some(me), "complete", "工单办结")?;
                OrderState::Completed
            } else {
                OrderState::Open
            };
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "order.stage",
                    entity: "work_order",
                    entity_id: &o.row.tracking_no,
                    changes: Changes::new()
                        .field(stage.code(), "pending", "done")
                        .field("state", o.row.state.code(), state.code())
                        .note("notes", notes.clone()),
                },
            )?;
            Ok(state)
        })
    }

    /// Record a contact with the customer (date from the clock, who, channel, what was
    /// said). Keeps the order from being flagged as stale.
    pub fn record_contact(
        &mut self,
        session: &Session,
        order_id: i64,
        channel: ContactChannel,
        content: &str,
    ) -> ServiceResult<()> {
        let Cx {
            session,
            now,
            at,
            actor,
        } = self.begin(session, Need::Write)?;
        let content = required_line(content, "content", "联系内容", 500)?;
        let me = session.staff_id;
        self.store.write(|tx| -> ServiceResult<()> {
            let o = load(tx, order_id)?;
            store::insert_contact(tx, order_id, &at, me, channel, &content)?;
            store::insert_event(
                tx,
                order_id,
                &at,
                Some(me),
                "contact",
                &format!("{}联系：{content}", channel.label()),
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "order.contact",
                    entity: "work_order",
                    entity_id: &o.row.tracking_no,
                    changes: Changes::new()
                        .created("channel", channel.code())
                        .created("content", content.clone()),
                },
            )?;
            Ok(())
        })
    }

    /// A missing document is supplied (date and who recorded).
    pub fn supply_document(
        &mut self,
        session: &Session,
        order_id: i64,
        doc: Document,
    ) -> ServiceResult<()> {
        let Cx {
            session,
            now,
            at,
            actor,
        } = self.begin(session, Need::Write)?;
        let me = session.staff_id;
        self.store.write(|tx| -> ServiceResult<()> {
            let o = load(tx, order_id)?;
            if o.row.state == OrderState::Cancelled {
                return Err(refused("工单已撤销，不能补交资料"));
            }
            let docs = store::documents(tx, order_id)?;
            let d = docs.iter().find(|d| d.doc == doc).ok_or_else(|| {
                ServiceError::invalid("document", format!("本工单不需要{}", doc.label()))
            })?;
            if d.received {
                return Err(ServiceError::invalid(
                    "document",
                    format!("{}已经收到", doc.label()),
                ));
            }
            store::set_document_received(tx, order_id, doc, &at, me)?;
            store::insert_event(
                tx,
                order_id,
                &at,
                Some(me),
                "document",
                &format!("补交{}", doc.label()),
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "order.document",
                    entity: "work_order",
                    entity_id: &o.row.tracking_no,
                    changes: Changes::new().field(doc.code(), "missing", "received"),
                },
            )?;
            Ok(())
        })
    }
}

/// The applicant of a new connection as a customer file draft (usage from the class).
fn applicant_draft(
    tx: &rusqlite::Connection,
    o: &store::OrderRow,
) -> ServiceResult<crate::domain::customer_file::CustomerDraft> {
    use crate::domain::customer::{CustomerKind, UsageCategory};
    let id = crate::domain::idcheck::normalize_code(&o.applicant_id_number);
    let kind = if id.len() == 18 && crate::domain::idcheck::check_uscc(&id).is_ok() {
        CustomerKind::Organisation
    } else {
        CustomerKind::Person
    };
    let usage = match o.class {
        Some(ConnectionClass::LvResidential) | None => UsageCategory::Residential,
        Some(ConnectionClass::LvNonResidential) => UsageCategory::Commercial,
        Some(ConnectionClass::HvSingle | ConnectionClass::HvDual) => UsageCategory::Industrial,
    };
    let area_code = match o.area_id {
        Some(a) => crate::store::customers::area_code(tx, a)?.unwrap_or_default(),
        None => String::new(),
    };
    Ok(crate::domain::customer_file::CustomerDraft {
        name: o.applicant_name.clone(),
        kind: Some(kind),
        id_number: id,
        phone: o.applicant_phone.clone(),
        address: o.applicant_address.clone(),
        usage: Some(usage),
        area_code,
        supply_voltage: String::new(),
        // the capacity applied for at acceptance, when it was asked
        contracted_kva: FileChange::from_json(&store::change_of(tx, o.id)?)
            .contracted_kva
            .unwrap_or_default(),
        notes: format!("由工单 {} 建档", o.tracking_no),
    })
}

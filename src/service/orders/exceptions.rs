//! What takes an order off its plain path: a business fee added (none collected before the
//! survey; collecting one is a payment with a receipt, see `service::payments`), a
//! cancellation with its reason (the order and its history are kept), and the chief's fast
//! channel. Each is one transaction with its order event and audit entry.
use super::*;

impl Service {
    /// Add a business fee to an open order (recording it is allowed at any stage;
    /// collecting it waits for the survey). Returns the fee id.
    pub fn add_fee(
        &mut self,
        session: &Session,
        order_id: i64,
        item: &str,
        amount: Decimal,
    ) -> ServiceResult<i64> {
        let Cx {
            session,
            now,
            at,
            actor,
        } = self.begin(session, Need::Write)?;
        let item = required_line(item, "item", "收费项目", 40)?;
        if amount <= Decimal::ZERO {
            return Err(ServiceError::invalid("amount", "金额应大于 0"));
        }
        if money::round_fen(amount) != amount {
            return Err(ServiceError::invalid("amount", "金额最多两位小数（到分）"));
        }
        let fen =
            money::to_fen(amount).ok_or_else(|| ServiceError::invalid("amount", "金额超出范围"))?;
        let me = session.staff_id;
        self.store.write(|tx| -> ServiceResult<i64> {
            let o = load(tx, order_id)?;
            if o.row.state != OrderState::Open {
                return Err(refused(format!(
                    "工单{}，不能再加收费用",
                    o.row.state.label()
                )));
            }
            let id = store::insert_fee(tx, order_id, &item, fen, &at, me)?;
            let yuan = money::format_yuan(amount);
            store::insert_event(
                tx,
                order_id,
                &at,
                Some(me),
                "fee_add",
                &format!("应收{item} {yuan} 元"),
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "order.fee_add",
                    entity: "work_order",
                    entity_id: &o.row.tracking_no,
                    changes: Changes::new()
                        .created("fee_id", id)
                        .created("item", item.clone())
                        .created("amount", yuan),
                },
            )?;
            Ok(id)
        })
    }

    /// Cancel an open order with a reason. The order and its history are kept.
    pub fn cancel_order(
        &mut self,
        session: &Session,
        order_id: i64,
        reason: &str,
    ) -> ServiceResult<()> {
        let Cx {
            session,
            now,
            at,
            actor,
        } = self.begin(session, Need::Write)?;
        let cleaned = clean_text(reason);
        let me = session.staff_id;
        self.store.write(|tx| -> ServiceResult<()> {
            let o = load(tx, order_id)?;
            let reason = wo::check_cancel(o.row.state, &cleaned).map_err(|m| {
                if o.row.state == OrderState::Open {
                    ServiceError::invalid("reason", m)
                } else {
                    refused(m)
                }
            })?;
            store::set_closed(tx, order_id, OrderState::Cancelled, &at, me, Some(&reason))?;
            store::insert_event(
                tx,
                order_id,
                &at,
                Some(me),
                "cancel",
                &format!("撤销：{reason}"),
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "order.cancel",
                    entity: "work_order",
                    entity_id: &o.row.tracking_no,
                    changes: Changes::new()
                        .field("state", o.row.state.code(), OrderState::Cancelled.code())
                        .note("reason", reason.clone()),
                },
            )?;
            Ok(())
        })
    }

    /// Fast channel (快速通道): the chief lets a customer of good standing be connected
    /// before the paperwork is complete. Recorded with a reason, visible to auditors.
    pub fn set_fast_channel(
        &mut self,
        session: &Session,
        order_id: i64,
        on: bool,
        reason: &str,
    ) -> ServiceResult<()> {
        let Cx {
            session,
            now,
            at,
            actor,
        } = self.begin_to(session, Need::Chief, "开通快速通道")?;
        let reason = if on {
            required_line(reason, "reason", "开通原因", 200)?
        } else {
            line(reason, "reason", "原因", 200)?
        };
        let me = session.staff_id;
        self.store.write(|tx| -> ServiceResult<()> {
            let o = load(tx, order_id)?;
            if o.row.state != OrderState::Open {
                return Err(refused(format!("工单{}", o.row.state.label())));
            }
            if o.row.fast_channel == on {
                return Ok(());
            }
            store::set_fast_channel(tx, order_id, on, me, &reason)?;
            let what = if on {
                "开通快速通道"
            } else {
                "关闭快速通道"
            };
            store::insert_event(
                tx,
                order_id,
                &at,
                Some(me),
                "fast_channel",
                &format!("{what}：{reason}"),
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "order.fast_channel",
                    entity: "work_order",
                    entity_id: &o.row.tracking_no,
                    changes: Changes::new()
                        .field("fast_channel", o.row.fast_channel, on)
                        .note("reason", reason.clone()),
                },
            )?;
            Ok(())
        })
    }
}

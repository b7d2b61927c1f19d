//! Customer pauses of an order's clock (资料未补齐, 客户要求暂缓 …): started with a cause
//! and a reason, ended once, never deleted, each with its audit entry. They are the only
//! deadline data stored; every promised date is computed from them and the stages.
use super::*;

impl Service {
    /// Stop the clock of an open order for customer time, from `from` (not in the future,
    /// not before acceptance), with a cause and a reason. One pause runs at a time.
    pub fn pause_order(
        &mut self,
        session: &Session,
        order_id: i64,
        cause: PauseCause,
        reason: &str,
        from: NaiveDate,
    ) -> ServiceResult<()> {
        let Cx {
            session,
            now,
            at,
            actor,
        } = self.begin(session, Need::Write)?;
        let reason = clean_text(reason).trim().to_string();
        if reason.is_empty() {
            return Err(ServiceError::invalid(
                "reason",
                "请填写暂停原因（客户方面的原因）",
            ));
        }
        if reason.chars().count() > 200 {
            return Err(ServiceError::invalid(
                "reason",
                "暂停原因过长（最多 200 个字）",
            ));
        }
        if from > now.date() {
            return Err(ServiceError::invalid("from", "暂停开始日期不能晚于今天"));
        }
        let me = session.staff_id;
        self.store.write(|tx| -> ServiceResult<()> {
            let o = order_store::order_by_id(tx, order_id)?
                .ok_or_else(|| ServiceError::NotFound("该工单".into()))?;
            if o.state != OrderState::Open {
                return Err(refused("工单已办结或撤销，不能暂停计时"));
            }
            if o.kind == RequestKind::Inquiry {
                return Err(refused("咨询类工单没有时限"));
            }
            if date_of(&o.created_at).is_some_and(|acc| from < acc) {
                return Err(ServiceError::invalid(
                    "from",
                    "暂停开始日期不能早于受理日期",
                ));
            }
            if store::running_pause(tx, order_id)?.is_some() {
                return Err(refused("该工单已在暂停计时中，请先恢复计时"));
            }
            let from_s = from.format("%Y-%m-%d").to_string();
            let id = store::insert_pause(tx, order_id, cause, &reason, &from_s, me, &at)?;
            order_store::insert_event(
                tx,
                order_id,
                &at,
                Some(me),
                "pause",
                &format!("暂停计时（{}）自 {from_s}：{reason}", cause.label()),
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "order.pause",
                    entity: "work_order",
                    entity_id: &o.tracking_no,
                    changes: Changes::new()
                        .created("pause_id", id)
                        .created("cause", cause.code())
                        .created("from", from_s.clone())
                        .note("reason", reason.clone()),
                },
            )?;
            Ok(())
        })
    }

    /// Start the clock again: counting resumes on `resume_on` (the pause covers the days
    /// before it). `resume_on` is after the pause began and not in the future.
    pub fn resume_order(
        &mut self,
        session: &Session,
        order_id: i64,
        resume_on: NaiveDate,
    ) -> ServiceResult<()> {
        let Cx {
            session,
            now,
            at,
            actor,
        } = self.begin(session, Need::Write)?;
        if resume_on > now.date() {
            return Err(ServiceError::invalid(
                "resume_on",
                "恢复计时日期不能晚于今天",
            ));
        }
        let me = session.staff_id;
        self.store.write(|tx| -> ServiceResult<()> {
            let o = order_store::order_by_id(tx, order_id)?
                .ok_or_else(|| ServiceError::NotFound("该工单".into()))?;
            let p = store::running_pause(tx, order_id)?
                .ok_or_else(|| refused("该工单没有在暂停计时"))?;
            let from = date_of(&p.from_date).ok_or_else(|| refused("暂停记录的日期已损坏"))?;
            if resume_on <= from {
                return Err(ServiceError::invalid(
                    "resume_on",
                    format!("恢复计时日期须晚于暂停开始日期 {from}"),
                ));
            }
            let last = resume_on.pred_opt().unwrap_or(from);
            let to_s = last.format("%Y-%m-%d").to_string();
            store::end_pause(tx, p.id, &to_s, me, &at)?;
            order_store::insert_event(
                tx,
                order_id,
                &at,
                Some(me),
                "resume",
                &format!("恢复计时（{resume_on} 起；暂停 {} 至 {to_s}）", p.from_date),
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "order.resume",
                    entity: "work_order",
                    entity_id: &o.tracking_no,
                    changes: Changes::new()
                        .field("pause_to", serde_json::Value::Null, to_s.clone())
                        .note("pause_id", p.id),
                },
            )?;
            Ok(())
        })
    }
}

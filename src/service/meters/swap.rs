//! 换表: a meter from stock put on a customer's account and the old one taken off, in one
//! transaction, the old meter's last stretch checked (a lower reading only as a confirmed
//! rollover), the plan item and a 故障换表 order fulfilled; and the swap slip (换表工作单).
use rusqlite::OptionalExtension;
use rust_decimal::Decimal;

use crate::domain::meter::{self, AdvanceError, MeterStatus, Segment, SwapReason};
use crate::domain::role::Need;
use crate::domain::validate;
use crate::service::{Service, ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::meters::{self as store, NewSwap, Placement, SwapRow};

/// What is typed for a swap (换表).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SwapInput {
    pub customer_id: i64,
    /// the meter taken off (empty for a first installation)
    pub old_asset_no: String,
    pub old_final: String,
    pub old_seals: String,
    /// the old register rolled over (confirmed by the person who read it)
    pub rollover: bool,
    pub new_asset_no: String,
    pub new_initial: String,
    pub new_multiplier: String,
    pub new_seals: String,
    pub swapped_on: String,
    /// user name of who did the swap on site
    pub staff: String,
    pub reason: Option<SwapReason>,
    pub position: String,
    pub order_id: Option<i64>,
}

/// A swap recorded, with the consumption of the old meter's last stretch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwapDone {
    pub swap_id: i64,
    /// the old meter's advance since its last reading, times its multiplier
    pub old_kwh: Option<Decimal>,
    /// the 故障换表 order whose 换表 stage this swap completed
    pub order_done: Option<i64>,
}

impl Service {
    /// Put a meter from stock on a customer's account, taking the old one off (拆回) with its
    /// final reading: one transaction with its audit entry. The old meter's consumption since
    /// its last reading is checked now (a lower reading is refused unless a rollover is
    /// confirmed), so the readings issue bills each stretch exactly once.
    pub fn swap_meter(&mut self, session: &Session, i: &SwapInput) -> ServiceResult<SwapDone> {
        let cx = self.begin(session, Need::Write)?;
        let conn = self.store().conn();
        let customer = crate::store::customers::by_id(conn, i.customer_id)?
            .ok_or_else(|| ServiceError::NotFound("该客户".into()))?;
        let reason = i
            .reason
            .ok_or_else(|| ServiceError::invalid("reason", "请选择换表原因"))?;
        let swapped_on =
            validate::date(&i.swapped_on).map_err(|m| ServiceError::invalid("swapped_on", m))?;
        if swapped_on > cx.today() {
            return Err(ServiceError::invalid("swapped_on", "换表日期不能晚于今天"));
        }
        // who did it on site
        let staff_name = i.staff.trim();
        let staff_id = if staff_name.is_empty() {
            cx.staff_id()
        } else {
            crate::store::staff::by_username(conn, staff_name)?
                .filter(|s| s.active)
                .map(|s| s.id)
                .ok_or_else(|| {
                    ServiceError::invalid(
                        "staff",
                        format!("没有在用的账号 {}", validate::shown(staff_name)),
                    )
                })?
        };
        let seals = |s: &str, key: &'static str| -> ServiceResult<String> {
            let t = validate::fold_digits(s).trim().to_string();
            if t.chars().count() > 60 || t.chars().any(char::is_control) {
                return Err(ServiceError::invalid(key, "封印号最多 60 个字"));
            }
            Ok(t)
        };
        let new_seals = seals(&i.new_seals, "new_seals")?;
        let old_seals = seals(&i.old_seals, "old_seals")?;
        let position = i.position.trim().to_string();
        if position.chars().count() > 30 {
            return Err(ServiceError::invalid("position", "安装位置最多 30 个字"));
        }

        // the new meter: from stock, with its multiplier checked
        let new_no = meter::asset_no(&i.new_asset_no)
            .map_err(|m| ServiceError::invalid("new_asset_no", m))?;
        let new = store::by_asset_no(conn, &new_no)?.ok_or_else(|| {
            ServiceError::invalid("new_asset_no", format!("资产编号 {new_no} 不在册"))
        })?;
        if new.status != MeterStatus::Stock {
            return Err(ServiceError::invalid(
                "new_asset_no",
                format!("表计 {new_no} 现为“{}”，不是库存表", new.status.label()),
            ));
        }
        if !new.kind.is_meter() {
            return Err(ServiceError::invalid(
                "new_asset_no",
                format!("{new_no} 是{}，不是电能表", new.kind.label()),
            ));
        }
        if meter::expired(new.valid_until, swapped_on) {
            return Err(ServiceError::invalid(
                "new_asset_no",
                format!("表计 {new_no} 的检定有效期到 {} 已过", new.valid_until),
            ));
        }
        let new_multiplier = if i.new_multiplier.trim().is_empty() {
            new.multiplier
        } else {
            let m = validate::whole_number(&i.new_multiplier, 1, 1_000_000)
                .map_err(|m| ServiceError::invalid("new_multiplier", m))?
                as u32;
            if m != new.multiplier {
                return Err(ServiceError::invalid(
                    "new_multiplier",
                    format!("倍率 {m} 与表计登记的变比不符：应为 {}", new.multiplier),
                ));
            }
            m
        };
        let new_initial = meter::reading(&i.new_initial, new.digits)
            .map_err(|m| ServiceError::invalid("new_initial", m))?;

        // the old meter: on this account, its final reading not below the last one
        let old = if i.old_asset_no.trim().is_empty() {
            if reason != SwapReason::Install {
                let on = store::of_customer(conn, i.customer_id)?;
                if !on.is_empty() {
                    return Err(ServiceError::invalid(
                        "old_asset_no",
                        "请输入拆下的旧表资产编号",
                    ));
                }
            }
            None
        } else {
            let no = meter::asset_no(&i.old_asset_no)
                .map_err(|m| ServiceError::invalid("old_asset_no", m))?;
            let m = store::by_asset_no(conn, &no)?
                .filter(|m| {
                    m.status == MeterStatus::InService && m.customer_id == Some(i.customer_id)
                })
                .ok_or_else(|| {
                    ServiceError::invalid("old_asset_no", format!("表计 {no} 不在该户运行"))
                })?;
            let last = store::last_reading(conn, m.id)?;
            if let Some((day, _)) = last
                && swapped_on < day
            {
                return Err(ServiceError::invalid(
                    "swapped_on",
                    format!("换表日期不能早于旧表上次抄见日期 {day}"),
                ));
            }
            let fin = meter::reading(&i.old_final, m.digits)
                .map_err(|e| ServiceError::invalid("old_final", e))?;
            let from = last.map_or(fin, |(_, c)| meter::from_centi(c));
            let seg = Segment {
                from,
                to: fin,
                multiplier: m.multiplier,
                digits: m.digits,
                rollover_confirmed: i.rollover,
            };
            let kwh = meter::consumption(&[seg]).map_err(|e| match e {
                AdvanceError::BelowLast => ServiceError::invalid(
                    "old_final",
                    format!("止码 {} 小于上次示数 {}", fin.normalize(), from.normalize()),
                ),
                e @ AdvanceError::RolloverUnconfirmed { .. } => {
                    ServiceError::invalid("old_final", e.to_string())
                }
            })?;
            Some((m, fin, kwh))
        };
        if reason == SwapReason::Install && old.is_some() {
            return Err(ServiceError::invalid(
                "reason",
                "拆下旧表的换表原因不能是“新装”",
            ));
        }

        // a fault swap fulfils the account's open 故障换表 order (the oldest)
        let fault_order: Option<i64> = match (i.order_id, reason) {
            (Some(id), _) => Some(id),
            (None, SwapReason::Fault) => self
                .store()
                .conn()
                .query_row(
                    "SELECT id FROM work_order WHERE customer_id = ?1 AND kind = 'faulty_meter'
                       AND state = 'open' ORDER BY id LIMIT 1",
                    [i.customer_id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(crate::store::StoreError::from)?,
            (None, _) => None,
        };
        let done = self.store_mut().write(|tx| -> ServiceResult<SwapDone> {
            let why = format!("换表：{}", reason.label());
            if let Some((m, _, _)) = &old {
                let place = Placement {
                    seals: old_seals.clone(),
                    ..Placement::default()
                };
                if !store::set_status(
                    tx,
                    m.id,
                    MeterStatus::InService,
                    MeterStatus::Removed,
                    &place,
                    &cx.at,
                    staff_id,
                    &why,
                )? {
                    return Err(ServiceError::Refused(
                        "旧表状态已被他人改变，请刷新后重试".into(),
                    ));
                }
            }
            let place = Placement {
                customer_id: Some(i.customer_id),
                area_id: None,
                position: position.clone(),
                seals: new_seals.clone(),
            };
            if !store::set_status(
                tx,
                new.id,
                MeterStatus::Stock,
                MeterStatus::InService,
                &place,
                &cx.at,
                staff_id,
                &why,
            )? {
                return Err(ServiceError::invalid(
                    "new_asset_no",
                    "新表已被他人领用，请换一只",
                ));
            }
            let swap = NewSwap {
                customer_id: i.customer_id,
                swapped_on,
                at: cx.at.clone(),
                staff_id,
                recorded_by: cx.staff_id(),
                reason,
                old: old
                    .as_ref()
                    .map(|(m, fin, _)| (m.id, meter::to_centi(*fin), m.multiplier)),
                old_seals: old_seals.clone(),
                rollover: i.rollover && old.is_some(),
                new_meter_id: new.id,
                new_initial_centi: meter::to_centi(new_initial),
                new_multiplier,
                new_seals: new_seals.clone(),
                order_id: fault_order,
            };
            let id = store::insert_swap(tx, &swap)?;
            // the rotation plan item of the old meter is done by this swap
            let planned = match &old {
                Some((m, _, _)) => crate::store::rotation::open_item_of_meter(tx, m.id)?,
                None => None,
            };
            if let Some((item, _, _)) = planned {
                crate::store::rotation::mark_done(tx, item, id, swapped_on)?;
            }
            let mut ch = Changes::new()
                .note("customer", customer.account_no.clone())
                .note("reason", reason.label())
                .note("swapped_on", swapped_on.to_string())
                .note("new_meter", new.asset_no.clone())
                .note("new_initial", new_initial.normalize().to_string())
                .note("new_multiplier", i64::from(new_multiplier));
            if let Some((m, fin, kwh)) = &old {
                ch = ch
                    .note("old_meter", m.asset_no.clone())
                    .note("old_final", fin.normalize().to_string())
                    .note("old_kwh", kwh.normalize().to_string());
                if i.rollover {
                    ch = ch.note("rollover", "是");
                }
            }
            if let Some((_, year, month)) = planned {
                ch = ch.note("plan", format!("{year} 年轮换计划 {month} 月"));
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "meter.swap",
                    entity: "customer",
                    entity_id: &customer.account_no,
                    changes: ch,
                },
            )?;
            Ok(SwapDone {
                swap_id: id,
                old_kwh: old.as_ref().map(|(_, _, k)| *k),
                order_done: None,
            })
        })?;
        // then the order's 换表 stage is done (its own audited step; should it be refused,
        // the swap stands and the order stays on the board)
        let Some(order) = fault_order else {
            return Ok(done);
        };
        let note = format!("换表工作单 {}", super::slip::swap_slip_no(done.swap_id));
        let finished = self
            .complete_stage(
                session,
                order,
                crate::domain::work_order::Stage::MeterSwap,
                &note,
            )
            .ok()
            .map(|_| order);
        Ok(SwapDone {
            order_done: finished,
            ..done
        })
    }

    pub fn meter_swap(&self, id: i64) -> ServiceResult<SwapRow> {
        store::swap_by_id(self.store().conn(), id)?
            .ok_or_else(|| ServiceError::NotFound("该换表记录".into()))
    }
}

//! Corrections, each approved by the chief: a void (作废, same business day, before the
//! cashier's day end; the receipt keeps its number, marked void) and a reversal (红冲, a new
//! negative receipt referencing the original; both kept). The chief alone waives a bill's
//! late fee and declares outage periods. Nothing is ever edited or deleted.
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::account::{account_state, collectible_fees, fee_lines};
use super::post::{FeeEvent, Posting, done_of, post, refresh_fees};
use super::take::PaymentDone;
use super::{Rules, date_text, fen, yuan};
use crate::domain::clock;
use crate::domain::money;
use crate::domain::role::Need;
use crate::domain::role::Role;
use crate::service::Cx;
use crate::service::orders::required_line;
use crate::service::{Service, ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Actor, Changes, NewEntry};
use crate::store::billing::payments::{self, NewAllocation, ReceiptRow};
use crate::store::billing::{self as bstore, day_end as dstore};
use crate::store::staff::{self, StaffRow};

/// A declared outage period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutagePeriod {
    pub id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: String,
    pub declared_by: String,
    pub declared_at: String,
}

/// What a payment applied to bills and fees (its lines other than prepaid), 分: the arrears
/// an undo owes again.
pub(crate) fn applied(rows: &[payments::AllocationRow]) -> i64 {
    rows.iter()
        .filter(|a| !a.kind.starts_with("prepaid"))
        .map(|a| a.amount_fen)
        .sum()
}

/// Net prepaid balance a payment added (negative: used), 分.
pub(crate) fn prepaid_net(rows: &[payments::AllocationRow]) -> i64 {
    rows.iter()
        .filter(|a| a.kind == "prepaid_add" || a.kind == "prepaid_use")
        .map(|a| a.amount_fen)
        .sum()
}

/// What must hold for undoing a receipt (void or reversal), checked again inside the
/// transaction.
fn check_undo(conn: &rusqlite::Connection, r: &ReceiptRow, what: &str) -> ServiceResult<()> {
    if r.voided_at.is_some() {
        return Err(ServiceError::Refused(format!(
            "收据 {} 已作废",
            r.receipt_no
        )));
    }
    if r.reverses_id.is_some() {
        return Err(ServiceError::Refused(format!(
            "收据 {} 是红冲收据，不能再{what}",
            r.receipt_no
        )));
    }
    if let Some(rev) = &r.reversed_by_no {
        return Err(ServiceError::Refused(format!(
            "收据 {} 已由 {rev} 红冲",
            r.receipt_no
        )));
    }
    if let Some(cid) = r.customer_id {
        let rows = payments::allocations_of(conn, r.payment_id)?;
        let balance = bstore::prepaid_balance(conn, cid)?;
        if balance - prepaid_net(&rows) < 0 {
            return Err(ServiceError::Refused(format!(
                "收据 {} 存入的预收款已被使用（现余额 {} 元），不能{what}",
                r.receipt_no,
                money::format_yuan(yuan(balance))
            )));
        }
    }
    Ok(())
}

fn check_void(conn: &rusqlite::Connection, r: &ReceiptRow, today: NaiveDate) -> ServiceResult<()> {
    check_undo(conn, r, "作废")?;
    if r.business_date != date_text(today) {
        return Err(ServiceError::Refused(format!(
            "只能作废当天的收据：收据 {} 开具于 {}，请用红冲更正",
            r.receipt_no, r.business_date
        )));
    }
    // a receipt a closing covers stays as closed; one taken after it may still be voided
    if r.payment_id <= dstore::covered(conn, r.cashier_id, &r.business_date)? {
        return Err(ServiceError::Refused(format!(
            "{} 已完成 {} 的日结，收据 {} 不能再作废，请用红冲更正",
            r.cashier_name, r.business_date, r.receipt_no
        )));
    }
    Ok(())
}

fn load_receipt(conn: &rusqlite::Connection, receipt_id: i64) -> ServiceResult<ReceiptRow> {
    payments::receipt_by_id(conn, receipt_id)?
        .ok_or_else(|| ServiceError::NotFound("该收据".into()))
}

/// The transaction part of a void, the chief's approval already given (`reason` checked).
pub(crate) fn void_in(
    tx: &rusqlite::Connection,
    session: &Session,
    receipt_id: i64,
    chief: &StaffRow,
    reason: &str,
    now: NaiveDateTime,
) -> ServiceResult<()> {
    let r = load_receipt(tx, receipt_id)?;
    check_void(tx, &r, now.date())?;
    payments::insert_void(
        tx,
        receipt_id,
        &clock::to_db(now),
        session.staff_id,
        chief.id,
        reason,
    )?;
    audit::append(
        tx,
        NewEntry {
            at: now,
            actor: &session.actor(),
            action: "payment.void",
            entity: "receipt",
            entity_id: &r.receipt_no,
            changes: Changes::new()
                .field("state", "valid", "void")
                .note("amount", money::format_yuan(yuan(r.amount_fen)))
                .note("approved_by", chief.display_name.clone())
                .note("reason", reason),
        },
    )?;
    let fee_ids: Vec<i64> = payments::allocations_of(tx, r.payment_id)?
        .iter()
        .filter_map(|a| a.fee_id)
        .collect();
    refresh_fees(tx, &fee_ids, now, session, &r.receipt_no, FeeEvent::Void)
}

/// The transaction part of a reversal, the chief's approval already given.
pub(crate) fn reverse_in(
    tx: &rusqlite::Connection,
    session: &Session,
    receipt_id: i64,
    chief: &StaffRow,
    reason: &str,
    rules: &Rules,
    now: NaiveDateTime,
) -> ServiceResult<PaymentDone> {
    let r = load_receipt(tx, receipt_id)?;
    check_undo(tx, &r, "红冲")?;
    let rows = payments::allocations_of(tx, r.payment_id)?;
    let allocations: Vec<NewAllocation> = rows
        .iter()
        .map(|a| NewAllocation {
            kind: match a.kind.as_str() {
                "principal" => "principal",
                "late_fee" => "late_fee",
                "order_fee" => "order_fee",
                "prepaid_use" => "prepaid_use",
                _ => "prepaid_add",
            },
            customer_id: r.customer_id,
            bill_id: a.bill_id,
            fee_id: a.fee_id,
            amount_fen: -a.amount_fen,
            // the original's count, so the red line explains the amount it gives back
            basis: a.basis,
        })
        .collect();
    let applied = applied(&rows);
    let (owed_now, prepaid_now) = match r.customer_id {
        Some(cid) => {
            let st = account_state(tx, cid, now.date(), rules)?;
            (st.total_owed(), st.prepaid)
        }
        None => {
            let order = r.order_id.unwrap_or_default();
            let fees = fee_lines(tx, bstore::fees_owed_on_order(tx, order)?)?;
            let owed: Decimal = collectible_fees(&fees).iter().map(|f| f.owed).sum();
            (owed, Decimal::ZERO)
        }
    };
    let key = format!("reverse:{}", r.payment_id);
    let (pid, _, _) = post(
        tx,
        &Posting {
            customer_id: r.customer_id,
            order_id: r.order_id,
            party: super::receipts::payer_of(&r),
            amount_fen: -r.amount_fen,
            method: r.method,
            reference: &r.reference,
            tendered_fen: None,
            change_fen: None,
            allocations,
            request_key: &key,
            reverses: Some((r.payment_id, &r.receipt_no)),
            approved_by: Some(chief.id),
            reason,
            prepaid_after_fen: fen(prepaid_now)? - prepaid_net(&rows),
            arrears_after_fen: fen(owed_now)? + applied,
        },
        session,
        now,
    )?;
    done_of(tx, pid, false)
}

impl Service {
    /// The chief approves at the counter: user name and password of an active chief. Wrong
    /// passwords here are counted on their own (never locking the chief out of signing in):
    /// after `security.approval_max_failed` in a row, approvals by that chief pause for
    /// `security.approval_pause_minutes`; each wrong try is audited. The form calls this
    /// before its confirm dialog ([`Service::check_chief_approval`]) and the void or
    /// reversal calls it again.
    fn chief_approval(
        &mut self,
        username: &str,
        password: &str,
        what: &str,
    ) -> ServiceResult<StaffRow> {
        let username = username.trim();
        if username.is_empty() {
            return Err(ServiceError::invalid("chief_username", "请所长输入用户名"));
        }
        if password.is_empty() {
            return Err(ServiceError::invalid("chief_password", "请所长输入密码"));
        }
        let row = staff::by_username(self.store.conn(), username)?
            .filter(|r| r.role == Role::Chief && r.active)
            .ok_or_else(|| ServiceError::invalid("chief_username", "须由所长本人审批"))?;
        let max = self.int_setting("security.approval_max_failed")?;
        let minutes = self.int_setting("security.approval_pause_minutes")?;
        let matches = crate::service::auth::password_matches(password, &row.password_hash);
        let now = self.now();
        let refused = self.store.write(|tx| -> ServiceResult<Option<String>> {
            let (failed, until) = staff::approval_state(tx, row.id)?;
            if let Some(until) = until.as_deref().and_then(clock::from_db)
                && until > now
            {
                return Ok(Some(format!(
                    "所长审批密码连续输错，暂停审批到 {}（不影响登录）",
                    until.format("%H:%M")
                )));
            }
            if matches {
                if failed != 0 || until.is_some() {
                    staff::set_approval_state(tx, row.id, 0, None)?;
                }
                return Ok(None);
            }
            let failed = failed + 1;
            let paused = (failed >= max).then(|| now + chrono::Duration::minutes(minutes));
            let paused_text = paused.map(clock::to_db);
            staff::set_approval_state(
                tx,
                row.id,
                if paused.is_some() { 0 } else { failed },
                paused_text.as_deref(),
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &Actor::system("柜台审批"),
                    action: "auth.approval_failed",
                    entity: "staff",
                    entity_id: &row.id.to_string(),
                    changes: Changes::new()
                        .note("during", what)
                        .note("failed_attempts", failed)
                        .note("paused_until", paused_text.clone()),
                },
            )?;
            Ok(Some(match paused {
                Some(until) => format!(
                    "所长密码不对，已连续输错 {failed} 次，暂停审批到 {}（不影响登录）",
                    until.format("%H:%M")
                ),
                None => format!("所长密码不对（再错 {} 次将暂停审批）", max - failed),
            }))
        })?;
        match refused {
            Some(m) => Err(ServiceError::invalid("chief_password", m)),
            None => Ok(row),
        }
    }

    /// The chief's approval checked before the confirm dialog of a void or a reversal, so
    /// that the clerk never confirms an act the password then refuses.
    pub fn check_chief_approval(
        &mut self,
        session: &Session,
        chief_username: &str,
        chief_password: &str,
        what: &str,
    ) -> ServiceResult<()> {
        self.begin(session, Need::Cashier)?;
        self.chief_approval(chief_username, chief_password, what)
            .map(|_| ())
    }

    /// Void (作废) a receipt of today, before its cashier's day end, with the chief's
    /// password and a reason. The receipt keeps its number, marked void; what it paid is
    /// owed again and the prepaid balance it moved is restored.
    pub fn void_receipt(
        &mut self,
        session: &Session,
        receipt_id: i64,
        chief_username: &str,
        chief_password: &str,
        reason: &str,
    ) -> ServiceResult<()> {
        let Cx { session, now, .. } = self.begin(session, Need::Cashier)?;
        let reason = required_line(reason, "reason", "作废原因", 200)?;
        check_void(
            self.store.conn(),
            &load_receipt(self.store.conn(), receipt_id)?,
            now.date(),
        )?;
        let chief = self.chief_approval(chief_username, chief_password, "payment.void")?;
        self.store
            .write(|tx| void_in(tx, &session, receipt_id, &chief, &reason, now))
    }

    /// Reverse (红冲) a receipt: a new negative receipt referencing it, with the chief's
    /// password and a reason. Both are kept; what the original paid is owed again from
    /// today. The reversal belongs to the signed-in cashier's day.
    pub fn reverse_receipt(
        &mut self,
        session: &Session,
        receipt_id: i64,
        chief_username: &str,
        chief_password: &str,
        reason: &str,
    ) -> ServiceResult<PaymentDone> {
        let Cx { session, now, .. } = self.begin(session, Need::Cashier)?;
        let reason = required_line(reason, "reason", "红冲原因", 200)?;
        check_undo(
            self.store.conn(),
            &load_receipt(self.store.conn(), receipt_id)?,
            "红冲",
        )?;
        let chief = self.chief_approval(chief_username, chief_password, "payment.reverse")?;
        let rules = self.billing_rules()?;
        self.store.write(|tx| {
            let now = super::post::not_before_last_receipt(tx, now, &session)?;
            reverse_in(tx, &session, receipt_id, &chief, &reason, &rules, now)
        })
    }

    /// The chief waives a bill's late fee (all of it, for every day), with a reason.
    pub fn waive_late_fee(
        &mut self,
        session: &Session,
        bill_id: i64,
        reason: &str,
    ) -> ServiceResult<()> {
        let Cx {
            session,
            now,
            at,
            actor,
        } = self.begin_to(session, Need::Chief, "免收违约金")?;
        let reason = required_line(reason, "reason", "免收原因", 200)?;
        let rules = self.billing_rules()?;
        self.store.write(|tx| -> ServiceResult<()> {
            let bill = bstore::bill_by_id(tx, bill_id)?
                .ok_or_else(|| ServiceError::NotFound("该账单".into()))?;
            if bill.waived {
                return Err(ServiceError::Refused("该账单的违约金已免收".into()));
            }
            let st = account_state(tx, bill.customer_id, now.date(), &rules)?;
            let late = st
                .bills
                .iter()
                .find(|b| b.line.bill_id == bill_id)
                .map(|b| b.line.late_fee)
                .unwrap_or_default();
            bstore::insert_waiver(tx, bill_id, &reason, session.staff_id, &at)?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "bill.waive_late_fee",
                    entity: "bill",
                    entity_id: &format!("{}/{}", st.customer.account_no, bill.period),
                    changes: Changes::new()
                        .field("late_fee_waived", false, true)
                        .note("late_fee_owed", money::format_yuan(late))
                        .note("reason", reason.clone()),
                },
            )?;
            Ok(())
        })
    }

    /// The chief declares an outage / switch-over period: no late fee accrues from `from`
    /// through `to`. Returns its id.
    pub fn declare_outage(
        &mut self,
        session: &Session,
        from: NaiveDate,
        to: NaiveDate,
        reason: &str,
    ) -> ServiceResult<i64> {
        let Cx {
            session,
            now,
            at,
            actor,
        } = self.begin_to(session, Need::Chief, "登记系统停运期")?;
        if to < from {
            return Err(ServiceError::invalid("to", "结束日期不能早于开始日期"));
        }
        let reason = required_line(reason, "reason", "原因", 200)?;
        self.store.write(|tx| -> ServiceResult<i64> {
            let id = bstore::insert_outage(
                tx,
                &date_text(from),
                &date_text(to),
                &reason,
                session.staff_id,
                &at,
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "billing.outage",
                    entity: "outage_period",
                    entity_id: &id.to_string(),
                    changes: Changes::new()
                        .created("from", date_text(from))
                        .created("to", date_text(to))
                        .created("reason", reason.clone()),
                },
            )?;
            Ok(id)
        })
    }

    /// Declared outage periods, earliest first.
    pub fn outage_periods(&self) -> ServiceResult<Vec<OutagePeriod>> {
        bstore::outages(self.store.conn())?
            .into_iter()
            .map(|o| {
                Ok(OutagePeriod {
                    id: o.id,
                    from: super::db_date(&o.from_date)?,
                    to: super::db_date(&o.to_date)?,
                    reason: o.reason,
                    declared_by: o.declared_by,
                    declared_at: o.declared_at,
                })
            })
            .collect()
    }
}

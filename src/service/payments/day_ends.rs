//! Closed day ends: the report as printed (with the audit chain's head), its prints, the
//! lists (the chief and auditors see every cashier's), and the days still to close.
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::{date_text, db_date, db_time, sees_all, yuan};
use crate::domain::role::Need;
use crate::print::{DayEndView, Denomination, MethodTotal};
use crate::service::Cx;
use crate::service::{Service, ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::billing::day_end as dstore;
use crate::store::staff;

/// A closed day end in a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayEndSummary {
    pub id: i64,
    pub cashier_id: i64,
    pub cashier: String,
    pub business_date: NaiveDate,
    pub closed_at: NaiveDateTime,
    pub expected_total: Decimal,
    pub cash_expected: Decimal,
    pub cash_counted: Decimal,
    pub difference: Decimal,
    pub difference_reason: String,
}

/// A day with receipts and no day end yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenDay {
    pub cashier_id: i64,
    pub cashier: String,
    pub business_date: NaiveDate,
}

fn summary(d: &dstore::DayEndRow) -> ServiceResult<DayEndSummary> {
    Ok(DayEndSummary {
        id: d.id,
        cashier_id: d.cashier_id,
        cashier: d.cashier_name.clone(),
        business_date: db_date(&d.business_date)?,
        closed_at: db_time(&d.closed_at)?,
        expected_total: yuan(d.expected_fen),
        cash_expected: yuan(d.cash_expected_fen),
        cash_counted: yuan(d.cash_counted_fen),
        difference: yuan(d.difference_fen),
        difference_reason: d.difference_reason.clone(),
    })
}

impl Service {
    /// A closed day end as printed (`reprint` 0; see [`Service::record_day_end_print`]).
    pub fn day_end_view(&self, day_end_id: i64) -> ServiceResult<DayEndView> {
        let conn = self.store.conn();
        let d = dstore::by_id(conn, day_end_id)?
            .ok_or_else(|| ServiceError::NotFound("该日结记录".into()))?;
        let date = db_date(&d.business_date)?;
        // the voids and reversals of this closing's payments only
        let (after, upto) = dstore::batch_range(conn, d.id)?;
        let exceptions: Vec<_> =
            dstore::day_exceptions(conn, d.cashier_id, &d.business_date, after)?
                .into_iter()
                .filter(|r| r.payment_id <= upto)
                .collect();
        let (voids, reversals) = super::day_end::exception_items(&exceptions);
        // every receipt of this closing, by number, for the report's list
        let receipts =
            crate::store::billing::payments::receipts_of_day(conn, d.cashier_id, &d.business_date)?
                .into_iter()
                .filter(|r| r.payment_id > after && r.payment_id <= upto)
                .map(|r| crate::print::DayEndItem {
                    receipt_no: r.receipt_no.clone(),
                    customer_name: super::receipts::payer_of(&r),
                    amount: yuan(r.amount_fen),
                    reason: match (&r.voided_at, &r.reverses_no) {
                        (Some(_), _) => "作废".into(),
                        (None, Some(no)) => format!("红冲 {no}"),
                        (None, None) => String::new(),
                    },
                })
                .collect();
        let by_method = dstore::methods(conn, d.id)?
            .into_iter()
            .map(|(m, count, amount)| MethodTotal {
                method: m.label().to_string(),
                count: u32::try_from(count).unwrap_or(0),
                amount: yuan(amount),
            })
            .collect();
        let denominations = dstore::cash(conn, d.id)?
            .into_iter()
            .map(|(label, face, pieces)| Denomination {
                label,
                face: yuan(face),
                pieces: u32::try_from(pieces).unwrap_or(0),
            })
            .collect();
        Ok(DayEndView {
            batch: u32::try_from(d.batch).unwrap_or(1),
            station_name: self.require_station()?.name,
            cashier: d.cashier_name.clone(),
            business_date: date,
            closed_at: db_time(&d.closed_at)?,
            by_method,
            expected_total: yuan(d.expected_fen),
            receipt_first: d.receipt_first.clone(),
            receipt_last: d.receipt_last.clone(),
            receipt_count: u32::try_from(d.receipt_count).unwrap_or(0),
            voids,
            reversals,
            receipts,
            reprints: u32::try_from(d.reprint_count).unwrap_or(0),
            cash_expected: yuan(d.cash_expected_fen),
            denominations,
            cash_counted: yuan(d.cash_counted_fen),
            difference: yuan(d.difference_fen),
            difference_reason: d.difference_reason.clone(),
            audit_head_seq: d.audit_head_seq,
            audit_head_hash: d.audit_head_hash.clone(),
            reprint: 0,
            paper: self.receipt_paper()?,
        })
    }

    /// Record a print of a day-end report: 0 the first time, N for the N-th reprint.
    pub fn record_day_end_print(
        &mut self,
        session: &Session,
        day_end_id: i64,
    ) -> ServiceResult<u32> {
        let Cx { now, actor, .. } = self.begin(session, Need::Write)?;
        let id = day_end_id.to_string();
        let n = self.store.write(|tx| -> ServiceResult<i64> {
            dstore::by_id(tx, day_end_id)?
                .ok_or_else(|| ServiceError::NotFound("该日结记录".into()))?;
            let n = audit::count_for(tx, "dayend.print", "day_end", &id)?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "dayend.print",
                    entity: "day_end",
                    entity_id: &id,
                    changes: Changes::new().note("reprint", n),
                },
            )?;
            Ok(n)
        })?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Day ends from `from` through `to`, newest first: the chief and auditors see every
    /// cashier's, a cashier their own.
    pub fn day_ends(
        &self,
        session: &Session,
        from: NaiveDate,
        to: NaiveDate,
    ) -> ServiceResult<Vec<DayEndSummary>> {
        let Cx { session, .. } = self.begin(session, Need::Read)?;
        let who = (!sees_all(&session)).then_some(session.staff_id);
        dstore::list(self.store.conn(), who, &date_text(from), &date_text(to))?
            .iter()
            .map(summary)
            .collect()
    }

    /// Days with receipts but no day end, up to today: the cashier's own (the chief and
    /// auditors: everyone's), oldest first.
    pub fn days_to_close(&self, session: &Session) -> ServiceResult<Vec<OpenDay>> {
        let Cx { session, .. } = self.begin(session, Need::Read)?;
        let who = (!sees_all(&session)).then_some(session.staff_id);
        let conn = self.store.conn();
        dstore::open_days(conn, who, &date_text(self.clock.today()))?
            .into_iter()
            .map(|(date, cashier_id)| {
                Ok(OpenDay {
                    cashier_id,
                    cashier: staff::by_id(conn, cashier_id)?
                        .map(|s| s.display_name)
                        .unwrap_or_default(),
                    business_date: db_date(&date)?,
                })
            })
            .collect()
    }
}

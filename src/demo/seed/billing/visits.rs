//! The sampled customers' visits (the service's own transaction bodies), the reversal and
//! the day ends.
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use super::*;
use crate::service::payments::corrections::{reverse_in, void_in};
use crate::service::payments::day_end::close_in;
use crate::service::payments::receipts::print_in;
use crate::service::payments::take::take_in;

/// When a cashier closes `day`: 17:00–17:59 and some seconds, varied by cashier and day,
/// and at least two minutes after their last payment of the day.
fn close_time(
    tx: &rusqlite::Connection,
    seed: u64,
    cashier_id: i64,
    day: NaiveDate,
) -> ServiceResult<NaiveDateTime> {
    let h = plan::mix(seed, cashier_id as u64, day.num_days_from_ce() as u64);
    let at = day.and_hms_opt(17, 0, 0).unwrap_or_default() + Duration::seconds((h % 3600) as i64);
    let last: Option<String> = tx
        .query_row(
            "SELECT MAX(at) FROM payment WHERE cashier_id = ?1 AND business_date = ?2",
            rusqlite::params![cashier_id, date_text(day)],
            |r| r.get(0),
        )
        .map_err(crate::store::StoreError::from)?;
    let after_last = last
        .as_deref()
        .and_then(crate::domain::clock::from_db)
        .map(|t| t + Duration::minutes(2));
    Ok(after_last.map_or(at, |t| t.max(at)))
}

/// Demo-only wording of voids, the reversal and the shortage (recorded like any other).
const VOID_REASON: &str = "收款金额录错，作废后重收（演示）";
const REVERSE_REASON: &str = "重复缴费，客户要求退款，经所长批准红冲（演示）";
const SHORTAGE_REASON: &str = "点钞短款 1 元，收费员已当场补齐（演示）";
const REFUND_REASON: &str = "当日只有红冲退款，退款由备用金支付（演示）";

impl World {
    fn next_key(&mut self) -> String {
        self.keys += 1;
        format!("demo-{}", self.keys)
    }

    /// A sampled customer at the counter: taken and printed as `take_payment` and
    /// `record_receipt_print` do; now and then voided and taken again, or reprinted.
    pub(super) fn counter(
        &mut self,
        tx: &rusqlite::Connection,
        v: &Visit,
        now: NaiveDateTime,
    ) -> ServiceResult<()> {
        let c = self.customers[v.customer as usize];
        let cashier = self.cashiers[usize::from(v.cashier)].clone();
        let st = account_state(tx, c.id, v.at.date(), &self.rules)?;
        let amount = amount_of(&st, v.pays, v.at.date());
        if amount <= Decimal::ZERO {
            return Ok(());
        }
        let method = match (self.samples % 5, v.pays) {
            (_, Pays::Deposit(_)) | (0, _) => PayMethod::Mobile,
            _ => PayMethod::Cash,
        };
        let request = PaymentRequest {
            payer: Payer::Customer(c.id),
            amount,
            method,
            reference: if method == PayMethod::Mobile {
                format!("42000{:08}", self.keys)
            } else {
                String::new()
            },
            tendered: None,
            request_key: self.next_key(),
        };
        let done = take_in(tx, &cashier, &request, &self.rules, v.at)?;
        self.samples += 1;
        self.out.payments += 1;
        let today = v.at.date() == now.date();
        if today && !self.left_unprinted {
            // the program "died" before printing: offered as 补打 at the next start
            self.left_unprinted = true;
            return Ok(());
        }
        print_in(tx, &cashier, done.receipt_id, false, v.at)?;
        if self.samples % 61 == 5 {
            print_in(
                tx,
                &cashier,
                done.receipt_id,
                false,
                v.at + Duration::minutes(3),
            )?;
        }
        if !self.reversal_chosen
            && v.pays != Pays::AllOwed
            && v.at.date() + Duration::days(40) >= now.date()
            && v.at.date() + Duration::days(4) < now.date()
        {
            self.reversal_chosen = true;
            self.to_reverse = Some((done.receipt_id, usize::from(v.cashier), v.at.date()));
        }
        if self.samples % 89 == 11
            && self.out.voids < 3
            && !today
            && let Some(chief) = self.chief.clone()
        {
            void_in(
                tx,
                &cashier,
                done.receipt_id,
                &chief,
                VOID_REASON,
                v.at + Duration::minutes(6),
            )?;
            self.out.voids += 1;
            let again = PaymentRequest {
                request_key: self.next_key(),
                ..request
            };
            let at = v.at + Duration::minutes(8);
            let done = take_in(tx, &cashier, &again, &self.rules, at)?;
            print_in(tx, &cashier, done.receipt_id, false, at)?;
            self.out.payments += 1;
        }
        Ok(())
    }

    /// The one reversal of the demo, three days after the payment, at 09:05. One the rules
    /// refuse (its prepaid already used) is simply not made.
    pub(super) fn reverse(
        &mut self,
        tx: &rusqlite::Connection,
        receipt: i64,
        cashier: usize,
        on: NaiveDate,
    ) -> ServiceResult<()> {
        let Some(chief) = self.chief.clone() else {
            return Ok(());
        };
        let at = on.and_hms_opt(9, 5, 0).unwrap_or_default();
        let cashier = self.cashiers[cashier].clone();
        tx.execute_batch("SAVEPOINT demo_reversal")
            .map_err(crate::store::StoreError::from)?;
        match reverse_in(
            tx,
            &cashier,
            receipt,
            &chief,
            REVERSE_REASON,
            &self.rules,
            at,
        ) {
            Ok(done) => {
                print_in(tx, &cashier, done.receipt_id, false, at)?;
                self.out.reversals += 1;
                self.out.payments += 1;
            }
            Err(_) => tx
                .execute_batch("ROLLBACK TO demo_reversal")
                .map_err(crate::store::StoreError::from)?,
        }
        tx.execute_batch("RELEASE demo_reversal")
            .map_err(crate::store::StoreError::from)?;
        Ok(())
    }

    /// Close the day of every cashier who took money on it, between 17:00 and 17:59 (each
    /// cashier and day its own time, never before the cashier's last receipt): the cash
    /// counted matches, except one short day with its reason.
    pub(super) fn close(&mut self, tx: &rusqlite::Connection, day: NaiveDate) -> ServiceResult<()> {
        let date = date_text(day);
        for cashier_id in bstore::day_end::cashiers_to_close(tx, &date)? {
            let Some(row) = crate::store::staff::by_id(tx, cashier_id)? else {
                continue;
            };
            let at = close_time(tx, self.seed, cashier_id, day)?;
            let expected = bstore::day_end::cash_of_day(tx, cashier_id, &date, 0)?;
            let (counted, reason) = if expected < 0 {
                (0, REFUND_REASON)
            } else if !self.shortage_done && expected >= 100 {
                self.shortage_done = true;
                (expected - 100, SHORTAGE_REASON)
            } else {
                (expected, "")
            };
            close_in(tx, &session_of(&row), day, &count_cash(counted), reason, at)?;
            self.out.day_ends += 1;
        }
        Ok(())
    }
}

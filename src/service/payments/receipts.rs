//! Receipts: the view a printer lays out, prints and reprints (补打, counted), receipts
//! committed but never printed (offered at start-up), lists.
use chrono::NaiveDateTime;
use rust_decimal::Decimal;

use super::lines::receipt_lines;
use super::post::lines_day;
use super::{db_date, db_time, sees_all, yuan};
use crate::domain::billing::PayMethod;
use crate::domain::clock;
use crate::domain::role::Need;
use crate::print::{ReceiptView, VoidMark};
use crate::service::Cx;
use crate::service::{Service, ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::billing::payments::{self, ReceiptRow};

/// A receipt in a list (unprinted receipts, a customer's receipts, a day's receipts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptSummary {
    pub receipt_id: i64,
    pub receipt_no: String,
    pub issued_at: NaiveDateTime,
    pub business_date: chrono::NaiveDate,
    /// `户号 户名`, or the applicant's name for a work order's fees
    pub payer: String,
    /// 元; negative for a reversal
    pub amount: Decimal,
    /// as printed, e.g. `移动支付（参考号 4200001234）`
    pub method: String,
    pub cashier: String,
    pub voided: bool,
    /// reversal (红冲): the receipt it reverses
    pub reverses: Option<String>,
    /// the reversal of this receipt, if any
    pub reversed_by: Option<String>,
    /// times printed so far (0: never)
    pub prints: u32,
}

pub(crate) fn payer_of(r: &ReceiptRow) -> String {
    match (&r.account_no, &r.customer_name) {
        (Some(a), Some(n)) => format!("{a} {n}"),
        _ => r.applicant_name.clone().unwrap_or_default(),
    }
}

pub(crate) fn method_of(r: &ReceiptRow) -> String {
    r.method.describe(&r.reference)
}

pub(crate) fn summary_of(r: &ReceiptRow) -> ServiceResult<ReceiptSummary> {
    Ok(ReceiptSummary {
        receipt_id: r.receipt_id,
        receipt_no: r.receipt_no.clone(),
        issued_at: db_time(&r.issued_at)?,
        business_date: db_date(&r.business_date)?,
        payer: payer_of(r),
        amount: yuan(r.amount_fen),
        method: method_of(r),
        cashier: r.cashier_name.clone(),
        voided: r.voided_at.is_some(),
        reverses: r.reverses_no.clone(),
        reversed_by: r.reversed_by_no.clone(),
        prints: u32::try_from(r.prints).unwrap_or(0),
    })
}

/// Record a print inside the caller's transaction: 0 for the first, N for the N-th
/// reprint (a recovered first print is 1). Audited.
pub(crate) fn print_in(
    tx: &rusqlite::Connection,
    session: &Session,
    receipt_id: i64,
    recovered: bool,
    now: NaiveDateTime,
) -> ServiceResult<i64> {
    let r = payments::receipt_by_id(tx, receipt_id)?
        .ok_or_else(|| ServiceError::NotFound("该收据".into()))?;
    let n = payments::insert_print(
        tx,
        receipt_id,
        recovered,
        &clock::to_db(now),
        session.staff_id,
    )?;
    audit::append(
        tx,
        NewEntry {
            at: now,
            actor: &session.actor(),
            action: if n == 0 {
                "receipt.print"
            } else {
                "receipt.reprint"
            },
            entity: "receipt",
            entity_id: &r.receipt_no,
            changes: Changes::new()
                .note("reprint", n)
                .note("after_restart", recovered),
        },
    )?;
    Ok(n)
}

impl Service {
    /// The receipt as printed the first time (`reprint` 0); set `reprint` from
    /// [`Service::record_receipt_print`] before printing. A voided receipt carries its mark.
    pub fn receipt_view(&self, receipt_id: i64) -> ServiceResult<ReceiptView> {
        let conn = self.store.conn();
        let r = payments::receipt_by_id(conn, receipt_id)?
            .ok_or_else(|| ServiceError::NotFound("该收据".into()))?;
        let station = self.require_station()?;
        let rows = payments::allocations_of(conn, r.payment_id)?;
        let lines = receipt_lines(&rows, lines_day(conn, &r)?)?;
        let void = match (&r.voided_at, &r.void_reason) {
            (Some(at), Some(reason)) => {
                // a void puts the account back as it was before the payment
                use super::corrections::{applied, prepaid_net};
                Some(VoidMark {
                    at: db_time(at)?,
                    approved_by: r.void_approved_by.clone().unwrap_or_default(),
                    reason: reason.clone(),
                    prepaid_after: yuan(r.prepaid_after_fen - prepaid_net(&rows)),
                    arrears_after: yuan(r.arrears_after_fen + applied(&rows)),
                })
            }
            _ => None,
        };
        let (account_no, customer_name) = match (&r.account_no, &r.customer_name) {
            (Some(a), Some(n)) => (a.clone(), n.clone()),
            _ => (String::new(), r.applicant_name.clone().unwrap_or_default()),
        };
        let cash = r.method == PayMethod::Cash;
        Ok(ReceiptView {
            station_name: station.name,
            station_address: station.address,
            station_phone: station.phone,
            customer_address: r.customer_address.clone().unwrap_or_default(),
            area_name: r.area_name.clone().unwrap_or_default(),
            receipt_no: r.receipt_no.clone(),
            issued_at: db_time(&r.issued_at)?,
            account_no,
            customer_name,
            lines,
            total: yuan(r.amount_fen),
            method: method_of(&r),
            tendered: r.tendered_fen.filter(|_| cash).map(yuan),
            change: r.change_fen.filter(|_| cash).map(yuan),
            cashier: r.cashier_name.clone(),
            prepaid_after: yuan(r.prepaid_after_fen),
            arrears_after: yuan(r.arrears_after_fen),
            reprint: 0,
            void,
            reverses: r.reverses_no.clone().map(|no| (no, r.reason.clone())),
            anchor: crate::store::audit::first_of(conn, "receipt", &r.receipt_no)?,
            paper: self.receipt_paper()?,
        })
    }

    /// Record that the receipt is being printed: 0 for the first print, N for the N-th
    /// reprint (补打). Audited.
    pub fn record_receipt_print(
        &mut self,
        session: &Session,
        receipt_id: i64,
    ) -> ServiceResult<u32> {
        self.print_record(session, receipt_id, false)
    }

    /// Record the first print of a receipt committed but never printed (the program died
    /// before printing; offered at the next start): it prints as 补打, so this returns ≥ 1.
    pub fn record_recovered_receipt_print(
        &mut self,
        session: &Session,
        receipt_id: i64,
    ) -> ServiceResult<u32> {
        self.print_record(session, receipt_id, true)
    }

    /// The view with its print recorded: what the UI hands to the renderer.
    pub fn receipt_for_print(
        &mut self,
        session: &Session,
        receipt_id: i64,
        recovered: bool,
    ) -> ServiceResult<ReceiptView> {
        // the role first: a refusal does not depend on the receipt existing
        self.begin(session, Need::Write)?;
        let mut view = self.receipt_view(receipt_id)?;
        view.reprint = self.print_record(session, receipt_id, recovered)?;
        Ok(view)
    }

    fn print_record(
        &mut self,
        session: &Session,
        receipt_id: i64,
        recovered: bool,
    ) -> ServiceResult<u32> {
        let Cx { session, now, .. } = self.begin(session, Need::Write)?;
        let n = self
            .store
            .write(|tx| print_in(tx, &session, receipt_id, recovered, now))?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Receipts committed but never printed (the program died before printing) on days
    /// not yet closed: the cashier's own (the chief's and the auditor's: everyone's), oldest
    /// first. The UI offers them at start-up.
    pub fn unprinted_receipts(&self, session: &Session) -> ServiceResult<Vec<ReceiptSummary>> {
        let Cx { session, .. } = self.begin(session, Need::Read)?;
        let who = (!sees_all(&session)).then_some(session.staff_id);
        payments::unprinted(self.store.conn(), who)?
            .iter()
            .map(summary_of)
            .collect()
    }

    /// The customer's latest receipts, newest first.
    pub fn customer_receipts(
        &self,
        customer_id: i64,
        limit: usize,
    ) -> ServiceResult<Vec<ReceiptSummary>> {
        payments::receipts_of_customer(self.store.conn(), customer_id, limit as i64)?
            .iter()
            .map(summary_of)
            .collect()
    }

    /// A receipt by its number (`SJ2026000123`).
    pub fn find_receipt(&self, receipt_no: &str) -> ServiceResult<ReceiptSummary> {
        let no = receipt_no.trim().to_uppercase();
        let r = payments::receipt_by_no(self.store.conn(), &no)?.ok_or_else(|| {
            ServiceError::invalid(
                "receipt_no",
                format!("找不到收据 {}", crate::domain::validate::shown(&no)),
            )
        })?;
        summary_of(&r)
    }

    /// A cashier's receipts of one business day (their own; the chief and auditors: any
    /// cashier's), in number order.
    pub fn receipts_of_day(
        &self,
        session: &Session,
        cashier_id: i64,
        date: chrono::NaiveDate,
    ) -> ServiceResult<Vec<ReceiptSummary>> {
        let Cx { session, .. } = self.begin(session, Need::Read)?;
        if cashier_id != session.staff_id && !sees_all(&session) {
            return Err(ServiceError::Denied("只能查看自己的收据".into()));
        }
        payments::receipts_of_day(self.store.conn(), cashier_id, &super::date_text(date))?
            .iter()
            .map(summary_of)
            .collect()
    }
}

//! Taking a payment: plan (allocation), then one transaction with the payment, its
//! allocations, the receipt with the next number, the fees it collects and the audit
//! entry. The same request key twice returns the first payment.
use chrono::NaiveDateTime;
use rust_decimal::Decimal;

use super::lines::receipt_lines;
use super::plan::{check_cap, plan_payment};
use super::post::{Posting, done_of, post};
use super::{Rules, fen, positive_amount, yuan};
use crate::domain::billing::{PayMethod, allocate};
use crate::domain::money;
use crate::domain::role::Need;
use crate::print::ReceiptLine;
use crate::service::Cx;
use crate::service::{Service, ServiceError, ServiceResult, Session};
use crate::store::billing as bstore;
use crate::store::billing::payments::{self, ReceiptRow};

/// Who pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Payer {
    /// a customer: bills, late fees, business fees on their open orders, prepaid
    Customer(i64),
    /// a work order's business fees only (e.g. a 新装 applicant without a customer file)
    Order(i64),
}

/// What the clerk confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentRequest {
    pub payer: Payer,
    /// money received, 元
    pub amount: Decimal,
    pub method: PayMethod,
    /// transfer reference, cheque number, card slip number (required for 移动支付 and 支票)
    pub reference: String,
    /// cash only: money handed over (`None`: exactly the amount)
    pub tendered: Option<Decimal>,
    /// generated once per confirm dialog: a second confirm with the same key returns the
    /// first payment instead of taking another
    pub request_key: String,
}

/// What a payment would do, for the confirm dialog (nothing written).
#[derive(Clone, Debug, PartialEq)]
pub struct PaymentPreview {
    pub account_no: String,
    pub name: String,
    pub lines: Vec<ReceiptLine>,
    pub change: Option<Decimal>,
    pub prepaid_used: Decimal,
    pub prepaid_added: Decimal,
    pub prepaid_after: Decimal,
    pub arrears_after: Decimal,
}

/// A payment taken (or the earlier one for the same request key).
#[derive(Clone, Debug, PartialEq)]
pub struct PaymentDone {
    pub payment_id: i64,
    pub receipt_id: i64,
    pub receipt_no: String,
    /// 元; negative for a reversal (红冲)
    pub amount: Decimal,
    pub method: PayMethod,
    pub tendered: Option<Decimal>,
    pub change: Option<Decimal>,
    pub lines: Vec<ReceiptLine>,
    pub prepaid_after: Decimal,
    pub arrears_after: Decimal,
    /// the request key had been used: this is the first payment, nothing new was taken
    pub replayed: bool,
}

/// The reference typed for the method (required for transfers and cheques).
pub(super) fn check_reference(method: PayMethod, reference: &str) -> ServiceResult<String> {
    let r = crate::domain::customer_file::clean_text(reference)
        .trim()
        .to_string();
    let Some(what) = method.reference_label() else {
        return Ok(String::new());
    };
    if r.is_empty() && method.reference_required() {
        return Err(ServiceError::invalid(
            "reference",
            format!("{}须填写{what}", method.label()),
        ));
    }
    if r.chars().count() > 40 {
        return Err(ServiceError::invalid(
            "reference",
            format!("{what}过长（最多 40 个字符）"),
        ));
    }
    Ok(r)
}

/// (tendered, change) in 分 for cash; nothing for the other methods.
pub(super) fn cash_tendered(
    method: PayMethod,
    tendered: Option<Decimal>,
    amount_fen: i64,
) -> ServiceResult<(Option<i64>, Option<i64>)> {
    match (method, tendered) {
        (PayMethod::Cash, None) => Ok((Some(amount_fen), Some(0))),
        (PayMethod::Cash, Some(t)) => {
            let t = positive_amount(t, "tendered", "实收现金")?;
            if t < amount_fen {
                return Err(ServiceError::invalid(
                    "tendered",
                    format!(
                        "实收现金 {} 元少于收款金额 {} 元",
                        money::format_yuan(yuan(t)),
                        money::format_yuan(yuan(amount_fen))
                    ),
                ));
            }
            Ok((Some(t), Some(t - amount_fen)))
        }
        (_, None) => Ok((None, None)),
        (_, Some(_)) => Err(ServiceError::invalid(
            "tendered",
            "只有现金需要填写实收金额",
        )),
    }
}

/// The transaction part of [`Service::take_payment`] (the session already checked), at
/// `now`: the demo posts its counter visits this way, many in one transaction.
pub(crate) fn take_in(
    tx: &rusqlite::Connection,
    session: &Session,
    req: &PaymentRequest,
    rules: &Rules,
    now: NaiveDateTime,
) -> ServiceResult<PaymentDone> {
    let amount_fen = positive_amount(req.amount, "amount", "收款金额")?;
    super::within_limit(req.amount, rules)?;
    let key = req.request_key.trim();
    if key.is_empty() || key.chars().count() > 100 {
        return Err(ServiceError::invalid(
            "request_key",
            "缺少本次确认的编号，请重新打开收费窗口",
        ));
    }
    let reference = check_reference(req.method, &req.reference)?;
    let (tendered_fen, change_fen) = cash_tendered(req.method, req.tendered, amount_fen)?;
    if let Some(pid) = payments::payment_by_key(tx, key)? {
        let first = payments::receipt_by_payment(tx, pid)?
            .ok_or_else(|| ServiceError::NotFound("该笔收款的收据".into()))?;
        if !same_request(&first, req.payer, amount_fen) {
            return Err(ServiceError::Refused(format!(
                "这次确认已经收过款（收据 {}），金额或客户不同；请重新打开收费窗口",
                first.receipt_no
            )));
        }
        return done_of(tx, pid, true);
    }
    let planned = plan_payment(tx, req.payer, req.amount, now.date(), rules)?;
    check_cap(&planned, req.amount)?;
    let (pid, _, _) = post(
        tx,
        &Posting {
            customer_id: planned.customer_id,
            order_id: planned.order_id,
            party: planned.party(),
            amount_fen,
            method: req.method,
            reference: &reference,
            tendered_fen,
            change_fen,
            allocations: planned.allocations()?,
            request_key: key,
            reverses: None,
            approved_by: None,
            reason: "",
            prepaid_after_fen: fen(planned.prepaid_after())?,
            arrears_after_fen: fen(planned.arrears_after())?,
        },
        session,
        now,
    )?;
    done_of(tx, pid, false)
}

fn same_request(r: &ReceiptRow, payer: Payer, amount_fen: i64) -> bool {
    let who = match payer {
        Payer::Customer(c) => r.customer_id == Some(c) && r.order_id.is_none(),
        Payer::Order(o) => r.order_id == Some(o),
    };
    who && r.amount_fen == amount_fen
}

impl Service {
    /// What taking `amount` from `payer` now would pay, for the confirm dialog.
    /// (`tendered` given: cash with change; `None`: no change shown. The confirm dialog uses
    /// `check_payment`, which checks the whole request.)
    pub fn preview_payment(
        &self,
        payer: Payer,
        amount: Decimal,
        tendered: Option<Decimal>,
    ) -> ServiceResult<PaymentPreview> {
        let amount_fen = positive_amount(amount, "amount", "收款金额")?;
        let method = if tendered.is_some() {
            PayMethod::Cash
        } else {
            PayMethod::Card
        };
        let (_, change) = cash_tendered(method, tendered, amount_fen)?;
        let rules = self.billing_rules()?;
        let planned = plan_payment(self.store.conn(), payer, amount, self.clock.today(), &rules)?;
        check_cap(&planned, amount)?;
        Ok(PaymentPreview {
            account_no: planned.account_no.clone(),
            name: planned.name.clone(),
            lines: receipt_lines(&planned.rows()?, self.clock.today())?,
            change: change.map(yuan),
            prepaid_used: planned.plan.prepaid_used(),
            prepaid_added: planned.plan.prepaid_added(),
            prepaid_after: planned.prepaid_after(),
            arrears_after: planned.arrears_after(),
        })
    }

    /// Take a payment: allocation, payment, receipt (next number) and audit entry in one
    /// transaction. The same `request_key` twice returns the first payment (`replayed`).
    pub fn take_payment(
        &mut self,
        session: &Session,
        req: &PaymentRequest,
    ) -> ServiceResult<PaymentDone> {
        let Cx { session, now, .. } = self.begin(session, Need::Cashier)?;
        let rules = self.billing_rules()?;
        self.store.write(|tx| {
            let now = super::post::not_before_last_receipt(tx, now, &session)?;
            take_in(tx, &session, req, &rules, now)
        })
    }

    /// Collect one business fee in full, in cash, with a receipt (the order page's 收费).
    /// Refused before the site survey, on a closed order, or when already collected.
    pub fn collect_fee(&mut self, session: &Session, fee_id: i64) -> ServiceResult<PaymentDone> {
        let Cx { session, now, .. } = self.begin(session, Need::Cashier)?;
        let rules = self.billing_rules()?;
        self.store.write(|tx| -> ServiceResult<PaymentDone> {
            let now = super::post::not_before_last_receipt(tx, now, &session)?;
            let fee = crate::store::orders::fee_by_id(tx, fee_id)?
                .ok_or_else(|| ServiceError::NotFound("该笔费用".into()))?;
            if fee.collected {
                return Err(ServiceError::Refused(format!(
                    "{}已于 {} 收取",
                    fee.item,
                    fee.collected_at.unwrap_or_default()
                )));
            }
            let order = crate::service::orders::load(tx, fee.order_id)?;
            crate::domain::work_order::check_fee_collection(&order.facts())?;
            let owed_fen = fee.amount_fen - bstore::fee_paid(tx, fee_id)?;
            let owed = yuan(owed_fen);
            let mut planned =
                plan_payment(tx, Payer::Order(fee.order_id), owed, now.date(), &rules)?;
            // exactly this fee, whatever else the order owes
            planned.plan = allocate(
                owed,
                Decimal::ZERO,
                &[],
                &[crate::domain::billing::OpenFee { fee_id, owed }],
                rules.late_fee_first,
            );
            let key = format!("fee:{fee_id}:{}", payments::last_payment_id(tx)? + 1);
            let (pid, _, _) = post(
                tx,
                &Posting {
                    customer_id: planned.customer_id,
                    order_id: planned.order_id,
                    party: planned.party(),
                    amount_fen: owed_fen,
                    method: PayMethod::Cash,
                    reference: "",
                    tendered_fen: Some(owed_fen),
                    change_fen: Some(0),
                    allocations: planned.allocations()?,
                    request_key: &key,
                    reverses: None,
                    approved_by: None,
                    reason: "",
                    prepaid_after_fen: fen(planned.prepaid_after())?,
                    arrears_after_fen: fen(planned.arrears_after())?,
                },
                &session,
                now,
            )?;
            done_of(tx, pid, false)
        })
    }
}

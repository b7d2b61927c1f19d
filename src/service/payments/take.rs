//! Taking a payment: plan (allocation), then one transaction with the payment, its
//! allocations, the receipt with the next number, the fees it collects and the audit
//! entry. The same request key twice returns the first payment.
use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::account::{AccountState, account_state, collectible_fees, fee_lines};
use super::lines::receipt_lines;
use super::{Rules, date_text, db_date, fen, positive_amount, require_cashier, yuan};
use crate::domain::billing::{AllocationPlan, PayMethod, Period, Target, allocate, receipt_no};
use crate::domain::clock;
use crate::domain::money;
use crate::print::ReceiptLine;
use crate::service::{Service, ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::billing::payments::{
    self, AllocationRow, NewAllocation, NewPayment, NewReceipt, ReceiptRow,
};
use crate::store::billing::{self as bstore, day_end as dstore};

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

/// A payment planned on one connection (inside the write transaction when taking it).
pub(crate) struct Planned {
    pub customer_id: Option<i64>,
    pub order_id: Option<i64>,
    pub account_no: String,
    pub name: String,
    pub plan: AllocationPlan,
    pub prepaid_before: Decimal,
    pub owed_before: Decimal,
    /// the most that may be received (`None`: anything, the surplus becomes prepaid)
    pub cap: Option<Decimal>,
    pub bills: BillInfo,
    pub fees: FeeInfo,
}

impl Planned {
    pub fn prepaid_after(&self) -> Decimal {
        self.prepaid_before - self.plan.prepaid_used() + self.plan.prepaid_added()
    }

    pub fn arrears_after(&self) -> Decimal {
        self.owed_before - self.plan.applied()
    }

    /// The plan as the rows a receipt is printed from.
    pub fn rows(&self) -> ServiceResult<Vec<AllocationRow>> {
        self.plan
            .lines
            .iter()
            .map(|l| {
                let (bill_id, fee_id) = match l.target {
                    Target::Principal(b) | Target::LateFee(b) => (Some(b), None),
                    Target::Fee(f) => (None, Some(f)),
                    Target::PrepaidUse | Target::PrepaidAdd => (None, None),
                };
                let bill = bill_id.and_then(|b| self.bills.get(&b));
                let fee = fee_id.and_then(|f| self.fees.get(&f));
                Ok(AllocationRow {
                    kind: l.target.kind_code().to_string(),
                    bill_id,
                    period: bill.map(|b| b.0.to_string()),
                    kwh: bill.map(|b| b.1),
                    due_date: bill.map(|b| date_text(b.2)),
                    fee_id,
                    fee_item: fee.map(|f| f.0.clone()),
                    tracking_no: fee.map(|f| f.1.clone()),
                    amount_fen: fen(l.amount)?,
                })
            })
            .collect()
    }

    pub fn allocations(&self) -> ServiceResult<Vec<NewAllocation>> {
        Ok(self
            .rows()?
            .into_iter()
            .zip(&self.plan.lines)
            .map(|(r, l)| NewAllocation {
                kind: l.target.kind_code(),
                customer_id: self.customer_id,
                bill_id: r.bill_id,
                fee_id: r.fee_id,
                amount_fen: r.amount_fen,
            })
            .collect())
    }
}

/// bill id → (period, kWh, due date)
type BillInfo = HashMap<i64, (Period, i64, NaiveDate)>;
/// fee id → (item, tracking number)
type FeeInfo = HashMap<i64, (String, String)>;

fn from_state(st: &AccountState) -> (BillInfo, FeeInfo) {
    let bills = st
        .open_bills()
        .map(|b| (b.bill_id, (b.period, b.kwh, b.due_date)))
        .collect();
    let fees = st
        .fees
        .iter()
        .map(|f| (f.fee_id, (f.item.clone(), f.tracking_no.clone())))
        .collect();
    (bills, fees)
}

/// Plan `amount` for `payer` on day `on`.
pub(crate) fn plan_payment(
    conn: &rusqlite::Connection,
    payer: Payer,
    amount: Decimal,
    on: NaiveDate,
    rules: &Rules,
) -> ServiceResult<Planned> {
    match payer {
        Payer::Customer(cid) => {
            let st = account_state(conn, cid, on, rules)?;
            let plan = allocate(
                amount,
                st.prepaid,
                &st.allocation_bills(),
                &st.allocation_fees(),
                rules.late_fee_first,
            );
            let (bills, fees) = from_state(&st);
            // a closed account keeps no new prepaid balance
            let cap = (st.customer.status == "closed")
                .then(|| (st.bills_owed() - st.prepaid).max(Decimal::ZERO) + st.fees_owed());
            Ok(Planned {
                customer_id: Some(cid),
                order_id: None,
                account_no: st.customer.account_no.clone(),
                name: st.customer.name.clone(),
                owed_before: st.total_owed(),
                prepaid_before: st.prepaid,
                plan,
                cap,
                bills,
                fees,
            })
        }
        Payer::Order(oid) => {
            let loaded = crate::service::orders::load(conn, oid)?;
            let fee_rows = fee_lines(conn, bstore::fees_owed_on_order(conn, oid)?)?;
            let open = collectible_fees(&fee_rows);
            if open.is_empty() {
                let why = fee_rows
                    .iter()
                    .map(|f| f.note.clone())
                    .find(|n| !n.is_empty())
                    .unwrap_or_else(|| "该工单没有待收的业务费".to_string());
                return Err(ServiceError::Refused(why));
            }
            let fees_owed: Decimal = open.iter().map(|f| f.owed).sum();
            let plan = allocate(amount, Decimal::ZERO, &[], &open, rules.late_fee_first);
            let (account_no, name, owed_before, prepaid_before) = match loaded.row.customer_id {
                Some(cid) => {
                    let st = account_state(conn, cid, on, rules)?;
                    (
                        st.customer.account_no.clone(),
                        st.customer.name.clone(),
                        st.total_owed(),
                        st.prepaid,
                    )
                }
                None => (
                    String::new(),
                    loaded.row.applicant_name.clone(),
                    fees_owed,
                    Decimal::ZERO,
                ),
            };
            let fees = fee_rows
                .iter()
                .map(|f| (f.fee_id, (f.item.clone(), f.tracking_no.clone())))
                .collect();
            Ok(Planned {
                customer_id: loaded.row.customer_id,
                order_id: Some(oid),
                account_no,
                name,
                plan,
                prepaid_before,
                owed_before,
                cap: Some(fees_owed),
                bills: HashMap::new(),
                fees,
            })
        }
    }
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

/// A payment to write: money in (or out, for a reversal) with its lines.
pub(crate) struct Posting<'a> {
    pub customer_id: Option<i64>,
    pub order_id: Option<i64>,
    pub party: String,
    pub amount_fen: i64,
    pub method: PayMethod,
    pub reference: &'a str,
    pub tendered_fen: Option<i64>,
    pub change_fen: Option<i64>,
    pub allocations: Vec<NewAllocation>,
    pub request_key: &'a str,
    pub reverses: Option<(i64, &'a str)>,
    pub approved_by: Option<i64>,
    pub reason: &'a str,
    pub prepaid_after_fen: i64,
    pub arrears_after_fen: i64,
}

/// Write a payment, its allocations, its receipt (next number of the year), the fee
/// marks and the audit entries, inside the caller's transaction. Returns (payment id,
/// receipt id, receipt number).
pub(crate) fn post(
    tx: &rusqlite::Connection,
    p: &Posting<'_>,
    cashier: &Session,
    now: NaiveDateTime,
) -> ServiceResult<(i64, i64, String)> {
    use chrono::Datelike;
    let day = date_text(now.date());
    let at = clock::to_db(now);
    if let Some(d) = dstore::of_day(tx, cashier.staff_id, &day)? {
        return Err(ServiceError::Refused(format!(
            "您已于 {} 完成 {day} 的日结，当天不能再收费或红冲",
            d.closed_at
        )));
    }
    let payment_id = payments::insert_payment(
        tx,
        &NewPayment {
            customer_id: p.customer_id,
            order_id: p.order_id,
            amount_fen: p.amount_fen,
            method: p.method.code(),
            reference: p.reference,
            tendered_fen: p.tendered_fen,
            change_fen: p.change_fen,
            cashier_id: cashier.staff_id,
            at: &at,
            business_date: &day,
            request_key: p.request_key,
            reverses_id: p.reverses.map(|r| r.0),
            approved_by: p.approved_by,
            reason: p.reason,
        },
    )?;
    for (pos, a) in p.allocations.iter().enumerate() {
        payments::insert_allocation(tx, payment_id, pos as i64, a)?;
    }
    let year = now.date().year();
    let seq = payments::next_receipt_seq(tx, year)?;
    let no = receipt_no::format(year, seq)
        .ok_or_else(|| ServiceError::Refused(format!("{year} 年的收据号已用完")))?;
    let receipt_id = payments::insert_receipt(
        tx,
        &NewReceipt {
            receipt_no: &no,
            year,
            seq,
            payment_id,
            issued_at: &at,
            prepaid_after_fen: p.prepaid_after_fen,
            arrears_after_fen: p.arrears_after_fen,
        },
    )?;
    let actor = cashier.actor();
    let rows = payments::allocations_of(tx, payment_id)?;
    let lines: Vec<String> = receipt_lines(&rows, now.date())?
        .iter()
        .map(|l| format!("{} {}", l.label, money::format_yuan(l.amount)))
        .collect();
    let mut changes = Changes::new()
        .created("receipt_no", no.clone())
        .created("amount", money::format_yuan(yuan(p.amount_fen)))
        .created("method", p.method.describe(p.reference))
        .created("payer", p.party.clone())
        .note("lines", lines)
        .note(
            "prepaid_after",
            money::format_yuan(yuan(p.prepaid_after_fen)),
        )
        .note(
            "arrears_after",
            money::format_yuan(yuan(p.arrears_after_fen)),
        )
        .note("request_key", p.request_key);
    if let Some(c) = p.change_fen.filter(|c| *c > 0) {
        changes = changes.note("change", money::format_yuan(yuan(c)));
    }
    if let Some((_, original_no)) = p.reverses {
        changes = changes
            .note("reverses", original_no)
            .note("reason", p.reason);
    }
    audit::append(
        tx,
        NewEntry {
            at: now,
            actor: &actor,
            action: if p.reverses.is_some() {
                "payment.reverse"
            } else {
                "payment.take"
            },
            entity: "receipt",
            entity_id: &no,
            changes,
        },
    )?;
    let fee_ids: Vec<i64> = p.allocations.iter().filter_map(|a| a.fee_id).collect();
    refresh_fees(
        tx,
        &fee_ids,
        now,
        cashier,
        &no,
        FeeEvent::from_amount(p.amount_fen),
    )?;
    Ok((payment_id, receipt_id, no))
}

/// Why a fee's collected mark is being looked at again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FeeEvent {
    Collect,
    Reverse,
    Void,
}

impl FeeEvent {
    fn from_amount(amount_fen: i64) -> FeeEvent {
        if amount_fen < 0 {
            FeeEvent::Reverse
        } else {
            FeeEvent::Collect
        }
    }
}

/// Mark each fee collected when standing payments cover it, uncollected otherwise, with
/// an order event and an audit entry on the order.
pub(crate) fn refresh_fees(
    tx: &rusqlite::Connection,
    fee_ids: &[i64],
    now: NaiveDateTime,
    by: &Session,
    receipt_no: &str,
    event: FeeEvent,
) -> ServiceResult<()> {
    let at = clock::to_db(now);
    let actor = by.actor();
    let mut done = std::collections::HashSet::new();
    for &fee_id in fee_ids {
        if !done.insert(fee_id) {
            continue;
        }
        let Some(fee) = crate::store::orders::fee_by_id(tx, fee_id)? else {
            continue;
        };
        let paid = bstore::fee_paid(tx, fee_id)?;
        let full = paid >= fee.amount_fen;
        if full && !fee.collected {
            bstore::set_fee_collected(tx, fee_id, Some((&at, by.staff_id)))?;
        } else if !full && fee.collected {
            bstore::set_fee_collected(tx, fee_id, None)?;
        }
        let order = crate::store::orders::order_by_id(tx, fee.order_id)?
            .ok_or_else(|| ServiceError::NotFound("该工单".into()))?;
        let amount = money::format_yuan(yuan(fee.amount_fen));
        let paid_text = money::format_yuan(yuan(paid));
        let (event_code, detail, action) = match event {
            FeeEvent::Collect => (
                "fee_collect",
                if full {
                    format!("收取{} {amount} 元（收据 {receipt_no}）", fee.item)
                } else {
                    format!(
                        "收取{}部分款项，已收 {paid_text} / {amount} 元（收据 {receipt_no}）",
                        fee.item
                    )
                },
                "order.fee_collect",
            ),
            FeeEvent::Reverse => (
                "fee_reverse",
                format!("{}收款已红冲（收据 {receipt_no}），改为未收", fee.item),
                "order.fee_uncollect",
            ),
            FeeEvent::Void => (
                "fee_void",
                format!("{}的收据 {receipt_no} 已作废，改为未收", fee.item),
                "order.fee_uncollect",
            ),
        };
        crate::store::orders::insert_event(
            tx,
            fee.order_id,
            &at,
            Some(by.staff_id),
            event_code,
            &detail,
        )?;
        audit::append(
            tx,
            NewEntry {
                at: now,
                actor: &actor,
                action,
                entity: "work_order",
                entity_id: &order.tracking_no,
                changes: Changes::new()
                    .field("collected", fee.collected, full)
                    .note("fee_id", fee_id)
                    .note("item", fee.item.clone())
                    .note("amount", amount)
                    .note("paid", paid_text)
                    .note("receipt_no", receipt_no),
            },
        )?;
    }
    Ok(())
}

/// The payment behind a receipt, as the clerk sees it after confirming.
pub(crate) fn done_of(
    conn: &rusqlite::Connection,
    payment_id: i64,
    replayed: bool,
) -> ServiceResult<PaymentDone> {
    let r = payments::receipt_by_payment(conn, payment_id)?
        .ok_or_else(|| ServiceError::NotFound("该笔收款的收据".into()))?;
    let rows = payments::allocations_of(conn, payment_id)?;
    let paid_on = lines_day(conn, &r)?;
    Ok(PaymentDone {
        payment_id,
        receipt_id: r.receipt_id,
        receipt_no: r.receipt_no.clone(),
        amount: yuan(r.amount_fen),
        method: PayMethod::from_code(&r.method).unwrap_or(PayMethod::Cash),
        tendered: r.tendered_fen.map(yuan),
        change: r.change_fen.map(yuan),
        lines: receipt_lines(&rows, paid_on)?,
        prepaid_after: yuan(r.prepaid_after_fen),
        arrears_after: yuan(r.arrears_after_fen),
        replayed,
    })
}

/// The day a receipt's late fees were counted to: its own, or the original's for a
/// reversal.
pub(crate) fn lines_day(conn: &rusqlite::Connection, r: &ReceiptRow) -> ServiceResult<NaiveDate> {
    if let Some(orig) = r.reverses_id
        && let Some(o) = payments::receipt_by_payment(conn, orig)?
    {
        return db_date(&o.business_date);
    }
    db_date(&r.business_date)
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
    pub fn preview_payment(
        &self,
        payer: Payer,
        amount: Decimal,
        tendered: Option<Decimal>,
    ) -> ServiceResult<PaymentPreview> {
        let amount_fen = positive_amount(amount, "amount", "收款金额")?;
        let (_, change) = cash_tendered(
            if tendered.is_some() {
                PayMethod::Cash
            } else {
                PayMethod::Card
            },
            tendered,
            amount_fen,
        )?;
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
        let session = self.fresh(session)?;
        require_cashier(&session)?;
        let amount_fen = positive_amount(req.amount, "amount", "收款金额")?;
        let key = req.request_key.trim();
        if key.is_empty() || key.chars().count() > 100 {
            return Err(ServiceError::invalid(
                "request_key",
                "缺少本次确认的编号，请重新打开收费窗口",
            ));
        }
        let reference = check_reference(req.method, &req.reference)?;
        let (tendered_fen, change_fen) = cash_tendered(req.method, req.tendered, amount_fen)?;
        let rules = self.billing_rules()?;
        let now = self.now();
        self.store.write(|tx| -> ServiceResult<PaymentDone> {
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
            let planned = plan_payment(tx, req.payer, req.amount, now.date(), &rules)?;
            check_cap(&planned, req.amount)?;
            let party = if planned.account_no.is_empty() {
                planned.name.clone()
            } else {
                format!("{} {}", planned.account_no, planned.name)
            };
            let (pid, _, _) = post(
                tx,
                &Posting {
                    customer_id: planned.customer_id,
                    order_id: planned.order_id,
                    party,
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
                &session,
                now,
            )?;
            done_of(tx, pid, false)
        })
    }

    /// Collect one business fee in full, in cash, with a receipt (the order page's 收费).
    /// Refused before the site survey, on a closed order, or when already collected.
    pub fn collect_fee(&mut self, session: &Session, fee_id: i64) -> ServiceResult<PaymentDone> {
        let session = self.fresh(session)?;
        require_cashier(&session)?;
        let now = self.now();
        let rules = self.billing_rules()?;
        self.store.write(|tx| -> ServiceResult<PaymentDone> {
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
            crate::domain::work_order::check_fee_collection(&order.facts())
                .map_err(ServiceError::Refused)?;
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
            let party = if planned.account_no.is_empty() {
                planned.name.clone()
            } else {
                format!("{} {}", planned.account_no, planned.name)
            };
            let (pid, _, _) = post(
                tx,
                &Posting {
                    customer_id: planned.customer_id,
                    order_id: planned.order_id,
                    party,
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

/// Refuse money that cannot be kept as prepaid balance (a work order's applicant, a closed
/// account).
pub(super) fn check_cap(planned: &Planned, amount: Decimal) -> ServiceResult<()> {
    if let Some(cap) = planned.cap
        && amount > cap
    {
        let why = if planned.order_id.is_some() {
            "该工单应收业务费"
        } else {
            "已销户客户不能预收，应收"
        };
        return Err(ServiceError::invalid(
            "amount",
            format!("收款金额超过{why} {} 元", money::format_yuan(cap)),
        ));
    }
    Ok(())
}

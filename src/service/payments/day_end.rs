//! The cashier's day end (日清日结): expected totals by method from the day's receipts,
//! the receipt range, voids, reversals and reprints; the cash counted by denomination and
//! the difference with its reason; the audit chain's head. After it, the day's receipts
//! can no longer be voided and the cashier takes no more money on that day.
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::receipts::{ReceiptSummary, summary_of};
use super::{date_text, fen, yuan};
use crate::domain::billing::{PayMethod, receipt_no};
use crate::domain::clock;
use crate::domain::money;
use crate::domain::role::Need;
use crate::print::{DayEndItem, Denomination, MethodTotal};
use crate::service::Cx;
use crate::service::{Service, ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::billing::day_end::{self as dstore, NewDayEnd};
use crate::store::billing::payments::{self, ReceiptRow};
use crate::store::staff;

/// What the day end will record, before the cash is counted.
#[derive(Clone, Debug, PartialEq)]
pub struct DayEndPreview {
    pub cashier_id: i64,
    pub cashier: String,
    pub business_date: NaiveDate,
    /// the latest day end's id when nothing was taken after it (the day stands closed)
    pub closed: Option<i64>,
    /// which closing of the day this is (or was, when closed): 1, or 2 for a second
    /// closing (第二次日结) covering the payments after the first, …
    pub batch: u32,
    /// every method, in a fixed order (voided receipts excluded, reversals negative)
    pub by_method: Vec<MethodTotal>,
    pub expected_total: Decimal,
    pub receipt_first: Option<String>,
    pub receipt_last: Option<String>,
    pub receipt_count: u32,
    /// all the day's receipts, in number order (filled by `day_end_preview`)
    pub receipts: Vec<ReceiptSummary>,
    pub voids: Vec<DayEndItem>,
    pub reversals: Vec<DayEndItem>,
    pub reprints: u32,
    pub cash_expected: Decimal,
}

/// The notes and coins of the renminbi, largest first (分 coins too: bills are to the 分),
/// none counted yet: the form the cashier fills in.
pub fn standard_denominations() -> Vec<Denomination> {
    [
        ("100 元", 10000),
        ("50 元", 5000),
        ("20 元", 2000),
        ("10 元", 1000),
        ("5 元", 500),
        ("1 元", 100),
        ("5 角", 50),
        ("1 角", 10),
        ("5 分", 5),
        ("2 分", 2),
        ("1 分", 1),
    ]
    .into_iter()
    .map(|(label, face)| Denomination {
        label: label.to_string(),
        face: yuan(face),
        pieces: 0,
    })
    .collect()
}

fn item_of(r: &ReceiptRow, reason: &str) -> DayEndItem {
    DayEndItem {
        receipt_no: r.receipt_no.clone(),
        customer_name: super::receipts::payer_of(r),
        amount: yuan(r.amount_fen),
        reason: reason.to_string(),
    }
}

/// The voided and the reversal receipts of a closing, as the report lists them.
pub(super) fn exception_items(exceptions: &[ReceiptRow]) -> (Vec<DayEndItem>, Vec<DayEndItem>) {
    let voids = exceptions
        .iter()
        .filter(|r| r.voided_at.is_some())
        .map(|r| item_of(r, r.void_reason.as_deref().unwrap_or("")))
        .collect();
    let reversals = exceptions
        .iter()
        .filter(|r| r.reverses_id.is_some())
        .map(|r| {
            let mut item = item_of(r, &r.reason);
            if let Some(orig) = &r.reverses_no {
                item.reason = format!("冲 {orig}：{}", r.reason);
            }
            item
        })
        .collect();
    (voids, reversals)
}

/// The day in figures (aggregates, so a busy day is read in a few milliseconds); the list
/// of every receipt only when `with_receipts`.
pub(super) fn preview(
    conn: &rusqlite::Connection,
    cashier_id: i64,
    date: NaiveDate,
    with_receipts: bool,
) -> ServiceResult<DayEndPreview> {
    let cashier =
        staff::by_id(conn, cashier_id)?.ok_or_else(|| ServiceError::NotFound("该收款员".into()))?;
    let day = date_text(date);
    // what the closings of the day so far cover: this preview is of the payments after it,
    // or, when nothing was taken since the last closing, of that closing's own payments
    let covered = dstore::covered(conn, cashier_id, &day)?;
    let last = dstore::of_day(conn, cashier_id, &day)?;
    let nothing_new = dstore::day_range(conn, cashier_id, &day, covered)?.2 == 0;
    let closed = last
        .as_ref()
        .filter(|_| nothing_new)
        .map(|d| (d.id, d.batch));
    let (after, since) = match (&closed, &last) {
        (Some((id, _)), _) => {
            let before = dstore::of_day_before(conn, cashier_id, &day, *id)?;
            (
                dstore::batch_range(conn, *id)?.0,
                before.map(|d| d.closed_at).unwrap_or_default(),
            )
        }
        (None, Some(d)) => (covered, d.closed_at.clone()),
        (None, None) => (covered, String::new()),
    };
    let used = dstore::day_methods(conn, cashier_id, &day, after)?;
    let mut by_method = Vec::new();
    let mut expected = 0i64;
    let mut cash = 0i64;
    for m in PayMethod::ALL {
        let (count, amount) = used
            .iter()
            .find(|(used, _, _)| *used == m)
            .map(|(_, c, a)| (*c, *a))
            .unwrap_or((0, 0));
        expected += amount;
        if m == PayMethod::Cash {
            cash = amount;
        }
        by_method.push(MethodTotal {
            method: m.label().to_string(),
            count: u32::try_from(count).unwrap_or(0),
            amount: yuan(amount),
        });
    }
    let exceptions = dstore::day_exceptions(conn, cashier_id, &day, after)?;
    let (voids, reversals) = exception_items(&exceptions);
    let (first, last_no, count) = dstore::day_range(conn, cashier_id, &day, after)?;
    let number = |v: Option<(i32, i64)>| v.and_then(|(y, s)| receipt_no::format(y, s));
    let receipts = if with_receipts {
        payments::receipts_of_day(conn, cashier_id, &day)?
            .iter()
            .filter(|r| r.payment_id > after)
            .map(summary_of)
            .collect::<ServiceResult<_>>()?
    } else {
        Vec::new()
    };
    Ok(DayEndPreview {
        cashier_id,
        cashier: cashier.display_name,
        business_date: date,
        closed: closed.map(|(id, _)| id),
        batch: u32::try_from(match (&closed, &last) {
            (Some((_, batch)), _) => *batch,
            (None, Some(d)) => d.batch + 1,
            (None, None) => 1,
        })
        .unwrap_or(1),
        by_method,
        expected_total: yuan(expected),
        receipt_first: number(first),
        receipt_last: number(last_no),
        receipt_count: u32::try_from(count).unwrap_or(0),
        receipts,
        voids,
        reversals,
        reprints: u32::try_from(dstore::reprints_on(conn, cashier_id, &day, &since)?).unwrap_or(0),
        cash_expected: yuan(cash),
    })
}

/// The transaction part of [`Service::close_day`] (the session already checked), at `now`.
pub(crate) fn close_in(
    tx: &rusqlite::Connection,
    session: &Session,
    date: NaiveDate,
    denominations: &[Denomination],
    difference_reason: &str,
    now: NaiveDateTime,
) -> ServiceResult<i64> {
    if date > now.date() {
        return Err(ServiceError::invalid("date", "不能为以后的日期日结"));
    }
    let reason =
        crate::service::orders::line(difference_reason, "difference_reason", "差额原因", 200)?;
    let mut cash_rows = Vec::new();
    let mut counted = 0i64;
    for d in denominations {
        let face = super::positive_amount(d.face, "denominations", "面额")?;
        let label = d.label.trim();
        if label.is_empty() {
            return Err(ServiceError::invalid("denominations", "面额名称为空"));
        }
        let value = face
            .checked_mul(i64::from(d.pieces))
            .and_then(|v| counted.checked_add(v))
            .ok_or_else(|| ServiceError::invalid("denominations", "点钞数量过大"))?;
        counted = value;
        cash_rows.push((label.to_string(), face, i64::from(d.pieces)));
    }
    let at = clock::to_db(now);
    let actor = session.actor();
    let day = date_text(date);
    let p = preview(tx, session.staff_id, date, false)?;
    if let (Some(id), Some(d)) = (p.closed, dstore::of_day(tx, session.staff_id, &day)?)
        && d.id == id
    {
        return Err(ServiceError::Refused(format!(
            "{day} 已于 {} 日结，之后没有新的收款",
            d.closed_at
        )));
    }
    let last_payment_id = payments::last_payment_of_day(tx, session.staff_id, &day)?;
    let cash_expected = fen(p.cash_expected)?;
    let difference = counted - cash_expected;
    if difference != 0 && reason.is_empty() {
        return Err(ServiceError::invalid(
            "difference_reason",
            format!(
                "清点现金 {} 元，应收现金 {} 元，相差 {} 元：请填写差额原因",
                money::format_yuan(yuan(counted)),
                money::format_yuan(p.cash_expected),
                money::format_yuan(yuan(difference))
            ),
        ));
    }
    let (head_seq, head_hash) = audit::head(tx)?.unwrap_or((0, audit::GENESIS.to_string()));
    let methods: Vec<(PayMethod, i64, i64)> = PayMethod::ALL
        .iter()
        .zip(&p.by_method)
        .map(|(m, t)| Ok((*m, i64::from(t.count), fen(t.amount)?)))
        .collect::<ServiceResult<_>>()?;
    let id = dstore::insert(
        tx,
        &NewDayEnd {
            cashier_id: session.staff_id,
            business_date: &day,
            closed_at: &at,
            expected_fen: fen(p.expected_total)?,
            cash_expected_fen: cash_expected,
            cash_counted_fen: counted,
            difference_reason: &reason,
            receipt_first: p.receipt_first.as_deref(),
            receipt_last: p.receipt_last.as_deref(),
            receipt_count: i64::from(p.receipt_count),
            reprint_count: i64::from(p.reprints),
            audit_head_seq: head_seq,
            audit_head_hash: &head_hash,
            batch: i64::from(p.batch),
            last_payment_id,
            methods: &methods,
            cash: &cash_rows,
        },
    )?;
    audit::append(
        tx,
        NewEntry {
            at: now,
            actor: &actor,
            action: "dayend.close",
            entity: "day_end",
            entity_id: &format!("{}/{day}", session.username),
            changes: Changes::new()
                .created("expected", money::format_yuan(p.expected_total))
                .created("cash_expected", money::format_yuan(p.cash_expected))
                .created("cash_counted", money::format_yuan(yuan(counted)))
                .created("difference", money::format_yuan(yuan(difference)))
                .note("reason", reason.clone())
                .note(
                    "receipts",
                    format!(
                        "{}–{}（{} 张）",
                        p.receipt_first.clone().unwrap_or_default(),
                        p.receipt_last.clone().unwrap_or_default(),
                        p.receipt_count
                    ),
                )
                .note("voids", p.voids.len())
                .note("reversals", p.reversals.len())
                .note("reprints", p.reprints)
                .note("batch", p.batch)
                .note("audit_head_seq", head_seq)
                .note("audit_head_hash", head_hash.clone()),
        },
    )?;
    Ok(id)
}

impl Service {
    /// The signed-in cashier's day as the day end would record it now.
    pub fn day_end_preview(
        &self,
        session: &Session,
        date: NaiveDate,
    ) -> ServiceResult<DayEndPreview> {
        let Cx { session, .. } = self.begin(session, Need::Read)?;
        preview(self.store.conn(), session.staff_id, date, true)
    }

    /// Close the signed-in cashier's day: the cash counted by denomination and, when it
    /// differs from the cash expected, the reason. Returns the day end's id.
    pub fn close_day(
        &mut self,
        session: &Session,
        date: NaiveDate,
        denominations: &[Denomination],
        difference_reason: &str,
    ) -> ServiceResult<i64> {
        let Cx { session, now, .. } = self.begin(session, Need::Cashier)?;
        self.store
            .write(|tx| close_in(tx, &session, date, denominations, difference_reason, now))
    }
}

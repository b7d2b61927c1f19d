//! Collection of arrears (收, issue 15; DOMAIN.md §5 and §8): the arrears list with days
//! overdue, late fee to date, grade and whether the arrears are deliberate; reminder notices
//! (催费通知单) per customer or per 台区; the written disconnection notice (停电通知书); a
//! disconnection recorded against the reader's monthly quota; the 复电 work order after
//! payment.
//!
//! Who: clerks, the chief and area managers (the readers) act; auditors only read. Every
//! change is one `Store::write` with its audit entry; a notice is recorded only after its
//! print succeeded (a failed print leaves an audit entry `print.failed`, nothing else).
//!
//! The list is computed in bulk (`store::collection::overdue_bills`): each overdue bill's
//! late fee by the same domain function the counter uses (`late_fee::count_late_fee`), with
//! the same settings and outage periods, so a row's figures equal the customer's account at
//! the counter for the bills past their due date. The grade (信誉等级) needs the customer's
//! whole year of bills and is asked per customer ([`Service::arrears_grades`]) for the rows
//! on screen. A bill whose principal is paid but whose late fee is still owed is not arrears
//! here (it is still collected at the counter).
mod disconnect;
mod notices;

pub use disconnect::{DisconnectPreview, Disconnected, Reconnected};
pub use notices::{NoticePrinted, ReminderScope};

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::payments::{Rules, yuan};
use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::billing::late_fee::{self, FeeClass, LateFeeBill, Outage};
use crate::domain::billing::{PaymentGrade, Period};
use crate::domain::collection::{self as rules, NoticeKind};
use crate::domain::customer::UsageCategory;
use crate::domain::role::Need;
use crate::store::StoreError;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::collection::{self as store, OverdueBill};
use crate::store::convert::Day;

/// What the list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArrearsFilter {
    /// one 台区
    pub area_id: Option<i64>,
    /// the 台区s of one reader (area manager)
    pub reader_id: Option<i64>,
    /// only arrears marked deliberate
    pub deliberate_only: bool,
    /// only customers past the cut-off days, not disconnected (for a disconnection notice)
    pub candidates_only: bool,
}

/// One overdue bill of a customer in arrears.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArrearsBill {
    pub bill_id: i64,
    pub period: Period,
    pub due_date: NaiveDate,
    pub days_overdue: i64,
    pub owed: Decimal,
    pub late_fee: Decimal,
}

/// One customer in arrears.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArrearsRow {
    pub customer_id: i64,
    pub account_no: String,
    pub name: String,
    pub residential: bool,
    pub area_id: Option<i64>,
    pub area_name: String,
    /// the 台区's manager (the reader)
    pub reader_id: Option<i64>,
    pub reader_name: String,
    pub bills: Vec<ArrearsBill>,
    /// principal of the overdue bills still owed
    pub principal: Decimal,
    /// late fee owed to date on them
    pub late_fee: Decimal,
    pub oldest_due: NaiveDate,
    /// days overdue of the oldest unpaid bill
    pub days_overdue: i64,
    /// the same without the days inside declared outage periods (what the cut-off counts)
    pub counted_days: i64,
    /// `Some(true)` deliberate, `Some(false)` not, `None` not judged
    pub deliberate: Option<bool>,
    pub mark_note: String,
    pub last_reminder: Option<NaiveDate>,
    /// (printed on, last day of the period) of the latest disconnection notice
    pub disconnect_notice: Option<(NaiveDate, NaiveDate)>,
    /// disconnected on, when not yet reconnected
    pub disconnected_on: Option<NaiveDate>,
    /// past the cut-off and not disconnected: a disconnection notice may be printed
    pub candidate: bool,
}

impl ArrearsRow {
    pub fn total(&self) -> Decimal {
        self.principal + self.late_fee
    }
}

/// The arrears list of a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArrearsList {
    pub today: NaiveDate,
    /// `penalty.cutoff_after_days`
    pub cutoff_days: i64,
    /// today is inside a declared outage period (cut-offs suspended)
    pub in_outage: bool,
    pub rows: Vec<ArrearsRow>,
    pub principal: Decimal,
    pub late_fee: Decimal,
}

/// The settings and periods a list is computed with, read once.
pub(crate) struct Basis {
    pub today: NaiveDate,
    pub rules: Rules,
    pub outages: Vec<Outage>,
    pub cutoff_days: i64,
}

impl Basis {
    pub fn in_outage(&self) -> bool {
        self.outages
            .iter()
            .any(|o| o.from <= self.today && self.today <= o.to)
    }
}

fn corrupt(m: String) -> ServiceError {
    ServiceError::Store(StoreError::Corrupt(m))
}

/// Customer rows from overdue bills (ordered by customer): the late fee of each bill, the
/// sums, the oldest bill. Voided payments are taken out with `voided`.
pub(crate) fn rows_of(
    conn: &rusqlite::Connection,
    bills: Vec<OverdueBill>,
    voided: &HashMap<i64, (i64, i64)>,
    b: &Basis,
) -> ServiceResult<Vec<ArrearsRow>> {
    let mut out: Vec<ArrearsRow> = Vec::new();
    for bill in bills {
        let (void_principal, void_late) = voided.get(&bill.bill_id).copied().unwrap_or((0, 0));
        let paid = bill.paid_raw_fen - void_principal;
        let owed_fen = bill.amount_fen - paid;
        if owed_fen <= 0 {
            continue;
        }
        let period = Period::parse(&bill.period)
            .map_err(|m| corrupt(format!("bill {}: {m}", bill.bill_id)))?;
        let due = bill.due_date.0;
        // the payments' days matter only on a bill partly paid
        let changes: Vec<(NaiveDate, Decimal)> = if paid == 0 && void_principal == 0 {
            Vec::new()
        } else {
            store::bill_principal_changes(conn, bill.bill_id)?
                .into_iter()
                .map(|(d, f)| (d.0, yuan(f)))
                .collect()
        };
        let count = late_fee::count_late_fee(
            &LateFeeBill {
                class: FeeClass::of_usage(bill.usage.code()),
                period,
                due_date: due,
                amount: yuan(bill.amount_fen),
                principal_changes: &changes,
                waived: bill.waived,
            },
            b.today,
            &b.rules.late,
            &b.outages,
        );
        let late_owed = (count.fee - yuan(bill.late_paid_raw_fen - void_late)).max(Decimal::ZERO);
        let days = late_fee::days_overdue(due, b.today);
        let line = ArrearsBill {
            bill_id: bill.bill_id,
            period,
            due_date: due,
            days_overdue: days,
            owed: yuan(owed_fen),
            late_fee: late_owed,
        };
        match out.last_mut() {
            Some(r) if r.customer_id == bill.customer_id => {
                r.principal += line.owed;
                r.late_fee += line.late_fee;
                r.bills.push(line);
            }
            _ => out.push(ArrearsRow {
                customer_id: bill.customer_id,
                account_no: bill.account_no,
                name: bill.name,
                residential: bill.usage == UsageCategory::Residential,
                area_id: bill.area_id,
                area_name: bill.area_name.unwrap_or_default(),
                reader_id: bill.manager_id,
                reader_name: bill.manager_name.unwrap_or_default(),
                principal: line.owed,
                late_fee: line.late_fee,
                oldest_due: due,
                days_overdue: days,
                counted_days: rules::cutoff_days(days, count.outage_days),
                bills: vec![line],
                deliberate: None,
                mark_note: String::new(),
                last_reminder: None,
                disconnect_notice: None,
                disconnected_on: None,
                candidate: false,
            }),
        }
    }
    Ok(out)
}

/// Marks, notices and disconnections onto the rows; `candidate` from the cut-off.
fn annotate(
    conn: &rusqlite::Connection,
    rows: &mut [ArrearsRow],
    cutoff_days: i64,
) -> ServiceResult<()> {
    let marks: HashMap<i64, store::MarkRow> = store::current_marks(conn)?
        .into_iter()
        .map(|m| (m.customer_id, m))
        .collect();
    let mut reminders: HashMap<i64, NaiveDate> = HashMap::new();
    let mut notices: HashMap<i64, (NaiveDate, NaiveDate)> = HashMap::new();
    for n in store::latest_notices(conn)? {
        match (n.kind, n.period_end) {
            (NoticeKind::Reminder, _) => {
                reminders.insert(n.customer_id, n.printed_on.0);
            }
            (NoticeKind::Disconnect, Some(end)) => {
                notices.insert(n.customer_id, (n.printed_on.0, end.0));
            }
            (NoticeKind::Disconnect, None) => {
                return Err(corrupt(format!("collection_notice {}: 缺少通知期限", n.id)));
            }
        }
    }
    let cut: HashMap<i64, NaiveDate> = store::open_disconnections(conn)?
        .into_iter()
        .map(|d| (d.customer_id, d.disconnected_on.0))
        .collect();
    for r in rows.iter_mut() {
        if let Some(m) = marks.get(&r.customer_id) {
            r.deliberate = Some(m.deliberate);
            r.mark_note = m.note.clone();
        }
        r.last_reminder = reminders.get(&r.customer_id).copied();
        r.disconnect_notice = notices.get(&r.customer_id).copied();
        r.disconnected_on = cut.get(&r.customer_id).copied();
        r.candidate = r.disconnected_on.is_none() && r.counted_days > cutoff_days;
    }
    Ok(())
}

fn voided_map(conn: &rusqlite::Connection) -> ServiceResult<HashMap<i64, (i64, i64)>> {
    Ok(store::voided_on_bills(conn)?
        .into_iter()
        .map(|(bill, p, l)| (bill, (p, l)))
        .collect())
}

/// One customer's arrears on the basis's day, on any connection (a transaction too);
/// `None` when nothing overdue is owed.
pub(crate) fn customer_arrears(
    conn: &rusqlite::Connection,
    customer_id: i64,
    b: &Basis,
) -> ServiceResult<Option<ArrearsRow>> {
    let bills = store::overdue_bills_of(conn, Day(b.today), customer_id)?;
    if bills.is_empty() {
        return Ok(None);
    }
    let mut rows = rows_of(conn, bills, &voided_map(conn)?, b)?;
    annotate(conn, &mut rows, b.cutoff_days)?;
    Ok(rows.pop())
}

impl Service {
    pub(crate) fn collection_basis(&self) -> ServiceResult<Basis> {
        Ok(Basis {
            today: self.clock.today(),
            rules: self.billing_rules()?,
            outages: super::payments::account::outages(self.store().conn())?,
            cutoff_days: self.int_setting("penalty.cutoff_after_days")?,
        })
    }

    /// The customers in arrears today (bills past their due date not fully paid), most
    /// overdue first.
    pub fn arrears_list(&self, filter: &ArrearsFilter) -> ServiceResult<ArrearsList> {
        let b = self.collection_basis()?;
        let conn = self.store().conn();
        let bills = store::overdue_bills(conn, Day(b.today), filter.area_id)?;
        let mut rows = rows_of(conn, bills, &voided_map(conn)?, &b)?;
        annotate(conn, &mut rows, b.cutoff_days)?;
        rows.retain(|r| {
            filter.reader_id.is_none_or(|id| r.reader_id == Some(id))
                && (!filter.deliberate_only || r.deliberate == Some(true))
                && (!filter.candidates_only || r.candidate)
        });
        rows.sort_by(|x, y| {
            y.days_overdue
                .cmp(&x.days_overdue)
                .then_with(|| x.account_no.cmp(&y.account_no))
        });
        Ok(ArrearsList {
            today: b.today,
            cutoff_days: b.cutoff_days,
            in_outage: b.in_outage(),
            principal: rows.iter().map(|r| r.principal).sum(),
            late_fee: rows.iter().map(|r| r.late_fee).sum(),
            rows,
        })
    }

    /// One customer's arrears today (`None`: nothing overdue).
    pub fn customer_arrears(&self, customer_id: i64) -> ServiceResult<Option<ArrearsRow>> {
        let b = self.collection_basis()?;
        customer_arrears(self.store().conn(), customer_id, &b)
    }

    /// The payment grade (信誉等级) of each customer, as the counter computes it.
    pub fn arrears_grades(&self, ids: &[i64]) -> ServiceResult<HashMap<i64, PaymentGrade>> {
        ids.iter()
            .map(|id| Ok((*id, self.payment_grade(*id)?)))
            .collect()
    }

    /// Mark a customer's arrears deliberate or not (the reader's or the chief's judgement),
    /// with a note; the latest mark stands, every mark is kept.
    pub fn mark_arrears(
        &mut self,
        session: &Session,
        customer_id: i64,
        deliberate: bool,
        note: &str,
    ) -> ServiceResult<()> {
        let cx = self.begin(session, Need::Write)?;
        let note = super::orders::required_line(note, "note", "认定依据", 100)?;
        self.store_mut().write(|tx| -> ServiceResult<()> {
            let c = crate::store::customers::by_id(tx, customer_id)?
                .ok_or_else(|| ServiceError::NotFound("该客户".into()))?;
            let before = store::current_marks_of(tx, customer_id)?;
            store::insert_mark(tx, customer_id, deliberate, &note, cx.staff_id(), &cx.at)?;
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "collection.mark",
                    entity: "customer",
                    entity_id: &c.account_no,
                    changes: Changes::new()
                        .field("deliberate", before.map(mark_word), mark_word(deliberate))
                        .note("note", note.clone()),
                },
            )?;
            Ok(())
        })
    }
}

/// The word of a mark: 恶意欠费 / 非恶意欠费.
pub fn mark_word(deliberate: bool) -> &'static str {
    if deliberate {
        "恶意欠费"
    } else {
        "非恶意欠费"
    }
}

//! A year of bills and payments for the demo station (`stationdesk demo`): every customer
//! gets twelve monthly bills ending last month; they pay by their habit (mostly prepaid
//! top-ups, some each bill on time, some late, some in arrears across the year end — see
//! `plan`); past days are closed (日清日结); three receipts are voided, one is
//! reversed, some are reprinted, and one of today's is left unprinted (as after a crash) so
//! the start-up offer shows.
//!
//! Speed (100,000 customers: 1.2 million bills, some 400,000 payments): everything is
//! written in time order, one transaction per billing month (a transaction per payment would
//! rewrite the large indexes hundreds of thousands of times), on a connection tuned for the
//! load (`Store::tune_for_demo_load`: a crash while building the demo loses only the demo).
//! Inside it, a sample of customers (every N-th, about [`SAMPLE`], plus everyone with a
//! work order) goes through the service's own transaction bodies — `take_in`, `print_in`,
//! `void_in`, `reverse_in`, `close_in`: the same checks, rows and audit entries as
//! `take_payment` and the rest, with the chief's approval taken as given. Everyone else is
//! posted in bulk: their accounts are kept in memory ([`book`]) and run through the same
//! domain rules (late fee day by day, allocation oldest bill first, prepaid offsets), and
//! their rows are the same (payment, allocations, receipt with the next number, first
//! print) but written a few hundred to a statement, with one `payment.import_demo` audit
//! entry per day naming the receipt range instead of one `payment.take` entry per receipt.
//! Within a day the bulk receipts are numbered before the sampled ones (and the demo
//! orders' fee receipts, seeded earlier, before both).
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use crate::domain::billing::late_fee::{FeeClass, Outage};
use crate::domain::billing::{PayMethod, Period, receipt_no};
use crate::domain::clock::{self, FixedClock};
use crate::domain::role::Role;
use crate::print::Denomination;
use crate::service::auth::session_of;
use crate::service::payments::account::{AccountState, account_state};
use crate::service::payments::import::offset_new_bill;
use crate::service::payments::{
    Payer, PaymentRequest, Rules, date_text, fen, standard_denominations, yuan,
};
use crate::service::{Service, ServiceResult, Session};
use crate::store::Store;
use crate::store::audit::{self, Actor, Changes, NewEntry};
use crate::store::billing::{self as bstore, NewBill, payments};
use crate::store::bulk::{Paused, RowBuffer, Rows, insert_rows};
use crate::store::staff::StaffRow;
use plan::{DemoCustomer, Pays, Visit};

mod book;
mod bulk;
pub(crate) mod plan;
mod visits;

/// About this many customers go through the service's own code one by one.
const SAMPLE: usize = 150;

/// What the demo billing made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DemoBilling {
    pub bills: usize,
    pub payments: usize,
    pub voids: usize,
    pub reversals: usize,
    pub day_ends: usize,
}

/// Everything the year needs but the store.
struct World {
    seed: u64,
    rules: Rules,
    customers: Vec<DemoCustomer>,
    /// who goes through the service's code one by one
    sampled: Vec<bool>,
    /// everyone else's accounts, in memory
    books: Vec<book::Book>,
    outages: Vec<Outage>,
    cashiers: Vec<Session>,
    chief: Option<StaffRow>,
    /// each customer's bills of the year, computed from the demo's readings, by the
    /// customer's place in `customers`: (period, kWh, 分), oldest first
    bills: Vec<Vec<(Period, i64, i64)>>,
    /// each customer's 台区, and the sales per 台区 and period of the bills issued
    areas: HashMap<i64, i64>,
    sales: HashMap<(i64, Period), (i64, i64, i64)>,
    out: DemoBilling,
    keys: u64,
    samples: u64,
    /// a sample payment to reverse three days later: (receipt, cashier, day); chosen once
    to_reverse: Option<(i64, usize, NaiveDate)>,
    reversal_chosen: bool,
    shortage_done: bool,
    left_unprinted: bool,
}

/// Seed the year. `now`: the demo's clock.
pub fn seed(
    store: Store,
    dir: &Path,
    now: NaiveDateTime,
    seed: u64,
    mut bills: super::readings::DemoBills,
    areas: HashMap<i64, i64>,
) -> ServiceResult<DemoBilling> {
    store.tune_for_demo_load()?;
    let mut svc = Service::new(store, dir.to_path_buf(), Arc::new(FixedClock::new(now)));
    let staff = svc.list_staff()?;
    let chief = staff
        .iter()
        .find(|s| s.active && s.role == Role::Chief)
        .cloned();
    let mut cashiers: Vec<Session> = staff
        .iter()
        .filter(|s| s.active && s.role == Role::Clerk)
        .map(session_of)
        .collect();
    if cashiers.is_empty() {
        cashiers.extend(chief.as_ref().map(session_of));
    }
    // customers on file before the year of bills (those connected by this month's orders
    // get their first bill next month)
    let first_day = format!("{}-01", plan::periods(now.date())[0]);
    let customers: Vec<DemoCustomer> = bstore::all_customers(svc.store().conn())?
        .into_iter()
        .filter(|(_, _, status, created)| status != "closed" && *created < first_day)
        .map(|(id, usage, _, _)| DemoCustomer {
            id,
            residential: usage == "residential",
            habit: plan::habit(seed, id),
        })
        .collect();
    if cashiers.is_empty() || customers.is_empty() {
        return Ok(DemoBilling::default());
    }
    let step = (customers.len() / SAMPLE).max(1);
    let with_orders: std::collections::HashSet<i64> =
        bstore::customers_with_orders(svc.store().conn())?
            .into_iter()
            .collect();
    let sampled = customers
        .iter()
        .enumerate()
        .map(|(i, c)| i.is_multiple_of(step) || with_orders.contains(&c.id))
        .collect();
    // looked up by place, not by id, for every customer every month
    let bills = customers
        .iter()
        .map(|c| bills.remove(&c.id).unwrap_or_default())
        .collect();
    let mut world = World {
        seed,
        rules: svc.billing_rules()?,
        bills,
        areas,
        sales: HashMap::new(),
        sampled,
        books: vec![book::Book::default(); customers.len()],
        outages: crate::service::payments::account::outages(svc.store().conn())?,
        customers,
        cashiers,
        chief,
        out: DemoBilling::default(),
        keys: 0,
        samples: 0,
        to_reverse: None,
        reversal_chosen: false,
        shortage_done: false,
        left_unprinted: false,
    };
    let periods = plan::periods(now.date());
    let visits = world.visits(&periods, now);
    let mut next = 0usize;
    for (k, p) in periods.iter().enumerate() {
        let from = plan::issue_day(*p);
        let until = match periods.get(k + 1) {
            Some(q) => plan::issue_day(*q),
            None => now.date() + Duration::days(1),
        };
        svc.store_mut().write(|tx| -> ServiceResult<()> {
            // the receipts' and allocations' insert rules (numbers without gaps, allocations
            // adding up to the payment, none after the receipt) away for the month's load:
            // each would look rows up again for every row, and make SQLite keep a statement
            // journal for every chunk. The rows are the program's own, made by the same rules;
            // the triggers are back, as they were, before the month commits, and `verify`
            // checks every number and sum of the year after.
            let paused = [
                Paused::insert_triggers(tx, "receipt")?,
                Paused::insert_triggers(tx, "allocation")?,
            ];
            world.issue(tx, *p)?;
            let mut day = from;
            while day < until && day <= now.date() {
                let start = next;
                while next < visits.len() && visits[next].at.date() == day {
                    next += 1;
                }
                world.day(tx, day, &visits[start..next], now)?;
                day += Duration::days(1);
            }
            for p in paused {
                p.restore(tx)?;
            }
            Ok(())
        })?;
    }
    // the 台区 sales of the bills issued, written once (the bulk load above leaves them out)
    let sales = std::mem::take(&mut world.sales);
    svc.store_mut().write(|tx| -> ServiceResult<()> {
        for ((area, period), (n, kwh, fen)) in &sales {
            bstore::add_area_sales(tx, *area, &period.to_string(), *n, *kwh, *fen)?;
        }
        Ok(())
    })?;
    Ok(world.out)
}

impl World {
    fn visits(&self, periods: &[Period], now: NaiveDateTime) -> Vec<Visit> {
        let first = periods[0];
        plan::visits(
            self.seed,
            &self.customers,
            periods,
            self.cashiers.len(),
            now,
            |i| {
                self.bill_of(i, first)
                    .map(|b| b.1)
                    .or_else(|| self.bills.get(i)?.first().map(|b| b.2))
                    .unwrap_or(10_000)
            },
        )
    }

    /// The bill of `p` of the customer at place `i`, from its readings: (kWh, 分).
    fn bill_of(&self, i: usize, p: Period) -> Option<(i64, i64)> {
        self.bills
            .get(i)?
            .iter()
            .find(|b| b.0 == p)
            .map(|b| (b.1, b.2))
    }

    /// A month's bills, issued on the 1st at 08:00; prepaid balances offset at once.
    fn issue(&mut self, tx: &rusqlite::Connection, p: Period) -> ServiceResult<()> {
        let at_time = plan::issue_day(p).and_hms_opt(8, 0, 0).unwrap_or_default();
        let at = clock::to_db(at_time);
        let on = at_time.date();
        let today = date_text(on);
        let period = p.to_string();
        let due = date_text(plan::due_day(p));
        let mut total = 0i64;
        let mut offsets = 0i64;
        let mut count = 0usize;
        // the bills of customers posted in bulk, and their prepaid offsets, a few hundred to
        // a statement; each bill's id is the next one, as an insert would give it
        let mut bills = RowBuffer::new("bill", bstore::BILL_COLUMNS);
        // (offsets written after their bills)
        let mut offset_rows = Rows::new(bstore::OFFSET_COLUMNS.len());
        let mut next_id = crate::store::bulk::max_id(tx, "bill")? + 1;
        for i in 0..self.customers.len() {
            let c = self.customers[i];
            // a missed reading or no consumption: no bill this month
            let Some((kwh, amount)) = self.bill_of(i, p) else {
                continue;
            };
            let bill = NewBill {
                customer_id: c.id,
                period: &period,
                kwh,
                amount_fen: amount,
                due_date: &due,
                source: "demo",
                source_file: "",
                imported_at: &at,
                imported_by: None,
            };
            total += amount;
            count += 1;
            if let Some(a) = self.areas.get(&c.id) {
                let s = self.sales.entry((*a, p)).or_default();
                *s = (s.0 + 1, s.1 + kwh, s.2 + amount);
            }
            if self.sampled[i] {
                // through the service's own offset, which reads the account: everything
                // before it written first
                bills.flush(tx)?;
                insert_rows(tx, "prepaid_offset", bstore::OFFSET_COLUMNS, &offset_rows)?;
                offset_rows.clear();
                let id = bstore::insert_bill_only(tx, &bill)?;
                next_id = id + 1;
                offsets += offset_new_bill(tx, c.id, id, amount, &today, &at)?;
                continue;
            }
            let id = next_id;
            next_id += 1;
            bstore::bill_params(Some(id), &bill, |p| bills.push(tx, p))?;
            let offset = self.books[i].add_bill(
                book::BookBill {
                    id,
                    period: p,
                    due: plan::due_day(p),
                    amount,
                    paid: 0,
                    changes: Vec::new(),
                    late_paid: 0,
                },
                on,
            );
            if offset > 0 {
                bstore::offset_params(c.id, id, offset, &today, &at, |p| offset_rows.push(p))?;
                offsets += offset;
            }
        }
        bills.flush(tx)?;
        insert_rows(tx, "prepaid_offset", bstore::OFFSET_COLUMNS, &offset_rows)?;
        audit::append(
            tx,
            NewEntry {
                at: at_time,
                actor: &Actor::system("演示数据"),
                action: "bill.import_demo",
                entity: "bill",
                entity_id: &period,
                changes: Changes::new()
                    .note("count", count)
                    .note("total", crate::domain::money::format_yuan(yuan(total)))
                    .note(
                        "prepaid_applied",
                        crate::domain::money::format_yuan(yuan(offsets)),
                    ),
            },
        )?;
        self.out.bills += count;
        Ok(())
    }

    fn sampled(&self, v: &Visit) -> bool {
        self.sampled[v.customer as usize]
    }

    /// A day: everyone posted in bulk, then the sampled visits one by one (so within a day
    /// the bulk receipts are numbered first; a counter numbers strictly in time order), the
    /// reversal when it is due, and the day ends of a past day.
    fn day(
        &mut self,
        tx: &rusqlite::Connection,
        day: NaiveDate,
        visits: &[Visit],
        now: NaiveDateTime,
    ) -> ServiceResult<()> {
        let (counter, bulk): (Vec<Visit>, Vec<Visit>) =
            visits.iter().partition(|v| self.sampled(v));
        self.bulk(tx, &bulk)?;
        for v in &counter {
            self.counter(tx, v, now)?;
        }
        if let Some((receipt, cashier, on)) = self.to_reverse
            && on + Duration::days(3) == day
        {
            self.to_reverse = None;
            self.reverse(tx, receipt, cashier, day)?;
        }
        if day < now.date() {
            self.close(tx, day)?;
        }
        Ok(())
    }
}

/// How much a visit pays from what is owed: (due date, owed with late fee) per open bill.
fn wanted(pays: Pays, day: NaiveDate, lines: &[(NaiveDate, i64)], prepaid: i64) -> i64 {
    let owed: i64 = match pays {
        Pays::Deposit(f) => return f,
        Pays::AllOwed => lines.iter().map(|(_, o)| o).sum(),
        Pays::Overdue => lines.iter().filter(|(d, _)| *d < day).map(|(_, o)| o).sum(),
    };
    (owed - prepaid).max(0)
}

fn class_of(c: &DemoCustomer) -> FeeClass {
    if c.residential {
        FeeClass::Residential
    } else {
        FeeClass::Other
    }
}

/// How much a sampled visit pays, from the account on that day.
fn amount_of(st: &AccountState, pays: Pays, day: NaiveDate) -> Decimal {
    let lines: Vec<(NaiveDate, i64)> = st
        .open_bills()
        .map(|b| (b.due_date, fen(b.owed + b.late_fee).unwrap_or(0)))
        .collect();
    yuan(wanted(pays, day, &lines, fen(st.prepaid).unwrap_or(0)))
}

/// Count `amount` in notes and coins, largest first.
fn count_cash(amount_fen: i64) -> Vec<Denomination> {
    let mut left = amount_fen.max(0);
    let mut out = standard_denominations();
    for d in &mut out {
        let face = fen(d.face).unwrap_or(1).max(1);
        d.pieces = u32::try_from(left / face).unwrap_or(0);
        left %= face;
    }
    out
}

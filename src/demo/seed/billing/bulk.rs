//! Everyone not sampled: a day's visits posted from their in-memory books, with
//! multi-row inserts (payments, allocations, receipts with the next
//! numbers, first prints) and one audit entry naming the receipt range.
use rusqlite::params;

use super::*;

const PAYMENT_COLUMNS: &[&str] = &[
    "id",
    "customer_id",
    "amount_fen",
    "method",
    "tendered_fen",
    "change_fen",
    "cashier_id",
    "at",
    "business_date",
    "request_key",
];
const ALLOCATION_COLUMNS: &[&str] = &[
    "id",
    "payment_id",
    "pos",
    "kind",
    "customer_id",
    "bill_id",
    "amount_fen",
];
const BASIS_COLUMNS: &[&str] = &[
    "id",
    "days_overdue",
    "days_charged",
    "outage_days",
    "minimum",
    "accrued_fen",
    "paid_before_fen",
];
const RECEIPT_COLUMNS: &[&str] = &[
    "id",
    "receipt_no",
    "year",
    "seq",
    "payment_id",
    "issued_at",
    "prepaid_after_fen",
    "arrears_after_fen",
];
const PRINT_COLUMNS: &[&str] = &[
    "receipt_id",
    "reprint_no",
    "kind",
    "printed_at",
    "printed_by",
];

impl World {
    pub(super) fn bulk(
        &mut self,
        tx: &rusqlite::Connection,
        visits: &[Visit],
    ) -> ServiceResult<()> {
        let World {
            rules,
            customers,
            cashiers,
            books,
            outages,
            keys,
            ..
        } = self;
        // what each visit pays, from the books (the rules of the service, in memory)
        let mut posted = Vec::with_capacity(visits.len());
        for v in visits {
            let i = v.customer as usize;
            let c = &customers[i];
            let day = v.at.date();
            if let Some(p) = books[i].pay(
                c.id,
                class_of(c),
                day,
                |lines, prepaid| wanted(v.pays, day, lines, prepaid),
                rules,
                outages,
            )? {
                posted.push((v, p));
            }
        }
        let Some((last, _)) = posted.last() else {
            return Ok(());
        };
        let last_at = last.at;
        let first_key = *keys;
        let made = {
            let mut payment_id = crate::store::bulk::max_id(tx, "payment")?;
            let mut receipt_id = crate::store::bulk::max_id(tx, "receipt")?;
            let mut allocation_id = crate::store::bulk::max_id(tx, "allocation")?;
            let mut seq: Option<(i32, i64)> = None;
            let mut pays = Rows::new(PAYMENT_COLUMNS.len());
            let mut allocs = Rows::new(ALLOCATION_COLUMNS.len());
            let mut bases = Rows::new(BASIS_COLUMNS.len());
            let mut receipts = Rows::new(RECEIPT_COLUMNS.len());
            let mut prints = Rows::new(PRINT_COLUMNS.len());
            let mut total = 0i64;
            let mut range: Option<(String, String)> = None;
            for (n, (v, p)) in posted.iter().enumerate() {
                payment_id += 1;
                receipt_id += 1;
                let c = &customers[v.customer as usize];
                let cashier = cashiers[usize::from(v.cashier)].staff_id;
                let at = clock::to_db(v.at);
                let day = v.at.date();
                pays.push(params![
                    payment_id,
                    c.id,
                    p.amount,
                    PayMethod::Cash.code(),
                    p.amount,
                    0i64,
                    cashier,
                    at,
                    date_text(day),
                    format!("demo-{}", first_key + n as u64 + 1),
                ])?;
                for (pos, a) in p.allocations.iter().enumerate() {
                    allocation_id += 1;
                    if let Some(b) = a.basis.filter(|_| a.kind == "late_fee") {
                        bases.push(params![
                            allocation_id,
                            b.days_overdue,
                            b.days_charged,
                            b.outage_days,
                            i64::from(b.minimum),
                            b.accrued_fen,
                            b.paid_before_fen,
                        ])?;
                    }
                    allocs.push(params![
                        allocation_id,
                        payment_id,
                        pos as i64,
                        a.kind,
                        c.id,
                        a.bill_id,
                        a.amount_fen,
                    ])?;
                }
                let year = book::year_of(day);
                let s = match seq {
                    Some((y, s)) if y == year => s,
                    _ => payments::next_receipt_seq(tx, year)?,
                };
                seq = Some((year, s + 1));
                let no = receipt_no::format(year, s).ok_or_else(|| {
                    crate::service::ServiceError::Refused(format!("{year} 年的收据号已用完"))
                })?;
                receipts.push(params![
                    receipt_id,
                    no,
                    i64::from(year),
                    s,
                    payment_id,
                    at,
                    p.prepaid_after,
                    p.arrears_after,
                ])?;
                prints.push(params![receipt_id, 0i64, "print", at, cashier])?;
                total += p.amount;
                range = Some(match range {
                    Some((a, _)) => (a, no),
                    None => (no.clone(), no),
                });
            }
            insert_rows(tx, "payment", PAYMENT_COLUMNS, &pays)?;
            insert_rows(tx, "allocation", ALLOCATION_COLUMNS, &allocs)?;
            insert_rows(tx, "late_fee_basis", BASIS_COLUMNS, &bases)?;
            insert_rows(tx, "receipt", RECEIPT_COLUMNS, &receipts)?;
            insert_rows(tx, "receipt_print", PRINT_COLUMNS, &prints)?;
            if let Some((from, to)) = range {
                audit::append(
                    tx,
                    NewEntry {
                        at: last_at,
                        actor: &Actor::system("演示数据"),
                        action: "payment.import_demo",
                        entity: "receipt",
                        entity_id: &format!("{from}–{to}"),
                        changes: Changes::new()
                            .note("count", pays.len())
                            .note("total", crate::domain::money::format_yuan(yuan(total)))
                            .note("printed", true),
                    },
                )?;
            }
            pays.len()
        };
        *keys += made as u64;
        self.out.payments += made;
        Ok(())
    }
}

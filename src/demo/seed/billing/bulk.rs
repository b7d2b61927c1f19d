//! Everyone not sampled: a day's visits posted from their in-memory books, with
//! multi-row inserts (payments, allocations, receipts with the next
//! numbers, first prints) and one audit entry naming the receipt range.
use rusqlite::types::Value;

use super::*;

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
            let mut bases = Vec::new();
            let mut seq: Option<(i32, i64)> = None;
            let (mut pays, mut allocs, mut receipts, mut prints) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            let mut total = 0i64;
            let mut range: Option<(String, String)> = None;
            for (n, (v, p)) in posted.iter().enumerate() {
                payment_id += 1;
                receipt_id += 1;
                let c = &customers[v.customer as usize];
                let cashier = cashiers[usize::from(v.cashier)].staff_id;
                let at = Value::Text(clock::to_db(v.at));
                let day = v.at.date();
                pays.push(vec![
                    Value::Integer(payment_id),
                    Value::Integer(c.id),
                    Value::Integer(p.amount),
                    Value::Text(PayMethod::Cash.code().into()),
                    Value::Integer(p.amount),
                    Value::Integer(0),
                    Value::Integer(cashier),
                    at.clone(),
                    Value::Text(date_text(day)),
                    Value::Text(format!("demo-{}", first_key + n as u64 + 1)),
                ]);
                for (pos, a) in p.allocations.iter().enumerate() {
                    allocation_id += 1;
                    if let Some(b) = a.basis.filter(|_| a.kind == "late_fee") {
                        bases.push(vec![
                            Value::Integer(allocation_id),
                            Value::Integer(b.days_overdue),
                            Value::Integer(b.days_charged),
                            Value::Integer(b.outage_days),
                            Value::Integer(i64::from(b.minimum)),
                            Value::Integer(b.accrued_fen),
                            Value::Integer(b.paid_before_fen),
                        ]);
                    }
                    allocs.push(vec![
                        Value::Integer(allocation_id),
                        Value::Integer(payment_id),
                        Value::Integer(pos as i64),
                        Value::Text(a.kind.into()),
                        Value::Integer(c.id),
                        a.bill_id.map_or(Value::Null, Value::Integer),
                        Value::Integer(a.amount_fen),
                    ]);
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
                receipts.push(vec![
                    Value::Integer(receipt_id),
                    Value::Text(no.clone()),
                    Value::Integer(i64::from(year)),
                    Value::Integer(s),
                    Value::Integer(payment_id),
                    at.clone(),
                    Value::Integer(p.prepaid_after),
                    Value::Integer(p.arrears_after),
                ]);
                prints.push(vec![
                    Value::Integer(receipt_id),
                    Value::Integer(0),
                    Value::Text("print".into()),
                    at,
                    Value::Integer(cashier),
                ]);
                total += p.amount;
                range = Some(match range {
                    Some((a, _)) => (a, no),
                    None => (no.clone(), no),
                });
            }
            insert_rows(
                tx,
                "payment",
                &[
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
                ],
                &pays,
            )?;
            insert_rows(
                tx,
                "allocation",
                &[
                    "id",
                    "payment_id",
                    "pos",
                    "kind",
                    "customer_id",
                    "bill_id",
                    "amount_fen",
                ],
                &allocs,
            )?;
            insert_rows(
                tx,
                "late_fee_basis",
                &[
                    "id",
                    "days_overdue",
                    "days_charged",
                    "outage_days",
                    "minimum",
                    "accrued_fen",
                    "paid_before_fen",
                ],
                &bases,
            )?;
            insert_rows(
                tx,
                "receipt",
                &[
                    "id",
                    "receipt_no",
                    "year",
                    "seq",
                    "payment_id",
                    "issued_at",
                    "prepaid_after_fen",
                    "arrears_after_fen",
                ],
                &receipts,
            )?;
            insert_rows(
                tx,
                "receipt_print",
                &[
                    "receipt_id",
                    "reprint_no",
                    "kind",
                    "printed_at",
                    "printed_by",
                ],
                &prints,
            )?;
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

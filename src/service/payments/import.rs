//! `stationdesk import bills FILE.csv`: bills from the provincial system (format in
//! `domain::billing::import` and the README).
//!
//! All or nothing: every line is checked (format, known 户号, what is already stored)
//! before anything is written, and the file is imported in one transaction. Re-importing is
//! idempotent: a bill already stored with the same kWh, amount and due date is skipped; one
//! stored with different figures is reported as a bad line (a correction is not an import).
//! A customer's prepaid balance is applied to their new bills at once (预收冲抵), oldest
//! period first, so a prepaid customer never falls overdue.
use rust_decimal::Decimal;

use super::{date_text, fen, yuan};
use crate::domain::billing::import::{LineError, parse_bill_file};
use crate::domain::clock;
use crate::domain::money;
use crate::domain::role::Need;
use crate::service::{Service, ServiceResult, Session};
use crate::store::audit::{self, Actor, Changes, NewEntry};
use crate::store::billing::{self as bstore, NewBill};

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    pub file: String,
    /// new bills stored
    pub imported: usize,
    /// bills already stored with the same figures
    pub unchanged: usize,
    pub customers: usize,
    /// sum of the new bills, 元
    pub total: Decimal,
    /// prepaid balance applied to the new bills
    pub prepaid_offsets: usize,
    pub prepaid_applied: Decimal,
}

impl ImportReport {
    pub fn describe(&self) -> String {
        let mut s = format!(
            "已导入 {}：新账单 {} 张（{} 户，合计 {} 元）",
            self.file,
            self.imported,
            self.customers,
            money::format_yuan(self.total)
        );
        if self.unchanged > 0 {
            s.push_str(&format!("；{} 张此前已导入，未重复导入", self.unchanged));
        }
        if self.prepaid_offsets > 0 {
            s.push_str(&format!(
                "；{} 张以预收款冲抵 {} 元",
                self.prepaid_offsets,
                money::format_yuan(self.prepaid_applied)
            ));
        }
        s
    }
}

/// Imported, or refused with every bad line (nothing imported).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported(ImportReport),
    Rejected(Vec<LineError>),
}

/// Apply the customer's prepaid balance to a bill just stored; returns 分 applied.
pub(crate) fn offset_new_bill(
    tx: &rusqlite::Connection,
    customer_id: i64,
    bill_id: i64,
    amount_fen: i64,
    business_date: &str,
    at: &str,
) -> ServiceResult<i64> {
    let balance = bstore::prepaid_balance(tx, customer_id)?;
    let applied = balance.min(amount_fen);
    if applied > 0 {
        bstore::insert_offset(tx, customer_id, bill_id, applied, business_date, at)?;
    }
    Ok(applied.max(0))
}

impl Service {
    /// Import a bill file. `session`: the signed-in clerk or chief; `None` for the command
    /// line (recorded as 系统（账单导入）).
    pub fn import_bills(
        &mut self,
        session: Option<&Session>,
        file_name: &str,
        bytes: &[u8],
    ) -> ServiceResult<ImportOutcome> {
        let (actor, by) = match session {
            Some(s) => {
                let cx = self.begin(s, Need::Cashier)?;
                (cx.actor, Some(cx.session.staff_id))
            }
            None => (Actor::system("账单导入"), None),
        };
        let bills = match parse_bill_file(bytes) {
            Ok(b) => b,
            Err(errors) => return Ok(ImportOutcome::Rejected(errors)),
        };
        let now = self.now();
        let at = clock::to_db(now);
        let today = date_text(now.date());
        // kept with the bills, in the audit trail and in the report: escaped
        let file = crate::domain::validate::shown(file_name);
        self.store.write(|tx| -> ServiceResult<ImportOutcome> {
            // check everything first: nothing is written from a file with a bad line
            let mut errors = Vec::new();
            let mut new = Vec::new();
            let mut unchanged = 0usize;
            for b in &bills {
                let Some(cid) = bstore::customer_by_account(tx, &b.account_no)? else {
                    errors.push(LineError::at(
                        b.line,
                        format!("户号 {} 不存在", b.account_no),
                    ));
                    continue;
                };
                let amount_fen = fen(b.amount)?;
                let period = b.period.to_string();
                let due = date_text(b.due_date);
                match bstore::bill_of_period(tx, cid, &period)? {
                    Some(old)
                        if old.kwh == b.kwh
                            && old.amount_fen == amount_fen
                            && old.due_date == due =>
                    {
                        unchanged += 1;
                    }
                    Some(old) => errors.push(LineError::at(
                        b.line,
                        format!(
                            "户号 {} 账期 {period} 已有账单（{} kWh，{} 元，到期 {}），与本行不同；更正账单不能用导入",
                            b.account_no,
                            old.kwh,
                            money::format_yuan(yuan(old.amount_fen)),
                            old.due_date
                        ),
                    )),
                    None => new.push((cid, b, amount_fen, period, due)),
                }
            }
            if !errors.is_empty() {
                errors.sort_by_key(|e| e.line);
                return Ok(ImportOutcome::Rejected(errors));
            }
            // oldest period first per customer, so a balance pays the oldest new bill
            new.sort_by_key(|a| (a.0, a.1.period));
            let mut customers = std::collections::HashSet::new();
            let mut total = 0i64;
            let mut offsets = 0usize;
            let mut applied_total = 0i64;
            for (cid, b, amount_fen, period, due) in &new {
                let bill_id = bstore::insert_bill(
                    tx,
                    &NewBill {
                        customer_id: *cid,
                        period,
                        kwh: b.kwh,
                        amount_fen: *amount_fen,
                        due_date: due,
                        source: "import",
                        source_file: &file,
                        imported_at: &at,
                        imported_by: by,
                    },
                )?;
                customers.insert(*cid);
                total += amount_fen;
                let applied = offset_new_bill(tx, *cid, bill_id, *amount_fen, &today, &at)?;
                if applied > 0 {
                    offsets += 1;
                    applied_total += applied;
                    audit::append(
                        tx,
                        NewEntry {
                            at: now,
                            actor: &actor,
                            action: "prepaid.offset",
                            entity: "bill",
                            entity_id: &format!("{}/{period}", b.account_no),
                            changes: Changes::new()
                                .created("applied", money::format_yuan(yuan(applied)))
                                .note("bill_amount", money::format_yuan(yuan(*amount_fen))),
                        },
                    )?;
                }
            }
            let report = ImportReport {
                file: file.clone(),
                imported: new.len(),
                unchanged,
                customers: customers.len(),
                total: yuan(total),
                prepaid_offsets: offsets,
                prepaid_applied: yuan(applied_total),
            };
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "bill.import",
                    entity: "bill_file",
                    entity_id: &file,
                    changes: Changes::new()
                        .note("imported", report.imported)
                        .note("unchanged", report.unchanged)
                        .note("customers", report.customers)
                        .note("total", money::format_yuan(report.total))
                        .note("prepaid_applied", money::format_yuan(report.prepaid_applied)),
                },
            )?;
            Ok(ImportOutcome::Imported(report))
        })
    }
}

//! `stationdesk import bills FILE.csv`: bills from the provincial system (format in
//! `domain::billing::import` and the README).
//!
//! All or nothing: every line is checked (format, plausible periods, known 户号, what is
//! already stored) before anything is written, and every problem is listed at once. The
//! checking reads outside any transaction; the writing commits in chunks of
//! [`CHUNK`] bills under one import id, so a counter payment in another window never waits
//! for more than one chunk. Should the program stop between chunks, importing the same file
//! again completes it: re-importing is idempotent (a bill already stored with the same kWh,
//! amount and due date is skipped; one stored with different figures is reported as a bad
//! line — a correction is not an import).
//! A customer's prepaid balance is applied to their new bills at once (预收冲抵), oldest
//! period first, so a prepaid customer never falls overdue.
use rust_decimal::Decimal;

use super::{date_text, fen, yuan};
use crate::domain::billing::import::{BillLine, Limits, LineError, check_bill_file};
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

/// Bills written per transaction.
pub const CHUNK: usize = 500;

/// A checked bill ready to write: (customer id, line, amount in 分, period, due date).
type Ready<'a> = (i64, &'a BillLine, i64, String, String);

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
        // kept with the bills, in the audit trail and in the report: escaped
        let file_name = &crate::domain::validate::shown(file_name);
        let now = self.now();
        let limits = Limits {
            today: now.date(),
            past_months: self.int_setting("import.period_past_months")?.clamp(1, 240) as u32,
            future_months: self
                .int_setting("import.period_future_months")?
                .clamp(0, 12) as u32,
        };
        let (bills, mut errors) = check_bill_file(bytes, &limits);
        // what only the database knows, checked outside any transaction
        let mut new: Vec<Ready<'_>> = Vec::new();
        let mut unchanged = 0usize;
        for b in &bills {
            match self.check_bill(b)? {
                Err(e) => errors.push(e),
                Ok(None) => unchanged += 1,
                Ok(Some(r)) => new.push(r),
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Ok(ImportOutcome::Rejected(errors));
        }
        // oldest period first per customer, so a balance pays the oldest new bill
        new.sort_by_key(|a| (a.0, a.1.period));
        let at = clock::to_db(now);
        let import_id = format!("{at} {file_name}");
        let mut report = ImportReport {
            file: file_name.to_string(),
            imported: 0,
            unchanged,
            customers: new
                .iter()
                .map(|r| r.0)
                .collect::<std::collections::HashSet<_>>()
                .len(),
            total: Decimal::ZERO,
            prepaid_offsets: 0,
            prepaid_applied: Decimal::ZERO,
        };
        let chunks = new.len().div_ceil(CHUNK).max(1);
        let mut parts = new.chunks(CHUNK).peekable();
        let empty: &[Ready<'_>] = &[];
        for n in 1..=chunks {
            let part = parts.next().unwrap_or(empty);
            let last = n == chunks;
            let done = self.store.write(
                |tx| -> ServiceResult<Result<(usize, i64, usize, i64), LineError>> {
                    let mut imported = 0usize;
                    let (mut total, mut offsets, mut applied_total) = (0i64, 0usize, 0i64);
                    for (cid, b, amount_fen, period, due) in part {
                        // checked again under the lock: another window may have imported it
                        match bstore::bill_of_period(tx, *cid, period)? {
                            Some(old) if same_bill(&old, b.kwh, *amount_fen, due) => continue,
                            Some(old) => return Ok(Err(differs(b, period, &old))),
                            None => {}
                        }
                        let bill_id = bstore::insert_bill(
                            tx,
                            &NewBill {
                                customer_id: *cid,
                                period,
                                kwh: b.kwh,
                                amount_fen: *amount_fen,
                                due_date: due,
                                source: "import",
                                source_file: file_name,
                                imported_at: &at,
                                imported_by: by,
                            },
                        )?;
                        imported += 1;
                        total += amount_fen;
                        let applied = offset_new_bill(
                            tx,
                            *cid,
                            bill_id,
                            *amount_fen,
                            &date_text(now.date()),
                            &at,
                        )?;
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
                    let mut changes = Changes::new()
                        .note("import_id", import_id.clone())
                        .note("chunk", format!("{n}/{chunks}"))
                        .note("imported", imported)
                        .note("total", money::format_yuan(yuan(total)));
                    if last {
                        changes = changes
                            .note("unchanged", report.unchanged)
                            .note("customers", report.customers);
                    }
                    audit::append(
                        tx,
                        NewEntry {
                            at: now,
                            actor: &actor,
                            action: "bill.import",
                            entity: "bill_file",
                            entity_id: file_name,
                            changes,
                        },
                    )?;
                    Ok(Ok((imported, total, offsets, applied_total)))
                },
            )?;
            match done {
                Ok((imported, total, offsets, applied)) => {
                    report.imported += imported;
                    report.unchanged += part.len() - imported;
                    report.total += yuan(total);
                    report.prepaid_offsets += offsets;
                    report.prepaid_applied += yuan(applied);
                }
                // another window stored different figures meanwhile: the chunks before stay
                // (importing again after the correction completes the file)
                Err(e) => return Ok(ImportOutcome::Rejected(vec![e])),
            }
        }
        Ok(ImportOutcome::Imported(report))
    }

    /// One bill against the database: `Ok(None)` already stored as it is, `Ok(Some(..))`
    /// new, `Err` the line's problem.
    fn check_bill<'a>(
        &self,
        b: &'a BillLine,
    ) -> ServiceResult<Result<Option<Ready<'a>>, LineError>> {
        let conn = self.store().conn();
        let Some(cid) = bstore::customer_by_account(conn, &b.account_no)? else {
            return Ok(Err(LineError::at(
                b.line,
                format!("户号 {} 不存在", b.account_no),
            )));
        };
        let amount_fen = fen(b.amount)?;
        let period = b.period.to_string();
        let due = date_text(b.due_date);
        Ok(match bstore::bill_of_period(conn, cid, &period)? {
            Some(old) if same_bill(&old, b.kwh, amount_fen, &due) => Ok(None),
            Some(old) => Err(differs(b, &period, &old)),
            None => Ok(Some((cid, b, amount_fen, period, due))),
        })
    }
}

fn same_bill(old: &bstore::BillRow, kwh: i64, amount_fen: i64, due: &str) -> bool {
    old.kwh == kwh && old.amount_fen == amount_fen && old.due_date == due
}

fn differs(b: &BillLine, period: &str, old: &bstore::BillRow) -> LineError {
    LineError::at(
        b.line,
        format!(
            "户号 {} 账期 {period} 已有账单（{} kWh，{} 元，到期 {}），与本行不同；更正账单不能用导入",
            b.account_no,
            old.kwh,
            money::format_yuan(yuan(old.amount_fen)),
            old.due_date
        ),
    )
}

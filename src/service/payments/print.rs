//! Printing the money documents: the receipt (收费凭证) and the day-end report (日清日结).
//! A print is recorded only when it succeeded (the PDF written and, when a printer is set,
//! handed to it): the document is rendered with the number its print will get (补打（第 N
//! 次）), printed, and then recorded. A print that failed is recorded as a failure
//! (`print.failed`, with the reason) and the receipt stays on the sign-in offer.
use chrono::NaiveDateTime;

use super::super::{Cx, Service, ServiceError, ServiceResult, Session};
use crate::domain::role::Need;
use crate::print::{PrintOutcome, render_day_end, render_receipt, sanitize_stem};
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::billing::payments;

/// The action of the entry recording a print that failed.
pub const PRINT_FAILED: &str = "print.failed";

impl Service {
    /// Print (or reprint) a receipt. `recovered`: the first print of a receipt committed
    /// before the program died, offered at the next start; it prints as 补打.
    pub fn print_receipt(
        &mut self,
        session: &Session,
        receipt_id: i64,
        recovered: bool,
    ) -> ServiceResult<PrintOutcome> {
        let Cx { session, now, .. } = self.begin(session, Need::Write)?;
        let mut view = self.receipt_view(receipt_id)?;
        let (no, _) = payments::next_print(self.store.conn(), receipt_id, recovered)?;
        view.reprint = u32::try_from(no).unwrap_or(u32::MAX);
        let stem = match view.reprint {
            0 => format!("收费凭证-{}", view.receipt_no),
            n => format!("收费凭证-{}-补打{n}", view.receipt_no),
        };
        let printed = self.render_and_print(&sanitize_stem(&stem), |f| render_receipt(&view, f));
        match printed {
            Ok(out) => {
                self.store.write(|tx| {
                    super::receipts::print_in(tx, &session, receipt_id, recovered, now)
                })?;
                Ok(out)
            }
            Err(e) => {
                self.record_print_failure(&session, now, "receipt", &view.receipt_no, &e);
                Err(e)
            }
        }
    }

    /// Print (or reprint) a cashier's day-end report; recorded once it printed.
    pub fn print_day_end(
        &mut self,
        session: &Session,
        day_end_id: i64,
    ) -> ServiceResult<PrintOutcome> {
        let Cx { session, now, .. } = self.begin(session, Need::Write)?;
        let mut view = self.day_end_view(day_end_id)?;
        let id = day_end_id.to_string();
        view.reprint = u32::try_from(audit::count_for(
            self.store.conn(),
            "dayend.print",
            "day_end",
            &id,
        )?)
        .unwrap_or(u32::MAX);
        let stem = format!(
            "日清日结-{}-{}{}",
            view.business_date.format("%Y%m%d"),
            view.cashier,
            if view.reprint > 0 {
                format!("-补打{}", view.reprint)
            } else {
                String::new()
            }
        );
        let printed = self.render_and_print(&sanitize_stem(&stem), |f| render_day_end(&view, f));
        match printed {
            Ok(out) => {
                self.record_day_end_print(&session, day_end_id)?;
                Ok(out)
            }
            Err(e) => {
                self.record_print_failure(&session, now, "day_end", &id, &e);
                Err(e)
            }
        }
    }

    /// Record that printing `entity`/`id` failed and why. Best effort: when even this
    /// cannot be written (the disk is full), the print's own error is what the clerk sees.
    pub(crate) fn record_print_failure(
        &mut self,
        session: &Session,
        now: NaiveDateTime,
        entity: &str,
        id: &str,
        e: &ServiceError,
    ) {
        let reason = e.message();
        let _ = self.store.write(|tx| -> ServiceResult<()> {
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &session.actor(),
                    action: PRINT_FAILED,
                    entity,
                    entity_id: id,
                    changes: Changes::new().note("reason", reason.clone()),
                },
            )?;
            Ok(())
        });
    }
}

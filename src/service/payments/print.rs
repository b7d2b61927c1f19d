//! Printing the money documents: the receipt (收费凭证) and the day-end report (日清日结).
//! Each print is recorded first (so a reprint carries its number, 补打（第 N 次）), then
//! rendered and sent like every other document (print folder, then the system printer).
use super::super::{Service, ServiceResult, Session};
use crate::print::{PrintOutcome, render_day_end, render_receipt, sanitize_stem};

impl Service {
    /// Print (or reprint) a receipt. `recovered`: the first print of a receipt committed
    /// before the program died, offered at the next start; it prints as 补打.
    pub fn print_receipt(
        &mut self,
        session: &Session,
        receipt_id: i64,
        recovered: bool,
    ) -> ServiceResult<PrintOutcome> {
        let view = self.receipt_for_print(session, receipt_id, recovered)?;
        let pdf = render_receipt(&view, self.fonts()?)?;
        let stem = match view.reprint {
            0 => format!("收费凭证-{}", view.receipt_no),
            n => format!("收费凭证-{}-补打{n}", view.receipt_no),
        };
        self.print(&sanitize_stem(&stem), pdf)
    }

    /// Print (or reprint) a cashier's day-end report.
    pub fn print_day_end(
        &mut self,
        session: &Session,
        day_end_id: i64,
    ) -> ServiceResult<PrintOutcome> {
        let mut view = self.day_end_view(day_end_id)?;
        view.reprint = self.record_day_end_print(session, day_end_id)?;
        let pdf = render_day_end(&view, self.fonts()?)?;
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
        self.print(&sanitize_stem(&stem), pdf)
    }
}

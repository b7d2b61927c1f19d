//! The swap slip (换表工作单) of a swap: both meters' readings, multipliers and seals for the
//! customer's signature; every print audited, 补打 from the second.
use rusqlite::OptionalExtension;

use crate::domain::meter::{self, Segment};
use crate::domain::role::Need;
use crate::service::{Service, ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Changes};
use crate::store::meters as store;

/// The audit action of a printed swap slip.
const SWAP_PRINT: &str = "meter.print_swap";

/// The number printed on a swap slip: `HB` and the swap's id.
pub fn swap_slip_no(swap_id: i64) -> String {
    format!("HB{swap_id:06}")
}

impl Service {
    /// The swap slip (换表工作单) of a swap as it would print now.
    pub fn swap_slip_view(&self, swap_id: i64) -> ServiceResult<crate::print::SwapSlipView> {
        let conn = self.store().conn();
        let w = self.meter_swap(swap_id)?;
        let cid: i64 = conn
            .query_row(
                "SELECT customer_id FROM meter_swap WHERE id = ?1",
                [swap_id],
                |r| r.get(0),
            )
            .map_err(crate::store::StoreError::from)?;
        let c = crate::store::customers::by_id(conn, cid)?
            .ok_or_else(|| ServiceError::NotFound("该客户".into()))?;
        let station = self.require_station()?;
        let slip_no = swap_slip_no(w.id);
        let printed = audit::count_for(conn, SWAP_PRINT, "meter_swap", &slip_no)?;
        // the old meter's stretch: from its reading at installation, when recorded here
        let old_kwh = match (&w.old_asset_no, w.old_final_centi, w.old_multiplier) {
            (Some(no), Some(fin), Some(mult)) => {
                let m = store::by_asset_no(conn, no)?;
                let from = match m {
                    Some(m) => conn
                        .query_row(
                            "SELECT new_initial_centi FROM meter_swap
                              WHERE new_meter_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT 1",
                            [m.id, w.id],
                            |r| r.get::<_, i64>(0),
                        )
                        .optional()
                        .map_err(crate::store::StoreError::from)?
                        .map(|c| (c, m.digits)),
                    None => None,
                };
                from.and_then(|(c, digits)| {
                    meter::consumption(&[Segment {
                        from: meter::from_centi(c),
                        to: meter::from_centi(fin),
                        multiplier: mult,
                        digits,
                        rollover_confirmed: w.rollover,
                    }])
                    .ok()
                })
                .map(|k| k.normalize().to_string())
            }
            _ => None,
        };
        Ok(crate::print::SwapSlipView {
            station_name: station.name,
            station_phone: station.phone,
            slip_no,
            swapped_on: w.swapped_on,
            account_no: c.account_no,
            customer_name: c.name,
            address: c.address,
            reason: w.reason.label().to_string(),
            staff_name: w.staff_name.clone(),
            old: w.old_asset_no.clone().map(|no| {
                (
                    no,
                    meter::from_centi(w.old_final_centi.unwrap_or(0))
                        .normalize()
                        .to_string(),
                    w.old_multiplier.unwrap_or(1),
                    w.old_seals.clone(),
                )
            }),
            rollover: w.rollover,
            old_kwh,
            new: (
                w.new_asset_no.clone(),
                meter::from_centi(w.new_initial_centi)
                    .normalize()
                    .to_string(),
                w.new_multiplier,
                w.new_seals.clone(),
            ),
            reprint: u32::try_from(printed).unwrap_or(u32::MAX),
            paper: self.paper()?,
        })
    }

    /// Print the swap slip (补打 from the second time on); a print that failed is recorded
    /// as a failure, never as printed.
    pub fn print_swap_slip(
        &mut self,
        session: &Session,
        swap_id: i64,
    ) -> ServiceResult<crate::print::PrintOutcome> {
        let cx = self.begin(session, Need::Write)?;
        let view = self.swap_slip_view(swap_id)?;
        let stem = if view.reprint == 0 {
            format!("换表工作单-{}", view.slip_no)
        } else {
            format!("换表工作单-{}-补打{}", view.slip_no, view.reprint)
        };
        let out = match self.render_and_print(&stem, |f| crate::print::render_swap_slip(&view, f)) {
            Ok(out) => out,
            Err(e) => {
                self.record_print_failure(&cx.session, cx.now, "meter_swap", &view.slip_no, &e);
                return Err(e);
            }
        };
        let path = out.path.display().to_string();
        self.audit_alone(
            &cx,
            SWAP_PRINT,
            "meter_swap",
            &view.slip_no,
            Changes::new()
                .note("reprint", view.reprint)
                .note("file", path),
        )?;
        Ok(out)
    }
}

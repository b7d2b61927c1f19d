//! The 统计 screen's figures: money collected and work orders completed on time, month by
//! month. Collected money is the standing receipts less reversals, by business day; an
//! order counts in the month it was closed as completed, if its kind has a limit.
use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::domain::billing::Period;
use crate::domain::money::from_fen;
use crate::service::{Service, ServiceResult};

/// One month of the charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthStat {
    pub period: Period,
    /// receipts standing (reversals counted as payments too)
    pub payments: i64,
    /// received less reversed
    pub collected: Decimal,
    /// completed orders with a limit: on time, late
    pub kept: i64,
    pub late: i64,
    /// the month has not ended yet (figures so far)
    pub partial: bool,
}

impl MonthStat {
    /// On-time share in % to the hundredth; `None` when no order with a limit was completed.
    pub fn kept_rate(&self) -> Option<Decimal> {
        crate::domain::reading::collection_rate(
            Decimal::from(self.kept + self.late),
            Decimal::from(self.kept),
        )
    }
}

impl Service {
    /// The `months` months ending with `last`, oldest first.
    pub fn monthly_stats(&self, last: Period, months: u32) -> ServiceResult<Vec<MonthStat>> {
        let months = months.clamp(1, 36) as i32;
        let first = last.plus(1 - months);
        let today = self.now().date();
        let money: HashMap<String, (i64, i64)> = crate::store::reports::collections_by_month(
            self.store().conn(),
            first.first_day(),
            last.last_day(),
        )?
        .into_iter()
        .map(|(m, n, fen)| (m, (n, fen)))
        .collect();
        let mut kept: HashMap<Period, (i64, i64)> = HashMap::new();
        for k in self.deadlines_kept(first.first_day(), last.last_day())? {
            let e = kept.entry(Period::of(k.closed_on)).or_default();
            match k.kept {
                Some(true) => e.0 += 1,
                Some(false) => e.1 += 1,
                None => {}
            }
        }
        Ok((0..months)
            .map(|i| {
                let period = first.plus(i);
                let (payments, fen) = money.get(&period.to_string()).copied().unwrap_or_default();
                let (k, l) = kept.get(&period).copied().unwrap_or_default();
                MonthStat {
                    period,
                    payments,
                    collected: from_fen(fen),
                    kept: k,
                    late: l,
                    partial: period.last_day() >= today,
                }
            })
            .collect())
    }
}

//! Audit figures for `stationdesk bench` (issue 16): each audit view's first page
//! (`audit_views::PAGE` rows) over this year and over the last month, and the findings list. Reads only.
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate};

use super::{ms, percentile};
use crate::service::audit_views::{AuditFilter, AuditViewKind};
use crate::service::rectification::FindingFilter;
use crate::service::{Service, ServiceResult};

pub fn figures(svc: &Service, runs: usize) -> ServiceResult<()> {
    let runs = runs.clamp(1, 20);
    let today = svc.now().date();
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let ranges = [
        ("今年", year_start, today),
        ("近一月", today - Duration::days(30), today),
    ];
    println!(
        "稽查（每个视图第一页 {} 行，{runs} 次）：",
        crate::service::audit_views::PAGE
    );
    for kind in AuditViewKind::ALL {
        let mut line = format!("  {}：", kind.label());
        for (label, from, to) in ranges {
            let filter = AuditFilter {
                staff_id: None,
                from,
                to,
                area_id: None,
            };
            let mut v = Vec::with_capacity(runs);
            let mut total = 0;
            for _ in 0..runs {
                let t = Instant::now();
                total = svc
                    .audit_view(kind, &filter, crate::service::audit_views::PAGE)?
                    .total;
                v.push(t.elapsed());
            }
            v.sort();
            line.push_str(&format!(
                "{label} {total} 行 p50 {} p99 {}；",
                ms(percentile(&v, 0.5)),
                ms(percentile(&v, 0.99))
            ));
        }
        println!("{line}");
    }
    let mut v = Vec::with_capacity(runs);
    let mut n = 0;
    for _ in 0..runs {
        let t = Instant::now();
        n = svc
            .findings(&FindingFilter {
                from: year_start,
                to: today,
                open_too: true,
                staff_id: None,
                area_id: None,
            })?
            .len();
        svc.finding_counts()?;
        v.push(t.elapsed());
    }
    v.sort();
    println!(
        "  整改事项（{n} 条，含首页计数）：p50 {}  p99 {}",
        ms(percentile(&v, 0.5)),
        ms(percentile(&v, 0.99))
    );
    Ok(())
}

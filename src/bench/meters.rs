//! Meter figures for `stationdesk bench` (issue 13): a meter found by its asset number, a
//! customer's meters and swaps, and the 计量装置 screen read and drawn.
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{ms, percentile};
use crate::service::{Service, ServiceError, ServiceResult};
use crate::ui::screen::Screen;

fn refused(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Refused(e.to_string())
}

pub fn figures(svc: &Service, session: &crate::service::Session, runs: usize) -> ServiceResult<()> {
    let conn = svc.store().conn();
    let total: i64 = conn
        .query_row("SELECT count(*) FROM meter", [], |r| r.get(0))
        .map_err(refused)?;
    if total == 0 {
        println!("计量装置：库中没有表计，跳过");
        return Ok(());
    }
    let want = (runs * 50).clamp(50, 5000) as i64;
    let step = (total / want).max(1);
    let mut stmt = conn
        .prepare("SELECT asset_no, customer_id FROM meter WHERE id % ?1 = 0 LIMIT ?2")
        .map_err(refused)?;
    let sample: Vec<(String, Option<i64>)> = stmt
        .query_map([step, want], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(refused)?
        .collect::<Result<_, _>>()
        .map_err(refused)?;
    let mut find = Vec::with_capacity(sample.len());
    let mut page = Vec::new();
    for (no, customer) in &sample {
        let t = Instant::now();
        svc.meter_by_asset_no(no)?;
        find.push(t.elapsed());
        if let Some(c) = customer {
            let t = Instant::now();
            svc.customer_meters(*c)?;
            page.push(t.elapsed());
        }
    }
    find.sort();
    page.sort();
    println!("计量装置（{total} 只表计）：");
    println!(
        "  按资产编号查找（{} 次）：p50 {}  p99 {}",
        find.len(),
        ms(percentile(&find, 0.5)),
        ms(percentile(&find, 0.99))
    );
    if !page.is_empty() {
        println!(
            "  客户的在运表计与换表记录（{} 户）：p50 {}  p99 {}",
            page.len(),
            ms(percentile(&page, 0.5)),
            ms(percentile(&page, 0.99))
        );
    }
    // the screen: read (counts and a page of each status) and drawn at 80×24
    let mut term = Terminal::new(TestBackend::new(80, 24)).map_err(refused)?;
    let mut draws: Vec<Duration> = Vec::new();
    for _ in 0..runs.clamp(5, 50) {
        let t = Instant::now();
        let view = crate::ui::screens::meters::MetersView::load(svc);
        term.draw(|f| {
            view.render(f.area(), f.buffer_mut(), session);
        })
        .map_err(refused)?;
        draws.push(t.elapsed());
    }
    draws.sort();
    println!(
        "  计量装置屏（读数量与一页表计并画出 80×24）：p50 {}  p99 {}",
        ms(percentile(&draws, 0.5)),
        ms(percentile(&draws, 0.99))
    );
    Ok(())
}

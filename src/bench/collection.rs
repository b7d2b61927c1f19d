//! Collection figures for `stationdesk bench` (issue 15): the arrears list of the whole
//! station and of one 台区, the grades of a screenful, and the 欠费催收 screen opened and
//! drawn at 80×24. Reads only.
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{ms, percentile};
use crate::service::collection::ArrearsFilter;
use crate::service::{Service, ServiceError, ServiceResult};
use crate::ui::screen::Screen;

pub fn figures(svc: &Service, session: &crate::service::Session, runs: usize) -> ServiceResult<()> {
    let runs = runs.clamp(1, 20);
    let mut all = Vec::with_capacity(runs);
    let mut rows = 0;
    for _ in 0..runs {
        let t = Instant::now();
        rows = svc.arrears_list(&ArrearsFilter::default())?.rows.len();
        all.push(t.elapsed());
    }
    all.sort();
    println!("欠费催收：");
    println!(
        "  全所欠费清单（{rows} 户，{runs} 次）：p50 {}  p99 {}",
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99))
    );
    // where the time of the station's list goes
    let today = crate::store::convert::Day(svc.now().date());
    let conn = svc.store().conn();
    let t = Instant::now();
    let ids = crate::store::collection::open_bill_ids(conn, today)?;
    let find = t.elapsed();
    let t = Instant::now();
    let bills = crate::store::collection::overdue_bills(conn, today, None)?;
    println!(
        "  其中：找出未缴账单 {} 张 {}；找出并读明细（含欠费户名、台区）{}；其余为违约金计算",
        ids.len(),
        ms(find),
        ms(t.elapsed())
    );
    drop(bills);
    if let Some(area) = svc.areas()?.first() {
        let filter = ArrearsFilter {
            area_id: Some(area.id),
            ..Default::default()
        };
        let mut v = Vec::with_capacity(runs);
        let mut n = 0;
        for _ in 0..runs {
            let t = Instant::now();
            n = svc.arrears_list(&filter)?.rows.len();
            v.push(t.elapsed());
        }
        v.sort();
        println!(
            "  一个台区的欠费清单（{} {n} 户）：p50 {}  p99 {}",
            area.code,
            ms(percentile(&v, 0.5)),
            ms(percentile(&v, 0.99))
        );
    }
    let list = svc.arrears_list(&ArrearsFilter::default())?;
    let ids: Vec<i64> = list.rows.iter().take(80).map(|r| r.customer_id).collect();
    let t = Instant::now();
    svc.arrears_grades(&ids)?;
    println!("  {} 户的信誉等级：{}", ids.len(), ms(t.elapsed()));
    let t = Instant::now();
    let view = crate::ui::screens::collection::CollectionView::load(svc);
    let mut term = Terminal::new(TestBackend::new(80, 24))
        .map_err(|e| ServiceError::Refused(e.to_string()))?;
    term.draw(|f| {
        view.render(f.area(), f.buffer_mut(), session);
    })
    .map_err(|e| ServiceError::Refused(e.to_string()))?;
    println!("  打开欠费催收屏并画出 80×24：{}", ms(t.elapsed()));
    Ok(())
}

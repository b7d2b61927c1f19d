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

/// The rotation plan: proposing next year's plan on a copy of the database (all meters in
/// service read, chosen, split into months and written), and the plan screen scrolled
/// through this year's plan key by key.
pub fn plan_figures(
    dir: &std::path::Path,
    clock: std::sync::Arc<dyn crate::domain::clock::Clock>,
    runs: usize,
) -> ServiceResult<()> {
    use chrono::Datelike;
    super::on_a_copy(dir, clock.clone(), "planbench", |tmp| {
        let mut svc = Service::open(tmp, clock.clone())?;
        let Some(chief) = svc
            .list_staff()?
            .iter()
            .find(|s| s.active && s.role == crate::domain::role::Role::Chief)
            .map(crate::service::auth::session_of)
        else {
            return Ok(());
        };
        // the first write after opening waits for the start-up check (quick_check, about a
        // second on this file): let it finish first, as it has long before a chief plans
        svc.store().settle_health(true);
        let year = clock.now().date().year();
        let next = (year + 1).to_string();
        let t = Instant::now();
        let cand = crate::store::rotation::candidates(svc.store().conn(), year + 1, 315)?;
        let read = t.elapsed();
        let t = Instant::now();
        let chosen = crate::domain::rotation::propose(
            &cand.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>(),
            year + 1,
        );
        let choose = t.elapsed();
        println!(
            "  轮换计划候选表计：读 {}（{} 只），选出 {}（{} 只）",
            ms(read),
            cand.len(),
            ms(choose),
            chosen.len()
        );
        let t = Instant::now();
        let n = svc.propose_rotation_plan(&chief, &next)?;
        println!(
            "  生成明年轮换计划（读全部在运表计、选出、分月、写入）：{}，{n} 只",
            ms(t.elapsed())
        );
        // the plan screen: this year's plan (or next year's), all months, scrolled down
        let mut session = chief.clone();
        let mut view = crate::ui::screens::rotation::RotationView::load(&svc);
        let t = Instant::now();
        let view2 = crate::ui::screens::rotation::RotationView::load(&svc);
        let load = t.elapsed();
        drop(view2);
        let items = svc.rotation_plan(year)?.items.len();
        let mut term = Terminal::new(TestBackend::new(80, 24)).map_err(refused)?;
        use crate::ui::keymap::Action;
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        // to 全年: `]` from this month walks to 全年 after December
        let months = 13 - clock.now().date().month();
        let bracket = KeyEvent::new(KeyCode::Char(']'), KeyModifiers::NONE);
        for _ in 0..months {
            view.handle(&mut svc, &mut session, &bracket, Some(Action::NextMonth));
        }
        let down = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
        let pgdn = KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE);
        let mut steps = Vec::new();
        for k in 0..(runs * 20).clamp(100, 2000) {
            let (ev, a) = if k % 10 == 9 {
                (&pgdn, Action::PageDown)
            } else {
                (&down, Action::Down)
            };
            let t = Instant::now();
            view.handle(&mut svc, &mut session, ev, Some(a));
            term.draw(|f| {
                view.render(f.area(), f.buffer_mut(), &session);
            })
            .map_err(refused)?;
            steps.push(t.elapsed());
        }
        steps.sort();
        println!(
            "  轮换计划屏（{year} 年 {items} 只，全年）：读入 {}；按键滚动并重画 80×24（{} 次）：p50 {}  p99 {}",
            ms(load),
            steps.len(),
            ms(percentile(&steps, 0.5)),
            ms(percentile(&steps, 0.99))
        );
        Ok(())
    })
}

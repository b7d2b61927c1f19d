//! Complaint and repair-call figures for `stationdesk bench` (issue 14): on a copy of the
//! database, calls are logged through the service until 2,000 cases are open (each save
//! timed), then the board is read, drawn at 80×24 and 160×50, and brought up to the next
//! minute by the tick.
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{ms, percentile};
use crate::domain::case::{CaseKind, Channel};
use crate::domain::role::Role;
use crate::service::cases::CaseInput;
use crate::service::{Service, ServiceError, ServiceResult};
use crate::ui::screen::Screen;

/// Open cases the board is measured with.
pub const OPEN_CASES: usize = 2000;

fn refused(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Refused(e.to_string())
}

pub fn figures(
    dir: &std::path::Path,
    clock: std::sync::Arc<dyn crate::domain::clock::Clock>,
    runs: usize,
) -> ServiceResult<()> {
    super::on_a_copy(dir, clock.clone(), "casebench", |copy| {
        measure(copy, clock, runs)
    })
}

fn measure(
    dir: &std::path::Path,
    clock: std::sync::Arc<dyn crate::domain::clock::Clock>,
    runs: usize,
) -> ServiceResult<()> {
    let mut svc = Service::open(dir, clock)?;
    let staff = svc.list_staff()?;
    let Some(clerk) = staff
        .iter()
        .find(|s| s.active && matches!(s.role, Role::Clerk | Role::Chief))
        .map(crate::service::auth::session_of)
    else {
        return Ok(());
    };
    // the first write after opening waits for the start-up check: let it finish first
    svc.store().settle_health(true);
    let customers = crate::store::customers::sample_ids(svc.store().conn(), 500)?;
    if customers.is_empty() {
        println!("投诉报修：没有客户，跳过");
        return Ok(());
    }
    let already = svc.case_board()?.cases.len();
    let kinds = [
        CaseKind::Repair,
        CaseKind::Complaint,
        CaseKind::Question,
        CaseKind::Repair,
        CaseKind::Report,
        CaseKind::Opinion,
    ];
    let mut saves: Vec<Duration> = Vec::new();
    for n in already..OPEN_CASES.max(already + runs.clamp(20, 200)) {
        let kind = kinds[n % kinds.len()];
        let input = CaseInput {
            kind: Some(kind),
            channel: Some(if n % 11 == 0 {
                Channel::Hotline12345
            } else {
                Channel::Phone
            }),
            upstream_no: if n % 11 == 0 {
                format!("B{n}")
            } else {
                String::new()
            },
            customer_id: Some(customers[n % customers.len()]),
            content: "压测来电".into(),
            supply_cut: kind == CaseKind::Repair,
            ..Default::default()
        };
        let t = Instant::now();
        svc.log_case(&clerk, &input)?;
        saves.push(t.elapsed());
    }
    saves.sort();
    println!("投诉报修：");
    println!(
        "  登记一件（含编号、审计，synchronous=FULL 提交；{} 件）：p50 {}  p99 {}  最大 {}",
        saves.len(),
        ms(percentile(&saves, 0.5)),
        ms(percentile(&saves, 0.99)),
        ms(percentile(&saves, 1.0))
    );
    let mut loads = Vec::new();
    let mut view = None;
    for _ in 0..runs.clamp(5, 30) {
        let t = Instant::now();
        view = Some(crate::ui::screens::cases::CasesView::load(&svc));
        loads.push(t.elapsed());
    }
    loads.sort();
    let Some(mut view) = view else {
        return Ok(());
    };
    let open = svc.case_board()?.cases.len();
    println!(
        "  在办看板读取（{open} 件在办，含时限与风险标记）：p50 {}  p99 {}",
        ms(percentile(&loads, 0.5)),
        ms(percentile(&loads, 0.99))
    );
    // where the read goes
    let conn = svc.store().conn();
    let part = |label: &str, f: &dyn Fn() -> ServiceResult<()>| -> ServiceResult<()> {
        let mut v = Vec::new();
        for _ in 0..10 {
            let t = Instant::now();
            f()?;
            v.push(t.elapsed());
        }
        v.sort();
        println!("    其中{label}：p50 {}", ms(percentile(&v, 0.5)));
        Ok(())
    };
    part("案件行", &|| {
        crate::store::cases::open_cases(conn)
            .map(|_| ())
            .map_err(Into::into)
    })?;
    part("处理环节", &|| {
        crate::store::cases::open_steps(conn)
            .map(|_| ())
            .map_err(Into::into)
    })?;
    part("回访", &|| {
        crate::store::cases::open_visits(conn)
            .map(|_| ())
            .map_err(Into::into)
    })?;
    part("工作日历", &|| svc.work_calendar().map(|_| ()))?;
    part("时限设置", &|| svc.case_limits().map(|_| ()))?;
    let session = crate::service::auth::session_of(
        staff
            .iter()
            .find(|s| s.active && s.role == Role::Chief)
            .unwrap_or(&staff[0]),
    );
    for (w, h) in [(80u16, 24u16), (160, 50)] {
        let mut term = Terminal::new(TestBackend::new(w, h)).map_err(refused)?;
        let mut draws = Vec::new();
        for _ in 0..runs.clamp(20, 200) {
            let t = Instant::now();
            term.draw(|f| {
                view.render(f.area(), f.buffer_mut(), &session);
            })
            .map_err(refused)?;
            draws.push(t.elapsed());
        }
        draws.sort();
        println!(
            "  在办看板画出 {w}×{h}（{open} 件）：p50 {}  p99 {}",
            ms(percentile(&draws, 0.5)),
            ms(percentile(&draws, 0.99))
        );
    }
    // what the clerk waits for: the save and the board read again after it
    let mut both = Vec::new();
    for n in 0..runs.clamp(10, 100) {
        let input = CaseInput {
            kind: Some(CaseKind::Repair),
            channel: Some(Channel::Phone),
            customer_id: Some(customers[n % customers.len()]),
            content: "压测来电".into(),
            ..Default::default()
        };
        let t = Instant::now();
        svc.log_case(&clerk, &input)?;
        view.refresh(&svc);
        both.push(t.elapsed());
    }
    both.sort();
    println!(
        "  登记一件并重读看板（按键到看板更新）：p50 {}  p99 {}",
        ms(percentile(&both, 0.5)),
        ms(percentile(&both, 0.99))
    );
    // the minute tick: words recomputed and the board re-sorted (no database read)
    let mut ticks = Vec::new();
    for _ in 0..runs.clamp(5, 50) {
        let t = Instant::now();
        let next = view.now() + chrono::Duration::minutes(1);
        view.move_to(next);
        ticks.push(t.elapsed());
    }
    ticks.sort();
    println!(
        "  每分钟刷新（重排 {open} 件并重算时限）：p50 {}  p99 {}",
        ms(percentile(&ticks, 0.5)),
        ms(percentile(&ticks, 0.99))
    );
    Ok(())
}

//! Deadline figures for `stationdesk bench`: a scratch station with 5,000 open work orders
//! (every class, stages partly done, some paused) in a temporary folder, then the deadline
//! board (service and drawn screen) and the start-up check of late stages.
use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, NaiveDateTime};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::domain::clock::FixedClock;
use crate::domain::work_order::{ConnectionClass, Document, RequestKind};
use crate::service::auth::PasswordCost;
use crate::service::deadlines::{DeadlineFilter, PauseCause};
use crate::service::orders::{AcceptRequest, Applicant};
use crate::service::setup::SetupInput;
use crate::service::{Service, ServiceError, ServiceResult};

fn refused(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Refused(e.to_string())
}

/// Build the scratch station: `orders` open orders accepted over the 60 days before `now`.
fn build(
    dir: &std::path::Path,
    now: NaiveDateTime,
    orders: usize,
) -> ServiceResult<(Service, FixedClock)> {
    let clock = FixedClock::new(now - Duration::days(61));
    let mut svc =
        Service::open(dir, Arc::new(clock.clone()))?.with_password_cost(PasswordCost::Light);
    let chief = svc.first_run_setup(
        &SetupInput {
            station_name: "基准测试供电所".into(),
            station_code: "BM01".into(),
            station_phone: String::new(),
            chief_username: "bench".into(),
            chief_name: "测试".into(),
            password: "bench-pass1".into(),
            password_again: "bench-pass1".into(),
        },
        false,
    )?;
    for i in 0..orders {
        let minutes = i64::try_from(i).unwrap_or(0) * 60 * 24 * 60
            / i64::try_from(orders.max(1)).unwrap_or(1);
        clock.set(now - Duration::days(60) + Duration::minutes(minutes));
        let req = AcceptRequest {
            class: Some(ConnectionClass::ALL[i % 4]),
            external_works: i % 5 == 0 && !ConnectionClass::ALL[i % 4].is_high_voltage(),
            applicant: Some(Applicant {
                name: format!("测试户{i}"),
                id_number: "11010519491231002X".into(),
                phone: String::new(),
                address: "测试地址".into(),
            }),
            received: vec![Document::IdProof],
            ..AcceptRequest::new(RequestKind::NewConnection)
        };
        let a = svc.accept_request(&chief, &req)?;
        if i % 3 == 0 {
            svc.complete_stage(&chief, a.id, a.stages[1], "")?;
        }
        if i % 7 == 0 {
            let from = clock.now_date();
            svc.pause_order(&chief, a.id, PauseCause::CustomerWorks, "基准测试", from)?;
        }
    }
    clock.set(now);
    Ok((svc, clock))
}

trait NowDate {
    fn now_date(&self) -> chrono::NaiveDate;
}

impl NowDate for FixedClock {
    fn now_date(&self) -> chrono::NaiveDate {
        crate::domain::clock::Clock::now(self).date()
    }
}

pub fn figures(now: NaiveDateTime, runs: usize) -> ServiceResult<()> {
    let tmp = tempdir()?;
    let orders = 5000;
    let t = Instant::now();
    let (svc, _clock) = build(&tmp, now, orders)?;
    println!(
        "业扩时限：生成 {orders} 件在办工单用时 {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let mut board = Vec::new();
    let mut drawn = Vec::new();
    let mut check = Vec::new();
    let mut rows = 0;
    for _ in 0..runs.clamp(1, 200) {
        let t = Instant::now();
        let b = svc.deadline_board(&DeadlineFilter::default())?;
        board.push(t.elapsed());
        rows = b.rows.len();
        let t = Instant::now();
        let view = crate::ui::screens::deadlines::DeadlinesView::load(&svc);
        let mut term = Terminal::new(TestBackend::new(80, 24)).map_err(refused)?;
        term.draw(|f| {
            // the board draws the same for every role: a read-only viewer
            let viewer = crate::service::Session {
                staff_id: 0,
                username: String::new(),
                display_name: String::new(),
                role: crate::domain::role::Role::Auditor,
                is_admin: false,
                must_change_password: false,
            };
            crate::ui::screen::Screen::render(&view, f.area(), f.buffer_mut(), &viewer);
        })
        .map_err(refused)?;
        drawn.push(t.elapsed());
        let t = Instant::now();
        let _ = svc.late_stages()?;
        check.push(t.elapsed());
    }
    let mut reads = Vec::new();
    let mut cal = Vec::new();
    for _ in 0..runs.clamp(1, 200) {
        let t = Instant::now();
        let _ = crate::store::deadlines::clock_rows(svc.store().conn(), None, None)?;
        reads.push(t.elapsed());
        let t = Instant::now();
        let _ = svc.work_calendar()?;
        let _ = svc.deadline_rules()?;
        cal.push(t.elapsed());
    }
    if std::env::var_os("STATIONDESK_BENCH_DETAIL").is_some() {
        let conn = svc.store().conn();
        for sql in [
            "SELECT o.id, o.tracking_no, o.kind, o.conn_class, o.external_works, o.state, o.created_at, o.closed_at, coalesce(c.name, o.applicant_name), coalesce(c.usage_category, ''), o.area_id, a.name, o.responsible_id, r.display_name, o.dispatched_to, d.display_name, o.fast_channel FROM work_order o LEFT JOIN customer c ON c.id = o.customer_id LEFT JOIN transformer_area a ON a.id = o.area_id JOIN staff r ON r.id = o.responsible_id LEFT JOIN staff d ON d.id = o.dispatched_to WHERE o.state = 'open' ORDER BY o.id",
            "SELECT s.order_id, s.stage, s.done_at FROM order_stage s WHERE s.order_id IN (SELECT o.id FROM work_order o WHERE o.state='open')",
            "SELECT s.order_id, group_concat(s.stage || ':' || coalesce(substr(s.done_at, 1, 10), ''), ',' ORDER BY s.pos) FROM order_stage s WHERE s.order_id IN (SELECT o.id FROM work_order o WHERE o.state='open') GROUP BY s.order_id",
            "SELECT s.order_id, group_concat(s.stage || ':' || coalesce(substr(s.done_at, 1, 10), ''), ',') FROM order_stage s WHERE s.order_id IN (SELECT o.id FROM work_order o WHERE o.state='open') GROUP BY s.order_id",
        ] {
            let mut v = Vec::new();
            for _ in 0..20 {
                let t = Instant::now();
                let mut stmt = conn.prepare_cached(sql).map_err(refused)?;
                let n = stmt.column_count();
                let mut q = stmt.query([]).map_err(refused)?;
                let mut bytes = 0usize;
                while let Some(r) = q.next().map_err(refused)? {
                    for i in 0..n {
                        if let Ok(rusqlite::types::ValueRef::Text(t)) = r.get_ref(i) {
                            bytes += t.len();
                        }
                    }
                }
                v.push(t.elapsed());
                let _ = bytes;
            }
            v.sort();
            println!(
                "    {:.2} ms  {}",
                super::percentile(&v, 0.5).as_secs_f64() * 1000.0,
                &sql[..60]
            );
        }
    }
    for v in [&mut reads, &mut cal] {
        v.sort();
    }
    println!(
        "  其中读库：p50 {:.2} ms；日历与时限设置：p50 {:.2} ms",
        super::percentile(&reads, 0.5).as_secs_f64() * 1000.0,
        super::percentile(&cal, 0.5).as_secs_f64() * 1000.0
    );
    let cold = board.first().copied().unwrap_or_default();
    let warm_board = board.get(1..).map(<[_]>::to_vec).unwrap_or_default();
    board = warm_board;
    for v in [&mut board, &mut drawn, &mut check] {
        v.sort();
    }
    let p = |v: &[std::time::Duration], q: f64| super::percentile(v, q).as_secs_f64() * 1000.0;
    println!(
        "  时限看板（服务层，{rows} 行）：首次读库 {:.2} ms；之后 p50 {:.2} ms  p99 {:.2} ms",
        cold.as_secs_f64() * 1000.0,
        p(&board, 0.5),
        p(&board, 0.99)
    );
    println!(
        "  时限看板画出一屏（80×24，含读取）：p50 {:.2} ms  p99 {:.2} ms",
        p(&drawn, 0.5),
        p(&drawn, 0.99)
    );
    println!(
        "  启动时逐件核对超时环节（考核触发的输入）：p50 {:.2} ms  p99 {:.2} ms",
        p(&check, 0.5),
        p(&check, 0.99)
    );
    // the start-up check of every trigger: the first run creates the entries, the next
    // ones find nothing new (idempotent)
    let mut svc = svc;
    let t = Instant::now();
    let created = svc.check_assessment()?;
    let first = t.elapsed();
    let mut again = Vec::new();
    for _ in 0..runs.clamp(1, 50) {
        let t = Instant::now();
        svc.check_assessment()?;
        again.push(t.elapsed());
    }
    again.sort();
    println!(
        "  考核触发检查（{orders} 件在办）：首次 {:.1} ms（新建 {created} 条）；再查 p50 {:.2} ms  p99 {:.2} ms",
        first.as_secs_f64() * 1000.0,
        p(&again, 0.5),
        p(&again, 0.99)
    );
    drop(svc);
    if std::env::var_os("STATIONDESK_BENCH_KEEP").is_some() {
        println!("  （保留测试库：{}）", tmp.display());
    } else {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
}

fn tempdir() -> ServiceResult<std::path::PathBuf> {
    let base = std::env::temp_dir().join(format!("stationdesk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&base).map_err(refused)?;
    Ok(base)
}

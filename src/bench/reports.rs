//! Station report figures for `stationdesk bench` (issue 16), on a copy of the database
//! (a report writes its audit entry and its files, and the first look at a month keeps its
//! collection-rate checks): the monthly report in all three formats together — the budget
//! — with where the time goes, the daily report, and the 统计 screen's twelve months.
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{ms, on_a_copy, percentile};
use crate::domain::billing::Period;
use crate::domain::clock::Clock;
use crate::export::Format;
use crate::service::reports::ReportScope;
use crate::service::{Service, ServiceError, ServiceResult};
use crate::ui::screen::Screen;

fn chief(svc: &Service) -> ServiceResult<crate::service::Session> {
    let staff = svc
        .list_staff()?
        .into_iter()
        .find(|s| s.active && s.role == crate::domain::role::Role::Chief)
        .ok_or_else(|| ServiceError::NotFound("所长账号".into()))?;
    Ok(crate::service::auth::session_of(&staff))
}

fn line(label: &str, v: &mut [Duration]) {
    v.sort();
    println!(
        "  {label}（{} 次）：p50 {}  最大 {}",
        v.len(),
        ms(percentile(v, 0.5)),
        ms(percentile(v, 1.0))
    );
}

pub fn figures(dir: &Path, clock: Arc<dyn Clock>, runs: usize) -> ServiceResult<()> {
    let runs = runs.clamp(1, 20);
    on_a_copy(dir, clock.clone(), "reports", |copy| {
        let mut svc = Service::open(copy, clock.clone())?;
        let session = chief(&svc)?;
        let today = svc.now().date();
        let last_full = Period::of(today).prev();
        println!("营业报表（数据库副本，今天 {today}）：");
        for (what, scope) in [
            ("上月月报", ReportScope::Month(last_full)),
            ("本月月报（至今）", ReportScope::Month(Period::of(today))),
        ] {
            let all = [Format::Pdf, Format::Xlsx, Format::Csv];
            let t = Instant::now();
            let files = svc.export_report(&session, scope, &all)?;
            let first = t.elapsed();
            let sizes: Vec<String> = files
                .paths
                .iter()
                .map(|p| {
                    let kb = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) as f64 / 1024.0;
                    format!(
                        "{} {kb:.1} KB",
                        p.extension().and_then(|e| e.to_str()).unwrap_or("")
                    )
                })
                .collect();
            println!(
                "  {what} {}，PDF + Excel + CSV 三种一起，第一次（含首次计算回收率检查点）：{}；{}",
                scope.label(),
                ms(first),
                sizes.join("、")
            );
            let mut v = Vec::with_capacity(runs);
            for _ in 0..runs {
                let t = Instant::now();
                svc.export_report(&session, scope, &all)?;
                v.push(t.elapsed());
            }
            line(&format!("{what}三种格式一起（预算 < 3 s）"), &mut v);
            // where the time goes
            let (mut g, mut l, mut p, mut x, mut c) = (vec![], vec![], vec![], vec![], vec![]);
            for _ in 0..runs {
                let t = Instant::now();
                let r = svc.station_report(scope, "bench")?;
                g.push(t.elapsed());
                let t = Instant::now();
                let wb = r.workbook();
                l.push(t.elapsed());
                for (f, v) in [
                    (Format::Pdf, &mut p),
                    (Format::Xlsx, &mut x),
                    (Format::Csv, &mut c),
                ] {
                    let t = Instant::now();
                    svc.render_workbook(&wb, f)?;
                    v.push(t.elapsed());
                }
            }
            line("    其中：汇总数据", &mut g);
            line("    排成表格", &mut l);
            line("    生成 PDF", &mut p);
            line("    生成 Excel", &mut x);
            line("    生成 CSV", &mut c);
        }
        let yesterday = ReportScope::Day(today.pred_opt().unwrap_or(today));
        let mut v = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            svc.export_report(
                &session,
                yesterday,
                &[Format::Pdf, Format::Xlsx, Format::Csv],
            )?;
            v.push(t.elapsed());
        }
        line(&format!("日报 {} 三种格式一起", yesterday.label()), &mut v);
        let mut v = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            svc.monthly_stats(Period::of(today), 12)?;
            v.push(t.elapsed());
        }
        line("统计：近 12 个月收费与工单按时率", &mut v);
        let t = Instant::now();
        let view = crate::ui::screens::stats::StatsView::load(&svc);
        let mut term = Terminal::new(TestBackend::new(80, 24))
            .map_err(|e| ServiceError::Refused(e.to_string()))?;
        term.draw(|f| {
            Screen::render(&view, f.area(), f.buffer_mut(), &session);
        })
        .map_err(|e| ServiceError::Refused(e.to_string()))?;
        println!("  打开统计屏并画出 80×24：{}", ms(t.elapsed()));
        Ok(())
    })
}

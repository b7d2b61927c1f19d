//! Reading and checking figures for `stationdesk bench` (issue 15), on a copy of the
//! database: a month's bills of every 台区 computed and checked, computed again unchanged, a
//! book released, the reading screen's Enter (save and redraw at 80×24) over a book of
//! thousands of meters, and the line-loss table of every 台区 over 12 months.
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{ms, percentile};
use crate::domain::billing::Period;
use crate::domain::meter;
use crate::domain::role::Role;
use crate::service::{Service, ServiceError, ServiceResult};
use crate::ui::keymap::Action;
use crate::ui::screen::Screen;

fn refused(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Refused(e.to_string())
}

pub fn figures(
    dir: &std::path::Path,
    clock: std::sync::Arc<dyn crate::domain::clock::Clock>,
    runs: usize,
) -> ServiceResult<()> {
    super::on_a_copy(dir, clock.clone(), "readbench", |copy| {
        measure(copy, clock, runs)
    })
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn measure(
    dir: &std::path::Path,
    clock: std::sync::Arc<dyn crate::domain::clock::Clock>,
    runs: usize,
) -> ServiceResult<()> {
    let mut svc = Service::open(dir, clock.clone())?;
    svc.store().settle_health(true);
    let staff = svc.list_staff()?;
    let Some(mut chief) = staff
        .iter()
        .find(|s| s.active && s.role == Role::Chief)
        .map(crate::service::auth::session_of)
    else {
        return Ok(());
    };
    let today = clock.now().date();
    let last = Period::of(today).prev();
    println!("抄表核算：");
    // line loss: every 台区, 12 months (read only)
    let mut v = Vec::new();
    let mut areas = 0;
    for _ in 0..runs.clamp(5, 100) {
        let t = Instant::now();
        areas = svc.line_loss(last, 12)?.len();
        v.push(t.elapsed());
    }
    v.sort();
    println!(
        "  线损表（{areas} 个台区 × 12 个月）：p50 {}  p99 {}",
        ms(percentile(&v, 0.5)),
        ms(percentile(&v, 0.99))
    );
    // a month's bills: every 台区 computed and checked
    let readings: i64 = svc
        .store()
        .conn()
        .query_row(
            "SELECT count(*) FROM reading WHERE period = ?1",
            [last.to_string()],
            |r| r.get(0),
        )
        .map_err(refused)?;
    let t = Instant::now();
    let done = svc.compute_bills(&chief, last, None)?;
    let first = t.elapsed();
    println!(
        "  核算并复核一个月（{last}，{readings} 条示数，{} 户算出、{} 户待复核）：{}",
        done.computed,
        done.flagged,
        ms(first)
    );
    let t = Instant::now();
    let again = svc.compute_bills(&chief, last, None)?;
    println!(
        "  同月再核算（{} 户示数未变，保留复核意见）：{}",
        again.unchanged,
        ms(t.elapsed())
    );
    // the reading screen: the largest book of this month, Enter after each reading
    let period = Period::of(today);
    let books = svc.reading_books(period)?;
    let Some(book) = books
        .iter()
        .filter(|b| b.read < b.meters)
        .max_by_key(|b| b.meters)
        .cloned()
    else {
        println!("  抄表录入：本月各册都已抄，跳过");
        return Ok(());
    };
    let t = Instant::now();
    let mut view = crate::ui::screens::reading_sheet::ReadingSheetView::load(&svc, &book, period);
    let load = t.elapsed();
    let mut term = Terminal::new(TestBackend::new(80, 24)).map_err(refused)?;
    let mut enters: Vec<Duration> = Vec::new();
    for _ in 0..runs.clamp(20, 300) {
        let Some(line) = view.selected_line() else {
            break;
        };
        let prev = line.prev.map_or(0, |p| p.1);
        let value = meter::from_centi(prev + 15_000).normalize().to_string();
        for c in value.chars() {
            view.handle(&mut svc, &mut chief, &key(KeyCode::Char(c)), None);
        }
        let t = Instant::now();
        view.handle(
            &mut svc,
            &mut chief,
            &key(KeyCode::Enter),
            Some(Action::SaveReading),
        );
        term.draw(|f| {
            view.render(f.area(), f.buffer_mut(), &chief);
        })
        .map_err(refused)?;
        enters.push(t.elapsed());
    }
    enters.sort();
    println!(
        "  抄表录入：打开 {} 册（{} 块表）{}；每次回车（保存、审计、画出 80×24，{} 次）：p50 {}  p99 {}  最大 {}",
        book.area_name,
        book.meters,
        ms(load),
        enters.len(),
        ms(percentile(&enters, 0.5)),
        ms(percentile(&enters, 0.99)),
        ms(percentile(&enters, 1.0))
    );
    // release this month's book computed at the build with the most bills ready
    let ready = books
        .iter()
        .filter(|b| b.drafts > b.released)
        .filter_map(|b| {
            svc.release_preview(b.area_id, period)
                .ok()
                .map(|p| (b.clone(), p))
        })
        .max_by_key(|(_, p)| p.0);
    if let Some((b, (n, _, _))) = ready {
        let t = Instant::now();
        match svc.release_book(&chief, b.area_id, period) {
            Ok(r) => println!(
                "  发行一册（{}，{} 户可发行，发行 {} 户）：{}",
                b.area_name,
                n,
                r.released,
                ms(t.elapsed())
            ),
            Err(e) => println!("  发行一册：{}（{}）", e.message(), ms(t.elapsed())),
        }
    }
    // the collection rate: first count (12 months) and again (checks passed kept)
    for label in ["首次", "再次"] {
        let t = Instant::now();
        let r = svc.collection_rates(last, 12)?;
        println!(
            "  电费回收率（{} 个台区 × 12 个月，{label}）：{}",
            r.areas.len(),
            ms(t.elapsed())
        );
    }
    Ok(())
}

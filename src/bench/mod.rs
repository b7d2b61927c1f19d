//! `stationdesk bench`: figures for the budgets, measured on the database in the data
//! directory (build one with `stationdesk demo --customers 100000`). Nothing here is a
//! timed assertion; it prints what it measured.
mod audit;
mod backup;
pub mod cases;
mod collection;
pub mod deadlines;
mod handover;
pub mod meters;
pub mod payments;
pub mod readings;
mod reports;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::domain::clock::Clock;
use crate::platform;
use crate::service::auth::{PasswordCost, hash_password, password_matches};
use crate::service::{Service, ServiceResult};
use crate::ui::App;

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Open the database, build the app and draw its first screen into an off-screen
/// terminal of `w`×`h`: everything the real start-up does before the first frame is shown.
fn start_once(dir: &Path, clock: Arc<dyn Clock>, w: u16, h: u16) -> ServiceResult<Duration> {
    let t0 = Instant::now();
    let svc = Service::open(dir, clock)?;
    let app = App::new(svc);
    let mut term = Terminal::new(TestBackend::new(w, h))
        .map_err(|e| crate::service::ServiceError::Refused(e.to_string()))?;
    term.draw(|f| app.render(f))
        .map_err(|e| crate::service::ServiceError::Refused(e.to_string()))?;
    Ok(t0.elapsed())
}

fn series(
    runs: usize,
    mut f: impl FnMut() -> ServiceResult<Duration>,
) -> ServiceResult<Vec<Duration>> {
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        v.push(f()?);
    }
    v.sort();
    Ok(v)
}

/// Run `f` on a copy of the database in `dir` (made with `VACUUM INTO` in a temporary
/// folder named after `what`, removed after): for figures that write.
pub(crate) fn on_a_copy<T>(
    dir: &Path,
    clock: Arc<dyn Clock>,
    what: &str,
    f: impl FnOnce(&Path) -> ServiceResult<T>,
) -> ServiceResult<T> {
    let refused = |e: std::io::Error| crate::service::ServiceError::Refused(e.to_string());
    let tmp = std::env::temp_dir().join(format!("stationdesk-{what}-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(refused)?;
    let copy = tmp.join(crate::service::DB_FILE);
    let made = Service::open(dir, clock).and_then(|src| {
        src.store()
            .conn()
            .execute("VACUUM INTO ?1", [copy.to_string_lossy().as_ref()])
            .map_err(|e| crate::service::ServiceError::from(crate::store::StoreError::from(e)))
    });
    let result = made.and_then(|_| f(&tmp));
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

/// The one-part benches measure an existing station: refused, in words, when the data
/// directory has no database (opening would make an empty one).
fn require_database(dir: &Path) -> ServiceResult<()> {
    let db = dir.join(crate::service::DB_FILE);
    if db.exists() {
        Ok(())
    } else {
        Err(crate::service::ServiceError::NotFound(format!(
            "数据库 {}",
            db.display()
        )))
    }
}

/// Only the reading and checking figures (`bench --readings-only`).
pub fn run_readings(
    dir: &Path,
    clock: Arc<dyn Clock>,
    runs: usize,
) -> ServiceResult<std::process::ExitCode> {
    require_database(dir)?;
    readings::figures(dir, clock, runs.clamp(1, 100_000))?;
    Ok(std::process::ExitCode::SUCCESS)
}

/// Only the audit figures (`bench --audit-only`).
pub fn run_audit(
    dir: &Path,
    clock: Arc<dyn Clock>,
    runs: usize,
) -> ServiceResult<std::process::ExitCode> {
    require_database(dir)?;
    let svc = Service::open(dir, clock)?;
    audit::figures(&svc, runs)?;
    Ok(std::process::ExitCode::SUCCESS)
}

/// Only the backup figures (`bench --backup-only`).
pub fn run_backup(
    dir: &Path,
    clock: Arc<dyn Clock>,
    runs: usize,
) -> ServiceResult<std::process::ExitCode> {
    backup::figures(dir, clock, runs)?;
    Ok(std::process::ExitCode::SUCCESS)
}

/// Only the collection figures (`bench --collection-only`).
pub fn run_collection(
    dir: &Path,
    clock: Arc<dyn Clock>,
    runs: usize,
) -> ServiceResult<std::process::ExitCode> {
    let svc = Service::open(dir, clock)?;
    let chief = svc
        .list_staff()?
        .into_iter()
        .find(|s| s.active && s.role == crate::domain::role::Role::Chief)
        .ok_or_else(|| crate::service::ServiceError::NotFound("所长账号".into()))?;
    collection::figures(&svc, &crate::service::auth::session_of(&chief), runs)?;
    Ok(std::process::ExitCode::SUCCESS)
}

/// Only the station report figures (`bench --reports-only`).
pub fn run_reports(
    dir: &Path,
    clock: Arc<dyn Clock>,
    runs: usize,
) -> ServiceResult<std::process::ExitCode> {
    require_database(dir)?;
    reports::figures(dir, clock, runs)?;
    Ok(std::process::ExitCode::SUCCESS)
}

/// Only the hand-over figures (`bench --export-only`).
pub fn run_export(dir: &Path, clock: Arc<dyn Clock>) -> ServiceResult<std::process::ExitCode> {
    require_database(dir)?;
    handover::figures(dir, clock)?;
    if let Some(kib) = platform::peak_rss_kib() {
        println!("bench 进程内存峰值：{:.1} MB", kib as f64 / 1024.0);
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// Only the complaint and repair-call figures (`bench --cases-only`).
pub fn run_cases(
    dir: &Path,
    clock: Arc<dyn Clock>,
    runs: usize,
) -> ServiceResult<std::process::ExitCode> {
    require_database(dir)?;
    cases::figures(dir, clock, runs.clamp(1, 100_000))?;
    Ok(std::process::ExitCode::SUCCESS)
}

pub fn run(
    dir: &Path,
    clock: Arc<dyn Clock>,
    runs: usize,
) -> ServiceResult<std::process::ExitCode> {
    let runs = runs.clamp(1, 100_000);
    let db = dir.join(crate::service::DB_FILE);
    if !db.exists() {
        return Err(crate::service::ServiceError::NotFound(format!(
            "数据库 {}（请先运行 stationdesk demo --customers 100000 --data-dir {}）",
            db.display(),
            dir.display()
        )));
    }
    let customers = Service::open(dir, clock.clone())?.dashboard()?.customers;
    println!("数据库：{}（客户 {customers} 户）", db.display());
    let first = start_once(dir, clock.clone(), 80, 24)?;
    println!(
        "启动到首屏（本进程第一次，文件缓存视系统而定）：{}",
        ms(first)
    );
    for (w, h) in [(80u16, 24u16), (200, 50)] {
        let v = series(runs, || start_once(dir, clock.clone(), w, h))?;
        println!(
            "启动到首屏 {w}×{h}，{runs} 次：p50 {}  p99 {}  最大 {}",
            ms(percentile(&v, 0.5)),
            ms(percentile(&v, 0.99)),
            ms(percentile(&v, 1.0))
        );
    }
    // the start-up check that runs behind the first screen (sign-in waits for it)
    let t = std::time::Instant::now();
    let problems = crate::store::Store::open_read_only(&db)?.health();
    println!(
        "启动检查（quick_check 与结构核对，在首屏之后于后台进行，登录前完成）：{}{}",
        ms(t.elapsed()),
        if problems.is_empty() {
            "，通过"
        } else {
            "，发现问题"
        }
    );
    let t = std::time::Instant::now();
    let verdict = Service::new(
        crate::store::Store::open_read_only(&db)?,
        dir.to_path_buf(),
        clock.clone(),
    )
    .verify()?;
    println!(
        "完整核对 verify（完整性、结构、审计链、封存、全部业务表、编号、日结链头）：{}，{}",
        ms(t.elapsed()),
        if verdict.ok() { "正常" } else { "异常" }
    );
    let svc = Service::open(dir, clock.clone())?;
    let v = series(runs, || {
        let t = Instant::now();
        svc.dashboard()?;
        Ok(t.elapsed())
    })?;
    println!(
        "登录后首页数字（客户、台区、档案不全、今日业务）：p50 {}  p99 {}",
        ms(percentile(&v, 0.5)),
        ms(percentile(&v, 0.99))
    );
    let hash = hash_password(PasswordCost::Standard, "bench-password")?;
    let v = series(runs.min(10), || {
        let t = Instant::now();
        let _ = password_matches("bench-password", &hash);
        Ok(t.elapsed())
    })?;
    println!(
        "登录密码校验（argon2id 7 MiB, t=5）：p50 {}  p99 {}",
        ms(percentile(&v, 0.5)),
        ms(percentile(&v, 0.99))
    );
    print_figures(runs)?;
    let svc = Service::open(dir, clock.clone())?;
    keystroke_figures(&svc, runs)?;
    println!("按键即搜客户（每个按键一次查询，{runs} 轮）：");
    for (label, p50, p99) in crate::service::search::search_bench(&svc, runs)? {
        println!("  {label}：p50 {p50:.2} ms  p99 {p99:.2} ms");
    }
    if let Some(chief) = svc
        .list_staff()?
        .iter()
        .find(|s| s.active && s.role == crate::domain::role::Role::Chief)
    {
        meters::figures(&svc, &crate::service::auth::session_of(chief), runs)?;
        collection::figures(&svc, &crate::service::auth::session_of(chief), runs)?;
        meters::plan_figures(dir, clock.clone(), runs)?;
    }
    cases::figures(dir, clock.clone(), runs)?;
    audit::figures(&svc, runs)?;
    readings::figures(dir, clock.clone(), runs)?;
    reports::figures(dir, clock.clone(), runs.min(5))?;
    deadlines::figures(clock.now(), runs.min(50))?;
    payments::figures(dir, clock.clone(), runs)?;
    backup::figures(dir, clock.clone(), 1)?;
    if let Some(kib) = platform::peak_rss_kib() {
        println!(
            "bench 进程内存峰值（含以上全部重复测量，界面进程见 docs/budgets.md）：{:.1} MB",
            kib as f64 / 1024.0
        );
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// Font parse once, then the test page: time and size.
fn print_figures(runs: usize) -> ServiceResult<()> {
    use crate::print::{FontSet, Paper, TestPageView, render_test_page_with};
    let rss0 = platform::current_rss_kib();
    let t = Instant::now();
    let fonts = FontSet::embedded()?;
    println!("内置字体解析（只做一次）：{}", ms(t.elapsed()));
    if let (Some(a), Some(b)) = (rss0, platform::current_rss_kib()) {
        println!(
            "字体解析后常驻内存增加：{:.1} MB",
            (b as f64 - a as f64) / 1024.0
        );
    }
    let view = TestPageView {
        station_name: "王庄供电所".into(),
        station_code: "WZ01".into(),
        printed_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap_or_default(),
        printed_by: "李建国".into(),
        paper: Paper::A5,
    };
    let mut size = 0;
    let v = series(runs, || {
        let t = Instant::now();
        let pdf = render_test_page_with(&view, fonts.clone())?;
        size = pdf.len();
        Ok(t.elapsed())
    })?;
    println!(
        "测试页 PDF（字体已载入）：p50 {}  p99 {}，大小 {:.1} KB",
        ms(percentile(&v, 0.5)),
        ms(percentile(&v, 0.99)),
        size as f64 / 1024.0
    );
    Ok(())
}

/// Key press → search → list redrawn (120×40), through the same search box the screens use.
pub fn keystroke_figures(svc: &Service, runs: usize) -> ServiceResult<()> {
    use crate::ui::widgets::customer_search::CustomerSearch;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let sample = svc.search_customers("王", 20, 0)?.hits;
    let mut inputs: Vec<String> = Vec::new();
    for h in &sample {
        inputs.push(h.account_no.clone());
        inputs.push(h.name.clone());
        inputs.push(crate::domain::pinyin::initials(&h.name));
    }
    let mut term = Terminal::new(TestBackend::new(120, 40))
        .map_err(|e| crate::service::ServiceError::Refused(e.to_string()))?;
    let mut times = Vec::new();
    for _ in 0..runs.min(20) {
        for input in &inputs {
            let mut w = CustomerSearch::new();
            for c in input.chars() {
                let t = Instant::now();
                w.handle_key(
                    svc,
                    &KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
                    None,
                );
                term.draw(|f| {
                    let area = f.area();
                    w.render(area, f.buffer_mut());
                })
                .map_err(|e| crate::service::ServiceError::Refused(e.to_string()))?;
                times.push(t.elapsed());
            }
        }
    }
    times.sort();
    println!(
        "按键→查询→重绘列表（120×40，{} 次按键）：p50 {}  p99 {}  最大 {}",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(percentile(&times, 1.0))
    );
    Ok(())
}

//! Backup figures for `stationdesk bench --backup-only`: on a copy of the database in the
//! data directory (so the station's own records and backup folder are never touched), an
//! online backup alone (copy, then its check), then backups while the counter takes
//! payments back to back on the main thread, each payment's wait timed (the budget: none
//! over 200 ms), against the same payments with no backup running.
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;

use crate::domain::backup::Reason;
use crate::domain::billing::PayMethod;
use crate::domain::clock::Clock;
use crate::domain::role::Role;
use crate::service::auth::session_of;
use crate::service::backup::{BackupJob, BackupOutcome};
use crate::service::payments::{Payer, PaymentRequest};
use crate::service::{DB_FILE, Service, ServiceError, ServiceResult, Session};
use crate::store::backup::{Pace, copy_online};

fn refused(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Refused(e.to_string())
}

fn ms(v: &[Duration], q: f64) -> f64 {
    super::percentile(v, q).as_secs_f64() * 1000.0
}

pub fn figures(dir: &Path, clock: Arc<dyn Clock>, runs: usize) -> ServiceResult<()> {
    let src = dir.join(DB_FILE);
    if !src.exists() {
        return Err(ServiceError::NotFound(format!("数据库 {}", src.display())));
    }
    let tmp = std::env::temp_dir().join(format!("stationdesk-backupbench-{}", std::process::id()));
    std::fs::create_dir_all(tmp.join("backups")).map_err(refused)?;
    let result = (|| {
        let t = Instant::now();
        copy_online(&src, &tmp.join(DB_FILE), &Pace::default()).map_err(|e| match e {
            crate::store::backup::CopyError::Source(e)
            | crate::store::backup::CopyError::Dest(e) => ServiceError::from(e),
        })?;
        println!(
            "备份（工作副本由在线备份做成，{:.1} 秒；以下均在副本上测量）",
            t.elapsed().as_secs_f64()
        );
        run(&tmp, clock, runs.clamp(1, 5))
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

/// A clerk whose day is open, the chief, and customers with bills.
fn counter(svc: &mut Service) -> ServiceResult<Option<(Session, Vec<i64>)>> {
    let staff = svc.list_staff()?;
    let Some(chief) = staff
        .iter()
        .find(|s| s.active && s.role == Role::Chief)
        .map(session_of)
    else {
        return Ok(None);
    };
    let mut cashiers: Vec<_> = staff
        .iter()
        .filter(|s| s.active && matches!(s.role, Role::Clerk | Role::Chief))
        .collect();
    cashiers.sort_by_key(|s| s.role == Role::Chief);
    let Some(clerk) = cashiers
        .into_iter()
        .map(session_of)
        .find(|s| svc.check_day_open(s).is_ok())
    else {
        return Ok(None);
    };
    svc.update_setting(&chief, "print.system_printer", "")?;
    let customers: Vec<i64> = {
        let conn = svc.store().conn();
        let mut stmt = conn
            .prepare(
                "SELECT customer_id FROM bill GROUP BY customer_id ORDER BY customer_id LIMIT 2000",
            )
            .map_err(refused)?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(refused)?;
        rows.collect::<Result<_, _>>().map_err(refused)?
    };
    if customers.is_empty() {
        return Ok(None);
    }
    Ok(Some((clerk, customers)))
}

/// One cash payment of 10 元, timed from the call to the commit.
fn pay(svc: &mut Service, clerk: &Session, customer: i64, n: usize) -> ServiceResult<Duration> {
    let req = PaymentRequest {
        payer: Payer::Customer(customer),
        amount: Decimal::new(1000, 2),
        method: PayMethod::Cash,
        reference: String::new(),
        tendered: None,
        request_key: format!("backup-bench-{}-{n}", std::process::id()),
    };
    let t = Instant::now();
    svc.take_payment(clerk, &req)?;
    Ok(t.elapsed())
}

fn run(dir: &Path, clock: Arc<dyn Clock>, runs: usize) -> ServiceResult<()> {
    let mut svc = Service::open(dir, clock)?;
    let folder = dir.join("backups");
    let plan = |svc: &Service| -> ServiceResult<crate::service::backup::BackupPlan> {
        let mut p = svc.backup_plan(Reason::Command, None)?;
        p.folder = folder.clone();
        p.default_folder = true;
        p.prune = false;
        Ok(p)
    };
    // the start-up check must not be counted in the first payment
    svc.store().settle_health(true);
    let size = std::fs::metadata(svc.store().path())
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "  数据库 {:.0} MB，备份到同一块盘上的临时文件夹",
        size as f64 / 1_048_576.0
    );
    let say = |what: &str, out: &BackupOutcome| {
        println!(
            "  {what}：复制 {:.2} 秒（持有快照）+ 检查 {:.2} 秒（integrity_check、结构、审计链）= {:.2} 秒，副本 {:.0} MB{}",
            out.copy_took.as_secs_f64(),
            out.check_took.as_secs_f64(),
            (out.copy_took + out.check_took).as_secs_f64(),
            out.bytes as f64 / 1_048_576.0,
            if out.ok() {
                "，检查通过"
            } else {
                "，失败"
            }
        );
        if let Some(p) = &out.problem {
            println!("    {p}");
        }
    };
    for i in 0..runs {
        let out = crate::service::backup::run(&plan(&svc)?);
        say(&format!("单独备份第 {} 次", i + 1), &out);
        remove_copy(&out);
    }
    let Some((clerk, customers)) = counter(&mut svc)? else {
        println!("  备份期间收费：库中没有可收费的收费员或账单，跳过");
        return Ok(());
    };
    // the counter alone, for comparison
    let mut alone = Vec::new();
    for n in 0..200 {
        alone.push(pay(&mut svc, &clerk, customers[n % customers.len()], n)?);
    }
    alone.sort();
    println!(
        "  不备份时收费（{} 笔，收费入库 synchronous=FULL）：p50 {:.2} ms  p99 {:.2} ms  最大 {:.2} ms",
        alone.len(),
        ms(&alone, 0.5),
        ms(&alone, 0.99),
        ms(&alone, 1.0)
    );
    let mut n = 1000;
    for i in 0..runs {
        let job = BackupJob::start(plan(&svc)?);
        let mut during = Vec::new();
        while !job.is_finished() {
            during.push(pay(&mut svc, &clerk, customers[n % customers.len()], n)?);
            n += 1;
            std::thread::sleep(Duration::from_millis(5));
        }
        let out = job.wait();
        during.sort();
        say(&format!("边收费边备份第 {} 次", i + 1), &out);
        println!(
            "    备份期间收费 {} 笔：p50 {:.2} ms  p99 {:.2} ms  最长等待 {:.2} ms（预算 200 ms）",
            during.len(),
            ms(&during, 0.5),
            ms(&during, 0.99),
            ms(&during, 1.0)
        );
        remove_copy(&out);
    }
    let t = Instant::now();
    let standing = svc.backup_standing()?;
    println!(
        "  首页备份状态（读最近的备份记录）：{:.3} ms，{}",
        t.elapsed().as_secs_f64() * 1000.0,
        standing.line(svc.now())
    );
    Ok(())
}

fn remove_copy(out: &BackupOutcome) {
    if let Some(f) = &out.file {
        let _ = std::fs::remove_file(f);
    }
}

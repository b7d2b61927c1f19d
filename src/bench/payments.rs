//! Payment figures for `stationdesk bench`, on a copy of the database in the data directory
//! (`VACUUM INTO` a temporary folder, print folder and printer switched off there), so the
//! station's own records are never touched: a customer's arrears with late fees, and the
//! counter's confirm key → payment committed (`synchronous=FULL`) → receipt PDF written.
use std::sync::Arc;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;

use crate::domain::billing::PayMethod;
use crate::domain::clock::Clock;
use crate::domain::role::Role;
use crate::service::auth::session_of;
use crate::service::payments::{Payer, PaymentRequest};
use crate::service::{DB_FILE, Service, ServiceError, ServiceResult};

fn refused(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Refused(e.to_string())
}

fn ms(v: &[Duration], q: f64) -> f64 {
    super::percentile(v, q).as_secs_f64() * 1000.0
}

pub fn figures(dir: &std::path::Path, clock: Arc<dyn Clock>, runs: usize) -> ServiceResult<()> {
    let tmp = std::env::temp_dir().join(format!("stationdesk-paybench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(refused)?;
    let copy = tmp.join(DB_FILE);
    {
        let src = Service::open(dir, clock.clone())?;
        src.store()
            .conn()
            .execute("VACUUM INTO ?1", [copy.to_string_lossy().as_ref()])
            .map_err(refused)?;
    }
    let result = run(&tmp, clock, runs);
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn run(dir: &std::path::Path, clock: Arc<dyn Clock>, runs: usize) -> ServiceResult<()> {
    let mut svc = Service::open(dir, clock)?;
    let staff = svc.list_staff()?;
    let Some(chief) = staff
        .iter()
        .find(|s| s.active && s.role == Role::Chief)
        .map(session_of)
    else {
        println!("收费：库中没有所长账号，跳过");
        return Ok(());
    };
    // a cashier whose day is still open (clerks first, then the chief)
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
        println!("收费：今天所有收费员都已日结，跳过");
        return Ok(());
    };
    svc.update_setting(&chief, "print.folder", &dir.join("print").to_string_lossy())?;
    svc.update_setting(&chief, "print.system_printer", "")?;
    let customers: Vec<i64> = {
        let conn = svc.store().conn();
        let mut stmt = conn
            .prepare(
                "SELECT customer_id FROM bill GROUP BY customer_id
                 ORDER BY customer_id LIMIT (SELECT ?1)",
            )
            .map_err(refused)?;
        let rows = stmt
            .query_map([i64::try_from(runs.clamp(10, 500)).unwrap_or(100)], |r| {
                r.get(0)
            })
            .map_err(refused)?;
        rows.collect::<Result<_, _>>().map_err(refused)?
    };
    if customers.is_empty() {
        println!("收费：库中没有电费账单（stationdesk demo 会生成一年的账单），跳过");
        return Ok(());
    }
    let bills: i64 = svc
        .store()
        .conn()
        .query_row("SELECT count(*) FROM bill", [], |r| r.get(0))
        .map_err(refused)?;
    let mut account = Vec::new();
    let mut pay = Vec::new();
    let mut bytes = 0u64;
    let mut skipped = 0usize;
    for (i, &c) in customers.iter().enumerate() {
        let t = Instant::now();
        let a = svc.customer_account(c)?;
        account.push(t.elapsed());
        let owed = a.total_owed;
        let amount = if owed > Decimal::ZERO {
            owed
        } else {
            Decimal::new(5000, 2)
        };
        let req = PaymentRequest {
            payer: Payer::Customer(c),
            amount,
            method: PayMethod::Cash,
            reference: String::new(),
            tendered: None,
            request_key: format!("bench-{}-{i}", std::process::id()),
        };
        let t = Instant::now();
        let done = svc.take_payment(&clerk, &req)?;
        // a receipt that could not be printed (the printer setting, a full disk) is a
        // failure shown at the counter: not a timing sample
        let Ok(out) = svc.print_receipt(&clerk, done.receipt_id, false) else {
            skipped += 1;
            continue;
        };
        pay.push(t.elapsed());
        bytes = bytes.max(std::fs::metadata(&out.path).map(|m| m.len()).unwrap_or(0));
    }
    account.sort();
    pay.sort();
    println!(
        "收费（库的副本，{bills} 张账单，{} 户；{skipped} 户未能打印，不计）：",
        customers.len()
    );
    println!(
        "  客户欠费及违约金（逐张账单计算）：p50 {:.2} ms  p99 {:.2} ms",
        ms(&account, 0.5),
        ms(&account, 0.99)
    );
    println!(
        "  确认键 → 收费入库（synchronous=FULL）→ 收据 PDF 写出：p50 {:.2} ms  p99 {:.2} ms  最大 {:.2} ms；收据最大 {:.1} KB",
        ms(&pay, 0.5),
        ms(&pay, 0.99),
        ms(&pay, 1.0),
        bytes as f64 / 1024.0
    );
    Ok(())
}

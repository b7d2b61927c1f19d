//! Hand-over figures (issue 17): on a copy of the database, the first bundle (every change
//! on file) and a month of changes; the budgets are under 30 s and under 5 s.
//!
//! The month: the demo's history is recorded once at the end of its build, so on the copy,
//! after the first bundle is confirmed, the records of the rows the demo dates in the last
//! 30 days are written again (`Snapshot::Since`): the same tables, rows and volume as a
//! month of work would give, exported as a real bundle.
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use crate::domain::clock::{self, Clock};
use crate::service::handover::ExportOutcome;
use crate::service::{Service, ServiceResult};
use crate::store::audit::{self, Actor, Changes, NewEntry};
use crate::store::outbox::{self, Snapshot};

fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|it| {
            it.filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn one_export(svc: &mut Service, out: &Path, what: &str) -> ServiceResult<Option<String>> {
    let t = Instant::now();
    let done = svc.export_bundle(None, out)?;
    let took = t.elapsed();
    match done {
        ExportOutcome::Empty { .. } => {
            println!("{what}：没有改动可导出");
            Ok(None)
        }
        ExportOutcome::Written(r) => {
            println!(
                "{what}：{} 条交接记录，{} 个文件共 {:.1} MB，用时 {:.2} s（{:.0} 条/秒）",
                r.records,
                r.counts.len() + 1,
                folder_bytes(&r.dir) as f64 / 1048576.0,
                took.as_secs_f64(),
                r.records as f64 / took.as_secs_f64().max(1e-9)
            );
            Ok(Some(r.bundle_id))
        }
    }
}

pub(super) fn figures(dir: &Path, clock: Arc<dyn Clock>) -> ServiceResult<()> {
    super::on_a_copy(dir, clock.clone(), "export", |copy| {
        let mut svc = Service::open(copy, clock.clone())?;
        let out = copy.join("handover");
        let first = one_export(&mut svc, &out, "第一个交接包（全部数据）")?;
        if let Some(id) = &first {
            one_export(&mut svc, &out, "同一交接包再次导出（确认前）")?;
            svc.confirm_bundle(None, id)?;
            let _ = std::fs::remove_dir_all(out.join(id));
        }
        let now = clock.now();
        let since = clock::to_db(now - chrono::Duration::days(30));
        let t = Instant::now();
        let n = svc.store_mut().write(|tx| -> ServiceResult<usize> {
            let n = outbox::snapshot(tx, Snapshot::Since(&since))?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &Actor::system("性能测量"),
                    action: "outbox.snapshot",
                    entity: "outbox",
                    entity_id: "",
                    changes: Changes::new().note("records", n as i64),
                },
            )?;
            Ok(n)
        })?;
        println!(
            "一个月的改动（{since} 以后的 {n} 行再记一次交接记录，用时 {:.2} s，不计入下项）",
            t.elapsed().as_secs_f64()
        );
        one_export(&mut svc, &out, "一个月的改动")?;
        Ok(())
    })
}

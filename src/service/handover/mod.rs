//! Hand-over to the provincial system, offline first (issue 17, `docs/handover.md`):
//! bundles of every change since the last confirmed one, written for the county and
//! confirmed when it has taken them; imports of the provincial system's customer and meter
//! files.
//!
//! Exactly once: a bundle is recorded as pending (its range of outbox records, fixed) in one
//! `BEGIN IMMEDIATE` transaction before its files are written, so two exports at once give
//! one bundle; until it is confirmed every export writes that same bundle again, byte for
//! byte; its files are written into a temporary folder and renamed into place, so a bundle
//! folder is either whole or absent; the next bundle starts right after the confirmed one.
use std::path::{Path, PathBuf};

use crate::domain::clock;
use crate::domain::handover::{self as rules, BundleState};
use crate::domain::role::Need;
use crate::service::{Service, ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Actor, Changes, NewEntry};
use crate::store::handover::{self as store, BundleRow, NewBundle};
use crate::store::outbox;

pub mod import;
mod write;

pub use write::file_name;

/// What an export did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportOutcome {
    /// nothing changed since the last bundle (nothing written, nothing recorded)
    Empty {
        last: Option<String>,
    },
    Written(ExportReport),
}

/// A bundle written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportReport {
    pub bundle_id: String,
    pub dir: PathBuf,
    pub seq_from: i64,
    pub seq_to: i64,
    pub records: i64,
    /// records per entity, in the order of the files
    pub counts: Vec<(String, u64)>,
    pub manifest_sha256: String,
    /// the bundle was written before (this is the same bundle again, not yet confirmed)
    pub again: bool,
}

impl ExportReport {
    pub fn describe(&self) -> String {
        let mut s = format!(
            "{}交接包 {}：交接记录第 {}–{} 条，共 {} 条\n文件夹：{}\n清单校验值（SHA-256）：{}\n",
            if self.again {
                "已重新写出（内容与上次相同）"
            } else {
                "已写出"
            },
            self.bundle_id,
            self.seq_from,
            self.seq_to,
            self.records,
            self.dir.display(),
            self.manifest_sha256
        );
        for (entity, n) in &self.counts {
            let label = outbox::entity(entity).map(|e| e.label()).unwrap_or("");
            s.push_str(&format!("  {label}（{entity}）{n} 条\n"));
        }
        s.push_str(&format!(
            "县公司接收后，用 stationdesk export --confirm {} 确认；确认前再次导出得到的是同一个交接包",
            self.bundle_id
        ));
        s
    }
}

/// What a confirmation did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfirmOutcome {
    Confirmed(BundleRow),
    /// confirmed before: nothing changed
    AlreadyConfirmed(BundleRow),
}

impl ConfirmOutcome {
    pub fn describe(&self) -> String {
        match self {
            ConfirmOutcome::Confirmed(b) => format!(
                "交接包 {} 已确认（交接记录第 {}–{} 条，共 {} 条）；下一个交接包从第 {} 条开始",
                b.bundle_id,
                b.seq_from,
                b.seq_to,
                b.records(),
                b.seq_to + 1
            ),
            ConfirmOutcome::AlreadyConfirmed(b) => format!(
                "交接包 {} 已于 {} 确认过，本次未作任何改动",
                b.bundle_id,
                b.confirmed_at.as_deref().unwrap_or("")
            ),
        }
    }
}

impl Service {
    fn handover_actor(&self, session: Option<&Session>) -> ServiceResult<(Actor, Option<i64>)> {
        Ok(match session {
            Some(s) => {
                let cx = self.begin_to(s, Need::Chief, "导出或确认交接包")?;
                let id = cx.staff_id();
                (cx.actor, Some(id))
            }
            None => (Actor::system("数据交接"), None),
        })
    }

    /// The folder the menu exports into: the setting `handover.folder`, or `handover` in
    /// the data directory.
    pub fn handover_folder(&self) -> ServiceResult<PathBuf> {
        let v = self.setting("handover.folder")?.value;
        Ok(if v.trim().is_empty() {
            self.data_dir().join("handover")
        } else {
            PathBuf::from(v.trim())
        })
    }

    /// Every bundle, newest first.
    pub fn bundles(&self) -> ServiceResult<Vec<BundleRow>> {
        Ok(store::list(self.store().conn())?)
    }

    /// Records written since the last bundle (what the next export would hold).
    pub fn unbundled_records(&self) -> ServiceResult<i64> {
        let conn = self.store().conn();
        let (_, last_to) = store::last(conn)?;
        Ok((outbox::last_closed(conn)? - last_to).max(0))
    }

    /// Write the bundle of every change since the last confirmed one into `out` (a folder
    /// named after the bundle inside it). `session`: the chief at the menu; `None` for the
    /// command line (recorded as 系统（数据交接）).
    pub fn export_bundle(
        &mut self,
        session: Option<&Session>,
        out: &Path,
    ) -> ServiceResult<ExportOutcome> {
        let (actor, by) = self.handover_actor(session)?;
        let station = self.require_station()?;
        let offset_code = self.setting("handover.utc_offset")?.value;
        let offset = rules::offset_text(&offset_code).ok_or_else(|| {
            ServiceError::Refused(format!(
                "设置“交接包时间的时区”的值“{}”不对，请所长改正",
                crate::domain::validate::shown(&offset_code)
            ))
        })?;
        let now = self.now();
        let at = clock::to_db(now);
        // the bundle: the one pending, or a new one recorded before any file is written
        let made = self
            .store_mut()
            .write(|tx| -> ServiceResult<Option<(BundleRow, bool)>> {
                if let Some(p) = store::pending(tx)? {
                    return Ok(Some((p, true)));
                }
                let (last_id, last_to) = store::last(tx)?;
                let end = outbox::last_closed(tx)?;
                if end <= last_to {
                    return Ok(None);
                }
                let (head_seq, head_hash) = audit::head(tx)?.unwrap_or((0, audit::GENESIS.into()));
                let number = last_id + 1;
                let bundle_id = rules::bundle_id(&station.code, number);
                store::insert(
                    tx,
                    &NewBundle {
                        id: number,
                        bundle_id: &bundle_id,
                        station_code: &station.code,
                        station_name: &station.name,
                        seq_from: last_to + 1,
                        seq_to: end,
                        utc_offset: &offset,
                        head_seq,
                        head_hash: &head_hash,
                        created_at: &at,
                        created_by: by,
                    },
                )?;
                audit::append(
                    tx,
                    NewEntry {
                        at: now,
                        actor: &actor,
                        action: "handover.bundle",
                        entity: "handover_bundle",
                        entity_id: &bundle_id,
                        changes: Changes::new()
                            .note("seq_from", last_to + 1)
                            .note("seq_to", end)
                            .note("records", end - last_to),
                    },
                )?;
                let b = store::by_bundle_id(tx, &bundle_id)?
                    .ok_or_else(|| ServiceError::NotFound(format!("交接包 {bundle_id}")))?;
                Ok(Some((b, false)))
            })?;
        let Some((bundle, again)) = made else {
            let last = store::list(self.store().conn())?
                .into_iter()
                .next()
                .map(|b| b.bundle_id);
            return Ok(ExportOutcome::Empty { last });
        };
        let previous =
            (bundle.id > 1).then(|| rules::bundle_id(&bundle.station_code, bundle.id - 1));
        let dir = out.join(&bundle.bundle_id);
        let written = write_into_place(self, &bundle, previous.as_deref(), out, &dir)?;
        let counts_json = serde_json::Value::Object(
            written
                .counts
                .iter()
                .map(|(e, n)| (e.clone(), serde_json::Value::from(*n)))
                .collect(),
        )
        .to_string();
        let bundle_id = bundle.bundle_id.clone();
        let sha = written.manifest_sha256.clone();
        let folder = crate::domain::validate::shown(&dir.display().to_string());
        self.store_mut().write(|tx| -> ServiceResult<()> {
            store::set_written(tx, bundle.id, &sha, &counts_json)?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "handover.export",
                    entity: "handover_bundle",
                    entity_id: &bundle_id,
                    changes: Changes::new()
                        .note("records", bundle.records())
                        .note("manifest_sha256", sha.clone())
                        .note("folder", folder.clone())
                        .note("again", again),
                },
            )?;
            Ok(())
        })?;
        Ok(ExportOutcome::Written(ExportReport {
            bundle_id: bundle.bundle_id.clone(),
            dir,
            seq_from: bundle.seq_from,
            seq_to: bundle.seq_to,
            records: bundle.records(),
            counts: written.counts,
            manifest_sha256: written.manifest_sha256,
            again: bundle.manifest_sha256.is_some(),
        }))
    }

    /// Mark bundle `bundle_id` accepted upstream: the next bundle starts after it. A
    /// bundle confirmed before changes nothing (the answer from upstream arrived twice).
    pub fn confirm_bundle(
        &mut self,
        session: Option<&Session>,
        typed: &str,
    ) -> ServiceResult<ConfirmOutcome> {
        let (actor, by) = self.handover_actor(session)?;
        let bundle_id = rules::parse_bundle_id(typed).ok_or_else(|| {
            ServiceError::invalid(
                "bundle",
                format!(
                    "交接包编号“{}”的格式应为 所编码-六位序号，如 WZ01-000003",
                    crate::domain::validate::shown(typed.trim())
                ),
            )
        })?;
        let now = self.now();
        let at = clock::to_db(now);
        self.store_mut().write(|tx| -> ServiceResult<ConfirmOutcome> {
            let b = store::by_bundle_id(tx, &bundle_id)?
                .ok_or_else(|| ServiceError::NotFound(format!("交接包 {bundle_id}")))?;
            if b.state == BundleState::Confirmed {
                return Ok(ConfirmOutcome::AlreadyConfirmed(b));
            }
            if b.manifest_sha256.is_none() {
                return Err(ServiceError::Refused(format!(
                    "交接包 {bundle_id} 还没有完整写出过，县公司不可能收到它；请先导出（stationdesk export --out 文件夹）再确认"
                )));
            }
            store::confirm(tx, b.id, &at, by)?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "handover.confirm",
                    entity: "handover_bundle",
                    entity_id: &bundle_id,
                    changes: Changes::new()
                        .note("seq_from", b.seq_from)
                        .note("seq_to", b.seq_to)
                        .note("records", b.records()),
                },
            )?;
            let b = store::by_bundle_id(tx, &bundle_id)?
                .ok_or_else(|| ServiceError::NotFound(format!("交接包 {bundle_id}")))?;
            Ok(ConfirmOutcome::Confirmed(b))
        })
    }
}

/// Write the bundle into a temporary folder beside its place and rename it into place; a
/// folder already there (the same bundle written before) is moved aside first and removed
/// after. A bundle whose manifest differs from the one first written is refused: its rows
/// changed behind the program's back.
fn write_into_place(
    svc: &Service,
    bundle: &BundleRow,
    previous: Option<&str>,
    out: &Path,
    dir: &Path,
) -> ServiceResult<write::Written> {
    let fail = |what: &str, p: &Path, e: std::io::Error| {
        ServiceError::Refused(format!(
            "无法{what} {}：{}",
            p.display(),
            crate::service::error::io_text(&e)
        ))
    };
    std::fs::create_dir_all(out).map_err(|e| fail("创建文件夹", out, e))?;
    let tag = random_tag();
    let tmp = out.join(format!(".{}.part-{tag}", bundle.bundle_id));
    std::fs::create_dir(&tmp).map_err(|e| fail("创建文件夹", &tmp, e))?;
    let written = match write::write_bundle(svc.store().conn(), bundle, previous, &tmp) {
        Ok(w) => w,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    if let Some(first) = &bundle.manifest_sha256
        && *first != written.manifest_sha256
    {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(ServiceError::Refused(format!(
            "交接包 {} 这次写出的内容与第一次不同（清单校验值 {} ≠ {}）：数据库中已交接的数据被改动过，请先运行 stationdesk verify 检查",
            bundle.bundle_id, written.manifest_sha256, first
        )));
    }
    // into place: a folder there already is this same bundle written before (or being
    // written by another window at this moment): moved aside, replaced, removed
    let mut tries = 0;
    loop {
        let aside = out.join(format!(".{}.old-{tag}-{tries}", bundle.bundle_id));
        let moved = if dir.exists() {
            std::fs::rename(dir, &aside).is_ok()
        } else {
            false
        };
        let placed = std::fs::rename(&tmp, dir);
        if moved {
            let _ = std::fs::remove_dir_all(&aside);
        }
        match placed {
            Ok(()) => break,
            Err(e) if tries >= 5 => {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(fail("放置交接包文件夹", dir, e));
            }
            Err(_) => tries += 1,
        }
    }
    Ok(written)
}

/// Eight hex digits for a temporary folder's name (from the system's random source; the
/// time of day is not read below the UI).
fn random_tag() -> String {
    let mut b = [0u8; 4];
    if getrandom::fill(&mut b).is_err() {
        b = std::process::id().to_be_bytes();
    }
    hex::encode(b)
}

//! `stationdesk import customers|meters FILE`: the provincial system's customer and meter
//! exports (format: `domain::provincial_files`, `docs/handover.md`).
//!
//! As `import bills`: every line is checked (the file's text with the counter's own checks,
//! then what only the database knows) before anything is written, and every problem is
//! listed at once; a file with any problem imports nothing. The writing commits in chunks
//! of [`CHUNK`] under one audit entry each, so a counter in another window never waits for
//! more than one chunk; should the program stop between chunks, importing the same file
//! again completes it. A line already on file with the same content is skipped (the same
//! file twice changes nothing); one on file with different content is a bad line: a
//! correction is made at the counter, not by an import.
use crate::domain::billing::import::LineError;
use crate::domain::clock;
use crate::domain::customer::NewCustomer;
use crate::domain::meter::MeterStatus;
use crate::domain::meter_intake::describe;
use crate::domain::provincial_files::{
    CustomerLine, MeterLine, parse_customer_file, parse_meter_file,
};
use crate::domain::role::Need;
use crate::service::{Service, ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Actor, Changes, NewEntry};
use crate::store::customers;
use crate::store::meters::{self, NewMeter};

/// Rows written per transaction.
pub const CHUNK: usize = 500;

/// What a file import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileImport {
    pub file: String,
    /// 客户档案 / 表计
    pub what: &'static str,
    pub imported: usize,
    /// already on file with the same content
    pub unchanged: usize,
    /// customers imported with items missing (marked 资料不全)
    pub incomplete: usize,
}

impl FileImport {
    pub fn describe(&self) -> String {
        let mut s = format!("已导入 {}：新{} {} 条", self.file, self.what, self.imported);
        if self.incomplete > 0 {
            s.push_str(&format!("（其中 {} 户资料不全，已标记）", self.incomplete));
        }
        if self.unchanged > 0 {
            s.push_str(&format!(
                "；{} 条此前已导入且内容相同，未重复导入",
                self.unchanged
            ));
        }
        s
    }
}

/// Imported, or refused with every bad line (nothing imported).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileOutcome {
    Imported(FileImport),
    Rejected(Vec<LineError>),
}

impl Service {
    fn import_actor(&self, session: Option<&Session>, what: &str) -> ServiceResult<Actor> {
        Ok(match session {
            Some(s) => self.begin_to(s, Need::Chief, "导入省营销系统的文件")?.actor,
            None => Actor::system(what),
        })
    }

    /// Import the provincial system's customer file. `session`: the chief; `None` for the
    /// command line (recorded as 系统（客户档案导入）).
    pub fn import_customers(
        &mut self,
        session: Option<&Session>,
        file_name: &str,
        bytes: &[u8],
    ) -> ServiceResult<FileOutcome> {
        let actor = self.import_actor(session, "客户档案导入")?;
        let file_name = crate::domain::validate::shown(file_name);
        let lines = match parse_customer_file(bytes) {
            Ok(v) => v,
            Err(e) => return Ok(FileOutcome::Rejected(e)),
        };
        let (new, unchanged) = match sort_lines(&lines, |l| self.check_customer_line(l))? {
            Ok(v) => v,
            Err(errors) => return Ok(FileOutcome::Rejected(errors)),
        };
        let now = self.now();
        let at = clock::to_db(now);
        let mut report = FileImport {
            file: file_name.clone(),
            what: "客户档案",
            imported: 0,
            unchanged,
            incomplete: 0,
        };
        let chunks = new.len().div_ceil(CHUNK);
        for (n, part) in new.chunks(CHUNK).enumerate() {
            let done = self.store_mut().write(
                |tx| -> ServiceResult<Result<(usize, usize), LineError>> {
                    let (mut imported, mut incomplete) = (0, 0);
                    for (l, area) in part {
                        // checked again under the lock: another window may have imported it
                        if let Some(old) = customers::by_account_no(tx, &l.account_no)? {
                            if same_customer(&old, l, *area) {
                                continue;
                            }
                            return Ok(Err(customer_differs(l)));
                        }
                        if customers::account_taken(tx, &l.account_no)? {
                            return Ok(Err(LineError::at(
                                l.line,
                                format!("户号 {} 已是另一户的旧户号", l.account_no),
                            )));
                        }
                        let c = &l.checked;
                        let initials = crate::domain::pinyin::initials(&c.name);
                        customers::insert_customer(
                            tx,
                            &NewCustomer {
                                account_no: l.account_no.clone(),
                                old_account_no: l.old_account_no.clone(),
                                name: c.name.clone(),
                                kind: c.kind,
                                id_number: c.id_number.clone(),
                                phone: c.phone.clone(),
                                address: c.address.clone(),
                                area_code: c.area_code.clone(),
                                usage: c.usage,
                                supply_voltage: c.supply_voltage.clone(),
                                contracted_kva: c.contracted_kva.clone(),
                                docs_incomplete: !c.missing.is_empty(),
                            },
                            &initials,
                            *area,
                            &at,
                        )?;
                        imported += 1;
                        if !c.missing.is_empty() {
                            incomplete += 1;
                        }
                    }
                    // counts only: the trail never holds the file's ID numbers or phones
                    audit::append(
                        tx,
                        NewEntry {
                            at: now,
                            actor: &actor,
                            action: "customer.import",
                            entity: "customer_file",
                            entity_id: &file_name,
                            changes: Changes::new()
                                .note("chunk", format!("{}/{chunks}", n + 1))
                                .note("imported", imported)
                                .note("incomplete", incomplete),
                        },
                    )?;
                    Ok(Ok((imported, incomplete)))
                },
            )?;
            match done {
                Ok((imported, incomplete)) => {
                    report.imported += imported;
                    report.unchanged += part.len() - imported;
                    report.incomplete += incomplete;
                }
                Err(e) => return Ok(FileOutcome::Rejected(vec![e])),
            }
        }
        Ok(FileOutcome::Imported(report))
    }

    /// One customer line against the database: `Ok(None)` on file as it is,
    /// `Ok(Some(area))` new (with its 台区), `Err` the line's problem.
    fn check_customer_line(
        &self,
        l: &CustomerLine,
    ) -> ServiceResult<Result<Option<Option<i64>>, LineError>> {
        let conn = self.store().conn();
        let area = if l.checked.area_code.is_empty() {
            None
        } else {
            match customers::area_by_code(conn, &l.checked.area_code)? {
                Some((id, _)) => Some(id),
                None => {
                    return Ok(Err(LineError::at(
                        l.line,
                        format!(
                            "台区编码 {} 不存在（先在台区维护中建立）",
                            l.checked.area_code
                        ),
                    )));
                }
            }
        };
        if let Some(old) = customers::by_account_no(conn, &l.account_no)? {
            return Ok(if same_customer(&old, l, area) {
                Ok(None)
            } else {
                Err(customer_differs(l))
            });
        }
        if customers::account_taken(conn, &l.account_no)? {
            return Ok(Err(LineError::at(
                l.line,
                format!("户号 {} 已是另一户的旧户号", l.account_no),
            )));
        }
        if let Some(old) = &l.old_account_no
            && customers::account_taken(conn, old)?
        {
            return Ok(Err(LineError::at(
                l.line,
                format!("旧户号 {old} 已被另一户使用"),
            )));
        }
        Ok(Ok(Some(area)))
    }

    /// Import the provincial system's meter asset file: meters in stock, and meters in
    /// service on an account. `session`: the chief; `None` for the command line.
    pub fn import_meter_assets(
        &mut self,
        session: Option<&Session>,
        file_name: &str,
        bytes: &[u8],
    ) -> ServiceResult<FileOutcome> {
        let actor = self.import_actor(session, "表计资产导入")?;
        let file_name = crate::domain::validate::shown(file_name);
        let lines = match parse_meter_file(bytes) {
            Ok(v) => v,
            Err(e) => return Ok(FileOutcome::Rejected(e)),
        };
        let (new, unchanged) = match sort_lines(&lines, |l| self.check_meter_line(l))? {
            Ok(v) => v,
            Err(errors) => return Ok(FileOutcome::Rejected(errors)),
        };
        let now = self.now();
        let at = clock::to_db(now);
        let mut report = FileImport {
            file: file_name.clone(),
            what: "表计",
            imported: 0,
            unchanged,
            incomplete: 0,
        };
        let chunks = new.len().div_ceil(CHUNK);
        let reason = format!("省营销系统导入（{file_name}）");
        for (n, part) in new.chunks(CHUNK).enumerate() {
            let done = self
                .store_mut()
                .write(|tx| -> ServiceResult<Result<usize, LineError>> {
                    let mut imported = 0;
                    for (l, (m, customer)) in part {
                        if let Some(old) = meters::by_asset_no(tx, &m.asset_no)? {
                            if same_meter(&old, m, l.status, *customer) {
                                continue;
                            }
                            return Ok(Err(meter_differs(l)));
                        }
                        meters::insert_imported(
                            tx,
                            m,
                            l.status,
                            *customer,
                            now.date(),
                            &at,
                            &reason,
                        )?;
                        imported += 1;
                    }
                    audit::append(
                        tx,
                        NewEntry {
                            at: now,
                            actor: &actor,
                            action: "meter.import",
                            entity: "meter_file",
                            entity_id: &file_name,
                            changes: Changes::new()
                                .note("chunk", format!("{}/{chunks}", n + 1))
                                .note("imported", imported),
                        },
                    )?;
                    Ok(Ok(imported))
                })?;
            match done {
                Ok(imported) => {
                    report.imported += imported;
                    report.unchanged += part.len() - imported;
                }
                Err(e) => return Ok(FileOutcome::Rejected(vec![e])),
            }
        }
        Ok(FileOutcome::Imported(report))
    }

    /// One meter line against the database: `Ok(None)` on file as it is, `Ok(Some(..))`
    /// new (the meter and the customer it is on), `Err` the line's problem.
    #[allow(clippy::type_complexity)]
    fn check_meter_line(
        &self,
        l: &MeterLine,
    ) -> ServiceResult<Result<Option<(NewMeter, Option<i64>)>, LineError>> {
        let conn = self.store().conn();
        let d = describe(&l.input).map_err(|(f, m)| ServiceError::invalid(f, m))?;
        let m = self.new_meter(l.asset_no.clone(), &d)?;
        let customer = match &l.account_no {
            None => None,
            Some(a) => match customers::by_account_no(conn, a)? {
                Some(c) => Some(c.id),
                None => {
                    return Ok(Err(LineError::at(l.line, format!("户号 {a} 不存在"))));
                }
            },
        };
        if let Some(old) = meters::by_asset_no(conn, &m.asset_no)? {
            return Ok(if same_meter(&old, &m, l.status, customer) {
                Ok(None)
            } else {
                Err(meter_differs(l))
            });
        }
        Ok(Ok(Some((m, customer))))
    }
}

fn same_customer(old: &customers::CustomerRow, l: &CustomerLine, area: Option<i64>) -> bool {
    let c = &l.checked;
    old.name == c.name
        && old.kind == c.kind
        && old.id_number == c.id_number
        && old.phone == c.phone
        && old.address == c.address
        && old.area_id == area
        && old.usage_category == c.usage
        && old.supply_voltage == c.supply_voltage
        && old.contracted_kva == c.contracted_kva
        && old.old_account_no == l.old_account_no
}

fn customer_differs(l: &CustomerLine) -> LineError {
    LineError::at(
        l.line,
        format!(
            "户号 {} 已有档案，与本行内容不同；档案的更改请在柜台办理，不能用导入",
            l.account_no
        ),
    )
}

fn same_meter(
    old: &meters::MeterRow,
    m: &NewMeter,
    status: MeterStatus,
    customer: Option<i64>,
) -> bool {
    old.kind == m.kind
        && old.accuracy == m.accuracy
        && old.maker == m.maker
        && old.batch == m.batch
        && old.digits == m.digits
        && old.ct_ratio == m.ct_ratio
        && old.pt_ratio == m.pt_ratio
        && old.multiplier == m.multiplier
        && old.produced_on == m.produced_on
        && old.verified_on == m.verified_on
        && old.valid_until == m.valid_until
        && old.status == status
        && old.customer_id == customer
}

fn meter_differs(l: &MeterLine) -> LineError {
    LineError::at(
        l.line,
        format!(
            "资产编号 {} 已在册，与本行内容不同（状态、所装户号或铭牌）；表计的变动请在计量装置中办理，不能用导入",
            l.asset_no
        ),
    )
}

/// A file's lines checked against what is on file: every bad line (the file is refused
/// whole when there is one), or the new lines with what their check prepared and how many
/// are already there unchanged (importing the same file again adds nothing).
type Sorted<'a, L, R> = Result<(Vec<(&'a L, R)>, usize), Vec<LineError>>;

fn sort_lines<'a, L, R>(
    lines: &'a [L],
    mut check: impl FnMut(&L) -> ServiceResult<Result<Option<R>, LineError>>,
) -> ServiceResult<Sorted<'a, L, R>> {
    let mut errors = Vec::new();
    let mut new = Vec::new();
    let mut unchanged = 0;
    for l in lines {
        match check(l)? {
            Err(e) => errors.push(e),
            Ok(None) => unchanged += 1,
            Ok(Some(ready)) => new.push((l, ready)),
        }
    }
    Ok(if errors.is_empty() {
        Ok((new, unchanged))
    } else {
        Err(errors)
    })
}

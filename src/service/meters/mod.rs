//! Meter assets (issue 13): receiving into stock (a range of numbers or the supplier's CSV),
//! verification, scrapping and batch extensions; swaps on customers' accounts are in
//! `swap.rs`. Every change is one transaction with its audit entry and a line in the
//! meter's own history.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::meter::{self, AccuracyClass, MeterKind, MeterStatus};
use crate::domain::role::Need;
use crate::domain::validate;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::meters::{self as store, MeterRow, NewMeter, Placement, SwapRow};

mod slip;
mod swap;

pub use crate::domain::meter_intake::{
    CSV_COLUMNS, LineError, RECEIVE_MAX, ReceiveInput, asset_range, parse_supplier_csv,
};
use crate::domain::meter_intake::{Described, describe};
pub use slip::swap_slip_no;
pub use swap::{SwapDone, SwapInput};

impl Service {
    fn verify_years(&self) -> ServiceResult<(u32, u32)> {
        let a = self.int_setting("meter.verify_years_class12")?;
        let b = self.int_setting("meter.verify_years_class05s")?;
        Ok((u32::try_from(a).unwrap_or(8), u32::try_from(b).unwrap_or(6)))
    }

    pub(crate) fn new_meter(&self, asset_no: String, d: &Described) -> ServiceResult<NewMeter> {
        let (y12, ys) = self.verify_years()?;
        let valid_until = d.valid_until.unwrap_or_else(|| {
            meter::default_valid_until(d.verified_on, d.accuracy.valid_years(y12, ys))
        });
        Ok(NewMeter {
            asset_no,
            kind: d.kind,
            accuracy: d.accuracy,
            maker: d.maker.clone(),
            batch: d.batch.clone(),
            digits: d.digits,
            ct_ratio: d.ct.map(|r| r.to_string()).unwrap_or_default(),
            pt_ratio: d.pt.map(|r| r.to_string()).unwrap_or_default(),
            multiplier: d.multiplier,
            produced_on: d.produced_on,
            verified_on: d.verified_on,
            valid_until,
        })
    }

    /// Receive meters with consecutive asset numbers into stock. Returns how many.
    pub fn receive_meters(&mut self, session: &Session, i: &ReceiveInput) -> ServiceResult<usize> {
        let cx = self.begin(session, Need::Write)?;
        let numbers =
            asset_range(&i.first, &i.last).map_err(|(f, m)| ServiceError::invalid(f, m))?;
        let d = describe(i).map_err(|(f, m)| ServiceError::invalid(f, m))?;
        let meters = numbers
            .into_iter()
            .map(|n| self.new_meter(n, &d))
            .collect::<ServiceResult<Vec<_>>>()?;
        self.store_in(&cx, &meters, "入库", "")
    }

    /// Receive the meters of the supplier's CSV file at `path` (as typed by the clerk).
    pub fn import_meters_file(
        &mut self,
        session: &Session,
        path: &str,
    ) -> ServiceResult<Result<usize, Vec<LineError>>> {
        self.begin(session, Need::Write)?;
        let (bytes, name) = super::read_typed_file(path)?;
        self.import_meters_csv(session, &bytes, &name)
    }

    /// Receive the meters of a supplier's CSV file (UTF-8) into stock: all or nothing.
    pub fn import_meters_csv(
        &mut self,
        session: &Session,
        bytes: &[u8],
        file_name: &str,
    ) -> ServiceResult<Result<usize, Vec<LineError>>> {
        let cx = self.begin(session, Need::Write)?;
        let text = match crate::domain::meter_intake::utf8_text(bytes) {
            Ok(t) => t,
            Err(e) => return Ok(Err(e)),
        };
        let file_name = validate::shown(file_name);
        let file_name = file_name.as_str();
        let inputs = match parse_supplier_csv(text) {
            Ok(v) => v,
            Err(e) => return Ok(Err(e)),
        };
        let mut meters = Vec::with_capacity(inputs.len());
        for i in &inputs {
            let d = describe(i).map_err(|(f, m)| ServiceError::invalid(f, m))?;
            let n = meter::asset_no(&i.first).map_err(|m| ServiceError::invalid("first", m))?;
            meters.push(self.new_meter(n, &d)?);
        }
        // numbers already on file are bad lines too
        let mut taken = Vec::new();
        for (k, m) in meters.iter().enumerate() {
            if store::exists(self.store().conn(), &m.asset_no)? {
                taken.push(LineError {
                    line: k + 2,
                    message: format!("资产编号 {} 已在册", m.asset_no),
                });
            }
        }
        if !taken.is_empty() {
            return Ok(Err(taken));
        }
        self.store_in(&cx, &meters, "供应商文件入库", file_name)
            .map(Ok)
    }

    fn store_in(
        &mut self,
        cx: &super::begin::Cx,
        meters: &[NewMeter],
        reason: &str,
        file_name: &str,
    ) -> ServiceResult<usize> {
        let today = cx.today();
        let staff = cx.staff_id();
        self.store_mut().write(|tx| -> ServiceResult<usize> {
            for m in meters {
                if store::exists(tx, &m.asset_no)? {
                    return Err(ServiceError::invalid(
                        "first",
                        format!("资产编号 {} 已在册", m.asset_no),
                    ));
                }
                store::insert(tx, m, today, &cx.at, staff, reason)?;
            }
            let (first, last) = match (meters.first(), meters.last()) {
                (Some(a), Some(b)) => (a.asset_no.clone(), b.asset_no.clone()),
                _ => return Ok(0),
            };
            let mut ch = Changes::new()
                .note("count", meters.len() as i64)
                .note("first", first.clone())
                .note("last", last);
            if !file_name.is_empty() {
                ch = ch.note("file", file_name);
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "meter.receive",
                    entity: "meter",
                    entity_id: &first,
                    changes: ch,
                },
            )?;
            Ok(meters.len())
        })
    }

    /// A meter by its asset number as typed or scanned.
    pub fn meter_by_asset_no(&self, typed: &str) -> ServiceResult<Option<MeterRow>> {
        let Ok(n) = meter::asset_no(typed) else {
            return Ok(None);
        };
        Ok(store::by_asset_no(self.store().conn(), &n)?)
    }

    pub fn meter(&self, id: i64) -> ServiceResult<MeterRow> {
        store::by_id(self.store().conn(), id)?
            .ok_or_else(|| ServiceError::NotFound("该表计".into()))
    }

    /// Assets counted by status, kind and class.
    pub fn meter_summary(
        &self,
    ) -> ServiceResult<Vec<(MeterStatus, MeterKind, AccuracyClass, i64)>> {
        Ok(store::summary(self.store().conn())?)
    }

    /// A page of assets with `status`, by asset number from `from` on.
    pub fn meters_with_status(
        &self,
        status: MeterStatus,
        from: &str,
        limit: usize,
    ) -> ServiceResult<Vec<MeterRow>> {
        Ok(store::list(self.store().conn(), status, from, limit)?)
    }

    /// The meters on a customer's account and the swaps there, newest first.
    pub fn customer_meters(
        &self,
        customer_id: i64,
    ) -> ServiceResult<(Vec<MeterRow>, Vec<SwapRow>)> {
        let conn = self.store().conn();
        Ok((
            store::of_customer(conn, customer_id)?,
            store::swaps_of_customer(conn, customer_id)?,
        ))
    }

    /// The last reading recorded for a meter and its day (today: the reading it was
    /// installed at; the readings issue adds the monthly ones).
    pub fn last_meter_reading(&self, id: i64) -> ServiceResult<Option<(NaiveDate, Decimal)>> {
        Ok(store::last_reading(self.store().conn(), id)?.map(|(d, c)| (d, meter::from_centi(c))))
    }

    /// The 校表 and 故障换表 orders about a meter: (tracking number, kind, state) in words.
    pub fn meter_orders(&self, id: i64) -> ServiceResult<Vec<(String, String, String)>> {
        use crate::domain::work_order::{OrderState, RequestKind};
        Ok(store::orders_of(self.store().conn(), id)?
            .into_iter()
            .map(|(no, kind, state)| {
                let kind =
                    RequestKind::from_code(&kind).map_or(kind.clone(), |k| k.label().to_string());
                let state =
                    OrderState::from_code(&state).map_or(state.clone(), |s| s.label().to_string());
                (no, kind, state)
            })
            .collect())
    }

    pub fn meter_history(&self, id: i64) -> ServiceResult<Vec<store::EventRow>> {
        Ok(store::events(self.store().conn(), id)?)
    }

    /// Send a meter for verification, take it back (passed → 库存, failed → 报废) or scrap
    /// it. Installing and removing go through [`Service::swap_meter`].
    pub fn change_meter_status(
        &mut self,
        session: &Session,
        id: i64,
        to: MeterStatus,
        reason: &str,
    ) -> ServiceResult<()> {
        let cx = self.begin(session, Need::Write)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ServiceError::invalid("reason", "请写明原因"));
        }
        if reason.chars().count() > 100 {
            return Err(ServiceError::invalid("reason", "原因最多 100 个字"));
        }
        if matches!(to, MeterStatus::InService | MeterStatus::Removed) {
            return Err(ServiceError::invalid("status", "装表和拆表请用换表"));
        }
        let m = self.meter(id)?;
        m.status
            .check_go(to)
            .map_err(|e| ServiceError::invalid("status", e))?;
        self.store_mut().write(|tx| -> ServiceResult<()> {
            if !store::set_status(
                tx,
                id,
                m.status,
                to,
                &Placement::default(),
                &cx.at,
                cx.staff_id(),
                reason,
            )? {
                return Err(ServiceError::Refused(
                    "表计状态已被他人改变，请刷新后重试".into(),
                ));
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "meter.status",
                    entity: "meter",
                    entity_id: &m.asset_no,
                    changes: Changes::new()
                        .field("status", m.status.label(), to.label())
                        .note("reason", reason),
                },
            )?;
            Ok(())
        })
    }

    /// Extend the verification period of every meter of a maker's batch, or of a production
    /// year, by `years` (the regulator's document number): one audited action naming the
    /// meters it changed. Returns how many.
    pub fn extend_meter_batch(
        &mut self,
        session: &Session,
        maker_batch: Option<(&str, &str)>,
        produced_year: Option<i32>,
        years: &str,
        doc_no: &str,
    ) -> ServiceResult<usize> {
        let cx = self.begin_to(session, Need::Chief, "延长检定有效期")?;
        let years = validate::whole_number(years, 1, 10)
            .map_err(|m| ServiceError::invalid("years", m))? as u32;
        let doc = doc_no.trim();
        if doc.is_empty() || doc.chars().count() > 60 {
            return Err(ServiceError::invalid(
                "doc_no",
                "请输入批准文件号（最多 60 个字）",
            ));
        }
        if maker_batch.is_none() && produced_year.is_none() {
            return Err(ServiceError::invalid(
                "batch",
                "请指定厂家和批次，或生产年份",
            ));
        }
        let meters = store::of_batch(self.store().conn(), maker_batch, produced_year)?;
        if meters.is_empty() {
            return Err(ServiceError::invalid(
                "batch",
                "没有符合条件的表计（已报废的不计）",
            ));
        }
        self.store_mut().write(|tx| -> ServiceResult<usize> {
            let mut list = Vec::with_capacity(meters.len());
            for m in &meters {
                let to = meter::extend(m.valid_until, years);
                store::set_valid_until(tx, m.id, to)?;
                list.push(format!("{} {}→{}", m.asset_no, m.valid_until, to));
            }
            let ext = store::NewExtension {
                at: &cx.at,
                staff_id: cx.staff_id(),
                doc_no: doc,
                years,
                maker_batch,
                produced_year,
                meters: meters.len(),
            };
            let id = store::insert_extension(tx, &ext)?;
            let scope = match (maker_batch, produced_year) {
                (Some((m, b)), _) => format!("{m} 批次 {b}"),
                (None, Some(y)) => format!("{y} 年生产"),
                (None, None) => String::new(),
            };
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "meter.extend",
                    entity: "meter_extension",
                    entity_id: &id.to_string(),
                    changes: Changes::new()
                        .note("doc_no", doc)
                        .note("scope", scope)
                        .note("years", i64::from(years))
                        .note("count", meters.len() as i64)
                        .note("meters", list.join("；")),
                },
            )?;
            Ok(meters.len())
        })
    }
}

//! On-site checks (现场检验, issue 13): the installations of metering classes Ⅰ–Ⅲ are checked
//! every period of the settings (DL/T 448); the due list shows what is due and overdue by the
//! end of a month, by 台区 and area manager; recording a check moves the next due date, and a
//! meter found out of tolerance or faulty gets a 故障换表 order (3 working days, on the
//! deadline board).
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::meter::{self, CheckResult, MeterStatus, MeteringClass};
use crate::domain::role::Need;
use crate::domain::validate;
use crate::domain::work_order::RequestKind;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::meters::{self as store, CheckRow, NewCheck};

/// Installations from this capacity (kVA) have periodic on-site checks (class Ⅲ and up).
const CHECKED_FROM_KVA: i64 = 315;

/// A meter on the due list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckDue {
    pub row: CheckRow,
    pub class: MeteringClass,
    pub due: NaiveDate,
    /// days past the due date on the day asked (0 or less: not yet)
    pub overdue_days: i64,
}

/// What is typed to record a check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckInput {
    pub checked_on: String,
    pub result: Option<CheckResult>,
    pub note: String,
    /// user name of who checked (empty: the signed-in person)
    pub staff: String,
}

/// A check recorded, with the 故障换表 order it opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckDone {
    pub check_id: i64,
    pub order_tracking_no: Option<String>,
}

impl Service {
    fn check_months(&self, class: MeteringClass) -> ServiceResult<Option<u32>> {
        let key = match class {
            MeteringClass::I => "meter.check_class1_months",
            MeteringClass::II => "meter.check_class2_months",
            MeteringClass::III => "meter.check_class3_months",
            MeteringClass::IV | MeteringClass::V => return Ok(None),
        };
        Ok(u32::try_from(self.int_setting(key)?).ok())
    }

    /// The installations whose on-site check is due on or before `through` (overdue ones
    /// first, then by 台区), as of `today`.
    pub fn checks_due(&self, today: NaiveDate, through: NaiveDate) -> ServiceResult<Vec<CheckDue>> {
        let periods = [
            (MeteringClass::I, self.check_months(MeteringClass::I)?),
            (MeteringClass::II, self.check_months(MeteringClass::II)?),
            (MeteringClass::III, self.check_months(MeteringClass::III)?),
        ];
        let mut out = Vec::new();
        for row in store::check_rows(self.store().conn(), CHECKED_FROM_KVA)? {
            let kva: Decimal = row.contracted_kva.trim().parse().unwrap_or_default();
            let class = MeteringClass::of(kva, row.kind);
            let Some(months) = periods
                .iter()
                .find(|(c, _)| *c == class)
                .and_then(|(_, m)| *m)
            else {
                continue;
            };
            // a new or changed installation is checked within its first period too
            let Some(from) = row.last_check.or(row.installed_on) else {
                continue;
            };
            let due = meter::next_check(from, months);
            if due > through {
                continue;
            }
            out.push(CheckDue {
                overdue_days: (today - due).num_days(),
                class,
                due,
                row,
            });
        }
        out.sort_by(|a, b| {
            (a.due, &a.row.area_name, &a.row.asset_no).cmp(&(
                b.due,
                &b.row.area_name,
                &b.row.asset_no,
            ))
        });
        Ok(out)
    }

    /// Record an on-site check of meter `meter_id`. Out of tolerance or faulty: a 故障换表
    /// order is accepted for the account first and linked to the check.
    pub fn record_meter_check(
        &mut self,
        session: &Session,
        meter_id: i64,
        i: &CheckInput,
    ) -> ServiceResult<CheckDone> {
        let cx = self.begin(session, Need::Write)?;
        let m = self.meter(meter_id)?;
        if m.status != MeterStatus::InService {
            return Err(ServiceError::invalid(
                "result",
                format!("表计 {} 不在运行中", m.asset_no),
            ));
        }
        let checked_on =
            validate::date(&i.checked_on).map_err(|e| ServiceError::invalid("checked_on", e))?;
        if checked_on > cx.today() {
            return Err(ServiceError::invalid("checked_on", "检验日期不能晚于今天"));
        }
        let result = i
            .result
            .ok_or_else(|| ServiceError::invalid("result", "请选择检验结论"))?;
        let note = i.note.trim();
        if note.chars().count() > 100 || note.chars().any(char::is_control) {
            return Err(ServiceError::invalid("note", "说明最多 100 个字"));
        }
        if result != CheckResult::Ok && note.is_empty() {
            return Err(ServiceError::invalid("note", "请写明超差或故障的情况"));
        }
        let staff_id = if i.staff.trim().is_empty() {
            cx.staff_id()
        } else {
            crate::store::staff::by_username(self.store().conn(), i.staff.trim())?
                .filter(|s| s.active)
                .map(|s| s.id)
                .ok_or_else(|| {
                    ServiceError::invalid(
                        "staff",
                        format!("没有在用的账号 {}", validate::shown(i.staff.trim())),
                    )
                })?
        };
        // a faulty meter: its 故障换表 order first (its own audited transaction)
        let order = match (result, m.customer_id) {
            (CheckResult::Ok, _) | (_, None) => None,
            (_, Some(customer)) => {
                let mut req = crate::service::orders::AcceptRequest::new(RequestKind::FaultyMeter);
                req.customer_id = Some(customer);
                req.description =
                    format!("现场检验{}：表计 {}，{}", result.label(), m.asset_no, note);
                let done = self.accept_request(session, &req)?;
                Some((done.id, done.tracking_no))
            }
        };
        let at = cx.at.clone();
        let id = self.store_mut().write(|tx| -> ServiceResult<i64> {
            let id = store::insert_check(
                tx,
                &NewCheck {
                    meter_id,
                    checked_on,
                    result,
                    note,
                    staff_id,
                    recorded_by: cx.staff_id(),
                    at: &at,
                    order_id: order.as_ref().map(|(id, _)| *id),
                },
            )?;
            let mut ch = Changes::new()
                .note("checked_on", checked_on.to_string())
                .note("result", result.label());
            if !note.is_empty() {
                ch = ch.note("reason", note);
            }
            if let Some((_, no)) = &order {
                ch = ch.note("order", no.clone());
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "meter.check",
                    entity: "meter",
                    entity_id: &m.asset_no,
                    changes: ch,
                },
            )?;
            Ok(id)
        })?;
        Ok(CheckDone {
            check_id: id,
            order_tracking_no: order.map(|(_, no)| no),
        })
    }
}

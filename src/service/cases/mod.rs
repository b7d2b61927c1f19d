//! Complaints, repair calls and the duty log (投诉 / 报修 / 值班记录, issue 14): logging a
//! case, the limits and the area type of each 台区. Dispatch, steps and the return visit are
//! in `handling.rs`, the board and the clocks in `board.rs`, the duty log, the monthly
//! report and outage customer-hours in `report.rs`. `DOMAIN.md` §6.
use chrono::NaiveDateTime;

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::case::{self, AreaType, CaseKind, CaseLimits, Channel};
use crate::domain::case_flow as flow;
use crate::domain::role::Need;
use crate::domain::{idcheck, validate};
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::cases::{self as store, NewCase};

pub mod board;
mod handling;
pub mod report;

pub use handling::{StepInput, VisitInput};

/// What is typed to log a case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseInput {
    pub kind: Option<CaseKind>,
    pub channel: Option<Channel>,
    pub upstream_no: String,
    /// to the minute; empty: now
    pub received: String,
    /// a customer picked with the search box
    pub customer_id: Option<i64>,
    /// the caller's name when not a customer on file (or someone else calling)
    pub caller_name: String,
    pub caller_phone: String,
    /// empty: the customer's address
    pub place: String,
    /// 台区 code or name; empty: the customer's
    pub area: String,
    pub content: String,
    pub urgent: bool,
    /// a repair call where supply is cut
    pub supply_cut: bool,
    /// a complaint caused by a late work order: its tracking number
    pub order_no: String,
}

/// A case saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseSaved {
    pub id: i64,
    pub case_no: String,
    pub visit_needed: bool,
}

/// Free text of a case: at most `max` characters, no control characters (line breaks are
/// spaces).
fn text(field: &'static str, what: &str, value: &str, max: usize) -> ServiceResult<String> {
    let t: String = value
        .trim()
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    if t.chars()
        .any(|c| c.is_control() || validate::is_format_char(c))
    {
        return Err(ServiceError::invalid(
            field,
            format!("{what}中有不可见的控制字符"),
        ));
    }
    if t.chars().count() > max {
        return Err(ServiceError::invalid(
            field,
            format!("{what}最多 {max} 个字"),
        ));
    }
    Ok(t)
}

impl Service {
    /// The limits of cases as the chief set them (`DOMAIN.md` §6 gives the defaults).
    pub fn case_limits(&self) -> ServiceResult<CaseLimits> {
        let days = |key: &str| -> ServiceResult<u32> {
            Ok(u32::try_from(self.int_setting(key)?).unwrap_or(0))
        };
        Ok(CaseLimits {
            arrive_urban_minutes: self.int_setting("repair.arrive_urban_minutes")?,
            arrive_rural_minutes: self.int_setting("repair.arrive_rural_minutes")?,
            arrive_remote_minutes: self.int_setting("repair.arrive_remote_minutes")?,
            restore_urban_hours: self.int_setting("repair.restore_urban_hours")?,
            restore_rural_hours: self.int_setting("repair.restore_rural_hours")?,
            complaint_contact_hours: self.int_setting("complaint.contact_hours")?,
            complaint_reply_days: days("complaint.reply_days")?,
            report_reply_days: days("report.reply_days")?,
            close_12398_days: days("hotline12398.close_days")?,
            close_12345_days: days("hotline12345.close_days")?,
        })
    }

    /// The area type of a 台区 (rural when not set).
    pub fn area_type(&self, area_id: Option<i64>) -> ServiceResult<AreaType> {
        let types = store::area_types(self.store().conn())?;
        Ok(area_id
            .and_then(|a| types.get(&a).copied())
            .unwrap_or(AreaType::Rural))
    }

    /// The area type of every 台区 (those not set count as rural).
    pub fn area_types(&self) -> ServiceResult<std::collections::HashMap<i64, AreaType>> {
        Ok(store::area_types(self.store().conn())?)
    }

    /// Set the area type of a 台区 (the chief): it sets the repair crew's arrival limit.
    /// Setting the type it already has (rural when not set) writes nothing.
    pub fn set_area_type(
        &mut self,
        session: &Session,
        area_id: i64,
        t: AreaType,
    ) -> ServiceResult<()> {
        let cx = self.begin_to(session, Need::Chief, "设置台区的区域类型")?;
        let old = self.area_type(Some(area_id))?;
        if old == t {
            return Ok(());
        }
        let code = self
            .areas()?
            .into_iter()
            .find(|a| a.id == area_id)
            .map(|a| a.code)
            .ok_or_else(|| ServiceError::NotFound("该台区".into()))?;
        self.store_mut().write(|tx| -> ServiceResult<()> {
            store::set_area_type(tx, area_id, t)?;
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "area.set_type",
                    entity: "transformer_area",
                    entity_id: &code,
                    changes: Changes::new().field("area_type", old.label(), t.label()),
                },
            )?;
            Ok(())
        })
    }

    fn moment_or_now(
        &self,
        field: &'static str,
        typed: &str,
        now: NaiveDateTime,
    ) -> ServiceResult<NaiveDateTime> {
        if typed.trim().is_empty() {
            // to the minute, like everything typed
            return Ok(now - chrono::Duration::seconds(i64::from(chrono::Timelike::second(&now))));
        }
        let at =
            validate::moment(typed, now.date()).map_err(|e| ServiceError::invalid(field, e))?;
        if at > now + chrono::Duration::minutes(1) {
            return Err(ServiceError::invalid(field, "时间不能晚于现在"));
        }
        Ok(at)
    }

    /// Log a case (the duty log is the list of them). The case number is allocated in the
    /// same transaction as the row and its audit entry.
    pub fn log_case(&mut self, session: &Session, i: &CaseInput) -> ServiceResult<CaseSaved> {
        let cx = self.begin(session, Need::Write)?;
        let kind = i
            .kind
            .ok_or_else(|| ServiceError::invalid("kind", "请选择类别"))?;
        let channel = i
            .channel
            .ok_or_else(|| ServiceError::invalid("channel", "请选择来源"))?;
        let received = self.moment_or_now("received", &i.received, cx.now)?;
        let upstream = validate::fold_digits(&i.upstream_no).trim().to_string();
        case::check_intake(channel, &upstream, received, cx.now)
            .map_err(|(f, m)| ServiceError::invalid(f, m))?;
        let upstream = if channel.is_transfer() {
            upstream
        } else {
            String::new()
        };
        let conn = self.store().conn();
        let customer = match i.customer_id {
            Some(id) => Some(
                crate::store::customers::by_id(conn, id)?
                    .ok_or_else(|| ServiceError::invalid("caller", "没有这个客户"))?,
            ),
            None => None,
        };
        let caller_name = text("caller", "来电人", &i.caller_name, 40)?;
        // printed on the duty log: the same rules as every name
        if !caller_name.is_empty() {
            validate::name(&caller_name, "来电人", 40)
                .map_err(|e| ServiceError::invalid("caller", e))?;
        }
        if customer.is_none() && caller_name.is_empty() {
            return Err(ServiceError::invalid(
                "caller",
                "请选择客户（户号、户名、电话查找），或填写来电人姓名",
            ));
        }
        // the caller's name is kept on the case: the customer's own when left empty
        let caller_name = match (&customer, caller_name.is_empty()) {
            (Some(c), true) => c.name.clone(),
            _ => caller_name,
        };
        let phone = validate::fold_digits(&i.caller_phone).trim().to_string();
        if !phone.is_empty() {
            idcheck::check_phone(&phone).map_err(|e| ServiceError::invalid("caller_phone", e))?;
        }
        let phone = if phone.is_empty() {
            customer
                .as_ref()
                .map(|c| c.phone.clone())
                .unwrap_or_default()
        } else {
            phone
        };
        let mut place = text("place", "地点", &i.place, 100)?;
        if place.is_empty()
            && let Some(c) = &customer
        {
            place.clone_from(&c.address);
        }
        let area_id = match i.area.trim() {
            "" => customer.as_ref().and_then(|c| c.area_id),
            typed => Some(self.area_typed(typed)?),
        };
        let content = text("content", "内容", &i.content, 500)?;
        if content.is_empty() {
            return Err(ServiceError::invalid("content", "请写明来电内容"));
        }
        let order = match i.order_no.trim() {
            "" => None,
            _ if kind != CaseKind::Complaint => {
                return Err(ServiceError::invalid(
                    "order_no",
                    "只有投诉可以关联延误的工单",
                ));
            }
            no => {
                let id =
                    crate::store::orders::order_id_by_tracking_no(conn, no)?.ok_or_else(|| {
                        ServiceError::invalid(
                            "order_no",
                            format!("没有工单 {}", validate::shown(no)),
                        )
                    })?;
                if !self.order_was_late(id)? {
                    return Err(ServiceError::invalid(
                        "order_no",
                        format!("工单 {no} 没有超期，不能作为延误引发的投诉关联"),
                    ));
                }
                Some((id, no.to_string()))
            }
        };
        let supply_cut = i.supply_cut && kind == CaseKind::Repair;
        let station = self
            .station()?
            .map(|s| s.code)
            .unwrap_or_else(|| "GD".into());
        let percent = self.int_setting("visit.sample_percent")?;
        self.store_mut().write(|tx| -> ServiceResult<CaseSaved> {
            let case_no = store::next_case_no(tx, &station, received.date())?;
            let id = store::insert(
                tx,
                &NewCase {
                    case_no: &case_no,
                    kind,
                    channel,
                    upstream_no: &upstream,
                    received_at: received,
                    customer_id: customer.as_ref().map(|c| c.id),
                    caller_name: &caller_name,
                    caller_phone: &phone,
                    place: &place,
                    area_id,
                    content: &content,
                    urgent: i.urgent,
                    supply_cut,
                    order_id: order.as_ref().map(|o| o.0),
                    created_by: cx.staff_id(),
                    created_at: cx.now,
                },
            )?;
            let visit = flow::visit_needed(kind, id, percent);
            if !visit {
                store::set_visit_needed(tx, id, false)?;
            }
            let mut ch = Changes::new()
                .created("kind", kind.label())
                .created("channel", channel.label())
                .created("received_at", crate::domain::clock::to_db(received));
            if !upstream.is_empty() {
                ch = ch.created("upstream_no", upstream.clone());
            }
            if let Some(c) = &customer {
                ch = ch.created("account_no", c.account_no.clone());
            }
            ch = ch.created("caller", caller_name.clone());
            if !phone.is_empty() {
                ch = ch.created("phone", idcheck::mask_phone(&phone));
            }
            if let Some((_, no)) = &order {
                ch = ch.created("order", no.clone());
            }
            if !visit {
                ch = ch.note("visit", "未抽中回访");
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "case.create",
                    entity: "service_case",
                    entity_id: &case_no,
                    changes: ch,
                },
            )?;
            Ok(CaseSaved {
                id,
                case_no,
                visit_needed: visit,
            })
        })
    }

    /// The 台区 typed by code or name.
    fn area_typed(&self, typed: &str) -> ServiceResult<i64> {
        let areas = self.areas()?;
        areas
            .iter()
            .find(|a| a.code.eq_ignore_ascii_case(typed))
            .or_else(|| areas.iter().find(|a| a.name == typed))
            .map(|a| a.id)
            .ok_or_else(|| {
                ServiceError::invalid("area", format!("没有台区 {}", validate::shown(typed)))
            })
    }

    /// Whether an order is late now, or was late at a stage or as a whole (the deadline
    /// module's own facts, the ones assessment uses).
    pub fn order_was_late(&self, order_id: i64) -> ServiceResult<bool> {
        let d = self.order_deadline(order_id)?;
        if matches!(d.urgency, crate::domain::deadline::Urgency::Overdue { .. }) {
            return Ok(true);
        }
        Ok(self
            .late_stages()?
            .iter()
            .any(|f| f.order_id == order_id && f.overdue_days > 0))
    }
}

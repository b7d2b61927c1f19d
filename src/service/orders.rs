//! Work orders (工单): any request accepted at the counter becomes an order with a
//! tracking number, its stage chain, the documents still missing, fees and contacts.
//! Every change is one `Store::write` with its audit entry; auditors only read.
mod exceptions;
mod read;
mod work;

pub use read::{
    ContactView, DocumentView, EventView, FeeView, OrderCounts, OrderDetail, OrderFilter,
    OrderSummary, StageView,
};

use crate::domain::role::Need;
use crate::service::Cx;
use rust_decimal::Decimal;

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::customer_file::clean_text;
use crate::domain::file_change::{ChangeInput, FileChange};
use crate::domain::idcheck::{self, mask_id, mask_phone};
use crate::domain::money;
use crate::domain::role::Role;
use crate::domain::validate;
use crate::domain::work_order::{
    self as wo, ClassUse, ConnectionClass, ContactChannel, Document, OrderFacts, OrderState,
    RequestKind, Stage, StageStatus,
};
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::orders::{self as store, OrderRow};
use crate::store::{customers, staff};

/// A new applicant (no customer file yet): 新装, 临时用电, or the caller of a 咨询.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applicant {
    pub name: String,
    /// resident ID number or unified social credit code (一证受理)
    pub id_number: String,
    pub phone: String,
    /// address of the supply point
    pub address: String,
}

/// What the clerk fills in to accept a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptRequest {
    pub kind: RequestKind,
    /// required for 新装; optional for 增容 and 临时用电 (empty = low voltage)
    pub class: Option<ConnectionClass>,
    /// adds the optional 外线工程 stage where the kind allows it
    pub external_works: bool,
    /// an existing customer …
    pub customer_id: Option<i64>,
    /// … or a new applicant (新装, 临时用电, 咨询)
    pub applicant: Option<Applicant>,
    /// 台区 code for a new applicant (an existing customer's own 台区 is used otherwise)
    pub area_code: String,
    /// what the customer asks for
    pub description: String,
    /// documents shown at the counter
    pub received: Vec<Document>,
    /// 咨询/查询: the one-line answer given (the order is closed at once)
    pub answer: String,
}

impl AcceptRequest {
    /// A request of `kind` with every other field empty.
    pub fn new(kind: RequestKind) -> Self {
        AcceptRequest {
            kind,
            class: None,
            external_works: false,
            customer_id: None,
            applicant: None,
            area_code: String::new(),
            description: String::new(),
            received: Vec::new(),
            answer: String::new(),
        }
    }
}

/// The result of accepting a request (for the acceptance slip).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub id: i64,
    pub tracking_no: String,
    pub stages: Vec<Stage>,
    pub missing: Vec<Document>,
    pub state: OrderState,
}

/// One stage on the order page.
fn masked(s: &str, f: fn(&str) -> String) -> String {
    if s.is_empty() { String::new() } else { f(s) }
}

/// One line of text typed in a form: escapes removed, trimmed, at most `max` characters.
pub(crate) fn line(
    input: &str,
    field: &'static str,
    what: &str,
    max: usize,
) -> ServiceResult<String> {
    let v = clean_text(input).trim().to_string();
    if v.chars().count() > max {
        return Err(ServiceError::invalid(
            field,
            format!("{what}过长（最多 {max} 个字）"),
        ));
    }
    Ok(v)
}

pub(crate) fn required_line(
    input: &str,
    field: &'static str,
    what: &str,
    max: usize,
) -> ServiceResult<String> {
    let v = line(input, field, what, max)?;
    if v.is_empty() {
        return Err(ServiceError::invalid(field, format!("请填写{what}")));
    }
    Ok(v)
}

/// Check an applicant: name, ID number (resident ID or credit code, check digit),
/// phone (optional), address (required for a supply point).
fn check_applicant(a: &Applicant, kind: RequestKind) -> ServiceResult<Applicant> {
    let name = validate::name(&clean_text(&a.name), "申请人姓名", 40)
        .map_err(|m| ServiceError::invalid("applicant_name", m))?;
    let id_number = idcheck::normalize_code(&clean_text(&a.id_number));
    if id_number.is_empty() {
        if kind != RequestKind::Inquiry {
            return Err(ServiceError::invalid(
                "applicant_id_number",
                "一证受理：请填写申请人身份证号码或统一社会信用代码",
            ));
        }
    } else if idcheck::check_id_card(&id_number).is_err() {
        idcheck::check_uscc(&id_number).map_err(|_| {
            ServiceError::invalid(
                "applicant_id_number",
                "证件号码不对：应为 18 位身份证号码或统一社会信用代码（校验位不符）",
            )
        })?;
    }
    let phone: String = clean_text(&a.phone)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !phone.is_empty() {
        idcheck::check_phone(&phone).map_err(|m| ServiceError::invalid("applicant_phone", m))?;
    }
    let address = if kind == RequestKind::Inquiry {
        line(&a.address, "applicant_address", "地址", 100)?
    } else {
        required_line(&a.address, "applicant_address", "用电地址", 100)?
    };
    Ok(Applicant {
        name,
        id_number,
        phone,
        address,
    })
}

/// The order, its facts for the rules, and the row (inside a transaction).
pub(crate) struct Loaded {
    pub(crate) row: OrderRow,
    stages: Vec<StageStatus>,
    missing_documents: usize,
    uncollected_fees: usize,
}

impl Loaded {
    pub(crate) fn facts(&self) -> OrderFacts<'_> {
        OrderFacts {
            state: self.row.state,
            stages: &self.stages,
            missing_documents: self.missing_documents,
            uncollected_fees: self.uncollected_fees,
            fast_channel: self.row.fast_channel,
        }
    }
}

pub(crate) fn load(conn: &rusqlite::Connection, order_id: i64) -> ServiceResult<Loaded> {
    let row = store::order_by_id(conn, order_id)?
        .ok_or_else(|| ServiceError::NotFound("该工单".into()))?;
    let stages = store::stages(conn, order_id)?
        .into_iter()
        .map(|s| StageStatus {
            stage: s.stage,
            done: s.done,
        })
        .collect();
    let missing_documents = store::documents(conn, order_id)?
        .iter()
        .filter(|d| !d.received)
        .count();
    let uncollected_fees = store::fees(conn, order_id)?
        .iter()
        .filter(|f| !f.collected)
        .count();
    Ok(Loaded {
        row,
        stages,
        missing_documents,
        uncollected_fees,
    })
}

fn refused(m: impl std::fmt::Display) -> ServiceError {
    ServiceError::Refused(m.to_string())
}

impl Service {
    /// Accept a request at the counter (一口对外): the order gets the next tracking number
    /// of the day (allocated in the same `BEGIN IMMEDIATE` transaction), the clerk is
    /// recorded as first responsible (首问负责), 受理 is done, and the documents not shown
    /// are listed as missing (一证受理). A 咨询/查询 is logged with its answer and closed.
    pub fn accept_request(
        &mut self,
        session: &Session,
        req: &AcceptRequest,
    ) -> ServiceResult<Accepted> {
        self.accept(session, req, None)
    }

    /// Accept a request that changes the customer's file when it finishes (更名, 过户, 改类,
    /// 增容, 减容): the new values are checked now and kept on the order.
    pub fn accept_request_with_change(
        &mut self,
        session: &Session,
        req: &AcceptRequest,
        change: &ChangeInput,
    ) -> ServiceResult<Accepted> {
        self.accept(session, req, Some(change))
    }

    fn accept(
        &mut self,
        session: &Session,
        req: &AcceptRequest,
        change: Option<&ChangeInput>,
    ) -> ServiceResult<Accepted> {
        let cx = self.begin(session, Need::Write)?;
        let checked = self.check_acceptance(req, change)?;
        self.store.write(|tx| insert_accepted(tx, &cx, &checked))
    }

    /// Everything [`insert_accepted`] needs, checked before the transaction: a use case that
    /// opens an order together with its own records (a 复电 after a disconnection) checks
    /// here and writes both in one transaction.
    pub(crate) fn check_acceptance(
        &self,
        req: &AcceptRequest,
        change: Option<&ChangeInput>,
    ) -> ServiceResult<CheckedAcceptance> {
        let station = self.require_station()?;
        let kind = req.kind;

        let class = match (kind.class_use(), req.class) {
            (ClassUse::Required, None) => {
                return Err(ServiceError::invalid(
                    "class",
                    "请选择新装类别：低压居民、低压非居民、高压单电源或高压双电源",
                ));
            }
            (ClassUse::None, Some(_)) => {
                return Err(ServiceError::invalid(
                    "class",
                    format!("{}业务不分新装类别", kind.label()),
                ));
            }
            (_, c) => c,
        };
        if req.external_works && !kind.allows_external_works(class) {
            return Err(ServiceError::invalid(
                "external_works",
                format!("{}业务没有外线工程环节", kind.label()),
            ));
        }
        let applicant = match (req.customer_id, &req.applicant) {
            (Some(_), Some(_)) => {
                return Err(ServiceError::invalid(
                    "customer",
                    "请在“已有客户”和“新申请人”中选一项",
                ));
            }
            (None, Some(a)) => {
                if !kind.allows_applicant() {
                    return Err(ServiceError::invalid(
                        "customer",
                        format!("{}业务须选择已有客户", kind.label()),
                    ));
                }
                Some(check_applicant(a, kind)?)
            }
            (None, None) if kind != RequestKind::Inquiry => {
                return Err(ServiceError::invalid(
                    "customer",
                    if kind.allows_applicant() {
                        "请选择已有客户，或填写新申请人"
                    } else {
                        "请选择客户"
                    },
                ));
            }
            _ => None,
        };
        let description = line(&req.description, "description", "申请内容", 200)?;
        let answer = if kind == RequestKind::Inquiry {
            required_line(&req.answer, "answer", "答复内容", 200)?
        } else {
            String::new()
        };
        let area_code = clean_text(&req.area_code).trim().to_ascii_uppercase();
        if !area_code.is_empty() && applicant.is_none() {
            return Err(ServiceError::invalid(
                "area",
                "已有客户按其档案中的台区办理，不必另填",
            ));
        }
        let chain = wo::stage_chain(kind, class, req.external_works);
        let required = wo::required_documents(kind, class);
        let missing = wo::missing_at_acceptance(&required, &req.received)
            .map_err(|m| ServiceError::invalid("documents", m))?;
        // the new values of a change request, checked after everything else about the request
        let change_json = match change {
            Some(c) => {
                let current_kva = match req.customer_id {
                    Some(id) => crate::store::customers::by_id(self.store().conn(), id)?
                        .map(|r| r.contracted_kva)
                        .unwrap_or_default(),
                    None => String::new(),
                };
                c.check(kind, &current_kva)
                    .map_err(|e| ServiceError::invalid(e.field, e.message))?
                    .to_json()
            }
            None => String::new(),
        };
        let auto_dispatch = matches!(
            self.setting("order.auto_dispatch")?.typed(),
            Ok(crate::domain::settings::SettingValue::Bool(true))
        );
        Ok(CheckedAcceptance {
            req: req.clone(),
            station_code: station.code,
            class,
            applicant,
            description,
            answer,
            area_code,
            chain,
            required,
            missing,
            change_json,
            auto_dispatch,
        })
    }
}

/// An acceptance checked by [`Service::check_acceptance`], ready to write.
pub(crate) struct CheckedAcceptance {
    req: AcceptRequest,
    station_code: String,
    class: Option<ConnectionClass>,
    applicant: Option<Applicant>,
    description: String,
    answer: String,
    area_code: String,
    chain: Vec<Stage>,
    required: Vec<Document>,
    missing: Vec<Document>,
    change_json: String,
    auto_dispatch: bool,
}

/// Write an accepted order inside the caller's transaction: the tracking number, stages,
/// documents, events and the `order.accept` audit entry (and the automatic dispatch).
pub(crate) fn insert_accepted(
    tx: &rusqlite::Connection,
    cx: &Cx,
    c: &CheckedAcceptance,
) -> ServiceResult<Accepted> {
    let CheckedAcceptance {
        req,
        station_code,
        class,
        applicant,
        description,
        answer,
        area_code,
        chain,
        required,
        missing,
        change_json,
        auto_dispatch,
    } = c;
    let (class, auto_dispatch) = (*class, *auto_dispatch);
    let kind = req.kind;
    let (now, at, actor) = (cx.now, &cx.at, &cx.actor);
    let today = now.date();
    let track_date = today.format("%Y-%m-%d").to_string();
    let me = cx.session.staff_id;
    let mut area_id = None;
    if let Some(cid) = req.customer_id {
        let c = customers::by_id(tx, cid)?
            .ok_or_else(|| ServiceError::invalid("customer", "找不到该客户"))?;
        if c.status == "closed" {
            return Err(ServiceError::invalid(
                "customer",
                format!("客户 {} 已销户，不能再办理{}", c.account_no, kind.label()),
            ));
        }
        area_id = c.area_id;
    } else if !area_code.is_empty() {
        area_id = Some(
            customers::area_by_code(tx, area_code)?
                .ok_or_else(|| {
                    ServiceError::invalid("area", format!("没有编码为 {area_code} 的台区"))
                })?
                .0,
        );
    }
    let seq = store::next_seq(tx, &track_date)?;
    let tracking_no = wo::tracking_number(station_code, today, seq).map_err(refused)?;
    let empty = Applicant::default();
    let a = applicant.as_ref().unwrap_or(&empty);
    let id = store::insert_order(
        tx,
        &store::NewOrder {
            tracking_no: &tracking_no,
            track_date: &track_date,
            track_seq: seq,
            kind,
            class,
            external_works: req.external_works && kind.allows_external_works(class),
            customer_id: req.customer_id,
            applicant_name: &a.name,
            applicant_id_number: &a.id_number,
            applicant_phone: &a.phone,
            applicant_address: &a.address,
            area_id,
            description,
            answer,
            responsible_id: me,
            created_at: at,
        },
    )?;
    if !change_json.is_empty() {
        store::set_change(tx, id, change_json)?;
    }
    for (pos, stage) in chain.iter().enumerate() {
        let done = (*stage == Stage::Accept).then_some((at.as_str(), me, answer.as_str()));
        store::insert_stage(tx, id, pos, *stage, done)?;
    }
    for (pos, doc) in required.iter().enumerate() {
        let got = (!missing.contains(doc)).then_some((at.as_str(), me));
        store::insert_document(tx, id, pos, *doc, got)?;
    }
    let missing_text = missing
        .iter()
        .map(|d| d.label())
        .collect::<Vec<_>>()
        .join("、");
    let mut detail = format!(
        "受理{}{}",
        kind.label(),
        class
            .map(|c| format!("（{}）", c.label()))
            .unwrap_or_default()
    );
    if !missing_text.is_empty() {
        detail.push_str(&format!("；待补资料：{missing_text}"));
    }
    store::insert_event(tx, id, at, Some(me), "accept", &detail)?;
    // a 校表 or 故障换表 order is about the meter in service on the account
    if matches!(kind, RequestKind::MeterTest | RequestKind::FaultyMeter)
        && let Some(cid) = req.customer_id
        && let Some(m) = crate::store::meters::of_customer(tx, cid)?
            .into_iter()
            .find(|m| m.kind.is_meter())
    {
        crate::store::meters::link_order(tx, id, m.id)?;
        store::insert_event(
            tx,
            id,
            at,
            Some(me),
            "meter",
            &format!("所涉表计 {}", m.asset_no),
        )?;
    }
    let state = if chain.len() == 1 {
        store::set_closed(tx, id, OrderState::Completed, at, me, None)?;
        store::insert_event(
            tx,
            id,
            at,
            Some(me),
            "complete",
            &format!("已答复：{answer}"),
        )?;
        OrderState::Completed
    } else {
        OrderState::Open
    };
    audit::append(
        tx,
        NewEntry {
            at: now,
            actor,
            action: "order.accept",
            entity: "work_order",
            entity_id: &tracking_no,
            changes: Changes::new()
                .created("kind", kind.code())
                .created("class", class.map(ConnectionClass::code))
                .created("customer_id", req.customer_id)
                .created("applicant_name", a.name.clone())
                .created("applicant_id_number", masked(&a.id_number, mask_id))
                .created("applicant_phone", masked(&a.phone, mask_phone))
                .created("area_id", area_id)
                .created("state", state.code())
                .note("missing", missing_text)
                .note("answer", answer.clone()),
        },
    )?;
    if auto_dispatch && state == OrderState::Open {
        auto_dispatch_to_manager(tx, id, &tracking_no, area_id, me, at, now, actor)?;
    }
    Ok(Accepted {
        id,
        tracking_no,
        stages: chain.clone(),
        missing: missing.clone(),
        state,
    })
}

/// The setting `order.auto_dispatch`: a new order goes to the area manager of its 台区 (if
/// the 台区 has an active one), in the acceptance's transaction, audited as a dispatch.
#[allow(clippy::too_many_arguments)]
fn auto_dispatch_to_manager(
    tx: &rusqlite::Connection,
    order_id: i64,
    tracking_no: &str,
    area_id: Option<i64>,
    by: i64,
    at: &str,
    now: chrono::NaiveDateTime,
    actor: &crate::store::audit::Actor,
) -> ServiceResult<()> {
    let Some(area_id) = area_id else {
        return Ok(());
    };
    let manager: Option<i64> = tx
        .query_row(
            "SELECT manager_id FROM transformer_area WHERE id = ?1",
            [area_id],
            |r| r.get(0),
        )
        .map_err(crate::store::StoreError::from)?;
    let Some(to) = manager.and_then(|m| crate::store::staff::by_id(tx, m).transpose()) else {
        return Ok(());
    };
    let to = to?;
    if !to.active || to.role != crate::domain::role::Role::AreaManager {
        return Ok(());
    }
    store::set_dispatched(tx, order_id, to.id, at)?;
    store::insert_event(
        tx,
        order_id,
        at,
        Some(by),
        "dispatch",
        &format!("自动派工给台区经理 {}", to.display_name),
    )?;
    audit::append(
        tx,
        NewEntry {
            at: now,
            actor,
            action: "order.dispatch",
            entity: "work_order",
            entity_id: tracking_no,
            changes: Changes::new()
                .field("dispatched_to", None::<i64>, to.id)
                .note("auto", "按台区自动派工"),
        },
    )?;
    Ok(())
}

//! Transformer areas (台区): the chief maintains code, name, capacity and the responsible
//! area manager; never deleted (customers and meters point at them), only set inactive.
use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::customer::NewArea;
use crate::domain::role::Need;
use crate::domain::role::Role;
use crate::domain::validate;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::customers::{self, AreaRow};
use crate::store::staff;

/// What the chief types for a 台区.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AreaInput {
    /// only for a new 台区: 2–16 letters or digits, e.g. TQ010
    pub code: String,
    pub name: String,
    /// kVA
    pub capacity_kva: String,
    /// user name of the responsible area manager; empty = none yet
    pub manager: String,
    pub active: bool,
    /// the area type (the repair crew's arrival limit); `None` leaves it as it is (a new
    /// 台区: not set, which counts as rural)
    pub area_type: Option<crate::domain::case::AreaType>,
}

struct Checked {
    name: String,
    capacity: i64,
    manager_id: Option<i64>,
}

impl Service {
    pub fn areas(&self) -> ServiceResult<Vec<AreaRow>> {
        Ok(customers::list_areas(self.store().conn())?)
    }

    fn check_area(&self, session: &Session, a: &AreaInput) -> ServiceResult<Checked> {
        self.begin_to(session, Need::Chief, "维护台区")?;
        let name = validate::name(&a.name, "台区名称", 30)
            .map_err(|m| ServiceError::invalid("name", m))?;
        let capacity: i64 = a
            .capacity_kva
            .trim()
            .parse()
            .ok()
            .filter(|v| (1..=100_000).contains(v))
            .ok_or_else(|| ServiceError::invalid("capacity", "容量应为 1–100000 的整数（kVA）"))?;
        let manager = a.manager.trim();
        let manager_id = if manager.is_empty() {
            None
        } else {
            let s = staff::by_username(self.store().conn(), manager)?
                .filter(|s| s.active)
                .ok_or_else(|| {
                    ServiceError::invalid(
                        "manager",
                        format!("没有在用的账号 {}", validate::shown(manager)),
                    )
                })?;
            if s.role != Role::AreaManager {
                return Err(ServiceError::invalid(
                    "manager",
                    format!("{} 不是台区经理", s.display_name),
                ));
            }
            Some(s.id)
        };
        Ok(Checked {
            name,
            capacity,
            manager_id,
        })
    }

    pub fn create_area(&mut self, session: &Session, a: &AreaInput) -> ServiceResult<i64> {
        let c = self.check_area(session, a)?;
        let code = validate::station_code(&a.code).map_err(|_| {
            ServiceError::invalid("code", "台区编码应为 2–16 位字母或数字，如 TQ010")
        })?;
        let now = self.now();
        let at = crate::domain::clock::to_db(now);
        let actor = session.actor();
        self.store_mut().write(|tx| -> ServiceResult<i64> {
            if customers::area_by_code(tx, &code)?.is_some() {
                return Err(ServiceError::invalid(
                    "code",
                    format!("台区编码 {code} 已存在"),
                ));
            }
            let new = NewArea {
                code: code.clone(),
                name: c.name.clone(),
                capacity_kva: c.capacity,
                manager_username: None,
            };
            let id = customers::insert_area(tx, &new, c.manager_id, &at)?;
            let mut ch = Changes::new()
                .created("name", c.name.clone())
                .created("capacity_kva", c.capacity)
                .created("manager", a.manager.trim());
            if let Some(t) = a.area_type {
                crate::store::cases::set_area_type(tx, id, t)?;
                ch = ch.created("area_type", t.label());
            }
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "area.create",
                    entity: "transformer_area",
                    entity_id: &code,
                    changes: ch,
                },
            )?;
            Ok(id)
        })
    }

    pub fn update_area(&mut self, session: &Session, id: i64, a: &AreaInput) -> ServiceResult<()> {
        let c = self.check_area(session, a)?;
        let now = self.now();
        let actor = session.actor();
        self.store_mut().write(|tx| -> ServiceResult<()> {
            let old = customers::list_areas(tx)?
                .into_iter()
                .find(|r| r.id == id)
                .ok_or_else(|| ServiceError::NotFound("该台区".into()))?;
            let mut ch = Changes::new();
            let mut any = false;
            if old.name != c.name {
                ch = ch.field("name", old.name.clone(), c.name.clone());
                any = true;
            }
            if old.capacity_kva != c.capacity {
                ch = ch.field("capacity_kva", old.capacity_kva, c.capacity);
                any = true;
            }
            if old.manager_id != c.manager_id {
                ch = ch.field(
                    "manager",
                    old.manager_username.clone().unwrap_or_default(),
                    a.manager.trim(),
                );
                any = true;
            }
            if old.active != a.active {
                ch = ch.field("active", old.active, a.active);
                any = true;
            }
            let old_type = crate::store::cases::area_types(tx)?
                .get(&id)
                .copied()
                .unwrap_or(crate::domain::case::AreaType::Rural);
            if let Some(t) = a.area_type
                && t != old_type
            {
                crate::store::cases::set_area_type(tx, id, t)?;
                ch = ch.field("area_type", old_type.label(), t.label());
                any = true;
            }
            if !any {
                return Ok(());
            }
            customers::update_area(tx, id, &c.name, c.capacity, c.manager_id, a.active)?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "area.update",
                    entity: "transformer_area",
                    entity_id: &old.code,
                    changes: ch,
                },
            )?;
            Ok(())
        })
    }
}

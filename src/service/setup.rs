//! First-run set-up: the station and its chief.
use super::auth::hash_password;
use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::clock;
use crate::domain::role::Role;
use crate::domain::validate;
use crate::store::audit::{self, Actor, Changes, NewEntry};
use crate::store::staff::{self, NewStaff};
use crate::store::station::{self, Station};

/// What the first-run form collects.
#[derive(Clone, Debug, Default)]
pub struct SetupInput {
    pub station_name: String,
    pub station_code: String,
    pub station_phone: String,
    pub chief_username: String,
    pub chief_name: String,
    pub password: String,
    pub password_again: String,
}

impl SetupInput {
    /// Check every field; the first problem is returned with its field name.
    pub fn check(&self) -> ServiceResult<(String, String, String, String, String)> {
        let inv = |field, e: validate::InputError| ServiceError::invalid(field, e);
        let name = validate::name(&self.station_name, "供电所名称", 30)
            .map_err(|m| inv("station_name", m))?;
        let code =
            validate::station_code(&self.station_code).map_err(|m| inv("station_code", m))?;
        let phone =
            validate::station_phone(&self.station_phone).map_err(|m| inv("station_phone", m))?;
        let user =
            validate::username(&self.chief_username).map_err(|m| inv("chief_username", m))?;
        let chief =
            validate::name(&self.chief_name, "所长姓名", 20).map_err(|m| inv("chief_name", m))?;
        validate::password(&self.password).map_err(|m| inv("password", m))?;
        if self.password != self.password_again {
            return Err(ServiceError::invalid(
                "password_again",
                "两次输入的密码不一致",
            ));
        }
        Ok((name, code, phone, user, chief))
    }
}

impl Service {
    /// Whether the first-run set-up has been done.
    pub fn is_set_up(&self) -> ServiceResult<bool> {
        Ok(self.station()?.is_some())
    }

    /// Create the station and the chief's account (with the administrator flag), in one
    /// transaction with their audit entries; returns the chief's session.
    pub fn first_run_setup(&mut self, input: &SetupInput, is_demo: bool) -> ServiceResult<Session> {
        if self.is_set_up()? {
            return Err(ServiceError::Refused("本站已经设置过".into()));
        }
        let (name, code, phone, user, chief) = input.check()?;
        let hash = hash_password(self.password_cost, &input.password)?;
        let now = self.now();
        let at = clock::to_db(now);
        let id = self.store.write(|tx| -> ServiceResult<i64> {
            // checked again under the write lock: two windows setting up at once
            if station::get(tx)?.is_some() {
                return Err(ServiceError::Refused("本站已经设置过".into()));
            }
            let st = Station {
                code: code.clone(),
                name: name.clone(),
                phone: phone.clone(),
                address: String::new(),
                is_demo,
                created_at: at.clone(),
            };
            station::insert(tx, &st)?;
            let actor = Actor::system("首次设置");
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "station.create",
                    entity: "station",
                    entity_id: &code,
                    changes: Changes::new()
                        .created("name", name.clone())
                        .created("code", code.clone())
                        .created("phone", phone.clone())
                        .created("is_demo", is_demo),
                },
            )?;
            let id = staff::insert(
                tx,
                &NewStaff {
                    username: &user,
                    display_name: &chief,
                    role: Role::Chief,
                    is_admin: true,
                    password_hash: &hash,
                    must_change_password: false,
                    phone: "",
                    created_at: &at,
                },
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "staff.create",
                    entity: "staff",
                    entity_id: &id.to_string(),
                    changes: Changes::new()
                        .created("username", user.clone())
                        .created("display_name", chief.clone())
                        .created("role", Role::Chief.code())
                        .created("is_admin", true),
                },
            )?;
            Ok(id)
        })?;
        Ok(Session {
            staff_id: id,
            username: user,
            display_name: chief,
            role: Role::Chief,
            is_admin: true,
            must_change_password: false,
        })
    }
}

/// The station's profile as the chief edits it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StationProfile {
    pub name: String,
    pub code: String,
    pub phone: String,
    pub address: String,
}

impl Service {
    /// 供电所资料: the chief changes the station's name, code (used in new tracking numbers;
    /// numbers already given keep theirs), phone and address; audited field by field.
    pub fn update_station(&mut self, session: &Session, p: &StationProfile) -> ServiceResult<()> {
        use crate::domain::role::Need;
        let cx = self.begin_to(session, Need::Chief, "修改供电所资料")?;
        let name = validate::name(&p.name, "供电所名称", 30)
            .map_err(|e| ServiceError::invalid("name", e))?;
        let code = validate::station_code(&p.code).map_err(|e| ServiceError::invalid("code", e))?;
        let phone =
            validate::station_phone(&p.phone).map_err(|e| ServiceError::invalid("phone", e))?;
        let address = crate::domain::customer_file::clean_text(&p.address);
        if address.chars().count() > 60 {
            return Err(ServiceError::invalid("address", "地址最多 60 个字"));
        }
        self.store.write(|tx| -> ServiceResult<()> {
            let old = station::get(tx)?.ok_or(ServiceError::NotSetUp)?;
            let mut changes = Changes::new();
            for (field, was, now) in [
                ("name", &old.name, &name),
                ("code", &old.code, &code),
                ("phone", &old.phone, &phone),
                ("address", &old.address, &address),
            ] {
                if was != now {
                    changes = changes.field(field, was.clone(), now.clone());
                }
            }
            if changes == Changes::new() {
                return Err(ServiceError::Refused("供电所资料没有变化".into()));
            }
            station::update(
                tx,
                &Station {
                    name: name.clone(),
                    code: code.clone(),
                    phone: phone.clone(),
                    address: address.clone(),
                    ..old
                },
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "station.update",
                    entity: "station",
                    entity_id: &code,
                    changes,
                },
            )?;
            Ok(())
        })
    }
}

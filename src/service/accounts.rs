//! Staff accounts: the chief (or an administrator) creates, resets and deactivates them;
//! never deletes (records keep pointing at people).
use super::auth::{NewAccount, hash_password, password_matches};
use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::clock;
use crate::domain::role::Need;
use crate::domain::role::Role;
use crate::domain::validate;
use crate::service::Cx;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::staff::{self, NewStaff, StaffRow};

impl Service {
    pub fn list_staff(&self) -> ServiceResult<Vec<StaffRow>> {
        Ok(staff::list(self.store.conn())?)
    }

    /// Account management: the chief or an administrator; an account that is itself a
    /// chief or an administrator is managed by a chief only (no way up for an admin clerk).
    fn require_admin(
        &self,
        session: &Session,
        target: Option<&StaffRow>,
    ) -> ServiceResult<Session> {
        let Cx { session: me, .. } = self.begin(session, Need::Admin)?;
        if let Some(t) = target
            && (t.role == Role::Chief || t.is_admin)
            && !me.is_chief()
        {
            return Err(ServiceError::Denied(
                "所长和管理员账号只能由所长管理".into(),
            ));
        }
        Ok(me)
    }

    /// Create an account (chief / administrator). The new user must change the password
    /// at first sign-in.
    pub fn create_account(&mut self, session: &Session, a: &NewAccount) -> ServiceResult<i64> {
        let me = self.require_admin(session, None)?;
        let username =
            validate::username(&a.username).map_err(|m| ServiceError::invalid("username", m))?;
        let display = validate::name(&a.display_name, "姓名", 20)
            .map_err(|m| ServiceError::invalid("display_name", m))?;
        let role = a
            .role
            .ok_or_else(|| ServiceError::invalid("role", "请选择岗位"))?;
        validate::password(&a.password).map_err(|m| ServiceError::invalid("password", m))?;
        let phone =
            validate::station_phone(&a.phone).map_err(|m| ServiceError::invalid("phone", m))?;
        if (role == Role::Chief || a.is_admin) && !me.is_chief() {
            return Err(ServiceError::Denied(
                "所长和管理员账号只能由所长建立".into(),
            ));
        }
        let hash = hash_password(self.password_cost, &a.password)?;
        let now = self.now();
        let at = clock::to_db(now);
        let actor = session.actor();
        self.store.write(|tx| -> ServiceResult<i64> {
            if staff::by_username(tx, &username)?.is_some() {
                return Err(ServiceError::invalid(
                    "username",
                    format!("用户名 {username} 已被使用"),
                ));
            }
            let id = staff::insert(
                tx,
                &NewStaff {
                    username: &username,
                    display_name: &display,
                    role,
                    is_admin: a.is_admin,
                    password_hash: &hash,
                    must_change_password: true,
                    phone: &phone,
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
                        .created("username", username.clone())
                        .created("display_name", display.clone())
                        .created("role", role.code())
                        .created("is_admin", a.is_admin),
                },
            )?;
            Ok(id)
        })
    }

    /// Reset someone's password (chief / administrator); they must change it at next sign-in.
    pub fn reset_password(
        &mut self,
        session: &Session,
        staff_id: i64,
        new_password: &str,
    ) -> ServiceResult<()> {
        validate::password(new_password).map_err(|m| ServiceError::invalid("password", m))?;
        let row = staff::by_id(self.store.conn(), staff_id)?
            .ok_or_else(|| ServiceError::NotFound("该账号".into()))?;
        self.require_admin(session, Some(&row))?;
        let hash = hash_password(self.password_cost, new_password)?;
        let now = self.now();
        let actor = session.actor();
        self.store.write(|tx| -> ServiceResult<()> {
            staff::set_password(tx, row.id, &hash, true)?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "staff.reset_password",
                    entity: "staff",
                    entity_id: &row.id.to_string(),
                    changes: Changes::new()
                        .field("password", "（旧密码）", "（已重置）")
                        .field(
                            "locked_until",
                            row.locked_until.clone(),
                            serde_json::Value::Null,
                        ),
                },
            )?;
            Ok(())
        })
    }

    /// Change one's own password (needs the current one).
    pub fn change_own_password(
        &mut self,
        session: &mut Session,
        old: &str,
        new: &str,
    ) -> ServiceResult<()> {
        let row = staff::by_id(self.store.conn(), session.staff_id)?
            .ok_or_else(|| ServiceError::NotFound("该账号".into()))?;
        if !password_matches(old, &row.password_hash) {
            return Err(ServiceError::invalid("old_password", "原密码不对"));
        }
        validate::password(new).map_err(|m| ServiceError::invalid("new_password", m))?;
        if old == new {
            return Err(ServiceError::invalid(
                "new_password",
                "新密码不能与原密码相同",
            ));
        }
        let hash = hash_password(self.password_cost, new)?;
        let now = self.now();
        let actor = session.actor();
        self.store.write(|tx| -> ServiceResult<()> {
            staff::set_password(tx, row.id, &hash, false)?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "staff.change_password",
                    entity: "staff",
                    entity_id: &row.id.to_string(),
                    changes: Changes::new().field("password", "（旧密码）", "（新密码）"),
                },
            )?;
            Ok(())
        })?;
        session.must_change_password = false;
        Ok(())
    }

    /// Deactivate or reactivate an account; never delete. One cannot deactivate oneself.
    pub fn set_account_active(
        &mut self,
        session: &Session,
        staff_id: i64,
        active: bool,
    ) -> ServiceResult<()> {
        if staff_id == session.staff_id && !active {
            return Err(ServiceError::Refused("不能停用自己的账号".into()));
        }
        let row = staff::by_id(self.store.conn(), staff_id)?
            .ok_or_else(|| ServiceError::NotFound("该账号".into()))?;
        self.require_admin(session, Some(&row))?;
        let now = self.now();
        let actor = session.actor();
        self.store.write(|tx| -> ServiceResult<()> {
            // read again inside the write: the audited old value is the one replaced
            let cur = staff::by_id(tx, staff_id)?
                .ok_or_else(|| ServiceError::NotFound("该账号".into()))?;
            if cur.active == active {
                return Ok(());
            }
            if !active && cur.role == Role::Chief && staff::active_chiefs(tx)? <= 1 {
                return Err(ServiceError::Refused("不能停用唯一在用的所长账号".into()));
            }
            staff::set_active(tx, row.id, active)?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: if active {
                        "staff.activate"
                    } else {
                        "staff.deactivate"
                    },
                    entity: "staff",
                    entity_id: &row.id.to_string(),
                    changes: Changes::new().field("active", cur.active, active),
                },
            )?;
            Ok(())
        })
    }
}

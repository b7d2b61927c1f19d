//! Sign-in, lockout, passwords and staff accounts.
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::Duration;

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::clock;
use crate::domain::role::Role;
use crate::domain::settings::SettingValue;
use crate::store::audit::{self, Actor, Changes, NewEntry};
use crate::store::staff::{self, StaffRow};

/// Argon2id cost. `Standard` (7 MiB, 5 passes) signs in well under 0.5 s on an old PC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordCost {
    Standard,
    /// for tests only: 1 MiB, 1 pass
    Light,
}

/// Argon2id memory (KiB) and passes. Standard is one of OWASP's equivalent argon2id
/// settings (7 MiB × 5 passes, as strong as 19 MiB × 2) chosen so that signing in on a
/// low-spec PC stays inside the 30 MB memory budget; hashes made with other settings still
/// verify under their own and are re-made at the next sign-in.
fn cost_params(cost: PasswordCost) -> (u32, u32) {
    match cost {
        PasswordCost::Standard => (7 * 1024, 5),
        PasswordCost::Light => (1024, 1),
    }
}

/// Whether a stored hash was made with other settings than `cost`'s.
pub(crate) fn needs_rehash(stored: &str, cost: PasswordCost) -> bool {
    let (m, t) = cost_params(cost);
    let Ok(hash) = argon2::PasswordHash::new(stored) else {
        return false;
    };
    match Params::try_from(&hash) {
        Ok(p) => p.m_cost() != m || p.t_cost() != t || p.p_cost() != 1,
        Err(_) => false,
    }
}

fn hasher(cost: PasswordCost) -> ServiceResult<Argon2<'static>> {
    let (m, t) = cost_params(cost);
    let params = Params::new(m, t, 1, None)
        .map_err(|e| ServiceError::Refused(format!("密码参数错误：{e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash_password(cost: PasswordCost, password: &str) -> ServiceResult<String> {
    let h = hasher(cost)?
        .hash_password(password.as_bytes())
        .map_err(|e| ServiceError::Refused(format!("无法生成密码摘要：{e}")))?;
    Ok(h.to_string())
}

/// Check a password against a stored PHC string (its own parameters apply).
pub fn password_matches(password: &str, stored: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), stored)
        .is_ok()
}

/// What the chief types to create an account.
#[derive(Clone, Debug, Default)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Option<Role>,
    pub is_admin: bool,
    pub password: String,
    pub phone: String,
}

pub(crate) fn session_of(row: &StaffRow) -> Session {
    Session {
        staff_id: row.id,
        username: row.username.clone(),
        display_name: row.display_name.clone(),
        role: row.role,
        is_admin: row.is_admin,
        must_change_password: row.must_change_password,
    }
}

/// What one password check decided, committed together with the counter it changed.
enum Check {
    Passed,
    Wrong { remaining: i64 },
    LockedUntil(chrono::NaiveDateTime),
}

impl Service {
    /// A whole-number setting, kept inside its own range even if the database was edited
    /// by hand (so a huge value never overflows a date).
    pub(crate) fn int_setting(&self, key: &str) -> ServiceResult<i64> {
        let s = self.setting(key)?;
        let bound = |b: &Option<String>| b.as_deref().and_then(|v| v.parse::<i64>().ok());
        match s.typed() {
            Ok(SettingValue::Int(v)) => Ok(v
                .max(bound(&s.min).unwrap_or(i64::MIN))
                .min(bound(&s.max).unwrap_or(i64::MAX))),
            _ => Err(ServiceError::Refused(format!("设置项 {key} 已损坏"))),
        }
    }

    /// Sign in. Wrong passwords count; after the configured number the account locks. An
    /// unknown user name and a wrong password get the same answer, after the same work (a
    /// password check), so user names cannot be probed at the sign-in screen; the tries
    /// left are not told there (the lock itself still is).
    pub fn sign_in(&mut self, username: &str, password: &str) -> ServiceResult<Session> {
        self.require_station()?;
        // the start-up check decides whether anything may be written from here on
        self.store.settle_health(true);
        let username = username.trim();
        if username.is_empty() {
            return Err(ServiceError::invalid("username", "请填写用户名"));
        }
        if password.is_empty() {
            return Err(ServiceError::invalid("password", "请输入密码"));
        }
        let Some(row) = staff::by_username(self.store.conn(), username)? else {
            let decoy = match self.decoy_hash.get() {
                Some(h) => h.clone(),
                None => {
                    let h = hash_password(self.password_cost, "\u{0}decoy")?;
                    let _ = self.decoy_hash.set(h.clone());
                    h
                }
            };
            let _ = password_matches(password, &decoy);
            return Err(ServiceError::BadCredentials { remaining: None });
        };
        let row = match self.check_password(row.id, password, "auth.sign_in") {
            Err(ServiceError::BadCredentials { .. }) => {
                return Err(ServiceError::BadCredentials { remaining: None });
            }
            other => other?,
        };
        if !row.active {
            return Err(ServiceError::Inactive);
        }
        let now = self.now();
        let session = session_of(&row);
        if self.store.read_only().is_some() {
            return Ok(session);
        }
        // a hash made with older settings is made again now that the password is known
        let rehash = if needs_rehash(&row.password_hash, self.password_cost) {
            Some(hash_password(self.password_cost, password)?)
        } else {
            None
        };
        self.store.write(|tx| -> ServiceResult<()> {
            let mut changes = Changes::new();
            if let Some(h) = &rehash {
                staff::set_password_hash(tx, row.id, h)?;
                let (m, t) = cost_params(self.password_cost);
                changes = changes.note("password_hash_params", format!("argon2id m={m} t={t}"));
            }
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &session.actor(),
                    action: "auth.sign_in",
                    entity: "staff",
                    entity_id: &row.id.to_string(),
                    changes,
                },
            )?;
            Ok(())
        })?;
        Ok(session)
    }

    /// Sign out (also on quitting): recorded, so the trail shows who was at the counter when.
    pub fn sign_out(&mut self, session: &Session) -> ServiceResult<()> {
        let now = self.now();
        let actor = session.actor();
        if self.store.read_only().is_some() {
            return Ok(());
        }
        self.store.write(|tx| -> ServiceResult<()> {
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "auth.sign_out",
                    entity: "staff",
                    entity_id: &session.staff_id.to_string(),
                    changes: Changes::new(),
                },
            )?;
            Ok(())
        })
    }

    /// Unlock the idle-locked screen: the signed-in user's password again.
    pub fn unlock(&mut self, session: &Session, password: &str) -> ServiceResult<()> {
        if password.is_empty() {
            return Err(ServiceError::invalid("password", "请输入密码"));
        }
        let row = self.check_password(session.staff_id, password, "auth.unlock")?;
        if !row.active {
            return Err(ServiceError::Inactive);
        }
        Ok(())
    }

    /// Lock check, password check and the failure counter. The slow hash check runs
    /// first; the counter is then read and changed in one transaction, so two windows
    /// trying at once cannot undercount the tries.
    pub(crate) fn check_password(
        &mut self,
        staff_id: i64,
        password: &str,
        what: &str,
    ) -> ServiceResult<StaffRow> {
        let now = self.now();
        let max = self.int_setting("security.max_failed_logins")?;
        let minutes = self.int_setting("security.lockout_minutes")?;
        let row = staff::by_id(self.store.conn(), staff_id)?
            .ok_or_else(|| ServiceError::NotFound("该账号".into()))?;
        let matches = password_matches(password, &row.password_hash);
        // a database opened read-only is never written, not even the failure counter
        let check = if self.store.read_only().is_some() {
            match (
                row.locked_until.as_deref().and_then(clock::from_db),
                matches,
            ) {
                (Some(until), _) if until > now => Check::LockedUntil(until),
                (_, true) => Check::Passed,
                (_, false) => Check::Wrong {
                    remaining: (max - row.failed_attempts - 1).max(0),
                },
            }
        } else {
            self.check_counted(staff_id, matches, what, now, max, minutes)?
        };
        match check {
            Check::Passed => Ok(row),
            Check::Wrong { remaining } => Err(ServiceError::BadCredentials {
                remaining: Some(remaining),
            }),
            Check::LockedUntil(until) => Err(ServiceError::Locked {
                until: until.format("%H:%M").to_string(),
            }),
        }
    }

    /// The counted part of [`Service::check_password`], in one transaction.
    fn check_counted(
        &mut self,
        staff_id: i64,
        matches: bool,
        what: &str,
        now: chrono::NaiveDateTime,
        max: i64,
        minutes: i64,
    ) -> ServiceResult<Check> {
        self.store.write(|tx| -> ServiceResult<Check> {
            let cur = staff::by_id(tx, staff_id)?
                .ok_or_else(|| ServiceError::NotFound("该账号".into()))?;
            if let Some(until) = cur.locked_until.as_deref().and_then(clock::from_db)
                && until > now
            {
                return Ok(Check::LockedUntil(until));
            }
            if matches {
                if cur.failed_attempts != 0 || cur.locked_until.is_some() {
                    staff::set_login_state(tx, staff_id, 0, None)?;
                }
                return Ok(Check::Passed);
            }
            let failed = cur.failed_attempts + 1;
            let locked = (failed >= max).then(|| now + Duration::minutes(minutes));
            let until_text = locked.map(clock::to_db);
            staff::set_login_state(
                tx,
                staff_id,
                if locked.is_some() { 0 } else { failed },
                until_text.as_deref(),
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &Actor::system("登录保护"),
                    action: if locked.is_some() {
                        "auth.lockout"
                    } else {
                        "auth.failed"
                    },
                    entity: "staff",
                    entity_id: &staff_id.to_string(),
                    changes: Changes::new()
                        .note("during", what)
                        .note("failed_attempts", failed)
                        .note("locked_until", until_text.clone()),
                },
            )?;
            Ok(match locked {
                Some(until) => Check::LockedUntil(until),
                None => Check::Wrong {
                    remaining: max - failed,
                },
            })
        })
    }

    /// The session as the database says now: an account deactivated or demoted in another
    /// window loses its rights at once.
    pub(crate) fn fresh(&self, session: &Session) -> ServiceResult<Session> {
        let row = staff::by_id(self.store.conn(), session.staff_id)?
            .ok_or_else(|| ServiceError::NotFound("该账号".into()))?;
        if !row.active {
            return Err(ServiceError::Inactive);
        }
        Ok(session_of(&row))
    }
}

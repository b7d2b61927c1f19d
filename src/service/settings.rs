//! Rule settings: read by everyone, changed by the chief, every change audited.
use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::role::Need;
use crate::domain::settings::Setting;
use crate::service::Cx;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::settings as store;

impl Service {
    pub fn settings(&self) -> ServiceResult<Vec<Setting>> {
        Ok(store::list(self.store.conn())?)
    }

    pub fn setting(&self, key: &str) -> ServiceResult<Setting> {
        Ok(store::get(self.store.conn(), key)?)
    }

    /// Change a setting from the text the chief typed. Returns the stored setting.
    pub fn update_setting(
        &mut self,
        session: &Session,
        key: &str,
        input: &str,
    ) -> ServiceResult<Setting> {
        let Cx {
            session,
            now,
            at,
            actor,
        } = self.begin_to(session, Need::Chief, "修改设置")?;
        let session = &session;
        // read, check and write in one transaction, so the audited old value is the one
        // replaced even when another window changes the same setting
        self.store.write(|tx| -> ServiceResult<()> {
            let current = store::get(tx, key)?;
            let value = current
                .check_input(input)
                .map_err(|m| ServiceError::invalid("value", m))?;
            if value == current.value {
                return Ok(());
            }
            store::set_value(tx, key, &value, &at, Some(session.staff_id))?;
            // rules that tie two settings together (tier 1 below tier 2, …)
            let all = store::list(tx)?;
            if let Err(m) = crate::domain::settings::cross_check(&all) {
                return Err(ServiceError::invalid("value", m));
            }
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "settings.update",
                    entity: "setting",
                    entity_id: key,
                    changes: Changes::new()
                        .field("value", current.value.clone(), value.clone())
                        .note("label", current.label.clone()),
                },
            )?;
            Ok(())
        })?;
        self.setting(key)
    }

    /// Put a setting back to its DOMAIN.md default (audited like any change).
    pub fn reset_setting(&mut self, session: &Session, key: &str) -> ServiceResult<Setting> {
        // canonical values are always valid input, so the default goes the same audited way
        let default = self.setting(key)?.default_value;
        self.update_setting(session, key, &default)
    }
}

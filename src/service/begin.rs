//! How a use case opens: `let cx = self.begin(session, Need::Cashier)?;`.
//!
//! Rule: every use case that acts for a signed-in person starts here, once. It reads the
//! session again from the database (an account deactivated or demoted in another window
//! loses its rights at once), checks what the use case needs of the role
//! ([`Need`](crate::domain::role::Need), the same enum the keymap marks keys with), and
//! takes the time from the injected clock once, so the change, its audit entry and its
//! receipt all carry the same instant. Why: these lines were copied into some thirty-five
//! use cases, and a copy that forgot the fresh read or the role check was a hole.
use chrono::{NaiveDate, NaiveDateTime};

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::clock;
use crate::domain::role::{Need, Role};
use crate::store::audit::Actor;

/// What a use case works with once it has begun.
#[derive(Clone, Debug)]
pub struct Cx {
    /// the session as the database says now
    pub session: Session,
    /// the instant of the change (from the injected clock)
    pub now: NaiveDateTime,
    /// `now` as stored (`YYYY-MM-DD HH:MM:SS`)
    pub at: String,
    /// who the audit trail names
    pub actor: Actor,
}

impl Cx {
    /// The signed-in staff member's id.
    pub fn staff_id(&self) -> i64 {
        self.session.staff_id
    }

    /// The business day of `now`.
    pub fn today(&self) -> NaiveDate {
        self.now.date()
    }
}

/// Why `session` may not do what `need` asks, or `None` when it may. `what` names the
/// act in the chief-only refusal (`只有所长可以{what}`).
pub(crate) fn refusal(session: &Session, need: Need, what: &str) -> Option<ServiceError> {
    if need.allows(session.role, session.is_admin) {
        return None;
    }
    let read_only = || ServiceError::Denied(format!("{}只能查看，不能修改", session.role.label()));
    Some(match need {
        Need::Read | Need::Write => read_only(),
        Need::Cashier if session.role == Role::AreaManager => {
            ServiceError::Denied("台区经理只能查看收费信息，不能收费".into())
        }
        Need::Cashier => read_only(),
        Need::Chief if !session.role.can_write() => read_only(),
        Need::Chief => ServiceError::Denied(format!("只有所长可以{what}")),
        Need::Admin => ServiceError::Denied("只有所长或管理员可以管理账号".into()),
        Need::Auditor => ServiceError::Denied(format!("只有稽查员可以{what}")),
    })
}

impl Service {
    /// Open a use case: the session as stored now, refused unless it meets `need`, and the
    /// time of the change. A chief-only refusal reads `只有所长可以办理此事`; use
    /// [`Service::begin_to`] to name the act.
    pub(crate) fn begin(&self, session: &Session, need: Need) -> ServiceResult<Cx> {
        self.begin_to(session, need, "办理此事")
    }

    /// [`Service::begin`], naming the act for a chief-only refusal (`只有所长可以{what}`).
    pub(crate) fn begin_to(&self, session: &Session, need: Need, what: &str) -> ServiceResult<Cx> {
        let session = self.fresh(session)?;
        if let Some(e) = refusal(&session, need, what) {
            return Err(e);
        }
        let now = self.now();
        Ok(Cx {
            actor: session.actor(),
            at: clock::to_db(now),
            now,
            session,
        })
    }
}

impl Service {
    /// One audit entry in a transaction of its own, for an act that writes no business data
    /// (a print, an export): what was done, by whom, when.
    pub(crate) fn audit_alone(
        &mut self,
        cx: &Cx,
        action: &str,
        entity: &str,
        entity_id: &str,
        changes: crate::store::audit::Changes,
    ) -> ServiceResult<()> {
        self.store_mut().write(|tx| -> ServiceResult<()> {
            crate::store::audit::append(
                tx,
                crate::store::audit::NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action,
                    entity,
                    entity_id,
                    changes,
                },
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(role: Role, is_admin: bool) -> Session {
        Session {
            staff_id: 1,
            username: "u".into(),
            display_name: "张三".into(),
            role,
            is_admin,
            must_change_password: false,
        }
    }

    fn message(role: Role, is_admin: bool, need: Need) -> Option<String> {
        refusal(&session(role, is_admin), need, "维护台区").map(|e| e.to_string())
    }

    #[test]
    fn refusals_keep_their_wording() {
        assert_eq!(message(Role::Auditor, false, Need::Read), None);
        assert_eq!(
            message(Role::Auditor, false, Need::Write).as_deref(),
            Some("无权限：稽查员只能查看，不能修改")
        );
        assert_eq!(
            message(Role::AreaManager, false, Need::Cashier).as_deref(),
            Some("无权限：台区经理只能查看收费信息，不能收费")
        );
        assert_eq!(
            message(Role::Auditor, false, Need::Cashier).as_deref(),
            Some("无权限：稽查员只能查看，不能修改")
        );
        assert_eq!(
            message(Role::Clerk, true, Need::Chief).as_deref(),
            Some("无权限：只有所长可以维护台区")
        );
        assert_eq!(
            message(Role::Auditor, false, Need::Chief).as_deref(),
            Some("无权限：稽查员只能查看，不能修改")
        );
        assert_eq!(
            message(Role::Clerk, false, Need::Admin).as_deref(),
            Some("无权限：只有所长或管理员可以管理账号")
        );
        assert_eq!(message(Role::Clerk, true, Need::Admin), None);
        assert_eq!(message(Role::Chief, false, Need::Chief), None);
        assert_eq!(message(Role::Clerk, false, Need::Cashier), None);
    }
}

//! Staff roles and what each may do.
use std::fmt;

crate::coded_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Role: "岗位" {
        /// 营业员 / 收费员
        Clerk = "clerk" / "营业员",
        /// 所长
        Chief = "chief" / "所长",
        /// 台区经理
        AreaManager = "area_manager" / "台区经理",
        /// 稽查员: read-only everywhere
        Auditor = "auditor" / "稽查员",
    }
}

impl Role {
    /// Whether this role may change business data at all (auditors never).
    pub fn can_write(self) -> bool {
        !matches!(self, Role::Auditor)
    }

    /// Whether this role may change the station's rule settings.
    pub fn can_edit_settings(self) -> bool {
        matches!(self, Role::Chief)
    }
}

/// What a use case (and the key that starts it) needs of the signed-in role. The service
/// opens every use case with one (`begin(session, Need)`), and the keymap marks each key
/// with the one its action needs, so the footer offers a role only what it can do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Need {
    /// anyone signed in (looking, printing what exists)
    Read,
    /// any role that may change business data (not auditors)
    Write,
    /// roles that take money at the counter (营业员, 所长)
    Cashier,
    /// the station chief only
    Chief,
    /// account management: the chief or a staff member with the administrator flag
    Admin,
    /// the auditor (稽查员) only: findings for rectification and their acceptance, the one
    /// thing an auditor records
    Auditor,
}

impl Need {
    /// Whether `role` (with the administrator flag `is_admin`) may do it.
    pub fn allows(self, role: Role, is_admin: bool) -> bool {
        match self {
            Need::Read => true,
            Need::Write => role.can_write(),
            Need::Cashier => matches!(role, Role::Clerk | Role::Chief),
            Need::Chief => role == Role::Chief,
            Need::Admin => role.can_write() && (is_admin || role == Role::Chief),
            Need::Auditor => role == Role::Auditor,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_only_auditor_is_read_only() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
            assert_eq!(r.can_write(), r != Role::Auditor);
        }
        assert_eq!(Role::from_code("root"), None);
        assert!(Role::Chief.can_edit_settings());
        assert!(!Role::Clerk.can_edit_settings());
    }

    #[test]
    fn needs_by_role() {
        assert!(Need::Read.allows(Role::Auditor, false));
        assert!(!Need::Write.allows(Role::Auditor, true));
        assert!(Need::Cashier.allows(Role::Clerk, false));
        assert!(!Need::Cashier.allows(Role::AreaManager, false));
        assert!(Need::Chief.allows(Role::Chief, false));
        assert!(!Need::Chief.allows(Role::Clerk, true));
        assert!(Need::Admin.allows(Role::Clerk, true));
        assert!(!Need::Admin.allows(Role::Clerk, false));
        assert!(!Need::Admin.allows(Role::Auditor, true));
    }
}

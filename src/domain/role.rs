//! Staff roles and what each may do.
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// 营业员 / 收费员
    Clerk,
    /// 所长
    Chief,
    /// 台区经理
    AreaManager,
    /// 稽查员: read-only everywhere
    Auditor,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Clerk, Role::Chief, Role::AreaManager, Role::Auditor];

    /// Code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Chief => "chief",
            Role::AreaManager => "area_manager",
            Role::Auditor => "auditor",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Chinese name shown on screens.
    pub fn label(self) -> &'static str {
        match self {
            Role::Clerk => "营业员",
            Role::Chief => "所长",
            Role::AreaManager => "台区经理",
            Role::Auditor => "稽查员",
        }
    }

    /// Whether this role may change business data at all (auditors never).
    pub fn can_write(self) -> bool {
        !matches!(self, Role::Auditor)
    }

    /// Whether this role may change the station's rule settings.
    pub fn can_edit_settings(self) -> bool {
        matches!(self, Role::Chief)
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
}

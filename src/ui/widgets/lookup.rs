//! Fields that name an account (by user name) or a 台区 (by code): one lookup for every form
//! that has them, the message placed next to the field when nothing matches.
use crate::service::Service;
use crate::store::customers::AreaRow;
use crate::store::staff::StaffRow;
use crate::ui::widgets::field::{Choice, Form};

/// The 台区 to pick from as the clerk types (code or name): `TQ001 王庄1号台区（高红梅）`.
pub fn area_choices(svc: &Service) -> Vec<Choice> {
    svc.areas()
        .map(|l| {
            l.into_iter()
                .filter(|a| a.active)
                .map(|a| Choice {
                    label: match &a.manager_name {
                        Some(m) => format!("{} {}（{m}）", a.code, a.name),
                        None => format!("{} {}", a.code, a.name),
                    },
                    value: a.code,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The accounts to pick from by user name or name: `taiqu1 高红梅 台区经理`.
pub fn staff_choices(svc: &Service) -> Vec<Choice> {
    svc.list_staff()
        .map(|l| {
            l.into_iter()
                .filter(|s| s.active)
                .map(|s| Choice {
                    label: format!("{} {} {}", s.username, s.display_name, s.role.label()),
                    value: s.username,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The lists to pick from for the fields named `area` (台区) and `staff` (accounts) a form
/// has: the board filters' common pair.
pub fn with_lookups(form: Form, svc: &Service) -> Form {
    let form = with_choices(form, "area", area_choices(svc));
    with_choices(form, "staff", staff_choices(svc))
}

/// Give the field `key` of `form` its list of choices.
pub fn with_choices(mut form: Form, key: &str, choices: Vec<Choice>) -> Form {
    if let Some(f) = form.field_mut(key) {
        f.choices = choices;
    }
    form
}

/// The account typed in `key`: `Some(None)` when left empty, `None` (with the message at the
/// field) when no account has that user name.
pub fn staff_in(form: &mut Form, key: &'static str, svc: &Service) -> Option<Option<StaffRow>> {
    let typed = form.value(key).trim().to_string();
    if typed.is_empty() {
        return Some(None);
    }
    let found = svc.list_staff().ok().and_then(|l| {
        l.into_iter()
            .find(|s| s.username.eq_ignore_ascii_case(&typed))
    });
    if found.is_none() {
        form.set_error(key, format!("没有账号 {typed}"));
        return None;
    }
    Some(found)
}

/// The 台区 typed in `key` by its code (any case): as [`staff_in`].
pub fn area_in(form: &mut Form, key: &'static str, svc: &Service) -> Option<Option<AreaRow>> {
    let typed = form.value(key).trim().to_ascii_uppercase();
    if typed.is_empty() {
        return Some(None);
    }
    let found = svc
        .areas()
        .ok()
        .and_then(|l| l.into_iter().find(|a| a.code == typed));
    if found.is_none() {
        form.set_error(key, format!("没有台区 {typed}"));
        return None;
    }
    Some(found)
}

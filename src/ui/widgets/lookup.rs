//! Fields that name an account (by user name) or a 台区 (by code): one lookup for every form
//! that has them, the message placed next to the field when nothing matches.
use crate::service::Service;
use crate::store::customers::AreaRow;
use crate::store::staff::StaffRow;
use crate::ui::widgets::field::Form;

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

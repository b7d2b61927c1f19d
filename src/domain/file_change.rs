//! The new values a change request carries to the customer's file: 更名 a new name, 过户 a
//! new owner (name, ID number, phone), 改类 a new usage category, 增容 / 减容 a new
//! contracted capacity. They are taken at the counter and applied when the order finishes.
use crate::domain::validate::FieldError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

use super::customer::UsageCategory;
use super::customer_file::clean_text;
use super::idcheck;
use super::validate;
use super::work_order::RequestKind;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// usage category code
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<String>,
    /// kVA, exact decimal text
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracted_kva: Option<String>,
}

/// Which new values a kind takes (form field keys).
pub fn fields_needed(kind: RequestKind) -> &'static [&'static str] {
    match kind {
        RequestKind::Rename => &["new_name"],
        RequestKind::Transfer => &["new_name", "new_id", "new_phone"],
        RequestKind::ChangeCategory => &["new_usage"],
        // 新装 and 临时用电 ask for the capacity applied for (issue 18): the file opened at
        // the end takes it as its 合同容量
        RequestKind::CapacityIncrease
        | RequestKind::CapacityDecrease
        | RequestKind::NewConnection
        | RequestKind::Temporary => &["new_kva"],
        _ => &[],
    }
}

/// The new values as typed (field key → text).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeInput {
    pub new_name: String,
    pub new_id: String,
    pub new_phone: String,
    /// 1–4 or the category's name
    pub new_usage: String,
    pub new_kva: String,
}

fn err(field: &'static str, msg: impl std::fmt::Display) -> FieldError {
    FieldError::new(field, msg)
}

impl ChangeInput {
    /// Check what `kind` needs against the file's current capacity (增容 must raise it,
    /// 减容 lower it); the first problem comes back as (field, Chinese message).
    pub fn check(&self, kind: RequestKind, current_kva: &str) -> Result<FileChange, FieldError> {
        let mut c = FileChange::default();
        for f in fields_needed(kind) {
            match *f {
                "new_name" => {
                    c.name = Some(
                        validate::name(&clean_text(&self.new_name), "新户名", 40)
                            .map_err(|m| err("new_name", m))?,
                    )
                }
                "new_id" => {
                    let id = idcheck::normalize_code(&clean_text(&self.new_id));
                    if id.is_empty() {
                        return Err(err("new_id", "过户须填新户主的证件号码"));
                    }
                    idcheck::check_id_card(&id)
                        .or_else(|_| idcheck::check_uscc(&id))
                        .map_err(|_| {
                            err("new_id", "证件号码不对：应为身份证号或统一社会信用代码")
                        })?;
                    c.id_number = Some(id);
                }
                "new_phone" => {
                    let p: String = clean_text(&self.new_phone)
                        .chars()
                        .filter(|ch| *ch != ' ')
                        .collect();
                    if !p.is_empty() {
                        idcheck::check_phone(&p).map_err(|m| err("new_phone", m))?;
                        c.phone = Some(p);
                    }
                }
                "new_usage" => {
                    let t = self.new_usage.trim();
                    let u = validate::pick_numbered(t, &UsageCategory::ALL)
                        .or_else(|| UsageCategory::ALL.into_iter().find(|u| u.label() == t))
                        .ok_or_else(|| {
                            err(
                                "new_usage",
                                "请填 1–4：1 居民生活 2 一般工商业 3 农业生产 4 大工业",
                            )
                        })?;
                    c.usage = Some(u.code().to_string());
                }
                "new_kva" => {
                    let v = Decimal::from_str(validate::fold_digits(&self.new_kva).trim())
                        .ok()
                        .filter(|v| *v > Decimal::ZERO && *v <= Decimal::from(100_000))
                        .ok_or_else(|| {
                            err(
                                "new_kva",
                                if matches!(
                                    kind,
                                    RequestKind::NewConnection | RequestKind::Temporary
                                ) {
                                    "申请容量应为大于 0 的数字（kVA），如 8"
                                } else {
                                    "新容量应为大于 0 的数字（kVA）"
                                },
                            )
                        })?;
                    if let Ok(cur) = Decimal::from_str(current_kva) {
                        if kind == RequestKind::CapacityIncrease && v <= cur {
                            return Err(err(
                                "new_kva",
                                format!("增容后的容量应大于现有 {cur} kVA"),
                            ));
                        }
                        if kind == RequestKind::CapacityDecrease && v >= cur {
                            return Err(err(
                                "new_kva",
                                format!("减容后的容量应小于现有 {cur} kVA"),
                            ));
                        }
                    }
                    c.contracted_kva = Some(v.normalize().to_string());
                }
                _ => {}
            }
        }
        Ok(c)
    }
}

impl FileChange {
    pub fn is_empty(&self) -> bool {
        *self == FileChange::default()
    }

    pub fn to_json(&self) -> String {
        if self.is_empty() {
            String::new()
        } else {
            serde_json::to_string(self).unwrap_or_default()
        }
    }

    pub fn from_json(s: &str) -> FileChange {
        serde_json::from_str(s).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_takes_its_new_values() {
        let mut i = ChangeInput {
            new_name: "王小明".into(),
            ..Default::default()
        };
        let c = i.check(RequestKind::Rename, "6").unwrap();
        assert_eq!(c.name.as_deref(), Some("王小明"));
        assert!(i.check(RequestKind::Transfer, "6").unwrap_err().field == "new_id");
        i.new_id = "11010519491231002X".into();
        assert_eq!(
            i.check(RequestKind::Transfer, "6")
                .unwrap()
                .id_number
                .as_deref(),
            Some("11010519491231002X")
        );
        i.new_kva = "6".into();
        assert_eq!(
            i.check(RequestKind::CapacityIncrease, "6")
                .unwrap_err()
                .field,
            "new_kva"
        );
        i.new_kva = "10".into();
        assert_eq!(
            i.check(RequestKind::CapacityIncrease, "6")
                .unwrap()
                .contracted_kva
                .as_deref(),
            Some("10")
        );
        assert_eq!(
            i.check(RequestKind::CapacityDecrease, "6")
                .unwrap_err()
                .field,
            "new_kva"
        );
        i.new_usage = "2".into();
        assert_eq!(
            i.check(RequestKind::ChangeCategory, "6")
                .unwrap()
                .usage
                .as_deref(),
            Some("commercial")
        );
        assert!(i.check(RequestKind::Suspend, "6").unwrap().is_empty());
        let c = i.check(RequestKind::Rename, "6").unwrap();
        assert_eq!(FileChange::from_json(&c.to_json()), c);
        assert_eq!(FileChange::default().to_json(), "");
    }
}

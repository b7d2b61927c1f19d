//! Creating and editing customer files, inside one transaction with their audit entry:
//! the 户号 typed or the next one of the `customer.account_pattern` setting (allocated inside
//! the write transaction), field-by-field changes with personal data masked.
use super::super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::customer::NewCustomer;
use crate::domain::customer_file::{CheckedCustomer, CustomerDraft};
use crate::domain::idcheck::{mask_id, mask_phone};
use crate::domain::role::Need;
use crate::service::Cx;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::customers;

/// Generate the next 户号 from a pattern such as `037##########` (`#` = a digit): the
/// prefix, then one more than the highest number already given with that prefix.
pub fn next_account_no(pattern: &str, current_max: Option<&str>) -> Result<String, String> {
    let prefix: String = pattern.chars().take_while(|c| *c != '#').collect();
    let width = pattern.chars().filter(|c| *c == '#').count();
    if width == 0 || !pattern.ends_with('#') || !prefix.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "户号规则“{pattern}”不对：应为数字前缀加若干 #，如 037##########"
        ));
    }
    let last: u64 = current_max
        .and_then(|m| m.get(prefix.len()..))
        .and_then(|tail| tail.parse().ok())
        .unwrap_or(0);
    let next = last + 1;
    if next.to_string().len() > width {
        return Err(format!("户号规则“{pattern}”的号码已用完，请所长修改规则"));
    }
    Ok(format!("{prefix}{next:0width$}"))
}

fn masked_id(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        mask_id(s)
    }
}

pub(super) fn masked_phone(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        mask_phone(s)
    }
}

fn resolve_area(tx: &rusqlite::Connection, code: &str) -> ServiceResult<Option<i64>> {
    if code.is_empty() {
        return Ok(None);
    }
    customers::area_by_code(tx, code)?
        .map(|(id, _)| Some(id))
        .ok_or_else(|| ServiceError::invalid("area", format!("没有编码为 {code} 的台区")))
}

impl Service {
    /// Open a customer file. `account_no` typed by the clerk (10 or 13 digits) or empty to
    /// generate it from the setting `customer.account_pattern`. A file with items missing
    /// is kept and marked incomplete. Returns the new file's id.
    pub fn create_customer(
        &mut self,
        session: &Session,
        draft: &CustomerDraft,
        account_no: &str,
    ) -> ServiceResult<i64> {
        let Cx { now, actor, .. } = self.begin(session, Need::Write)?;
        let c = draft
            .check()
            .map_err(|e| ServiceError::invalid(e.field, e.message))?;
        let typed: String = account_no
            .chars()
            .filter(|ch| !ch.is_whitespace())
            .collect();
        if !typed.is_empty()
            && (!typed.chars().all(|ch| ch.is_ascii_digit())
                || !(typed.len() == 10 || typed.len() == 13))
        {
            return Err(ServiceError::invalid(
                "account_no",
                "户号应为 10 位或 13 位数字，留空则自动生成",
            ));
        }
        let pattern = self.setting("customer.account_pattern")?.value;
        self.store_mut().write(|tx| -> ServiceResult<i64> {
            Ok(open_file_in(tx, &c, &typed, &pattern, now, &actor)?.0)
        })
    }

    /// Change a customer file; every changed field is audited with old and new value
    /// (ID numbers and phones masked in the trail). The pinyin initials follow the name.
    pub fn update_customer(
        &mut self,
        session: &Session,
        id: i64,
        draft: &CustomerDraft,
    ) -> ServiceResult<CheckedCustomer> {
        self.correct_customer(session, id, draft, "")
    }

    /// Change a customer file. The 户名 changes through a 更名 or 过户 order; here only as a
    /// correction of a typing mistake, with its reason (`correction`), audited as 资料更正
    /// (`customer.correct`). Without a reason a changed name is refused at the field.
    pub fn correct_customer(
        &mut self,
        session: &Session,
        id: i64,
        draft: &CustomerDraft,
        correction: &str,
    ) -> ServiceResult<CheckedCustomer> {
        let Cx { now, at, actor, .. } = self.begin(session, Need::Write)?;
        let c = draft
            .check()
            .map_err(|e| ServiceError::invalid(e.field, e.message))?;
        let correction = crate::service::orders::line(correction, "correction", "更正原因", 200)?;
        let initials = crate::domain::pinyin::initials(&c.name);
        self.store_mut().write(|tx| -> ServiceResult<()> {
            let old =
                customers::by_id(tx, id)?.ok_or_else(|| ServiceError::NotFound("该客户".into()))?;
            let area_id = resolve_area(tx, &c.area_code)?;
            let old_area = match old.area_id {
                Some(a) => customers::area_code(tx, a)?.unwrap_or_default(),
                None => String::new(),
            };
            let mut ch = Changes::new();
            let mut any = false;
            let mut diff = |name: &str, o: String, n: String| {
                if o != n {
                    ch = std::mem::take(&mut ch).field(name, o, n);
                    any = true;
                }
            };
            if old.name != c.name && correction.is_empty() {
                return Err(ServiceError::invalid(
                    "name",
                    "户名变更应办理更名或过户工单；若只是更正录入错误，请在“更正原因”中写明",
                ));
            }
            diff("name", old.name.clone(), c.name.clone());
            diff("kind", old.kind.code().into(), c.kind.code().into());
            diff(
                "id_number",
                masked_id(&old.id_number),
                masked_id(&c.id_number),
            );
            if old.id_number != c.id_number && masked_id(&old.id_number) == masked_id(&c.id_number)
            {
                diff("id_number_digits", "（旧）".into(), "（已更正）".into());
            }
            diff("phone", masked_phone(&old.phone), masked_phone(&c.phone));
            if old.phone != c.phone && masked_phone(&old.phone) == masked_phone(&c.phone) {
                diff("phone_digits", "（旧）".into(), "（已更正）".into());
            }
            diff("address", old.address.clone(), c.address.clone());
            diff("area", old_area, c.area_code.clone());
            diff(
                "usage",
                old.usage_category.code().into(),
                c.usage.code().into(),
            );
            diff(
                "supply_voltage",
                old.supply_voltage.clone(),
                c.supply_voltage.clone(),
            );
            diff(
                "contracted_kva",
                old.contracted_kva.clone(),
                c.contracted_kva.clone(),
            );
            diff("notes", old.notes.clone(), c.notes.clone());
            diff(
                "docs_incomplete",
                if old.docs_incomplete {
                    "资料不全"
                } else {
                    "齐全"
                }
                .into(),
                if c.missing.is_empty() {
                    "齐全"
                } else {
                    "资料不全"
                }
                .into(),
            );
            if !any {
                return Ok(());
            }
            customers::update_file(tx, id, &fields(&c, &initials, area_id), &at)?;
            let corrected = old.name != c.name;
            if corrected {
                ch = ch.note("reason", correction.clone());
            }
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: if corrected {
                        "customer.correct"
                    } else {
                        "customer.update"
                    },
                    entity: "customer",
                    entity_id: &old.account_no,
                    changes: ch,
                },
            )?;
            Ok(())
        })?;
        Ok(c)
    }
}

impl Service {
    /// Set the tariff category a customer is billed at (执行电价类别) when it differs from the
    /// usage category, or `None` to bill at the usage category again: the chief, with a
    /// reason, audited (`customer.tariff`). Bills computed later use it; the review flags a
    /// category that does not match the usage category.
    pub fn set_tariff_category(
        &mut self,
        session: &Session,
        id: i64,
        tariff: Option<crate::domain::customer::UsageCategory>,
        reason: &str,
    ) -> ServiceResult<()> {
        let Cx { now, at, actor, .. } = self.begin_to(session, Need::Chief, "设定执行电价类别")?;
        let reason = crate::service::orders::line(reason, "reason", "原因", 200)?;
        if reason.is_empty() {
            return Err(ServiceError::invalid(
                "reason",
                "请写明原因（如：核定为一般工商业电价）",
            ));
        }
        let new_code = tariff.map(|t| t.code()).unwrap_or("");
        self.store_mut().write(|tx| -> ServiceResult<()> {
            let c =
                customers::by_id(tx, id)?.ok_or_else(|| ServiceError::NotFound("该客户".into()))?;
            let old_code = customers::tariff_code(tx, id)?.unwrap_or_default();
            if old_code.trim() == new_code {
                return Err(ServiceError::invalid("tariff", "执行电价类别没有变化"));
            }
            customers::set_tariff_code(tx, id, new_code, &at)?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "customer.tariff",
                    entity: "customer",
                    entity_id: &c.account_no,
                    changes: Changes::new()
                        .field("tariff_code", old_code.trim(), new_code)
                        .note("reason", reason.clone()),
                },
            )?;
            Ok(())
        })
    }

    /// Show a customer's full ID number and phone (the screens show them masked): a writing
    /// role, with a reason, audited (`customer.reveal`).
    pub fn reveal_customer_contact(
        &mut self,
        session: &Session,
        id: i64,
        reason: &str,
    ) -> ServiceResult<(String, String)> {
        let Cx { now, actor, .. } = self.begin(session, Need::Write)?;
        let reason = crate::service::orders::line(reason, "reason", "查看原因", 200)?;
        if reason.is_empty() {
            return Err(ServiceError::invalid(
                "reason",
                "请写明查看完整证件号码和电话的原因",
            ));
        }
        self.store_mut()
            .write(|tx| -> ServiceResult<(String, String)> {
                let c = customers::by_id(tx, id)?
                    .ok_or_else(|| ServiceError::NotFound("该客户".into()))?;
                audit::append(
                    tx,
                    NewEntry {
                        at: now,
                        actor: &actor,
                        action: "customer.reveal",
                        entity: "customer",
                        entity_id: &c.account_no,
                        changes: Changes::new().note("reason", reason.clone()),
                    },
                )?;
                Ok((c.id_number, c.phone))
            })
    }
}

/// Open a checked file inside the caller's transaction (the counter's 新建档案, or a new
/// connection order that completes): 户号 typed or generated, insert, audit. Returns the
/// new id and its 户号.
pub(crate) fn open_file_in(
    tx: &rusqlite::Connection,
    c: &CheckedCustomer,
    typed: &str,
    pattern: &str,
    now: chrono::NaiveDateTime,
    actor: &crate::store::audit::Actor,
) -> ServiceResult<(i64, String)> {
    let at = crate::domain::clock::to_db(now);
    let initials = crate::domain::pinyin::initials(&c.name);
    let area_id = resolve_area(tx, &c.area_code)?;
    let account = if typed.is_empty() {
        let prefix: String = pattern.chars().take_while(|ch| *ch != '#').collect();
        let max = customers::max_account_with_prefix(tx, &prefix, pattern.chars().count())?;
        next_account_no(pattern, max.as_deref())
            .map_err(|m| ServiceError::invalid("account_no", m))?
    } else {
        typed.to_string()
    };
    if customers::account_taken(tx, &account)? {
        return Err(ServiceError::invalid(
            "account_no",
            format!("户号 {account} 已被使用"),
        ));
    }
    let new = NewCustomer {
        account_no: account.clone(),
        old_account_no: None,
        name: c.name.clone(),
        kind: c.kind,
        id_number: c.id_number.clone(),
        phone: c.phone.clone(),
        address: c.address.clone(),
        area_code: c.area_code.clone(),
        usage: c.usage,
        supply_voltage: c.supply_voltage.clone(),
        contracted_kva: c.contracted_kva.clone(),
        docs_incomplete: !c.missing.is_empty(),
    };
    let id = customers::insert_customer(tx, &new, &initials, area_id, &at)?;
    if !c.notes.is_empty() {
        customers::update_file(tx, id, &fields(c, &initials, area_id), &at)?;
    }
    audit::append(
        tx,
        NewEntry {
            at: now,
            actor,
            action: "customer.create",
            entity: "customer",
            entity_id: &account,
            changes: Changes::new()
                .created("name", c.name.clone())
                .created("kind", c.kind.code())
                .created("id_number", masked_id(&c.id_number))
                .created("phone", masked_phone(&c.phone))
                .created("address", c.address.clone())
                .created("area", c.area_code.clone())
                .created("usage", c.usage.code())
                .created("supply_voltage", c.supply_voltage.clone())
                .created("contracted_kva", c.contracted_kva.clone())
                .note("missing", c.missing.join("、")),
        },
    )?;
    Ok((id, account))
}

fn fields<'a>(
    c: &'a CheckedCustomer,
    initials: &'a str,
    area_id: Option<i64>,
) -> customers::FileFields<'a> {
    customers::FileFields {
        name: &c.name,
        initials,
        kind: c.kind.code(),
        id_number: &c.id_number,
        phone: &c.phone,
        address: &c.address,
        area_id,
        usage_category: c.usage.code(),
        supply_voltage: &c.supply_voltage,
        contracted_kva: &c.contracted_kva,
        docs_incomplete: !c.missing.is_empty(),
        notes: &c.notes,
    }
}

/// Put a finished change request's new values on the file, inside the caller's
/// transaction, audited like an edit at the counter (personal data masked).
pub(crate) fn apply_change(
    tx: &rusqlite::Connection,
    id: i64,
    change: &crate::domain::file_change::FileChange,
    now: chrono::NaiveDateTime,
    actor: &crate::store::audit::Actor,
    tracking_no: &str,
) -> ServiceResult<()> {
    let at = crate::domain::clock::to_db(now);
    let old = customers::by_id(tx, id)?.ok_or_else(|| ServiceError::NotFound("该客户".into()))?;
    let name = change.name.clone().unwrap_or_else(|| old.name.clone());
    let id_number = change
        .id_number
        .clone()
        .unwrap_or_else(|| old.id_number.clone());
    let phone = change.phone.clone().unwrap_or_else(|| old.phone.clone());
    let usage = change
        .usage
        .clone()
        .unwrap_or_else(|| old.usage_category.code().to_string());
    let kva = change
        .contracted_kva
        .clone()
        .unwrap_or_else(|| old.contracted_kva.clone());
    let initials = crate::domain::pinyin::initials(&name);
    let kind = if id_number.len() == 18 && crate::domain::idcheck::check_uscc(&id_number).is_ok() {
        "org".to_string()
    } else {
        old.kind.code().to_string()
    };
    customers::update_file(
        tx,
        id,
        &customers::FileFields {
            name: &name,
            initials: &initials,
            kind: &kind,
            id_number: &id_number,
            phone: &phone,
            address: &old.address,
            area_id: old.area_id,
            usage_category: &usage,
            supply_voltage: &old.supply_voltage,
            contracted_kva: &kva,
            docs_incomplete: old.docs_incomplete,
            notes: &old.notes,
        },
        &at,
    )?;
    let mut ch = Changes::new().note("order", tracking_no);
    if name != old.name {
        ch = ch.field("name", old.name.clone(), name.clone());
    }
    if id_number != old.id_number {
        ch = ch.field(
            "id_number",
            masked_id(&old.id_number),
            masked_id(&id_number),
        );
    }
    if phone != old.phone {
        ch = ch.field("phone", masked_phone(&old.phone), masked_phone(&phone));
    }
    if usage != old.usage_category.code() {
        ch = ch.field("usage", old.usage_category.code(), usage.clone());
    }
    if kva != old.contracted_kva {
        ch = ch.field("contracted_kva", old.contracted_kva.clone(), kva.clone());
    }
    audit::append(
        tx,
        NewEntry {
            at: now,
            actor,
            action: "customer.update",
            entity: "customer",
            entity_id: &old.account_no,
            changes: ch,
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::next_account_no;

    #[test]
    fn account_numbers_follow_the_pattern() {
        assert_eq!(
            next_account_no("037##########", None).unwrap(),
            "0370000000001"
        );
        assert_eq!(
            next_account_no("037##########", Some("0379553404466")).unwrap(),
            "0379553404467"
        );
        assert!(
            next_account_no("037###", Some("037999"))
                .unwrap_err()
                .contains("用完")
        );
        assert!(next_account_no("AB##", None).is_err());
        assert!(next_account_no("037", None).is_err());
    }
}

//! Customer files (客户档案): reading a file for the screen (personal data masked), the
//! unmasked draft for writing roles, the incomplete files. [`write`] creates and edits
//! files, and puts a finished change request on the file: every write is audited field by
//! field with the ID number and phone masked, so the trail never holds them in full.
mod write;

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::customer::status_label;
use crate::domain::customer_file::CustomerDraft;
use crate::domain::idcheck::{mask_id, mask_phone};
use crate::domain::role::Need;
use crate::store::customers;
use write::masked_phone;
pub use write::next_account_no;
pub(crate) use write::{apply_change, open_file_in};

/// A customer's file as shown at the counter: personal data masked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerFile {
    pub id: i64,
    pub account_no: String,
    pub old_account_no: Option<String>,
    pub name: String,
    /// 个人 / 单位
    pub kind_label: &'static str,
    /// `3701**********1234`
    pub id_masked: String,
    /// `138****5678`
    pub phone_masked: String,
    pub address: String,
    pub area_name: String,
    pub usage_label: &'static str,
    /// the category billed when it is not the usage category (`None` = the usage category)
    pub tariff_label: Option<&'static str>,
    pub supply_voltage: String,
    pub contracted_kva: String,
    pub status_label: &'static str,
    pub docs_incomplete: bool,
    pub notes: String,
    pub created_at: String,
}

impl CustomerFile {
    /// Label / value lines for a screen or a printout.
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        let mut lines = vec![
            ("户号", self.account_no.clone()),
            (
                "旧户号",
                self.old_account_no.clone().unwrap_or_else(|| "—".into()),
            ),
            ("户名", self.name.clone()),
            ("类型", self.kind_label.to_string()),
            ("证件号码", self.id_masked.clone()),
            ("电话", self.phone_masked.clone()),
            ("地址", self.address.clone()),
            ("台区", self.area_name.clone()),
            ("用电类别", self.usage_label.to_string()),
            ("供电电压", self.supply_voltage.clone()),
            ("合同容量", format!("{} kVA", self.contracted_kva)),
            ("状态", self.status_label.to_string()),
            (
                "档案",
                if self.docs_incomplete {
                    "资料不全（待补）"
                } else {
                    "齐全"
                }
                .to_string(),
            ),
            ("建档时间", self.created_at.clone()),
        ];
        // only when it differs: an 80×24 notice has no line to spare
        if let Some(t) = self.tariff_label {
            let at = lines
                .iter()
                .position(|(k, _)| *k == "用电类别")
                .map_or(lines.len(), |i| i + 1);
            lines.insert(at, ("执行电价", format!("{t}（与用电类别不同）")));
        }
        lines
    }
}

impl Service {
    pub fn customer_file(&self, id: i64) -> ServiceResult<CustomerFile> {
        let r = customers::by_id(self.store().conn(), id)?
            .ok_or_else(|| ServiceError::NotFound("该客户".into()))?;
        Ok(CustomerFile {
            id: r.id,
            account_no: r.account_no,
            old_account_no: r.old_account_no,
            name: r.name,
            kind_label: r.kind.label(),
            id_masked: if r.id_number.is_empty() {
                "—".into()
            } else {
                mask_id(&r.id_number)
            },
            phone_masked: if r.phone.is_empty() {
                "—".into()
            } else {
                mask_phone(&r.phone)
            },
            address: r.address,
            area_name: r.area_name.unwrap_or_else(|| "—".into()),
            usage_label: r.usage_category.label(),
            tariff_label: customers::tariff_code(self.store().conn(), id)?
                .and_then(|c| crate::domain::customer::UsageCategory::from_code(c.trim()))
                .map(|t| t.label()),
            supply_voltage: r.supply_voltage,
            contracted_kva: r.contracted_kva,
            status_label: status_label(&r.status),
            docs_incomplete: r.docs_incomplete,
            notes: r.notes,
            created_at: r.created_at,
        })
    }
}

impl Service {
    /// The file as editable text, unmasked: only for roles that change files (the form).
    pub fn customer_draft(&self, session: &Session, id: i64) -> ServiceResult<CustomerDraft> {
        self.begin(session, Need::Write)?;
        let conn = self.store().conn();
        let r =
            customers::by_id(conn, id)?.ok_or_else(|| ServiceError::NotFound("该客户".into()))?;
        let area_code = match r.area_id {
            Some(a) => customers::area_code(conn, a)?.unwrap_or_default(),
            None => String::new(),
        };
        Ok(CustomerDraft {
            name: r.name,
            kind: Some(r.kind),
            id_number: r.id_number,
            phone: r.phone,
            address: r.address,
            usage: Some(r.usage_category),
            area_code,
            supply_voltage: r.supply_voltage,
            contracted_kva: if r.contracted_kva == "0" {
                String::new()
            } else {
                r.contracted_kva
            },
            notes: r.notes,
        })
    }
}

impl Service {
    /// Files created with items missing, for the person who must complete them: an area
    /// manager sees the files of the 台区 they hold, everyone else all of them.
    pub fn incomplete_files(
        &self,
        session: &Session,
        limit: usize,
    ) -> ServiceResult<Vec<crate::service::search::CustomerHit>> {
        let manager = session.sees_own_areas_only().then_some(session.staff_id);
        let rows = customers::incomplete_files(self.store().conn(), manager, limit.clamp(1, 1000))?;
        Ok(rows
            .into_iter()
            .map(
                |(id, account_no, old_account_no, name, phone, address, area_name, status)| {
                    crate::service::search::CustomerHit {
                        id,
                        account_no,
                        old_account_no,
                        name,
                        phone_masked: masked_phone(&phone),
                        address,
                        area_name,
                        status,
                        matched: crate::domain::search::Matched::AccountExact,
                    }
                },
            )
            .collect())
    }
}

//! Customer files (客户档案) and transformer areas (台区): the shapes shared by the
//! store, the services and the demo generator. Rules on them grow with the counter issue.

crate::coded_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum CustomerKind: "客户类型" {
        /// 个人 (resident ID number)
        Person = "person" / "个人",
        /// 单位 (unified social credit code)
        Organisation = "org" / "单位",
    }
}

crate::coded_enum! {
    /// 用电类别
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum UsageCategory: "用电类别" {
        /// 居民生活
        Residential = "residential" / "居民生活",
        /// 一般工商业
        Commercial = "commercial" / "一般工商业",
        /// 农业生产
        Agricultural = "agricultural" / "农业生产",
        /// 大工业
        Industrial = "industrial" / "大工业",
    }
}

/// A transformer area (台区) to be created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewArea {
    pub code: String,
    pub name: String,
    pub capacity_kva: i64,
    /// user name of the responsible area manager, if any
    pub manager_username: Option<String>,
}

/// A customer file to be created. `area_code` refers to a [`NewArea`] / existing 台区.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCustomer {
    /// 户号 (13 digits in the new marketing system)
    pub account_no: String,
    /// the old 10-digit 户号, where the customer had one
    pub old_account_no: Option<String>,
    pub name: String,
    pub kind: CustomerKind,
    /// resident ID number (person) or unified social credit code (organisation)
    pub id_number: String,
    pub phone: String,
    pub address: String,
    pub area_code: String,
    pub usage: UsageCategory,
    /// e.g. "0.22kV", "0.4kV", "10kV"
    pub supply_voltage: String,
    /// contracted capacity in kVA, exact decimal text
    pub contracted_kva: String,
    pub docs_incomplete: bool,
}

/// Chinese label of a stored customer status (`active`, `suspended`, `closed`).
pub fn status_label(code: &str) -> &'static str {
    match code {
        "active" => "正常",
        "suspended" => "暂停",
        "closed" => "已销户",
        _ => "未知",
    }
}

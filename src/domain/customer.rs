//! Customer files (客户档案) and transformer areas (台区): the shapes shared by the
//! store, the services and the demo generator. Rules on them grow with the counter issue.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomerKind {
    /// 个人 (resident ID number)
    Person,
    /// 单位 (unified social credit code)
    Organisation,
}

impl CustomerKind {
    pub fn code(self) -> &'static str {
        match self {
            CustomerKind::Person => "person",
            CustomerKind::Organisation => "org",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "person" => Some(CustomerKind::Person),
            "org" => Some(CustomerKind::Organisation),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            CustomerKind::Person => "个人",
            CustomerKind::Organisation => "单位",
        }
    }
}

/// 用电类别
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UsageCategory {
    /// 居民生活
    Residential,
    /// 一般工商业
    Commercial,
    /// 农业生产
    Agricultural,
    /// 大工业
    Industrial,
}

impl UsageCategory {
    pub const ALL: [UsageCategory; 4] = [
        UsageCategory::Residential,
        UsageCategory::Commercial,
        UsageCategory::Agricultural,
        UsageCategory::Industrial,
    ];
    pub fn code(self) -> &'static str {
        match self {
            UsageCategory::Residential => "residential",
            UsageCategory::Commercial => "commercial",
            UsageCategory::Agricultural => "agricultural",
            UsageCategory::Industrial => "industrial",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
    pub fn label(self) -> &'static str {
        match self {
            UsageCategory::Residential => "居民生活",
            UsageCategory::Commercial => "一般工商业",
            UsageCategory::Agricultural => "农业生产",
            UsageCategory::Industrial => "大工业",
        }
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

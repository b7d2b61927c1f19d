//! Request kinds (DOMAIN.md §1) and the 新装 connection class: what the counter accepts and
//! which choices each kind offers on the form. The chain of stages a kind goes through is in
//! `stage.rs`, the papers it needs in `documents.rs`.
crate::coded_enum! {
    /// 新装 class (业扩报装类别); decides the stage chain and the whole-process limit.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum ConnectionClass: "报装类别" {
        /// 低压居民
        LvResidential = "lv_residential" / "低压居民",
        /// 低压非居民
        LvNonResidential = "lv_nonresidential" / "低压非居民",
        /// 高压单电源
        HvSingle = "hv_single" / "高压单电源",
        /// 高压双电源
        HvDual = "hv_dual" / "高压双电源",
    }
}

impl ConnectionClass {
    pub fn is_high_voltage(self) -> bool {
        matches!(self, ConnectionClass::HvSingle | ConnectionClass::HvDual)
    }
}

crate::coded_enum! {
    /// Request kinds accepted at the counter (DOMAIN.md §1).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum RequestKind: "工单类型" {
        /// 新装
        NewConnection = "new" / "新装",
        /// 增容
        CapacityIncrease = "capacity_up" / "增容",
        /// 减容
        CapacityDecrease = "capacity_down" / "减容",
        /// 暂停
        Suspend = "suspend" / "暂停",
        /// 恢复
        Resume = "resume" / "恢复",
        /// 过户
        Transfer = "transfer" / "过户",
        /// 更名
        Rename = "rename" / "更名",
        /// 改类 (tariff category change)
        ChangeCategory = "change_category" / "改类",
        /// 迁址/移表
        Relocate = "relocate" / "迁址/移表",
        /// 销户
        Close = "close" / "销户",
        /// 临时用电
        Temporary = "temporary" / "临时用电",
        /// 校表 (meter accuracy test request)
        MeterTest = "meter_test" / "校表",
        /// 故障换表
        FaultyMeter = "faulty_meter" / "故障换表",
        /// 咨询/查询: logged with an answer and closed at once
        Inquiry = "inquiry" / "咨询/查询",
    }
}

impl RequestKind {
    /// Whether the form asks for a connection class: required for 新装, optional for 增容
    /// and 临时用电 (high voltage takes the long chain; low voltage when left empty).
    pub fn class_use(self) -> ClassUse {
        match self {
            RequestKind::NewConnection => ClassUse::Required,
            RequestKind::CapacityIncrease | RequestKind::Temporary => ClassUse::Optional,
            _ => ClassUse::None,
        }
    }

    /// Whether a new applicant (no customer file yet) may be accepted: 新装 and 临时用电
    /// (and an anonymous 咨询).
    pub fn allows_applicant(self) -> bool {
        matches!(
            self,
            RequestKind::NewConnection | RequestKind::Temporary | RequestKind::Inquiry
        )
    }

    /// Whether the optional external grid works stage (外线工程) may be chosen.
    pub fn allows_external_works(self, class: Option<ConnectionClass>) -> bool {
        let low = !class.is_some_and(ConnectionClass::is_high_voltage);
        match self {
            RequestKind::NewConnection | RequestKind::CapacityIncrease | RequestKind::Temporary => {
                low
            }
            RequestKind::Relocate => true,
            _ => false,
        }
    }
}

/// How a kind uses the connection class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassUse {
    Required,
    Optional,
    None,
}

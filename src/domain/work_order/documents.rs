//! Documents (一证受理): the identity proof alone is enough to accept an order; the rest
//! may follow, but 装表接电 and 归档 wait for them (`machine.rs`). Why: the provincial rule
//! is that a customer is never sent home for a missing paper.
use super::{ConnectionClass, OrderRefusal, RequestKind};

crate::coded_enum! {
    /// Documents an order may need (一证受理: the identity proof alone is enough to accept).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Document: "资料" {
        /// 身份证明（身份证或营业执照）
        IdProof = "id_proof" / "身份证明（身份证或营业执照）",
        /// 用电地址产权证明
        PropertyProof = "property_proof" / "用电地址产权证明",
        /// 营业执照
        BusinessLicense = "business_license" / "营业执照",
        /// 用电设备清单
        EquipmentList = "equipment_list" / "用电设备清单",
        /// 项目批复（核准、备案）文件
        ProjectApproval = "project_approval" / "项目批复（核准、备案）文件",
        /// 产权变更证明（过户）
        TransferProof = "transfer_proof" / "产权变更证明",
        /// 更名证明
        RenameProof = "rename_proof" / "更名证明",
        /// 用电性质证明（改类）
        UsageProof = "usage_proof" / "用电性质证明",
        /// 新址产权证明（迁址）
        NewAddressProof = "new_address_proof" / "新址产权证明",
        /// 临时用电证明（施工许可等）
        TemporaryPermit = "temporary_permit" / "临时用电证明（施工许可等）",
    }
}

/// The documents a request of this kind needs, identity proof first where it is needed.
pub fn required_documents(kind: RequestKind, class: Option<ConnectionClass>) -> Vec<Document> {
    use Document::*;
    let hv = class.is_some_and(ConnectionClass::is_high_voltage);
    match kind {
        RequestKind::NewConnection => match class {
            Some(ConnectionClass::LvResidential) | None => vec![IdProof, PropertyProof],
            Some(ConnectionClass::LvNonResidential) => {
                vec![IdProof, BusinessLicense, PropertyProof]
            }
            Some(ConnectionClass::HvSingle) | Some(ConnectionClass::HvDual) => vec![
                IdProof,
                BusinessLicense,
                PropertyProof,
                EquipmentList,
                ProjectApproval,
            ],
        },
        RequestKind::CapacityIncrease if hv => vec![IdProof, EquipmentList, ProjectApproval],
        RequestKind::CapacityIncrease => vec![IdProof, EquipmentList],
        RequestKind::Transfer => vec![IdProof, TransferProof],
        RequestKind::Rename => vec![IdProof, RenameProof],
        RequestKind::ChangeCategory => vec![IdProof, UsageProof],
        RequestKind::Relocate => vec![IdProof, NewAddressProof],
        RequestKind::Temporary => vec![IdProof, TemporaryPermit],
        RequestKind::CapacityDecrease
        | RequestKind::Suspend
        | RequestKind::Resume
        | RequestKind::Close
        | RequestKind::MeterTest => vec![IdProof],
        // reported by anyone (often the area manager); a question needs nothing
        RequestKind::FaultyMeter | RequestKind::Inquiry => vec![],
    }
}

/// 一证受理: accept with the identity proof alone. Returns the documents still missing
/// (in the order of [`required_documents`]), or why the request cannot be accepted.
pub fn missing_at_acceptance(
    required: &[Document],
    received: &[Document],
) -> Result<Vec<Document>, OrderRefusal> {
    if required.contains(&Document::IdProof) && !received.contains(&Document::IdProof) {
        return Err(OrderRefusal::NoIdProof);
    }
    Ok(required
        .iter()
        .copied()
        .filter(|d| !received.contains(d))
        .collect())
}

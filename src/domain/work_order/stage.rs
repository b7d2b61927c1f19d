//! Stages and the chain of each kind (DOMAIN.md §2). The chain is fixed when the order is
//! accepted (kind, class, external works) and stored with the order, so a later change of
//! these rules never rewrites an order already under way.
use super::{ConnectionClass, RequestKind};

crate::coded_enum! {
    /// Stages an order passes through.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Stage: "环节" {
        Accept = "accept" / "受理",
        Survey = "survey" / "现场勘查",
        PlanReply = "plan_reply" / "答复供电方案",
        DesignReview = "design_review" / "设计审查",
        MidCheck = "mid_check" / "中间检查",
        CompletionCheck = "completion_check" / "竣工检验",
        Contract = "contract" / "签订供用电合同",
        ExternalWorks = "external_works" / "外线工程",
        Energize = "energize" / "装表接电",
        Review = "review" / "审核",
        Seal = "seal" / "现场加封",
        Unseal = "unseal" / "现场启封",
        MeterRemoval = "meter_removal" / "拆表抄底",
        FinalBill = "final_bill" / "结清电费",
        MeterTest = "meter_test" / "校验电能表",
        MeterSwap = "meter_swap" / "换表",
        Archive = "archive" / "归档",
    }
}

const HV_CHAIN: [Stage; 9] = [
    Stage::Accept,
    Stage::Survey,
    Stage::PlanReply,
    Stage::DesignReview,
    Stage::MidCheck,
    Stage::CompletionCheck,
    Stage::Contract,
    Stage::Energize,
    Stage::Archive,
];

fn lv_chain(external_works: bool) -> Vec<Stage> {
    let mut v = vec![Stage::Accept, Stage::Survey];
    if external_works {
        v.push(Stage::ExternalWorks);
    }
    v.extend([Stage::Energize, Stage::Archive]);
    v
}

/// The stages of an order of `kind`, in order. `external_works` adds 外线工程 where the
/// kind allows it (see [`RequestKind::allows_external_works`]), and is ignored elsewhere.
pub fn stage_chain(
    kind: RequestKind,
    class: Option<ConnectionClass>,
    external_works: bool,
) -> Vec<Stage> {
    let works = external_works && kind.allows_external_works(class);
    let hv = class.is_some_and(ConnectionClass::is_high_voltage);
    use Stage::*;
    match kind {
        RequestKind::NewConnection | RequestKind::CapacityIncrease | RequestKind::Temporary => {
            if hv {
                HV_CHAIN.to_vec()
            } else {
                lv_chain(works)
            }
        }
        RequestKind::Relocate => lv_chain(works),
        RequestKind::CapacityDecrease => vec![Accept, Survey, Seal, Archive],
        RequestKind::Suspend => vec![Accept, Seal, Archive],
        RequestKind::Resume => vec![Accept, Unseal, Archive],
        RequestKind::Transfer => vec![Accept, Review, Contract, Archive],
        RequestKind::Rename => vec![Accept, Review, Archive],
        RequestKind::ChangeCategory => vec![Accept, Survey, Review, Archive],
        RequestKind::Close => vec![Accept, MeterRemoval, FinalBill, Archive],
        RequestKind::MeterTest => vec![Accept, MeterTest, Archive],
        RequestKind::FaultyMeter => vec![Accept, MeterSwap, Archive],
        RequestKind::Inquiry => vec![Accept],
    }
}

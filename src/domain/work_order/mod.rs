//! Work orders (工单) of the one-stop counter (一口对外, 首问负责, 一证受理): request kinds,
//! the stage chain of each kind (DOMAIN.md §2), the documents each kind needs, and the
//! rules of moving an order along. Pure: dates come in as parameters.
//!
//! - [`kind`]: request kinds and the connection class;
//! - [`stage`]: stages and the chain of each kind;
//! - [`documents`]: the papers each kind needs and 一证受理;
//! - [`machine`]: order state and what may be recorded now ([`OrderRefusal`] says why not);
//! - [`contact`]: contact channels and the stale flag.
use chrono::NaiveDate;

pub mod contact;
pub mod documents;
pub mod kind;
pub mod machine;
pub mod stage;

pub use contact::{ContactChannel, is_stale, stale_cutoff};
pub use documents::{Document, missing_at_acceptance, required_documents};
pub use kind::{ClassUse, ConnectionClass, RequestKind};
pub use machine::{
    OrderFacts, OrderState, StageStatus, check_cancel, check_complete_stage, check_fee_collection,
};
pub use stage::{Stage, stage_chain};

/// Why the rules refuse a step on an order. The text is what the counter shows.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OrderRefusal {
    #[error("一证受理：至少须查验身份证明（身份证或营业执照）才能受理")]
    NoIdProof,
    #[error("工单已办结，不能再办理")]
    Completed,
    #[error("工单已撤销，不能再办理")]
    Cancelled,
    #[error("本工单没有「{}」环节", .0.label())]
    NoSuchStage(Stage),
    #[error("「{}」已经完成", .0.label())]
    StageDone(Stage),
    #[error("须按顺序办理：请先完成「{}」，再办「{}」", .before.label(), .stage.label())]
    OutOfOrder { before: Stage, stage: Stage },
    #[error("还有 {0} 项资料未补齐，不能装表接电（所长可为信誉良好的急需客户开通快速通道）")]
    PapersBeforeEnergize(usize),
    #[error("还有 {0} 项资料未补齐，不能归档")]
    PapersBeforeArchive(usize),
    #[error("还有 {0} 笔费用未收取，不能归档")]
    FeesBeforeArchive(usize),
    #[error("工单已办结，不能再收费")]
    FeeWhenCompleted,
    #[error("工单已撤销，不能收费")]
    FeeWhenCancelled,
    #[error("现场勘查尚未完成，不能收取业务费用：须先勘查确认具备供电条件，再收费")]
    FeeBeforeSurvey,
    #[error("请填写撤销原因")]
    NoCancelReason,
    #[error("撤销原因过长（最多 200 个字）")]
    CancelReasonTooLong,
    #[error("今日工单编号已用完（每日最多 9999 张）")]
    TrackingNumbersUsedUp,
}

/// Tracking number: station code + `YYYYMMDD` + a 4-digit sequence of the day.
pub fn tracking_number(
    station_code: &str,
    date: NaiveDate,
    seq: i64,
) -> Result<String, OrderRefusal> {
    if !(1..=9999).contains(&seq) {
        return Err(OrderRefusal::TrackingNumbersUsedUp);
    }
    Ok(format!("{station_code}{}{seq:04}", date.format("%Y%m%d")))
}

#[cfg(test)]
#[path = "../work_order_tests.rs"]
mod tests;

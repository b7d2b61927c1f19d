//! The state machine of an order: which step may be recorded now, and why not. Each
//! refusal is an [`OrderRefusal`] whose Chinese text the counter shows as it is; the service
//! decides which form field it belongs under. Why typed: the service and the tests match on
//! the reason, not on the wording.
use super::{OrderRefusal, Stage};

crate::coded_enum! {
    /// State of a whole order.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum OrderState: "工单状态" {
        /// 办理中
        Open = "open" / "办理中",
        /// 已办结
        Completed = "completed" / "已办结",
        /// 已撤销
        Cancelled = "cancelled" / "已撤销",
    }
}

/// One stage of an order and whether it is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StageStatus {
    pub stage: Stage,
    pub done: bool,
}

/// What the rules need to know about an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderFacts<'a> {
    pub state: OrderState,
    pub stages: &'a [StageStatus],
    pub missing_documents: usize,
    pub uncollected_fees: usize,
    pub fast_channel: bool,
}

impl OrderFacts<'_> {
    /// The first stage not yet done (`None` when all are done).
    pub fn current_stage(&self) -> Option<Stage> {
        self.stages.iter().find(|s| !s.done).map(|s| s.stage)
    }

    /// Whether the chain has a site survey and it is recorded as done; `None` when the
    /// kind has no survey.
    pub fn survey_done(&self) -> Option<bool> {
        self.stages
            .iter()
            .find(|s| s.stage == Stage::Survey)
            .map(|s| s.done)
    }
}

fn require_open(state: OrderState) -> Result<(), OrderRefusal> {
    match state {
        OrderState::Open => Ok(()),
        OrderState::Completed => Err(OrderRefusal::Completed),
        OrderState::Cancelled => Err(OrderRefusal::Cancelled),
    }
}

/// Check that `stage` may be recorded as done now: the order is open, the stage is the
/// next one of its chain, and its preconditions hold (装表接电 needs the documents unless
/// the order is on the fast channel; 归档 needs documents complete and fees collected).
/// Returns the chain position of the stage and whether it finishes the order.
pub fn check_complete_stage(
    facts: &OrderFacts<'_>,
    stage: Stage,
) -> Result<(usize, bool), OrderRefusal> {
    require_open(facts.state)?;
    let pos = facts
        .stages
        .iter()
        .position(|s| s.stage == stage)
        .ok_or(OrderRefusal::NoSuchStage(stage))?;
    if facts.stages[pos].done {
        return Err(OrderRefusal::StageDone(stage));
    }
    if let Some(before) = facts.stages[..pos].iter().find(|s| !s.done) {
        return Err(OrderRefusal::OutOfOrder {
            before: before.stage,
            stage,
        });
    }
    if stage == Stage::Energize && facts.missing_documents > 0 && !facts.fast_channel {
        return Err(OrderRefusal::PapersBeforeEnergize(facts.missing_documents));
    }
    if stage == Stage::Archive {
        if facts.missing_documents > 0 {
            return Err(OrderRefusal::PapersBeforeArchive(facts.missing_documents));
        }
        if facts.uncollected_fees > 0 {
            return Err(OrderRefusal::FeesBeforeArchive(facts.uncollected_fees));
        }
    }
    Ok((pos, pos + 1 == facts.stages.len()))
}

/// The rule from practice: **no business fee may be collected before the site survey is
/// complete**. Orders of kinds without a survey may be charged once accepted.
pub fn check_fee_collection(facts: &OrderFacts<'_>) -> Result<(), OrderRefusal> {
    match facts.state {
        OrderState::Open => {}
        OrderState::Completed => return Err(OrderRefusal::FeeWhenCompleted),
        OrderState::Cancelled => return Err(OrderRefusal::FeeWhenCancelled),
    }
    if facts.survey_done() == Some(false) {
        return Err(OrderRefusal::FeeBeforeSurvey);
    }
    Ok(())
}

/// Cancelling: only an open order, and only with a reason (the order is kept).
pub fn check_cancel(state: OrderState, reason: &str) -> Result<String, OrderRefusal> {
    require_open(state)?;
    let r = reason.trim();
    if r.is_empty() {
        return Err(OrderRefusal::NoCancelReason);
    }
    if r.chars().count() > 200 {
        return Err(OrderRefusal::CancelReasonTooLong);
    }
    Ok(r.to_string())
}

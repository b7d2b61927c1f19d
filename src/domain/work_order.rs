//! Work orders (工单) of the one-stop counter (一口对外, 首问负责, 一证受理): request kinds,
//! the stage chain of each kind (DOMAIN.md §2), the documents each kind needs, and the
//! rules of moving an order along. Pure: dates come in as parameters.
use chrono::NaiveDate;

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
) -> Result<Vec<Document>, String> {
    if required.contains(&Document::IdProof) && !received.contains(&Document::IdProof) {
        return Err("一证受理：至少须查验身份证明（身份证或营业执照）才能受理".into());
    }
    Ok(required
        .iter()
        .copied()
        .filter(|d| !received.contains(d))
        .collect())
}

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

crate::coded_enum! {
    /// Ways the station talks to the customer about an order.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum ContactChannel: "联系方式" {
        Phone = "phone" / "电话",
        Visit = "visit" / "上门",
        Counter = "counter" / "到厅",
        Sms = "sms" / "短信",
        Other = "other" / "其他",
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

fn require_open(state: OrderState) -> Result<(), String> {
    match state {
        OrderState::Open => Ok(()),
        OrderState::Completed => Err("工单已办结，不能再办理".into()),
        OrderState::Cancelled => Err("工单已撤销，不能再办理".into()),
    }
}

/// Check that `stage` may be recorded as done now: the order is open, the stage is the
/// next one of its chain, and its preconditions hold (装表接电 needs the documents unless
/// the order is on the fast channel; 归档 needs documents complete and fees collected).
/// Returns the chain position of the stage and whether it finishes the order.
pub fn check_complete_stage(facts: &OrderFacts<'_>, stage: Stage) -> Result<(usize, bool), String> {
    require_open(facts.state)?;
    let pos = facts
        .stages
        .iter()
        .position(|s| s.stage == stage)
        .ok_or_else(|| format!("本工单没有「{}」环节", stage.label()))?;
    if facts.stages[pos].done {
        return Err(format!("「{}」已经完成", stage.label()));
    }
    if let Some(before) = facts.stages[..pos].iter().find(|s| !s.done) {
        return Err(format!(
            "须按顺序办理：请先完成「{}」，再办「{}」",
            before.stage.label(),
            stage.label()
        ));
    }
    if stage == Stage::Energize && facts.missing_documents > 0 && !facts.fast_channel {
        return Err(format!(
            "还有 {} 项资料未补齐，不能装表接电（所长可为信誉良好的急需客户开通快速通道）",
            facts.missing_documents
        ));
    }
    if stage == Stage::Archive {
        if facts.missing_documents > 0 {
            return Err(format!(
                "还有 {} 项资料未补齐，不能归档",
                facts.missing_documents
            ));
        }
        if facts.uncollected_fees > 0 {
            return Err(format!(
                "还有 {} 笔费用未收取，不能归档",
                facts.uncollected_fees
            ));
        }
    }
    Ok((pos, pos + 1 == facts.stages.len()))
}

/// The rule from practice: **no business fee may be collected before the site survey is
/// complete**. Orders of kinds without a survey may be charged once accepted.
pub fn check_fee_collection(facts: &OrderFacts<'_>) -> Result<(), String> {
    match facts.state {
        OrderState::Open => {}
        OrderState::Completed => return Err("工单已办结，不能再收费".into()),
        OrderState::Cancelled => return Err("工单已撤销，不能收费".into()),
    }
    if facts.survey_done() == Some(false) {
        return Err("现场勘查尚未完成，不能收取业务费用：须先勘查确认具备供电条件，再收费".into());
    }
    Ok(())
}

/// Cancelling: only an open order, and only with a reason (the order is kept).
pub fn check_cancel(state: OrderState, reason: &str) -> Result<String, String> {
    require_open(state)?;
    let r = reason.trim();
    if r.is_empty() {
        return Err("请填写撤销原因".into());
    }
    if r.chars().count() > 200 {
        return Err("撤销原因过长（最多 200 个字）".into());
    }
    Ok(r.to_string())
}

/// The last day on which a contact keeps an order fresh: an open order whose last contact
/// (or acceptance, when there was none) falls before this date is stale.
pub fn stale_cutoff(today: NaiveDate, no_contact_days: i64) -> NaiveDate {
    today
        .checked_sub_signed(chrono::Duration::days(no_contact_days.max(0)))
        .unwrap_or(NaiveDate::MIN)
}

/// An open order with no recorded contact for more than `no_contact_days` days (counted
/// from the last contact, or from acceptance when there was none) is flagged.
pub fn is_stale(
    state: OrderState,
    accepted: NaiveDate,
    last_contact: Option<NaiveDate>,
    today: NaiveDate,
    no_contact_days: i64,
) -> bool {
    if state != OrderState::Open {
        return false;
    }
    let since = last_contact.map_or(accepted, |c| c.max(accepted));
    since < stale_cutoff(today, no_contact_days)
}

/// Tracking number: station code + `YYYYMMDD` + a 4-digit sequence of the day.
pub fn tracking_number(station_code: &str, date: NaiveDate, seq: i64) -> Result<String, String> {
    if !(1..=9999).contains(&seq) {
        return Err("今日工单编号已用完（每日最多 9999 张）".into());
    }
    Ok(format!("{station_code}{}{seq:04}", date.format("%Y%m%d")))
}

#[cfg(test)]
#[path = "work_order_tests.rs"]
mod tests;

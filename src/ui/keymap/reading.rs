//! Keys of reading and checking (抄、核): the reading books, one book's entry screen, the
//! review of held bills and the line-loss table.
use super::tables::b;
use super::{Action as A, Binding, Key as K};
use crate::domain::role::Need::{Read, Write};

pub(super) const READING_BOOKS: &[Binding] = &[
    b(A::Open, &[K::Enter], "录入示数", Read, true),
    b(
        A::ComputeBills,
        &[K::Char('c'), K::F(2)],
        "核算本册",
        Write,
        true,
    ),
    b(A::OpenReview, &[K::Char('v'), K::F(3)], "复核", Read, true),
    b(
        A::ReleaseBook,
        &[K::Char('f'), K::F(4)],
        "发行本册",
        Write,
        true,
    ),
    b(
        A::OpenLineLoss,
        &[K::Char('x'), K::F(5)],
        "线损",
        Read,
        true,
    ),
    b(
        A::OpenCollection,
        &[K::Char('s'), K::F(6)],
        "欠费催收",
        Read,
        true,
    ),
    b(
        A::OpenCollectionRate,
        &[K::Char('r'), K::F(7)],
        "电费回收率",
        Read,
        true,
    ),
    b(
        A::OpenReadingLog,
        &[K::Char('m')],
        "抄表日志与消息",
        Read,
        false,
    ),
    b(A::OpenSpotChecks, &[K::Char('p')], "质量抽查", Read, false),
    b(
        A::ImportReadings,
        &[K::Char('i')],
        "导入示数文件",
        Write,
        true,
    ),
    b(A::SetBook, &[K::Char('e')], "抄表员与抄表日", Write, false),
    b(A::TariffCheck, &[K::Char('t')], "电价执行检查", Read, false),
    b(A::PrevMonth, &[K::Left, K::Char('[')], "上月", Read, true),
    b(A::NextMonth, &[K::Right, K::Char(']')], "下月", Read, true),
];

pub(super) const READING_SHEET: &[Binding] = &[
    b(
        A::SaveReading,
        &[K::Enter],
        "保存示数，下一块表",
        Write,
        true,
    ),
    b(
        A::OtherReading,
        &[K::F(2)],
        "估抄、客户自报、漏抄",
        Write,
        true,
    ),
    b(A::FindMeter, &[K::F(3)], "查找户号或表号", Read, true),
    b(A::NextUnread, &[K::F(4)], "下一块未抄", Read, true),
    b(
        A::ConfirmRollover,
        &[K::F(6)],
        "确认示数（走满归零或电量异常时）",
        Write,
        false,
    ),
    b(
        A::AddNote,
        &[K::F(5)],
        "抄表日志（现场问题、窃电等）",
        Write,
        true,
    ),
];

pub(super) const BILL_REVIEW: &[Binding] = &[
    b(A::AcceptFlag, &[K::Char('a'), K::F(2)], "通过", Write, true),
    b(
        A::ReturnFlag,
        &[K::Char('r'), K::F(3)],
        "退回重抄",
        Write,
        true,
    ),
    b(
        A::ReleaseBook,
        &[K::Char('f'), K::F(4)],
        "发行本册",
        Write,
        true,
    ),
];

pub(super) const LINE_LOSS: &[Binding] = &[
    b(
        A::ExplainLoss,
        &[K::Char('n'), K::F(2)],
        "线损说明",
        Write,
        true,
    ),
    b(A::PrevMonth, &[K::Left, K::Char('[')], "上月", Read, true),
    b(A::NextMonth, &[K::Right, K::Char(']')], "下月", Read, true),
];

pub(super) const COLLECTION_RATE: &[Binding] = &[
    b(A::PrevMonth, &[K::Left, K::Char('[')], "上月", Read, true),
    b(A::NextMonth, &[K::Right, K::Char(']')], "下月", Read, true),
];

pub(super) const READING_LOG: &[Binding] = &[
    b(
        A::PassOn,
        &[K::Char('z'), K::F(2)],
        "转交责任人",
        Write,
        true,
    ),
    b(
        A::GiveFeedback,
        &[K::Char('b'), K::F(3)],
        "填写反馈",
        Write,
        true,
    ),
    b(A::PrevMonth, &[K::Left, K::Char('[')], "上月", Read, true),
    b(A::NextMonth, &[K::Right, K::Char(']')], "下月", Read, true),
];

pub(super) const SPOT_CHECKS: &[Binding] = &[
    b(
        A::NewSpotCheck,
        &[K::Char('n'), K::F(2)],
        "记录抽查",
        Write,
        true,
    ),
    b(A::PrevMonth, &[K::Left, K::Char('[')], "上月", Read, true),
    b(A::NextMonth, &[K::Right, K::Char(']')], "下月", Read, true),
];

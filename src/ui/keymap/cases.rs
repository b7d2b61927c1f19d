//! Keys of complaints and repair calls: the open cases board, one case, and picking the
//! caller.
use super::tables::b;
use super::{Action as A, Binding, Key as K};
use crate::domain::role::Need::{Read, Write};

pub(super) const CASES: &[Binding] = &[
    b(A::Open, &[K::Enter], "详情与处理", Read, true),
    b(A::NewRepair, &[K::Char('b'), K::F(2)], "报修", Write, true),
    b(
        A::NewCase,
        &[K::Char('n'), K::F(3)],
        "登记来电",
        Write,
        true,
    ),
    b(A::Filter, &[K::Char('v')], "筛选", Read, true),
    b(
        A::OpenDutyLog,
        &[K::Char('l')],
        "值班记录（本班全部来电）",
        Read,
        true,
    ),
    b(A::PrintDutyLog, &[K::Char('p')], "打印值班记录", Read, true),
    b(
        A::CaseReport,
        &[K::Char('m')],
        "月报 PDF 与 CSV",
        Read,
        true,
    ),
];

pub(super) const CASE_PAGE: &[Binding] = &[
    b(
        A::RecordStep,
        &[K::Char('s'), K::F(2)],
        "登记处理环节",
        Write,
        true,
    ),
    b(A::DispatchCase, &[K::Char('d')], "派工", Write, true),
    b(
        A::RecordVisit,
        &[K::Char('h'), K::F(3)],
        "回访",
        Write,
        true,
    ),
    b(A::Up, &[K::Up], "上滚", Read, false),
    b(A::Down, &[K::Down], "下滚", Read, false),
];

pub(super) const CASE_CALLER: &[Binding] = &[
    b(A::Open, &[K::Enter], "选定客户", Read, true),
    b(
        A::NoCustomer,
        &[K::F(2)],
        "不是档案客户，填姓名",
        Read,
        true,
    ),
];

pub(super) const DUTY_LOG: &[Binding] = &[
    b(A::Open, &[K::Enter], "详情与处理", Read, true),
    b(A::PrevMonth, &[K::Left, K::Char('[')], "前一班", Read, true),
    b(
        A::NextMonth,
        &[K::Right, K::Char(']')],
        "后一班",
        Read,
        true,
    ),
    b(A::PrintDutyLog, &[K::Char('p')], "打印本班", Read, true),
];

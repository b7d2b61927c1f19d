//! Keys of the counter screens: customer files, 台区, orders and their deadlines.
use super::tables::b;
use super::{Action as A, Binding, Key as K};
use crate::domain::role::Need::{Cashier, Chief, Read, Write};

pub(super) const SEARCH: &[Binding] = &[
    b(A::Open, &[K::Enter], "查看档案", Read, true),
    b(A::NewFile, &[K::F(2)], "新建档案", Write, true),
    b(A::EditFile, &[K::F(3)], "修改档案", Write, true),
    b(A::Accept, &[K::F(4)], "受理业务", Write, true),
    b(
        A::IncompleteFiles,
        &[K::F(5)],
        "资料不全的档案",
        Read,
        false,
    ),
    b(
        A::RevealContact,
        &[K::F(6)],
        "查看完整证件号码和电话（须写原因）",
        Write,
        false,
    ),
    b(A::SwapMeter, &[K::F(7)], "换表（装表）", Write, false),
    b(
        A::SetTariff,
        &[K::F(8)],
        "执行电价类别（所长）",
        Chief,
        false,
    ),
];

pub(super) const AREAS: &[Binding] = &[
    b(
        A::NewArea,
        &[K::Char('n'), K::F(2)],
        "新建台区（所长）",
        Chief,
        true,
    ),
    b(
        A::EditArea,
        &[K::Enter, K::Char('e')],
        "修改（所长）",
        Chief,
        true,
    ),
];

pub(super) const ORDERS: &[Binding] = &[
    b(A::Open, &[K::Enter], "查看工单", Read, true),
    b(
        A::PrintSlip,
        &[K::Char('p'), K::F(5)],
        "打印受理回执",
        Write,
        true,
    ),
    b(
        A::AcceptNew,
        &[K::Char('n'), K::F(2)],
        "新申请人受理",
        Write,
        true,
    ),
    b(A::Filter, &[K::Char('v'), K::F(3)], "筛选", Read, true),
];

/// One order: the main steps in the footer (it fits 80 columns), the rest in the help.
pub(super) const ORDER_PAGE: &[Binding] = &[
    b(
        A::CompleteStage,
        &[K::Char('s'), K::F(2)],
        "完成环节",
        Write,
        true,
    ),
    b(A::RecordContact, &[K::Char('c')], "记录联系", Write, true),
    b(A::SupplyDocument, &[K::Char('d')], "资料补齐", Write, false),
    b(A::AddFee, &[K::Char('f')], "收费项目", Write, false),
    b(A::CollectFee, &[K::Char('g')], "收取费用", Cashier, true),
    b(A::Dispatch, &[K::Char('a')], "派工", Write, true),
    b(A::CancelOrder, &[K::Char('x')], "撤销工单", Write, false),
    b(
        A::PauseClock,
        &[K::Char('t')],
        "暂停计时（客户原因）",
        Write,
        false,
    ),
    b(A::ResumeClock, &[K::Char('r')], "恢复计时", Write, false),
    b(
        A::FastChannel,
        &[K::Char('e')],
        "快速通道（所长）",
        Chief,
        false,
    ),
    b(A::PrintSlip, &[K::Char('p')], "补打回执", Write, true),
    b(A::Up, &[K::Up, K::Char('k')], "向上滚动", Read, false),
    b(A::Down, &[K::Down, K::Char('j')], "向下滚动", Read, false),
];

pub(super) const DEADLINES: &[Binding] = &[
    b(A::Open, &[K::Enter], "查看工单", Read, true),
    b(A::Filter, &[K::Char('v'), K::F(3)], "筛选", Read, true),
    b(
        A::OpenCalendar,
        &[K::Char('l'), K::F(4)],
        "节假日历",
        Read,
        true,
    ),
];

/// The calendar scrolls; PgUp/PgDn change the year here.
pub(super) const CALENDAR: &[Binding] = &[
    b(A::PrevYear, &[K::Left, K::PageUp], "上一年", Read, true),
    b(A::NextYear, &[K::Right, K::PageDown], "下一年", Read, true),
    b(A::Up, &[K::Up, K::Char('k')], "向上滚动", Read, false),
    b(A::Down, &[K::Down, K::Char('j')], "向下滚动", Read, false),
    b(
        A::AddDay,
        &[K::Char('n'), K::F(2)],
        "录入放假/调休日（所长）",
        Chief,
        true,
    ),
    b(
        A::MarkYear,
        &[K::Char('y')],
        "本年录入完毕（所长）",
        Chief,
        true,
    ),
];

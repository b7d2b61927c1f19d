//! Keys of the money screens: 收费, receipts, day ends and outage periods.
use super::tables::b;
use super::{Action as A, Binding, Key as K};
use crate::domain::role::Need::{Cashier, Chief, Read, Write};

pub(super) const PAY_SEARCH: &[Binding] = &[
    b(A::Open, &[K::Enter], "选定客户", Read, true),
    b(A::FindReceipt, &[K::F(4)], "按号查收据", Read, true),
    b(A::OpenDayEnd, &[K::F(5)], "日清日结", Read, true),
    b(A::OpenOutages, &[K::F(6)], "系统停运期", Read, false),
];

pub(super) const PAY_ACCOUNT: &[Binding] = &[
    b(A::TakePayment, &[K::Enter, K::F(2)], "收款", Cashier, true),
    b(
        A::OpenReceipts,
        &[K::Char('r')],
        "收据/作废/红冲",
        Read,
        true,
    ),
    b(
        A::OpenDayEnd,
        &[K::Char('e'), K::F(5)],
        "日清日结",
        Read,
        true,
    ),
    b(
        A::WaiveLateFee,
        &[K::Char('w')],
        "免收所选账单的违约金（所长）",
        Chief,
        false,
    ),
    b(
        A::FindReceipt,
        &[K::Char('f'), K::F(4)],
        "按号查收据",
        Read,
        false,
    ),
    b(
        A::OpenOutages,
        &[K::Char('o'), K::F(6)],
        "系统停运期",
        Read,
        false,
    ),
    b(A::ChangeCustomer, &[K::Char('n')], "换客户", Read, true),
];

pub(super) const RECEIPTS: &[Binding] = &[
    b(A::Open, &[K::Enter], "详情", Read, false),
    b(A::ReprintReceipt, &[K::Char('p')], "补打", Write, true),
    b(
        A::VoidReceipt,
        &[K::Char('x')],
        "作废（当天，所长审批）",
        Cashier,
        true,
    ),
    b(
        A::ReverseReceipt,
        &[K::Char('h')],
        "红冲（所长审批）",
        Cashier,
        true,
    ),
    b(
        A::FindReceipt,
        &[K::Char('f'), K::F(4)],
        "按号查找",
        Read,
        false,
    ),
];

pub(super) const DAY_END: &[Binding] = &[
    b(A::PrevDay, &[K::Left, K::Char('[')], "前一天", Read, true),
    b(A::NextDay, &[K::Right, K::Char(']')], "后一天", Read, false),
    b(
        A::CountCash,
        &[K::Enter, K::Char('c')],
        "点钞日结",
        Cashier,
        true,
    ),
    b(A::PrintDayEnd, &[K::Char('p')], "打印日结单", Write, true),
    b(A::OpenHistory, &[K::Char('l')], "历史日结", Read, true),
];

pub(super) const DAY_ENDS: &[Binding] = &[b(
    A::PrintDayEnd,
    &[K::Char('p')],
    "补打日结单",
    Write,
    true,
)];

pub(super) const OUTAGES: &[Binding] = &[b(
    A::DeclareOutage,
    &[K::Char('n'), K::F(2)],
    "登记停运期（所长）",
    Chief,
    true,
)];

/// 欠费催收: the arrears list and what is done about it.
pub(super) const COLLECTION: &[Binding] = &[
    b(A::Filter, &[K::Char('f')], "筛选", Read, true),
    b(A::MarkArrears, &[K::Char('m')], "认定性质", Write, true),
    b(A::PrintReminder, &[K::Char('p')], "催费通知", Write, true),
    b(
        A::PrintAreaReminders,
        &[K::Char('a')],
        "整个台区的催费通知单",
        Write,
        false,
    ),
    b(
        A::PrintDisconnectNotice,
        &[K::Char('n')],
        "停电通知",
        Write,
        true,
    ),
    b(
        A::RecordDisconnection,
        &[K::Char('x')],
        "登记停电",
        Write,
        true,
    ),
    b(
        A::Reconnect,
        &[K::Char('r')],
        "缴清后复电（开复电工单）",
        Write,
        false,
    ),
    b(
        A::ToggleCandidates,
        &[K::Char('c')],
        "只看可停电的 / 看全部",
        Read,
        false,
    ),
];

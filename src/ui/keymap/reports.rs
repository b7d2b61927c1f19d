//! Keys of the station reports (营业报表) and the 统计 charts.
use super::tables::b;
use super::{Action as A, Binding, Key as K};
use crate::domain::role::Need::Read;

/// Making a report: every role may (a report changes nothing; each one is audited).
pub(super) const REPORTS: &[Binding] = &[
    b(A::WriteReport, &[K::Enter, K::F(5)], "生成报表", Read, true),
    b(A::PrevMonth, &[K::Left, K::Char('[')], "上一期", Read, true),
    b(
        A::NextMonth,
        &[K::Right, K::Char(']')],
        "下一期",
        Read,
        true,
    ),
    b(
        A::SwitchReportKind,
        &[K::Tab, K::Char('m')],
        "日报/月报",
        Read,
        true,
    ),
    b(A::SwitchReportFormat, &[K::Char('f')], "格式", Read, true),
    b(A::OpenStats, &[K::Char('g')], "统计图", Read, true),
];

pub(super) const STATS: &[Binding] = &[
    b(
        A::PrevMonth,
        &[K::Left, K::Char('[')],
        "早一个月",
        Read,
        true,
    ),
    b(
        A::NextMonth,
        &[K::Right, K::Char(']')],
        "晚一个月",
        Read,
        true,
    ),
    b(A::OpenReports, &[K::Char('b')], "营业报表", Read, true),
];

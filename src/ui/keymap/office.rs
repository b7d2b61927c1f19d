//! Keys of the home menu and the station office screens: settings, accounts, the audit
//! log and the assessment.
use super::tables::b;
use super::{Action as A, Binding, Key as K};
use crate::domain::role::Need::{Admin, Auditor, Chief, Read, Write};

pub(super) const HOME: &[Binding] = &[
    b(A::OpenCustomers, &[K::Char('c')], "客户查询", Read, true),
    b(A::OpenAreas, &[K::Char('a')], "台区管理", Read, false),
    b(
        A::OpenCounter,
        &[K::F(2), K::Char('y')],
        "营业受理",
        Read,
        false,
    ),
    b(
        A::OpenPayments,
        &[K::F(3), K::Char('s')],
        "收费",
        Read,
        false,
    ),
    b(
        A::OpenDeadlines,
        &[K::F(4), K::Char('d')],
        "业扩时限",
        Read,
        false,
    ),
    b(
        A::OpenMeters,
        &[K::F(5), K::Char('j')],
        "计量装置",
        Read,
        false,
    ),
    b(
        A::OpenCases,
        &[K::F(6), K::Char('t')],
        "投诉报修",
        Read,
        false,
    ),
    b(
        A::OpenReports,
        &[K::F(7), K::Char('b')],
        "报表",
        Read,
        false,
    ),
    b(
        A::OpenAudit,
        &[K::F(8), K::Char('r')],
        "稽查与审计日志",
        Read,
        true,
    ),
    b(
        A::OpenSettings,
        &[K::F(9), K::Char('z')],
        "系统设置",
        Read,
        true,
    ),
    b(A::MyWork, &[K::Char('w')], "我的工作", Read, false),
    b(A::OpenDayEnd, &[K::Char('e')], "日清日结", Read, false),
    b(A::OpenReading, &[K::Char('h')], "抄表核算", Read, false),
    b(A::OpenAssessment, &[K::Char('k')], "考核", Read, false),
    b(A::OpenStats, &[K::Char('g')], "统计图", Read, false),
    b(A::OpenAccounts, &[K::Char('u')], "账号管理", Admin, false),
    b(A::ChangePassword, &[K::Char('p')], "修改密码", Read, false),
    b(A::Lock, &[K::Char('l')], "锁屏", Read, true),
    b(A::SignOut, &[K::Char('o')], "注销（换人登录）", Read, false),
    b(A::Quit, &[K::F(10), K::Char('q')], "退出", Read, true),
];

pub(super) const SETTINGS: &[Binding] = &[
    b(
        A::EditSetting,
        &[K::Enter, K::Char('e')],
        "修改（所长）",
        Chief,
        true,
    ),
    b(A::ResetDefault, &[K::Char('m')], "恢复默认值", Chief, true),
    b(A::EditStation, &[K::Char('i')], "供电所资料", Chief, false),
    b(A::OpenHandover, &[K::Char('x')], "数据交接", Read, false),
    b(
        A::PrintTestPage,
        &[K::Char('t'), K::F(5)],
        "打印测试页",
        Read,
        true,
    ),
];

/// 数据交接: the bundles for the provincial system.
pub(super) const HANDOVER: &[Binding] = &[
    b(
        A::ExportBundle,
        &[K::Char('x'), K::F(2)],
        "导出交接包（所长）",
        Chief,
        true,
    ),
    b(
        A::ConfirmBundle,
        &[K::Char('c')],
        "确认县公司已接收",
        Chief,
        true,
    ),
];

pub(super) const ACCOUNTS: &[Binding] = &[
    b(
        A::NewAccount,
        &[K::Char('n'), K::F(2)],
        "新建账号",
        Admin,
        true,
    ),
    b(A::ResetPassword, &[K::Char('r')], "重置密码", Admin, true),
    b(A::ToggleActive, &[K::Char('d')], "停用 / 启用", Admin, true),
];

pub(super) const AUDIT: &[Binding] = &[
    b(A::PageUp, &[K::PageUp], "较新一页", Read, true),
    b(A::PageDown, &[K::PageDown], "较早一页", Read, true),
    b(A::VerifyChain, &[K::Char('v')], "校验", Read, true),
    b(
        A::Filter,
        &[K::F(3), K::Char('f')],
        "筛选（人、日期、操作）",
        Read,
        true,
    ),
    b(A::PrintKeySheet, &[K::Char('m')], "打印密钥单", Chief, true),
];

pub(super) const INSPECTION: &[Binding] = &[
    b(A::Open, &[K::Enter], "打开", Read, true),
    b(
        A::Filter,
        &[K::F(3), K::Char('f')],
        "筛选（人员、日期、台区）",
        Read,
        true,
    ),
];

pub(super) const AUDIT_TABLE: &[Binding] = &[
    b(A::Open, &[K::Enter], "整行", Read, true),
    b(
        A::Filter,
        &[K::F(3), K::Char('f')],
        "筛选（人员、日期、台区）",
        Read,
        true,
    ),
    b(
        A::ShowAll,
        &[K::Char('a')],
        "显示全部（逐条核对）",
        Read,
        true,
    ),
];

pub(super) const FINDINGS: &[Binding] = &[
    b(A::Open, &[K::Enter], "经过", Read, true),
    b(
        A::NewFinding,
        &[K::Char('n'), K::F(2)],
        "登记整改事项",
        Auditor,
        true,
    ),
    b(A::RecordFix, &[K::Char('x')], "填报整改情况", Write, true),
    b(A::AcceptFix, &[K::Char('y')], "验收销号", Auditor, true),
    b(A::ReturnFix, &[K::Char('r')], "退回重改", Auditor, true),
    b(
        A::PrintAuditReport,
        &[K::Char('p')],
        "打印本月稽查报告",
        Read,
        true,
    ),
    b(A::PrevMonth, &[K::Left, K::Char('[')], "上月", Read, false),
    b(A::NextMonth, &[K::Right, K::Char(']')], "下月", Read, false),
];

pub(super) const ASSESSMENT: &[Binding] = &[
    b(A::PrevMonth, &[K::Left, K::Char('[')], "上月", Read, false),
    b(A::NextMonth, &[K::Right, K::Char(']')], "下月", Read, false),
    b(A::Open, &[K::Enter], "依据", Read, true),
    b(A::ConfirmEntry, &[K::Char('y')], "确认", Chief, true),
    b(A::WaiveEntry, &[K::Char('w')], "免考核", Chief, true),
    b(
        A::ReopenEntry,
        &[K::Char('o')],
        "撤回决定（改回待确认，所长）",
        Chief,
        false,
    ),
    b(A::Filter, &[K::Char('v')], "筛选", Read, true),
    b(A::OpenSummary, &[K::Char('s')], "汇总", Read, true),
    b(A::OpenRules, &[K::Char('r')], "规则", Read, true),
];

pub(super) const ASSESSMENT_RULES: &[Binding] = &[b(
    A::EditRule,
    &[K::Enter, K::Char('e')],
    "修改金额、天数、启用（所长）",
    Chief,
    true,
)];

pub(super) const ASSESSMENT_SUMMARY: &[Binding] = &[
    b(A::PrevMonth, &[K::Left, K::Char('[')], "上月", Read, true),
    b(A::NextMonth, &[K::Right, K::Char(']')], "下月", Read, true),
    b(A::PrintSummary, &[K::Char('p')], "打印 PDF", Read, true),
    b(A::ExportCsv, &[K::Char('e')], "导出 CSV", Read, true),
];

pub(super) const METERS: &[Binding] = &[
    b(A::Open, &[K::Enter], "详情", Read, true),
    b(A::FindMeter, &[K::F(3), K::Char('f')], "查找", Read, true),
    b(
        A::OpenRotation,
        &[K::Char('l'), K::F(4)],
        "轮换计划",
        Read,
        true,
    ),
    b(
        A::OpenChecks,
        &[K::Char('c'), K::F(6)],
        "现场检验",
        Read,
        true,
    ),
    b(A::PrevTab, &[K::Left], "上一类状态", Read, false),
    b(A::NextTab, &[K::Right], "下一类状态", Read, false),
    b(
        A::ReceiveMeters,
        &[K::Char('n'), K::F(2)],
        "入库（起止编号）",
        Write,
        true,
    ),
    b(
        A::ImportMeters,
        &[K::Char('i')],
        "导入供应商文件",
        Write,
        false,
    ),
    b(A::SendForTest, &[K::Char('t')], "送检", Write, true),
    b(A::TestPassed, &[K::Char('p')], "检定合格入库", Write, false),
    b(A::ScrapMeter, &[K::Char('x')], "报废", Write, false),
    b(
        A::ExtendBatch,
        &[K::Char('e')],
        "批量延长有效期（所长）",
        Chief,
        false,
    ),
];

pub(super) const ROTATION: &[Binding] = &[
    b(A::PrevMonth, &[K::Left, K::Char('[')], "上月", Read, true),
    b(
        A::NextMonth,
        &[K::Right, K::Char(']')],
        "下月（全年、1–12 月）",
        Read,
        true,
    ),
    b(A::NextYear, &[K::Char('y')], "今年 / 明年", Read, false),
    b(
        A::ShowProgress,
        &[K::Char('p'), K::F(5)],
        "进度",
        Read,
        true,
    ),
    b(
        A::ProposePlan,
        &[K::Char('g')],
        "生成计划（所长）",
        Chief,
        true,
    ),
    b(
        A::MoveItem,
        &[K::Char('m')],
        "调整月份（所长）",
        Chief,
        false,
    ),
    b(
        A::ApprovePlan,
        &[K::Char('a')],
        "批准计划（所长）",
        Chief,
        false,
    ),
    b(A::ReportMeter, &[K::Char('r')], "上报表计", Write, false),
    b(
        A::PrintWorkList,
        &[K::Char('w')],
        "打印本月工作单",
        Write,
        false,
    ),
    b(A::ExportCsv, &[K::Char('x')], "导出 CSV", Read, false),
];

pub(super) const CHECKS: &[Binding] = &[
    b(
        A::RecordCheck,
        &[K::Enter, K::Char('r')],
        "登记检验",
        Write,
        true,
    ),
    b(
        A::NextMonth,
        &[K::Right, K::Char(']')],
        "再往后一个月",
        Read,
        true,
    ),
    b(
        A::PrevMonth,
        &[K::Left, K::Char('[')],
        "往前一个月",
        Read,
        false,
    ),
];

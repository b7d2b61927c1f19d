//! One list of actions and their keys per screen: the footer hints, the F1/? help and the
//! key handling all come from here, so they cannot drift apart.
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Help,
    /// the session's messages in full
    MessageLog,
    Back,
    Quit,
    Lock,
    SignOut,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    NextField,
    PrevField,
    Submit,
    OpenCounter,
    OpenPayments,
    OpenDeadlines,
    OpenMeters,
    OpenCases,
    OpenReports,
    OpenAudit,
    OpenCustomers,
    OpenAreas,
    NewFile,
    EditFile,
    Accept,
    CompleteStage,
    RecordContact,
    SupplyDocument,
    AddFee,
    CollectFee,
    Dispatch,
    CancelOrder,
    PauseClock,
    FastChannel,
    ResumeClock,
    OpenCalendar,
    AddDay,
    MarkYear,
    PrevYear,
    NextYear,
    Filter,
    IncompleteFiles,
    OpenSettings,
    OpenAccounts,
    ChangePassword,
    Edit,
    ResetDefault,
    PrintTestPage,
    NewAccount,
    ResetPassword,
    ToggleActive,
    VerifyChain,
    Yes,
    No,
    SwitchUser,
    OpenAssessment,
    PrevMonth,
    NextMonth,
    ConfirmEntry,
    WaiveEntry,
    ReopenEntry,
    OpenRules,
    OpenSummary,
    Print,
    ExportCsv,
    TakePayment,
    OpenReceipts,
    FindReceipt,
    ChangeCustomer,
    WaiveLateFee,
    OpenOutages,
    OpenDayEnd,
    VoidReceipt,
    ReverseReceipt,
    PrevDay,
    NextDay,
    CountCash,
    OpenHistory,
}

/// A key as written in the tables below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    F(u8),
    Char(char),
    Esc,
    Enter,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
}

impl Key {
    fn matches(self, ev: &KeyEvent) -> bool {
        match (self, ev.code) {
            (Key::F(n), KeyCode::F(m)) => n == m,
            (Key::Char(c), KeyCode::Char(d)) => {
                !ev.modifiers.contains(KeyModifiers::CONTROL) && c.eq_ignore_ascii_case(&d)
            }
            (Key::Esc, KeyCode::Esc) => true,
            (Key::Enter, KeyCode::Enter) => true,
            (Key::Tab, KeyCode::Tab) => true,
            (Key::BackTab, KeyCode::BackTab) => true,
            (Key::Up, KeyCode::Up) => true,
            (Key::Down, KeyCode::Down) => true,
            (Key::Left, KeyCode::Left) => true,
            (Key::Right, KeyCode::Right) => true,
            (Key::PageUp, KeyCode::PageUp) => true,
            (Key::PageDown, KeyCode::PageDown) => true,
            (Key::Home, KeyCode::Home) => true,
            (Key::End, KeyCode::End) => true,
            _ => false,
        }
    }
}

pub struct Binding {
    pub action: Action,
    pub keys: &'static [Key],
    /// how the key is written in the footer and help
    pub key_label: &'static str,
    pub desc: &'static str,
    /// shown in the one-line footer (the help lists all)
    pub footer: bool,
}

const fn b(
    action: Action,
    keys: &'static [Key],
    key_label: &'static str,
    desc: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        action,
        keys,
        key_label,
        desc,
        footer,
    }
}

/// The screens (and dialogs) that have their own keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// any form: typed letters go into the fields
    Form,
    /// the sign-in form: Esc quits
    Login,
    /// the list of 台区
    Areas,
    /// the order board
    Orders,
    /// one order
    OrderPage,
    /// the deadline board
    Deadlines,
    /// the working-day calendar
    Calendar,
    /// a search box over a list: typed letters search, arrows move in the list
    Search,
    Home,
    Settings,
    Accounts,
    Audit,
    Confirm,
    Locked,
    Notice,
    /// a yes/no question where Enter must not choose for the user
    YesNo,
    /// the assessment entries of a month
    Assessment,
    /// the assessment rules
    AssessmentRules,
    /// the monthly assessment summary
    AssessmentSummary,
    /// 收费, no customer yet: typed letters search
    PaySearch,
    /// 收费, a customer's account
    PayAccount,
    /// a customer's receipts (or receipts found by number)
    Receipts,
    /// the cashier's day end
    DayEnd,
    /// past day ends
    DayEnds,
    /// declared outage periods
    Outages,
}

use Action as A;
use Key as K;

static FORM: &[Binding] = &[
    b(A::NextField, &[K::Tab, K::Down], "Tab/↓", "下一项", true),
    b(
        A::PrevField,
        &[K::BackTab, K::Up],
        "Shift+Tab/↑",
        "上一项",
        false,
    ),
    b(
        A::Submit,
        &[K::Enter],
        "Enter",
        "确定（在最后一项时提交）",
        true,
    ),
    b(A::Back, &[K::Esc], "Esc", "返回 / 取消", true),
    b(A::Help, &[K::F(1)], "F1", "帮助", true),
];

static LOGIN: &[Binding] = &[
    b(A::NextField, &[K::Tab, K::Down], "Tab/↓", "下一项", true),
    b(
        A::PrevField,
        &[K::BackTab, K::Up],
        "Shift+Tab/↑",
        "上一项",
        false,
    ),
    b(A::Submit, &[K::Enter], "Enter", "确定 / 登录", true),
    b(A::Back, &[K::Esc], "Esc", "退出程序", true),
    b(A::Help, &[K::F(1)], "F1", "帮助", true),
];

static SEARCH: &[Binding] = &[
    b(A::Up, &[K::Up], "↑↓", "选择", true),
    b(A::PageDown, &[K::PageDown], "PgUp/PgDn", "翻页", false),
    b(A::Submit, &[K::Enter], "Enter", "查看档案", true),
    b(A::NewFile, &[K::F(2)], "F2", "新建档案", true),
    b(A::EditFile, &[K::F(3)], "F3", "修改档案", true),
    b(A::Accept, &[K::F(4)], "F4", "受理业务", true),
    b(
        A::IncompleteFiles,
        &[K::F(5)],
        "F5",
        "资料不全的档案",
        false,
    ),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1)], "F1", "帮助", true),
];

static AREAS: &[Binding] = &[
    b(A::Up, &[K::Up, K::Char('k')], "↑", "上一个", false),
    b(A::Down, &[K::Down, K::Char('j')], "↓", "下一个", false),
    b(
        A::NewFile,
        &[K::Char('n'), K::F(2)],
        "N",
        "新建台区（所长）",
        true,
    ),
    b(
        A::Edit,
        &[K::Enter, K::Char('e')],
        "Enter",
        "修改（所长）",
        true,
    ),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static ORDERS: &[Binding] = &[
    b(A::Up, &[K::Up, K::Char('k')], "↑", "上一件", false),
    b(A::Down, &[K::Down, K::Char('j')], "↓", "下一件", false),
    b(A::Submit, &[K::Enter], "Enter", "查看工单", true),
    b(
        A::PrintTestPage,
        &[K::Char('p'), K::F(5)],
        "P",
        "打印受理回执",
        true,
    ),
    b(
        A::NewFile,
        &[K::Char('n'), K::F(2)],
        "N",
        "新申请人受理",
        true,
    ),
    b(A::Filter, &[K::Char('v'), K::F(3)], "V", "筛选", true),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static ORDER_PAGE: &[Binding] = &[
    b(
        A::CompleteStage,
        &[K::Char('s'), K::F(2)],
        "S",
        "完成当前环节",
        true,
    ),
    b(A::RecordContact, &[K::Char('c')], "C", "记录联系", true),
    b(A::SupplyDocument, &[K::Char('d')], "D", "资料补齐", false),
    b(A::AddFee, &[K::Char('f')], "F", "收费项目", false),
    b(A::CollectFee, &[K::Char('g')], "G", "收取费用", false),
    b(A::Dispatch, &[K::Char('a')], "A", "派工", false),
    b(A::CancelOrder, &[K::Char('x')], "X", "撤销工单", false),
    b(
        A::PauseClock,
        &[K::Char('t')],
        "T",
        "暂停计时（客户原因）",
        false,
    ),
    b(A::ResumeClock, &[K::Char('r')], "R", "恢复计时", false),
    b(
        A::FastChannel,
        &[K::Char('e')],
        "E",
        "快速通道（所长）",
        false,
    ),
    b(A::PrintTestPage, &[K::Char('p')], "P", "补打受理回执", true),
    b(A::Up, &[K::Up, K::Char('k')], "↑↓", "上下滚动", false),
    b(A::Down, &[K::Down, K::Char('j')], "↓", "向下滚动", false),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static DEADLINES: &[Binding] = &[
    b(A::Up, &[K::Up, K::Char('k')], "↑", "上一件", false),
    b(A::Down, &[K::Down, K::Char('j')], "↓", "下一件", false),
    b(A::Submit, &[K::Enter], "Enter", "查看工单", true),
    b(A::Filter, &[K::Char('v'), K::F(3)], "V", "筛选", true),
    b(
        A::OpenCalendar,
        &[K::Char('l'), K::F(4)],
        "L",
        "节假日历",
        true,
    ),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static CALENDAR: &[Binding] = &[
    b(A::PrevYear, &[K::Left, K::PageUp], "←/→", "换年份", true),
    b(A::NextYear, &[K::Right, K::PageDown], "→", "下一年", false),
    b(A::Up, &[K::Up, K::Char('k')], "↑↓", "上下滚动", false),
    b(A::Down, &[K::Down, K::Char('j')], "↓", "向下滚动", false),
    b(
        A::AddDay,
        &[K::Char('n'), K::F(2)],
        "N",
        "录入放假/调休日（所长）",
        true,
    ),
    b(
        A::MarkYear,
        &[K::Char('y')],
        "Y",
        "本年录入完毕（所长）",
        true,
    ),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static HOME: &[Binding] = &[
    b(A::OpenCustomers, &[K::Char('c')], "C", "客户查询", true),
    b(A::OpenAreas, &[K::Char('a')], "A", "台区管理", false),
    b(
        A::OpenCounter,
        &[K::F(2), K::Char('y')],
        "F2/Y",
        "营业受理",
        false,
    ),
    b(
        A::OpenPayments,
        &[K::F(3), K::Char('s')],
        "F3/S",
        "收费",
        false,
    ),
    b(
        A::OpenDeadlines,
        &[K::F(4), K::Char('d')],
        "F4/D",
        "业扩时限",
        false,
    ),
    b(
        A::OpenMeters,
        &[K::F(5), K::Char('j')],
        "F5/J",
        "计量装置",
        false,
    ),
    b(
        A::OpenCases,
        &[K::F(6), K::Char('t')],
        "F6/T",
        "投诉报修",
        false,
    ),
    b(
        A::OpenReports,
        &[K::F(7), K::Char('b')],
        "F7/B",
        "报表",
        false,
    ),
    b(
        A::OpenAudit,
        &[K::F(8), K::Char('r')],
        "F8/R",
        "审计日志",
        true,
    ),
    b(
        A::OpenSettings,
        &[K::F(9), K::Char('z')],
        "F9/Z",
        "系统设置",
        true,
    ),
    b(A::OpenDayEnd, &[K::Char('e')], "E", "日清日结", false),
    b(A::OpenAssessment, &[K::Char('k')], "K", "考核", false),
    b(A::OpenAccounts, &[K::Char('u')], "U", "账号管理", false),
    b(A::ChangePassword, &[K::Char('p')], "P", "修改密码", false),
    b(A::Lock, &[K::Char('l')], "L", "锁屏", true),
    b(A::SignOut, &[K::Char('o')], "O", "注销（换人登录）", false),
    b(
        A::Quit,
        &[K::F(10), K::Char('q'), K::Esc],
        "F10/Q",
        "退出",
        true,
    ),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static SETTINGS: &[Binding] = &[
    b(A::Up, &[K::Up, K::Char('k')], "↑", "上一项", false),
    b(A::Down, &[K::Down, K::Char('j')], "↓", "下一项", false),
    b(A::PageUp, &[K::PageUp], "PgUp", "上一页", false),
    b(A::PageDown, &[K::PageDown], "PgDn", "下一页", false),
    b(
        A::Edit,
        &[K::Enter, K::Char('e')],
        "Enter",
        "修改（所长）",
        true,
    ),
    b(A::ResetDefault, &[K::Char('m')], "M", "恢复默认值", true),
    b(
        A::PrintTestPage,
        &[K::Char('t'), K::F(5)],
        "T",
        "打印测试页",
        true,
    ),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static ACCOUNTS: &[Binding] = &[
    b(A::Up, &[K::Up, K::Char('k')], "↑", "上一个", false),
    b(A::Down, &[K::Down, K::Char('j')], "↓", "下一个", false),
    b(
        A::NewAccount,
        &[K::Char('n'), K::F(2)],
        "N",
        "新建账号",
        true,
    ),
    b(A::ResetPassword, &[K::Char('r')], "R", "重置密码", true),
    b(A::ToggleActive, &[K::Char('d')], "D", "停用 / 启用", true),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static AUDIT: &[Binding] = &[
    b(A::Up, &[K::Up, K::Char('k')], "↑", "上一条", false),
    b(A::Down, &[K::Down, K::Char('j')], "↓", "下一条", false),
    b(A::PageUp, &[K::PageUp], "PgUp", "较新一页", true),
    b(A::PageDown, &[K::PageDown], "PgDn", "较早一页", true),
    b(A::VerifyChain, &[K::Char('v')], "V", "校验审计链", true),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static ASSESSMENT: &[Binding] = &[
    b(A::Up, &[K::Up], "↑", "上一条", false),
    b(A::Down, &[K::Down], "↓", "下一条", false),
    b(A::PrevMonth, &[K::Left, K::Char('[')], "←/[", "上月", false),
    b(
        A::NextMonth,
        &[K::Right, K::Char(']')],
        "→/]",
        "下月",
        false,
    ),
    b(A::Submit, &[K::Enter], "Enter", "依据", true),
    b(A::ConfirmEntry, &[K::Char('y')], "Y", "确认", true),
    b(A::WaiveEntry, &[K::Char('w')], "W", "免考核", true),
    b(
        A::ReopenEntry,
        &[K::Char('o')],
        "O",
        "撤回决定（改回待确认，所长）",
        false,
    ),
    b(A::Filter, &[K::Char('v')], "V", "筛选", true),
    b(A::OpenSummary, &[K::Char('s')], "S", "汇总", true),
    b(A::OpenRules, &[K::Char('r')], "R", "规则", true),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static ASSESSMENT_RULES: &[Binding] = &[
    b(A::Up, &[K::Up, K::Char('k')], "↑", "上一条", false),
    b(A::Down, &[K::Down, K::Char('j')], "↓", "下一条", false),
    b(
        A::Edit,
        &[K::Enter, K::Char('e')],
        "Enter",
        "修改金额、天数、启用（所长）",
        true,
    ),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static ASSESSMENT_SUMMARY: &[Binding] = &[
    b(A::Up, &[K::Up, K::Char('k')], "↑", "上一人", false),
    b(A::Down, &[K::Down, K::Char('j')], "↓", "下一人", false),
    b(A::PrevMonth, &[K::Left, K::Char('[')], "←/[", "上月", true),
    b(A::NextMonth, &[K::Right, K::Char(']')], "→/]", "下月", true),
    b(A::Print, &[K::Char('p')], "P", "打印 PDF", true),
    b(A::ExportCsv, &[K::Char('e')], "E", "导出 CSV", true),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static PAY_SEARCH: &[Binding] = &[
    b(A::Up, &[K::Up], "↑↓", "选择", true),
    b(A::PageDown, &[K::PageDown], "PgUp/PgDn", "翻页", false),
    b(A::Submit, &[K::Enter], "Enter", "选定客户", true),
    b(A::FindReceipt, &[K::F(4)], "F4", "按号查收据", true),
    b(A::OpenDayEnd, &[K::F(5)], "F5", "日清日结", true),
    b(A::OpenOutages, &[K::F(6)], "F6", "系统停运期", false),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1)], "F1", "帮助", true),
];

static PAY_ACCOUNT: &[Binding] = &[
    b(A::Up, &[K::Up, K::Char('k')], "↑↓", "选择账单", false),
    b(A::Down, &[K::Down, K::Char('j')], "↓", "下一张账单", false),
    b(
        A::TakePayment,
        &[K::Enter, K::F(2)],
        "Enter/F2",
        "收款",
        true,
    ),
    b(
        A::OpenReceipts,
        &[K::Char('r')],
        "R",
        "收据/作废/红冲",
        true,
    ),
    b(
        A::OpenDayEnd,
        &[K::Char('e'), K::F(5)],
        "E",
        "日清日结",
        true,
    ),
    b(
        A::WaiveLateFee,
        &[K::Char('w')],
        "W",
        "免收所选账单的违约金（所长）",
        false,
    ),
    b(
        A::FindReceipt,
        &[K::Char('f'), K::F(4)],
        "F",
        "按号查收据",
        false,
    ),
    b(
        A::OpenOutages,
        &[K::Char('o'), K::F(6)],
        "O",
        "系统停运期",
        false,
    ),
    b(A::ChangeCustomer, &[K::Char('n')], "N", "换客户", true),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static RECEIPTS: &[Binding] = &[
    b(A::Up, &[K::Up, K::Char('k')], "↑", "上一张", false),
    b(A::Down, &[K::Down, K::Char('j')], "↓", "下一张", false),
    b(A::Submit, &[K::Enter], "Enter", "详情", false),
    b(A::Print, &[K::Char('p')], "P", "补打", true),
    b(
        A::VoidReceipt,
        &[K::Char('x')],
        "X",
        "作废（当天，所长审批）",
        true,
    ),
    b(
        A::ReverseReceipt,
        &[K::Char('h')],
        "H",
        "红冲（所长审批）",
        true,
    ),
    b(
        A::FindReceipt,
        &[K::Char('f'), K::F(4)],
        "F",
        "按号查找",
        false,
    ),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static DAY_END: &[Binding] = &[
    b(A::PrevDay, &[K::Left, K::Char('[')], "←/→", "换日期", true),
    b(A::NextDay, &[K::Right, K::Char(']')], "→", "后一天", false),
    b(
        A::CountCash,
        &[K::Enter, K::Char('c')],
        "Enter",
        "点钞日结",
        true,
    ),
    b(A::Print, &[K::Char('p')], "P", "打印日结单", true),
    b(A::OpenHistory, &[K::Char('l')], "L", "历史日结", true),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static DAY_ENDS: &[Binding] = &[
    b(A::Up, &[K::Up, K::Char('k')], "↑", "上一条", false),
    b(A::Down, &[K::Down, K::Char('j')], "↓", "下一条", false),
    b(A::Print, &[K::Char('p')], "P", "补打日结单", true),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static OUTAGES: &[Binding] = &[
    b(A::Up, &[K::Up, K::Char('k')], "↑", "上一条", false),
    b(A::Down, &[K::Down, K::Char('j')], "↓", "下一条", false),
    b(
        A::NewFile,
        &[K::Char('n'), K::F(2)],
        "N",
        "登记停运期（所长）",
        true,
    ),
    b(A::Back, &[K::Esc], "Esc", "返回", true),
    b(A::Help, &[K::F(1), K::Char('?')], "F1/?", "帮助", true),
];

static CONFIRM: &[Binding] = &[
    b(A::Yes, &[K::Enter, K::Char('y')], "Enter/Y", "确认", true),
    b(A::No, &[K::Esc, K::Char('n')], "Esc/N", "取消", true),
];

static LOCKED: &[Binding] = &[
    b(A::Submit, &[K::Enter], "Enter", "解锁", true),
    b(A::SwitchUser, &[K::F(2)], "F2", "换人登录", true),
    b(A::Help, &[K::F(1)], "F1", "帮助", true),
];

static NOTICE: &[Binding] = &[b(A::Back, &[K::Esc, K::Enter], "Enter/Esc", "关闭", true)];

static YES_NO: &[Binding] = &[
    b(A::Yes, &[K::Char('y')], "Y", "是", true),
    b(A::No, &[K::Char('n')], "N", "否", true),
    b(A::Help, &[K::F(1)], "F1", "帮助", true),
];

pub fn bindings(ctx: Context) -> &'static [Binding] {
    match ctx {
        Context::Form => FORM,
        Context::Login => LOGIN,
        Context::Search => SEARCH,
        Context::Areas => AREAS,
        Context::Orders => ORDERS,
        Context::OrderPage => ORDER_PAGE,
        Context::Deadlines => DEADLINES,
        Context::Calendar => CALENDAR,
        Context::Home => HOME,
        Context::Settings => SETTINGS,
        Context::Accounts => ACCOUNTS,
        Context::Audit => AUDIT,
        Context::Confirm => CONFIRM,
        Context::Locked => LOCKED,
        Context::Notice => NOTICE,
        Context::YesNo => YES_NO,
        Context::Assessment => ASSESSMENT,
        Context::AssessmentRules => ASSESSMENT_RULES,
        Context::AssessmentSummary => ASSESSMENT_SUMMARY,
        Context::PaySearch => PAY_SEARCH,
        Context::PayAccount => PAY_ACCOUNT,
        Context::Receipts => RECEIPTS,
        Context::DayEnd => DAY_END,
        Context::DayEnds => DAY_ENDS,
        Context::Outages => OUTAGES,
    }
}

/// Whether plain characters are text on this screen (a form or a search box), not commands.
pub fn is_typing(ctx: Context) -> bool {
    matches!(
        ctx,
        Context::Form | Context::Login | Context::Locked | Context::Search | Context::PaySearch
    )
}

/// The action a key stands for on a screen. In forms, plain characters are text, not
/// commands, so only non-character keys are looked up there.
pub fn lookup(ctx: Context, ev: &KeyEvent) -> Option<Action> {
    let typing = is_typing(ctx);
    if typing && matches!(ev.code, KeyCode::Char(_)) {
        return None;
    }
    bindings(ctx)
        .iter()
        .find(|bd| bd.keys.iter().any(|k| k.matches(ev)))
        .map(|bd| bd.action)
}

/// The footer line: `F1/? 帮助  Esc 返回 …`.
pub fn footer(ctx: Context) -> Vec<(&'static str, &'static str)> {
    bindings(ctx)
        .iter()
        .filter(|bd| bd.footer)
        .map(|bd| (bd.key_label, bd.desc))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn no_key_is_bound_twice_on_one_screen() {
        for ctx in [
            Context::Form,
            Context::Login,
            Context::Search,
            Context::Areas,
            Context::Orders,
            Context::OrderPage,
            Context::Deadlines,
            Context::Calendar,
            Context::Home,
            Context::Settings,
            Context::Accounts,
            Context::Audit,
            Context::Confirm,
            Context::Locked,
            Context::Notice,
            Context::YesNo,
            Context::Assessment,
            Context::AssessmentRules,
            Context::AssessmentSummary,
            Context::PaySearch,
            Context::PayAccount,
            Context::Receipts,
            Context::DayEnd,
            Context::DayEnds,
            Context::Outages,
        ] {
            let all: Vec<Key> = bindings(ctx)
                .iter()
                .flat_map(|b| b.keys.iter().copied())
                .collect();
            for (i, k) in all.iter().enumerate() {
                assert!(!all[i + 1..].contains(k), "{ctx:?}: {k:?} bound twice");
            }
        }
    }

    #[test]
    fn letters_are_commands_on_lists_but_text_in_forms() {
        assert_eq!(
            lookup(Context::Home, &key(KeyCode::Char('q'))),
            Some(Action::Quit)
        );
        assert_eq!(
            lookup(Context::Home, &key(KeyCode::Char('Q'))),
            Some(Action::Quit)
        );
        assert_eq!(lookup(Context::Form, &key(KeyCode::Char('q'))), None);
        assert_eq!(
            lookup(Context::Form, &key(KeyCode::F(1))),
            Some(Action::Help)
        );
        assert_eq!(
            lookup(Context::Home, &key(KeyCode::F(9))),
            Some(Action::OpenSettings)
        );
    }
}

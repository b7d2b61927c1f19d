//! User-facing text of the screens, in one place so wording stays consistent.

pub const APP: &str = "stationdesk 供电所营业厅";

pub const TITLE_SETUP: &str = "首次设置";
pub const TITLE_LOGIN: &str = "登录";
pub const TITLE_HOME: &str = "首页";
pub const TITLE_SETTINGS: &str = "系统设置";
pub const TITLE_ACCOUNTS: &str = "账号管理";
pub const TITLE_AUDIT: &str = "审计日志";
pub const TITLE_CUSTOMERS: &str = "客户查询";
pub const TITLE_AREAS: &str = "台区管理";
pub const TITLE_METERS: &str = "计量装置";
pub const TITLE_ROTATION: &str = "计量装置 · 轮换计划";
pub const TITLE_CHECKS: &str = "计量装置 · 现场检验";
pub const TITLE_CASES: &str = "投诉报修 · 在办";
pub const TITLE_CASE: &str = "投诉报修";
pub const TITLE_DUTY_LOG: &str = "投诉报修 · 值班记录";
pub const TITLE_ORDERS: &str = "营业受理 · 在办工单";
pub const TITLE_ORDER: &str = "工单";
pub const TITLE_DEADLINES: &str = "业扩时限 · 到期看板";
pub const TITLE_CALENDAR: &str = "法定节假日历";
pub const TITLE_PASSWORD: &str = "修改密码";
pub const TITLE_ASSESSMENT: &str = "考核";
pub const TITLE_ASSESSMENT_RULES: &str = "考核 · 规则";
pub const TITLE_ASSESSMENT_SUMMARY: &str = "考核 · 月度汇总";
pub const TITLE_PAYMENTS: &str = "收费";
pub const TITLE_RECEIPTS: &str = "收费 · 收据";
pub const TITLE_DAY_END: &str = "日清日结";
pub const TITLE_DAY_ENDS: &str = "日清日结 · 历史";
pub const TITLE_OUTAGES: &str = "收费 · 系统停运期";
pub const TITLE_HANDOVER: &str = "系统设置 · 数据交接";
pub const TITLE_COLLECTION: &str = "欠费催收";
pub const TITLE_REPORTS: &str = "营业报表";
pub const TITLE_STATS: &str = "统计图";
pub const TITLE_LOCKED: &str = "屏幕已锁定";
pub const TITLE_HELP: &str = "帮助：本屏按键";
pub const CLOSE_HELP: &str = "关闭帮助";

pub const SETUP_INTRO: &str = "欢迎使用。第一次运行，请设置本供电所和所长账号。";
pub const SETUP_STEP1: &str = "第 1 步 / 共 3 步：供电所";
pub const SETUP_STEP2: &str = "第 2 步 / 共 3 步：所长账号（管理员）";
pub const SETUP_STEP3: &str = "第 3 步 / 共 3 步：演示数据";
pub const SETUP_DEMO_QUESTION: &str =
    "是否载入演示数据（员工、台区、约 3000 户客户）以便熟悉程序？";
pub const SETUP_DEMO_NOTE: &str = "演示数据只用于练习；正式使用的供电所请选“否”。";
/// `Y 载入演示数据    N 不载入，直接开始`, keys from the keymap.
pub fn setup_demo_keys() -> String {
    use crate::ui::keymap::{Action, Context, key_label};
    format!(
        "{} 载入演示数据    {} 不载入，直接开始",
        key_label(Context::YesNo, Action::Yes),
        key_label(Context::YesNo, Action::No)
    )
}

pub fn login_hint() -> String {
    use crate::ui::keymap::{Action, Context, key_label};
    format!(
        "请输入用户名和密码，{} 登录",
        key_label(Context::Login, Action::Submit)
    )
}

pub const LOCKED_HINT: &str = "屏幕已锁定，请输入密码解锁。";

pub const CONFIRM_QUIT: &str = "确定退出程序吗？";
pub const NOT_YET: &str = "该功能尚未开放（将在后续版本提供）";
pub const READ_ONLY_SETTINGS: &str = "只有所长可以修改设置，您可以查看";

/// The answer to a chief-only key: an auditor gets the one answer he gets everywhere
/// ([`AUDITOR_READ_ONLY`]), others are told who may (`只有所长可以{what}，您可以查看`).
pub fn chief_only(session: &crate::service::Session, what: &str) -> crate::ui::msg::Msg {
    if session.can_write() {
        crate::ui::msg::Msg::warn(format!("只有所长可以{what}，您可以查看"))
    } else {
        crate::ui::msg::Msg::warn(AUDITOR_READ_ONLY)
    }
}
pub const NO_ACCOUNTS_RIGHT: &str = "只有所长或管理员可以管理账号";
pub const MUST_CHANGE_PASSWORD: &str = "您的密码已被重置，请先设置新密码";

pub const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

/// The one answer an auditor gets whatever he tries to change (the service says the same).
pub const AUDITOR_READ_ONLY: &str = "无权限：稽查员只能查看，不能修改";

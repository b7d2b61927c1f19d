//! stationdesk: command line entry. Parses arguments, opens the store, runs the UI or a
//! subcommand, and always restores the terminal.
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};

use stationdesk::domain::clock::Clock;
use stationdesk::service::{Service, ServiceError};
use stationdesk::{platform, ui};

/// A line to standard output. A reader that stopped reading (`stationdesk export --list |
/// head`) is not the program's error: what it did stands, the rest of its report is
/// dropped, and it ends as it would have — `println!` panics on a closed pipe instead. Any
/// other failure to write (a full disk under `> report.txt`) is told on stderr.
macro_rules! say {
    ($($arg:tt)*) => {
        write_out(format_args!($($arg)*), true)
    };
}

/// [`say!`] without the line end.
macro_rules! say_raw {
    ($($arg:tt)*) => {
        write_out(format_args!($($arg)*), false)
    };
}

fn write_out(args: std::fmt::Arguments<'_>, line: bool) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let written = out
        .write_fmt(args)
        .and_then(|()| if line { out.write_all(b"\n") } else { Ok(()) })
        .and_then(|()| out.flush());
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        let why = match e.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => "磁盘已满",
            _ => "读写出错",
        };
        eprintln!("错误：无法写出输出（{why}）");
    }
}

#[derive(Parser)]
#[command(
    name = "stationdesk",
    version,
    about = "供电所营业厅 — 一口对外、业扩时限、抄核收、投诉报修（离线单机）"
)]
struct Cli {
    /// 数据目录（默认为用户数据目录）
    #[arg(long, global = true, env = "STATIONDESK_DATA_DIR", value_name = "目录")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// 生成演示供电所（员工、台区、客户），打印演示账号
    Demo {
        /// 客户数量
        #[arg(long, default_value_t = 3000, value_name = "户数")]
        customers: usize,
        /// 随机种子（同一种子生成相同数据）
        #[arg(long, default_value_t = 20261124, value_name = "种子")]
        seed: u64,
    },
    /// 导入数据：import bills|customers|meters 文件.csv
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// 核对数据库：文件完整性、结构、审计链与签名、业务数据与审计记录、编号连续；
    /// 异常时退出码为 3
    Verify {
        /// 凭据：收据或日结报告上印的“第 N 条”与哈希，写作 N:哈希（可多次给出）
        #[arg(long, value_name = "N:哈希")]
        anchor: Vec<String>,
        /// 密钥单文件（含“起始条号:密钥”的文本），核对每条记录的密钥签名
        #[arg(long, value_name = "文件")]
        key: Option<PathBuf>,
    },
    /// 立即备份：在线复制数据库到备份文件夹（或 --to 指定的文件夹），检查副本并记入审计日志；
    /// 程序开着时也可以运行，营业不受影响
    Backup {
        /// 备份到这个文件夹（不存在则新建；不按保留设置删除旧备份）
        #[arg(long, value_name = "文件夹")]
        to: Option<PathBuf>,
    },
    /// 从备份恢复：完整检查备份文件，通过后把现有数据库改名保存（不删除），换上备份；
    /// 须先关闭所有 stationdesk 窗口
    Restore {
        /// 备份文件（stationdesk-站码-日期-时间.db）
        #[arg(value_name = "文件")]
        file: PathBuf,
    },
    /// 交接包：把上次确认以来的全部改动写给县公司（省营销系统），县公司接收后确认
    Export {
        /// 写到此文件夹（其中以交接包编号命名的子文件夹）；默认为设置中的交接包文件夹
        #[arg(long, value_name = "文件夹", conflicts_with_all = ["confirm", "list"])]
        out: Option<PathBuf>,
        /// 确认县公司已接收该交接包（如 WZ01-000003）；下一个交接包从它之后开始
        #[arg(long, value_name = "交接包编号", conflicts_with = "list")]
        confirm: Option<String>,
        /// 列出全部交接包（待确认 / 已确认）
        #[arg(long)]
        list: bool,
    },
    /// 生成营业报表：report monthly --month 2026-11 --out 月报.xlsx；
    /// report daily --day 2026-11-05 --out 日报.pdf（格式按扩展名，或用 --format）
    Report {
        /// 报表种类：daily（营业日报）或 monthly（营业月报）
        #[arg(value_name = "种类")]
        kind: String,
        /// 月份，如 2026-11（月报必填）
        #[arg(long, value_name = "YYYY-MM")]
        month: Option<String>,
        /// 日期，如 2026-11-05（日报必填）
        #[arg(long, value_name = "YYYY-MM-DD")]
        day: Option<String>,
        /// 输出文件，扩展名 .pdf、.xlsx 或 .csv；已有同名文件时替换。可给多个（每种格式一个，
        /// 只汇总一次）。不给则写入打印文件夹
        #[arg(long, value_name = "文件")]
        out: Vec<PathBuf>,
        /// 格式：pdf、xlsx、csv，或 all（三种都写入打印文件夹）；不给则按 --out 的扩展名，
        /// 都没有时为 pdf
        #[arg(long, value_name = "格式")]
        format: Option<String>,
    },
    /// 性能测量：启动到首屏、内存（在数据目录的数据库上）
    Bench {
        /// 重复次数
        #[arg(long, default_value_t = 20, value_name = "次数")]
        runs: usize,
        /// 只测投诉报修（登记、在办看板）
        #[arg(long)]
        cases_only: bool,
        /// 只测抄表核算（核算一个月、抄表录入、线损表）
        #[arg(long)]
        readings_only: bool,
        /// 只测欠费催收（欠费清单、欠费催收屏）
        #[arg(long)]
        collection_only: bool,
        /// 只测稽查（各稽查视图第一页、整改事项）
        #[arg(long)]
        audit_only: bool,
        /// 只测备份（在线备份用时、备份期间收费的最长等待）
        #[arg(long)]
        backup_only: bool,
        /// 只测交接包（第一个交接包即全部数据、一个月的改动）
        #[arg(long)]
        export_only: bool,
        /// 只测营业报表（月报三种格式、统计图）
        #[arg(long)]
        reports_only: bool,
    },
}

#[derive(Subcommand)]
enum ImportWhat {
    /// 导入省营销系统的电费账单（UTF-8 CSV，表头：户号,账期,电量kWh,金额,到期日）；
    /// 有任何一行不对则整个文件都不导入；重复导入同一文件不会重复入账
    Bills {
        /// CSV 文件
        #[arg(value_name = "文件")]
        file: PathBuf,
    },
    /// 导入省营销系统导出的客户档案（UTF-8 CSV，表头：户号,旧户号,户名,客户类型,证件号码,
    /// 联系电话,用电地址,台区编码,用电类别,供电电压,合同容量）；有任何一行不对则整个文件
    /// 都不导入；重复导入同一文件不会改动任何档案
    Customers {
        /// CSV 文件
        #[arg(value_name = "文件")]
        file: PathBuf,
    },
    /// 导入省营销系统导出的表计资产（UTF-8 CSV，表头见 docs/handover.md）；有任何一行不对
    /// 则整个文件都不导入；重复导入同一文件不会改动任何表计
    Meters {
        /// CSV 文件
        #[arg(value_name = "文件")]
        file: PathBuf,
    },
}

/// The system clock: the only place the program reads the time.
struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> chrono::NaiveDateTime {
        chrono::Local::now().naive_local()
    }
}

fn data_dir(cli: &Cli) -> Result<PathBuf, String> {
    match &cli.data_dir {
        Some(d) => Ok(d.clone()),
        None => platform::default_data_dir()
            .ok_or_else(|| "找不到用户数据目录，请用 --data-dir 指定数据目录".to_string()),
    }
}

/// The help layout in Chinese (clap's own headings are English).
const HELP_TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The command line with its help in Chinese: headings, the help and version flags, no
/// `help` subcommand (help is `--help`), on every subcommand.
fn cli_command() -> clap::Command {
    fn zh(c: clap::Command) -> clap::Command {
        c.help_template(HELP_TEMPLATE)
            .disable_help_subcommand(true)
            .disable_help_flag(true)
            .subcommand_help_heading("命令")
            .subcommand_value_name("命令")
            .mut_args(|a| {
                let heading = if a.is_positional() {
                    "参数"
                } else {
                    "选项"
                };
                a.help_heading(heading)
            })
            .arg(
                Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help("显示帮助")
                    .help_heading("选项"),
            )
            .mut_subcommands(zh)
    }
    zh(Cli::command().disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("显示版本"),
    ))
}

/// A command-line mistake in Chinese, naming what was wrong (clap's text is English).
fn cli_error(e: &clap::Error) -> String {
    let get = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = get(ContextKind::InvalidArg);
    match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "未知的子命令“{}”；可用的子命令：demo、import、export、verify、report、backup、restore、bench",
            get(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!(
            "参数 {arg} 的值“{}”不对{}",
            get(ContextKind::InvalidValue),
            if arg.contains("customers") || arg.contains("runs") || arg.contains("seed") {
                "：应为不带小数的正整数"
            } else {
                ""
            }
        ),
        ErrorKind::MissingRequiredArgument => format!("缺少参数：{arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少子命令".to_string()
        }
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能与其他参数同时使用"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 {arg} 的值的个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 须写成 {arg}=值"),
        ErrorKind::InvalidUtf8 => "参数中有无法识别的字符（不是 UTF-8）".to_string(),
        _ => "命令行参数不对".to_string(),
    }
}

fn main() -> ExitCode {
    let matches = match cli_command().try_get_matches() {
        Ok(m) => m,
        Err(e) if !e.use_stderr() => {
            // --help, --version: the few words clap still writes in English, in Chinese
            let text = e
                .render()
                .to_string()
                .replace("[OPTIONS]", "[选项]")
                .replace("[env: ", "[环境变量 ")
                .replace("[default: ", "[默认 ")
                .replace("命令:\n", "命令：\n")
                .replace("选项:\n", "选项：\n")
                .replace("参数:\n", "参数：\n");
            say_raw!("{text}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("错误：{}（stationdesk --help 查看用法）", cli_error(&e));
            return ExitCode::from(2);
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{}（stationdesk --help 查看用法）", cli_error(&e));
            return ExitCode::from(2);
        }
    };
    let dir = match data_dir(&cli) {
        Ok(d) => d,
        Err(msg) => {
            eprintln!("错误：{msg}");
            return ExitCode::from(2);
        }
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let result = match cli.command {
        None => run_ui(&dir, clock),
        Some(Command::Demo { customers, seed }) => run_demo(&dir, clock, customers, seed),
        Some(Command::Import {
            what: ImportWhat::Bills { file },
        }) => run_import_bills(&dir, clock, &file),
        Some(Command::Import {
            what: ImportWhat::Customers { file },
        }) => run_import_file(&dir, clock, &file, FileKind::Customers),
        Some(Command::Import {
            what: ImportWhat::Meters { file },
        }) => run_import_file(&dir, clock, &file, FileKind::Meters),
        Some(Command::Export { out, confirm, list }) => {
            run_export(&dir, clock, out.as_deref(), confirm.as_deref(), list)
        }
        Some(Command::Verify { anchor, key }) => run_verify(&dir, clock, &anchor, key.as_deref()),
        Some(Command::Backup { to }) => run_backup(&dir, clock, to),
        Some(Command::Restore { file }) => run_restore(&dir, clock, &file),
        Some(Command::Report {
            kind,
            month,
            day,
            out,
            format,
        }) => {
            use stationdesk::service::reports::ReportRequest;
            match ReportRequest::parse(
                &kind,
                month.as_deref(),
                day.as_deref(),
                &out,
                format.as_deref(),
            ) {
                Ok(req) => run_report(&dir, clock, &req),
                Err(msg) => {
                    eprintln!("错误：{msg}（stationdesk report --help 查看用法）");
                    return ExitCode::from(2);
                }
            }
        }
        Some(Command::Bench {
            runs,
            cases_only,
            readings_only,
            collection_only,
            audit_only,
            backup_only,
            export_only,
            reports_only,
        }) => if reports_only {
            stationdesk::bench::run_reports(&dir, clock, runs)
        } else if audit_only {
            stationdesk::bench::run_audit(&dir, clock, runs)
        } else if backup_only {
            stationdesk::bench::run_backup(&dir, clock, runs)
        } else if export_only {
            stationdesk::bench::run_export(&dir, clock)
        } else if collection_only {
            stationdesk::bench::run_collection(&dir, clock, runs)
        } else if cases_only {
            stationdesk::bench::run_cases(&dir, clock, runs)
        } else if readings_only {
            stationdesk::bench::run_readings(&dir, clock, runs)
        } else {
            stationdesk::bench::run(&dir, clock, runs)
        }
        .map_err(|e| e.message()),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("错误：{msg}");
            ExitCode::from(1)
        }
    }
}

fn open(dir: &std::path::Path, clock: Arc<dyn Clock>) -> Result<Service, String> {
    Service::open(dir, clock).map_err(|e| e.message())
}

fn run_ui(dir: &std::path::Path, clock: Arc<dyn Clock>) -> Result<ExitCode, String> {
    let svc = open(dir, clock)?;
    ui::run(svc).map_err(|e| format!("界面出错：{e}"))?;
    Ok(ExitCode::SUCCESS)
}

fn run_demo(
    dir: &std::path::Path,
    clock: Arc<dyn Clock>,
    customers: usize,
    seed: u64,
) -> Result<ExitCode, String> {
    let summary = stationdesk::demo::seed::build_demo_station(dir, clock, customers, seed)
        .map_err(|e: ServiceError| e.message())?;
    say!("{}", summary.describe());
    Ok(ExitCode::SUCCESS)
}

fn run_import_bills(
    dir: &std::path::Path,
    clock: Arc<dyn Clock>,
    file: &std::path::Path,
) -> Result<ExitCode, String> {
    use stationdesk::service::payments::ImportOutcome;
    let bytes = std::fs::read(file).map_err(|e| format!("无法读取文件 {}：{e}", file.display()))?;
    if !dir.join(stationdesk::service::DB_FILE).exists() {
        return Err(format!(
            "数据目录 {} 中还没有数据库，请先完成首次设置",
            dir.display()
        ));
    }
    let mut svc = open(dir, clock)?;
    svc.require_station().map_err(|e| e.message())?;
    let name = stationdesk::domain::validate::shown(
        &file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.display().to_string()),
    );
    match svc
        .import_bills(None, &name, &bytes)
        .map_err(|e| e.message())?
    {
        ImportOutcome::Imported(report) => {
            say!("{}", report.describe());
            Ok(ExitCode::SUCCESS)
        }
        ImportOutcome::Rejected(errors) => {
            eprintln!(
                "错误：{name} 有 {} 处问题，整个文件都未导入（改正后重新导入）：",
                errors.len()
            );
            for e in errors.iter().take(200) {
                eprintln!("  {}", e.describe());
            }
            if errors.len() > 200 {
                eprintln!("  ……另有 {} 处未列出", errors.len() - 200);
            }
            Ok(ExitCode::from(1))
        }
    }
}

/// The provincial system's files `import` reads besides bills.
enum FileKind {
    Customers,
    Meters,
}

/// An existing station's service for a command (not the first-run set-up).
fn open_station(dir: &std::path::Path, clock: Arc<dyn Clock>) -> Result<Service, String> {
    if !dir.join(stationdesk::service::DB_FILE).exists() {
        return Err(format!(
            "数据目录 {} 中还没有数据库，请先完成首次设置",
            dir.display()
        ));
    }
    let svc = open(dir, clock)?;
    svc.require_station().map_err(|e| e.message())?;
    Ok(svc)
}

fn run_import_file(
    dir: &std::path::Path,
    clock: Arc<dyn Clock>,
    file: &std::path::Path,
    kind: FileKind,
) -> Result<ExitCode, String> {
    use stationdesk::service::handover::import::FileOutcome;
    let bytes = std::fs::read(file)
        .map_err(|e| format!("无法读取文件 {}：{}", file.display(), io_text(&e)))?;
    let mut svc = open_station(dir, clock)?;
    let name = stationdesk::domain::validate::shown(
        &file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.display().to_string()),
    );
    let outcome = match kind {
        FileKind::Customers => svc.import_customers(None, &name, &bytes),
        FileKind::Meters => svc.import_meter_assets(None, &name, &bytes),
    }
    .map_err(|e| e.message())?;
    match outcome {
        FileOutcome::Imported(report) => {
            say!("{}", report.describe());
            Ok(ExitCode::SUCCESS)
        }
        FileOutcome::Rejected(errors) => {
            eprintln!(
                "错误：{name} 有 {} 处问题，整个文件都未导入（改正后重新导入）：",
                errors.len()
            );
            for e in errors.iter().take(200) {
                eprintln!("  {}", e.describe());
            }
            if errors.len() > 200 {
                eprintln!("  ……另有 {} 处未列出", errors.len() - 200);
            }
            Ok(ExitCode::from(1))
        }
    }
}

fn run_export(
    dir: &std::path::Path,
    clock: Arc<dyn Clock>,
    out: Option<&std::path::Path>,
    confirm: Option<&str>,
    list: bool,
) -> Result<ExitCode, String> {
    use stationdesk::service::handover::ExportOutcome;
    let mut svc = open_station(dir, clock)?;
    if list {
        let bundles = svc.bundles().map_err(|e| e.message())?;
        if bundles.is_empty() {
            say!("还没有交接包");
        }
        for b in bundles {
            say!(
                "{}  {}  记录第 {}–{} 条（{} 条）  生成于 {}{}",
                b.bundle_id,
                b.state.label(),
                b.seq_from,
                b.seq_to,
                b.records(),
                b.created_at,
                b.confirmed_at
                    .map(|t| format!("  确认于 {t}"))
                    .unwrap_or_default()
            );
        }
        say!(
            "尚未打包的交接记录：{} 条",
            svc.unbundled_records().map_err(|e| e.message())?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(id) = confirm {
        let done = svc.confirm_bundle(None, id).map_err(|e| e.message())?;
        say!("{}", done.describe());
        return Ok(ExitCode::SUCCESS);
    }
    let folder = match out {
        Some(o) => o.to_path_buf(),
        None => svc.handover_folder().map_err(|e| e.message())?,
    };
    match svc.export_bundle(None, &folder).map_err(|e| e.message())? {
        ExportOutcome::Empty { last } => {
            say!(
                "自{}以来没有新的改动，没有写出交接包",
                last.map(|l| format!("交接包 {l} "))
                    .unwrap_or_else(|| "建站".into())
            );
        }
        ExportOutcome::Written(report) => say!("{}", report.describe()),
    }
    Ok(ExitCode::SUCCESS)
}

fn run_verify(
    dir: &std::path::Path,
    clock: Arc<dyn Clock>,
    anchors: &[String],
    key: Option<&std::path::Path>,
) -> Result<ExitCode, String> {
    use stationdesk::service::verify::{VerifyOptions, VerifyReport};
    let mut opts = VerifyOptions::default();
    for a in anchors {
        let parsed = a
            .trim()
            .split_once(':')
            .and_then(|(n, h)| Some((n.trim().parse::<i64>().ok()?, h.trim().to_string())));
        match parsed {
            Some(p) => opts.anchors.push(p),
            None => {
                return Err(format!(
                    "凭据“{}”的格式应为 条号:哈希，例如 1234:9f3a61c2d0",
                    stationdesk::domain::validate::shown(a)
                ));
            }
        }
    }
    if let Some(file) = key {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("无法读取密钥单文件 {}：{}", file.display(), io_text(&e)))?;
        opts.key = Some(stationdesk::store::mac::parse_sheet(&text).ok_or_else(|| {
            format!(
                "密钥单文件 {} 中找不到“起始条号:密钥”（64 位十六进制）",
                file.display()
            )
        })?);
    }
    let db = dir.join(stationdesk::service::DB_FILE);
    if !db.exists() {
        return Err(format!("数据库 {} 不存在", db.display()));
    }
    // a library panic on a badly damaged file is caught by each check and reported in
    // Chinese: its English text is not printed
    std::panic::set_hook(Box::new(|_| {}));
    // read-only: verifying a backup copy must not change it. A file that cannot even be
    // opened still gets a verdict.
    let report = match stationdesk::store::Store::open_read_only(&db) {
        Ok(store) => {
            let svc = Service::new(store, dir.to_path_buf(), clock);
            svc.verify_with(&opts)
                .unwrap_or_else(|e| VerifyReport::unreadable(e.message()))
        }
        Err(e) => VerifyReport::unreadable(e.to_string()),
    };
    say_raw!("{}", report.describe());
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

fn run_backup(
    dir: &std::path::Path,
    clock: Arc<dyn Clock>,
    to: Option<PathBuf>,
) -> Result<ExitCode, String> {
    use stationdesk::domain::backup::Reason;
    if !dir.join(stationdesk::service::DB_FILE).exists() {
        return Err(format!(
            "数据目录 {} 中还没有数据库，无可备份",
            dir.display()
        ));
    }
    let svc = open(dir, clock)?;
    let mut plan = svc
        .backup_plan(Reason::Command, None)
        .map_err(|e| e.message())?;
    if let Some(to) = to {
        // typed here by the person at the PC: made when missing, and nothing thinned out
        plan.folder = to;
        plan.default_folder = true;
        plan.prune = false;
    }
    say!("正在备份到 {} ……", plan.folder.display());
    let out = stationdesk::service::backup::run(&plan);
    if out.ok() {
        say!("{}", out.describe());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("错误：{}", out.describe());
        Ok(ExitCode::from(1))
    }
}

fn run_restore(
    dir: &std::path::Path,
    clock: Arc<dyn Clock>,
    file: &std::path::Path,
) -> Result<ExitCode, String> {
    // a library panic on a badly damaged file is caught by each check and reported in
    // Chinese: its English text is not printed
    std::panic::set_hook(Box::new(|_| {}));
    let report = stationdesk::service::backup::restore(dir, file, clock, &|step| say!("{step}"))
        .map_err(|e| e.message())?;
    say_raw!("{}", report.describe());
    Ok(ExitCode::SUCCESS)
}

/// An I/O error in Chinese (the system's own text can be English).
fn io_text(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件不存在".into(),
        K::PermissionDenied => "没有权限".into(),
        K::InvalidData => "文件不是 UTF-8 文本".into(),
        _ => "读取出错".into(),
    }
}

fn run_report(
    dir: &std::path::Path,
    clock: Arc<dyn Clock>,
    req: &stationdesk::service::reports::ReportRequest,
) -> Result<ExitCode, String> {
    if !dir.join(stationdesk::service::DB_FILE).exists() {
        return Err(format!(
            "数据目录 {} 中还没有数据库，请先完成首次设置",
            dir.display()
        ));
    }
    let mut svc = open(dir, clock)?;
    let paths = svc
        .write_report_files(req.scope, &req.targets)
        .map_err(|e| e.message())?;
    for path in paths {
        say!(
            "已生成{}（{}）：{}",
            req.scope.kind().label(),
            req.scope.label(),
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

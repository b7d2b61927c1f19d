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
    /// 导入数据：import bills 账单文件.csv
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
            "未知的子命令“{}”；可用的子命令：demo、import、verify、report、bench",
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
            print!("{text}");
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
        Some(Command::Verify { anchor, key }) => run_verify(&dir, clock, &anchor, key.as_deref()),
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
            reports_only,
        }) => if reports_only {
            stationdesk::bench::run_reports(&dir, clock, runs)
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
    println!("{}", summary.describe());
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
            println!("{}", report.describe());
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
        println!(
            "已生成{}（{}）：{}",
            req.scope.kind().label(),
            req.scope.label(),
            path.display()
        );
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
    print!("{}", report.describe());
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
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

//! stationdesk: command line entry. Parses arguments, opens the store, runs the UI or a
//! subcommand, and always restores the terminal.
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

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
    #[arg(long, global = true, env = "STATIONDESK_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// 生成演示供电所（员工、台区、客户），打印演示账号
    Demo {
        /// 客户数量
        #[arg(long, default_value_t = 3000)]
        customers: usize,
        /// 随机种子（同一种子生成相同数据）
        #[arg(long, default_value_t = 20261124)]
        seed: u64,
    },
    /// 检查数据库完整性与审计链，异常时退出码非零
    Verify,
    /// 性能测量：启动到首屏、内存（在数据目录的数据库上）
    Bench {
        /// 重复次数
        #[arg(long, default_value_t = 20)]
        runs: usize,
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

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            // --help, --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("错误：命令行参数不对（stationdesk --help 查看用法）");
            let _ = e.print();
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
        Some(Command::Verify) => run_verify(&dir, clock),
        Some(Command::Bench { runs }) => ui::bench::run(&dir, clock, runs).map_err(|e| e.message()),
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
    let summary = stationdesk::service::demo::build_demo_station(dir, clock, customers, seed)
        .map_err(|e: ServiceError| e.message())?;
    println!("{}", summary.describe());
    Ok(ExitCode::SUCCESS)
}

fn run_verify(dir: &std::path::Path, clock: Arc<dyn Clock>) -> Result<ExitCode, String> {
    let db = dir.join(stationdesk::service::DB_FILE);
    if !db.exists() {
        return Err(format!("数据库 {} 不存在", db.display()));
    }
    // read-only: verifying a backup copy must not change it
    let store = stationdesk::store::Store::open_read_only(&db).map_err(|e| e.to_string())?;
    let svc = Service::new(store, dir.to_path_buf(), clock);
    let report = svc.verify().map_err(|e| e.message())?;
    print!("{}", report.describe());
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

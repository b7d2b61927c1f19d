//! Store errors, with Chinese messages for the user.
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库文件 {path} 不是 stationdesk 的数据库（也不是 SQLite 文件），程序不会改动它")]
    NotADatabase { path: PathBuf },
    #[error(
        "数据库文件 {path} 是空的（0 字节）：原来的数据可能已丢失或文件被清空。程序不会在它上面重新建库；请从备份恢复，或确认不需要后把它移走再运行"
    )]
    EmptyFile { path: PathBuf },
    #[error(
        "数据库 {path} 由更新版本的程序建立（数据库版本 {db}，本程序只认识到 {known}），请使用新版程序"
    )]
    NewerSchema {
        path: PathBuf,
        db: usize,
        known: usize,
    },
    #[error(
        "无法写入{}（目录或文件只读，或没有权限），本次操作未生效：{detail}",
        place(path)
    )]
    ReadOnly { path: PathBuf, detail: String },
    #[error(
        "磁盘已满，无法写入{}：本次操作未生效，什么也没有记下。请清理磁盘空间后重试",
        place(path)
    )]
    DiskFull { path: PathBuf, detail: String },
    #[error("无法打开数据库 {path}：{detail}")]
    Open { path: PathBuf, detail: String },
    #[error("数据库升级失败：{0}")]
    Migration(String),
    #[error("数据库正被另一个窗口长时间占用，请稍后再试")]
    Busy,
    #[error("记录已存在：{0}")]
    Duplicate(String),
    #[error("数据库错误：{}", explain(.0))]
    Sqlite(rusqlite::Error),
    #[error("数据已损坏：{0}")]
    Corrupt(String),
    #[error("数据库有问题，程序以只读方式打开：可以查看，不能办理业务。{0}")]
    ReadOnlyMode(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        if let Some(bad) = super::convert::bad_row(&e) {
            return StoreError::Corrupt(bad.to_string());
        }
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase {
                path: PathBuf::new(),
            },
            Some(ErrorCode::DiskFull) => StoreError::DiskFull {
                path: PathBuf::new(),
                detail: explain(&e),
            },
            Some(ErrorCode::ReadOnly)
            | Some(ErrorCode::CannotOpen)
            | Some(ErrorCode::PermissionDenied)
            | Some(ErrorCode::SystemIoFailure) => StoreError::ReadOnly {
                path: PathBuf::new(),
                detail: explain(&e),
            },
            Some(ErrorCode::ConstraintViolation) => {
                let msg = e.to_string();
                if msg.contains("UNIQUE") {
                    // "UNIQUE constraint failed: staff.username" → the column
                    StoreError::Duplicate(msg.rsplit(' ').next().unwrap_or("").to_string())
                } else {
                    StoreError::Sqlite(e)
                }
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

/// An error that can be told which database file it happened in (`Store::write` tells it,
/// so "disk full" names the file whatever layer the error passed through).
pub trait AtPath {
    fn at(self, path: &std::path::Path) -> Self;
}

impl AtPath for StoreError {
    /// The same error naming the database file `path` where it named none (an error
    /// converted from SQLite does not know which file it came from).
    fn at(self, path: &std::path::Path) -> StoreError {
        match self {
            StoreError::ReadOnly { path: p, detail } if p.as_os_str().is_empty() => {
                StoreError::ReadOnly {
                    path: path.to_path_buf(),
                    detail,
                }
            }
            StoreError::DiskFull { path: p, detail } if p.as_os_str().is_empty() => {
                StoreError::DiskFull {
                    path: path.to_path_buf(),
                    detail,
                }
            }
            other => other,
        }
    }
}

/// ` PATH` in a message, or `数据库` when the file is not known.
fn place(path: &std::path::Path) -> String {
    if path.as_os_str().is_empty() {
        "数据库".into()
    } else {
        format!(" {}", path.display())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// SQLite's extended code SQLITE_IOERR_SHMSIZE: the shared-memory file could not grow,
/// which on a full disk is what opening the database reports.
pub const SHM_SIZE: i32 = 4874;

/// A SQLite error in Chinese, with its code for the technician; SQLite's own English text
/// never reaches the user.
pub fn explain(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    match e {
        rusqlite::Error::SqliteFailure(f, _) => {
            let what = match f.code {
                C::DatabaseCorrupt => "数据库文件已损坏",
                C::NotADatabase => "文件不是数据库，或文件头已损坏",
                C::DiskFull => "磁盘已满",
                // SQLITE_IOERR_SHMSIZE: the -shm file beside the database could not grow
                C::SystemIoFailure if f.extended_code == SHM_SIZE => {
                    "磁盘空间不足（数据库旁的 -shm 文件无法扩展）"
                }
                C::SystemIoFailure => "读写磁盘出错（磁盘故障、文件被截断或被其他程序改动）",
                C::CannotOpen => "无法打开文件",
                C::PermissionDenied => "没有权限",
                C::ReadOnly => "文件只读",
                C::DatabaseBusy | C::DatabaseLocked => "数据库正被另一个窗口占用",
                C::ConstraintViolation => "数据不符合数据库的约束",
                C::SchemaChanged => "数据库结构在读取时被改变",
                C::TooBig => "数据过大",
                C::OutOfMemory => "内存不足",
                C::FileLockingProtocolFailed => "文件锁出错",
                C::NoLargeFileSupport => "文件过大",
                C::ApiMisuse => "程序调用数据库的方式不对",
                C::TypeMismatch => "数据类型不符",
                C::OperationAborted | C::OperationInterrupted => "操作被中止",
                _ => "数据库内部错误",
            };
            format!("{what}（SQLite 错误码 {}）", f.extended_code)
        }
        rusqlite::Error::QueryReturnedNoRows => "找不到应有的记录".into(),
        rusqlite::Error::InvalidColumnType(_, name, _) => {
            format!("字段 {name} 的数据类型不对（数据可能已在程序之外被改动）")
        }
        rusqlite::Error::FromSqlConversionFailure(_, _, _)
        | rusqlite::Error::IntegralValueOutOfRange(_, _) => {
            "数据取值不对（数据可能已在程序之外被改动）".into()
        }
        rusqlite::Error::Utf8Error(..) => "文字编码已损坏".into(),
        rusqlite::Error::SqlInputError { .. } => {
            "数据库结构与程序不符（表或字段缺失，可能已在程序之外被改动）".into()
        }
        _ => "数据库内部错误".into(),
    }
}

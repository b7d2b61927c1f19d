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
    #[error("数据库错误：{0}")]
    Sqlite(rusqlite::Error),
    #[error("数据已损坏：{0}")]
    Corrupt(String),
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
                detail: e.to_string(),
            },
            Some(ErrorCode::ReadOnly)
            | Some(ErrorCode::CannotOpen)
            | Some(ErrorCode::PermissionDenied)
            | Some(ErrorCode::SystemIoFailure) => StoreError::ReadOnly {
                path: PathBuf::new(),
                detail: e.to_string(),
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

//! Service errors: what the user reads, in Chinese, with the field it concerns.
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Print(#[from] crate::print::PrintError),
    /// Bad input: `field` names the form field the message belongs next to.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("无权限：{0}")]
    Denied(String),
    #[error("用户名或密码不对")]
    BadCredentials { remaining: Option<i64> },
    #[error("账号已锁定，请于 {until} 之后再试，或请所长重置密码")]
    Locked { until: String },
    #[error("账号已停用，请联系所长")]
    Inactive,
    #[error("找不到{0}")]
    NotFound(String),
    #[error("本站尚未设置，请先完成首次设置")]
    NotSetUp,
    #[error("{0}")]
    Refused(String),
}

impl ServiceError {
    /// Bad input `message` (text or a typed domain error) under the form field `field`.
    pub fn invalid(field: &'static str, message: impl std::fmt::Display) -> Self {
        ServiceError::Invalid {
            field,
            message: message.to_string(),
        }
    }

    /// The form field this error belongs to, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            ServiceError::Invalid { field, .. } => Some(field),
            ServiceError::BadCredentials { .. } | ServiceError::Locked { .. } => Some("password"),
            _ => None,
        }
    }

    /// Full message (including how many tries are left after a wrong password).
    pub fn message(&self) -> String {
        match self {
            ServiceError::BadCredentials { remaining: Some(n) } if *n > 0 => {
                format!("用户名或密码不对，再错 {n} 次将锁定账号")
            }
            other => other.to_string(),
        }
    }
}

/// A step the work-order rules refuse, shown as it is (not under a field).
impl From<crate::domain::work_order::OrderRefusal> for ServiceError {
    fn from(e: crate::domain::work_order::OrderRefusal) -> Self {
        ServiceError::Refused(e.to_string())
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl crate::store::AtPath for ServiceError {
    fn at(self, path: &std::path::Path) -> ServiceError {
        match self {
            ServiceError::Store(e) => ServiceError::Store(e.at(path)),
            other => other,
        }
    }
}

/// An I/O error in Chinese (the system's own text may be English): what happened, and the
/// system's error number when the kind says nothing.
pub(crate) fn io_text(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "路径不存在".into(),
        K::PermissionDenied => "没有权限（文件夹只读或被保护）".into(),
        K::ReadOnlyFilesystem => "磁盘或文件夹为只读".into(),
        K::StorageFull => "磁盘空间已满".into(),
        K::AlreadyExists => "已存在同名的文件或文件夹".into(),
        K::DirectoryNotEmpty => "文件夹不是空的".into(),
        K::NotADirectory => "路径中有一项不是文件夹".into(),
        K::InvalidData => "文件内容无法识别".into(),
        _ => match e.raw_os_error() {
            Some(code) => format!("读写出错（系统错误代码 {code}）"),
            None => "读写出错".into(),
        },
    }
}

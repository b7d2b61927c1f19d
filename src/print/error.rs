//! Errors of the printing pipeline. Every message is Chinese and meant for the clerk.

use std::io;
use std::path::PathBuf;

/// What can go wrong between a view model and paper.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// The text uses characters that neither the embedded nor the external font can draw.
    /// Printing would silently show empty boxes, so the document is refused.
    #[error("字体缺少以下字符：{}，请在设置中指定外部字体", join_chars(.chars))]
    MissingGlyphs { chars: Vec<char> },

    /// The external font file could not be read.
    #[error("无法读取外部字体文件 {}：{}", .path.display(), io_reason(.source))]
    FontRead { path: PathBuf, source: io::Error },

    /// The font bytes are not a usable TrueType/OpenType face.
    #[error("无法识别字体 {name} 的第 {index} 号字形（文件损坏或不是 TrueType/OpenType 字体）")]
    FontParse { name: String, index: usize },

    /// The document cannot be laid out (a QR code too long for any size).
    #[error("{0}")]
    Layout(String),

    /// The print folder could not be created.
    #[error("无法创建打印文件夹 {}：{}", .path.display(), io_reason(.source))]
    CreateFolder { path: PathBuf, source: io::Error },

    /// The PDF could not be written into the print folder.
    #[error("无法在打印文件夹 {} 中保存文件：{}", .folder.display(), io_reason(.source))]
    WriteFile { folder: PathBuf, source: io::Error },

    /// Every candidate name `<stem>.pdf`, `<stem>-2.pdf` … is taken.
    #[error("打印文件夹 {} 中名为“{stem}”的文件过多，请清理后重试", .folder.display())]
    NoFreeName { folder: PathBuf, stem: String },

    /// An Excel workbook could not be made (the reason in Chinese).
    #[error("无法生成 Excel 文件：{0}")]
    Workbook(String),

    /// A file named by the user (a report's `--out`) could not be written.
    #[error("无法写入文件 {}：{}", .path.display(), io_reason(.source))]
    WriteTo { path: PathBuf, source: io::Error },

    /// The file was written, but handing it to the printer failed.
    #[error("文件已保存为 {}，但发送到打印机“{printer}”失败：{}", .path.display(), io_reason(.source))]
    SendFailed {
        path: PathBuf,
        printer: String,
        source: io::Error,
    },
}

fn join_chars(chars: &[char]) -> String {
    let mut s = String::new();
    for (i, c) in chars.iter().enumerate() {
        if i > 0 {
            s.push('、');
        }
        s.push(*c);
    }
    s
}

/// A short Chinese reason for an I/O error; falls back to the system's own text.
pub(crate) fn io_reason(e: &io::Error) -> String {
    use io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => "没有写入权限（文件夹只读或被保护）".to_owned(),
        K::ReadOnlyFilesystem => "磁盘或文件夹为只读".to_owned(),
        K::StorageFull => "磁盘空间已满".to_owned(),
        K::NotFound => "路径不存在".to_owned(),
        K::AlreadyExists => "文件已存在".to_owned(),
        K::IsADirectory => "这是一个文件夹，不是文件".to_owned(),
        K::NotADirectory => "路径中有一段不是文件夹".to_owned(),
        K::InvalidFilename => "文件名不合法".to_owned(),
        // the system's own text may be English: its code is enough to look it up
        _ => match e.raw_os_error() {
            Some(code) => format!("系统错误（代码 {code}）"),
            None => "系统错误".to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_glyphs_message_lists_chars() {
        let e = PrintError::MissingGlyphs { chars: vec!['䶮'] };
        assert_eq!(
            e.to_string(),
            "字体缺少以下字符：䶮，请在设置中指定外部字体"
        );
        let e = PrintError::MissingGlyphs {
            chars: vec!['䶮', '𠮷'],
        };
        assert_eq!(
            e.to_string(),
            "字体缺少以下字符：䶮、𠮷，请在设置中指定外部字体"
        );
    }

    #[test]
    fn io_errors_read_in_chinese() {
        let e = PrintError::WriteFile {
            folder: PathBuf::from("/x"),
            source: io::Error::from(io::ErrorKind::PermissionDenied),
        };
        assert!(e.to_string().contains("没有写入权限"), "{e}");
    }
}

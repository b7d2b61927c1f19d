//! Where finished PDFs go: a folder (always), and optionally the system printer.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use super::PrintError;

/// A finished document waiting to be printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintJob {
    /// File name without `.pdf`, e.g. `收据-202605120001`. Characters not allowed in file
    /// names are replaced by `_`.
    pub file_stem: String,
    pub pdf: Vec<u8>,
}

/// What happened to a job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintOutcome {
    /// The PDF as written in the print folder.
    pub path: PathBuf,
    /// The printer it was sent to, if it was sent.
    pub sent_to: Option<String>,
}

/// Something that takes a PDF and puts it somewhere.
pub trait Printer {
    fn print(&self, job: &PrintJob) -> Result<PrintOutcome, PrintError>;
}

/// Writes each job as `<folder>/<file_stem>.pdf`, never overwriting: an existing name gets
/// `-2`, `-3` …. The file appears complete or not at all (written to a temporary file in the
/// same folder, flushed, then linked/renamed into place).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FolderPrinter {
    pub folder: PathBuf,
}

/// Highest suffix tried before giving up.
const MAX_SUFFIX: u32 = 9999;

impl FolderPrinter {
    pub fn new(folder: impl Into<PathBuf>) -> Self {
        FolderPrinter {
            folder: folder.into(),
        }
    }

    fn write_err(&self, source: io::Error) -> PrintError {
        PrintError::WriteFile {
            folder: self.folder.clone(),
            source,
        }
    }

    /// Writes the bytes to a fresh temporary file in the folder and syncs it.
    fn write_temp(&self, pdf: &[u8], ext: &str) -> Result<PathBuf, PrintError> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let tmp = self
                .folder
                .join(format!(".stationdesk-{}-{n}.{ext}.tmp", std::process::id()));
            let file = OpenOptions::new().write(true).create_new(true).open(&tmp);
            let mut file: File = match file {
                Ok(f) => f,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(self.write_err(e)),
            };
            let written = file.write_all(pdf).and_then(|()| file.sync_all());
            if let Err(e) = written {
                drop(file);
                let _ = fs::remove_file(&tmp);
                return Err(self.write_err(e));
            }
            return Ok(tmp);
        }
    }

    /// Moves `tmp` to the first free name. A hard link fails if the target exists, so a
    /// file that appears meanwhile is never replaced; file systems without hard links
    /// (FAT on a USB stick, some network shares) fall back to check-then-rename.
    fn place(&self, tmp: &Path, stem: &str, ext: &str) -> Result<PathBuf, PrintError> {
        for n in 1..=MAX_SUFFIX {
            let name = if n == 1 {
                format!("{stem}.{ext}")
            } else {
                format!("{stem}-{n}.{ext}")
            };
            let target = self.folder.join(name);
            if target.exists() {
                continue;
            }
            match fs::hard_link(tmp, &target) {
                Ok(()) => {
                    let _ = fs::remove_file(tmp);
                    return Ok(target);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(_) => {
                    if target.exists() {
                        continue;
                    }
                    fs::rename(tmp, &target).map_err(|e| self.write_err(e))?;
                    return Ok(target);
                }
            }
        }
        Err(PrintError::NoFreeName {
            folder: self.folder.clone(),
            stem: stem.to_owned(),
        })
    }

    /// Writes the job and returns where it went.
    pub fn write(&self, job: &PrintJob) -> Result<PathBuf, PrintError> {
        self.write_file(&job.file_stem, "pdf", &job.pdf)
    }

    /// Writes any file (a CSV export …) the same way: `<folder>/<stem>.<ext>`, complete or
    /// not at all, never over an existing file.
    pub fn write_file(&self, stem: &str, ext: &str, bytes: &[u8]) -> Result<PathBuf, PrintError> {
        fs::create_dir_all(&self.folder).map_err(|source| PrintError::CreateFolder {
            path: self.folder.clone(),
            source,
        })?;
        let stem = sanitize_stem(stem);
        let tmp = self.write_temp(bytes, ext)?;
        let placed = self.place(&tmp, &stem, ext);
        if placed.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        placed
    }
}

/// Writes `bytes` to the file `path` the user named (a report's `--out`): to a temporary
/// file beside it first, then renamed over it, so the file is complete or untouched. An
/// existing file is replaced (a scheduled run writes the same name every month); the
/// folder must exist.
pub fn write_file_at(path: &Path, bytes: &[u8]) -> Result<PathBuf, PrintError> {
    let err = |source: io::Error| PrintError::WriteTo {
        path: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        return Err(err(io::Error::from(io::ErrorKind::IsADirectory)));
    }
    let name = path
        .file_name()
        .ok_or_else(|| err(io::Error::from(io::ErrorKind::InvalidFilename)))?;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !folder.is_dir() {
        return Err(err(io::Error::from(io::ErrorKind::NotFound)));
    }
    let tmp = folder.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| -> io::Result<()> {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(err(e));
    }
    Ok(path.to_path_buf())
}

impl Printer for FolderPrinter {
    fn print(&self, job: &PrintJob) -> Result<PrintOutcome, PrintError> {
        Ok(PrintOutcome {
            path: self.write(job)?,
            sent_to: None,
        })
    }
}

/// Writes the job to the folder like [`FolderPrinter`], then sends the file to a printer
/// (`lp -d` on Linux, the `PrintTo` shell verb on Windows). An empty printer name means the
/// system's default printer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SystemPrinter {
    pub folder: PathBuf,
    pub printer: String,
}

impl Printer for SystemPrinter {
    fn print(&self, job: &PrintJob) -> Result<PrintOutcome, PrintError> {
        let path = FolderPrinter::new(self.folder.clone()).write(job)?;
        match super::system::send_to_printer(&path, &self.printer) {
            Ok(()) => Ok(PrintOutcome {
                path,
                sent_to: Some(self.printer.clone()),
            }),
            Err(source) => Err(PrintError::SendFailed {
                path,
                printer: self.printer.clone(),
                source,
            }),
        }
    }
}

/// Replaces characters Windows or Linux do not allow in file names; never empty.
pub fn sanitize_stem(stem: &str) -> String {
    let s: String = stem
        .trim()
        .chars()
        .map(|c| {
            if c.is_control() || r#"/\:*?"<>|"#.contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let s = s.trim_matches(|c: char| c == '.' || c == ' ').to_owned();
    if s.is_empty() {
        "打印文件".to_owned()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_made_safe() {
        assert_eq!(sanitize_stem("收据/2026:01"), "收据_2026_01");
        assert_eq!(sanitize_stem("../.."), "_"); // no separators or leading dots survive
        assert_eq!(sanitize_stem("  "), "打印文件");
        assert_eq!(sanitize_stem("a\nb"), "a_b");
    }
}

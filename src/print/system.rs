//! Sending a file to the system printer. All platform-specific printing code lives here.

use std::io;
use std::path::Path;
use std::process::Command;

/// Sends the PDF at `path` to `printer` (empty: the system's default printer) and waits for
/// the spooler to accept it.
///
/// Linux and other Unix: `lp [-d PRINTER] FILE` (CUPS). Windows: the shell's `PrintTo` verb
/// (`Print` for the default printer) through PowerShell, which needs a PDF program that
/// registers that verb (e.g. SumatraPDF or Adobe Reader; the Edge browser does not).
#[cfg(unix)]
pub fn send_to_printer(path: &Path, printer: &str) -> io::Result<()> {
    let mut cmd = Command::new("lp");
    if !printer.trim().is_empty() {
        cmd.arg("-d").arg(printer.trim());
    }
    // An absolute path never starts with '-', so lp cannot take it for an option.
    cmd.arg(std::path::absolute(path)?);
    run(cmd, "lp")
}

/// See the Unix version.
#[cfg(windows)]
pub fn send_to_printer(path: &Path, printer: &str) -> io::Result<()> {
    use std::os::windows::process::CommandExt;
    /// Do not flash a console window.
    const CREATE_NO_WINDOW: u32 = 0x0800_0000;
    // Path and printer travel in environment variables, so no quoting of user text is needed;
    // the printer name is wrapped in double quotes ([char]34) because it may contain spaces.
    let script = if printer.trim().is_empty() {
        "Start-Process -FilePath $env:SD_PRINT_FILE -Verb Print -WindowStyle Hidden"
    } else {
        "Start-Process -FilePath $env:SD_PRINT_FILE -Verb PrintTo \
         -ArgumentList ([char]34 + $env:SD_PRINT_PRINTER + [char]34) -WindowStyle Hidden"
    };
    let mut cmd = Command::new("powershell");
    cmd.args([
        "-NoProfile",
        "-NonInteractive",
        "-ExecutionPolicy",
        "Bypass",
        "-Command",
        script,
    ])
    .env("SD_PRINT_FILE", path)
    .env("SD_PRINT_PRINTER", printer.trim())
    .creation_flags(CREATE_NO_WINDOW);
    run(cmd, "powershell")
}

fn run(mut cmd: Command, program: &str) -> io::Result<()> {
    let out = cmd.output().map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            io::Error::new(e.kind(), format!("找不到打印命令 {program}"))
        } else {
            e
        }
    })?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let detail = stderr.trim();
    let msg = if detail.is_empty() {
        format!("{program} 退出码 {}", out.status)
    } else {
        format!("{program}：{detail}")
    };
    Err(io::Error::other(msg))
}

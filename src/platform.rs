//! Everything that differs between Windows and Linux lives here (and, for sending a
//! file to a printer, in `print/system.rs`).
use std::path::PathBuf;

/// The user's data directory for stationdesk: `~/.local/share/stationdesk` on Linux,
/// `%APPDATA%\stationdesk\stationdesk\data` on Windows.
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("cn", "stationdesk", "stationdesk")
        .map(|d| d.data_dir().to_path_buf())
}

/// Peak resident memory of this process in KiB, where the platform tells it.
pub fn peak_rss_kib() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        status
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// Current resident memory of this process in KiB, where the platform tells it.
pub fn current_rss_kib() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// Tell the system that a piece of the program's own read-only data (the embedded font,
/// once copied into the parsed face) will not be read again, so its pages leave resident
/// memory; should it be read after all, the pages come back from the program file.
/// Elsewhere this does nothing.
pub fn forget_read_only(bytes: &'static [u8]) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: sysconf only reads a system constant.
        let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(0);
        if page == 0 {
            return;
        }
        let first = bytes.as_ptr() as usize;
        let start = first.div_ceil(page) * page;
        let end = (first + bytes.len()) / page * page;
        if end > start {
            // SAFETY: whole pages inside a `'static` read-only slice of the executable's
            // private file mapping: they were never written, so dropping them loses
            // nothing, and a later read faults them back in from the file unchanged.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
            }
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = bytes;
}

/// Give memory freed by a large, short job (rendering a PDF) back to the system, so the
/// resident size of a program that runs all day stays small. glibc keeps freed heap pages
/// otherwise; elsewhere this does nothing.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns unused pages of the allocator's heap to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

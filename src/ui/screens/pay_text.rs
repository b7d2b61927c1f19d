//! Small texts and helpers the money screens share: a printout's place, amounts spread
//! across a width (CJK counted double), the amount in capitals, the cash difference in
//! words (长款/短款), the key of one confirm dialog.
use std::sync::atomic::{AtomicU64, Ordering};

use rust_decimal::Decimal;
use unicode_width::UnicodeWidthStr;

use crate::domain::capital::capital_amount;
use crate::domain::money;
use crate::print::PrintOutcome;
use crate::service::{Service, Session};

/// Where a printout went: the file in the print folder and, when sent, the printer.
pub fn printed_text(out: &PrintOutcome) -> String {
    let file = out
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match &out.sent_to {
        Some(p) => format!("{file}，已送打印机 {p}"),
        None => format!("打印目录 {file}"),
    }
}

/// `left … right` in `width` cells (CJK counted double).
pub fn spread(left: &str, right: &str, width: usize) -> String {
    let gap = width.saturating_sub(left.width() + right.width()).max(1);
    format!("{left}{}{right}", " ".repeat(gap))
}

/// The capital amount as printed: `人民币壹仟零伍元整`.
pub fn capital_text(amount: Decimal) -> String {
    match capital_amount(amount) {
        Ok(c) => format!("人民币{c}"),
        Err(e) => e.to_string(),
    }
}

/// `+5.00 元（长款）`, `-2.00 元（短款）`, `0.00 元（相符）`.
pub fn difference_text(d: Decimal) -> String {
    let v = money::format_yuan_grouped(d);
    if d > Decimal::ZERO {
        format!("+{v} 元（长款）")
    } else if d < Decimal::ZERO {
        format!("{v} 元（短款）")
    } else {
        format!("{v} 元（相符）")
    }
}

/// `s` padded with spaces to `w` cells (CJK counted double).
pub fn pad(s: &str, w: usize) -> String {
    let n = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(w.saturating_sub(n)))
}

/// A fresh key for one confirm dialog: the staff member, the clock, this process and a
/// counter, plus per-process randomness from the standard library's hasher seed.
pub fn request_key(svc: &Service, session: &Session) -> String {
    use std::hash::{BuildHasher, Hasher};
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(n);
    format!(
        "ui-{}-{}-{}-{n}-{:016x}",
        session.staff_id,
        svc.now().format("%Y%m%d%H%M%S"),
        std::process::id(),
        h.finish()
    )
}

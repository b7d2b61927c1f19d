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
    key_for(session.staff_id, svc.now())
}

fn key_for(staff_id: i64, now: chrono::NaiveDateTime) -> String {
    use std::hash::{BuildHasher, Hasher};
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(n);
    format!(
        "ui-{staff_id}-{}-{}-{n}-{:016x}",
        now.format("%Y%m%d%H%M%S"),
        std::process::id(),
        h.finish()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dialog_gets_its_own_key_within_the_length_the_service_takes() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let keys: std::collections::HashSet<String> =
            (0..1000).map(|_| key_for(i64::MAX, now)).collect();
        assert_eq!(keys.len(), 1000);
        assert!(keys.iter().all(|k| k.chars().count() <= 100));
    }

    #[test]
    fn amounts_spread_and_differences_in_words() {
        assert_eq!(
            spread("2026年9月电费", "235.60", 24),
            "2026年9月电费     235.60"
        );
        assert_eq!(spread("很长很长的名字", "1.00", 4), "很长很长的名字 1.00");
        assert_eq!(difference_text(Decimal::new(90, 2)), "+0.90 元（长款）");
        assert_eq!(difference_text(Decimal::new(-4, 2)), "-0.04 元（短款）");
        assert_eq!(difference_text(Decimal::ZERO), "0.00 元（相符）");
        assert_eq!(capital_text(Decimal::new(100500, 2)), "人民币壹仟零伍元整");
    }
}

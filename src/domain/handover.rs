//! The hand-over to the provincial marketing system (交接包, issue 17): the pure parts of
//! the bundle format (`docs/handover.md`).
//!
//! - Every change to a handed-over table leaves an outbox record (a trigger writes it in the
//!   change's own transaction); records are numbered without gaps per station (`seq`).
//! - Each record's UUID is made from the random nonce its transaction drew when it
//!   committed and its sequence number ([`record_uuid`]): fixed at commit, different for
//!   every record, and different again should a restored database number a later change
//!   with a sequence number it had used before. Storing 16 random bytes per record instead
//!   would cost 96 MB and 1.6 s of the 100,000-customer demo's 6 million records.
//! - Times are written with the station's offset from UTC (setting `handover.utc_offset`,
//!   `+08:00`: all of China keeps Beijing time), never as bare local times.
use sha2::{Digest, Sha256};

crate::coded_enum! {
    /// What an outbox record says happened to its row.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum OutboxOp: "交接记录类型" {
        /// the row was added (the whole row follows)
        Insert = "I" / "新增",
        /// the row was changed (the whole row as it became follows)
        Update = "U" / "修改",
        /// the row was removed (only its key)
        Delete = "D" / "删除",
    }
}

crate::coded_enum! {
    /// Where a bundle stands with the county.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum BundleState: "交接包状态" {
        /// written, not yet accepted upstream: exported again unchanged until confirmed
        Pending = "pending" / "待确认",
        /// accepted upstream; the next bundle starts after it
        Confirmed = "confirmed" / "已确认",
    }
}

/// The format name written in every manifest.
pub const FORMAT: &str = "stationdesk-handover/1";

/// The manifest's file name inside a bundle's folder.
pub const MANIFEST: &str = "manifest.json";

/// A bundle's id: the station code and the bundle's number, e.g. `WZ01-000003`.
pub fn bundle_id(station_code: &str, number: i64) -> String {
    format!("{station_code}-{number:06}")
}

/// A bundle id as typed (spaces around it dropped, letters upper-cased), or `None` when it
/// is not of the form `CODE-NNNNNN`.
pub fn parse_bundle_id(typed: &str) -> Option<String> {
    let t = typed.trim().to_ascii_uppercase();
    let (code, number) = t.rsplit_once('-')?;
    if code.is_empty()
        || !code.chars().all(|c| c.is_ascii_alphanumeric())
        || number.len() < 6
        || !number.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    Some(t)
}

/// The UUID of outbox record `seq`, from the nonce its transaction drew at commit: the
/// first 16 bytes of SHA-256(`stationdesk-outbox` ‖ nonce ‖ seq), marked as an RFC 9562
/// version-8 (vendor-defined) UUID.
pub fn record_uuid(nonce: &[u8], seq: i64) -> String {
    String::from_utf8_lossy(&record_uuid_bytes(nonce, seq)).into_owned()
}

/// [`record_uuid`] as its 36 ASCII bytes (`xxxxxxxx-xxxx-8xxx-yxxx-xxxxxxxxxxxx`), made
/// without allocating: the export writes one for each of millions of records.
pub fn record_uuid_bytes(nonce: &[u8], seq: i64) -> [u8; 36] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut h = Sha256::new();
    h.update(b"stationdesk-outbox");
    h.update(nonce);
    h.update(seq.to_be_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut out = [b'-'; 36];
    let mut i = 0;
    for (k, byte) in b.iter().enumerate() {
        if matches!(k, 4 | 6 | 8 | 10) {
            i += 1;
        }
        out[i] = HEX[usize::from(byte >> 4)];
        out[i + 1] = HEX[usize::from(byte & 0x0f)];
        i += 2;
    }
    out
}

/// The offset setting's code (`+0800`) as written in times (`+08:00`), or `None` when it
/// is not a whole offset of at most 14 hours.
pub fn offset_text(code: &str) -> Option<String> {
    let b = code.trim().as_bytes();
    if b.len() != 5 || !(b[0] == b'+' || b[0] == b'-') || !b[1..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let hours = (b[1] - b'0') * 10 + (b[2] - b'0');
    let minutes = (b[3] - b'0') * 10 + (b[4] - b'0');
    if hours > 14 || minutes > 59 {
        return None;
    }
    Some(format!("{}{:02}:{:02}", b[0] as char, hours, minutes))
}

/// A stored local time (`YYYY-MM-DD HH:MM:SS`) with its offset (`YYYY-MM-DDTHH:MM:SS+08:00`);
/// `None` when the text is not a stored time (left as it is).
pub fn with_offset(stored: &str, offset: &str) -> Option<String> {
    is_stored_moment(stored).then(|| {
        let mut out = String::with_capacity(25);
        out.push_str(&stored[..10]);
        out.push('T');
        out.push_str(&stored[11..]);
        out.push_str(offset);
        out
    })
}

/// Whether text is a stored local time, `YYYY-MM-DD HH:MM:SS`.
pub fn is_stored_moment(stored: &str) -> bool {
    let b = stored.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    b.len() == 19
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b' '
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
}

/// Whether a column holds a moment (a stored local time, written with its offset in the
/// bundle): `at`, the columns named `…_at`, and the two other moments of the schema. Dates
/// (`…_on`, `…_date`, periods) stay dates.
pub fn is_moment_column(name: &str) -> bool {
    name == "at" || name.ends_with("_at") || name == "outage_from" || name.ends_with("locked_until")
}

/// Whether a column holds money in 分 (integer): the columns named `…_fen`.
pub fn is_money_column(name: &str) -> bool {
    name.ends_with("_fen")
}

/// 分 as a decimal string of 元 (`123456` → `1234.56`, `-5` → `-0.05`): exact, for the
/// manifest's sums next to the integer.
pub fn fen_text(fen: i128) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_uuids_are_version_8_and_differ_by_seq_and_nonce() {
        let a = record_uuid(&[1; 16], 1);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8", "{a}");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert_eq!(
            a,
            record_uuid(&[1; 16], 1),
            "the same record, the same UUID"
        );
        let mut h = Sha256::new();
        h.update(b"stationdesk-outbox");
        h.update([1u8; 16]);
        h.update(1i64.to_be_bytes());
        let d = hex::encode(&h.finalize()[..16]);
        assert_eq!(&a[..8], &d[..8], "the hash's first bytes");
        assert_eq!(&a[24..], &d[20..], "{a} {d}");
        assert_ne!(a, record_uuid(&[1; 16], 2));
        assert_ne!(a, record_uuid(&[2; 16], 1));
    }

    #[test]
    fn times_get_their_offset_and_other_text_is_left_alone() {
        assert_eq!(
            with_offset("2026-11-24 09:30:00", "+08:00").as_deref(),
            Some("2026-11-24T09:30:00+08:00")
        );
        assert_eq!(with_offset("2026-11-24", "+08:00"), None);
        assert_eq!(with_offset("2026-11-24 09:30", "+08:00"), None);
        assert_eq!(with_offset("张三 2026-11-24 09:30:0", "+08:00"), None);
        assert_eq!(offset_text("+0800").as_deref(), Some("+08:00"));
        assert_eq!(offset_text("-0330").as_deref(), Some("-03:30"));
        assert_eq!(offset_text("+08:00"), None);
        assert_eq!(offset_text("+1500"), None);
    }

    #[test]
    fn bundle_ids_are_the_station_code_and_a_number() {
        assert_eq!(bundle_id("WZ01", 3), "WZ01-000003");
        assert_eq!(
            parse_bundle_id(" wz01-000003 ").as_deref(),
            Some("WZ01-000003")
        );
        assert_eq!(parse_bundle_id("WZ01-3"), None);
        assert_eq!(parse_bundle_id("000003"), None);
        assert_eq!(parse_bundle_id("WZ 01-000003"), None);
    }

    #[test]
    fn money_is_written_exactly() {
        assert_eq!(fen_text(123456), "1234.56");
        assert_eq!(fen_text(-5), "-0.05");
        assert_eq!(fen_text(0), "0.00");
        assert!(is_money_column("amount_fen"));
        assert!(!is_money_column("value_centi"));
        assert!(is_moment_column("at") && is_moment_column("closed_at"));
        assert!(!is_moment_column("read_on") && !is_moment_column("period"));
    }
}

//! Receipt numbers: `SJ` (收据) + the four-digit year of the business day + a sequence
//! that starts at 1 each year: six digits up to 999,999 (`SJ2026000123`), eight from
//! 1,000,000 on (`SJ202601000000`, up to 99,999,999), so a county-sized station never runs
//! out and every number issued with six digits stays valid (migration 0012).
//!
//! The sequence is the station's own (one database = one station) and has no gaps: the
//! next number is `MAX(seq) + 1` of the year, taken inside the payment's `BEGIN IMMEDIATE`
//! transaction, and a trigger refuses any other number. Voided receipts keep their number.

/// Letters in front of every receipt number.
pub const PREFIX: &str = "SJ";

/// The highest sequence a year can hold.
pub const MAX_SEQ: i64 = 99_999_999;

/// `SJ2026000123`, `SJ202601000000`; `None` beyond [`MAX_SEQ`] receipts in a year.
pub fn format(year: i32, seq: i64) -> Option<String> {
    if !(1000..=9999).contains(&year) {
        return None;
    }
    match seq {
        1..=999_999 => Some(format!("{PREFIX}{year:04}{seq:06}")),
        1_000_000..=MAX_SEQ => Some(format!("{PREFIX}{year:04}{seq:08}")),
        _ => None,
    }
}

/// (year, sequence) of a receipt number.
pub fn parse(no: &str) -> Option<(i32, i64)> {
    let rest = no.strip_prefix(PREFIX)?;
    if !(rest.len() == 10 || rest.len() == 12) || !rest.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (y, s) = rest.split_at(4);
    let (year, seq): (i32, i64) = (y.parse().ok()?, s.parse().ok()?);
    // one way to write each number
    (format(year, seq).as_deref() == Some(no)).then_some((year, seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_and_parse() {
        assert_eq!(format(2026, 123).as_deref(), Some("SJ2026000123"));
        assert_eq!(format(2026, 0), None);
        assert_eq!(format(2026, 999_999).as_deref(), Some("SJ2026999999"));
        assert_eq!(format(2026, 1_000_000).as_deref(), Some("SJ202601000000"));
        assert_eq!(format(2026, 99_999_999).as_deref(), Some("SJ202699999999"));
        assert_eq!(format(2026, 100_000_000), None);
        assert_eq!(parse("SJ202601000000"), Some((2026, 1_000_000)));
        assert_eq!(parse("SJ202600000123"), None, "six digits below a million");
        assert_eq!(parse("SJ2026000123"), Some((2026, 123)));
        assert_eq!(parse("SJ2026-00123"), None);
        assert_eq!(parse("XX2026000123"), None);
    }
}

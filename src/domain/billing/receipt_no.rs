//! Receipt numbers: `SJ` (收据) + the four-digit year of the business day + a six-digit
//! sequence that starts at 000001 each year, e.g. `SJ2026000123`.
//!
//! The sequence is the station's own (one database = one station) and has no gaps: the
//! next number is `MAX(seq) + 1` of the year, taken inside the payment's `BEGIN IMMEDIATE`
//! transaction, and a trigger refuses any other number. Voided receipts keep their number.

/// Letters in front of every receipt number.
pub const PREFIX: &str = "SJ";

/// `SJ2026000123`; `None` beyond 999,999 receipts in a year.
pub fn format(year: i32, seq: i64) -> Option<String> {
    ((1..=999_999).contains(&seq) && (1000..=9999).contains(&year))
        .then(|| format!("{PREFIX}{year:04}{seq:06}"))
}

/// (year, sequence) of a receipt number.
pub fn parse(no: &str) -> Option<(i32, i64)> {
    let rest = no.strip_prefix(PREFIX)?;
    if rest.len() != 10 || !rest.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (y, s) = rest.split_at(4);
    Some((y.parse().ok()?, s.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_and_parse() {
        assert_eq!(format(2026, 123).as_deref(), Some("SJ2026000123"));
        assert_eq!(format(2026, 0), None);
        assert_eq!(format(2026, 1_000_000), None);
        assert_eq!(parse("SJ2026000123"), Some((2026, 123)));
        assert_eq!(parse("SJ2026-00123"), None);
        assert_eq!(parse("XX2026000123"), None);
    }
}

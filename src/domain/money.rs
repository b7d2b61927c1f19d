//! Money: `Decimal` in 元 with two decimals, rounded half-up to the 分; stored as integer 分.
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

/// Round to the 分, half-up (四舍五入).
pub fn round_fen(v: Decimal) -> Decimal {
    v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// 元 → integer 分 (rounded half-up first). `None` when out of range.
pub fn to_fen(yuan: Decimal) -> Option<i64> {
    let fen = round_fen(yuan).checked_mul(Decimal::ONE_HUNDRED)?;
    i64::try_from(fen.trunc()).ok()
}

/// integer 分 → 元.
pub fn from_fen(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

/// Parse an amount typed by a user ("12", "12.5", "1,205.30", "¥3.2"); at most 2 decimals.
pub fn parse_yuan(text: &str) -> Result<Decimal, &'static str> {
    // full-width digits from a Chinese input method are digits
    let text = super::validate::fold_digits(text);
    let cleaned: String = text
        .trim()
        .trim_start_matches(['¥', '￥'])
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    if cleaned.is_empty() {
        return Err("请输入金额");
    }
    // plain decimal notation only: `1e3`, `0x10`, `+5`, `١٢` and the like are refused rather
    // than read as something the clerk did not type
    let digits = cleaned.strip_prefix('-').unwrap_or(&cleaned);
    let dots = digits.chars().filter(|c| *c == '.').count();
    if digits.is_empty() || dots > 1 || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err("金额格式不对，应为数字，如 12.50");
    }
    let v = Decimal::from_str(&cleaned).map_err(|_| "金额格式不对，应为数字，如 12.50")?;
    if v.scale() > 2 && v.normalize().scale() > 2 {
        return Err("金额最多两位小数（到分）");
    }
    if to_fen(v).is_none() {
        return Err("金额超出范围");
    }
    Ok(round_fen(v))
}

/// "1234.50" (always two decimals).
pub fn format_yuan(v: Decimal) -> String {
    format!("{:.2}", round_fen(v))
}

/// "1,234.50" (always two decimals, thousands grouped with commas; "-1,005.00" below zero).
pub fn format_yuan_grouped(v: Decimal) -> String {
    let plain = format_yuan(v);
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounding_is_half_up_to_the_fen() {
        assert_eq!(round_fen(d("0.005")), d("0.01"));
        assert_eq!(round_fen(d("0.004")), d("0.00"));
        assert_eq!(round_fen(d("2.675")), d("2.68"));
        assert_eq!(round_fen(d("-0.005")), d("-0.01"));
    }

    #[test]
    fn parse_and_format() {
        assert_eq!(parse_yuan("12").unwrap(), d("12"));
        assert_eq!(format_yuan(parse_yuan("1,205.3").unwrap()), "1205.30");
        assert_eq!(format_yuan(parse_yuan("¥3.2").unwrap()), "3.20");
        // full-width digits from an input method (issue 18)
        assert_eq!(format_yuan(parse_yuan("１２．５").unwrap()), "12.50");
        assert!(parse_yuan("").is_err());
        assert!(parse_yuan("abc").is_err());
        assert!(parse_yuan("1.234").is_err());
        // far too large: a message, never an overflow panic
        assert!(parse_yuan("9999999999999999999999999999").is_err());
        assert!(parse_yuan("79228162514264337593543950335").is_err());
        assert_eq!(to_fen(d("1005.00")), Some(100500));
        assert_eq!(from_fen(100505), d("1005.05"));
    }

    #[test]
    fn only_plain_decimal_notation_is_an_amount() {
        for bad in [
            "1e3", "1E3", "0x10", "+5", "＋5", "5.5.5", "12元", "-", "NaN", "inf", "١٢",
        ] {
            assert!(parse_yuan(bad).is_err(), "{bad} accepted");
        }
        assert_eq!(parse_yuan("¥1,205.30"), Ok(d("1205.30")));
        assert_eq!(parse_yuan(" 12.5 "), Ok(d("12.50")));
        assert_eq!(parse_yuan("-3"), Ok(d("-3")), "refused later as 应大于 0");
        // full-width digits are the same digits (issue 18); other scripts are not
        assert_eq!(parse_yuan("１２"), Ok(d("12.00")));
    }

    #[test]
    fn grouped_format() {
        assert_eq!(format_yuan_grouped(d("0")), "0.00");
        assert_eq!(format_yuan_grouped(d("999.5")), "999.50");
        assert_eq!(format_yuan_grouped(d("1005")), "1,005.00");
        assert_eq!(format_yuan_grouped(d("-1005")), "-1,005.00");
        assert_eq!(format_yuan_grouped(d("123456.785")), "123,456.79");
        assert_eq!(format_yuan_grouped(d("-100000000")), "-100,000,000.00");
        assert_eq!(format_yuan_grouped(d("-0.004")), "0.00");
    }

    proptest! {
        #[test]
        fn fen_round_trip(fen in -1_000_000_000_000i64..1_000_000_000_000i64) {
            prop_assert_eq!(to_fen(from_fen(fen)), Some(fen));
        }

        #[test]
        fn grouped_parses_back(fen in -1_000_000_000_000i64..1_000_000_000_000i64) {
            let v = from_fen(fen);
            prop_assert_eq!(parse_yuan(&format_yuan_grouped(v)), Ok(v));
        }
    }
}

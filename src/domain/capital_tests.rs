//! Tests of the capital amounts (人民币大写): the table, a strict reader for round trips,
//! and properties over the whole range.
use super::*;
use proptest::prelude::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn cap(s: &str) -> String {
    capital_amount(d(s)).unwrap()
}

/// (amount, expected) — zeros in every position, 万 and 亿, 角/分 only, 10–19.
const CASES: &[(&str, &str)] = &[
    // the rules' own examples
    ("1005.00", "壹仟零伍元整"),
    ("10.05", "壹拾元零伍分"),
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "壹拾万零柒仟元零伍角叁分"),
    ("1004.56", "壹仟零肆元伍角陆分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    // below 1 元: only 角, only 分, zero
    ("0.00", "零元整"),
    ("0.50", "伍角整"),
    ("0.05", "伍分"),
    ("0.55", "伍角伍分"),
    ("0.01", "壹分"),
    ("0.10", "壹角整"),
    ("0.99", "玖角玖分"),
    // ones, ending at 角
    ("1.00", "壹元整"),
    ("1.20", "壹元贰角整"),
    ("12.30", "壹拾贰元叁角整"),
    ("9.09", "玖元零玖分"),
    ("10.50", "壹拾元零伍角整"),
    // 10–19 keep the 壹
    ("10.00", "壹拾元整"),
    ("16.00", "壹拾陆元整"),
    ("19.99", "壹拾玖元玖角玖分"),
    ("110.00", "壹佰壹拾元整"),
    ("115.00", "壹佰壹拾伍元整"),
    // zeros in the 拾, 佰, 仟 places
    ("101.00", "壹佰零壹元整"),
    ("1010.00", "壹仟零壹拾元整"),
    ("1100.10", "壹仟壹佰元零壹角整"),
    ("2000.00", "贰仟元整"),
    ("3006.07", "叁仟零陆元零柒分"),
    ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
    // 万
    ("10000.00", "壹万元整"),
    ("20005.00", "贰万零伍元整"),
    ("20050.00", "贰万零伍拾元整"),
    ("20500.00", "贰万零伍佰元整"),
    ("25000.00", "贰万伍仟元整"),
    ("100000.00", "壹拾万元整"),
    ("110000.00", "壹拾壹万元整"),
    ("150000.00", "壹拾伍万元整"),
    ("1000005.00", "壹佰万零伍元整"),
    ("1010000.00", "壹佰零壹万元整"),
    ("10001000.00", "壹仟万零壹仟元整"),
    ("99999999.99", "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    // 亿, with zero 万 groups
    ("100000000.00", "壹亿元整"),
    ("100010000.00", "壹亿零壹万元整"),
    ("100000001.00", "壹亿零壹元整"),
    ("101000000.00", "壹亿零壹佰万元整"),
    ("110000000.00", "壹亿壹仟万元整"),
    ("1000000000.10", "壹拾亿元零壹角整"),
    ("1200340005.60", "壹拾贰亿零叁拾肆万零伍元陆角整"),
    ("10000000000.00", "壹佰亿元整"),
    (
        "999999999999.99",
        "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
    ),
    // negative (红冲)
    ("-1005.00", "负壹仟零伍元整"),
    ("-0.05", "负伍分"),
    // rounded half-up to the 分 first
    ("0.005", "壹分"),
    ("2.675", "贰元陆角捌分"),
    ("0.004", "零元整"),
    ("-0.004", "零元整"),
    ("1004.999", "壹仟零伍元整"),
];

#[test]
fn table_of_amounts() {
    assert!(CASES.len() >= 35);
    for (amount, expected) in CASES {
        assert_eq!(cap(amount), *expected, "{amount}");
    }
}

#[test]
fn the_table_round_trips_through_the_test_parser() {
    for (amount, expected) in CASES {
        assert_eq!(
            parse_capital(expected),
            Some(to_fen(d(amount)).unwrap()),
            "{expected}"
        );
    }
}

#[test]
fn the_test_parser_refuses_wrong_forms() {
    for wrong in [
        "壹仟零零伍元整",         // doubled 零
        "壹拾元伍分",             // 零 missing after 元 before 分
        "壹拾元零伍分整",         // 整 after 分
        "壹拾元零伍分零",         // trailing 零
        "壹仟陆佰捌拾元叁角贰分", // 零 missing for the 0 元 digit
        "零伍角整",               // 零 before 角 below 1 元
        "伍角",                   // 整 missing after 角
        "壹拾元",                 // 整 missing after 元
        "拾陆元整",               // 壹 missing
        "壹拾零元整",             // trailing 零 in the integer
        "零角伍分",               // 零角
        "负零元整",
        "壹亿壹亿元整",
        "壹万壹亿元整", // 万 before 亿
        "壹佰壹仟元整", // 佰 before 仟
        "壹拾壹拾元整",
    ] {
        assert_eq!(parse_capital(wrong), None, "{wrong}");
    }
}

#[test]
fn one_wan_yi_and_more_is_refused() {
    assert_eq!(
        capital_amount(d("1000000000000")),
        Err(CapitalError::TooLarge)
    );
    assert_eq!(
        capital_amount(d("-1000000000000")),
        Err(CapitalError::TooLarge)
    );
    // rounds up to 1 万亿
    assert_eq!(
        capital_amount(d("999999999999.995")),
        Err(CapitalError::TooLarge)
    );
    assert_eq!(capital_amount(Decimal::MAX), Err(CapitalError::TooLarge));
    assert_eq!(capital_amount(Decimal::MIN), Err(CapitalError::TooLarge));
    assert_eq!(
        CapitalError::TooLarge.to_string(),
        "金额过大，无法写成大写（须小于 1 万亿元）"
    );
}

/// Test-only reader of capital amounts, strict about the form: returns 分, or `None` for
/// anything `capital_amount` should never write.
fn parse_capital(s: &str) -> Option<i64> {
    let (neg, s) = match s.strip_prefix('负') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    if s == "零元整" {
        return (!neg).then_some(0);
    }
    let (body, whole) = match s.strip_suffix('整') {
        Some(b) => (b, true),
        None => (s, false),
    };
    let (int_part, frac) = match body.split_once('元') {
        Some((i, f)) => (Some(i), f),
        None => (None, body),
    };
    let yuan = match int_part {
        Some(i) => parse_integer(i)?,
        None => 0,
    };
    // fraction: [零]X角 [零]Y分, with the 零 exactly where the rules want it
    let mut chars: Vec<char> = frac.chars().collect();
    let mut jiao = 0;
    let mut fen = 0;
    let mut lead_zero = false;
    if chars.first() == Some(&'零') {
        lead_zero = true;
        chars.remove(0);
    }
    let mut i = 0;
    if chars.len() >= i + 2 && chars[i + 1] == '角' {
        jiao = digit(chars[i])?;
        i += 2;
    }
    if chars.len() >= i + 2 && chars[i + 1] == '分' {
        fen = digit(chars[i])?;
        i += 2;
    }
    if i != chars.len() || jiao == 0 && i >= 2 && chars[1] == '角' {
        return None;
    }
    if jiao == 0 && fen == 0 && (yuan == 0 || lead_zero) {
        return None;
    }
    let zero_wanted = yuan > 0 && ((jiao > 0 && yuan % 10 == 0) || (jiao == 0 && fen > 0));
    if lead_zero != zero_wanted || whole == (fen > 0) {
        return None;
    }
    let total = yuan * 100 + jiao * 10 + fen;
    Some(if neg { -total } else { total })
}

fn digit(c: char) -> Option<i64> {
    DIGITS.iter().position(|&x| x == c).map(|p| p as i64)
}

/// Integer part; refuses a leading or trailing 零, a doubled 零, a 拾 without its digit,
/// units out of order (佰 before 仟, 万 before 亿, a unit twice).
fn parse_integer(s: &str) -> Option<i64> {
    if s.is_empty() || s.starts_with('零') || s.ends_with('零') || s.contains("零零") {
        return None;
    }
    let (mut total, mut section, mut pending) = (0i64, 0i64, None::<i64>);
    // the last small unit in this section (10_000 = none yet) and the last group unit
    let (mut last_small, mut last_group) = (10_000i64, i64::MAX);
    let mut end_group = |unit: i64, section: &mut i64, pending: &mut Option<i64>| {
        *section += pending.take().unwrap_or(0);
        if unit >= last_group || *section == 0 {
            return None;
        }
        last_group = unit;
        let value = *section;
        *section = 0;
        Some(value)
    };
    for c in s.chars() {
        match c {
            '零' => {}
            '拾' | '佰' | '仟' => {
                let unit = match c {
                    '拾' => 10,
                    '佰' => 100,
                    _ => 1000,
                };
                if unit >= last_small {
                    return None;
                }
                last_small = unit;
                section += pending.take()? * unit;
            }
            '万' => {
                total += end_group(10_000, &mut section, &mut pending)? * 10_000;
                last_small = 10_000;
            }
            '亿' => {
                total += end_group(100_000_000, &mut section, &mut pending)? * 100_000_000;
                last_small = 10_000;
            }
            c => {
                if pending.is_some() {
                    return None;
                }
                pending = Some(digit(c)?);
            }
        }
    }
    Some(total + section + pending.unwrap_or(0))
}

proptest! {
    #[test]
    fn never_panics_and_uses_only_capital_characters(
        fen in -(LIMIT_FEN - 1)..LIMIT_FEN
    ) {
        let s = capital_amount(Decimal::new(fen, 2)).unwrap();
        prop_assert!(s.chars().all(|c| CAPITAL_CHARS.contains(c)), "{}", s);
        prop_assert!(!s.contains("零零"), "{}", s);
        prop_assert_eq!(s.ends_with('整'), fen % 10 == 0, "{}", s);
    }

    #[test]
    fn round_trips_through_the_test_parser(fen in -(LIMIT_FEN - 1)..LIMIT_FEN) {
        let s = capital_amount(Decimal::new(fen, 2)).unwrap();
        prop_assert_eq!(parse_capital(&s), Some(fen), "{}", s);
    }

    #[test]
    fn small_and_sparse_amounts_round_trip(
        digits in proptest::collection::vec(prop_oneof![3 => Just(0i64), 1 => 1i64..10], 14)
    ) {
        // mostly zeros: exercises runs of zeros across 万 and 亿
        let fen = digits.iter().fold(0i64, |acc, d| acc * 10 + d);
        let s = capital_amount(Decimal::new(fen, 2)).unwrap();
        prop_assert_eq!(parse_capital(&s), Some(fen), "{}", s);
    }

    #[test]
    fn any_decimal_never_panics(mantissa in any::<i64>(), scale in 0u32..12) {
        let v = Decimal::new(mantissa, scale);
        match capital_amount(v) {
            Ok(s) => prop_assert!(s.chars().all(|c| CAPITAL_CHARS.contains(c))),
            Err(e) => {
                prop_assert_eq!(e, CapitalError::TooLarge);
                prop_assert!(round_fen(v).abs() >= Decimal::new(LIMIT_FEN, 2));
            }
        }
    }
}

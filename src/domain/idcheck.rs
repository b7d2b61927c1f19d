//! Checks of identity numbers and phone numbers, and their masking for screens and slips.
//!
//! - resident ID number (居民身份证号码), GB 11643-1999: 6-digit area code, 8-digit birth date,
//!   3-digit sequence (odd for men, even for women), check character (ISO 7064 MOD 11-2);
//! - unified social credit code (统一社会信用代码), GB 32100-2015: registration authority,
//!   organisation type, 6-digit area code, 9-character organisation code, check character
//!   (MOD 31 over the alphabet `0-9 A-Y` without I, O, S, V, Z);
//! - mainland phone numbers: mobile `1[3-9]` + 9 digits, landline with or without area code.
//!
//! The checks accept lower-case letters (`x`, credit-code letters); store the value of
//! [`normalize_code`], which trims, upper-cases and folds full-width characters.

/// Weights of the first 17 digits of a resident ID number.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character of a resident ID number by `sum % 11`.
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// The 31 characters of a unified social credit code, by value.
const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of the first 17 characters of a unified social credit code.
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// Province-level codes that start a resident ID number (81–83: residence permits of Hong
/// Kong, Macao and Taiwan residents).
const PROVINCES: [u8; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];
const PERMIT_PROVINCE_TAIWAN: u8 = 83;

/// Trimmed, upper-cased, full-width characters folded to ASCII, inner spaces removed: the form
/// to store for an ID number or credit code.
pub fn normalize_code(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Check character of a resident ID number from its first 17 digits; `None` unless `first17`
/// is exactly 17 ASCII digits.
pub fn id_card_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    ID_CHECK.get((sum % 11) as usize).copied()
}

/// Checks a resident ID number (18 characters; `x` is accepted for `X`).
pub fn check_id_card(s: &str) -> Result<(), &'static str> {
    if s.is_empty() {
        return Err("身份证号码为空");
    }
    if s.chars().count() != 18 {
        return Err("身份证号码长度应为18位");
    }
    if !s.is_ascii() {
        return Err("身份证号码只能包含数字和X");
    }
    let (first17, last) = s.split_at(17);
    if !first17.bytes().all(|b| b.is_ascii_digit()) {
        return Err("身份证号码前17位应为数字");
    }
    let last = last.chars().next().map(|c| c.to_ascii_uppercase());
    if !matches!(last, Some('0'..='9' | 'X')) {
        return Err("身份证号码最后一位应为数字或X");
    }
    let province = digits_value(&first17[..2]) as u8;
    if !PROVINCES.contains(&province) && province != PERMIT_PROVINCE_TAIWAN {
        return Err("身份证号码地区码不对");
    }
    if id_card_birth_date(s).is_none() {
        return Err("身份证号码出生日期不对");
    }
    if id_card_check_char(first17) != last {
        return Err("身份证号码校验码不对");
    }
    Ok(())
}

/// Birth date (year, month, day) written in a resident ID number, if it is a real date
/// between 1900 and 2099. The rest of the number is not checked.
pub fn id_card_birth_date(s: &str) -> Option<(u16, u8, u8)> {
    let date = s.get(6..14)?;
    if !date.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = digits_value(&date[..4]) as u16;
    let month = digits_value(&date[4..6]) as u8;
    let day = digits_value(&date[6..8]) as u8;
    let valid = (1900..=2099).contains(&year)
        && (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day);
    valid.then_some((year, month, day))
}

/// Whether the holder of a (well-formed) resident ID number is a man: the 17th digit is odd.
pub fn id_card_is_male(s: &str) -> Option<bool> {
    let digit = s.as_bytes().get(16).filter(|b| b.is_ascii_digit())?;
    Some((digit - b'0') % 2 == 1)
}

/// Check character of a unified social credit code from its first 17 characters; `None`
/// unless they are all in the code's alphabet (upper or lower case).
pub fn uscc_check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first17.chars().zip(USCC_WEIGHTS) {
        sum += uscc_value(c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    USCC_ALPHABET.chars().nth(check as usize)
}

/// Checks a unified social credit code (18 characters; lower-case letters are accepted).
pub fn check_uscc(s: &str) -> Result<(), &'static str> {
    if s.is_empty() {
        return Err("统一社会信用代码为空");
    }
    if s.chars().count() != 18 {
        return Err("统一社会信用代码长度应为18位");
    }
    if s.chars().any(|c| uscc_value(c).is_none()) {
        return Err("统一社会信用代码含有不允许的字符（I、O、S、V、Z 不用）");
    }
    if !s.as_bytes()[2..8].iter().all(u8::is_ascii_digit) {
        return Err("统一社会信用代码第3–8位（行政区划码）应为数字");
    }
    let (first17, last) = s.split_at(17);
    let last = last.chars().next().map(|c| c.to_ascii_uppercase());
    if uscc_check_char(first17) != last {
        return Err("统一社会信用代码校验码不对");
    }
    Ok(())
}

/// Check character of a 9-character organisation code (组织机构代码, GB 11714) from its first
/// 8 digits or upper-case letters: positions 9–17 of a credit code carry such a code.
pub fn org_code_check_char(first8: &str) -> Option<char> {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    if first8.len() != 8 {
        return None;
    }
    let mut sum = 0;
    for (b, w) in first8.bytes().zip(WEIGHTS) {
        let v = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return None,
        };
        sum += v * w;
    }
    match 11 - sum % 11 {
        10 => Some('X'),
        11 => Some('0'),
        c => char::from_digit(c, 10),
    }
}

/// Checks a mainland phone number: a mobile number (`13812345678`), a landline with area
/// code (`0531-12345678`, `053112345678`, `0635-5123456`, optionally `-` + extension) or a
/// local number of 7–8 digits.
pub fn check_phone(s: &str) -> Result<(), &'static str> {
    if s.is_empty() {
        return Err("电话号码为空");
    }
    if !s.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return Err("电话号码只能包含数字和“-”");
    }
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or_default();
    let second = parts.next();
    let third = parts.next();
    if parts.next().is_some() || s.starts_with('-') || s.ends_with('-') || s.contains("--") {
        return Err("电话号码中的“-”位置不对");
    }
    match (second, third) {
        (None, _) if first.starts_with('1') => check_mobile(first),
        (None, _) if first.starts_with('0') => {
            let area_len = area_code_len(first);
            check_area_code(&first[..area_len.min(first.len())])?;
            check_local(&first[area_len.min(first.len())..])
        }
        (None, _) => check_local(first),
        (Some(local), ext) => {
            check_area_code(first)?;
            check_local(local)?;
            match ext {
                Some(ext) if ext.len() > 6 => Err("分机号太长"),
                _ => Ok(()),
            }
        }
    }
}

/// `3701**********1234` style: the first 4 and the last 4 characters kept, the others as
/// `*` (one per character). Strings of 8 characters or fewer keep only their last character
/// (and are all `*` below 3 characters).
pub fn mask_id(s: &str) -> String {
    let n = s.chars().count();
    let (head, tail) = match n {
        0..=2 => (0, 0),
        3..=8 => (0, 1),
        _ => (4, 4),
    };
    mask_middle(s, head, tail)
}

/// `138****5678` for a mobile number; a landline keeps its area code and last 4 digits
/// (`0635-***3456`, `0635***3456`, `***3456`). Anything else keeps its last 4 characters.
pub fn mask_phone(s: &str) -> String {
    let n = s.chars().count();
    if n == 11 && s.starts_with('1') && s.bytes().all(|b| b.is_ascii_digit()) {
        return mask_middle(s, 3, 4);
    }
    if n <= 4 {
        return "*".repeat(n);
    }
    let head = if let Some(dash) = s.find('-')
        && s.starts_with('0')
    {
        dash + 1
    } else if s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit()) && n >= 10 {
        area_code_len(s)
    } else {
        0
    };
    mask_middle(s, head.min(n.saturating_sub(4)), 4)
}

/// Keeps `head` characters at the start and `tail` at the end, `*` in between.
fn mask_middle(s: &str, head: usize, tail: usize) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, c)| if i < head || i + tail >= n { c } else { '*' })
        .collect()
}

fn check_mobile(s: &str) -> Result<(), &'static str> {
    if s.len() != 11 {
        return Err("手机号码应为11位");
    }
    if !matches!(s.as_bytes()[1], b'3'..=b'9') {
        return Err("手机号码第2位应为3–9");
    }
    Ok(())
}

fn check_area_code(s: &str) -> Result<(), &'static str> {
    let ok = s.starts_with('0')
        && s.len() == area_code_len(s)
        && !s.starts_with("00")
        && s.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err("电话区号不对")
    }
}

fn check_local(s: &str) -> Result<(), &'static str> {
    if !(7..=8).contains(&s.len()) {
        return Err("固定电话号码应为7或8位");
    }
    if s.starts_with('0') {
        return Err("固定电话号码不能以0开头");
    }
    Ok(())
}

/// Length of the area code at the start of a landline number: 3 for 010 and 02x (Beijing,
/// Shanghai, Tianjin, Chongqing and the large cities), 4 for every other area.
fn area_code_len(s: &str) -> usize {
    if s.starts_with("01") || s.starts_with("02") {
        3
    } else {
        4
    }
}

fn uscc_value(c: char) -> Option<u32> {
    let c = c.to_ascii_uppercase();
    USCC_ALPHABET.find(c).map(|i| i as u32)
}

/// Value of a run of ASCII digits (already checked).
fn digits_value(s: &str) -> u32 {
    s.bytes()
        .fold(0, |acc, b| acc * 10 + u32::from(b.wrapping_sub(b'0')))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn published_id_numbers() {
        // the sample of GB 11643-1999 and a widely published example
        assert_eq!(check_id_card("11010519491231002X"), Ok(()));
        assert_eq!(check_id_card("11010519491231002x"), Ok(()));
        // the standard's other sample is born in 1880: its check character is right, but no
        // customer is born before 1900
        assert_eq!(id_card_check_char("44052418800101001"), Some('4'));
        assert_eq!(
            check_id_card("440524188001010014"),
            Err("身份证号码出生日期不对")
        );
        assert_eq!(id_card_check_char("11010519491231002"), Some('X'));
        assert_eq!(id_card_check_char("37152519850615003"), Some('7'));
        assert_eq!(
            id_card_birth_date("11010519491231002X"),
            Some((1949, 12, 31))
        );
        assert_eq!(id_card_is_male("11010519491231002X"), Some(false));
        assert_eq!(id_card_is_male("371525198506150037"), Some(true));
    }

    #[test]
    fn id_number_errors() {
        assert_eq!(check_id_card(""), Err("身份证号码为空"));
        assert_eq!(
            check_id_card("110105491231002"),
            Err("身份证号码长度应为18位")
        );
        assert_eq!(
            check_id_card("11010519491231002X1"),
            Err("身份证号码长度应为18位")
        );
        assert_eq!(
            check_id_card("1101051949123100２X"),
            Err("身份证号码只能包含数字和X")
        );
        assert_eq!(
            check_id_card("1101051949123A002X"),
            Err("身份证号码前17位应为数字")
        );
        assert_eq!(
            check_id_card("11010519491231002Y"),
            Err("身份证号码最后一位应为数字或X")
        );
        assert_eq!(
            check_id_card("99010519491231002X"),
            Err("身份证号码地区码不对")
        );
        assert_eq!(
            check_id_card("110105194913310021"),
            Err("身份证号码出生日期不对")
        );
        assert_eq!(
            check_id_card("110105190002290021"),
            Err("身份证号码出生日期不对")
        );
        assert_eq!(
            check_id_card("110105194912310021"),
            Err("身份证号码校验码不对")
        );
        assert_eq!(id_card_check_char("1101051949123100"), None);
        assert_eq!(id_card_check_char("1101051949123100X"), None);
    }

    #[test]
    fn birth_dates() {
        assert_eq!(
            id_card_birth_date("371525200002290000"),
            Some((2000, 2, 29))
        );
        assert_eq!(id_card_birth_date("371525190002290000"), None); // 1900 is no leap year
        assert_eq!(id_card_birth_date("371525198004310000"), None);
        assert_eq!(id_card_birth_date("371525"), None);
    }

    #[test]
    fn published_credit_codes() {
        for code in [
            "91350100M000100Y43",
            "91110000600037341L",
            "91110108551385082Q",
            "9144030071526726XG",
            "9144030071526726xg",
        ] {
            assert_eq!(check_uscc(code), Ok(()), "{code}");
        }
        assert_eq!(uscc_check_char("91350100M000100Y4"), Some('3'));
        assert_eq!(org_code_check_char("71526726"), Some('X'));
        assert_eq!(org_code_check_char("55138508"), Some('2'));
        assert_eq!(org_code_check_char("M000100Y"), Some('4'));
    }

    #[test]
    fn credit_code_errors() {
        assert_eq!(check_uscc(""), Err("统一社会信用代码为空"));
        assert_eq!(
            check_uscc("91350100M000100Y4"),
            Err("统一社会信用代码长度应为18位")
        );
        assert!(check_uscc("91350100M000100I43").is_err()); // I is not used
        assert!(check_uscc("9135010０M000100Y43").is_err());
        assert_eq!(
            check_uscc("913501A0M000100Y43"),
            Err("统一社会信用代码第3–8位（行政区划码）应为数字")
        );
        assert_eq!(
            check_uscc("91350100M000100Y44"),
            Err("统一社会信用代码校验码不对")
        );
        assert_eq!(uscc_check_char("91350100M000100O4"), None);
    }

    #[test]
    fn phones() {
        for ok in [
            "13812345678",
            "19912345678",
            "0531-12345678",
            "053112345678",
            "05311234567",
            "0635-5123456",
            "010-12345678",
            "01012345678",
            "0531-12345678-802",
            "5123456",
            "88123456",
        ] {
            assert_eq!(check_phone(ok), Ok(()), "{ok}");
        }
        assert_eq!(check_phone(""), Err("电话号码为空"));
        assert_eq!(check_phone("1381234567"), Err("手机号码应为11位"));
        assert_eq!(check_phone("12812345678"), Err("手机号码第2位应为3–9"));
        assert_eq!(
            check_phone("138 1234 5678"),
            Err("电话号码只能包含数字和“-”")
        );
        assert_eq!(check_phone("0531--1234567"), Err("电话号码中的“-”位置不对"));
        assert_eq!(check_phone("-5123456"), Err("电话号码中的“-”位置不对"));
        assert_eq!(check_phone("00531-1234567"), Err("电话区号不对"));
        assert_eq!(check_phone("531-1234567"), Err("电话区号不对"));
        assert_eq!(check_phone("0531-123456"), Err("固定电话号码应为7或8位"));
        assert_eq!(check_phone("0531-01234567"), Err("固定电话号码不能以0开头"));
        assert_eq!(check_phone("0531-12345678-1234567"), Err("分机号太长"));
    }

    #[test]
    fn masks() {
        assert_eq!(mask_id("370105194912310021"), "3701**********0021");
        assert_eq!(mask_id("91350100M000100Y43"), "9135**********0Y43");
        assert_eq!(mask_id("12345"), "****5");
        assert_eq!(mask_id("ab"), "**");
        assert_eq!(mask_id(""), "");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0635-5123456"), "0635-***3456");
        assert_eq!(mask_phone("06355123456"), "0635***3456");
        assert_eq!(mask_phone("010-12345678"), "010-****5678");
        assert_eq!(mask_phone("5123456"), "***3456");
        assert_eq!(mask_phone("123"), "***");
    }

    #[test]
    fn normalizing() {
        assert_eq!(normalize_code(" 11010519491231002x "), "11010519491231002X");
        assert_eq!(
            normalize_code("９１３５ 0100m000100y43"),
            "91350100M000100Y43"
        );
    }

    fn digit_replaced(s: &str, pos: usize, digit: u8) -> String {
        let mut bytes = s.as_bytes().to_vec();
        bytes[pos] = b'0' + digit;
        String::from_utf8(bytes).unwrap()
    }

    proptest! {
        #[test]
        fn generated_id_numbers_validate(
            province in proptest::sample::select(PROVINCES.to_vec()),
            area in 0u32..10_000,
            year in 1900u16..2100,
            month in 1u8..=12,
            day in 1u8..=28,
            seq in 0u16..1000,
            pos in 0usize..17,
            delta in 1u8..10,
        ) {
            let first17 = format!("{province:02}{area:04}{year:04}{month:02}{day:02}{seq:03}");
            let check = id_card_check_char(&first17).unwrap();
            let id = format!("{first17}{check}");
            prop_assert_eq!(check_id_card(&id), Ok(()));
            // changing any one of the 17 digits changes the check character (weights are
            // invertible mod 11), so the number no longer validates
            let old = id.as_bytes()[pos] - b'0';
            let changed = digit_replaced(&id, pos, (old + delta) % 10);
            prop_assert!(check_id_card(&changed).is_err(), "{}", changed);
        }

        #[test]
        fn generated_credit_codes_validate(
            body in "[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{9}",
            pos in 0usize..17,
            delta in 1u32..31,
        ) {
            let check = uscc_check_char(&body).unwrap();
            let code = format!("{body}{check}");
            prop_assert_eq!(check_uscc(&code), Ok(()));
            let mut chars: Vec<char> = code.chars().collect();
            let old = uscc_value(chars[pos]).unwrap();
            chars[pos] = USCC_ALPHABET.chars().nth(((old + delta) % 31) as usize).unwrap();
            let changed: String = chars.into_iter().collect();
            prop_assert!(check_uscc(&changed).is_err(), "{}", changed);
        }

        #[test]
        fn masks_keep_the_length(s in "\\PC{0,20}") {
            prop_assert_eq!(mask_id(&s).chars().count(), s.chars().count());
            prop_assert_eq!(mask_phone(&s).chars().count(), s.chars().count());
        }

        #[test]
        fn check_phone_never_panics(s in "[0-9-]{0,16}|\\PC{0,8}") {
            let _ = check_phone(&s);
        }
    }
}

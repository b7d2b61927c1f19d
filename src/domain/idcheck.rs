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
#[path = "idcheck_tests.rs"]
mod tests;

//! Checks of what users type: names, user names, passwords, station codes.
//! Each returns the cleaned value or an [`InputError`] whose Chinese text goes under the
//! field (the service names the field; the domain does not know the form).

/// What a file that is not UTF-8 text is told (every file the station takes in).
pub const NOT_UTF8: &str =
    "不是 UTF-8 编码的文字：文件须为 UTF-8（GBK 等编码请先用记事本或表格软件另存为 UTF-8）";

/// A refusal of one form field: which field (the form's key, so the screen puts the
/// message under it) and why, in Chinese.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl std::fmt::Display) -> FieldError {
        FieldError {
            field,
            message: message.to_string(),
        }
    }
}

/// Why a typed value is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("请填写{0}")]
    Missing(String),
    #[error("{what}过长（最多 {max} 个字）")]
    TooLong { what: String, max: usize },
    #[error("{0}含有不可见字符")]
    Invisible(String),
    #[error("请填写用户名")]
    NoUsername,
    #[error("用户名应为 2–20 个字符")]
    UsernameLength,
    #[error("用户名只能用英文字母、数字和 _ . -")]
    UsernameChars,
    #[error("密码至少 6 位")]
    PasswordTooShort,
    #[error("密码最多 64 位")]
    PasswordTooLong,
    #[error("密码不能全是同一个字符")]
    PasswordOneChar,
    #[error("请填写供电所编码")]
    NoStationCode,
    #[error("供电所编码应为 2–16 位数字或英文字母")]
    StationCodeForm,
    #[error("{what}中不能有表情符号（{ch}）：名称要印在单据上")]
    Emoji { what: String, ch: String },
    #[error("电话只能填数字和 -，最多 20 位")]
    PhoneForm,
}

/// Trim and check a person's or station's name: 1..=max characters, no control characters.
pub fn name(input: &str, what: &str, max: usize) -> Result<String, InputError> {
    let v = input.trim();
    if v.is_empty() {
        return Err(InputError::Missing(what.to_string()));
    }
    if v.chars().count() > max {
        return Err(InputError::TooLong {
            what: what.to_string(),
            max,
        });
    }
    if v.chars().any(|c| c.is_control() || is_format_char(c)) {
        return Err(InputError::Invisible(what.to_string()));
    }
    if let Some(c) = v.chars().find(|c| is_emoji(*c)) {
        return Err(InputError::Emoji {
            what: what.to_string(),
            ch: c.to_string(),
        });
    }
    Ok(v.to_string())
}

/// Emoji and pictographs (not Chinese, not punctuation): refused in names, which are printed
/// on everything and must read the same on every printer.
pub fn is_emoji(c: char) -> bool {
    matches!(
        u32::from(c),
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE00..=0xFE0F
            | 0xE0020..=0xE007F | 0x3030 | 0x303D | 0x3297 | 0x3299
    )
}

/// User names: 2–20 Latin letters, digits, `_`, `.`, `-`; case-insensitive.
pub fn username(input: &str) -> Result<String, InputError> {
    let v = input.trim();
    if v.is_empty() {
        return Err(InputError::NoUsername);
    }
    let n = v.chars().count();
    if !(2..=20).contains(&n) {
        return Err(InputError::UsernameLength);
    }
    if !v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        return Err(InputError::UsernameChars);
    }
    Ok(v.to_ascii_lowercase())
}

/// Passwords: 6–64 characters, not all the same character.
pub fn password(input: &str) -> Result<(), InputError> {
    let n = input.chars().count();
    if n < 6 {
        return Err(InputError::PasswordTooShort);
    }
    if n > 64 {
        return Err(InputError::PasswordTooLong);
    }
    let mut chars = input.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return Err(InputError::PasswordOneChar);
    }
    Ok(())
}

/// Station code: 2–16 digits or capital letters (used in tracking and receipt numbers).
pub fn station_code(input: &str) -> Result<String, InputError> {
    let v = input.trim().to_ascii_uppercase();
    if v.is_empty() {
        return Err(InputError::NoStationCode);
    }
    if !(2..=16).contains(&v.len()) || !v.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(InputError::StationCodeForm);
    }
    Ok(v)
}

/// A phone number for the station (free-form but short, digits and - only).
pub fn station_phone(input: &str) -> Result<String, InputError> {
    let v = input.trim();
    if v.chars().count() > 20 || !v.chars().all(|c| c.is_ascii_digit() || c == '-') {
        return Err(InputError::PhoneForm);
    }
    Ok(v.to_string())
}

/// 是 / 否 as typed in a form (also 1/0, y/n); an empty field means `empty`.
/// `None` for anything else, so the form can say "请填 是 或 否".
pub fn yes_no(input: &str, empty: bool) -> Option<bool> {
    match input.trim() {
        "" => Some(empty),
        "是" | "1" | "y" | "Y" => Some(true),
        "否" | "0" | "n" | "N" => Some(false),
        _ => None,
    }
}

/// Full-width digits, letters, signs and the ideographic space as typed by a Chinese input
/// method (０１２, －, ．, ／, ：, 　) folded to ASCII: wherever digits are asked for, either
/// is accepted.
pub fn fold_digits(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '。' => '.',
            _ => c,
        })
        .collect()
}

/// A whole number typed in a form: full-width digits accepted; a number outside
/// `min..=max` names the range (not "请输入整数" for `99999999999999999999`).
pub fn whole_number(input: &str, min: i64, max: i64) -> Result<i64, String> {
    let t = fold_digits(input);
    let t = t.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("请输入整数，如 5".into());
    }
    match t.parse::<i64>() {
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(format!("超出范围：应在 {min} 到 {max} 之间")),
    }
}

/// A date typed in a form: `2026-11-24`, also `2026/11/24`, `2026.11.24`, `2026年11月24日`,
/// `20261124` and full-width digits. A date that does not exist says so
/// (`2027-02-30 不是真实的日期：2027 年 2 月只有 28 天`).
pub fn date(input: &str) -> Result<chrono::NaiveDate, String> {
    use chrono::{Datelike, NaiveDate};
    const FORM: &str = "日期格式如 2026-11-24";
    let t = fold_digits(input);
    let t = t.trim().trim_end_matches('日');
    let parts: Vec<&str> = if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        vec![&t[0..4], &t[4..6], &t[6..8]]
    } else {
        t.split(['-', '/', '.', '年', '月']).collect()
    };
    let [y, m, d] = parts[..] else {
        return Err(FORM.into());
    };
    let num = |s: &str, len: std::ops::RangeInclusive<usize>| -> Option<u32> {
        (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(y, 4..=4), num(m, 1..=2), num(d, 1..=2)) else {
        return Err(FORM.into());
    };
    let year = i32::try_from(y).map_err(|_| FORM.to_string())?;
    if let Some(day) = NaiveDate::from_ymd_opt(year, m, d) {
        return Ok(day);
    }
    let shown = format!("{y:04}-{m:02}-{d:02}");
    if !(1..=12).contains(&m) {
        return Err(format!("{shown} 不是真实的日期：月份应为 1 到 12"));
    }
    let last = match m {
        12 => 31,
        _ => NaiveDate::from_ymd_opt(year, m + 1, 1)
            .map_or(31, |next| (next - chrono::Duration::days(1)).day()),
    };
    Err(format!(
        "{shown} 不是真实的日期：{y} 年 {m} 月只有 {last} 天"
    ))
}

/// A moment typed to the minute: `2026-12-06 14:30` (any date form [`date`] takes, then the
/// time), or `14:30` alone for a time on `today`; full-width digits and `：` too.
pub fn moment(input: &str, today: chrono::NaiveDate) -> Result<chrono::NaiveDateTime, String> {
    const FORM: &str = "时间格式如 2026-12-06 14:30，当天可只填 14:30";
    let t = fold_digits(input).replace('：', ":");
    let t = t.trim();
    let (day, time) = match t.rsplit_once(char::is_whitespace) {
        Some((d, tm)) => (date(d.trim())?, tm.trim()),
        None if t.contains(':') => (today, t),
        None => return Err(FORM.into()),
    };
    let (h, m) = time.split_once(':').ok_or_else(|| FORM.to_string())?;
    let num = |s: &str| -> Option<u32> {
        ((1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (Some(h), Some(m)) = (num(h), num(m)) else {
        return Err(FORM.into());
    };
    day.and_hms_opt(h, m, 0)
        .ok_or_else(|| format!("{h:02}:{m:02} 不是真实的时间：时为 0 到 23，分为 0 到 59"))
}

/// The item numbered `input` (1-based) in a list shown as "1 … 2 …".
pub fn pick_numbered<T: Copy>(input: &str, items: &[T]) -> Option<T> {
    fold_digits(input)
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| items.get(i).copied())
}

/// The item typed as its number in a list shown as "1… 2…" or as its name.
pub fn pick_named<T: Copy>(
    input: &str,
    items: &[T],
    name: impl Fn(T) -> &'static str,
) -> Option<T> {
    let t = input.trim();
    pick_numbered(t, items).or_else(|| items.iter().copied().find(|i| name(*i) == t))
}

/// The list "1投诉 2举报 …" a field's hint shows for [`pick_named`].
pub fn numbered_list<T: Copy>(items: &[T], name: impl Fn(T) -> &'static str) -> String {
    items
        .iter()
        .enumerate()
        .map(|(i, x)| format!("{}{}", i + 1, name(*x)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text from a file or a person, made safe to show in a message, a terminal or a log:
/// control and invisible format characters are written as `\u{1b}` escapes, everything
/// else exactly as it was.
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_format_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Invisible format characters that can disguise text (Unicode category Cf: bidi
/// embeddings, overrides and isolates, zero-width spaces and joiners, the word joiner and
/// invisible operators, the byte-order mark, the soft hyphen).
pub fn is_format_char(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

#[cfg(test)]
mod emoji_tests {
    use super::*;

    #[test]
    fn emoji_are_refused_in_names_and_chinese_is_not() {
        let e = name("王庄😀供电所", "供电所名称", 30).unwrap_err();
        assert_eq!(
            e.to_string(),
            "供电所名称中不能有表情符号（😀）：名称要印在单据上"
        );
        assert!(name("张三⚡", "户名", 40).is_err());
        assert!(name("𠮷田　刘䶮（王庄）·一号", "户名", 40).is_ok());
        assert!(name("Ｗ＆Ｌ公司", "户名", 40).is_ok());
    }
}

#[cfg(test)]
mod date_and_number_tests {
    use super::*;

    #[test]
    fn moments_to_the_minute() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let at = |d, h, m| {
            chrono::NaiveDate::from_ymd_opt(2026, 12, d)
                .unwrap()
                .and_hms_opt(h, m, 0)
                .unwrap()
        };
        assert_eq!(moment("14:30", today), Ok(at(6, 14, 30)));
        assert_eq!(moment("１４：０５", today), Ok(at(6, 14, 5)));
        assert_eq!(moment("2026-12-05 23:50", today), Ok(at(5, 23, 50)));
        assert_eq!(moment(" 20261204  8:00 ", today), Ok(at(4, 8, 0)));
        assert_eq!(
            moment("25:10", today).unwrap_err(),
            "25:10 不是真实的时间：时为 0 到 23，分为 0 到 59"
        );
        assert!(
            moment("2027-02-30 10:00", today)
                .unwrap_err()
                .contains("不是真实的日期")
        );
        assert!(moment("明天", today).unwrap_err().starts_with("时间格式如"));
    }

    /// Issue 18: validation says what is wrong.
    #[test]
    fn dates_numbers_and_full_width_digits() {
        let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(date("2027-02-06"), Ok(d(2027, 2, 6)));
        assert_eq!(date("２０２７－０２－０６"), Ok(d(2027, 2, 6)));
        assert_eq!(date("2027/2/6"), Ok(d(2027, 2, 6)));
        assert_eq!(date("2027年2月6日"), Ok(d(2027, 2, 6)));
        assert_eq!(date("20270206"), Ok(d(2027, 2, 6)));
        assert_eq!(
            date("2027-02-30"),
            Err("2027-02-30 不是真实的日期：2027 年 2 月只有 28 天".into())
        );
        assert_eq!(
            date("2028-02-30"),
            Err("2028-02-30 不是真实的日期：2028 年 2 月只有 29 天".into())
        );
        assert_eq!(
            date("2027-13-01"),
            Err("2027-13-01 不是真实的日期：月份应为 1 到 12".into())
        );
        assert_eq!(
            date("2027-12-32"),
            Err("2027-12-32 不是真实的日期：2027 年 12 月只有 31 天".into())
        );
        assert_eq!(date("明天"), Err("日期格式如 2026-11-24".into()));
        assert_eq!(date(""), Err("日期格式如 2026-11-24".into()));
        assert_eq!(whole_number("５", 1, 10), Ok(5));
        assert_eq!(
            whole_number("99999999999999999999", 1, 10),
            Err("超出范围：应在 1 到 10 之间".into())
        );
        assert_eq!(
            whole_number("0", 1, 10),
            Err("超出范围：应在 1 到 10 之间".into())
        );
        assert_eq!(whole_number("五", 1, 10), Err("请输入整数，如 5".into()));
        assert_eq!(pick_numbered("２", &['a', 'b']), Some('b'));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shown_text_has_no_control_bytes_and_keeps_the_rest() {
        assert_eq!(
            super::shown("户号\u{1b}]52;c;ZXZpbA==\u{7}\u{202e}𠮷"),
            "户号\\u{1b}]52;c;ZXZpbA==\\u{7}\\u{202e}𠮷"
        );
        assert_eq!(super::shown("０３７０ 王五"), "０３７０ 王五");
    }

    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            name("  王庄供电所 ", "供电所名称", 30).unwrap(),
            "王庄供电所"
        );
        assert_eq!(
            name("   ", "供电所名称", 30).unwrap_err().to_string(),
            "请填写供电所名称"
        );
        let long = "长".repeat(31);
        assert_eq!(
            name(&long, "姓名", 30).unwrap_err().to_string(),
            "姓名过长（最多 30 个字）"
        );
        assert_eq!(
            password("aaaaaa").unwrap_err().to_string(),
            "密码不能全是同一个字符"
        );
        assert!(name("a\u{7}b", "姓名", 30).is_err());
    }

    #[test]
    fn yes_no_and_numbered_choices() {
        assert_eq!(yes_no(" 是 ", false), Some(true));
        assert_eq!(yes_no("n", true), Some(false));
        assert_eq!(yes_no("", true), Some(true));
        assert_eq!(yes_no("也许", true), None);
        assert_eq!(pick_numbered("2", &['a', 'b']), Some('b'));
        assert_eq!(pick_numbered("0", &['a', 'b']), None);
        assert_eq!(pick_numbered("3", &['a', 'b']), None);
        assert_eq!(pick_numbered("x", &['a', 'b']), None);
    }

    #[test]
    fn usernames() {
        assert_eq!(username(" SuoZhang ").unwrap(), "suozhang");
        assert!(username("张三").is_err());
        assert!(username("a").is_err());
        assert!(username(&"a".repeat(21)).is_err());
    }

    #[test]
    fn passwords_and_codes() {
        assert!(password("12345").is_err());
        assert!(password("aaaaaaa").is_err());
        assert!(password("demo1234").is_ok());
        assert!(password(&"ab".repeat(33)).is_err());
        assert_eq!(station_code(" wz01 ").unwrap(), "WZ01");
        assert!(station_code("王庄").is_err());
        assert!(station_phone("0531-8888888").is_ok());
        assert!(station_phone("电话").is_err());
    }
}

//! What was typed into a customer search box, and so which search to run (docs/search.md).
//!
//! Pure: the store turns a [`Query`] into SQL, the service pages and masks the results.

/// How a hit was found. The numeric value is the rank: lower comes first, so an exact 户号
/// is always the first result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Matched {
    /// the 13-digit 户号, in full
    AccountExact = 0,
    /// the old 10-digit 户号, in full
    OldAccountExact = 1,
    /// the last 4 digits of the phone (尾号)
    PhoneTail = 2,
    /// the 户号 starts with what was typed
    AccountPrefix = 3,
    /// the old 户号 starts with what was typed
    OldAccountPrefix = 4,
    /// the phone (digits only) starts with what was typed
    PhonePrefix = 5,
    /// the phone contains what was typed (a local number without its area code)
    PhoneContains = 6,
    /// the name, in full
    NameExact = 10,
    /// the name starts with what was typed
    NamePrefix = 11,
    /// the pinyin initials start with what was typed (`zs` → 张三)
    Initials = 12,
    /// the name contains what was typed
    NameContains = 13,
    /// the address (or, with several words, any field) contains what was typed
    Address = 14,
}

impl Matched {
    pub const ALL: [Matched; 12] = [
        Matched::AccountExact,
        Matched::OldAccountExact,
        Matched::PhoneTail,
        Matched::AccountPrefix,
        Matched::OldAccountPrefix,
        Matched::PhonePrefix,
        Matched::PhoneContains,
        Matched::NameExact,
        Matched::NamePrefix,
        Matched::Initials,
        Matched::NameContains,
        Matched::Address,
    ];

    pub fn rank(self) -> i64 {
        self as u8 as i64
    }

    pub fn from_rank(rank: i64) -> Option<Matched> {
        Self::ALL.into_iter().find(|m| m.rank() == rank)
    }

    /// Short label for a column of the result list.
    pub fn label(self) -> &'static str {
        match self {
            Matched::AccountExact => "户号",
            Matched::OldAccountExact => "旧户号",
            Matched::PhoneTail => "电话尾号",
            Matched::AccountPrefix => "户号",
            Matched::OldAccountPrefix => "旧户号",
            Matched::PhonePrefix | Matched::PhoneContains => "电话",
            Matched::NameExact | Matched::NamePrefix | Matched::NameContains => "户名",
            Matched::Initials => "拼音",
            Matched::Address => "地址",
        }
    }
}

/// Digits of a phone number that identify it by its end (尾号).
pub const PHONE_TAIL_LEN: usize = 4;
/// From this many digits a query is also looked for inside phone numbers (a landline
/// typed without its area code).
pub const PHONE_CONTAINS_MIN: usize = 7;
/// Substring search by trigram needs this many characters; shorter text uses the 1- and
/// 2-character pieces of names.
pub const TRIGRAM_MIN: usize = 3;
/// Characters of a query looked at; the rest of a pasted paragraph is ignored.
pub const MAX_QUERY_CHARS: usize = 64;

/// A classified query. Strings are normalised: trimmed, full-width letters and digits
/// folded to ASCII, inner runs of white space collapsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// nothing to search
    Empty,
    /// digits only (spaces, `-`, `(`, `)`, `+` dropped): 户号 and phone
    Digits(String),
    /// ASCII letters (and digits, at least one letter), lower-cased: pinyin initials
    Initials(String),
    /// one or two characters of anything else: name pieces
    Short(String),
    /// three or more characters in one word: name prefix and trigram substring
    Text(String),
    /// several words, each looked for anywhere (name, address, phone): every word must be
    /// found (`王庄 3组` = the customers of 王庄 group 3)
    Words(Vec<String>),
}

impl Query {
    /// Decide which search fits what was typed.
    pub fn classify(input: &str) -> Query {
        // no stored text has control or format characters (and FTS5 reads a NUL as the
        // end of the query): search for what is left without them
        let folded: String = crate::domain::customer_file::clean_text(input)
            .chars()
            .take(MAX_QUERY_CHARS)
            .map(fold_full_width)
            .collect();
        let words: Vec<&str> = folded.split_whitespace().collect();
        if words.is_empty() {
            return Query::Empty;
        }
        let joined = words.join(" ");
        let digits: String = joined
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '+'))
            .collect();
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return Query::Digits(digits);
        }
        if words.len() == 1 {
            let word = words[0];
            if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Query::Initials(word.to_ascii_lowercase());
            }
            return if word.chars().count() < TRIGRAM_MIN {
                Query::Short(word.to_string())
            } else {
                Query::Text(word.to_string())
            };
        }
        // `z s`: pinyin initials typed with a space
        if words
            .iter()
            .all(|w| w.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Query::classify(&words.concat());
        }
        Query::Words(words.iter().map(|w| w.to_string()).collect())
    }

    /// Name of the search method, for the benchmark and the status line.
    pub fn method(&self) -> &'static str {
        match self {
            Query::Empty => "empty",
            Query::Digits(_) => "digits",
            Query::Initials(_) => "initials",
            Query::Short(_) => "name-gram",
            Query::Text(_) => "text-trigram",
            Query::Words(_) => "words-trigram",
        }
    }
}

/// Full-width ASCII forms (Ａ, ｚ, ３, the ideographic space) to ASCII; others unchanged.
fn fold_full_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The smallest string greater than every string starting with `prefix` (in SQLite's
/// BINARY and NOCASE orders, which compare UTF-8 bytes): the prefix with its last
/// character incremented. `None` when there is no such bound (empty prefix, or a last
/// character of U+10FFFF), meaning "no upper bound".
pub fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut next = u32::from(last) + 1;
        if (0xD800..0xE000).contains(&next) {
            next = 0xE000;
        }
        if let Some(c) = char::from_u32(next) {
            chars.push(c);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(s: &str) -> Query {
        Query::classify(s)
    }

    #[test]
    fn empty_and_white_space() {
        assert_eq!(q(""), Query::Empty);
        assert_eq!(q("   "), Query::Empty);
        assert_eq!(q("\t\u{3000} "), Query::Empty);
    }

    #[test]
    fn digits_go_to_account_and_phone() {
        assert_eq!(q("0370001234567"), Query::Digits("0370001234567".into()));
        assert_eq!(q(" 5678 "), Query::Digits("5678".into()));
        assert_eq!(q("0635-8123456"), Query::Digits("06358123456".into()));
        assert_eq!(q("138 1234 5678"), Query::Digits("13812345678".into()));
        assert_eq!(q("１３８"), Query::Digits("138".into()));
        assert_eq!(q("+86"), Query::Digits("86".into()));
        // only separators: not digits
        assert_eq!(q("-"), Query::Short("-".into()));
    }

    #[test]
    fn latin_letters_go_to_initials() {
        assert_eq!(q("zs"), Query::Initials("zs".into()));
        assert_eq!(q("WXM"), Query::Initials("wxm".into()));
        assert_eq!(q("ｚｓ"), Query::Initials("zs".into()));
        assert_eq!(q("zs2"), Query::Initials("zs2".into()));
    }

    #[test]
    fn chinese_by_length() {
        assert_eq!(q("王"), Query::Short("王".into()));
        assert_eq!(q("小明"), Query::Short("小明".into()));
        assert_eq!(q("王小明"), Query::Text("王小明".into()));
        assert_eq!(q("王庄村3组"), Query::Text("王庄村3组".into()));
        assert_eq!(q("3组"), Query::Short("3组".into()));
        assert_eq!(q("%_"), Query::Short("%_".into()));
        assert_eq!(q("'\"%_"), Query::Text("'\"%_".into()));
    }

    #[test]
    fn several_words() {
        assert_eq!(
            q("王庄村 3组27号"),
            Query::Words(vec!["王庄村".into(), "3组27号".into()])
        );
        // every word counts, however short (issue 18: `王庄 3组` found nothing)
        assert_eq!(
            q("王庄  3组"),
            Query::Words(vec!["王庄".into(), "3组".into()])
        );
        assert_eq!(q("王 小明"), Query::Words(vec!["王".into(), "小明".into()]));
        assert_eq!(q("z s"), Query::Initials("zs".into()));
    }

    #[test]
    fn long_input_is_cut() {
        let long = "王".repeat(1000);
        assert_eq!(q(&long), Query::Text("王".repeat(MAX_QUERY_CHARS)));
    }

    #[test]
    fn rank_order_and_round_trip() {
        assert!(Matched::AccountExact < Matched::OldAccountExact);
        assert!(Matched::PhoneTail < Matched::AccountPrefix);
        assert!(Matched::NameExact < Matched::NameContains);
        for m in Matched::ALL {
            assert_eq!(Matched::from_rank(m.rank()), Some(m));
        }
        assert_eq!(Matched::from_rank(99), None);
    }

    #[test]
    fn upper_bounds() {
        assert_eq!(prefix_upper_bound("123").as_deref(), Some("124"));
        assert_eq!(prefix_upper_bound("129").as_deref(), Some("12:"));
        assert_eq!(prefix_upper_bound("张").as_deref(), Some("弡"));
        assert_eq!(prefix_upper_bound(""), None);
        assert_eq!(prefix_upper_bound("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_upper_bound("\u{D7FF}").as_deref(), Some("\u{E000}"));
    }

    proptest! {
        #[test]
        fn bound_is_above_every_extension(p in "\\PC{1,6}", rest in "\\PC{0,6}") {
            if let Some(upper) = prefix_upper_bound(&p) {
                let s = format!("{p}{rest}");
                prop_assert!(s.as_bytes() < upper.as_bytes());
                prop_assert!(p.as_bytes() < upper.as_bytes());
            }
        }

        #[test]
        fn classify_never_panics_and_keeps_no_outer_space(s in "\\PC{0,20}") {
            match Query::classify(&s) {
                Query::Empty => prop_assert!(s.trim().is_empty()),
                Query::Digits(d) => prop_assert!(d.bytes().all(|b| b.is_ascii_digit())),
                Query::Initials(w) => prop_assert!(w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                Query::Short(w) => prop_assert!(!w.is_empty() && w.chars().count() < TRIGRAM_MIN),
                Query::Text(w) => prop_assert!(w.chars().count() >= TRIGRAM_MIN && !w.contains(char::is_whitespace)),
                Query::Words(ws) => prop_assert!(ws.len() >= 2),
            }
        }
    }
}

//! Pinyin initials of names for search-as-you-type (`zs` finds 张三).
//!
//! The `pinyin` crate gives every character its most common reading, which is wrong for a
//! handful of surnames (单 is read shàn, 曾 zēng, 解 xiè …). Those are corrected for the first
//! character of a name only, where a surname stands; inside a given name the common reading
//! is kept (王单 → "wd").

use pinyin::ToPinyin;

/// Surnames (as the first character of a name) whose reading differs from the crate's most
/// common reading, with the initial to use. Checked against pinyin 0.11: 朴 (pu → p), 盖
/// (gai → g), 缪 (mou → m), 长孙 (zhang → z) and 那 (na → n) already give the right letter.
const SURNAME_INITIAL: [(char, char); 9] = [
    ('单', 's'), // shàn, crate: dan
    ('曾', 'z'), // zēng, crate: ceng
    ('解', 'x'), // xiè, crate: jie
    ('仇', 'q'), // qiú, crate: chou
    ('区', 'o'), // ōu, crate: qu
    ('查', 'z'), // zhā, crate: cha
    ('覃', 'q'), // qín, crate: tan
    ('乐', 'y'), // yuè, crate: le
    ('种', 'c'), // chóng, crate: zhong
];

/// Two-character surnames whose first character changes its reading only in the compound
/// (尉 alone is wèi, 万 alone is wàn).
const COMPOUND_SURNAME_INITIALS: [(&str, &str); 2] = [
    ("尉迟", "yc"), // yùchí, crate: wei chi
    ("万俟", "mq"), // mòqí, crate: wan qi
];

/// Lower-case pinyin initials of a name: 张三 → "zs", 单田芳 → "stf". Latin letters and digits
/// (also full-width ones) are kept lower-cased; other characters are skipped, and so is a Han
/// character the `pinyin` crate does not know (e.g. 𠮷). The output is lower-case ASCII and
/// never has more bytes than the name has characters.
pub fn initials(name: &str) -> String {
    let name = name.trim_start();
    let mut out = String::with_capacity(name.len() / 3 + 1);
    let mut rest = name;
    if let Some((compound, letters)) = COMPOUND_SURNAME_INITIALS
        .iter()
        .find(|(compound, _)| name.starts_with(compound))
    {
        out.push_str(letters);
        rest = &name[compound.len()..];
    } else if let Some(first) = name.chars().next()
        && let Some((_, letter)) = SURNAME_INITIAL
            .iter()
            .chain(MORE_SURNAMES.iter())
            .find(|(c, _)| *c == first)
    {
        out.push(*letter);
        rest = &name[first.len_utf8()..];
    }
    for c in rest.chars() {
        if let Some(letter) = initial_of(c) {
            out.push(letter);
        }
    }
    out
}

/// Most initials kept for one name (its common reading first).
pub const MAX_VARIANTS: usize = 8;

/// Surnames missing from the corrections above whose crate reading is right as a common
/// word but wrong as a surname: 翟 zhái (crate: di), 阚 kàn (crate: han).
const MORE_SURNAMES: [(char, char); 2] = [('翟', 'z'), ('阚', 'k')];

/// Every plausible set of initials of a name, the common reading ([`initials`]) first, then
/// those that read a polyphonic character another way (徐长江: `xcj` and `xzj`; …电动车行:
/// `…ddch` and `…ddcx`), at most [`MAX_VARIANTS`]. A surname with a fixed reading keeps
/// it; other characters contribute each distinct initial of their readings.
pub fn variants(name: &str) -> Vec<String> {
    let first = initials(name);
    let name = name.trim_start();
    let mut rest = name;
    let mut prefix = String::new();
    if let Some((compound, letters)) = COMPOUND_SURNAME_INITIALS
        .iter()
        .find(|(compound, _)| name.starts_with(compound))
    {
        prefix.push_str(letters);
        rest = &name[compound.len()..];
    } else if let Some(c) = name.chars().next()
        && let Some((_, letter)) = SURNAME_INITIAL
            .iter()
            .chain(MORE_SURNAMES.iter())
            .find(|(s, _)| *s == c)
    {
        prefix.push(*letter);
        rest = &name[c.len_utf8()..];
    }
    let mut out: Vec<String> = vec![prefix];
    for c in rest.chars() {
        let letters = initials_of(c);
        if letters.is_empty() {
            continue;
        }
        let mut next = Vec::with_capacity(out.len() * letters.len());
        for v in &out {
            for l in &letters {
                if next.len() < MAX_VARIANTS * 4 {
                    let mut s = v.clone();
                    s.push(*l);
                    next.push(s);
                }
            }
        }
        out = next;
    }
    let mut result = vec![first];
    for v in out {
        if result.len() >= MAX_VARIANTS {
            break;
        }
        if !result.contains(&v) {
            result.push(v);
        }
    }
    result
}

/// The distinct initials of one character's readings, the common one first.
fn initials_of(c: char) -> Vec<char> {
    use pinyin::ToPinyinMulti;
    let Some(common) = initial_of(c) else {
        return Vec::new();
    };
    let mut out = vec![common];
    if let Some(all) = fold_full_width(c).to_pinyin_multi() {
        for p in all {
            if let Some(l) = p.first_letter().chars().next()
                && l.is_ascii_lowercase()
                && !out.contains(&l)
            {
                out.push(l);
            }
        }
    }
    out
}

/// The initial of one character with its common reading, if it has one.
fn initial_of(c: char) -> Option<char> {
    let c = fold_full_width(c);
    if c.is_ascii_alphanumeric() {
        return Some(c.to_ascii_lowercase());
    }
    if c.is_ascii() {
        return None;
    }
    let letter = c.to_pinyin()?.first_letter().chars().next()?;
    // A few readings start with a non-ASCII letter (ê); those are skipped.
    letter.is_ascii_lowercase().then_some(letter)
}

/// Full-width ASCII forms (Ａ, ｚ, ３) to their ASCII letters and digits; other characters
/// unchanged.
fn fold_full_width(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Issue 18: polyphonic characters in given names and shop names are found by either
    /// reading (checked against pypinyin on the demo: 长 1,084 names, 行 285), and the
    /// surnames 翟 and 阚 by theirs.
    #[test]
    fn polyphonic_names_have_every_reading() {
        for (name, want) in [
            ("徐长江", "xcj"),
            ("徐长江", "xzj"),
            ("王长生", "wcs"),
            ("柳林镇鑫源电动车行", "llzxyddch"),
            ("柳林镇鑫源电动车行", "llzxyddcx"),
            ("李重阳", "lcy"),
            ("翟志强", "zzq"),
            ("阚丽", "kl"),
        ] {
            let v = variants(name);
            assert!(v.iter().any(|x| x == want), "{name}: {v:?} lacks {want}");
            assert_eq!(v[0], initials(name), "the common reading first");
            assert!(v.len() <= MAX_VARIANTS);
        }
        assert_eq!(initials("翟志强"), "zzq");
        assert_eq!(initials("阚丽"), "kl");
        // a surname keeps its one reading: 单 is s, never d
        assert!(variants("单田芳").iter().all(|v| v.starts_with('s')));
        assert_eq!(variants("张三"), vec!["zs".to_string()]);
    }

    #[test]
    fn common_names() {
        assert_eq!(initials("张三"), "zs");
        assert_eq!(initials("王小明"), "wxm");
        assert_eq!(initials("李建国"), "ljg");
        assert_eq!(initials("吕秀英"), "lxy"); // lü
        assert_eq!(initials("欧阳修"), "oyx");
        assert_eq!(initials("司马光"), "smg");
        assert_eq!(initials("诸葛亮"), "zgl");
        assert_eq!(initials("上官婉儿"), "sgwe");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn surnames_with_a_special_reading() {
        // overridden
        assert_eq!(initials("单田芳"), "stf");
        assert_eq!(initials("曾国藩"), "zgf");
        assert_eq!(initials("解缙"), "xj");
        assert_eq!(initials("仇英"), "qy");
        assert_eq!(initials("区志强"), "ozq");
        assert_eq!(initials("查良镛"), "zly");
        assert_eq!(initials("覃海洋"), "qhy");
        assert_eq!(initials("乐毅"), "yy");
        assert_eq!(initials("种师道"), "csd");
        assert_eq!(initials("尉迟恭"), "ycg");
        assert_eq!(initials("万俟卨"), "mqx");
        // the crate's first reading is already right
        assert_eq!(initials("朴树"), "ps");
        assert_eq!(initials("盖聂"), "gn");
        assert_eq!(initials("缪斌"), "mb");
        assert_eq!(initials("长孙无忌"), "zswj");
        assert_eq!(initials("那英"), "ny");
    }

    #[test]
    fn override_only_for_the_first_character() {
        assert_eq!(initials("王单"), "wd");
        assert_eq!(initials("李曾"), "lc");
        assert_eq!(initials("尉缭"), "wl"); // 尉 alone is wèi
        assert_eq!(initials("万明"), "wm"); // 万 alone is wàn
        assert_eq!(initials("  单田芳"), "stf");
    }

    #[test]
    fn latin_digits_and_others() {
        assert_eq!(initials("ABC公司"), "abcgs");
        assert_eq!(initials("Ａ３号"), "a3h");
        assert_eq!(initials("张三（2组）"), "zs2z");
        assert_eq!(initials("王·小明"), "wxm");
        assert_eq!(initials("刘䶮"), "ly");
        assert_eq!(initials("𠮷田"), "t"); // unknown to the crate: skipped
        assert_eq!(initials("喆垚淼犇燚"), "zymby");
    }

    proptest! {
        #[test]
        fn output_is_short_lower_case_ascii(name in "\\PC{0,12}") {
            let out = initials(&name);
            prop_assert!(out.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
            prop_assert!(out.len() <= name.chars().count());
        }

        #[test]
        fn han_names_give_one_letter_per_known_character(name in "[\\u{4E00}-\\u{9FA5}]{1,4}") {
            // a few characters in the block have no reading (瓼, 兙: Japanese units)
            let known = name.chars().filter(|c| c.to_pinyin().is_some()).count();
            prop_assert_eq!(initials(&name).len(), known);
        }
    }
}

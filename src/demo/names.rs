//! Person names of the demo: surnames by their frequency in rural Shandong, given names by
//! the fashion of the birth years, and the rare surnames and characters a counter meets
//! (a special pinyin reading, a character missing from common fonts).

use super::rng::Rng;

/// Common surnames with a rough weight (per 10,000 persons) for northern Shandong.
const SURNAMES: [(&str, u32); 60] = [
    ("王", 900),
    ("李", 850),
    ("张", 800),
    ("刘", 650),
    ("陈", 220),
    ("杨", 260),
    ("赵", 260),
    ("黄", 90),
    ("周", 150),
    ("吴", 120),
    ("徐", 170),
    ("孙", 230),
    ("马", 180),
    ("朱", 120),
    ("胡", 90),
    ("郭", 140),
    ("何", 50),
    ("高", 190),
    ("林", 60),
    ("罗", 30),
    ("郑", 70),
    ("梁", 90),
    ("谢", 40),
    ("宋", 130),
    ("唐", 50),
    ("许", 60),
    ("韩", 110),
    ("冯", 80),
    ("邓", 30),
    ("曹", 100),
    ("彭", 30),
    ("曾", 10),
    ("肖", 40),
    ("田", 110),
    ("董", 120),
    ("袁", 50),
    ("潘", 40),
    ("于", 140),
    ("蒋", 40),
    ("蔡", 30),
    ("余", 20),
    ("杜", 70),
    ("叶", 20),
    ("程", 60),
    ("苏", 50),
    ("魏", 90),
    ("吕", 80),
    ("丁", 80),
    ("任", 70),
    ("沈", 30),
    ("姚", 50),
    ("卢", 50),
    ("姜", 90),
    ("崔", 80),
    ("钟", 20),
    ("谭", 20),
    ("陆", 20),
    ("汪", 20),
    ("范", 80),
    ("石", 90),
];

/// Rare surnames that test pinyin search (a special reading, or two characters).
pub const RARE_SURNAMES: [&str; 16] = [
    "单", "曾", "解", "仇", "朴", "区", "查", "盖", "缪", "覃", "乐", "欧阳", "司马", "诸葛",
    "上官", "尉迟",
];

/// Given-name characters that are rare but present in common fonts.
pub const RARE_CHARS: [&str; 10] = ["喆", "垚", "淼", "犇", "燚", "堃", "赟", "昇", "玥", "翀"];

/// A character missing from common CJK fonts (CJK Extension A), so printing warnings can
/// be shown: 䶮 (yǎn).
pub const FONT_MISSING_CHAR: &str = "䶮";

/// Given names by generation: (two-character names, one-character names) for men and women.
struct Fashion {
    male2: &'static [&'static str],
    male1: &'static [&'static str],
    female2: &'static [&'static str],
    female1: &'static [&'static str],
}

const BORN_BEFORE_1965: Fashion = Fashion {
    male2: &[
        "建国", "建华", "国庆", "国强", "卫东", "卫国", "志刚", "振华", "德胜", "长江", "保国",
        "文明", "玉林", "永福", "洪亮", "富贵", "金山", "树林", "春生", "学文", "广才", "兴旺",
        "立新", "跃进", "红旗", "德明", "庆华", "志明", "守田", "汝民",
    ],
    male1: &[
        "军", "勇", "强", "明", "平", "林", "山", "海", "刚", "华", "忠", "义", "福", "祥",
    ],
    female2: &[
        "秀英", "桂兰", "玉兰", "秀兰", "凤英", "桂英", "秀珍", "玉珍", "淑珍", "翠兰", "春花",
        "玉梅", "秀云", "桂芳", "桂珍", "玉英", "素芬", "凤兰", "秀荣", "金凤",
    ],
    female1: &["芳", "英", "兰", "梅", "霞", "萍", "珍", "凤", "荣", "香"],
};

const BORN_1965_TO_1984: Fashion = Fashion {
    male2: &[
        "海涛", "志强", "建军", "立伟", "晓东", "永刚", "国栋", "红军", "卫华", "振宇", "少华",
        "宏伟", "新民", "海波", "文斌", "志勇", "春雷", "长青", "明亮", "军伟", "洪涛", "兆峰",
    ],
    male1: &[
        "伟", "军", "勇", "磊", "涛", "斌", "超", "辉", "鹏", "峰", "亮", "强", "杰", "东",
    ],
    female2: &[
        "丽华", "红梅", "海燕", "丽娟", "春燕", "艳红", "晓红", "秀梅", "玉霞", "建英", "丽萍",
        "美玲", "彩霞", "红霞", "晓燕", "桂香", "爱华", "晓丽",
    ],
    female1: &[
        "丽", "艳", "娟", "红", "燕", "霞", "敏", "静", "玲", "萍", "芳", "莉",
    ],
};

const BORN_1985_OR_LATER: Fashion = Fashion {
    male2: &[
        "浩然", "子豪", "宇航", "俊杰", "梓轩", "一鸣", "天宇", "志远", "博文", "明轩", "浩宇",
        "家豪", "思远", "晨阳", "子健", "文博", "鑫磊", "嘉豪", "振洋", "凯文",
    ],
    male1: &[
        "浩", "宇", "鑫", "磊", "杰", "帅", "凯", "超", "阳", "博", "晨", "旭", "鹏", "龙",
    ],
    female2: &[
        "欣怡", "梦瑶", "思雨", "雨涵", "佳怡", "诗涵", "子涵", "雅婷", "晓雪", "梦琪", "可欣",
        "婉婷", "静怡", "心怡", "紫涵", "雨欣", "金玲", "文静",
    ],
    female1: &[
        "婷", "雪", "琳", "璐", "颖", "倩", "洁", "悦", "佳", "丹", "蕾", "月",
    ],
};

/// Which rare feature, if any, a name must show (the generator places a few of each at
/// fixed positions so that even a small demo has them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Showcase {
    /// this rare surname
    Surname(&'static str),
    /// this rare character in the given name
    GivenChar(&'static str),
}

/// A person's full name (2–4 characters). Rare surnames come with about 1.5 % probability,
/// rare given-name characters 0.5 %, the font-missing character 0.1 %.
pub fn person_name(rng: &mut Rng, birth_year: u16, male: bool, show: Option<Showcase>) -> String {
    let surname = match show {
        Some(Showcase::Surname(s)) => s,
        _ if rng.chance(15) => rng.pick(&RARE_SURNAMES),
        _ => rng.weighted(&SURNAMES),
    };
    let fashion = match birth_year {
        ..1965 => &BORN_BEFORE_1965,
        1965..1985 => &BORN_1965_TO_1984,
        _ => &BORN_1985_OR_LATER,
    };
    let rare = match show {
        Some(Showcase::GivenChar(c)) => Some(c),
        _ if rng.chance(1) => Some(FONT_MISSING_CHAR),
        _ if rng.chance(5) => Some(rng.pick(&RARE_CHARS)),
        _ => None,
    };
    let (two, one) = if male {
        (fashion.male2, fashion.male1)
    } else {
        (fashion.female2, fashion.female1)
    };
    // compound surnames mostly take one-character given names, to stay within 4 characters
    let one_char = rng.chance(if surname.chars().count() > 1 {
        700
    } else {
        250
    });
    let given = match (rare, one_char) {
        (Some(c), true) => c.to_string(),
        (Some(c), false) if rng.chance(500) => format!("{}{c}", rng.pick(one)),
        (Some(c), false) => format!("{c}{}", rng.pick(one)),
        (None, true) => rng.pick(one).to_string(),
        (None, false) => rng.pick(two).to_string(),
    };
    format!("{surname}{given}")
}

/// A common surname (for shop names like 王记超市).
pub fn common_surname(rng: &mut Rng) -> &'static str {
    rng.weighted(&SURNAMES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_have_two_to_four_characters() {
        let mut rng = Rng::new(11);
        for i in 0..20_000u32 {
            let show = match i % 3 {
                0 => Some(Showcase::Surname(RARE_SURNAMES[(i as usize / 3) % 16])),
                1 => Some(Showcase::GivenChar(FONT_MISSING_CHAR)),
                _ => None,
            };
            let name = person_name(&mut rng, 1935 + (i % 71) as u16, i % 2 == 0, show);
            assert!((2..=4).contains(&name.chars().count()), "{name}");
        }
    }

    #[test]
    fn showcases_are_honoured() {
        let mut rng = Rng::new(1);
        let name = person_name(&mut rng, 1990, true, Some(Showcase::Surname("欧阳")));
        assert!(name.starts_with("欧阳"));
        let name = person_name(&mut rng, 1950, false, Some(Showcase::GivenChar("䶮")));
        assert!(name.contains('䶮'));
    }
}

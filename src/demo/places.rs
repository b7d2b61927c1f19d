//! The demo township: its villages, transformer areas (台区) and addresses.

use super::rng::Rng;
use crate::domain::customer::NewArea;

/// The demo township (a made-up 柳林镇 in 冠县; the villages are invented as well).
pub const TOWN: &str = "柳林镇";

const VILLAGES: [&str; 24] = [
    "王庄",
    "河东村",
    "李家屯",
    "河西村",
    "张官屯",
    "刘堤口",
    "前营",
    "后营",
    "东辛庄",
    "西辛庄",
    "马集",
    "孙楼",
    "杨庄",
    "柳林",
    "赵王庄",
    "北街",
    "南街",
    "高庙",
    "大刘庄",
    "小李庄",
    "韩屯",
    "郭庄",
    "后屯",
    "田堤",
];

/// Roads of the township seat, where the shops and public bodies are.
pub const TOWN_ROADS: [&str; 5] = ["镇政府路", "商业街", "文化路", "建设路", "柳林大街"];

const CAPACITIES: [(i64, u32); 5] = [(100, 1), (200, 3), (315, 3), (400, 2), (630, 1)];

/// The user names of the area managers, in the order areas are handed out.
pub const AREA_MANAGERS: [&str; 4] = ["taiqu1", "taiqu2", "taiqu3", "taiqu4"];

/// 8–12 transformer areas `TQ001`…, named after their village (`王庄1号台区`, `王庄2号台区`);
/// a few villages have two. Managers are taken in turn from `taiqu1`..`taiqu4`.
pub fn areas(seed: u64) -> Vec<NewArea> {
    let mut rng = Rng::for_item(seed, 1, 0);
    let count = rng.range(8, 12) as usize;
    let doubled = rng.range(1, 3) as usize;
    let mut villages = VILLAGES;
    // partial Fisher–Yates: the first `count - doubled` entries become the chosen villages
    let chosen = count - doubled;
    for i in 0..chosen {
        let j = i + rng.below((villages.len() - i) as u64) as usize;
        villages.swap(i, j);
    }
    let mut out = Vec::with_capacity(count);
    for (j, village) in villages.iter().take(chosen).enumerate() {
        let numbers = if j < doubled { 2 } else { 1 };
        for n in 1..=numbers {
            let i = out.len();
            out.push(NewArea {
                code: format!("TQ{:03}", i + 1),
                name: format!("{village}{n}号台区"),
                capacity_kva: rng.weighted(&CAPACITIES),
                manager_username: Some(AREA_MANAGERS[i % AREA_MANAGERS.len()].to_string()),
            });
        }
    }
    out
}

/// The village an area serves, from its name (`王庄1号台区` → `王庄`); `None` when the name
/// does not look like `<village><n>号台区` or `<village>台区`.
pub fn village_of(area_name: &str) -> Option<&str> {
    let rest = area_name.strip_suffix("台区")?;
    let rest = rest
        .strip_suffix('号')
        .map_or(rest, |r| r.trim_end_matches(|c: char| c.is_ascii_digit()));
    (!rest.is_empty()).then_some(rest)
}

/// A random village of the township (for areas whose name names none).
pub fn any_village(rng: &mut Rng) -> &'static str {
    rng.pick(&VILLAGES)
}

/// A village's name as written in an address: `王庄` → `王庄村`, `河东村` stays.
fn village_in_address(village: &str) -> String {
    if village.ends_with('村') {
        village.to_string()
    } else {
        format!("{village}村")
    }
}

/// `柳林镇王庄村3组27号`
pub fn home_address(rng: &mut Rng, village: &str) -> String {
    let group = rng.range(1, 8);
    let house = rng.range(1, 120);
    format!("{TOWN}{}{group}组{house}号", village_in_address(village))
}

/// `柳林镇镇政府路18号`
pub fn town_address(rng: &mut Rng) -> String {
    let road = rng.pick(&TOWN_ROADS);
    let number = rng.range(1, 160);
    format!("{TOWN}{road}{number}号")
}

/// An address outside the houses of a village: `柳林镇王庄村东`, `柳林镇王庄村村委会`.
pub fn field_address(rng: &mut Rng, village: &str) -> String {
    let place = rng.pick(&[
        "东",
        "西",
        "南",
        "北",
        "东头",
        "西头",
        "南地",
        "北地",
        "村委会",
    ]);
    format!("{TOWN}{}{place}", village_in_address(village))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_eight_to_twelve_with_unique_codes_and_names() {
        for seed in 0..200 {
            let areas = areas(seed);
            assert!((8..=12).contains(&areas.len()), "seed {seed}");
            let mut names: Vec<&str> = areas.iter().map(|a| a.name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), areas.len());
            for (i, a) in areas.iter().enumerate() {
                assert_eq!(a.code, format!("TQ{:03}", i + 1));
                assert!(village_of(&a.name).is_some());
                assert!([100, 200, 315, 400, 630].contains(&a.capacity_kva));
            }
        }
        assert_eq!(areas(5), areas(5));
    }

    #[test]
    fn villages_from_area_names() {
        assert_eq!(village_of("王庄1号台区"), Some("王庄"));
        assert_eq!(village_of("河东村12号台区"), Some("河东村"));
        assert_eq!(village_of("河东村台区"), Some("河东村"));
        assert_eq!(village_of("1号台区"), None);
        assert_eq!(village_of("变压器"), None);
        let mut rng = Rng::new(2);
        assert!(home_address(&mut rng, "王庄").starts_with("柳林镇王庄村"));
        assert!(home_address(&mut rng, "河东村").starts_with("柳林镇河东村"));
        assert!(home_address(&mut rng, "河东村").ends_with('号'));
    }
}

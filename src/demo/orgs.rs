//! Organisations of the demo township: shops, farms, cooperatives, the public bodies of the
//! township seat and a couple of small factories on 10 kV.

use super::ids::OrgType;
use super::names::common_surname;
use super::places::{TOWN, field_address, town_address};
use super::rng::Rng;
use crate::domain::customer::UsageCategory;

/// An organisation customer before it gets its numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgSpec {
    pub name: String,
    pub org_type: OrgType,
    pub usage: UsageCategory,
    pub voltage: &'static str,
    pub kva: u32,
    pub address: String,
}

/// Bodies every township has once; the generator places them at fixed positions.
const SPECIAL: [(&str, OrgType, UsageCategory, &str, u32); 10] = [
    (
        "柳林镇人民政府",
        OrgType::Government,
        UsageCategory::Commercial,
        "0.4kV",
        100,
    ),
    (
        "冠县柳林镇中心小学",
        OrgType::Institution,
        UsageCategory::Commercial,
        "0.4kV",
        80,
    ),
    (
        "冠县柳林镇初级中学",
        OrgType::Institution,
        UsageCategory::Commercial,
        "0.4kV",
        125,
    ),
    (
        "冠县柳林镇卫生院",
        OrgType::Institution,
        UsageCategory::Commercial,
        "0.4kV",
        100,
    ),
    (
        "冠县华泰纺织有限公司",
        OrgType::Company,
        UsageCategory::Industrial,
        "10kV",
        630,
    ),
    (
        "冠县柳林镇中心幼儿园",
        OrgType::Institution,
        UsageCategory::Commercial,
        "0.4kV",
        30,
    ),
    (
        "冠县瑞丰面粉有限公司",
        OrgType::Company,
        UsageCategory::Industrial,
        "10kV",
        400,
    ),
    (
        "柳林镇派出所",
        OrgType::Government,
        UsageCategory::Commercial,
        "0.4kV",
        50,
    ),
    (
        "冠县柳林镇农业综合服务中心",
        OrgType::Institution,
        UsageCategory::Commercial,
        "0.4kV",
        30,
    ),
    (
        "冠县德隆板材有限公司",
        OrgType::Company,
        UsageCategory::Industrial,
        "10kV",
        800,
    ),
];

/// How many special bodies there are.
pub const SPECIAL_COUNT: usize = SPECIAL.len();

/// The `k`-th special body (`k < SPECIAL_COUNT`), on a road of the township seat.
pub fn special_org(rng: &mut Rng, k: usize) -> Option<OrgSpec> {
    let (name, org_type, usage, voltage, kva) = *SPECIAL.get(k)?;
    Some(OrgSpec {
        name: name.to_string(),
        org_type,
        usage,
        voltage,
        kva,
        address: town_address(rng),
    })
}

const TRADE_NAMES: [&str; 14] = [
    "鑫源", "鸿达", "恒信", "金鼎", "宏远", "东岳", "润泽", "永兴", "聚福", "兴旺", "盛达", "丰源",
    "广进", "利民",
];
const SHOPS: [&str; 14] = [
    "超市",
    "便利店",
    "农资店",
    "五金建材店",
    "饭店",
    "理发店",
    "家电维修部",
    "服装店",
    "药店",
    "粮油店",
    "快递代收点",
    "烟酒店",
    "电动车行",
    "熟食店",
];
const CROPS: [&str; 8] = [
    "蔬菜",
    "果蔬",
    "苹果",
    "葡萄",
    "棉花",
    "食用菌",
    "小麦",
    "中药材",
];
const LIVESTOCK: [&str; 4] = ["养猪场", "养鸡场", "肉牛养殖场", "养鸭场"];
const COMPANIES: [&str; 6] = ["建材", "食品", "物流", "农业科技", "棉业", "塑料制品"];
const FACTORIES: [&str; 5] = ["纺织", "面粉", "板材", "钢管制品", "饲料"];

/// One of the ordinary organisations of a village or the township seat: shops (一般工商业),
/// farms and cooperatives (农业生产), a few small companies, and rarely a factory on 10 kV
/// (大工业).
pub fn random_org(rng: &mut Rng, village: &str) -> OrgSpec {
    use OrgType::*;
    use UsageCategory::*;
    let trade = rng.pick(&TRADE_NAMES);
    let surname = common_surname(rng);
    let kind = rng.below(100);
    let (name, org_type, usage, voltage, kva) = match kind {
        0..=29 => {
            let shop = rng.pick(&SHOPS);
            let name = format!("{TOWN}{trade}{shop}");
            (
                name,
                IndividualBusiness,
                Commercial,
                "0.4kV",
                pick_kva(rng, &[10, 15, 20, 30]),
            )
        }
        30..=49 => {
            let shop = rng.pick(&SHOPS);
            let name = format!("{village}{surname}记{shop}");
            (
                name,
                IndividualBusiness,
                Commercial,
                "0.4kV",
                pick_kva(rng, &[10, 15, 20]),
            )
        }
        50..=54 => {
            let name = format!("{village}村民委员会");
            (
                name,
                VillageCommittee,
                Commercial,
                "0.4kV",
                pick_kva(rng, &[10, 20, 30]),
            )
        }
        55..=66 => {
            let crop = rng.pick(&CROPS);
            let name = format!("冠县{TOWN}{village}{crop}种植专业合作社");
            (
                name,
                Cooperative,
                Agricultural,
                "0.4kV",
                pick_kva(rng, &[30, 50, 80, 100]),
            )
        }
        67..=76 => {
            let name = format!("冠县{village}{surname}氏家庭农场");
            (
                name,
                IndividualBusiness,
                Agricultural,
                "0.4kV",
                pick_kva(rng, &[20, 30, 50]),
            )
        }
        77..=84 => {
            let farm = rng.pick(&LIVESTOCK);
            let name = format!("{village}{surname}氏{farm}");
            (
                name,
                IndividualBusiness,
                Agricultural,
                "0.4kV",
                pick_kva(rng, &[50, 80, 100, 200]),
            )
        }
        85..=91 => {
            let name = format!("{village}农民用水合作社");
            (
                name,
                Cooperative,
                Agricultural,
                "0.4kV",
                pick_kva(rng, &[20, 30, 50]),
            )
        }
        92..=97 => {
            let line = rng.pick(&COMPANIES);
            let name = format!("冠县{trade}{line}有限公司");
            (
                name,
                Company,
                Commercial,
                "0.4kV",
                pick_kva(rng, &[50, 80, 100, 160, 200]),
            )
        }
        _ => {
            let line = rng.pick(&FACTORIES);
            let name = format!("冠县{trade}{line}有限公司");
            (
                name,
                Company,
                Industrial,
                "10kV",
                pick_kva(rng, &[315, 400, 500, 630, 800, 1000]),
            )
        }
    };
    let address = match (org_type, kind) {
        (Company, _) | (IndividualBusiness, 0..=29) => town_address(rng),
        _ => field_address(rng, village),
    };
    OrgSpec {
        name,
        org_type,
        usage,
        voltage,
        kva,
        address,
    }
}

fn pick_kva(rng: &mut Rng, choices: &[u32]) -> u32 {
    rng.pick(choices)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orgs_are_plausible() {
        let mut rng = Rng::new(9);
        let mut seen = [false; 4];
        for _ in 0..5000 {
            let o = random_org(&mut rng, "王庄");
            match o.usage {
                UsageCategory::Industrial => {
                    assert_eq!(o.voltage, "10kV");
                    assert!(o.kva >= 315);
                }
                UsageCategory::Residential => panic!("an organisation on the residential tariff"),
                _ => assert_eq!(o.voltage, "0.4kV"),
            }
            assert!(o.address.starts_with(TOWN), "{}", o.address);
            seen[UsageCategory::ALL
                .iter()
                .position(|u| *u == o.usage)
                .unwrap_or(0)] = true;
        }
        assert_eq!(seen, [false, true, true, true]);
        assert!(special_org(&mut rng, SPECIAL_COUNT).is_none());
        assert!(special_org(&mut rng, 0).is_some());
    }
}

//! Demo station data for `stationdesk demo`: staff, transformer areas (台区) and customers of
//! a made-up township (柳林镇, 冠县, 山东), generated deterministically from a seed.
//!
//! The generator (this file and its private modules) is pure code: no SQL, no I/O, no clock
//! reads, no `rand` crate (own splitmix64 PRNG). The same seed gives the same data on every
//! machine. Customers come as a stream ([`customers`]) so that 100,000 of them can be
//! inserted in batches; [`plan`] collects everything at once.
//!
//! [`seed`] writes a demo station into a database: the generated people, then a month of work
//! orders, assessment entries and a year of bills and payments, all through the services' own
//! transaction bodies (no copy of their rules here). All demo seeding lives under `seed/`.

mod customers;
mod ids;
mod names;
mod orgs;
mod places;
mod rng;
pub mod seed;

pub use customers::Customers;
pub use ids::{ACCOUNT_PROVINCE_PREFIX, COUNTY_CODE, PHONE_AREA_CODE};
pub use names::FONT_MISSING_CHAR;
pub use places::TOWN;

use crate::domain::customer::{NewArea, NewCustomer};
use crate::domain::role::Role;

/// Password of every demo staff member.
pub const DEMO_PASSWORD: &str = "demo1234";

/// Everything the demo station is loaded with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoPlan {
    pub areas: Vec<NewArea>,
    pub customers: Vec<NewCustomer>,
    pub staff: Vec<DemoStaff>,
}

/// A demo staff member (password in clear; hash it before storing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoStaff {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub is_admin: bool,
    pub password: String,
    pub phone: String,
}

/// The fixed demo staff (the same for every seed, so the README can list them):
///
/// | user name | name | role |
/// |---|---|---|
/// | suozhang | 李建国 | 所长 (admin) |
/// | yingye1 | 王丽娟 | 营业员 |
/// | yingye2 | 张晓燕 | 营业员 |
/// | taiqu1 | 刘志强 | 台区经理 |
/// | taiqu2 | 赵海军 | 台区经理 |
/// | taiqu3 | 孙明亮 | 台区经理 |
/// | taiqu4 | 高红梅 | 台区经理 |
/// | jicha | 周文斌 | 稽查员 |
///
/// All passwords are [`DEMO_PASSWORD`].
pub fn staff() -> Vec<DemoStaff> {
    const STAFF: [(&str, &str, Role, &str); 8] = [
        ("suozhang", "李建国", Role::Chief, "13863501168"),
        ("yingye1", "王丽娟", Role::Clerk, "13863502217"),
        ("yingye2", "张晓燕", Role::Clerk, "15963503326"),
        ("taiqu1", "刘志强", Role::AreaManager, "13563504435"),
        ("taiqu2", "赵海军", Role::AreaManager, "18763505544"),
        ("taiqu3", "孙明亮", Role::AreaManager, "15806356653"),
        ("taiqu4", "高红梅", Role::AreaManager, "13706357762"),
        ("jicha", "周文斌", Role::Auditor, "17863508871"),
    ];
    STAFF
        .iter()
        .map(|&(username, display_name, role, phone)| DemoStaff {
            username: username.to_string(),
            display_name: display_name.to_string(),
            role,
            is_admin: role == Role::Chief,
            password: DEMO_PASSWORD.to_string(),
            phone: phone.to_string(),
        })
        .collect()
}

/// 8–12 transformer areas `TQ001`… of the township (`王庄1号台区` …), 100–630 kVA, each
/// managed by one of `taiqu1`..`taiqu4`.
pub fn areas(seed: u64) -> Vec<NewArea> {
    places::areas(seed)
}

/// The first `count` demo customers, spread over `areas` (weighted by transformer capacity;
/// the areas of [`areas`]`(seed)` when `areas` is empty). About 92 % persons (居民生活) and 8 %
/// organisations (一般工商业, 农业生产, a few 大工业 on 10 kV). Account numbers are unique per
/// station code for up to 10 million customers, ID numbers for up to 12.9 million.
pub fn customers(seed: u64, count: usize, areas: &[NewArea], station_code: &str) -> Customers {
    Customers::new(seed, count, areas, station_code)
}

/// The whole demo: [`staff`], [`areas`]`(seed)` and `count` [`customers`] on those areas.
pub fn plan(seed: u64, count: usize, station_code: &str) -> DemoPlan {
    let areas = areas(seed);
    let customers = customers(seed, count, &areas, station_code).collect();
    DemoPlan {
        areas,
        customers,
        staff: staff(),
    }
}

#[cfg(test)]
mod tests;

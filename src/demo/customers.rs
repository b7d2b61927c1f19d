//! The stream of demo customers. Customer `i` depends only on the seed, `i`, the areas and
//! the station code, so the stream can be cut into batches, skipped into, or regenerated.

use super::ids::{self, ACCOUNT_PROVINCE_PREFIX};
use super::names::{FONT_MISSING_CHAR, Showcase, person_name};
use super::orgs::{SPECIAL_COUNT, random_org, special_org};
use super::places::{any_village, home_address, village_of};
use super::rng::Rng;
use crate::domain::customer::{CustomerKind, NewArea, NewCustomer, UsageCategory};

/// Persons placed at fixed positions (`SHOWCASE_FIRST + SHOWCASE_STEP * k`) so that even a
/// small demo shows the rare surnames and characters.
const SHOWCASES: [Showcase; 18] = [
    Showcase::Surname("单"),
    Showcase::GivenChar(FONT_MISSING_CHAR),
    Showcase::Surname("曾"),
    Showcase::GivenChar("喆"),
    Showcase::Surname("解"),
    Showcase::Surname("欧阳"),
    Showcase::GivenChar("垚"),
    Showcase::Surname("仇"),
    Showcase::Surname("诸葛"),
    Showcase::GivenChar("淼"),
    Showcase::Surname("区"),
    Showcase::Surname("查"),
    Showcase::GivenChar("犇"),
    Showcase::Surname("司马"),
    Showcase::GivenChar("燚"),
    Showcase::Surname("上官"),
    Showcase::Surname("朴"),
    Showcase::GivenChar(FONT_MISSING_CHAR),
];
const SHOWCASE_FIRST: usize = 12;
const SHOWCASE_STEP: usize = 40;
/// The township's public bodies and two factories sit at `SPECIAL_FIRST + SPECIAL_STEP * k`
/// (odd positions, so never on a showcase person).
const SPECIAL_FIRST: usize = 5;
const SPECIAL_STEP: usize = 50;

/// Per mille of customers that are organisations (besides the special ones).
const ORGS_PER_MILLE: u64 = 80;
/// Per mille of customers with an old 10-digit 户号.
const OLD_ACCOUNT_PER_MILLE: u64 = 700;
/// Per mille of customer files with documents still missing.
const DOCS_INCOMPLETE_PER_MILLE: u64 = 30;

#[derive(Clone, Debug)]
struct AreaSlot {
    code: String,
    village: Option<String>,
    /// cumulative weight up to and including this area
    until: u64,
}

/// Iterator over demo customers; see [`crate::demo::customers()`].
#[derive(Clone, Debug)]
pub struct Customers {
    seed: u64,
    station_code: String,
    areas: Vec<AreaSlot>,
    next: usize,
    end: usize,
}

impl Customers {
    pub(super) fn new(seed: u64, count: usize, areas: &[NewArea], station_code: &str) -> Self {
        let own;
        let areas = if areas.is_empty() {
            own = super::places::areas(seed);
            &own[..]
        } else {
            areas
        };
        let mut until = 0;
        let areas = areas
            .iter()
            .map(|a| {
                // bigger transformers serve more households
                until += a.capacity_kva.clamp(50, 2000) as u64;
                AreaSlot {
                    code: a.code.clone(),
                    village: village_of(&a.name).map(str::to_string),
                    until,
                }
            })
            .collect();
        Customers {
            seed,
            station_code: station_code.to_string(),
            areas,
            next: 0,
            end: count,
        }
    }

    /// The `index`-th customer of the stream (whether or not it is below `count`).
    pub fn customer_at(&self, index: usize) -> NewCustomer {
        let mut rng = Rng::for_item(self.seed, 2, index as u64);
        let total = self.areas.last().map_or(0, |a| a.until);
        let x = rng.below(total);
        let area = self
            .areas
            .get(self.areas.partition_point(|a| a.until <= x))
            .or(self.areas.last());
        let area_code = area.map(|a| a.code.clone()).unwrap_or_default();
        let village = match area.and_then(|a| a.village.as_deref()) {
            Some(v) => v.to_string(),
            None => any_village(&mut rng).to_string(),
        };
        let old = ids::old_account_no(self.seed, index as u64, &self.station_code);
        let account_no = format!("{ACCOUNT_PROVINCE_PREFIX}{old}");
        let old_account_no = rng.chance(OLD_ACCOUNT_PER_MILLE).then_some(old);
        let docs_incomplete = rng.chance(DOCS_INCOMPLETE_PER_MILLE);

        let special = index
            .checked_sub(SPECIAL_FIRST)
            .filter(|d| d % SPECIAL_STEP == 0)
            .map(|d| d / SPECIAL_STEP)
            .filter(|k| *k < SPECIAL_COUNT);
        let org = match special {
            Some(k) => special_org(&mut rng, k),
            None if rng.chance(ORGS_PER_MILLE) => Some(random_org(&mut rng, &village)),
            None => None,
        };
        if let Some(org) = org {
            let id_number = ids::credit_code(self.seed, index as u64, org.org_type);
            let phone = match rng.below(100) {
                0..=54 => ids::landline(&mut rng),
                55..=94 => ids::mobile(&mut rng),
                _ => String::new(),
            };
            return NewCustomer {
                account_no,
                old_account_no,
                name: org.name,
                kind: CustomerKind::Organisation,
                id_number,
                phone,
                address: org.address,
                area_code,
                usage: org.usage,
                supply_voltage: org.voltage.to_string(),
                contracted_kva: org.kva.to_string(),
                docs_incomplete,
            };
        }

        let show = index
            .checked_sub(SHOWCASE_FIRST)
            .filter(|d| d % SHOWCASE_STEP == 0)
            .and_then(|d| SHOWCASES.get(d / SHOWCASE_STEP))
            .copied();
        let (year, month, day, seq) = ids::person_slot(self.seed, index as u64);
        let male = rng.chance(560);
        let name = person_name(&mut rng, year, male, show);
        let id_number = ids::id_number(&mut rng, (year, month, day), seq, male);
        let (mobile, landline) = if year < 1950 { (550, 750) } else { (880, 930) };
        let phone = match rng.below(1000) {
            x if x < mobile => ids::mobile(&mut rng),
            x if x < landline => ids::landline(&mut rng),
            _ => String::new(),
        };
        let kva = rng.weighted(&[("4", 30), ("5", 15), ("6", 35), ("8", 20)]);
        NewCustomer {
            account_no,
            old_account_no,
            name,
            kind: CustomerKind::Person,
            id_number,
            phone,
            address: home_address(&mut rng, &village),
            area_code,
            usage: UsageCategory::Residential,
            supply_voltage: "0.22kV".to_string(),
            contracted_kva: kva.to_string(),
            docs_incomplete,
        }
    }

    /// The next (up to) `n` customers, for inserting in batches.
    pub fn next_batch(&mut self, n: usize) -> Vec<NewCustomer> {
        self.by_ref().take(n).collect()
    }
}

impl Iterator for Customers {
    type Item = NewCustomer;

    fn next(&mut self) -> Option<NewCustomer> {
        if self.next >= self.end {
            return None;
        }
        let c = self.customer_at(self.next);
        self.next += 1;
        Some(c)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.end.saturating_sub(self.next);
        (left, Some(left))
    }

    fn nth(&mut self, n: usize) -> Option<NewCustomer> {
        self.next = self.next.saturating_add(n).min(self.end);
        self.next()
    }
}

impl ExactSizeIterator for Customers {}

impl std::iter::FusedIterator for Customers {}

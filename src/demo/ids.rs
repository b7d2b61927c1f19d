//! Numbers of the demo: resident ID numbers, unified social credit codes, phone numbers and
//! account numbers (户号). Unique ones are drawn from a keyed permutation of the customer's
//! index, so they are unique without remembering the ones already given out.

use super::rng::{Rng, permute};
use crate::domain::idcheck::{id_card_check_char, org_code_check_char, uscc_check_char};

/// The demo county: 山东省聊城市冠县 (area code 371525, telephone area code 0635).
pub const COUNTY_CODE: &str = "371525";
pub const PHONE_AREA_CODE: &str = "0635";
/// Province prefix put before the old 10-digit 户号 to make the new 13-digit one (Shandong).
pub const ACCOUNT_PROVINCE_PREFIX: &str = "037";

/// Area codes of where people living in the county were born: mostly the county itself, some
/// married in or moved from neighbouring counties (莘县, 阳谷, 东阿, 茌平 before it became a
/// district, 高唐, 东昌府区, 临清, and 馆陶 across the border in Hebei).
const BIRTH_AREAS: [(&str, u32); 9] = [
    (COUNTY_CODE, 900),
    ("371522", 20),
    ("371521", 10),
    ("371524", 8),
    ("371523", 12),
    ("371526", 8),
    ("371502", 15),
    ("371581", 12),
    ("130433", 15),
];

/// Days from 1935-01-01 to 2005-12-31 inclusive: the birth dates of account holders.
const BIRTH_DAYS: u64 = 25_933;
/// Sequence numbers per birth date and sex (3-digit sequence, the last digit gives the sex).
const SEQ_PER_SEX: u64 = 500;

/// Birth date and ID-number slot of the `index`-th person: a permutation of all (date,
/// sequence) pairs, so two persons never share an ID number (up to 12.9 million persons).
pub fn person_slot(seed: u64, index: u64) -> (u16, u8, u8, u64) {
    let v = permute(index, BIRTH_DAYS * SEQ_PER_SEX, seed ^ 0x1D_CA4D);
    let (year, month, day) =
        civil_from_days(days_from_civil(1935, 1, 1) + (v / SEQ_PER_SEX) as i64);
    (year, month, day, v % SEQ_PER_SEX)
}

/// A resident ID number for a person born on `date` with the slot `seq` (`0..500`).
pub fn id_number(rng: &mut Rng, (year, month, day): (u16, u8, u8), seq: u64, male: bool) -> String {
    let area = rng.weighted(&BIRTH_AREAS);
    let seq = seq * 2 + u64::from(male);
    let first17 = format!("{area}{year:04}{month:02}{day:02}{seq:03}");
    let check = id_card_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// What kind of body an organisation is, which decides the first two characters of its
/// credit code (registration authority and type, GB 32100-2015 appendix).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgType {
    /// 11: organs of government (机关)
    Government,
    /// 12: public institutions (事业单位: schools, the health centre)
    Institution,
    /// 54: village committees (基层群众性自治组织)
    VillageCommittee,
    /// 91: companies (企业)
    Company,
    /// 92: individual businesses (个体工商户)
    IndividualBusiness,
    /// 93: farmers' cooperatives (农民专业合作社)
    Cooperative,
}

impl OrgType {
    fn prefix(self) -> &'static str {
        match self {
            OrgType::Government => "11",
            OrgType::Institution => "12",
            OrgType::VillageCommittee => "54",
            OrgType::Company => "91",
            OrgType::IndividualBusiness => "92",
            OrgType::Cooperative => "93",
        }
    }
}

/// A unified social credit code registered in the county, unique by `index`; its embedded
/// organisation code also carries a valid GB 11714 check character.
pub fn credit_code(seed: u64, index: u64, kind: OrgType) -> String {
    let body = permute(index, 90_000_000, seed ^ 0x05CC) + 10_000_000;
    let org8 = format!("{body:08}");
    let org9 = format!("{org8}{}", org_code_check_char(&org8).unwrap_or('0'));
    let first17 = format!("{}{COUNTY_CODE}{org9}", kind.prefix());
    let check = uscc_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// Mobile prefixes in use by the three carriers (and China Broadnet's 192).
const MOBILE_PREFIXES: [&str; 40] = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180",
    "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "192", "193", "198",
    "199",
];

pub fn mobile(rng: &mut Rng) -> String {
    let prefix = rng.pick(&MOBILE_PREFIXES);
    format!("{prefix}{}", rng.digits(8))
}

/// A landline of the county: 7-digit local numbers starting 5, 6 or 8, written with or
/// without the area code and hyphen, as found in old files.
pub fn landline(rng: &mut Rng) -> String {
    let first = rng.pick(&['5', '6', '8']);
    let local = format!("{first}{}", rng.digits(6));
    match rng.below(10) {
        0..=5 => format!("{PHONE_AREA_CODE}-{local}"),
        6..=8 => format!("{PHONE_AREA_CODE}{local}"),
        _ => local,
    }
}

/// The 10-digit old 户号 of the `index`-th customer of a station: a 3-digit prefix of the
/// station and a 7-digit number unique per index (up to 10 million customers).
pub fn old_account_no(seed: u64, index: u64, station_code: &str) -> String {
    let station = station_code
        .bytes()
        .fold(0xCBF2_9CE4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
        });
    let prefix = 100 + station % 900;
    let serial = permute(index, 10_000_000, seed ^ station);
    format!("{prefix:03}{serial:07}")
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(year: u16, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number from [`days_from_civil`].
pub fn civil_from_days(z: i64) -> (u16, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as u16, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::idcheck::{check_id_card, check_phone, check_uscc, id_card_is_male};

    #[test]
    fn dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)), (2000, 2, 29));
        assert_eq!(
            days_from_civil(2005, 12, 31) - days_from_civil(1935, 1, 1) + 1,
            BIRTH_DAYS as i64
        );
    }

    #[test]
    fn generated_numbers_validate() {
        let mut rng = Rng::new(3);
        for i in 0..2000 {
            let (y, m, d, seq) = person_slot(3, i);
            assert!((1935..=2005).contains(&y));
            let male = i % 2 == 0;
            let id = id_number(&mut rng, (y, m, d), seq, male);
            assert_eq!(check_id_card(&id), Ok(()), "{id}");
            assert_eq!(id_card_is_male(&id), Some(male));
            let code = credit_code(3, i, OrgType::Cooperative);
            assert_eq!(check_uscc(&code), Ok(()), "{code}");
            assert_eq!(check_phone(&mobile(&mut rng)), Ok(()));
            assert_eq!(check_phone(&landline(&mut rng)), Ok(()));
            assert_eq!(old_account_no(3, i, "LL01").len(), 10);
        }
    }
}

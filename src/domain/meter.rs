//! Meter assets (计量资产): status changes, asset numbers, CT/PT ratios and the multiplier
//! they give, the verification period, readings and the consumption across a swap (换表).
//!
//! Pure rules: no SQL, no clock. `DOMAIN.md` §4.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use super::validate::fold_digits;

crate::coded_enum! {
    /// Where a meter is in its life. 库存 → 在运 → 拆回 → 待检 → 库存 again or 报废.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum MeterStatus: "表计状态" {
        Stock = "stock" / "库存",
        InService = "service" / "在运",
        Removed = "removed" / "拆回",
        Testing = "testing" / "待检",
        Scrapped = "scrapped" / "报废",
    }
}

impl MeterStatus {
    /// The statuses a meter may go to from this one. A scrapped meter never returns.
    pub fn next(self) -> &'static [MeterStatus] {
        use MeterStatus::*;
        match self {
            // a new meter may be sent for verification before it is ever installed
            Stock => &[InService, Testing, Scrapped],
            InService => &[Removed],
            Removed => &[Testing, Scrapped],
            Testing => &[Stock, Scrapped],
            Scrapped => &[],
        }
    }

    /// Whether a meter may go from this status to `to`.
    pub fn can_go(self, to: MeterStatus) -> bool {
        self.next().contains(&to)
    }

    /// `Ok` when the change is allowed, else what to tell the clerk.
    pub fn check_go(self, to: MeterStatus) -> Result<(), String> {
        if self.can_go(to) {
            return Ok(());
        }
        Err(match self {
            MeterStatus::Scrapped => "已报废的表计不能再使用".to_string(),
            _ => format!("表计现为“{}”，不能改为“{}”", self.label(), to.label()),
        })
    }
}

crate::coded_enum! {
    /// What kind of metering equipment an asset is.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum MeterKind: "表计类型" {
        Single = "single" / "单相表",
        Three = "three" / "三相直通表",
        ThreeCt = "three_ct" / "三相经互感器表",
        CtSet = "ct" / "电流互感器组",
        PtSet = "pt" / "电压互感器组",
    }
}

crate::coded_enum! {
    /// Why a meter was put on an account (换表原因).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum SwapReason: "换表原因" {
        Install = "install" / "新装",
        Rotation = "rotation" / "周期轮换",
        Fault = "fault" / "故障",
        Capacity = "capacity" / "增减容",
        Request = "request" / "客户申请",
    }
}

/// Hundredths of a kWh, as readings are stored.
pub fn to_centi(v: Decimal) -> i64 {
    let c = (v * Decimal::ONE_HUNDRED).round();
    i64::try_from(c.mantissa() / 10i128.pow(c.scale())).unwrap_or(i64::MAX)
}

/// A stored reading back in kWh.
pub fn from_centi(c: i64) -> Decimal {
    Decimal::new(c, 2)
}

impl MeterKind {
    /// Whether the asset is a meter (has a register to read), not a transformer set.
    pub fn is_meter(self) -> bool {
        matches!(
            self,
            MeterKind::Single | MeterKind::Three | MeterKind::ThreeCt
        )
    }
}

crate::coded_enum! {
    /// Accuracy class (准确度等级).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum AccuracyClass: "准确度等级" {
        C2 = "2" / "2级",
        C1 = "1" / "1级",
        C05S = "0.5S" / "0.5S级",
        C02S = "0.2S" / "0.2S级",
    }
}

impl AccuracyClass {
    /// The class as typed (`1`, `2`, `0.5s`, `0.5S级`).
    pub fn parse(input: &str) -> Option<Self> {
        let t = fold_digits(input).trim().to_ascii_uppercase();
        let t = t.trim_end_matches('级').trim();
        AccuracyClass::from_code(t)
    }

    /// Verification period in years (JJG 596-2012: 8 for class 1 and 2, 6 for 0.5S and
    /// 0.2S); both from the settings.
    pub fn valid_years(self, class12: u32, class_s: u32) -> u32 {
        match self {
            AccuracyClass::C1 | AccuracyClass::C2 => class12,
            AccuracyClass::C05S | AccuracyClass::C02S => class_s,
        }
    }
}

/// The day a meter verified on `verified_on` stops being valid by default: the same day
/// `years` later (29 February → 28 February). Stored per meter; batches are extended.
pub fn default_valid_until(verified_on: NaiveDate, years: u32) -> NaiveDate {
    verified_on
        .checked_add_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MAX)
}

/// `valid_until` moved on by `years` for a batch extension.
pub fn extend(valid_until: NaiveDate, years: u32) -> NaiveDate {
    default_valid_until(valid_until, years)
}

/// The asset number as typed or scanned: full-width digits folded, blanks at either end
/// dropped (a scanner's Enter); then 4–32 letters and digits.
pub fn asset_no(input: &str) -> Result<String, String> {
    let t = fold_digits(input);
    let t = t.trim();
    if t.is_empty() {
        return Err("请输入资产编号".into());
    }
    if let Some(bad) = t.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(format!(
            "资产编号只能是字母和数字，不能含“{}”",
            super::validate::shown(&bad.to_string())
        ));
    }
    let n = t.chars().count();
    if !(4..=32).contains(&n) {
        return Err(format!("资产编号应为 4–32 位，现为 {n} 位"));
    }
    Ok(t.to_ascii_uppercase())
}

/// A transformer ratio such as `200/5` (CT) or `10000/100` (PT).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ratio {
    pub primary: u32,
    pub secondary: u32,
}

impl Ratio {
    /// Parses `200/5` (full-width digits and `／` accepted). Empty = no transformer.
    pub fn parse(input: &str) -> Result<Option<Ratio>, String> {
        let t = fold_digits(input).replace('／', "/");
        let t = t.trim();
        if t.is_empty() {
            return Ok(None);
        }
        const FORM: &str = "变比格式如 200/5";
        let (a, b) = t.split_once('/').ok_or(FORM)?;
        let num = |s: &str| {
            s.trim()
                .parse::<u32>()
                .ok()
                .filter(|v| (1..=1_000_000).contains(v))
        };
        match (num(a), num(b)) {
            (Some(primary), Some(secondary)) if primary >= secondary => {
                Ok(Some(Ratio { primary, secondary }))
            }
            (Some(_), Some(_)) => Err("变比的一次值应不小于二次值，如 200/5".into()),
            _ => Err(FORM.into()),
        }
    }

    /// The factor the ratio gives (`200/5` → 40).
    pub fn factor(self) -> Decimal {
        Decimal::from(self.primary) / Decimal::from(self.secondary)
    }
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.primary, self.secondary)
    }
}

/// The multiplier (倍率) the CT and PT ratios give: their factors multiplied, 1 without
/// transformers. It must be a whole number (a reading times it gives kWh).
pub fn multiplier(ct: Option<Ratio>, pt: Option<Ratio>) -> Result<u32, String> {
    let f = ct.map_or(Decimal::ONE, Ratio::factor) * pt.map_or(Decimal::ONE, Ratio::factor);
    if f.fract() != Decimal::ZERO {
        return Err(format!(
            "变比算得的倍率 {} 不是整数，请核对变比",
            f.normalize()
        ));
    }
    u32::try_from(f.trunc().mantissa() / 10i128.pow(f.trunc().scale()))
        .ok()
        .filter(|&m| m >= 1)
        .ok_or_else(|| "倍率超出范围".to_string())
}

/// The multiplier as typed, checked against the ratios: empty takes the ratios' value.
pub fn check_multiplier(typed: &str, ct: Option<Ratio>, pt: Option<Ratio>) -> Result<u32, String> {
    let from_ratios = multiplier(ct, pt)?;
    let t = fold_digits(typed);
    let t = t.trim();
    if t.is_empty() {
        return Ok(from_ratios);
    }
    let m: u32 = t.parse().ok().filter(|&m| m >= 1).ok_or("倍率应为正整数")?;
    if m != from_ratios {
        return Err(format!("倍率 {m} 与变比不符：按变比应为 {from_ratios}"));
    }
    Ok(m)
}

/// A register reading in kWh as typed: 0 or more, at most 2 decimals, and below the
/// register's capacity when its digit count is known (5 digits: below 100000).
pub fn reading(input: &str, digits: Option<u32>) -> Result<Decimal, String> {
    let t = fold_digits(input);
    let t = t.trim();
    if t.is_empty() {
        return Err("请输入示数".into());
    }
    if !t.chars().all(|c| c.is_ascii_digit() || c == '.') || t.starts_with('.') {
        return Err("示数应为数字，如 1350 或 12.5".into());
    }
    let v: Decimal = t
        .parse()
        .map_err(|_| "示数应为数字，如 1350 或 12.5".to_string())?;
    if v.scale() > 2 {
        return Err("示数最多两位小数".into());
    }
    if let Some(cap) = digits.and_then(register_capacity)
        && v >= cap
    {
        return Err(format!("示数超出表计的 {} 位整数", digits.unwrap_or(0)));
    }
    Ok(v)
}

/// 10^digits: the value a register of `digits` integer digits rolls over at.
pub fn register_capacity(digits: u32) -> Option<Decimal> {
    (1..=12)
        .contains(&digits)
        .then(|| Decimal::from(10i64.pow(digits)))
}

/// How far a register moved from `from` to `to`. A lower `to` is a rollover only when the
/// register's digit count is known and a person confirmed it; otherwise it is refused.
pub fn advance(
    from: Decimal,
    to: Decimal,
    digits: Option<u32>,
    rollover_confirmed: bool,
) -> Result<Decimal, AdvanceError> {
    if to >= from {
        return Ok(to - from);
    }
    let cap = digits
        .and_then(register_capacity)
        .ok_or(AdvanceError::BelowLast)?;
    if !rollover_confirmed {
        return Err(AdvanceError::RolloverUnconfirmed {
            advance: cap - from + to,
        });
    }
    Ok(cap - from + to)
}

/// Why a register's advance was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdvanceError {
    /// lower than the last reading and the register's digits unknown
    BelowLast,
    /// lower than the last reading: a rollover, which a person must confirm
    RolloverUnconfirmed { advance: Decimal },
}

impl std::fmt::Display for AdvanceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AdvanceError::BelowLast => f.write_str("示数小于上次示数"),
            AdvanceError::RolloverUnconfirmed { advance } => write!(
                f,
                "示数小于上次示数；如为表计走满归零，请确认（走字 {}）",
                advance.normalize()
            ),
        }
    }
}

/// One register's stretch of a billing period: from `from` to `to`, times `multiplier`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub from: Decimal,
    pub to: Decimal,
    pub multiplier: u32,
    pub digits: Option<u32>,
    pub rollover_confirmed: bool,
}

/// Consumption in kWh over a period with any number of meters in turn (a swap gives two
/// segments: old previous → old final, new initial → new current), each segment counted
/// once with its own multiplier: (old final − old previous) × old multiplier + (new current −
/// new initial) × new multiplier.
pub fn consumption(segments: &[Segment]) -> Result<Decimal, AdvanceError> {
    segments.iter().try_fold(Decimal::ZERO, |sum, s| {
        Ok(sum
            + advance(s.from, s.to, s.digits, s.rollover_confirmed)? * Decimal::from(s.multiplier))
    })
}

crate::coded_enum! {
    /// Metering class of an installation (计量装置分类, DL/T 448-2016), which sets how often it
    /// is checked on site.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum MeteringClass: "计量装置类别" {
        I = "I" / "Ⅰ类",
        II = "II" / "Ⅱ类",
        III = "III" / "Ⅲ类",
        IV = "IV" / "Ⅳ类",
        V = "V" / "Ⅴ类",
    }
}

impl MeteringClass {
    /// The class of an account's installation from its contracted capacity (DL/T 448-2016
    /// §4.1: Ⅰ from 10,000 kVA, Ⅱ from 2,000 kVA, Ⅲ from 315 kVA, Ⅳ below with a three-phase
    /// meter, Ⅴ single-phase).
    pub fn of(kva: Decimal, kind: MeterKind) -> MeteringClass {
        if kva >= Decimal::from(10_000) {
            MeteringClass::I
        } else if kva >= Decimal::from(2_000) {
            MeteringClass::II
        } else if kva >= Decimal::from(315) {
            MeteringClass::III
        } else if kind == MeterKind::Single {
            MeteringClass::V
        } else {
            MeteringClass::IV
        }
    }
}

crate::coded_enum! {
    /// What an on-site check found.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum CheckResult: "检验结论" {
        Ok = "ok" / "合格",
        Tolerance = "tolerance" / "误差超差",
        Fault = "fault" / "故障",
    }
}

/// The day the next on-site check is due: `months` after the last check (or the
/// installation), the same day of the month or the month's last day.
pub fn next_check(last: NaiveDate, months: u32) -> NaiveDate {
    last.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The year a meter valid until `valid_until` (the last day it is valid) must be replaced
/// in: a meter valid until 2027-01-01 is in the 2027 plan, not the 2026 one.
pub fn due_year(valid_until: NaiveDate) -> i32 {
    valid_until.year()
}

/// Whether a meter valid until `valid_until` (its last valid day) is past it on `day`.
pub fn expired(valid_until: NaiveDate, day: NaiveDate) -> bool {
    valid_until < day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn status_changes_follow_the_life_of_a_meter() {
        use MeterStatus::*;
        for (from, to) in [
            (Stock, InService),
            (InService, Removed),
            (Removed, Testing),
            (Testing, Stock),
            (Testing, Scrapped),
            (Removed, Scrapped),
            (Stock, Testing),
        ] {
            assert!(from.can_go(to), "{from:?} → {to:?}");
        }
        for (from, to) in [
            (Stock, Removed),
            (InService, Stock),
            (InService, Scrapped),
            (Removed, InService),
            (Testing, InService),
            (Scrapped, Stock),
            (Scrapped, Testing),
        ] {
            assert!(!from.can_go(to), "{from:?} → {to:?}");
        }
        assert_eq!(
            Scrapped.check_go(Stock).unwrap_err(),
            "已报废的表计不能再使用"
        );
        assert_eq!(
            InService.check_go(Stock).unwrap_err(),
            "表计现为“在运”，不能改为“库存”"
        );
        // nothing goes back to scrapped's successors
        assert!(Scrapped.next().is_empty());
    }

    #[test]
    fn verification_period_by_class_and_batch_extension() {
        assert_eq!(AccuracyClass::C2.valid_years(8, 6), 8);
        assert_eq!(AccuracyClass::C02S.valid_years(8, 6), 6);
        assert_eq!(default_valid_until(d(2018, 3, 15), 8), d(2026, 3, 15));
        assert_eq!(default_valid_until(d(2016, 2, 29), 8), d(2024, 2, 29));
        assert_eq!(default_valid_until(d(2016, 2, 29), 6), d(2022, 2, 28));
        assert_eq!(extend(d(2026, 3, 15), 4), d(2030, 3, 15));
        assert_eq!(AccuracyClass::parse("0.5s"), Some(AccuracyClass::C05S));
        assert_eq!(AccuracyClass::parse("２级"), Some(AccuracyClass::C2));
        assert_eq!(AccuracyClass::parse("3"), None);
    }

    #[test]
    fn the_metering_class_follows_the_capacity_and_sets_the_next_check() {
        let k = |v: i64| Decimal::from(v);
        assert_eq!(
            MeteringClass::of(k(12_000), MeterKind::ThreeCt),
            MeteringClass::I
        );
        assert_eq!(
            MeteringClass::of(k(2_000), MeterKind::ThreeCt),
            MeteringClass::II
        );
        assert_eq!(
            MeteringClass::of(k(315), MeterKind::ThreeCt),
            MeteringClass::III
        );
        assert_eq!(
            MeteringClass::of(k(100), MeterKind::Three),
            MeteringClass::IV
        );
        assert_eq!(MeteringClass::of(k(8), MeterKind::Single), MeteringClass::V);
        assert_eq!(next_check(d(2026, 8, 31), 6), d(2027, 2, 28));
        assert_eq!(next_check(d(2026, 1, 15), 12), d(2027, 1, 15));
    }

    #[test]
    fn a_meter_valid_until_new_year_belongs_to_the_next_plan() {
        assert_eq!(due_year(d(2027, 1, 1)), 2027);
        assert_eq!(due_year(d(2026, 12, 31)), 2026);
        assert!(!expired(d(2026, 3, 15), d(2026, 3, 15)));
        assert!(expired(d(2026, 3, 15), d(2026, 3, 16)));
    }

    #[test]
    fn asset_numbers_from_a_keyboard_or_a_scanner() {
        assert_eq!(asset_no(" 3710001234567\r\n").unwrap(), "3710001234567");
        assert_eq!(asset_no("３７１０ab12").unwrap(), "3710AB12");
        assert_eq!(
            asset_no("3710-0012").unwrap_err(),
            "资产编号只能是字母和数字，不能含“-”"
        );
        assert!(
            asset_no("37\u{1b}[A10")
                .unwrap_err()
                .contains("只能是字母和数字")
        );
        assert_eq!(
            asset_no("371").unwrap_err(),
            "资产编号应为 4–32 位，现为 3 位"
        );
        assert_eq!(asset_no("  ").unwrap_err(), "请输入资产编号");
    }

    #[test]
    fn the_multiplier_is_the_ratios_multiplied() {
        let ct = Ratio::parse("200/5").unwrap();
        let pt = Ratio::parse("10000／100").unwrap();
        assert_eq!(multiplier(None, None).unwrap(), 1);
        assert_eq!(multiplier(ct, None).unwrap(), 40);
        assert_eq!(multiplier(ct, pt).unwrap(), 4000);
        assert_eq!(check_multiplier("", ct, None).unwrap(), 40);
        assert_eq!(check_multiplier("40", ct, None).unwrap(), 40);
        assert_eq!(
            check_multiplier("30", ct, None).unwrap_err(),
            "倍率 30 与变比不符：按变比应为 40"
        );
        assert_eq!(
            multiplier(Ratio::parse("50/3").unwrap(), None).unwrap_err(),
            "变比算得的倍率 16.666666666666666666666666667 不是整数，请核对变比"
        );
        assert_eq!(
            Ratio::parse("5/200").unwrap_err(),
            "变比的一次值应不小于二次值，如 200/5"
        );
        assert_eq!(Ratio::parse("200").unwrap_err(), "变比格式如 200/5");
        assert_eq!(Ratio::parse(" ").unwrap(), None);
    }

    #[test]
    fn readings_are_checked() {
        assert_eq!(reading("1350", None).unwrap(), dec("1350"));
        assert_eq!(reading("１２.５", Some(5)).unwrap(), dec("12.5"));
        assert_eq!(reading("12.555", None).unwrap_err(), "示数最多两位小数");
        assert_eq!(
            reading("1e3", None).unwrap_err(),
            "示数应为数字，如 1350 或 12.5"
        );
        assert_eq!(
            reading("-5", None).unwrap_err(),
            "示数应为数字，如 1350 或 12.5"
        );
        assert_eq!(
            reading("100000", Some(5)).unwrap_err(),
            "示数超出表计的 5 位整数"
        );
        assert_eq!(reading("", None).unwrap_err(), "请输入示数");
    }

    #[test]
    fn consumption_across_a_swap_counts_each_meter_once_with_its_multiplier() {
        // the worked case: old ×1 from 1200 to 1350, new ×40 from 0 to 12.5
        let old = Segment {
            from: dec("1200"),
            to: dec("1350"),
            multiplier: 1,
            digits: Some(5),
            rollover_confirmed: false,
        };
        let new = Segment {
            from: dec("0"),
            to: dec("12.5"),
            multiplier: 40,
            digits: Some(6),
            rollover_confirmed: false,
        };
        assert_eq!(consumption(&[old, new]).unwrap(), dec("650"));
        assert_eq!(consumption(&[old]).unwrap(), dec("150"));
        assert_eq!(consumption(&[]).unwrap(), dec("0"));
    }

    #[test]
    fn a_rollover_counts_only_when_confirmed_and_the_digits_are_known() {
        let seg = |digits, ok| Segment {
            from: dec("99990"),
            to: dec("15"),
            multiplier: 1,
            digits,
            rollover_confirmed: ok,
        };
        assert_eq!(consumption(&[seg(Some(5), true)]).unwrap(), dec("25"));
        assert_eq!(
            consumption(&[seg(Some(5), false)]).unwrap_err(),
            AdvanceError::RolloverUnconfirmed { advance: dec("25") }
        );
        assert_eq!(
            consumption(&[seg(None, true)]).unwrap_err(),
            AdvanceError::BelowLast
        );
        // with a multiplier the rollover's advance is multiplied too
        let mut s = seg(Some(5), true);
        s.multiplier = 40;
        assert_eq!(consumption(&[s]).unwrap(), dec("1000"));
    }
}

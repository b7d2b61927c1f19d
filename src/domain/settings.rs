//! Typed rule settings. The definitions and defaults live in the database (seeded by the
//! migrations, one row per rule number of DOMAIN.md); this module only knows the kinds of
//! value and how to check a value typed by the chief.
use rust_decimal::Decimal;
use std::str::FromStr;

use super::money;

crate::coded_enum! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum SettingKind: "设置类型" {
        /// whole number (days, minutes, kWh …)
        Int = "int" / "整数",
        /// amount in 元, two decimals
        Money = "money" / "金额",
        /// exact decimal (prices per kWh, rates)
        Decimal = "decimal" / "小数",
        /// 是 / 否
        Bool = "bool" / "是否",
        /// free text (paths, printer names)
        Text = "text" / "文字",
        /// one of a fixed list of options
        Choice = "choice" / "选项",
    }
}

/// A setting as the program knows it: definition plus current value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    pub key: String,
    pub group: String,
    pub label: String,
    pub kind: SettingKind,
    /// canonical text of the current value
    pub value: String,
    /// canonical text of the DOMAIN.md default
    pub default_value: String,
    pub unit: String,
    pub min: Option<String>,
    pub max: Option<String>,
    /// for `Choice`: (value, label) pairs
    pub options: Vec<(String, String)>,
    pub help: String,
}

/// Why a setting's value is refused; the text goes next to the value field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    #[error("请输入整数，如 5")]
    NotInt,
    #[error("{0}")]
    Money(&'static str),
    #[error("请输入数字，如 0.5469")]
    NotDecimal,
    #[error("请输入 是 或 否")]
    NotYesNo,
    #[error("内容过长（最多 200 个字）")]
    TooLong,
    /// the option labels, joined with ` / `
    #[error("请选择：{0}")]
    NotAnOption(String),
    /// the bound with its unit (`1 天`)
    #[error("不能小于 {0}")]
    BelowMin(String),
    #[error("不能大于 {0}")]
    AboveMax(String),
    /// a number too large to hold, with the range it must be in
    #[error("超出范围：应在 {0} 到 {1} 之间")]
    OutOfRange(String, String),
    #[error("数字太大")]
    TooLarge,
    /// a stored value that is not canonical (a database edited by hand)
    #[error("设置值“{0}”已损坏")]
    Damaged(String),
    /// two settings that must stay in order: (label, shown value) of each
    #[error("“{}”（{}）应小于“{}”（{}）", .low.0, .low.1, .high.0, .high.1)]
    OutOfOrder {
        low: (String, String),
        high: (String, String),
    },
}

/// A typed value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingValue {
    Int(i64),
    Money(Decimal),
    Decimal(Decimal),
    Bool(bool),
    Text(String),
}

impl Setting {
    /// The current value, typed. Stored values are canonical, so this only fails on a
    /// database edited by hand; the caller reports that as a damaged setting.
    pub fn typed(&self) -> Result<SettingValue, SettingError> {
        parse_canonical(self.kind, &self.value)
    }

    /// The value as shown on screen (是/否, option labels, amounts with 元).
    pub fn display_value(&self) -> String {
        display(self, &self.value)
    }

    pub fn display_default(&self) -> String {
        display(self, &self.default_value)
    }

    /// Check a value typed by the user; returns the canonical text to store,
    /// or why not (shown next to the field).
    pub fn check_input(&self, input: &str) -> Result<String, SettingError> {
        let input = input.trim();
        match self.kind {
            SettingKind::Int => {
                let folded = super::validate::fold_digits(input);
                let folded = folded.trim();
                let digits = folded.strip_prefix('-').unwrap_or(folded);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(SettingError::NotInt);
                }
                // all digits but too long for a number: out of range, not "not a number"
                let v: i64 = folded.parse().map_err(|_| self.out_of_range())?;
                self.check_range(Decimal::from(v))?;
                Ok(v.to_string())
            }
            SettingKind::Money => {
                let v = money::parse_yuan(input).map_err(SettingError::Money)?;
                self.check_range(v)?;
                Ok(money::format_yuan(v))
            }
            SettingKind::Decimal => {
                let v = Decimal::from_str(input).map_err(|_| SettingError::NotDecimal)?;
                self.check_range(v)?;
                Ok(v.normalize().to_string())
            }
            SettingKind::Bool => match input {
                "是" | "1" | "true" | "y" | "Y" | "开" => Ok("1".into()),
                "否" | "0" | "false" | "n" | "N" | "关" => Ok("0".into()),
                _ => Err(SettingError::NotYesNo),
            },
            SettingKind::Text => {
                let text = super::customer_file::clean_text(input);
                let text = text.trim();
                if text.chars().count() > 200 {
                    return Err(SettingError::TooLong);
                }
                Ok(text.to_string())
            }
            SettingKind::Choice => self
                .options
                .iter()
                .find(|(v, l)| v == input || l == input)
                .map(|(v, _)| v.clone())
                .ok_or_else(|| {
                    let labels: Vec<&str> = self.options.iter().map(|(_, l)| l.as_str()).collect();
                    SettingError::NotAnOption(labels.join(" / "))
                }),
        }
    }

    /// A number too large to hold: said as the range it must be in.
    fn out_of_range(&self) -> SettingError {
        let with_unit = |b: &str| format!("{b} {}", self.unit).trim_end().to_string();
        match (&self.min, &self.max) {
            (Some(lo), Some(hi)) => SettingError::OutOfRange(with_unit(lo), with_unit(hi)),
            (_, Some(hi)) => SettingError::AboveMax(with_unit(hi)),
            _ => SettingError::TooLarge,
        }
    }

    fn check_range(&self, v: Decimal) -> Result<(), SettingError> {
        let bound = |b: &Option<String>| b.as_deref().and_then(|s| Decimal::from_str(s).ok());
        let with_unit = |b: Decimal| format!("{b} {}", self.unit).trim_end().to_string();
        if let Some(min) = bound(&self.min)
            && v < min
        {
            return Err(SettingError::BelowMin(with_unit(min)));
        }
        if let Some(max) = bound(&self.max)
            && v > max
        {
            return Err(SettingError::AboveMax(with_unit(max)));
        }
        Ok(())
    }
}

fn parse_canonical(kind: SettingKind, text: &str) -> Result<SettingValue, SettingError> {
    let bad = || SettingError::Damaged(text.to_string());
    Ok(match kind {
        SettingKind::Int => SettingValue::Int(text.parse().map_err(|_| bad())?),
        SettingKind::Money => SettingValue::Money(Decimal::from_str(text).map_err(|_| bad())?),
        SettingKind::Decimal => SettingValue::Decimal(Decimal::from_str(text).map_err(|_| bad())?),
        SettingKind::Bool => match text {
            "1" => SettingValue::Bool(true),
            "0" => SettingValue::Bool(false),
            _ => return Err(bad()),
        },
        SettingKind::Text | SettingKind::Choice => SettingValue::Text(text.to_string()),
    })
}

fn display(s: &Setting, value: &str) -> String {
    match s.kind {
        SettingKind::Bool => if value == "1" { "是" } else { "否" }.to_string(),
        SettingKind::Choice => s
            .options
            .iter()
            .find(|(v, _)| v == value)
            .map(|(_, l)| l.clone())
            .unwrap_or_else(|| value.to_string()),
        SettingKind::Text if value.is_empty() => "（未设）".to_string(),
        _ if s.unit.is_empty() => value.to_string(),
        _ => format!("{value} {}", s.unit),
    }
}

/// Pairs of settings where the first must stay below the second.
const ORDERED_PAIRS: &[(&str, &str)] = &[
    ("tariff.tier1_limit_kwh", "tariff.tier2_limit_kwh"),
    (
        "deadline.warn_first_percent",
        "deadline.warn_second_percent",
    ),
    ("repair.arrive_urban_minutes", "repair.arrive_rural_minutes"),
    (
        "repair.arrive_rural_minutes",
        "repair.arrive_remote_minutes",
    ),
];

/// Check the rules that tie settings together; the message names both settings.
pub fn cross_check(all: &[Setting]) -> Result<(), SettingError> {
    let find = |k: &str| all.iter().find(|s| s.key == k);
    for (lo, hi) in ORDERED_PAIRS {
        if let (Some(a), Some(b)) = (find(lo), find(hi))
            && let (Ok(x), Ok(y)) = (Decimal::from_str(&a.value), Decimal::from_str(&b.value))
            && x >= y
        {
            return Err(SettingError::OutOfOrder {
                low: (a.label.clone(), a.display_value()),
                high: (b.label.clone(), b.display_value()),
            });
        }
    }
    Ok(())
}

/// Parse the options column: `value:label|value:label`.
pub fn parse_options(text: &str) -> Vec<(String, String)> {
    text.split('|')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once(':') {
            Some((v, l)) => (v.to_string(), l.to_string()),
            None => (p.to_string(), p.to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(kind: SettingKind, min: Option<&str>, max: Option<&str>) -> Setting {
        Setting {
            key: "k".into(),
            group: "g".into(),
            label: "l".into(),
            kind,
            value: "5".into(),
            default_value: "5".into(),
            unit: "天".into(),
            min: min.map(Into::into),
            max: max.map(Into::into),
            options: parse_options("a4:A4 纸|roll80:80 毫米卷纸"),
            help: String::new(),
        }
    }

    #[test]
    fn int_values_are_checked_against_their_range() {
        let s = setting(SettingKind::Int, Some("1"), Some("60"));
        assert_eq!(s.check_input(" 7 ").unwrap(), "7");
        assert_eq!(s.check_input("0").unwrap_err().to_string(), "不能小于 1 天");
        assert_eq!(
            s.check_input("61").unwrap_err().to_string(),
            "不能大于 60 天"
        );
        assert_eq!(s.check_input("五").unwrap_err(), SettingError::NotInt);
        assert_eq!(SettingError::NotInt.to_string(), "请输入整数，如 5");
        // issue 18: full-width digits are digits; a number too long names the range
        assert_eq!(s.check_input("７").unwrap(), "7");
        assert_eq!(
            s.check_input("99999999999999999999")
                .unwrap_err()
                .to_string(),
            "超出范围：应在 1 天 到 60 天 之间"
        );
        assert_eq!(
            SettingError::OutOfRange("1 天".into(), "30 天".into()).to_string(),
            "超出范围：应在 1 天 到 30 天 之间"
        );
        assert_eq!(s.typed().unwrap(), SettingValue::Int(5));
    }

    #[test]
    fn money_and_decimal_are_canonical() {
        let s = setting(SettingKind::Money, Some("0"), None);
        assert_eq!(s.check_input("1").unwrap(), "1.00");
        assert!(s.check_input("-1").is_err());
        let s = setting(SettingKind::Decimal, None, None);
        assert_eq!(s.check_input("0.54690").unwrap(), "0.5469");
        assert!(s.check_input("x").is_err());
    }

    #[test]
    fn bool_and_choice() {
        let s = setting(SettingKind::Bool, None, None);
        assert_eq!(s.check_input("是").unwrap(), "1");
        assert_eq!(s.check_input("否").unwrap(), "0");
        assert!(s.check_input("maybe").is_err());
        let s = setting(SettingKind::Choice, None, None);
        assert_eq!(s.check_input("80 毫米卷纸").unwrap(), "roll80");
        assert_eq!(s.check_input("a4").unwrap(), "a4");
        assert_eq!(
            s.check_input("A3").unwrap_err().to_string(),
            "请选择：A4 纸 / 80 毫米卷纸"
        );
    }
}

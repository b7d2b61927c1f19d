//! Checking a customer file as typed at the counter (客户档案). A file may be created with
//! items missing (一证受理: the ID card alone is enough); it is then marked incomplete and
//! the missing items are listed for the responsible person.
use crate::domain::validate::FieldError;
use rust_decimal::Decimal;
use std::str::FromStr;

use super::customer::{CustomerKind, UsageCategory};
use super::idcheck;
use super::validate;

/// Supply voltages offered at the counter.
pub const VOLTAGES: [&str; 4] = ["0.22kV", "0.4kV", "10kV", "35kV"];

/// What the clerk typed (all text, as in the form).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerDraft {
    pub name: String,
    pub kind: Option<CustomerKind>,
    /// resident ID number (person) or unified social credit code (organisation)
    pub id_number: String,
    pub phone: String,
    pub address: String,
    pub usage: Option<UsageCategory>,
    /// code of the 台区 (e.g. `TQ001`); empty = not yet known
    pub area_code: String,
    pub supply_voltage: String,
    /// contracted capacity in kVA
    pub contracted_kva: String,
    pub notes: String,
}

/// A draft that passed the checks: cleaned values, and the items still missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedCustomer {
    pub name: String,
    pub kind: CustomerKind,
    pub id_number: String,
    pub phone: String,
    pub address: String,
    pub usage: UsageCategory,
    pub area_code: String,
    pub supply_voltage: String,
    /// exact decimal text, e.g. "6" or "12.5"
    pub contracted_kva: String,
    pub notes: String,
    /// Chinese names of required items not yet supplied (empty = complete)
    pub missing: Vec<&'static str>,
}

/// Remove control characters and terminal escape sequences from pasted text, so nothing
/// stored can move the cursor or change colours when drawn; tabs and line breaks become
/// spaces.
pub fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                // CSI: ESC [ params final-byte(@..~); other ESC x: drop the next char too
                if chars.peek() == Some(&'[') {
                    chars.next();
                    for d in chars.by_ref() {
                        if ('@'..='~').contains(&d) {
                            break;
                        }
                    }
                } else {
                    chars.next();
                }
            }
            '\t' | '\n' | '\r' => out.push(' '),
            // controls, and invisible format characters (bidi overrides, zero-width) that
            // would make a stored name read differently from what it is
            c if c.is_control() || crate::domain::validate::is_format_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn err(field: &'static str, msg: impl std::fmt::Display) -> FieldError {
    FieldError::new(field, msg)
}

impl CustomerDraft {
    /// Check every field; the first problem comes back as (field, Chinese message).
    pub fn check(&self) -> Result<CheckedCustomer, FieldError> {
        let name =
            validate::name(&clean_text(&self.name), "户名", 40).map_err(|m| err("name", m))?;
        let kind = self
            .kind
            .ok_or_else(|| err("kind", "请选择客户类型：个人 或 单位"))?;
        let usage = self.usage.ok_or_else(|| err("usage", "请选择用电类别"))?;
        let mut missing = Vec::new();

        let id_number = idcheck::normalize_code(&clean_text(&self.id_number));
        if id_number.is_empty() {
            missing.push(match kind {
                CustomerKind::Person => "身份证号码",
                CustomerKind::Organisation => "统一社会信用代码",
            });
        } else {
            match kind {
                CustomerKind::Person => idcheck::check_id_card(&id_number),
                CustomerKind::Organisation => idcheck::check_uscc(&id_number),
            }
            .map_err(|m| err("id_number", m))?;
        }

        let phone: String = clean_text(&self.phone)
            .chars()
            .filter(|c| *c != ' ')
            .collect();
        if phone.is_empty() {
            missing.push("联系电话");
        } else {
            idcheck::check_phone(&phone).map_err(|m| err("phone", m))?;
        }

        let address = clean_text(&self.address).trim().to_string();
        if address.is_empty() {
            missing.push("用电地址");
        } else if address.chars().count() > 100 {
            return Err(err("address", "地址过长（最多 100 个字）"));
        }

        let area_code = clean_text(&self.area_code).trim().to_ascii_uppercase();
        if area_code.is_empty() {
            missing.push("所属台区");
        }

        let voltage = self.supply_voltage.trim();
        let supply_voltage = if voltage.is_empty() {
            if usage == UsageCategory::Industrial {
                "10kV"
            } else {
                "0.22kV"
            }
            .to_string()
        } else {
            VOLTAGES
                .iter()
                .find(|v| v.eq_ignore_ascii_case(voltage))
                .map(|v| v.to_string())
                .ok_or_else(|| {
                    err(
                        "supply_voltage",
                        format!("供电电压应为 {}", VOLTAGES.join(" / ")),
                    )
                })?
        };

        let kva_text = super::validate::fold_digits(&self.contracted_kva);
        let kva_text = kva_text.trim();
        let contracted_kva = if kva_text.is_empty() {
            missing.push("合同容量");
            "0".to_string()
        } else {
            let v = Decimal::from_str(kva_text)
                .map_err(|_| err("contracted_kva", "容量应为数字，如 6 或 12.5"))?;
            if v <= Decimal::ZERO || v > Decimal::from(100_000) {
                return Err(err("contracted_kva", "容量应大于 0、不超过 100000 kVA"));
            }
            v.normalize().to_string()
        };

        let notes = clean_text(&self.notes).trim().to_string();
        if notes.chars().count() > 200 {
            return Err(err("notes", "备注过长（最多 200 个字）"));
        }
        Ok(CheckedCustomer {
            name,
            kind,
            id_number,
            phone,
            address,
            usage,
            area_code,
            supply_voltage,
            contracted_kva,
            notes,
            missing,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn stored_text_loses_bidi_overrides_and_zero_width_characters() {
        assert_eq!(
            super::clean_text("王\u{202E}五\u{200B}\u{2066}六\u{FEFF}"),
            "王五六"
        );
        assert_eq!(
            super::clean_text("𠮷䶮 ＡＢＣ１２３ 😀"),
            "𠮷䶮 ＡＢＣ１２３ 😀"
        );
        assert_eq!(super::clean_text("a\u{1b}]52;c;x\u{7}b"), "a52;c;xb");
    }

    use super::*;

    fn draft() -> CustomerDraft {
        CustomerDraft {
            name: "张三".into(),
            kind: Some(CustomerKind::Person),
            id_number: "11010519491231002x".into(),
            phone: "138 0000 1234".into(),
            address: "柳林镇王庄村3组8号".into(),
            usage: Some(UsageCategory::Residential),
            area_code: "TQ001".into(),
            supply_voltage: String::new(),
            contracted_kva: "6".into(),
            notes: String::new(),
        }
    }

    #[test]
    fn a_complete_file_is_cleaned_and_complete() {
        let c = draft().check().unwrap();
        assert_eq!(c.phone, "13800001234", "spaces dropped");
        assert_eq!(c.id_number, "11010519491231002X");
        assert_eq!(c.supply_voltage, "0.22kV");
        assert!(c.missing.is_empty());
    }

    #[test]
    fn only_the_id_card_is_enough_but_the_rest_is_listed_as_missing() {
        let d = CustomerDraft {
            name: "李四".into(),
            kind: Some(CustomerKind::Person),
            id_number: "11010519491231002X".into(),
            usage: Some(UsageCategory::Residential),
            ..Default::default()
        };
        let c = d.check().unwrap();
        assert_eq!(
            c.missing,
            vec!["联系电话", "用电地址", "所属台区", "合同容量"]
        );
    }

    #[test]
    fn bad_fields_name_their_field() {
        let mut d = draft();
        d.phone = "13800001234".into();
        d.id_number = "110105194912310021".into();
        assert_eq!(d.check().unwrap_err().field, "id_number");
        let mut d2 = draft();
        d2.phone = "12345".into();
        assert_eq!(d2.check().unwrap_err().field, "phone");
        let mut d3 = draft();
        d3.phone = "13800001234".into();
        d3.contracted_kva = "六".into();
        assert_eq!(d3.check().unwrap_err().field, "contracted_kva");
        let mut d4 = draft();
        d4.name = "  ".into();
        assert_eq!(d4.check().unwrap_err().field, "name");
        let mut d5 = draft();
        d5.kind = Some(CustomerKind::Organisation);
        assert_eq!(
            d5.check().unwrap_err().field,
            "id_number",
            "a person's ID is not a credit code"
        );
    }

    #[test]
    fn pasted_escape_sequences_are_removed() {
        assert_eq!(clean_text("张\u{1b}[31m三\u{1b}[0m"), "张三");
        assert_eq!(clean_text("a\tb\nc\u{7}"), "a b c");
        assert_eq!(clean_text("\u{1b}]x"), "x");
    }
}

//! 人民币大写: amounts in capital Chinese numerals, written by the People's Bank rules for
//! filling in bills and settlement documents (《支付结算办法》附件《正确填写票据和结算凭证的基本规定》).
//!
//! Choices where the rules allow more than one form (all permitted by the rules):
//! - A 零 is always written where the rules say it "may" be written: for a 0 in the 万 or 元
//!   place followed by non-zero digits (107000.53 → 壹拾万零柒仟元零伍角叁分), for a 0 元 digit
//!   before a non-zero 角 (1680.32 → 壹仟陆佰捌拾元零叁角贰分) and for a 0 角 before a non-zero
//!   分 (10.05 → 壹拾元零伍分). A run of zeros is written as one 零 (1005 → 壹仟零伍).
//! - An amount ending at 元 or at 角 ends with 整 (12.30 → 壹拾贰元叁角整); the rules make 整
//!   after 角 optional and common practice writes it. An amount with 分 never ends with 整.
//! - 10 to 19 always carry the 壹: 壹拾陆元整, as the rules require on bills.
//! - Below 1 元 there is no 元 part (0.50 → 伍角整, 0.05 → 伍分); zero is 零元整.
//! - Negative amounts (a reversal, 红冲) start with 负. The caller prints the 人民币 prefix.

use rust_decimal::Decimal;

use super::money::{round_fen, to_fen};

/// Digits 0–9 in capitals.
const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
/// Units within a group of four digits: ones, 拾, 佰, 仟.
const SMALL_UNITS: [&str; 4] = ["", "拾", "佰", "仟"];
/// Group units: ones, 万, 亿.
const GROUP_UNITS: [&str; 3] = ["", "万", "亿"];

/// Every character [`capital_amount`] may produce.
pub const CAPITAL_CHARS: &str = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整负";

/// Amounts from 1 万亿 元 up are refused (no 兆 on bills).
const LIMIT_FEN: i64 = 100_000_000_000_000;

/// Why an amount cannot be written in capitals.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CapitalError {
    /// The amount (after rounding to the 分) is 1 万亿 元 or more in absolute value.
    #[error("金额过大，无法写成大写（须小于 1 万亿元）")]
    TooLarge,
}

/// The amount in 元 written in capitals, without the leading 人民币: rounded half-up to the
/// 分 first; `1005.00` → `壹仟零伍元整`, `10.05` → `壹拾元零伍分`, `-3.20` → `负叁元贰角整`.
pub fn capital_amount(amount: Decimal) -> Result<String, CapitalError> {
    let rounded = round_fen(amount);
    let limit = Decimal::new(LIMIT_FEN, 2);
    if rounded.abs() >= limit {
        return Err(CapitalError::TooLarge);
    }
    let fen = to_fen(rounded).ok_or(CapitalError::TooLarge)?;
    let mut out = String::new();
    if fen < 0 {
        out.push('负');
    }
    let fen = fen.unsigned_abs();
    let yuan = fen / 100;
    let jiao = (fen / 10 % 10) as usize;
    let fen_digit = (fen % 10) as usize;

    if yuan > 0 {
        write_integer(yuan, &mut out);
        out.push('元');
    }
    let units_digit_zero = yuan % 10 == 0;
    if jiao > 0 {
        // 1680.32: the 元 digit is 0 → 元零叁角
        if yuan > 0 && units_digit_zero {
            out.push('零');
        }
        out.push(DIGITS[jiao]);
        out.push('角');
    }
    if fen_digit > 0 {
        // 10.05: the 角 is 0 → 元零伍分 (also 10.05 with a 0 元 digit: one 零 only)
        if yuan > 0 && jiao == 0 {
            out.push('零');
        }
        out.push(DIGITS[fen_digit]);
        out.push('分');
    } else if yuan == 0 && jiao == 0 {
        out.push_str("零元整");
    } else {
        out.push('整');
    }
    Ok(out)
}

/// Writes `n` (1 ≤ n < 10^12) in capitals: groups of four digits with 万 and 亿, runs of
/// zeros (also across group boundaries) as one 零, no trailing 零.
fn write_integer(n: u64, out: &mut String) {
    let mut zero_pending = false;
    let mut started = false;
    for group in (0..3).rev() {
        let value = n / 10u64.pow(4 * group as u32) % 10_000;
        for pos in (0..4).rev() {
            let d = (value / 10u64.pow(pos as u32) % 10) as usize;
            if d == 0 {
                zero_pending |= started;
                continue;
            }
            if zero_pending {
                out.push('零');
                zero_pending = false;
            }
            out.push(DIGITS[d]);
            out.push_str(SMALL_UNITS[pos]);
            started = true;
        }
        if value > 0 {
            out.push_str(GROUP_UNITS[group]);
        }
    }
}

#[cfg(test)]
#[path = "capital_tests.rs"]
mod tests;

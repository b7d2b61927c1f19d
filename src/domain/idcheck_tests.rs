//! Tests of the ID number, credit code and phone checks.
use super::*;
use proptest::prelude::*;

#[test]
fn published_id_numbers() {
    // the sample of GB 11643-1999 and a widely published example
    assert_eq!(check_id_card("11010519491231002X"), Ok(()));
    assert_eq!(check_id_card("11010519491231002x"), Ok(()));
    // the standard's other sample is born in 1880: its check character is right, but no
    // customer is born before 1900
    assert_eq!(id_card_check_char("44052418800101001"), Some('4'));
    assert_eq!(
        check_id_card("440524188001010014"),
        Err("身份证号码出生日期不对")
    );
    assert_eq!(id_card_check_char("11010519491231002"), Some('X'));
    assert_eq!(id_card_check_char("37152519850615003"), Some('7'));
    assert_eq!(
        id_card_birth_date("11010519491231002X"),
        Some((1949, 12, 31))
    );
    assert_eq!(id_card_is_male("11010519491231002X"), Some(false));
    assert_eq!(id_card_is_male("371525198506150037"), Some(true));
}

#[test]
fn id_number_errors() {
    assert_eq!(check_id_card(""), Err("身份证号码为空"));
    assert_eq!(
        check_id_card("110105491231002"),
        Err("身份证号码长度应为18位")
    );
    assert_eq!(
        check_id_card("11010519491231002X1"),
        Err("身份证号码长度应为18位")
    );
    assert_eq!(
        check_id_card("1101051949123100２X"),
        Err("身份证号码只能包含数字和X")
    );
    assert_eq!(
        check_id_card("1101051949123A002X"),
        Err("身份证号码前17位应为数字")
    );
    assert_eq!(
        check_id_card("11010519491231002Y"),
        Err("身份证号码最后一位应为数字或X")
    );
    assert_eq!(
        check_id_card("99010519491231002X"),
        Err("身份证号码地区码不对")
    );
    assert_eq!(
        check_id_card("110105194913310021"),
        Err("身份证号码出生日期不对")
    );
    assert_eq!(
        check_id_card("110105190002290021"),
        Err("身份证号码出生日期不对")
    );
    assert_eq!(
        check_id_card("110105194912310021"),
        Err("身份证号码校验码不对")
    );
    assert_eq!(id_card_check_char("1101051949123100"), None);
    assert_eq!(id_card_check_char("1101051949123100X"), None);
}

#[test]
fn birth_dates() {
    assert_eq!(
        id_card_birth_date("371525200002290000"),
        Some((2000, 2, 29))
    );
    assert_eq!(id_card_birth_date("371525190002290000"), None); // 1900 is no leap year
    assert_eq!(id_card_birth_date("371525198004310000"), None);
    assert_eq!(id_card_birth_date("371525"), None);
}

#[test]
fn published_credit_codes() {
    for code in [
        "91350100M000100Y43",
        "91110000600037341L",
        "91110108551385082Q",
        "9144030071526726XG",
        "9144030071526726xg",
    ] {
        assert_eq!(check_uscc(code), Ok(()), "{code}");
    }
    assert_eq!(uscc_check_char("91350100M000100Y4"), Some('3'));
    assert_eq!(org_code_check_char("71526726"), Some('X'));
    assert_eq!(org_code_check_char("55138508"), Some('2'));
    assert_eq!(org_code_check_char("M000100Y"), Some('4'));
}

#[test]
fn credit_code_errors() {
    assert_eq!(check_uscc(""), Err("统一社会信用代码为空"));
    assert_eq!(
        check_uscc("91350100M000100Y4"),
        Err("统一社会信用代码长度应为18位")
    );
    assert!(check_uscc("91350100M000100I43").is_err()); // I is not used
    assert!(check_uscc("9135010０M000100Y43").is_err());
    assert_eq!(
        check_uscc("913501A0M000100Y43"),
        Err("统一社会信用代码第3–8位（行政区划码）应为数字")
    );
    assert_eq!(
        check_uscc("91350100M000100Y44"),
        Err("统一社会信用代码校验码不对")
    );
    assert_eq!(uscc_check_char("91350100M000100O4"), None);
}

#[test]
fn phones() {
    for ok in [
        "13812345678",
        "19912345678",
        "0531-12345678",
        "053112345678",
        "05311234567",
        "0635-5123456",
        "010-12345678",
        "01012345678",
        "0531-12345678-802",
        "5123456",
        "88123456",
    ] {
        assert_eq!(check_phone(ok), Ok(()), "{ok}");
    }
    assert_eq!(check_phone(""), Err("电话号码为空"));
    assert_eq!(check_phone("1381234567"), Err("手机号码应为11位"));
    assert_eq!(check_phone("12812345678"), Err("手机号码第2位应为3–9"));
    assert_eq!(
        check_phone("138 1234 5678"),
        Err("电话号码只能包含数字和“-”")
    );
    assert_eq!(check_phone("0531--1234567"), Err("电话号码中的“-”位置不对"));
    assert_eq!(check_phone("-5123456"), Err("电话号码中的“-”位置不对"));
    assert_eq!(check_phone("00531-1234567"), Err("电话区号不对"));
    assert_eq!(check_phone("531-1234567"), Err("电话区号不对"));
    assert_eq!(check_phone("0531-123456"), Err("固定电话号码应为7或8位"));
    assert_eq!(check_phone("0531-01234567"), Err("固定电话号码不能以0开头"));
    assert_eq!(check_phone("0531-12345678-1234567"), Err("分机号太长"));
}

#[test]
fn masks() {
    assert_eq!(mask_id("370105194912310021"), "3701**********0021");
    assert_eq!(mask_id("91350100M000100Y43"), "9135**********0Y43");
    assert_eq!(mask_id("12345"), "****5");
    assert_eq!(mask_id("ab"), "**");
    assert_eq!(mask_id(""), "");
    assert_eq!(mask_phone("13812345678"), "138****5678");
    assert_eq!(mask_phone("0635-5123456"), "0635-***3456");
    assert_eq!(mask_phone("06355123456"), "0635***3456");
    assert_eq!(mask_phone("010-12345678"), "010-****5678");
    assert_eq!(mask_phone("5123456"), "***3456");
    assert_eq!(mask_phone("123"), "***");
}

#[test]
fn normalizing() {
    assert_eq!(normalize_code(" 11010519491231002x "), "11010519491231002X");
    assert_eq!(
        normalize_code("９１３５ 0100m000100y43"),
        "91350100M000100Y43"
    );
}

fn digit_replaced(s: &str, pos: usize, digit: u8) -> String {
    let mut bytes = s.as_bytes().to_vec();
    bytes[pos] = b'0' + digit;
    String::from_utf8(bytes).unwrap()
}

proptest! {
    #[test]
    fn generated_id_numbers_validate(
        province in proptest::sample::select(PROVINCES.to_vec()),
        area in 0u32..10_000,
        year in 1900u16..2100,
        month in 1u8..=12,
        day in 1u8..=28,
        seq in 0u16..1000,
        pos in 0usize..17,
        delta in 1u8..10,
    ) {
        let first17 = format!("{province:02}{area:04}{year:04}{month:02}{day:02}{seq:03}");
        let check = id_card_check_char(&first17).unwrap();
        let id = format!("{first17}{check}");
        prop_assert_eq!(check_id_card(&id), Ok(()));
        // changing any one of the 17 digits changes the check character (weights are
        // invertible mod 11), so the number no longer validates
        let old = id.as_bytes()[pos] - b'0';
        let changed = digit_replaced(&id, pos, (old + delta) % 10);
        prop_assert!(check_id_card(&changed).is_err(), "{}", changed);
    }

    #[test]
    fn generated_credit_codes_validate(
        body in "[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{9}",
        pos in 0usize..17,
        delta in 1u32..31,
    ) {
        let check = uscc_check_char(&body).unwrap();
        let code = format!("{body}{check}");
        prop_assert_eq!(check_uscc(&code), Ok(()));
        let mut chars: Vec<char> = code.chars().collect();
        let old = uscc_value(chars[pos]).unwrap();
        chars[pos] = USCC_ALPHABET.chars().nth(((old + delta) % 31) as usize).unwrap();
        let changed: String = chars.into_iter().collect();
        prop_assert!(check_uscc(&changed).is_err(), "{}", changed);
    }

    #[test]
    fn masks_keep_the_length(s in "\\PC{0,20}") {
        prop_assert_eq!(mask_id(&s).chars().count(), s.chars().count());
        prop_assert_eq!(mask_phone(&s).chars().count(), s.chars().count());
    }

    #[test]
    fn check_phone_never_panics(s in "[0-9-]{0,16}|\\PC{0,8}") {
        let _ = check_phone(&s);
    }
}

use std::collections::HashSet;

use super::*;
use crate::domain::customer::{CustomerKind, UsageCategory};
use crate::domain::idcheck::{check_id_card, check_phone, check_uscc, id_card_birth_date};
use crate::domain::pinyin::initials;

#[test]
fn same_seed_same_data() {
    assert_eq!(plan(7, 500, "LL01"), plan(7, 500, "LL01"));
    assert_ne!(
        plan(7, 500, "LL01").customers,
        plan(8, 500, "LL01").customers
    );
    // a batch later in the stream is the same as in the whole stream
    let areas = areas(7);
    let whole: Vec<_> = customers(7, 300, &areas, "LL01").collect();
    let mut stream = customers(7, 300, &areas, "LL01");
    let first = stream.next_batch(100);
    let rest = stream.nth(99);
    assert_eq!(first[..], whole[..100]);
    assert_eq!(rest.as_ref(), whole.get(199));
    assert_eq!(stream.len(), 100);
}

#[test]
fn account_numbers_are_unique_for_20000_customers() {
    let plan = plan(20261124, 20_000, "LL01");
    let mut accounts = HashSet::new();
    let mut olds = HashSet::new();
    let mut with_old = 0;
    for c in &plan.customers {
        assert_eq!(c.account_no.len(), 13, "{}", c.account_no);
        assert!(c.account_no.bytes().all(|b| b.is_ascii_digit()));
        assert!(c.account_no.starts_with(ACCOUNT_PROVINCE_PREFIX));
        assert!(accounts.insert(c.account_no.clone()), "{}", c.account_no);
        if let Some(old) = &c.old_account_no {
            assert_eq!(old.len(), 10);
            assert!(c.account_no.ends_with(old.as_str()));
            assert!(olds.insert(old.clone()));
            with_old += 1;
        }
    }
    assert!((13_000..15_000).contains(&with_old), "{with_old}");
}

#[test]
fn all_id_numbers_credit_codes_and_phones_validate() {
    let plan = plan(3, 20_000, "LL01");
    let mut ids = HashSet::new();
    let (mut orgs, mut incomplete, mut empty_phones) = (0, 0, 0);
    let mut usages = HashSet::new();
    for c in &plan.customers {
        match c.kind {
            CustomerKind::Person => {
                assert_eq!(check_id_card(&c.id_number), Ok(()), "{}", c.id_number);
                let (year, _, _) = id_card_birth_date(&c.id_number).unwrap_or_default();
                assert!((1935..=2005).contains(&year), "{}", c.id_number);
                assert_eq!(c.usage, UsageCategory::Residential);
                assert_eq!(c.supply_voltage, "0.22kV");
                assert!(["4", "5", "6", "8"].contains(&c.contracted_kva.as_str()));
            }
            CustomerKind::Organisation => {
                assert_eq!(check_uscc(&c.id_number), Ok(()), "{}", c.id_number);
                assert_ne!(c.usage, UsageCategory::Residential);
                orgs += 1;
            }
        }
        assert!(ids.insert(c.id_number.clone()), "duplicate {}", c.id_number);
        if c.phone.is_empty() {
            empty_phones += 1;
        } else {
            assert_eq!(check_phone(&c.phone), Ok(()), "{}", c.phone);
        }
        assert!(c.address.starts_with(TOWN), "{}", c.address);
        assert!(plan.areas.iter().any(|a| a.code == c.area_code));
        incomplete += usize::from(c.docs_incomplete);
        usages.insert(c.usage.code());
    }
    assert!((1_300..1_900).contains(&orgs), "{orgs} organisations");
    assert!((400..800).contains(&incomplete), "{incomplete}");
    assert!((600..2_500).contains(&empty_phones), "{empty_phones}");
    assert_eq!(usages.len(), 4);
}

#[test]
fn names_are_two_to_four_characters_with_some_rare_ones() {
    let plan = plan(5, 3000, "LL01");
    for c in plan
        .customers
        .iter()
        .filter(|c| c.kind == CustomerKind::Person)
    {
        assert!((2..=4).contains(&c.name.chars().count()), "{}", c.name);
        assert!(!initials(&c.name).is_empty(), "{}", c.name);
    }
    let has = |f: &dyn Fn(&str) -> bool| plan.customers.iter().any(|c| f(&c.name));
    assert!(has(&|n| n.contains(FONT_MISSING_CHAR)));
    assert!(has(&|n| n.starts_with('单') && initials(n).starts_with('s')));
    assert!(has(&|n| n.starts_with("欧阳")));
    assert!(has(&|n| n.contains('喆')));
    assert!(has(&|n| n == "柳林镇人民政府"));
    assert!(
        plan.customers
            .iter()
            .any(|c| c.usage == UsageCategory::Industrial && c.supply_voltage == "10kV")
    );
}

#[test]
fn staff_cover_every_role() {
    let staff = staff();
    for role in Role::ALL {
        assert!(staff.iter().any(|s| s.role == role), "{role}");
    }
    let admins: Vec<_> = staff.iter().filter(|s| s.is_admin).collect();
    assert_eq!(admins.len(), 1);
    assert_eq!(admins[0].username, "suozhang");
    assert!(staff.iter().all(|s| s.password == DEMO_PASSWORD));
    assert!(staff.iter().all(|s| check_phone(&s.phone).is_ok()));
    let names: HashSet<_> = staff.iter().map(|s| s.username.as_str()).collect();
    assert_eq!(names.len(), staff.len());
    for a in areas(1) {
        let manager = a.manager_username.unwrap_or_default();
        assert!(
            staff
                .iter()
                .any(|s| s.username == manager && s.role == Role::AreaManager)
        );
    }
}

#[test]
fn empty_area_list_falls_back_to_the_seed_areas() {
    let own = areas(9);
    let a: Vec<_> = customers(9, 50, &[], "X").collect();
    let b: Vec<_> = customers(9, 50, &own, "X").collect();
    assert_eq!(a, b);
}

#[test]
fn hundred_thousand_customers_are_quick() {
    let start = std::time::Instant::now();
    let n = customers(1, 100_000, &areas(1), "LL01").count();
    assert_eq!(n, 100_000);
    // well under 1 s in release; a debug build is allowed much more
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

//! Settings: defaults from DOMAIN.md, typed edits by the chief, every change audited.
use crate::common;

use stationdesk::domain::settings::SettingValue;
use stationdesk::service::ServiceError;

#[test]
fn defaults_are_the_numbers_of_domain_md() {
    let (e, _) = common::with_station();
    let int = |k: &str| match e.svc.setting(k).unwrap().typed().unwrap() {
        SettingValue::Int(v) => v,
        other => panic!("{k}: {other:?}"),
    };
    assert_eq!(int("security.max_failed_logins"), 5);
    assert_eq!(int("security.lockout_minutes"), 5);
    assert_eq!(int("security.idle_lock_minutes"), 10);
    assert_eq!(int("deadline.lv_residential_days"), 5);
    assert_eq!(int("deadline.lv_nonresidential_days"), 6);
    assert_eq!(int("deadline.hv_single_days"), 22);
    assert_eq!(int("deadline.hv_dual_days"), 32);
    assert_eq!(int("tariff.tier1_limit_kwh"), 2520);
    assert_eq!(int("tariff.tier2_limit_kwh"), 4800);
    assert_eq!(int("meter.verify_years_class12"), 8);
    assert_eq!(int("order.no_contact_days"), 10);
    assert_eq!(int("repair.arrive_rural_minutes"), 90);
    let dec = |k: &str| e.svc.setting(k).unwrap().value;
    assert_eq!(dec("tariff.tier1_price"), "0.5469");
    assert_eq!(dec("tariff.tier3_price"), "0.8469");
    assert_eq!(dec("penalty.residential_permille"), "1");
    assert_eq!(dec("penalty.other_prior_permille"), "3");
    assert_eq!(dec("penalty.min_charge"), "1.00");
    assert_eq!(
        e.svc
            .setting("penalty.min_charge_enabled")
            .unwrap()
            .typed()
            .unwrap(),
        SettingValue::Bool(true)
    );
    for s in e.svc.settings().unwrap() {
        assert_eq!(s.value, s.default_value, "{} starts at its default", s.key);
        assert!(s.typed().is_ok(), "{} parses", s.key);
        assert!(
            s.check_input(&s.default_value).is_ok(),
            "{} default is valid input",
            s.key
        );
    }
}

#[test]
fn the_chief_edits_and_every_change_is_audited_with_old_new_and_who() {
    let (mut e, chief) = common::with_station();
    let s = e
        .svc
        .update_setting(&chief, "penalty.min_charge", "1.5")
        .unwrap();
    assert_eq!(s.value, "1.50");
    assert_eq!(s.display_value(), "1.50 元");
    let log = stationdesk::store::audit::recent(e.svc.store().conn(), 1, 0).unwrap();
    let last = &log[0];
    assert_eq!(last.action, "settings.update");
    assert_eq!(last.entity_id, "penalty.min_charge");
    assert!(last.user_name.contains("李建国"));
    let changes: serde_json::Value = serde_json::from_str(&last.changes).unwrap();
    assert_eq!(changes["value"]["old"], "1.00");
    assert_eq!(changes["value"]["new"], "1.50");
    assert_eq!(last.at, "2026-11-24 09:00:00");

    // the same value again writes nothing
    let before = stationdesk::store::audit::count(e.svc.store().conn()).unwrap();
    e.svc
        .update_setting(&chief, "penalty.min_charge", "1.50")
        .unwrap();
    assert_eq!(
        stationdesk::store::audit::count(e.svc.store().conn()).unwrap(),
        before
    );

    let s = e.svc.reset_setting(&chief, "penalty.min_charge").unwrap();
    assert_eq!(s.value, "1.00");
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn bad_values_are_refused_with_a_chinese_message_and_nothing_changes() {
    let (mut e, chief) = common::with_station();
    for (key, input, needle) in [
        ("security.idle_lock_minutes", "0", "不能小于"),
        ("security.idle_lock_minutes", "十", "整数"),
        ("penalty.min_charge", "1.234", "两位小数"),
        ("penalty.min_charge_enabled", "maybe", "是 或 否"),
        ("print.paper", "A3", "请选择"),
    ] {
        match e.svc.update_setting(&chief, key, input) {
            Err(ServiceError::Invalid {
                field: "value",
                message,
            }) => assert!(message.contains(needle), "{key}={input}: {message}"),
            other => panic!("{key}={input}: {other:?}"),
        }
    }
    for s in e.svc.settings().unwrap() {
        assert_eq!(s.value, s.default_value);
    }
}

#[test]
fn only_the_chief_may_edit_settings() {
    let (mut e, chief) = common::with_station();
    e.svc
        .create_account(
            &chief,
            &stationdesk::service::auth::NewAccount {
                username: "yingye1".into(),
                display_name: "王芳".into(),
                role: Some(stationdesk::domain::role::Role::Clerk),
                is_admin: true,
                password: "first-pw1".into(),
                phone: "".into(),
            },
        )
        .unwrap();
    let clerk = e.svc.sign_in("yingye1", "first-pw1").unwrap();
    assert!(matches!(
        e.svc
            .update_setting(&clerk, "security.lockout_minutes", "9"),
        Err(ServiceError::Denied(_))
    ));
}

#[test]
fn settings_that_depend_on_each_other_are_checked_together() {
    let (mut e, chief) = common::with_station();
    let err = e
        .svc
        .update_setting(&chief, "tariff.tier1_limit_kwh", "5000")
        .unwrap_err();
    assert_eq!(err.field(), Some("value"));
    assert!(
        err.message().contains("第二档年电量上限"),
        "{}",
        err.message()
    );
    assert_eq!(
        e.svc.setting("tariff.tier1_limit_kwh").unwrap().value,
        "2520",
        "rolled back"
    );
    e.svc
        .update_setting(&chief, "tariff.tier2_limit_kwh", "6000")
        .unwrap();
    e.svc
        .update_setting(&chief, "tariff.tier1_limit_kwh", "5000")
        .unwrap();
}

#[test]
fn a_name_no_font_can_draw_is_warned_about_and_kept() {
    let (e, _chief) = common::with_station();
    let w = e.svc.unprintable_warning("户名", "刘䶮").unwrap();
    assert!(w.contains("“䶮”") && w.contains("〔U+4DAE〕"), "{w}");
    assert!(w.contains("已按输入保存"), "{w}");
    assert_eq!(e.svc.unprintable_warning("户名", "张三"), None);
}

#[test]
fn the_case_limits_are_the_settings() {
    let (mut e, chief) = common::with_station();
    let l = e.svc.case_limits().unwrap();
    assert_eq!(
        (
            l.arrive_urban_minutes,
            l.arrive_rural_minutes,
            l.arrive_remote_minutes
        ),
        (45, 90, 120)
    );
    assert_eq!((l.restore_urban_hours, l.restore_rural_hours), (3, 4));
    assert_eq!((l.complaint_contact_hours, l.complaint_reply_days), (24, 5));
    assert_eq!(
        (l.report_reply_days, l.close_12398_days, l.close_12345_days),
        (9, 10, 7)
    );
    // the chief changes one and the limits follow
    e.svc
        .update_setting(&chief, "repair.arrive_rural_minutes", "60")
        .unwrap();
    assert_eq!(e.svc.case_limits().unwrap().arrive_rural_minutes, 60);
}

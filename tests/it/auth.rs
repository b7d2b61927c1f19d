//! Sign-in, lockout, password changes and account management through the service layer.
use crate::common;

use chrono::Duration;
use stationdesk::domain::role::Role;
use stationdesk::service::ServiceError;
use stationdesk::service::auth::{NewAccount, PasswordCost, hash_password, password_matches};

#[test]
fn passwords_are_argon2id_and_verify() {
    let h = hash_password(PasswordCost::Standard, "demo1234").unwrap();
    assert!(h.starts_with("$argon2id$"), "{h}");
    // OWASP's 7 MiB × 5 passes (as strong as 19 MiB × 2, within the memory budget)
    assert!(h.contains("m=7168,t=5,p=1"), "{h}");
    assert!(password_matches("demo1234", &h));
    assert!(!password_matches("demo12345", &h));
    assert!(!password_matches("demo1234", "not a hash"));
    // two hashes of one password differ (salt)
    assert_ne!(
        h,
        hash_password(PasswordCost::Standard, "demo1234").unwrap()
    );
}

/// A hash made with older settings (19 MiB before issue 12) still signs in, and is made
/// again with the current settings in the sign-in's own audited transaction.
#[test]
fn an_older_hash_signs_in_and_is_made_again_with_the_current_settings() {
    use argon2::password_hash::PasswordHasher;
    let (mut e, _) = common::with_station();
    let salt = b"sixteen byte slt";
    let params = argon2::Params::new(2048, 2, 1, None).unwrap();
    let old = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_with_salt(b"secret99", salt)
        .unwrap()
        .to_string();
    e.svc
        .store_mut()
        .conn()
        .execute(
            "UPDATE staff SET password_hash = ?1 WHERE username = 'suozhang'",
            [&old],
        )
        .unwrap();
    e.svc.sign_in("suozhang", "secret99").unwrap();
    let now: String = e
        .svc
        .store_mut()
        .conn()
        .query_row(
            "SELECT password_hash FROM staff WHERE username = 'suozhang'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_ne!(now, old);
    assert!(
        now.contains("m=1024,t=1,p=1"),
        "the tests' light cost: {now}"
    );
    assert!(password_matches("secret99", &now));
    let note: String = e
        .svc
        .store_mut()
        .conn()
        .query_row(
            "SELECT changes FROM audit_log WHERE action = 'auth.sign_in' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(note.contains("argon2id m=1024 t=1"), "{note}");
    // the next sign-in leaves it alone
    e.svc.sign_in("suozhang", "secret99").unwrap();
    let again: String = e
        .svc
        .store_mut()
        .conn()
        .query_row(
            "SELECT password_hash FROM staff WHERE username = 'suozhang'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(again, now);
}

#[test]
fn sign_in_with_the_right_password_and_refuse_the_wrong_one() {
    let (mut e, _) = common::with_station();
    let s = e.svc.sign_in("SuoZhang", "secret99").unwrap();
    assert_eq!(s.role, Role::Chief);
    assert!(s.is_admin);
    // a wrong password and an unknown user name get the same answer: names cannot be probed
    let wrong = e.svc.sign_in("suozhang", "wrong-pass").unwrap_err();
    let unknown = e.svc.sign_in("nobody", "secret99").unwrap_err();
    assert!(
        matches!(wrong, ServiceError::BadCredentials { remaining: None }),
        "{wrong:?}"
    );
    assert!(
        matches!(unknown, ServiceError::BadCredentials { remaining: None }),
        "{unknown:?}"
    );
    assert_eq!(wrong.message(), unknown.message());
    assert_eq!(wrong.field(), unknown.field());
    assert_eq!(
        e.svc.sign_in("", "x").unwrap_err().field(),
        Some("username")
    );
    assert_eq!(
        e.svc.sign_in("suozhang", "").unwrap_err().field(),
        Some("password")
    );
}

#[test]
fn five_wrong_passwords_lock_the_account_for_five_minutes() {
    let (mut e, _) = common::with_station();
    for i in 1..=4 {
        // the tries still count, though sign-in does not say how many are left
        match e.svc.sign_in("suozhang", "bad-password") {
            Err(ServiceError::BadCredentials { remaining: None }) => {}
            other => panic!("try {i}: {other:?}"),
        }
    }
    assert!(matches!(
        e.svc.sign_in("suozhang", "bad-password"),
        Err(ServiceError::Locked { .. })
    ));
    // even the right password is refused while locked
    let err = e.svc.sign_in("suozhang", "secret99").unwrap_err();
    assert!(matches!(err, ServiceError::Locked { .. }));
    assert!(err.message().contains("09:05"), "{}", err.message());
    e.clock.advance(Duration::minutes(4));
    assert!(e.svc.sign_in("suozhang", "secret99").is_err());
    e.clock.advance(Duration::minutes(1));
    assert!(e.svc.sign_in("suozhang", "secret99").is_ok());
    // the lockout is in the audit trail
    let log = stationdesk::store::audit::recent(e.svc.store().conn(), 50, 0).unwrap();
    assert!(log.iter().any(|x| x.action == "auth.lockout"));
}

#[test]
fn the_lockout_threshold_is_a_setting() {
    let (mut e, chief) = common::with_station();
    e.svc
        .update_setting(&chief, "security.max_failed_logins", "2")
        .unwrap();
    assert!(matches!(
        e.svc.sign_in("suozhang", "bad-password"),
        Err(ServiceError::BadCredentials { .. })
    ));
    assert!(matches!(
        e.svc.sign_in("suozhang", "bad-password"),
        Err(ServiceError::Locked { .. })
    ));
}

fn clerk(e: &mut common::Env, chief: &stationdesk::service::Session) -> i64 {
    e.svc
        .create_account(
            chief,
            &NewAccount {
                username: "yingye1".into(),
                display_name: "王芳".into(),
                role: Some(Role::Clerk),
                is_admin: false,
                password: "first-pw1".into(),
                phone: "".into(),
            },
        )
        .unwrap()
}

#[test]
fn the_chief_creates_resets_and_deactivates_accounts_never_deletes() {
    let (mut e, chief) = common::with_station();
    let id = clerk(&mut e, &chief);
    let mut s = e.svc.sign_in("yingye1", "first-pw1").unwrap();
    assert!(
        s.must_change_password,
        "new accounts change their password first"
    );
    e.svc
        .change_own_password(&mut s, "first-pw1", "my-own-pw")
        .unwrap();
    assert!(!s.must_change_password);
    assert!(e.svc.sign_in("yingye1", "my-own-pw").is_ok());

    // a clerk cannot manage accounts
    assert!(matches!(
        e.svc.reset_password(&s, chief.staff_id, "hacked99"),
        Err(ServiceError::Denied(_))
    ));

    e.svc.reset_password(&chief, id, "reset-pw1").unwrap();
    assert!(
        e.svc
            .sign_in("yingye1", "reset-pw1")
            .unwrap()
            .must_change_password
    );

    e.svc.set_account_active(&chief, id, false).unwrap();
    assert!(matches!(
        e.svc.sign_in("yingye1", "reset-pw1"),
        Err(ServiceError::Inactive)
    ));
    assert_eq!(e.svc.list_staff().unwrap().len(), 2, "kept, not deleted");
    assert!(matches!(
        e.svc.set_account_active(&chief, chief.staff_id, false),
        Err(ServiceError::Refused(_))
    ));
    e.svc.set_account_active(&chief, id, true).unwrap();
    assert!(e.svc.sign_in("yingye1", "reset-pw1").is_ok());
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn bad_account_input_gets_a_message_at_the_field() {
    let (mut e, chief) = common::with_station();
    let mut a = NewAccount {
        username: "张三".into(),
        display_name: "张三".into(),
        role: Some(Role::Clerk),
        is_admin: false,
        password: "abcdef1".into(),
        phone: "".into(),
    };
    assert_eq!(
        e.svc.create_account(&chief, &a).unwrap_err().field(),
        Some("username")
    );
    a.username = "zhangsan".into();
    a.display_name = "   ".into();
    assert_eq!(
        e.svc.create_account(&chief, &a).unwrap_err().field(),
        Some("display_name")
    );
    a.display_name = "张".repeat(21);
    assert_eq!(
        e.svc.create_account(&chief, &a).unwrap_err().field(),
        Some("display_name")
    );
    a.display_name = "张三".into();
    a.password = "123".into();
    assert_eq!(
        e.svc.create_account(&chief, &a).unwrap_err().field(),
        Some("password")
    );
    a.password = "abcdef1".into();
    a.username = "SUOZHANG".into();
    let err = e.svc.create_account(&chief, &a).unwrap_err();
    assert_eq!(err.field(), Some("username"));
    assert!(err.message().contains("已被使用"));
}

#[test]
fn an_auditor_changes_nothing() {
    let (mut e, chief) = common::with_station();
    e.svc
        .create_account(
            &chief,
            &NewAccount {
                username: "jicha".into(),
                display_name: "赵敏".into(),
                role: Some(Role::Auditor),
                is_admin: true,
                password: "audit-pw1".into(),
                phone: "".into(),
            },
        )
        .unwrap();
    let auditor = e.svc.sign_in("jicha", "audit-pw1").unwrap();
    assert!(
        !auditor.can_manage_accounts(),
        "read-only even with the admin flag"
    );
    assert!(matches!(
        e.svc
            .update_setting(&auditor, "security.lockout_minutes", "9"),
        Err(ServiceError::Denied(_))
    ));
    assert!(e.svc.settings().unwrap().len() > 50, "but may read");
}

#[test]
fn the_idle_lock_needs_the_password_again() {
    let (mut e, chief) = common::with_station();
    assert!(e.svc.unlock(&chief, "nope-nope").is_err());
    assert!(e.svc.unlock(&chief, "secret99").is_ok());
}

#[test]
fn an_admin_clerk_cannot_climb_to_chief() {
    let (mut e, chief) = common::with_station();
    let admin_clerk = NewAccount {
        username: "yingye1".into(),
        display_name: "王芳".into(),
        role: Some(Role::Clerk),
        is_admin: true,
        password: "first-pw1".into(),
        phone: "".into(),
    };
    e.svc.create_account(&chief, &admin_clerk).unwrap();
    let clerk = e.svc.sign_in("yingye1", "first-pw1").unwrap();
    assert!(clerk.can_manage_accounts());
    // may create an ordinary account …
    let mut plain = admin_clerk.clone();
    plain.username = "yingye2".into();
    plain.is_admin = false;
    e.svc.create_account(&clerk, &plain).unwrap();
    // … but not a chief or another administrator
    let mut boss = plain.clone();
    boss.username = "boss".into();
    boss.role = Some(Role::Chief);
    assert!(matches!(
        e.svc.create_account(&clerk, &boss),
        Err(ServiceError::Denied(_))
    ));
    boss.role = Some(Role::Clerk);
    boss.is_admin = true;
    assert!(matches!(
        e.svc.create_account(&clerk, &boss),
        Err(ServiceError::Denied(_))
    ));
    // and cannot take over the chief's account
    assert!(matches!(
        e.svc.reset_password(&clerk, chief.staff_id, "taken-over1"),
        Err(ServiceError::Denied(_))
    ));
    assert!(matches!(
        e.svc.set_account_active(&clerk, chief.staff_id, false),
        Err(ServiceError::Denied(_))
    ));
}

#[test]
fn the_last_chief_stays_active_and_a_deactivated_session_loses_its_rights() {
    let (mut e, chief) = common::with_station();
    let second = e
        .svc
        .create_account(
            &chief,
            &NewAccount {
                username: "fusuozhang".into(),
                display_name: "副所长".into(),
                role: Some(Role::Chief),
                is_admin: true,
                password: "second-pw1".into(),
                phone: "".into(),
            },
        )
        .unwrap();
    let other = e.svc.sign_in("fusuozhang", "second-pw1").unwrap();
    e.svc
        .set_account_active(&other, chief.staff_id, false)
        .unwrap();
    // the deactivated chief's open session can no longer change anything
    assert!(matches!(
        e.svc
            .update_setting(&chief, "security.lockout_minutes", "9"),
        Err(ServiceError::Inactive)
    ));
    assert!(matches!(
        e.svc.set_account_active(&chief, second, false),
        Err(ServiceError::Inactive)
    ));
    // the remaining chief cannot be deactivated by anyone
    e.svc
        .set_account_active(&other, chief.staff_id, true)
        .unwrap();
    e.svc
        .set_account_active(&other, chief.staff_id, false)
        .unwrap();
    assert!(matches!(
        e.svc.set_account_active(&chief, second, false),
        Err(ServiceError::Inactive)
    ));
}

#[test]
fn failed_tries_are_in_the_audit_trail() {
    let (mut e, _) = common::with_station();
    let _ = e.svc.sign_in("suozhang", "bad-password");
    let log = stationdesk::store::audit::recent(e.svc.store().conn(), 1, 0).unwrap();
    assert_eq!(log[0].action, "auth.failed");
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn signing_out_is_recorded() {
    let (mut e, _) = common::with_station();
    let s = e.svc.sign_in("suozhang", "secret99").unwrap();
    e.svc.sign_out(&s).unwrap();
    let log = stationdesk::store::audit::recent(e.svc.store().conn(), 2, 0).unwrap();
    assert_eq!(log[0].action, "auth.sign_out");
    assert_eq!(log[1].action, "auth.sign_in");
}

//! The calendar shipped in the database equals DOMAIN.md's; the chief enters later years.
use crate::common;

use chrono::NaiveDate;
use stationdesk::domain::calendar::official_2025_2026;
use stationdesk::service::ServiceError;
use stationdesk::service::calendar::DayKind;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn the_database_ships_the_2025_and_2026_calendar() {
    let (e, _) = common::with_station();
    assert_eq!(e.svc.work_calendar().unwrap(), official_2025_2026());
    let c = e.svc.work_calendar().unwrap();
    assert_eq!(
        c.add_working_days(d(2026, 2, 12), 5, &[]),
        Some(d(2026, 2, 26))
    );
}

#[test]
fn the_chief_enters_a_later_year_audited() {
    let (mut e, chief) = common::with_station();
    assert!(!e.svc.work_calendar().unwrap().knows_year(2027));
    e.svc
        .set_calendar_day(&chief, d(2027, 1, 1), DayKind::Off, "元旦")
        .unwrap();
    e.svc
        .set_calendar_day(&chief, d(2027, 1, 2), DayKind::MakeUp, "元旦调休")
        .unwrap();
    e.svc
        .set_calendar_year(&chief, 2027, "国务院办公厅通知")
        .unwrap();
    let c = e.svc.work_calendar().unwrap();
    assert!(c.knows_year(2027));
    assert!(!c.is_working_day(d(2027, 1, 1)));
    assert!(
        c.is_working_day(d(2027, 1, 2)),
        "a Saturday made a working day"
    );
    let last = stationdesk::store::audit::recent(e.svc.store().conn(), 3, 0).unwrap();
    assert!(
        last.iter()
            .any(|x| x.action == "calendar.set_day" && x.entity_id == "2027-01-02")
    );
    assert_eq!(
        e.svc
            .set_calendar_year(&chief, 1999, "")
            .unwrap_err()
            .field(),
        Some("year")
    );
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn a_day_or_year_entered_again_is_changed() {
    let (mut e, chief) = common::with_station();
    e.svc
        .set_calendar_day(&chief, d(2027, 1, 1), DayKind::Off, "元旦")
        .unwrap();
    e.svc
        .set_calendar_day(&chief, d(2027, 1, 1), DayKind::MakeUp, "元旦调休")
        .unwrap();
    // a shipped day corrected
    e.svc
        .set_calendar_day(&chief, d(2026, 1, 1), DayKind::Off, "新年")
        .unwrap();
    e.svc.set_calendar_year(&chief, 2027, "通知").unwrap();
    e.svc
        .set_calendar_year(&chief, 2027, "国务院办公厅通知")
        .unwrap();
    let y = e.svc.calendar_year(2027).unwrap();
    assert_eq!(y.source.as_deref(), Some("国务院办公厅通知"));
    assert_eq!(y.days[0].kind, DayKind::MakeUp);
    assert_eq!(y.days[0].name, "元旦调休");
    let y = e.svc.calendar_year(2026).unwrap();
    assert_eq!(y.days[0].name, "新年");
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn only_the_chief_keeps_the_calendar() {
    let (mut e, chief) = common::with_station();
    e.svc
        .create_account(
            &chief,
            &stationdesk::service::auth::NewAccount {
                username: "yingye1".into(),
                display_name: "王芳".into(),
                role: Some(stationdesk::domain::role::Role::Clerk),
                is_admin: false,
                password: "first-pw1".into(),
                phone: "".into(),
            },
        )
        .unwrap();
    let clerk = e.svc.sign_in("yingye1", "first-pw1").unwrap();
    assert!(matches!(
        e.svc
            .set_calendar_day(&clerk, d(2027, 1, 1), DayKind::Off, "元旦"),
        Err(ServiceError::Denied(_))
    ));
}

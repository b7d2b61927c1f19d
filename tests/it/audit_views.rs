//! Issue 16: rectification (限期整改) through its states, and the audit views on fixed data:
//! corrections, number gaps (a receipt removed with raw SQL), day ends against receipts,
//! fees before survey, settings and account changes.
use chrono::NaiveDate;
use stationdesk::domain::customer::UsageCategory;
use stationdesk::domain::rectification::{FindingCategory, FindingState};
use stationdesk::domain::role::Role;
use stationdesk::service::ServiceError;
use stationdesk::service::audit_views::{AuditFilter, AuditViewKind};
use stationdesk::service::rectification::{FindingFilter, FindingInput};

use crate::common::billing_env::{self, *};

fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

fn all_year() -> AuditFilter {
    AuditFilter {
        staff_id: None,
        from: d(2026, 1, 1),
        to: d(2026, 12, 31),
        area_id: None,
    }
}

fn this_year() -> FindingFilter {
    FindingFilter {
        from: d(2026, 1, 1),
        to: d(2026, 12, 31),
        open_too: true,
        staff_id: None,
        area_id: None,
    }
}

#[test]
fn a_finding_is_fixed_sent_back_fixed_again_and_accepted_and_overdue_is_counted() {
    let mut b = bench();
    let auditor = billing_env::account(&mut b.e, &b.chief, "jicha9", Role::Auditor);
    let other = billing_env::account(&mut b.e, &b.chief, "clerk2", Role::Clerk);
    let input = FindingInput {
        category: Some(FindingCategory::Receipts),
        description: "11 月 3 日作废收据未写明原因".into(),
        staff: "clerk1".into(),
        area: String::new(),
        due_on: "2026-11-30".into(),
    };
    // only the auditor records; the input is checked field by field
    let e = b.e.svc.record_finding(&b.chief, &input).unwrap_err();
    assert!(
        matches!(e, ServiceError::Denied(ref m) if m.contains("只有稽查员")),
        "{e:?}"
    );
    fn b_err(
        svc: &mut stationdesk::service::Service,
        a: &stationdesk::service::Session,
        f: FindingInput,
    ) -> Option<&'static str> {
        svc.record_finding(a, &f).unwrap_err().field()
    }
    assert_eq!(
        b_err(
            &mut b.e.svc,
            &auditor,
            FindingInput {
                category: None,
                ..input.clone()
            }
        ),
        Some("category")
    );
    assert_eq!(
        b_err(
            &mut b.e.svc,
            &auditor,
            FindingInput {
                staff: "nobody".into(),
                ..input.clone()
            }
        ),
        Some("staff")
    );
    assert_eq!(
        b_err(
            &mut b.e.svc,
            &auditor,
            FindingInput {
                staff: String::new(),
                ..input.clone()
            }
        ),
        Some("staff")
    );
    assert_eq!(
        b_err(
            &mut b.e.svc,
            &auditor,
            FindingInput {
                due_on: "2026-11-01".into(),
                ..input.clone()
            }
        ),
        Some("due_on")
    );
    let (id, no) = b.e.svc.record_finding(&auditor, &input).unwrap();
    assert_eq!(no, "ZG2026-001");
    let counts = b.e.svc.finding_counts().unwrap();
    assert_eq!((counts.open, counts.overdue, counts.to_accept), (1, 0, 0));
    // the auditor cannot accept what was not fixed; another clerk cannot fix it
    assert!(
        b.e.svc
            .decide_fix(&auditor, id, true, "")
            .unwrap_err()
            .to_string()
            .contains("尚未填报")
    );
    assert!(matches!(
        b.e.svc.record_fix(&other, id, "已补写").unwrap_err(),
        ServiceError::Denied(_)
    ));
    assert!(matches!(
        b.e.svc.record_fix(&auditor, id, "已补写").unwrap_err(),
        ServiceError::Denied(_)
    ));
    assert_eq!(
        b.e.svc.record_fix(&b.clerk, id, " ").unwrap_err().field(),
        Some("note")
    );
    b.e.svc.record_fix(&b.clerk, id, "已补写作废原因").unwrap();
    assert_eq!(b.e.svc.finding_counts().unwrap().to_accept, 1);
    b.e.svc
        .decide_fix(&auditor, id, false, "原因仍不具体")
        .unwrap();
    // past the deadline and sent back: overdue
    b.e.clock.set(d(2026, 12, 2).and_hms_opt(9, 0, 0).unwrap());
    let counts = b.e.svc.finding_counts().unwrap();
    assert_eq!((counts.open, counts.overdue), (1, 1));
    let f = &b.e.svc.findings(&this_year()).unwrap()[0];
    assert_eq!(f.row.state, FindingState::Returned);
    assert_eq!(f.state_text(), "退回重改·逾期");
    b.e.svc
        .record_fix(&b.clerk, id, "已写明：客户交错户号")
        .unwrap();
    b.e.svc.decide_fix(&auditor, id, true, "").unwrap();
    let f = &b.e.svc.findings(&this_year()).unwrap()[0];
    assert_eq!(f.row.state, FindingState::Accepted);
    assert!(f.row.closed_at.is_some());
    assert!(
        b.e.svc
            .record_fix(&b.clerk, id, "再改")
            .unwrap_err()
            .to_string()
            .contains("已销号")
    );
    let steps = b.e.svc.finding_steps(id).unwrap();
    assert_eq!(steps.len(), 4);
    assert_eq!(steps[3].note, "验收通过");
    // the trail has the four acts, and the database refuses a changed finding
    let n: i64 =
        b.e.svc
            .store()
            .conn()
            .query_row(
                "SELECT count(*) FROM audit_log WHERE action LIKE 'finding.%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(n, 5);
    let changed = b.e.svc.store().conn().execute(
        "UPDATE audit_finding SET description = 'x' WHERE id = ?1",
        [id],
    );
    assert!(changed.is_err());
    assert!(b.e.svc.verify().unwrap().ok());
}

#[test]
fn a_receipt_removed_with_raw_sql_is_found_as_a_gap() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a, "2026-10", 180, "100.00", "2026-11-25")],
    );
    for _ in 0..4 {
        pay(&mut b.e, &b.clerk, c, "10.00");
    }
    let t =
        b.e.svc
            .audit_view(AuditViewKind::Numbers, &all_year(), 100)
            .unwrap();
    assert_eq!(t.problems, 0, "{t:?}");
    assert!(t.summary.contains("未发现断号"), "{}", t.summary);
    assert!(
        t.rows
            .iter()
            .any(|r| r[0] == "收据号" && r[1] == "1/1 年连续"),
        "{t:?}"
    );
    // the triggers that keep receipts are dropped, and the second receipt is deleted
    let conn = b.e.svc.store().conn();
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'receipt'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER {t}")).unwrap();
    }
    conn.execute_batch("PRAGMA foreign_keys = OFF; DELETE FROM receipt WHERE seq = 2;")
        .unwrap();
    let t =
        b.e.svc
            .audit_view(AuditViewKind::Numbers, &all_year(), 100)
            .unwrap();
    assert_eq!(t.problems, 1, "{t:?}");
    assert!(t.summary.contains("发现断号 1 个"), "{}", t.summary);
    assert!(
        t.rows
            .iter()
            .any(|r| r[0] == "收据号" && r[1] == "缺 2" && r[2] == "2026 年"),
        "{t:?}"
    );
}

#[test]
fn corrections_day_ends_fees_settings_and_accounts_on_fixed_data() {
    let mut b = bench();
    let (c, a) = customer(&mut b.e, &b.chief, "张三", UsageCategory::Residential);
    import(
        &mut b.e,
        &[bill(&a, "2026-10", 180, "100.00", "2026-11-25")],
    );
    let first = pay(&mut b.e, &b.clerk, c, "30.00");
    let second = pay(&mut b.e, &b.clerk, c, "20.00");
    b.e.svc
        .void_receipt(
            &b.clerk,
            first.receipt_id,
            CHIEF_USER,
            CHIEF_PASSWORD,
            "收错金额",
        )
        .unwrap();
    b.e.svc
        .record_receipt_print(&b.clerk, second.receipt_id)
        .unwrap();
    b.e.svc
        .record_receipt_print(&b.clerk, second.receipt_id)
        .unwrap();
    let t =
        b.e.svc
            .audit_view(AuditViewKind::Corrections, &all_year(), 100)
            .unwrap();
    assert_eq!(t.summary, "作废 1 张，红冲 0 笔，补打 1 次", "{t:?}");
    assert_eq!(t.total, 2);
    assert!(
        t.rows
            .iter()
            .any(|r| r[1] == "作废" && r[3] == "30.00" && r[7] == "收错金额")
    );
    // another person's filter shows nothing
    let chief_only = AuditFilter {
        staff_id: Some(b.chief.staff_id),
        ..all_year()
    };
    assert_eq!(
        b.e.svc
            .audit_view(AuditViewKind::Corrections, &chief_only, 100)
            .unwrap()
            .total,
        0
    );

    // the day end: 20.00 in cash expected, 19.00 counted, with the reason
    let mut notes = stationdesk::service::payments::standard_denominations();
    for n in &mut notes {
        if n.face == yuan("10") {
            n.pieces = 1;
        }
        if n.face == yuan("5") {
            n.pieces = 1;
        }
        if n.face == yuan("1") {
            n.pieces = 4;
        }
    }
    b.e.svc
        .close_day(&b.clerk, d(2026, 11, 24), &notes, "少收一元，已登记")
        .unwrap();
    let t =
        b.e.svc
            .audit_view(AuditViewKind::DayEnds, &all_year(), 100)
            .unwrap();
    assert_eq!(t.total, 1, "{t:?}");
    assert_eq!(t.problems, 0, "{t:?}");
    assert_eq!(t.rows[0][3], "20.00");
    assert_eq!(t.rows[0][4], "19.00");
    assert_eq!(t.rows[0][5], "相符");
    assert!(t.rows[0][6].contains("少收一元"), "{t:?}");

    // no fee collected before its survey
    let t =
        b.e.svc
            .audit_view(AuditViewKind::FeesBeforeSurvey, &all_year(), 100)
            .unwrap();
    assert_eq!((t.total, t.problems), (0, 0));
    assert!(t.summary.starts_with("未发现勘查前收费"), "{}", t.summary);

    // a setting changed and an account created
    b.e.svc
        .update_setting(&b.chief, "bill.due_days", "20")
        .unwrap();
    let t =
        b.e.svc
            .audit_view(AuditViewKind::Settings, &all_year(), 100)
            .unwrap();
    assert_eq!(t.total, 1, "{t:?}");
    assert!(t.rows[0][4].contains("15→20"), "{t:?}");
    let t =
        b.e.svc
            .audit_view(AuditViewKind::Accounts, &all_year(), 100)
            .unwrap();
    // the clerk made by the bench
    assert!(
        t.total >= 1 && t.rows.iter().any(|r| r[2] == "新建账号"),
        "{t:?}"
    );

    // the tariff view lists a customer billed at another category
    b.e.svc
        .set_tariff_category(&b.chief, c, Some(UsageCategory::Commercial), "开店")
        .unwrap();
    let t =
        b.e.svc
            .audit_view(AuditViewKind::Tariff, &all_year(), 100)
            .unwrap();
    assert_eq!(t.total, 1);
    assert_eq!(
        t.rows[0][3..5],
        ["居民生活".to_string(), "一般工商业".to_string()]
    );
}

#[test]
fn the_settings_and_accounts_views_read_their_partial_index() {
    let (e, _) = crate::common::with_station();
    for actions in [
        stationdesk::service::audit_views::SETTINGS_ACTIONS,
        stationdesk::service::audit_views::ACCOUNT_ACTIONS,
    ] {
        let plan: Vec<String> = e
            .svc
            .store()
            .conn()
            .prepare(&format!(
                "EXPLAIN QUERY PLAN SELECT count(*) FROM audit_log WHERE action IN {actions}
                 AND at BETWEEN '2026-01-01' AND '2026-12-31' AND (NULL IS NULL OR user_id = NULL)"
            ))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(
            plan.iter()
                .any(|p| p.contains("audit_log_settings") || p.contains("audit_log_accounts")),
            "{plan:?}"
        );
    }
}

#[test]
fn the_demo_has_findings_in_every_state_one_overdue() {
    let (mut e, chief) = crate::common::with_station();
    e.svc.load_demo_data(&chief, 300, 7).unwrap();
    let list = e.svc.findings(&this_year()).unwrap();
    for s in FindingState::ALL {
        assert!(list.iter().any(|f| f.row.state == s), "no {s:?}: {list:?}");
    }
    assert_eq!(list.iter().filter(|f| f.overdue).count(), 1, "{list:?}");
    let counts = e.svc.finding_counts().unwrap();
    assert_eq!((counts.open, counts.overdue, counts.to_accept), (3, 1, 1));
    assert!(e.svc.verify().unwrap().ok());
}

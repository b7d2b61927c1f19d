//! Assessment (考核) through the service: the idempotent check, holder attribution, the
//! chief's decisions and rules, the monthly summary, its PDF and CSV.
use crate::common;

use std::str::FromStr;

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use stationdesk::domain::assessment::{DeadlineFact, EntryState, Month, Rule};
use stationdesk::domain::clock::Clock;
use stationdesk::domain::customer::{CustomerKind, UsageCategory};
use stationdesk::domain::customer_file::CustomerDraft;
use stationdesk::domain::role::Role;
use stationdesk::service::assessment::{EntryFilter, RuleInput};
use stationdesk::service::auth::NewAccount;
use stationdesk::service::{ServiceError, Session};

fn yuan(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

const NOV: Month = Month {
    year: 2026,
    month: 11,
};

fn account(e: &mut common::Env, chief: &Session, user: &str, name: &str, role: Role) -> Session {
    e.svc
        .create_account(
            chief,
            &NewAccount {
                username: user.into(),
                display_name: name.into(),
                role: Some(role),
                is_admin: false,
                password: "pass-word1".into(),
                phone: String::new(),
            },
        )
        .unwrap();
    e.svc.sign_in(user, "pass-word1").unwrap()
}

fn fact(order_id: i64, stage: &str, holder: i64, overdue: i64, residential: bool) -> DeadlineFact {
    DeadlineFact {
        order_id,
        tracking_no: format!("WZ0120261110{order_id:04}"),
        stage: stage.into(),
        stage_label: if stage == "whole" {
            "全过程".into()
        } else {
            "现场勘查".into()
        },
        residential,
        holder_id: holder,
        due: day(11, 17),
        done: (overdue % 2 == 0).then(|| day(11, 20)),
        overdue_days: overdue,
    }
}

fn rule(e: &common::Env, code: &str) -> Rule {
    e.svc
        .assessment_rules()
        .unwrap()
        .into_iter()
        .find(|r| r.code == code)
        .unwrap()
}

fn set_amounts(e: &mut common::Env, chief: &Session, code: &str, res: &str, other: &str) {
    let r = rule(e, code);
    let input = RuleInput {
        amount_residential: res.into(),
        amount_other: other.into(),
        ..RuleInput::of(&r)
    };
    e.svc.update_assessment_rule(chief, r.id, &input).unwrap();
}

fn count_actions(e: &common::Env, action: &str) -> i64 {
    e.svc
        .store()
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = ?1",
            [action],
            |r| r.get(0),
        )
        .unwrap()
}

fn month_entries(e: &common::Env) -> Vec<stationdesk::service::assessment::AssessmentEntry> {
    e.svc
        .assessment_entries(&EntryFilter {
            month: Some(NOV),
            ..Default::default()
        })
        .unwrap()
}

struct People {
    chief: Session,
    clerk: Session,
    manager: Session,
    auditor: Session,
}

fn station() -> (common::Env, People) {
    let (mut e, chief) = common::with_station();
    let clerk = account(&mut e, &chief, "yingye1", "王芳", Role::Clerk);
    let manager = account(&mut e, &chief, "taiqu1", "张伟", Role::AreaManager);
    let auditor = account(&mut e, &chief, "jicha1", "赵敏", Role::Auditor);
    (
        e,
        People {
            chief,
            clerk,
            manager,
            auditor,
        },
    )
}

#[test]
fn the_check_is_idempotent_and_audited_once() {
    let (mut e, p) = station();
    let facts = vec![
        fact(1, "survey", p.manager.staff_id, 2, true),
        fact(1, "whole", p.clerk.staff_id, 3, true),
        fact(2, "whole", p.manager.staff_id, 1, false), // exactly N = 1: not more than N
        fact(3, "whole", p.manager.staff_id, 5, false),
        fact(3, "whole", p.manager.staff_id, 5, false), // the same fact twice in one run
    ];
    assert_eq!(e.svc.run_assessment_check(&facts).unwrap(), 3);
    assert_eq!(e.svc.run_assessment_check(&facts).unwrap(), 0);
    assert_eq!(e.svc.run_assessment_check(&facts).unwrap(), 0);
    let entries = month_entries(&e);
    assert_eq!(entries.len(), 3);
    let subjects: Vec<&str> = entries.iter().map(|x| x.subject.as_str()).collect();
    assert_eq!(
        subjects,
        vec!["order:1:survey", "order:1:whole", "order:3:whole"]
    );
    assert_eq!(
        count_actions(&e, "assessment.check"),
        1,
        "nothing new, no entry"
    );
    // a fact that becomes more overdue later is still the same entry
    let later = vec![fact(1, "whole", p.clerk.staff_id, 9, true)];
    assert_eq!(e.svc.run_assessment_check(&later).unwrap(), 0);
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn entries_go_to_the_holder_with_the_evidence() {
    let (mut e, p) = station();
    let facts = vec![
        fact(7, "survey", p.manager.staff_id, 4, true),
        fact(7, "whole", p.clerk.staff_id, 4, true),
    ];
    e.svc.run_assessment_check(&facts).unwrap();
    let entries = month_entries(&e);
    assert_eq!(entries[0].staff_id, p.manager.staff_id);
    assert_eq!(entries[0].staff_name, "张伟");
    assert_eq!(entries[1].staff_name, "王芳");
    assert_eq!(entries[0].item, "业扩报装超时限");
    assert_eq!(entries[0].month, NOV, "recorded in the month it was found");
    let ev = &entries[0].evidence;
    assert!(ev.contains(&("工单号", "WZ01202611100007".to_string())));
    assert!(ev.contains(&("承诺日期", "2026-11-17".to_string())));
    assert!(ev.contains(&("完成日期", "2026-11-20".to_string())));
    assert!(ev.contains(&("超期", "4 个工作日".to_string())));
    // only one person's entries
    let only = e
        .svc
        .assessment_entries(&EntryFilter {
            staff_id: Some(p.clerk.staff_id),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].subject, "order:7:whole");
    // a holder who is nobody known is skipped, not an error
    assert_eq!(
        e.svc
            .run_assessment_check(&[fact(8, "whole", 9999, 4, true)])
            .unwrap(),
        0
    );
}

#[test]
fn amounts_by_customer_class_and_the_amount_not_set_flag() {
    let (mut e, p) = station();
    // seeded blank, as in the work plan
    assert_eq!(rule(&e, "order_overdue").amount_residential, None);
    e.svc
        .run_assessment_check(&[
            fact(1, "whole", p.clerk.staff_id, 3, true),
            fact(2, "whole", p.clerk.staff_id, 3, false),
        ])
        .unwrap();
    let entries = month_entries(&e);
    for x in &entries {
        assert!(x.amount_unset && x.amount == Decimal::ZERO);
        assert_eq!(x.marks(), "待确认 金额未设");
        assert_eq!(x.amount_text(), "未设");
    }
    // confirmed while unset: stays 0 / 未设
    e.svc
        .confirm_assessment_entry(&p.chief, entries[1].id)
        .unwrap();
    // the chief fills in the amounts: pending entries made without one get it
    set_amounts(&mut e, &p.chief, "order_overdue", "50", "100.00");
    let entries = month_entries(&e);
    assert_eq!(
        (entries[0].amount, entries[0].amount_unset),
        (yuan("50"), false)
    );
    assert_eq!(
        (entries[1].amount, entries[1].amount_unset),
        (Decimal::ZERO, true),
        "a decided entry keeps what it was decided with"
    );
    // new entries use the rates
    e.svc
        .run_assessment_check(&[
            fact(3, "whole", p.clerk.staff_id, 3, true),
            fact(4, "whole", p.clerk.staff_id, 3, false),
        ])
        .unwrap();
    let entries = month_entries(&e);
    assert_eq!(entries[2].amount, yuan("50.00"));
    assert_eq!(entries[3].amount, yuan("100.00"));
    assert_eq!(entries[3].marks(), "待确认");
}

#[test]
fn the_chief_confirms_and_waives_with_a_reason_others_cannot() {
    let (mut e, p) = station();
    set_amounts(&mut e, &p.chief, "order_overdue", "50", "100");
    e.svc
        .run_assessment_check(&[
            fact(1, "whole", p.clerk.staff_id, 3, true),
            fact(2, "whole", p.manager.staff_id, 3, false),
        ])
        .unwrap();
    let ids: Vec<i64> = month_entries(&e).iter().map(|x| x.id).collect();
    for s in [&p.auditor, &p.clerk, &p.manager] {
        let err = e.svc.confirm_assessment_entry(s, ids[0]).unwrap_err();
        assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
        let err = e
            .svc
            .waive_assessment_entry(s, ids[0], "不可抗力")
            .unwrap_err();
        assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    }
    // a waiver needs a reason, told at the field
    for empty in ["", "   "] {
        let err = e
            .svc
            .waive_assessment_entry(&p.chief, ids[1], empty)
            .unwrap_err();
        assert_eq!(err.field(), Some("reason"));
        assert!(err.message().contains("理由"), "{}", err.message());
    }
    let c = e.svc.confirm_assessment_entry(&p.chief, ids[0]).unwrap();
    assert_eq!(c.state, EntryState::Confirmed);
    assert_eq!(c.decided_by.as_deref(), Some("李建国"));
    let w = e
        .svc
        .waive_assessment_entry(&p.chief, ids[1], "暴雨冲毁线路，不可抗力")
        .unwrap();
    assert_eq!(w.state, EntryState::Waived);
    assert_eq!(w.reason, "暴雨冲毁线路，不可抗力");
    assert_eq!(w.marks(), "免考核");
    // only from 待确认
    let err = e
        .svc
        .confirm_assessment_entry(&p.chief, ids[1])
        .unwrap_err();
    assert!(err.message().contains("已免考核"), "{}", err.message());
    // a decision taken back with a reason is pending again
    assert!(e.svc.reopen_assessment_entry(&p.chief, ids[0], "").is_err());
    let r = e
        .svc
        .reopen_assessment_entry(&p.chief, ids[0], "工单延期经客户同意")
        .unwrap();
    assert_eq!(r.state, EntryState::Pending);
    assert_eq!(r.decided_by, None);
    assert_eq!(count_actions(&e, "assessment.confirm"), 1);
    assert_eq!(count_actions(&e, "assessment.waive"), 1);
    assert_eq!(count_actions(&e, "assessment.reopen"), 1);
    // by state
    let waived = e
        .svc
        .assessment_entries(&EntryFilter {
            month: Some(NOV),
            state: Some(EntryState::Waived),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(waived.len(), 1);
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn entries_are_never_deleted_and_their_evidence_never_changes() {
    let (mut e, p) = station();
    e.svc
        .run_assessment_check(&[fact(1, "whole", p.clerk.staff_id, 3, true)])
        .unwrap();
    let conn = e.svc.store().conn();
    assert!(conn.execute("DELETE FROM assessment_entry", []).is_err());
    assert!(
        conn.execute("UPDATE assessment_entry SET staff_id = staff_id + 1", [])
            .is_err()
    );
    assert!(
        conn.execute("UPDATE assessment_entry SET summary = '改过'", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM assessment_rule", []).is_err());
}

#[test]
fn only_the_chief_edits_rules_field_by_field() {
    let (mut e, p) = station();
    let r = rule(&e, "order_overdue");
    assert_eq!(r.param, 1);
    let input = RuleInput {
        amount_residential: "50".into(),
        amount_other: "".into(),
        param: "2".into(),
        active: true,
    };
    for s in [&p.clerk, &p.auditor, &p.manager] {
        let err = e.svc.update_assessment_rule(s, r.id, &input).unwrap_err();
        assert!(matches!(err, ServiceError::Denied(_)), "{err:?}");
    }
    for (field, bad) in [
        ("amount_residential", "abc"),
        ("amount_residential", "1.234"),
        ("amount_residential", "-5"),
    ] {
        let err = e
            .svc
            .update_assessment_rule(
                &p.chief,
                r.id,
                &RuleInput {
                    amount_residential: bad.into(),
                    ..input.clone()
                },
            )
            .unwrap_err();
        assert_eq!(err.field(), Some(field), "{bad}: {err:?}");
    }
    let err = e
        .svc
        .update_assessment_rule(
            &p.chief,
            r.id,
            &RuleInput {
                param: "x".into(),
                ..input.clone()
            },
        )
        .unwrap_err();
    assert_eq!(err.field(), Some("param"));
    let new = e
        .svc
        .update_assessment_rule(&p.chief, r.id, &input)
        .unwrap();
    assert_eq!(new.amount_residential, Some(yuan("50")));
    assert_eq!(new.amount_other, None);
    assert_eq!(new.param, 2);
    let changes: String = e
        .svc
        .store()
        .conn()
        .query_row(
            "SELECT changes FROM audit_log WHERE action = 'assessment.rule_update'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&changes).unwrap();
    assert_eq!(v["amount_residential"]["old"], "未设");
    assert_eq!(v["amount_residential"]["new"], "50.00");
    assert_eq!(v["trigger_param"]["old"], 1);
    assert_eq!(v["trigger_param"]["new"], 2);
    assert!(v.get("amount_other").is_none(), "unchanged: not listed");
    assert!(v.get("active").is_none());
    // the same values again: nothing to record
    e.svc
        .update_assessment_rule(&p.chief, r.id, &input)
        .unwrap();
    assert_eq!(count_actions(&e, "assessment.rule_update"), 1);
    // an inactive rule creates nothing
    e.svc
        .update_assessment_rule(
            &p.chief,
            r.id,
            &RuleInput {
                active: false,
                ..input
            },
        )
        .unwrap();
    assert_eq!(
        e.svc
            .run_assessment_check(&[fact(1, "whole", p.clerk.staff_id, 9, true)])
            .unwrap(),
        0
    );
}

#[test]
fn files_opened_incomplete_are_assessed_to_who_opened_them() {
    let (mut e, p) = station();
    let draft = CustomerDraft {
        name: "刘洋".into(),
        kind: Some(CustomerKind::Person),
        id_number: "11010519491231002X".into(),
        usage: Some(UsageCategory::Residential),
        ..Default::default()
    };
    let cid = e.svc.create_customer(&p.clerk, &draft, "").unwrap();
    assert!(e.svc.customer_file(cid).unwrap().docs_incomplete);
    // opened today (Tuesday): not yet more than 0 working days
    assert_eq!(e.svc.run_assessment_check(&[]).unwrap(), 0);
    e.clock.advance(Duration::days(1));
    assert_eq!(e.svc.run_assessment_check(&[]).unwrap(), 1);
    let x = &month_entries(&e)[0];
    assert_eq!(x.subject, format!("customer:{cid}"));
    assert_eq!(x.staff_id, p.clerk.staff_id);
    assert_eq!(x.item, "客户档案建档不全");
    assert!(
        x.summary.contains("刘洋") && x.summary.contains("联系电话"),
        "{}",
        x.summary
    );
    assert_eq!(e.svc.run_assessment_check(&[]).unwrap(), 0);
}

#[test]
fn monthly_summary_pdf_and_csv() {
    let (mut e, p) = station();
    set_amounts(&mut e, &p.chief, "order_overdue", "50", "100");
    e.svc
        .run_assessment_check(&[
            fact(1, "whole", p.clerk.staff_id, 3, true),
            fact(2, "whole", p.clerk.staff_id, 3, false),
            fact(3, "whole", p.manager.staff_id, 3, false),
            fact(4, "whole", p.manager.staff_id, 3, true),
            fact(5, "whole", p.manager.staff_id, 3, true),
        ])
        .unwrap();
    let ids: Vec<i64> = month_entries(&e).iter().map(|x| x.id).collect();
    e.svc.confirm_assessment_entry(&p.chief, ids[0]).unwrap();
    e.svc.confirm_assessment_entry(&p.chief, ids[1]).unwrap();
    e.svc.confirm_assessment_entry(&p.chief, ids[2]).unwrap();
    e.svc
        .waive_assessment_entry(&p.chief, ids[3], "客户要求暂缓")
        .unwrap();

    let s = e.svc.assessment_summary(NOV).unwrap();
    assert_eq!(s.people.len(), 2);
    let clerk = &s.people[0];
    assert_eq!(clerk.staff_name, "王芳");
    assert_eq!(
        (clerk.confirmed.count, clerk.confirmed.amount),
        (2, yuan("150"))
    );
    let mgr = &s.people[1];
    assert_eq!(
        (mgr.confirmed.count, mgr.confirmed.amount),
        (1, yuan("100"))
    );
    assert_eq!((mgr.waived.count, mgr.waived.amount), (1, yuan("50")));
    assert_eq!((mgr.pending.count, mgr.pending.amount), (1, yuan("50")));
    assert_eq!(s.total.confirmed.amount, yuan("250"));
    assert_eq!(s.total.entries(), 5);
    assert!(
        e.svc
            .assessment_summary(NOV.next())
            .unwrap()
            .people
            .is_empty()
    );

    // the auditor may print and export (read-only for the data), and it is recorded
    let out = e.svc.print_assessment_summary(&p.auditor, NOV).unwrap();
    let doc = lopdf::Document::load(&out.path).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap().replace('\n', "");
    for want in [
        "考核月度汇总",
        "2026年11月",
        "王芳",
        "张伟",
        "150.00",
        "250.00",
        "客户要求暂缓",
        "所长签字",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
    assert_eq!(count_actions(&e, "assessment.print"), 1);

    let csv = e.svc.export_assessment_csv(&p.auditor, NOV).unwrap();
    let summary = std::fs::read(&csv.summary).unwrap();
    assert!(summary.starts_with("\u{feff}".as_bytes()), "BOM for Excel");
    let summary = String::from_utf8(summary).unwrap();
    let lines: Vec<&str> = summary.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "月份,人员,待确认件数,待确认金额(元),已确认件数,已确认金额(元),免考核件数,免考核金额(元),金额未设件数"
    );
    assert_eq!(lines[1], "2026-11,王芳,0,0.00,2,150.00,0,0.00,0");
    assert_eq!(lines[2], "2026-11,张伟,1,50.00,1,100.00,1,50.00,0");
    assert_eq!(lines[3], "2026-11,合计,1,50.00,3,250.00,1,50.00,0");
    assert!(summary.contains("\r\n"));
    let details = String::from_utf8(std::fs::read(&csv.details).unwrap()).unwrap();
    assert_eq!(details.lines().count(), 6);
    assert!(details.contains("已免考核"), "{details}");
    assert!(details.contains("客户要求暂缓"), "{details}");
    assert!(details.contains("业扩报装超时限"), "{details}");
    // a second export never overwrites the first
    let again = e.svc.export_assessment_csv(&p.auditor, NOV).unwrap();
    assert_ne!(again.summary, csv.summary);
    assert_eq!(count_actions(&e, "assessment.export"), 2);
    assert!(e.svc.verify().unwrap().ok());
}

#[test]
fn the_demo_has_a_month_of_entries_in_every_state() {
    let dir = tempfile::tempdir().unwrap();
    let clock = stationdesk::domain::clock::FixedClock::at(2026, 11, 24, 17, 0);
    stationdesk::demo::seed::build_demo_station(
        dir.path(),
        std::sync::Arc::new(clock.clone()),
        300,
        7,
    )
    .unwrap();
    let store =
        stationdesk::store::Store::open(&dir.path().join(stationdesk::service::DB_FILE)).unwrap();
    let now = clock.now();
    let d = stationdesk::demo::seed::assessment::seed(store, dir.path(), now).unwrap();
    assert!(d.entries >= 8, "{d:?}");
    let svc = stationdesk::service::Service::open(dir.path(), std::sync::Arc::new(clock)).unwrap();
    let month = svc
        .assessment_entries(&EntryFilter {
            month: Some(NOV),
            ..Default::default()
        })
        .unwrap();
    for s in [
        EntryState::Pending,
        EntryState::Confirmed,
        EntryState::Waived,
    ] {
        assert!(month.iter().any(|x| x.state == s), "{s:?}: {d:?}");
    }
    assert!(month.iter().any(|x| x.amount_unset), "{d:?}");
    assert!(month.iter().any(|x| x.amount == yuan("50")), "{d:?}");
    assert!(month.iter().any(|x| x.amount == yuan("100")), "{d:?}");
    assert!(
        month
            .iter()
            .filter(|x| x.state == EntryState::Waived)
            .all(|x| !x.reason.is_empty())
    );
    assert!(svc.verify().unwrap().ok());
}

#[test]
fn the_chief_cannot_decide_an_entry_about_himself_it_goes_to_the_county() {
    let (mut e, p) = station();
    set_amounts(&mut e, &p.chief, "order_overdue", "50", "100");
    e.svc
        .run_assessment_check(&[fact(1, "whole", p.chief.staff_id, 3, true)])
        .unwrap();
    let id = month_entries(&e)[0].id;
    for attempt in 0..2 {
        let err = if attempt == 0 {
            e.svc.confirm_assessment_entry(&p.chief, id).unwrap_err()
        } else {
            e.svc
                .waive_assessment_entry(&p.chief, id, "不可抗力")
                .unwrap_err()
        };
        assert!(err.message().contains("待上级审核"), "{}", err.message());
    }
    // still pending, marked for the county, visible to the auditor; marked once
    let seen = e.svc.assessment_entry(id).unwrap();
    assert_eq!(seen.state, EntryState::Pending);
    assert!(seen.for_county);
    assert!(seen.marks().contains("待上级审核"), "{}", seen.marks());
    let _ = &p.auditor;
    assert_eq!(count_actions(&e, "assessment.for_county"), 1);
    assert!(e.svc.verify().unwrap().ok());
}

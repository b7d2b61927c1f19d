use std::str::FromStr;

use proptest::prelude::*;

use super::*;
use crate::domain::calendar::WorkCalendar;
use serde_json::Value;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn yuan(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn rule(id: i64, trigger: TriggerKind, param: i64) -> Rule {
    Rule {
        id,
        code: format!("r{id}"),
        item: "业扩报装超时限".into(),
        trigger,
        param,
        unit: Unit::Household,
        amount_residential: Some(yuan("50")),
        amount_other: Some(yuan("100")),
        active: true,
        note: String::new(),
    }
}

fn fact(order_id: i64, stage: &str, overdue: i64, residential: bool) -> DeadlineFact {
    DeadlineFact {
        order_id,
        tracking_no: format!("WZ01202611{order_id:06}"),
        stage: stage.into(),
        stage_label: "现场勘查".into(),
        residential,
        holder_id: 7,
        due: d(2026, 11, 16),
        done: None,
        overdue_days: overdue,
    }
}

/// The 2026 calendar as far as the tests need it (National Day week and its make-up days).
fn calendar() -> WorkCalendar {
    let off = (1..=7).map(|day| d(2026, 10, day));
    WorkCalendar::new(off, [d(2026, 9, 20), d(2026, 10, 10)], [2026])
}

fn file(created_on: NaiveDate) -> IncompleteFile {
    IncompleteFile {
        customer_id: 42,
        account_no: "0370000000042".into(),
        name: "王小明".into(),
        residential: true,
        created_by: 3,
        created_on,
        missing: "联系电话".into(),
    }
}

const TODAY: (i32, u32, u32) = (2026, 11, 24);

fn today() -> NaiveDate {
    d(TODAY.0, TODAY.1, TODAY.2)
}

#[test]
fn exactly_n_days_late_is_not_more_than_n() {
    let rules = [rule(1, TriggerKind::StageOverdue, 1)];
    let facts = [
        fact(1, "survey", 0, true),
        fact(2, "survey", 1, true),
        fact(3, "survey", 2, true),
        fact(4, "survey", -3, true),
    ];
    let out = evaluate(&rules, &facts, &[], &calendar(), today());
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].subject, "order:3:survey");
    assert_eq!(out[0].staff_id, 7, "the holder is assessed");
    assert_eq!(
        out[0].month,
        Month {
            year: 2026,
            month: 11
        }
    );
    assert_eq!(
        out[0].summary,
        "工单 WZ01202611000003 现场勘查 应于 2026-11-16 完成，未完成，超期 2 个工作日"
    );
    assert_eq!(out[0].evidence["due"], "2026-11-16");
    assert_eq!(out[0].evidence["done"], Value::Null);
    assert_eq!(out[0].evidence["overdue_days"], 2);
}

#[test]
fn residential_and_other_customers_have_their_own_rate() {
    let rules = [rule(1, TriggerKind::StageOverdue, 1)];
    let facts = [fact(1, "whole", 5, true), fact(2, "whole", 5, false)];
    let out = evaluate(&rules, &facts, &[], &calendar(), today());
    assert_eq!(out[0].amount, yuan("50.00"));
    assert!(!out[0].amount_unset);
    assert_eq!(out[1].amount, yuan("100.00"));
}

#[test]
fn a_rule_without_amount_records_zero_and_flags_it() {
    let mut r = rule(1, TriggerKind::StageOverdue, 1);
    r.amount_other = None;
    let facts = [fact(1, "whole", 3, false), fact(2, "whole", 3, true)];
    let out = evaluate(&[r], &facts, &[], &calendar(), today());
    assert_eq!((out[0].amount, out[0].amount_unset), (Decimal::ZERO, true));
    assert_eq!((out[1].amount, out[1].amount_unset), (yuan("50"), false));
}

#[test]
fn inactive_rules_and_rules_without_data_create_nothing() {
    let mut off = rule(1, TriggerKind::StageOverdue, 1);
    off.active = false;
    let facts = [fact(1, "whole", 9, true)];
    let files = [file(d(2026, 11, 2))];
    assert!(evaluate(&[off], &facts, &files, &calendar(), today()).is_empty());
    // complaints come from their own facts (evaluate_complaints), never from order facts
    let k = TriggerKind::ComplaintDelay;
    assert!(k.has_source());
    let out = evaluate(&[rule(2, k, 0)], &facts, &files, &calendar(), today());
    assert!(out.is_empty(), "{k:?}");
}

#[test]
fn a_rotation_item_not_done_gives_one_entry_to_the_area_manager_and_only_under_its_rule() {
    let missed = [RotationFact {
        item_id: 7,
        year: 2026,
        month: 10,
        asset_no: "3710000001".into(),
        account_no: "0370000000001".into(),
        name: "张三".into(),
        residential: true,
        holder_id: 4,
    }];
    let rot = rule(3, TriggerKind::RotationMissed, 0);
    let out = evaluate_rotation(std::slice::from_ref(&rot), &missed, d(2026, 11, 2));
    assert_eq!(out.len(), 1);
    assert_eq!(
        (out[0].subject.as_str(), out[0].staff_id),
        ("rotation:7", 4)
    );
    assert!(
        out[0]
            .summary
            .contains("2026 年 10 月轮换计划：表计 3710000001"),
        "{}",
        out[0].summary
    );
    assert!(
        out[0].summary.contains("至 2026-10-31 未换"),
        "{}",
        out[0].summary
    );
    let lines = evidence_lines(&out[0].evidence);
    assert!(
        lines.contains(&("计划月末", "2026-10-31".to_string())),
        "{lines:?}"
    );
    // another rule's kind, or an inactive rotation rule, gives nothing
    assert!(
        evaluate_rotation(
            &[rule(1, TriggerKind::StageOverdue, 1)],
            &missed,
            d(2026, 11, 2)
        )
        .is_empty()
    );
    let mut off = rot;
    off.active = false;
    assert!(evaluate_rotation(&[off], &missed, d(2026, 11, 2)).is_empty());
    assert!(TriggerKind::RotationMissed.has_source() && !TriggerKind::RotationMissed.uses_param());
}

#[test]
fn a_fault_swap_past_its_limit_fires_the_faulty_meter_rule_only() {
    let late = [fact(9, "meter_swap", 2, true)];
    let faulty = rule(4, TriggerKind::FaultyMeter, 1);
    let out = evaluate_faulty(std::slice::from_ref(&faulty), &late, today());
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].subject, "order:9:meter_swap");
    assert!(out[0].summary.starts_with("故障换表"), "{}", out[0].summary);
    // exactly N days over is not more than N
    let strict = rule(4, TriggerKind::FaultyMeter, 2);
    assert!(evaluate_faulty(&[strict], &late, today()).is_empty());
    // the stage rule never takes these facts, nor the faulty rule the stage facts
    assert!(evaluate_faulty(&[rule(1, TriggerKind::StageOverdue, 0)], &late, today()).is_empty());
    assert!(TriggerKind::FaultyMeter.has_source() && TriggerKind::FaultyMeter.uses_param());
}

#[test]
fn one_entry_per_stage_and_rule() {
    let rules = [
        rule(1, TriggerKind::StageOverdue, 1),
        rule(2, TriggerKind::StageOverdue, 3),
    ];
    let facts = [fact(1, "survey", 2, true), fact(1, "whole", 4, true)];
    let subjects: Vec<(i64, String)> = evaluate(&rules, &facts, &[], &calendar(), today())
        .into_iter()
        .map(|e| (e.rule_id, e.subject))
        .collect();
    assert_eq!(
        subjects,
        vec![
            (1, "order:1:survey".to_string()),
            (1, "order:1:whole".to_string()),
            (2, "order:1:whole".to_string()),
        ]
    );
}

#[test]
fn incomplete_files_count_working_days_since_they_were_opened() {
    let r = rule(5, TriggerKind::FileIncomplete, 0);
    let cal = calendar();
    // opened today: 0 working days, not more than 0
    assert!(
        evaluate(
            std::slice::from_ref(&r),
            &[],
            &[file(today())],
            &cal,
            today()
        )
        .is_empty()
    );
    // opened on Friday 2026-11-13, looked at on Monday 11-16: one working day
    let out = evaluate(
        std::slice::from_ref(&r),
        &[],
        &[file(d(2026, 11, 13))],
        &cal,
        d(2026, 11, 16),
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].subject, "customer:42");
    assert_eq!(out[0].staff_id, 3, "the person who opened the file");
    assert_eq!(out[0].evidence["days_incomplete"], 1);
    // Sun 2026-09-20 is a make-up working day: Fri 09-18 → Mon 09-21 is two
    let out = evaluate(
        &[rule(5, TriggerKind::FileIncomplete, 1)],
        &[],
        &[file(d(2026, 9, 18))],
        &cal,
        d(2026, 9, 21),
    );
    assert_eq!(out[0].evidence["days_incomplete"], 2);
    // the National Day week does not count: opened Wed 09-30, looked at Thu 10-08
    let mut slow = r;
    slow.param = 1;
    slow.id = 6;
    let out = evaluate(
        &[slow.clone()],
        &[],
        &[file(d(2026, 9, 30))],
        &cal,
        d(2026, 10, 8),
    );
    assert!(out.is_empty(), "only 10-08 is a working day: {out:?}");
    // Sat 10-10 is a make-up working day
    let out = evaluate(&[slow], &[], &[file(d(2026, 9, 30))], &cal, d(2026, 10, 10));
    assert_eq!(out.len(), 1);
    assert!(out[0].summary.contains("缺联系电话"), "{}", out[0].summary);
}

#[test]
fn months_parse_step_and_print() {
    let m = Month::parse("2026-01").unwrap();
    assert_eq!(
        m.prev(),
        Month {
            year: 2025,
            month: 12
        }
    );
    assert_eq!(m.prev().next(), m);
    assert_eq!(
        Month {
            year: 2026,
            month: 12
        }
        .next()
        .code(),
        "2027-01"
    );
    assert_eq!(m.label(), "2026年1月");
    assert_eq!(Month::of(d(2026, 11, 30)).code(), "2026-11");
    for bad in ["", "2026", "2026-13", "2026-0", "26-01", "2026-1x"] {
        assert_eq!(Month::parse(bad), None, "{bad}");
    }
}

#[test]
fn summary_per_person_counts_and_adds_by_state() {
    let it = |staff_id, name, state, amount: &str, unset| SummaryItem {
        staff_id,
        staff_name: name,
        state,
        amount: yuan(amount),
        amount_unset: unset,
    };
    let (people, total) = summarize([
        it(2, "张伟", EntryState::Confirmed, "50", false),
        it(1, "李娜", EntryState::Pending, "100", false),
        it(2, "张伟", EntryState::Confirmed, "100", false),
        it(2, "张伟", EntryState::Waived, "50", false),
        it(1, "李娜", EntryState::Confirmed, "0", true),
    ]);
    assert_eq!(people.len(), 2);
    assert_eq!(people[0].staff_name, "李娜");
    assert_eq!(
        people[0].pending,
        Tally {
            count: 1,
            amount: yuan("100")
        }
    );
    assert_eq!(people[0].confirmed.count, 1);
    assert_eq!(people[0].amount_unset, 1);
    assert_eq!(
        people[1].confirmed,
        Tally {
            count: 2,
            amount: yuan("150")
        }
    );
    assert_eq!(
        people[1].waived,
        Tally {
            count: 1,
            amount: yuan("50")
        }
    );
    assert_eq!(people[1].entries(), 3);
    assert_eq!(
        total.confirmed,
        Tally {
            count: 3,
            amount: yuan("150")
        }
    );
    assert_eq!(total.entries(), 5);
    assert_eq!(total.staff_name, "合计");
}

#[test]
fn evidence_reads_as_lines() {
    let out = evaluate(
        &[rule(1, TriggerKind::StageOverdue, 1)],
        &[DeadlineFact {
            done: Some(d(2026, 11, 20)),
            ..fact(9, "survey", 4, false)
        }],
        &[],
        &calendar(),
        today(),
    );
    let lines = evidence_lines(&out[0].evidence);
    assert!(lines.contains(&("完成日期", "2026-11-20".to_string())));
    assert!(lines.contains(&("超期", "4 个工作日".to_string())));
    assert!(lines.contains(&("客户类别", "非居民".to_string())));
    assert_eq!(rate_label(Some(yuan("50")), Unit::Household), "50.00 元/户");
    assert_eq!(rate_label(None, Unit::Meter), "未设");
}

#[test]
fn codes_round_trip() {
    for k in TriggerKind::ALL {
        assert_eq!(TriggerKind::from_code(k.code()), Some(k));
    }
    for u in Unit::ALL {
        assert_eq!(Unit::from_code(u.code()), Some(u));
    }
    for s in EntryState::ALL {
        assert_eq!(EntryState::from_code(s.code()), Some(s));
    }
}

proptest! {
    /// Whatever the facts, an entry exists exactly for the facts more than N days overdue,
    /// once per rule and subject.
    #[test]
    fn entries_follow_the_threshold(
        param in 0i64..10,
        overdue in proptest::collection::vec(-5i64..20, 0..30),
    ) {
        let facts: Vec<DeadlineFact> = overdue
            .iter()
            .enumerate()
            .map(|(i, o)| fact(i as i64, "whole", *o, i % 2 == 0))
            .collect();
        let out = evaluate(&[rule(1, TriggerKind::StageOverdue, param)], &facts, &[], &calendar(), today());
        let expected = overdue.iter().filter(|o| **o > param).count();
        prop_assert_eq!(out.len(), expected);
        let mut subjects: Vec<&str> = out.iter().map(|e| e.subject.as_str()).collect();
        subjects.dedup();
        prop_assert_eq!(subjects.len(), expected);
        for e in &out {
            let rate = if e.residential { yuan("50") } else { yuan("100") };
            prop_assert_eq!(e.amount, rate);
        }
    }
}

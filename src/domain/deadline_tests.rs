use super::*;
use crate::domain::calendar::official_2025_2026;
use crate::domain::work_order::stage_chain;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(date: NaiveDate, h: u32) -> NaiveDateTime {
    date.and_hms_opt(h, 0, 0).unwrap()
}

fn chain(
    kind: RequestKind,
    class: Option<ConnectionClass>,
    works: bool,
) -> Vec<(Stage, Option<NaiveDate>)> {
    stage_chain(kind, class, works)
        .into_iter()
        .map(|s| (s, None))
        .collect()
}

fn plan_of(
    kind: RequestKind,
    class: Option<ConnectionClass>,
    accepted: NaiveDate,
    stages: &[(Stage, Option<NaiveDate>)],
    pauses: &[Pause],
) -> Plan {
    plan(
        &DeadlineRules::default(),
        &official_2025_2026(),
        &OrderClock {
            kind,
            class,
            external_works: false,
            accepted_at: at(accepted, 9),
            stages,
            pauses,
        },
    )
}

fn due_of(p: &Plan, stage: Stage) -> Option<NaiveDate> {
    p.stages
        .iter()
        .find(|s| s.stage == stage)
        .and_then(|s| s.due)
}

const RES: Option<ConnectionClass> = Some(ConnectionClass::LvResidential);

#[test]
fn the_worked_cases_of_the_issue() {
    let mut stages = chain(RequestKind::NewConnection, RES, false);
    stages[0].1 = Some(d(2026, 1, 29));
    let p = plan_of(
        RequestKind::NewConnection,
        RES,
        d(2026, 1, 29),
        &stages,
        &[],
    );
    assert_eq!(p.whole_due, Some(d(2026, 2, 5)));
    assert_eq!(due_of(&p, Stage::Energize), Some(d(2026, 2, 5)));
    // survey: 2 working days
    assert_eq!(due_of(&p, Stage::Survey), Some(d(2026, 2, 2)));
    // filing: 3 working days after the promised energising
    assert_eq!(due_of(&p, Stage::Archive), Some(d(2026, 2, 10)));

    let p = plan_of(
        RequestKind::NewConnection,
        RES,
        d(2026, 2, 12),
        &stages,
        &[],
    );
    assert_eq!(p.whole_due, Some(d(2026, 2, 26)));
}

#[test]
fn class_limits_follow_the_settings() {
    let r = DeadlineRules::default();
    use ConnectionClass::*;
    let k = RequestKind::NewConnection;
    assert_eq!(
        r.whole_limit(k, Some(LvResidential), false),
        Some(Limit::Days(5))
    );
    // 6 days of the service promise, but NDRC/NEA allows 5 without external works
    assert_eq!(
        r.whole_limit(k, Some(LvNonResidential), false),
        Some(Limit::Days(5))
    );
    assert_eq!(
        r.whole_limit(k, Some(LvNonResidential), true),
        Some(Limit::Days(15))
    );
    assert_eq!(
        r.whole_limit(k, Some(HvSingle), false),
        Some(Limit::Days(22))
    );
    assert_eq!(r.whole_limit(k, Some(HvDual), true), Some(Limit::Days(32)));
    assert_eq!(
        r.whole_limit(RequestKind::Resume, None, false),
        Some(Limit::Hours(24))
    );
    assert_eq!(
        r.whole_limit(RequestKind::FaultyMeter, None, false),
        Some(Limit::Days(3))
    );
    assert_eq!(r.whole_limit(RequestKind::Inquiry, None, false), None);
    let slower = DeadlineRules {
        lv_no_works: 8,
        ..r
    };
    assert_eq!(
        slower.whole_limit(k, Some(LvNonResidential), false),
        Some(Limit::Days(6))
    );
}

#[test]
fn a_stage_done_late_or_early_moves_the_later_dates() {
    let hv = Some(ConnectionClass::HvSingle);
    let accepted = d(2026, 3, 2); // Monday
    let mut stages = chain(RequestKind::NewConnection, hv, false);
    stages[0].1 = Some(accepted);
    let pause = [Pause {
        from: d(2026, 3, 10),
        to: d(2026, 6, 30),
    }];
    let p = plan_of(RequestKind::NewConnection, hv, accepted, &stages, &pause);
    // plan reply 15 working days from acceptance: Mar 3–9 (5), then the pause, Jul 1…
    let plan_due = due_of(&p, Stage::PlanReply).unwrap();
    assert_eq!(plan_due, d(2026, 7, 14));
    // the survey and the plan are done early (Mar 4, Mar 6): design review counts from Mar 6
    stages[1].1 = Some(d(2026, 3, 4));
    stages[2].1 = Some(d(2026, 3, 6));
    let p2 = plan_of(RequestKind::NewConnection, hv, accepted, &stages, &pause);
    // Mar 9, then the pause to Jun 30, then 9 more: Jul 1–3, 6–10, 13
    assert_eq!(due_of(&p2, Stage::DesignReview), Some(d(2026, 7, 13)));
    assert!(due_of(&p2, Stage::DesignReview).unwrap() < due_of(&p, Stage::DesignReview).unwrap());
    // no stage before completion is promised after the whole process
    for s in &p.stages[..=p.completion] {
        assert!(s.due.unwrap() <= p.whole_due.unwrap(), "{s:?}");
    }
    // the contract is due with energising at the latest
    assert!(due_of(&p, Stage::Contract) <= due_of(&p, Stage::Energize));
}

#[test]
fn a_pause_spanning_a_holiday_moves_the_promise() {
    let mut stages = chain(RequestKind::NewConnection, RES, false);
    stages[0].1 = Some(d(2026, 9, 28));
    let plain = plan_of(
        RequestKind::NewConnection,
        RES,
        d(2026, 9, 28),
        &stages,
        &[],
    );
    // Sep 29, 30, Oct 8, 9, 10 (make-up Saturday)
    assert_eq!(plain.whole_due, Some(d(2026, 10, 10)));
    let pause = [Pause {
        from: d(2026, 9, 30),
        to: d(2026, 10, 9),
    }];
    let paused = plan_of(
        RequestKind::NewConnection,
        RES,
        d(2026, 9, 28),
        &stages,
        &pause,
    );
    // Sep 29, Oct 10, 12, 13, 14
    assert_eq!(paused.whole_due, Some(d(2026, 10, 14)));
}

#[test]
fn hour_limits_for_resuming_supply() {
    let stages = chain(RequestKind::Resume, None, false);
    let p = plan(
        &DeadlineRules::default(),
        &official_2025_2026(),
        &OrderClock {
            kind: RequestKind::Resume,
            class: None,
            external_works: false,
            accepted_at: at(d(2026, 11, 20), 15),
            stages: &stages,
            pauses: &[],
        },
    );
    assert_eq!(p.whole_due_at, Some(at(d(2026, 11, 21), 15)));
    let cal = official_2025_2026();
    let r = DeadlineRules::default();
    let u = urgency(&r, &cal, &p, &[], at(d(2026, 11, 21), 10), false);
    assert_eq!(u, Urgency::DueToday { hours: Some(5) });
    assert_eq!(u.mark(), "剩 5小时");
    let u = urgency(&r, &cal, &p, &[], at(d(2026, 11, 21), 18), false);
    assert_eq!(u.mark(), "逾期 3小时");
    let u = urgency(&r, &cal, &p, &[], at(d(2026, 11, 24), 16), false);
    assert_eq!(u.mark(), "逾期 3天");
    // issue 18: 10 hours left but due tomorrow is at risk, not 今日到期
    let u = urgency(&r, &cal, &p, &[], at(d(2026, 11, 20), 20), false);
    assert_eq!(u, Urgency::AtRiskHours { hours: 19 });
    assert_eq!(u.mark(), "剩 19小时");
    assert_eq!(u.rank(), Urgency::AtRisk { days: 1 }.rank());
}

/// Issue 18: the board is sorted as the README says: the most overdue first, then due
/// today (fewest hours left first), at risk, on track, paused.
#[test]
fn most_overdue_first_then_due_today_at_risk_on_track_paused() {
    let mut v = vec![
        Urgency::Paused,
        Urgency::OnTrack { days: 9 },
        Urgency::Overdue {
            days: 1,
            hours: None,
        },
        Urgency::AtRisk { days: 2 },
        Urgency::DueToday { hours: None },
        Urgency::Overdue {
            days: 5,
            hours: None,
        },
        Urgency::AtRiskHours { hours: 10 },
        Urgency::DueToday { hours: Some(3) },
        Urgency::Overdue {
            days: 0,
            hours: Some(30),
        },
    ];
    v.sort_by_key(|u| u.sort_key());
    assert_eq!(
        v.iter().map(|u| u.mark()).collect::<Vec<_>>(),
        [
            "逾期 5天",
            "逾期 1天",
            "逾期 1天",
            "剩 3小时",
            "今日到期",
            "剩 10小时",
            "剩 2天",
            "剩 9天",
            "暂停计时",
        ]
    );
    assert_eq!(
        v[1],
        Urgency::Overdue {
            days: 0,
            hours: Some(30)
        },
        "30 hours > 1 day"
    );
}

#[test]
fn urgency_marks_are_words() {
    let cal = official_2025_2026();
    let r = DeadlineRules::default();
    let mut stages = chain(RequestKind::NewConnection, RES, false);
    stages[0].1 = Some(d(2026, 1, 29));
    stages[1].1 = Some(d(2026, 1, 30));
    let p = plan_of(
        RequestKind::NewConnection,
        RES,
        d(2026, 1, 29),
        &stages,
        &[],
    );
    // energising due Thu Feb 5
    let u = |day: NaiveDate| urgency(&r, &cal, &p, &[], at(day, 10), false);
    assert_eq!(u(d(2026, 2, 5)).mark(), "今日到期");
    assert_eq!(u(d(2026, 2, 3)).mark(), "剩 2天");
    assert!(matches!(u(d(2026, 2, 3)), Urgency::AtRisk { days: 2 }));
    assert!(matches!(u(d(2026, 2, 2)), Urgency::OnTrack { days: 3 }));
    assert_eq!(u(d(2026, 2, 10)).mark(), "逾期 3天");
    // a Saturday after a Friday due date is still overdue, by at least one day
    let mut stages = chain(RequestKind::Suspend, None, false);
    stages[0].1 = Some(d(2026, 11, 13));
    let p = plan_of(RequestKind::Suspend, None, d(2026, 11, 13), &stages, &[]);
    assert_eq!(p.whole_due, Some(d(2026, 11, 20)));
    assert_eq!(
        urgency(&r, &cal, &p, &[], at(d(2026, 11, 21), 9), false).mark(),
        "逾期 1天"
    );
    assert_eq!(
        urgency(&r, &cal, &p, &[], at(d(2026, 11, 21), 9), true),
        Urgency::Paused
    );
    assert!(
        Urgency::Overdue {
            days: 1,
            hours: None
        }
        .rank()
            < Urgency::DueToday { hours: None }.rank()
    );
}

#[test]
fn warnings_at_half_and_three_quarters() {
    let cal = official_2025_2026();
    let r = DeadlineRules {
        lv_residential: 4,
        lv_no_works: 4,
        ..DeadlineRules::default()
    };
    let stages = chain(RequestKind::NewConnection, RES, false);
    let p = plan(
        &r,
        &cal,
        &OrderClock {
            kind: RequestKind::NewConnection,
            class: RES,
            external_works: false,
            accepted_at: at(d(2026, 11, 16), 9),
            stages: &stages,
            pauses: &[],
        },
    );
    let pct = |day| percent_used(&cal, &p, d(2026, 11, 16), day, &[]);
    assert_eq!(pct(d(2026, 11, 17)), Some(25));
    assert_eq!(warning(&r, pct(d(2026, 11, 17))), None);
    assert_eq!(
        warning(&r, pct(d(2026, 11, 18))).as_deref(),
        Some("预警 50%")
    );
    assert_eq!(
        warning(&r, pct(d(2026, 11, 19))).as_deref(),
        Some("预警 75%")
    );
    // at or past the limit the board says 逾期 / 今日到期 instead
    assert_eq!(warning(&r, pct(d(2026, 11, 20))), None);
}

#[test]
fn overdue_days_count_working_days_to_the_end_of_the_stage() {
    let cal = official_2025_2026();
    let s = StagePlan {
        stage: Stage::Energize,
        due: Some(d(2026, 2, 12)),
        done: Some(d(2026, 2, 26)),
    };
    // Feb 13, 14 (make-up Saturday), 24, 25, 26
    assert_eq!(overdue_days(&cal, &s, d(2026, 3, 1), &[]), 5);
    let on_time = StagePlan {
        done: Some(d(2026, 2, 12)),
        ..s
    };
    assert_eq!(overdue_days(&cal, &on_time, d(2026, 3, 1), &[]), 0);
    let open = StagePlan { done: None, ..s };
    assert_eq!(overdue_days(&cal, &open, d(2026, 2, 13), &[]), 1);
}

#[test]
fn a_promise_is_kept_by_the_whole_process_and_for_high_voltage_by_every_stage() {
    let mut stages = chain(RequestKind::NewConnection, RES, false);
    stages[0].1 = Some(d(2026, 1, 29));
    let open = plan_of(
        RequestKind::NewConnection,
        RES,
        d(2026, 1, 29),
        &stages,
        &[],
    );
    assert_eq!(open.kept(false), None, "not completed: not counted");
    let i = open.completion;
    stages[i].1 = Some(d(2026, 2, 5));
    let p = plan_of(
        RequestKind::NewConnection,
        RES,
        d(2026, 1, 29),
        &stages,
        &[],
    );
    assert_eq!(p.kept(false), Some(true), "on the promised day");
    stages[i].1 = Some(d(2026, 2, 6));
    let p = plan_of(
        RequestKind::NewConnection,
        RES,
        d(2026, 1, 29),
        &stages,
        &[],
    );
    assert_eq!(p.kept(false), Some(false), "a day late");

    // high voltage: completed in time overall, but one supplier stage late
    let hv = Some(ConnectionClass::HvSingle);
    let mut stages = chain(RequestKind::NewConnection, hv, false);
    let accepted = d(2026, 3, 2);
    stages[0].1 = Some(accepted);
    let first = plan_of(RequestKind::NewConnection, hv, accepted, &stages, &[]);
    for (k, s) in first.stages.iter().enumerate().skip(1) {
        stages[k].1 = s.due;
    }
    let p = plan_of(RequestKind::NewConnection, hv, accepted, &stages, &[]);
    assert_eq!(p.kept(true), Some(true));
    let late = first
        .stages
        .iter()
        .position(|s| s.stage == Stage::Survey)
        .unwrap();
    stages[late].1 = first.stages[late].due.map(|x| x + Duration::days(1));
    let p = plan_of(RequestKind::NewConnection, hv, accepted, &stages, &[]);
    if p.completed_on() <= p.whole_due {
        assert_eq!(
            p.kept(true),
            Some(false),
            "a late stage fails the whole job"
        );
    }
}

proptest! {
    #[test]
    fn pauses_never_bring_a_promise_earlier(offset in 0i64..700, p0 in 0i64..30, len in 0i64..30, done_after in 0i64..20) {
        let accepted = d(2025, 1, 1) + Duration::days(offset);
        let mut stages = chain(RequestKind::NewConnection, Some(ConnectionClass::HvDual), false);
        stages[0].1 = Some(accepted);
        stages[1].1 = Some(accepted + Duration::days(done_after));
        let pause = [Pause { from: accepted + Duration::days(p0), to: accepted + Duration::days(p0 + len) }];
        let a = plan_of(RequestKind::NewConnection, Some(ConnectionClass::HvDual), accepted, &stages, &[]);
        let b = plan_of(RequestKind::NewConnection, Some(ConnectionClass::HvDual), accepted, &stages, &pause);
        for (x, y) in a.stages.iter().zip(&b.stages) {
            prop_assert!(y.due >= x.due, "{:?} {:?}", x, y);
        }
        prop_assert!(b.whole_due >= a.whole_due);
    }

    #[test]
    fn promised_dates_never_go_backwards_along_the_chain(offset in 0i64..700, class in 0usize..4) {
        let class = [ConnectionClass::LvResidential, ConnectionClass::LvNonResidential, ConnectionClass::HvSingle, ConnectionClass::HvDual][class];
        let accepted = d(2025, 1, 1) + Duration::days(offset);
        let stages = chain(RequestKind::NewConnection, Some(class), false);
        let p = plan_of(RequestKind::NewConnection, Some(class), accepted, &stages, &[]);
        let dues: Vec<_> = p.stages.iter().map(|s| s.due.unwrap()).collect();
        prop_assert!(dues.windows(2).all(|w| w[0] <= w[1]), "{:?}", dues);
        prop_assert!(dues[p.completion] <= p.whole_due.unwrap());
    }
}

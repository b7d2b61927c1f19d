//! Tests of the work-order rules: chains, documents, stage order, fees, stale flag.
use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn statuses(chain: &[Stage], done: usize) -> Vec<StageStatus> {
    chain
        .iter()
        .enumerate()
        .map(|(i, s)| StageStatus {
            stage: *s,
            done: i < done,
        })
        .collect()
}

fn facts(stages: &[StageStatus]) -> OrderFacts<'_> {
    OrderFacts {
        state: OrderState::Open,
        stages,
        missing_documents: 0,
        uncollected_fees: 0,
        fast_channel: false,
    }
}

#[test]
fn codes_round_trip() {
    for k in RequestKind::ALL {
        assert_eq!(RequestKind::from_code(k.code()), Some(k));
    }
    for s in Stage::ALL {
        assert_eq!(Stage::from_code(s.code()), Some(s));
    }
    for c in ConnectionClass::ALL {
        assert_eq!(ConnectionClass::from_code(c.code()), Some(c));
    }
    for doc in Document::ALL {
        assert_eq!(Document::from_code(doc.code()), Some(doc));
    }
    for s in OrderState::ALL {
        assert_eq!(OrderState::from_code(s.code()), Some(s));
    }
    for c in ContactChannel::ALL {
        assert_eq!(ContactChannel::from_code(c.code()), Some(c));
    }
}

#[test]
fn chains_follow_domain_section_2() {
    let hv = stage_chain(
        RequestKind::NewConnection,
        Some(ConnectionClass::HvDual),
        true,
    );
    let labels: Vec<_> = hv.iter().map(|s| s.label()).collect();
    assert_eq!(
        labels,
        [
            "受理",
            "现场勘查",
            "答复供电方案",
            "设计审查",
            "中间检查",
            "竣工检验",
            "签订供用电合同",
            "装表接电",
            "归档"
        ]
    );
    let lv = stage_chain(
        RequestKind::NewConnection,
        Some(ConnectionClass::LvResidential),
        false,
    );
    assert_eq!(
        lv,
        [
            Stage::Accept,
            Stage::Survey,
            Stage::Energize,
            Stage::Archive
        ]
    );
    let lv_works = stage_chain(
        RequestKind::NewConnection,
        Some(ConnectionClass::LvNonResidential),
        true,
    );
    assert_eq!(lv_works[2], Stage::ExternalWorks);
    assert_eq!(
        stage_chain(RequestKind::Rename, None, false),
        [Stage::Accept, Stage::Review, Stage::Archive]
    );
    assert_eq!(
        stage_chain(RequestKind::Inquiry, None, false),
        [Stage::Accept]
    );
    for k in RequestKind::ALL {
        let c = stage_chain(k, None, false);
        assert_eq!(c[0], Stage::Accept, "{k:?}");
        if k != RequestKind::Inquiry {
            assert_eq!(c.last(), Some(&Stage::Archive), "{k:?}");
        }
    }
}

#[test]
fn one_id_is_enough_to_accept() {
    let req = required_documents(
        RequestKind::NewConnection,
        Some(ConnectionClass::LvResidential),
    );
    let missing = missing_at_acceptance(&req, &[Document::IdProof]).unwrap();
    assert_eq!(missing, [Document::PropertyProof]);
    assert!(
        missing_at_acceptance(&req, &[])
            .unwrap_err()
            .to_string()
            .contains("身份证明")
    );
    assert!(
        missing_at_acceptance(&required_documents(RequestKind::Inquiry, None), &[])
            .unwrap()
            .is_empty()
    );
}

#[test]
fn stages_go_in_order() {
    let chain = stage_chain(
        RequestKind::NewConnection,
        Some(ConnectionClass::LvResidential),
        false,
    );
    let st = statuses(&chain, 1);
    let f = facts(&st);
    assert_eq!(f.current_stage(), Some(Stage::Survey));
    let e = check_complete_stage(&f, Stage::Energize).unwrap_err();
    assert!(e.to_string().contains("请先完成「现场勘查」"), "{e}");
    assert_eq!(check_complete_stage(&f, Stage::Survey), Ok((1, false)));
    assert!(
        check_complete_stage(&f, Stage::Accept)
            .unwrap_err()
            .to_string()
            .contains("已经完成")
    );
    assert!(
        check_complete_stage(&f, Stage::PlanReply)
            .unwrap_err()
            .to_string()
            .contains("没有")
    );
    let st = statuses(&chain, 3);
    assert_eq!(
        check_complete_stage(&facts(&st), Stage::Archive),
        Ok((3, true))
    );
    let cancelled = OrderFacts {
        state: OrderState::Cancelled,
        ..facts(&st)
    };
    assert!(check_complete_stage(&cancelled, Stage::Archive).is_err());
}

#[test]
fn energize_and_archive_need_the_papers() {
    let chain = stage_chain(
        RequestKind::NewConnection,
        Some(ConnectionClass::LvResidential),
        false,
    );
    let st = statuses(&chain, 2);
    let missing = OrderFacts {
        missing_documents: 1,
        ..facts(&st)
    };
    assert!(
        check_complete_stage(&missing, Stage::Energize)
            .unwrap_err()
            .to_string()
            .contains("快速通道")
    );
    let fast = OrderFacts {
        fast_channel: true,
        ..missing
    };
    assert!(check_complete_stage(&fast, Stage::Energize).is_ok());
    let st = statuses(&chain, 3);
    let fast = OrderFacts {
        stages: &st,
        ..fast
    };
    assert!(
        check_complete_stage(&fast, Stage::Archive)
            .unwrap_err()
            .to_string()
            .contains("资料")
    );
    let unpaid = OrderFacts {
        uncollected_fees: 2,
        ..facts(&st)
    };
    assert!(
        check_complete_stage(&unpaid, Stage::Archive)
            .unwrap_err()
            .to_string()
            .contains("费用")
    );
}

#[test]
fn no_fee_before_the_survey() {
    let chain = stage_chain(
        RequestKind::NewConnection,
        Some(ConnectionClass::HvSingle),
        false,
    );
    let st = statuses(&chain, 1);
    assert!(
        check_fee_collection(&facts(&st))
            .unwrap_err()
            .to_string()
            .contains("现场勘查")
    );
    let st = statuses(&chain, 2);
    assert!(check_fee_collection(&facts(&st)).is_ok());
    // a kind without survey may be charged once accepted
    let chain = stage_chain(RequestKind::MeterTest, None, false);
    let st = statuses(&chain, 1);
    assert!(check_fee_collection(&facts(&st)).is_ok());
    let c = OrderFacts {
        state: OrderState::Cancelled,
        ..facts(&st)
    };
    assert!(check_fee_collection(&c).is_err());
}

#[test]
fn cancel_needs_a_reason() {
    assert!(check_cancel(OrderState::Open, "  ").is_err());
    assert_eq!(
        check_cancel(OrderState::Open, " 客户不办了 ").unwrap(),
        "客户不办了"
    );
    assert!(check_cancel(OrderState::Completed, "x").is_err());
    assert!(check_cancel(OrderState::Cancelled, "x").is_err());
}

#[test]
fn stale_after_more_than_n_days_without_contact() {
    let acc = d(2026, 11, 2);
    assert!(!is_stale(OrderState::Open, acc, None, d(2026, 11, 12), 10));
    assert!(is_stale(OrderState::Open, acc, None, d(2026, 11, 13), 10));
    assert!(!is_stale(
        OrderState::Open,
        acc,
        Some(d(2026, 11, 10)),
        d(2026, 11, 13),
        10
    ));
    assert!(!is_stale(
        OrderState::Completed,
        acc,
        None,
        d(2026, 12, 31),
        10
    ));
    assert!(!is_stale(
        OrderState::Cancelled,
        acc,
        None,
        d(2026, 12, 31),
        10
    ));
}

#[test]
fn tracking_numbers() {
    assert_eq!(
        tracking_number("WZ01", d(2026, 11, 24), 7).unwrap(),
        "WZ01202611240007"
    );
    assert!(tracking_number("WZ01", d(2026, 11, 24), 10000).is_err());
    assert!(tracking_number("WZ01", d(2026, 11, 24), 0).is_err());
}

#[test]
fn refusals_read_as_the_counter_knows_them() {
    let out_of_order = OrderRefusal::OutOfOrder {
        before: Stage::Survey,
        stage: Stage::Energize,
    };
    assert_eq!(
        out_of_order.to_string(),
        "须按顺序办理：请先完成「现场勘查」，再办「装表接电」"
    );
    assert_eq!(
        OrderRefusal::NoSuchStage(Stage::PlanReply).to_string(),
        "本工单没有「答复供电方案」环节"
    );
    assert_eq!(
        OrderRefusal::PapersBeforeArchive(2).to_string(),
        "还有 2 项资料未补齐，不能归档"
    );
    assert_eq!(
        check_cancel(OrderState::Open, " "),
        Err(OrderRefusal::NoCancelReason)
    );
}

//! Rectification (限期整改, DOMAIN.md §7): a finding the auditor records against a person or
//! a 台区 with a deadline, the fix the person responsible records, and the auditor's
//! acceptance or return. Pure: the states, the moves between them, what is overdue.
use chrono::NaiveDate;

crate::coded_enum! {
    /// Where a finding is in its procedure.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum FindingState: "整改状态" {
        /// recorded, waiting for the fix
        Open = "open" / "待整改",
        /// the fix is recorded, waiting for the auditor
        Fixed = "fixed" / "待验收",
        /// the auditor sent the fix back
        Returned = "returned" / "退回重改",
        /// the auditor accepted the fix
        Accepted = "accepted" / "已销号",
    }
}

crate::coded_enum! {
    /// What a finding is about (the audit views it usually comes from).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum FindingCategory: "问题类别" {
        Receipts = "receipts" / "收据作废红冲补打",
        Numbers = "numbers" / "编号不连续",
        Cash = "cash" / "现金与收据不符",
        Deadline = "deadline" / "业扩时限",
        Fee = "fee" / "违规收费",
        File = "file" / "档案资料不全",
        Tariff = "tariff" / "电价执行",
        LateFee = "late_fee" / "违约金减免",
        Settings = "settings" / "参数修改",
        Accounts = "accounts" / "账号管理",
        Reading = "reading" / "抄表核算",
        Other = "other" / "其他",
    }
}

crate::coded_enum! {
    /// One step of the procedure after the finding is recorded.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum FindingStep: "整改环节" {
        /// the person responsible records what was done
        Fix = "fix" / "整改情况",
        /// the auditor accepts the fix (销号)
        Accept = "accept" / "验收通过",
        /// the auditor sends the fix back
        Return = "return" / "退回重改",
    }
}

/// The state after `step`, or why the step does not apply now.
pub fn after(state: FindingState, step: FindingStep) -> Result<FindingState, String> {
    use FindingState as S;
    use FindingStep as T;
    match (state, step) {
        (S::Open | S::Returned, T::Fix) => Ok(S::Fixed),
        (S::Fixed, T::Accept) => Ok(S::Accepted),
        (S::Fixed, T::Return) => Ok(S::Returned),
        (S::Fixed, T::Fix) => Err("整改情况已填报，等待稽查员验收".into()),
        (S::Accepted, _) => Err("该整改事项已销号".into()),
        (S::Open | S::Returned, T::Accept | T::Return) => {
            Err("责任人尚未填报整改情况，不能验收或退回".into())
        }
    }
}

/// Whether a finding is past its deadline on `today` and not yet fixed (a fix waiting for
/// the auditor is not the responsible person's delay).
pub fn overdue(state: FindingState, due_on: NaiveDate, today: NaiveDate) -> bool {
    matches!(state, FindingState::Open | FindingState::Returned) && today > due_on
}

/// The 整改单号 of the `seq`-th finding of `year`: `ZG2026-007`.
pub fn finding_no(year: i32, seq: i64) -> String {
    format!("ZG{year}-{seq:03}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use FindingState as S;
    use FindingStep as T;

    #[test]
    fn the_procedure_moves_only_forward_and_back_to_the_fix() {
        assert_eq!(after(S::Open, T::Fix), Ok(S::Fixed));
        assert_eq!(after(S::Fixed, T::Return), Ok(S::Returned));
        assert_eq!(after(S::Returned, T::Fix), Ok(S::Fixed));
        assert_eq!(after(S::Fixed, T::Accept), Ok(S::Accepted));
        assert!(after(S::Open, T::Accept).unwrap_err().contains("尚未填报"));
        assert!(after(S::Fixed, T::Fix).unwrap_err().contains("等待"));
        for t in FindingStep::ALL {
            assert!(after(S::Accepted, t).unwrap_err().contains("已销号"));
        }
    }

    #[test]
    fn overdue_counts_only_findings_waiting_for_their_fix() {
        let due = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let on = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert!(!overdue(S::Open, due, due));
        assert!(overdue(S::Open, due, on(1)));
        assert!(overdue(S::Returned, due, on(1)));
        assert!(!overdue(S::Fixed, due, on(1)));
        assert!(!overdue(S::Accepted, due, on(1)));
        assert_eq!(finding_no(2026, 7), "ZG2026-007");
    }
}

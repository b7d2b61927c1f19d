//! The review of the bills computed at the station (`compute.rs`), their release per
//! book, and the check against the provincial file's bills (电价执行检查).
use std::collections::HashMap;

use chrono::Duration;
use rust_decimal::Decimal;

use super::super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::billing::Period;
use crate::domain::money;
use crate::domain::role::Need;
use crate::domain::tariff::ReviewFlag;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::billing::{self as bills, NewBill};
use crate::store::readings::{self as store, Difference, FlagRow};

/// What a release did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Release {
    pub released: usize,
    /// of those, bills with money to pay (a zero bill is released without one)
    pub bills: usize,
    pub amount: Decimal,
    pub kwh: i64,
    /// held by a flag not accepted
    pub held: usize,
    /// the provincial file brought the bill: compared, not released
    pub imported: usize,
}

impl Service {
    /// The flags of a 台区's drafts for a period not yet released (open first).
    pub fn review_flags(&self, area_id: i64, period: Period) -> ServiceResult<Vec<FlagRow>> {
        Ok(store::flags(
            self.store().conn(),
            area_id,
            &period.to_string(),
        )?)
    }

    /// Where a 台区's drafts of a period stand.
    pub fn draft_counts(&self, area_id: i64, period: Period) -> ServiceResult<store::DraftCounts> {
        Ok(store::draft_counts(
            self.store().conn(),
            area_id,
            &period.to_string(),
        )?)
    }

    /// Accept a flag (the bill may go) or send it back (the reading is to be checked
    /// again), with a note.
    pub fn decide_flag(
        &mut self,
        session: &Session,
        flag_id: i64,
        accept: bool,
        note: &str,
    ) -> ServiceResult<()> {
        let cx = self.begin(session, Need::Write)?;
        let note = note.trim();
        if note.is_empty() {
            return Err(ServiceError::invalid("note", "请写明复核意见"));
        }
        if note.chars().count() > 100 || note.chars().any(char::is_control) {
            return Err(ServiceError::invalid("note", "复核意见最多 100 个字"));
        }
        self.store_mut().write(|tx| -> ServiceResult<()> {
            let (draft, customer, flag): (i64, i64, ReviewFlag) = store::open_flag(tx, flag_id)?
                .ok_or_else(|| {
                    ServiceError::Refused("这条复核原因已不在待发行的账单上，请刷新".into())
                })?;
            store::insert_decision(tx, flag_id, accept, note, cx.staff_id(), &cx.at)?;
            let account: String = tx
                .query_row(
                    "SELECT account_no FROM customer WHERE id = ?1",
                    [customer],
                    |r| r.get(0),
                )
                .map_err(crate::store::StoreError::from)?;
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "bill.review",
                    entity: "bill_draft",
                    entity_id: &draft.to_string(),
                    changes: Changes::new()
                        .note("customer", account)
                        .note("flag", flag.label())
                        .note("decision", if accept { "通过" } else { "退回重抄" })
                        .note("note", note),
                },
            )?;
            Ok(())
        })
    }

    /// Release a 台区's bills of a period: every draft whose flags are all accepted becomes
    /// a bill (due after the set days), in one transaction with one audit entry. Drafts
    /// still held, and customers whose bill came from the provincial file, stay.
    pub fn release_book(
        &mut self,
        session: &Session,
        area_id: i64,
        period: Period,
    ) -> ServiceResult<Release> {
        let cx = self.begin(session, Need::Write)?;
        let code = self.area_code(area_id)?;
        let due_days = self.int_setting("bill.due_days")?;
        let due = (cx.today() + Duration::days(due_days)).to_string();
        let p = period.to_string();
        self.store_mut().write(|tx| -> ServiceResult<Release> {
            let ready = store::ready(tx, area_id, &p)?;
            let before = store::draft_counts(tx, area_id, &p)?;
            let mut out = Release {
                held: before.held as usize,
                imported: before.imported as usize,
                ..Release::default()
            };
            if ready.is_empty() {
                return Err(ServiceError::Refused(if before.held > 0 {
                    format!("{p} 的账单都在待复核（{} 户）", before.held)
                } else if before.imported > 0 {
                    format!(
                        "{p} 没有待发行的账单：{} 户的账单已由省公司文件导入，本地核算只作比对",
                        before.imported
                    )
                } else {
                    format!("{p} 没有待发行的账单：请先录入示数并核算")
                }));
            }
            for r in &ready {
                let bill_id = if r.amount_fen > 0 {
                    out.bills += 1;
                    Some(bills::insert_bill(
                        tx,
                        &NewBill {
                            customer_id: r.customer_id,
                            period: &p,
                            kwh: r.kwh,
                            amount_fen: r.amount_fen,
                            due_date: &due,
                            source: "local",
                            source_file: "",
                            imported_at: &cx.at,
                            imported_by: Some(cx.staff_id()),
                        },
                    )?)
                } else {
                    None
                };
                store::mark_released(tx, r.draft_id, bill_id, cx.staff_id(), &cx.at)?;
                out.released += 1;
                out.kwh += r.kwh;
                out.amount += money::from_fen(r.amount_fen);
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "bill.release",
                    entity: "reading_book",
                    entity_id: &code,
                    changes: Changes::new()
                        .note("period", p.clone())
                        .note("released", out.released as i64)
                        .note("bills", out.bills as i64)
                        .note("kwh", out.kwh)
                        .note("amount", money::format_yuan(out.amount))
                        .note("held", out.held as i64),
                },
            )?;
            Ok(out)
        })
    }

    /// What releasing a 台区's book would do now: bills ready, their amount, held.
    pub fn release_preview(
        &self,
        area_id: i64,
        period: Period,
    ) -> ServiceResult<(usize, Decimal, i64)> {
        let p = period.to_string();
        let ready = store::ready(self.store().conn(), area_id, &p)?;
        let held = store::draft_counts(self.store().conn(), area_id, &p)?.held;
        let amount = ready.iter().map(|r| money::from_fen(r.amount_fen)).sum();
        Ok((ready.len(), amount, held))
    }

    /// Local bills that differ from the provincial file's for the same customer and period.
    pub fn tariff_differences(&self, period: Period) -> ServiceResult<Vec<Difference>> {
        Ok(store::differences(
            self.store().conn(),
            &period.to_string(),
        )?)
    }

    /// The number of drafts per 台区 still held for a period (for the book list).
    pub fn held_by_area(&self, period: Period) -> ServiceResult<HashMap<i64, i64>> {
        let mut out = HashMap::new();
        for b in self.reading_books(period)? {
            let c = self.draft_counts(b.area_id, period)?;
            out.insert(b.area_id, c.held);
        }
        Ok(out)
    }
}

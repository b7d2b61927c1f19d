//! The reading log (抄表日志) and its messages (消息传递), and the spot checks (抽查) of
//! reading quality (DOMAIN.md §8): a note per meter visit; a site problem the reader cannot
//! solve is handed on to the person responsible with a time limit, whose feedback (and any
//! money it brought back) is written once; per reader, the messages overdue and the site
//! problems never handed on are counted. Spot checks are counted against the month's
//! minimum of 台区 and households (settings).
use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;

use super::super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::billing::Period;
use crate::domain::money;
use crate::domain::reading::{NoteKind, SpotFinding};
use crate::domain::role::Need;
use crate::domain::validate;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::reading_notes::{self as store, NewNote, NewSpot, NoteRow, SpotRow};

/// A note as typed on the reading screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoteInput {
    pub meter_id: i64,
    pub kind: Option<NoteKind>,
    pub text: String,
    /// user name of who the problem goes to (empty: not handed on now)
    pub to: String,
    /// days to reply (empty: the setting)
    pub days: String,
}

/// One reader's month.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReaderQuality {
    pub reader: String,
    pub notes: usize,
    pub messages: usize,
    /// handed on and not answered within the time limit
    pub overdue: usize,
    /// site problems or suspected theft never handed on
    pub not_passed: usize,
    /// money brought back by the messages answered
    pub recovered: Decimal,
}

/// The month's spot checks against the minimum.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpotMonth {
    pub rows: Vec<SpotRow>,
    pub areas: usize,
    pub households: usize,
    pub need_areas: i64,
    pub need_households: i64,
    /// findings other than 无误
    pub problems: usize,
}

fn text_of(field: &'static str, t: &str, max: usize, what: &str) -> ServiceResult<String> {
    let t = t.trim();
    if t.is_empty() {
        return Err(ServiceError::invalid(field, format!("请填写{what}")));
    }
    if t.chars().count() > max || t.chars().any(char::is_control) {
        return Err(ServiceError::invalid(
            field,
            format!("{what}最多 {max} 个字"),
        ));
    }
    Ok(t.to_string())
}

impl Service {
    /// The id of the active account `user`, or a refusal at `field`.
    pub(crate) fn active_staff(&self, field: &'static str, user: &str) -> ServiceResult<i64> {
        crate::store::staff::by_username(self.store().conn(), user.trim())?
            .filter(|s| s.active)
            .map(|s| s.id)
            .ok_or_else(|| {
                ServiceError::invalid(
                    field,
                    format!("没有在用的账号 {}", validate::shown(user.trim())),
                )
            })
    }

    fn reply_due(&self, days: &str, today: NaiveDate) -> ServiceResult<NaiveDate> {
        let days: i64 = if days.trim().is_empty() {
            self.int_setting("message.reply_days")?
        } else {
            validate::fold_digits(days)
                .trim()
                .parse()
                .ok()
                .filter(|d| (1..=60).contains(d))
                .ok_or_else(|| ServiceError::invalid("days", "反馈时限应为 1 到 60 天"))?
        };
        Ok(today + Duration::days(days))
    }

    /// Add a note to the reading log of this month (handed on at once when `to` is given).
    pub fn add_reading_note(&mut self, session: &Session, i: &NoteInput) -> ServiceResult<i64> {
        let cx = self.begin(session, Need::Write)?;
        let kind = i
            .kind
            .ok_or_else(|| ServiceError::invalid("kind", "请选择日志类型"))?;
        let text = text_of("text", &i.text, 100, "情况")?;
        let m = self.meter(i.meter_id)?;
        let to = if i.to.trim().is_empty() {
            None
        } else {
            Some((
                self.active_staff("to", &i.to)?,
                self.reply_due(&i.days, cx.today())?,
            ))
        };
        let period = Period::of(cx.today()).to_string();
        self.store_mut().write(|tx| -> ServiceResult<i64> {
            let id = store::insert_note(
                tx,
                &NewNote {
                    meter_id: m.id,
                    customer_id: m.customer_id,
                    area_id: m.area_id,
                    period: &period,
                    kind,
                    text: &text,
                    by: cx.staff_id(),
                    at: &cx.at,
                },
            )?;
            let mut ch = Changes::new()
                .note("kind", kind.label())
                .note("note", text.clone());
            if let Some((who, due)) = to {
                store::insert_message(tx, id, who, due, cx.staff_id(), &cx.at)?;
                ch = ch
                    .note("handed_to", i.to.trim())
                    .note("due", due.to_string());
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "reading.note",
                    entity: "meter",
                    entity_id: &m.asset_no,
                    changes: ch,
                },
            )?;
            Ok(id)
        })
    }

    /// Hand a note on as a message (消息传递) to `to`, due in `days` days.
    pub fn pass_note_on(
        &mut self,
        session: &Session,
        note_id: i64,
        to: &str,
        days: &str,
    ) -> ServiceResult<()> {
        let cx = self.begin(session, Need::Write)?;
        let who = self.active_staff("to", to)?;
        let due = self.reply_due(days, cx.today())?;
        self.store_mut().write(|tx| -> ServiceResult<()> {
            match store::note_has_message(tx, note_id)? {
                None => return Err(ServiceError::NotFound("该抄表日志".into())),
                Some(true) => return Err(ServiceError::Refused("这条日志已转交".into())),
                Some(false) => {}
            }
            store::insert_message(tx, note_id, who, due, cx.staff_id(), &cx.at)?;
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "reading.message",
                    entity: "reading_note",
                    entity_id: &note_id.to_string(),
                    changes: Changes::new()
                        .note("handed_to", to.trim())
                        .note("due", due.to_string()),
                },
            )?;
            Ok(())
        })
    }

    /// Write a message's feedback (once), with the money it brought back, if any.
    pub fn message_feedback(
        &mut self,
        session: &Session,
        message_id: i64,
        feedback: &str,
        recovered: &str,
    ) -> ServiceResult<()> {
        let cx = self.begin(session, Need::Write)?;
        let feedback = text_of("feedback", feedback, 100, "反馈")?;
        let recovered = if recovered.trim().is_empty() {
            Decimal::ZERO
        } else {
            money::parse_yuan(recovered).map_err(|m| ServiceError::invalid("recovered", m))?
        };
        let fen = money::to_fen(recovered)
            .filter(|f| *f >= 0)
            .ok_or_else(|| ServiceError::invalid("recovered", "金额不对"))?;
        self.store_mut().write(|tx| -> ServiceResult<()> {
            if !store::set_feedback(tx, message_id, &feedback, fen, cx.staff_id(), &cx.at)? {
                return Err(ServiceError::Refused("这条消息已有反馈".into()));
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "reading.feedback",
                    entity: "reading_message",
                    entity_id: &message_id.to_string(),
                    changes: Changes::new()
                        .note("feedback", feedback.clone())
                        .note("amount", money::format_yuan(recovered)),
                },
            )?;
            Ok(())
        })
    }

    /// The reading log of a period, newest first.
    pub fn reading_log(&self, period: Period) -> ServiceResult<Vec<NoteRow>> {
        Ok(store::notes(self.store().conn(), &period.to_string())?)
    }

    /// Per reader: notes, messages, overdue, never handed on, money brought back (as of `today`).
    pub fn reader_quality(
        &self,
        period: Period,
        today: NaiveDate,
    ) -> ServiceResult<Vec<ReaderQuality>> {
        let mut by: BTreeMap<String, ReaderQuality> = BTreeMap::new();
        for n in self.reading_log(period)? {
            let q = by.entry(n.reader.clone()).or_insert_with(|| ReaderQuality {
                reader: n.reader.clone(),
                ..Default::default()
            });
            q.notes += 1;
            match (n.message_id, n.due_on, &n.feedback) {
                (Some(_), due, feedback) => {
                    q.messages += 1;
                    if feedback.is_none() && due.is_some_and(|d| d < today) {
                        q.overdue += 1;
                    }
                    q.recovered += money::from_fen(n.recovered_fen);
                }
                (None, _, _) if n.kind.needs_handing_on() => q.not_passed += 1,
                _ => {}
            }
        }
        Ok(by.into_values().collect())
    }

    /// Record a spot check: a 台区 (code) as a whole or one of its households (户号).
    pub fn record_spot_check(
        &mut self,
        session: &Session,
        area_code: &str,
        account_no: &str,
        finding: Option<SpotFinding>,
        note: &str,
    ) -> ServiceResult<()> {
        let cx = self.begin(session, Need::Write)?;
        let code = area_code.trim().to_ascii_uppercase();
        let area = crate::store::customers::area_id_of_code(self.store().conn(), &code)?
            .ok_or_else(|| {
                ServiceError::invalid("area", format!("没有台区 {}", validate::shown(&code)))
            })?;
        let customer = if account_no.trim().is_empty() {
            None
        } else {
            let (id, area_id) = store::customer_by_account(self.store().conn(), account_no.trim())?
                .ok_or_else(|| {
                    ServiceError::invalid(
                        "account",
                        format!("没有户号 {}", validate::shown(account_no.trim())),
                    )
                })?;
            if area_id != Some(area) {
                return Err(ServiceError::invalid("account", "该户不在这个台区"));
            }
            Some(id)
        };
        let finding = finding.ok_or_else(|| ServiceError::invalid("finding", "请选择抽查结果"))?;
        let note = note.trim();
        if note.chars().count() > 100 || note.chars().any(char::is_control) {
            return Err(ServiceError::invalid("note", "说明最多 100 个字"));
        }
        if finding != SpotFinding::Ok && note.is_empty() {
            return Err(ServiceError::invalid("note", "发现问题须写明情况"));
        }
        let period = Period::of(cx.today()).to_string();
        self.store_mut().write(|tx| -> ServiceResult<()> {
            store::insert_spot(
                tx,
                &NewSpot {
                    period: &period,
                    area_id: area,
                    customer_id: customer,
                    finding,
                    note,
                    checked_on: cx.today(),
                    by: cx.staff_id(),
                    at: &cx.at,
                },
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "reading.spot_check",
                    entity: "transformer_area",
                    entity_id: &code,
                    changes: Changes::new()
                        .note("account_no", account_no.trim())
                        .note("result", finding.label())
                        .note("note", note),
                },
            )?;
            Ok(())
        })
    }

    /// The spot checks of a period against the month's minimum (settings).
    pub fn spot_month(&self, period: Period) -> ServiceResult<SpotMonth> {
        let rows = store::spots(self.store().conn(), &period.to_string())?;
        let mut areas: Vec<i64> = rows.iter().map(|r| r.area_id).collect();
        areas.sort_unstable();
        areas.dedup();
        Ok(SpotMonth {
            areas: areas.len(),
            households: rows.iter().filter(|r| r.account_no.is_some()).count(),
            problems: rows.iter().filter(|r| r.finding != SpotFinding::Ok).count(),
            need_areas: self.int_setting("quality.spot_areas")?,
            need_households: self.int_setting("quality.spot_households")?,
            rows,
        })
    }
}

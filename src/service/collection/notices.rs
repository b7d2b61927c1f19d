//! Printing the reminder notices (催费通知单) and the written disconnection notice
//! (停电通知书). A notice is recorded (and audited) only after its print succeeded; a failed
//! print is audited as `print.failed` and recorded nowhere else.
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{ArrearsFilter, ArrearsRow, Basis, customer_arrears};
use crate::domain::collection::{self as rules, DisconnectFacts, NoticeKind};
use crate::domain::role::Need;
use crate::domain::{capital, money};
use crate::print::{DisconnectNoticeView, NoticeBill, NoticeCustomer, PrintOutcome, ReminderView};
use crate::service::payments::fen;
use crate::service::{Cx, Service, ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::collection::{self as store, NewNotice};
use crate::store::convert::Day;

/// Whose reminder notices to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReminderScope {
    /// one customer
    Customer(i64),
    /// every customer in arrears of a 台区 (one PDF, a page each)
    Area(i64),
}

/// A notice printed and recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticePrinted {
    pub outcome: PrintOutcome,
    /// customers with a notice in the PDF
    pub count: usize,
    /// a disconnection notice: the last day of its period
    pub period_end: Option<NaiveDate>,
}

pub(crate) fn day_text(d: NaiveDate) -> String {
    d.format("%Y年%m月%d日").to_string()
}

fn yuan_text(v: Decimal) -> String {
    money::format_yuan(v)
}

fn notice_customer(r: &ArrearsRow, address: String) -> NoticeCustomer {
    NoticeCustomer {
        account_no: r.account_no.clone(),
        name: r.name.clone(),
        address,
        area: r.area_name.clone(),
        bills: r
            .bills
            .iter()
            .map(|b| NoticeBill {
                period: b.period.label(),
                due_date: b.due_date.format("%Y-%m-%d").to_string(),
                days_overdue: b.days_overdue,
                owed: yuan_text(b.owed),
                late_fee: yuan_text(b.late_fee),
            })
            .collect(),
        principal: yuan_text(r.principal),
        late_fee: yuan_text(r.late_fee),
        total: yuan_text(r.total()),
        total_capital: capital::capital_amount(r.total()).unwrap_or_default(),
    }
}

impl Service {
    fn address_of(&self, customer_id: i64) -> ServiceResult<String> {
        Ok(
            crate::store::customers::by_id(self.store().conn(), customer_id)?
                .map(|c| c.address)
                .unwrap_or_default(),
        )
    }

    /// Print the reminder notices of one customer or of a whole 台区 (one PDF), then record
    /// each notice with the figures it showed and one audit entry.
    pub fn print_reminders(
        &mut self,
        session: &Session,
        scope: ReminderScope,
    ) -> ServiceResult<NoticePrinted> {
        let cx = self.begin(session, Need::Write)?;
        let b = self.collection_basis()?;
        let (rows, entity, entity_id, stem) = match scope {
            ReminderScope::Customer(id) => {
                let row = customer_arrears(self.store().conn(), id, &b)?.ok_or_else(|| {
                    ServiceError::Refused("该客户没有逾期未缴的电费，不必催缴".into())
                })?;
                let (no, stem) = (
                    row.account_no.clone(),
                    format!("催费通知单-{}", row.account_no),
                );
                (vec![row], "customer", no, stem)
            }
            ReminderScope::Area(area_id) => {
                let list = self.arrears_list(&ArrearsFilter {
                    area_id: Some(area_id),
                    ..ArrearsFilter::default()
                })?;
                let code = crate::store::customers::area_code(self.store().conn(), area_id)?
                    .ok_or_else(|| ServiceError::NotFound("该台区".into()))?;
                if list.rows.is_empty() {
                    return Err(ServiceError::Refused("该台区没有逾期未缴电费的客户".into()));
                }
                let mut rows = list.rows;
                rows.sort_by(|x, y| x.account_no.cmp(&y.account_no));
                let stem = format!("催费通知单-台区{code}-{}", b.today.format("%Y%m%d"));
                (rows, "transformer_area", code, stem)
            }
        };
        let station = self.require_station()?;
        let mut customers = Vec::with_capacity(rows.len());
        for r in &rows {
            customers.push(notice_customer(r, self.address_of(r.customer_id)?));
        }
        let view = ReminderView {
            station_name: station.name.clone(),
            station_phone: station.phone.clone(),
            station_address: station.address.clone(),
            printed_on: day_text(b.today),
            counted_to: day_text(b.today),
            cutoff_days: b.cutoff_days,
            customers,
        };
        let outcome =
            match self.render_and_print(&stem, |f| crate::print::render_reminders(&view, f)) {
                Ok(o) => o,
                Err(e) => {
                    self.record_print_failure(&cx.session, cx.now, entity, &entity_id, &e);
                    return Err(e);
                }
            };
        let file = outcome.path.display().to_string();
        let count = rows.len();
        self.record_notices(
            &cx,
            &b,
            &rows,
            NoticeKind::Reminder,
            None,
            &file,
            entity,
            &entity_id,
        )?;
        Ok(NoticePrinted {
            outcome,
            count,
            period_end: None,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn record_notices(
        &mut self,
        cx: &Cx,
        b: &Basis,
        rows: &[ArrearsRow],
        kind: NoticeKind,
        period_end: Option<NaiveDate>,
        file: &str,
        entity: &str,
        entity_id: &str,
    ) -> ServiceResult<()> {
        let mut lines = Vec::with_capacity(rows.len());
        let mut checked = Vec::with_capacity(rows.len());
        for r in rows {
            checked.push((r, fen(r.principal)?, fen(r.late_fee)?));
            lines.push(format!(
                "{} {} 元",
                r.account_no,
                money::format_yuan(r.total())
            ));
        }
        self.store_mut().write(|tx| -> ServiceResult<()> {
            for (r, principal_fen, late_fee_fen) in &checked {
                store::insert_notice(
                    tx,
                    &NewNotice {
                        customer_id: r.customer_id,
                        kind,
                        principal_fen: *principal_fen,
                        late_fee_fen: *late_fee_fen,
                        days_overdue: r.days_overdue,
                        printed_on: Day(b.today),
                        period_end: period_end.map(Day),
                        printed_by: cx.staff_id(),
                        printed_at: &cx.at,
                        file,
                    },
                )?;
            }
            let mut ch = Changes::new()
                .note("kind", kind.label())
                .note("count", rows.len() as i64)
                .note("file", file.to_string());
            if let Some(end) = period_end {
                ch = ch.note("period_end", end.to_string());
            }
            if rows.len() <= 50 {
                ch = ch.note("customers", lines.clone());
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: match kind {
                        NoticeKind::Reminder => "collection.print_reminder",
                        NoticeKind::Disconnect => "collection.print_disconnect_notice",
                    },
                    entity,
                    entity_id,
                    changes: ch,
                },
            )?;
            Ok(())
        })
    }

    /// The facts of the disconnection rule for a customer, on any connection.
    pub(crate) fn disconnect_facts(
        conn: &rusqlite::Connection,
        row: Option<&ArrearsRow>,
        customer_id: i64,
        b: &Basis,
        quota: i64,
    ) -> ServiceResult<DisconnectFacts> {
        let notice = store::latest_notice(conn, customer_id, NoticeKind::Disconnect)?
            .and_then(|n| n.period_end.map(|end| (n.printed_on.0, end.0)));
        let disconnected =
            store::last_disconnection(conn, customer_id)?.is_some_and(|d| d.order_id.is_none());
        let reader = match row.and_then(|r| r.reader_id.map(|id| (id, r.reader_name.clone()))) {
            Some((id, name)) => {
                let (from, to) = month_bounds(b.today);
                let used = store::count_by_reader(conn, id, Day(from), Day(to))?;
                Some((format!("台区经理 {name} "), used, quota))
            }
            None => None,
        };
        Ok(DisconnectFacts {
            today: b.today,
            owed_fen: row.map(|r| fen(r.principal)).transpose()?.unwrap_or(0),
            oldest_due: row.map(|r| r.oldest_due),
            counted_days: row.map(|r| r.counted_days).unwrap_or(0),
            cutoff_after_days: b.cutoff_days,
            in_outage: b.in_outage(),
            notice,
            disconnected,
            reader,
        })
    }

    /// Print the written disconnection notice (停电通知书) of a customer past the cut-off,
    /// then record it with the last day of its period (`disconnect.notice_days` later).
    pub fn print_disconnect_notice(
        &mut self,
        session: &Session,
        customer_id: i64,
    ) -> ServiceResult<NoticePrinted> {
        let cx = self.begin(session, Need::Write)?;
        let b = self.collection_basis()?;
        let quota = self.int_setting("disconnect.monthly_quota")?;
        let notice_days = self.int_setting("disconnect.notice_days")?;
        let restore_hours = self.int_setting("penalty.restore_within_hours")?;
        let row = customer_arrears(self.store().conn(), customer_id, &b)?;
        let facts =
            Service::disconnect_facts(self.store().conn(), row.as_ref(), customer_id, &b, quota)?;
        rules::check_notice(&facts).map_err(|e| ServiceError::Refused(e.to_string()))?;
        let Some(row) = row else {
            return Err(ServiceError::Refused(
                rules::DisconnectRefusal::NothingOwed.to_string(),
            ));
        };
        let period_end = rules::notice_period_end(b.today, notice_days);
        let station = self.require_station()?;
        let view = DisconnectNoticeView {
            station_name: station.name.clone(),
            station_phone: station.phone.clone(),
            station_address: station.address.clone(),
            printed_on: day_text(b.today),
            customer: notice_customer(&row, self.address_of(customer_id)?),
            period_end: day_text(period_end),
            cut_from: day_text(period_end + chrono::Duration::days(1)),
            notice_days,
            cutoff_days: b.cutoff_days,
            restore_hours,
        };
        let stem = format!("停电通知书-{}", row.account_no);
        let outcome = match self
            .render_and_print(&stem, |f| crate::print::render_disconnect_notice(&view, f))
        {
            Ok(o) => o,
            Err(e) => {
                self.record_print_failure(&cx.session, cx.now, "customer", &row.account_no, &e);
                return Err(e);
            }
        };
        let file = outcome.path.display().to_string();
        let no = row.account_no.clone();
        self.record_notices(
            &cx,
            &b,
            std::slice::from_ref(&row),
            NoticeKind::Disconnect,
            Some(period_end),
            &file,
            "customer",
            &no,
        )?;
        Ok(NoticePrinted {
            outcome,
            count: 1,
            period_end: Some(period_end),
        })
    }
}

/// The first day of `day`'s month and of the next.
pub(crate) fn month_bounds(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let first = day.with_day(1).unwrap_or(day);
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .unwrap_or(first);
    (first, next)
}

//! Station reports (营业日报 / 营业月报): what was collected (by method, by cashier, by what
//! it paid), voids and reversals, the arrears and the collection rate, work orders by kind
//! with the deadlines kept, and for a month the assessment per person, the meters, the
//! reading books and line loss, and complaints and repair calls. Gathered once into a
//! [`StationReport`] (typed figures: the tests read them), laid out as an
//! [`export::Workbook`](crate::export::Workbook) by [`sheets`], and written as PDF, `.xlsx`
//! and CSV by [`files`]. Reading only: every role may make one; each file written is one
//! audit entry. See `docs/reports.md`.
mod files;
mod gather;
mod request;
mod sheets;
pub mod stats;

pub use files::ReportFiles;
pub use request::ReportRequest;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use crate::domain::billing::Period;
use crate::domain::case::CaseKind;
use crate::domain::rotation::Progress;
use crate::domain::work_order::RequestKind;
use crate::service::assessment::MonthSummary;
use crate::service::cases::report::CaseMonthReport;
use crate::service::readings::collection_rate::RateRow;
use crate::store::readings::BookRow;
use crate::store::reports::{CollectionRow, CorrectionRow, MeterFigures, PaidFor};

/// Which report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportKind {
    Daily,
    Monthly,
}

impl ReportKind {
    pub const ALL: [ReportKind; 2] = [ReportKind::Daily, ReportKind::Monthly];

    /// As typed on the command line: `daily` / `monthly`, also `日报` / `月报`.
    pub fn parse(s: &str) -> Option<ReportKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "daily" | "day" | "日报" => Some(ReportKind::Daily),
            "monthly" | "month" | "月报" => Some(ReportKind::Monthly),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Daily => "daily",
            ReportKind::Monthly => "monthly",
        }
    }

    /// `营业日报` / `营业月报`
    pub fn label(self) -> &'static str {
        match self {
            ReportKind::Daily => "营业日报",
            ReportKind::Monthly => "营业月报",
        }
    }
}

/// The days a report covers: one day, or one calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportScope {
    Day(NaiveDate),
    Month(Period),
}

impl ReportScope {
    pub fn kind(self) -> ReportKind {
        match self {
            ReportScope::Day(_) => ReportKind::Daily,
            ReportScope::Month(_) => ReportKind::Monthly,
        }
    }

    pub fn from(self) -> NaiveDate {
        match self {
            ReportScope::Day(d) => d,
            ReportScope::Month(p) => p.first_day(),
        }
    }

    /// The last day (included).
    pub fn to(self) -> NaiveDate {
        match self {
            ReportScope::Day(d) => d,
            ReportScope::Month(p) => p.last_day(),
        }
    }

    /// The month the days fall in.
    pub fn period(self) -> Period {
        Period::of(self.from())
    }

    /// `2026年11月5日` / `2026年11月`
    pub fn label(self) -> String {
        match self {
            ReportScope::Day(d) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            ReportScope::Month(p) => p.label(),
        }
    }

    /// `2026-11-05` / `2026-11` (file names, the audit trail)
    pub fn code(self) -> String {
        match self {
            ReportScope::Day(d) => d.format("%Y-%m-%d").to_string(),
            ReportScope::Month(p) => p.to_string(),
        }
    }

    /// The file name without extension: `营业月报-2026-11`.
    pub fn file_stem(self) -> String {
        format!("{}-{}", self.kind().label(), self.code())
    }

    /// The same kind moved by `n` days or months (negative: earlier).
    pub fn step(self, n: i32) -> ReportScope {
        match self {
            ReportScope::Day(d) => ReportScope::Day(d + chrono::Duration::days(i64::from(n))),
            ReportScope::Month(p) => ReportScope::Month(p.plus(n)),
        }
    }

    /// The scope of `kind` that contains `day`.
    pub fn of(kind: ReportKind, day: NaiveDate) -> ReportScope {
        match kind {
            ReportKind::Daily => ReportScope::Day(day),
            ReportKind::Monthly => ReportScope::Month(Period::of(day)),
        }
    }
}

/// One cashier's standing payments of one method.
pub type CollectionLine = CollectionRow;

/// Arrears standing at the end of the last day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Arrears {
    pub on: NaiveDate,
    /// every bill entered by the end of `on`
    pub billed: Decimal,
    /// bill principal paid by then (standing receipts)
    pub paid: Decimal,
    /// prepaid balance applied to bills by then
    pub offset: Decimal,
}

impl Arrears {
    /// Still owed: billed − paid − offset.
    pub fn owed(&self) -> Decimal {
        self.billed - self.paid - self.offset
    }
}

/// The collection rate of the bills issued in the report's month (账期 the month before).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovery {
    pub period: Period,
    /// target (%)
    pub target: Decimal,
    /// the day collected money is counted through
    pub through: NaiveDate,
    /// per 台区: (code, name, reader, billed, collected)
    pub areas: Vec<(String, String, String, Decimal, Decimal)>,
    /// the monthly report: the rows of the 回收率 screen (month end, before the next reading)
    pub checks: Vec<RateRow>,
}

impl Recovery {
    pub fn billed(&self) -> Decimal {
        self.areas.iter().map(|a| a.3).sum()
    }

    pub fn collected(&self) -> Decimal {
        self.areas.iter().map(|a| a.4).sum()
    }

    /// % to the hundredth; `None` when nothing was billed.
    pub fn rate(&self) -> Option<Decimal> {
        crate::domain::reading::collection_rate(self.billed(), self.collected())
    }
}

/// Work orders of one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderLine {
    pub kind: RequestKind,
    pub accepted: i64,
    pub completed: i64,
    pub cancelled: i64,
    pub open_at_end: i64,
    /// completed with a limit: on time and late
    pub kept: i64,
    pub late: i64,
}

impl OrderLine {
    /// On-time share of the completed orders with a limit, % to the hundredth.
    pub fn kept_rate(&self) -> Option<Decimal> {
        crate::domain::reading::collection_rate(
            Decimal::from(self.kept + self.late),
            Decimal::from(self.kept),
        )
    }
}

/// The month's reading books and line loss (the monthly report).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadingFigures {
    pub period: Period,
    pub books: Vec<BookRow>,
    /// 台区 with a line loss this month, flagged (over the threshold or negative), negative
    pub loss_counted: usize,
    pub loss_flagged: usize,
    pub loss_negative: usize,
    /// supply and sales over the 台区 whose supply is known (kWh)
    pub supply: Decimal,
    pub sales: Decimal,
}

/// Everything one report shows.
#[derive(Clone, Debug, PartialEq)]
pub struct StationReport {
    pub scope: ReportScope,
    pub station: String,
    pub made_at: NaiveDateTime,
    pub made_by: String,
    /// by cashier, then method
    pub collections: Vec<CollectionLine>,
    pub paid_for: PaidFor,
    pub corrections: Vec<CorrectionRow>,
    pub arrears: Arrears,
    pub recovery: Recovery,
    /// every kind with anything to show, in the kinds' order
    pub orders: Vec<OrderLine>,
    pub meters: MeterFigures,
    /// the month's rotation items (the monthly report; `None` without a plan)
    pub rotation: Option<Progress>,
    /// cases received in the days: (kind, received, closed now)
    pub cases: Vec<(CaseKind, i64, i64)>,
    /// the monthly report only
    pub assessment: Option<MonthSummary>,
    pub readings: Option<ReadingFigures>,
    pub case_month: Option<CaseMonthReport>,
}

impl StationReport {
    /// Money received (receipts standing, reversals not taken off).
    pub fn received(&self) -> Decimal {
        crate::domain::money::from_fen(self.collections.iter().map(|c| c.received_fen).sum())
    }

    /// Money given back by reversals (negative).
    pub fn reversed(&self) -> Decimal {
        crate::domain::money::from_fen(self.collections.iter().map(|c| c.reversed_fen).sum())
    }

    /// Received less reversed: what the cashiers hold for the days.
    pub fn net(&self) -> Decimal {
        self.received() + self.reversed()
    }

    /// Payments received (not counting reversals).
    pub fn payments(&self) -> i64 {
        self.collections.iter().map(|c| c.received).sum()
    }

    /// All kinds of orders together.
    pub fn order_total(&self) -> OrderLine {
        let mut t = OrderLine {
            kind: RequestKind::NewConnection,
            accepted: 0,
            completed: 0,
            cancelled: 0,
            open_at_end: 0,
            kept: 0,
            late: 0,
        };
        for o in &self.orders {
            t.accepted += o.accepted;
            t.completed += o.completed;
            t.cancelled += o.cancelled;
            t.open_at_end += o.open_at_end;
            t.kept += o.kept;
            t.late += o.late;
        }
        t
    }
}

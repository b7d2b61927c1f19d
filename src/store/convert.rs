//! The typed boundary between SQLite and the domain.
//!
//! Rule: a value leaves the store as the type the domain uses, or as an error that names
//! the table and the row it came from, never as a default. A payment whose stored method
//! is unknown must not read as cash; a corrupt row must be found, not silently repaired.
//! (The model is slumber's `crates/core/src/database/convert.rs`.)
//!
//! - Every coded enum of the domain ([`Coded`]) is written as its code and read back
//!   through [`Coded::parse_code`]: an unknown code fails with `FromSqlError::Other`
//!   carrying the typed [`UnknownCode`](crate::domain::coded::UnknownCode).
//! - Rows are read by column name through [`Cols`], which adds the table and the row id to
//!   any value that does not decode ([`BadRow`]); [`StoreError`](super::StoreError) turns
//!   that into `Corrupt("payment 17: 未知的付款方式代码 \"xx\"")`.
//! - Dates are `YYYY-MM-DD` text and times `YYYY-MM-DD HH:MM:SS` ([`Day`], [`clock::to_db`]).
use chrono::NaiveDate;
use rusqlite::Row;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::coded::Coded;

/// `ToSql`/`FromSql` through the code, for coded enums of the domain (the domain must not
/// depend on rusqlite, and Rust does not allow one blanket impl for every `Coded`).
macro_rules! sql_coded {
    ($($t:ty),+ $(,)?) => {
        $(
            impl ToSql for $t {
                fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                    Ok(ToSqlOutput::from(Coded::code(*self)))
                }
            }

            impl FromSql for $t {
                fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                    decode_code(value)
                }
            }
        )+
    };
}

/// Read a coded enum from a text value.
pub fn decode_code<T: Coded>(value: ValueRef<'_>) -> FromSqlResult<T> {
    let text = value.as_str()?;
    T::parse_code(text).map_err(|e| FromSqlError::Other(Box::new(e)))
}

sql_coded!(
    crate::domain::role::Role,
    crate::domain::billing::PayMethod,
    crate::domain::billing::PaymentGrade,
    crate::domain::customer::CustomerKind,
    crate::domain::customer::UsageCategory,
    crate::domain::settings::SettingKind,
    crate::domain::work_order::ConnectionClass,
    crate::domain::work_order::RequestKind,
    crate::domain::work_order::Stage,
    crate::domain::work_order::Document,
    crate::domain::work_order::OrderState,
    crate::domain::work_order::ContactChannel,
    crate::domain::assessment::TriggerKind,
    crate::domain::assessment::Unit,
    crate::domain::assessment::EntryState,
    crate::domain::deadline::PauseCause,
    crate::domain::calendar::DayKind,
    crate::domain::meter::MeterStatus,
    crate::domain::meter::MeterKind,
    crate::domain::meter::AccuracyClass,
    crate::domain::meter::SwapReason,
    crate::domain::rotation::Source,
    crate::domain::meter::CheckResult,
    crate::domain::case::CaseKind,
    crate::domain::case::Channel,
    crate::domain::case::AreaType,
    crate::domain::case_flow::CaseState,
    crate::domain::case_flow::StepKind,
    crate::domain::case_flow::VisitResult,
    crate::domain::case_flow::ClosedHow,
    crate::domain::tariff::ReviewFlag,
    crate::domain::reading::ReadingKind,
    crate::domain::reading::NoteKind,
    crate::domain::reading::SpotFinding,
    crate::domain::collection::NoticeKind,
    crate::domain::rectification::FindingState,
    crate::domain::rectification::FindingCategory,
    crate::domain::rectification::FindingStep,
    crate::domain::handover::OutboxOp,
    crate::domain::handover::BundleState,
);

/// A calendar day stored as `YYYY-MM-DD` text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub NaiveDate);

/// How days are stored.
pub const DAY_FORMAT: &str = "%Y-%m-%d";

impl ToSql for Day {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(crate::domain::clock::day_to_db(self.0)))
    }
}

impl FromSql for Day {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        NaiveDate::parse_from_str(text, DAY_FORMAT)
            .map(Day)
            .map_err(|_| {
                FromSqlError::Other(Box::new(BadValue(format!("日期 \"{text}\" 无法识别"))))
            })
    }
}

/// A moment stored as `YYYY-MM-DD HH:MM:SS` text (local time, like every time here).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment(pub chrono::NaiveDateTime);

impl ToSql for Moment {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(crate::domain::clock::to_db(self.0)))
    }
}

impl FromSql for Moment {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        crate::domain::clock::from_db(text)
            .map(Moment)
            .ok_or_else(|| {
                FromSqlError::Other(Box::new(BadValue(format!("时间 \"{text}\" 无法识别"))))
            })
    }
}

/// A stored value that is not what its column holds.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadValue(pub String);

/// A value of a row that does not decode, with the table and the row's id (or key).
#[derive(Debug, thiserror::Error)]
#[error("{table} {row}: {detail}")]
pub struct BadRow {
    pub table: &'static str,
    pub row: String,
    pub detail: String,
}

/// The columns of a statement by name, read once per query. Reading a row by name through
/// rusqlite converts and compares every column's name on each read: on a list of thousands
/// of rows (the cases board) that was most of the read. [`Cols::mapped`] reads by name
/// through this map instead.
#[derive(Clone, Debug, Default)]
pub struct ColumnMap(std::collections::HashMap<String, usize>);

impl ColumnMap {
    pub fn of(stmt: &rusqlite::Statement<'_>) -> Self {
        ColumnMap(
            stmt.column_names()
                .into_iter()
                .enumerate()
                .map(|(i, n)| (n.to_string(), i))
                .collect(),
        )
    }
}

/// One row of `table` read by column name: any value that does not decode is reported as
/// a [`BadRow`] naming the table and the row's id.
pub struct Cols<'r, 's> {
    row: &'r Row<'s>,
    table: &'static str,
    id: i64,
    /// a text key ([`Cols::keyed`]); a row with an id is named by it (written out only
    /// for an error: 100,000 rows a read)
    key: Option<String>,
    map: Option<&'r ColumnMap>,
}

impl<'r, 's> Cols<'r, 's> {
    /// Read the row's id from the column `id_col` (an integer primary key).
    pub fn new(row: &'r Row<'s>, table: &'static str, id_col: &str) -> rusqlite::Result<Self> {
        let id: i64 = row.get(id_col)?;
        Ok(Cols {
            row,
            table,
            id,
            key: None,
            map: None,
        })
    }

    /// [`Cols::new`] reading by name through `map` (made once for the query).
    pub fn mapped(
        row: &'r Row<'s>,
        table: &'static str,
        id_col: &str,
        map: &'r ColumnMap,
    ) -> rusqlite::Result<Self> {
        let id: i64 = match map.0.get(id_col) {
            Some(i) => row.get(*i)?,
            None => row.get(id_col)?,
        };
        Ok(Cols {
            row,
            table,
            id,
            key: None,
            map: Some(map),
        })
    }

    /// A row whose key is text (`settings`): read from the column `key_col`.
    pub fn keyed(row: &'r Row<'s>, table: &'static str, key_col: &str) -> rusqlite::Result<Self> {
        let key: String = row.get(key_col)?;
        Ok(Cols {
            row,
            table,
            id: 0,
            key: Some(key),
            map: None,
        })
    }

    /// The id read by [`Cols::new`] (0 for a [`Cols::keyed`] row).
    pub fn id(&self) -> i64 {
        self.id
    }

    /// The value of column `col`.
    pub fn get<T: FromSql>(&self, col: &str) -> rusqlite::Result<T> {
        match self.map.and_then(|m| m.0.get(col)) {
            Some(i) => self.row.get(*i),
            None => self.row.get(col),
        }
        .map_err(|e| self.wrap(col, e))
    }

    fn wrap(&self, col: &str, e: rusqlite::Error) -> rusqlite::Error {
        use rusqlite::Error as E;
        let bad = |detail: String| BadRow {
            table: self.table,
            row: self.key.clone().unwrap_or_else(|| self.id.to_string()),
            detail,
        };
        match e {
            E::FromSqlConversionFailure(i, ty, source) => {
                E::FromSqlConversionFailure(i, ty, Box::new(bad(source.to_string())))
            }
            E::InvalidColumnType(i, name, ty) => E::FromSqlConversionFailure(
                i,
                ty,
                Box::new(bad(format!("列 {name} 的值类型不对（{ty}）"))),
            ),
            E::IntegralValueOutOfRange(i, v) => E::FromSqlConversionFailure(
                i,
                rusqlite::types::Type::Integer,
                Box::new(bad(format!("列 {col} 的值 {v} 超出范围"))),
            ),
            other => other,
        }
    }
}

/// The [`BadRow`] inside a rusqlite error, if it carries one.
pub fn bad_row(e: &rusqlite::Error) -> Option<&BadRow> {
    match e {
        rusqlite::Error::FromSqlConversionFailure(_, _, source) => source.downcast_ref(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::assessment::{EntryState, TriggerKind, Unit};
    use crate::domain::billing::{PayMethod, PaymentGrade};
    use crate::domain::calendar::DayKind;
    use crate::domain::customer::{CustomerKind, UsageCategory};
    use crate::domain::deadline::PauseCause;
    use crate::domain::role::Role;
    use crate::domain::settings::SettingKind;
    use crate::domain::work_order::{
        ConnectionClass, ContactChannel, Document, OrderState, RequestKind, Stage,
    };
    use rusqlite::Connection;

    /// Every variant goes into SQLite as its code and comes back as itself.
    fn round_trip<T>(conn: &Connection)
    where
        T: Coded + ToSql + FromSql + PartialEq + std::fmt::Debug,
    {
        for v in T::all() {
            let code: String = conn.query_row("SELECT ?1", [v], |r| r.get(0)).unwrap();
            assert_eq!(code, v.code());
            let back: T = conn.query_row("SELECT ?1", [&code], |r| r.get(0)).unwrap();
            assert_eq!(back, *v);
            assert_eq!(T::parse_code(v.code()).unwrap(), *v);
            assert!(!v.label().is_empty());
        }
        let codes: std::collections::HashSet<_> = T::all().iter().map(|v| v.code()).collect();
        assert_eq!(codes.len(), T::all().len(), "{} codes are unique", T::WHAT);
        let e = conn
            .query_row("SELECT 'no-such-code'", [], |r| r.get::<_, T>(0))
            .unwrap_err();
        assert!(e.to_string().contains("no-such-code"), "{e}");
    }

    #[test]
    fn every_coded_enum_round_trips_through_its_code() {
        let conn = Connection::open_in_memory().unwrap();
        round_trip::<Role>(&conn);
        round_trip::<PayMethod>(&conn);
        round_trip::<PaymentGrade>(&conn);
        round_trip::<CustomerKind>(&conn);
        round_trip::<UsageCategory>(&conn);
        round_trip::<SettingKind>(&conn);
        round_trip::<ConnectionClass>(&conn);
        round_trip::<RequestKind>(&conn);
        round_trip::<Stage>(&conn);
        round_trip::<Document>(&conn);
        round_trip::<OrderState>(&conn);
        round_trip::<ContactChannel>(&conn);
        round_trip::<TriggerKind>(&conn);
        round_trip::<Unit>(&conn);
        round_trip::<EntryState>(&conn);
        round_trip::<PauseCause>(&conn);
        round_trip::<DayKind>(&conn);
        round_trip::<crate::domain::case::CaseKind>(&conn);
        round_trip::<crate::domain::case::Channel>(&conn);
        round_trip::<crate::domain::case::AreaType>(&conn);
        round_trip::<crate::domain::case_flow::CaseState>(&conn);
        round_trip::<crate::domain::case_flow::StepKind>(&conn);
        round_trip::<crate::domain::case_flow::VisitResult>(&conn);
        round_trip::<crate::domain::case_flow::ClosedHow>(&conn);
        round_trip::<crate::domain::tariff::ReviewFlag>(&conn);
        round_trip::<crate::domain::reading::ReadingKind>(&conn);
        round_trip::<crate::domain::reading::NoteKind>(&conn);
        round_trip::<crate::domain::reading::SpotFinding>(&conn);
        round_trip::<crate::domain::collection::NoticeKind>(&conn);
        round_trip::<crate::domain::rectification::FindingState>(&conn);
        round_trip::<crate::domain::rectification::FindingCategory>(&conn);
        round_trip::<crate::domain::rectification::FindingStep>(&conn);
        round_trip::<crate::domain::handover::OutboxOp>(&conn);
        round_trip::<crate::domain::handover::BundleState>(&conn);
    }

    #[test]
    fn a_bad_value_names_the_table_and_the_row() {
        let conn = Connection::open_in_memory().unwrap();
        let e = conn
            .query_row("SELECT 17 AS id, 'xx' AS method, 'x' AS day", [], |r| {
                let c = Cols::new(r, "payment", "id")?;
                c.get::<PayMethod>("method")
            })
            .unwrap_err();
        let bad = bad_row(&e).unwrap();
        assert_eq!(bad.to_string(), "payment 17: 未知的付款方式代码 \"xx\"");
        let e = conn
            .query_row("SELECT 3 AS id, 'x' AS day", [], |r| {
                Cols::new(r, "bill", "id")?.get::<Day>("day")
            })
            .unwrap_err();
        assert_eq!(
            bad_row(&e).unwrap().to_string(),
            "bill 3: 日期 \"x\" 无法识别"
        );
        let e = conn
            .query_row("SELECT 4 AS id, 'x' AS n", [], |r| {
                Cols::new(r, "bill", "id")?.get::<i64>("n")
            })
            .unwrap_err();
        assert!(bad_row(&e).unwrap().to_string().starts_with("bill 4: 列 n"));
        let day: Day = conn
            .query_row("SELECT '2026-12-06'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(day.0, NaiveDate::from_ymd_opt(2026, 12, 6).unwrap());
    }
}

//! The audit views of 营销稽查 (issue 16): each a table with a count and a one-line
//! conclusion, filtered by person, date range and 台区 where the view has them (a filter
//! that does not apply is named, never silently ignored). Read-only for every role. The
//! trail itself is its own screen (`ui/screens/audit.rs`); the findings (限期整改) are
//! `service/rectification.rs`.
use chrono::NaiveDate;
use rusqlite::params;

use super::{Service, ServiceResult};
use crate::domain::assessment::WHOLE_PROCESS;
use crate::domain::audit_labels::{action_label, describe_changes_with};
use crate::domain::money;
use crate::store::StoreError;

/// The views, in the order of the 稽查 menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuditViewKind {
    /// receipts voided, reversed and reprinted
    Corrections,
    /// gaps in every number sequence
    Numbers,
    /// cash against receipts per day end
    DayEnds,
    /// deadlines kept and missed
    Deadlines,
    /// business fees collected before the site survey
    FeesBeforeSurvey,
    /// customer files still incomplete
    IncompleteFiles,
    /// tariff category against usage category
    Tariff,
    /// late-fee waivers and outage periods
    Waivers,
    /// setting changes
    Settings,
    /// accounts created, reset and deactivated
    Accounts,
}

impl AuditViewKind {
    pub const ALL: [AuditViewKind; 10] = [
        AuditViewKind::Corrections,
        AuditViewKind::Numbers,
        AuditViewKind::DayEnds,
        AuditViewKind::Deadlines,
        AuditViewKind::FeesBeforeSurvey,
        AuditViewKind::IncompleteFiles,
        AuditViewKind::Tariff,
        AuditViewKind::Waivers,
        AuditViewKind::Settings,
        AuditViewKind::Accounts,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AuditViewKind::Corrections => "收据作废、红冲与补打",
            AuditViewKind::Numbers => "编号连续性",
            AuditViewKind::DayEnds => "日结现金与收据",
            AuditViewKind::Deadlines => "业扩时限执行",
            AuditViewKind::FeesBeforeSurvey => "勘查前收费",
            AuditViewKind::IncompleteFiles => "资料不全的档案",
            AuditViewKind::Tariff => "电价类别与用电类别",
            AuditViewKind::Waivers => "违约金减免与停电期间",
            AuditViewKind::Settings => "参数与规则修改",
            AuditViewKind::Accounts => "账号新建、重置与停用",
        }
    }

    /// The filters this view cannot apply (named on the screen).
    pub fn not_filtered_by(self) -> &'static [&'static str] {
        match self {
            AuditViewKind::Numbers => &["人员", "台区"],
            AuditViewKind::DayEnds | AuditViewKind::Settings | AuditViewKind::Accounts => &["台区"],
            AuditViewKind::Tariff | AuditViewKind::IncompleteFiles => &["日期"],
            _ => &[],
        }
    }
}

/// Rows in a view's first page (the screens ask for this many; the budget is measured on it).
pub const PAGE: usize = 40;

/// What to look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditFilter {
    pub staff_id: Option<i64>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub area_id: Option<i64>,
}

/// One view's table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditTable {
    /// column headings and widths (terminal cells)
    pub columns: Vec<(&'static str, u16)>,
    pub rows: Vec<Vec<String>>,
    /// rows matching in all (`rows` holds the first `limit`)
    pub total: i64,
    /// the conclusion in one line (`未发现断号：…`, `共 3 笔，合计 …`)
    pub summary: String,
    /// rows that need the auditor's attention (a gap, a difference, a fee before survey)
    pub problems: i64,
}

fn yuan(fen: i64) -> String {
    money::format_yuan_grouped(money::from_fen(fen))
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The end of the range as a text bound for `YYYY-MM-DD HH:MM:SS` columns.
fn day_end_bound(d: NaiveDate) -> String {
    format!("{} 23:59:59", day(d))
}

/// The actions of the settings view (also the `audit_log_settings` partial index's list,
/// migration 0030: keep them the same).
pub const SETTINGS_ACTIONS: &str = "('settings.update', 'assessment.rule_update', 'station.update',
                     'calendar.set_day', 'calendar.set_year', 'calendar.clear_day')";
/// The actions of the accounts view (the `audit_log_accounts` partial index's list).
pub const ACCOUNT_ACTIONS: &str =
    "('staff.create', 'staff.reset_password', 'staff.change_password',
                     'staff.activate', 'staff.deactivate', 'auth.lockout')";

impl Service {
    /// One audit view under `filter`, its first `limit` rows.
    pub fn audit_view(
        &self,
        kind: AuditViewKind,
        filter: &AuditFilter,
        limit: usize,
    ) -> ServiceResult<AuditTable> {
        let conn = self.store().conn();
        let lim = i64::try_from(limit).unwrap_or(i64::MAX);
        let from = day(filter.from);
        let to = day_end_bound(filter.to);
        let t = match kind {
            AuditViewKind::Corrections => corrections(conn, filter, &from, &to, lim)?,
            AuditViewKind::Numbers => numbers(conn, filter)?,
            AuditViewKind::DayEnds => day_ends(conn, filter, lim)?,
            AuditViewKind::Deadlines => return self.deadlines_view(filter, limit),
            AuditViewKind::FeesBeforeSurvey => fees_before_survey(conn, filter, &from, &to, lim)?,
            AuditViewKind::IncompleteFiles => incomplete(conn, filter, &from, &to, lim)?,
            AuditViewKind::Tariff => tariff(conn, filter, lim)?,
            AuditViewKind::Waivers => waivers(conn, filter, &from, &to, lim)?,
            AuditViewKind::Settings => {
                let names = self.staff_names()?;
                trail(conn, SETTINGS_ACTIONS, filter, &from, &to, lim, &names)?
            }
            AuditViewKind::Accounts => {
                let names = self.staff_names()?;
                trail(conn, ACCOUNT_ACTIONS, filter, &from, &to, lim, &names)?
            }
        };
        Ok(t)
    }

    fn staff_names(&self) -> ServiceResult<std::collections::HashMap<String, String>> {
        Ok(self
            .list_staff()?
            .into_iter()
            .map(|s| {
                (
                    s.id.to_string(),
                    format!("{}（{}）", s.display_name, s.username),
                )
            })
            .collect())
    }

    /// Connection orders' whole process (and high-voltage supplier stages): promised, done,
    /// kept or missed — the deadline module's own facts.
    fn deadlines_view(&self, filter: &AuditFilter, limit: usize) -> ServiceResult<AuditTable> {
        let today = self.now().date();
        let names = self.staff_names()?;
        let areas = crate::store::orders::area_of_orders(self.store().conn())?;
        let mut facts: Vec<_> = self
            .late_stages()?
            .into_iter()
            .filter(|f| {
                let when = f.done.unwrap_or(f.due);
                when >= filter.from && when <= filter.to
            })
            .filter(|f| filter.staff_id.is_none_or(|s| f.holder_id == s))
            .filter(|f| {
                filter
                    .area_id
                    .is_none_or(|a| areas.get(&f.order_id).copied().flatten() == Some(a))
            })
            .collect();
        let late = |f: &crate::domain::assessment::DeadlineFact| match f.done {
            Some(d) => d > f.due,
            None => today > f.due,
        };
        // the misses first, then the latest promises
        facts.sort_by(|a, b| {
            late(b)
                .cmp(&late(a))
                .then(b.due.cmp(&a.due))
                .then(a.tracking_no.cmp(&b.tracking_no))
        });
        let missed = facts.iter().filter(|f| late(f)).count() as i64;
        let whole = facts.iter().filter(|f| f.stage == WHOLE_PROCESS).count();
        let whole_kept = facts
            .iter()
            .filter(|f| f.stage == WHOLE_PROCESS && f.done.is_some() && !late(f))
            .count();
        let rows = facts
            .iter()
            .take(limit)
            .map(|f| {
                vec![
                    f.tracking_no.clone(),
                    f.stage_label.clone(),
                    match (f.done, late(f)) {
                        (Some(_), false) => "按时".into(),
                        (Some(_), true) => format!("超时{}工作日", f.overdue_days),
                        (None, false) => "办理中".into(),
                        (None, true) => format!("已超时{}工作日", f.overdue_days),
                    },
                    day(f.due),
                    f.done.map(day).unwrap_or_else(|| "未完成".into()),
                    names
                        .get(&f.holder_id.to_string())
                        .cloned()
                        .unwrap_or_else(|| f.holder_id.to_string()),
                ]
            })
            .collect();
        Ok(AuditTable {
            columns: vec![
                ("工单号", 16),
                ("环节", 12),
                ("结果", 14),
                ("承诺日期", 10),
                ("完成日期", 10),
                ("责任人", 16),
            ],
            rows,
            total: facts.len() as i64,
            summary: format!(
                "全过程 {whole} 件，已按时办结 {whole_kept} 件；超时（含办理中已超时）{missed} 项"
            ),
            problems: missed,
        })
    }
}

fn corrections(
    conn: &rusqlite::Connection,
    f: &AuditFilter,
    from: &str,
    to: &str,
    lim: i64,
) -> ServiceResult<AuditTable> {
    // voids, reversals and reprints in one list, newest first
    let sql = "
        SELECT * FROM (
          SELECT v.voided_at AS at, '作废' AS what, r.receipt_no, p.amount_fen,
                 c.account_no, c.name, s.display_name AS by_name, a.display_name AS approver,
                 v.reason, c.area_id, v.voided_by AS who
          FROM receipt_void v JOIN receipt r ON r.id = v.receipt_id
          JOIN payment p ON p.id = r.payment_id
          LEFT JOIN customer c ON c.id = p.customer_id
          JOIN staff s ON s.id = v.voided_by JOIN staff a ON a.id = v.approved_by
          WHERE v.voided_at BETWEEN ?1 AND ?2
          UNION ALL
          SELECT x.at, '红冲', r.receipt_no, x.amount_fen, c.account_no, c.name,
                 s.display_name, a.display_name, x.reason, c.area_id, x.cashier_id
          FROM payment x JOIN receipt r ON r.payment_id = x.reverses_id
          LEFT JOIN customer c ON c.id = x.customer_id
          JOIN staff s ON s.id = x.cashier_id LEFT JOIN staff a ON a.id = x.approved_by
          WHERE x.reverses_id IS NOT NULL AND x.at BETWEEN ?1 AND ?2
          UNION ALL
          SELECT t.printed_at, CASE t.kind WHEN 'recovery' THEN '补打·中断'
                 ELSE '补打第' || t.reprint_no || '次' END,
                 r.receipt_no, p.amount_fen, c.account_no, c.name, s.display_name, '', '',
                 c.area_id, t.printed_by
          FROM receipt_print t JOIN receipt r ON r.id = t.receipt_id
          JOIN payment p ON p.id = r.payment_id
          LEFT JOIN customer c ON c.id = p.customer_id
          JOIN staff s ON s.id = t.printed_by
          WHERE t.reprint_no > 0 AND t.printed_at BETWEEN ?1 AND ?2
        )
        WHERE (?3 IS NULL OR who = ?3) AND (?4 IS NULL OR area_id = ?4)
        ORDER BY at DESC";
    let mut stmt = conn.prepare(sql).map_err(StoreError::from)?;
    let mut rows = Vec::new();
    let (mut total, mut voids, mut reversals, mut reprints) = (0i64, 0i64, 0i64, 0i64);
    let mut q = stmt
        .query(params![from, to, f.staff_id, f.area_id])
        .map_err(StoreError::from)?;
    while let Some(r) = q.next().map_err(StoreError::from)? {
        let what: String = r.get(1).map_err(StoreError::from)?;
        match what.as_str() {
            "作废" => voids += 1,
            "红冲" => reversals += 1,
            _ => reprints += 1,
        }
        total += 1;
        if total <= lim {
            let g = |i: usize| -> Result<String, StoreError> {
                Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
            };
            let amount: i64 = r.get(3).map_err(StoreError::from)?;
            rows.push(vec![
                g(0)?.chars().take(16).collect(),
                what,
                g(2)?,
                yuan(amount),
                format!("{} {}", g(4)?, g(5)?).trim().to_string(),
                g(6)?,
                g(7)?,
                g(8)?,
            ]);
        }
    }
    Ok(AuditTable {
        columns: vec![
            ("时间", 16),
            ("类别", 10),
            ("收据号", 12),
            ("金额", 9),
            ("客户", 20),
            ("经办", 8),
            ("审批", 8),
            ("原因", 24),
        ],
        rows,
        total,
        summary: format!("作废 {voids} 张，红冲 {reversals} 笔，补打 {reprints} 次"),
        problems: 0,
    })
}

/// Gaps in the receipt numbers (per year), the work-order tracking numbers and the case
/// numbers (per day), and the finding numbers (per year): each sequence is proved whole by
/// its count, lowest and highest number (numbers are unique by the schema), and only a
/// sequence that fails is walked to list its gaps.
fn numbers(conn: &rusqlite::Connection, f: &AuditFilter) -> ServiceResult<AuditTable> {
    let (y0, y1) = (
        chrono::Datelike::year(&f.from),
        chrono::Datelike::year(&f.to),
    );
    let (d0, d1) = (day(f.from), day(f.to));
    let mut rows = Vec::new();
    let mut gaps = 0i64;
    // (label, summary per group: group, count, min, max) and the walk of one group
    struct Seq {
        label: &'static str,
        groups: &'static str,
        walk: &'static str,
        per: &'static str,
    }
    let seqs = [
        Seq {
            label: "收据号",
            groups: "SELECT year, count(*), min(seq), max(seq) FROM receipt
                     WHERE year BETWEEN ?1 AND ?2 GROUP BY year",
            walk: "SELECT seq FROM receipt WHERE year = ?1 ORDER BY seq",
            per: "年",
        },
        Seq {
            label: "整改单号",
            groups: "SELECT year, count(*), min(seq), max(seq) FROM audit_finding
                     WHERE year BETWEEN ?1 AND ?2 GROUP BY year",
            walk: "SELECT seq FROM audit_finding WHERE year = ?1 ORDER BY seq",
            per: "年",
        },
    ];
    for s in &seqs {
        let fast = if s.label == "收据号" {
            receipt_years_whole(conn, y0, y1)?
        } else {
            None
        };
        let groups: Vec<(i64, i64, i64, i64)> = match fast {
            Some(g) => g,
            None => conn
                .prepare(s.groups)
                .map_err(StoreError::from)?
                .query_map(params![y0, y1], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .map_err(StoreError::from)?
                .collect::<Result<_, _>>()
                .map_err(StoreError::from)?,
        };
        let (mut n, mut whole, mut items) = (0i64, 0i64, 0i64);
        for (g, count, min, max) in groups {
            n += 1;
            items += count;
            if min == 1 && count == max {
                whole += 1;
                continue;
            }
            let missing = walk(conn, s.walk, &g.to_string())?;
            gaps += missing.len() as i64;
            rows.push(vec![
                s.label.into(),
                format!("缺 {}", list_numbers(&missing)),
                format!("{g} {}", s.per),
                count.to_string(),
                format!("1–{max}"),
            ]);
        }
        rows.push(vec![
            s.label.into(),
            format!("{whole}/{n} 年连续"),
            if y0 == y1 {
                format!("{y0} 年")
            } else {
                format!("{y0}–{y1} 年")
            },
            items.to_string(),
            String::new(),
        ]);
    }
    // per-day sequences: tracking numbers and case numbers
    let days = [
        (
            "工单编号",
            "SELECT track_date, count(*), min(track_seq), max(track_seq) FROM work_order
             WHERE track_date BETWEEN ?1 AND ?2 GROUP BY track_date",
            "SELECT track_seq FROM work_order WHERE track_date = ?1 ORDER BY track_seq",
        ),
        (
            "投诉报修编号",
            // `{station}T{yyyymmdd}{seq:03}`: the day and the number are in the number
            "SELECT substr(case_no, -11, 4) || '-' || substr(case_no, -7, 2) || '-'
                    || substr(case_no, -5, 2) AS d, count(*),
                    min(CAST(substr(case_no, -3) AS INTEGER)),
                    max(CAST(substr(case_no, -3) AS INTEGER)) FROM service_case
             GROUP BY d HAVING d BETWEEN ?1 AND ?2",
            "SELECT CAST(substr(case_no, -3) AS INTEGER) FROM service_case
             WHERE substr(case_no, -11, 4) || '-' || substr(case_no, -7, 2) || '-'
                    || substr(case_no, -5, 2) = ?1 ORDER BY 1",
        ),
    ];
    for (label, groups, walk_sql) in days {
        let mut stmt = conn.prepare(groups).map_err(StoreError::from)?;
        let list: Vec<(String, i64, i64, i64)> = stmt
            .query_map(params![d0, d1], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .map_err(StoreError::from)?
            .collect::<Result<_, _>>()
            .map_err(StoreError::from)?;
        let (mut n, mut whole, mut items) = (0i64, 0i64, 0i64);
        for (g, count, min, max) in list {
            n += 1;
            items += count;
            if min == 1 && count == max {
                whole += 1;
                continue;
            }
            let missing = walk(conn, walk_sql, &g)?;
            gaps += missing.len() as i64;
            rows.push(vec![
                label.into(),
                format!("缺 {}", list_numbers(&missing)),
                g,
                count.to_string(),
                format!("1–{max}"),
            ]);
        }
        rows.push(vec![
            label.into(),
            format!("{whole}/{n} 天连续"),
            format!("{d0}–{d1}"),
            items.to_string(),
            String::new(),
        ]);
    }
    let total = rows.len() as i64;
    Ok(AuditTable {
        columns: vec![
            ("编号", 12),
            ("结论", 20),
            ("年/日", 24),
            ("张数", 8),
            ("号段", 12),
        ],
        rows,
        total,
        summary: if gaps == 0 {
            "未发现断号：每段编号从 1 起连续，张数等于最大号".into()
        } else {
            format!("发现断号 {gaps} 个，见下表")
        },
        problems: gaps,
    })
}

/// One group of a number sequence: (year or day, count, lowest, highest).
type SeqGroup = (i64, i64, i64, i64);

/// The receipts of years `y0..=y1` as (year, count, lowest, highest) when every year of the
/// table is whole, proved without counting year by year: each year's lowest and highest
/// number are index seeks, the table's row count is SQLite's whole-table count, and since
/// numbers are unique per year and lie in 1..=highest, a table count equal to the sum of the
/// highest numbers (all lowest 1) means every year holds each of its numbers once. `None`
/// when that does not hold (the caller counts year by year and walks the years with gaps).
/// A year of receipts is a million rows at a large station: counting it by year took 70–110
/// ms, this takes about 10.
fn receipt_years_whole(
    conn: &rusqlite::Connection,
    y0: i32,
    y1: i32,
) -> ServiceResult<Option<Vec<SeqGroup>>> {
    let one = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> ServiceResult<Option<i64>> {
        Ok(conn
            .prepare_cached(sql)
            .map_err(StoreError::from)?
            .query_row(p, |r| r.get(0))
            .map_err(StoreError::from)?)
    };
    let mut years = Vec::new();
    let mut next = one("SELECT min(year) FROM receipt", &[])?;
    while let Some(y) = next {
        let min = one("SELECT min(seq) FROM receipt WHERE year = ?1", &[&y])?.unwrap_or(0);
        let max = one("SELECT max(seq) FROM receipt WHERE year = ?1", &[&y])?.unwrap_or(0);
        years.push((y, min, max));
        next = one("SELECT min(year) FROM receipt WHERE year > ?1", &[&y])?;
    }
    let total = one("SELECT count(*) FROM receipt", &[])?.unwrap_or(0);
    let highest: i64 = years.iter().map(|y| y.2).sum();
    if total != highest || years.iter().any(|y| y.1 != 1) {
        return Ok(None);
    }
    Ok(Some(
        years
            .into_iter()
            .filter(|y| y.0 >= i64::from(y0) && y.0 <= i64::from(y1))
            .map(|(y, _, max)| (y, max, 1, max))
            .collect(),
    ))
}

fn walk(conn: &rusqlite::Connection, sql: &str, group: &str) -> ServiceResult<Vec<i64>> {
    let mut stmt = conn.prepare(sql).map_err(StoreError::from)?;
    let seqs: Vec<i64> = stmt
        .query_map([group], |r| r.get(0))
        .map_err(StoreError::from)?
        .collect::<Result<_, _>>()
        .map_err(StoreError::from)?;
    let mut missing = Vec::new();
    let mut next = 1i64;
    for s in seqs {
        while next < s && missing.len() < 1000 {
            missing.push(next);
            next += 1;
        }
        next = s + 1;
    }
    Ok(missing)
}

/// `3、7–9、12` (at most the first twenty runs).
fn list_numbers(n: &[i64]) -> String {
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for &x in n {
        match runs.last_mut() {
            Some((_, hi)) if *hi + 1 == x => *hi = x,
            _ => runs.push((x, x)),
        }
    }
    let more = runs.len() > 20;
    let mut text = runs
        .iter()
        .take(20)
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect::<Vec<_>>()
        .join("、");
    if more {
        text.push_str(" 等");
    }
    text
}

fn day_ends(conn: &rusqlite::Connection, f: &AuditFilter, lim: i64) -> ServiceResult<AuditTable> {
    let range = params![day(f.from), day(f.to), f.staff_id];
    let (total, expected_sum, counted_sum, differ): (i64, i64, i64, i64) = conn
        .query_row(
            "SELECT count(*), COALESCE(SUM(cash_expected_fen), 0),
                    COALESCE(SUM(cash_counted_fen), 0), COALESCE(SUM(difference_fen <> 0), 0)
             FROM day_end d
             WHERE d.business_date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR d.cashier_id = ?3)",
            range,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .map_err(StoreError::from)?;
    // the rows shown, each with the cash its receipts give counted again from the payments
    // it covers (after the previous closing of the same day, voided receipts left out)
    let sql = "
        SELECT d.business_date, s.display_name, b.batch, d.receipt_count, d.cash_expected_fen,
               d.cash_counted_fen, d.difference_fen, d.difference_reason,
               (SELECT COALESCE(SUM(p.amount_fen), 0) FROM payment p
                 WHERE p.cashier_id = d.cashier_id AND p.business_date = d.business_date
                   AND p.method = 'cash' AND p.id <= COALESCE(b.last_payment_id, 0)
                   AND p.id > COALESCE((SELECT MAX(b2.last_payment_id) FROM day_end d2
                         JOIN day_end_batch b2 ON b2.id = d2.id
                         WHERE d2.cashier_id = d.cashier_id AND d2.business_date = d.business_date
                           AND b2.batch < b.batch), 0)
                   -- CROSS JOIN: the few voids first (a plain JOIN walked every receipt)
                   AND p.id NOT IN (SELECT r.payment_id FROM receipt_void v
                                    CROSS JOIN receipt r ON r.id = v.receipt_id)) AS recounted
        -- the page is chosen first: with the count in the select list, ORDER BY … LIMIT
        -- would count every day end of the range before sorting
        FROM (SELECT id FROM day_end
              WHERE business_date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR cashier_id = ?3)
              ORDER BY business_date DESC, id DESC LIMIT ?4) page
        JOIN day_end d ON d.id = page.id
        JOIN day_end_batch b ON b.id = d.id JOIN staff s ON s.id = d.cashier_id
        ORDER BY d.business_date DESC, d.id DESC";
    let mut stmt = conn.prepare(sql).map_err(StoreError::from)?;
    let mut q = stmt
        .query(params![day(f.from), day(f.to), f.staff_id, lim])
        .map_err(StoreError::from)?;
    let (mut rows, mut mismatch) = (Vec::new(), 0i64);
    while let Some(r) = q.next().map_err(StoreError::from)? {
        let g = |i: usize| -> Result<i64, StoreError> { Ok(r.get(i)?) };
        let (expected, counted, diff, recounted) = (g(4)?, g(5)?, g(6)?, g(8)?);
        let check = if recounted == expected {
            "相符".to_string()
        } else {
            mismatch += 1;
            format!("不符 {}", yuan(recounted))
        };
        let batch = g(2)?;
        let date: String = r.get(0).map_err(StoreError::from)?;
        let reason: String = r.get(7).map_err(StoreError::from)?;
        rows.push(vec![
            if batch > 1 {
                format!("{date} 第{batch}次")
            } else {
                date
            },
            r.get::<_, String>(1).map_err(StoreError::from)?,
            g(3)?.to_string(),
            yuan(expected),
            yuan(counted),
            check,
            if diff == 0 {
                "0".into()
            } else {
                format!("{}（{reason}）", yuan(diff))
            },
        ]);
    }
    let checked = rows.len();
    Ok(AuditTable {
        columns: vec![
            ("营业日", 16),
            ("收费员", 8),
            ("收据", 5),
            ("应有现金", 12),
            ("清点现金", 12),
            ("按收款记录", 16),
            ("差额", 20),
        ],
        rows,
        total,
        summary: format!(
            "日结 {total} 次，按收款记录重算 {checked} 次，不符 {mismatch} 次；有差额 {differ} 次；应有现金 {} 元，清点 {} 元",
            yuan(expected_sum),
            yuan(counted_sum)
        ),
        problems: mismatch,
    })
}

fn fees_before_survey(
    conn: &rusqlite::Connection,
    f: &AuditFilter,
    from: &str,
    to: &str,
    lim: i64,
) -> ServiceResult<AuditTable> {
    let checked: i64 = conn
        .query_row(
            "SELECT count(*) FROM order_fee x JOIN work_order o ON o.id = x.order_id
             WHERE x.collected = 1 AND x.collected_at BETWEEN ?1 AND ?2
               AND (?3 IS NULL OR x.collected_by = ?3) AND (?4 IS NULL OR o.area_id = ?4)",
            params![from, to, f.staff_id, f.area_id],
            |r| r.get(0),
        )
        .map_err(StoreError::from)?;
    let mut stmt = conn
        .prepare(
            "SELECT o.tracking_no, COALESCE(c.name, o.applicant_name), x.item, x.amount_fen,
                    x.collected_at, s.display_name, COALESCE(g.done_at, '未勘查')
             FROM order_fee x JOIN work_order o ON o.id = x.order_id
             JOIN order_stage g ON g.order_id = o.id AND g.stage = 'survey'
             LEFT JOIN customer c ON c.id = o.customer_id
             LEFT JOIN staff s ON s.id = x.collected_by
             WHERE x.collected = 1 AND x.collected_at BETWEEN ?1 AND ?2
               AND (g.done_at IS NULL OR x.collected_at < g.done_at)
               AND (?3 IS NULL OR x.collected_by = ?3) AND (?4 IS NULL OR o.area_id = ?4)
             ORDER BY x.collected_at DESC",
        )
        .map_err(StoreError::from)?;
    let all: Vec<Vec<String>> = stmt
        .query_map(params![from, to, f.staff_id, f.area_id], |r| {
            Ok(vec![
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                yuan(r.get(3)?),
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                r.get::<_, String>(6)?,
            ])
        })
        .map_err(StoreError::from)?
        .collect::<Result<_, _>>()
        .map_err(StoreError::from)?;
    let total = all.len() as i64;
    Ok(AuditTable {
        columns: vec![
            ("工单号", 18),
            ("申请人", 10),
            ("收费项目", 14),
            ("金额", 10),
            ("收费时间", 19),
            ("收费员", 8),
            ("勘查完成", 19),
        ],
        rows: all
            .into_iter()
            .take(usize::try_from(lim).unwrap_or(0))
            .collect(),
        total,
        summary: if total == 0 {
            format!("未发现勘查前收费（核查已收业务费 {checked} 笔）")
        } else {
            format!("勘查前收费 {total} 笔（核查已收业务费 {checked} 笔），应当为零")
        },
        problems: total,
    })
}

fn incomplete(
    conn: &rusqlite::Connection,
    f: &AuditFilter,
    from: &str,
    to: &str,
    lim: i64,
) -> ServiceResult<AuditTable> {
    let sql = "
        SELECT c.account_no, c.name, COALESCE(a.name, '—'), c.created_at,
               COALESCE(l.user_name, ''), COALESCE(json_extract(l.changes, '$.missing'), '')
        FROM customer c LEFT JOIN transformer_area a ON a.id = c.area_id
        LEFT JOIN audit_log l ON l.entity = 'customer' AND l.entity_id = c.account_no
             AND l.action = 'customer.create'
        WHERE c.docs_incomplete = 1 AND c.status <> 'closed'
          AND (?3 IS NULL OR l.user_id = ?3) AND (?4 IS NULL OR c.area_id = ?4)
        ORDER BY c.created_at";
    let mut stmt = conn.prepare(sql).map_err(StoreError::from)?;
    let all: Vec<Vec<String>> = stmt
        .query_map(params![from, to, f.staff_id, f.area_id], |r| {
            (0..6)
                .map(|i| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default))
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(StoreError::from)?
        .collect::<Result<_, _>>()
        .map_err(StoreError::from)?;
    let total = all.len() as i64;
    let rows = all
        .into_iter()
        .take(usize::try_from(lim).unwrap_or(0))
        .map(|mut r| {
            r[3] = r[3].chars().take(10).collect();
            r
        })
        .collect();
    Ok(AuditTable {
        columns: vec![
            ("户号", 13),
            ("户名", 10),
            ("台区", 12),
            ("建档日期", 10),
            ("建档人", 16),
            ("待补资料", 24),
        ],
        rows,
        total,
        summary: format!("资料不全的在用档案 {total} 户（现状，不按日期筛选）"),
        problems: total,
    })
}

fn tariff(conn: &rusqlite::Connection, f: &AuditFilter, lim: i64) -> ServiceResult<AuditTable> {
    use crate::domain::customer::UsageCategory;
    let label = |code: &str| {
        UsageCategory::from_code(code)
            .map(|u| u.label().to_string())
            .unwrap_or_else(|| crate::domain::validate::shown(code))
    };
    let sql = "
        SELECT c.account_no, c.name, COALESCE(a.name, '—'), c.usage_category, c.tariff_code,
               l.user_name || ' ' || substr(l.at, 1, 10), l.user_id AS setter
        FROM customer c LEFT JOIN transformer_area a ON a.id = c.area_id
        -- the last time it was set here (MAX through the entity index: an ORDER BY seq
        -- LIMIT 1 would walk the whole trail backwards)
        LEFT JOIN audit_log l ON l.seq = (SELECT MAX(m.seq) FROM audit_log m
             WHERE m.entity = 'customer' AND m.entity_id = c.account_no
               AND m.action = 'customer.tariff')
        WHERE c.tariff_code <> '' AND c.tariff_code <> c.usage_category
          AND (?1 IS NULL OR c.area_id = ?1)";
    let mut stmt = conn.prepare(sql).map_err(StoreError::from)?;
    let all: Vec<(Vec<String>, Option<i64>)> = stmt
        .query_map(params![f.area_id], |r| {
            Ok((
                vec![
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    label(&r.get::<_, String>(3)?),
                    label(&r.get::<_, String>(4)?),
                    r.get::<_, Option<String>>(5)?
                        .unwrap_or_else(|| "（未经本程序设定）".into()),
                ],
                r.get::<_, Option<i64>>(6)?,
            ))
        })
        .map_err(StoreError::from)?
        .collect::<Result<_, _>>()
        .map_err(StoreError::from)?;
    // sorted here: an ORDER BY account_no would walk the whole 户号 index instead of the
    // partial index of the few customers billed at another category
    let mut all: Vec<Vec<String>> = all
        .into_iter()
        .filter(|(_, setter)| f.staff_id.is_none_or(|s| *setter == Some(s)))
        .map(|(r, _)| r)
        .collect();
    all.sort();
    let total = all.len() as i64;
    Ok(AuditTable {
        columns: vec![
            ("户号", 13),
            ("户名", 10),
            ("台区", 12),
            ("用电类别", 10),
            ("执行电价", 10),
            ("设定人", 24),
        ],
        rows: all
            .into_iter()
            .take(usize::try_from(lim).unwrap_or(0))
            .collect(),
        total,
        summary: format!("执行电价与用电类别不同的客户 {total} 户（核算时每张账单都要复核）"),
        problems: total,
    })
}

fn waivers(
    conn: &rusqlite::Connection,
    f: &AuditFilter,
    from: &str,
    to: &str,
    lim: i64,
) -> ServiceResult<AuditTable> {
    let sql = "
        SELECT * FROM (
          SELECT w.waived_at AS at, '违约金减免' AS what,
                 c.account_no || ' ' || c.name || ' ' || b.period || ' 账单' AS subject,
                 s.display_name, w.reason, c.area_id, w.waived_by AS who
          FROM late_fee_waiver w JOIN bill b ON b.id = w.bill_id
          JOIN customer c ON c.id = b.customer_id JOIN staff s ON s.id = w.waived_by
          WHERE w.waived_at BETWEEN ?1 AND ?2
          UNION ALL
          SELECT o.declared_at, '停电期间', o.from_date || ' 至 ' || o.to_date,
                 s.display_name, o.reason, NULL, o.declared_by
          FROM outage_period o JOIN staff s ON s.id = o.declared_by
          WHERE o.declared_at BETWEEN ?1 AND ?2 AND ?4 IS NULL
        )
        WHERE (?3 IS NULL OR who = ?3) AND (?4 IS NULL OR area_id = ?4)
        ORDER BY at DESC";
    let mut stmt = conn.prepare(sql).map_err(StoreError::from)?;
    let all: Vec<Vec<String>> = stmt
        .query_map(params![from, to, f.staff_id, f.area_id], |r| {
            Ok(vec![
                r.get::<_, String>(0)?.chars().take(16).collect(),
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ])
        })
        .map_err(StoreError::from)?
        .collect::<Result<_, _>>()
        .map_err(StoreError::from)?;
    let waived = all.iter().filter(|r| r[1] == "违约金减免").count();
    let outages = all.len() - waived;
    let total = all.len() as i64;
    Ok(AuditTable {
        columns: vec![
            ("时间", 16),
            ("类别", 10),
            ("对象", 36),
            ("经办", 8),
            ("理由", 30),
        ],
        rows: all
            .into_iter()
            .take(usize::try_from(lim).unwrap_or(0))
            .collect(),
        total,
        summary: format!("违约金减免 {waived} 笔，登记停电期间 {outages} 次"),
        problems: 0,
    })
}

fn trail(
    conn: &rusqlite::Connection,
    actions: &str,
    f: &AuditFilter,
    from: &str,
    to: &str,
    lim: i64,
    names: &std::collections::HashMap<String, String>,
) -> ServiceResult<AuditTable> {
    let cond =
        format!("action IN {actions} AND at BETWEEN ?1 AND ?2 AND (?3 IS NULL OR user_id = ?3)");
    let total: i64 = conn
        .query_row(
            &format!("SELECT count(*) FROM audit_log WHERE {cond}"),
            params![from, to, f.staff_id],
            |r| r.get(0),
        )
        .map_err(StoreError::from)?;
    let mut stmt = conn
        .prepare(&format!(
            "SELECT at, user_name, action, entity_id, changes, entity FROM audit_log
             WHERE {cond} ORDER BY at DESC, seq DESC LIMIT ?4"
        ))
        .map_err(StoreError::from)?;
    let rows: Vec<Vec<String>> = stmt
        .query_map(params![from, to, f.staff_id, lim], |r| {
            let changes: String = r.get(4)?;
            Ok(vec![
                r.get::<_, String>(0)?.chars().take(16).collect(),
                r.get::<_, String>(1)?,
                action_label(&r.get::<_, String>(2)?).to_string(),
                {
                    // an account is named, not numbered
                    let id: String = r.get(3)?;
                    let entity: String = r.get(5)?;
                    match names.get(&id) {
                        Some(n) if entity == "staff" => n.clone(),
                        _ => crate::domain::validate::shown(&id),
                    }
                },
                describe_changes_with(&changes, names),
            ])
        })
        .map_err(StoreError::from)?
        .collect::<Result<_, _>>()
        .map_err(StoreError::from)?;
    Ok(AuditTable {
        columns: vec![
            ("时间", 16),
            ("人员", 18),
            ("操作", 14),
            ("对象", 18),
            ("改前→改后", 40),
        ],
        rows,
        total,
        summary: format!("改动 {total} 次"),
        problems: 0,
    })
}

//! The money views: voids, reversals and reprints; day ends against their payments;
//! late-fee waivers and outage periods; fees collected before the survey.
use rusqlite::params;

use super::{AuditFilter, AuditTable, day, yuan};
use crate::service::ServiceResult;
use crate::store::StoreError;

pub(super) fn corrections(
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

pub(super) fn day_ends(
    conn: &rusqlite::Connection,
    f: &AuditFilter,
    lim: i64,
) -> ServiceResult<AuditTable> {
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

pub(super) fn waivers(
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

pub(super) fn fees_before_survey(
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

//! The views of files and people: incomplete customer files, tariff against usage
//! category, and the trail of setting and account changes.

use rusqlite::params;

use super::{AuditFilter, AuditTable};
use crate::domain::audit_labels::{action_label, describe_changes_with};
use crate::service::ServiceResult;
use crate::store::StoreError;

pub(super) fn incomplete(
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

pub(super) fn tariff(
    conn: &rusqlite::Connection,
    f: &AuditFilter,
    lim: i64,
) -> ServiceResult<AuditTable> {
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

pub(super) fn trail(
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

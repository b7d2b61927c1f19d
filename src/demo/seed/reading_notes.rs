//! The demo's reading log (issue 15): a few notes and their messages (one answered with
//! money brought back, one overdue, one site problem never handed on) and the month's spot
//! checks, through the station's own services on the days they happened.
use chrono::{Duration, NaiveDateTime};

use crate::domain::billing::Period;
use crate::service::{Service, ServiceResult};

/// A few reading-log notes and their messages (one answered with money brought back, one
/// overdue, one site problem never handed on) and the month's spot checks, through the
/// station's own services on the days they happened.
pub fn seed_notes(
    db: &std::path::Path,
    dir: &std::path::Path,
    now: NaiveDateTime,
) -> ServiceResult<usize> {
    use crate::domain::reading::{NoteKind, SpotFinding};
    use crate::service::readings::notes::NoteInput;

    let at = |days: i64, h: u32| (now.date() - Duration::days(days)).and_hms_opt(h, 0, 0);
    let svc_at = |t: NaiveDateTime| -> ServiceResult<Service> {
        Ok(Service::new(
            super::demo_store(db)?,
            dir.to_path_buf(),
            std::sync::Arc::new(crate::domain::clock::FixedClock::new(t)),
        ))
    };
    let first = svc_at(now)?;
    let staff = first.list_staff()?;
    let (Some(chief), Some(manager)) = (
        staff
            .iter()
            .find(|s| s.active && s.role == crate::domain::role::Role::Chief),
        staff
            .iter()
            .find(|s| s.active && s.role == crate::domain::role::Role::AreaManager),
    ) else {
        return Ok(0);
    };
    let chief_s = crate::service::auth::session_of(chief);
    let manager_s = crate::service::auth::session_of(manager);
    // a few meters and accounts of the first 台区
    let picks: Vec<(i64, String, String)> = first
        .store()
        .conn()
        .prepare(
            "SELECT m.id, c.account_no, a.code FROM meter m JOIN customer c ON c.id = m.customer_id
               JOIN transformer_area a ON a.id = c.area_id
              WHERE m.status = 'service' ORDER BY c.area_id, c.id LIMIT 12",
        )
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(crate::store::StoreError::from)?;
    if picks.len() < 12 {
        return Ok(0);
    }
    let areas: Vec<String> = first.areas()?.into_iter().map(|a| a.code).take(3).collect();
    drop(first);
    let notes: [(i64, NoteKind, &str, &str, &str); 4] = [
        (5, NoteKind::Site, "表箱门锁坏，无法加封", "", ""),
        (
            4,
            NoteKind::Theft,
            "表尾接线有旁路痕迹，疑似窃电",
            &chief.username,
            "2",
        ),
        (
            3,
            NoteKind::Site,
            "表计液晶屏不显示",
            &manager.username,
            "1",
        ),
        (2, NoteKind::Phone, "客户新电话已登记，请更新档案", "", ""),
    ];
    let mut made = 0;
    let mut theft_note = None;
    for (k, (back, kind, text, to, days)) in notes.iter().enumerate() {
        let Some(t) = at(*back, 15) else { continue };
        let id = svc_at(t)?.add_reading_note(
            &manager_s,
            &NoteInput {
                meter_id: picks[k].0,
                kind: Some(*kind),
                text: (*text).into(),
                to: (*to).into(),
                days: (*days).into(),
            },
        )?;
        if *kind == NoteKind::Theft {
            theft_note = Some(id);
        }
        made += 1;
    }
    // the theft answered the next day, with electricity fees recovered
    if let (Some(note), Some(t)) = (theft_note, at(1, 10)) {
        let svc = svc_at(t)?;
        let msg = svc
            .reading_log(Period::of(t.date()))?
            .into_iter()
            .find(|n| n.id == note)
            .and_then(|n| n.message_id);
        if let Some(msg) = msg {
            svc_at(t)?.message_feedback(
                &chief_s,
                msg,
                "查实绕越计量，已补收电费并报公安",
                "1860",
            )?;
        }
    }
    // spot checks: three 台区 as a whole, and households
    if let Some(t) = at(1, 16) {
        let mut svc = svc_at(t)?;
        for code in &areas {
            svc.record_spot_check(&chief_s, code, "", Some(SpotFinding::Ok), "")?;
        }
        for (k, (_, account, code)) in picks.iter().enumerate().skip(4).take(6) {
            if k == 6 {
                svc.record_spot_check(
                    &chief_s,
                    code,
                    account,
                    Some(SpotFinding::WrongReading),
                    "示数 1350 抄成 1530，已更正",
                )?;
            } else {
                svc.record_spot_check(&chief_s, code, account, Some(SpotFinding::Ok), "")?;
            }
        }
    }
    Ok(made)
}

//! Rotation plans (issue 13): the chief proposes a year's plan from the meters in service,
//! moves items between months and approves it once; area managers report meters found
//! overdue or abnormal during the year; a swap that takes a planned meter off marks its
//! item done. Progress per month and area manager; items not done at month end are facts
//! for the assessment rule. The month's work list prints per area manager and exports as CSV.
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::assessment::RotationFact;
use crate::domain::role::Need;
use crate::domain::rotation::{self, ItemState, Progress, Source, ToPlace};
use crate::domain::validate;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::rotation::{self as store, ItemRow, NewItem, PlanRow};

/// A year's plan as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RotationPlan {
    pub year: i32,
    pub plan: Option<PlanRow>,
    pub items: Vec<ItemRow>,
    /// the day the states are counted on
    pub today: Option<NaiveDate>,
}

impl RotationPlan {
    /// Where an item stands.
    pub fn state(&self, i: &ItemRow) -> ItemState {
        let today = self.today.unwrap_or(NaiveDate::MIN);
        rotation::state(self.year, i.month, i.done_on, today)
    }

    pub fn approved(&self) -> bool {
        self.plan.as_ref().is_some_and(|p| p.approved_at.is_some())
    }
}

/// Progress of a plan: per month, per area manager, and in all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RotationProgress {
    pub by_month: BTreeMap<u32, Progress>,
    /// by quarter (the plan's batches)
    pub by_quarter: BTreeMap<u32, Progress>,
    /// by the area manager's name (`（未设台区经理）` for none)
    pub by_manager: BTreeMap<String, Progress>,
    pub total: Progress,
}

/// The area manager's name as listed (none set: said so).
pub fn manager_label(i: &ItemRow) -> String {
    i.manager_name
        .clone()
        .unwrap_or_else(|| "（未设台区经理）".into())
}

impl Service {
    pub fn rotation_plan(&self, year: i32) -> ServiceResult<RotationPlan> {
        let conn = self.store().conn();
        let plan = store::plan_by_year(conn, year)?;
        let items = match &plan {
            Some(p) => store::items(conn, p.id)?,
            None => Vec::new(),
        };
        Ok(RotationPlan {
            year,
            plan,
            items,
            today: Some(self.now().date()),
        })
    }

    /// Propose the plan of `year`: every meter due in it or overdue, faulty ones and the
    /// large customers', split evenly into the months left of the year by 台区. Returns how
    /// many items. The chief only; once per year.
    pub fn propose_rotation_plan(&mut self, session: &Session, year: &str) -> ServiceResult<usize> {
        let cx = self.begin_to(session, Need::Chief, "制订轮换计划")?;
        let today = cx.today();
        let year =
            validate::whole_number(year, i64::from(today.year()), i64::from(today.year()) + 1)
                .map_err(|m| ServiceError::invalid("year", m))? as i32;
        if store::plan_by_year(self.store().conn(), year)?.is_some() {
            return Err(ServiceError::invalid(
                "year",
                format!("{year} 年的轮换计划已经制订；可调整月份或上报新增"),
            ));
        }
        let large_kva = self.int_setting("meter.large_customer_kva")?;
        let candidates = store::candidates(self.store().conn(), year, large_kva)?;
        let chosen = rotation::propose(
            &candidates
                .iter()
                .map(|(c, _)| c.clone())
                .collect::<Vec<_>>(),
            year,
        );
        let by_id: std::collections::HashMap<
            i64,
            &(crate::domain::rotation::Candidate, Option<i64>),
        > = candidates.iter().map(|c| (c.0.meter_id, c)).collect();
        let places: Vec<ToPlace> = chosen
            .iter()
            .enumerate()
            .filter_map(|(k, (id, source))| {
                let (c, _) = by_id.get(id)?;
                Some(ToPlace {
                    item: k,
                    area_id: c.area_id,
                    source: *source,
                    valid_until: c.valid_until,
                })
            })
            .collect();
        let months = rotation::split(&places, rotation::first_month(year, today));
        let mut per_source: BTreeMap<&'static str, i64> = BTreeMap::new();
        self.store_mut().write(|tx| -> ServiceResult<usize> {
            let plan_id = store::insert_plan(tx, year, &cx.at, cx.staff_id())?;
            for (k, (meter_id, source)) in chosen.iter().enumerate() {
                let Some((c, customer)) = by_id.get(meter_id) else {
                    continue;
                };
                store::insert_item(
                    tx,
                    &NewItem {
                        plan_id,
                        meter_id: *meter_id,
                        customer_id: *customer,
                        area_id: c.area_id,
                        month: months.get(k).copied().unwrap_or(1),
                        source: *source,
                        reported_by: None,
                        reported_at: None,
                        note: "",
                        after_approval: false,
                    },
                )?;
                *per_source.entry(source.label()).or_default() += 1;
            }
            let mut ch = Changes::new()
                .note("year", i64::from(year))
                .note("count", chosen.len() as i64);
            for (label, n) in &per_source {
                ch = ch.note("source", format!("{label} {n}"));
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "rotation.propose",
                    entity: "rotation_plan",
                    entity_id: &year.to_string(),
                    changes: ch,
                },
            )?;
            Ok(chosen.len())
        })
    }

    /// Move items to another month (the chief; audited, before and after approval).
    pub fn move_rotation_items(
        &mut self,
        session: &Session,
        year: i32,
        item_ids: &[i64],
        month: &str,
    ) -> ServiceResult<usize> {
        let cx = self.begin_to(session, Need::Chief, "调整轮换计划")?;
        let month = validate::whole_number(month, 1, 12)
            .map_err(|m| ServiceError::invalid("month", m))? as u32;
        let plan = self.rotation_plan(year)?;
        let p = plan
            .plan
            .as_ref()
            .ok_or_else(|| ServiceError::NotFound(format!("{year} 年的轮换计划")))?;
        if year == cx.today().year() && month < cx.today().month() {
            return Err(ServiceError::invalid("month", "不能移到已经过去的月份"));
        }
        let moving: Vec<&ItemRow> = plan
            .items
            .iter()
            .filter(|i| item_ids.contains(&i.id) && i.done_on.is_none() && i.month != month)
            .collect();
        if moving.is_empty() {
            return Ok(0);
        }
        let approved = p.approved_at.is_some();
        self.store_mut().write(|tx| -> ServiceResult<usize> {
            let mut list = Vec::new();
            for i in &moving {
                store::set_month(tx, i.id, month)?;
                list.push(format!("{} {}→{}月", i.asset_no, i.month, month));
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "rotation.move",
                    entity: "rotation_plan",
                    entity_id: &year.to_string(),
                    changes: Changes::new()
                        .note("count", moving.len() as i64)
                        .note("approved", approved)
                        .note("meters", list.join("；")),
                },
            )?;
            Ok(moving.len())
        })
    }

    /// Approve the plan (the chief, once).
    pub fn approve_rotation_plan(&mut self, session: &Session, year: i32) -> ServiceResult<usize> {
        let cx = self.begin_to(session, Need::Chief, "批准轮换计划")?;
        let plan = self.rotation_plan(year)?;
        let p = plan
            .plan
            .as_ref()
            .ok_or_else(|| ServiceError::NotFound(format!("{year} 年的轮换计划")))?;
        if p.approved_at.is_some() {
            return Err(ServiceError::Refused(format!(
                "{year} 年的轮换计划已于 {} 批准",
                p.approved_at.as_deref().unwrap_or("")
            )));
        }
        let id = p.id;
        let n = plan.items.len();
        self.store_mut().write(|tx| -> ServiceResult<usize> {
            if !store::approve(tx, id, &cx.at, cx.staff_id())? {
                return Err(ServiceError::Refused("轮换计划已被批准".into()));
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "rotation.approve",
                    entity: "rotation_plan",
                    entity_id: &year.to_string(),
                    changes: Changes::new().note("count", n as i64),
                },
            )?;
            Ok(n)
        })
    }

    /// An area manager (or any writing role) reports a meter found overdue or abnormal: it
    /// joins the plan in the current month (January for next year's plan), audited with who.
    pub fn report_rotation_meter(
        &mut self,
        session: &Session,
        year: i32,
        asset_no: &str,
        note: &str,
    ) -> ServiceResult<i64> {
        let cx = self.begin(session, Need::Write)?;
        let note = note.trim();
        if note.is_empty() || note.chars().count() > 100 {
            return Err(ServiceError::invalid(
                "note",
                "请写明发现的问题（最多 100 个字）",
            ));
        }
        let no = crate::domain::meter::asset_no(asset_no)
            .map_err(|m| ServiceError::invalid("asset_no", m))?;
        let conn = self.store().conn();
        let plan = store::plan_by_year(conn, year)?
            .ok_or_else(|| ServiceError::invalid("asset_no", format!("{year} 年还没有轮换计划")))?;
        let m = crate::store::meters::by_asset_no(conn, &no)?
            .filter(|m| m.status == crate::domain::meter::MeterStatus::InService)
            .ok_or_else(|| ServiceError::invalid("asset_no", format!("表计 {no} 不在运行中")))?;
        if let Some((_, y, month)) = store::open_item_of_meter(conn, m.id)? {
            return Err(ServiceError::invalid(
                "asset_no",
                format!("表计 {no} 已在 {y} 年计划的 {month} 月中"),
            ));
        }
        let area_id = match m.customer_id {
            Some(c) => crate::store::customers::by_id(conn, c)?.and_then(|c| c.area_id),
            None => m.area_id,
        };
        let month = rotation::first_month(year, cx.today());
        let after = plan.approved_at.is_some();
        self.store_mut().write(|tx| -> ServiceResult<i64> {
            let id = store::insert_item(
                tx,
                &NewItem {
                    plan_id: plan.id,
                    meter_id: m.id,
                    customer_id: m.customer_id,
                    area_id,
                    month,
                    source: Source::Reported,
                    reported_by: Some(cx.staff_id()),
                    reported_at: Some(&cx.at),
                    note,
                    after_approval: after,
                },
            )?;
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "rotation.report",
                    entity: "rotation_plan",
                    entity_id: &year.to_string(),
                    changes: Changes::new()
                        .note("meter", m.asset_no.clone())
                        .note("month", i64::from(month))
                        .note("reason", note),
                },
            )?;
            Ok(id)
        })
    }

    /// Progress of the plan of `year` as of today.
    pub fn rotation_progress(&self, year: i32) -> ServiceResult<RotationProgress> {
        let plan = self.rotation_plan(year)?;
        let mut out = RotationProgress::default();
        for i in &plan.items {
            let s = plan.state(i);
            out.by_month.entry(i.month).or_default().add(s);
            out.by_quarter
                .entry(rotation::quarter(i.month))
                .or_default()
                .add(s);
            out.by_manager.entry(manager_label(i)).or_default().add(s);
            out.total.add(s);
        }
        Ok(out)
    }

    /// Items of every approved plan whose month ended before `today` with the meter not
    /// swapped by then (not done, or done late: the check may run after a late swap), with
    /// the area manager responsible (items of a 台区 without one are left out: nobody to
    /// assess), and not assessed yet under rule `rule_id`. One query: the check runs at
    /// sign-in and after changes, and most runs find nothing new.
    pub(crate) fn rotation_missed(
        &self,
        today: NaiveDate,
        rule_id: i64,
    ) -> ServiceResult<Vec<RotationFact>> {
        Ok(store::missed(self.store().conn(), today, rule_id)?)
    }
}

/// The CSV columns of a plan's export.
pub const CSV_HEADER: [&str; 13] = [
    "年份",
    "月份",
    "台区",
    "台区经理",
    "户号",
    "户名",
    "地址",
    "资产编号",
    "安装位置",
    "封印",
    "有效期至",
    "原因",
    "状态",
];

impl Service {
    /// Print the work list of `month` for each area manager with items in it (one PDF each);
    /// audited with the files.
    pub fn print_rotation_lists(
        &mut self,
        session: &Session,
        year: i32,
        month: &str,
    ) -> ServiceResult<Vec<crate::print::PrintOutcome>> {
        let cx = self.begin(session, Need::Write)?;
        let month = validate::whole_number(month, 1, 12)
            .map_err(|m| ServiceError::invalid("month", m))? as u32;
        let plan = self.rotation_plan(year)?;
        if plan.plan.is_none() {
            return Err(ServiceError::NotFound(format!("{year} 年的轮换计划")));
        }
        let mut by_manager: BTreeMap<String, Vec<&ItemRow>> = BTreeMap::new();
        for i in plan
            .items
            .iter()
            .filter(|i| i.month == month && i.done_on.is_none())
        {
            by_manager.entry(manager_label(i)).or_default().push(i);
        }
        if by_manager.is_empty() {
            return Err(ServiceError::invalid(
                "month",
                format!("{month} 月没有待换的表计"),
            ));
        }
        let station = self.require_station()?;
        let printed_at = cx.now.format("%Y-%m-%d %H:%M").to_string();
        let mut outs = Vec::new();
        for (manager, items) in &by_manager {
            let view = crate::print::WorkListView {
                station_name: station.name.clone(),
                year,
                month,
                manager: manager.clone(),
                printed_at: printed_at.clone(),
                lines: items
                    .iter()
                    .map(|i| crate::print::WorkLine {
                        area: i.area_name.clone().unwrap_or_default(),
                        account_no: i.account_no.clone().unwrap_or_default(),
                        customer: i.customer_name.clone().unwrap_or_else(|| "台区总表".into()),
                        address: i.address.clone().unwrap_or_default(),
                        asset_no: i.asset_no.clone(),
                        position: i.position.clone(),
                        seals: i.seals.clone(),
                        valid_until: i.valid_until.to_string(),
                        source: i.source.label().to_string(),
                    })
                    .collect(),
            };
            let stem = format!("轮换工作单-{year}-{month:02}-{manager}");
            match self.render_and_print(&stem, |f| crate::print::render_work_list(&view, f)) {
                Ok(out) => outs.push(out),
                Err(e) => {
                    self.record_print_failure(
                        &cx.session,
                        cx.now,
                        "rotation_plan",
                        &year.to_string(),
                        &e,
                    );
                    return Err(e);
                }
            }
        }
        let files: Vec<String> = outs.iter().map(|o| o.path.display().to_string()).collect();
        self.audit_alone(
            &cx,
            "rotation.print",
            "rotation_plan",
            &year.to_string(),
            Changes::new()
                .note("month", i64::from(month))
                .note("files", files),
        )?;
        Ok(outs)
    }

    /// Export the plan (one month, or the whole year) as CSV for Excel into the print
    /// folder; audited.
    pub fn export_rotation_csv(
        &mut self,
        session: &Session,
        year: i32,
        month: Option<u32>,
    ) -> ServiceResult<std::path::PathBuf> {
        let cx = self.begin(session, Need::Read)?;
        let plan = self.rotation_plan(year)?;
        if plan.plan.is_none() {
            return Err(ServiceError::NotFound(format!("{year} 年的轮换计划")));
        }
        let rows: Vec<Vec<String>> = plan
            .items
            .iter()
            .filter(|i| month.is_none_or(|m| i.month == m))
            .map(|i| {
                vec![
                    year.to_string(),
                    i.month.to_string(),
                    i.area_name.clone().unwrap_or_default(),
                    manager_label(i),
                    i.account_no.clone().unwrap_or_default(),
                    i.customer_name.clone().unwrap_or_default(),
                    i.address.clone().unwrap_or_default(),
                    i.asset_no.clone(),
                    i.position.clone(),
                    i.seals.clone(),
                    i.valid_until.to_string(),
                    i.source.label().to_string(),
                    plan.state(i).label().to_string(),
                ]
            })
            .collect();
        let doc = crate::export::csv::document(&CSV_HEADER, &rows);
        let stem = match month {
            Some(m) => format!("轮换清单-{year}-{m:02}"),
            None => format!("轮换清单-{year}"),
        };
        let path = crate::print::FolderPrinter::new(self.print_folder()?)
            .write_file(&stem, "csv", &doc)?;
        let file = path.display().to_string();
        self.audit_alone(
            &cx,
            "rotation.export",
            "rotation_plan",
            &year.to_string(),
            Changes::new()
                .note("count", rows.len() as i64)
                .note("files", vec![file]),
        )?;
        Ok(path)
    }
}

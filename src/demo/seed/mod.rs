//! The demo station: `stationdesk demo` and the first-run offer. Later issues extend the
//! demo with their own data (orders, meters, bills, cases) from `insert_demo`.
pub mod assessment;
pub mod billing;
pub mod cases;
pub mod collection;
pub mod findings;
pub mod meters;
pub mod orders;
pub mod reading_notes;
pub mod readings;
pub mod readings_aside;

use std::path::Path;
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension};

use crate::demo::{self, DemoPlan};
use crate::domain::clock::{self, Clock};
use crate::domain::customer::NewCustomer;
use crate::domain::pinyin;
use crate::domain::role::Role;
use crate::service::auth::hash_password;
use crate::service::{DB_FILE, Service, ServiceError, ServiceResult, Session};
use crate::store::audit::{self, Actor, Changes, NewEntry};
use crate::store::bulk::RowBuffer;
use crate::store::customers as store_customers;
use crate::store::staff::{self, NewStaff};
use crate::store::station::{self, Station};
use crate::store::{Store, StoreError};

/// The build's steps timed, to stderr, when `STATIONDESK_DEMO_PHASES` is set: where the
/// time of `demo --customers 100000` goes (issue 15's budget, `docs/budgets.md`). Elapsed
/// time only, never business time (that is the injected clock's).
pub(crate) struct Phases {
    on: bool,
    start: std::time::Instant,
    last: std::time::Instant,
}

/// Whether the build's steps are timed ([`Phases`]).
pub(crate) fn phases_wanted() -> bool {
    std::env::var_os("STATIONDESK_DEMO_PHASES").is_some()
}

impl Phases {
    pub(crate) fn from_env() -> Self {
        let now = std::time::Instant::now();
        Phases {
            on: phases_wanted(),
            start: now,
            last: now,
        }
    }

    /// The step that just ended.
    pub(crate) fn done(&mut self, step: &str) {
        let now = std::time::Instant::now();
        if self.on {
            eprintln!(
                "{:>7.2} s {:>7.2} s  {step}",
                (now - self.start).as_secs_f64(),
                (now - self.last).as_secs_f64()
            );
        }
        self.last = now;
    }
}

/// Name and code of the demo station.
pub const DEMO_STATION_NAME: &str = "王庄供电所（演示）";
pub const DEMO_STATION_CODE: &str = "WZ01";
pub const DEMO_STATION_PHONE: &str = "0635-8123456";

/// What the demo built, for the console and the first-run screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoSummary {
    /// first line: what was done
    pub headline: String,
    pub station_name: String,
    pub data_dir: String,
    /// (user name, name, role, password)
    pub accounts: Vec<(String, String, Role, String)>,
    pub areas: usize,
    pub customers: usize,
    /// demo work orders taken
    pub orders: usize,
    /// the year of bills and payments
    pub billing: billing::DemoBilling,
    /// the meters
    pub meters: meters::DemoMeters,
    /// complaints and repair calls
    pub cases: cases::DemoCases,
}

impl DemoSummary {
    pub fn describe(&self) -> String {
        let mut s = format!(
            "{}：{}\n数据目录：{}\n台区 {} 个，客户 {} 户，工单 {} 件\n\n演示账号（用户名 / 密码）：\n",
            self.headline,
            self.station_name,
            self.data_dir,
            self.areas,
            self.customers,
            self.orders
        );
        if self.billing.bills > 0 {
            let b = &self.billing;
            s.insert_str(
                s.find("\n\n演示账号").unwrap_or(s.len()),
                &format!(
                    "\n账单 {} 张（近 12 个月），收费 {} 笔（作废 {} 笔、红冲 {} 笔），日结 {} 次",
                    b.bills, b.payments, b.voids, b.reversals, b.day_ends
                ),
            );
        }
        if self.meters.in_service > 0 {
            let m = &self.meters;
            s.insert_str(
                s.find("\n\n演示账号").unwrap_or(s.len()),
                &format!(
                    "\n在运表计 {} 只（已过检定有效期 {} 只），换表记录 {} 次，库存新表 {} 只；今年轮换计划 {} 只，已换 {} 只（逾期换 {} 只），未按月完成考核 {} 条；大客户现场检验记录 {} 条",
                    m.in_service, m.expired, m.swaps, m.stock, m.plan.items, m.plan.done, m.plan.late, m.plan.assessed, m.checks
                ),
            );
        }
        if self.cases.cases > 0 {
            let c = &self.cases;
            s.insert_str(
                s.find("\n\n演示账号").unwrap_or(s.len()),
                &format!(
                    "\n投诉报修 {} 件（在办 {} 件，不满意后重新处理 {} 件）",
                    c.cases, c.open, c.reopened
                ),
            );
        }
        for (user, name, role, pw) in &self.accounts {
            // pad by display width: CJK characters take two columns
            let label = role.label();
            let pad =
                " ".repeat(8usize.saturating_sub(unicode_width::UnicodeWidthStr::width(label)));
            s.push_str(&format!("  {user:<10} {label}{pad} {name}  密码 {pw}\n"));
        }
        s
    }
}

/// The action code of the entry that closes a demo build: work by a person after it is
/// real work, and the demo is not rebuilt over it.
pub const DEMO_BUILT: &str = "demo.built";

/// What a person did in a demo database after it was built (a payment taken, a request
/// accepted, a setting changed …), if anything: sign-ins and prints do not count. A build
/// that never finished (stopped, or failed: no `demo.built` entry) counts nothing — its
/// entries are the build's own, made through the services in the demo staff's names — so
/// it is replaced (moved aside, like every earlier demo).
fn person_worked_in(store: &Store) -> ServiceResult<Option<String>> {
    let finished = store
        .conn()
        .prepare("SELECT 1 FROM audit_log WHERE action = ?1")
        .and_then(|mut s| s.exists([DEMO_BUILT]))
        .map_err(crate::store::StoreError::from)?;
    if !finished {
        return Ok(None);
    }
    let action: Option<String> = store
        .conn()
        .query_row(
            "SELECT action FROM audit_log
             WHERE seq > COALESCE((SELECT max(seq) FROM audit_log WHERE action = ?1), 0)
               AND user_id IS NOT NULL
               AND action NOT LIKE 'auth.%' AND action NOT LIKE '%.print' AND action NOT LIKE '%.reprint'
             ORDER BY seq LIMIT 1",
            [DEMO_BUILT],
            |r| r.get(0),
        )
        .optional()
        .map_err(crate::store::StoreError::from)?;
    Ok(action.map(|a| crate::domain::audit_labels::action_label(&a).to_string()))
}

/// Build a fresh demo station in `dir`. Refuses when the database there holds a real
/// (non-demo) station; an earlier demo database is replaced.
pub fn build_demo_station(
    dir: &Path,
    clock: Arc<dyn Clock>,
    customers: usize,
    seed: u64,
) -> ServiceResult<DemoSummary> {
    if customers == 0 || customers > 1_000_000 {
        return Err(ServiceError::invalid(
            "customers",
            "客户数量应在 1 到 1000000 之间",
        ));
    }
    let mut phases = Phases::from_env();
    let db = dir.join(DB_FILE);
    if db.exists() {
        // no other window may have it open: the old demo is moved aside below, and a window
        // still writing to the moved file would lose its work
        let Some(_alone) = crate::store::take_use_lock_alone(&db)? else {
            return Err(ServiceError::Refused(format!(
                "{} 正在另一个窗口中使用，请先关闭那个窗口再生成演示数据",
                db.display()
            )));
        };
        let store = Store::open_read_only(&db)?;
        if let Some(what) = person_worked_in(&store)? {
            return Err(ServiceError::Refused(format!(
                "{} 中已有人办理过业务（{what}），演示程序不会替换它；请用 --data-dir 另选目录",
                db.display()
            )));
        }
        match station::get(store.conn())? {
            Some(st) if !st.is_demo => {
                return Err(ServiceError::Refused(format!(
                    "{} 中已有正式数据（{}），演示程序不会改动它；请用 --data-dir 另选目录",
                    db.display(),
                    st.name
                )));
            }
            // an earlier demo; or no station at all: a build stopped before its first commit
            // (the hand-over triggers already taken away for the load, so the file no longer
            // opens for business) or a first start never set up. Nobody worked in either.
            Some(_) | None => {
                drop(store);
                // never delete: the earlier demo is moved aside (a clerk may have practised in it)
                let stamp = clock.now().format("%Y%m%d-%H%M%S");
                for suffix in ["", "-wal", "-shm", "-head"] {
                    let p = dir.join(format!("{DB_FILE}{suffix}"));
                    if p.exists() {
                        let to = dir.join(format!("{DB_FILE}.demo-{stamp}{suffix}"));
                        std::fs::rename(&p, &to).map_err(|e| {
                            ServiceError::Store(StoreError::ReadOnly {
                                path: p.clone(),
                                detail: e.to_string(),
                            })
                        })?;
                    }
                }
            }
        }
    }
    let mut svc = Service::open(dir, clock)?;
    // a fresh file holding only the demo: written without syncing at each commit
    svc.store().tune_for_demo_load()?;
    // the year of history is recorded for the hand-over once at the end, not by a trigger
    // per row (`store::outbox::pause`)
    crate::store::outbox::pause(svc.store().conn())?;
    // staff and areas up front; customers streamed into the transaction, so 100,000 of
    // them are never all in memory at once
    let plan = demo::plan(seed, 0, DEMO_STATION_CODE);
    let stream = demo::customers(seed, customers, &plan.areas, DEMO_STATION_CODE);
    let now = svc.now();
    let at = clock::to_db(now);
    let hashes = hash_all(&svc, &plan)?;
    let actor = Actor::system("演示数据");
    svc.store_mut().write(|tx| -> ServiceResult<()> {
        let st = Station {
            code: DEMO_STATION_CODE.into(),
            name: DEMO_STATION_NAME.into(),
            phone: DEMO_STATION_PHONE.into(),
            address: "柳林镇政府路 8 号".into(),
            is_demo: true,
            created_at: at.clone(),
        };
        station::insert(tx, &st)?;
        audit::append(
            tx,
            NewEntry {
                at: now,
                actor: &actor,
                action: "station.create",
                entity: "station",
                entity_id: DEMO_STATION_CODE,
                changes: Changes::new()
                    .created("name", DEMO_STATION_NAME)
                    .created("is_demo", true),
            },
        )?;
        insert_demo(tx, &plan, stream, &hashes, None, now, &actor)
    })?;
    let now = svc.now();
    drop(svc);
    phases.done("客户");
    let (orders, billing, meters, cases) = seed_history(
        &db,
        dir,
        now,
        seed,
        customers,
        DEMO_STATION_CODE,
        &mut phases,
    )?;
    let mut summary = summary(
        "演示供电所已建立",
        &plan,
        customers,
        DEMO_STATION_NAME,
        dir,
        None,
    );
    summary.orders = orders;
    summary.billing = billing;
    summary.meters = meters;
    summary.cases = cases;
    Ok(summary)
}

/// A month of work orders and assessment, a year of bills and payments with closed day
/// ends, and the `demo.built` entry that ends the build: the same history whether the demo
/// is built by `stationdesk demo` or loaded at first run.
fn seed_history(
    db: &Path,
    dir: &Path,
    now: chrono::NaiveDateTime,
    seed: u64,
    customers: usize,
    station_code: &str,
    phases: &mut Phases,
) -> ServiceResult<(
    usize,
    billing::DemoBilling,
    meters::DemoMeters,
    cases::DemoCases,
)> {
    let built = seed_history_paused(db, dir, now, seed, phases);
    // the hand-over triggers back exactly as the migrations made them, and one record for
    // every row the build wrote (also after a failure: a half-built demo still records its
    // changes from now on)
    let mut store = demo_store(db)?;
    store.write(|tx| -> ServiceResult<()> {
        let records = crate::store::outbox::resume(tx)?;
        audit::append(
            tx,
            NewEntry {
                at: now,
                actor: &Actor::system("演示数据"),
                action: "outbox.snapshot",
                entity: "outbox",
                entity_id: "",
                changes: Changes::new().note("records", records as i64),
            },
        )?;
        Ok(())
    })?;
    phases.done("交接快照");
    let built = built?;
    // the end of the build: work by a person after this entry is real work
    store.write(|tx| -> ServiceResult<()> {
        audit::append(
            tx,
            NewEntry {
                at: now,
                actor: &Actor::system("演示数据"),
                action: DEMO_BUILT,
                entity: "station",
                entity_id: station_code,
                changes: Changes::new().note("customers", customers as i64),
            },
        )?;
        Ok(())
    })?;
    Ok(built)
}

/// [`seed_history`] with the hand-over triggers away.
fn seed_history_paused(
    db: &Path,
    dir: &Path,
    now: chrono::NaiveDateTime,
    seed: u64,
    phases: &mut Phases,
) -> ServiceResult<(
    usize,
    billing::DemoBilling,
    meters::DemoMeters,
    cases::DemoCases,
)> {
    // a month of work orders, taken through the counter's own service calls
    let orders = orders::seed(demo_store(db)?, dir, now, 30, 4)?;
    phases.done("工单");
    // a month of assessment entries in every state, from the orders' real deadlines
    assessment::seed(demo_store(db)?, dir, now)?;
    phases.done("考核");
    // every customer's meter, swaps in the history, stock, one batch extended
    let mut meters = meters::seed(demo_store(db)?, now, seed)?;
    phases.done("表计");
    // this year's rotation plan, part done, with its month-end assessment
    meters.plan = meters::seed_plan(demo_store(db)?, dir, now, seed)?;
    phases.done("轮换计划");
    // the reading books and thirteen months of readings; the year's bills computed from them
    let prices = Service::new(
        demo_store(db)?,
        dir.to_path_buf(),
        Arc::new(clock::FixedClock::new(now)),
    )
    .prices()?;
    let (read, pending) = readings::seed(demo_store(db)?, dir, now, seed, prices)?;
    phases.done("抄表（内存中）");
    let current_areas = read.current_areas.clone();
    // a year of bills and payments, with closed day ends (after the orders, so the days
    // closed hold the business fees collected on them too)
    let billing = billing::seed(demo_store(db)?, dir, now, seed, read.bills, read.areas);
    phases.done("账单与收费");
    // the readings, written aside meanwhile, moved in (before anything reads them)
    let moved = readings_aside::finish(demo_store(db)?, now, pending);
    phases.done("抄表读数移入");
    let billing = billing?;
    moved?;
    meters.expired = meters::expired_in_service(&demo_store(db)?, now.date())?;
    // two months of complaints and repair calls, a few a day
    let cases = cases::seed(demo_store(db)?, dir, now, 60, 4)?;
    phases.done("投诉报修");
    // this month's books already read: computed by the station, flags left for the checker
    readings::seed_current_month(db, dir, &current_areas)?;
    phases.done("本月抄表册");
    // a few reading-log notes and messages, and the month's spot checks
    reading_notes::seed_notes(db, dir, now)?;
    phases.done("抄表日志");
    // the daily assessment check as of the build: what the notes and line loss gave
    Service::new(
        demo_store(db)?,
        dir.to_path_buf(),
        Arc::new(clock::FixedClock::new(now)),
    )
    .run_assessment_check(&[])?;
    // arrears judged, reminders and disconnection notices, one disconnection and its 复电
    collection::seed(demo_store(db)?, dir, now)?;
    // the auditor's findings in every state (one overdue)
    findings::seed(demo_store(db)?, dir, now)?;
    phases.done("考核检查、催费、审计发现");
    Ok((orders, billing, meters, cases))
}

fn hash_all(svc: &Service, plan: &DemoPlan) -> ServiceResult<Vec<String>> {
    plan.staff
        .iter()
        .map(|s| hash_password(svc.password_cost(), &s.password))
        .collect()
}

fn summary(
    headline: &str,
    plan: &DemoPlan,
    customers: usize,
    station: &str,
    dir: &Path,
    skip: Option<Role>,
) -> DemoSummary {
    DemoSummary {
        headline: headline.to_string(),
        station_name: station.to_string(),
        data_dir: dir.display().to_string(),
        accounts: plan
            .staff
            .iter()
            .filter(|s| Some(s.role) != skip)
            .map(|s| {
                (
                    s.username.clone(),
                    s.display_name.clone(),
                    s.role,
                    s.password.clone(),
                )
            })
            .collect(),
        areas: plan.areas.len(),
        customers,
        orders: 0,
        billing: Default::default(),
        meters: Default::default(),
        cases: Default::default(),
    }
}

/// Insert the demo plan's staff (all but `skip_role`), areas and customers, with audit
/// entries, inside the caller's transaction.
fn insert_demo(
    tx: &Connection,
    plan: &DemoPlan,
    customers: impl Iterator<Item = NewCustomer>,
    hashes: &[String],
    skip_role: Option<Role>,
    now: chrono::NaiveDateTime,
    actor: &Actor,
) -> ServiceResult<()> {
    let at = clock::to_db(now);
    for (s, hash) in plan.staff.iter().zip(hashes) {
        if Some(s.role) == skip_role || staff::by_username(tx, &s.username)?.is_some() {
            continue;
        }
        let id = staff::insert(
            tx,
            &NewStaff {
                username: &s.username,
                display_name: &s.display_name,
                role: s.role,
                is_admin: s.is_admin,
                password_hash: hash,
                must_change_password: false,
                phone: &s.phone,
                created_at: &at,
            },
        )?;
        staff::mark_demo(tx, id)?;
        audit::append(
            tx,
            NewEntry {
                at: now,
                actor,
                action: "staff.create",
                entity: "staff",
                entity_id: &id.to_string(),
                changes: Changes::new()
                    .created("username", s.username.clone())
                    .created("display_name", s.display_name.clone())
                    .created("role", s.role.code())
                    .created("is_admin", s.is_admin),
            },
        )?;
    }
    let mut area_ids = std::collections::HashMap::new();
    for a in &plan.areas {
        let manager = match &a.manager_username {
            Some(u) => staff::by_username(tx, u)?.map(|s| s.id),
            None => None,
        };
        let id = store_customers::insert_area(tx, a, manager, &at)?;
        area_ids.insert(a.code.clone(), id);
        audit::append(
            tx,
            NewEntry {
                at: now,
                actor,
                action: "area.create",
                entity: "transformer_area",
                entity_id: &a.code,
                changes: Changes::new()
                    .created("name", a.name.clone())
                    .created("capacity_kva", a.capacity_kva),
            },
        )?;
    }
    // placed in address order all at once after the load, not one by one
    crate::store::address_order::defer(tx)?;
    // and indexed for search all at once too
    let indexed_before = store_customers::pause_search(tx)?;
    // and the customer table's indexes built from the rows once they are all in
    let indexes = crate::store::bulk::Paused::indexes(tx, "customer")?;
    // the rows `insert_customer` writes (the place in address order is left to the
    // numbering above), a few hundred to a statement, each with the id an insert would give
    let mut rows = RowBuffer::new("customer", store_customers::CUSTOMER_COLUMNS);
    // (written after their customers)
    let mut variants =
        crate::store::bulk::Rows::new(store_customers::INITIAL_VARIANT_COLUMNS.len());
    let first_id = crate::store::bulk::max_id(tx, "customer")? + 1;
    let mut count = 0usize;
    for c in customers {
        let id = first_id + count as i64;
        let initials = pinyin::initials(&c.name);
        // files opened long before the year of bills the demo has (1 to 17 years back,
        // during office hours), not all at the moment the demo was built
        let opened = (now.date() - chrono::Duration::days(400 + (count as i64 * 7919) % 6000))
            .and_hms_opt(8 + (count % 9) as u32, (count * 13 % 60) as u32, 0)
            .unwrap_or(now);
        store_customers::customer_params(
            Some(id),
            &c,
            &initials,
            area_ids.get(&c.area_code).copied(),
            &clock::to_db(opened),
            |p| rows.push(tx, p),
        )?;
        for v in store_customers::initial_variants(&c.name) {
            variants.push(rusqlite::params![v, id])?;
        }
        count += 1;
    }
    rows.flush(tx)?;
    crate::store::bulk::insert_rows(
        tx,
        "customer_initial_variant",
        store_customers::INITIAL_VARIANT_COLUMNS,
        &variants,
    )?;
    indexes.restore(tx)?;
    crate::store::address_order::backfill(tx)?;
    store_customers::resume_search(tx, indexed_before)?;
    audit::append(
        tx,
        NewEntry {
            at: now,
            actor,
            action: "customer.import_demo",
            entity: "customer",
            entity_id: "*",
            changes: Changes::new().note("count", count),
        },
    )?;
    Ok(())
}

impl Service {
    /// First-run offer: load the demo staff, areas and customers into the station just
    /// set up (its own chief stays the chief) and mark the station as a demo.
    pub fn load_demo_data(
        &mut self,
        session: &Session,
        customers: usize,
        seed: u64,
    ) -> ServiceResult<DemoSummary> {
        session.require_write()?;
        if !session.can_manage_accounts() {
            return Err(ServiceError::Denied("只有所长可以载入演示数据".into()));
        }
        let mut st = self.require_station()?;
        // only into a station just set up: its chief and nothing else yet
        if store_customers::counts(self.store().conn())?.customers > 0
            || staff::count(self.store().conn())? > 1
        {
            return Err(ServiceError::Refused(
                "本站已有数据，不能再载入演示数据".into(),
            ));
        }
        let plan = demo::plan(seed, 0, &st.code);
        let stream = demo::customers(seed, customers, &plan.areas, &st.code);
        let hashes = hash_all(self, &plan)?;
        let now = self.now();
        let actor = session.actor();
        let was_demo = st.is_demo;
        st.is_demo = true;
        crate::store::outbox::pause(self.store().conn())?;
        let loaded = self.store_mut().write(|tx| -> ServiceResult<()> {
            station::update(tx, &st)?;
            audit::append(
                tx,
                NewEntry {
                    at: now,
                    actor: &actor,
                    action: "station.mark_demo",
                    entity: "station",
                    entity_id: &st.code,
                    changes: Changes::new().field("is_demo", was_demo, true),
                },
            )?;
            insert_demo(tx, &plan, stream, &hashes, Some(Role::Chief), now, &actor)
        });
        if let Err(e) = loaded {
            // nothing loaded: the hand-over triggers back as they were
            self.store_mut()
                .write(|tx| -> ServiceResult<usize> { Ok(crate::store::outbox::resume(tx)?) })?;
            return Err(e);
        }
        // the same history as `stationdesk demo`: orders, assessment, a year of bills and
        // payments, closed day ends
        let db = self.store().path().to_path_buf();
        let dir = self.data_dir().to_path_buf();
        let (orders, billing, meters, cases) = seed_history(
            &db,
            &dir,
            now,
            seed,
            customers,
            &st.code,
            &mut Phases::from_env(),
        )?;
        let mut out = summary(
            "演示数据已载入",
            &plan,
            customers,
            &st.name,
            &dir,
            Some(Role::Chief),
        );
        out.orders = orders;
        out.billing = billing;
        out.meters = meters;
        out.cases = cases;
        Ok(out)
    }
}

impl Service {
    /// For the sign-in screen of a demo station: the demo accounts that exist here, e.g.
    /// `演示账号（密码 demo1234）：suozhang 所长  yingye1 营业员 …`. `None` for a real station.
    pub fn demo_accounts_hint(&self) -> ServiceResult<Option<String>> {
        if !self.station()?.is_some_and(|s| s.is_demo) {
            return Ok(None);
        }
        let mut seen = std::collections::HashSet::new();
        let parts: Vec<String> = staff::demo_accounts(self.store().conn())?
            .into_iter()
            .filter(|(_, role)| seen.insert(*role))
            .map(|(user, role)| format!("{user} {}", role.label()))
            .collect();
        if parts.is_empty() {
            return Ok(None);
        }
        Ok(Some(format!(
            "演示账号（密码 {}）：{}",
            demo::DEMO_PASSWORD,
            parts.join("  ")
        )))
    }
}

/// The demo database opened for the bulk load (`Store::tune_for_demo_load`: no sync at each
/// commit; a crash while building loses only the demo). Every step of the build after the
/// first opens it this way, the services' small transactions included: at `synchronous=FULL`
/// each of their commits waited for the disk.
pub(crate) fn demo_store(db: &Path) -> ServiceResult<Store> {
    let store = Store::open(db)?;
    store.tune_for_demo_load()?;
    Ok(store)
}

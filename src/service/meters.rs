//! Meter assets (issue 13): receiving into stock (a range of numbers or the supplier's CSV),
//! verification, scrapping, batch extensions and swaps on customers' accounts. Every change
//! is one transaction with its audit entry and a line in the meter's own history.
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use rust_decimal::Decimal;

use super::{Service, ServiceError, ServiceResult, Session};
use crate::domain::meter::{
    self, AccuracyClass, AdvanceError, MeterKind, MeterStatus, Ratio, Segment, SwapReason,
};
use crate::domain::role::Need;
use crate::domain::validate;
use crate::store::audit::{self, Changes, NewEntry};
use crate::store::meters::{self as store, MeterRow, NewMeter, NewSwap, Placement, SwapRow};

/// The audit action of a printed swap slip.
const SWAP_PRINT: &str = "meter.print_swap";

/// The number printed on a swap slip: `HB` and the swap's id.
pub fn swap_slip_no(swap_id: i64) -> String {
    format!("HB{swap_id:06}")
}

/// At most this many meters in one receipt into stock.
pub const RECEIVE_MAX: usize = 5000;

/// What is typed to receive a batch of meters with consecutive asset numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReceiveInput {
    pub first: String,
    pub last: String,
    /// `single`, `three`, `three_ct`, `ct`, `pt` or the Chinese name
    pub kind: String,
    pub accuracy: String,
    pub maker: String,
    pub batch: String,
    pub digits: String,
    pub ct_ratio: String,
    pub pt_ratio: String,
    pub multiplier: String,
    pub produced_on: String,
    pub verified_on: String,
    /// empty: from the class's verification period
    pub valid_until: String,
}

/// The asset numbers from `first` to `last`: the same letters, a number part counted up
/// with its width kept (`A0098`..`A0102`).
pub fn asset_range(first: &str, last: &str) -> Result<Vec<String>, (&'static str, String)> {
    let a = meter::asset_no(first).map_err(|m| ("first", m))?;
    if last.trim().is_empty() {
        return Ok(vec![a]);
    }
    let b = meter::asset_no(last).map_err(|m| ("last", m))?;
    let split = |s: &str| {
        let cut = s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        (s[..cut].to_string(), s[cut..].to_string())
    };
    let ((pa, na), (pb, nb)) = (split(&a), split(&b));
    if pa != pb || na.len() != nb.len() || na.is_empty() || na.len() > 18 {
        return Err((
            "last",
            "起止编号应只有末尾数字不同、位数相同，如 3710000100–3710000199".into(),
        ));
    }
    let (x, y): (u64, u64) = match (na.parse(), nb.parse()) {
        (Ok(x), Ok(y)) => (x, y),
        _ => return Err(("last", "编号末尾的数字无法识别".into())),
    };
    if y < x {
        return Err(("last", "止号应不小于起号".into()));
    }
    let count = y - x + 1;
    if count > RECEIVE_MAX as u64 {
        return Err((
            "last",
            format!("一次最多入库 {RECEIVE_MAX} 只，这里是 {count} 只"),
        ));
    }
    let width = na.len();
    Ok((x..=y).map(|n| format!("{pa}{n:0width$}")).collect())
}

fn parse_kind(input: &str) -> Option<MeterKind> {
    let t = input.trim();
    MeterKind::ALL
        .iter()
        .copied()
        .find(|k| k.code() == t || k.label() == t)
        .or(match t {
            "单相" => Some(MeterKind::Single),
            "三相" | "三相直通" => Some(MeterKind::Three),
            "三相经互感器" | "经互感器" => Some(MeterKind::ThreeCt),
            "CT" | "ct" | "电流互感器" => Some(MeterKind::CtSet),
            "PT" | "pt" | "电压互感器" => Some(MeterKind::PtSet),
            _ => None,
        })
}

/// A meter description checked, field by field (the field's key with the message).
struct Described {
    kind: MeterKind,
    accuracy: AccuracyClass,
    maker: String,
    batch: String,
    digits: Option<u32>,
    ct: Option<Ratio>,
    pt: Option<Ratio>,
    multiplier: u32,
    produced_on: NaiveDate,
    verified_on: NaiveDate,
    valid_until: Option<NaiveDate>,
}

fn describe(i: &ReceiveInput) -> Result<Described, (&'static str, String)> {
    let kind = parse_kind(&i.kind).ok_or((
        "kind",
        "类型应为 单相表、三相直通表、三相经互感器表、电流互感器组 或 电压互感器组".to_string(),
    ))?;
    let accuracy = AccuracyClass::parse(&i.accuracy)
        .ok_or(("accuracy", "准确度等级应为 2、1、0.5S 或 0.2S".to_string()))?;
    let maker = validate::name(&i.maker, "厂家", 30).map_err(|e| ("maker", e.to_string()))?;
    let batch = validate::fold_digits(&i.batch).trim().to_string();
    if batch.chars().count() > 30 || batch.chars().any(char::is_control) {
        return Err(("batch", "批次最多 30 个字".into()));
    }
    let digits = if i.digits.trim().is_empty() {
        None
    } else {
        Some(validate::whole_number(&i.digits, 1, 12).map_err(|m| ("digits", m))? as u32)
    };
    let ct = Ratio::parse(&i.ct_ratio).map_err(|m| ("ct_ratio", m))?;
    let pt = Ratio::parse(&i.pt_ratio).map_err(|m| ("pt_ratio", m))?;
    let multiplier =
        meter::check_multiplier(&i.multiplier, ct, pt).map_err(|m| ("multiplier", m))?;
    let produced_on = validate::date(&i.produced_on).map_err(|m| ("produced_on", m))?;
    let verified_on = validate::date(&i.verified_on).map_err(|m| ("verified_on", m))?;
    if verified_on < produced_on {
        return Err(("verified_on", "检定日期不能早于出厂日期".into()));
    }
    let valid_until = if i.valid_until.trim().is_empty() {
        None
    } else {
        let d = validate::date(&i.valid_until).map_err(|m| ("valid_until", m))?;
        if d <= verified_on {
            return Err(("valid_until", "有效期应晚于检定日期".into()));
        }
        Some(d)
    };
    Ok(Described {
        kind,
        accuracy,
        maker,
        batch,
        digits,
        ct,
        pt,
        multiplier,
        produced_on,
        verified_on,
        valid_until,
    })
}

/// One bad line of a supplier's file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

/// The columns of a supplier's CSV file, in order (a header line with these names first).
pub const CSV_COLUMNS: [&str; 11] = [
    "资产编号",
    "类型",
    "准确度等级",
    "厂家",
    "批次",
    "整数位数",
    "电流互感器变比",
    "电压互感器变比",
    "倍率",
    "出厂日期",
    "检定日期",
];

const FIELD_NAMES: &[(&str, &str)] = &[
    ("first", "资产编号"),
    ("kind", "类型"),
    ("accuracy", "准确度等级"),
    ("maker", "厂家"),
    ("batch", "批次"),
    ("digits", "整数位数"),
    ("ct_ratio", "电流互感器变比"),
    ("pt_ratio", "电压互感器变比"),
    ("multiplier", "倍率"),
    ("produced_on", "出厂日期"),
    ("verified_on", "检定日期"),
    ("valid_until", "有效期"),
];

fn field_name(key: &str) -> &'static str {
    FIELD_NAMES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, n)| n)
}

/// Reads a supplier's CSV (UTF-8, optional BOM, a header line, one meter per line): every
/// bad line is listed with its number; any bad line means nothing is taken.
pub fn parse_supplier_csv(text: &str) -> Result<Vec<ReceiveInput>, Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut seen = std::collections::HashMap::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) => {
            let cols: Vec<&str> = header.split(',').map(str::trim).collect();
            if cols != CSV_COLUMNS {
                errors.push(LineError {
                    line: 1,
                    message: format!("第一行应为列名：{}", CSV_COLUMNS.join(",")),
                });
                return Err(errors);
            }
        }
        None => {
            return Err(vec![LineError {
                line: 1,
                message: "文件是空的".into(),
            }]);
        }
    }
    for (i, line) in lines {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        if cells.len() != CSV_COLUMNS.len() {
            errors.push(LineError {
                line: n,
                message: format!("应有 {} 列，这里有 {} 列", CSV_COLUMNS.len(), cells.len()),
            });
            continue;
        }
        let input = ReceiveInput {
            first: cells[0].into(),
            last: String::new(),
            kind: cells[1].into(),
            accuracy: cells[2].into(),
            maker: cells[3].into(),
            batch: cells[4].into(),
            digits: cells[5].into(),
            ct_ratio: cells[6].into(),
            pt_ratio: cells[7].into(),
            multiplier: cells[8].into(),
            produced_on: cells[9].into(),
            verified_on: cells[10].into(),
            valid_until: String::new(),
        };
        let checked = meter::asset_no(&input.first)
            .map_err(|m| ("first", m))
            .and_then(|a| describe(&input).map(|_| a));
        match checked {
            Ok(asset) => {
                if let Some(first) = seen.insert(asset.clone(), n) {
                    errors.push(LineError {
                        line: n,
                        message: format!("资产编号 {asset} 与第 {first} 行重复"),
                    });
                } else {
                    out.push(input);
                }
            }
            Err((key, m)) => errors.push(LineError {
                line: n,
                message: format!("{}：{m}", field_name(key)),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if out.is_empty() {
        return Err(vec![LineError {
            line: 2,
            message: "文件里没有表计".into(),
        }]);
    }
    Ok(out)
}

/// What is typed for a swap (换表).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SwapInput {
    pub customer_id: i64,
    /// the meter taken off (empty for a first installation)
    pub old_asset_no: String,
    pub old_final: String,
    pub old_seals: String,
    /// the old register rolled over (confirmed by the person who read it)
    pub rollover: bool,
    pub new_asset_no: String,
    pub new_initial: String,
    pub new_multiplier: String,
    pub new_seals: String,
    pub swapped_on: String,
    /// user name of who did the swap on site
    pub staff: String,
    pub reason: Option<SwapReason>,
    pub position: String,
    pub order_id: Option<i64>,
}

/// A swap recorded, with the consumption of the old meter's last stretch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwapDone {
    pub swap_id: i64,
    /// the old meter's advance since its last reading, times its multiplier
    pub old_kwh: Option<Decimal>,
    /// the 故障换表 order whose 换表 stage this swap completed
    pub order_done: Option<i64>,
}

impl Service {
    fn verify_years(&self) -> ServiceResult<(u32, u32)> {
        let a = self.int_setting("meter.verify_years_class12")?;
        let b = self.int_setting("meter.verify_years_class05s")?;
        Ok((u32::try_from(a).unwrap_or(8), u32::try_from(b).unwrap_or(6)))
    }

    fn new_meter(&self, asset_no: String, d: &Described) -> ServiceResult<NewMeter> {
        let (y12, ys) = self.verify_years()?;
        let valid_until = d.valid_until.unwrap_or_else(|| {
            meter::default_valid_until(d.verified_on, d.accuracy.valid_years(y12, ys))
        });
        Ok(NewMeter {
            asset_no,
            kind: d.kind,
            accuracy: d.accuracy,
            maker: d.maker.clone(),
            batch: d.batch.clone(),
            digits: d.digits,
            ct_ratio: d.ct.map(|r| r.to_string()).unwrap_or_default(),
            pt_ratio: d.pt.map(|r| r.to_string()).unwrap_or_default(),
            multiplier: d.multiplier,
            produced_on: d.produced_on,
            verified_on: d.verified_on,
            valid_until,
        })
    }

    /// Receive meters with consecutive asset numbers into stock. Returns how many.
    pub fn receive_meters(&mut self, session: &Session, i: &ReceiveInput) -> ServiceResult<usize> {
        let cx = self.begin(session, Need::Write)?;
        let numbers =
            asset_range(&i.first, &i.last).map_err(|(f, m)| ServiceError::invalid(f, m))?;
        let d = describe(i).map_err(|(f, m)| ServiceError::invalid(f, m))?;
        let meters = numbers
            .into_iter()
            .map(|n| self.new_meter(n, &d))
            .collect::<ServiceResult<Vec<_>>>()?;
        self.store_in(&cx, &meters, "入库", "")
    }

    /// Receive the meters of the supplier's CSV file at `path` (as typed by the clerk).
    pub fn import_meters_file(
        &mut self,
        session: &Session,
        path: &str,
    ) -> ServiceResult<Result<usize, Vec<LineError>>> {
        self.begin(session, Need::Write)?;
        let p = std::path::Path::new(path.trim());
        if path.trim().is_empty() {
            return Err(ServiceError::invalid("path", "请输入文件路径"));
        }
        let bytes = std::fs::read(p).map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::NotFound => "文件不存在".to_string(),
                std::io::ErrorKind::PermissionDenied => "没有读取权限".to_string(),
                _ if p.is_dir() => "这是一个文件夹，不是文件".to_string(),
                _ => "无法读取".to_string(),
            };
            ServiceError::invalid("path", format!("{why}：{}", validate::shown(path.trim())))
        })?;
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.import_meters_csv(session, &bytes, &name)
    }

    /// Receive the meters of a supplier's CSV file (UTF-8) into stock: all or nothing.
    pub fn import_meters_csv(
        &mut self,
        session: &Session,
        bytes: &[u8],
        file_name: &str,
    ) -> ServiceResult<Result<usize, Vec<LineError>>> {
        let cx = self.begin(session, Need::Write)?;
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Ok(Err(vec![LineError {
                line: 1,
                message: "不是 UTF-8 编码的文字：文件须为 UTF-8（GBK 等编码请先用记事本或表格软件另存为 UTF-8）".into(),
            }]));
        };
        let file_name = validate::shown(file_name);
        let file_name = file_name.as_str();
        let inputs = match parse_supplier_csv(text) {
            Ok(v) => v,
            Err(e) => return Ok(Err(e)),
        };
        let mut meters = Vec::with_capacity(inputs.len());
        for i in &inputs {
            let d = describe(i).map_err(|(f, m)| ServiceError::invalid(f, m))?;
            let n = meter::asset_no(&i.first).map_err(|m| ServiceError::invalid("first", m))?;
            meters.push(self.new_meter(n, &d)?);
        }
        // numbers already on file are bad lines too
        let mut taken = Vec::new();
        for (k, m) in meters.iter().enumerate() {
            if store::exists(self.store().conn(), &m.asset_no)? {
                taken.push(LineError {
                    line: k + 2,
                    message: format!("资产编号 {} 已在册", m.asset_no),
                });
            }
        }
        if !taken.is_empty() {
            return Ok(Err(taken));
        }
        self.store_in(&cx, &meters, "供应商文件入库", file_name)
            .map(Ok)
    }

    fn store_in(
        &mut self,
        cx: &super::begin::Cx,
        meters: &[NewMeter],
        reason: &str,
        file_name: &str,
    ) -> ServiceResult<usize> {
        let today = cx.today();
        let staff = cx.staff_id();
        self.store_mut().write(|tx| -> ServiceResult<usize> {
            for m in meters {
                if store::exists(tx, &m.asset_no)? {
                    return Err(ServiceError::invalid(
                        "first",
                        format!("资产编号 {} 已在册", m.asset_no),
                    ));
                }
                store::insert(tx, m, today, &cx.at, staff, reason)?;
            }
            let (first, last) = match (meters.first(), meters.last()) {
                (Some(a), Some(b)) => (a.asset_no.clone(), b.asset_no.clone()),
                _ => return Ok(0),
            };
            let mut ch = Changes::new()
                .note("count", meters.len() as i64)
                .note("first", first.clone())
                .note("last", last);
            if !file_name.is_empty() {
                ch = ch.note("file", file_name);
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "meter.receive",
                    entity: "meter",
                    entity_id: &first,
                    changes: ch,
                },
            )?;
            Ok(meters.len())
        })
    }

    /// A meter by its asset number as typed or scanned.
    pub fn meter_by_asset_no(&self, typed: &str) -> ServiceResult<Option<MeterRow>> {
        let Ok(n) = meter::asset_no(typed) else {
            return Ok(None);
        };
        Ok(store::by_asset_no(self.store().conn(), &n)?)
    }

    pub fn meter(&self, id: i64) -> ServiceResult<MeterRow> {
        store::by_id(self.store().conn(), id)?
            .ok_or_else(|| ServiceError::NotFound("该表计".into()))
    }

    /// Assets counted by status, kind and class.
    pub fn meter_summary(
        &self,
    ) -> ServiceResult<Vec<(MeterStatus, MeterKind, AccuracyClass, i64)>> {
        Ok(store::summary(self.store().conn())?)
    }

    /// A page of assets with `status`, by asset number from `from` on.
    pub fn meters_with_status(
        &self,
        status: MeterStatus,
        from: &str,
        limit: usize,
    ) -> ServiceResult<Vec<MeterRow>> {
        Ok(store::list(self.store().conn(), status, from, limit)?)
    }

    /// The meters on a customer's account and the swaps there, newest first.
    pub fn customer_meters(
        &self,
        customer_id: i64,
    ) -> ServiceResult<(Vec<MeterRow>, Vec<SwapRow>)> {
        let conn = self.store().conn();
        Ok((
            store::of_customer(conn, customer_id)?,
            store::swaps_of_customer(conn, customer_id)?,
        ))
    }

    /// The last reading recorded for a meter and its day (today: the reading it was
    /// installed at; the readings issue adds the monthly ones).
    pub fn last_meter_reading(&self, id: i64) -> ServiceResult<Option<(NaiveDate, Decimal)>> {
        Ok(store::last_reading(self.store().conn(), id)?.map(|(d, c)| (d, meter::from_centi(c))))
    }

    /// The 校表 and 故障换表 orders about a meter: (tracking number, kind, state) in words.
    pub fn meter_orders(&self, id: i64) -> ServiceResult<Vec<(String, String, String)>> {
        use crate::domain::work_order::{OrderState, RequestKind};
        Ok(store::orders_of(self.store().conn(), id)?
            .into_iter()
            .map(|(no, kind, state)| {
                let kind =
                    RequestKind::from_code(&kind).map_or(kind.clone(), |k| k.label().to_string());
                let state =
                    OrderState::from_code(&state).map_or(state.clone(), |s| s.label().to_string());
                (no, kind, state)
            })
            .collect())
    }

    pub fn meter_history(&self, id: i64) -> ServiceResult<Vec<store::EventRow>> {
        Ok(store::events(self.store().conn(), id)?)
    }

    /// Send a meter for verification, take it back (passed → 库存, failed → 报废) or scrap
    /// it. Installing and removing go through [`Service::swap_meter`].
    pub fn change_meter_status(
        &mut self,
        session: &Session,
        id: i64,
        to: MeterStatus,
        reason: &str,
    ) -> ServiceResult<()> {
        let cx = self.begin(session, Need::Write)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ServiceError::invalid("reason", "请写明原因"));
        }
        if reason.chars().count() > 100 {
            return Err(ServiceError::invalid("reason", "原因最多 100 个字"));
        }
        if matches!(to, MeterStatus::InService | MeterStatus::Removed) {
            return Err(ServiceError::invalid("status", "装表和拆表请用换表"));
        }
        let m = self.meter(id)?;
        m.status
            .check_go(to)
            .map_err(|e| ServiceError::invalid("status", e))?;
        self.store_mut().write(|tx| -> ServiceResult<()> {
            if !store::set_status(
                tx,
                id,
                m.status,
                to,
                &Placement::default(),
                &cx.at,
                cx.staff_id(),
                reason,
            )? {
                return Err(ServiceError::Refused(
                    "表计状态已被他人改变，请刷新后重试".into(),
                ));
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "meter.status",
                    entity: "meter",
                    entity_id: &m.asset_no,
                    changes: Changes::new()
                        .field("status", m.status.label(), to.label())
                        .note("reason", reason),
                },
            )?;
            Ok(())
        })
    }

    /// Extend the verification period of every meter of a maker's batch, or of a production
    /// year, by `years` (the regulator's document number): one audited action naming the
    /// meters it changed. Returns how many.
    pub fn extend_meter_batch(
        &mut self,
        session: &Session,
        maker_batch: Option<(&str, &str)>,
        produced_year: Option<i32>,
        years: &str,
        doc_no: &str,
    ) -> ServiceResult<usize> {
        let cx = self.begin_to(session, Need::Chief, "延长检定有效期")?;
        let years = validate::whole_number(years, 1, 10)
            .map_err(|m| ServiceError::invalid("years", m))? as u32;
        let doc = doc_no.trim();
        if doc.is_empty() || doc.chars().count() > 60 {
            return Err(ServiceError::invalid(
                "doc_no",
                "请输入批准文件号（最多 60 个字）",
            ));
        }
        if maker_batch.is_none() && produced_year.is_none() {
            return Err(ServiceError::invalid(
                "batch",
                "请指定厂家和批次，或生产年份",
            ));
        }
        let meters = store::of_batch(self.store().conn(), maker_batch, produced_year)?;
        if meters.is_empty() {
            return Err(ServiceError::invalid(
                "batch",
                "没有符合条件的表计（已报废的不计）",
            ));
        }
        self.store_mut().write(|tx| -> ServiceResult<usize> {
            let mut list = Vec::with_capacity(meters.len());
            for m in &meters {
                let to = meter::extend(m.valid_until, years);
                store::set_valid_until(tx, m.id, to)?;
                list.push(format!("{} {}→{}", m.asset_no, m.valid_until, to));
            }
            let ext = store::NewExtension {
                at: &cx.at,
                staff_id: cx.staff_id(),
                doc_no: doc,
                years,
                maker_batch,
                produced_year,
                meters: meters.len(),
            };
            let id = store::insert_extension(tx, &ext)?;
            let scope = match (maker_batch, produced_year) {
                (Some((m, b)), _) => format!("{m} 批次 {b}"),
                (None, Some(y)) => format!("{y} 年生产"),
                (None, None) => String::new(),
            };
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "meter.extend",
                    entity: "meter_extension",
                    entity_id: &id.to_string(),
                    changes: Changes::new()
                        .note("doc_no", doc)
                        .note("scope", scope)
                        .note("years", i64::from(years))
                        .note("count", meters.len() as i64)
                        .note("meters", list.join("；")),
                },
            )?;
            Ok(meters.len())
        })
    }

    /// Put a meter from stock on a customer's account, taking the old one off (拆回) with its
    /// final reading: one transaction with its audit entry. The old meter's consumption since
    /// its last reading is checked now (a lower reading is refused unless a rollover is
    /// confirmed), so the readings issue bills each stretch exactly once.
    pub fn swap_meter(&mut self, session: &Session, i: &SwapInput) -> ServiceResult<SwapDone> {
        let cx = self.begin(session, Need::Write)?;
        let conn = self.store().conn();
        let customer = crate::store::customers::by_id(conn, i.customer_id)?
            .ok_or_else(|| ServiceError::NotFound("该客户".into()))?;
        let reason = i
            .reason
            .ok_or_else(|| ServiceError::invalid("reason", "请选择换表原因"))?;
        let swapped_on =
            validate::date(&i.swapped_on).map_err(|m| ServiceError::invalid("swapped_on", m))?;
        if swapped_on > cx.today() {
            return Err(ServiceError::invalid("swapped_on", "换表日期不能晚于今天"));
        }
        // who did it on site
        let staff_name = i.staff.trim();
        let staff_id = if staff_name.is_empty() {
            cx.staff_id()
        } else {
            crate::store::staff::by_username(conn, staff_name)?
                .filter(|s| s.active)
                .map(|s| s.id)
                .ok_or_else(|| {
                    ServiceError::invalid(
                        "staff",
                        format!("没有在用的账号 {}", validate::shown(staff_name)),
                    )
                })?
        };
        let seals = |s: &str, key: &'static str| -> ServiceResult<String> {
            let t = validate::fold_digits(s).trim().to_string();
            if t.chars().count() > 60 || t.chars().any(char::is_control) {
                return Err(ServiceError::invalid(key, "封印号最多 60 个字"));
            }
            Ok(t)
        };
        let new_seals = seals(&i.new_seals, "new_seals")?;
        let old_seals = seals(&i.old_seals, "old_seals")?;
        let position = i.position.trim().to_string();
        if position.chars().count() > 30 {
            return Err(ServiceError::invalid("position", "安装位置最多 30 个字"));
        }

        // the new meter: from stock, with its multiplier checked
        let new_no = meter::asset_no(&i.new_asset_no)
            .map_err(|m| ServiceError::invalid("new_asset_no", m))?;
        let new = store::by_asset_no(conn, &new_no)?.ok_or_else(|| {
            ServiceError::invalid("new_asset_no", format!("资产编号 {new_no} 不在册"))
        })?;
        if new.status != MeterStatus::Stock {
            return Err(ServiceError::invalid(
                "new_asset_no",
                format!("表计 {new_no} 现为“{}”，不是库存表", new.status.label()),
            ));
        }
        if !new.kind.is_meter() {
            return Err(ServiceError::invalid(
                "new_asset_no",
                format!("{new_no} 是{}，不是电能表", new.kind.label()),
            ));
        }
        if meter::expired(new.valid_until, swapped_on) {
            return Err(ServiceError::invalid(
                "new_asset_no",
                format!("表计 {new_no} 的检定有效期到 {} 已过", new.valid_until),
            ));
        }
        let new_multiplier = if i.new_multiplier.trim().is_empty() {
            new.multiplier
        } else {
            let m = validate::whole_number(&i.new_multiplier, 1, 1_000_000)
                .map_err(|m| ServiceError::invalid("new_multiplier", m))?
                as u32;
            if m != new.multiplier {
                return Err(ServiceError::invalid(
                    "new_multiplier",
                    format!("倍率 {m} 与表计登记的变比不符：应为 {}", new.multiplier),
                ));
            }
            m
        };
        let new_initial = meter::reading(&i.new_initial, new.digits)
            .map_err(|m| ServiceError::invalid("new_initial", m))?;

        // the old meter: on this account, its final reading not below the last one
        let old = if i.old_asset_no.trim().is_empty() {
            if reason != SwapReason::Install {
                let on = store::of_customer(conn, i.customer_id)?;
                if !on.is_empty() {
                    return Err(ServiceError::invalid(
                        "old_asset_no",
                        "请输入拆下的旧表资产编号",
                    ));
                }
            }
            None
        } else {
            let no = meter::asset_no(&i.old_asset_no)
                .map_err(|m| ServiceError::invalid("old_asset_no", m))?;
            let m = store::by_asset_no(conn, &no)?
                .filter(|m| {
                    m.status == MeterStatus::InService && m.customer_id == Some(i.customer_id)
                })
                .ok_or_else(|| {
                    ServiceError::invalid("old_asset_no", format!("表计 {no} 不在该户运行"))
                })?;
            let last = store::last_reading(conn, m.id)?;
            if let Some((day, _)) = last
                && swapped_on < day
            {
                return Err(ServiceError::invalid(
                    "swapped_on",
                    format!("换表日期不能早于旧表上次抄见日期 {day}"),
                ));
            }
            let fin = meter::reading(&i.old_final, m.digits)
                .map_err(|e| ServiceError::invalid("old_final", e))?;
            let from = last.map_or(fin, |(_, c)| meter::from_centi(c));
            let seg = Segment {
                from,
                to: fin,
                multiplier: m.multiplier,
                digits: m.digits,
                rollover_confirmed: i.rollover,
            };
            let kwh = meter::consumption(&[seg]).map_err(|e| match e {
                AdvanceError::BelowLast => ServiceError::invalid(
                    "old_final",
                    format!("止码 {} 小于上次示数 {}", fin.normalize(), from.normalize()),
                ),
                e @ AdvanceError::RolloverUnconfirmed { .. } => {
                    ServiceError::invalid("old_final", e.to_string())
                }
            })?;
            Some((m, fin, kwh))
        };
        if reason == SwapReason::Install && old.is_some() {
            return Err(ServiceError::invalid(
                "reason",
                "拆下旧表的换表原因不能是“新装”",
            ));
        }

        // a fault swap fulfils the account's open 故障换表 order (the oldest)
        let fault_order: Option<i64> = match (i.order_id, reason) {
            (Some(id), _) => Some(id),
            (None, SwapReason::Fault) => self
                .store()
                .conn()
                .query_row(
                    "SELECT id FROM work_order WHERE customer_id = ?1 AND kind = 'faulty_meter'
                       AND state = 'open' ORDER BY id LIMIT 1",
                    [i.customer_id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(crate::store::StoreError::from)?,
            (None, _) => None,
        };
        let done = self.store_mut().write(|tx| -> ServiceResult<SwapDone> {
            let why = format!("换表：{}", reason.label());
            if let Some((m, _, _)) = &old {
                let place = Placement {
                    seals: old_seals.clone(),
                    ..Placement::default()
                };
                if !store::set_status(
                    tx,
                    m.id,
                    MeterStatus::InService,
                    MeterStatus::Removed,
                    &place,
                    &cx.at,
                    staff_id,
                    &why,
                )? {
                    return Err(ServiceError::Refused(
                        "旧表状态已被他人改变，请刷新后重试".into(),
                    ));
                }
            }
            let place = Placement {
                customer_id: Some(i.customer_id),
                area_id: None,
                position: position.clone(),
                seals: new_seals.clone(),
            };
            if !store::set_status(
                tx,
                new.id,
                MeterStatus::Stock,
                MeterStatus::InService,
                &place,
                &cx.at,
                staff_id,
                &why,
            )? {
                return Err(ServiceError::invalid(
                    "new_asset_no",
                    "新表已被他人领用，请换一只",
                ));
            }
            let swap = NewSwap {
                customer_id: i.customer_id,
                swapped_on,
                at: cx.at.clone(),
                staff_id,
                recorded_by: cx.staff_id(),
                reason,
                old: old
                    .as_ref()
                    .map(|(m, fin, _)| (m.id, meter::to_centi(*fin), m.multiplier)),
                old_seals: old_seals.clone(),
                rollover: i.rollover && old.is_some(),
                new_meter_id: new.id,
                new_initial_centi: meter::to_centi(new_initial),
                new_multiplier,
                new_seals: new_seals.clone(),
                order_id: fault_order,
            };
            let id = store::insert_swap(tx, &swap)?;
            // the rotation plan item of the old meter is done by this swap
            let planned = match &old {
                Some((m, _, _)) => crate::store::rotation::open_item_of_meter(tx, m.id)?,
                None => None,
            };
            if let Some((item, _, _)) = planned {
                crate::store::rotation::mark_done(tx, item, id, swapped_on)?;
            }
            let mut ch = Changes::new()
                .note("customer", customer.account_no.clone())
                .note("reason", reason.label())
                .note("swapped_on", swapped_on.to_string())
                .note("new_meter", new.asset_no.clone())
                .note("new_initial", new_initial.normalize().to_string())
                .note("new_multiplier", i64::from(new_multiplier));
            if let Some((m, fin, kwh)) = &old {
                ch = ch
                    .note("old_meter", m.asset_no.clone())
                    .note("old_final", fin.normalize().to_string())
                    .note("old_kwh", kwh.normalize().to_string());
                if i.rollover {
                    ch = ch.note("rollover", "是");
                }
            }
            if let Some((_, year, month)) = planned {
                ch = ch.note("plan", format!("{year} 年轮换计划 {month} 月"));
            }
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: "meter.swap",
                    entity: "customer",
                    entity_id: &customer.account_no,
                    changes: ch,
                },
            )?;
            Ok(SwapDone {
                swap_id: id,
                old_kwh: old.as_ref().map(|(_, _, k)| *k),
                order_done: None,
            })
        })?;
        // then the order's 换表 stage is done (its own audited step; should it be refused,
        // the swap stands and the order stays on the board)
        let Some(order) = fault_order else {
            return Ok(done);
        };
        let note = format!("换表工作单 {}", swap_slip_no(done.swap_id));
        let finished = self
            .complete_stage(
                session,
                order,
                crate::domain::work_order::Stage::MeterSwap,
                &note,
            )
            .ok()
            .map(|_| order);
        Ok(SwapDone {
            order_done: finished,
            ..done
        })
    }

    /// The swap slip (换表工作单) of a swap as it would print now.
    pub fn swap_slip_view(&self, swap_id: i64) -> ServiceResult<crate::print::SwapSlipView> {
        let conn = self.store().conn();
        let w = self.meter_swap(swap_id)?;
        let cid: i64 = conn
            .query_row(
                "SELECT customer_id FROM meter_swap WHERE id = ?1",
                [swap_id],
                |r| r.get(0),
            )
            .map_err(crate::store::StoreError::from)?;
        let c = crate::store::customers::by_id(conn, cid)?
            .ok_or_else(|| ServiceError::NotFound("该客户".into()))?;
        let station = self.require_station()?;
        let slip_no = swap_slip_no(w.id);
        let printed = audit::count_for(conn, SWAP_PRINT, "meter_swap", &slip_no)?;
        // the old meter's stretch: from its reading at installation, when recorded here
        let old_kwh = match (&w.old_asset_no, w.old_final_centi, w.old_multiplier) {
            (Some(no), Some(fin), Some(mult)) => {
                let m = store::by_asset_no(conn, no)?;
                let from = match m {
                    Some(m) => conn
                        .query_row(
                            "SELECT new_initial_centi FROM meter_swap
                              WHERE new_meter_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT 1",
                            [m.id, w.id],
                            |r| r.get::<_, i64>(0),
                        )
                        .optional()
                        .map_err(crate::store::StoreError::from)?
                        .map(|c| (c, m.digits)),
                    None => None,
                };
                from.and_then(|(c, digits)| {
                    meter::consumption(&[Segment {
                        from: meter::from_centi(c),
                        to: meter::from_centi(fin),
                        multiplier: mult,
                        digits,
                        rollover_confirmed: w.rollover,
                    }])
                    .ok()
                })
                .map(|k| k.normalize().to_string())
            }
            _ => None,
        };
        Ok(crate::print::SwapSlipView {
            station_name: station.name,
            station_phone: station.phone,
            slip_no,
            swapped_on: w.swapped_on,
            account_no: c.account_no,
            customer_name: c.name,
            address: c.address,
            reason: w.reason.label().to_string(),
            staff_name: w.staff_name.clone(),
            old: w.old_asset_no.clone().map(|no| {
                (
                    no,
                    meter::from_centi(w.old_final_centi.unwrap_or(0))
                        .normalize()
                        .to_string(),
                    w.old_multiplier.unwrap_or(1),
                    w.old_seals.clone(),
                )
            }),
            rollover: w.rollover,
            old_kwh,
            new: (
                w.new_asset_no.clone(),
                meter::from_centi(w.new_initial_centi)
                    .normalize()
                    .to_string(),
                w.new_multiplier,
                w.new_seals.clone(),
            ),
            reprint: u32::try_from(printed).unwrap_or(u32::MAX),
            paper: self.paper()?,
        })
    }

    /// Print the swap slip (补打 from the second time on); a print that failed is recorded
    /// as a failure, never as printed.
    pub fn print_swap_slip(
        &mut self,
        session: &Session,
        swap_id: i64,
    ) -> ServiceResult<crate::print::PrintOutcome> {
        let cx = self.begin(session, Need::Write)?;
        let view = self.swap_slip_view(swap_id)?;
        let stem = if view.reprint == 0 {
            format!("换表工作单-{}", view.slip_no)
        } else {
            format!("换表工作单-{}-补打{}", view.slip_no, view.reprint)
        };
        let out = match self.render_and_print(&stem, |f| crate::print::render_swap_slip(&view, f)) {
            Ok(out) => out,
            Err(e) => {
                self.record_print_failure(&cx.session, cx.now, "meter_swap", &view.slip_no, &e);
                return Err(e);
            }
        };
        let path = out.path.display().to_string();
        self.store_mut().write(|tx| -> ServiceResult<()> {
            audit::append(
                tx,
                NewEntry {
                    at: cx.now,
                    actor: &cx.actor,
                    action: SWAP_PRINT,
                    entity: "meter_swap",
                    entity_id: &view.slip_no,
                    changes: Changes::new()
                        .note("reprint", view.reprint)
                        .note("file", path.clone()),
                },
            )?;
            Ok(())
        })?;
        Ok(out)
    }

    pub fn meter_swap(&self, id: i64) -> ServiceResult<SwapRow> {
        store::swap_by_id(self.store().conn(), id)?
            .ok_or_else(|| ServiceError::NotFound("该换表记录".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_keeps_its_letters_and_width() {
        assert_eq!(
            asset_range("a0098", "A0101").unwrap(),
            vec!["A0098", "A0099", "A0100", "A0101"]
        );
        assert_eq!(asset_range("3710001", "").unwrap(), vec!["3710001"]);
        assert_eq!(
            asset_range("A0101", "A0098").unwrap_err().1,
            "止号应不小于起号"
        );
        assert!(
            asset_range("A0098", "B0101")
                .unwrap_err()
                .1
                .contains("只有末尾数字不同")
        );
        assert!(
            asset_range("A0001", "A9999")
                .unwrap_err()
                .1
                .contains("一次最多入库 5000 只")
        );
    }

    #[test]
    fn a_supplier_file_with_bad_lines_is_refused_whole() {
        let head = CSV_COLUMNS.join(",");
        let good = format!(
            "\u{feff}{head}\n3710000001,单相表,2,华立,B2026-01,6,,,,2026-01-10,2026-02-01\n3710000002,三相经互感器表,0.5S,威胜,B2026-02,6,200/5,,40,2026-01-10,2026-02-01\n"
        );
        let v = parse_supplier_csv(&good).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].ct_ratio, "200/5");
        let bad = format!(
            "{head}\n3710000001,单相表,2,华立,B1,6,,,,2026-01-10,2026-02-01\n3710-02,单相表,2,华立,B1,6,,,,2026-01-10,2026-02-01\n3710000003,单相表,3,华立,B1,6,,,,2026-01-10,2026-02-01\n3710000004,三相经互感器表,0.5S,威胜,B2,6,200/5,,30,2026-01-10,2026-02-01\n3710000001,单相表,2,华立,B1,6,,,,2026-01-10,2026-02-01\n3710000006,单相表,2\n3710000007,单相表,2,华立,B1,6,,,,2026-02-30,2026-03-01\n"
        );
        let e = parse_supplier_csv(&bad).unwrap_err();
        let lines: Vec<usize> = e.iter().map(|l| l.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7, 8], "{e:?}");
        assert!(e[0].message.starts_with("资产编号："), "{}", e[0].message);
        assert!(e[1].message.starts_with("准确度等级："), "{}", e[1].message);
        assert!(
            e[2].message.contains("倍率 30 与变比不符"),
            "{}",
            e[2].message
        );
        assert_eq!(e[3].message, "资产编号 3710000001 与第 2 行重复");
        assert_eq!(e[4].message, "应有 11 列，这里有 3 列");
        assert!(e[5].message.starts_with("出厂日期："), "{}", e[5].message);
        let e = parse_supplier_csv("资产编号,类型\n").unwrap_err();
        assert_eq!(e[0].line, 1);
    }
}

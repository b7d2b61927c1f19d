//! What the meter screens say: a meter's details and history, the bad lines of a supplier's
//! file, the receiving form, and the meters and swaps on a customer's file page.
use chrono::NaiveDate;

use crate::domain::meter::{self, MeterKind};
use crate::service::Service;
use crate::service::meters::LineError;
use crate::store::meters::MeterRow;
use crate::ui::msg::Msg;
use crate::ui::widgets::field::{Choice, Form, TextField};

pub(super) fn receive_form() -> Form {
    let kinds = MeterKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.label().into(),
            label: k.label().into(),
        })
        .collect();
    let classes = crate::domain::meter::AccuracyClass::ALL
        .iter()
        .map(|c| Choice {
            value: c.code().into(),
            label: c.label().into(),
        })
        .collect();
    Form::new(vec![
        TextField::new("first", "起始编号")
            .required()
            .max(32)
            .hint("资产编号，可扫码"),
        TextField::new("last", "截止编号")
            .max(32)
            .hint("只入一只可留空；只有末尾数字不同"),
        TextField::new("kind", "类型")
            .required()
            .max(10)
            .choices(kinds),
        TextField::new("accuracy", "准确度等级")
            .required()
            .max(5)
            .choices(classes),
        TextField::new("maker", "厂家").required().max(30),
        TextField::new("batch", "批次").max(30),
        TextField::new("digits", "整数位数")
            .max(2)
            .hint("计度器整数位，如 6；走满归零要用"),
        TextField::new("produced_on", "出厂日期")
            .required()
            .max(10)
            .hint("如 2026-01-10"),
        TextField::new("verified_on", "检定日期")
            .required()
            .max(10)
            .hint("如 2026-02-01"),
        TextField::new("valid_until", "有效期至")
            .max(10)
            .hint("留空按等级的检定周期（系统设置）"),
        TextField::new("ct_ratio", "电流互感器变比")
            .max(15)
            .hint("经互感器表填，如 200/5"),
        TextField::new("pt_ratio", "电压互感器变比")
            .max(15)
            .hint("高压计量填，如 10000/100"),
        TextField::new("multiplier", "倍率")
            .max(8)
            .hint("留空按变比计算；填了须与变比相符"),
    ])
}

/// The bad lines of a supplier's file, in a notice (nothing was imported).
pub(super) fn bad_lines(lines: &[LineError]) -> Msg {
    let mut out = vec![format!("文件有 {} 处问题，一只也没有入库：", lines.len())];
    out.extend(
        lines
            .iter()
            .take(30)
            .map(|l| format!("第 {} 行：{}", l.line, l.message)),
    );
    if lines.len() > 30 {
        out.push(format!("……另有 {} 处", lines.len() - 30));
    }
    Msg::Notice {
        title: "供应商文件未导入".into(),
        lines: out,
    }
}

/// A meter's details and history, in a notice.
pub(super) fn detail(svc: &Service, m: &MeterRow, today: NaiveDate) -> Msg {
    let mut lines = vec![
        format!("资产编号：{}    {}", m.asset_no, m.status.label()),
        format!(
            "类型：{}    等级：{}    厂家：{}    批次：{}",
            m.kind.label(),
            m.accuracy.label(),
            m.maker,
            if m.batch.is_empty() { "—" } else { &m.batch }
        ),
        format!(
            "倍率：{}    电流互感器：{}    电压互感器：{}    整数位：{}",
            m.multiplier,
            if m.ct_ratio.is_empty() {
                "—"
            } else {
                &m.ct_ratio
            },
            if m.pt_ratio.is_empty() {
                "—"
            } else {
                &m.pt_ratio
            },
            m.digits.map_or("—".into(), |d| d.to_string())
        ),
        format!(
            "出厂：{}    检定：{}    有效期至：{}{}",
            m.produced_on,
            m.verified_on,
            m.valid_until,
            if meter::expired(m.valid_until, today) {
                "（已过期）"
            } else {
                ""
            }
        ),
    ];
    if let (Some(no), Some(name)) = (&m.account_no, &m.customer_name) {
        lines.push(format!(
            "安装在：{no} {name}    位置：{}    封印：{}",
            if m.position.is_empty() {
                "—"
            } else {
                &m.position
            },
            if m.seals.is_empty() { "—" } else { &m.seals }
        ));
    }
    if let Ok(orders) = svc.meter_orders(m.id)
        && !orders.is_empty()
    {
        lines.push(format!(
            "工单：{}",
            orders
                .iter()
                .map(|(no, kind, state)| format!("{no} {kind}（{state}）"))
                .collect::<Vec<_>>()
                .join("；")
        ));
    }
    lines.push(String::new());
    lines.push("记录：".into());
    match svc.meter_history(m.id) {
        Ok(h) => lines.extend(h.iter().map(|e| {
            format!(
                "{}  {}{}  {}{}  {}",
                e.at.get(..16).unwrap_or(&e.at),
                e.from.map_or(String::new(), |f| format!("{}→", f.label())),
                e.to.label(),
                e.staff_name.as_deref().unwrap_or("—"),
                e.account_no
                    .as_deref()
                    .map_or(String::new(), |a| format!("  户号 {a}")),
                e.reason
            )
        })),
        Err(e) => lines.push(e.message()),
    }
    Msg::Notice {
        title: format!("表计 {}", m.asset_no),
        lines,
    }
}

/// The meters on the account and its swaps, for the file's page.
pub(super) fn meter_lines(svc: &Service, customer_id: i64) -> Vec<String> {
    let (on, swaps) = match svc.customer_meters(customer_id) {
        Ok(v) => v,
        Err(e) => return vec![format!("表计：未能读取（{}）", e.message())],
    };
    let today = svc.now().date();
    let mut out = vec![String::new()];
    if on.is_empty() {
        out.push("表计：无在运表计".into());
    }
    for m in &on {
        out.push(format!(
            "表计：{} {}{} 倍率 {} 有效期至 {}{}{}",
            m.asset_no,
            m.kind.label(),
            m.accuracy.label(),
            m.multiplier,
            m.valid_until,
            if meter::expired(m.valid_until, today) {
                "（已过期）"
            } else {
                ""
            },
            if m.seals.is_empty() {
                String::new()
            } else {
                format!(" 封印 {}", m.seals)
            }
        ));
    }
    for w in swaps.iter().take(5) {
        let fmt = |c: i64| crate::domain::meter::from_centi(c).normalize().to_string();
        out.push(match (&w.old_asset_no, w.old_final_centi) {
            (Some(o), Some(f)) => format!(
                "换表：{} {} {} 止码 {} → {} 起码 {}（×{}）{}",
                w.swapped_on,
                w.reason.label(),
                o,
                fmt(f),
                w.new_asset_no,
                fmt(w.new_initial_centi),
                w.new_multiplier,
                w.staff_name
            ),
            _ => format!(
                "装表：{} {} {} 起码 {}（×{}）{}",
                w.swapped_on,
                w.reason.label(),
                w.new_asset_no,
                fmt(w.new_initial_centi),
                w.new_multiplier,
                w.staff_name
            ),
        });
    }
    if swaps.len() > 5 {
        out.push(format!("……更早的换表记录 {} 条", swaps.len() - 5));
    }
    out
}

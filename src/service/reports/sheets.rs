//! A report laid out as tables: one [`Sheet`] per table, in the order the chief reads them
//! (money first, then work, then the month's checks). Each table's title and columns are
//! the words of its screen; money is `Cell::Money`, counts `Cell::Int`, rates
//! `Cell::Percent`, days `Cell::Date`, so every format shows them as what they are.
use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{ReportScope, StationReport};
use crate::domain::billing::PayMethod;
use crate::domain::case::CaseKind;
use crate::domain::money::from_fen;
use crate::domain::reading::collection_rate;
use crate::export::{Cell, Sheet, Workbook};

fn money(fen: i64) -> Cell {
    Cell::Money(from_fen(fen))
}

fn rate(n: i64, of: i64) -> Cell {
    Cell::Percent(collection_rate(Decimal::from(of), Decimal::from(n)))
}

const TOTAL: &str = "合计";

impl StationReport {
    /// The report as a workbook of tables.
    pub fn workbook(&self) -> Workbook {
        let monthly = matches!(self.scope, ReportScope::Month(_));
        let mut sheets = vec![
            self.by_method(),
            self.by_cashier(),
            self.paid_for_sheet(),
            self.corrections_sheet(),
            self.arrears_sheet(),
            self.recovery_sheet(),
            self.orders_sheet(),
        ];
        if monthly {
            sheets.push(self.assessment_sheet());
        }
        sheets.push(self.meters_sheet());
        if monthly {
            sheets.push(self.readings_sheet());
        }
        sheets.push(self.cases_sheet());
        if let Some(c) = &self.case_month {
            sheets.push(case_checks(c));
        }
        let kind = self.scope.kind().label();
        Workbook {
            title: format!("{}{} {}", self.station, kind, self.scope.label()),
            heading: format!("供电所{kind}"),
            about: vec![
                ("供电所".into(), self.station.clone()),
                (
                    "期间".into(),
                    format!(
                        "{}（{} 至 {}）",
                        self.scope.label(),
                        self.scope.from().format("%Y-%m-%d"),
                        self.scope.to().format("%Y-%m-%d")
                    ),
                ),
                (
                    "制表".into(),
                    format!("{} {}", self.made_at.format("%Y-%m-%d %H:%M"), self.made_by),
                ),
            ],
            made_at: self.made_at,
            sheets,
            signatures: "制表：____________    所长：____________    日期：____________".into(),
        }
    }

    fn by_method(&self) -> Sheet {
        let mut s = Sheet::new(
            "收费·按方式",
            "收费汇总（按付款方式）",
            &[
                "付款方式",
                "收款笔数",
                "收款金额(元)",
                "红冲笔数",
                "红冲金额(元)",
                "实收金额(元)",
            ],
        );
        let mut t = [0i64; 4];
        for m in PayMethod::ALL {
            let rows = self.collections.iter().filter(|c| c.method == m);
            let (n, fen, rn, rfen) = rows.fold((0, 0, 0, 0), |a, c| {
                (
                    a.0 + c.received,
                    a.1 + c.received_fen,
                    a.2 + c.reversed,
                    a.3 + c.reversed_fen,
                )
            });
            for (x, v) in t.iter_mut().zip([n, fen, rn, rfen]) {
                *x += v;
            }
            s.row(vec![
                Cell::text(m.label()),
                Cell::Int(n),
                money(fen),
                Cell::Int(rn),
                money(rfen),
                money(fen + rfen),
            ]);
        }
        s.total(vec![
            Cell::text(TOTAL),
            Cell::Int(t[0]),
            money(t[1]),
            Cell::Int(t[2]),
            money(t[3]),
            money(t[1] + t[3]),
        ]);
        s.note("只计收据有效（未作废）的收款；红冲为退回的金额（负数）。");
        s
    }

    fn by_cashier(&self) -> Sheet {
        let mut s = Sheet::new(
            "收费·按收费员",
            "收费汇总（按收费员）",
            &[
                "收费员",
                "收款笔数",
                "收款金额(元)",
                "其中现金(元)",
                "红冲笔数",
                "红冲金额(元)",
                "实收金额(元)",
                "作废张数",
            ],
        );
        // cashier → [count, fen, cash fen, reversals, reversed fen]
        let mut by: BTreeMap<(i64, String), [i64; 5]> = BTreeMap::new();
        for c in &self.collections {
            let e = by.entry((c.cashier_id, c.cashier.clone())).or_default();
            e[0] += c.received;
            e[1] += c.received_fen;
            if c.method == PayMethod::Cash {
                e[2] += c.received_fen;
            }
            e[3] += c.reversed;
            e[4] += c.reversed_fen;
        }
        let voids = |name: &str| {
            self.corrections
                .iter()
                .filter(|c| !c.reversal && c.cashier == name)
                .count()
        };
        for c in &self.corrections {
            if !c.reversal && !by.keys().any(|k| k.1 == c.cashier) {
                by.entry((i64::MAX, c.cashier.clone())).or_default();
            }
        }
        let mut t = [0i64; 5];
        let mut tv = 0;
        for ((_, name), v) in &by {
            for (x, y) in t.iter_mut().zip(v) {
                *x += y;
            }
            tv += voids(name);
            s.row(vec![
                Cell::text(name.clone()),
                Cell::Int(v[0]),
                money(v[1]),
                money(v[2]),
                Cell::Int(v[3]),
                money(v[4]),
                money(v[1] + v[4]),
                Cell::count(voids(name)),
            ]);
        }
        s.total(vec![
            Cell::text(TOTAL),
            Cell::Int(t[0]),
            money(t[1]),
            money(t[2]),
            Cell::Int(t[3]),
            money(t[4]),
            money(t[1] + t[4]),
            Cell::count(tv),
        ]);
        s
    }

    fn paid_for_sheet(&self) -> Sheet {
        let p = &self.paid_for;
        let mut s = Sheet::new(
            "收款构成",
            "收款构成（所收款项用于）",
            &["项目", "金额(元)"],
        );
        for (label, fen) in [
            ("电费本金", p.principal),
            ("电费违约金", p.late_fee),
            ("业务费", p.order_fee),
            ("存入预收", p.prepaid_add),
            ("使用预收（冲减）", p.prepaid_use),
        ] {
            s.row(vec![Cell::text(label), money(fen)]);
        }
        s.total(vec![
            Cell::text(TOTAL),
            money(p.principal + p.late_fee + p.order_fee + p.prepaid_add + p.prepaid_use),
        ]);
        s.note("合计等于实收金额（收款减红冲）。");
        s
    }

    fn corrections_sheet(&self) -> Sheet {
        let mut s = Sheet::new(
            "作废与红冲",
            "作废与红冲明细",
            &[
                "凭证号",
                "营业日",
                "类别",
                "户号",
                "户名",
                "金额(元)",
                "收费员",
                "批准人",
                "原因",
            ],
        );
        for c in &self.corrections {
            s.row(vec![
                Cell::text(c.receipt_no.clone()),
                Cell::Date(c.business_date),
                Cell::text(if c.reversal { "红冲" } else { "作废" }),
                Cell::text(c.account_no.clone()),
                Cell::text(c.customer.clone()),
                money(c.amount_fen),
                Cell::text(c.cashier.clone()),
                Cell::text(c.approver.clone()),
                Cell::text(c.reason.clone()),
            ]);
        }
        s
    }

    fn arrears_sheet(&self) -> Sheet {
        let a = &self.arrears;
        let mut s = Sheet::new(
            "欠费余额",
            &format!("电费欠费余额（截至 {} 营业结束）", a.on.format("%Y-%m-%d")),
            &["项目", "金额(元)"],
        );
        s.row(vec![
            Cell::text("累计应收电费（已入账账单）"),
            Cell::Money(a.billed),
        ]);
        s.row(vec![Cell::text("已收电费本金"), Cell::Money(a.paid)]);
        s.row(vec![Cell::text("预收冲抵"), Cell::Money(a.offset)]);
        s.total(vec![Cell::text("欠费余额"), Cell::Money(a.owed())]);
        s.note("欠费余额 = 累计应收 − 已收本金 − 预收冲抵；违约金不计在内。");
        s
    }

    fn recovery_sheet(&self) -> Sheet {
        let r = &self.recovery;
        let monthly = !r.checks.is_empty();
        let mut columns = vec![
            "台区编号",
            "台区",
            "抄表员",
            "应收(元)",
            "已收(元)",
            "回收率",
        ];
        if monthly {
            columns.push("抄表前回收率");
        }
        let mut s = Sheet::new(
            "电费回收",
            &format!(
                "电费回收率（{} 账期，收至 {}）",
                r.period.label(),
                r.through.format("%Y-%m-%d")
            ),
            &columns,
        );
        for (i, (code, name, reader, billed, collected)) in r.areas.iter().enumerate() {
            let mut row = vec![
                Cell::text(code.clone()),
                Cell::text(name.clone()),
                Cell::text(reader.clone()),
                Cell::Money(*billed),
                Cell::Money(*collected),
                Cell::Percent(collection_rate(*billed, *collected)),
            ];
            if monthly {
                let br = r
                    .checks
                    .get(i)
                    .and_then(|c| c.last())
                    .and_then(|c| c.before_reading.rate);
                row.push(Cell::Percent(br));
            }
            s.row(row);
        }
        let mut total = vec![
            Cell::text(TOTAL),
            Cell::Empty,
            Cell::Empty,
            Cell::Money(r.billed()),
            Cell::Money(r.collected()),
            Cell::Percent(r.rate()),
        ];
        if monthly {
            let (b, c) = r.checks.iter().filter_map(|x| x.last()).fold(
                (Decimal::ZERO, Decimal::ZERO),
                |a, c| {
                    (
                        a.0 + c.before_reading.billed,
                        a.1 + c.before_reading.collected,
                    )
                },
            );
            total.push(Cell::Percent(collection_rate(b, c)));
        }
        s.total(total);
        s.note(format!(
            "回收率 = 已收 ÷ 应收（{} 账期的账单，本金与预收冲抵）；目标 {}%。",
            r.period.label(),
            crate::domain::money::format_yuan(r.target)
        ));
        s
    }

    fn orders_sheet(&self) -> Sheet {
        let mut s = Sheet::new(
            "工单",
            "工单（按业务类型）与时限",
            &[
                "业务类型",
                "受理",
                "办结",
                "撤销",
                "期末在办",
                "按时办结",
                "超期办结",
                "按时率",
            ],
        );
        let line = |label: &str, o: &super::OrderLine| {
            vec![
                Cell::text(label),
                Cell::Int(o.accepted),
                Cell::Int(o.completed),
                Cell::Int(o.cancelled),
                Cell::Int(o.open_at_end),
                Cell::Int(o.kept),
                Cell::Int(o.late),
                rate(o.kept, o.kept + o.late),
            ]
        };
        for o in &self.orders {
            s.row(line(o.kind.label(), o));
        }
        s.total(line(TOTAL, &self.order_total()));
        s.note("按时率：本期办结且有时限的工单中按承诺日期办结的比例（高压业扩须每个供电企业环节都按时）。");
        s
    }

    fn assessment_sheet(&self) -> Sheet {
        let mut s = Sheet::new(
            "考核",
            "考核（按人员）",
            &[
                "人员",
                "待确认(件)",
                "待确认金额(元)",
                "已确认(件)",
                "已确认金额(元)",
                "免考核(件)",
                "金额未设(件)",
            ],
        );
        if let Some(a) = &self.assessment {
            let row = |name: &str, p: &crate::domain::assessment::PersonSummary| {
                vec![
                    Cell::text(name),
                    Cell::Int(i64::from(p.pending.count)),
                    Cell::Money(p.pending.amount),
                    Cell::Int(i64::from(p.confirmed.count)),
                    Cell::Money(p.confirmed.amount),
                    Cell::Int(i64::from(p.waived.count)),
                    Cell::Int(i64::from(p.amount_unset)),
                ]
            };
            for p in &a.people {
                s.row(row(&p.staff_name, p));
            }
            if !a.people.is_empty() {
                s.total(row(TOTAL, &a.total));
            }
        }
        s.note("已确认金额为应考核金额；金额未设的事项按 0 元计。");
        s
    }

    fn meters_sheet(&self) -> Sheet {
        let m = &self.meters;
        let mut s = Sheet::new("计量", "计量装置", &["项目", "数量"]);
        for (reason, n) in &m.swaps {
            s.row(vec![
                Cell::text(format!("换表·{}", reason.label())),
                Cell::Int(*n),
            ]);
        }
        s.row(vec![
            Cell::text("换表合计"),
            Cell::Int(m.swaps.iter().map(|x| x.1).sum()),
        ]);
        s.row(vec![Cell::text("新表入库"), Cell::Int(m.received)]);
        for (result, n) in &m.checks {
            s.row(vec![
                Cell::text(format!("现场检验·{}", result.label())),
                Cell::Int(*n),
            ]);
        }
        s.row(vec![
            Cell::text("在运表计（现在）"),
            Cell::Int(m.in_service),
        ]);
        s.row(vec![Cell::text("库存表计（现在）"), Cell::Int(m.in_stock)]);
        s.row(vec![
            Cell::text("在运已过检定有效期（期末）"),
            Cell::Int(m.expired_in_service),
        ]);
        if let Some(p) = &self.rotation {
            for (label, n) in [
                ("本月轮换计划", p.planned),
                ("·按月完成", p.done),
                ("·逾期完成", p.done_late),
                ("·未完成（已过月）", p.not_done),
                ("·进行中", p.pending),
            ] {
                s.row(vec![Cell::text(label), Cell::count(n)]);
            }
        }
        s
    }

    fn readings_sheet(&self) -> Sheet {
        let mut s = Sheet::new(
            "抄表核算",
            "抄表与核算（按台区）",
            &[
                "台区编号",
                "台区",
                "抄表员",
                "表计",
                "已抄",
                "估抄",
                "漏抄",
                "已算账单",
                "已发行",
            ],
        );
        let Some(r) = &self.readings else {
            return s;
        };
        s.title = format!("抄表与核算（{} 账期，按台区）", r.period.label());
        let mut t = [0i64; 6];
        for b in &r.books {
            let v = [
                b.meters,
                b.read,
                b.estimated,
                b.missed,
                b.drafts,
                b.released,
            ];
            for (x, y) in t.iter_mut().zip(v) {
                *x += y;
            }
            let mut row = vec![
                Cell::text(b.area_code.clone()),
                Cell::text(b.area_name.clone()),
                Cell::text(b.reader_name.clone().unwrap_or_default()),
            ];
            row.extend(v.iter().map(|n| Cell::Int(*n)));
            s.row(row);
        }
        let mut total = vec![Cell::text(TOTAL), Cell::Empty, Cell::Empty];
        total.extend(t.iter().map(|n| Cell::Int(*n)));
        s.total(total);
        s.note(format!(
            "线损：有供电量的台区 {} 个，需说明（超阈值或负线损）{} 个，其中负线损 {} 个；供电量 {} kWh，售电量 {} kWh。",
            r.loss_counted,
            r.loss_flagged,
            r.loss_negative,
            crate::domain::money::format_yuan(r.supply),
            crate::domain::money::format_yuan(r.sales)
        ));
        s
    }

    fn cases_sheet(&self) -> Sheet {
        let mut s = Sheet::new(
            "投诉报修",
            "投诉、报修与咨询（本期受理）",
            &["类别", "受理", "现已办结"],
        );
        let (mut n, mut c) = (0, 0);
        for k in CaseKind::ALL {
            let (got, closed) = self
                .cases
                .iter()
                .find(|x| x.0 == k)
                .map_or((0, 0), |x| (x.1, x.2));
            n += got;
            c += closed;
            s.row(vec![
                Cell::text(k.label()),
                Cell::Int(got),
                Cell::Int(closed),
            ]);
        }
        s.total(vec![Cell::text(TOTAL), Cell::Int(n), Cell::Int(c)]);
        s
    }
}

/// The month's time limits and return visits of cases (the cases' monthly report).
fn case_checks(c: &crate::service::cases::report::CaseMonthReport) -> Sheet {
    let mut s = Sheet::new(
        "投诉报修及时率",
        "投诉报修及时率与回访",
        &["项目", "计入", "按时", "及时率"],
    );
    for (clock, t) in &c.on_time {
        s.row(vec![
            Cell::text(format!("{}时限", clock.label())),
            Cell::count(t.counted),
            Cell::count(t.on_time),
            rate(t.on_time as i64, t.counted as i64),
        ]);
    }
    for (label, n) in ["满意", "基本满意", "不满意", "回访失败"]
        .iter()
        .zip(c.satisfaction)
    {
        s.row(vec![
            Cell::text(format!("回访·{label}")),
            Cell::count(n),
            Cell::Empty,
            Cell::Empty,
        ]);
    }
    s.row(vec![
        Cell::text("重新处理（不满意后）"),
        Cell::count(c.reopened),
        Cell::Empty,
        Cell::Empty,
    ]);
    s
}

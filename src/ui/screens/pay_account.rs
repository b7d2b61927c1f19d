//! A customer's account as the 收费 screen shows it: who (户号, name, class, status, payment
//! grade), what is owed in total, the bills in arrears one per row (period, kWh, amount,
//! paid, due date, days overdue, late fee to date), the business fees on work orders.
//! States are words (逾期 12 天, 未到期, 已免, 暂不能收), never colour alone.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell as TableCell, Paragraph, Row, Table, Widget};

use crate::domain::money;
use crate::service::payments::{AccountView, BillLine};
use crate::ui::theme;

/// A right-aligned table cell (amounts, counts).
pub fn right(s: String) -> TableCell<'static> {
    TableCell::from(Line::from(s).alignment(Alignment::Right))
}

/// The two lines above the bills: who, and what is owed.
pub fn header_lines(a: &AccountView) -> Vec<Line<'static>> {
    let who = Line::from(vec![
        Span::styled(format!(" {} {}", a.account_no, a.name), theme::heading()),
        Span::raw(format!("  {}  {}  ", a.usage, a.status)),
        Span::raw(format!("信誉等级：{}", a.grade.label())),
    ]);
    let owed = if a.total_owed.is_zero() && a.prepaid.is_zero() {
        Line::from(" 无欠费")
    } else {
        Line::from(vec![
            Span::raw(format!(
                " 电费 {}  违约金 {}  业务费 {}  预收 {}  ",
                money::format_yuan_grouped(a.principal_owed),
                money::format_yuan_grouped(a.late_fees),
                money::format_yuan_grouped(a.fees_owed),
                money::format_yuan_grouped(a.prepaid),
            )),
            Span::styled(
                format!("应收 {} 元", money::format_yuan_grouped(a.to_pay)),
                theme::heading(),
            ),
        ])
    };
    vec![who, owed]
}

fn overdue_text(b: &BillLine) -> String {
    if b.owed.is_zero() {
        "已缴清".into()
    } else if b.days_overdue > 0 {
        format!("逾期{}天", b.days_overdue)
    } else {
        "未到期".into()
    }
}

fn late_fee_text(b: &BillLine) -> String {
    if b.late_fee_waived {
        "已免".into()
    } else {
        money::format_yuan_grouped(b.late_fee)
    }
}

/// The fee lines under the bills: collectable ones with their amount, the others with
/// why they cannot be collected yet.
pub fn fee_lines(a: &AccountView) -> Vec<Line<'static>> {
    a.fees
        .iter()
        .map(|f| {
            let state = if f.collectible {
                String::new()
            } else {
                format!("（暂不能收：{}）", f.note)
            };
            Line::from(format!(
                " 业务费 {} {} 欠 {} 元{state}",
                f.tracking_no,
                f.item,
                money::format_yuan_grouped(f.owed)
            ))
        })
        .collect()
}

/// The bills table; row `selected` is marked ▶.
pub fn render_bills(
    area: Rect,
    buf: &mut Buffer,
    a: &AccountView,
    selected: usize,
    offset: &crate::ui::widgets::list::Scroll,
) {
    if a.bills.is_empty() {
        Line::from(Span::styled(" 没有欠费的电费账单", theme::dim())).render(area, buf);
        return;
    }
    let h = usize::from(area.height.saturating_sub(1));
    let off = offset.follow(selected, h);
    // amounts shown whole however large: the money columns widen to the largest
    let money_w = crate::ui::widgets::list::fit(
        10,
        a.bills
            .iter()
            .flat_map(|b| [b.amount, b.paid].map(money::format_yuan_grouped)),
    );
    let late_w = crate::ui::widgets::list::fit(9, a.bills.iter().map(late_fee_text));
    let rows: Vec<Row> = a
        .bills
        .iter()
        .enumerate()
        .skip(off)
        .take(h.max(1))
        .map(|(i, b)| {
            let mark = if i == selected {
                theme::MARK_SELECTED
            } else {
                " "
            };
            let row = Row::new(vec![
                TableCell::from(format!("{mark}{}", b.period_label)),
                right(b.kwh.to_string()),
                right(money::format_yuan_grouped(b.amount)),
                right(money::format_yuan_grouped(b.paid)),
                TableCell::from(b.due_date.format("%Y-%m-%d").to_string()),
                TableCell::from(overdue_text(b)),
                right(late_fee_text(b)),
            ]);
            if i == selected {
                row.style(theme::selected())
            } else {
                row
            }
        })
        .collect();
    Table::new(
        rows,
        [
            Constraint::Length(12),
            Constraint::Length(7),
            Constraint::Length(money_w),
            Constraint::Length(money_w),
            Constraint::Length(10),
            Constraint::Length(9),
            Constraint::Length(late_w),
        ],
    )
    .header(
        Row::new(vec![
            TableCell::from(" 账期"),
            right("电量kWh".into()),
            right("电费".into()),
            right("已缴".into()),
            TableCell::from("到期日"),
            TableCell::from("逾期"),
            right("违约金".into()),
        ])
        .style(theme::heading()),
    )
    .render(area, buf);
}

/// The account: header, bills, fees and, at the bottom, `note` (what the last payment
/// did).
pub fn render_account(
    area: Rect,
    buf: &mut Buffer,
    a: &AccountView,
    selected: usize,
    offset: &crate::ui::widgets::list::Scroll,
    note: &[Line<'static>],
) {
    let fees = fee_lines(a);
    let fees_h = u16::try_from(fees.len()).unwrap_or(u16::MAX).min(3);
    let note_h = u16::try_from(note.len()).unwrap_or(0).min(3);
    let [head, bills, fee_area, note_area] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Min(3),
        Constraint::Length(fees_h),
        Constraint::Length(note_h),
    ])
    .areas(area);
    Paragraph::new(header_lines(a)).render(head, buf);
    render_bills(bills, buf, a, selected, offset);
    Paragraph::new(fees).render(fee_area, buf);
    Paragraph::new(note.to_vec()).render(note_area, buf);
}

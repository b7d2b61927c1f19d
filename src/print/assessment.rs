//! The monthly assessment summary (考核月度汇总), on A4: per person the entries by state with
//! their amounts (the confirmed amount is what counts), the total, then every entry of the
//! month with its reason, and a line for the chief's signature.

use chrono::NaiveDateTime;

use super::font::FontSet;
use super::layout::Doc;
use super::style::{Align, TextStyle};
use super::table::{Column, Table};
use super::{Paper, PrintError};
use crate::domain::assessment::PersonSummary;
use crate::domain::money::format_yuan;

/// The chief's signature line under the summary.
pub const ASSESSMENT_SIGNATURE_LINE: &str = "所长签字：____________";

/// One entry in the list under the summary table. Amounts come formatted (`50.00` or
/// `未设`), states as their label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssessmentDetailLine {
    pub staff_name: String,
    pub item: String,
    pub summary: String,
    pub state: String,
    pub amount: String,
    /// the waiver's reason, if any
    pub reason: String,
}

/// Everything the summary shows. Pure data, filled in by the service.
#[derive(Clone, Debug, PartialEq)]
pub struct AssessmentSummaryView {
    pub station_name: String,
    /// `2026年11月`
    pub month_label: String,
    pub printed_at: NaiveDateTime,
    pub printed_by: String,
    pub people: Vec<PersonSummary>,
    pub total: PersonSummary,
    pub details: Vec<AssessmentDetailLine>,
}

fn person_row(p: &PersonSummary) -> Vec<String> {
    vec![
        p.staff_name.clone(),
        p.pending.count.to_string(),
        format_yuan(p.pending.amount),
        p.confirmed.count.to_string(),
        format_yuan(p.confirmed.amount),
        p.waived.count.to_string(),
        p.amount_unset.to_string(),
    ]
}

/// Renders the summary on A4 with the given fonts.
pub fn render_assessment_summary(
    v: &AssessmentSummaryView,
    fonts: FontSet,
) -> Result<Vec<u8>, PrintError> {
    let paper = Paper::A4;
    let title = format!("考核月度汇总 {}", v.month_label);
    let mut doc = Doc::with_fonts(paper, &title, fonts);
    let body = paper.body_size();
    let text = TextStyle::new(body);
    let small = TextStyle::new(body * 0.85);

    doc.paragraph(TextStyle::new(body * 1.6).bold().center(), "考核月度汇总");
    doc.paragraph(TextStyle::new(body * 1.1).center(), &v.station_name);
    doc.space(1.0);
    doc.left_right(
        text,
        &format!("考核月份：{}", v.month_label),
        &format!(
            "打印：{} {}",
            v.printed_at.format("%Y-%m-%d %H:%M"),
            v.printed_by
        ),
    );
    doc.rule();

    if v.people.is_empty() {
        doc.paragraph(text, "本月没有考核记录。");
    } else {
        let mut rows: Vec<Vec<String>> = v.people.iter().map(person_row).collect();
        rows.push(person_row(&v.total));
        doc.table(&Table {
            columns: vec![
                Column::new("人员", 2.2, Align::Left),
                Column::new("待确认(件)", 1.3, Align::Right),
                Column::new("待确认金额", 1.6, Align::Right),
                Column::new("已确认(件)", 1.3, Align::Right),
                Column::new("已确认金额", 1.6, Align::Right),
                Column::new("免考核(件)", 1.3, Align::Right),
                Column::new("金额未设(件)", 1.5, Align::Right),
            ],
            rows,
            size: body * 0.9,
        });
        doc.paragraph(
            small,
            "已确认金额为应考核金额（元）；待确认事项尚未决定；金额未设的事项按 0 元计，请所长在考核规则中补填金额。",
        );
    }

    if !v.details.is_empty() {
        doc.space(2.0);
        doc.paragraph(text.bold(), "考核明细");
        let rows = v
            .details
            .iter()
            .map(|d| {
                vec![
                    d.staff_name.clone(),
                    d.item.clone(),
                    d.summary.clone(),
                    d.state.clone(),
                    d.amount.clone(),
                    d.reason.clone(),
                ]
            })
            .collect();
        doc.table(&Table {
            columns: vec![
                Column::new("人员", 1.4, Align::Left),
                Column::new("考核项目", 1.8, Align::Left),
                Column::new("事由", 4.4, Align::Left),
                Column::new("状态", 1.2, Align::Left),
                Column::new("金额(元)", 1.2, Align::Right),
                Column::new("理由", 2.0, Align::Left),
            ],
            rows,
            size: body * 0.8,
        });
    }

    doc.ensure_space(3.0 * super::layout::line_height_mm(body));
    doc.space(super::layout::line_height_mm(body));
    doc.left_right(text, ASSESSMENT_SIGNATURE_LINE, "日期：____________");
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::assessment::Tally;
    use rust_decimal::Decimal;

    #[test]
    fn an_empty_month_still_prints() {
        let v = AssessmentSummaryView {
            station_name: "王庄供电所".into(),
            month_label: "2026年11月".into(),
            printed_at: NaiveDateTime::default(),
            printed_by: "李建国".into(),
            people: Vec::new(),
            total: PersonSummary::default(),
            details: Vec::new(),
        };
        let pdf = render_assessment_summary(&v, FontSet::embedded().unwrap()).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }

    #[test]
    fn rows_show_counts_and_amounts() {
        let p = PersonSummary {
            staff_id: 1,
            staff_name: "张伟".into(),
            confirmed: Tally {
                count: 2,
                amount: Decimal::new(15000, 2),
            },
            ..Default::default()
        };
        assert_eq!(
            person_row(&p),
            vec!["张伟", "0", "0.00", "2", "150.00", "0", "0"]
        );
    }
}

//! What `stationdesk report KIND --month … --day … --out … --format …` asks for, checked
//! before the database is opened, every refusal in Chinese (the command line's words are
//! typed by people setting up a scheduled run, and its exit code is all a scheduler sees).
use std::path::Path;

use chrono::NaiveDate;

use super::{ReportKind, ReportScope};
use crate::domain::billing::Period;
use crate::domain::validate::shown;
use crate::export::Format;

/// A checked request: which report, and as what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportRequest {
    pub scope: ReportScope,
    pub format: Format,
}

fn month(text: &str) -> Result<Period, String> {
    Period::parse(text)
        .map_err(|_| format!("月份“{}”不对：应写成 YYYY-MM，例如 2026-11", shown(text)))
}

fn day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("日期“{}”不对：应写成 YYYY-MM-DD，例如 2026-11-05", shown(text)))
}

impl ReportRequest {
    /// Check the words of the command line.
    pub fn parse(
        kind: &str,
        month_arg: Option<&str>,
        day_arg: Option<&str>,
        out: Option<&Path>,
        format: Option<&str>,
    ) -> Result<ReportRequest, String> {
        let kind = ReportKind::parse(kind).ok_or_else(|| {
            format!(
                "未知的报表种类“{}”：可用 daily（营业日报）或 monthly（营业月报）",
                shown(kind)
            )
        })?;
        let scope = match kind {
            ReportKind::Monthly => {
                if day_arg.is_some() {
                    return Err("月报按整月出，不用 --day（只给 --month）".into());
                }
                let m = month_arg
                    .ok_or("月报须用 --month 指定月份，例如 --month 2026-11")?;
                ReportScope::Month(month(m)?)
            }
            ReportKind::Daily => {
                let d = day(day_arg.ok_or("日报须用 --day 指定日期，例如 --day 2026-11-05")?)?;
                if let Some(m) = month_arg {
                    let m = month(m)?;
                    if Period::of(d) != m {
                        return Err(format!(
                            "日期 {} 不在 --month {m} 之内",
                            d.format("%Y-%m-%d")
                        ));
                    }
                }
                ReportScope::Day(d)
            }
        };
        let named = match format {
            Some(f) => Some(Format::parse(f).ok_or_else(|| {
                format!("格式“{}”不对：可用 pdf、xlsx 或 csv", shown(f))
            })?),
            None => None,
        };
        let by_name = match out {
            Some(p) => Some(Format::of_path(p).ok_or_else(|| {
                format!(
                    "无法从文件名“{}”看出格式：请以 .pdf、.xlsx 或 .csv 结尾，或用 --format 指定",
                    shown(&p.display().to_string())
                )
            })),
            None => None,
        };
        let format = match (named, by_name) {
            (Some(f), Some(Ok(g))) if f != g => {
                return Err(format!(
                    "--format {} 与文件名的扩展名 .{} 不一致",
                    f.ext(),
                    g.ext()
                ));
            }
            (Some(f), _) => f,
            (None, Some(g)) => g?,
            (None, None) => Format::Pdf,
        };
        Ok(ReportRequest { scope, format })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(
        kind: &str,
        m: Option<&str>,
        d: Option<&str>,
        out: Option<&str>,
        f: Option<&str>,
    ) -> Result<ReportRequest, String> {
        ReportRequest::parse(kind, m, d, out.map(Path::new), f)
    }

    #[test]
    fn good_requests() {
        let r = p("monthly", Some("2026-11"), None, Some("/tmp/月报.xlsx"), None).unwrap();
        assert_eq!(r.scope, ReportScope::Month(Period::parse("2026-11").unwrap()));
        assert_eq!(r.format, Format::Xlsx);
        let r = p("日报", None, Some("2026-11-05"), None, Some("csv")).unwrap();
        assert_eq!(r.format, Format::Csv);
        assert_eq!(r.scope.code(), "2026-11-05");
        let r = p("daily", Some("2026-11"), Some("2026-11-05"), None, None).unwrap();
        assert_eq!(r.format, Format::Pdf);
    }

    #[test]
    fn bad_requests_say_why_in_chinese() {
        let e = p("weekly", Some("2026-11"), None, None, None).unwrap_err();
        assert!(e.contains("未知的报表种类“weekly”"), "{e}");
        let e = p("monthly", Some("2026-13"), None, None, None).unwrap_err();
        assert!(e.contains("月份“2026-13”不对"), "{e}");
        let e = p("monthly", Some("November"), None, None, None).unwrap_err();
        assert!(e.contains("YYYY-MM"), "{e}");
        assert!(p("monthly", None, None, None, None).unwrap_err().contains("--month"));
        assert!(p("daily", None, None, None, None).unwrap_err().contains("--day"));
        let e = p("daily", None, Some("2026-02-30"), None, None).unwrap_err();
        assert!(e.contains("日期“2026-02-30”不对"), "{e}");
        let e = p("daily", Some("2026-10"), Some("2026-11-05"), None, None).unwrap_err();
        assert!(e.contains("不在"), "{e}");
        let e = p("monthly", Some("2026-11"), None, Some("月报.doc"), None).unwrap_err();
        assert!(e.contains("看出格式"), "{e}");
        let e = p("monthly", Some("2026-11"), None, None, Some("docx")).unwrap_err();
        assert!(e.contains("格式“docx”不对"), "{e}");
        let e = p("monthly", Some("2026-11"), None, Some("a.csv"), Some("xlsx")).unwrap_err();
        assert!(e.contains("不一致"), "{e}");
    }
}

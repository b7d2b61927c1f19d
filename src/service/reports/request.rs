//! What `stationdesk report KIND --month … --day … --out … --format …` asks for, checked
//! before the database is opened, every refusal in Chinese (the command line's words are
//! typed by people setting up a scheduled run, and its exit code is all a scheduler sees).
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{ReportKind, ReportScope};
use crate::domain::billing::Period;
use crate::domain::validate::shown;
use crate::export::Format;

/// A checked request: which report, and the files to write — each a format and the file
/// named on the command line (`None`: into the print folder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRequest {
    pub scope: ReportScope,
    pub targets: Vec<(Format, Option<PathBuf>)>,
}

fn month(text: &str) -> Result<Period, String> {
    Period::parse(text)
        .map_err(|_| format!("月份“{}”不对：应写成 YYYY-MM，例如 2026-11", shown(text)))
}

fn day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        format!(
            "日期“{}”不对：应写成 YYYY-MM-DD，例如 2026-11-05",
            shown(text)
        )
    })
}

fn scope(
    kind: &str,
    month_arg: Option<&str>,
    day_arg: Option<&str>,
) -> Result<ReportScope, String> {
    let kind = ReportKind::parse(kind).ok_or_else(|| {
        format!(
            "未知的报表种类“{}”：可用 daily（营业日报）或 monthly（营业月报）",
            shown(kind)
        )
    })?;
    Ok(match kind {
        ReportKind::Monthly => {
            if day_arg.is_some() {
                return Err("月报按整月出，不用 --day（只给 --month）".into());
            }
            let m = month_arg.ok_or("月报须用 --month 指定月份，例如 --month 2026-11")?;
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
    })
}

/// The format a file's name asks for.
fn format_of(p: &Path) -> Result<Format, String> {
    Format::of_path(p).ok_or_else(|| {
        format!(
            "无法从文件名“{}”看出格式：请以 .pdf、.xlsx 或 .csv 结尾，或用 --format 指定",
            shown(&p.display().to_string())
        )
    })
}

impl ReportRequest {
    /// Check the words of the command line. `--out` may be given several times (one file
    /// per format, the report gathered once); `--format` is `pdf`, `xlsx`, `csv`, or `all`
    /// (the three into the print folder).
    pub fn parse(
        kind: &str,
        month_arg: Option<&str>,
        day_arg: Option<&str>,
        outs: &[PathBuf],
        format: Option<&str>,
    ) -> Result<ReportRequest, String> {
        let scope = scope(kind, month_arg, day_arg)?;
        let all = format.is_some_and(|f| f.trim().eq_ignore_ascii_case("all"));
        let named = match format {
            Some(_) if all => None,
            Some(f) => Some(Format::parse(f).ok_or_else(|| {
                format!(
                    "格式“{}”不对：可用 pdf、xlsx、csv 或 all（三种都要）",
                    shown(f)
                )
            })?),
            None => None,
        };
        let targets = match outs {
            [] if all => Format::ALL.iter().map(|f| (*f, None)).collect(),
            [] => vec![(named.unwrap_or(Format::Pdf), None)],
            _ if all => {
                return Err("--format all 把三种文件写入打印文件夹，不能再给 --out；要写到指定文件，就给每种格式各一个 --out".into());
            }
            [one] => {
                let f = match (named, Format::of_path(one)) {
                    (Some(f), Some(g)) if f != g => {
                        return Err(format!(
                            "--format {} 与文件名的扩展名 .{} 不一致",
                            f.ext(),
                            g.ext()
                        ));
                    }
                    (Some(f), _) => f,
                    (None, _) => format_of(one)?,
                };
                vec![(f, Some(one.clone()))]
            }
            many => {
                if named.is_some() {
                    return Err("给了几个 --out 时，各文件的格式按扩展名定，不用 --format".into());
                }
                let mut targets: Vec<(Format, Option<PathBuf>)> = Vec::new();
                for p in many {
                    if targets
                        .iter()
                        .any(|(_, q)| q.as_deref() == Some(p.as_path()))
                    {
                        return Err(format!(
                            "--out “{}” 给了两次",
                            shown(&p.display().to_string())
                        ));
                    }
                    targets.push((format_of(p)?, Some(p.clone())));
                }
                targets
            }
        };
        Ok(ReportRequest { scope, targets })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(
        kind: &str,
        m: Option<&str>,
        d: Option<&str>,
        out: &[&str],
        f: Option<&str>,
    ) -> Result<ReportRequest, String> {
        let outs: Vec<PathBuf> = out.iter().map(PathBuf::from).collect();
        ReportRequest::parse(kind, m, d, &outs, f)
    }

    fn formats(r: &ReportRequest) -> Vec<Format> {
        r.targets.iter().map(|t| t.0).collect()
    }

    #[test]
    fn good_requests() {
        let r = p("monthly", Some("2026-11"), None, &["/tmp/月报.xlsx"], None).unwrap();
        assert_eq!(
            r.scope,
            ReportScope::Month(Period::parse("2026-11").unwrap())
        );
        assert_eq!(formats(&r), [Format::Xlsx]);
        let r = p("日报", None, Some("2026-11-05"), &[], Some("csv")).unwrap();
        assert_eq!(r.targets, [(Format::Csv, None)]);
        assert_eq!(r.scope.code(), "2026-11-05");
        let r = p("daily", Some("2026-11"), Some("2026-11-05"), &[], None).unwrap();
        assert_eq!(formats(&r), [Format::Pdf]);
        let r = p("monthly", Some("2026-11"), None, &[], Some("all")).unwrap();
        assert_eq!(formats(&r), Format::ALL);
        let r = p(
            "monthly",
            Some("2026-11"),
            None,
            &["a.pdf", "a.xlsx", "a.csv"],
            None,
        )
        .unwrap();
        assert_eq!(formats(&r), Format::ALL);
        assert_eq!(r.targets[1].1.as_deref(), Some(Path::new("a.xlsx")));
    }

    #[test]
    fn bad_requests_say_why_in_chinese() {
        let e = p("weekly", Some("2026-11"), None, &[], None).unwrap_err();
        assert!(e.contains("未知的报表种类“weekly”"), "{e}");
        let e = p("monthly", Some("2026-13"), None, &[], None).unwrap_err();
        assert!(e.contains("月份“2026-13”不对"), "{e}");
        let e = p("monthly", Some("November"), None, &[], None).unwrap_err();
        assert!(e.contains("YYYY-MM"), "{e}");
        assert!(
            p("monthly", None, None, &[], None)
                .unwrap_err()
                .contains("--month")
        );
        assert!(
            p("daily", None, None, &[], None)
                .unwrap_err()
                .contains("--day")
        );
        let e = p("daily", None, Some("2026-02-30"), &[], None).unwrap_err();
        assert!(e.contains("日期“2026-02-30”不对"), "{e}");
        let e = p("daily", Some("2026-10"), Some("2026-11-05"), &[], None).unwrap_err();
        assert!(e.contains("不在"), "{e}");
        let e = p("monthly", Some("2026-11"), None, &["月报.doc"], None).unwrap_err();
        assert!(e.contains("看出格式"), "{e}");
        let e = p("monthly", Some("2026-11"), None, &[], Some("docx")).unwrap_err();
        assert!(e.contains("格式“docx”不对"), "{e}");
        let e = p("monthly", Some("2026-11"), None, &["a.csv"], Some("xlsx")).unwrap_err();
        assert!(e.contains("不一致"), "{e}");
        let e = p("monthly", Some("2026-11"), None, &["a.csv"], Some("all")).unwrap_err();
        assert!(e.contains("--format all"), "{e}");
        let e = p(
            "monthly",
            Some("2026-11"),
            None,
            &["a.csv", "a.pdf"],
            Some("pdf"),
        )
        .unwrap_err();
        assert!(e.contains("不用 --format"), "{e}");
        let e = p("monthly", Some("2026-11"), None, &["a.csv", "a.csv"], None).unwrap_err();
        assert!(e.contains("两次"), "{e}");
    }
}

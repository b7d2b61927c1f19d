//! `stationdesk verify` and `V` on the audit screen: the database file, its schema, the
//! audit chain and its key, and the books themselves against their seals. See
//! `docs/reliability.md` for what each check proves.
use super::{Service, ServiceResult};
use crate::store::audit;
use crate::store::mac;
use crate::store::verify::{self as checks, Outcome, check};

/// What to check besides the database itself.
#[derive(Clone, Debug, Default)]
pub struct VerifyOptions {
    /// `SEQ:HASH` values read off receipts or day-end reports
    pub anchors: Vec<(i64, String)>,
    /// the key sheet: (start seq, key)
    pub key: Option<(i64, mac::Key)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub checks: Vec<Outcome>,
    /// entries in the trail and its head
    pub entries: i64,
    pub head: Option<(i64, String)>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.checks.iter().all(Outcome::ok)
    }

    /// Every finding listed, each after its check's name.
    pub fn findings(&self) -> Vec<String> {
        self.checks
            .iter()
            .flat_map(|c| c.findings.iter().map(move |f| format!("{}：{f}", c.label)))
            .collect()
    }

    /// Number of findings over all checks.
    pub fn faults(&self) -> usize {
        self.checks.iter().map(|c| c.total).sum()
    }

    /// A verdict for a file that could not even be opened.
    pub fn unreadable(why: String) -> VerifyReport {
        let mut o = Outcome {
            label: "打开数据库".into(),
            ..Outcome::default()
        };
        o.fault(why);
        VerifyReport {
            checks: vec![o],
            entries: 0,
            head: None,
        }
    }

    /// Chinese text of the verdict, several lines.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for c in &self.checks {
            if c.ok() {
                out.push_str(&format!("{}：通过\n", c.label));
            } else {
                out.push_str(&format!("{}：发现 {} 处问题\n", c.label, c.total));
                for f in &c.findings {
                    out.push_str(&format!("  - {f}\n"));
                }
                if c.total > c.findings.len() {
                    out.push_str(&format!(
                        "  ……另有 {} 处未列出\n",
                        c.total - c.findings.len()
                    ));
                }
            }
            for n in &c.notes {
                out.push_str(&format!("  · {n}\n"));
            }
        }
        match &self.head {
            Some((seq, hash)) => out.push_str(&format!(
                "审计日志：共 {} 条，最新第 {seq} 条，链头哈希 {hash}\n",
                self.entries
            )),
            None => out.push_str("审计日志：尚无记录\n"),
        }
        out.push_str(if self.ok() {
            "结论：正常\n"
        } else {
            "结论：异常！请保留现场（不要再在这台电脑上办理业务），联系所长和稽查人员\n"
        });
        out
    }
}

impl Service {
    /// A page of the audit trail, newest first, and the total number of entries.
    /// The audit trail narrowed to a person, a date range and actions, newest first.
    pub fn audit_search(
        &self,
        filter: &audit::Filter,
        limit: usize,
        skip: usize,
    ) -> ServiceResult<(i64, Vec<audit::Entry>)> {
        Ok(audit::search(self.store().conn(), filter, limit, skip)?)
    }

    pub fn audit_page(&self, limit: usize, skip: usize) -> ServiceResult<(i64, Vec<audit::Entry>)> {
        let conn = self.store().conn();
        Ok((audit::count(conn)?, audit::recent(conn, limit, skip)?))
    }

    pub fn verify(&self) -> ServiceResult<VerifyReport> {
        self.verify_with(&VerifyOptions::default())
    }

    /// Every check; a check that cannot read the database says so as its finding and the
    /// others still run, so a damaged file always gets a verdict.
    pub fn verify_with(&self, opts: &VerifyOptions) -> ServiceResult<VerifyReport> {
        let conn = self.store().conn();
        let mut report = VerifyReport::default();
        report.checks.push(check("数据库文件完整性", |o| {
            checks::integrity(conn, false, o)
        }));
        report.checks.push(check("数据库结构与保护规则", |o| {
            checks::schema(conn, o)
        }));
        let mut head = None;
        report.checks.push(check("审计链与密钥签名", |o| {
            head = checks::chain(conn, o)?;
            Ok(())
        }));
        report.head = head;
        report.entries = audit::count(conn).unwrap_or(0);
        report
            .checks
            .push(check("审计封存记录", |o| checks::seals(conn, o)));
        report.checks.push(check("业务数据与审计记录一致", |o| {
            checks::tables(conn, o)
        }));
        report.checks.push(check("编号连续与金额合计", |o| {
            checks::sequences(conn, o)
        }));
        report.checks.push(check("日结报告所印链头", |o| {
            checks::day_end_heads(conn, o)
        }));
        report.checks.push(check("交接记录编号连续", |o| {
            checks::handover(conn, o)
        }));
        for (seq, hash) in &opts.anchors {
            report
                .checks
                .push(check(&format!("凭据 {seq}:{hash}"), |o| {
                    checks::anchor(conn, *seq, hash, o)
                }));
        }
        if let Some((start, key)) = opts.key {
            report.checks.push(check("密钥单核对", |o| {
                checks::key_sheet(conn, start, key, o)
            }));
        }
        Ok(report)
    }
}

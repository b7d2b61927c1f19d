//! `stationdesk verify`: database integrity and the audit chain.
use super::{Service, ServiceResult};
use crate::store::audit::{self, ChainReport};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// problems listed by `PRAGMA integrity_check` (empty when ok)
    pub integrity: Vec<String>,
    pub chain: ChainReport,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.integrity.is_empty() && self.chain.problems.is_empty()
    }

    /// Chinese text of the verdict, several lines.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        if self.integrity.is_empty() {
            out.push_str("数据库完整性检查：通过\n");
        } else {
            out.push_str("数据库完整性检查：发现问题\n");
            for p in &self.integrity {
                out.push_str(&format!("  - {p}\n"));
            }
        }
        match &self.chain.head {
            Some((seq, hash)) => out.push_str(&format!(
                "审计日志：共 {} 条，最新第 {seq} 条，链头哈希 {hash}\n",
                self.chain.entries
            )),
            None => out.push_str("审计日志：尚无记录\n"),
        }
        if self.chain.problems.is_empty() {
            out.push_str("审计链校验：通过，未发现改动、删除或插入\n");
        } else {
            out.push_str("审计链校验：发现问题\n");
            for p in &self.chain.problems {
                out.push_str(&format!("  - {p}\n"));
            }
        }
        out.push_str(if self.ok() {
            "结论：正常\n"
        } else {
            "结论：异常！请保留现场，联系所长和稽查人员\n"
        });
        out
    }
}

impl Service {
    /// A page of the audit trail, newest first, and the total number of entries.
    pub fn audit_page(&self, limit: usize, skip: usize) -> ServiceResult<(i64, Vec<audit::Entry>)> {
        let conn = self.store().conn();
        Ok((audit::count(conn)?, audit::recent(conn, limit, skip)?))
    }

    pub fn verify(&self) -> ServiceResult<VerifyReport> {
        let integrity = self.store().integrity_check()?;
        let chain = audit::verify_chain(self.store().conn())?;
        Ok(VerifyReport { integrity, chain })
    }
}

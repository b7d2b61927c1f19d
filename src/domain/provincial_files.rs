//! The provincial marketing system's customer and meter exports
//! (`stationdesk import customers|meters FILE`; the column mapping is in
//! `docs/handover.md`). Pure: the file's text in, checked lines or every bad line out. The
//! checks of the counter are reused — a customer line is a [`CustomerDraft`] checked as if
//! typed, a meter line a [`ReceiveInput`] described as if received from the supplier — so
//! an imported file is held to the same rules as one opened at the counter.
//!
//! Format of both: UTF-8 text (a byte-order mark is allowed), comma-separated, a header row
//! naming the columns in this order, one record a line; fields may be in double quotes
//! (`""` inside quotes is one quote); blank lines are skipped; empty columns at the end (as
//! spreadsheets write them) are ignored.
use super::billing::import::{LineError, split_csv_line};
use super::customer::{CustomerKind, UsageCategory};
use super::customer_file::{CheckedCustomer, CustomerDraft};
use super::meter::{self, MeterStatus};
use super::meter_intake::{self, ReceiveInput};

/// The columns of a customer file, in order.
pub const CUSTOMER_COLUMNS: [&str; 11] = [
    "户号",
    "旧户号",
    "户名",
    "客户类型",
    "证件号码",
    "联系电话",
    "用电地址",
    "台区编码",
    "用电类别",
    "供电电压",
    "合同容量",
];

/// The columns of a meter file, in order: the supplier's file's eleven, then the
/// verification's end, the status and the account it is installed on.
pub const METER_COLUMNS: [&str; 14] = [
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
    "有效期",
    "状态",
    "户号",
];

/// Lines of a file: `(line number, cells)` after the header, or every problem of the file
/// as a whole (not UTF-8, no header, a wrong header).
fn rows(bytes: &[u8], header: &[&str]) -> Result<Vec<(usize, Vec<String>)>, Vec<LineError>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            return Err(vec![LineError::at(line, super::validate::NOT_UTF8)]);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut header_seen = false;
    for (i, raw) in text.split('\n').enumerate() {
        let n = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() {
            continue;
        }
        let mut cells = match split_csv_line(raw) {
            Ok(c) => c,
            Err(m) => {
                if !header_seen {
                    return Err(vec![LineError::at(n, m)]);
                }
                errors.push(LineError::at(n, m));
                continue;
            }
        };
        while cells.len() > header.len() && cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        if !header_seen {
            header_seen = true;
            let ok = cells.len() == header.len()
                && cells
                    .iter()
                    .zip(header)
                    .all(|(c, h)| c.trim().starts_with(h));
            if !ok {
                return Err(vec![LineError::at(
                    n,
                    format!("第一行应为表头：{}", header.join(",")),
                )]);
            }
            continue;
        }
        if cells.len() != header.len() {
            errors.push(LineError::at(
                n,
                format!("应有 {} 列，这一行有 {} 列", header.len(), cells.len()),
            ));
            continue;
        }
        out.push((n, cells));
    }
    if !header_seen {
        return Err(vec![LineError::at(0, "文件是空的：须有表头行")]);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if out.is_empty() {
        return Err(vec![LineError::at(0, "文件中只有表头，没有数据")]);
    }
    Ok(out)
}

/// One customer of the file, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerLine {
    pub line: usize,
    pub account_no: String,
    pub old_account_no: Option<String>,
    pub checked: CheckedCustomer,
}

fn account(text: &str, what: &str, empty_ok: bool) -> Result<Option<String>, String> {
    let t: String = super::validate::fold_digits(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return if empty_ok {
            Ok(None)
        } else {
            Err(format!("{what}不能为空"))
        };
    }
    if !t.chars().all(|c| c.is_ascii_digit()) || !(t.len() == 10 || t.len() == 13) {
        return Err(format!("{what}应为 10 位或 13 位数字"));
    }
    Ok(Some(t))
}

fn field_name(field: &str) -> &'static str {
    match field {
        "name" => "户名",
        "kind" => "客户类型",
        "id_number" => "证件号码",
        "phone" => "联系电话",
        "address" => "用电地址",
        "usage" => "用电类别",
        "area" | "area_code" => "台区编码",
        "supply_voltage" => "供电电压",
        "contracted_kva" => "合同容量",
        _ => "",
    }
}

fn by_code_or_label<T: super::coded::Coded>(text: &str) -> Option<T> {
    let t = text.trim();
    T::all()
        .iter()
        .copied()
        .find(|v| v.code() == t || v.label() == t)
}

/// Check a customer file: every customer, or every bad line (nothing is imported from a
/// file with any). A file may hold customers with items missing (一证受理): they are
/// imported and marked incomplete, as at the counter.
pub fn parse_customer_file(bytes: &[u8]) -> Result<Vec<CustomerLine>, Vec<LineError>> {
    let rows = rows(bytes, &CUSTOMER_COLUMNS)?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (n, c) in rows {
        let mut problems = Vec::new();
        let acct = account(&c[0], "户号", false)
            .map_err(|m| problems.push(m))
            .ok()
            .flatten();
        let old = account(&c[1], "旧户号", true)
            .map_err(|m| problems.push(m))
            .ok()
            .flatten();
        let kind = if c[3].trim().is_empty() {
            None
        } else {
            let k = by_code_or_label::<CustomerKind>(&c[3]);
            if k.is_none() {
                problems.push("客户类型应为 个人 或 单位".to_string());
            }
            k
        };
        let usage = if c[8].trim().is_empty() {
            None
        } else {
            let u = by_code_or_label::<UsageCategory>(&c[8]);
            if u.is_none() {
                problems.push(format!(
                    "用电类别应为 {}",
                    UsageCategory::ALL.map(|u| u.label()).join("、")
                ));
            }
            u
        };
        let draft = CustomerDraft {
            name: c[2].clone(),
            kind,
            id_number: c[4].clone(),
            phone: c[5].clone(),
            address: c[6].clone(),
            usage,
            area_code: c[7].clone(),
            supply_voltage: c[9].clone(),
            contracted_kva: c[10].clone(),
            notes: String::new(),
        };
        let checked = if problems.is_empty() {
            match draft.check() {
                Ok(ch) => Some(ch),
                Err(e) => {
                    let name = field_name(e.field);
                    problems.push(if name.is_empty() {
                        e.message.clone()
                    } else {
                        format!("{name}：{}", e.message)
                    });
                    None
                }
            }
        } else {
            None
        };
        if let Some(a) = &acct
            && let Some(first) = seen.insert(a.clone(), n)
        {
            problems.push(format!("户号 {a} 与第 {first} 行重复"));
        }
        match (acct, checked) {
            (Some(account_no), Some(checked)) if problems.is_empty() => out.push(CustomerLine {
                line: n,
                account_no,
                old_account_no: old,
                checked,
            }),
            _ => errors.push(LineError::at(n, problems.join("；"))),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// One meter of the file, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeterLine {
    pub line: usize,
    pub asset_no: String,
    /// the description as the supplier's file would give it
    pub input: ReceiveInput,
    /// 库存 or 在运
    pub status: MeterStatus,
    /// the account it is installed on (在运)
    pub account_no: Option<String>,
}

/// Check a meter file: every meter, or every bad line (nothing is imported from a file
/// with any). Only meters in stock (库存) or in service on an account (在运) are taken: the
/// others are the provincial system's history, not the station's assets.
pub fn parse_meter_file(bytes: &[u8]) -> Result<Vec<MeterLine>, Vec<LineError>> {
    let rows = rows(bytes, &METER_COLUMNS)?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (n, c) in rows {
        let mut problems = Vec::new();
        let input = ReceiveInput {
            first: c[0].clone(),
            last: String::new(),
            kind: c[1].clone(),
            accuracy: c[2].clone(),
            maker: c[3].clone(),
            batch: c[4].clone(),
            digits: c[5].clone(),
            ct_ratio: c[6].clone(),
            pt_ratio: c[7].clone(),
            multiplier: c[8].clone(),
            produced_on: c[9].clone(),
            verified_on: c[10].clone(),
            valid_until: c[11].clone(),
        };
        let asset = meter::asset_no(&input.first)
            .map_err(|m| problems.push(format!("资产编号：{m}")))
            .ok();
        if let Err((key, m)) = meter_intake::describe(&input).map(|_| ()) {
            problems.push(format!("{}：{m}", meter_intake::field_name(key)));
        }
        let status = match by_code_or_label::<MeterStatus>(&c[12]) {
            Some(s @ (MeterStatus::Stock | MeterStatus::InService)) => Some(s),
            _ => {
                problems.push("状态应为 库存 或 在运（其他状态的表计不导入）".into());
                None
            }
        };
        let acct = match account(&c[13], "户号", true) {
            Ok(a) => a,
            Err(m) => {
                problems.push(m);
                None
            }
        };
        match (status, &acct) {
            (Some(MeterStatus::InService), None) if c[13].trim().is_empty() => {
                problems.push("在运的表计须写明所装的户号".into())
            }
            (Some(MeterStatus::Stock), Some(_)) => problems.push("库存的表计不应有户号".into()),
            _ => {}
        }
        if let Some(a) = &asset
            && let Some(first) = seen.insert(a.clone(), n)
        {
            problems.push(format!("资产编号 {a} 与第 {first} 行重复"));
        }
        match (asset, status) {
            (Some(asset_no), Some(status)) if problems.is_empty() => out.push(MeterLine {
                line: n,
                asset_no,
                input,
                status,
                account_no: acct,
            }),
            _ => errors.push(LineError::at(n, problems.join("；"))),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customers(body: &str) -> Result<Vec<CustomerLine>, Vec<LineError>> {
        parse_customer_file(format!("{}\n{body}", CUSTOMER_COLUMNS.join(",")).as_bytes())
    }

    #[test]
    fn a_customer_file_is_checked_as_at_the_counter() {
        let v = customers(
            "0370000000001,1234567890,张三,个人,11010519491231002x,13800001234,\"柳林镇王庄村3组8号\",TQ001,居民生活,,6\n\
             0370000000002,,柳林镇卫生院,单位,,,,TQ001,一般工商业,0.4kV,\n",
        )
        .unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].checked.id_number, "11010519491231002X");
        assert_eq!(v[0].old_account_no.as_deref(), Some("1234567890"));
        assert!(v[0].checked.missing.is_empty());
        assert_eq!(v[1].checked.kind, CustomerKind::Organisation);
        assert!(!v[1].checked.missing.is_empty(), "incomplete but taken");
    }

    #[test]
    fn every_bad_customer_line_is_named() {
        let e = customers(
            "0370000000001,,张三,个人,110105194912310021,13800001234,地址,TQ001,居民生活,,6\n\
             037000000000,,李四,个人,,,,TQ001,居民生活,,\n\
             0370000000003,,王五,学生,,,,TQ001,居民生活,,\n\
             0370000000004,,赵六,个人,,,,TQ001,居民生活\n\
             0370000000005,,钱七,个人,,,,TQ001,居民生活,,6\n\
             0370000000005,,钱七,个人,,,,TQ001,居民生活,,6\n",
        )
        .unwrap_err();
        let lines: Vec<usize> = e.iter().map(|l| l.line).collect();
        assert_eq!(
            lines,
            vec![5],
            "a wrong column count is reported first: {e:?}"
        );
        let e = customers(
            "0370000000001,,张三,个人,110105194912310021,13800001234,地址,TQ001,居民生活,,6\n\
             037000000000,,李四,个人,,,,TQ001,居民生活,,\n\
             0370000000003,,王五,学生,,,,TQ001,居民生活,,\n\
             0370000000005,,钱七,个人,,,,TQ001,居民生活,,6\n\
             0370000000005,,钱七,个人,,,,TQ001,居民生活,,6\n",
        )
        .unwrap_err();
        let lines: Vec<usize> = e.iter().map(|l| l.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 6], "{e:?}");
        assert!(e[0].message.starts_with("证件号码："), "{}", e[0].message);
        assert!(e[1].message.contains("户号应为 10 位或 13 位数字"));
        assert!(e[2].message.contains("客户类型应为"));
        assert!(e[3].message.contains("与第 5 行重复"));
        assert!(parse_customer_file(b"\xff\xfe").is_err());
        assert!(
            parse_customer_file("户号,户名\n".as_bytes()).unwrap_err()[0]
                .message
                .contains("表头")
        );
    }

    #[test]
    fn a_meter_file_takes_stock_and_meters_in_service() {
        let head = METER_COLUMNS.join(",");
        let ok = format!(
            "{head}\n3710000001,单相表,2,华立,B1,6,,,,2020-01-10,2020-02-01,,在运,0370000000001\n\
             3710000002,单相表,2,华立,B1,6,,,,2020-01-10,2020-02-01,2030-02-01,库存,\n"
        );
        let v = parse_meter_file(ok.as_bytes()).unwrap();
        assert_eq!(v[0].status, MeterStatus::InService);
        assert_eq!(v[0].account_no.as_deref(), Some("0370000000001"));
        assert_eq!(v[1].status, MeterStatus::Stock);
        let bad = format!(
            "{head}\n3710000001,单相表,2,华立,B1,6,,,,2020-01-10,2020-02-01,,在运,\n\
             3710000002,单相表,2,华立,B1,6,,,,2020-01-10,2020-02-01,,报废,\n\
             3710000003,单相表,2,华立,B1,6,,,,2020-01-10,2020-02-01,,库存,0370000000001\n\
             3710000004,单相表,3,华立,B1,6,,,,2020-01-10,2020-02-01,,库存,\n"
        );
        let e = parse_meter_file(bad.as_bytes()).unwrap_err();
        let lines: Vec<usize> = e.iter().map(|l| l.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5], "{e:?}");
        assert!(e[0].message.contains("户号"));
        assert!(e[1].message.contains("库存 或 在运"));
        assert!(e[3].message.starts_with("准确度等级："), "{}", e[3].message);
    }
}

//! Chinese names of audited actions, for the audit screen and for messages that name what
//! was done.

/// Every audited action with its Chinese name.
pub const ACTIONS: &[(&str, &str)] = &[
    ("auth.sign_in", "登录"),
    ("auth.lockout", "账号锁定"),
    ("auth.failed", "密码错误"),
    ("auth.sign_out", "注销"),
    ("settings.update", "修改设置"),
    ("staff.create", "新建账号"),
    ("staff.reset_password", "重置密码"),
    ("staff.change_password", "修改密码"),
    ("staff.activate", "启用账号"),
    ("staff.deactivate", "停用账号"),
    ("station.create", "建立供电所"),
    ("station.mark_demo", "标记为演示"),
    ("station.update", "修改供电所资料"),
    ("area.create", "新建台区"),
    ("customer.import_demo", "载入演示客户"),
    ("customer.create", "新建档案"),
    ("customer.update", "修改档案"),
    ("customer.correct", "资料更正"),
    ("customer.reveal", "查看完整证件电话"),
    ("customer.tariff", "设定执行电价类别"),
    ("customer.status", "客户状态"),
    ("calendar.set_day", "节假日"),
    ("calendar.set_year", "节假日年份"),
    ("assessment.check", "考核检查"),
    ("assessment.confirm", "确认考核"),
    ("assessment.waive", "免考核"),
    ("assessment.reopen", "撤回考核决定"),
    ("assessment.for_county", "考核交上级审核"),
    ("assessment.rule_update", "修改考核规则"),
    ("assessment.print", "打印考核汇总"),
    ("assessment.export", "导出考核汇总"),
    ("area.update", "修改台区"),
    ("calendar.clear_day", "取消节假日"),
    ("bill.import", "导入账单"),
    ("bill.import_demo", "载入演示账单"),
    ("bill.waive_late_fee", "免收违约金"),
    ("billing.outage", "登记停电期间"),
    ("payment.take", "收费"),
    ("payment.reverse", "红冲"),
    ("payment.void", "作废收据"),
    ("payment.import_demo", "载入演示收费"),
    ("prepaid.offset", "预收冲抵"),
    ("receipt.print", "打印收据"),
    ("receipt.reprint", "补打收据"),
    ("dayend.close", "日结"),
    ("dayend.print", "打印日结报告"),
    ("order.accept", "受理工单"),
    ("order.cancel", "撤销工单"),
    ("order.contact", "联系客户"),
    ("order.dispatch", "派工"),
    ("order.document", "工单资料"),
    ("order.fast_channel", "快速通道"),
    ("order.fee_add", "登记业务费"),
    ("order.fee_collect", "收取业务费"),
    ("order.fee_uncollect", "撤销业务费收取"),
    ("order.pause", "工单暂停"),
    ("order.resume", "工单恢复"),
    ("order.stage", "工单环节"),
    ("order.print_slip", "打印受理回执"),
    ("demo.built", "演示数据建成"),
    ("print.failed", "打印失败"),
    ("auth.approval_failed", "柜台审批密码错误"),
    ("clock.behind", "电脑时钟慢于上一张收据"),
    ("schema.seal", "封存数据表"),
    ("audit.unattributed", "补记改动"),
    ("audit.key_sheet", "打印密钥单"),
    ("meter.receive", "表计入库"),
    ("meter.status", "表计状态"),
    ("meter.extend", "延长检定有效期"),
    ("meter.swap", "换表"),
    ("meter.print_swap", "打印换表工作单"),
    ("meter.import_demo", "载入演示表计"),
    ("meter.check", "现场检验"),
    ("rotation.propose", "制订轮换计划"),
    ("rotation.move", "调整轮换月份"),
    ("rotation.approve", "批准轮换计划"),
    ("rotation.report", "上报轮换表计"),
    ("rotation.print", "打印轮换工作单"),
    ("rotation.export", "导出轮换清单"),
    ("area.set_type", "设置台区区域类型"),
    ("case.create", "登记投诉报修"),
    ("case.dispatch", "投诉报修派工"),
    ("case.step", "投诉报修处理环节"),
    ("case.visit", "回访"),
    ("case.print_duty_log", "打印值班记录"),
    ("case.print_report", "打印投诉报修月报"),
    ("case.export_report", "导出投诉报修月报"),
    ("reading.record", "录入示数"),
    ("reading.import", "导入示数文件"),
    ("reading.import_demo", "载入演示示数"),
    ("reading.note", "抄表日志"),
    ("reading.message", "消息传递"),
    ("reading.feedback", "消息反馈"),
    ("reading.spot_check", "抄表质量抽查"),
    ("reading_book.set", "设置抄表册"),
    ("bill.compute", "核算电费"),
    ("bill.review", "复核账单"),
    ("bill.release", "发行账单"),
    ("lineloss.explain", "线损说明"),
    ("collection.mark", "认定欠费性质"),
    ("collection.print_reminder", "打印催费通知单"),
    ("collection.print_disconnect_notice", "打印停电通知书"),
    ("collection.disconnect", "欠费停电"),
    ("collection.reconnect", "复电工单"),
    ("finding.create", "登记整改事项"),
    ("finding.fix", "填报整改情况"),
    ("finding.accept", "整改验收销号"),
    ("finding.return", "整改退回"),
    ("audit.report_print", "打印稽查月度报告"),
    ("backup.made", "备份"),
    ("backup.failed", "备份失败"),
    ("backup.restore", "从备份恢复"),
    ("handover.bundle", "生成交接包"),
    ("handover.export", "导出交接包"),
    ("handover.confirm", "确认交接包"),
    ("outbox.snapshot", "批量记入交接记录"),
    ("customer.import", "导入客户档案"),
    ("meter.import", "导入表计资产"),
    ("report.export", "生成营业报表"),
];

/// Chinese name of an audited action.
pub fn action_label(code: &str) -> &str {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, l)| *l)
}

/// The actions whose Chinese name contains `words` (`收费` → 收费, 撤销业务费收取 …), for
/// the audit screen's filter; a code typed as it is also matches.
pub fn actions_matching(words: &str) -> Vec<&'static str> {
    let w = words.trim();
    ACTIONS
        .iter()
        .filter(|(c, l)| l.contains(w) || *c == w)
        .map(|(c, _)| *c)
        .collect()
}

/// Chinese name of an audited entity.
pub fn entity_label(code: &str) -> &str {
    match code {
        "staff" => "账号",
        "setting" => "设置",
        "station" => "供电所",
        "transformer_area" => "台区",
        "customer" => "客户",
        "calendar_day" => "日历",
        "calendar_year" => "日历年份",
        "assessment_entry" => "考核记录",
        "assessment_rule" => "考核规则",
        "assessment_month" => "考核月份",
        "work_order" => "工单",
        "receipt" => "收据",
        "bill" => "账单",
        "bill_file" => "账单文件",
        "day_end" => "日结",
        "outage_period" => "停电期间",
        "clock" => "电脑时钟",
        "database" => "数据库",
        "meter" => "表计",
        "meter_extension" => "检定有效期延长",
        "meter_swap" => "换表工作单",
        "rotation_plan" => "轮换计划",
        "service_case" => "投诉报修",
        "duty_log" => "值班记录",
        "case_report" => "投诉报修月报",
        "reading_book" => "抄表册",
        "bill_draft" => "核算账单",
        "line_loss" => "线损",
        "reading_file" => "示数文件",
        "reading_note" => "抄表日志",
        "reading_message" => "消息传递",
        "finding" => "整改事项",
        "audit_month" => "稽查月份",
        "backup" => "备份",
        "handover_bundle" => "交接包",
        "outbox" => "交接记录",
        "customer_file" => "客户档案文件",
        "meter_file" => "表计资产文件",
        "station_report" => "营业报表",
        other => other,
    }
}

/// Chinese name of a changed field.
pub fn field_label(code: &str) -> &str {
    match code {
        "value" => "值",
        "deliberate" => "欠费性质",
        "note" => "说明",
        "period_end" => "通知期至",
        "disconnected_on" => "停电日期",
        "reader" => "抄表员",
        "days_overdue" => "逾期天数",
        "notice" => "停电通知书",
        "within_hours" => "复电时限小时",
        "received_at" => "受理时间",
        "upstream_no" => "上级工单号",
        "account_no" => "户号",
        "caller" => "来电人",
        "area_type" => "区域类型",
        "visit" => "回访",
        "step" => "环节",
        "at" => "时间",
        "outage_customers" => "停电户数",
        "outage_from" => "停电开始",
        "round" => "处理轮次",
        "next_try" => "下次回访不早于",
        "period" => "账期",
        "reading_day" => "抄表日",
        "flag" => "复核原因",
        "decision" => "复核意见",
        "kwh" => "电量kWh",
        "bills" => "账单数",
        "held" => "待复核",
        "released" => "已发行",
        "computed" => "核算",
        "missed" => "漏抄",
        "unread" => "未抄",
        "loss_rate" => "线损率",
        "handed_to" => "转交",
        "tariff_code" => "执行电价类别",
        "due" => "限期",
        "feedback" => "反馈",
        "label" => "项目",
        "active" => "在用",
        "display_name" => "姓名",
        "username" => "用户名",
        "role" => "岗位",
        "is_admin" => "管理员",
        "password" => "密码",
        "count" => "数量",
        "name" => "名称",
        "code" => "编码",
        "phone" => "电话",
        "capacity_kva" => "容量kVA",
        "locked_until" => "锁定至",
        "failed_attempts" => "连续输错",
        "during" => "场合",
        "is_demo" => "演示",
        "kind" => "类型",
        "id_number" => "证件号码",
        "address" => "地址",
        "first" => "起号",
        "last" => "止号",
        "doc_no" => "批准文件号",
        "scope" => "范围",
        "years" => "延长年数",
        "meters" => "表计",
        "customer" => "客户",
        "swapped_on" => "换表日期",
        "new_meter" => "新表",
        "new_initial" => "新表起码",
        "new_multiplier" => "新表倍率",
        "old_meter" => "旧表",
        "old_final" => "旧表止码",
        "old_kwh" => "旧表末段电量kWh",
        "rollover" => "走满归零",
        "swaps" => "换表次数",
        "plan" => "轮换计划",
        "checked_on" => "检验日期",
        "result" => "结论",
        "year" => "年份",
        "month" => "月份",
        "approved" => "已批准",
        "meter" => "表计",
        "extended" => "延长有效期的表计",
        "area" => "台区",
        "usage" => "用电类别",
        "supply_voltage" => "电压",
        "contracted_kva" => "容量kVA",
        "notes" => "备注",
        "docs_incomplete" => "档案",
        "missing" => "待补",
        "state" => "状态",
        "staff" => "人员",
        "item" => "考核项目",
        "subject" => "对象",
        "amount" => "金额",
        "reason" => "理由",
        "amount_residential" => "居民金额",
        "amount_other" => "非居民金额",
        "trigger_param" => "天数N",
        "entries_priced" => "补定金额条数",
        "created" => "新增",
        "by_rule" => "按规则",
        "amount_unset" => "金额未设",
        "first_id" => "起始编号",
        "last_id" => "结束编号",
        "files" => "文件",
        "schema_version" => "数据库版本",
        "file" => "文件",
        "start_seq" => "起始条号",
        "import_id" => "导入批号",
        "chunk" => "批次",
        "imported" => "导入",
        "unchanged" => "已有",
        "customers" => "户数",
        "total" => "合计",
        "clock" => "电脑时间",
        "last_receipt" => "上一张收据时间",
        "key_created" => "生成审计密钥",
        "after_restart" => "重启后",
        "answer" => "答复",
        "applicant_id_number" => "申请人证件",
        "applicant_name" => "申请人",
        "applicant_phone" => "申请人电话",
        "applied" => "冲抵",
        "approved_by" => "审批人",
        "area_id" => "台区",
        "arrears_after" => "收后欠费",
        "audit_head_hash" => "审计链头",
        "audit_head_seq" => "审计链条号",
        "auto" => "自动",
        "batch" => "批次",
        "bill_amount" => "账单金额",
        "cash_counted" => "清点现金",
        "cash_expected" => "应交现金",
        "cause" => "原因",
        "change" => "找零",
        "channel" => "方式",
        "class" => "用电分类",
        "collected" => "已收",
        "content" => "内容",
        "customer_id" => "客户",
        "difference" => "差额",
        "dispatched_to" => "派给",
        "expected" => "应收",
        "fast_channel" => "快速通道",
        "fee_id" => "费用",
        "for_county" => "交上级审核",
        "from" => "从",
        "late_fee_owed" => "欠违约金",
        "late_fee_waived" => "违约金已免",
        "lines" => "明细",
        "manager" => "台区经理",
        "method" => "方式",
        "order" => "工单",
        "paid" => "已付",
        "password_hash_params" => "密码摘要参数",
        "pause_id" => "暂停",
        "pause_to" => "暂停至",
        "paused_until" => "暂停至",
        "payer" => "付款人",
        "prepaid_after" => "收后预收",
        "prepaid_applied" => "预收冲抵",
        "printed" => "已打印",
        "receipt_no" => "收据号",
        "receipts" => "收据",
        "reprint" => "补打",
        "reprints" => "补打次数",
        "request_key" => "确认编号",
        "reversals" => "红冲",
        "reverses" => "冲销",
        "source" => "依据",
        "status" => "状态",
        "to" => "至",
        "voids" => "作废",
        "category" => "问题类别",
        "description" => "问题描述",
        "due_on" => "整改期限",
        "folder" => "备份文件夹",
        "signed_in" => "当时登录",
        "bytes" => "大小（字节）",
        "copy_ms" => "复制用时毫秒",
        "check_ms" => "检查用时毫秒",
        "checked" => "检查",
        "removed" => "删除的旧备份",
        "problem" => "问题",
        "replaced" => "原数据库改名为",
        "replaced_head" => "原数据库审计链头",
        "restored_head" => "恢复的审计链头",
        "seq_from" => "起始记录号",
        "seq_to" => "截止记录号",
        "records" => "记录数",
        "manifest_sha256" => "清单校验值",
        "again" => "重新导出",
        "incomplete" => "资料不全",
        other => other,
    }
}

/// `"clerk"` → `"营业员"` (other values unchanged).
fn role_label(v: &serde_json::Value) -> serde_json::Value {
    match v.as_str().and_then(super::role::Role::from_code) {
        Some(r) => serde_json::Value::String(r.label().to_string()),
        None => v.clone(),
    }
}

fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "空".into(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(b) => if *b { "是" } else { "否" }.into(),
        other => other.to_string(),
    }
}

/// `值 10→15；项目 无操作自动锁屏` from the stored JSON. Control and format characters
/// come out escaped: the trail is append-only, so text stored raw stays there.
pub fn describe_changes(json: &str) -> String {
    describe_changes_with(json, &std::collections::HashMap::new())
}

/// Fields that hold a staff id: shown by name.
const STAFF_FIELDS: [&str; 5] = ["dispatched_to", "staff", "approved_by", "manager", "by"];

/// [`describe_changes`] with staff ids named (`派给 高红梅（taiqu1）`, not `派给 5`).
pub fn describe_changes_with(
    json: &str,
    names: &std::collections::HashMap<String, String>,
) -> String {
    let named = |k: &str, v: &serde_json::Value| -> serde_json::Value {
        let id = match v {
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => s.clone(),
            _ => return v.clone(),
        };
        match names.get(&id) {
            Some(n) if STAFF_FIELDS.contains(&k) => serde_json::Value::String(n.clone()),
            _ => v.clone(),
        }
    };
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json) else {
        return super::validate::shown(json);
    };
    let text = map
        .iter()
        .map(|(k, v)| match v {
            serde_json::Value::Object(o) if o.contains_key("new") => {
                let old = o.get("old").unwrap_or(&serde_json::Value::Null);
                let new = o.get("new").unwrap_or(&serde_json::Value::Null);
                let (old, new) = if k == "role" {
                    (role_label(old), role_label(new))
                } else {
                    (named(k, old), named(k, new))
                };
                let (old, new) = (&old, &new);
                if old.is_null() {
                    format!("{} {}", field_label(k), plain(new))
                } else {
                    format!("{} {}→{}", field_label(k), plain(old), plain(new))
                }
            }
            other => format!("{} {}", field_label(k), plain(&named(k, other))),
        })
        .collect::<Vec<_>>()
        .join("；");
    super::validate::shown(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chinese(s: &str) -> bool {
        !s.is_ascii()
    }

    /// Issue 18: the audit log reads as Chinese: every action, entity and changed field the
    /// program writes has a Chinese name (a new one without a name fails here). The codes
    /// are read from the sources themselves.
    #[test]
    fn every_audited_action_entity_and_field_has_a_chinese_name() {
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        let (mut actions, mut entities, mut fields) = (0, 0, 0);
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().and_then(|x| x.to_str()) != Some("rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (needle, kind) in [
                    ("action: \"", 0),
                    ("entity: \"", 1),
                    (".created(\"", 2),
                    (".field(\"", 2),
                    (".note(\"", 2),
                ] {
                    for (i, _) in text.match_indices(needle) {
                        let rest = &text[i + needle.len()..];
                        let code: String = rest.chars().take_while(|c| *c != '"').collect();
                        let ok = match kind {
                            0 => {
                                actions += 1;
                                chinese(action_label(&code))
                            }
                            1 => {
                                entities += 1;
                                chinese(entity_label(&code))
                            }
                            _ => {
                                fields += 1;
                                chinese(field_label(&code))
                            }
                        };
                        if !ok && !code.is_empty() && !code.contains('{') {
                            missing.push(format!("{}: {code}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(
            actions > 40 && entities > 40 && fields > 100,
            "{actions} {entities} {fields}"
        );
        assert!(missing.is_empty(), "no Chinese name: {missing:#?}");
    }
}

-- Bills from the provincial file are refused when their period is implausibly far from
-- today (a file with periods up to the year 2988 was once accepted).
INSERT INTO settings (key, grp, sort, label, kind, value, default_value, unit, min_value, max_value, options, help) VALUES
 ('import.period_past_months', '收费', 820, '导入账单：账期最早（距今）', 'int', '36', '36', '个月', '1', '240', '',
  '早于这么多个月以前的账期视为不合理，整份文件不导入'),
 ('import.period_future_months', '收费', 830, '导入账单：账期最晚（距今）', 'int', '1', '1', '个月', '0', '12', '',
  '晚于这么多个月以后的账期视为不合理，整份文件不导入');

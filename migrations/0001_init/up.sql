-- stationdesk 0001: the base of the domain.
-- Times are local wall-clock text 'YYYY-MM-DD HH:MM:SS'; money is integer 分; never REAL.

CREATE TABLE station (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    is_demo     INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    created_at  TEXT NOT NULL
);

CREATE TABLE staff (
    id                    INTEGER PRIMARY KEY,
    username              TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name          TEXT NOT NULL,
    role                  TEXT NOT NULL CHECK (role IN ('clerk', 'chief', 'area_manager', 'auditor')),
    is_admin              INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    password_hash         TEXT NOT NULL,
    must_change_password  INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    active                INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_attempts       INTEGER NOT NULL DEFAULT 0,
    locked_until          TEXT,
    phone                 TEXT NOT NULL DEFAULT '',
    -- created by the demo data (password demo1234 until changed)
    is_demo               INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    created_at            TEXT NOT NULL
);

-- Every rule number of DOMAIN.md: definition, default and current value live here.
CREATE TABLE settings (
    key            TEXT PRIMARY KEY,
    grp            TEXT NOT NULL,
    sort           INTEGER NOT NULL,
    label          TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('int', 'money', 'decimal', 'bool', 'text', 'choice')),
    value          TEXT NOT NULL,
    default_value  TEXT NOT NULL,
    unit           TEXT NOT NULL DEFAULT '',
    min_value      TEXT,
    max_value      TEXT,
    options        TEXT NOT NULL DEFAULT '',
    help           TEXT NOT NULL DEFAULT '',
    updated_at     TEXT,
    updated_by     INTEGER REFERENCES staff(id)
);

-- Append-only, hash-chained audit trail (营销稽查).
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user_id    INTEGER,
    user_name  TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    changes    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- 台区
CREATE TABLE transformer_area (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    capacity_kva  INTEGER NOT NULL DEFAULT 0,
    manager_id    INTEGER REFERENCES staff(id),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL
);

-- 客户档案
CREATE TABLE customer (
    id               INTEGER PRIMARY KEY,
    account_no       TEXT NOT NULL UNIQUE,
    old_account_no   TEXT UNIQUE,
    name             TEXT NOT NULL COLLATE NOCASE,
    name_initials    TEXT NOT NULL COLLATE NOCASE,
    kind             TEXT NOT NULL CHECK (kind IN ('person', 'org')),
    id_number        TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    address          TEXT NOT NULL DEFAULT '',
    area_id          INTEGER REFERENCES transformer_area(id),
    usage_category   TEXT NOT NULL CHECK (usage_category IN ('residential', 'commercial', 'agricultural', 'industrial')),
    tariff_code      TEXT NOT NULL DEFAULT '',
    supply_voltage   TEXT NOT NULL DEFAULT '0.22kV',
    contracted_kva   TEXT NOT NULL DEFAULT '0',
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    docs_incomplete  INTEGER NOT NULL DEFAULT 0 CHECK (docs_incomplete IN (0, 1)),
    notes            TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX customer_name ON customer(name);
CREATE INDEX customer_initials ON customer(name_initials);
CREATE INDEX customer_phone ON customer(phone);
CREATE INDEX customer_area ON customer(area_id);
CREATE INDEX customer_status ON customer(status);
CREATE INDEX customer_incomplete ON customer(status) WHERE docs_incomplete = 1;

-- Defaults from DOMAIN.md. kind: int | money (元) | decimal | bool (1/0) | text | choice.
INSERT INTO settings (key, grp, sort, label, kind, value, default_value, unit, min_value, max_value, options, help) VALUES
 ('security.max_failed_logins',   '安全', 100, '连续输错密码锁定次数', 'int', '5', '5', '次', '1', '20', '', '连续输错这么多次后锁定账号'),
 ('security.lockout_minutes',     '安全', 110, '账号锁定时长', 'int', '5', '5', '分钟', '1', '1440', '', ''),
 ('security.idle_lock_minutes',   '安全', 120, '无操作自动锁屏', 'int', '10', '10', '分钟', '1', '240', '', '超过这段时间无按键即锁屏，需重新输入密码'),
 ('print.paper',                  '打印', 200, '单据纸张', 'choice', 'a5', 'a5', '', NULL, NULL, 'a5:A5 纸|a4:A4 纸|roll80:80 毫米卷纸', '受理回执、收据等单据的纸张'),
 ('print.folder',                 '打印', 210, '打印文件夹', 'text', '', '', '', NULL, NULL, '', '留空则用数据目录下的 print 文件夹'),
 ('print.system_printer',         '打印', 220, '系统打印机名称', 'text', '', '', '', NULL, NULL, '', '留空则只写入打印文件夹；填“默认”送系统默认打印机；或填打印机名称'),
 ('print.external_font',          '打印', 230, '外部字体文件（生僻字）', 'text', '', '', '', NULL, NULL, '', '如 NotoSansCJK-Regular.ttc，留空则只用内置字体'),
 ('print.external_font_face',     '打印', 240, '外部字体序号', 'int', '2', '2', '', '0', '63', '', 'ttc 字体集中的序号，Noto Sans CJK SC 为 2'),
 ('customer.account_pattern',     '客户档案', 250, '新户号规则', 'text', '037##########', '037##########', '', NULL, NULL, '', '数字前缀加若干 #（每个 # 一位数字）；新建档案未填户号时按此生成'),
 ('deadline.lv_residential_days', '业扩时限', 300, '低压居民全过程时限', 'int', '5', '5', '工作日', '1', '90', '', '十项承诺'),
 ('deadline.lv_nonresidential_days','业扩时限', 310, '低压非居民全过程时限', 'int', '6', '6', '工作日', '1', '90', '', '十项承诺'),
 ('deadline.hv_single_days',      '业扩时限', 320, '高压单电源全过程时限', 'int', '22', '22', '工作日', '1', '180', '', '十项承诺'),
 ('deadline.hv_dual_days',        '业扩时限', 330, '高压双电源全过程时限', 'int', '32', '32', '工作日', '1', '180', '', '十项承诺'),
 ('deadline.lv_no_works_days',    '业扩时限', 340, '低压无外线工程时限', 'int', '5', '5', '工作日', '1', '90', '', '发改委、能源局 2025'),
 ('deadline.lv_with_works_days',  '业扩时限', 350, '低压有外线工程时限', 'int', '15', '15', '工作日', '1', '90', '', '发改委、能源局 2025'),
 ('deadline.hv_plan_single_days', '业扩时限', 360, '高压供电方案答复（单电源）', 'int', '15', '15', '工作日', '1', '90', '', '自受理之日起'),
 ('deadline.hv_plan_dual_days',   '业扩时限', 370, '高压供电方案答复（双电源）', 'int', '30', '30', '工作日', '1', '90', '', '自受理之日起'),
 ('deadline.hv_design_review_days','业扩时限', 380, '设计审查', 'int', '10', '10', '工作日', '1', '90', '', ''),
 ('deadline.hv_mid_check_days',   '业扩时限', 390, '中间检查', 'int', '5', '5', '工作日', '1', '90', '', ''),
 ('deadline.hv_completion_days',  '业扩时限', 400, '竣工检验', 'int', '5', '5', '工作日', '1', '90', '', ''),
 ('deadline.hv_energize_days',    '业扩时限', 410, '装表接电（检验合格后）', 'int', '5', '5', '工作日', '1', '90', '', ''),
 ('deadline.warn_first_percent',  '业扩时限', 420, '第一次预警（时限已用）', 'int', '50', '50', '%', '1', '99', '', ''),
 ('deadline.warn_second_percent', '业扩时限', 430, '第二次预警（时限已用）', 'int', '75', '75', '%', '1', '99', '', ''),
 ('order.no_contact_days',        '业扩时限', 440, '工单无联系标记', 'int', '10', '10', '天', '1', '90', '', '超过这些天无联系记录的工单被标记'),
 ('meter.verify_years_class12',   '计量', 500, '1、2 级电子表检定周期', 'int', '8', '8', '年', '1', '20', '', 'JJG 596-2012'),
 ('meter.verify_years_class05s',  '计量', 510, '0.2S、0.5S 级表检定周期', 'int', '6', '6', '年', '1', '20', '', 'JJG 596-2012'),
 ('meter.large_customer_kva',     '计量', 520, '大客户容量起点', 'int', '315', '315', 'kVA', '1', '100000', '', '达到此容量的客户单独排轮换计划'),
 ('meter.check_class1_months',    '计量', 530, 'Ⅰ类计量装置现场检验周期', 'int', '6', '6', '月', '1', '24', '', 'DL/T 448：3–6 个月'),
 ('meter.check_class2_months',    '计量', 540, 'Ⅱ类计量装置现场检验周期', 'int', '12', '12', '月', '1', '24', '', 'DL/T 448：6–12 个月'),
 ('meter.check_class3_months',    '计量', 550, 'Ⅲ类计量装置现场检验周期', 'int', '12', '12', '月', '1', '36', '', 'DL/T 448：每年'),
 ('meter.fault_replace_days',     '计量', 560, '超差电能表更换时限', 'int', '3', '3', '工作日', '1', '30', '', ''),
 ('tariff.tier1_limit_kwh',       '电价', 600, '第一档年电量上限', 'int', '2520', '2520', 'kWh', '0', '100000', '', '居民阶梯电价（山东示例）'),
 ('tariff.tier2_limit_kwh',       '电价', 610, '第二档年电量上限', 'int', '4800', '4800', 'kWh', '0', '100000', '', ''),
 ('tariff.tier1_price',           '电价', 620, '第一档电价', 'decimal', '0.5469', '0.5469', '元/kWh', '0', '10', '', ''),
 ('tariff.tier2_price',           '电价', 630, '第二档电价', 'decimal', '0.5969', '0.5969', '元/kWh', '0', '10', '', ''),
 ('tariff.tier3_price',           '电价', 640, '第三档电价', 'decimal', '0.8469', '0.8469', '元/kWh', '0', '10', '', ''),
 ('penalty.residential_permille', '违约金', 700, '居民违约金日费率', 'decimal', '1', '1', '‰/日', '0', '10', '', '供电营业规则'),
 ('penalty.other_current_permille','违约金', 710, '非居民当年欠费日费率', 'decimal', '2', '2', '‰/日', '0', '10', '', ''),
 ('penalty.other_prior_permille', '违约金', 720, '非居民跨年欠费日费率', 'decimal', '3', '3', '‰/日', '0', '10', '', ''),
 ('penalty.min_charge_enabled',   '违约金', 730, '违约金最低收取', 'bool', '1', '1', '', NULL, NULL, '', '1996 年规则有最低 1 元；2024 年规则是否保留尚待确认'),
 ('penalty.min_charge',           '违约金', 740, '违约金最低金额', 'money', '1.00', '1.00', '元', '0', '1000', '', ''),
 ('penalty.cutoff_after_days',    '违约金', 750, '逾期可停电天数', 'int', '30', '30', '天', '1', '365', '', '且须书面通知'),
 ('penalty.restore_within_hours', '违约金', 760, '缴费后复电时限', 'int', '24', '24', '小时', '1', '168', '', ''),
 ('payment.late_fee_first',       '收费', 800, '同一笔电费先冲违约金', 'bool', '1', '1', '', NULL, NULL, '', '否则先冲本金'),
 ('grade.late_times_per_year',    '收费', 810, '信誉等级“多次逾期”：一年内逾期次数', 'int', '2', '2', '次', '1', '12', '', '近 12 个月逾期缴费达到此次数'),
 ('repair.arrive_urban_minutes',  '投诉报修', 900, '抢修到达（城区）', 'int', '45', '45', '分钟', '1', '600', '', ''),
 ('repair.arrive_rural_minutes',  '投诉报修', 910, '抢修到达（农村）', 'int', '90', '90', '分钟', '1', '600', '', ''),
 ('repair.arrive_remote_minutes', '投诉报修', 920, '抢修到达（边远）', 'int', '120', '120', '分钟', '1', '600', '', ''),
 ('repair.restore_urban_hours',   '投诉报修', 930, '到达后恢复供电（城区）', 'int', '3', '3', '小时', '1', '72', '', ''),
 ('repair.restore_rural_hours',   '投诉报修', 940, '到达后恢复供电（农村）', 'int', '4', '4', '小时', '1', '72', '', ''),
 ('complaint.contact_hours',      '投诉报修', 950, '投诉联系客户', 'int', '24', '24', '小时', '1', '168', '', ''),
 ('complaint.reply_days',         '投诉报修', 960, '投诉处理答复', 'int', '5', '5', '工作日', '1', '30', '', '4–5 个工作日'),
 ('report.reply_days',            '投诉报修', 970, '举报答复', 'int', '9', '9', '工作日', '1', '30', '', ''),
 ('hotline12398.close_days',      '投诉报修', 980, '12398 转办办结', 'int', '10', '10', '工作日', '1', '30', '', ''),
 ('hotline12345.close_days',      '投诉报修', 990, '12345 转办办结', 'int', '7', '7', '天', '1', '30', '', ''),
 ('meter_test.result_days',       '投诉报修', 1000, '校表、计量争议出结果', 'int', '5', '5', '工作日', '1', '30', '', ''),
 ('visit.sample_percent',         '投诉报修', 1010, '回访抽样比例', 'int', '100', '100', '%', '1', '100', '', ''),
 ('visit.max_tries',              '投诉报修', 1020, '回访最多尝试次数', 'int', '3', '3', '次', '1', '10', '', ''),
 ('visit.retry_hours',            '投诉报修', 1030, '回访重试间隔', 'int', '24', '24', '小时', '1', '168', '', ''),
 ('lineloss.high_percent',        '线损与抄表', 1100, '线损率偏高阈值', 'decimal', '10', '10', '%', '0', '100', '', '高于此值或为负数的台区需核查'),
 ('quality.spot_areas',           '线损与抄表', 1110, '每月抽查台区数（至少）', 'int', '5', '5', '个', '0', '100', '', ''),
 ('quality.spot_households',      '线损与抄表', 1120, '每月抽查户数', 'int', '20', '20', '户', '0', '10000', '', '所内规定，待所长确认'),
 ('collection.target_percent',    '线损与抄表', 1130, '电费回收率目标', 'decimal', '100', '100', '%', '0', '100', '', ''),
 ('disconnect.monthly_quota',     '线损与抄表', 1140, '每名抄表员每月停电限额', 'int', '10', '10', '户', '0', '1000', '', '所内规定，待所长确认');

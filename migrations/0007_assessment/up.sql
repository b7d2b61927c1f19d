-- stationdesk 0006: staff assessment (考核). The station's work plan lists rules of the form
-- "task X not done within its limit: the responsible person is assessed N 元 per household /
-- per meter / per case"; the amounts start blank (NULL = not set yet) and the chief fills
-- them in. Entries are created by the program when a trigger fires (one per rule and
-- subject, however often the check runs), attributed to the staff member who held the task,
-- and confirmed or waived by the chief. Money is integer 分; times local 'YYYY-MM-DD HH:MM:SS'.

CREATE TABLE assessment_rule (
    id                      INTEGER PRIMARY KEY,
    -- stable name of the rule (seeds, tests); the item text is what people read
    code                    TEXT NOT NULL UNIQUE,
    sort                    INTEGER NOT NULL,
    item                    TEXT NOT NULL,
    trigger_kind            TEXT NOT NULL CHECK (trigger_kind IN ('stage_overdue',
                                'complaint_delay', 'faulty_meter', 'rotation_missed',
                                'file_incomplete')),
    -- stage_overdue: more than N working days overdue; file_incomplete: still incomplete
    -- more than N working days after the file was opened; unused by the other kinds
    trigger_param           INTEGER NOT NULL DEFAULT 0 CHECK (trigger_param BETWEEN 0 AND 365),
    unit                    TEXT NOT NULL CHECK (unit IN ('household', 'meter', 'case')),
    -- per unit, for residential customers and for all others; NULL = not set yet
    amount_residential_fen  INTEGER CHECK (amount_residential_fen IS NULL OR amount_residential_fen >= 0),
    amount_other_fen        INTEGER CHECK (amount_other_fen IS NULL OR amount_other_fen >= 0),
    active                  INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- what the rule stands for in the work plan, and where its data comes from
    note                    TEXT NOT NULL DEFAULT '',
    updated_at              TEXT,
    updated_by              INTEGER REFERENCES staff(id)
);
CREATE TRIGGER assessment_rule_no_delete BEFORE DELETE ON assessment_rule
BEGIN
    SELECT RAISE(ABORT, 'assessment rules are never deleted: set them inactive');
END;

CREATE TABLE assessment_entry (
    id            INTEGER PRIMARY KEY,
    rule_id       INTEGER NOT NULL REFERENCES assessment_rule(id),
    -- what was assessed: 'order:<id>:<stage>' (stage code or 'whole') or 'customer:<id>'
    subject       TEXT NOT NULL,
    -- who held the task when it fell due
    staff_id      INTEGER NOT NULL REFERENCES staff(id),
    -- 'YYYY-MM': the month the entry was recorded in (the month it is summarised in)
    month         TEXT NOT NULL,
    residential   INTEGER NOT NULL CHECK (residential IN (0, 1)),
    -- one line for lists, and the evidence as JSON (order, stage, due and done dates,
    -- working days overdue; or the customer file and what it lacks)
    summary       TEXT NOT NULL,
    evidence      TEXT NOT NULL,
    amount_fen    INTEGER NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
    -- the rule had no amount when the entry was made: amount 0, flagged 金额未设
    amount_unset  INTEGER NOT NULL DEFAULT 0 CHECK (amount_unset IN (0, 1)),
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'waived')),
    decided_by    INTEGER REFERENCES staff(id),
    decided_at    TEXT,
    reason        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    UNIQUE (rule_id, subject),
    CHECK (amount_unset = 0 OR amount_fen = 0),
    CHECK (state = 'pending' OR (decided_by IS NOT NULL AND decided_at IS NOT NULL)),
    CHECK (state <> 'waived' OR reason <> '')
);
CREATE INDEX assessment_entry_month ON assessment_entry(month, staff_id);
CREATE INDEX assessment_entry_staff ON assessment_entry(staff_id, month);
CREATE TRIGGER assessment_entry_no_delete BEFORE DELETE ON assessment_entry
BEGIN
    SELECT RAISE(ABORT, 'assessment entries are never deleted: waive them with a reason');
END;
-- what was found stays as found; only the decision (and a missing amount) may change
CREATE TRIGGER assessment_entry_evidence_fixed BEFORE UPDATE ON assessment_entry
WHEN NEW.rule_id IS NOT OLD.rule_id OR NEW.subject IS NOT OLD.subject
  OR NEW.staff_id IS NOT OLD.staff_id OR NEW.month IS NOT OLD.month
  OR NEW.residential IS NOT OLD.residential OR NEW.summary IS NOT OLD.summary
  OR NEW.evidence IS NOT OLD.evidence OR NEW.created_at IS NOT OLD.created_at
BEGIN
    SELECT RAISE(ABORT, 'the evidence of an assessment entry cannot be changed');
END;
CREATE TRIGGER assessment_entry_amount_fixed BEFORE UPDATE ON assessment_entry
WHEN (NEW.amount_fen IS NOT OLD.amount_fen OR NEW.amount_unset IS NOT OLD.amount_unset)
  AND (OLD.state <> 'pending' OR OLD.amount_unset = 0)
BEGIN
    SELECT RAISE(ABORT, 'only a pending entry without an amount can be priced');
END;

-- The examples of the station's work plan (DOMAIN.md §3); amounts left blank for the chief.
INSERT INTO assessment_rule (code, sort, item, trigger_kind, trigger_param, unit, note) VALUES
 ('order_overdue',   10, '业扩报装超时限',   'stage_overdue',   1, 'household',
  '业扩报装环节或全过程超过承诺时限 N 个工作日以上，居民与非居民分别计'),
 ('complaint_delay', 20, '延误引发投诉',     'complaint_delay', 0, 'case',
  '办理延误引起客户投诉，另行加考；数据来源待投诉报修模块，暂不自动生成'),
 ('faulty_meter',    30, '故障表未按期处理', 'faulty_meter',    0, 'meter',
  '故障电能表未在计划时间内处理；数据来源待计量装置模块，暂不自动生成'),
 ('rotation_missed', 40, '轮换未按月完成',   'rotation_missed', 0, 'meter',
  '轮换计划的表计未在当月完成；数据来源待计量装置模块，暂不自动生成'),
 ('file_incomplete', 50, '客户档案建档不全', 'file_incomplete', 0, 'household',
  '建档时资料不全，建档后超过 N 个工作日仍未补齐，考核建档人');

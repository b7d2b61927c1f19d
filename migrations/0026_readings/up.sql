-- Meter reading, bills computed at the station with review before release, line loss
-- (抄、核 and 线损, issue 15, DOMAIN.md §4, §5, §8). Readings are kept for ever: a correction
-- is a new reading that replaces the one before it. A bill computed here is a draft until
-- its book is released; released, it becomes a `bill` row like an imported one.

-- The reading book (抄表册) of a 台区: who reads it and on which day of the month.
CREATE TABLE reading_book (
    area_id      INTEGER PRIMARY KEY REFERENCES transformer_area(id),
    reader_id    INTEGER REFERENCES staff(id),
    reading_day  INTEGER NOT NULL CHECK (reading_day BETWEEN 1 AND 28),
    changed_by   INTEGER NOT NULL REFERENCES staff(id),
    changed_at   TEXT NOT NULL
);

-- One reading of one meter: a customer's meter, or a 台区's summary meter (考核表). The
-- period is the month of the reading day (the bill it closes). A missed reading (漏抄) has
-- no value; an estimated one (估抄) has its reason. A reading below the previous one is kept
-- only as a rollover a person confirmed (the meter's digits known). Append-only.
CREATE TABLE reading (
    id           INTEGER PRIMARY KEY,
    meter_id     INTEGER NOT NULL REFERENCES meter(id),
    customer_id  INTEGER REFERENCES customer(id),
    area_id      INTEGER REFERENCES transformer_area(id),
    period       TEXT NOT NULL CHECK (length(period) = 7
                     AND period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
    read_on      TEXT NOT NULL CHECK (length(read_on) = 10),
    kind         TEXT NOT NULL CHECK (kind IN ('actual', 'estimated', 'customer', 'missed')),
    value_centi  INTEGER CHECK (value_centi IS NULL OR value_centi >= 0),
    rollover     INTEGER NOT NULL DEFAULT 0 CHECK (rollover IN (0, 1)),
    reason       TEXT NOT NULL DEFAULT '',
    -- 'screen', 'file' (a handheld unit's or the provincial system's export), 'demo'
    source       TEXT NOT NULL CHECK (source IN ('screen', 'file', 'demo')),
    source_file  TEXT NOT NULL DEFAULT '',
    -- the reading this one corrects (before its bill is released)
    replaces_id  INTEGER REFERENCES reading(id),
    reader_id    INTEGER REFERENCES staff(id),
    recorded_by  INTEGER NOT NULL REFERENCES staff(id),
    at           TEXT NOT NULL,
    CHECK ((kind = 'missed') = (value_centi IS NULL)),
    CHECK (kind NOT IN ('estimated', 'missed') OR reason <> ''),
    CHECK (customer_id IS NULL OR area_id IS NULL)
);
CREATE INDEX reading_meter ON reading(meter_id, period);
CREATE INDEX reading_period ON reading(period, meter_id);
CREATE INDEX reading_area ON reading(area_id, period) WHERE area_id IS NOT NULL;
-- a reading is corrected at most once (the correction can be corrected in turn)
CREATE UNIQUE INDEX reading_replaces ON reading(replaces_id) WHERE replaces_id IS NOT NULL;
CREATE TRIGGER reading_no_update BEFORE UPDATE ON reading BEGIN SELECT RAISE(ABORT, 'readings are never edited'); END;
CREATE TRIGGER reading_no_delete BEFORE DELETE ON reading BEGIN SELECT RAISE(ABORT, 'readings are never deleted'); END;

-- A bill computed here (核算), one per customer and period. It changes while it is checked
-- (computed again when a reading is corrected) and is fixed once released: `bill_id` is then
-- the `bill` row made from it. `inputs` names the readings and swaps it was computed from,
-- so that a recomputation with the same inputs keeps the checker's decisions.
CREATE TABLE bill_draft (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customer(id),
    period       TEXT NOT NULL CHECK (length(period) = 7),
    area_id      INTEGER REFERENCES transformer_area(id),
    kwh          INTEGER NOT NULL CHECK (kwh >= 0),
    amount_fen   INTEGER NOT NULL CHECK (amount_fen >= 0),
    -- the tariff applied: the customer's category code
    tariff       TEXT NOT NULL,
    -- 'tier:kwh:price:amount_fen' per line, ';' between lines
    lines        TEXT NOT NULL,
    multiplier   INTEGER NOT NULL CHECK (multiplier >= 1),
    estimated    INTEGER NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1)),
    inputs       TEXT NOT NULL,
    computed_by  INTEGER NOT NULL REFERENCES staff(id),
    computed_at  TEXT NOT NULL,
    released_by  INTEGER REFERENCES staff(id),
    released_at  TEXT,
    bill_id      INTEGER UNIQUE REFERENCES bill(id),
    UNIQUE (customer_id, period),
    CHECK ((released_at IS NULL) = (released_by IS NULL))
);
CREATE INDEX bill_draft_period ON bill_draft(period, area_id);

-- The review flags each computation raised (复核), kept for ever; the flags of a draft now
-- are those with its current `inputs`.
CREATE TABLE bill_flag (
    id        INTEGER PRIMARY KEY,
    draft_id  INTEGER NOT NULL REFERENCES bill_draft(id),
    inputs    TEXT NOT NULL,
    flag      TEXT NOT NULL CHECK (flag IN ('vs_last_year', 'vs_average', 'zero_active',
                  'below_previous', 'estimated_thrice', 'multiplier_changed', 'category_mismatch')),
    detail    TEXT NOT NULL DEFAULT '',
    UNIQUE (draft_id, inputs, flag)
);
CREATE TRIGGER bill_flag_no_update BEFORE UPDATE ON bill_flag BEGIN SELECT RAISE(ABORT, 'review flags are never edited'); END;
CREATE TRIGGER bill_flag_no_delete BEFORE DELETE ON bill_flag BEGIN SELECT RAISE(ABORT, 'review flags are never deleted'); END;

-- The checker's decision on a flag: accepted (the bill may go) or sent back (the reading is
-- to be checked again), with a note. The latest decision counts. Append-only.
CREATE TABLE bill_flag_decision (
    id          INTEGER PRIMARY KEY,
    flag_id     INTEGER NOT NULL REFERENCES bill_flag(id),
    decision    TEXT NOT NULL CHECK (decision IN ('accept', 'return')),
    note        TEXT NOT NULL CHECK (length(note) > 0),
    decided_by  INTEGER NOT NULL REFERENCES staff(id),
    decided_at  TEXT NOT NULL
);
CREATE INDEX bill_flag_decision_flag ON bill_flag_decision(flag_id, id);
CREATE TRIGGER bill_flag_decision_no_update BEFORE UPDATE ON bill_flag_decision BEGIN SELECT RAISE(ABORT, 'review decisions are never edited'); END;
CREATE TRIGGER bill_flag_decision_no_delete BEFORE DELETE ON bill_flag_decision BEGIN SELECT RAISE(ABORT, 'review decisions are never deleted'); END;

-- The area manager's explanation of a 台区's line loss in a month (线损说明). The latest
-- counts. Append-only.
CREATE TABLE line_loss_note (
    id          INTEGER PRIMARY KEY,
    area_id     INTEGER NOT NULL REFERENCES transformer_area(id),
    period      TEXT NOT NULL CHECK (length(period) = 7),
    note        TEXT NOT NULL CHECK (length(note) > 0),
    noted_by    INTEGER NOT NULL REFERENCES staff(id),
    noted_at    TEXT NOT NULL
);
CREATE INDEX line_loss_note_area ON line_loss_note(area_id, period, id);
CREATE TRIGGER line_loss_note_no_update BEFORE UPDATE ON line_loss_note BEGIN SELECT RAISE(ABORT, 'line loss notes are never edited'); END;
CREATE TRIGGER line_loss_note_no_delete BEFORE DELETE ON line_loss_note BEGIN SELECT RAISE(ABORT, 'line loss notes are never deleted'); END;

-- Sales per 台区 and month (the billed kWh and money of its customers), added to in the same
-- transaction as each bill (bills are never edited or deleted; store::billing::insert_bill),
-- so that the line-loss and collection tables read a few hundred rows, not every bill.
-- Derived: it can always be counted again from `bill` (the demo's bulk load does so once).
CREATE TABLE area_sales (
    area_id     INTEGER NOT NULL,
    period      TEXT NOT NULL,
    bills       INTEGER NOT NULL,
    kwh         INTEGER NOT NULL,
    amount_fen  INTEGER NOT NULL,
    PRIMARY KEY (area_id, period)
) WITHOUT ROWID;
INSERT INTO area_sales (area_id, period, bills, kwh, amount_fen)
    SELECT c.area_id, b.period, COUNT(*), SUM(b.kwh), SUM(b.amount_fen)
      FROM bill b JOIN customer c ON c.id = b.customer_id
     WHERE c.area_id IS NOT NULL
     GROUP BY c.area_id, b.period;

INSERT INTO settings (key, grp, sort, label, kind, value, default_value, unit, min_value, max_value, options, help) VALUES
 ('tariff.commercial_price',   '电价', 650, '一般工商业电价', 'decimal', '0.6800', '0.6800', '元/kWh', '0', '10', '', '单一电价；所内示例，待所长按本省电价表确认'),
 ('tariff.agricultural_price', '电价', 660, '农业生产电价', 'decimal', '0.4800', '0.4800', '元/kWh', '0', '10', '', '单一电价；所内示例，待确认'),
 ('tariff.industrial_price',   '电价', 670, '大工业电价（电度电价）', 'decimal', '0.6500', '0.6500', '元/kWh', '0', '10', '', '单一电价；所内示例，待确认'),
 ('bill.due_days',             '电价', 680, '电费缴费期限', 'int', '15', '15', '天', '1', '60', '', '账单发行后多少天到期，过期起算违约金'),
 ('review.change_percent',     '线损与抄表', 1150, '电量突增突减复核阈值', 'int', '50', '50', '%', '1', '1000', '', '与去年同月或近三月平均相比变化超过此比例的账单须复核');

-- The line-loss rule joins the assessment engine (a 台区 over the threshold or negative,
-- still unexplained when its month is over): a new trigger kind and the unit 台区, so the
-- rule table is made again with the wider checks (SQLite's way to change a CHECK).
DROP TRIGGER assessment_rule_no_delete;
CREATE TABLE assessment_rule_new (
    id                      INTEGER PRIMARY KEY,
    -- stable name of the rule (seeds, tests); the item text is what people read
    code                    TEXT NOT NULL UNIQUE,
    sort                    INTEGER NOT NULL,
    item                    TEXT NOT NULL,
    trigger_kind            TEXT NOT NULL CHECK (trigger_kind IN ('stage_overdue',
                                'complaint_delay', 'faulty_meter', 'rotation_missed',
                                'file_incomplete', 'line_loss_unexplained',
                                'note_not_passed')),
    -- stage_overdue: more than N working days overdue; file_incomplete: still incomplete
    -- more than N working days after the file was opened; unused by the other kinds
    trigger_param           INTEGER NOT NULL DEFAULT 0 CHECK (trigger_param BETWEEN 0 AND 365),
    unit                    TEXT NOT NULL CHECK (unit IN ('household', 'meter', 'case', 'area')),
    -- per unit, for residential customers and for all others; NULL = not set yet
    amount_residential_fen  INTEGER CHECK (amount_residential_fen IS NULL OR amount_residential_fen >= 0),
    amount_other_fen        INTEGER CHECK (amount_other_fen IS NULL OR amount_other_fen >= 0),
    active                  INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- what the rule stands for in the work plan, and where its data comes from
    note                    TEXT NOT NULL DEFAULT '',
    updated_at              TEXT,
    updated_by              INTEGER REFERENCES staff(id)
);
INSERT INTO assessment_rule_new SELECT * FROM assessment_rule ORDER BY id;
DROP TABLE assessment_rule;
ALTER TABLE assessment_rule_new RENAME TO assessment_rule;
CREATE TRIGGER assessment_rule_no_delete BEFORE DELETE ON assessment_rule
BEGIN
    SELECT RAISE(ABORT, 'assessment rules are never deleted: set them inactive');
END;
INSERT INTO assessment_rule (code, sort, item, trigger_kind, trigger_param, unit, note) VALUES
 ('line_loss_unexplained', 60, '线损异常未说明', 'line_loss_unexplained', 0, 'area',
  '台区线损率高于阈值或为负，到月末台区经理仍未说明原因，考核台区经理（每台区每月一次）');

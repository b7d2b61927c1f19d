-- The reading log (抄表日志) and the messages it hands on (消息传递), and the spot checks of
-- reading quality (抽查), issue 15, DOMAIN.md §8.

-- What the reader saw at a meter: a site problem, the weather, a load change, a new phone
-- number, suspected theft. Append-only.
CREATE TABLE reading_note (
    id           INTEGER PRIMARY KEY,
    meter_id     INTEGER NOT NULL REFERENCES meter(id),
    customer_id  INTEGER REFERENCES customer(id),
    area_id      INTEGER REFERENCES transformer_area(id),
    period       TEXT NOT NULL CHECK (length(period) = 7),
    kind         TEXT NOT NULL CHECK (kind IN ('site', 'weather', 'load', 'phone', 'theft', 'other')),
    text         TEXT NOT NULL CHECK (length(text) > 0),
    noted_by     INTEGER NOT NULL REFERENCES staff(id),
    noted_at     TEXT NOT NULL
);
CREATE INDEX reading_note_period ON reading_note(period, area_id);
CREATE TRIGGER reading_note_no_update BEFORE UPDATE ON reading_note BEGIN SELECT RAISE(ABORT, 'reading notes are never edited'); END;
CREATE TRIGGER reading_note_no_delete BEFORE DELETE ON reading_note BEGIN SELECT RAISE(ABORT, 'reading notes are never deleted'); END;

-- A problem the reader could not solve on site, handed on to the person responsible with a
-- time limit; the feedback (and any money it brought back, for the reader's reward) is
-- written once. A changing row: its feedback is filled in.
CREATE TABLE reading_message (
    id             INTEGER PRIMARY KEY,
    note_id        INTEGER NOT NULL UNIQUE REFERENCES reading_note(id),
    to_staff       INTEGER NOT NULL REFERENCES staff(id),
    due_on         TEXT NOT NULL CHECK (length(due_on) = 10),
    sent_by        INTEGER NOT NULL REFERENCES staff(id),
    sent_at        TEXT NOT NULL,
    feedback       TEXT,
    feedback_by    INTEGER REFERENCES staff(id),
    feedback_at    TEXT,
    recovered_fen  INTEGER NOT NULL DEFAULT 0 CHECK (recovered_fen >= 0),
    CHECK ((feedback IS NULL) = (feedback_at IS NULL)),
    CHECK ((feedback IS NULL) = (feedback_by IS NULL))
);
CREATE INDEX reading_message_to ON reading_message(to_staff, feedback_at);

-- A spot check (抽查) of a 台区's readings or of one household, with what was found.
-- Append-only.
CREATE TABLE spot_check (
    id           INTEGER PRIMARY KEY,
    period       TEXT NOT NULL CHECK (length(period) = 7),
    area_id      INTEGER NOT NULL REFERENCES transformer_area(id),
    -- a household checked; NULL for the 台区 as a whole
    customer_id  INTEGER REFERENCES customer(id),
    finding      TEXT NOT NULL CHECK (finding IN ('ok', 'wrong_reading', 'estimated', 'missed',
                     'wrong_multiplier', 'other')),
    note         TEXT NOT NULL DEFAULT '',
    checked_on   TEXT NOT NULL,
    checked_by   INTEGER NOT NULL REFERENCES staff(id),
    at           TEXT NOT NULL,
    CHECK (finding = 'ok' OR note <> '')
);
CREATE INDEX spot_check_period ON spot_check(period, area_id);
CREATE TRIGGER spot_check_no_update BEFORE UPDATE ON spot_check BEGIN SELECT RAISE(ABORT, 'spot checks are never edited'); END;
CREATE TRIGGER spot_check_no_delete BEFORE DELETE ON spot_check BEGIN SELECT RAISE(ABORT, 'spot checks are never deleted'); END;

INSERT INTO settings (key, grp, sort, label, kind, value, default_value, unit, min_value, max_value, options, help) VALUES
 ('message.reply_days', '线损与抄表', 1160, '消息传递反馈时限', 'int', '3', '3', '天', '1', '60', '',
  '抄表发现的现场问题转交责任人后，须在此天数内反馈；所内规定，待所长确认');

-- A site problem or suspected theft the reader noted and did not hand on (the station's work
-- plan: 现场问题未传递的考核); the trigger kind was allowed by 0026.
INSERT INTO assessment_rule (code, sort, item, trigger_kind, trigger_param, unit, note) VALUES
 ('note_not_passed', 70, '现场问题未传递', 'note_not_passed', 2, 'case',
  '抄表日志中的现场问题或疑似窃电，超过 N 天仍未转交责任人，考核记录的抄表员（每条一次）');

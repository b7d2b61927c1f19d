-- Collection of arrears (收, issue 15; DOMAIN.md §5 and §8): whether a customer's arrears
-- are deliberate, the reminder notices (催费通知单) and written disconnection notices
-- (停电通知书) printed, the disconnections recorded against a reader's monthly quota, and the
-- reconnection (复电) work order opened after payment. Every table here is history:
-- append-only (triggers refuse UPDATE and DELETE). Money in 分, days 'YYYY-MM-DD'.

-- The notice period of a written disconnection notice: supply may be cut only after it has
-- run out (the rules ask for a written notice; its length is the station's own rule).
INSERT INTO settings (key, grp, sort, label, kind, value, default_value, unit, min_value, max_value, options, help) VALUES
 ('disconnect.notice_days', '线损与抄表', 1150, '停电通知书期限', 'int', '7', '7', '天', '1', '60', '',
  '所内规定，待所长确认：供电营业规则要求逾期 30 天以上并书面通知后方可停电，通知期限未作规定，暂按送达后 7 天；期满次日起可停电');

-- Whether a customer's arrears are deliberate (恶意欠费) or not (老人、外出、未收到通知…),
-- as the reader or the chief judged it, with a note. The latest row per customer stands.
CREATE TABLE arrears_mark (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customer(id),
    deliberate   INTEGER NOT NULL CHECK (deliberate IN (0, 1)),
    note         TEXT NOT NULL CHECK (note <> ''),
    marked_by    INTEGER NOT NULL REFERENCES staff(id),
    marked_at    TEXT NOT NULL
);
CREATE INDEX arrears_mark_customer ON arrears_mark(customer_id, id);

-- Every notice printed for a customer (recorded only after the print succeeded), with the
-- figures it showed. A disconnection notice carries the last day of its notice period.
CREATE TABLE collection_notice (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customer(id),
    kind          TEXT NOT NULL CHECK (kind IN ('reminder', 'disconnect')),
    principal_fen INTEGER NOT NULL CHECK (principal_fen > 0),
    late_fee_fen  INTEGER NOT NULL CHECK (late_fee_fen >= 0),
    days_overdue  INTEGER NOT NULL CHECK (days_overdue >= 0),
    printed_on    TEXT NOT NULL CHECK (length(printed_on) = 10),
    period_end    TEXT CHECK (period_end IS NULL OR length(period_end) = 10),
    printed_by    INTEGER NOT NULL REFERENCES staff(id),
    printed_at    TEXT NOT NULL,
    file          TEXT NOT NULL DEFAULT '',
    CHECK ((kind = 'disconnect') = (period_end IS NOT NULL)),
    CHECK (period_end IS NULL OR period_end > printed_on)
);
CREATE INDEX collection_notice_customer ON collection_notice(customer_id, kind, printed_on);

-- A disconnection for arrears: after a disconnection notice whose period ran out, by the
-- reader (the 台区's manager), counted against the monthly quota by its day.
CREATE TABLE disconnection (
    id               INTEGER PRIMARY KEY,
    customer_id      INTEGER NOT NULL REFERENCES customer(id),
    notice_id        INTEGER NOT NULL REFERENCES collection_notice(id),
    disconnected_on  TEXT NOT NULL CHECK (length(disconnected_on) = 10),
    reader_id        INTEGER NOT NULL REFERENCES staff(id),
    reason           TEXT NOT NULL CHECK (reason <> ''),
    owed_fen         INTEGER NOT NULL CHECK (owed_fen > 0),
    recorded_by      INTEGER NOT NULL REFERENCES staff(id),
    recorded_at      TEXT NOT NULL
);
CREATE INDEX disconnection_customer ON disconnection(customer_id);
CREATE INDEX disconnection_reader ON disconnection(reader_id, disconnected_on);

-- The 复电 work order opened once the arrears were paid: one per disconnection.
CREATE TABLE reconnection (
    id                INTEGER PRIMARY KEY,
    disconnection_id  INTEGER NOT NULL UNIQUE REFERENCES disconnection(id),
    order_id          INTEGER NOT NULL UNIQUE REFERENCES work_order(id),
    created_by        INTEGER NOT NULL REFERENCES staff(id),
    created_at        TEXT NOT NULL
);

-- The arrears list reads every overdue bill with what was paid on it: covering indexes so
-- the sums per bill never touch the tables (100,000 customers: see docs/collection.md).
CREATE INDEX allocation_bill_amount ON allocation(bill_id, kind, amount_fen) WHERE bill_id IS NOT NULL;
CREATE INDEX prepaid_offset_bill_amount ON prepaid_offset(bill_id, amount_fen);
-- they serve every lookup by bill the narrower indexes served: one index each, not two, to
-- keep on every payment line
DROP INDEX allocation_bill;
DROP INDEX prepaid_offset_bill;

CREATE TRIGGER arrears_mark_no_update BEFORE UPDATE ON arrears_mark BEGIN SELECT RAISE(ABORT, 'arrears marks are never edited'); END;
CREATE TRIGGER arrears_mark_no_delete BEFORE DELETE ON arrears_mark BEGIN SELECT RAISE(ABORT, 'arrears marks are never deleted'); END;
CREATE TRIGGER collection_notice_no_update BEFORE UPDATE ON collection_notice BEGIN SELECT RAISE(ABORT, 'notices are never edited'); END;
CREATE TRIGGER collection_notice_no_delete BEFORE DELETE ON collection_notice BEGIN SELECT RAISE(ABORT, 'notices are never deleted'); END;
CREATE TRIGGER disconnection_no_update BEFORE UPDATE ON disconnection BEGIN SELECT RAISE(ABORT, 'disconnections are never edited'); END;
CREATE TRIGGER disconnection_no_delete BEFORE DELETE ON disconnection BEGIN SELECT RAISE(ABORT, 'disconnections are never deleted'); END;
CREATE TRIGGER reconnection_no_update BEFORE UPDATE ON reconnection BEGIN SELECT RAISE(ABORT, 'reconnections are never edited'); END;
CREATE TRIGGER reconnection_no_delete BEFORE DELETE ON reconnection BEGIN SELECT RAISE(ABORT, 'reconnections are never deleted'); END;

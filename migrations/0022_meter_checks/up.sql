-- On-site checks of metering installations (现场检验, issue 13; DL/T 448: class I every 3–6
-- months, II every 6–12, III yearly, periods in the settings): each check with its day,
-- result and who; a meter found out of tolerance or faulty gets a 故障换表 order, linked
-- here. The next check is due one period after the last (or after installation).
-- Append-only.
CREATE TABLE meter_check (
    id           INTEGER PRIMARY KEY,
    meter_id     INTEGER NOT NULL REFERENCES meter(id),
    checked_on   TEXT NOT NULL,
    result       TEXT NOT NULL CHECK (result IN ('ok', 'tolerance', 'fault')),
    note         TEXT NOT NULL DEFAULT '',
    staff_id     INTEGER NOT NULL REFERENCES staff(id),
    recorded_by  INTEGER NOT NULL REFERENCES staff(id),
    at           TEXT NOT NULL,
    order_id     INTEGER REFERENCES work_order(id),
    CHECK (result <> 'ok' OR order_id IS NULL)
);
CREATE INDEX meter_check_meter ON meter_check(meter_id, checked_on);
CREATE TRIGGER meter_check_no_update BEFORE UPDATE ON meter_check BEGIN SELECT RAISE(ABORT, 'meter checks are never edited'); END;
CREATE TRIGGER meter_check_no_delete BEFORE DELETE ON meter_check BEGIN SELECT RAISE(ABORT, 'meter checks are never deleted'); END;

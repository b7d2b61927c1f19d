-- stationdesk 0006: deadlines of work orders (业扩报装时限).
-- Promised dates are computed from the order's stages, the calendar, the limits below and
-- the customer pauses; only the pauses are stored.

-- Customer time (资料未补齐, 客户要求暂缓, 客户自建工程 …): the days from_date..=to_date do
-- not count. A running pause has to_date NULL; it is ended once and never deleted.
CREATE TABLE order_pause (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES work_order(id),
    cause       TEXT NOT NULL CHECK (cause IN ('documents', 'customer_wait', 'customer_works', 'other')),
    reason      TEXT NOT NULL CHECK (reason <> ''),
    from_date   TEXT NOT NULL,
    to_date     TEXT,
    started_by  INTEGER NOT NULL REFERENCES staff(id),
    started_at  TEXT NOT NULL,
    ended_by    INTEGER REFERENCES staff(id),
    ended_at    TEXT,
    CHECK (to_date IS NULL OR to_date >= from_date),
    CHECK ((to_date IS NULL) = (ended_at IS NULL))
);
CREATE INDEX order_pause_order ON order_pause(order_id);
CREATE UNIQUE INDEX order_pause_running ON order_pause(order_id) WHERE to_date IS NULL;
CREATE TRIGGER order_pause_no_delete BEFORE DELETE ON order_pause
BEGIN
    SELECT RAISE(ABORT, 'order pauses are never deleted');
END;
CREATE TRIGGER order_pause_end_once BEFORE UPDATE ON order_pause
WHEN OLD.to_date IS NOT NULL OR NEW.from_date <> OLD.from_date OR NEW.reason <> OLD.reason
    OR NEW.cause <> OLD.cause OR NEW.order_id <> OLD.order_id
BEGIN
    SELECT RAISE(ABORT, 'an order pause is only ever ended, once');
END;

INSERT INTO settings (key, grp, sort, label, kind, value, default_value, unit, min_value, max_value, options, help) VALUES
 ('deadline.survey_days',    '业扩时限', 345, '现场勘查', 'int', '2', '2', '工作日', '1', '30', '', '受理后多少个工作日内完成勘查（所内规定）'),
 ('deadline.archive_days',   '业扩时限', 415, '资料归档（完成后）', 'int', '3', '3', '工作日', '1', '30', '', '装表接电或办结后多少个工作日内归档（所内规定）'),
 ('deadline.change_days',    '业扩时限', 416, '变更用电办结', 'int', '5', '5', '工作日', '1', '60', '', '暂停、减容、过户、更名、改类、移表、销户（所内规定）'),
 ('deadline.resume_hours',   '业扩时限', 417, '恢复用电', 'int', '24', '24', '小时', '1', '168', '', '受理恢复用电后多少小时内复电'),
 ('deadline.at_risk_days',   '业扩时限', 418, '临期提醒', 'int', '2', '2', '工作日', '1', '10', '', '剩余这么多个工作日以内的工单列为“临期”');

-- The meter a 校表 or 故障换表 order is about (issue 13): the meter in service on the
-- customer's account when the order was accepted, written in the acceptance's transaction.
-- One row per order (its id is the order's); append-only.
CREATE TABLE order_meter (
    id        INTEGER PRIMARY KEY REFERENCES work_order(id),
    meter_id  INTEGER NOT NULL REFERENCES meter(id)
);
CREATE INDEX order_meter_meter ON order_meter(meter_id);
CREATE TRIGGER order_meter_no_update BEFORE UPDATE ON order_meter BEGIN SELECT RAISE(ABORT, 'order meters are never edited'); END;
CREATE TRIGGER order_meter_no_delete BEFORE DELETE ON order_meter BEGIN SELECT RAISE(ABORT, 'order meters are never deleted'); END;

-- Rotation plans (计量装置轮换, issue 13): the chief's plan of a year, proposed from the
-- meters in service (valid_until in the year or past, faulty ones, large customers on their
-- own schedule), split into months by 台区, approved once; afterwards changed only by
-- audited additions (area managers report meters found overdue or abnormal) and moves.
-- An item is done by the swap that took its meter off. The responsible person is the area
-- manager of the item's 台区.
CREATE TABLE rotation_plan (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL UNIQUE CHECK (year BETWEEN 2000 AND 2100),
    created_at   TEXT NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES staff(id),
    approved_at  TEXT,
    approved_by  INTEGER REFERENCES staff(id),
    CHECK ((approved_at IS NULL) = (approved_by IS NULL))
);

CREATE TABLE rotation_item (
    id                    INTEGER PRIMARY KEY,
    plan_id               INTEGER NOT NULL REFERENCES rotation_plan(id),
    meter_id              INTEGER NOT NULL REFERENCES meter(id),
    customer_id           INTEGER REFERENCES customer(id),
    area_id               INTEGER REFERENCES transformer_area(id),
    month                 INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    source                TEXT NOT NULL CHECK (source IN ('expiry', 'overdue', 'fault', 'large', 'reported')),
    reported_by           INTEGER REFERENCES staff(id),
    reported_at           TEXT,
    note                  TEXT NOT NULL DEFAULT '',
    added_after_approval  INTEGER NOT NULL DEFAULT 0 CHECK (added_after_approval IN (0, 1)),
    swap_id               INTEGER REFERENCES meter_swap(id),
    done_on               TEXT,
    UNIQUE (plan_id, meter_id),
    CHECK ((swap_id IS NULL) = (done_on IS NULL)),
    CHECK ((source = 'reported') = (reported_by IS NOT NULL))
);
CREATE INDEX rotation_item_plan ON rotation_item(plan_id, month, area_id);
CREATE INDEX rotation_item_meter ON rotation_item(meter_id) WHERE swap_id IS NULL;
-- an item is never removed; its plan never changes
CREATE TRIGGER rotation_item_no_delete BEFORE DELETE ON rotation_item BEGIN SELECT RAISE(ABORT, 'rotation items are never deleted'); END;
CREATE TRIGGER rotation_item_keeps_plan BEFORE UPDATE ON rotation_item
WHEN NEW.plan_id IS NOT OLD.plan_id OR NEW.meter_id IS NOT OLD.meter_id
BEGIN
    SELECT RAISE(ABORT, 'a rotation item keeps its plan and meter');
END;
CREATE TRIGGER rotation_plan_no_delete BEFORE DELETE ON rotation_plan BEGIN SELECT RAISE(ABORT, 'rotation plans are never deleted'); END;

-- Meter assets (issue 13, DOMAIN.md §4): every meter and CT/PT set, its life in status
-- changes (who and why, kept for ever), the swaps on customers' accounts with both
-- readings, and batch extensions of the verification period. Readings are kept in
-- hundredths of a kWh (integer), multipliers as whole numbers.
CREATE TABLE meter (
    id           INTEGER PRIMARY KEY,
    asset_no     TEXT NOT NULL UNIQUE CHECK (length(asset_no) BETWEEN 4 AND 32),
    kind         TEXT NOT NULL CHECK (kind IN ('single', 'three', 'three_ct', 'ct', 'pt')),
    accuracy     TEXT NOT NULL CHECK (accuracy IN ('2', '1', '0.5S', '0.2S')),
    maker        TEXT NOT NULL,
    batch        TEXT NOT NULL DEFAULT '',
    -- integer digits of the register (a rollover is possible only when known)
    digits       INTEGER CHECK (digits IS NULL OR digits BETWEEN 1 AND 12),
    ct_ratio     TEXT NOT NULL DEFAULT '',
    pt_ratio     TEXT NOT NULL DEFAULT '',
    multiplier   INTEGER NOT NULL DEFAULT 1 CHECK (multiplier >= 1),
    produced_on  TEXT NOT NULL,
    verified_on  TEXT NOT NULL,
    valid_until  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('stock', 'service', 'removed', 'testing', 'scrapped')),
    -- where it is in service: a customer's account, or a 台区's summary meter (考核表)
    customer_id  INTEGER REFERENCES customer(id),
    area_id      INTEGER REFERENCES transformer_area(id),
    position     TEXT NOT NULL DEFAULT '',
    seals        TEXT NOT NULL DEFAULT '',
    received_on  TEXT NOT NULL,
    CHECK ((status = 'service') = (customer_id IS NOT NULL OR area_id IS NOT NULL)),
    CHECK (customer_id IS NULL OR area_id IS NULL)
);
CREATE INDEX meter_customer ON meter(customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX meter_area ON meter(area_id) WHERE area_id IS NOT NULL;
CREATE INDEX meter_status ON meter(status, kind, accuracy);
CREATE INDEX meter_batch ON meter(maker, batch);
CREATE INDEX meter_valid ON meter(status, valid_until);

-- Every status change of a meter, from its receipt into stock on: append-only.
CREATE TABLE meter_event (
    id           INTEGER PRIMARY KEY,
    meter_id     INTEGER NOT NULL REFERENCES meter(id),
    at           TEXT NOT NULL,
    staff_id     INTEGER REFERENCES staff(id),
    from_status  TEXT CHECK (from_status IS NULL OR from_status IN ('stock', 'service', 'removed', 'testing', 'scrapped')),
    to_status    TEXT NOT NULL CHECK (to_status IN ('stock', 'service', 'removed', 'testing', 'scrapped')),
    customer_id  INTEGER REFERENCES customer(id),
    reason       TEXT NOT NULL
);
CREATE INDEX meter_event_meter ON meter_event(meter_id, id);
CREATE TRIGGER meter_event_no_update BEFORE UPDATE ON meter_event BEGIN SELECT RAISE(ABORT, 'meter history is never edited'); END;
CREATE TRIGGER meter_event_no_delete BEFORE DELETE ON meter_event BEGIN SELECT RAISE(ABORT, 'meter history is never deleted'); END;

-- A meter put on or taken off an account (换表): the old meter's final reading and seals,
-- the new meter's initial reading and seals, each one's multiplier. A first installation
-- has no old meter. Append-only.
CREATE TABLE meter_swap (
    id                 INTEGER PRIMARY KEY,
    customer_id        INTEGER NOT NULL REFERENCES customer(id),
    swapped_on         TEXT NOT NULL,
    at                 TEXT NOT NULL,
    staff_id           INTEGER NOT NULL REFERENCES staff(id),
    recorded_by        INTEGER NOT NULL REFERENCES staff(id),
    reason             TEXT NOT NULL CHECK (reason IN ('install', 'rotation', 'fault', 'capacity', 'request')),
    old_meter_id       INTEGER REFERENCES meter(id),
    old_final_centi    INTEGER CHECK (old_final_centi IS NULL OR old_final_centi >= 0),
    old_multiplier     INTEGER CHECK (old_multiplier IS NULL OR old_multiplier >= 1),
    old_seals          TEXT NOT NULL DEFAULT '',
    rollover           INTEGER NOT NULL DEFAULT 0 CHECK (rollover IN (0, 1)),
    new_meter_id       INTEGER NOT NULL REFERENCES meter(id),
    new_initial_centi  INTEGER NOT NULL CHECK (new_initial_centi >= 0),
    new_multiplier     INTEGER NOT NULL CHECK (new_multiplier >= 1),
    new_seals          TEXT NOT NULL DEFAULT '',
    order_id           INTEGER REFERENCES work_order(id),
    CHECK ((old_meter_id IS NULL) = (old_final_centi IS NULL)),
    CHECK ((old_meter_id IS NULL) = (old_multiplier IS NULL)),
    CHECK (old_meter_id IS NULL OR old_meter_id <> new_meter_id)
);
CREATE INDEX meter_swap_customer ON meter_swap(customer_id, id);
CREATE INDEX meter_swap_new ON meter_swap(new_meter_id);
CREATE TRIGGER meter_swap_no_update BEFORE UPDATE ON meter_swap BEGIN SELECT RAISE(ABORT, 'meter swaps are never edited'); END;
CREATE TRIGGER meter_swap_no_delete BEFORE DELETE ON meter_swap BEGIN SELECT RAISE(ABORT, 'meter swaps are never deleted'); END;

-- A batch extension of the verification period (the regulator's document number); the
-- meters it changed are listed in its audit entry. Append-only.
CREATE TABLE meter_extension (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    staff_id      INTEGER NOT NULL REFERENCES staff(id),
    doc_no        TEXT NOT NULL CHECK (length(doc_no) > 0),
    years         INTEGER NOT NULL CHECK (years BETWEEN 1 AND 10),
    maker         TEXT,
    batch         TEXT,
    produced_year INTEGER,
    meters        INTEGER NOT NULL CHECK (meters >= 1),
    CHECK ((maker IS NOT NULL AND batch IS NOT NULL) OR produced_year IS NOT NULL)
);
CREATE TRIGGER meter_extension_no_update BEFORE UPDATE ON meter_extension BEGIN SELECT RAISE(ABORT, 'meter extensions are never edited'); END;
CREATE TRIGGER meter_extension_no_delete BEFORE DELETE ON meter_extension BEGIN SELECT RAISE(ABORT, 'meter extensions are never deleted'); END;

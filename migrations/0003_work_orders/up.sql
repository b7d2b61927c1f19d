-- stationdesk 0003: work orders of the one-stop counter (工单, 一口对外, 首问负责, 一证受理).
-- Orders are never deleted: a cancelled order keeps its stages, fees, contacts and history.
-- Money is integer 分; times are local 'YYYY-MM-DD HH:MM:SS'.

CREATE TABLE work_order (
    id                   INTEGER PRIMARY KEY,
    -- station code + YYYYMMDD + 4-digit sequence of the day, allocated in the same
    -- BEGIN IMMEDIATE transaction as this row
    tracking_no          TEXT NOT NULL UNIQUE,
    track_date           TEXT NOT NULL,             -- YYYY-MM-DD
    track_seq            INTEGER NOT NULL CHECK (track_seq BETWEEN 1 AND 9999),
    kind                 TEXT NOT NULL CHECK (kind IN ('new', 'capacity_up', 'capacity_down',
                             'suspend', 'resume', 'transfer', 'rename', 'change_category',
                             'relocate', 'close', 'temporary', 'meter_test', 'faulty_meter',
                             'inquiry')),
    conn_class           TEXT CHECK (conn_class IN ('lv_residential', 'lv_nonresidential',
                             'hv_single', 'hv_dual')),
    external_works       INTEGER NOT NULL DEFAULT 0 CHECK (external_works IN (0, 1)),
    -- an existing customer, or the applicant's details (新装 / 临时用电 / 咨询)
    customer_id          INTEGER REFERENCES customer(id),
    applicant_name       TEXT NOT NULL DEFAULT '',
    applicant_id_number  TEXT NOT NULL DEFAULT '',
    applicant_phone      TEXT NOT NULL DEFAULT '',
    applicant_address    TEXT NOT NULL DEFAULT '',
    area_id              INTEGER REFERENCES transformer_area(id),
    description          TEXT NOT NULL DEFAULT '',
    -- 咨询/查询: the one-line answer given
    answer               TEXT NOT NULL DEFAULT '',
    state                TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'completed', 'cancelled')),
    -- 首问负责: the clerk who accepted it stays responsible
    responsible_id       INTEGER NOT NULL REFERENCES staff(id),
    dispatched_to        INTEGER REFERENCES staff(id),
    dispatched_at        TEXT,
    -- 快速通道: connect first, paperwork after; chosen by the chief, visible to auditors
    fast_channel         INTEGER NOT NULL DEFAULT 0 CHECK (fast_channel IN (0, 1)),
    fast_channel_by      INTEGER REFERENCES staff(id),
    fast_channel_reason  TEXT NOT NULL DEFAULT '',
    created_at           TEXT NOT NULL,
    last_contact_at      TEXT,
    closed_at            TEXT,
    closed_by            INTEGER REFERENCES staff(id),
    cancel_reason        TEXT,
    UNIQUE (track_date, track_seq),
    CHECK (customer_id IS NOT NULL OR applicant_name <> '' OR kind = 'inquiry'),
    CHECK (state <> 'cancelled' OR (cancel_reason IS NOT NULL AND cancel_reason <> ''))
);
CREATE INDEX work_order_state_kind ON work_order(state, kind);
CREATE INDEX work_order_area ON work_order(area_id, state);
CREATE INDEX work_order_responsible ON work_order(responsible_id, state);
CREATE INDEX work_order_dispatched ON work_order(dispatched_to, state);
CREATE INDEX work_order_customer ON work_order(customer_id);

-- The stages of each order, in chain order (pos from 0; 受理 first).
CREATE TABLE order_stage (
    order_id  INTEGER NOT NULL REFERENCES work_order(id),
    pos       INTEGER NOT NULL,
    stage     TEXT NOT NULL,
    state     TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
    done_at   TEXT,
    done_by   INTEGER REFERENCES staff(id),
    -- findings of the survey, plan replied, seals …
    notes     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (order_id, pos),
    UNIQUE (order_id, stage),
    CHECK (state = 'pending' OR done_at IS NOT NULL)
);

-- Documents the order needs; received = 0 means still missing (listed on the slip).
CREATE TABLE order_document (
    order_id     INTEGER NOT NULL REFERENCES work_order(id),
    doc          TEXT NOT NULL,
    pos          INTEGER NOT NULL,
    received     INTEGER NOT NULL DEFAULT 0 CHECK (received IN (0, 1)),
    -- at acceptance, or supplied later: when and to whom
    received_at  TEXT,
    received_by  INTEGER REFERENCES staff(id),
    PRIMARY KEY (order_id, doc)
);
CREATE INDEX order_document_missing ON order_document(order_id) WHERE received = 0;

-- Business fees of an order (业务费用), integer 分.
CREATE TABLE order_fee (
    id            INTEGER PRIMARY KEY,
    order_id      INTEGER NOT NULL REFERENCES work_order(id),
    item          TEXT NOT NULL,
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    added_at      TEXT NOT NULL,
    added_by      INTEGER NOT NULL REFERENCES staff(id),
    collected     INTEGER NOT NULL DEFAULT 0 CHECK (collected IN (0, 1)),
    collected_at  TEXT,
    collected_by  INTEGER REFERENCES staff(id),
    CHECK (collected = 0 OR collected_at IS NOT NULL)
);
CREATE INDEX order_fee_order ON order_fee(order_id);

-- Contacts with the customer about the order (phone calls, visits …).
CREATE TABLE order_contact (
    id        INTEGER PRIMARY KEY,
    order_id  INTEGER NOT NULL REFERENCES work_order(id),
    at        TEXT NOT NULL,
    staff_id  INTEGER NOT NULL REFERENCES staff(id),
    channel   TEXT NOT NULL CHECK (channel IN ('phone', 'visit', 'counter', 'sms', 'other')),
    content   TEXT NOT NULL
);
CREATE INDEX order_contact_order ON order_contact(order_id, at);

-- The order's own history (what the order page shows); the audit log keeps the same
-- facts hash-chained.
CREATE TABLE order_event (
    id        INTEGER PRIMARY KEY,
    order_id  INTEGER NOT NULL REFERENCES work_order(id),
    at        TEXT NOT NULL,
    staff_id  INTEGER REFERENCES staff(id),
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX order_event_order ON order_event(order_id, id);
CREATE TRIGGER order_event_no_update BEFORE UPDATE ON order_event
BEGIN
    SELECT RAISE(ABORT, 'order_event is append-only');
END;
CREATE TRIGGER order_event_no_delete BEFORE DELETE ON order_event
BEGIN
    SELECT RAISE(ABORT, 'order_event is append-only');
END;
CREATE TRIGGER work_order_no_delete BEFORE DELETE ON work_order
BEGIN
    SELECT RAISE(ABORT, 'work orders are never deleted: cancel with a reason');
END;

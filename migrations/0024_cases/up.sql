-- Complaints, repair calls and the duty log (投诉 / 报修 / 值班记录, issue 14, DOMAIN.md §6).
-- A case is one row that changes (its state, who holds it, its round); what happened to it
-- is kept for ever in its steps and return visits (append-only). Times are to the minute,
-- 'YYYY-MM-DD HH:MM:SS' local time like every other time in this file.

-- The kind of area each 台区 serves (its repair crew's arrival limit). In a table of its
-- own: a 台区 without a row counts as rural, and the sealed 台区 rows keep their digests.
CREATE TABLE area_type (
    area_id    INTEGER PRIMARY KEY REFERENCES transformer_area(id),
    area_type  TEXT NOT NULL CHECK (area_type IN ('urban', 'rural', 'remote'))
);

CREATE TABLE service_case (
    id            INTEGER PRIMARY KEY,
    -- station code + 'T' + date + 3-digit sequence of the day, allocated in the insert's transaction
    case_no       TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL CHECK (kind IN ('complaint', 'report', 'opinion', 'repair', 'question', 'praise')),
    channel       TEXT NOT NULL CHECK (channel IN ('counter', 'phone', '95598', '12345', '12398')),
    upstream_no   TEXT NOT NULL DEFAULT '',
    received_at   TEXT NOT NULL,
    customer_id   INTEGER REFERENCES customer(id),
    caller_name   TEXT NOT NULL DEFAULT '',
    caller_phone  TEXT NOT NULL DEFAULT '',
    place         TEXT NOT NULL DEFAULT '',
    area_id       INTEGER REFERENCES transformer_area(id),
    content       TEXT NOT NULL CHECK (length(content) > 0),
    urgent        INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
    -- a repair call that cut supply (its restore step is then required)
    supply_cut    INTEGER NOT NULL DEFAULT 0 CHECK (supply_cut IN (0, 1)),
    -- a complaint caused by a late work order
    order_id      INTEGER REFERENCES work_order(id),
    assignee_id   INTEGER REFERENCES staff(id),
    crew          TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL CHECK (state IN ('open', 'visit', 'closed')),
    -- 0 the first handling; +1 at each reopening after an unsatisfied visit
    round         INTEGER NOT NULL DEFAULT 0 CHECK (round >= 0),
    -- decided when logged: kinds the chief samples may need no visit
    visit_needed  INTEGER NOT NULL CHECK (visit_needed IN (0, 1)),
    closed_at     TEXT,
    -- how it closed: visited, visit failed (no answer after the last try), not sampled
    closed_how    TEXT CHECK (closed_how IN ('visited', 'visit_failed', 'not_sampled')),
    created_by    INTEGER NOT NULL REFERENCES staff(id),
    created_at    TEXT NOT NULL,
    CHECK (channel NOT IN ('95598', '12345', '12398') OR length(upstream_no) > 0),
    CHECK ((state = 'closed') = (closed_at IS NOT NULL)),
    CHECK ((state = 'closed') = (closed_how IS NOT NULL))
);
CREATE INDEX service_case_state ON service_case(state, received_at);
CREATE INDEX service_case_received ON service_case(received_at);
CREATE INDEX service_case_customer ON service_case(customer_id, received_at) WHERE customer_id IS NOT NULL;
CREATE INDEX service_case_phone ON service_case(caller_phone, received_at) WHERE caller_phone <> '';
CREATE INDEX service_case_order ON service_case(order_id) WHERE order_id IS NOT NULL;

-- Every step of the handling, with when it happened (typed, to the minute) and when it was
-- recorded. A restore step of a call that cut supply carries the customers affected and
-- since when (停电时户数). Append-only.
CREATE TABLE case_step (
    id                INTEGER PRIMARY KEY,
    case_id           INTEGER NOT NULL REFERENCES service_case(id),
    round             INTEGER NOT NULL,
    step              TEXT NOT NULL CHECK (step IN ('dispatched', 'contacted', 'arrived', 'restored', 'cause', 'replied', 'result', 'reopened')),
    at                TEXT NOT NULL,
    note              TEXT NOT NULL DEFAULT '',
    -- dispatched to
    staff_id          INTEGER REFERENCES staff(id),
    outage_customers  INTEGER CHECK (outage_customers IS NULL OR outage_customers >= 0),
    outage_from       TEXT,
    recorded_by       INTEGER NOT NULL REFERENCES staff(id),
    recorded_at       TEXT NOT NULL,
    CHECK ((outage_customers IS NULL) = (outage_from IS NULL)),
    CHECK (outage_customers IS NULL OR step = 'restored')
);
CREATE INDEX case_step_case ON case_step(case_id, round, at);
CREATE INDEX case_step_restored ON case_step(step, at) WHERE step = 'restored';
CREATE TRIGGER case_step_no_update BEFORE UPDATE ON case_step BEGIN SELECT RAISE(ABORT, 'case steps are never edited'); END;
CREATE TRIGGER case_step_no_delete BEFORE DELETE ON case_step BEGIN SELECT RAISE(ABORT, 'case steps are never deleted'); END;

-- Return visits (回访): each try with its result. Append-only.
CREATE TABLE case_visit (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES service_case(id),
    round        INTEGER NOT NULL,
    result       TEXT NOT NULL CHECK (result IN ('satisfied', 'basic', 'unsatisfied', 'no_answer')),
    note         TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL,
    recorded_by  INTEGER NOT NULL REFERENCES staff(id),
    recorded_at  TEXT NOT NULL
);
CREATE INDEX case_visit_case ON case_visit(case_id, round, at);
CREATE TRIGGER case_visit_no_update BEFORE UPDATE ON case_visit BEGIN SELECT RAISE(ABORT, 'visits are never edited'); END;
CREATE TRIGGER case_visit_no_delete BEFORE DELETE ON case_visit BEGIN SELECT RAISE(ABORT, 'visits are never deleted'); END;

INSERT INTO settings (key, grp, sort, label, kind, value, default_value, unit, min_value, max_value, options, help) VALUES
 ('case.repeat_days',  '投诉报修', 1040, '重复来电统计天数', 'int', '30', '30', '天', '1', '365', '',
  '同一客户或电话在此天数内的来电达到下项次数，标为有升级 12398 风险'),
 ('case.repeat_count', '投诉报修', 1050, '重复来电次数', 'int', '2', '2', '次', '2', '20', '', ''),
 ('duty.shift_start_hour', '投诉报修', 1060, '值班交接时刻', 'int', '8', '8', '时', '0', '23', '',
  '值班记录按班打印：从该时刻到次日同一时刻');

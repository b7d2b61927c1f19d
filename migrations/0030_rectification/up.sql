-- Rectification (限期整改), issue 16, DOMAIN.md §7: a finding the auditor (稽查员) records
-- against a person or a 台区 with a deadline; the person responsible records the fix; the
-- auditor accepts it or sends it back. The finding's state is kept on its row (a changing
-- row, sealed with its key); each step is its own append-only row.

CREATE TABLE audit_finding (
    id            INTEGER PRIMARY KEY,
    -- 整改单号: ZG + year + '-' + 3-digit sequence of the year, allocated in the insert's
    -- transaction (gap-free like the other numbers)
    finding_no    TEXT NOT NULL UNIQUE,
    year          INTEGER NOT NULL,
    seq           INTEGER NOT NULL CHECK (seq > 0),
    category      TEXT NOT NULL CHECK (category IN ('receipts', 'numbers', 'cash', 'deadline',
                      'fee', 'file', 'tariff', 'late_fee', 'settings', 'accounts', 'reading',
                      'other')),
    description   TEXT NOT NULL CHECK (length(description) > 0),
    -- the person responsible, or the 台区 (its manager answers for it), or both
    staff_id      INTEGER REFERENCES staff(id),
    area_id       INTEGER REFERENCES transformer_area(id),
    due_on        TEXT NOT NULL CHECK (length(due_on) = 10),
    state         TEXT NOT NULL DEFAULT 'open'
                      CHECK (state IN ('open', 'fixed', 'returned', 'accepted')),
    found_by      INTEGER NOT NULL REFERENCES staff(id),
    found_at      TEXT NOT NULL,
    -- when the auditor accepted the fix
    closed_at     TEXT,
    CHECK (staff_id IS NOT NULL OR area_id IS NOT NULL),
    CHECK ((state = 'accepted') = (closed_at IS NOT NULL)),
    UNIQUE (year, seq)
);
CREATE INDEX audit_finding_state ON audit_finding(state, due_on);
CREATE INDEX audit_finding_found ON audit_finding(found_at);

-- Only the moves of the procedure: open or sent back → fixed → accepted or sent back; the
-- finding itself (what, who, by when) never changes once recorded.
CREATE TRIGGER audit_finding_moves BEFORE UPDATE ON audit_finding
WHEN NOT (
    (OLD.state IN ('open', 'returned') AND NEW.state = 'fixed')
    OR (OLD.state = 'fixed' AND NEW.state IN ('accepted', 'returned'))
) OR NEW.finding_no IS NOT OLD.finding_no OR NEW.category IS NOT OLD.category
  OR NEW.description IS NOT OLD.description OR NEW.staff_id IS NOT OLD.staff_id
  OR NEW.area_id IS NOT OLD.area_id OR NEW.due_on IS NOT OLD.due_on
  OR NEW.found_by IS NOT OLD.found_by OR NEW.found_at IS NOT OLD.found_at
BEGIN
    SELECT RAISE(ABORT, 'a finding moves only open/returned -> fixed -> accepted/returned');
END;
CREATE TRIGGER audit_finding_no_delete BEFORE DELETE ON audit_finding
BEGIN SELECT RAISE(ABORT, 'findings are never deleted'); END;

CREATE TABLE audit_finding_step (
    id          INTEGER PRIMARY KEY,
    finding_id  INTEGER NOT NULL REFERENCES audit_finding(id),
    kind        TEXT NOT NULL CHECK (kind IN ('fix', 'accept', 'return')),
    note        TEXT NOT NULL CHECK (length(note) > 0),
    by_staff    INTEGER NOT NULL REFERENCES staff(id),
    at          TEXT NOT NULL
);
CREATE INDEX audit_finding_step_finding ON audit_finding_step(finding_id, id);
CREATE TRIGGER audit_finding_step_no_update BEFORE UPDATE ON audit_finding_step
BEGIN SELECT RAISE(ABORT, 'rectification steps are never edited'); END;
CREATE TRIGGER audit_finding_step_no_delete BEFORE DELETE ON audit_finding_step
BEGIN SELECT RAISE(ABORT, 'rectification steps are never deleted'); END;

INSERT INTO settings (key, grp, sort, label, kind, value, default_value, unit, min_value, max_value, options, help) VALUES
 ('audit.fix_days', '稽查', 1300, '整改期限（默认）', 'int', '10', '10', '天', '1', '90', '',
  '稽查员登记整改事项时默认给的期限（日历天），可逐条改；所内规定，待所长确认');

-- The audit views of setting changes and of account changes read a year of the trail by
-- action: partial indexes hold only those few entries (service/audit_views.rs uses the same
-- IN lists, and a test checks the plan), so a year of payments is not scanned.
CREATE INDEX audit_log_settings ON audit_log(at)
    WHERE action IN ('settings.update', 'assessment.rule_update', 'station.update',
                     'calendar.set_day', 'calendar.set_year', 'calendar.clear_day');
CREATE INDEX audit_log_accounts ON audit_log(at)
    WHERE action IN ('staff.create', 'staff.reset_password', 'staff.change_password',
                     'staff.activate', 'staff.deactivate', 'auth.lockout');

-- The audit view of reprints reads only the reprints (a year holds a million first prints).
CREATE INDEX receipt_print_reprints ON receipt_print(printed_at) WHERE reprint_no > 0;

-- The audit view of tariff categories reads only the customers billed at another category.
CREATE INDEX customer_tariff ON customer(tariff_code) WHERE tariff_code <> '';

-- The day-end view counts each day end's cash again from its payments: the cashier's day
-- index also holds the method and amount, so that count reads the index alone (the day end
-- itself counts the same way). Same leading columns, so every existing use still fits.
DROP INDEX payment_cashier_day;
CREATE INDEX payment_cashier_day ON payment(cashier_id, business_date, method, amount_fen);

-- stationdesk: bills, payments and receipts (抄核收), voids, reversals, prepaid balance,
-- day ends (日清日结). Money is integer 分; dates 'YYYY-MM-DD'; times 'YYYY-MM-DD HH:MM:SS'.
-- Bills, payments, allocations, receipts and everything recorded about them are never
-- edited or deleted (triggers refuse it): a void, a print or a reversal is a row of its own.

-- Bills (电费账单), from the provincial system's file or, later, computed here.
CREATE TABLE bill (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customer(id),
    period       TEXT NOT NULL CHECK (length(period) = 7
                     AND period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
    kwh          INTEGER NOT NULL CHECK (kwh >= 0),
    amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
    due_date     TEXT NOT NULL CHECK (length(due_date) = 10),
    -- 'import' (the provincial file), 'demo'
    source       TEXT NOT NULL,
    source_file  TEXT NOT NULL DEFAULT '',
    imported_at  TEXT NOT NULL,
    imported_by  INTEGER REFERENCES staff(id),
    UNIQUE (customer_id, period)
);
CREATE INDEX bill_due ON bill(due_date);

-- The chief waives a bill's late fee, with a reason: the bill then accrues none.
CREATE TABLE late_fee_waiver (
    id         INTEGER PRIMARY KEY,
    bill_id    INTEGER NOT NULL UNIQUE REFERENCES bill(id),
    reason     TEXT NOT NULL CHECK (reason <> ''),
    waived_by  INTEGER NOT NULL REFERENCES staff(id),
    waived_at  TEXT NOT NULL
);

-- Outage / switch-over periods declared by the chief: no late fee accrues from from_date
-- through to_date.
CREATE TABLE outage_period (
    id           INTEGER PRIMARY KEY,
    from_date    TEXT NOT NULL,
    to_date      TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (reason <> ''),
    declared_by  INTEGER NOT NULL REFERENCES staff(id),
    declared_at  TEXT NOT NULL,
    CHECK (from_date <= to_date)
);

-- Money received (amount > 0) or given back by a reversal (红冲, amount < 0, referencing
-- the payment it reverses, approved by the chief with a reason). One receipt each.
CREATE TABLE payment (
    id             INTEGER PRIMARY KEY,
    -- the customer, or a work order's applicant who has no customer file yet
    customer_id    INTEGER REFERENCES customer(id),
    order_id       INTEGER REFERENCES work_order(id),
    amount_fen     INTEGER NOT NULL CHECK (amount_fen <> 0),
    method         TEXT NOT NULL CHECK (method IN ('cash', 'card', 'mobile', 'cheque')),
    reference      TEXT NOT NULL DEFAULT '',
    -- cash only: money handed over and change given back
    tendered_fen   INTEGER,
    change_fen     INTEGER,
    cashier_id     INTEGER NOT NULL REFERENCES staff(id),
    at             TEXT NOT NULL,
    business_date  TEXT NOT NULL,
    -- one per confirm dialog: the same key twice is the same payment
    request_key    TEXT NOT NULL UNIQUE,
    reverses_id    INTEGER UNIQUE REFERENCES payment(id),
    approved_by    INTEGER REFERENCES staff(id),
    reason         TEXT NOT NULL DEFAULT '',
    CHECK (customer_id IS NOT NULL OR order_id IS NOT NULL),
    CHECK ((reverses_id IS NULL AND amount_fen > 0)
        OR (reverses_id IS NOT NULL AND amount_fen < 0 AND approved_by IS NOT NULL AND reason <> '')),
    CHECK (method = 'cash' OR (tendered_fen IS NULL AND change_fen IS NULL)),
    CHECK (tendered_fen IS NULL OR (change_fen = tendered_fen - amount_fen AND change_fen >= 0))
);
CREATE INDEX payment_cashier_day ON payment(cashier_id, business_date);
CREATE INDEX payment_customer ON payment(customer_id);
CREATE INDEX payment_order ON payment(order_id) WHERE order_id IS NOT NULL;

-- What each payment paid, in order. The lines of a payment add up to its amount: the
-- prepaid balance used is a negative 'prepaid_use' line, a surplus a 'prepaid_add' line.
CREATE TABLE allocation (
    id           INTEGER PRIMARY KEY,
    payment_id   INTEGER NOT NULL REFERENCES payment(id),
    pos          INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('principal', 'late_fee', 'order_fee',
                     'prepaid_use', 'prepaid_add')),
    customer_id  INTEGER REFERENCES customer(id),
    bill_id      INTEGER REFERENCES bill(id),
    fee_id       INTEGER REFERENCES order_fee(id),
    amount_fen   INTEGER NOT NULL CHECK (amount_fen <> 0),
    UNIQUE (payment_id, pos),
    CHECK ((kind IN ('principal', 'late_fee')) = (bill_id IS NOT NULL)),
    CHECK ((kind = 'order_fee') = (fee_id IS NOT NULL)),
    CHECK (kind NOT IN ('prepaid_use', 'prepaid_add') OR customer_id IS NOT NULL)
);
CREATE INDEX allocation_bill ON allocation(bill_id) WHERE bill_id IS NOT NULL;
CREATE INDEX allocation_fee ON allocation(fee_id) WHERE fee_id IS NOT NULL;
CREATE INDEX allocation_customer ON allocation(customer_id, kind);

-- Receipts (收据): 'SJ' + year + 6-digit sequence, consecutive within the year.
CREATE TABLE receipt (
    id                 INTEGER PRIMARY KEY,
    receipt_no         TEXT NOT NULL UNIQUE,
    year               INTEGER NOT NULL,
    seq                INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 999999),
    payment_id         INTEGER NOT NULL UNIQUE REFERENCES payment(id),
    issued_at          TEXT NOT NULL,
    -- as printed: the customer's prepaid balance and arrears after this receipt
    prepaid_after_fen  INTEGER NOT NULL,
    arrears_after_fen  INTEGER NOT NULL,
    UNIQUE (year, seq),
    CHECK (receipt_no = 'SJ' || printf('%04d%06d', year, seq))
);

-- Every print of a receipt: 0 the first, N the N-th reprint (补打); a receipt first printed
-- after a crash (offered at the next start) is printed as 补打 too.
CREATE TABLE receipt_print (
    id          INTEGER PRIMARY KEY,
    receipt_id  INTEGER NOT NULL REFERENCES receipt(id),
    reprint_no  INTEGER NOT NULL CHECK (reprint_no >= 0),
    kind        TEXT NOT NULL CHECK (kind IN ('print', 'reprint', 'recovery')),
    printed_at  TEXT NOT NULL,
    printed_by  INTEGER NOT NULL REFERENCES staff(id),
    UNIQUE (receipt_id, reprint_no)
);
CREATE INDEX receipt_print_by ON receipt_print(printed_by, printed_at);

-- Voids (作废): same business day, before the cashier's day end, approved by the chief.
CREATE TABLE receipt_void (
    id           INTEGER PRIMARY KEY,
    receipt_id   INTEGER NOT NULL UNIQUE REFERENCES receipt(id),
    voided_at    TEXT NOT NULL,
    voided_by    INTEGER NOT NULL REFERENCES staff(id),
    approved_by  INTEGER NOT NULL REFERENCES staff(id),
    reason       TEXT NOT NULL CHECK (reason <> '')
);

-- Prepaid balance applied to a new bill when it is imported (预收冲抵, no money taken).
CREATE TABLE prepaid_offset (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customer(id),
    bill_id        INTEGER NOT NULL REFERENCES bill(id),
    amount_fen     INTEGER NOT NULL CHECK (amount_fen > 0),
    business_date  TEXT NOT NULL,
    at             TEXT NOT NULL
);
CREATE INDEX prepaid_offset_customer ON prepaid_offset(customer_id);
CREATE INDEX prepaid_offset_bill ON prepaid_offset(bill_id);

-- A cashier's day end (日清日结), with the figures as closed and the audit chain's head.
CREATE TABLE day_end (
    id                 INTEGER PRIMARY KEY,
    cashier_id         INTEGER NOT NULL REFERENCES staff(id),
    business_date      TEXT NOT NULL,
    closed_at          TEXT NOT NULL,
    expected_fen       INTEGER NOT NULL,
    cash_expected_fen  INTEGER NOT NULL,
    cash_counted_fen   INTEGER NOT NULL,
    difference_fen     INTEGER NOT NULL,
    difference_reason  TEXT NOT NULL DEFAULT '',
    receipt_first      TEXT,
    receipt_last       TEXT,
    receipt_count      INTEGER NOT NULL,
    reprint_count      INTEGER NOT NULL,
    audit_head_seq     INTEGER NOT NULL,
    audit_head_hash    TEXT NOT NULL,
    UNIQUE (cashier_id, business_date),
    CHECK (difference_fen = cash_counted_fen - cash_expected_fen),
    CHECK (difference_fen = 0 OR difference_reason <> '')
);
CREATE TABLE day_end_method (
    day_end_id  INTEGER NOT NULL REFERENCES day_end(id),
    pos         INTEGER NOT NULL,
    method      TEXT NOT NULL,
    count       INTEGER NOT NULL,
    amount_fen  INTEGER NOT NULL,
    PRIMARY KEY (day_end_id, pos)
);
CREATE TABLE day_end_cash (
    day_end_id  INTEGER NOT NULL REFERENCES day_end(id),
    pos         INTEGER NOT NULL,
    label       TEXT NOT NULL,
    face_fen    INTEGER NOT NULL CHECK (face_fen > 0),
    pieces      INTEGER NOT NULL CHECK (pieces >= 0),
    PRIMARY KEY (day_end_id, pos)
);

-- Payments whose receipt stands (not voided); their allocations; prepaid movements.
CREATE VIEW live_payment AS
    SELECT p.*, r.id AS receipt_id
    FROM payment p JOIN receipt r ON r.payment_id = p.id
    WHERE NOT EXISTS (SELECT 1 FROM receipt_void v WHERE v.receipt_id = r.id);
CREATE VIEW live_allocation AS
    SELECT a.*, p.business_date AS business_date
    FROM allocation a JOIN live_payment p ON p.id = a.payment_id;
CREATE VIEW prepaid_movement AS
    SELECT customer_id, business_date, amount_fen, 'payment' AS source, payment_id AS ref
    FROM live_allocation WHERE kind IN ('prepaid_use', 'prepaid_add')
    UNION ALL
    SELECT customer_id, business_date, -amount_fen, 'offset', id FROM prepaid_offset;

-- Integrity the program must never break, checked by the database itself.
CREATE TRIGGER receipt_gap_free BEFORE INSERT ON receipt
WHEN NEW.seq <> COALESCE((SELECT MAX(seq) FROM receipt WHERE year = NEW.year), 0) + 1
BEGIN
    SELECT RAISE(ABORT, 'receipt numbers must be consecutive');
END;
CREATE TRIGGER receipt_complete BEFORE INSERT ON receipt
WHEN (SELECT amount_fen FROM payment WHERE id = NEW.payment_id)
     IS NOT (SELECT SUM(amount_fen) FROM allocation WHERE payment_id = NEW.payment_id)
BEGIN
    SELECT RAISE(ABORT, 'allocations must add up to the payment');
END;
CREATE TRIGGER allocation_before_receipt BEFORE INSERT ON allocation
WHEN EXISTS (SELECT 1 FROM receipt WHERE payment_id = NEW.payment_id)
BEGIN
    SELECT RAISE(ABORT, 'a payment with a receipt takes no more allocations');
END;
CREATE TRIGGER payment_day_open BEFORE INSERT ON payment
WHEN EXISTS (SELECT 1 FROM day_end WHERE cashier_id = NEW.cashier_id
                                      AND business_date = NEW.business_date)
BEGIN
    SELECT RAISE(ABORT, 'the cashier has closed this business day');
END;
CREATE TRIGGER receipt_void_day_open BEFORE INSERT ON receipt_void
WHEN EXISTS (SELECT 1 FROM receipt r JOIN payment p ON p.id = r.payment_id
             JOIN day_end d ON d.cashier_id = p.cashier_id AND d.business_date = p.business_date
             WHERE r.id = NEW.receipt_id)
BEGIN
    SELECT RAISE(ABORT, 'the day of this receipt is closed');
END;

-- Append-only tables.
CREATE TRIGGER bill_no_update BEFORE UPDATE ON bill BEGIN SELECT RAISE(ABORT, 'bills are never edited'); END;
CREATE TRIGGER bill_no_delete BEFORE DELETE ON bill BEGIN SELECT RAISE(ABORT, 'bills are never deleted'); END;
CREATE TRIGGER late_fee_waiver_no_update BEFORE UPDATE ON late_fee_waiver BEGIN SELECT RAISE(ABORT, 'waivers are never edited'); END;
CREATE TRIGGER late_fee_waiver_no_delete BEFORE DELETE ON late_fee_waiver BEGIN SELECT RAISE(ABORT, 'waivers are never deleted'); END;
CREATE TRIGGER outage_period_no_update BEFORE UPDATE ON outage_period BEGIN SELECT RAISE(ABORT, 'outage periods are never edited'); END;
CREATE TRIGGER outage_period_no_delete BEFORE DELETE ON outage_period BEGIN SELECT RAISE(ABORT, 'outage periods are never deleted'); END;
CREATE TRIGGER payment_no_update BEFORE UPDATE ON payment BEGIN SELECT RAISE(ABORT, 'payments are never edited'); END;
CREATE TRIGGER payment_no_delete BEFORE DELETE ON payment BEGIN SELECT RAISE(ABORT, 'payments are never deleted'); END;
CREATE TRIGGER allocation_no_update BEFORE UPDATE ON allocation BEGIN SELECT RAISE(ABORT, 'allocations are never edited'); END;
CREATE TRIGGER allocation_no_delete BEFORE DELETE ON allocation BEGIN SELECT RAISE(ABORT, 'allocations are never deleted'); END;
CREATE TRIGGER receipt_no_update BEFORE UPDATE ON receipt BEGIN SELECT RAISE(ABORT, 'receipts are never edited'); END;
CREATE TRIGGER receipt_no_delete BEFORE DELETE ON receipt BEGIN SELECT RAISE(ABORT, 'receipts are never deleted'); END;
CREATE TRIGGER receipt_print_no_update BEFORE UPDATE ON receipt_print BEGIN SELECT RAISE(ABORT, 'prints are never edited'); END;
CREATE TRIGGER receipt_print_no_delete BEFORE DELETE ON receipt_print BEGIN SELECT RAISE(ABORT, 'prints are never deleted'); END;
CREATE TRIGGER receipt_void_no_update BEFORE UPDATE ON receipt_void BEGIN SELECT RAISE(ABORT, 'voids are never edited'); END;
CREATE TRIGGER receipt_void_no_delete BEFORE DELETE ON receipt_void BEGIN SELECT RAISE(ABORT, 'voids are never deleted'); END;
CREATE TRIGGER prepaid_offset_no_update BEFORE UPDATE ON prepaid_offset BEGIN SELECT RAISE(ABORT, 'prepaid offsets are never edited'); END;
CREATE TRIGGER prepaid_offset_no_delete BEFORE DELETE ON prepaid_offset BEGIN SELECT RAISE(ABORT, 'prepaid offsets are never deleted'); END;
CREATE TRIGGER day_end_no_update BEFORE UPDATE ON day_end BEGIN SELECT RAISE(ABORT, 'day ends are never edited'); END;
CREATE TRIGGER day_end_no_delete BEFORE DELETE ON day_end BEGIN SELECT RAISE(ABORT, 'day ends are never deleted'); END;
CREATE TRIGGER day_end_method_no_update BEFORE UPDATE ON day_end_method BEGIN SELECT RAISE(ABORT, 'day ends are never edited'); END;
CREATE TRIGGER day_end_method_no_delete BEFORE DELETE ON day_end_method BEGIN SELECT RAISE(ABORT, 'day ends are never deleted'); END;
CREATE TRIGGER day_end_cash_no_update BEFORE UPDATE ON day_end_cash BEGIN SELECT RAISE(ABORT, 'day ends are never edited'); END;
CREATE TRIGGER day_end_cash_no_delete BEFORE DELETE ON day_end_cash BEGIN SELECT RAISE(ABORT, 'day ends are never deleted'); END;

-- The receipt's paper may differ from the other slips' (a thermal roll at the till).
INSERT INTO settings (key, grp, sort, label, kind, value, default_value, unit, min_value, max_value, options, help) VALUES
 ('print.receipt_paper', '打印', 205, '收据纸张', 'choice', 'same', 'same', '', NULL, NULL,
  'same:同“单据纸张”|roll80:80 毫米卷纸|a5:A5 纸|a4:A4 纸', '收费收据和日结报告的纸张');

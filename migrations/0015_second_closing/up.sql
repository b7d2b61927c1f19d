-- stationdesk 0015: a second closing (第二次日结). After a cashier's day end more money may
-- be taken the same day; the next closing covers the payments after the last one. A day end
-- now records its batch (1, 2, …) and the last payment it covers in day_end_batch; a receipt
-- covered by a closing still cannot be voided. The day_end table is rebuilt without its
-- one-per-day UNIQUE (same columns, so its seals hold).

DROP TRIGGER payment_day_open;
DROP TRIGGER receipt_void_day_open;

CREATE TABLE day_end_new (
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
    CHECK (difference_fen = cash_counted_fen - cash_expected_fen),
    CHECK (difference_fen = 0 OR difference_reason <> '')
);
INSERT INTO day_end_new SELECT * FROM day_end ORDER BY id;
DROP TABLE day_end;
ALTER TABLE day_end_new RENAME TO day_end;
CREATE INDEX day_end_cashier_day ON day_end(cashier_id, business_date);
CREATE TRIGGER day_end_no_update BEFORE UPDATE ON day_end BEGIN SELECT RAISE(ABORT, 'day ends are never edited'); END;
CREATE TRIGGER day_end_no_delete BEFORE DELETE ON day_end BEGIN SELECT RAISE(ABORT, 'day ends are never deleted'); END;

-- Which closing of the day a day end is, and the last payment (id) it covers (NULL: none).
CREATE TABLE day_end_batch (
    id               INTEGER PRIMARY KEY REFERENCES day_end(id),
    batch            INTEGER NOT NULL CHECK (batch >= 1),
    last_payment_id  INTEGER REFERENCES payment(id)
);
CREATE TRIGGER day_end_batch_no_update BEFORE UPDATE ON day_end_batch BEGIN SELECT RAISE(ABORT, 'day ends are never edited'); END;
CREATE TRIGGER day_end_batch_no_delete BEFORE DELETE ON day_end_batch BEGIN SELECT RAISE(ABORT, 'day ends are never deleted'); END;
-- the day ends so far were the only closing of their day, covering all its payments
INSERT INTO day_end_batch (id, batch, last_payment_id)
    SELECT d.id, 1, (SELECT MAX(p.id) FROM payment p
                     WHERE p.cashier_id = d.cashier_id AND p.business_date = d.business_date)
    FROM day_end d ORDER BY d.id;

CREATE TRIGGER receipt_void_day_open BEFORE INSERT ON receipt_void
WHEN EXISTS (SELECT 1 FROM receipt r JOIN payment p ON p.id = r.payment_id
             JOIN day_end d ON d.cashier_id = p.cashier_id AND d.business_date = p.business_date
             JOIN day_end_batch b ON b.id = d.id
             WHERE r.id = NEW.receipt_id AND p.id <= b.last_payment_id)
BEGIN
    SELECT RAISE(ABORT, 'the receipt is covered by a closed day end');
END;

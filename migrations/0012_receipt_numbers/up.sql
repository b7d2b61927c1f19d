-- stationdesk 0012: receipt numbers that cannot run out. `SJ` + year + 6 digits allowed
-- 999,999 receipts a year; a county-sized database takes more. From 1,000,000 on a number
-- has 8 digits (`SJ202601000000`, up to 99,999,999 a year); every number issued so far keeps
-- its 6 digits and the sequence stays gap-free. The table is rebuilt with the wider rule (the
-- program runs migrations with foreign keys off and checks them before commit); the views
-- and triggers that read it are made again exactly as they were.

DROP VIEW prepaid_movement;
DROP VIEW live_allocation;
DROP VIEW live_payment;
DROP TRIGGER allocation_before_receipt;
DROP TRIGGER receipt_void_day_open;

CREATE TABLE receipt_new (
    id                 INTEGER PRIMARY KEY,
    receipt_no         TEXT NOT NULL UNIQUE,
    year               INTEGER NOT NULL,
    seq                INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 99999999),
    payment_id         INTEGER NOT NULL UNIQUE REFERENCES payment(id),
    issued_at          TEXT NOT NULL,
    -- as printed: the customer's prepaid balance and arrears after this receipt
    prepaid_after_fen  INTEGER NOT NULL,
    arrears_after_fen  INTEGER NOT NULL,
    UNIQUE (year, seq),
    CHECK (receipt_no = 'SJ' || CASE WHEN seq <= 999999 THEN printf('%04d%06d', year, seq)
                                     ELSE printf('%04d%08d', year, seq) END)
);
INSERT INTO receipt_new (id, receipt_no, year, seq, payment_id, issued_at, prepaid_after_fen, arrears_after_fen)
    SELECT id, receipt_no, year, seq, payment_id, issued_at, prepaid_after_fen, arrears_after_fen
    FROM receipt ORDER BY id;
DROP TABLE receipt;
ALTER TABLE receipt_new RENAME TO receipt;

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
CREATE TRIGGER receipt_void_day_open BEFORE INSERT ON receipt_void
WHEN EXISTS (SELECT 1 FROM receipt r JOIN payment p ON p.id = r.payment_id
             JOIN day_end d ON d.cashier_id = p.cashier_id AND d.business_date = p.business_date
             WHERE r.id = NEW.receipt_id)
BEGIN
    SELECT RAISE(ABORT, 'the day of this receipt is closed');
END;
CREATE TRIGGER receipt_no_update BEFORE UPDATE ON receipt BEGIN SELECT RAISE(ABORT, 'receipts are never edited'); END;
CREATE TRIGGER receipt_no_delete BEFORE DELETE ON receipt BEGIN SELECT RAISE(ABORT, 'receipts are never deleted'); END;

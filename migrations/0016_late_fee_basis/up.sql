-- How each late fee taken was counted (issue 12): a receipt prints what was allocated and
-- how it was counted, from what was true when the money was taken, not from today's
-- settings. One row per late-fee allocation (its id), written in the payment's
-- transaction; a reversal's negative allocation carries the original's figures.
-- Allocations posted before this migration have none (their receipts say only the days).
CREATE TABLE late_fee_basis (
    id               INTEGER PRIMARY KEY REFERENCES allocation(id),
    days_overdue     INTEGER NOT NULL CHECK (days_overdue >= 0),
    days_charged     INTEGER NOT NULL CHECK (days_charged >= 0),
    outage_days      INTEGER NOT NULL CHECK (outage_days >= 0),
    minimum          INTEGER NOT NULL CHECK (minimum IN (0, 1)),
    accrued_fen      INTEGER NOT NULL CHECK (accrued_fen >= 0),
    paid_before_fen  INTEGER NOT NULL
);
CREATE TRIGGER late_fee_basis_no_update BEFORE UPDATE ON late_fee_basis BEGIN SELECT RAISE(ABORT, 'payments are never edited'); END;
CREATE TRIGGER late_fee_basis_no_delete BEFORE DELETE ON late_fee_basis BEGIN SELECT RAISE(ABORT, 'payments are never deleted'); END;
CREATE TRIGGER late_fee_basis_kind BEFORE INSERT ON late_fee_basis
WHEN NOT EXISTS (SELECT 1 FROM allocation WHERE id = NEW.id AND kind = 'late_fee')
BEGIN
    SELECT RAISE(ABORT, 'a late-fee basis belongs to a late-fee allocation');
END;

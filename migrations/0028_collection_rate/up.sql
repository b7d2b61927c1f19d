-- The collection rate (电费回收率, issue 15, DOMAIN.md §8) of each 台区 for the bills of a
-- period, at two checks: the end of the month the bills were issued in, and the day before
-- the book's next reading day. Once a check's day has passed its figure cannot change
-- (payments are dated the day they are taken; voids are the same day only), so it is kept
-- here when first counted and the 12-month chart reads these rows. Derived: it can always be
-- counted again from bills, payments and prepaid offsets.
CREATE TABLE collection_checkpoint (
    area_id        INTEGER NOT NULL,
    period         TEXT NOT NULL,
    checkpoint     TEXT NOT NULL CHECK (checkpoint IN ('month_end', 'before_reading')),
    on_date        TEXT NOT NULL,
    billed_fen     INTEGER NOT NULL,
    collected_fen  INTEGER NOT NULL,
    PRIMARY KEY (area_id, period, checkpoint)
) WITHOUT ROWID;

-- Pinyin initials by every plausible reading (issue 18): 徐长江 is found by `xcj` and `xzj`,
-- …电动车行 by `…ddch` and `…ddcx`. customer.name_initials keeps the common reading; the
-- other readings (at most 7 more per name) are rows here, kept by the store with the name.
-- Search index only (derived from the name), not business data.
CREATE TABLE customer_initial_variant (
    initials     TEXT NOT NULL,
    customer_id  INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,
    PRIMARY KEY (initials, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_initial_variant_customer ON customer_initial_variant(customer_id);
-- the names already on file are read by the program at its next start (SQL cannot read
-- pinyin); this row asks for it and is removed when done
CREATE TABLE search_backfill (what TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO search_backfill (what) VALUES ('initial_variants');

-- Several short words found in address order without walking the address index (issue 18:
-- `王庄 3` and words matching nobody took up to 30 ms). Each customer has a place in
-- address order (`ord`, integers with gaps, kept by the store when a file is written);
-- `customer_piece` lists every 1- and 2-character piece of the name, address and phone as a
-- token, with the customer's `ord` as its rowid, so that an FTS AND of the words returns
-- the customers in address order and stops at the first page. Search index only (derived
-- from the file), not business data.
CREATE TABLE customer_address_order (
    customer_id  INTEGER PRIMARY KEY REFERENCES customer(id) ON DELETE CASCADE,
    ord          INTEGER NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE customer_piece USING fts5(pieces, content='', detail=none, columnsize=0);
-- the files already on file are placed by the program at its next start
INSERT INTO search_backfill (what) VALUES ('address_order');

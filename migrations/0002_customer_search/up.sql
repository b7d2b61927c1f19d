-- stationdesk 0002: search-as-you-type over customers (docs/search.md).
-- Everything here is derived from `customer` and kept in step by generated columns and
-- triggers, so code that inserts or updates customers needs no change.

-- Phone digits without separators ('0635-8123456' → '06358123456') and their last 4, for
-- "phone starts with" and "phone ends with" (the 尾号 customers quote). Virtual generated
-- columns: computed on read, only their indexes take space.
ALTER TABLE customer ADD COLUMN phone_digits TEXT
    GENERATED ALWAYS AS (replace(replace(replace(replace(replace(phone, '-', ''), ' ', ''), '(', ''), ')', ''), '+', '')) VIRTUAL;
ALTER TABLE customer ADD COLUMN phone_tail TEXT
    GENERATED ALWAYS AS (substr(phone_digits, -4)) VIRTUAL;
CREATE INDEX customer_phone_digits ON customer(phone_digits);
CREATE INDEX customer_phone_tail ON customer(phone_tail);

-- Positions 1..100 inside a name, to cut names into 1- and 2-character pieces in triggers
-- (common table expressions are not allowed inside triggers). Characters past the 100th are
-- not cut; prefix and trigram search still reach them.
CREATE TABLE search_gram_pos (k INTEGER PRIMARY KEY);
INSERT INTO search_gram_pos (k)
    SELECT a.k * 10 + b.k + 1
    FROM (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
          UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) AS a,
         (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
          UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) AS b;

-- Every 1- and 2-character piece of each name at its first position, except at the start
-- (the name index finds those): `明` or `小明` inside 王小明 is one index seek, in order of
-- position. (Trigram search needs at least 3 characters; LIKE '%x%' scans the table.)
CREATE TABLE customer_name_gram (
    gram         TEXT NOT NULL COLLATE NOCASE,
    pos          INTEGER NOT NULL,
    customer_id  INTEGER NOT NULL,
    PRIMARY KEY (gram, pos, customer_id)
) WITHOUT ROWID;

-- Substrings of 3 or more characters in name, address and phone digits. External content:
-- the text stays in `customer` only.
CREATE VIRTUAL TABLE customer_fts USING fts5(
    name, address, phone_digits,
    content = 'customer', content_rowid = 'id',
    tokenize = 'trigram', columnsize = 0
);

CREATE TRIGGER customer_search_insert AFTER INSERT ON customer
BEGIN
    INSERT INTO customer_fts (rowid, name, address, phone_digits)
        VALUES (new.id, new.name, new.address, new.phone_digits);
    INSERT INTO customer_name_gram (gram, pos, customer_id)
        SELECT substr(new.name, k, 1), k, new.id FROM search_gram_pos
         WHERE k > 1 AND k <= length(new.name) AND instr(new.name, substr(new.name, k, 1)) = k
        UNION ALL
        SELECT substr(new.name, k, 2), k, new.id FROM search_gram_pos
         WHERE k > 1 AND k < length(new.name) AND instr(new.name, substr(new.name, k, 2)) = k;
END;

CREATE TRIGGER customer_search_delete AFTER DELETE ON customer
BEGIN
    INSERT INTO customer_fts (customer_fts, rowid, name, address, phone_digits)
        VALUES ('delete', old.id, old.name, old.address, old.phone_digits);
    DELETE FROM customer_name_gram
     WHERE (gram, pos, customer_id) IN (
        SELECT substr(old.name, k, 1), k, old.id FROM search_gram_pos WHERE k > 1 AND k <= length(old.name)
        UNION ALL
        SELECT substr(old.name, k, 2), k, old.id FROM search_gram_pos WHERE k > 1 AND k < length(old.name));
END;

CREATE TRIGGER customer_search_update AFTER UPDATE OF name, address, phone ON customer
BEGIN
    INSERT INTO customer_fts (customer_fts, rowid, name, address, phone_digits)
        VALUES ('delete', old.id, old.name, old.address, old.phone_digits);
    INSERT INTO customer_fts (rowid, name, address, phone_digits)
        VALUES (new.id, new.name, new.address, new.phone_digits);
    DELETE FROM customer_name_gram
     WHERE (gram, pos, customer_id) IN (
        SELECT substr(old.name, k, 1), k, old.id FROM search_gram_pos WHERE k > 1 AND k <= length(old.name)
        UNION ALL
        SELECT substr(old.name, k, 2), k, old.id FROM search_gram_pos WHERE k > 1 AND k < length(old.name));
    INSERT INTO customer_name_gram (gram, pos, customer_id)
        SELECT substr(new.name, k, 1), k, new.id FROM search_gram_pos
         WHERE k > 1 AND k <= length(new.name) AND instr(new.name, substr(new.name, k, 1)) = k
        UNION ALL
        SELECT substr(new.name, k, 2), k, new.id FROM search_gram_pos
         WHERE k > 1 AND k < length(new.name) AND instr(new.name, substr(new.name, k, 2)) = k;
END;

-- Backfill the rows that exist already.
INSERT INTO customer_fts (customer_fts) VALUES ('rebuild');
INSERT INTO customer_name_gram (gram, pos, customer_id)
    SELECT substr(c.name, p.k, 1), p.k, c.id FROM customer AS c JOIN search_gram_pos AS p
     WHERE p.k > 1 AND p.k <= length(c.name) AND instr(c.name, substr(c.name, p.k, 1)) = p.k
    UNION ALL
    SELECT substr(c.name, p.k, 2), p.k, c.id FROM customer AS c JOIN search_gram_pos AS p
     WHERE p.k > 1 AND p.k < length(c.name) AND instr(c.name, substr(c.name, p.k, 2)) = p.k;

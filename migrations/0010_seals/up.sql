-- stationdesk 0010: seals that tie the business tables to the audit chain, and a forward-
-- secure MAC on every entry (docs/reliability.md).
--
-- Each audit entry now carries `seal`: the SHA-256 of what the transaction wrote, as listed
-- in seal_point and row_seal under the entry's seq. `verify` recomputes every table from its
-- rows and compares it with the seals, so a row changed, added or removed behind the
-- program's back shows up, and a seal changed to match breaks the entry's hash.

ALTER TABLE audit_log ADD COLUMN seal TEXT;
-- HMAC-SHA-256 of the entry's hash under the key of its seq (K_{i+1} = H(K_i))
ALTER TABLE audit_log ADD COLUMN mac TEXT;

-- Append-only tables (rows are only ever added, in id order): a running hash over their rows
-- in id order, recorded up to `last_id` (every 4,096 rows within one entry, and at its end).
CREATE TABLE seal_point (
    seq      INTEGER NOT NULL,
    tbl      TEXT NOT NULL,
    last_id  INTEGER NOT NULL,
    chain    TEXT NOT NULL,
    PRIMARY KEY (tbl, last_id)
) WITHOUT ROWID;
CREATE INDEX seal_point_seq ON seal_point(seq);

-- Tables whose rows change: each row's digest as an entry left it (NULL: the row was
-- deleted). The latest one per row is what the row must be now.
CREATE TABLE row_seal (
    seq      INTEGER NOT NULL,
    tbl      TEXT NOT NULL,
    row_key  TEXT NOT NULL,
    digest   BLOB,
    PRIMARY KEY (tbl, row_key, seq)
) WITHOUT ROWID;
CREATE INDEX row_seal_seq ON row_seal(seq);

CREATE TRIGGER seal_point_no_update BEFORE UPDATE ON seal_point BEGIN SELECT RAISE(ABORT, 'seals are never edited'); END;
CREATE TRIGGER seal_point_no_delete BEFORE DELETE ON seal_point BEGIN SELECT RAISE(ABORT, 'seals are never deleted'); END;
CREATE TRIGGER row_seal_no_update BEFORE UPDATE ON row_seal BEGIN SELECT RAISE(ABORT, 'seals are never edited'); END;
CREATE TRIGGER row_seal_no_delete BEFORE DELETE ON row_seal BEGIN SELECT RAISE(ABORT, 'seals are never deleted'); END;

-- The evolving MAC key: the key for entry `next_seq`. The starting key is kept in
-- sheet_key only until its key sheet is printed, then erased.
CREATE TABLE audit_key (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    next_seq    INTEGER NOT NULL,
    key         BLOB NOT NULL,
    start_seq   INTEGER NOT NULL,
    sheet_key   BLOB,
    created_at  TEXT NOT NULL,
    printed_at  TEXT,
    -- the schema version the tables were last sealed at (a `schema.seal` entry)
    sealed_version INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER audit_key_no_delete BEFORE DELETE ON audit_key BEGIN SELECT RAISE(ABORT, 'the audit key is never deleted'); END;

-- Wall-clock steps backwards seen by the program (a PC clock set back): shown to the chief.
CREATE TABLE clock_event (
    id        INTEGER PRIMARY KEY,
    seen_at   TEXT NOT NULL,
    last_at   TEXT NOT NULL,
    what      TEXT NOT NULL
);

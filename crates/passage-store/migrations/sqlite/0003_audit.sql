-- The audit log: who read or changed what, when, why, from where. Tamper-evident: each
-- entry carries the SHA-256 of its own content and of the entry before it, so an edit, a
-- deletion, an insertion or a reordering breaks the chain. `seq` is assigned by Passage
-- from `audit_head` in the appending transaction (never AUTOINCREMENT), so a gap means a
-- deleted entry. Timestamps are RFC 3339 UTC text; `detail` is compact JSON text.

CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id TEXT,
    actor TEXT NOT NULL,
    organisation_id TEXT,
    role TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    purpose TEXT,
    request_id TEXT,
    client TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit(entity_id, seq);

-- The end of the chain: the last seq handed out and the hash of that entry. Appenders
-- update this row first, which serialises them until they commit.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Duplicate detection: decisions on pairs of persons, and the review queue.
-- Timestamps are RFC 3339 UTC text; JSON is text.

-- A person merged away as a duplicate points at the record kept. Merging changes
-- nothing else, so undoing it restores both records as they were.
ALTER TABLE persons ADD COLUMN merged_into TEXT REFERENCES persons(id);
-- The matching feed: persons changed since a moment, in order.
CREATE INDEX persons_updated ON persons(updated_at, id);

-- One decision on a pair: merge (person_b merged into person_a), link (the same person,
-- both records kept) or not_duplicate (remembered, so the pair never comes back).
-- For link and not_duplicate, person_a < person_b. Undoing keeps the row.
CREATE TABLE match_decisions (
    id TEXT PRIMARY KEY,
    person_a TEXT NOT NULL REFERENCES persons(id),
    person_b TEXT NOT NULL REFERENCES persons(id),
    decision TEXT NOT NULL,
    reason TEXT NOT NULL,
    previous_status TEXT,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    undone_by TEXT,
    undone_at TEXT,
    undo_reason TEXT
);
CREATE INDEX match_decisions_a ON match_decisions(person_a, person_b);
CREATE INDEX match_decisions_b ON match_decisions(person_b, person_a);

-- A pair for a person to look at, person_a < person_b: open until decided, or closed
-- when an edit made the two no longer alike.
CREATE TABLE match_reviews (
    id TEXT PRIMARY KEY,
    person_a TEXT NOT NULL REFERENCES persons(id),
    person_b TEXT NOT NULL REFERENCES persons(id),
    probability REAL NOT NULL,
    explanation TEXT NOT NULL,
    found_by TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT,
    closed_reason TEXT,
    UNIQUE (person_a, person_b)
);
CREATE INDEX match_reviews_status ON match_reviews(status, probability);
CREATE INDEX match_reviews_b ON match_reviews(person_b);

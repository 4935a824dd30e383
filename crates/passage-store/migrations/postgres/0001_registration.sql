-- Registration spine: sites, arrivals, households, persons, documents, history.
-- Identifiers are UUID v7 text; timestamps are RFC 3339 UTC text; JSON is text.

CREATE TABLE sites (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT NOT NULL,
    details TEXT NOT NULL,
    next_sequence BIGINT NOT NULL DEFAULT 1,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE arrivals (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites(id),
    mode TEXT NOT NULL,
    arrived_at TEXT NOT NULL,
    details TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX arrivals_site ON arrivals(site_id, id);

CREATE TABLE households (
    id TEXT PRIMARY KEY,
    registration_number TEXT NOT NULL UNIQUE,
    arrival_id TEXT NOT NULL REFERENCES arrivals(id),
    site_id TEXT NOT NULL REFERENCES sites(id),
    kind TEXT NOT NULL,
    size BIGINT NOT NULL,
    breakdown TEXT NOT NULL,
    registration_level BIGINT NOT NULL,
    head_person_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX households_arrival ON households(arrival_id, id);
CREATE INDEX households_site ON households(site_id, id);

CREATE TABLE persons (
    id TEXT PRIMARY KEY,
    registration_number TEXT NOT NULL UNIQUE,
    household_id TEXT NOT NULL REFERENCES households(id),
    site_id TEXT NOT NULL REFERENCES sites(id),
    relationship TEXT NOT NULL,
    registration_level BIGINT NOT NULL,
    status TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_date TEXT,
    nationality TEXT,
    name_key TEXT NOT NULL,
    details TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX persons_household ON persons(household_id, id);
CREATE INDEX persons_site ON persons(site_id, id);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    kind TEXT NOT NULL,
    number TEXT,
    issuing_state TEXT,
    details TEXT NOT NULL,
    verification TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX documents_person ON documents(person_id, id);
CREATE INDEX documents_number ON documents(number);

-- What happened to each record, in order: registrations, upgrades, edits.
CREATE TABLE history (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    version BIGINT NOT NULL,
    at TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX history_entity ON history(entity_id, seq);

-- Reception and care: shelter units and stays, assistance programmes and distributions,
-- incidents on the routes, anonymous flow counts, tracing requests and their matches.
-- Timestamps are RFC 3339 UTC text; dates are YYYY-MM-DD; JSON is text.

CREATE TABLE shelter_units (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites(id),
    kind TEXT NOT NULL,
    beds BIGINT NOT NULL,
    closed BIGINT NOT NULL,
    details TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX shelter_units_site ON shelter_units(site_id);

-- A person's stay in a unit, open until departure. Occupancy is the count of open stays;
-- a transfer closes one stay and opens the next, which points back at it.
CREATE TABLE stays (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    site_id TEXT NOT NULL REFERENCES sites(id),
    unit_id TEXT NOT NULL REFERENCES shelter_units(id),
    -- Household members counted at level 1 but not registered one by one, staying with
    -- this person: they take beds too.
    companions BIGINT NOT NULL,
    admitted_at TEXT NOT NULL,
    admitted_by TEXT NOT NULL,
    transferred_from TEXT REFERENCES stays(id),
    override_reason TEXT,
    departed_at TEXT,
    departed_by TEXT,
    departure_reason TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX stays_unit_open ON stays(unit_id, departed_at);
CREATE INDEX stays_person ON stays(person_id, admitted_at);
-- One open stay per person.
CREATE UNIQUE INDEX stays_one_open ON stays(person_id) WHERE departed_at IS NULL;

CREATE TABLE programmes (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    details TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A distribution: given (status given), held for review because the recipient looks like
-- an earlier one (held), then released (given) or refused. `once_key` is set on a given
-- distribution of a one-off programme: programme and beneficiary, unique, so that no
-- route, process or race can pay it twice.
CREATE TABLE distributions (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    household_id TEXT NOT NULL REFERENCES households(id),
    beneficiary_id TEXT NOT NULL,
    site_id TEXT NOT NULL REFERENCES sites(id),
    organisation_id TEXT,
    status TEXT NOT NULL,
    once_key TEXT UNIQUE,
    quantity BIGINT,
    note TEXT,
    held_because TEXT,
    distributed_at TEXT NOT NULL,
    distributed_by TEXT NOT NULL,
    reviewed_by TEXT,
    reviewed_at TEXT,
    review_reason TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX distributions_beneficiary ON distributions(programme_id, beneficiary_id, status);
CREATE INDEX distributions_day ON distributions(programme_id, site_id, distributed_at);

CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    details TEXT NOT NULL,
    organisation_id TEXT,
    recorded_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX incidents_date ON incidents(occurred_on);

-- Anonymous group counts at a monitoring point: no person, no household, never joined.
CREATE TABLE flow_observations (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL REFERENCES sites(id),
    observed_at TEXT NOT NULL,
    direction TEXT NOT NULL,
    total BIGINT NOT NULL,
    details TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX flow_observations_site ON flow_observations(site_id, observed_at);

CREATE TABLE tracing_requests (
    id TEXT PRIMARY KEY,
    organisation_id TEXT,
    details TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    filed_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Candidates the matching engine found for a request: a registered person, another
-- request, or an incident. Seen by a caseworker, never sent to the requester.
CREATE TABLE tracing_matches (
    request_id TEXT NOT NULL REFERENCES tracing_requests(id),
    candidate_kind TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    probability DOUBLE PRECISION NOT NULL,
    explanation TEXT NOT NULL,
    found_at TEXT NOT NULL,
    PRIMARY KEY (request_id, candidate_kind, candidate_id)
);

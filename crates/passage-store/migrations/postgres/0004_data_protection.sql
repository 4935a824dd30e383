-- Data protection: the legal basis and purposes of each registration, consent per
-- recipient, who recorded and ended sharing agreements, data-subject requests, legal
-- holds and anonymisation. Timestamps are RFC 3339 UTC text; JSON is text.

-- The basis of registrations made before it was recorded is the default one: mandate,
-- for registration, recorded when the household was registered, by nobody known.
ALTER TABLE households ADD COLUMN legal_basis TEXT NOT NULL DEFAULT 'mandate';
ALTER TABLE households ADD COLUMN purposes TEXT NOT NULL DEFAULT '["registration"]';
ALTER TABLE households ADD COLUMN basis_recorded_by TEXT;
ALTER TABLE households ADD COLUMN basis_recorded_at TEXT;
UPDATE households SET basis_recorded_at = created_at;

-- A person's record once anonymised (erasure or retention), and a legal hold that keeps
-- it from that.
ALTER TABLE persons ADD COLUMN anonymised_at TEXT;
ALTER TABLE persons ADD COLUMN legal_hold_reason TEXT;
ALTER TABLE persons ADD COLUMN legal_hold_by TEXT;
ALTER TABLE persons ADD COLUMN legal_hold_at TEXT;
CREATE INDEX persons_retention ON persons(anonymised_at, created_at);

ALTER TABLE sharing_agreements ADD COLUMN created_by TEXT;
ALTER TABLE sharing_agreements ADD COLUMN ended_at TEXT;
ALTER TABLE sharing_agreements ADD COLUMN ended_by TEXT;
CREATE INDEX sharing_provider ON sharing_agreements(provider_id, expires_at);

CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    recipient_id TEXT NOT NULL REFERENCES organisations(id),
    scope TEXT NOT NULL,
    description TEXT,
    given_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    withdrawn_at TEXT,
    withdrawn_by TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX consents_person ON consents(person_id, id);

CREATE TABLE data_subject_requests (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    kind TEXT NOT NULL,
    details TEXT,
    received_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    refusal_reason TEXT,
    recorded_by TEXT NOT NULL,
    handled_by TEXT,
    closed_at TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX data_subject_requests_person ON data_subject_requests(person_id, id);
CREATE INDEX data_subject_requests_status ON data_subject_requests(status, due_at);

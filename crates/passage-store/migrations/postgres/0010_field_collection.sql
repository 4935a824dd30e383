-- Field collection: submissions from ODK Collect, KoboCollect and Enketo over OpenRosa.
-- The submission XML and its attachments are kept exactly as received; the instance id
-- (`meta/instanceID`) is the idempotency key. A submission that could not be registered
-- waits in the review queue with its reasons, never dropped.

CREATE TABLE submissions (
    id TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL UNIQUE,
    form_id TEXT NOT NULL,
    form_version TEXT NOT NULL,
    -- What the form creates (`household`): who may submit and review it.
    creates TEXT NOT NULL,
    -- The organisation of the user who submitted: its reviewers see the submission.
    organisation_id TEXT REFERENCES organisations(id),
    submitted_by TEXT NOT NULL,
    xml TEXT NOT NULL,
    xml_sha256 TEXT NOT NULL,
    -- received, registered, review, accepted, rejected
    status TEXT NOT NULL,
    -- JSON: what was read from the XML, in the shape the API takes.
    draft TEXT,
    -- JSON: [{field, message}] and the likely duplicates, when in review.
    reasons TEXT NOT NULL,
    candidates TEXT NOT NULL,
    household_id TEXT REFERENCES households(id),
    decided_by TEXT,
    decided_at TEXT,
    decision_reason TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX submissions_queue ON submissions(organisation_id, status, created_at);

CREATE TABLE submission_attachments (
    submission_id TEXT NOT NULL REFERENCES submissions(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (submission_id, name)
);

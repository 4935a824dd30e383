-- Imports through the API: a job and a saved mapping belong to the organisation whose
-- user made them (NULL: the local operator, from the command line). The same file
-- imported into the same arrival by two organisations is two jobs, so neither answers
-- "done" for the other; an organisation's mapping names are its own, and the operator's
-- are shared with everyone. SQLite cannot drop a constraint: both tables are rebuilt.

CREATE TABLE import_jobs_new (
    id TEXT PRIMARY KEY,
    file_sha256 TEXT NOT NULL,
    arrival_id TEXT NOT NULL REFERENCES arrivals(id),
    organisation_id TEXT REFERENCES organisations(id),
    started_by TEXT NOT NULL,
    -- valid_only or all_or_nothing
    mode TEXT NOT NULL,
    -- The last data row (1 = the first row after the header) whose outcome is settled.
    last_row BIGINT NOT NULL,
    created BIGINT NOT NULL,
    duplicates BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    -- running or done
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO import_jobs_new (id, file_sha256, arrival_id, organisation_id, started_by, mode,
    last_row, created, duplicates, rejected, status, created_at, updated_at)
SELECT id, file_sha256, arrival_id, NULL, started_by, mode, last_row, created, duplicates,
    rejected, status, created_at, updated_at
FROM import_jobs;
DROP TABLE import_jobs;
ALTER TABLE import_jobs_new RENAME TO import_jobs;
CREATE UNIQUE INDEX import_jobs_file ON import_jobs (file_sha256, arrival_id, COALESCE(organisation_id, ''));
CREATE INDEX import_jobs_organisation ON import_jobs (organisation_id, created_at);

CREATE TABLE import_mappings_new (
    organisation_id TEXT REFERENCES organisations(id),
    name TEXT NOT NULL,
    -- JSON: {"columns": {"file column": "passage field", ...}}
    mapping TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO import_mappings_new (organisation_id, name, mapping, saved_by, updated_at)
SELECT NULL, name, mapping, saved_by, updated_at FROM import_mappings;
DROP TABLE import_mappings;
ALTER TABLE import_mappings_new RENAME TO import_mappings;
CREATE UNIQUE INDEX import_mappings_name ON import_mappings (COALESCE(organisation_id, ''), name);

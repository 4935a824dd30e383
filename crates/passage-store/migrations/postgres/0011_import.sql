-- Bulk import of CSV and XLSX files: column mappings saved by name for reuse, and one job
-- per file (by its SHA-256) and arrival, with the last row whose household is committed,
-- so that a run stopped half way resumes after it and a finished file imports nothing
-- twice.

CREATE TABLE import_mappings (
    name TEXT PRIMARY KEY,
    -- JSON: {"columns": {"file column": "passage field", ...}}
    mapping TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE import_jobs (
    id TEXT PRIMARY KEY,
    file_sha256 TEXT NOT NULL,
    arrival_id TEXT NOT NULL REFERENCES arrivals(id),
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
    updated_at TEXT NOT NULL,
    UNIQUE (file_sha256, arrival_id)
);

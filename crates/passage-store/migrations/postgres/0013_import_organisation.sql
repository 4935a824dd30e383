-- Imports through the API: a job and a saved mapping belong to the organisation whose
-- user made them (NULL: the local operator, from the command line). The same file
-- imported into the same arrival by two organisations is two jobs, so neither answers
-- "done" for the other; an organisation's mapping names are its own, and the operator's
-- are shared with everyone.

ALTER TABLE import_jobs ADD COLUMN organisation_id TEXT REFERENCES organisations(id);
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_file_sha256_arrival_id_key;
CREATE UNIQUE INDEX import_jobs_file ON import_jobs (file_sha256, arrival_id, COALESCE(organisation_id, ''));
CREATE INDEX import_jobs_organisation ON import_jobs (organisation_id, created_at);

ALTER TABLE import_mappings ADD COLUMN organisation_id TEXT REFERENCES organisations(id);
ALTER TABLE import_mappings DROP CONSTRAINT import_mappings_pkey;
CREATE UNIQUE INDEX import_mappings_name ON import_mappings (COALESCE(organisation_id, ''), name);

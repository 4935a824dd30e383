-- Field collection of screenings: a submission of the screening form records a screening,
-- and one that could not wait in the same review queue as registrations.

ALTER TABLE submissions ADD COLUMN screening_id TEXT REFERENCES screenings(id);

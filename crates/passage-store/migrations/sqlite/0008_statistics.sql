-- What the population table counts, as columns kept with every write of a person, so
-- that statistics read neither names nor JSON: the population type, the date age counts
-- from (1 July for a year-only date of birth) and the first nationality. And the indexes
-- the statistics and the merge clusters read through.

ALTER TABLE persons ADD COLUMN population_type TEXT;
ALTER TABLE persons ADD COLUMN born_on TEXT;
ALTER TABLE persons ADD COLUMN first_nationality TEXT;

UPDATE persons SET
    population_type = json_extract(details, '$.population_type'),
    first_nationality = json_extract(details, '$.nationalities[0]'),
    born_on = CASE
        WHEN json_extract(details, '$.date_of_birth.precision') = 'year_only'
            THEN substr(birth_date, 1, 4) || '-07-01'
        ELSE birth_date
    END;

-- The arrivals table sums each arrival's households from this index alone.
CREATE INDEX households_arrival_size ON households(arrival_id, size);
-- The population table reads level-1 households (counted through their breakdown) alone.
CREATE INDEX households_level ON households(registration_level, created_at);
CREATE INDEX specific_needs_category ON specific_needs(category, active, person_id);

-- A person's merged records (the merge cluster the guard, assistance and exports read).
CREATE INDEX persons_merged_into ON persons(merged_into);

-- Protection: screenings, specific needs, referrals, cases of the differentiated
-- procedures with every transition, and four-eyes requests to lift a hold on a return.
-- Timestamps are RFC 3339 UTC text; dates are YYYY-MM-DD; JSON is text.

-- A screening keeps its answers against the questionnaire version used, and what the
-- rules computed from them; confirmation applies it to the person.
CREATE TABLE screenings (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    organisation_id TEXT,
    questionnaire TEXT NOT NULL,
    questionnaire_version BIGINT NOT NULL,
    answers TEXT NOT NULL,
    age_assessment TEXT,
    outcome TEXT NOT NULL,
    fear_of_return BIGINT NOT NULL,
    status TEXT NOT NULL,
    screened_by TEXT NOT NULL,
    confirmed_by TEXT,
    confirmed_at TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX screenings_person ON screenings(person_id, created_at);

-- Specific needs, one row per code identified: active until closed, never deleted.
CREATE TABLE specific_needs (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    category TEXT NOT NULL,
    code TEXT NOT NULL,
    identified_on TEXT NOT NULL,
    identified_by TEXT NOT NULL,
    screening_id TEXT REFERENCES screenings(id),
    note TEXT,
    active BIGINT NOT NULL,
    closed_on TEXT,
    closed_by TEXT,
    close_reason TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX specific_needs_person ON specific_needs(person_id, active);
CREATE INDEX specific_needs_code ON specific_needs(code, active);

-- A referral from the organisation that registered the person (organisation_id) to a
-- receiving organisation (recipient_id).
CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    organisation_id TEXT,
    recipient_id TEXT REFERENCES organisations(id),
    service TEXT NOT NULL,
    urgency TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    due_at TEXT NOT NULL,
    consent_required TEXT,
    screening_id TEXT REFERENCES screenings(id),
    decline_reason TEXT,
    created_by TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX referrals_person ON referrals(person_id, created_at);
CREATE INDEX referrals_open ON referrals(status, due_at);
CREATE INDEX referrals_recipient ON referrals(recipient_id, status);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES persons(id),
    organisation_id TEXT,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT,
    pathway TEXT,
    voluntary BIGINT,
    closed BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cases_person ON cases(person_id, kind);
CREATE INDEX cases_open ON cases(kind, closed, state);

-- Every step of every case: who, when, why. Append-only.
CREATE TABLE case_transitions (
    case_id TEXT NOT NULL REFERENCES cases(id),
    seq BIGINT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    event TEXT NOT NULL,
    outcome TEXT,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);

-- A request to lift one liftable condition of the non-refoulement guard on a return,
-- and the decision of a supervisor who is not the requester.
CREATE TABLE hold_lifts (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    condition TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_by_id TEXT,
    request_reason TEXT NOT NULL,
    approved BIGINT,
    decided_by TEXT,
    decision_reason TEXT,
    decided_at TEXT,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX hold_lifts_person ON hold_lifts(person_id);

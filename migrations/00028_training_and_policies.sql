-- +goose Up

-- The training register (policy §4.1, §4.7): each safeguarding training a
-- member of staff completed. What is due follows from these rows and the
-- person's start date (safeguarding training rules), never stored.
CREATE TABLE training_records (
    school_id    bigint NOT NULL,
    id           bigint GENERATED ALWAYS AS IDENTITY,
    person_id    bigint NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('induction', 'annual_update', 'dsl_training', 'online_safety', 'other')),
    completed_on date NOT NULL,
    provider     text NOT NULL DEFAULT '' CHECK (length(provider) <= 200),
    notes        text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    recorded_by  bigint,            -- null when imported from the command line
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, person_id) REFERENCES people (school_id, id)
);
CREATE INDEX training_records_person_idx ON training_records (school_id, person_id, kind, completed_on DESC);
ALTER TABLE training_records ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, DELETE ON training_records TO haven_app;
GRANT UPDATE (kind, completed_on, provider, notes) ON training_records TO haven_app;

-- When a member of staff started at the school: their induction is due
-- from then. Null for people added before it was recorded.
ALTER TABLE people ADD COLUMN started_on date;
GRANT UPDATE (started_on) ON people TO haven_app;

-- The policy register (§13.1): the school's safeguarding policies, and each
-- approval of one with the date its next review is due. A policy's state
-- on any day is its latest approval on or before that day, so the annual
-- report reads a past year's state as it was.
CREATE TABLE policies (
    school_id  bigint NOT NULL REFERENCES schools (id),
    id         bigint GENERATED ALWAYS AS IDENTITY,
    title      text NOT NULL CHECK (title <> '' AND length(title) <= 200),
    owner      text NOT NULL DEFAULT '' CHECK (length(owner) <= 200),  -- who reviews it, e.g. "DSL and Principal"
    created_at timestamptz NOT NULL DEFAULT now(),
    retired_on date,                                                    -- no longer one of the school's policies
    PRIMARY KEY (school_id, id)
);
CREATE TABLE policy_reviews (
    school_id      bigint NOT NULL,
    id             bigint GENERATED ALWAYS AS IDENTITY,
    policy_id      bigint NOT NULL,
    approved_on    date NOT NULL,
    next_review_on date NOT NULL CHECK (next_review_on > approved_on),
    recorded_by    bigint,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, policy_id) REFERENCES policies (school_id, id)
);
CREATE INDEX policy_reviews_policy_idx ON policy_reviews (school_id, policy_id, approved_on DESC);
ALTER TABLE policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE policy_reviews ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON policies, policy_reviews TO haven_app;
GRANT UPDATE (title, owner, retired_on) ON policies TO haven_app;

-- +goose Down
DROP TABLE policy_reviews;
DROP TABLE policies;
ALTER TABLE people DROP COLUMN started_on;
DROP TABLE training_records;

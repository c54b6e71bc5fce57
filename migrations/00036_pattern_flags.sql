-- +goose Up

-- Patterns across staff and time (DESIGN.md "Seeing patterns"; policy
-- §5.2, §6.1): rules over what is recorded for a child across concerns,
-- whose thresholds are the school's settings, and the flags they raise for
-- the DSL's review. safeguarding.EvaluatePatterns is the rules;
-- rules/access.sql says who reads and writes these rows.

-- A school's thresholds; a school with no row keeps the defaults
-- (safeguarding.DefaultPatternSettings). Each change is audited with what
-- it was and what it became.
CREATE TABLE pattern_settings (
    school_id      bigint PRIMARY KEY REFERENCES schools (id),
    cse_on         boolean NOT NULL,
    cse_indicators int NOT NULL CHECK (cse_indicators BETWEEN 2 AND 26),
    cse_staff      int NOT NULL CHECK (cse_staff BETWEEN 1 AND 20),
    cse_days       int NOT NULL CHECK (cse_days BETWEEN 1 AND 365),
    concerns_on    boolean NOT NULL,
    concerns_many  int NOT NULL CHECK (concerns_many BETWEEN 2 AND 50),
    concerns_days  int NOT NULL CHECK (concerns_days BETWEEN 1 AND 365),
    missing_on     boolean NOT NULL,
    missing_days   int NOT NULL CHECK (missing_days BETWEEN 1 AND 365),
    updated_by     bigint NOT NULL,
    updated_at     timestamptz NOT NULL,
    FOREIGN KEY (school_id, updated_by) REFERENCES people (school_id, id)
);
ALTER TABLE pattern_settings ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE ON pattern_settings TO haven_app;

-- A child flagged by a rule, with the concerns that raised it (their ids:
-- who may see the flag is decided by who may see every one of them, as
-- they stand now). Open until reviewed; a review records the decision and
-- its reason and is never changed. Raised by Haven itself (a job that runs
-- for no one); reviewed by the DSL or a deputy.
CREATE TABLE pattern_flags (
    school_id   bigint NOT NULL REFERENCES schools (id),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    pupil_id    bigint NOT NULL,
    rule        text NOT NULL CHECK (rule IN ('cse_across_staff', 'many_concerns', 'missing_with_cse')),
    concern_ids bigint[] NOT NULL CHECK (cardinality(concern_ids) > 0),
    raised_at   timestamptz NOT NULL,
    reviewed_at timestamptz,
    reviewed_by bigint,
    decision    text CHECK (decision IN ('action', 'monitor', 'no_concern')),
    reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 20000),
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, pupil_id) REFERENCES pupils (school_id, id),
    FOREIGN KEY (school_id, reviewed_by) REFERENCES people (school_id, id),
    CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL) AND (reviewed_at IS NULL) = (decision IS NULL)),
    CHECK (reviewed_at IS NULL OR reason <> '')
);
-- One open flag per child and rule; the queue reads the open ones.
CREATE UNIQUE INDEX pattern_flags_open_key ON pattern_flags (school_id, pupil_id, rule) WHERE reviewed_at IS NULL;
CREATE INDEX pattern_flags_open_idx ON pattern_flags (school_id, raised_at DESC, id DESC) WHERE reviewed_at IS NULL;
-- A child's flags, open and reviewed: the child's page, and the rules'
-- job deciding whether a finding is new.
CREATE INDEX pattern_flags_pupil_idx ON pattern_flags (school_id, pupil_id, id DESC);
ALTER TABLE pattern_flags ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON pattern_flags TO haven_app;
GRANT UPDATE (concern_ids, reviewed_at, reviewed_by, decision, reason) ON pattern_flags TO haven_app;

-- +goose Down
-- The rules file's policies go with the tables; access.sql is applied
-- whole again by the next migration up.
DELETE FROM haven_rules_applied;
DROP TABLE pattern_flags;
DROP TABLE pattern_settings;

-- +goose Up

-- In-app notices: one row for each person told of something (a new
-- concern's alert, an escalation, a pattern flag), so nothing depends on
-- e-mail alone. A notice names no child and no adult: what it is about is
-- reached through its concern or pupil, which row-level security guards as
-- ever, and a notice about a concern goes only to people the code lets see
-- it (or to an escalated person who is told to act without access, whose
-- notice then carries no concern). Read when its concern is opened, or by
-- the person. Rows are written by jobs (no viewer) or in the transaction of
-- whatever raised them; rules/access.sql says who reads and marks them.
CREATE TABLE notices (
    id         bigint GENERATED ALWAYS AS IDENTITY,
    school_id  bigint NOT NULL REFERENCES schools (id),
    person_id  bigint NOT NULL,
    kind       text NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
    concern_id bigint,
    pupil_id   bigint,
    message    text NOT NULL CHECK (length(message) BETWEEN 1 AND 300),
    created_at timestamptz NOT NULL,
    read_at    timestamptz,
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, person_id) REFERENCES people (school_id, id),
    FOREIGN KEY (school_id, concern_id) REFERENCES concerns (school_id, id),
    FOREIGN KEY (school_id, pupil_id) REFERENCES pupils (school_id, id)
);
CREATE INDEX notices_unread_idx ON notices (school_id, person_id) WHERE read_at IS NULL;
CREATE INDEX notices_person_idx ON notices (school_id, person_id, created_at DESC, id DESC);
CREATE INDEX notices_concern_idx ON notices (school_id, concern_id, person_id) WHERE concern_id IS NOT NULL AND read_at IS NULL;
ALTER TABLE notices ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON notices TO haven_app;
GRANT UPDATE (read_at) ON notices TO haven_app;

-- +goose Down
DROP TABLE notices;

-- +goose Up

-- When a concern that nobody it is routed to has acknowledged is escalated:
-- the school's own times (safeguarding.EscalationSettings), set by the DSL
-- or the administrator (safeguarding.MayEditSchoolContacts, the school's
-- settings) and read by anyone of the school. vice_chair_id names the
-- governor told when a concern about the principal goes unacknowledged by
-- the chair; they are told to act, and given no access to it.
CREATE TABLE school_escalation (
    school_id      bigint PRIMARY KEY REFERENCES schools (id),
    urgent_minutes int NOT NULL CHECK (urgent_minutes BETWEEN 1 AND 1440),
    others_hour    int NOT NULL CHECK (others_hour BETWEEN 0 AND 23),
    vice_chair_id  bigint,
    updated_at     timestamptz NOT NULL,
    updated_by     bigint NOT NULL,
    FOREIGN KEY (school_id, vice_chair_id) REFERENCES people (school_id, id),
    FOREIGN KEY (school_id, updated_by) REFERENCES people (school_id, id)
);
ALTER TABLE school_escalation ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON school_escalation TO haven_app;
GRANT UPDATE (urgent_minutes, others_hour, vice_chair_id, updated_at, updated_by) ON school_escalation TO haven_app;

-- A concern's escalation, once: when nobody it is routed to had
-- acknowledged it at its escalation time, and to whom it went ("principal",
-- "chair", "vice_chair", or "nobody" when the only person up is its subject
-- or its author, or the school names no vice-chair). with_access says
-- whether they may read it (the principal and a concern about a child) or
-- were told to act without it. Written only by the escalation job, through
-- haven_escalate_concern (rules/access.sql); kept apart from the
-- chronology, whose entries are written by people and hash-chained.
CREATE TABLE concern_escalations (
    school_id    bigint NOT NULL,
    concern_id   bigint NOT NULL,
    escalated_at timestamptz NOT NULL,
    escalated_to text NOT NULL CHECK (escalated_to IN ('principal', 'chair', 'vice_chair', 'nobody')),
    with_access  boolean NOT NULL,
    PRIMARY KEY (school_id, concern_id),
    FOREIGN KEY (school_id, concern_id) REFERENCES concerns (school_id, id)
);
CREATE INDEX concern_escalations_when_idx ON concern_escalations (school_id, escalated_at);
ALTER TABLE concern_escalations ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON concern_escalations TO haven_app;

-- +goose Down
DROP TABLE concern_escalations;
DROP TABLE school_escalation;

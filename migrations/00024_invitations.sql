-- +goose Up

-- Invitations: how the administrator brings a person into Haven. The
-- person is created without a password; the invitation's e-mailed link
-- sets one, once, within 72 hours (safeguarding.InvitationValidFor). Only
-- the SHA-256 of the link's token is kept, and the token itself is made
-- only when the e-mail is sent (the job holds ids), so neither the table
-- nor the job queue holds a usable link. A resent invitation is a new row;
-- the old one is revoked. Who may read and write them is
-- safeguarding.MayAdministerPeople, enforced again in rules/access.sql.
CREATE TABLE invitations (
    school_id  bigint NOT NULL,
    id         bigint GENERATED ALWAYS AS IDENTITY,
    person_id  bigint NOT NULL,
    invited_by bigint,
    -- Until the e-mail goes, a random hash no token has; the job replaces it.
    token_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    revoked_at timestamptz,
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, person_id) REFERENCES people (school_id, id)
);
CREATE INDEX invitations_person_idx ON invitations (school_id, person_id, created_at DESC);
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE (token_hash, used_at, revoked_at) ON invitations TO haven_app;

-- Changing a person's roles removes the ones they no longer hold.
GRANT DELETE ON person_roles TO haven_app;

-- A person's history on their page: every audit event about them.
CREATE INDEX audit_log_object_idx ON audit_log (school_id, object, at);

-- +goose Down
DROP INDEX audit_log_object_idx;
REVOKE DELETE ON person_roles FROM haven_app;
DROP TABLE invitations;

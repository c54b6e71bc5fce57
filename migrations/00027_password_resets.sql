-- +goose Up

-- Self-service password resets (internal/postgres/password.go). A row is a
-- request: made when someone asks for a link, it gets its token when the
-- job that e-mails the link runs (the token is never in the queue), and
-- only the token's SHA-256 is kept, so a copy of this table resets nothing.
--   token_hash, expires_at  null until the link is e-mailed; a newer request
--                           voids an older one by setting its expires_at to
--                           the moment it was made;
--   used_at                 set as the link is used: it works once.
-- The requests of the last hour are also what limits how many links one
-- account is sent (safeguarding.ResetRequestsPerHour). Looked up by the
-- token before the school is known, so that index does not lead with
-- school_id.
CREATE TABLE password_resets (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id    bigint NOT NULL,
    person_id    bigint NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    token_hash   bytea UNIQUE,
    expires_at   timestamptz,
    used_at      timestamptz,
    FOREIGN KEY (school_id, person_id) REFERENCES people (school_id, id)
);
CREATE INDEX password_resets_person_idx ON password_resets (school_id, person_id, requested_at);
CREATE INDEX password_resets_requested_at_idx ON password_resets (requested_at);

GRANT SELECT, INSERT, UPDATE (token_hash, expires_at, used_at), DELETE ON password_resets TO haven_app;

-- +goose Down
DROP TABLE password_resets;

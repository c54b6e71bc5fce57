-- +goose Up

-- Two-factor sign-in (TOTP, RFC 6238). A person's row here holds the secret
-- their authenticator app shares with Haven. It is made when they open the
-- enrolment page and takes effect only once they have typed one right code
-- (people.second_factor_at is then set); an administrator's reset deletes it.
--   last_step  the newest time step (Unix time / 30 s) whose code was
--              accepted: a code at or before it is refused, so each code
--              works once.
-- The secret is never shown again after enrolment; only the app reads it.
CREATE TABLE second_factors (
    school_id bigint NOT NULL,
    person_id bigint NOT NULL,
    secret text NOT NULL CHECK (length(secret) BETWEEN 16 AND 128),
    last_step bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (school_id, person_id),
    FOREIGN KEY (school_id, person_id) REFERENCES people (school_id, id)
);

-- Each enrolment's one-time recovery codes, as SHA-256 hashes of codes of
-- 80 random bits; used_at is set as one is used.
CREATE TABLE recovery_codes (
    school_id bigint NOT NULL,
    person_id bigint NOT NULL,
    code_hash bytea NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (school_id, person_id, code_hash),
    FOREIGN KEY (school_id, person_id) REFERENCES people (school_id, id)
);

GRANT SELECT, INSERT, DELETE ON second_factors, recovery_codes TO haven_app;
GRANT UPDATE (last_step) ON second_factors TO haven_app;
GRANT UPDATE (used_at) ON recovery_codes TO haven_app;

-- +goose Down
DROP TABLE recovery_codes, second_factors;

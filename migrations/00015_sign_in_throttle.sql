-- +goose Up

-- Sign-in throttling (internal/safeguarding/signin.go): a failure is kept
-- with the address it came from, so that a wrong password slows that
-- account from that address, and that address across accounts, rather than
-- locking the account for everyone. What is stored is capped: no e-mail
-- address is longer than 254 characters, no IP address longer than 64.
ALTER TABLE sign_in_failures ADD COLUMN address text NOT NULL DEFAULT '';
ALTER TABLE sign_in_failures ADD CONSTRAINT sign_in_failures_email_length CHECK (length(email) <= 254) NOT VALID;
ALTER TABLE sign_in_failures ADD CONSTRAINT sign_in_failures_address_length CHECK (length(address) <= 64) NOT VALID;
CREATE INDEX sign_in_failures_address_idx ON sign_in_failures (address, failed_at);
-- For the sweep that forgets old failures.
CREATE INDEX sign_in_failures_failed_at_idx ON sign_in_failures (failed_at);

-- An account locked after far more failures, until its owner follows the
-- e-mailed link or an administrator unlocks it.
ALTER TABLE people ADD COLUMN locked_at timestamptz;
GRANT UPDATE (locked_at) ON people TO haven_app;

-- The addresses each person has signed in from lately: a guess made
-- elsewhere does not hold them back there.
CREATE TABLE sign_in_addresses (
    school_id bigint NOT NULL,
    person_id bigint NOT NULL,
    address   text NOT NULL CHECK (length(address) <= 64),
    last_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (school_id, person_id, address),
    FOREIGN KEY (school_id, person_id) REFERENCES people (school_id, id)
);
CREATE INDEX sign_in_addresses_last_at_idx ON sign_in_addresses (last_at);

-- Unlock links: only a hash of each token is kept, so a copy of this table
-- unlocks nothing. Looked up by the token before the school is known, so
-- its key does not lead with school_id.
CREATE TABLE account_unlock_tokens (
    token_hash bytea PRIMARY KEY,
    school_id  bigint NOT NULL,
    person_id  bigint NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    FOREIGN KEY (school_id, person_id) REFERENCES people (school_id, id)
);
CREATE INDEX account_unlock_tokens_person_idx ON account_unlock_tokens (school_id, person_id);
CREATE INDEX account_unlock_tokens_expires_at_idx ON account_unlock_tokens (expires_at);

GRANT SELECT, INSERT, UPDATE (last_at), DELETE ON sign_in_addresses TO haven_app;
GRANT SELECT, INSERT, UPDATE (used_at), DELETE ON account_unlock_tokens TO haven_app;

-- +goose Down
DROP TABLE account_unlock_tokens, sign_in_addresses;
ALTER TABLE people DROP COLUMN locked_at;
DROP INDEX sign_in_failures_failed_at_idx, sign_in_failures_address_idx;
ALTER TABLE sign_in_failures DROP CONSTRAINT sign_in_failures_address_length,
    DROP CONSTRAINT sign_in_failures_email_length, DROP COLUMN address;

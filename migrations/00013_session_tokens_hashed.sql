-- +goose Up

-- The sessions table now holds the SHA-256 of each session's token, never
-- the token (internal/postgres.SessionStore), so a copy of it signs nobody
-- in. Rows stored under the tokens themselves would never be found again:
-- they are deleted, and everyone signed in signs in again.
DELETE FROM sessions;
COMMENT ON COLUMN sessions.token IS 'SHA-256 of the session token, in hex; never the token itself';

-- +goose Down
COMMENT ON COLUMN sessions.token IS NULL;

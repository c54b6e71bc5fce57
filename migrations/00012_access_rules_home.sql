-- +goose Up

-- The access rule's functions, triggers and policies now have one home,
-- migrations/rules/access.sql, which internal/postgres.Migrate applies whole
-- after the numbered migrations whenever it changes. This table records the
-- copy last applied.
CREATE TABLE haven_rules_applied (
    name       text PRIMARY KEY,
    sha256     bytea NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE haven_rules_applied;

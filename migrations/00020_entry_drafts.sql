-- +goose Up

-- A chronology entry someone is typing on a concern's page, kept on the
-- server as they type and when their session ends mid-entry, so that it is
-- never lost. One draft per person and concern; row-level security (in
-- migrations/rules/access.sql) lets a person touch only their own, and only
-- for concerns they may add to.
CREATE TABLE entry_drafts (
    school_id  bigint NOT NULL,
    person_id  bigint NOT NULL,
    concern_id bigint NOT NULL,
    kind       text NOT NULL, -- the entry form it was typed into
    form       jsonb NOT NULL,
    saved_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (school_id, person_id, concern_id),
    FOREIGN KEY (school_id, person_id) REFERENCES people (school_id, id),
    FOREIGN KEY (school_id, concern_id) REFERENCES concerns (school_id, id)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON entry_drafts TO haven_app;

-- +goose Down
DROP TABLE entry_drafts;

-- +goose Up

-- A chronology entry is about the whole concern (pupil_ids empty) or about
-- named pupils of it: a conversation with a child is about that child, and a
-- pupil's file shows only the entries about them or the whole concern.
-- happened_at is when what the entry records happened ("Phoned MASH at
-- 09:10"), when that was before it was written (at); null means when written.
-- Both are covered by the entry's hash (safeguarding.ChainHash) when set.
ALTER TABLE chronology_entries ADD COLUMN pupil_ids bigint[] NOT NULL DEFAULT '{}';
ALTER TABLE chronology_entries ADD COLUMN happened_at timestamptz;
ALTER TABLE chronology_entries ADD CONSTRAINT chronology_entries_happened_not_after_written
    CHECK (happened_at IS NULL OR happened_at <= at);
-- A pupil's file picks its latest entries by when they happened, among those
-- about the pupil, from the index alone.
DROP INDEX chronology_concern_idx;
CREATE INDEX chronology_concern_idx ON chronology_entries (school_id, concern_id, id)
    INCLUDE (at, happened_at, pupil_ids, kind, author_id, concern_route, concern_subject_id, concern_logged_by);

-- +goose Down
DROP INDEX chronology_concern_idx;
CREATE INDEX chronology_concern_idx ON chronology_entries (school_id, concern_id, id)
    INCLUDE (at, kind, author_id, concern_route, concern_subject_id, concern_logged_by);
ALTER TABLE chronology_entries DROP CONSTRAINT chronology_entries_happened_not_after_written;
ALTER TABLE chronology_entries DROP COLUMN happened_at, DROP COLUMN pupil_ids;

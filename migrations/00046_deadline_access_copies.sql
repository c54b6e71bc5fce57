-- +goose Up

-- Deadlines read without a probe per row, as 00007 did for pupil links and
-- entries. A deadline is visible when its concern is (deadlines_read in
-- rules/access.sql); asking that with EXISTS (SELECT … FROM concerns) for
-- every row cost the header's overdue count, on every page the DSL and
-- deputies open, a concern lookup per open deadline. The concern's route,
-- subject and author are copied onto each deadline by the trigger that
-- copies them onto links and entries (haven_copy_concern_access), and
-- follow a moved or rerouted concern as theirs do.
ALTER TABLE deadlines
    ADD COLUMN concern_route text,
    ADD COLUMN concern_subject_id bigint,
    ADD COLUMN concern_logged_by bigint;
UPDATE deadlines d SET concern_route = c.route, concern_subject_id = c.subject_person_id, concern_logged_by = c.logged_by
FROM concerns c WHERE c.school_id = d.school_id AND c.id = d.concern_id;
ALTER TABLE deadlines ALTER COLUMN concern_route SET NOT NULL, ALTER COLUMN concern_logged_by SET NOT NULL;

-- The header's count: each kind's open deadlines that began before its
-- overdue day, with what the policy reads, so the count walks the index
-- alone.
CREATE INDEX deadlines_overdue_idx ON deadlines (school_id, working_days, starts_on)
    INCLUDE (concern_route, concern_subject_id, concern_logged_by) WHERE met_at IS NULL;

-- +goose Down
-- The rules file's policy and trigger on the copies go first; access.sql
-- is applied whole again by the next migration up.
DROP POLICY IF EXISTS deadlines_read ON deadlines;
DROP TRIGGER IF EXISTS deadlines_copy_access ON deadlines;
DELETE FROM haven_rules_applied;
DROP INDEX deadlines_overdue_idx;
ALTER TABLE deadlines DROP COLUMN concern_route, DROP COLUMN concern_subject_id, DROP COLUMN concern_logged_by;

-- +goose Up

-- Row-level security without a probe per row.
--
-- A pupil link or a chronology entry is visible when its concern is. The
-- policies of 00002 and 00004 asked that with EXISTS (SELECT … FROM concerns)
-- for every row, which PostgreSQL runs as a sub-plan per row: the queue's
-- year-group filter and a child's long chronology paid it thousands of times.
--
-- What decides a concern's visibility (its route, its subject and who logged
-- it) is fixed when the concern is logged: haven_app may update only where a
-- concern stands (00002's column grants). So those three values are copied
-- onto each link and entry when it is written, by a trigger that reads them
-- from the concern whatever the writer supplied, and the policies compare
-- them directly. The rule is the same.

ALTER TABLE concern_pupils
    ADD COLUMN concern_route text,
    ADD COLUMN concern_subject_id bigint,
    ADD COLUMN concern_logged_by bigint;
ALTER TABLE chronology_entries
    ADD COLUMN concern_route text,
    ADD COLUMN concern_subject_id bigint,
    ADD COLUMN concern_logged_by bigint;

UPDATE concern_pupils cp SET concern_route = c.route, concern_subject_id = c.subject_person_id, concern_logged_by = c.logged_by
FROM concerns c WHERE c.school_id = cp.school_id AND c.id = cp.concern_id;
UPDATE chronology_entries e SET concern_route = c.route, concern_subject_id = c.subject_person_id, concern_logged_by = c.logged_by
FROM concerns c WHERE c.school_id = e.school_id AND c.id = e.concern_id;

ALTER TABLE concern_pupils ALTER COLUMN concern_route SET NOT NULL, ALTER COLUMN concern_logged_by SET NOT NULL;
ALTER TABLE chronology_entries ALTER COLUMN concern_route SET NOT NULL, ALTER COLUMN concern_logged_by SET NOT NULL;

-- Copies the concern's route, subject and author onto a new link or entry.
-- SECURITY DEFINER: the insert policies, not this function, decide whether
-- the writer may add to the concern.
-- +goose StatementBegin
CREATE FUNCTION haven_copy_concern_access() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    SELECT c.route, c.subject_person_id, c.logged_by INTO NEW.concern_route, NEW.concern_subject_id, NEW.concern_logged_by
    FROM concerns c WHERE c.school_id = NEW.school_id AND c.id = NEW.concern_id;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER concern_pupils_copy_access BEFORE INSERT OR UPDATE ON concern_pupils
    FOR EACH ROW EXECUTE FUNCTION haven_copy_concern_access();
CREATE TRIGGER chronology_entries_copy_access BEFORE INSERT OR UPDATE ON chronology_entries
    FOR EACH ROW EXECUTE FUNCTION haven_copy_concern_access();

-- The viewer's id is read once per statement too, as an uncorrelated
-- sub-select (an InitPlan), rather than from the setting for every row a
-- list passes.
DROP POLICY concerns_select ON concerns;
CREATE POLICY concerns_select ON concerns FOR SELECT USING (
    school_id = haven_school_id()
    AND subject_person_id IS DISTINCT FROM (SELECT haven_viewer_id())
    AND (logged_by = (SELECT haven_viewer_id()) OR route = ANY ((SELECT haven_read_routes())::text[])));

-- concerns_select, written on the copies: not about the viewer, and logged
-- by them or on a route they read.
DROP POLICY concern_pupils_select ON concern_pupils;
CREATE POLICY concern_pupils_select ON concern_pupils FOR SELECT USING (
    school_id = haven_school_id()
    AND concern_subject_id IS DISTINCT FROM (SELECT haven_viewer_id())
    AND (concern_logged_by = (SELECT haven_viewer_id()) OR concern_route = ANY ((SELECT haven_read_routes())::text[])));

-- 00004's chronology_select with its EXISTS expanded: the concern is visible
-- and either its route is read in full or the viewer logged it and the entry
-- is theirs or the feedback given to them.
DROP POLICY chronology_select ON chronology_entries;
CREATE POLICY chronology_select ON chronology_entries FOR SELECT USING (
    school_id = haven_school_id()
    AND concern_subject_id IS DISTINCT FROM (SELECT haven_viewer_id())
    AND (concern_route = ANY ((SELECT haven_read_routes())::text[])
         OR (concern_logged_by = (SELECT haven_viewer_id()) AND (author_id = (SELECT haven_viewer_id()) OR kind = 'feedback'))));

-- Index-only walks: the policy's columns travel in the indexes the lists
-- read, so a child's links and entries, and the queue's open concerns, are
-- filtered without visiting the table.
DROP INDEX concern_pupils_pupil_idx;
CREATE INDEX concern_pupils_pupil_idx ON concern_pupils (school_id, pupil_id, concern_id)
    INCLUDE (concern_route, concern_subject_id, concern_logged_by);
DROP INDEX chronology_concern_idx;
CREATE INDEX chronology_concern_idx ON chronology_entries (school_id, concern_id, id)
    INCLUDE (at, kind, author_id, concern_route, concern_subject_id, concern_logged_by);
DROP INDEX concerns_queue_open_idx;
CREATE INDEX concerns_queue_open_idx ON concerns (school_id, route, queue_group, queue_key, id)
    INCLUDE (status, categories, assigned_to, subject_person_id, logged_by) WHERE status <> 'closed';

-- The access rule asked person_roles once for each role it tested: about a
-- dozen queries each time a statement worked out the routes its viewer reads
-- (haven_read_routes, 00004). The rule now takes the viewer's roles as an
-- array, read once. (These definitions are superseded by
-- migrations/rules/access.sql, the rule's one home.)
CREATE FUNCTION haven_roles() RETURNS text[] LANGUAGE sql STABLE AS
$$ SELECT coalesce(array_agg(role), '{}') FROM person_roles WHERE school_id = haven_school_id() AND person_id = haven_viewer_id() $$;
CREATE FUNCTION haven_handles_as(roles text[], route text, subject_person_id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT subject_person_id IS DISTINCT FROM haven_viewer_id() AND CASE route
        WHEN 'child' THEN roles && ARRAY['dsl', 'deputy_dsl']
        WHEN 'adult' THEN roles && ARRAY['dsl', 'deputy_dsl', 'principal']
        WHEN 'principal' THEN 'chair' = ANY (roles)
        WHEN 'safeguarding_lead' THEN 'principal' = ANY (roles)
        ELSE false END
$$;
CREATE FUNCTION haven_reads_as(roles text[], route text, subject_person_id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT haven_handles_as(roles, route, subject_person_id) OR (route = 'child' AND 'principal' = ANY (roles))
$$;
CREATE OR REPLACE FUNCTION haven_handles(route text, subject_person_id bigint) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT haven_handles_as(haven_roles(), route, subject_person_id) $$;
CREATE OR REPLACE FUNCTION haven_reads(route text, subject_person_id bigint) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT haven_reads_as(haven_roles(), route, subject_person_id) $$;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION haven_read_routes() RETURNS text[] LANGUAGE plpgsql STABLE AS $$
DECLARE
    roles text[] := haven_roles();
    routes text[] := '{}';
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['child', 'adult', 'principal', 'safeguarding_lead'] LOOP
        IF haven_reads_as(roles, r, NULL) THEN
            routes := routes || r;
        END IF;
    END LOOP;
    RETURN routes;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION haven_read_routes() RETURNS text[] LANGUAGE plpgsql STABLE AS $$
DECLARE
    routes text[] := '{}';
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['child', 'adult', 'principal', 'safeguarding_lead'] LOOP
        IF haven_reads(r, NULL) THEN
            routes := routes || r;
        END IF;
    END LOOP;
    RETURN routes;
END
$$;
-- +goose StatementEnd
CREATE OR REPLACE FUNCTION haven_handles(route text, subject_person_id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT subject_person_id IS DISTINCT FROM haven_viewer_id() AND CASE route
        WHEN 'child' THEN haven_has_role('dsl') OR haven_has_role('deputy_dsl')
        WHEN 'adult' THEN haven_has_role('dsl') OR haven_has_role('deputy_dsl') OR haven_has_role('principal')
        WHEN 'principal' THEN haven_has_role('chair')
        WHEN 'safeguarding_lead' THEN haven_has_role('principal')
        ELSE false END
$$;
CREATE OR REPLACE FUNCTION haven_reads(route text, subject_person_id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT haven_handles(route, subject_person_id)
        OR (route = 'child' AND haven_has_role('principal'))
$$;
DROP FUNCTION haven_reads_as(text[], text, bigint);
DROP FUNCTION haven_handles_as(text[], text, bigint);
DROP FUNCTION haven_roles();
DROP INDEX concerns_queue_open_idx;
CREATE INDEX concerns_queue_open_idx ON concerns (school_id, route, queue_group, queue_key, id) WHERE status <> 'closed';
DROP INDEX chronology_concern_idx;
CREATE INDEX chronology_concern_idx ON chronology_entries (school_id, concern_id, id);
DROP INDEX concern_pupils_pupil_idx;
CREATE INDEX concern_pupils_pupil_idx ON concern_pupils (school_id, pupil_id, concern_id);
DROP POLICY chronology_select ON chronology_entries;
CREATE POLICY chronology_select ON chronology_entries FOR SELECT USING (
    school_id = haven_school_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = chronology_entries.school_id AND c.id = chronology_entries.concern_id
        AND (c.route = ANY ((SELECT haven_read_routes())::text[])
             OR (c.logged_by = haven_viewer_id() AND (chronology_entries.author_id = haven_viewer_id() OR chronology_entries.kind = 'feedback')))));
DROP POLICY concern_pupils_select ON concern_pupils;
CREATE POLICY concern_pupils_select ON concern_pupils FOR SELECT USING (
    school_id = haven_school_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = concern_pupils.school_id AND c.id = concern_pupils.concern_id));
DROP POLICY concerns_select ON concerns;
CREATE POLICY concerns_select ON concerns FOR SELECT USING (
    school_id = haven_school_id()
    AND subject_person_id IS DISTINCT FROM haven_viewer_id()
    AND (logged_by = haven_viewer_id() OR route = ANY ((SELECT haven_read_routes())::text[])));
DROP TRIGGER chronology_entries_copy_access ON chronology_entries;
DROP TRIGGER concern_pupils_copy_access ON concern_pupils;
DROP FUNCTION haven_copy_concern_access();
ALTER TABLE chronology_entries DROP COLUMN concern_route, DROP COLUMN concern_subject_id, DROP COLUMN concern_logged_by;
ALTER TABLE concern_pupils DROP COLUMN concern_route, DROP COLUMN concern_subject_id, DROP COLUMN concern_logged_by;

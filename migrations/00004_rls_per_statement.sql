-- +goose Up

-- Row-level security at scale. The policies of 00002
-- asked haven_reads(route, subject) of every row, and haven_reads asks
-- haven_has_role, a SQL function with a sub-select that PostgreSQL cannot
-- inline: it ran once per row, and the chronology's policy ran the concerns'
-- policy again for each entry. A child's page with a long chronology spent
-- most of its time there.
--
-- What the viewer may read depends on the viewer alone, so it is now asked
-- once per statement: haven_read_routes() in an uncorrelated scalar
-- sub-select, which the planner runs once (an InitPlan). Per row only cheap
-- comparisons remain. The rule itself still lives in haven_handles and
-- haven_reads; haven_read_routes asks them route by route.
--
-- haven_has_role becomes PL/pgSQL, whose plans are kept for the session; a
-- SQL function that is not inlined is planned again in every statement.

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION haven_has_role(r text) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM person_roles WHERE school_id = haven_school_id() AND person_id = haven_viewer_id() AND role = r);
END
$$;
-- +goose StatementEnd

-- The routes whose concerns the viewer reads in full (their subject apart,
-- whom the policies exclude separately).
-- +goose StatementBegin
CREATE FUNCTION haven_read_routes() RETURNS text[] LANGUAGE plpgsql STABLE AS $$
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

-- The same rule as before: a row the policy lets through passes
-- "subject_person_id IS DISTINCT FROM the viewer", and for such a row
-- haven_reads(route, subject_person_id) is haven_reads(route, NULL).
DROP POLICY concerns_select ON concerns;
CREATE POLICY concerns_select ON concerns FOR SELECT USING (
    school_id = haven_school_id()
    AND subject_person_id IS DISTINCT FROM haven_viewer_id()
    AND (logged_by = haven_viewer_id() OR route = ANY ((SELECT haven_read_routes())::text[])));

-- The concern in the sub-select passes the concerns' policy, so its subject
-- is not the viewer either.
DROP POLICY chronology_select ON chronology_entries;
CREATE POLICY chronology_select ON chronology_entries FOR SELECT USING (
    school_id = haven_school_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = chronology_entries.school_id AND c.id = chronology_entries.concern_id
        AND (c.route = ANY ((SELECT haven_read_routes())::text[])
             OR (c.logged_by = haven_viewer_id() AND (chronology_entries.author_id = haven_viewer_id() OR chronology_entries.kind = 'feedback')))));

-- +goose Down
DROP POLICY chronology_select ON chronology_entries;
CREATE POLICY chronology_select ON chronology_entries FOR SELECT USING (
    school_id = haven_school_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = chronology_entries.school_id AND c.id = chronology_entries.concern_id
        AND (haven_reads(c.route, c.subject_person_id)
             OR (c.logged_by = haven_viewer_id() AND (chronology_entries.author_id = haven_viewer_id() OR chronology_entries.kind = 'feedback')))));
DROP POLICY concerns_select ON concerns;
CREATE POLICY concerns_select ON concerns FOR SELECT USING (
    school_id = haven_school_id()
    AND subject_person_id IS DISTINCT FROM haven_viewer_id()
    AND (logged_by = haven_viewer_id() OR haven_reads(route, subject_person_id)));
DROP FUNCTION haven_read_routes();
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION haven_has_role(r text) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM person_roles WHERE school_id = haven_school_id() AND person_id = haven_viewer_id() AND role = r) $$;
-- +goose StatementEnd

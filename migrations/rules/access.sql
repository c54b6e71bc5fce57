-- Haven's access rule in PostgreSQL: the one home of the functions,
-- triggers and policies of row-level security.
--
-- The same rule lives in Go in internal/safeguarding/access.go (Can,
-- Handles, RouteFor, MayLog, MayBeAssigned, MayReadAnnualReport…); each
-- function below names the Go function it mirrors. internal/postgres/rule_test.go runs every
-- combination of roles, routes and actions through both and compares them,
-- so a change to one without the other fails.
--
-- internal/postgres.Migrate applies this file whole, in one transaction,
-- after the numbered migrations, whenever it differs from the copy the
-- database last applied: it first drops everything it defines, then
-- defines it again. Edit it in place; do not redefine any of it in a
-- numbered migration.

-- Everything this file defines, policies first (they use the functions).
DROP POLICY IF EXISTS concerns_select ON concerns;
DROP POLICY IF EXISTS concerns_insert ON concerns;
DROP POLICY IF EXISTS concerns_update ON concerns;
DROP POLICY IF EXISTS concern_pupils_select ON concern_pupils;
DROP POLICY IF EXISTS concern_pupils_insert ON concern_pupils;
DROP POLICY IF EXISTS concern_pupils_attribute ON concern_pupils;
DROP POLICY IF EXISTS chronology_select ON chronology_entries;
DROP POLICY IF EXISTS chronology_insert ON chronology_entries;
DROP POLICY IF EXISTS drafts_own ON concern_drafts;
DROP POLICY IF EXISTS entry_drafts_own ON entry_drafts;
DROP POLICY IF EXISTS pupils_school ON pupils;
DROP POLICY IF EXISTS pupils_read ON pupils;
DROP POLICY IF EXISTS pupils_add ON pupils;
DROP POLICY IF EXISTS pupils_change ON pupils;
DROP POLICY IF EXISTS school_contacts_read ON school_contacts;
DROP POLICY IF EXISTS school_contacts_insert ON school_contacts;
DROP POLICY IF EXISTS school_contacts_update ON school_contacts;
DROP POLICY IF EXISTS school_closures_read ON school_closures;
DROP POLICY IF EXISTS school_closures_insert ON school_closures;
DROP POLICY IF EXISTS school_closures_delete ON school_closures;
DROP POLICY IF EXISTS outbox_read ON outbox;
DROP POLICY IF EXISTS outbox_insert ON outbox;
DROP POLICY IF EXISTS invitations_admin_read ON invitations;
DROP POLICY IF EXISTS invitations_admin_insert ON invitations;
DROP POLICY IF EXISTS invitations_admin_update ON invitations;
DROP POLICY IF EXISTS invitations_link_read ON invitations;
DROP POLICY IF EXISTS invitations_link_update ON invitations;
DROP POLICY IF EXISTS invitations_command_insert ON invitations;
DROP POLICY IF EXISTS policies_read ON policies;
DROP POLICY IF EXISTS policies_insert ON policies;
DROP POLICY IF EXISTS policies_update ON policies;
DROP POLICY IF EXISTS policy_reviews_read ON policy_reviews;
DROP POLICY IF EXISTS policy_reviews_insert ON policy_reviews;
DROP POLICY IF EXISTS training_read ON training_records;
DROP POLICY IF EXISTS training_add ON training_records;
DROP POLICY IF EXISTS training_change ON training_records;
DROP POLICY IF EXISTS training_remove ON training_records;
DROP POLICY IF EXISTS audit_log_read ON audit_log;
DROP POLICY IF EXISTS audit_log_insert ON audit_log;
DROP TRIGGER IF EXISTS concerns_guard_update ON concerns;
DROP TRIGGER IF EXISTS concern_pupils_copy_access ON concern_pupils;
DROP TRIGGER IF EXISTS chronology_entries_copy_access ON chronology_entries;
DROP TRIGGER IF EXISTS person_roles_reroute ON person_roles;
DROP FUNCTION IF EXISTS haven_guard_concern_update();
DROP FUNCTION IF EXISTS haven_copy_concern_access();
DROP FUNCTION IF EXISTS haven_reroute_on_role_change();
DROP FUNCTION IF EXISTS haven_reroute_subject(bigint, bigint);
DROP FUNCTION IF EXISTS haven_move_concern(bigint, bigint, text, bigint, text, text);
DROP FUNCTION IF EXISTS haven_chain_head(bigint, bigint);
DROP FUNCTION IF EXISTS haven_unseen_concern(bigint, bigint);
DROP FUNCTION IF EXISTS haven_annual_report(bigint, int);
DROP FUNCTION IF EXISTS haven_annual_report_years(bigint);
DROP FUNCTION IF EXISTS haven_may_read_annual_report(text[]);
DROP FUNCTION IF EXISTS haven_set_viewer(bigint, bigint);
DROP FUNCTION IF EXISTS haven_read_routes();
DROP FUNCTION IF EXISTS haven_roles();
DROP FUNCTION IF EXISTS haven_roles_current();
DROP FUNCTION IF EXISTS haven_handles(text, bigint);
DROP FUNCTION IF EXISTS haven_reads(text, bigint);
DROP FUNCTION IF EXISTS haven_handles_as(text[], text, bigint);
DROP FUNCTION IF EXISTS haven_reads_as(text[], text, bigint);
DROP FUNCTION IF EXISTS haven_handles_as(text[], text);
DROP FUNCTION IF EXISTS haven_reads_as(text[], text);
DROP FUNCTION IF EXISTS haven_may_log(text[]);
DROP FUNCTION IF EXISTS haven_may_edit_school_contacts(text[]);
DROP FUNCTION IF EXISTS haven_may_read_outbox(text[]);
DROP FUNCTION IF EXISTS haven_audit_kind(text);
DROP FUNCTION IF EXISTS haven_may_read_audit(text[], text);
DROP FUNCTION IF EXISTS haven_audit_concern_id(text);
DROP FUNCTION IF EXISTS haven_audit_tells_of_concern(text[], text);
DROP FUNCTION IF EXISTS haven_may_find_pupils(text[]);
DROP FUNCTION IF EXISTS haven_may_administer_people(text[]);
DROP FUNCTION IF EXISTS haven_may_import_roster(text[]);
DROP FUNCTION IF EXISTS haven_may_read_policies(text[]);
DROP FUNCTION IF EXISTS haven_may_manage_policies(text[]);
DROP FUNCTION IF EXISTS haven_may_write_policies();
DROP FUNCTION IF EXISTS haven_may_write_roster();
DROP FUNCTION IF EXISTS haven_may_edit_training(text[]);
DROP FUNCTION IF EXISTS haven_may_read_all_training(text[]);
DROP FUNCTION IF EXISTS haven_may_write_training();
DROP FUNCTION IF EXISTS haven_on_child_file(text);
DROP FUNCTION IF EXISTS haven_may_be_assigned(bigint, bigint, text, bigint);
DROP FUNCTION IF EXISTS haven_route_of(bigint, text, bigint);
DROP FUNCTION IF EXISTS haven_route_for(text, text[]);
DROP FUNCTION IF EXISTS haven_roles_of(bigint, bigint);
DROP FUNCTION IF EXISTS haven_has_role(text);
DROP FUNCTION IF EXISTS haven_viewer_id();
DROP FUNCTION IF EXISTS haven_school_id();

-- The viewer: set per transaction by haven_set_viewer, which the app calls
-- first in every transaction it runs for a person (internal/postgres
-- asViewer).
CREATE FUNCTION haven_viewer_id() RETURNS bigint LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('haven.person_id', true), '')::bigint $$;
CREATE FUNCTION haven_school_id() RETURNS bigint LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('haven.school_id', true), '')::bigint $$;

-- The roles a person holds in a school.
CREATE FUNCTION haven_roles_of(p_school_id bigint, p_person_id bigint) RETURNS text[] LANGUAGE sql STABLE AS
$$ SELECT coalesce(array_agg(role), '{}') FROM person_roles WHERE school_id = p_school_id AND person_id = p_person_id $$;

-- safeguarding.RouteFor: the route of a concern about a subject of this kind
-- who holds these roles.
CREATE FUNCTION haven_route_for(p_subject_kind text, p_subject_roles text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN p_subject_kind = 'pupils' THEN 'child'
        WHEN p_subject_kind = 'staff' AND 'principal' = ANY (p_subject_roles) THEN 'principal'
        WHEN p_subject_kind = 'staff' AND p_subject_roles && ARRAY['dsl', 'deputy_dsl'] THEN 'safeguarding_lead'
        ELSE 'adult' END
$$;
-- The route of a concern about this subject, from the roles they hold now.
CREATE FUNCTION haven_route_of(p_school_id bigint, p_subject_kind text, p_subject_person_id bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT haven_route_for(p_subject_kind, haven_roles_of(p_school_id, p_subject_person_id))
$$;

-- safeguarding.Handles: whether a person with these roles case-manages
-- concerns on this route. The subject exclusion is haven_handles' and the
-- policies'.
CREATE FUNCTION haven_handles_as(roles text[], route text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE route
        WHEN 'child' THEN roles && ARRAY['dsl', 'deputy_dsl']
        WHEN 'adult' THEN roles && ARRAY['dsl', 'deputy_dsl', 'principal']
        WHEN 'principal' THEN 'chair' = ANY (roles)
        WHEN 'safeguarding_lead' THEN 'principal' = ANY (roles)
        ELSE false END
$$;
-- Who reads a concern's whole record (safeguarding.SeesFullRecord): its case
-- handlers, and the principal for concerns about children.
CREATE FUNCTION haven_reads_as(roles text[], route text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT haven_handles_as(roles, route) OR (route = 'child' AND 'principal' = ANY (roles))
$$;
-- safeguarding.MayLog: anyone who works with children may log a concern.
CREATE FUNCTION haven_may_log(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT roles && ARRAY['staff', 'dsl', 'deputy_dsl', 'principal']
$$;
-- safeguarding.MayEditSchoolContacts: the DSL (and so a deputy) or the
-- administrator sets the numbers shown when a child is in danger.
CREATE FUNCTION haven_may_edit_school_contacts(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT roles && ARRAY['dsl', 'deputy_dsl', 'admin']
$$;
-- safeguarding.MayReadOutbox: only the administrator reads the outbox.
CREATE FUNCTION haven_may_read_outbox(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT 'admin' = ANY (roles)
$$;

-- safeguarding.AuditKindOf: what an audit row is about, by its object.
CREATE FUNCTION haven_audit_kind(object text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN object LIKE 'pupil:%' OR object LIKE 'concern:%' THEN 'children'
                WHEN object = 'person' OR object LIKE 'person:%' THEN 'accounts'
                ELSE 'school' END
$$;
-- safeguarding.MayReadAudit: the DSL and deputies read the rows about
-- children's files and concerns, the administrator sign-ins and account
-- changes; nobody reads the rest of others' doing.
CREATE FUNCTION haven_may_read_audit(roles text[], kind text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE kind WHEN 'children' THEN roles && ARRAY['dsl', 'deputy_dsl']
                     WHEN 'accounts' THEN 'admin' = ANY (roles)
                     ELSE false END
$$;
-- safeguarding.AuditViewTellsOfConcern: a view of a child's file by someone
-- who opens children's files only through the concerns they handle (the
-- chair) would tell of a concern the reader may not see.
CREATE FUNCTION haven_audit_tells_of_concern(actor_roles text[], action text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT action = 'view_child_file' AND NOT haven_reads_as(actor_roles, 'child')
$$;
-- The concern an audit row is about, or null.
CREATE FUNCTION haven_audit_concern_id(object text) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN object ~ '^concern:[0-9]{1,18}$' THEN substr(object, 9)::bigint END
$$;
-- safeguarding.MayFindPupils: the DSL and deputies search the pupils.
CREATE FUNCTION haven_may_find_pupils(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT roles && ARRAY['dsl', 'deputy_dsl']
$$;

-- safeguarding.MayAdministerPeople: only the administrator invites people,
-- changes their roles and deactivates them.
CREATE FUNCTION haven_may_administer_people(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT 'admin' = ANY (roles)
$$;

-- safeguarding.MayImportRoster: only the administrator imports the roster.
CREATE FUNCTION haven_may_import_roster(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT 'admin' = ANY (roles)
$$;

-- safeguarding.MayReadPolicies: the DSL, deputies, the principal, the chair
-- and governors read the policy register.
CREATE FUNCTION haven_may_read_policies(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT roles && ARRAY['dsl', 'deputy_dsl', 'principal', 'chair', 'governor']
$$;
-- safeguarding.MayManagePolicies: the DSL and the principal add policies,
-- record their reviews and retire them.
CREATE FUNCTION haven_may_manage_policies(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT roles && ARRAY['dsl', 'principal']
$$;
-- safeguarding.MayEditTraining: only the DSL keeps the training register.
CREATE FUNCTION haven_may_edit_training(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT 'dsl' = ANY (roles)
$$;
-- safeguarding.MayReadAllTraining: the DSL, deputies and principal, and the
-- chair and governors for the annual report's compliance figures.
CREATE FUNCTION haven_may_read_all_training(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT roles && ARRAY['dsl', 'deputy_dsl', 'principal', 'chair', 'governor']
$$;

-- Takes the viewer for the rest of the transaction: their ids, and the roles
-- and routes the rule reads, worked out once here rather than in every
-- statement. The roles are the database's own, read from person_roles: the
-- app names the viewer and nothing else. If the ids are set again without
-- this function, the roles no longer match them and the viewer has none
-- (haven.roles_of records whose they are).
CREATE FUNCTION haven_set_viewer(p_school_id bigint, p_person_id bigint) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    roles text[];
    routes text[] := '{}';
BEGIN
    PERFORM set_config('haven.school_id', p_school_id::text, true),
        set_config('haven.person_id', p_person_id::text, true);
    roles := (SELECT coalesce(array_agg(role), '{}') FROM person_roles
        WHERE school_id = p_school_id AND person_id = p_person_id);
    IF haven_reads_as(roles, 'child') THEN routes := routes || 'child'::text; END IF;
    IF haven_reads_as(roles, 'adult') THEN routes := routes || 'adult'::text; END IF;
    IF haven_reads_as(roles, 'principal') THEN routes := routes || 'principal'::text; END IF;
    IF haven_reads_as(roles, 'safeguarding_lead') THEN routes := routes || 'safeguarding_lead'::text; END IF;
    PERFORM set_config('haven.roles', roles::text, true),
        set_config('haven.read_routes', routes::text, true),
        set_config('haven.roles_of', p_school_id::text || '/' || p_person_id::text, true);
END
$$;
REVOKE ALL ON FUNCTION haven_set_viewer(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_set_viewer(bigint, bigint) TO haven_app;

-- Whether the roles in the settings are the current viewer's. Plain SQL
-- expressions, so that PostgreSQL inlines them into the policies.
CREATE FUNCTION haven_roles_current() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT current_setting('haven.roles_of', true)
        = current_setting('haven.school_id', true) || '/' || current_setting('haven.person_id', true)
$$;
CREATE FUNCTION haven_roles() RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN haven_roles_current() THEN current_setting('haven.roles', true)::text[] ELSE '{}' END
$$;
-- The routes whose concerns the viewer reads in full (haven_reads_as).
CREATE FUNCTION haven_read_routes() RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN haven_roles_current() THEN current_setting('haven.read_routes', true)::text[] ELSE '{}' END
$$;

-- safeguarding.Can's case handler: handles the route and is not the subject.
CREATE FUNCTION haven_handles(route text, subject_person_id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT subject_person_id IS DISTINCT FROM haven_viewer_id() AND haven_handles_as(haven_roles(), route)
$$;

-- safeguarding.Can, view child file: a concern shows on the files of the
-- pupils it is about or involves to those who read its route in full,
-- whatever the route: an allegation about the principal involving a pupil
-- is on that pupil's file for the chair alone. The child's page reads its
-- concerns through it, on top of concerns_select (which keeps the subject
-- out).
CREATE FUNCTION haven_on_child_file(route text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT route = ANY (haven_read_routes())
$$;

-- safeguarding.MayBeAssigned: an active DSL or deputy of the school, on a
-- route they handle, who is not the concern's subject.
CREATE FUNCTION haven_may_be_assigned(p_school_id bigint, p_person_id bigint, p_route text, p_subject_person_id bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT p_person_id IS DISTINCT FROM p_subject_person_id
        AND EXISTS (SELECT 1 FROM people WHERE school_id = p_school_id AND id = p_person_id AND active)
        AND haven_roles_of(p_school_id, p_person_id) && ARRAY['dsl', 'deputy_dsl']
        AND haven_handles_as(haven_roles_of(p_school_id, p_person_id), p_route)
$$;

-- The hash of a concern's newest entry, which a new entry links to. The
-- member of staff who logged a concern may add to it but may not read the
-- DSL's entries, so this runs as the owner; it answers only to those who may
-- add to the concern, and reveals nothing but a hash. PL/pgSQL keeps its
-- plan between calls.
CREATE FUNCTION haven_chain_head(p_school_id bigint, p_concern_id bigint) RETURNS bytea
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    RETURN (SELECT e.hash FROM chronology_entries e
        WHERE e.school_id = p_school_id AND e.concern_id = p_concern_id
          AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = p_school_id AND c.id = p_concern_id
                      AND c.school_id = haven_school_id()
                      AND (haven_handles(c.route, c.subject_person_id) OR c.logged_by = haven_viewer_id()))
        ORDER BY e.id DESC LIMIT 1);
END
$$;
REVOKE ALL ON FUNCTION haven_chain_head(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_chain_head(bigint, bigint) TO haven_app;

-- Who handles a concern that the viewer asked for and may not see, for the
-- notice of their repeated denied looks (internal/postgres
-- RecordDeniedLook): its route and subject, from which the notice's
-- recipients follow (safeguarding.Handles), and nothing else. The viewer
-- cannot read the row, so this runs as the owner; it answers nothing about
-- a concern the viewer may see (concerns_select) or of another school, and
-- what it answers is never shown to the viewer.
CREATE FUNCTION haven_unseen_concern(p_school_id bigint, p_concern_id bigint)
RETURNS TABLE (route text, subject_person_id bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT c.route, c.subject_person_id FROM concerns c
    WHERE c.school_id = p_school_id AND c.id = p_concern_id AND c.school_id = haven_school_id()
      AND NOT (c.subject_person_id IS DISTINCT FROM haven_viewer_id()
               AND (c.logged_by = haven_viewer_id() OR c.route = ANY (haven_read_routes())))
$$;
REVOKE ALL ON FUNCTION haven_unseen_concern(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_unseen_concern(bigint, bigint) TO haven_app;

-- safeguarding.MayReadAnnualReport: governors, the chair, the principal and
-- the DSL (and so a deputy) read the annual oversight report.
CREATE FUNCTION haven_may_read_annual_report(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT roles && ARRAY['governor', 'chair', 'principal', 'dsl', 'deputy_dsl']
$$;

-- The figures of the annual oversight report (internal/postgres
-- AnnualReport) for the academic year that starts on 1 September p_start,
-- as (figure, label, value) rows: counts, hours and nothing else, never a
-- row of a table. A governor reads no concern under row-level security, so
-- this runs as the owner; it answers only the viewer's own school, and only
-- to whom haven_may_read_annual_report admits. What each figure means is
-- docs/annual-report.md; the year's bounds are London's midnights.
CREATE FUNCTION haven_annual_report(p_school_id bigint, p_start int)
RETURNS TABLE (figure text, label text, value double precision)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public SET jit = off AS $$
DECLARE
    y_from timestamptz := make_date(p_start, 9, 1)::timestamp AT TIME ZONE 'Europe/London';
    y_to timestamptz := make_date(p_start + 1, 9, 1)::timestamp AT TIME ZONE 'Europe/London';
    y_last date := make_date(p_start + 1, 8, 31);
BEGIN
    IF p_school_id IS DISTINCT FROM haven_school_id() OR NOT haven_may_read_annual_report(haven_roles()) THEN
        RAISE EXCEPTION 'the annual report is not the viewer''s to read' USING ERRCODE = 'insufficient_privilege';
    END IF;

    -- Concerns logged in the year: by category, by month, by route; and
    -- how long those about children waited for a case handler's
    -- acknowledgement, in hours.
    RETURN QUERY
    WITH y AS (
        SELECT c.categories, c.route, c.indicators,
               extract(month FROM c.logged_at AT TIME ZONE 'Europe/London')::int AS month,
               CASE WHEN c.route = 'child' THEN extract(epoch FROM c.acknowledged_at - c.logged_at) / 3600 END AS wait
        FROM concerns c
        WHERE c.school_id = p_school_id AND c.logged_at >= y_from AND c.logged_at < y_to)
    SELECT 'concerns', 'total', count(*)::float8 FROM y
    UNION ALL
    SELECT 'route', CASE WHEN y.route = 'child' THEN 'child' ELSE 'adult' END, count(*)::float8 FROM y
        GROUP BY 2
    UNION ALL
    SELECT 'month', y.month::text, count(*)::float8 FROM y GROUP BY y.month
    UNION ALL
    SELECT 'category', cat, count(*)::float8 FROM y, unnest(y.categories) AS cat GROUP BY cat
    UNION ALL
    SELECT 'indicator', ind, count(*)::float8 FROM y, unnest(y.indicators) AS ind GROUP BY ind
    UNION ALL
    SELECT 'acknowledgement', x.label, x.value FROM (
        SELECT count(y.wait)::float8 AS n,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY y.wait) AS median,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY y.wait) AS p90
        FROM y WHERE y.wait IS NOT NULL) a
    CROSS JOIN LATERAL (VALUES ('count', a.n), ('median', a.median), ('p90', a.p90)) AS x (label, value)
    WHERE x.value IS NOT NULL;

    -- Referrals recorded in the year: by agency, whether the agency's
    -- response is recorded, and whether it came by the next weekday.
    RETURN QUERY
    -- A response is written after its referral, so in the year or later.
    WITH responses AS (
        SELECT x.details->>'referral_id' AS referral_id,
               min(CASE WHEN x.details->>'responded_on' ~ '^\d{4}-\d{2}-\d{2}$' THEN (x.details->>'responded_on')::date
                        ELSE (coalesce(x.happened_at, x.at) AT TIME ZONE 'Europe/London')::date END) AS responded_on
        FROM chronology_entries x
        WHERE x.school_id = p_school_id AND x.kind = 'referral_response' AND x.at >= y_from
        GROUP BY 1),
    r AS (
        SELECT e.details->>'agency' AS agency, resp.responded_on,
               CASE WHEN e.details->>'referred_on' ~ '^\d{4}-\d{2}-\d{2}$' THEN (e.details->>'referred_on')::date
                    ELSE (coalesce(e.happened_at, e.at) AT TIME ZONE 'Europe/London')::date END AS referred_on
        FROM chronology_entries e
        LEFT JOIN responses resp ON resp.referral_id = e.id::text
        WHERE e.school_id = p_school_id AND e.kind = 'referral' AND e.at >= y_from AND e.at < y_to)
    SELECT 'referrals', 'total', count(*)::float8 FROM r
    UNION ALL
    SELECT 'referral_agency', r.agency, count(*)::float8 FROM r GROUP BY r.agency
    UNION ALL
    SELECT 'referral_response', CASE WHEN r.responded_on IS NULL THEN 'none' ELSE 'recorded' END, count(*)::float8 FROM r GROUP BY 2
    UNION ALL
    -- The next weekday: Friday's, Saturday's and Sunday's is Monday.
    SELECT 'referral_response', 'next_weekday', count(*)::float8 FROM r
    WHERE r.responded_on <= r.referred_on + CASE extract(isodow FROM r.referred_on) WHEN 5 THEN 3 WHEN 6 THEN 2 ELSE 1 END;

    -- Pupils with a concern about a child open on the year's last day: one
    -- logged by then whose latest closing or reopening by then is not a
    -- closing.
    RETURN QUERY
    -- Only a concern open now, or closed, reopened or moved on since,
    -- may have been open then; the others were closed then as now.
    WITH changed AS (
        -- Concerns whose status has moved since the year's end.
        SELECT DISTINCT e.concern_id AS id FROM chronology_entries e
        WHERE e.school_id = p_school_id AND e.kind IN ('closed', 'reopened', 'status_changed') AND e.at >= y_to),
    open_concerns AS (
        -- Open now and unmoved since the year's end: open then too.
        SELECT c.id FROM concerns c
        WHERE c.school_id = p_school_id AND c.route = 'child' AND c.status <> 'closed' AND c.logged_at < y_to
          AND NOT EXISTS (SELECT 1 FROM changed k WHERE k.id = c.id)
        UNION ALL
        -- Moved since: open then unless its last status entry before the
        -- year's end closed it.
        SELECT c.id FROM changed k
        JOIN concerns c ON c.school_id = p_school_id AND c.id = k.id
        WHERE c.route = 'child' AND c.logged_at < y_to
          AND coalesce((
              SELECT e.kind = 'closed' OR (e.kind = 'status_changed' AND e.details->>'to_status' = 'closed')
              FROM chronology_entries e
              WHERE e.school_id = c.school_id AND e.concern_id = c.id AND e.at < y_to
                AND e.kind IN ('closed', 'reopened', 'status_changed')
              ORDER BY e.at DESC, e.id DESC LIMIT 1), false) = false),
    pupils_open AS (
        SELECT DISTINCT p.id, p.year_group, p.send, p.looked_after, p.previously_looked_after
        FROM open_concerns o
        JOIN concern_pupils cp ON cp.school_id = p_school_id AND cp.concern_id = o.id
        JOIN pupils p ON p.school_id = cp.school_id AND p.id = cp.pupil_id)
    SELECT 'open_pupils', 'total', count(*)::float8 FROM pupils_open
    UNION ALL
    SELECT 'open_year_group', po.year_group::text, count(*)::float8 FROM pupils_open po GROUP BY po.year_group
    UNION ALL
    SELECT 'open_flag', f.flag, count(*)::float8 FROM pupils_open po
        CROSS JOIN LATERAL (VALUES ('send', po.send), ('looked_after', po.looked_after),
                                   ('previously_looked_after', po.previously_looked_after)) AS f (flag, set)
        WHERE f.set GROUP BY f.flag;

    -- Training on the year's last day (policy §4.1, §4.7): everyone active
    -- who works with children and had started by then; in date with an
    -- induction (when their start is recorded) and safeguarding training in
    -- the last 12 months; a DSL or deputy also with DSL training in the last
    -- 2 years.
    RETURN QUERY
    WITH staff AS (
        SELECT p.id, haven_roles_of(p.school_id, p.id) && ARRAY['dsl', 'deputy_dsl'] AS lead,
            (p.started_on IS NULL OR EXISTS (SELECT 1 FROM training_records t WHERE t.school_id = p.school_id AND t.person_id = p.id
                 AND t.kind = 'induction' AND t.completed_on <= y_last))
            AND EXISTS (SELECT 1 FROM training_records t WHERE t.school_id = p.school_id AND t.person_id = p.id
                 AND t.kind IN ('induction', 'annual_update', 'dsl_training')
                 AND t.completed_on > (y_last - interval '12 months')::date AND t.completed_on <= y_last) AS in_date,
            EXISTS (SELECT 1 FROM training_records t WHERE t.school_id = p.school_id AND t.person_id = p.id
                 AND t.kind = 'dsl_training' AND t.completed_on > (y_last - interval '2 years')::date AND t.completed_on <= y_last)
            AND EXISTS (SELECT 1 FROM training_records t WHERE t.school_id = p.school_id AND t.person_id = p.id
                 AND t.kind IN ('dsl_training', 'annual_update')
                 AND t.completed_on > (y_last - interval '12 months')::date AND t.completed_on <= y_last) AS lead_in_date
        FROM people p
        WHERE p.school_id = p_school_id AND p.active AND (p.started_on IS NULL OR p.started_on <= y_last)
          AND haven_roles_of(p.school_id, p.id) && ARRAY['staff', 'dsl', 'deputy_dsl', 'principal'])
    SELECT 'training', x.label, x.value FROM (
        SELECT count(*)::float8 AS staff, count(*) FILTER (WHERE s.in_date)::float8 AS staff_in_date,
               count(*) FILTER (WHERE s.lead)::float8 AS leads,
               count(*) FILTER (WHERE s.lead AND s.lead_in_date)::float8 AS leads_in_date,
               (SELECT count(*) FROM training_records t WHERE t.school_id = p_school_id AND t.completed_on <= y_last)::float8 AS records
        FROM staff s) a
    CROSS JOIN LATERAL (VALUES ('staff', a.staff), ('staff_in_date', a.staff_in_date), ('leads', a.leads),
                               ('leads_in_date', a.leads_in_date), ('records', a.records)) AS x (label, value);

    -- The school's policies on the year's last day, by their latest
    -- approval by then.
    RETURN QUERY
    WITH pol AS (
        SELECT (SELECT r.next_review_on FROM policy_reviews r
                WHERE r.school_id = p.school_id AND r.policy_id = p.id AND r.approved_on <= y_last
                ORDER BY r.approved_on DESC, r.id DESC LIMIT 1) AS next_review_on
        FROM policies p
        WHERE p.school_id = p_school_id AND (p.retired_on IS NULL OR p.retired_on > y_last)
          AND (p.created_at < y_to OR EXISTS (SELECT 1 FROM policy_reviews r
               WHERE r.school_id = p.school_id AND r.policy_id = p.id AND r.approved_on <= y_last)))
    SELECT 'policies', x.label, x.value FROM (
        SELECT count(*)::float8 AS total,
               count(*) FILTER (WHERE pol.next_review_on >= y_last)::float8 AS in_date,
               count(*) FILTER (WHERE pol.next_review_on < y_last)::float8 AS overdue,
               count(*) FILTER (WHERE pol.next_review_on IS NULL)::float8 AS never
        FROM pol) a
    CROSS JOIN LATERAL (VALUES ('total', a.total), ('in_date', a.in_date), ('overdue', a.overdue), ('never', a.never)) AS x (label, value);
END
$$;
REVOKE ALL ON FUNCTION haven_annual_report(bigint, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_annual_report(bigint, int) TO haven_app;

-- The academic years (their starting years) in which the school logged a
-- concern, for the report's year chooser: years only, to whom
-- haven_may_read_annual_report admits.
CREATE FUNCTION haven_annual_report_years(p_school_id bigint) RETURNS SETOF int
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    first_at timestamptz;
BEGIN
    IF p_school_id IS DISTINCT FROM haven_school_id() OR NOT haven_may_read_annual_report(haven_roles()) THEN
        RAISE EXCEPTION 'the annual report is not the viewer''s to read' USING ERRCODE = 'insufficient_privilege';
    END IF;
    first_at := (SELECT min(c.logged_at) FROM concerns c WHERE c.school_id = p_school_id);
    IF first_at IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY SELECT s FROM generate_series(
        extract(year FROM (first_at AT TIME ZONE 'Europe/London') - interval '8 months')::int,
        extract(year FROM (now() AT TIME ZONE 'Europe/London') - interval '8 months')::int) AS s;
END
$$;
REVOKE ALL ON FUNCTION haven_annual_report_years(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_annual_report_years(bigint) TO haven_app;

-- What decides who sees a pupil link or an entry (its concern's route,
-- subject and author) is copied onto it when it is written, so the policies
-- compare columns rather than look up the concern for every row. The copy
-- reads the concern whatever the writer supplied. SECURITY DEFINER: the
-- insert policies, not this function, decide whether the writer may add to
-- the concern.
CREATE FUNCTION haven_copy_concern_access() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    SELECT c.route, c.subject_person_id, c.logged_by INTO NEW.concern_route, NEW.concern_subject_id, NEW.concern_logged_by
    FROM concerns c WHERE c.school_id = NEW.school_id AND c.id = NEW.concern_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER concern_pupils_copy_access BEFORE INSERT OR UPDATE ON concern_pupils
    FOR EACH ROW EXECUTE FUNCTION haven_copy_concern_access();
CREATE TRIGGER chronology_entries_copy_access BEFORE INSERT OR UPDATE ON chronology_entries
    FOR EACH ROW EXECUTE FUNCTION haven_copy_concern_access();

-- A concern's route follows its subject (see safeguarding.Can): when a
-- person's roles change, the concerns about them are routed again from the
-- roles they now hold, and the copies on their links and entries follow.
-- Runs as the owner: haven_app may never change a route itself.
CREATE FUNCTION haven_reroute_subject(p_school_id bigint, p_person_id bigint) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    UPDATE concerns SET route = haven_route_of(p_school_id, subject_kind, p_person_id)
    WHERE school_id = p_school_id AND subject_person_id = p_person_id
      AND route IS DISTINCT FROM haven_route_of(p_school_id, subject_kind, p_person_id);
    IF NOT FOUND THEN
        RETURN;
    END IF;
    UPDATE concern_pupils cp SET concern_route = c.route FROM concerns c
    WHERE c.school_id = p_school_id AND c.subject_person_id = p_person_id
      AND cp.school_id = c.school_id AND cp.concern_id = c.id AND cp.concern_route IS DISTINCT FROM c.route;
    UPDATE chronology_entries e SET concern_route = c.route FROM concerns c
    WHERE c.school_id = p_school_id AND c.subject_person_id = p_person_id
      AND e.school_id = c.school_id AND e.concern_id = c.id AND e.concern_route IS DISTINCT FROM c.route;
END
$$;
REVOKE ALL ON FUNCTION haven_reroute_subject(bigint, bigint) FROM PUBLIC;
CREATE FUNCTION haven_reroute_on_role_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM haven_reroute_subject(OLD.school_id, OLD.person_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM haven_reroute_subject(NEW.school_id, NEW.person_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER person_roles_reroute AFTER INSERT OR UPDATE OR DELETE ON person_roles
    FOR EACH ROW EXECUTE FUNCTION haven_reroute_on_role_change();

-- safeguarding.Can, move: a case handler of the concern, not its subject,
-- moves it to the subject it is really about (safeguarding.ApplyMove); the
-- route follows the new subject, and the copies on its links and entries
-- with it, so whoever may no longer see it loses it at once. Runs as the
-- owner: haven_app has no right to change a concern's subject or route.
-- A concern given to someone who may not have it on the new route is
-- given to nobody. Returns the new route.
CREATE FUNCTION haven_move_concern(p_school_id bigint, p_concern_id bigint, p_subject_kind text,
    p_subject_person_id bigint, p_adult_name text, p_adult_role text) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    old_route text;
    old_subject bigint;
    new_route text;
BEGIN
    SELECT c.route, c.subject_person_id INTO old_route, old_subject FROM concerns c
    WHERE c.school_id = p_school_id AND c.id = p_concern_id AND c.school_id = haven_school_id()
    FOR NO KEY UPDATE;
    IF NOT FOUND OR NOT haven_handles(old_route, old_subject) THEN
        RAISE EXCEPTION 'only a case handler may move a concern' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_subject_kind IS NULL OR p_subject_kind NOT IN ('pupils', 'staff', 'other_adult')
       OR (p_subject_kind = 'staff') <> (p_subject_person_id IS NOT NULL)
       OR p_subject_person_id = haven_viewer_id()
       OR (p_subject_kind = 'other_adult' AND coalesce(p_adult_name, '') = '')
       OR (p_subject_kind = 'pupils' AND NOT EXISTS (
           SELECT 1 FROM concern_pupils cp WHERE cp.school_id = p_school_id AND cp.concern_id = p_concern_id)) THEN
        RAISE EXCEPTION 'a concern cannot be about that subject' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    new_route := haven_route_of(p_school_id, p_subject_kind, p_subject_person_id);
    UPDATE concerns c SET subject_kind = p_subject_kind, subject_person_id = p_subject_person_id,
        subject_adult_name = coalesce(p_adult_name, ''), subject_adult_role = coalesce(p_adult_role, ''),
        route = new_route,
        assigned_to = CASE WHEN c.assigned_to IS NOT NULL
            AND haven_may_be_assigned(p_school_id, c.assigned_to, new_route, p_subject_person_id) THEN c.assigned_to END
    WHERE c.school_id = p_school_id AND c.id = p_concern_id;
    -- The copies are read again from the concern by their triggers.
    UPDATE concern_pupils SET concern_route = new_route WHERE school_id = p_school_id AND concern_id = p_concern_id;
    UPDATE chronology_entries SET concern_route = new_route WHERE school_id = p_school_id AND concern_id = p_concern_id;
    RETURN new_route;
END
$$;
REVOKE ALL ON FUNCTION haven_move_concern(bigint, bigint, text, bigint, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_move_concern(bigint, bigint, text, bigint, text, text) TO haven_app;

-- The member of staff who logged a concern may add further information,
-- which bumps last_activity_at, so the update policy admits them; only a
-- case handler may move the concern on (status, assignee, acknowledgement,
-- feedback), as safeguarding.Can says, and a concern is given only to
-- someone who may have it (safeguarding.MayBeAssigned).
CREATE FUNCTION haven_guard_concern_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.status, NEW.assigned_to, NEW.acknowledged_at, NEW.feedback_given)
         IS DISTINCT FROM (OLD.status, OLD.assigned_to, OLD.acknowledged_at, OLD.feedback_given)
       AND NOT haven_handles(OLD.route, OLD.subject_person_id) THEN
        RAISE EXCEPTION 'only a case handler may change where a concern stands'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.assigned_to IS DISTINCT FROM OLD.assigned_to AND NEW.assigned_to IS NOT NULL
       AND NOT haven_may_be_assigned(NEW.school_id, NEW.assigned_to, OLD.route, OLD.subject_person_id) THEN
        RAISE EXCEPTION 'this concern may not be given to that person'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER concerns_guard_update BEFORE UPDATE ON concerns
    FOR EACH ROW EXECUTE FUNCTION haven_guard_concern_update();

ALTER TABLE concerns ENABLE ROW LEVEL SECURITY;
ALTER TABLE concern_pupils ENABLE ROW LEVEL SECURITY;
ALTER TABLE chronology_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE concern_drafts ENABLE ROW LEVEL SECURITY;
ALTER TABLE entry_drafts ENABLE ROW LEVEL SECURITY;
ALTER TABLE pupils ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;

-- safeguarding.Can, list and view: not about the viewer, and logged by them
-- or on a route they read. The viewer's id and routes are read once per
-- statement, as uncorrelated sub-selects, not once per row.
CREATE POLICY concerns_select ON concerns FOR SELECT USING (
    school_id = haven_school_id()
    AND subject_person_id IS DISTINCT FROM (SELECT haven_viewer_id())
    AND (logged_by = (SELECT haven_viewer_id()) OR route = ANY ((SELECT haven_read_routes())::text[])));
-- safeguarding.MayLog and safeguarding.RouteFor: the logger may log, is not
-- the subject, and the route is the one the subject's roles give.
CREATE POLICY concerns_insert ON concerns FOR INSERT WITH CHECK (
    school_id = haven_school_id() AND logged_by = haven_viewer_id()
    AND haven_may_log(haven_roles())
    AND subject_person_id IS DISTINCT FROM logged_by
    AND route = haven_route_of(school_id, subject_kind, subject_person_id));
CREATE POLICY concerns_update ON concerns FOR UPDATE
    USING (school_id = haven_school_id() AND (haven_handles(route, subject_person_id) OR logged_by = haven_viewer_id()))
    WITH CHECK (school_id = haven_school_id());

-- concerns_select, on the copies.
CREATE POLICY concern_pupils_select ON concern_pupils FOR SELECT USING (
    school_id = haven_school_id()
    AND concern_subject_id IS DISTINCT FROM (SELECT haven_viewer_id())
    AND (concern_logged_by = (SELECT haven_viewer_id()) OR concern_route = ANY ((SELECT haven_read_routes())::text[])));
CREATE POLICY concern_pupils_insert ON concern_pupils FOR INSERT WITH CHECK (
    school_id = haven_school_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = concern_pupils.school_id AND c.id = concern_pupils.concern_id
                AND c.logged_by = haven_viewer_id()));
-- safeguarding.MayAttribute: a case handler of the concern gives each
-- pupil of a concern logged before parts were recorded their own part,
-- indicators and words (safeguarding.ApplyAttribution), once: a part
-- recorded is never changed in place. No one else may touch a pupil's part.
GRANT UPDATE (part, indicators, childs_words) ON concern_pupils TO haven_app;
CREATE POLICY concern_pupils_attribute ON concern_pupils FOR UPDATE
    USING (school_id = haven_school_id() AND part = 'not_recorded' AND haven_handles(concern_route, concern_subject_id))
    WITH CHECK (school_id = haven_school_id() AND part <> 'not_recorded');

-- The concern is visible and either its route is read in full or the
-- viewer logged it and the entry is theirs or the feedback given to them
-- (safeguarding.SeesFullRecord).
CREATE POLICY chronology_select ON chronology_entries FOR SELECT USING (
    school_id = haven_school_id()
    AND concern_subject_id IS DISTINCT FROM (SELECT haven_viewer_id())
    AND (concern_route = ANY ((SELECT haven_read_routes())::text[])
         OR (concern_logged_by = (SELECT haven_viewer_id()) AND (author_id = (SELECT haven_viewer_id()) OR kind = 'feedback'))));
-- safeguarding.Can, add entry: case handlers add anything but the original
-- concern; the member of staff who logged it adds further information, and
-- the original concern once, while the chronology is still empty.
CREATE POLICY chronology_insert ON chronology_entries FOR INSERT WITH CHECK (
    school_id = haven_school_id() AND author_id = haven_viewer_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = chronology_entries.school_id AND c.id = chronology_entries.concern_id
        AND (
            (kind <> 'concern_logged' AND haven_handles(c.route, c.subject_person_id))
            OR (c.logged_by = haven_viewer_id() AND kind = 'further_information')
            OR (c.logged_by = haven_viewer_id() AND kind = 'concern_logged'
                AND haven_chain_head(c.school_id, c.id) IS NULL))));

CREATE POLICY drafts_own ON concern_drafts FOR ALL
    USING (school_id = haven_school_id() AND person_id = haven_viewer_id())
    WITH CHECK (school_id = haven_school_id() AND person_id = haven_viewer_id());

-- An entry being typed: the person's own, on a concern they may add to
-- (Can ActionAddEntry: its case handlers, and the member of staff who
-- logged it). The concern is read through its own policy, which hides it
-- from its subject.
CREATE POLICY entry_drafts_own ON entry_drafts FOR ALL
    USING (school_id = haven_school_id() AND person_id = haven_viewer_id()
        AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = entry_drafts.school_id AND c.id = entry_drafts.concern_id
            AND (haven_handles(c.route, c.subject_person_id) OR c.logged_by = haven_viewer_id())))
    WITH CHECK (school_id = haven_school_id() AND person_id = haven_viewer_id()
        AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = entry_drafts.school_id AND c.id = entry_drafts.concern_id
            AND (haven_handles(c.route, c.subject_person_id) OR c.logged_by = haven_viewer_id())));

-- Pupils are the school's roster: visible to its own people only, and
-- written only by whom haven_may_import_roster admits, or by Haven itself
-- for the school with no person set (the demo loader, `haven import` on the
-- command line), which no page can do: every page runs as its person.
CREATE FUNCTION haven_may_write_roster() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(haven_viewer_id(), 0) = 0 OR haven_may_import_roster(haven_roles())
$$;
CREATE POLICY pupils_read ON pupils FOR SELECT
    USING (school_id = haven_school_id());
CREATE POLICY pupils_add ON pupils FOR INSERT
    WITH CHECK (school_id = haven_school_id() AND haven_may_write_roster());
CREATE POLICY pupils_change ON pupils FOR UPDATE
    USING (school_id = haven_school_id() AND haven_may_write_roster())
    WITH CHECK (school_id = haven_school_id() AND haven_may_write_roster());

-- The school's emergency contacts: read by everyone of the school (the
-- concern form shows them to whoever logs), written only by those
-- haven_may_edit_school_contacts admits, as themselves.
CREATE POLICY school_contacts_read ON school_contacts FOR SELECT
    USING (school_id = haven_school_id());
CREATE POLICY school_contacts_insert ON school_contacts FOR INSERT
    WITH CHECK (school_id = haven_school_id() AND updated_by = haven_viewer_id()
        AND haven_may_edit_school_contacts(haven_roles()));
CREATE POLICY school_contacts_update ON school_contacts FOR UPDATE
    USING (school_id = haven_school_id() AND haven_may_edit_school_contacts(haven_roles()))
    WITH CHECK (school_id = haven_school_id() AND updated_by = haven_viewer_id()
        AND haven_may_edit_school_contacts(haven_roles()));

-- The school's closure days: read by everyone of the school (every deadline
-- counts working days, whoever's request computes it), added and removed
-- only by those haven_may_edit_school_contacts admits (the school's
-- settings), adding as themselves.
CREATE POLICY school_closures_read ON school_closures FOR SELECT
    USING (school_id = haven_school_id());
CREATE POLICY school_closures_insert ON school_closures FOR INSERT
    WITH CHECK (school_id = haven_school_id() AND created_by = haven_viewer_id()
        AND haven_may_edit_school_contacts(haven_roles()));
CREATE POLICY school_closures_delete ON school_closures FOR DELETE
    USING (school_id = haven_school_id() AND haven_may_edit_school_contacts(haven_roles()));

-- The outbox: the e-mails not sent because SMTP_URL is unset. The jobs that
-- would have sent them write them, and they run for nobody (no viewer is
-- set), so only a transaction with no viewer may add one: nothing a person
-- does on a page can. Only the school's administrator reads them.
CREATE POLICY outbox_insert ON outbox FOR INSERT
    WITH CHECK (haven_viewer_id() IS NULL AND haven_school_id() IS NULL);
CREATE POLICY outbox_read ON outbox FOR SELECT
    USING (school_id = haven_school_id() AND haven_may_read_outbox(haven_roles()));

-- Invitations: the school's administrator reads, makes (as themselves) and
-- revokes them. The e-mail job and the invitation page run for nobody (no
-- viewer is set): they find an invitation by its token's hash, issue its
-- token and use it up, and nothing a signed-in person does can. So does
-- `haven user invite`, which makes an invitation by no one.
CREATE POLICY invitations_admin_read ON invitations FOR SELECT
    USING (school_id = haven_school_id() AND haven_may_administer_people(haven_roles()));
CREATE POLICY invitations_admin_insert ON invitations FOR INSERT
    WITH CHECK (school_id = haven_school_id() AND invited_by = haven_viewer_id()
        AND haven_may_administer_people(haven_roles()));
CREATE POLICY invitations_admin_update ON invitations FOR UPDATE
    USING (school_id = haven_school_id() AND haven_may_administer_people(haven_roles()))
    WITH CHECK (school_id = haven_school_id() AND haven_may_administer_people(haven_roles()));
CREATE POLICY invitations_link_read ON invitations FOR SELECT
    USING (haven_viewer_id() IS NULL AND haven_school_id() IS NULL);
CREATE POLICY invitations_link_update ON invitations FOR UPDATE
    USING (haven_viewer_id() IS NULL AND haven_school_id() IS NULL)
    WITH CHECK (haven_viewer_id() IS NULL AND haven_school_id() IS NULL);
CREATE POLICY invitations_command_insert ON invitations FOR INSERT
    WITH CHECK (haven_viewer_id() IS NULL AND haven_school_id() IS NULL AND invited_by IS NULL);

-- The policy register: read by whom haven_may_read_policies admits, written
-- by whom haven_may_manage_policies admits (a review as themselves), or by
-- Haven itself for the school with no person set (the demo loader), which
-- no page can do.
CREATE FUNCTION haven_may_write_policies() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(haven_viewer_id(), 0) = 0 OR haven_may_manage_policies(haven_roles())
$$;
CREATE POLICY policies_read ON policies FOR SELECT
    USING (school_id = haven_school_id() AND (coalesce(haven_viewer_id(), 0) = 0 OR haven_may_read_policies(haven_roles())));
CREATE POLICY policies_insert ON policies FOR INSERT
    WITH CHECK (school_id = haven_school_id() AND haven_may_write_policies());
CREATE POLICY policies_update ON policies FOR UPDATE
    USING (school_id = haven_school_id() AND haven_may_write_policies())
    WITH CHECK (school_id = haven_school_id() AND haven_may_write_policies());
CREATE POLICY policy_reviews_read ON policy_reviews FOR SELECT
    USING (school_id = haven_school_id() AND (coalesce(haven_viewer_id(), 0) = 0 OR haven_may_read_policies(haven_roles())));
CREATE POLICY policy_reviews_insert ON policy_reviews FOR INSERT
    WITH CHECK (school_id = haven_school_id() AND haven_may_write_policies()
        AND (recorded_by IS NULL AND coalesce(haven_viewer_id(), 0) = 0 OR recorded_by = haven_viewer_id()));
-- The training register (safeguarding.MayReadTraining, MayEditTraining):
-- each person reads their own records, and those haven_may_read_all_training
-- admits read everyone's in their school, as does Haven itself (no person
-- set) to import without adding a record twice; the DSL adds, changes and deletes
-- them, as does Haven itself for the school with no person set (`haven
-- import training` on the command line, the demo loader). people.started_on
-- is set through the same test in internal/postgres (people has no policy).
CREATE FUNCTION haven_may_write_training() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(haven_viewer_id(), 0) = 0 OR haven_may_edit_training(haven_roles())
$$;
CREATE POLICY training_read ON training_records FOR SELECT
    USING (school_id = haven_school_id()
        AND (person_id = (SELECT haven_viewer_id()) OR haven_may_read_all_training((SELECT haven_roles()))
             OR coalesce((SELECT haven_viewer_id()), 0) = 0));
CREATE POLICY training_add ON training_records FOR INSERT
    WITH CHECK (school_id = haven_school_id() AND haven_may_write_training()
        AND coalesce(recorded_by, 0) = coalesce(haven_viewer_id(), 0));
CREATE POLICY training_change ON training_records FOR UPDATE
    USING (school_id = haven_school_id() AND haven_may_write_training())
    WITH CHECK (school_id = haven_school_id() AND haven_may_write_training());
CREATE POLICY training_remove ON training_records FOR DELETE
    USING (school_id = haven_school_id() AND haven_may_write_training());

-- The audit log (docs/audit-log.md): anyone may add a row (a failed
-- sign-in has no viewer yet); the chain columns are filled at commit by
-- haven_audit_link (migration 00038), as the owner. A viewer reads the rows
-- of their own doing, and others' rows of the kinds haven_may_read_audit
-- admits them to, of a concern only when they may see the concern (the
-- sub-select is under concerns_select), and no view that would tell of a
-- concern they may not see (haven_audit_tells_of_concern), so that nobody
-- learns from the log of a concern about themselves.
CREATE POLICY audit_log_insert ON audit_log FOR INSERT WITH CHECK (true);
CREATE POLICY audit_log_read ON audit_log FOR SELECT USING (
    school_id = haven_school_id()
    AND (actor_id = (SELECT haven_viewer_id())
        OR (haven_may_read_audit((SELECT haven_roles()), haven_audit_kind(object))
            AND (action <> 'view_child_file'
                OR NOT haven_audit_tells_of_concern(haven_roles_of(school_id, actor_id), action))
            AND (haven_audit_concern_id(object) IS NULL
                OR EXISTS (SELECT 1 FROM concerns c
                    WHERE c.school_id = audit_log.school_id AND c.id = haven_audit_concern_id(audit_log.object))))));

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
DROP POLICY IF EXISTS concern_attachments_read ON concern_attachments;
DROP POLICY IF EXISTS concern_attachments_insert ON concern_attachments;
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
DROP POLICY IF EXISTS notices_read ON notices;
DROP POLICY IF EXISTS notices_mark_read ON notices;
DROP POLICY IF EXISTS notices_insert ON notices;
DROP POLICY IF EXISTS school_escalation_read ON school_escalation;
DROP POLICY IF EXISTS school_escalation_insert ON school_escalation;
DROP POLICY IF EXISTS school_escalation_update ON school_escalation;
DROP POLICY IF EXISTS concern_escalations_read ON concern_escalations;
DROP POLICY IF EXISTS concern_escalations_insert ON concern_escalations;
DROP FUNCTION IF EXISTS haven_escalation_due(bigint, bigint);
DROP FUNCTION IF EXISTS haven_digest_counts(bigint, timestamptz);
DROP FUNCTION IF EXISTS haven_digest_deadlines(bigint);
DROP FUNCTION IF EXISTS haven_digest_closures(bigint, date);
DROP FUNCTION IF EXISTS haven_unread_notices(bigint, bigint);
DROP POLICY IF EXISTS deadlines_read ON deadlines;
DROP POLICY IF EXISTS deadlines_open ON deadlines;
DROP POLICY IF EXISTS deadlines_meet ON deadlines;
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
DROP POLICY IF EXISTS school_keys_read ON school_keys;
DROP POLICY IF EXISTS school_keys_insert ON school_keys;
DROP POLICY IF EXISTS file_transfers_read ON file_transfers;
DROP POLICY IF EXISTS file_transfers_insert ON file_transfers;
DROP POLICY IF EXISTS file_transfers_receipt ON file_transfers;
DROP POLICY IF EXISTS received_files_read ON received_files;
DROP POLICY IF EXISTS received_files_insert ON received_files;
DROP POLICY IF EXISTS received_files_confirm ON received_files;
DROP POLICY IF EXISTS retention_reviews_read ON retention_reviews;
DROP POLICY IF EXISTS destruction_approvals_read ON destruction_approvals;
DROP POLICY IF EXISTS destruction_approvals_insert ON destruction_approvals;
DROP POLICY IF EXISTS destroyed_files_read ON destroyed_files;
DROP POLICY IF EXISTS pattern_settings_read ON pattern_settings;
DROP POLICY IF EXISTS pattern_settings_insert ON pattern_settings;
DROP POLICY IF EXISTS pattern_settings_update ON pattern_settings;
DROP POLICY IF EXISTS pattern_flags_read ON pattern_flags;
DROP POLICY IF EXISTS pattern_flags_raise ON pattern_flags;
DROP POLICY IF EXISTS pattern_flags_grow ON pattern_flags;
DROP POLICY IF EXISTS pattern_flags_review ON pattern_flags;
DROP TRIGGER IF EXISTS pattern_flags_guard_update ON pattern_flags;
DROP POLICY IF EXISTS audit_log_read ON audit_log;
DROP POLICY IF EXISTS audit_log_insert ON audit_log;
DROP TRIGGER IF EXISTS concerns_guard_update ON concerns;
DROP TRIGGER IF EXISTS concern_pupils_copy_access ON concern_pupils;
DROP TRIGGER IF EXISTS chronology_entries_copy_access ON chronology_entries;
DROP TRIGGER IF EXISTS deadlines_copy_access ON deadlines;
DROP TRIGGER IF EXISTS person_roles_reroute ON person_roles;
DROP FUNCTION IF EXISTS haven_guard_pattern_flag_update();
DROP FUNCTION IF EXISTS haven_pattern_facts(bigint, bigint);
DROP FUNCTION IF EXISTS haven_sees_pattern_flag(bigint, bigint[]);
DROP FUNCTION IF EXISTS haven_may_manage_patterns(text[]);
DROP FUNCTION IF EXISTS haven_is_haven();
DROP FUNCTION IF EXISTS haven_guard_concern_update();
DROP FUNCTION IF EXISTS haven_copy_concern_access();
DROP FUNCTION IF EXISTS haven_reroute_on_role_change();
DROP FUNCTION IF EXISTS haven_reroute_subject(bigint, bigint);
DROP FUNCTION IF EXISTS haven_move_concern(bigint, bigint, text, bigint, text, text);
DROP FUNCTION IF EXISTS haven_chain_head(bigint, bigint);
DROP FUNCTION IF EXISTS haven_unseen_concern(bigint, bigint);
DROP FUNCTION IF EXISTS haven_annual_report(bigint, int);
DROP FUNCTION IF EXISTS haven_annual_report_kept(bigint, int);
DROP FUNCTION IF EXISTS haven_annual_report_compute(bigint, int);
DROP FUNCTION IF EXISTS haven_keep_annual_reports();
DROP FUNCTION IF EXISTS haven_analyze_after_load();
DROP TRIGGER IF EXISTS concerns_report_insert ON concerns;
DROP TRIGGER IF EXISTS concerns_report_update ON concerns;
DROP TRIGGER IF EXISTS concerns_report_delete ON concerns;
DROP TRIGGER IF EXISTS concern_pupils_report ON concern_pupils;
DROP TRIGGER IF EXISTS chronology_entries_report_insert ON chronology_entries;
DROP TRIGGER IF EXISTS chronology_entries_report_delete ON chronology_entries;
DROP TRIGGER IF EXISTS pupils_report ON pupils;
DROP TRIGGER IF EXISTS people_report ON people;
DROP TRIGGER IF EXISTS people_report_update ON people;
DROP TRIGGER IF EXISTS person_roles_report ON person_roles;
DROP TRIGGER IF EXISTS training_records_report ON training_records;
DROP TRIGGER IF EXISTS policies_report ON policies;
DROP TRIGGER IF EXISTS policy_reviews_report ON policy_reviews;
DROP FUNCTION IF EXISTS haven_report_changed();
DROP FUNCTION IF EXISTS haven_report_pupil_linked();
DROP FUNCTION IF EXISTS haven_report_pupil_changed();
DROP FUNCTION IF EXISTS haven_report_person_changed();
DROP FUNCTION IF EXISTS haven_academic_year_start(timestamptz);
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
DROP FUNCTION IF EXISTS haven_may_see_due(text[]);
DROP FUNCTION IF EXISTS haven_may_read_outbox(text[]);
DROP STATISTICS IF EXISTS audit_log_kind_stats;
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
DROP FUNCTION IF EXISTS haven_confirm_transfer_receipt(uuid, bytea, text, bytea);
DROP FUNCTION IF EXISTS haven_may_transfer_files(text[]);
DROP FUNCTION IF EXISTS haven_may_edit_training(text[]);
DROP FUNCTION IF EXISTS haven_may_read_all_training(text[]);
DROP FUNCTION IF EXISTS haven_may_write_training();
DROP FUNCTION IF EXISTS haven_destroy_child_file(bigint);
DROP FUNCTION IF EXISTS haven_entry_seal(text, jsonb, timestamptz, bigint, text, bigint[]);
DROP FUNCTION IF EXISTS haven_without_pupil(text, bigint);
DROP FUNCTION IF EXISTS haven_list_retention_due(date);
DROP FUNCTION IF EXISTS haven_retain_until(date);
DROP FUNCTION IF EXISTS haven_check_may_export_child_file();
DROP FUNCTION IF EXISTS haven_may_export_child_files(text[]);
DROP FUNCTION IF EXISTS haven_may_review_retention(text[]);
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
-- safeguarding.MaySeeDue: the DSL and deputies owe the school's deadlines
-- and read them all (the Due view).
CREATE FUNCTION haven_may_see_due(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT roles && ARRAY['dsl', 'deputy_dsl']
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
-- Statistics of each kind's share of the log, so that PostgreSQL plans
-- the audit page's "these kinds, newest first" as a walk down
-- audit_log_school_at_id_idx that stops at the page's end, not a sort of
-- the school's whole log (it cannot guess a function's share). Gathered
-- by ANALYZE, at the end of this file and by autovacuum.
CREATE STATISTICS audit_log_kind_stats ON (haven_audit_kind(object)) FROM audit_log;
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

-- safeguarding.MayTransferFiles: the DSL and deputies transfer a child's
-- file to a new school, receive one, and mark a pupil as left.
CREATE FUNCTION haven_may_transfer_files(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT roles && ARRAY['dsl', 'deputy_dsl']
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

-- safeguarding.MayManagePatterns: the DSL and deputies review pattern
-- flags and set the school's pattern rules.
CREATE FUNCTION haven_may_manage_patterns(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT roles && ARRAY['dsl', 'deputy_dsl']
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
    -- The head is the newest link: an entry, or the place of one destroyed
    -- with a child's file (chronology_gaps), whose hash the chain keeps.
    RETURN (SELECT l.hash FROM (
            SELECT e.id, e.hash FROM chronology_entries e
            WHERE e.school_id = p_school_id AND e.concern_id = p_concern_id
            UNION ALL
            SELECT g.entry_id, g.hash FROM chronology_gaps g
            WHERE g.school_id = p_school_id AND g.concern_id = p_concern_id) l
        WHERE EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = p_school_id AND c.id = p_concern_id
                      AND c.school_id = haven_school_id()
                      AND (haven_handles(c.route, c.subject_person_id) OR c.logged_by = haven_viewer_id()))
        ORDER BY l.id DESC LIMIT 1);
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
-- Each statement is planned for the school and year it is asked for
-- (force_custom_plan): a plan made for any school and year, on a table
-- whose statistics are stale, can walk every row for every row.
CREATE FUNCTION haven_annual_report_compute(p_school_id bigint, p_start int)
RETURNS TABLE (figure text, label text, value double precision)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public SET jit = off SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    y_from timestamptz := make_date(p_start, 9, 1)::timestamp AT TIME ZONE 'Europe/London';
    y_to timestamptz := make_date(p_start + 1, 9, 1)::timestamp AT TIME ZONE 'Europe/London';
    y_last date := make_date(p_start + 1, 8, 31);
BEGIN

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

    -- Urgent concerns logged in the year, by the minutes they waited for
    -- acknowledgement (rounded up; a day and more as 1441; "never"): whether
    -- that was within the school's target is its escalation setting's to
    -- say, read in Go, so kept figures stand when the setting changes.
    RETURN QUERY
    SELECT 'urgent_wait', CASE WHEN u.acknowledged_at IS NULL THEN 'never'
               ELSE least(ceil(extract(epoch FROM u.acknowledged_at - u.logged_at) / 60), 1441)::int::text END,
           count(*)::float8
    FROM concerns u
    WHERE u.school_id = p_school_id AND u.urgent AND u.logged_at >= y_from AND u.logged_at < y_to
    GROUP BY 2;

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
    -- How many referrals were answered on each day after each referral's
    -- day: whether that was within a working day is the school calendar's
    -- to say (safeguarding.Calendar, in Go), not this function's.
    SELECT 'referral_answered', r.referred_on::text || '/' || r.responded_on::text, count(*)::float8 FROM r
    WHERE r.responded_on IS NOT NULL GROUP BY 2;

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

    -- Training on the year's last day (policy §4.1, §4.7), by the training
    -- register's rules (safeguarding.TrainingStatus): everyone active who
    -- works with children and had started by then; in date with an
    -- induction and safeguarding training in the last 12 months; a DSL or
    -- deputy also with DSL training in the last 2 years and DSL training or
    -- an update in the last 12 months. Training falls due on the same day a
    -- year (two) later, and is still in date on that day.
    RETURN QUERY
    WITH staff AS (
        SELECT p.id, haven_roles_of(p.school_id, p.id) && ARRAY['dsl', 'deputy_dsl'] AS lead,
            EXISTS (SELECT 1 FROM training_records t WHERE t.school_id = p.school_id AND t.person_id = p.id
                 AND t.kind = 'induction' AND t.completed_on <= y_last) AS inducted,
            EXISTS (SELECT 1 FROM training_records t WHERE t.school_id = p.school_id AND t.person_id = p.id
                 AND t.kind IN ('induction', 'annual_update', 'dsl_training')
                 AND t.completed_on >= (y_last - interval '12 months')::date AND t.completed_on <= y_last) AS updated,
            EXISTS (SELECT 1 FROM training_records t WHERE t.school_id = p.school_id AND t.person_id = p.id
                 AND t.kind = 'dsl_training' AND t.completed_on >= (y_last - interval '2 years')::date AND t.completed_on <= y_last)
            AND EXISTS (SELECT 1 FROM training_records t WHERE t.school_id = p.school_id AND t.person_id = p.id
                 AND t.kind IN ('dsl_training', 'annual_update')
                 AND t.completed_on >= (y_last - interval '12 months')::date AND t.completed_on <= y_last) AS lead_trained
        FROM people p
        WHERE p.school_id = p_school_id AND p.active AND (p.started_on IS NULL OR p.started_on <= y_last)
          AND haven_roles_of(p.school_id, p.id) && ARRAY['staff', 'dsl', 'deputy_dsl', 'principal'])
    SELECT 'training', x.label, x.value FROM (
        SELECT count(*)::float8 AS staff, count(*) FILTER (WHERE s.inducted AND s.updated)::float8 AS staff_in_date,
               count(*) FILTER (WHERE s.lead)::float8 AS leads,
               count(*) FILTER (WHERE s.lead AND s.inducted AND s.updated AND s.lead_trained)::float8 AS leads_in_date,
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
REVOKE ALL ON FUNCTION haven_annual_report_compute(bigint, int) FROM PUBLIC;

-- The start of the academic year (1 September, London's midnight) that t
-- falls in.
CREATE FUNCTION haven_academic_year_start(t timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT make_date(extract(year FROM (t AT TIME ZONE 'Europe/London') - interval '8 months')::int, 9, 1)::timestamp
        AT TIME ZONE 'Europe/London'
$$;

-- A year's figures, kept once the year is over: a completed year's report
-- is read from report_figures while every change that could move it
-- (report_changes) is one that the snapshot it was worked out in saw, and
-- worked out and kept again otherwise. The snapshot is taken before the
-- figures are worked out, so a change it did not see may or may not be in
-- them, and counts against them: the kept figures are never older than
-- what a fresh report would show. A year under way is worked out afresh
-- each time. Not the app's to call: haven_annual_report checks the viewer,
-- haven_keep_annual_reports runs for the nightly job.
CREATE FUNCTION haven_annual_report_kept(p_school_id bigint, p_start int)
RETURNS TABLE (figure text, label text, value double precision)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    kept jsonb;
    snap pg_snapshot;
BEGIN
    IF make_date(p_start + 1, 9, 1)::timestamp AT TIME ZONE 'Europe/London' > now() THEN
        RETURN QUERY SELECT * FROM haven_annual_report_compute(p_school_id, p_start);
        RETURN;
    END IF;
    SELECT f.figures INTO kept FROM report_figures f
    WHERE f.school_id = p_school_id AND f.start_year = p_start
      AND NOT EXISTS (SELECT 1 FROM report_changes c
                      WHERE c.school_id = f.school_id AND c.xid >= pg_snapshot_xmin(f.snapshot)
                        AND NOT pg_visible_in_snapshot(c.xid, f.snapshot));
    IF kept IS NULL THEN
        snap := pg_current_snapshot();
        SELECT coalesce(jsonb_agg(jsonb_build_array(r.figure, r.label, r.value)), '[]'::jsonb) INTO kept
        FROM haven_annual_report_compute(p_school_id, p_start) r;
        INSERT INTO report_figures AS f (school_id, start_year, snapshot, figures) VALUES (p_school_id, p_start, snap, kept)
        ON CONFLICT (school_id, start_year) DO UPDATE SET snapshot = EXCLUDED.snapshot, figures = EXCLUDED.figures,
            computed_at = now();
        -- Changes every kept year of the school has seen, an hour old (no
        -- report takes that long to work out), tell nothing any more.
        DELETE FROM report_changes c
        WHERE c.school_id = p_school_id AND c.changed_at < now() - interval '1 hour'
          AND c.xid < (SELECT min(pg_snapshot_xmin(k.snapshot)) FROM report_figures k WHERE k.school_id = p_school_id);
    END IF;
    RETURN QUERY SELECT e->>0, e->>1, (e->>2)::float8 FROM jsonb_array_elements(kept) AS e;
END
$$;
REVOKE ALL ON FUNCTION haven_annual_report_kept(bigint, int) FROM PUBLIC;

-- The figures of the annual oversight report (internal/postgres
-- AnnualReport) for the academic year that starts on 1 September p_start,
-- as (figure, label, value) rows: counts, hours and nothing else, never a
-- row of a table. A governor reads no concern under row-level security, so
-- this runs as the owner; it answers only the viewer's own school, and only
-- to whom haven_may_read_annual_report admits.
CREATE FUNCTION haven_annual_report(p_school_id bigint, p_start int)
RETURNS TABLE (figure text, label text, value double precision)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF p_school_id IS DISTINCT FROM haven_school_id() OR NOT haven_may_read_annual_report(haven_roles()) THEN
        RAISE EXCEPTION 'the annual report is not the viewer''s to read' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY SELECT * FROM haven_annual_report_kept(p_school_id, p_start);
END
$$;
REVOKE ALL ON FUNCTION haven_annual_report(bigint, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_annual_report(bigint, int) TO haven_app;

-- Works out and keeps every completed year's figures that are not kept or
-- no longer stand, for every school: the nightly job (internal/jobs), so a
-- governor's first look at last year's report reads kept figures. Returns
-- how many years it worked out. It reveals nothing to whoever calls it.
CREATE FUNCTION haven_keep_annual_reports() RETURNS int
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    y record;
    n int := 0;
BEGIN
    FOR y IN
        SELECT s.id AS school_id, g.start_year
        FROM schools s
        CROSS JOIN LATERAL (SELECT min(c.logged_at) AS first_at FROM concerns c WHERE c.school_id = s.id) f
        CROSS JOIN LATERAL generate_series(
            extract(year FROM (f.first_at AT TIME ZONE 'Europe/London') - interval '8 months')::int,
            extract(year FROM (now() AT TIME ZONE 'Europe/London') - interval '8 months')::int - 1) AS g (start_year)
        WHERE f.first_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM report_figures k
                          WHERE k.school_id = s.id AND k.start_year = g.start_year
                            AND NOT EXISTS (SELECT 1 FROM report_changes c
                                            WHERE c.school_id = k.school_id AND c.xid >= pg_snapshot_xmin(k.snapshot)
                                              AND NOT pg_visible_in_snapshot(c.xid, k.snapshot)))
        ORDER BY 1, 2
    LOOP
        PERFORM count(*) FROM haven_annual_report_kept(y.school_id, y.start_year);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;
REVOKE ALL ON FUNCTION haven_keep_annual_reports() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_keep_annual_reports() TO haven_app;

-- What moves a completed year's figures is noted in report_changes, once
-- a school a transaction: a concern logged, acknowledged, moved or removed
-- in a year now over; any agency's response (it may answer an old
-- referral); a chronology entry written into a year now over (a loader's);
-- a pupil linked to an old concern; a pupil's year group or flags; people,
-- roles, training and policies (the report counts them as they stand).
-- Everything else a school does every day touches none of these columns,
-- so the triggers below cost it nothing.
CREATE FUNCTION haven_report_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO report_changes (school_id)
    VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.school_id ELSE NEW.school_id END)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE FUNCTION haven_report_pupil_linked() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    l concern_pupils := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
BEGIN
    IF EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = l.school_id AND c.id = l.concern_id
               AND c.logged_at < haven_academic_year_start(now())) THEN
        INSERT INTO report_changes (school_id) VALUES (l.school_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER concerns_report_insert AFTER INSERT ON concerns FOR EACH ROW
    WHEN (NEW.logged_at < haven_academic_year_start(now())) EXECUTE FUNCTION haven_report_changed();
CREATE TRIGGER concerns_report_update AFTER UPDATE OF route, categories, indicators, acknowledged_at, logged_at ON concerns
    FOR EACH ROW WHEN (OLD.logged_at < haven_academic_year_start(now())
        AND (OLD.route, OLD.categories, OLD.indicators, OLD.acknowledged_at, OLD.logged_at)
            IS DISTINCT FROM (NEW.route, NEW.categories, NEW.indicators, NEW.acknowledged_at, NEW.logged_at))
    EXECUTE FUNCTION haven_report_changed();
CREATE TRIGGER concerns_report_delete AFTER DELETE ON concerns FOR EACH ROW EXECUTE FUNCTION haven_report_changed();
CREATE TRIGGER concern_pupils_report AFTER INSERT OR DELETE ON concern_pupils FOR EACH ROW
    EXECUTE FUNCTION haven_report_pupil_linked();
CREATE TRIGGER chronology_entries_report_insert AFTER INSERT ON chronology_entries FOR EACH ROW
    WHEN (NEW.kind = 'referral_response' OR NEW.at < haven_academic_year_start(now()))
    EXECUTE FUNCTION haven_report_changed();
CREATE TRIGGER chronology_entries_report_delete AFTER DELETE ON chronology_entries FOR EACH ROW
    EXECUTE FUNCTION haven_report_changed();
-- A pupil's and a person's columns are compared in the functions, not in
-- the triggers' column lists: a trigger naming a column would keep an older
-- migration from being undone.
CREATE FUNCTION haven_report_pupil_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF (OLD.year_group, OLD.send, OLD.looked_after, OLD.previously_looked_after)
        IS DISTINCT FROM (NEW.year_group, NEW.send, NEW.looked_after, NEW.previously_looked_after) THEN
        INSERT INTO report_changes (school_id) VALUES (NEW.school_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION haven_report_person_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF (OLD.active, OLD.started_on) IS DISTINCT FROM (NEW.active, NEW.started_on) THEN
        INSERT INTO report_changes (school_id) VALUES (NEW.school_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER pupils_report AFTER UPDATE ON pupils FOR EACH ROW EXECUTE FUNCTION haven_report_pupil_changed();
CREATE TRIGGER people_report AFTER INSERT OR DELETE ON people FOR EACH ROW EXECUTE FUNCTION haven_report_changed();
CREATE TRIGGER people_report_update AFTER UPDATE ON people FOR EACH ROW EXECUTE FUNCTION haven_report_person_changed();
CREATE TRIGGER person_roles_report AFTER INSERT OR UPDATE OR DELETE ON person_roles FOR EACH ROW
    EXECUTE FUNCTION haven_report_changed();
CREATE TRIGGER training_records_report AFTER INSERT OR UPDATE OR DELETE ON training_records FOR EACH ROW
    EXECUTE FUNCTION haven_report_changed();
CREATE TRIGGER policies_report AFTER INSERT OR UPDATE OR DELETE ON policies FOR EACH ROW
    EXECUTE FUNCTION haven_report_changed();
CREATE TRIGGER policy_reviews_report AFTER INSERT OR UPDATE OR DELETE ON policy_reviews FOR EACH ROW
    EXECUTE FUNCTION haven_report_changed();

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
CREATE TRIGGER deadlines_copy_access BEFORE INSERT OR UPDATE ON deadlines
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
    UPDATE deadlines d SET concern_route = c.route FROM concerns c
    WHERE c.school_id = p_school_id AND c.subject_person_id = p_person_id
      AND d.school_id = c.school_id AND d.concern_id = c.id AND d.concern_route IS DISTINCT FROM c.route;
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
    UPDATE deadlines SET concern_route = new_route WHERE school_id = p_school_id AND concern_id = p_concern_id;
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
-- concern; the member of staff who logged it adds further information and
-- body maps (safeguarding.MayAddBodyMap), and the original concern once,
-- while the chronology is still empty.
CREATE POLICY chronology_insert ON chronology_entries FOR INSERT WITH CHECK (
    school_id = haven_school_id() AND author_id = haven_viewer_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = chronology_entries.school_id AND c.id = chronology_entries.concern_id
        AND (
            (kind <> 'concern_logged' AND haven_handles(c.route, c.subject_person_id))
            OR (c.logged_by = haven_viewer_id() AND kind IN ('further_information', 'body_map'))
            OR (c.logged_by = haven_viewer_id() AND kind = 'concern_logged'
                AND haven_chain_head(c.school_id, c.id) IS NULL))));

-- safeguarding.MaySeeAttachment, as chronology_select: a file kept with a
-- concern is read by whoever reads the concern's route in full, and by the
-- member of staff who logged the concern if they added it. concerns_select
-- applies to the concern looked up, so its subject never reads one.
CREATE POLICY concern_attachments_read ON concern_attachments FOR SELECT USING (
    school_id = haven_school_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = concern_attachments.school_id AND c.id = concern_attachments.concern_id
        AND (c.route = ANY ((SELECT haven_read_routes())::text[])
             OR (c.logged_by = (SELECT haven_viewer_id()) AND concern_attachments.uploaded_by = (SELECT haven_viewer_id())))));
-- safeguarding.MayAttach: the concern's case handlers and the member of
-- staff who logged it add files, as themselves, tied to an entry of the
-- same concern they may read, if to one.
CREATE POLICY concern_attachments_insert ON concern_attachments FOR INSERT WITH CHECK (
    school_id = haven_school_id() AND uploaded_by = haven_viewer_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = concern_attachments.school_id AND c.id = concern_attachments.concern_id
        AND (haven_handles(c.route, c.subject_person_id) OR c.logged_by = haven_viewer_id()))
    AND (entry_id IS NULL OR EXISTS (SELECT 1 FROM chronology_entries e WHERE e.school_id = concern_attachments.school_id
        AND e.id = concern_attachments.entry_id AND e.concern_id = concern_attachments.concern_id)));

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
-- written only by whom haven_may_import_roster admits, by whom
-- haven_may_transfer_files admits (a pupil marked as left, a pupil a
-- transferred file brings: safeguarding.MayWritePupils), or by Haven itself
-- for the school with no person set (the demo loader, `haven import` on the
-- command line), which no page can do: every page runs as its person.
CREATE FUNCTION haven_may_write_roster() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(haven_viewer_id(), 0) = 0 OR haven_may_import_roster(haven_roles())
        OR haven_may_transfer_files(haven_roles())
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

-- Notices: each person reads and marks read only their own. A job (no
-- viewer) adds them for anyone; a transaction of a person adds them within
-- the person's school only (a pattern flag raised as a concern is logged
-- tells the DSL). Whom to tell is the code's rule (safeguarding), which
-- never tells a person of a concern they may not see.
CREATE POLICY notices_read ON notices FOR SELECT
    USING (school_id = haven_school_id() AND person_id = haven_viewer_id());
CREATE POLICY notices_mark_read ON notices FOR UPDATE
    USING (school_id = haven_school_id() AND person_id = haven_viewer_id())
    WITH CHECK (school_id = haven_school_id() AND person_id = haven_viewer_id());
CREATE POLICY notices_insert ON notices FOR INSERT
    WITH CHECK ((haven_viewer_id() IS NULL AND haven_school_id() IS NULL) OR school_id = haven_school_id());

-- The unread count in the header (internal/postgres Viewer), read with the
-- person before any viewer is set: a count of that person's own unread
-- notices and nothing else, through notices_unread_idx.
CREATE FUNCTION haven_unread_notices(p_school_id bigint, p_person_id bigint) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT count(*) FROM notices n
    WHERE n.school_id = p_school_id AND n.person_id = p_person_id AND n.read_at IS NULL
$$;
REVOKE ALL ON FUNCTION haven_unread_notices(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_unread_notices(bigint, bigint) TO haven_app;

-- The school's escalation times: read by anyone of the school, set by whom
-- safeguarding.MayEditSchoolContacts admits (the school's settings).
CREATE POLICY school_escalation_read ON school_escalation FOR SELECT
    USING (school_id = haven_school_id());
CREATE POLICY school_escalation_insert ON school_escalation FOR INSERT
    WITH CHECK (school_id = haven_school_id() AND updated_by = haven_viewer_id()
        AND haven_may_edit_school_contacts(haven_roles()));
CREATE POLICY school_escalation_update ON school_escalation FOR UPDATE
    USING (school_id = haven_school_id() AND haven_may_edit_school_contacts(haven_roles()))
    WITH CHECK (school_id = haven_school_id() AND updated_by = haven_viewer_id());

-- A concern's escalation is read by those who read the concern in full
-- (concerns_select, which keeps its subject out, and its route read in
-- full: not the member of staff who logged it). Only the escalation job,
-- which runs for nobody, records one.
CREATE POLICY concern_escalations_read ON concern_escalations FOR SELECT
    USING (school_id = haven_school_id() AND EXISTS (
        SELECT 1 FROM concerns c WHERE c.school_id = concern_escalations.school_id AND c.id = concern_escalations.concern_id
            AND c.route = ANY ((SELECT haven_read_routes())::text[])));
CREATE POLICY concern_escalations_insert ON concern_escalations FOR INSERT
    WITH CHECK (haven_viewer_id() IS NULL AND haven_school_id() IS NULL);

-- What the escalation job (internal/postgres EscalateConcern, run for
-- nobody) needs of a concern at its escalation time: its route, subject,
-- author, whether it is still open and unacknowledged, whether it was
-- escalated already, and the school's vice-chair. The row is locked for
-- the job's transaction, so an acknowledgement waits for the escalation
-- to be recorded or finds it recorded. It answers only when no viewer is
-- set: nothing a person does on a page reaches it.
CREATE FUNCTION haven_escalation_due(p_school_id bigint, p_concern_id bigint)
RETURNS TABLE (route text, subject_person_id bigint, logged_by bigint, urgent boolean,
               waiting boolean, escalated boolean, vice_chair_id bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF haven_viewer_id() IS NOT NULL OR haven_school_id() IS NOT NULL THEN
        RETURN;
    END IF;
    RETURN QUERY SELECT c.route, c.subject_person_id, c.logged_by, c.urgent,
            c.acknowledged_at IS NULL AND c.status <> 'closed',
            EXISTS (SELECT 1 FROM concern_escalations e WHERE e.school_id = c.school_id AND e.concern_id = c.id),
            (SELECT s.vice_chair_id FROM school_escalation s WHERE s.school_id = c.school_id)
        FROM concerns c WHERE c.school_id = p_school_id AND c.id = p_concern_id
        FOR UPDATE OF c;
END
$$;
REVOKE ALL ON FUNCTION haven_escalation_due(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_escalation_due(bigint, bigint) TO haven_app;

-- The daily digest's counts for a school's DSL and deputies (internal/jobs
-- DigestWorker, run for nobody): concerns on the routes they read (about a
-- child, about an adult other than the principal or a safeguarding lead)
-- logged since p_since, open and unacknowledged after an escalation, and
-- escalated since p_since. Counts only; it answers only when no viewer is
-- set.
CREATE FUNCTION haven_digest_counts(p_school_id bigint, p_since timestamptz)
RETURNS TABLE (new_concerns bigint, overdue bigint, escalated bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF haven_viewer_id() IS NOT NULL OR haven_school_id() IS NOT NULL THEN
        RETURN;
    END IF;
    RETURN QUERY SELECT
        (SELECT count(*) FROM concerns c WHERE c.school_id = p_school_id AND c.route IN ('child', 'adult')
            AND c.logged_at >= p_since),
        (SELECT count(*) FROM concerns c JOIN concern_escalations e ON e.school_id = c.school_id AND e.concern_id = c.id
            WHERE c.school_id = p_school_id AND c.route IN ('child', 'adult')
            AND c.acknowledged_at IS NULL AND c.status <> 'closed'),
        (SELECT count(*) FROM concerns c JOIN concern_escalations e ON e.school_id = c.school_id AND e.concern_id = c.id
            WHERE c.school_id = p_school_id AND c.route IN ('child', 'adult') AND e.escalated_at >= p_since);
END
$$;
REVOKE ALL ON FUNCTION haven_digest_counts(bigint, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_digest_counts(bigint, timestamptz) TO haven_app;
-- The digest's overdue deadlines (internal/postgres/escalation.go
-- digestOverdue), for Haven itself alone, as haven_digest_counts: how many
-- open deadlines of each kind count from each day, and the school's
-- closure days, so that Go works out which are overdue with the school's
-- calendar (safeguarding.Calendar). The deadlines are those of concerns
-- the DSL and deputies handle, and the leavers' files to transfer
-- (transfer.go's leaverToDo, on those same concerns); no names.
CREATE FUNCTION haven_digest_deadlines(p_school_id bigint)
RETURNS TABLE (kind text, starts_on date, n bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF haven_viewer_id() IS NOT NULL OR haven_school_id() IS NOT NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT d.kind, d.starts_on, count(*)
        FROM deadlines d JOIN concerns c ON c.school_id = d.school_id AND c.id = d.concern_id
        WHERE d.school_id = p_school_id AND d.met_at IS NULL AND c.route IN ('child', 'adult')
        GROUP BY d.kind, d.starts_on
    UNION ALL
        SELECT 'transfer', p.left_on, count(*)
        FROM pupils p
        WHERE p.school_id = p_school_id AND p.left_on IS NOT NULL
          AND EXISTS (SELECT 1 FROM concern_pupils cp JOIN concerns c ON c.school_id = cp.school_id AND c.id = cp.concern_id
                      WHERE cp.school_id = p.school_id AND cp.pupil_id = p.id AND c.route IN ('child', 'adult'))
          AND NOT EXISTS (SELECT 1 FROM file_transfers t WHERE t.school_id = p.school_id AND t.pupil_id = p.id)
        GROUP BY p.left_on;
END
$$;
REVOKE ALL ON FUNCTION haven_digest_deadlines(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_digest_deadlines(bigint) TO haven_app;
-- The school's closure days ending on or after p_since, for the digest's
-- calendar, for Haven itself alone.
CREATE FUNCTION haven_digest_closures(p_school_id bigint, p_since date)
RETURNS TABLE (id bigint, first_day date, last_day date, reason text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF haven_viewer_id() IS NOT NULL OR haven_school_id() IS NOT NULL THEN
        RETURN;
    END IF;
    RETURN QUERY SELECT sc.id, sc.first_day, sc.last_day, sc.reason FROM school_closures sc
        WHERE sc.school_id = p_school_id AND sc.last_day >= p_since ORDER BY sc.first_day, sc.id;
END
$$;
REVOKE ALL ON FUNCTION haven_digest_closures(bigint, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_digest_closures(bigint, date) TO haven_app;
-- A deadline (internal/postgres deadlines.go) is read by the DSL and
-- deputies on the concerns they read in full (the Due view, a concern's
-- page, the queue's markers) and by a concern's case handlers, who meet it;
-- the concern is read through its own policy, which hides it from its
-- subject. Its case handlers open and meet deadlines as they record
-- entries; the member of staff who logs a concern opens the feedback owed
-- to them, and nothing else.
-- Written on the copies of the concern's route, subject and author
-- (deadlines_copy_access): the concern is visible (concerns_select), and
-- the viewer sees the Due view on its route or handles it.
CREATE POLICY deadlines_read ON deadlines FOR SELECT USING (
    school_id = haven_school_id()
    AND concern_subject_id IS DISTINCT FROM (SELECT haven_viewer_id())
    AND (concern_logged_by = (SELECT haven_viewer_id()) OR concern_route = ANY ((SELECT haven_read_routes())::text[]))
    AND (((SELECT haven_may_see_due(haven_roles())) AND concern_route = ANY ((SELECT haven_read_routes())::text[]))
         OR haven_handles(concern_route, concern_subject_id)));
CREATE POLICY deadlines_open ON deadlines FOR INSERT WITH CHECK (
    school_id = haven_school_id() AND met_at IS NULL
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = deadlines.school_id AND c.id = deadlines.concern_id
        AND (haven_handles(c.route, c.subject_person_id)
             OR (c.logged_by = haven_viewer_id() AND deadlines.kind = 'feedback'))));
CREATE POLICY deadlines_meet ON deadlines FOR UPDATE
    USING (school_id = haven_school_id()
        AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = deadlines.school_id AND c.id = deadlines.concern_id
            AND haven_handles(c.route, c.subject_person_id)))
    WITH CHECK (school_id = haven_school_id());

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

-- File transfers between schools (docs/transfer.md): the school's keys,
-- the files it sent and the files it received, read and written only by
-- whom haven_may_transfer_files admits, as themselves. A received file is
-- never changed: only its receipt is recorded (the column grants of
-- migration 00040 allow no more).
CREATE POLICY school_keys_read ON school_keys FOR SELECT
    USING (school_id = haven_school_id() AND haven_may_transfer_files(haven_roles()));
CREATE POLICY school_keys_insert ON school_keys FOR INSERT
    WITH CHECK (school_id = haven_school_id() AND created_by = haven_viewer_id() AND haven_may_transfer_files(haven_roles()));
CREATE POLICY file_transfers_read ON file_transfers FOR SELECT
    USING (school_id = haven_school_id() AND haven_may_transfer_files(haven_roles()));
CREATE POLICY file_transfers_insert ON file_transfers FOR INSERT
    WITH CHECK (school_id = haven_school_id() AND recorded_by = haven_viewer_id() AND haven_may_transfer_files(haven_roles()));
CREATE POLICY file_transfers_receipt ON file_transfers FOR UPDATE
    USING (school_id = haven_school_id() AND haven_may_transfer_files(haven_roles()))
    WITH CHECK (school_id = haven_school_id() AND haven_may_transfer_files(haven_roles()));
CREATE POLICY received_files_read ON received_files FOR SELECT
    USING (school_id = haven_school_id() AND haven_may_transfer_files(haven_roles()));
CREATE POLICY received_files_insert ON received_files FOR INSERT
    WITH CHECK (school_id = haven_school_id() AND received_by = haven_viewer_id() AND haven_may_transfer_files(haven_roles()));
CREATE POLICY received_files_confirm ON received_files FOR UPDATE
    USING (school_id = haven_school_id() AND haven_may_transfer_files(haven_roles()))
    WITH CHECK (school_id = haven_school_id() AND confirmed_by = haven_viewer_id() AND haven_may_transfer_files(haven_roles()));

-- A receipt confirmed in the same deployment as the school that sent the
-- file: the sender's record of the bundle (another school's row, which the
-- receiving DSL cannot read) is marked confirmed, and only when the receipt
-- returns the bundle's nonce, which only a reader of the bundle knows.
-- Runs as the owner for that one update; answers whether it matched.
CREATE FUNCTION haven_confirm_transfer_receipt(p_bundle_id uuid, p_nonce bytea, p_school text, p_key bytea)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    n int;
BEGIN
    IF NOT haven_may_transfer_files(haven_roles()) THEN
        RAISE EXCEPTION 'receipts are the DSL''s to confirm' USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE file_transfers SET receipt_confirmed_at = now(), receipt_school = p_school, receipt_key = p_key
    WHERE bundle_id = p_bundle_id AND receipt_nonce = p_nonce AND receipt_confirmed_at IS NULL;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n > 0;
END
$$;
REVOKE ALL ON FUNCTION haven_confirm_transfer_receipt(uuid, bytea, text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_confirm_transfer_receipt(uuid, bytea, text, bytea) TO haven_app;

-- Exporting a child's file and retention (safeguarding/retention.go).

-- safeguarding.MayExportChildFile: the DSL and deputies export a child's
-- whole file.
CREATE FUNCTION haven_may_export_child_files(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT roles && ARRAY['dsl', 'deputy_dsl']
$$;
-- Refuses a viewer who may not export a child's file; the store calls it
-- in the transaction that reads the file for export, before anything is
-- read, so that the export stands on the database's rule as well as Go's.
CREATE FUNCTION haven_check_may_export_child_file() RETURNS void LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF haven_school_id() IS NULL OR NOT haven_may_export_child_files(haven_roles()) THEN
        RAISE EXCEPTION 'may not export a child''s file' USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;
-- safeguarding.MayReviewRetention: the DSL, deputies and the principal see
-- the files due for review and agree to destroy one.
CREATE FUNCTION haven_may_review_retention(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT roles && ARRAY['dsl', 'deputy_dsl', 'principal']
$$;
-- safeguarding.RetainUntil: the date of birth plus 25 years; 29 February
-- goes to 1 March in a year that has none, as Go's AddDate does.
CREATE FUNCTION haven_retain_until(born date) RETURNS date LANGUAGE sql IMMUTABLE AS $$
    SELECT (date_trunc('month', born) + interval '25 years')::date + (extract(day FROM born)::int - 1)
$$;

-- The nightly listing (internal/jobs RetentionWorker): every school's
-- pupils with a concern whose retention date has come by p_today are
-- listed for review; a listing whose pupil's date of birth was corrected
-- to a later one goes. It runs for no viewer, across schools, and so as
-- the owner; it returns how many it listed and reveals nothing else.
CREATE FUNCTION haven_list_retention_due(p_today date) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    listed integer;
BEGIN
    DELETE FROM destruction_approvals a USING retention_reviews r, pupils p
        WHERE r.school_id = a.school_id AND r.pupil_id = a.pupil_id
          AND p.school_id = r.school_id AND p.id = r.pupil_id AND haven_retain_until(p.date_of_birth) > p_today;
    DELETE FROM retention_reviews r USING pupils p
        WHERE p.school_id = r.school_id AND p.id = r.pupil_id AND haven_retain_until(p.date_of_birth) > p_today;
    INSERT INTO retention_reviews (school_id, pupil_id, retain_until, listed_on)
    SELECT p.school_id, p.id, haven_retain_until(p.date_of_birth), p_today
    FROM pupils p
    WHERE haven_retain_until(p.date_of_birth) <= p_today
      AND EXISTS (SELECT 1 FROM concern_pupils cp WHERE cp.school_id = p.school_id AND cp.pupil_id = p.id)
    ON CONFLICT (school_id, pupil_id) DO NOTHING;
    GET DIAGNOSTICS listed = ROW_COUNT;
    RETURN listed;
END
$$;
REVOKE ALL ON FUNCTION haven_list_retention_due(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_list_retention_due(date) TO haven_app;

-- What a redacted entry holds now (chronology_redactions): its body,
-- details, time, author, kind and pupils, hashed. Stable: the time is read
-- as seconds since the epoch, whatever the session's time zone.
CREATE FUNCTION haven_entry_seal(body text, details jsonb, at timestamptz, author bigint, kind text, pupils bigint[])
RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT sha256(convert_to(concat_ws(E'\x1f', body, details::text, extract(epoch FROM at)::text, author::text, kind, pupils::text), 'UTF8'))
$$;
-- A concern's snapshot (safeguarding.ConcernSnapshot, any version) with
-- one pupil taken out: from the pupils it names and from the parts it
-- keeps. Only keys the snapshot has are changed, so it decodes as before.
CREATE FUNCTION haven_without_pupil(snapshot text, p_pupil_id bigint) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    s jsonb := snapshot::jsonb;
    k text;
BEGIN
    FOREACH k IN ARRAY ARRAY['pupil_ids', 'PupilIDs'] LOOP
        IF jsonb_typeof(s -> k) = 'array' THEN
            s := jsonb_set(s, ARRAY[k], coalesce((SELECT jsonb_agg(x) FROM jsonb_array_elements(s -> k) x
                WHERE x <> to_jsonb(p_pupil_id)), '[]'));
        END IF;
    END LOOP;
    IF jsonb_typeof(s -> 'pupils') = 'array' THEN
        s := jsonb_set(s, '{pupils}', coalesce((SELECT jsonb_agg(x) FROM jsonb_array_elements(s -> 'pupils') x
            WHERE x -> 'pupil_id' <> to_jsonb(p_pupil_id)), '[]'));
    END IF;
    RETURN s::text;
END
$$;

-- Destroys the child-protection file of a pupil listed for review, once a
-- DSL or deputy and the principal, two different people, have agreed to it
-- (safeguarding.DestructionAgreed; the viewer must be one of them). The
-- app may delete nothing of a chronology, so this runs as the owner and
-- checks the agreement itself.
--
-- What goes: every concern about this pupil alone, with its chronology,
-- parts and entry drafts; from a concern that also concerns others (other
-- pupils, or an adult it is about), this pupil's part and the entries about
-- this pupil alone (with any correction of them). Each such entry leaves
-- its place in chronology_gaps (its id, previous hash and hash, nothing it
-- said), so the chain of what remains still verifies. The pupil is taken
-- out of what stays: the concern as logged (its snapshot) and the pupils of
-- the entries about them and others, each sealed in chronology_redactions.
-- What is left of the file is one destroyed_files row.
CREATE FUNCTION haven_destroy_child_file(p_pupil_id bigint) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    school bigint := haven_school_id();
    viewer bigint := haven_viewer_id();
    proposer bigint;
    confirmer bigint;
    sole bigint[];
    shared bigint[];
    gone bigint[];
    file_id bigint;
BEGIN
    IF school IS NULL OR viewer IS NULL OR NOT haven_may_review_retention(haven_roles()) THEN
        RAISE EXCEPTION 'may not destroy a child''s file' USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM 1 FROM retention_reviews WHERE school_id = school AND pupil_id = p_pupil_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no file due for review' USING ERRCODE = 'no_data_found';
    END IF;
    -- safeguarding.DestructionAgreed, on the roles held now.
    SELECT CASE WHEN a.approved_at <= b.approved_at THEN a.person_id ELSE b.person_id END,
           CASE WHEN a.approved_at <= b.approved_at THEN b.person_id ELSE a.person_id END
      INTO proposer, confirmer
      FROM destruction_approvals a
      JOIN destruction_approvals b ON b.school_id = a.school_id AND b.pupil_id = a.pupil_id AND b.person_id <> a.person_id
     WHERE a.school_id = school AND a.pupil_id = p_pupil_id
       AND haven_roles_of(school, a.person_id) && ARRAY['dsl', 'deputy_dsl']
       AND 'principal' = ANY (haven_roles_of(school, b.person_id))
     ORDER BY (a.person_id = viewer OR b.person_id = viewer) DESC, greatest(a.approved_at, b.approved_at)
     LIMIT 1;
    IF proposer IS NULL OR NOT EXISTS (SELECT 1 FROM destruction_approvals
            WHERE school_id = school AND pupil_id = p_pupil_id AND person_id = viewer) THEN
        RAISE EXCEPTION 'destroying a file needs a DSL and the principal' USING ERRCODE = 'insufficient_privilege';
    END IF;

    INSERT INTO destroyed_files (school_id, destroyed_at, proposed_by, confirmed_by)
        VALUES (school, now(), proposer, confirmer) RETURNING id INTO file_id;

    sole := ARRAY(SELECT cp.concern_id FROM concern_pupils cp JOIN concerns c ON c.school_id = cp.school_id AND c.id = cp.concern_id
        WHERE cp.school_id = school AND cp.pupil_id = p_pupil_id AND c.subject_kind = 'pupils'
          AND NOT EXISTS (SELECT 1 FROM concern_pupils o
                          WHERE o.school_id = school AND o.concern_id = cp.concern_id AND o.pupil_id <> p_pupil_id));
    shared := ARRAY(SELECT cp.concern_id FROM concern_pupils cp
        WHERE cp.school_id = school AND cp.pupil_id = p_pupil_id AND cp.concern_id <> ALL (sole));
    gone := ARRAY(WITH RECURSIVE g (id) AS (
            SELECT e.id FROM chronology_entries e
            WHERE e.school_id = school AND e.concern_id = ANY (shared) AND e.pupil_ids = ARRAY[p_pupil_id]
            UNION
            SELECT e.id FROM chronology_entries e JOIN g ON e.school_id = school AND e.corrects_id = g.id)
        SELECT id FROM g);

    -- What hangs from the concerns and entries that go, and the rest of the
    -- child's file: files kept with them, escalations and notices of them,
    -- the child's pattern flags and notices, and the file as transferred to
    -- or from another school (the bundle sent holds the file, encrypted).
    DELETE FROM concern_attachments WHERE school_id = school AND (concern_id = ANY (sole) OR entry_id = ANY (gone));
    DELETE FROM deadlines WHERE school_id = school AND (concern_id = ANY (sole) OR entry_id = ANY (gone));
    DELETE FROM concern_escalations WHERE school_id = school AND concern_id = ANY (sole);
    DELETE FROM notices WHERE school_id = school AND (concern_id = ANY (sole) OR pupil_id = p_pupil_id);
    DELETE FROM pattern_flags WHERE school_id = school AND pupil_id = p_pupil_id;
    DELETE FROM received_files WHERE school_id = school AND pupil_id = p_pupil_id;
    DELETE FROM file_transfers WHERE school_id = school AND pupil_id = p_pupil_id;
    DELETE FROM chronology_redactions WHERE school_id = school AND entry_id = ANY (gone);
    INSERT INTO chronology_gaps (school_id, concern_id, entry_id, prev_hash, hash, destroyed_file_id)
        SELECT e.school_id, e.concern_id, e.id, e.prev_hash, e.hash, file_id
        FROM chronology_entries e WHERE e.school_id = school AND e.id = ANY (gone);
    DELETE FROM chronology_entries WHERE school_id = school AND id = ANY (gone);
    -- What stays of a shared concern is the others' record; the pupil is
    -- taken out of it: out of the concern as logged (whose snapshot holds
    -- every pupil's part) and out of the pupils of the entries about them
    -- and others. Each such entry keeps its hash, to which the chain after
    -- it links, and a seal of what it holds now (chronology_redactions).
    WITH changed AS (
        UPDATE chronology_entries e
           SET body = CASE WHEN e.kind = 'concern_logged' THEN haven_without_pupil(e.body, p_pupil_id) ELSE e.body END,
               pupil_ids = array_remove(e.pupil_ids, p_pupil_id)
         WHERE e.school_id = school AND e.concern_id = ANY (shared)
           AND (e.kind = 'concern_logged' OR p_pupil_id = ANY (e.pupil_ids))
        RETURNING e.school_id, e.id, haven_entry_seal(e.body, e.details, e.at, e.author_id, e.kind, e.pupil_ids) AS seal)
    INSERT INTO chronology_redactions (school_id, entry_id, seal, destroyed_file_id)
        SELECT c.school_id, c.id, c.seal, file_id FROM changed c
        ON CONFLICT (school_id, entry_id) DO UPDATE SET seal = EXCLUDED.seal, destroyed_file_id = EXCLUDED.destroyed_file_id;
    DELETE FROM concern_pupils WHERE school_id = school AND (pupil_id = p_pupil_id OR concern_id = ANY (sole));
    DELETE FROM entry_drafts WHERE school_id = school AND concern_id = ANY (sole);
    DELETE FROM chronology_gaps WHERE school_id = school AND concern_id = ANY (sole);
    DELETE FROM chronology_redactions r USING chronology_entries e
        WHERE r.school_id = school AND e.school_id = school AND e.id = r.entry_id AND e.concern_id = ANY (sole);
    DELETE FROM chronology_entries WHERE school_id = school AND concern_id = ANY (sole);
    DELETE FROM concerns WHERE school_id = school AND id = ANY (sole);
    DELETE FROM destruction_approvals WHERE school_id = school AND pupil_id = p_pupil_id;
    DELETE FROM retention_reviews WHERE school_id = school AND pupil_id = p_pupil_id;
    RETURN file_id;
END
$$;
REVOKE ALL ON FUNCTION haven_destroy_child_file(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_destroy_child_file(bigint) TO haven_app;

CREATE POLICY retention_reviews_read ON retention_reviews FOR SELECT
    USING (school_id = haven_school_id() AND haven_may_review_retention(haven_roles()));
CREATE POLICY destruction_approvals_read ON destruction_approvals FOR SELECT
    USING (school_id = haven_school_id() AND haven_may_review_retention(haven_roles()));
CREATE POLICY destruction_approvals_insert ON destruction_approvals FOR INSERT
    WITH CHECK (school_id = haven_school_id() AND person_id = haven_viewer_id()
        AND haven_may_review_retention(haven_roles()));
CREATE POLICY destroyed_files_read ON destroyed_files FOR SELECT
    USING (school_id = haven_school_id() AND haven_may_review_retention(haven_roles()));

-- Patterns across a child's concerns (safeguarding.EvaluatePatterns). The
-- rules run in a job enqueued in the transaction that logs a concern or
-- records a pupil's part, for no one: the member of staff who logged it may
-- not read the child's other concerns.
CREATE FUNCTION haven_is_haven() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT haven_viewer_id() IS NULL AND haven_school_id() IS NULL
$$;

-- What the rules read of one pupil's concerns about children: each
-- concern's id, when and by whom it was logged, its categories and the
-- CSE indicators of the pupil's own part. It runs as the owner and answers
-- only Haven itself (no viewer, no school: the rules' job), never a
-- transaction run for a person.
CREATE FUNCTION haven_pattern_facts(p_school_id bigint, p_pupil_id bigint)
RETURNS TABLE (concern_id bigint, logged_at timestamptz, logged_by bigint, categories text[], indicators text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT c.id, c.logged_at, c.logged_by, c.categories, cp.indicators
    FROM concern_pupils cp JOIN concerns c ON c.school_id = cp.school_id AND c.id = cp.concern_id
    WHERE cp.school_id = p_school_id AND cp.pupil_id = p_pupil_id AND c.route = 'child' AND haven_is_haven()
$$;
REVOKE ALL ON FUNCTION haven_pattern_facts(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_pattern_facts(bigint, bigint) TO haven_app;

-- safeguarding.MaySeePatternFlag: the viewer sees, on a child's file, every
-- concern that raised the flag, as each stands now (safeguarding.Can, view
-- child file: not its subject, and its route read in full). Runs as the
-- viewer, so concerns_select applies too.
CREATE FUNCTION haven_sees_pattern_flag(p_school_id bigint, p_concern_ids bigint[]) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT cardinality(p_concern_ids) > 0 AND NOT EXISTS (
        SELECT 1 FROM unnest(p_concern_ids) AS t (id)
        WHERE NOT EXISTS (
            SELECT 1 FROM concerns c
            WHERE c.school_id = p_school_id AND c.id = t.id
              AND c.subject_person_id IS DISTINCT FROM haven_viewer_id() AND haven_on_child_file(c.route)))
$$;

-- The thresholds: read by everyone of the school (the pages that show a
-- flag say what its rule looks for) and by the rules' job; set by whom
-- haven_may_manage_patterns admits, as themselves.
CREATE POLICY pattern_settings_read ON pattern_settings FOR SELECT
    USING (school_id = haven_school_id() OR haven_is_haven());
CREATE POLICY pattern_settings_insert ON pattern_settings FOR INSERT
    WITH CHECK (school_id = haven_school_id() AND updated_by = haven_viewer_id()
        AND haven_may_manage_patterns(haven_roles()));
CREATE POLICY pattern_settings_update ON pattern_settings FOR UPDATE
    USING (school_id = haven_school_id() AND haven_may_manage_patterns(haven_roles()))
    WITH CHECK (school_id = haven_school_id() AND updated_by = haven_viewer_id()
        AND haven_may_manage_patterns(haven_roles()));

-- Flags: a person sees one only if they see every concern that raised it
-- (haven_sees_pattern_flag), and reviews an open one they see if
-- haven_may_manage_patterns admits them, as themselves. Haven itself (the
-- rules' job) reads a child's flags, raises them and adds concerns to an
-- open one; no person can.
CREATE POLICY pattern_flags_read ON pattern_flags FOR SELECT
    USING ((school_id = haven_school_id() AND haven_sees_pattern_flag(school_id, concern_ids)) OR haven_is_haven());
CREATE POLICY pattern_flags_raise ON pattern_flags FOR INSERT
    WITH CHECK (haven_is_haven() AND reviewed_at IS NULL);
CREATE POLICY pattern_flags_grow ON pattern_flags FOR UPDATE
    USING (haven_is_haven() AND reviewed_at IS NULL)
    WITH CHECK (haven_is_haven() AND reviewed_at IS NULL);
CREATE POLICY pattern_flags_review ON pattern_flags FOR UPDATE
    USING (school_id = haven_school_id() AND reviewed_at IS NULL AND haven_may_manage_patterns(haven_roles())
        AND haven_sees_pattern_flag(school_id, concern_ids))
    WITH CHECK (school_id = haven_school_id() AND reviewed_by = haven_viewer_id() AND reviewed_at IS NOT NULL);
-- A reviewer records a review and nothing else; Haven itself changes only
-- an open flag's concerns. A review, once recorded, stands.
CREATE FUNCTION haven_guard_pattern_flag_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.reviewed_at IS NOT NULL
       OR (NOT haven_is_haven() AND NEW.concern_ids IS DISTINCT FROM OLD.concern_ids)
       OR (haven_is_haven() AND (NEW.reviewed_at, NEW.reviewed_by, NEW.decision, NEW.reason)
            IS DISTINCT FROM (OLD.reviewed_at, OLD.reviewed_by, OLD.decision, OLD.reason)) THEN
        RAISE EXCEPTION 'a pattern flag may not be changed so' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER pattern_flags_guard_update BEFORE UPDATE ON pattern_flags
    FOR EACH ROW EXECUTE FUNCTION haven_guard_pattern_flag_update();

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

-- After a bulk load (the demo school's history): the planner's statistics
-- brought up to date at once, as autovacuum would in time, so that the
-- first report or queue read after the load is not planned for empty
-- tables. Only the owner may analyse them.
CREATE FUNCTION haven_analyze_after_load() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    ANALYZE concerns, concern_pupils, chronology_entries, pupils, people, person_roles,
        training_records, policies, policy_reviews, deadlines, notices, audit_log;
END
$$;
REVOKE ALL ON FUNCTION haven_analyze_after_load() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_analyze_after_load() TO haven_app;

-- audit_log_kind_stats, defined afresh above, gathered now rather than at
-- autovacuum's next visit.
ANALYZE audit_log;

-- Kept annual report figures were worked out by the functions this file
-- defined before; whatever this copy changed in them, the figures are worked
-- out again (by the nightly job, or when a report is next opened).
DELETE FROM report_figures;

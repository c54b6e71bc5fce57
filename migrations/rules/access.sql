-- Haven's access rule in PostgreSQL: the one home of the functions,
-- triggers and policies of row-level security.
--
-- The same rule lives in Go in internal/safeguarding/access.go (Can,
-- Handles, RouteFor, MayLog, MayBeAssigned); each function below names the
-- Go function it mirrors. internal/postgres/rule_test.go runs every
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
DROP POLICY IF EXISTS outbox_read ON outbox;
DROP POLICY IF EXISTS outbox_insert ON outbox;
DROP POLICY IF EXISTS invitations_admin_read ON invitations;
DROP POLICY IF EXISTS invitations_admin_insert ON invitations;
DROP POLICY IF EXISTS invitations_admin_update ON invitations;
DROP POLICY IF EXISTS invitations_link_read ON invitations;
DROP POLICY IF EXISTS invitations_link_update ON invitations;
DROP POLICY IF EXISTS invitations_command_insert ON invitations;
DROP POLICY IF EXISTS training_read ON training_records;
DROP POLICY IF EXISTS training_add ON training_records;
DROP POLICY IF EXISTS training_change ON training_records;
DROP POLICY IF EXISTS training_remove ON training_records;
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
DROP FUNCTION IF EXISTS haven_may_administer_people(text[]);
DROP FUNCTION IF EXISTS haven_may_import_roster(text[]);
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

-- safeguarding.MayAdministerPeople: only the administrator invites people,
-- changes their roles and deactivates them.
CREATE FUNCTION haven_may_administer_people(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT 'admin' = ANY (roles)
$$;

-- safeguarding.MayImportRoster: only the administrator imports the roster.
CREATE FUNCTION haven_may_import_roster(roles text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT 'admin' = ANY (roles)
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

-- +goose Up

-- The viewer's roles, read once a transaction.
--
-- haven_roles() read person_roles in a SQL function, and PostgreSQL plans
-- such a function's query again each time a statement calls it: once in
-- every statement that checked access (through haven_read_routes), and
-- again and again for a concern's first entry, whose insert policy asks
-- haven_chain_head, which asks haven_handles. The roles are now
-- read when the transaction takes its viewer, by haven_set_viewer, and kept
-- in the transaction's settings beside the viewer's ids; the rule reads them
-- from there.
--
-- The roles are still the database's own, read from person_roles: the app
-- names the viewer, as it did, and nothing else. The settings are trusted as
-- haven.person_id always was (the app's role could set either). If the
-- viewer's ids are set again without haven_set_viewer, the roles no longer
-- match them, and the viewer has none: haven.roles_of records whose they are.

-- +goose StatementBegin
CREATE FUNCTION haven_set_viewer(p_school_id bigint, p_person_id bigint) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    roles text[];
    routes text[] := '{}';
BEGIN
    -- The ids first: the rule compares a concern's subject with the viewer.
    PERFORM set_config('haven.school_id', p_school_id::text, true),
        set_config('haven.person_id', p_person_id::text, true);
    roles := (SELECT coalesce(array_agg(role), '{}') FROM person_roles
        WHERE school_id = p_school_id AND person_id = p_person_id);
    -- Route by route, as plain expressions: a sub-select here cost as much
    -- as reading the roles.
    IF haven_reads_as(roles, 'child', NULL) THEN routes := routes || 'child'::text; END IF;
    IF haven_reads_as(roles, 'adult', NULL) THEN routes := routes || 'adult'::text; END IF;
    IF haven_reads_as(roles, 'principal', NULL) THEN routes := routes || 'principal'::text; END IF;
    IF haven_reads_as(roles, 'safeguarding_lead', NULL) THEN routes := routes || 'safeguarding_lead'::text; END IF;
    PERFORM set_config('haven.roles', roles::text, true),
        set_config('haven.read_routes', routes::text, true),
        set_config('haven.roles_of', p_school_id::text || '/' || p_person_id::text, true);
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION haven_set_viewer(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_set_viewer(bigint, bigint) TO haven_app;

-- Whether the roles in the settings are the current viewer's. Written as
-- plain SQL expressions so that PostgreSQL inlines them into the policies.
CREATE FUNCTION haven_roles_current() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT current_setting('haven.roles_of', true)
        = current_setting('haven.school_id', true) || '/' || current_setting('haven.person_id', true)
$$;
CREATE OR REPLACE FUNCTION haven_roles() RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN haven_roles_current() THEN current_setting('haven.roles', true)::text[] ELSE '{}' END
$$;
CREATE OR REPLACE FUNCTION haven_read_routes() RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN haven_roles_current() THEN current_setting('haven.read_routes', true)::text[] ELSE '{}' END
$$;

-- +goose Down
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
CREATE OR REPLACE FUNCTION haven_roles() RETURNS text[] LANGUAGE sql STABLE AS
$$ SELECT coalesce(array_agg(role), '{}') FROM person_roles WHERE school_id = haven_school_id() AND person_id = haven_viewer_id() $$;
DROP FUNCTION haven_roles_current();
DROP FUNCTION haven_set_viewer(bigint, bigint);

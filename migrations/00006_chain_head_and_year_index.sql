-- +goose Up

-- The chronology and the roster at scale.

-- The hash a new entry links to: read twice for every entry written (by
-- the store, and by the insert policy of 00005). The same query as 00002's,
-- in PL/pgSQL so that its plan is kept rather than made again per call (a
-- SQL function with SECURITY DEFINER is never inlined).
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION haven_chain_head(p_school_id bigint, p_concern_id bigint) RETURNS bytea
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
-- +goose StatementEnd

-- The year groups a school has (the queue's filter, the concern form): an
-- index-only walk of the active pupils rather than a visit to every row.
CREATE INDEX pupils_active_year_idx ON pupils (school_id, year_group) WHERE active;

-- +goose Down
DROP INDEX pupils_active_year_idx;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION haven_chain_head(p_school_id bigint, p_concern_id bigint) RETURNS bytea
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT e.hash FROM chronology_entries e
    WHERE e.school_id = p_school_id AND e.concern_id = p_concern_id
      AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = p_school_id AND c.id = p_concern_id
                  AND c.school_id = haven_school_id()
                  AND (haven_handles(c.route, c.subject_person_id) OR c.logged_by = haven_viewer_id()))
    ORDER BY e.id DESC LIMIT 1
$$;
-- +goose StatementEnd

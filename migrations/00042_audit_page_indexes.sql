-- +goose Up

-- The audit page (internal/postgres/audit_page.go) reads a school's log
-- newest first, a page at a time: walking this index backwards stops at
-- the page's last row instead of sorting the school's whole log. The
-- narrower (school_id, at) index it replaces served only date ranges,
-- which this one serves as well.
CREATE INDEX audit_log_school_at_id_idx ON audit_log (school_id, at, id);
DROP INDEX audit_log_school_at_idx;

-- The page narrowed to one person: their rows, newest first, however few
-- they are among the school's.
CREATE INDEX audit_log_school_actor_at_idx ON audit_log (school_id, actor_id, at, id);

-- +goose Down
DROP INDEX audit_log_school_actor_at_idx;
CREATE INDEX audit_log_school_at_idx ON audit_log (school_id, at);
DROP INDEX audit_log_school_at_id_idx;

-- +goose Up

-- Denied looks (a request for a concern or a child's file answered "not
-- found") are audit rows like any other. The notice of repeated ones counts
-- one person's denied looks at one concern over the last day, and the
-- notices already raised about them; this index holds only those rows, so
-- the count reads a handful of entries and the audit row of every page view
-- costs nothing more. The actions are internal/postgres's auditDeniedConcern
-- and auditDeniedLooksNoticed.
CREATE INDEX audit_log_denied_looks_idx ON audit_log (school_id, actor_id, object, at)
    WHERE action IN ('denied_concern', 'denied_looks_noticed');

-- +goose Down
DROP INDEX audit_log_denied_looks_idx;

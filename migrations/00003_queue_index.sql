-- +goose Up

-- The DSL's queue orders open concerns urgent first, then unacknowledged
-- ones oldest first, then the rest by last activity, newest first. Its pages
-- are keyset pages (internal/postgres/queue.go), so the order must be one
-- ascending key that an index holds and a row comparison can resume from:
--
--   queue_group  0 urgent and unacknowledged, 1 urgent, 2 unacknowledged, 3 the rest
--   queue_key    within a group: when it was logged (unacknowledged, oldest
--                first), or minus its last activity (newest first)
--   id           ties
--
-- They are stored columns rather than index expressions because row-level
-- security lets a condition reach an index only if every function in it is
-- leakproof, and timestamp subtraction is not; comparing stored columns is.
ALTER TABLE concerns
    ADD COLUMN queue_group smallint GENERATED ALWAYS AS (
        CASE WHEN urgent THEN 0 ELSE 2 END + CASE WHEN acknowledged_at IS NULL THEN 0 ELSE 1 END) STORED,
    ADD COLUMN queue_key interval GENERATED ALWAYS AS (
        CASE WHEN acknowledged_at IS NULL THEN logged_at - timestamptz 'epoch'
             ELSE timestamptz 'epoch' - last_activity_at END) STORED;

-- The queue reads one route at a time (a lateral join over the viewer's
-- routes), so route follows school_id. Open concerns are a small part of a
-- school's history: the default view walks an index of those alone, and the
-- closed and "all" views walk the full one.
DROP INDEX concerns_queue_idx;
CREATE INDEX concerns_queue_open_idx ON concerns (school_id, route, queue_group, queue_key, id) WHERE status <> 'closed';
CREATE INDEX concerns_queue_idx ON concerns (school_id, route, queue_group, queue_key, id);

-- +goose Down
DROP INDEX concerns_queue_idx, concerns_queue_open_idx;
ALTER TABLE concerns DROP COLUMN queue_key, DROP COLUMN queue_group;
CREATE INDEX concerns_queue_idx ON concerns (school_id, route, status, urgent DESC, last_activity_at DESC, id DESC);

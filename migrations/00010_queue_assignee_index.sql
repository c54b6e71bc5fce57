-- +goose Up

-- The queue's assignee filter ("assigned to me", to a named lead, or to
-- nobody) walked every open concern of a route to find the few assigned to
-- one person: a DSL's own list is short, so the walk never filled a page and
-- read the whole route. This index puts each person's
-- open concerns, and the unassigned ones, together in the queue's order.
CREATE INDEX concerns_queue_assignee_idx ON concerns (school_id, assigned_to, route, queue_group, queue_key, id)
    INCLUDE (status, categories, subject_person_id, logged_by) WHERE status <> 'closed';

-- +goose Down
DROP INDEX concerns_queue_assignee_idx;

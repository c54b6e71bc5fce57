-- +goose Up

-- The header's overdue count, on every page the DSL and deputies open,
-- counts the leavers whose child-protection files are overdue for transfer
-- (internal/postgres/transfer.go overdueTransfers): this index finds the
-- school's leavers who left before a day without reading the roll.
CREATE INDEX pupils_left_idx ON pupils (school_id, left_on) WHERE left_on IS NOT NULL;

-- +goose Down
DROP INDEX pupils_left_idx;

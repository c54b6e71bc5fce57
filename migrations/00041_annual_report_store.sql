-- +goose Up

-- A completed academic year's annual report figures, kept once worked out
-- (haven_annual_report_figures in rules/access.sql) so that a governor
-- opening last year's report reads one row. snapshot is the database
-- snapshot the figures were worked out in: they stand only while every
-- change that could move them (report_changes) is one that snapshot saw.
-- A year still under way is never kept.
CREATE TABLE report_figures (
    school_id   bigint NOT NULL REFERENCES schools (id),
    start_year  int NOT NULL,
    snapshot    pg_snapshot NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now(),
    figures     jsonb NOT NULL,
    PRIMARY KEY (school_id, start_year)
);

-- Each transaction that changed what a completed year's report counts (a
-- late acknowledgement or agency response, a concern moved to another
-- route, a pupil's year group or flags, training, roles, policies), once
-- a school: written by triggers, read to tell whether kept figures stand.
CREATE TABLE report_changes (
    school_id  bigint NOT NULL,
    xid        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    changed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (school_id, xid)
);

-- Neither is the app's to touch: only the report's SECURITY DEFINER
-- functions and triggers read and write them.
ALTER TABLE report_figures ENABLE ROW LEVEL SECURITY;
ALTER TABLE report_changes ENABLE ROW LEVEL SECURITY;

-- The year's urgent concerns and how long each waited for acknowledgement,
-- without visiting the table.
CREATE INDEX concerns_urgent_logged_idx ON concerns (school_id, logged_at) INCLUDE (acknowledged_at) WHERE urgent;

-- +goose Down
DROP INDEX concerns_urgent_logged_idx;
DROP TABLE report_changes;
DROP TABLE report_figures;

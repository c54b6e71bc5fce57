-- +goose Up

-- The annual oversight report reads one school's concerns logged in one
-- academic year, the referrals recorded in it and the closings and
-- reopenings since its end (haven_annual_report in
-- migrations/rules/access.sql): a range of one index each, rather than
-- every concern or entry the school has.
-- The concerns' index carries every column the report counts, so that a
-- year is read from the index alone (the rows, with what happened, are
-- wide).
CREATE INDEX concerns_logged_at_idx ON concerns (school_id, logged_at)
    INCLUDE (route, acknowledged_at, categories, indicators);
CREATE INDEX chronology_report_idx ON chronology_entries (school_id, kind, at)
    WHERE kind IN ('referral', 'referral_response', 'closed', 'reopened', 'status_changed');

-- +goose Down
DROP INDEX chronology_report_idx;
DROP INDEX concerns_logged_at_idx;

-- +goose Up

-- The annual oversight report reads one school's concerns logged in one
-- academic year, and the referrals recorded in it (haven_annual_report in
-- migrations/rules/access.sql): a range of one index each, rather than
-- every concern or entry the school has.
CREATE INDEX concerns_logged_at_idx ON concerns (school_id, logged_at)
    INCLUDE (route, acknowledged_at);
CREATE INDEX chronology_referrals_idx ON chronology_entries (school_id, kind, at)
    WHERE kind IN ('referral', 'referral_response');

-- +goose Down
DROP INDEX chronology_referrals_idx;
DROP INDEX concerns_logged_at_idx;

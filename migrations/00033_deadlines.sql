-- +goose Up

-- What the DSL owes by a day (safeguarding.Deadline): the agency's response
-- to a referral (§11.9) and feedback to the member of staff who raised a
-- concern (§11.8). A row keeps the day counting starts from and how many
-- working days it runs, not the day it falls due: the due day is worked out
-- with the school's calendar (safeguarding.Calendar) when it is read, so a
-- closure day entered later moves it at once, and the overdue ones are
-- counted by comparing first days with the one day the calendar gives
-- (safeguarding.Calendar.OverdueBefore). met_at is set when the entry that
-- meets it is recorded. Who reads and writes rows is in rules/access.sql.
CREATE TABLE deadlines (
    school_id    bigint NOT NULL REFERENCES schools (id),
    id           bigint GENERATED ALWAYS AS IDENTITY,
    kind         text NOT NULL CHECK (kind IN ('referral_response', 'feedback')),
    concern_id   bigint NOT NULL,
    entry_id     bigint, -- the referral a response is due for
    starts_on    date NOT NULL,
    working_days int NOT NULL CHECK (working_days BETWEEN 1 AND 30),
    met_at       timestamptz,
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, concern_id) REFERENCES concerns (school_id, id),
    FOREIGN KEY (school_id, entry_id) REFERENCES chronology_entries (school_id, id),
    CHECK ((kind = 'referral_response') = (entry_id IS NOT NULL))
);
-- The header's count and the Due view: a school's open deadlines by first day.
CREATE INDEX deadlines_open_idx ON deadlines (school_id, starts_on) WHERE met_at IS NULL;
-- A concern's own, for its page, the queue's markers, and meeting them.
CREATE INDEX deadlines_concern_idx ON deadlines (school_id, concern_id) WHERE met_at IS NULL;
CREATE UNIQUE INDEX deadlines_once_idx ON deadlines (school_id, concern_id, kind, coalesce(entry_id, 0));
ALTER TABLE deadlines ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON deadlines TO haven_app;
GRANT UPDATE (met_at) ON deadlines TO haven_app;

-- The deadlines of what was recorded before: the referrals of open concerns
-- with no response, from the referral's date; and feedback owed on open
-- concerns to whoever logged them, unless they handle the concern
-- themselves (safeguarding.OwesFeedback, as haven_handles_as says), from
-- the day they logged it. Only dates are copied; nothing is counted here.
-- A database with no concerns yet has no rules applied yet either.
-- +goose StatementBegin
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM concerns) THEN
        RETURN;
    END IF;
    INSERT INTO deadlines (school_id, kind, concern_id, entry_id, starts_on, working_days)
    SELECT e.school_id, 'referral_response', e.concern_id, e.id,
           CASE WHEN e.details->>'referred_on' ~ '^\d{4}-\d{2}-\d{2}$' THEN (e.details->>'referred_on')::date
                ELSE (coalesce(e.happened_at, e.at) AT TIME ZONE 'Europe/London')::date END, 1
    FROM chronology_entries e
    JOIN concerns c ON c.school_id = e.school_id AND c.id = e.concern_id
    WHERE e.kind = 'referral' AND c.status <> 'closed'
      AND NOT EXISTS (SELECT 1 FROM chronology_entries r WHERE r.school_id = e.school_id AND r.concern_id = e.concern_id
                      AND r.kind = 'referral_response' AND r.details->>'referral_id' = e.id::text);
    INSERT INTO deadlines (school_id, kind, concern_id, starts_on, working_days)
    SELECT c.school_id, 'feedback', c.id, (c.logged_at AT TIME ZONE 'Europe/London')::date, 2
    FROM concerns c
    WHERE c.status <> 'closed' AND NOT c.feedback_given
      AND NOT haven_handles_as(haven_roles_of(c.school_id, c.logged_by), c.route);
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP TABLE deadlines;

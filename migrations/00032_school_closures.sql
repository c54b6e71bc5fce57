-- +goose Up

-- The days a school is closed besides weekends and bank holidays: holidays
-- between terms and INSET days, entered by the DSL or the administrator.
-- Deadlines count only working days (safeguarding.Calendar), so a referral
-- made on the last day of term is not overdue over the holidays. Who may
-- change them is safeguarding.MayEditSchoolContacts (the school's
-- settings), enforced again in rules/access.sql.
CREATE TABLE school_closures (
    id         bigint GENERATED ALWAYS AS IDENTITY,
    school_id  bigint NOT NULL REFERENCES schools (id),
    first_day  date NOT NULL,
    last_day   date NOT NULL,
    reason     text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL,
    created_by bigint NOT NULL,
    PRIMARY KEY (school_id, id),
    CHECK (last_day >= first_day AND last_day - first_day <= 366),
    FOREIGN KEY (school_id, created_by) REFERENCES people (school_id, id)
);
CREATE INDEX school_closures_days_idx ON school_closures (school_id, last_day);
ALTER TABLE school_closures ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, DELETE ON school_closures TO haven_app;

-- +goose Down
DROP TABLE school_closures;

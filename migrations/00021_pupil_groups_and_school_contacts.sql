-- +goose Up

-- A pupil's registration group (tutor group, form), as the school's roster
-- names it ("9B", "12WD"): with the year and the date of birth it tells two
-- pupils of the same name apart in the concern form's search. Empty when the
-- roster does not give one.
ALTER TABLE pupils ADD COLUMN registration_group text NOT NULL DEFAULT ''
    CHECK (length(registration_group) <= 20);

-- The numbers a member of staff needs when a child is in immediate danger
-- (policy §11.5, §3.5): the DSL's phone, the local children's social care
-- front door (MASH) and its out-of-hours line. 999 is always shown. One row
-- a school, written when the DSL or the administrator first sets them;
-- until then there is none. Who may change them is
-- safeguarding.MayEditSchoolContacts, enforced again in rules/access.sql.
CREATE TABLE school_contacts (
    school_id                bigint PRIMARY KEY REFERENCES schools (id),
    dsl_phone                text NOT NULL DEFAULT '' CHECK (length(dsl_phone) <= 40),
    social_care_phone        text NOT NULL DEFAULT '' CHECK (length(social_care_phone) <= 40),
    social_care_out_of_hours text NOT NULL DEFAULT '' CHECK (length(social_care_out_of_hours) <= 40),
    updated_at               timestamptz NOT NULL,
    updated_by               bigint NOT NULL,
    FOREIGN KEY (school_id, updated_by) REFERENCES people (school_id, id)
);
ALTER TABLE school_contacts ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON school_contacts TO haven_app;
GRANT UPDATE (dsl_phone, social_care_phone, social_care_out_of_hours, updated_at, updated_by) ON school_contacts TO haven_app;

-- +goose Down
DROP TABLE school_contacts;
ALTER TABLE pupils DROP COLUMN registration_group;

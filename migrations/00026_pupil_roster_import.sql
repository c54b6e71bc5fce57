-- +goose Up

-- What a roster import from the school's MIS (SIMS, Arbor, Bromcom) brings
-- for each pupil (docs/roster-import.md):
--   upn                      the Unique Pupil Number, 13 characters; null when
--                            the roster gives none. The import matches pupils
--                            by it, so it is unique within a school.
--   preferred_first_name,    the names the pupil goes by, shown wherever Haven
--   preferred_last_name      names them; '' when the same as the legal names.
--   send, looked_after,      the circumstances the policy asks staff to watch
--   previously_looked_after, (§5.1, §7.4): special educational needs or
--   young_carer, excluded    disability, a child looked after, previously looked
--                            after, a young carer, excluded.
--   left_on                  the day an import found the pupil no longer on the
--                            roster and marked them left (active = false);
--                            null for a pupil on the roster. A pupil who left
--                            is never deleted: their file stays for the DSL.
-- Existing pupils keep their rows as they are: no UPN, no preferred names,
-- no flags set.
ALTER TABLE pupils
    ADD COLUMN upn text CHECK (upn ~ '^[A-Z][0-9]{11}[0-9A-Z]$'),
    ADD COLUMN preferred_first_name text NOT NULL DEFAULT '' CHECK (length(preferred_first_name) <= 100),
    ADD COLUMN preferred_last_name text NOT NULL DEFAULT '' CHECK (length(preferred_last_name) <= 100),
    ADD COLUMN send boolean NOT NULL DEFAULT false,
    ADD COLUMN looked_after boolean NOT NULL DEFAULT false,
    ADD COLUMN previously_looked_after boolean NOT NULL DEFAULT false,
    ADD COLUMN young_carer boolean NOT NULL DEFAULT false,
    ADD COLUMN excluded boolean NOT NULL DEFAULT false,
    ADD COLUMN left_on date,
    ADD CONSTRAINT pupils_left_on_inactive CHECK (left_on IS NULL OR NOT active);
CREATE UNIQUE INDEX pupils_upn_key ON pupils (school_id, upn) WHERE upn IS NOT NULL;

-- The import updates pupils in place (who may is safeguarding.MayImportRoster,
-- enforced again in rules/access.sql) and replaces a person's roles.
GRANT UPDATE (upn, first_name, last_name, preferred_first_name, preferred_last_name, year_group, date_of_birth,
    registration_group, send, looked_after, previously_looked_after, young_carer, excluded, active, left_on) ON pupils TO haven_app;
GRANT DELETE ON person_roles TO haven_app;

-- +goose Down
REVOKE DELETE ON person_roles FROM haven_app;
DROP INDEX pupils_upn_key;
ALTER TABLE pupils DROP CONSTRAINT pupils_left_on_inactive,
    DROP COLUMN left_on, DROP COLUMN excluded, DROP COLUMN young_carer, DROP COLUMN previously_looked_after,
    DROP COLUMN looked_after, DROP COLUMN send, DROP COLUMN preferred_last_name, DROP COLUMN preferred_first_name,
    DROP COLUMN upn;

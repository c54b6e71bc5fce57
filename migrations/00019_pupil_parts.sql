-- +goose Up

-- Each pupil of a concern has their own part (the child harmed or at risk,
-- the child who harmed, a witness, other), the CSE indicators seen in them
-- and their own words; what happened is shared (concerns.what_happened). A
-- pupil's file shows only that pupil's own, so one child's words never
-- reach another child's file (safeguarding.PupilPart).
--
-- From now on:
--   concerns.indicators   every indicator the concern records, each pupil's
--                         and any not attributed: for queries and reports;
--   concerns.childs_words the child's words that are no one pupil's: those
--                         of a concern that names no pupil, or recorded
--                         before parts on a concern about several pupils
--                         and not yet attributed.
ALTER TABLE concern_pupils
    ADD COLUMN part text NOT NULL DEFAULT 'not_recorded'
        CHECK (part IN ('harmed', 'harmed_others', 'witness', 'other', 'not_recorded')),
    ADD COLUMN indicators text[] NOT NULL DEFAULT '{}',
    ADD COLUMN childs_words text NOT NULL DEFAULT '';

-- A concern with one pupil: everything recorded is that pupil's, as the
-- child harmed or at risk.
WITH single AS (
    SELECT school_id, concern_id FROM concern_pupils GROUP BY school_id, concern_id HAVING count(*) = 1)
UPDATE concern_pupils cp SET part = 'harmed', indicators = c.indicators, childs_words = c.childs_words
FROM single s JOIN concerns c ON c.school_id = s.school_id AND c.id = s.concern_id
WHERE cp.school_id = s.school_id AND cp.concern_id = s.concern_id;

UPDATE concerns c SET childs_words = ''
WHERE c.childs_words <> '' AND (
    SELECT count(*) FROM concern_pupils cp WHERE cp.school_id = c.school_id AND cp.concern_id = c.id) = 1;

-- A concern with several pupils keeps its indicators and words on the
-- concern, not yet attributed, and each pupil's part is 'not_recorded'
-- (the default) until a case handler attributes them: whose they are is
-- never guessed.

-- +goose Down
-- The rules file's policy on the columns goes with them; access.sql is
-- applied whole again by the next migration up.
DROP POLICY IF EXISTS concern_pupils_attribute ON concern_pupils;
DELETE FROM haven_rules_applied;
UPDATE concerns c SET childs_words = cp.childs_words
FROM concern_pupils cp
WHERE cp.school_id = c.school_id AND cp.concern_id = c.id AND cp.childs_words <> '' AND c.childs_words = ''
  AND (SELECT count(*) FROM concern_pupils x WHERE x.school_id = c.school_id AND x.concern_id = c.id) = 1;
ALTER TABLE concern_pupils DROP COLUMN part, DROP COLUMN indicators, DROP COLUMN childs_words;

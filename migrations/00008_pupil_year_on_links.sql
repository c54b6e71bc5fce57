-- +goose Up

-- The queue's year-group filter. It built the set of concerns about a year
-- group's pupils from every link of every pupil in that year, one index
-- descent per pupil. Each link now carries its pupil's year group, so the
-- set is one range of one index.
--
-- The copy follows the pupil: written when the link is, and rewritten when
-- the pupil's year group changes (moving up a year, a correction).

ALTER TABLE concern_pupils ADD COLUMN pupil_year_group smallint;
UPDATE concern_pupils cp SET pupil_year_group = p.year_group
FROM pupils p WHERE p.school_id = cp.school_id AND p.id = cp.pupil_id;
ALTER TABLE concern_pupils ALTER COLUMN pupil_year_group SET NOT NULL;

-- +goose StatementBegin
CREATE FUNCTION haven_copy_pupil_year() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    SELECT p.year_group INTO NEW.pupil_year_group FROM pupils p WHERE p.school_id = NEW.school_id AND p.id = NEW.pupil_id;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER concern_pupils_copy_year BEFORE INSERT OR UPDATE ON concern_pupils
    FOR EACH ROW EXECUTE FUNCTION haven_copy_pupil_year();

-- +goose StatementBegin
CREATE FUNCTION haven_pupil_year_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    UPDATE concern_pupils SET pupil_year_group = NEW.year_group WHERE school_id = NEW.school_id AND pupil_id = NEW.id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER pupils_year_changed AFTER UPDATE OF year_group ON pupils
    FOR EACH ROW WHEN (OLD.year_group IS DISTINCT FROM NEW.year_group) EXECUTE FUNCTION haven_pupil_year_changed();

-- With the columns row-level security reads (00007), for an index-only walk.
CREATE INDEX concern_pupils_year_idx ON concern_pupils (school_id, pupil_year_group)
    INCLUDE (concern_id, concern_route, concern_subject_id, concern_logged_by);

-- +goose Down
DROP INDEX concern_pupils_year_idx;
DROP TRIGGER pupils_year_changed ON pupils;
DROP FUNCTION haven_pupil_year_changed();
DROP TRIGGER concern_pupils_copy_year ON concern_pupils;
DROP FUNCTION haven_copy_pupil_year();
ALTER TABLE concern_pupils DROP COLUMN pupil_year_group;

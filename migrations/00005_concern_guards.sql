-- +goose Up

-- The member of staff who logged a concern may add further information,
-- which bumps last_activity_at, so the update policy admits them; only a
-- case handler may move the concern on (status, assignee, acknowledgement,
-- feedback), as safeguarding.Can says.
-- +goose StatementBegin
CREATE FUNCTION haven_guard_concern_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.status, NEW.assigned_to, NEW.acknowledged_at, NEW.feedback_given)
         IS DISTINCT FROM (OLD.status, OLD.assigned_to, OLD.acknowledged_at, OLD.feedback_given)
       AND NOT haven_handles(OLD.route, OLD.subject_person_id) THEN
        RAISE EXCEPTION 'only a case handler may change where a concern stands'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER concerns_guard_update BEFORE UPDATE ON concerns
    FOR EACH ROW EXECUTE FUNCTION haven_guard_concern_update();

-- A concern's original entry is written once, when it is logged: the
-- chronology is still empty (read through haven_chain_head, since a policy
-- may not query its own table).
DROP POLICY chronology_insert ON chronology_entries;
CREATE POLICY chronology_insert ON chronology_entries FOR INSERT WITH CHECK (
    school_id = haven_school_id() AND author_id = haven_viewer_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = chronology_entries.school_id AND c.id = chronology_entries.concern_id
        AND (
            (kind <> 'concern_logged' AND haven_handles(c.route, c.subject_person_id))
            OR (c.logged_by = haven_viewer_id() AND kind = 'further_information')
            OR (c.logged_by = haven_viewer_id() AND kind = 'concern_logged'
                AND haven_chain_head(c.school_id, c.id) IS NULL))));

-- +goose Down
DROP POLICY chronology_insert ON chronology_entries;
CREATE POLICY chronology_insert ON chronology_entries FOR INSERT WITH CHECK (
    school_id = haven_school_id() AND author_id = haven_viewer_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = chronology_entries.school_id AND c.id = chronology_entries.concern_id
        AND (haven_handles(c.route, c.subject_person_id)
             OR (c.logged_by = haven_viewer_id() AND chronology_entries.kind IN ('concern_logged', 'further_information')))));
DROP TRIGGER concerns_guard_update ON concerns;
DROP FUNCTION haven_guard_concern_update;

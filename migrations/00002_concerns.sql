-- +goose Up

-- Reference data shared by every school (a Citus reference table, so it
-- carries no school_id).
CREATE TABLE categories (
    code     text PRIMARY KEY,
    label    text NOT NULL,
    position smallint NOT NULL
);
INSERT INTO categories (code, label, position) VALUES
    ('cse', 'Child sexual exploitation (CSE)', 1),
    ('cce', 'Child criminal exploitation', 2),
    ('sexual_abuse', 'Sexual abuse', 3),
    ('physical_abuse', 'Physical abuse', 4),
    ('emotional_abuse', 'Emotional abuse', 5),
    ('neglect', 'Neglect', 6),
    ('child_on_child', 'Child-on-child abuse', 7),
    ('nudes', 'Sharing nudes or semi-nudes', 8),
    ('online_safety', 'Online safety', 9),
    ('radicalisation', 'Radicalisation', 10),
    ('fgm', 'Female genital mutilation (FGM)', 11),
    ('domestic_abuse', 'Domestic abuse', 12),
    ('missing_education', 'Missing from education', 13),
    ('self_harm', 'Self-harm or mental health', 14),
    ('other', 'Other', 15);

-- The CSE indicators of policy §5.2, every item, worded as the policy words it.
CREATE TABLE cse_indicators (
    code     text PRIMARY KEY,
    label    text NOT NULL,
    position smallint NOT NULL
);
INSERT INTO cse_indicators (code, label, position) VALUES
    ('secretive', 'Being secretive', 1),
    ('withdrawn', 'Acting withdrawn and isolated', 2),
    ('unexplained_gifts', 'Unexplained gifts, money or new possessions', 3),
    ('absences', 'Unexplained and/or regular school absences', 4),
    ('missing', 'Staying out late or going missing for periods of time', 5),
    ('alcohol_drugs', 'Consuming alcohol or drugs', 6),
    ('hostile', 'Acting hostile or aggressive', 7),
    ('gangs', 'Associating with gangs', 8),
    ('sexualised_behaviour', 'Displaying inappropriate sexualised behaviour beyond expected sexual development', 9),
    ('older_person', 'Developing relationships, particularly of a sexual nature, with a significantly older person', 10),
    ('older_partner', 'Having older boyfriends or girlfriends', 11),
    ('appearance', 'Changing their physical appearance', 12),
    ('emotional_wellbeing', 'Changes in emotional well-being', 13),
    ('defensive', 'Acting in a defensive manner', 14),
    ('education_participation', 'Lack of participation in education', 15),
    ('petty_crime', 'Becoming involved in petty crime', 16),
    ('self_harm', 'Self-harming or displaying significant changes in emotional well-being', 17),
    ('injuries', 'Having physical injuries without plausible explanation', 18),
    ('sti_pregnancy', 'Suffering from sexually transmitted infections or become pregnant', 19),
    ('concealing_marks', 'Trying to conceal marks or scars on their body', 20),
    ('refusing_uncover', 'Refusing to uncover parts of their body', 21),
    ('vehicles', 'Entering or leaving vehicles driven by unknown adults', 22),
    ('lack_relationships', 'Having a lack of positive relationships', 23),
    ('internet_social_media', 'Using the internet and social media in a manner which causes concern', 24),
    ('exploited_peers', 'Associating with other young people involved in exploitation', 25),
    ('misuse_drugs_alcohol', 'Misuse of drugs and/or alcohol', 26);

CREATE TABLE concerns (
    school_id          bigint NOT NULL REFERENCES schools (id),
    id                 bigint GENERATED ALWAYS AS IDENTITY,
    route              text NOT NULL CHECK (route IN ('child', 'adult', 'principal', 'safeguarding_lead')),
    subject_kind       text NOT NULL CHECK (subject_kind IN ('pupils', 'staff', 'other_adult')),
    subject_person_id  bigint,
    subject_adult_name text NOT NULL DEFAULT '',
    subject_adult_role text NOT NULL DEFAULT '',
    logged_by          bigint NOT NULL,
    logged_at          timestamptz NOT NULL,
    submission_token   uuid NOT NULL,
    categories         text[] NOT NULL CHECK (cardinality(categories) > 0),
    indicators         text[] NOT NULL DEFAULT '{}',
    what_happened      text NOT NULL CHECK (what_happened <> ''),
    childs_words       text NOT NULL DEFAULT '',
    happened_on        date NOT NULL,
    happened_time      text NOT NULL DEFAULT '',
    location           text NOT NULL DEFAULT '',
    others_told        text NOT NULL DEFAULT '',
    actions_taken      text NOT NULL DEFAULT '',
    urgent             boolean NOT NULL DEFAULT false,
    -- Where the concern stands: the only columns the app may update.
    status             text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'acknowledged', 'in_progress', 'closed', 'reopened')),
    assigned_to        bigint,
    acknowledged_at    timestamptz,
    last_activity_at   timestamptz NOT NULL,
    feedback_given     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, logged_by) REFERENCES people (school_id, id),
    FOREIGN KEY (school_id, subject_person_id) REFERENCES people (school_id, id),
    FOREIGN KEY (school_id, assigned_to) REFERENCES people (school_id, id),
    CHECK ((subject_kind = 'staff') = (subject_person_id IS NOT NULL)),
    CHECK (subject_kind <> 'other_adult' OR subject_adult_name <> '')
);
-- A resent form files one concern.
CREATE UNIQUE INDEX concerns_submission_key ON concerns (school_id, submission_token);
-- The queue: open concerns, urgent first, then unacknowledged oldest first, then by activity.
CREATE INDEX concerns_queue_idx ON concerns (school_id, route, status, urgent DESC, last_activity_at DESC, id DESC);
CREATE INDEX concerns_logged_by_idx ON concerns (school_id, logged_by, id DESC);
CREATE INDEX concerns_subject_person_idx ON concerns (school_id, subject_person_id) WHERE subject_person_id IS NOT NULL;

CREATE TABLE concern_pupils (
    school_id  bigint NOT NULL,
    concern_id bigint NOT NULL,
    pupil_id   bigint NOT NULL,
    PRIMARY KEY (school_id, concern_id, pupil_id),
    FOREIGN KEY (school_id, concern_id) REFERENCES concerns (school_id, id),
    FOREIGN KEY (school_id, pupil_id) REFERENCES pupils (school_id, id)
);
CREATE INDEX concern_pupils_pupil_idx ON concern_pupils (school_id, pupil_id, concern_id);

-- The chronology: append-only and hash-linked per concern.
CREATE TABLE chronology_entries (
    school_id   bigint NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    concern_id  bigint NOT NULL,
    kind        text NOT NULL,
    author_id   bigint NOT NULL,
    at          timestamptz NOT NULL,
    body        text NOT NULL DEFAULT '',
    details     jsonb NOT NULL DEFAULT '{}',
    corrects_id bigint,
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL,
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, concern_id) REFERENCES concerns (school_id, id),
    FOREIGN KEY (school_id, author_id) REFERENCES people (school_id, id),
    FOREIGN KEY (school_id, corrects_id) REFERENCES chronology_entries (school_id, id)
);
CREATE INDEX chronology_concern_idx ON chronology_entries (school_id, concern_id, id);

-- A staff member's concern in progress, kept server-side so a session that
-- expires mid-form loses nothing. One draft per person.
CREATE TABLE concern_drafts (
    school_id  bigint NOT NULL,
    person_id  bigint NOT NULL,
    form       jsonb NOT NULL,
    saved_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (school_id, person_id),
    FOREIGN KEY (school_id, person_id) REFERENCES people (school_id, id)
);

-- The viewer, set per transaction by the app (internal/postgres.asViewer).
CREATE FUNCTION haven_viewer_id() RETURNS bigint LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('haven.person_id', true), '')::bigint $$;
CREATE FUNCTION haven_school_id() RETURNS bigint LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('haven.school_id', true), '')::bigint $$;
CREATE FUNCTION haven_has_role(r text) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM person_roles WHERE school_id = haven_school_id() AND person_id = haven_viewer_id() AND role = r) $$;

-- The access rule as first written. Its functions and policies are now
-- defined whole in migrations/rules/access.sql, which replaces these.
CREATE FUNCTION haven_handles(route text, subject_person_id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT subject_person_id IS DISTINCT FROM haven_viewer_id() AND CASE route
        WHEN 'child' THEN haven_has_role('dsl') OR haven_has_role('deputy_dsl')
        WHEN 'adult' THEN haven_has_role('dsl') OR haven_has_role('deputy_dsl') OR haven_has_role('principal')
        WHEN 'principal' THEN haven_has_role('chair')
        WHEN 'safeguarding_lead' THEN haven_has_role('principal')
        ELSE false END
$$;
-- Who may read a concern's whole record: its case handlers, and the principal for concerns about children.
CREATE FUNCTION haven_reads(route text, subject_person_id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT haven_handles(route, subject_person_id)
        OR (route = 'child' AND haven_has_role('principal'))
$$;

ALTER TABLE concerns ENABLE ROW LEVEL SECURITY;
ALTER TABLE concern_pupils ENABLE ROW LEVEL SECURITY;
ALTER TABLE chronology_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE concern_drafts ENABLE ROW LEVEL SECURITY;

CREATE POLICY concerns_select ON concerns FOR SELECT USING (
    school_id = haven_school_id()
    AND subject_person_id IS DISTINCT FROM haven_viewer_id()
    AND (logged_by = haven_viewer_id() OR haven_reads(route, subject_person_id)));
CREATE POLICY concerns_insert ON concerns FOR INSERT WITH CHECK (
    school_id = haven_school_id() AND logged_by = haven_viewer_id());
CREATE POLICY concerns_update ON concerns FOR UPDATE
    USING (school_id = haven_school_id() AND (haven_handles(route, subject_person_id) OR logged_by = haven_viewer_id()))
    WITH CHECK (school_id = haven_school_id());

CREATE POLICY concern_pupils_select ON concern_pupils FOR SELECT USING (
    school_id = haven_school_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = concern_pupils.school_id AND c.id = concern_pupils.concern_id));
CREATE POLICY concern_pupils_insert ON concern_pupils FOR INSERT WITH CHECK (
    school_id = haven_school_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = concern_pupils.school_id AND c.id = concern_pupils.concern_id
                AND c.logged_by = haven_viewer_id()));

-- The member of staff who logged a concern sees what they wrote and the
-- feedback given to them; nothing else the DSL recorded.
CREATE POLICY chronology_select ON chronology_entries FOR SELECT USING (
    school_id = haven_school_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = chronology_entries.school_id AND c.id = chronology_entries.concern_id
        AND (haven_reads(c.route, c.subject_person_id)
             OR (c.logged_by = haven_viewer_id() AND (chronology_entries.author_id = haven_viewer_id() OR chronology_entries.kind = 'feedback')))));
CREATE POLICY chronology_insert ON chronology_entries FOR INSERT WITH CHECK (
    school_id = haven_school_id() AND author_id = haven_viewer_id()
    AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = chronology_entries.school_id AND c.id = chronology_entries.concern_id
        AND (haven_handles(c.route, c.subject_person_id)
             OR (c.logged_by = haven_viewer_id() AND chronology_entries.kind IN ('concern_logged', 'further_information')))));

CREATE POLICY drafts_own ON concern_drafts FOR ALL
    USING (school_id = haven_school_id() AND person_id = haven_viewer_id())
    WITH CHECK (school_id = haven_school_id() AND person_id = haven_viewer_id());

-- Pupils are the school's roster: visible to its own people only.
ALTER TABLE pupils ENABLE ROW LEVEL SECURITY;
CREATE POLICY pupils_school ON pupils FOR ALL
    USING (school_id = haven_school_id()) WITH CHECK (school_id = haven_school_id());

-- The hash of a concern's newest entry, which a new entry links to. The
-- member of staff who logged a concern may add to it but may not read the
-- DSL's entries, so this runs as the owner; it answers only to those who may
-- add to the concern, and reveals nothing but a hash.
CREATE FUNCTION haven_chain_head(p_school_id bigint, p_concern_id bigint) RETURNS bytea
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT e.hash FROM chronology_entries e
    WHERE e.school_id = p_school_id AND e.concern_id = p_concern_id
      AND EXISTS (SELECT 1 FROM concerns c WHERE c.school_id = p_school_id AND c.id = p_concern_id
                  AND c.school_id = haven_school_id()
                  AND (haven_handles(c.route, c.subject_person_id) OR c.logged_by = haven_viewer_id()))
    ORDER BY e.id DESC LIMIT 1
$$;
REVOKE ALL ON FUNCTION haven_chain_head(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION haven_chain_head(bigint, bigint) TO haven_app;

GRANT SELECT ON categories, cse_indicators TO haven_app;
GRANT SELECT, INSERT ON concerns, concern_pupils, chronology_entries TO haven_app;
-- Only where a concern stands may change; what was logged may not.
GRANT UPDATE (status, assigned_to, acknowledged_at, last_activity_at, feedback_given) ON concerns TO haven_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON concern_drafts TO haven_app;

-- +goose Down
DROP TABLE concern_drafts, chronology_entries, concern_pupils, concerns, cse_indicators, categories;
DROP FUNCTION haven_chain_head, haven_reads, haven_handles, haven_has_role, haven_school_id, haven_viewer_id;

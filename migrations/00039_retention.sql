-- +goose Up

-- Retention (IRMS): a child's child-protection file is kept until their
-- date of birth plus 25 years, then reviewed. A nightly job
-- (haven_list_retention_due in rules/access.sql) lists here the files due
-- for review; the DSL and the principal review them.
CREATE TABLE retention_reviews (
    school_id    bigint NOT NULL,
    pupil_id     bigint NOT NULL,
    retain_until date NOT NULL,
    listed_on    date NOT NULL,
    PRIMARY KEY (school_id, pupil_id),
    FOREIGN KEY (school_id, pupil_id) REFERENCES pupils (school_id, id)
);

-- Destroying a file needs two people: a DSL or deputy and the principal,
-- each agreeing with a reason (safeguarding.DestructionAgreed). Until both
-- have, nothing is destroyed; the rows go with the file.
CREATE TABLE destruction_approvals (
    school_id   bigint NOT NULL,
    pupil_id    bigint NOT NULL,
    person_id   bigint NOT NULL,
    reason      text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    approved_at timestamptz NOT NULL,
    PRIMARY KEY (school_id, pupil_id, person_id),
    FOREIGN KEY (school_id, pupil_id) REFERENCES retention_reviews (school_id, pupil_id),
    FOREIGN KEY (school_id, person_id) REFERENCES people (school_id, id)
);

-- What is left of a destroyed file: that it existed, when it was destroyed
-- and by whom. No pupil, name, date of birth or reason.
CREATE TABLE destroyed_files (
    school_id    bigint NOT NULL REFERENCES schools (id),
    id           bigint GENERATED ALWAYS AS IDENTITY,
    destroyed_at timestamptz NOT NULL,
    proposed_by  bigint NOT NULL,
    confirmed_by bigint NOT NULL,
    PRIMARY KEY (school_id, id),
    FOREIGN KEY (school_id, proposed_by) REFERENCES people (school_id, id),
    FOREIGN KEY (school_id, confirmed_by) REFERENCES people (school_id, id)
);

-- The links of a hash-linked chronology whose entries were destroyed with a
-- file, from a concern that also concerns other pupils and so stays: each
-- destroyed entry's place, previous hash and hash, and nothing of what it
-- said. `haven verify` walks over them, so the chain of what remains still
-- verifies, and removing any other entry is still caught.
CREATE TABLE chronology_gaps (
    school_id         bigint NOT NULL,
    concern_id        bigint NOT NULL,
    entry_id          bigint NOT NULL,
    prev_hash         bytea NOT NULL,
    hash              bytea NOT NULL,
    destroyed_file_id bigint NOT NULL,
    PRIMARY KEY (school_id, concern_id, entry_id),
    FOREIGN KEY (school_id, concern_id) REFERENCES concerns (school_id, id),
    FOREIGN KEY (school_id, destroyed_file_id) REFERENCES destroyed_files (school_id, id)
);

-- The concern as logged (its first entry) of a concern that stays when one
-- of its pupils' files is destroyed, with that pupil taken out of its
-- snapshot. The entry keeps its hash, to which the chain after it links;
-- seal is haven_entry_seal of what it holds now, which `haven verify`
-- checks in place of the hash.
CREATE TABLE chronology_redactions (
    school_id         bigint NOT NULL,
    entry_id          bigint NOT NULL,
    seal              bytea NOT NULL,
    destroyed_file_id bigint NOT NULL,
    PRIMARY KEY (school_id, entry_id),
    FOREIGN KEY (school_id, entry_id) REFERENCES chronology_entries (school_id, id),
    FOREIGN KEY (school_id, destroyed_file_id) REFERENCES destroyed_files (school_id, id)
);

ALTER TABLE chronology_redactions ENABLE ROW LEVEL SECURITY;
ALTER TABLE retention_reviews ENABLE ROW LEVEL SECURITY;
ALTER TABLE destruction_approvals ENABLE ROW LEVEL SECURITY;
ALTER TABLE destroyed_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE chronology_gaps ENABLE ROW LEVEL SECURITY;
-- The listing and the destruction are functions that run as the owner;
-- the app reads, and records its agreement.
GRANT SELECT ON retention_reviews, destroyed_files TO haven_app;
GRANT SELECT, INSERT ON destruction_approvals TO haven_app;

-- +goose Down
DROP TABLE chronology_redactions, chronology_gaps, destroyed_files, destruction_approvals, retention_reviews;

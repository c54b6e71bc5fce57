-- +goose Up

-- Files kept with a concern: a scan of a handwritten note, a letter, a
-- referral form. PDF, PNG or JPEG of at most 10 MB, the type read from the
-- content (safeguarding.CheckAttachment), never from the name. Append-only
-- like the chronology: the app may add and read, never change or delete.
-- Who may read or add one is safeguarding.MaySeeAttachment and
-- MayAttach, enforced again in rules/access.sql.
CREATE TABLE concern_attachments (
    school_id    bigint NOT NULL,
    id           bigint GENERATED ALWAYS AS IDENTITY,
    concern_id   bigint NOT NULL,
    entry_id     bigint,
    file_name    text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 120),
    content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    description  text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    size         integer NOT NULL,
    sha256       bytea NOT NULL CHECK (octet_length(sha256) = 32),
    content      bytea NOT NULL,
    uploaded_by  bigint NOT NULL,
    uploaded_at  timestamptz NOT NULL,
    PRIMARY KEY (school_id, id),
    CHECK (size = octet_length(content) AND size BETWEEN 1 AND 10485760),
    FOREIGN KEY (school_id, concern_id) REFERENCES concerns (school_id, id),
    FOREIGN KEY (school_id, entry_id) REFERENCES chronology_entries (school_id, id),
    FOREIGN KEY (school_id, uploaded_by) REFERENCES people (school_id, id)
);
-- Scans and PDFs are compressed already: store them as they are.
ALTER TABLE concern_attachments ALTER COLUMN content SET STORAGE EXTERNAL;
CREATE INDEX concern_attachments_concern_idx ON concern_attachments (school_id, concern_id, id);
ALTER TABLE concern_attachments ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON concern_attachments TO haven_app;

-- +goose Down
DROP TABLE concern_attachments;

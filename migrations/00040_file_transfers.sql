-- +goose Up

-- Transfer of a child-protection file between schools (docs/transfer.md,
-- docs/transfer-bundle.md). Who may do any of it is
-- safeguarding.MayTransferFiles (the DSL and deputies), enforced again in
-- rules/access.sql.

-- The school's transfer keys, made the first time the DSL needs them: an
-- Ed25519 key pair that signs the bundles the school sends and the receipts
-- it gives, and an age (X25519) identity that opens the bundles sent to it.
-- The private parts never leave this table except into the transfer
-- actions; backing up the database backs them up.
CREATE TABLE school_keys (
    school_id       bigint PRIMARY KEY REFERENCES schools (id),
    signing_public  bytea NOT NULL CHECK (length(signing_public) = 32),
    signing_seed    bytea NOT NULL CHECK (length(signing_seed) = 32),
    age_recipient   text NOT NULL CHECK (age_recipient LIKE 'age1%'),
    age_identity    text NOT NULL CHECK (age_identity LIKE 'AGE-SECRET-KEY-1%'),
    created_at      timestamptz NOT NULL,
    created_by      bigint NOT NULL,
    FOREIGN KEY (school_id, created_by) REFERENCES people (school_id, id)
);
ALTER TABLE school_keys ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON school_keys TO haven_app;

-- The sending side: for a pupil who left, the file sent (a bundle made for
-- a receiving school) or recorded as not needed, with the reason. A sent
-- bundle carries receipt_nonce, which only its reader can learn; a receipt
-- that returns it is confirmed (receipt_confirmed_at).
CREATE TABLE file_transfers (
    school_id            bigint NOT NULL REFERENCES schools (id),
    id                   bigint GENERATED ALWAYS AS IDENTITY,
    pupil_id             bigint NOT NULL,
    outcome              text NOT NULL CHECK (outcome IN ('sent', 'not_needed')),
    to_school            text NOT NULL DEFAULT '' CHECK (length(to_school) <= 200),
    to_recipient         text NOT NULL DEFAULT '',
    reason               text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    bundle_id            uuid UNIQUE,
    receipt_nonce        bytea,
    bundle               bytea, -- the file as sent: encrypted, readable only by the receiving school
    recorded_at          timestamptz NOT NULL,
    recorded_by          bigint NOT NULL,
    receipt_confirmed_at timestamptz,
    receipt_school       text NOT NULL DEFAULT '',
    receipt_key          bytea,
    PRIMARY KEY (school_id, id),
    CHECK (outcome = 'sent' AND bundle_id IS NOT NULL AND receipt_nonce IS NOT NULL AND bundle IS NOT NULL AND to_recipient <> ''
        OR outcome = 'not_needed' AND reason <> ''),
    FOREIGN KEY (school_id, pupil_id) REFERENCES pupils (school_id, id),
    FOREIGN KEY (school_id, recorded_by) REFERENCES people (school_id, id)
);
CREATE INDEX file_transfers_pupil_idx ON file_transfers (school_id, pupil_id);
ALTER TABLE file_transfers ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON file_transfers TO haven_app;
GRANT UPDATE (receipt_confirmed_at, receipt_school, receipt_key) ON file_transfers TO haven_app;

-- The receiving side: a file another school sent, as its bundle held it
-- (contents, the signed bundle's JSON), read-only: the app may never change
-- it, only record that its receipt was confirmed and the receipt given.
CREATE TABLE received_files (
    school_id     bigint NOT NULL REFERENCES schools (id),
    id            bigint GENERATED ALWAYS AS IDENTITY,
    pupil_id      bigint NOT NULL,
    bundle_id     uuid NOT NULL,
    from_school   text NOT NULL CHECK (from_school <> ''),
    sender_key    bytea NOT NULL CHECK (length(sender_key) = 32),
    version       int NOT NULL,
    contents      jsonb NOT NULL,
    received_at   timestamptz NOT NULL,
    received_by   bigint NOT NULL,
    confirmed_at  timestamptz,
    confirmed_by  bigint,
    receipt       text NOT NULL DEFAULT '',
    PRIMARY KEY (school_id, id),
    UNIQUE (school_id, bundle_id),
    FOREIGN KEY (school_id, pupil_id) REFERENCES pupils (school_id, id),
    FOREIGN KEY (school_id, received_by) REFERENCES people (school_id, id)
);
CREATE INDEX received_files_pupil_idx ON received_files (school_id, pupil_id);
ALTER TABLE received_files ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON received_files TO haven_app;
GRANT UPDATE (confirmed_at, confirmed_by, receipt) ON received_files TO haven_app;

-- +goose Down
DROP TABLE received_files, file_transfers, school_keys;

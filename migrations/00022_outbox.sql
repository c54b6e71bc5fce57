-- +goose Up

-- The outbox: each e-mail Haven would have sent when SMTP_URL is unset
-- (development, a trial), kept so that whoever tries Haven can read it, and
-- follow its link, on the administrator's Outbox page. With SMTP_URL set
-- nothing is written here. Who may read it is safeguarding.MayReadOutbox,
-- enforced again in rules/access.sql.
CREATE TABLE outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id  bigint NOT NULL REFERENCES schools (id),
    recipient  text NOT NULL,
    subject    text NOT NULL,
    body       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_school_newest ON outbox (school_id, created_at DESC, id DESC);
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON outbox TO haven_app;

-- +goose Down
DROP TABLE outbox;

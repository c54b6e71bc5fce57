-- +goose Up

-- The application role. The app connects as the migrating (owner) user and
-- switches to haven_app on every connection, so row-level security applies
-- and the privileges below are all it has. Roles are cluster-wide, so the
-- creation tolerates a concurrent creator (parallel test templates).
-- +goose StatementBegin
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'haven_app') THEN
    BEGIN
      CREATE ROLE haven_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
END
$$;
-- +goose StatementEnd
GRANT haven_app TO CURRENT_USER;

CREATE TABLE schools (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL CHECK (name <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A person who signs in: a member of staff, a governor, an administrator.
CREATE TABLE people (
    school_id     bigint NOT NULL REFERENCES schools (id),
    id            bigint GENERATED ALWAYS AS IDENTITY,
    email         text NOT NULL CHECK (email = lower(email) AND email <> ''),
    full_name     text NOT NULL CHECK (full_name <> ''),
    job_title     text NOT NULL DEFAULT '',
    password_hash text NOT NULL DEFAULT '',
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (school_id, id)
);
-- Sign-in finds a person by e-mail before the school is known, so e-mail is
-- unique across the deployment: the one index that does not lead with school_id.
CREATE UNIQUE INDEX people_email_key ON people (email);
CREATE UNIQUE INDEX people_id_key ON people (id);

CREATE TABLE person_roles (
    school_id bigint NOT NULL,
    person_id bigint NOT NULL,
    role      text NOT NULL CHECK (role IN ('staff', 'dsl', 'deputy_dsl', 'principal', 'chair', 'governor', 'admin')),
    PRIMARY KEY (school_id, person_id, role),
    FOREIGN KEY (school_id, person_id) REFERENCES people (school_id, id)
);

CREATE TABLE pupils (
    school_id     bigint NOT NULL REFERENCES schools (id),
    id            bigint GENERATED ALWAYS AS IDENTITY,
    first_name    text NOT NULL CHECK (first_name <> ''),
    last_name     text NOT NULL CHECK (last_name <> ''),
    year_group    smallint NOT NULL CHECK (year_group BETWEEN 1 AND 14),
    date_of_birth date NOT NULL,
    active        boolean NOT NULL DEFAULT true,
    PRIMARY KEY (school_id, id)
);
CREATE INDEX pupils_name_idx ON pupils (school_id, lower(last_name), lower(first_name));
CREATE INDEX pupils_year_idx ON pupils (school_id, year_group);

-- Failed sign-ins per e-mail address, for the lock-out. Kept in PostgreSQL so
-- the lock-out holds across restarts and app servers.
CREATE TABLE sign_in_failures (
    email     text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX sign_in_failures_email_idx ON sign_in_failures (email, failed_at);

-- Append-only: the app role may insert and read, never update or delete.
CREATE TABLE audit_log (
    id        bigint GENERATED ALWAYS AS IDENTITY,
    school_id bigint,            -- null for a failed sign-in with an unknown e-mail
    at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_id  bigint,            -- the person, when known
    action    text NOT NULL,     -- sign_in, sign_in_failed, sign_out, view_concern, …
    object    text NOT NULL DEFAULT '',
    address   text NOT NULL DEFAULT '',
    detail    text NOT NULL DEFAULT '',
    PRIMARY KEY (id)
);
CREATE INDEX audit_log_school_at_idx ON audit_log (school_id, at);

-- scs sessions (github.com/alexedwards/scs/pgxstore).
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

GRANT SELECT ON schools, people, person_roles, pupils TO haven_app;
GRANT INSERT ON schools, people, person_roles, pupils TO haven_app;
GRANT UPDATE (full_name, job_title, password_hash, active) ON people TO haven_app;
GRANT SELECT, INSERT, DELETE ON sign_in_failures TO haven_app;
GRANT SELECT, INSERT ON audit_log TO haven_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO haven_app;

-- +goose Down
DROP TABLE sessions, audit_log, sign_in_failures, pupils, person_roles, people, schools;

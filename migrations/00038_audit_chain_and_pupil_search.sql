-- +goose Up

-- The audit log, hash-linked like the chronology (docs/audit-log.md), and
-- a pupil search column.
--
-- Each school's audit rows form one chain (rows with no school, failed
-- sign-ins with an unknown address, form the chain of school 0):
--   chain_seq  the row's place in its school's chain, from 1
--   prev_hash  the hash of the row before it ('' for the first)
--   hash       haven_audit_hash over prev_hash and the row's content;
--              internal/safeguarding.AuditHash computes the same in Go,
--              and `haven verify` recomputes every one.
-- audit_chain_heads holds each chain's last seq and hash, so that removing
-- the newest rows is caught too.
--
-- Linking at commit, not at insert. The audit log is written on almost
-- every request (sign-ins, every view of a concern, a child's file or the
-- queue), so a chain head locked at the insert and held until commit would
-- queue every request of a school behind the slowest transaction in
-- flight. Instead the insert leaves the three columns null and a deferred
-- constraint trigger links the row as its transaction commits: the head is
-- locked only for the trigger and the commit itself, whatever else the
-- transaction does. The chain's order is therefore the order of commits
-- (chain_seq), which may differ from id order. Every committed row is
-- linked, because the trigger runs inside the transaction it belongs to:
-- if linking fails, the transaction (and its audit row) fails with it.
ALTER TABLE audit_log
    ADD COLUMN chain_seq bigint,
    ADD COLUMN prev_hash bytea,
    ADD COLUMN hash bytea;

CREATE TABLE audit_chain_heads (
    school_id bigint PRIMARY KEY, -- 0 for rows with no school
    seq       bigint NOT NULL,
    hash      bytea NOT NULL
);

-- The hash of one audit row: SHA-256 over length-prefixed fields, numbers
-- as 8 big-endian bytes, the time as microseconds since 1970 (the same
-- framing as the chronology's safeguarding.ChainHash).
-- +goose StatementBegin
CREATE FUNCTION haven_audit_hash(p_prev bytea, p_school_id bigint, p_id bigint, p_at timestamptz,
    p_actor_id bigint, p_action text, p_object text, p_address text, p_detail text) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sha256(
        int8send(octet_length(p_prev)) || p_prev
        || '\x0000000000000008'::bytea || int8send(coalesce(p_school_id, 0))
        || '\x0000000000000008'::bytea || int8send(p_id)
        || '\x0000000000000008'::bytea || int8send((extract(epoch FROM p_at) * 1000000)::bigint)
        || '\x0000000000000008'::bytea || int8send(coalesce(p_actor_id, 0))
        || int8send(octet_length(convert_to(p_action, 'UTF8'))) || convert_to(p_action, 'UTF8')
        || int8send(octet_length(convert_to(p_object, 'UTF8'))) || convert_to(p_object, 'UTF8')
        || int8send(octet_length(convert_to(p_address, 'UTF8'))) || convert_to(p_address, 'UTF8')
        || int8send(octet_length(convert_to(p_detail, 'UTF8'))) || convert_to(p_detail, 'UTF8'))
$$;
-- +goose StatementEnd

-- Link the rows written before this migration, in id order (they were
-- written one transaction at a time before, so id order is their order).
-- +goose StatementBegin
DO $$
DECLARE
    r record;
    cur_school bigint := -1;
    seq bigint;
    prev bytea;
    h bytea;
BEGIN
    FOR r IN SELECT * FROM audit_log ORDER BY coalesce(school_id, 0), id LOOP
        IF coalesce(r.school_id, 0) <> cur_school THEN
            IF cur_school >= 0 THEN
                INSERT INTO audit_chain_heads VALUES (cur_school, seq, prev);
            END IF;
            cur_school := coalesce(r.school_id, 0);
            seq := 0;
            prev := '\x'::bytea;
        END IF;
        seq := seq + 1;
        h := haven_audit_hash(prev, r.school_id, r.id, r.at, r.actor_id, r.action, r.object, r.address, r.detail);
        UPDATE audit_log SET chain_seq = seq, prev_hash = prev, hash = h WHERE id = r.id;
        prev := h;
    END LOOP;
    IF cur_school >= 0 THEN
        INSERT INTO audit_chain_heads VALUES (cur_school, seq, prev);
    END IF;
END
$$;
-- +goose StatementEnd

-- The trigger runs as the owner (SECURITY DEFINER): the app role may only
-- insert audit rows, never update them, and never touch the heads.
-- +goose StatementBegin
CREATE FUNCTION haven_audit_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    k bigint := coalesce(NEW.school_id, 0);
    s bigint;
    p bytea;
    h bytea;
BEGIN
    SELECT seq, hash INTO s, p FROM audit_chain_heads WHERE school_id = k FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO audit_chain_heads VALUES (k, 0, '\x'::bytea) ON CONFLICT DO NOTHING;
        SELECT seq, hash INTO s, p FROM audit_chain_heads WHERE school_id = k FOR UPDATE;
    END IF;
    h := haven_audit_hash(p, NEW.school_id, NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.object, NEW.address, NEW.detail);
    UPDATE audit_log SET chain_seq = s + 1, prev_hash = p, hash = h WHERE id = NEW.id;
    UPDATE audit_chain_heads SET seq = s + 1, hash = h WHERE school_id = k;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION haven_audit_link() FROM PUBLIC;

CREATE CONSTRAINT TRIGGER audit_log_link AFTER INSERT ON audit_log
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION haven_audit_link();

-- The pupil search (docs/search.md): legal and preferred names, folded by
-- haven_fold (lower case, accents off, apostrophes and full stops dropped,
-- any other run of marks a space), between spaces so that a word's start
-- is ' word'. The accented capitals are mapped as well as the small
-- letters, since lower() leaves them alone under the C locale.
-- Generated, so that every way a pupil is written keeps it right.
-- +goose StatementBegin
CREATE FUNCTION haven_fold(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT btrim(regexp_replace(regexp_replace(
        translate(lower(p),
            'àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżžðþÀÁÂÃÄÅĀĂĄÇĆĈĊČĎĐÈÉÊËĒĔĖĘĚĜĞĠĢĤĦÌÍÎÏĨĪĬĮIĴĶĹĻĽĿŁÑŃŅŇÒÓÔÕÖØŌŎŐŔŖŘŚŜŞŠŢŤŦÙÚÛÜŨŪŬŮŰŲŴÝŸŶŹŻŽÐÞ',
            'aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssstttuuuuuuuuuuwyyyzzzdtaaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssstttuuuuuuuuuuwyyyzzzdt'),
        '[''’`‘\.]', '', 'g'), '[^a-z0-9ßæœ]+', ' ', 'g'))
$$;
-- +goose StatementEnd

ALTER TABLE pupils ADD COLUMN search_key text GENERATED ALWAYS AS (
    ' ' || haven_fold(first_name || ' ' || last_name || ' ' || preferred_first_name || ' ' || preferred_last_name) || ' ') STORED;
-- No index of its own: a search reads one school's pupils (a few thousand
-- short strings) along the primary key (school_id, id).

-- +goose Down
ALTER TABLE pupils DROP COLUMN search_key;
DROP FUNCTION haven_fold(text);
DROP TRIGGER audit_log_link ON audit_log;
DROP FUNCTION haven_audit_link();
DROP FUNCTION haven_audit_hash(bytea, bigint, bigint, timestamptz, bigint, text, text, text, text);
DROP TABLE audit_chain_heads;
ALTER TABLE audit_log DROP COLUMN chain_seq, DROP COLUMN prev_hash, DROP COLUMN hash;

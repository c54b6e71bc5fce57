-- +goose Up

-- A received file keeps the bundle exactly as its signature was checked on
-- import: the signed JSON's bytes and the Ed25519 signature over them
-- (docs/transfer-bundle.md), beside the sender key already kept. Years
-- later `haven verify` checks the signature again and that contents is
-- what the signed bytes say, so anyone can show that what Haven holds is
-- what the sending school signed. The age-encrypted file itself is not
-- kept: only this school could open it, once.
--
-- Append-only: haven_app keeps only its column grant to UPDATE the
-- receipt (migration 00040), never these. Files imported before this
-- migration have neither and are reported as not kept.
ALTER TABLE received_files
    ADD COLUMN signed_bundle bytea,
    ADD COLUMN signature bytea CHECK (length(signature) = 64),
    ADD CONSTRAINT received_files_signed_check CHECK ((signed_bundle IS NULL) = (signature IS NULL));

-- +goose Down
ALTER TABLE received_files
    DROP CONSTRAINT received_files_signed_check,
    DROP COLUMN signature,
    DROP COLUMN signed_bundle;

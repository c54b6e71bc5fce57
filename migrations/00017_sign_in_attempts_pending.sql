-- +goose Up

-- An attempt is written before its password is checked, so that a burst of
-- simultaneous guesses meets the guess limit; it is settled once the
-- password proved wrong (and deleted if it was right). Only settled failures
-- slow an account or an address: staff behind one school address signing
-- in at the same moment do not hold each other back.
ALTER TABLE sign_in_failures ADD COLUMN settled boolean NOT NULL DEFAULT true;
GRANT UPDATE (settled) ON sign_in_failures TO haven_app;

-- +goose Down
ALTER TABLE sign_in_failures DROP COLUMN settled;

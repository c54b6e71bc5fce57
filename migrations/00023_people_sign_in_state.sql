-- +goose Up

-- What administration and two-factor sign-in need to know of each person:
--   last_sign_in_at   when they last signed in (the administrator's people list);
--   second_factor_at  when they enrolled a second factor (TOTP); null while
--                     they have none, and again after an administrator resets it;
--   sessions_since    sessions begun before this time are over: set when the
--                     password changes or is reset, and when the person is
--                     deactivated, so every other browser is signed out at its
--                     next request.
ALTER TABLE people ADD COLUMN last_sign_in_at timestamptz;
ALTER TABLE people ADD COLUMN second_factor_at timestamptz;
ALTER TABLE people ADD COLUMN sessions_since timestamptz NOT NULL DEFAULT '-infinity';
GRANT UPDATE (last_sign_in_at, second_factor_at, sessions_since) ON people TO haven_app;

-- +goose Down
ALTER TABLE people DROP COLUMN sessions_since, DROP COLUMN second_factor_at, DROP COLUMN last_sign_in_at;

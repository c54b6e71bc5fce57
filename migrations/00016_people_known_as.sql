-- +goose Up

-- The name a person goes by, when it is not their full name's first
-- ("Pat" for Patricia, "Bob Smith"): a concern about "another adult" typed
-- with it is recognised as one about that member of staff
-- (safeguarding.StaffMatches). Empty when they go by their full name.
ALTER TABLE people ADD COLUMN known_as text NOT NULL DEFAULT '';
GRANT UPDATE (known_as) ON people TO haven_app;

-- +goose Down
REVOKE UPDATE (known_as) ON people FROM haven_app;
ALTER TABLE people DROP COLUMN known_as;

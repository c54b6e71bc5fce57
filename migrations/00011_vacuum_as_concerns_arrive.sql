-- +goose Up

-- Vacuum the tables that concerns add to as they fill, not once they have
-- grown by a fifth.
--
-- The queue, the child's page and My concerns read index-only: row-level
-- security's columns travel in the indexes (00007). An index-only read
-- still visits the table for a row on a page that vacuum has not yet marked
-- all-visible, and new concerns are exactly those rows: the open concerns
-- heading every queue. By default autovacuum waits for inserts of 20% of a
-- table: 200,000 concerns in a trust of a million, months of them. These
-- tables are vacuumed after every thousand or so rows instead, which visits
-- only the pages changed since the last vacuum.
ALTER TABLE concerns SET (autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 1000,
    autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE concern_pupils SET (autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 1000);
ALTER TABLE chronology_entries SET (autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000);

-- +goose Down
ALTER TABLE concerns RESET (autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold,
    autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor);
ALTER TABLE concern_pupils RESET (autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold);
ALTER TABLE chronology_entries RESET (autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold);

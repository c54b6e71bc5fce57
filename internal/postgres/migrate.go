package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/havenapp/haven/migrations"
)

// Migrate applies every pending migration to the database at connString,
// connecting as that (owner) user rather than as the application role:
// Haven's own, then River's (the job queue's tables), then the grants that
// let the application role work the queue.
func Migrate(ctx context.Context, connString string) error {
	db, err := sql.Open("pgx", connString)
	if err != nil {
		return fmt.Errorf("open database for migration: %w", err)
	}
	defer db.Close()
	if err := MigrateDB(ctx, db); err != nil {
		return err
	}
	return migrateRiver(ctx, connString)
}

// riverGrants gives haven_app what River's clients do: insert, fetch,
// complete and clean up jobs, elect a leader and keep queue and notification
// rows. River's functions and types are usable by any role already.
const riverGrants = `DO $$
DECLARE t text;
BEGIN
	FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'river\_%' LOOP
		EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO haven_app', t);
	END LOOP;
	FOR t IN SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() AND sequencename LIKE 'river\_%' LOOP
		EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %I TO haven_app', t);
	END LOOP;
END $$`

func migrateRiver(ctx context.Context, connString string) error {
	pool, err := pgxpool.New(ctx, connString)
	if err != nil {
		return fmt.Errorf("open database for River's migrations: %w", err)
	}
	defer pool.Close()
	migrator, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("load River's migrations: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("apply River's migrations: %w", err)
	}
	if _, err := pool.Exec(ctx, riverGrants); err != nil {
		return fmt.Errorf("grant River's tables: %w", err)
	}
	return nil
}

// MigrateDB applies every pending migration through db.
func MigrateDB(ctx context.Context, db *sql.DB) error {
	provider, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}

var _ = stdlib.GetDefaultDriver // registers the "pgx" database/sql driver

// RiverMigrationVersion is the last of River's migrations that Migrate
// applies: with the migration files, it identifies the schema (pgtest names
// its template databases by both).
func RiverMigrationVersion() int {
	migrator, err := rivermigrate.New(riverpgxv5.New(nil), nil)
	if err != nil {
		panic("load River's migrations: " + err.Error())
	}
	all := migrator.AllVersions()
	return all[len(all)-1].Version
}

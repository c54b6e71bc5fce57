package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"

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
	return applyRules(ctx, db, migrations.AccessRules)
}

// applyRules applies the rules file name whole, in one transaction, unless
// the database already holds this very copy of it (by its SHA-256): the
// file drops everything it defines and defines it again, so a changed rule
// replaces the old one entirely.
func applyRules(ctx context.Context, db *sql.DB, name string) error {
	text, err := fs.ReadFile(migrations.FS, name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	sum := sha256.Sum256(text)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// One migrator at a time: a second waits here, then finds the copy applied.
	if _, err := tx.ExecContext(ctx, `LOCK TABLE haven_rules_applied IN EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("lock %s: %w", name, err)
	}
	var applied []byte
	err = tx.QueryRowContext(ctx, `SELECT sha256 FROM haven_rules_applied WHERE name = $1`, name).Scan(&applied)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read applied rules: %w", err)
	}
	if bytes.Equal(applied, sum[:]) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(text)); err != nil {
		return fmt.Errorf("apply %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO haven_rules_applied (name, sha256) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET sha256 = excluded.sha256, applied_at = now()`, name, sum[:]); err != nil {
		return fmt.Errorf("record %s: %w", name, err)
	}
	return tx.Commit()
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

package postgres_test

import (
	"context"
	"crypto/rand"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
)

func TestMigrationsApplyToAnEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	// A database made from template0, not from the migrated template.
	conn, err := pgx.Connect(ctx, pgtest.AdminConnString(t, "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := "haven_empty_" + strings.ToLower(rand.Text()[:12])
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE template0`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Exec(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	target := pgtest.AdminConnString(t, name)
	if err := postgres.Migrate(ctx, target); err != nil {
		t.Fatalf("first migration: %v", err)
	}
	if err := postgres.Migrate(ctx, target); err != nil {
		t.Fatalf("migrating again must change nothing: %v", err)
	}
	db, err := pgx.Connect(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	var indicators, categories int
	if err := db.QueryRow(ctx, `SELECT (SELECT count(*) FROM cse_indicators), (SELECT count(*) FROM categories)`).Scan(&indicators, &categories); err != nil {
		t.Fatal(err)
	}
	if indicators != 26 || categories != 15 {
		t.Errorf("reference data: %d indicators (policy §5.2 has 26), %d categories (15)", indicators, categories)
	}
	for _, table := range []string{"schools", "people", "person_roles", "pupils", "audit_log", "sessions", "concerns", "chronology_entries"} {
		var exists bool
		if err := db.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&exists); err != nil || !exists {
			t.Errorf("table %s missing after migration (%v)", table, err)
		}
	}
	// The tables concerns add to are vacuumed as they fill (00011), so that
	// new concerns are soon read index-only.
	for _, table := range []string{"concerns", "concern_pupils", "chronology_entries"} {
		var opts []string
		if err := db.QueryRow(ctx, `SELECT coalesce(reloptions, '{}') FROM pg_class WHERE oid = $1::regclass`, table).Scan(&opts); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(opts, "autovacuum_vacuum_insert_scale_factor=0") {
			t.Errorf("table %s is vacuumed only after inserts of a fifth of its rows: options %v", table, opts)
		}
	}
}

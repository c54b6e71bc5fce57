// Package migrations holds Haven's schema as numbered SQL files, embedded in
// the binary and applied by goose (see internal/postgres.Migrate).
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS

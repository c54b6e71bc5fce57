// Package migrations holds Haven's schema: numbered SQL files, embedded in
// the binary and applied by goose, and the access rule's one home,
// rules/access.sql, applied whole after them (see internal/postgres.Migrate).
package migrations

import "embed"

// FS holds every migration file, and the rules under rules/.
//
//go:embed *.sql rules/*.sql
var FS embed.FS

// AccessRules is the file that defines row-level security whole: its
// functions, triggers and policies.
const AccessRules = "rules/access.sql"

package postgres

import (
	"time"

	"github.com/alexedwards/scs/pgxstore"
)

// SessionStore returns the store of the web front's sessions (the sessions
// table), which deletes expired sessions every cleanupInterval; 0 leaves
// them to be deleted by another.
func (db *DB) SessionStore(cleanupInterval time.Duration) *pgxstore.PostgresStore {
	return pgxstore.NewWithCleanupInterval(db.pool, cleanupInterval)
}

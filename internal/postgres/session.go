package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ExpiredSessionsKept is how long a session's row outlives its expiry: long
// enough for a form posted after a long pause to be kept for the person
// whose session it was (SessionStore.Expired); the row never signs anyone
// in again.
const ExpiredSessionsKept = 12 * time.Hour

// SessionStore keeps the web front's sessions (scs's store) in the sessions
// table under the SHA-256 of each token, never the token itself, so that a
// copy of the table signs nobody in.
type SessionStore struct {
	pool *pgxpool.Pool
}

// SessionStore returns the store of the web front's sessions, which deletes
// sessions expired more than ExpiredSessionsKept ago every cleanupInterval;
// 0 leaves them to be deleted by another.
func (db *DB) SessionStore(cleanupInterval time.Duration) *SessionStore {
	s := &SessionStore{pool: db.pool}
	if cleanupInterval > 0 {
		go s.cleanUp(cleanupInterval)
	}
	return s
}

// sessionKey is what the sessions table holds in place of token.
func sessionKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Find returns the data of token's session, unless it has expired.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	var b []byte
	err := s.pool.QueryRow(context.Background(),
		`SELECT data FROM sessions WHERE token = $1 AND current_timestamp < expiry`, sessionKey(token)).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return b, true, nil
}

// Expired returns the data of token's session if it has expired, no more
// than ExpiredSessionsKept ago.
func (s *SessionStore) Expired(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM sessions WHERE token = $1
		AND expiry <= current_timestamp AND expiry > current_timestamp - $2 * interval '1 second'`,
		sessionKey(token), int64(ExpiredSessionsKept/time.Second)).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find expired session: %w", err)
	}
	return b, true, nil
}

// Commit stores token's session with its expiry.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	_, err := s.pool.Exec(context.Background(), `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, sessionKey(token), b, expiry)
	if err != nil {
		return fmt.Errorf("store session: %w", err)
	}
	return nil
}

// Delete deletes token's session, expired or not.
func (s *SessionStore) Delete(token string) error {
	if _, err := s.pool.Exec(context.Background(), `DELETE FROM sessions WHERE token = $1`, sessionKey(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// All returns every live session's data, by the hash of its token (the
// tokens themselves are not kept).
func (s *SessionStore) All() (map[string][]byte, error) {
	rows, err := s.pool.Query(context.Background(), `SELECT token, data FROM sessions WHERE current_timestamp < expiry`)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	all := make(map[string][]byte)
	for rows.Next() {
		var key string
		var b []byte
		if err := rows.Scan(&key, &b); err != nil {
			return nil, fmt.Errorf("list sessions: %w", err)
		}
		all[key] = b
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	return all, nil
}

func (s *SessionStore) cleanUp(interval time.Duration) {
	for range time.Tick(interval) {
		_, err := s.pool.Exec(context.Background(), `DELETE FROM sessions WHERE expiry < current_timestamp - $1 * interval '1 second'`,
			int64(ExpiredSessionsKept/time.Second))
		if err != nil {
			slog.Warn("delete expired sessions", "err", err)
		}
	}
}

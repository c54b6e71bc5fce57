package httpserver

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
)

const (
	// touchInterval is how much later a session's stored expiry must move
	// before an unchanged session is written again.
	touchInterval = time.Minute
	// sweepInterval is how often, at most, sessionStore forgets the tokens
	// whose expiry has passed.
	sweepInterval = time.Minute
	// maxRememberedSessions bounds sessionStore's memory; past it, commits
	// go through to the database unremembered.
	maxRememberedSessions = 100_000
)

// SessionStore is where sessions are kept (internal/postgres.SessionStore):
// scs's store, which also finds a session for a while after it expired, so
// that a form posted as it ended can be kept for the person it belonged to.
type SessionStore interface {
	scs.Store
	// Expired returns the data of token's session if it has expired
	// recently; such a session never signs anyone in again.
	Expired(ctx context.Context, token string) ([]byte, bool, error)
}

// sessionStore is the session store (PostgreSQL's, as cmd/haven wires it)
// storing only sessions with someone signed in, and without a write on
// every page.
//
// A session holding no person, signed in or half-way through signing in
// (their password right, their code to come), is never stored: a signed-out
// visitor, or anyone posting without a session, cannot make Haven keep
// anything (what the sign-in page needs travels in its address instead).
// Committing such a session deletes its row, if it had one.
//
// With an idle timeout, scs commits every session it loads, to move
// its expiry on; sessionStore skips that commit when the token's data is
// byte-identical to what this process last committed or found for it and
// the new expiry is less than touchInterval later than the one this process
// last wrote. Anything else, and every Find and Delete, goes to the
// database, so a session ended by another process stays ended. A session
// holding several values is mostly written anyway, as gob encodes a map in
// no fixed order; a signed-in session between pages holds one.
//
// The trade-off: the stored expiry lags by up to touchInterval, so a session
// left idle can end up to a minute short of its idle timeout. The absolute
// lifetime is the deadline inside the data, which a skip never changes.
type sessionStore struct {
	db    SessionStore // the store of record
	now   func() time.Time
	limit int // most tokens remembered

	mu       sync.Mutex
	sessions map[string]storedSession // by token
	swept    time.Time
}

var _ interface {
	scs.Store
	scs.IterableStore
} = (*sessionStore)(nil)

// storedSession is what this process knows of a session's row: its data's
// hash, and the expiry it last wrote.
type storedSession struct {
	data   [sha256.Size]byte
	expiry time.Time
}

func newSessionStore(db SessionStore) *sessionStore {
	return &sessionStore{
		db:       db,
		now:      time.Now,
		limit:    maxRememberedSessions,
		sessions: make(map[string]storedSession),
	}
}

// Find reads the session from the database. The data found replaces the
// hash remembered for a token this process has written, so that a commit
// after another process changed the session is skipped only when unchanged
// from what the row holds.
func (s *sessionStore) Find(token string) ([]byte, bool, error) {
	b, found, err := s.db.Find(token)
	if err != nil {
		return nil, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !found {
		delete(s.sessions, token)
		return nil, false, nil
	}
	if stored, ok := s.sessions[token]; ok {
		stored.data = sha256.Sum256(b)
		s.sessions[token] = stored
	}
	return b, true, nil
}

// Commit writes the session unless the write would change nothing but an
// expiry less than touchInterval later. A session with nobody signed in is
// deleted rather than written.
func (s *sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	if !holdsPerson(b) {
		return s.Delete(token)
	}
	data := sha256.Sum256(b)
	s.mu.Lock()
	s.sweep()
	stored, ok := s.sessions[token]
	s.mu.Unlock()
	if ok && stored.data == data && !expiry.Before(stored.expiry) && expiry.Sub(stored.expiry) < touchInterval {
		return nil
	}

	err := s.db.Commit(token, b, expiry)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		delete(s.sessions, token) // what the row holds is unknown
		return err
	}
	if _, known := s.sessions[token]; known || len(s.sessions) < s.limit {
		s.sessions[token] = storedSession{data: data, expiry: expiry}
	}
	return nil
}

// Delete forgets the token and deletes its session.
func (s *sessionStore) Delete(token string) error {
	s.mu.Lock()
	delete(s.sessions, token)
	s.mu.Unlock()
	return s.db.Delete(token)
}

// Expired returns the data of token's session if it expired recently.
func (s *sessionStore) Expired(ctx context.Context, token string) ([]byte, bool, error) {
	return s.db.Expired(ctx, token)
}

// holdsPerson reports whether a session's data holds a signed-in person,
// or one whose code it waits for (signin_code.go).
func holdsPerson(b []byte) bool {
	_, values, err := sessionCodec{}.Decode(b)
	if err != nil {
		return false
	}
	id, _ := values[sessionPersonID].(int64)
	pending, _ := values[sessionPendingPersonID].(int64)
	return id != 0 || pending != 0
}

// All returns every live session, read from the database.
func (s *sessionStore) All() (map[string][]byte, error) {
	all, ok := s.db.(scs.IterableStore)
	if !ok {
		return nil, errors.New("the session store cannot list its sessions")
	}
	return all.All()
}

// sweep forgets the tokens whose expiry has passed, at most once every
// sweepInterval. The caller holds s.mu.
func (s *sessionStore) sweep() {
	now := s.now()
	if now.Sub(s.swept) < sweepInterval {
		return
	}
	s.swept = now
	for token, stored := range s.sessions {
		if !now.Before(stored.expiry) {
			delete(s.sessions, token)
		}
	}
}

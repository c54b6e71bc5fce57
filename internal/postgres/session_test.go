package postgres_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/postgres"
)

func TestSessionStore(t *testing.T) {
	s := newTestDB(t)
	store := s.db.SessionStore(0)
	const token = "a-session-token-as-scs-makes-them-43-chars"
	data := []byte(`{"values":{}}`)

	if err := store.Commit(token, data, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := s.owner.QueryRow(t.Context(), `SELECT token FROM sessions`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(token))
	if stored != hex.EncodeToString(sum[:]) {
		t.Errorf("the sessions table holds %q, want the token's SHA-256", stored)
	}
	if b, found, err := store.Find(token); err != nil || !found || !bytes.Equal(b, data) {
		t.Errorf("Find: %q, %t, %v", b, found, err)
	}
	if _, found, err := store.Find(stored); err != nil || found {
		t.Errorf("Find by the stored hash: found %t, %v; want nothing", found, err)
	}
	if _, found, err := store.Expired(t.Context(), token); err != nil || found {
		t.Errorf("Expired found a live session (%t, %v)", found, err)
	}

	t.Run("Expired", func(t *testing.T) {
		for _, tc := range []struct {
			ago   time.Duration
			found bool
		}{
			{time.Minute, true},
			{postgres.ExpiredSessionsKept - time.Minute, true},
			{postgres.ExpiredSessionsKept + time.Minute, false},
		} {
			if err := store.Commit(token, data, time.Now().Add(-tc.ago)); err != nil {
				t.Fatal(err)
			}
			if _, found, err := store.Find(token); err != nil || found {
				t.Errorf("expired %s ago: Find found it (%t, %v)", tc.ago, found, err)
			}
			b, found, err := store.Expired(t.Context(), token)
			if err != nil || found != tc.found || (found && !bytes.Equal(b, data)) {
				t.Errorf("expired %s ago: Expired = %q, %t, %v; want found %t", tc.ago, b, found, err, tc.found)
			}
		}
	})

	t.Run("Delete", func(t *testing.T) {
		if err := store.Delete(token); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.owner.QueryRow(t.Context(), `SELECT count(*) FROM sessions`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d rows after Delete (%v)", n, err)
		}
	})
}

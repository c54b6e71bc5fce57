package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

const (
	demoPassword = "test-demo-password"
	newPassword  = "a kettle of fish at dawn"
)

// resetRequests records the reset e-mails a store enqueues, as the job
// queue would get them.
type resetRequests struct {
	mu   sync.Mutex
	jobs [][3]int64 // school, person, reset request
}

func (q *resetRequests) enqueue(_ context.Context, _ pgx.Tx, schoolID, personID, resetID int64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.jobs = append(q.jobs, [3]int64{schoolID, personID, resetID})
	return nil
}

func (q *resetRequests) count() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.jobs)
}

// send works the newest enqueued job as the e-mail's worker does, and
// returns the link's token ("" if the job sends nothing).
func (q *resetRequests) send(t *testing.T, db *postgres.DB) string {
	t.Helper()
	q.mu.Lock()
	job := q.jobs[len(q.jobs)-1]
	q.mu.Unlock()
	return issue(t, db, job)
}

func issue(t *testing.T, db *postgres.DB, job [3]int64) string {
	t.Helper()
	email, token, err := db.IssuePasswordResetLink(t.Context(), job[0], job[1], job[2])
	if err != nil {
		t.Fatal(err)
	}
	if (email == "") != (token == "") {
		t.Fatalf("issued %q to %q", token, email)
	}
	return token
}

// resetStore is the demo school on a store that e-mails reset links.
func resetStore(t *testing.T) (*testDB, *postgres.DB, *resetRequests) {
	t.Helper()
	s := demoStore(t)
	q := &resetRequests{}
	return s, s.db.WithPasswordResets(q.enqueue), q
}

func request(t *testing.T, db *postgres.DB, email string) {
	t.Helper()
	if err := db.RequestPasswordReset(t.Context(), email, "192.0.2.1"); err != nil {
		t.Fatalf("ask for a reset link for %s: %v", email, err)
	}
}

func expectInvalid(t *testing.T, db *postgres.DB, what, token string) {
	t.Helper()
	if err := db.CheckPasswordResetLink(t.Context(), token); !errors.Is(err, safeguarding.ErrResetLinkInvalid) {
		t.Errorf("%s: checked, %v; want it not to work", what, err)
	}
	if err := db.ResetPassword(t.Context(), token, newPassword, "192.0.2.1"); !errors.Is(err, safeguarding.ErrResetLinkInvalid) {
		t.Errorf("%s: used, %v; want it not to work", what, err)
	}
}

func TestPasswordReset(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s, db, q := resetStore(t)
		ctx := t.Context()
		staff := s.viewerByEmail(t, "staff@demo.test")
		request(t, db, " Staff@Demo.test ")
		if q.count() != 1 {
			t.Fatalf("%d e-mails enqueued, want 1", q.count())
		}
		token := q.send(t, db)
		if token == "" {
			t.Fatal("no link issued")
		}
		var stored int
		if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM password_resets WHERE token_hash = sha256($1::bytea)`, []byte(token)).Scan(&stored); err != nil || stored != 1 {
			t.Fatalf("the token's SHA-256 is stored %d times (%v), want once", stored, err)
		}
		var plain int
		if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM password_resets WHERE position($1::bytea IN token_hash) > 0`, []byte(token)).Scan(&plain); err != nil || plain != 0 {
			t.Fatalf("the token itself is stored (%v)", err)
		}
		var valid time.Duration
		if err := s.owner.QueryRow(ctx, `SELECT expires_at - clock_timestamp() FROM password_resets`).Scan(&valid); err != nil {
			t.Fatal(err)
		}
		if valid < 59*time.Minute || valid > time.Hour {
			t.Errorf("the link works for %v, want an hour", valid)
		}
		if err := db.CheckPasswordResetLink(ctx, token); err != nil {
			t.Fatalf("the new link: %v", err)
		}
		if err := db.ResetPassword(ctx, token, newPassword, "198.51.100.7"); err != nil {
			t.Fatalf("reset: %v", err)
		}
		if _, err := db.SignIn(ctx, "staff@demo.test", demoPassword, "198.51.100.7"); err == nil {
			t.Error("the old password still signs in")
		}
		v, err := db.SignIn(ctx, "staff@demo.test", newPassword, "198.51.100.7")
		if err != nil {
			t.Fatalf("the new password: %v", err)
		}
		if !v.SessionsSince.After(staff.SessionsSince) || time.Since(v.SessionsSince) > time.Minute {
			t.Errorf("sessions since %v, was %v: the reset ended no sessions", v.SessionsSince, staff.SessionsSince)
		}
		expectAudited(t, s, staff.PersonID, "password_reset_requested", "password_reset_link_issued", "password_reset")
		expectInvalid(t, db, "the link used again", token)
	})

	t.Run("ErrExpiredAfterAnHour", func(t *testing.T) {
		s, db, q := resetStore(t)
		request(t, db, "staff@demo.test")
		token := q.send(t, db)
		if _, err := s.owner.Exec(t.Context(), `UPDATE password_resets SET expires_at = clock_timestamp() - interval '1 second'`); err != nil {
			t.Fatal(err)
		}
		expectInvalid(t, db, "a link past its hour", token)
		if _, err := db.SignIn(t.Context(), "staff@demo.test", demoPassword, "192.0.2.1"); err != nil {
			t.Errorf("the password changed anyway: %v", err)
		}
	})

	t.Run("ErrReplacedByANewerRequest", func(t *testing.T) {
		_, db, q := resetStore(t)
		request(t, db, "staff@demo.test")
		first := q.send(t, db)
		firstJob := q.jobs[0]
		request(t, db, "staff@demo.test")
		expectInvalid(t, db, "the older link", first)
		if got := issue(t, db, firstJob); got != "" {
			t.Error("the older request's e-mail, retried, still sends a link")
		}
		second := q.send(t, db)
		if err := db.ResetPassword(t.Context(), second, newPassword, "192.0.2.1"); err != nil {
			t.Fatalf("the newest link: %v", err)
		}
	})

	t.Run("ErrOlderRequestNotYetSent", func(t *testing.T) {
		_, db, q := resetStore(t)
		request(t, db, "staff@demo.test")
		request(t, db, "staff@demo.test")
		if got := issue(t, db, q.jobs[0]); got != "" {
			t.Error("a request replaced before its e-mail went still sends a link")
		}
		if q.send(t, db) == "" {
			t.Error("the newer request sends none")
		}
	})

	t.Run("AtMostThreeAnHour", func(t *testing.T) {
		s, db, q := resetStore(t)
		for range safeguarding.ResetRequestsPerHour + 2 {
			request(t, db, "staff@demo.test")
		}
		if q.count() != safeguarding.ResetRequestsPerHour {
			t.Fatalf("%d e-mails enqueued, want %d", q.count(), safeguarding.ResetRequestsPerHour)
		}
		if _, err := s.owner.Exec(t.Context(), `UPDATE password_resets SET requested_at = requested_at - interval '61 minutes'`); err != nil {
			t.Fatal(err)
		}
		request(t, db, "staff@demo.test")
		if q.count() != safeguarding.ResetRequestsPerHour+1 {
			t.Errorf("an hour later: %d e-mails enqueued, want one more", q.count())
		}
	})

	t.Run("NoLinkForThoseWhoCannotHaveOne", func(t *testing.T) {
		s, db, q := resetStore(t)
		ctx := t.Context()
		s.person(t, postgres.PersonInput{SchoolID: s.schoolID, Email: "invited@demo.test", FullName: "Ivy Invited", Roles: []safeguarding.Role{safeguarding.RoleStaff}})
		if _, err := s.owner.Exec(ctx, `UPDATE people SET active = false WHERE email = 'staff@demo.test'`); err != nil {
			t.Fatal(err)
		}
		for _, email := range []string{"nobody@demo.test", "invited@demo.test", "staff@demo.test"} {
			request(t, db, email)
		}
		if q.count() != 0 {
			t.Errorf("%d e-mails enqueued for no account, an account with no password and a leaver's", q.count())
		}
		var n int
		if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM password_resets`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d requests recorded (%v)", n, err)
		}
		if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'password_reset_not_sent'`).Scan(&n); err != nil || n != 3 {
			t.Errorf("%d requests that sent nothing audited (%v), want 3", n, err)
		}
	})

	t.Run("ErrLeaverCannotUseTheirLink", func(t *testing.T) {
		s, db, q := resetStore(t)
		request(t, db, "staff@demo.test")
		token := q.send(t, db)
		if _, err := s.owner.Exec(t.Context(), `UPDATE people SET active = false WHERE email = 'staff@demo.test'`); err != nil {
			t.Fatal(err)
		}
		expectInvalid(t, db, "a leaver's link", token)
	})

	t.Run("LiftsTheLockOut", func(t *testing.T) {
		s, db, q := resetStore(t)
		ctx := t.Context()
		if _, err := s.owner.Exec(ctx, `UPDATE people SET locked_at = now() WHERE email = 'staff@demo.test';
			INSERT INTO sign_in_failures (email, address) VALUES ('staff@demo.test', '203.0.113.9'), ('staff@demo.test', '192.0.2.1')`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SignIn(ctx, "staff@demo.test", demoPassword, "192.0.2.1"); !errors.Is(err, safeguarding.ErrAccountLocked) {
			t.Fatalf("the locked account: %v", err)
		}
		request(t, db, "staff@demo.test")
		if err := db.ResetPassword(ctx, q.send(t, db), newPassword, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		var failures int
		if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM sign_in_failures WHERE email = 'staff@demo.test'`).Scan(&failures); err != nil || failures != 0 {
			t.Errorf("%d failed sign-ins kept (%v)", failures, err)
		}
		if _, err := db.SignIn(ctx, "staff@demo.test", newPassword, "192.0.2.1"); err != nil {
			t.Errorf("sign in after the reset: %v", err)
		}
		expectAudited(t, s, s.viewerByEmail(t, "staff@demo.test").PersonID, "password_reset", "account_unlocked")
	})
}

func TestChangePassword(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s := demoStore(t)
		ctx := t.Context()
		staff := s.viewerByEmail(t, "staff@demo.test")
		if _, err := s.owner.Exec(ctx, `INSERT INTO sign_in_failures (email, address) VALUES ('staff@demo.test', '192.0.2.1')`); err != nil {
			t.Fatal(err)
		}
		since, err := s.db.ChangePassword(ctx, staff, demoPassword, newPassword, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		if after := s.viewerByEmail(t, "staff@demo.test"); !after.SessionsSince.Equal(since) || !since.After(staff.SessionsSince) {
			t.Errorf("sessions since %v, returned %v, was %v", after.SessionsSince, since, staff.SessionsSince)
		}
		if _, err := s.db.SignIn(ctx, "staff@demo.test", newPassword, "192.0.2.1"); err != nil {
			t.Errorf("the new password: %v", err)
		}
		expectAudited(t, s, staff.PersonID, "password_changed")
	})

	t.Run("ErrWrongCurrentPasswordCountsAsAFailedSignIn", func(t *testing.T) {
		s := demoStore(t)
		ctx := t.Context()
		staff := s.viewerByEmail(t, "staff@demo.test")
		for i := range safeguarding.FreeAccountFailures + 1 {
			_, err := s.db.ChangePassword(ctx, staff, "not my password "+string(rune('a'+i)), newPassword, "192.0.2.1")
			if !errors.Is(err, safeguarding.ErrWrongCurrentPassword) {
				t.Fatalf("wrong current password %d: %v", i+1, err)
			}
		}
		var failures int
		if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM sign_in_failures WHERE email = 'staff@demo.test' AND address = '192.0.2.1' AND settled`).Scan(&failures); err != nil {
			t.Fatal(err)
		}
		if failures != safeguarding.FreeAccountFailures+1 {
			t.Errorf("%d failed sign-ins recorded, want %d", failures, safeguarding.FreeAccountFailures+1)
		}
		// Slowed as sign-in is: even the right password waits.
		_, err := s.db.ChangePassword(ctx, staff, demoPassword, newPassword, "192.0.2.1")
		if safeguarding.ErrorCode(err) != safeguarding.EUNAUTHORIZED || !strings.Contains(safeguarding.ErrorMessage(err), "Wait ") {
			t.Errorf("after %d wrong passwords: %v, want to be told to wait", failures, err)
		}
		if _, err := s.db.SignIn(ctx, "staff@demo.test", demoPassword, "192.0.2.1"); safeguarding.ErrorCode(err) != safeguarding.EUNAUTHORIZED {
			t.Errorf("signing in from there is not slowed: %v", err)
		}
		if after := s.viewerByEmail(t, "staff@demo.test"); !after.SessionsSince.Equal(staff.SessionsSince) {
			t.Error("a refused change ended sessions")
		}
		expectAudited(t, s, staff.PersonID, "sign_in_failed")
	})
}

// expectAudited fails unless the audit log has each action by actor.
func expectAudited(t *testing.T, s *testDB, actor int64, actions ...string) {
	t.Helper()
	for _, a := range actions {
		var n int
		if err := s.owner.QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE actor_id = $1 AND action = $2`, actor, a).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("%q is not in the audit log", a)
		}
	}
}

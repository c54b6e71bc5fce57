package postgres_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/twofactor"
	"github.com/havenapp/haven/internal/twofactor/twofactortest"
)

// Enrolment keeps one secret until a right code confirms it; then the
// code's step is used up, the person has ten recovery codes, and enrolling
// again is refused.
func TestEnrolSecondFactor(t *testing.T) {
	s := demoStore(t)
	ctx := t.Context()
	v := s.viewerByEmail(t, "staff@demo.test")
	secret, err := s.db.EnrolmentSecret(ctx, v)
	if err != nil || len(secret) != 32 {
		t.Fatalf("secret %q: %v", secret, err)
	}
	if again, _ := s.db.EnrolmentSecret(ctx, v); again != secret {
		t.Fatal("asking again made a new secret")
	}
	if _, err := s.db.ConfirmSecondFactor(ctx, v, "000000", "192.0.2.1"); !errors.Is(err, postgres.ErrEnrolmentCode) {
		if c, _ := twofactor.Code(secret, twofactor.Step(time.Now())); c != "000000" {
			t.Fatalf("a wrong code: %v", err)
		}
	}
	code, _ := twofactor.Code(secret, twofactor.Step(time.Now()))
	codes, err := s.db.ConfirmSecondFactor(ctx, v, code, "192.0.2.1")
	if err != nil || len(codes) != 10 {
		t.Fatalf("%d codes: %v", len(codes), err)
	}
	if v, _ = s.db.Viewer(ctx, v.PersonID); !v.SecondFactor {
		t.Fatal("the viewer has no second factor after enrolment")
	}
	if _, err := s.db.EnrolmentSecret(ctx, v); !errors.Is(err, postgres.ErrAlreadyEnrolled) {
		t.Errorf("a secret after enrolment: %v", err)
	}
	var last int64
	if err := s.owner.QueryRow(ctx, `SELECT last_step FROM second_factors WHERE person_id = $1`, v.PersonID).Scan(&last); err != nil || last < twofactor.Step(time.Now())-1 {
		t.Errorf("the enrolment's step is not used up: %d, %v", last, err)
	}
}

// The app's database login may read a secret and move the last step on,
// and nothing else: it cannot rewrite a secret or a recovery code's hash.
func TestSecondFactorGrants(t *testing.T) {
	s := demoStore(t)
	ctx := t.Context()
	if err := twofactortest.Enrol(ctx, s.owner, "dsl@demo.test"); err != nil {
		t.Fatal(err)
	}
	app := pgtest.NewPool(t, s.connString)
	for _, q := range []string{
		`UPDATE second_factors SET secret = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'`,
		`UPDATE second_factors SET person_id = person_id`,
		`UPDATE recovery_codes SET code_hash = '\x00'`,
	} {
		_, err := app.Exec(ctx, q)
		wantDenied(t, q, err)
	}
	if _, err := app.Exec(ctx, `UPDATE second_factors SET last_step = last_step + 1`); err != nil {
		t.Errorf("the app's login cannot move the last step on: %v", err)
	}
}

// One code, sent twice at once, signs in once.
func TestSignInCodeOnceUnderRace(t *testing.T) {
	s := demoStore(t)
	ctx := t.Context()
	if err := twofactortest.Enrol(ctx, s.owner, "dsl@demo.test"); err != nil {
		t.Fatal(err)
	}
	v, err := s.db.SignIn(ctx, "dsl@demo.test", demoPassword, "192.0.2.1")
	if err != nil || !v.SecondFactor {
		t.Fatalf("password: %v, second factor %v", err, v.SecondFactor)
	}
	code, err := twofactortest.Code(ctx, s.owner, "dsl@demo.test")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var ok, refused int
	for range 4 {
		wg.Go(func() {
			_, err := s.db.SignInCode(ctx, v.PersonID, code, "192.0.2.1")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, postgres.ErrWrongCode):
				refused++
			default:
				t.Errorf("sign in: %v", err)
			}
		})
	}
	wg.Wait()
	if ok != 1 || refused != 3 {
		t.Errorf("%d signed in and %d refused, want 1 and 3", ok, refused)
	}
}

// A reset is the administrator's, within their school.
func TestResetSecondFactorRule(t *testing.T) {
	s := demoStore(t)
	ctx := t.Context()
	if err := twofactortest.EnrolEveryoneWhoNeedsIt(ctx, s.owner); err != nil {
		t.Fatal(err)
	}
	dsl := s.viewerByEmail(t, "dsl@demo.test")
	for _, email := range []string{"staff@demo.test", "principal@demo.test", "chair@demo.test", "dsl@demo.test"} {
		err := s.db.ResetSecondFactor(ctx, s.viewerByEmail(t, email), dsl.PersonID, "")
		if safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("%s: %v, want ENOTFOUND", email, err)
		}
	}
	other, err := s.db.CreateSchool(ctx, "Other Academy")
	if err != nil {
		t.Fatal(err)
	}
	otherAdmin := s.person(t, postgres.PersonInput{SchoolID: other, Email: "admin@other.test", FullName: "Avery Other", Roles: []safeguarding.Role{safeguarding.RoleAdmin}})
	if err := s.db.ResetSecondFactor(ctx, otherAdmin, dsl.PersonID, ""); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
		t.Errorf("another school's administrator: %v, want ENOTFOUND", err)
	}
	if v, _ := s.db.Viewer(ctx, dsl.PersonID); !v.SecondFactor {
		t.Fatal("the DSL's second factor was reset by someone who may not")
	}
	if err := s.db.ResetSecondFactor(ctx, s.viewerByEmail(t, "admin@demo.test"), dsl.PersonID, "192.0.2.9"); err != nil {
		t.Fatal(err)
	}
	v, _ := s.db.Viewer(ctx, dsl.PersonID)
	if v.SecondFactor || !v.SessionsSince.After(time.Now().Add(-time.Minute)) {
		t.Errorf("after the reset: second factor %v, sessions since %v", v.SecondFactor, v.SessionsSince)
	}
	var left int
	if err := s.owner.QueryRow(ctx, `SELECT (SELECT count(*) FROM second_factors WHERE person_id = $1) + (SELECT count(*) FROM recovery_codes WHERE person_id = $1)`,
		dsl.PersonID).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d rows of the second factor left: %v", left, err)
	}

	// The operator's reset, for the administrator with no one to reset theirs.
	if err := s.db.ResetSecondFactorByEmail(ctx, "nobody@demo.test"); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
		t.Errorf("an unknown address: %v", err)
	}
	admin := s.viewerByEmail(t, "admin@demo.test")
	if err := s.db.ResetSecondFactorByEmail(ctx, "Admin@Demo.test"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.db.Viewer(ctx, admin.PersonID); v.SecondFactor {
		t.Error("the operator's reset left the administrator's second factor")
	}
	var n int
	if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'second_factor_reset' AND object = $1 AND actor_id IS NULL`,
		fmt.Sprintf("person:%d", admin.PersonID)).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d operator's resets audited: %v", n, err)
	}
}

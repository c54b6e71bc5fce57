package main

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/httpserver"
	"github.com/havenapp/haven/internal/password"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/twofactor/twofactortest"
)

// A virtual DSL, who must sign in with a second factor, signs in with the
// code of the secret prepare gives them, and their cookie opens their
// home page.
func TestSignInWithSecondFactor(t *testing.T) {
	ctx := t.Context()
	connString := pgtest.NewDB(t)
	db := postgres.New(pgtest.NewPool(t, connString), nil)
	school, err := db.CreateSchool(ctx, "Bench School")
	if err != nil {
		t.Fatal(err)
	}
	hash, err := password.Hash(benchPassword)
	if err != nil {
		t.Fatal(err)
	}
	const email = "dsl1@school1.bench.test"
	if _, err := db.CreatePerson(ctx, postgres.PersonInput{SchoolID: school, Email: email, FullName: "Bench Lead",
		PasswordHash: hash, Roles: []safeguarding.Role{safeguarding.RoleDSL}}); err != nil {
		t.Fatal(err)
	}
	owner, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	if err := twofactortest.Enrol(ctx, owner, email); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpserver.New(httpserver.Config{}, db, db.SessionStore(0), slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()

	cookie, err := signIn(ctx, noRedirects(), srv.URL, email, func() (string, error) { return twofactortest.Code(ctx, owner, email) })
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/home", nil)
	req.Header.Set("Cookie", cookie)
	res, err := noRedirects().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("home with the cookie: status %d", res.StatusCode)
	}
}

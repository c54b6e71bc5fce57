package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/password"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// peopleSchool is a small school whose store records the invitations it
// would e-mail, so a test can issue their links as the job does.
type peopleSchool struct {
	*smallSchool
	invitations []int64
}

func newPeopleSchool(t *testing.T) *peopleSchool {
	t.Helper()
	s := &peopleSchool{smallSchool: newSmallSchool(t)}
	s.db = s.db.WithInvitations(func(_ context.Context, _ pgx.Tx, _, invitationID int64) error {
		s.invitations = append(s.invitations, invitationID)
		return nil
	})
	return s
}

// link issues the newest invitation's link, as its e-mail job does.
func (s *peopleSchool) link(t *testing.T) string {
	t.Helper()
	if len(s.invitations) == 0 {
		t.Fatal("no invitation was enqueued")
	}
	_, token, err := s.db.IssueInvitationLink(t.Context(), s.schoolID, s.invitations[len(s.invitations)-1])
	if err != nil {
		t.Fatal(err)
	}
	if token == "" {
		t.Fatal("the newest invitation has no link")
	}
	return token
}

func (s *peopleSchool) invite(t *testing.T, email string, roles ...safeguarding.Role) int64 {
	t.Helper()
	id, err := s.db.InvitePerson(t.Context(), s.admin, safeguarding.InviteInput{Email: email, Name: "Nia Newcomer", JobTitle: "Teacher", Roles: roles}, "192.0.2.1")
	if err != nil {
		t.Fatalf("invite %s: %v", email, err)
	}
	return id
}

// history is the actions of person id's history, oldest first.
func (s *peopleSchool) history(t *testing.T, id int64) []safeguarding.PersonEvent {
	t.Helper()
	d, err := s.db.Person(t.Context(), s.admin, id)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(d.History)
	return d.History
}

func actions(events []safeguarding.PersonEvent) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Action)
	}
	return out
}

const invitedPassword = "correct horse battery staple"

func TestInvitation(t *testing.T) {
	s := newPeopleSchool(t)
	ctx := t.Context()
	id := s.invite(t, "Nia@Riverside.test", safeguarding.RoleStaff)

	t.Run("ErrDuplicate", func(t *testing.T) {
		_, err := s.db.InvitePerson(ctx, s.admin, safeguarding.InviteInput{Email: "nia@riverside.test", Name: "Another Nia", Roles: safeguarding.Roles{safeguarding.RoleStaff}}, "")
		if safeguarding.ErrorCode(err) != safeguarding.ECONFLICT || !strings.Contains(safeguarding.ErrorMessage(err), "already exists") {
			t.Fatalf("a second invitation to the same address: %v", err)
		}
	})
	t.Run("ErrNotAdministrator", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.dsl, s.principal, s.staff1, s.chair, s.governor} {
			_, err := s.db.InvitePerson(ctx, v, safeguarding.InviteInput{Email: "x@riverside.test", Name: "X", Roles: safeguarding.Roles{safeguarding.RoleStaff}}, "")
			if safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN {
				t.Errorf("roles %v invite: %v", v.Roles, err)
			}
		}
	})

	p, err := s.db.Person(ctx, s.admin, id)
	if err != nil {
		t.Fatal(err)
	}
	if p.Email != "nia@riverside.test" || p.HasPassword || !p.Active || p.Invitation != safeguarding.InvitationPending ||
		!slices.Equal(p.Roles, safeguarding.Roles{safeguarding.RoleStaff}) {
		t.Fatalf("the invited person: %+v", p)
	}
	if _, err := s.db.SignIn(ctx, "nia@riverside.test", "", "192.0.2.9"); err == nil {
		t.Fatal("signed in before accepting")
	}

	token := s.link(t)
	var stored []byte
	if err := s.owner.QueryRow(ctx, `SELECT token_hash FROM invitations WHERE person_id = $1`, id).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(stored), token) {
		t.Fatal("the token is stored, not only its hash")
	}
	inv, err := s.db.CheckInvitation(ctx, token)
	if err != nil || inv.Name != "Nia Newcomer" || inv.SchoolName != "Riverside Academy" {
		t.Fatalf("check the link: %+v, %v", inv, err)
	}
	hash, err := password.Hash(invitedPassword)
	if err != nil {
		t.Fatal(err)
	}
	email, err := s.db.AcceptInvitation(ctx, token, hash, "192.0.2.9")
	if err != nil || email != "nia@riverside.test" {
		t.Fatalf("accept: %q, %v", email, err)
	}
	if _, err := s.db.SignIn(ctx, email, invitedPassword, "192.0.2.9"); err != nil {
		t.Fatalf("sign in with the password set: %v", err)
	}

	t.Run("ErrUsedTwice", func(t *testing.T) {
		if _, err := s.db.CheckInvitation(ctx, token); err != safeguarding.ErrInvitationInvalid {
			t.Errorf("check a used link: %v", err)
		}
		other, _ := password.Hash("another long passphrase here")
		if _, err := s.db.AcceptInvitation(ctx, token, other, ""); err != safeguarding.ErrInvitationInvalid {
			t.Errorf("use a link twice: %v", err)
		}
		if _, err := s.db.SignIn(ctx, email, invitedPassword, "192.0.2.9"); err != nil {
			t.Errorf("the first password no longer works: %v", err)
		}
	})
	t.Run("ErrResendAfterAccepting", func(t *testing.T) {
		if err := s.db.ResendInvitation(ctx, s.admin, id, ""); err != postgres.ErrAlreadyAccepted {
			t.Errorf("resend: %v", err)
		}
	})
	t.Run("History", func(t *testing.T) {
		h := s.history(t, id)
		if got, want := actions(h), []string{"invited", "invitation_accepted"}; !slices.Equal(got, want) {
			t.Fatalf("history %v, want %v", got, want)
		}
		if h[0].Actor != "admin" || h[0].Detail != "roles: staff" || h[1].Actor != "Nia Newcomer" {
			t.Errorf("history %+v", h)
		}
		d, _ := s.db.Person(ctx, s.admin, id)
		if d.Invitation != safeguarding.InvitationAccepted || !d.HasPassword || d.LastSignIn.IsZero() {
			t.Errorf("after accepting and signing in: %+v", d.PersonSummary)
		}
	})
}

// TestInvitationExpires: a link works for 72 hours from the invitation and
// not a moment longer; moving the invitation's times back stands in for
// waiting.
func TestInvitationExpires(t *testing.T) {
	s := newPeopleSchool(t)
	ctx := t.Context()
	id := s.invite(t, "late@riverside.test", safeguarding.RoleGovernor)
	token := s.link(t)
	var validFor time.Duration
	if err := s.owner.QueryRow(ctx, `SELECT extract(epoch FROM expires_at - created_at)::bigint * 1000000000 FROM invitations WHERE person_id = $1`, id).
		Scan(&validFor); err != nil {
		t.Fatal(err)
	}
	if validFor != 72*time.Hour {
		t.Fatalf("the invitation is valid for %s, want 72h", validFor)
	}
	age := func(d time.Duration) {
		t.Helper()
		if _, err := s.owner.Exec(ctx, `UPDATE invitations SET created_at = now() - $2::interval, expires_at = now() - $2::interval + interval '72 hours'
			WHERE person_id = $1`, id, d); err != nil {
			t.Fatal(err)
		}
	}
	age(72*time.Hour - time.Minute)
	if _, err := s.db.CheckInvitation(ctx, token); err != nil {
		t.Fatalf("a minute before 72 hours: %v", err)
	}
	age(72*time.Hour + time.Second)
	if _, err := s.db.CheckInvitation(ctx, token); err != safeguarding.ErrInvitationInvalid {
		t.Fatalf("after 72 hours: %v", err)
	}
	hash, _ := password.Hash(invitedPassword)
	if _, err := s.db.AcceptInvitation(ctx, token, hash, ""); err != safeguarding.ErrInvitationInvalid {
		t.Fatalf("accept after 72 hours: %v", err)
	}
	if d, _ := s.db.Person(ctx, s.admin, id); d.Invitation != safeguarding.InvitationExpired || d.HasPassword {
		t.Fatalf("after 72 hours: %+v", d.PersonSummary)
	}
	// A new invitation gives another 72 hours.
	if err := s.db.ResendInvitation(ctx, s.admin, id, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.AcceptInvitation(ctx, s.link(t), hash, ""); err != nil {
		t.Fatalf("the resent invitation: %v", err)
	}
}

func TestResendAndRevokeInvitation(t *testing.T) {
	s := newPeopleSchool(t)
	ctx := t.Context()
	id := s.invite(t, "twice@riverside.test", safeguarding.RoleStaff)
	first := s.link(t)
	firstInvitation := s.invitations[0]
	if err := s.db.ResendInvitation(ctx, s.admin, id, ""); err != nil {
		t.Fatal(err)
	}
	second := s.link(t)
	if _, err := s.db.CheckInvitation(ctx, first); err != safeguarding.ErrInvitationInvalid {
		t.Errorf("the first link after resending: %v", err)
	}
	if _, token, err := s.db.IssueInvitationLink(ctx, s.schoolID, firstInvitation); err != nil || token != "" {
		t.Errorf("the first invitation's job, run late, issues %q (%v)", token, err)
	}
	if _, err := s.db.CheckInvitation(ctx, second); err != nil {
		t.Errorf("the new link: %v", err)
	}
	if err := s.db.ResendInvitation(ctx, s.staff1, id, ""); safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN {
		t.Errorf("staff resends: %v", err)
	}

	if err := s.db.RevokeInvitation(ctx, s.admin, id, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.CheckInvitation(ctx, second); err != safeguarding.ErrInvitationInvalid {
		t.Errorf("a withdrawn link: %v", err)
	}
	if err := s.db.RevokeInvitation(ctx, s.admin, id, ""); err != postgres.ErrNoInvitation {
		t.Errorf("withdraw twice: %v", err)
	}
	if d, _ := s.db.Person(ctx, s.admin, id); d.Invitation != safeguarding.InvitationRevoked {
		t.Errorf("after withdrawing: %s", d.Invitation)
	}
	if got, want := actions(s.history(t, id)), []string{"invited", "invitation_resent", "invitation_revoked"}; !slices.Equal(got, want) {
		t.Errorf("history %v, want %v", got, want)
	}
}

func TestChangeRoles(t *testing.T) {
	s := newPeopleSchool(t)
	ctx := t.Context()
	rs := safeguarding.Roles{safeguarding.RoleStaff, safeguarding.RoleDeputyDSL}
	if err := s.db.ChangeRoles(ctx, s.admin, s.staff1.PersonID, rs, ""); err != nil {
		t.Fatal(err)
	}
	v, err := s.db.Viewer(ctx, s.staff1.PersonID)
	if err != nil || !v.Roles.Has(safeguarding.RoleDeputyDSL) || !v.Roles.Has(safeguarding.RoleStaff) || len(v.Roles) != 2 {
		t.Fatalf("after the change: %v, %v", v.Roles, err)
	}
	h := s.history(t, s.staff1.PersonID)
	if len(h) != 1 || h[0].Action != "roles_changed" || h[0].Detail != "before: staff; after: deputy_dsl, staff" || h[0].Actor != "admin" {
		t.Fatalf("history %+v", h)
	}
	if err := s.db.ChangeRoles(ctx, s.admin, s.staff1.PersonID, rs, ""); err != nil || len(s.history(t, s.staff1.PersonID)) != 1 {
		t.Errorf("the same roles again change something: %v", err)
	}

	t.Run("ErrNoRoles", func(t *testing.T) {
		if err := s.db.ChangeRoles(ctx, s.admin, s.staff1.PersonID, nil, ""); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
			t.Errorf("no roles: %v", err)
		}
	})
	t.Run("ErrNotAdministrator", func(t *testing.T) {
		if err := s.db.ChangeRoles(ctx, s.dsl, s.staff2.PersonID, safeguarding.Roles{safeguarding.RoleDSL}, ""); safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN {
			t.Errorf("the DSL changes roles: %v", err)
		}
	})
	t.Run("ErrAnotherSchool", func(t *testing.T) {
		other, err := s.db.CreateSchool(ctx, "Hilltop School")
		if err != nil {
			t.Fatal(err)
		}
		stranger := s.person(t, postgres.PersonInput{SchoolID: other, Email: "x@hilltop.test", FullName: "X", Roles: []safeguarding.Role{safeguarding.RoleStaff}})
		if err := s.db.ChangeRoles(ctx, s.admin, stranger.PersonID, safeguarding.Roles{safeguarding.RoleAdmin}, ""); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("another school's person: %v", err)
		}
		if _, err := s.db.Person(ctx, s.admin, stranger.PersonID); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("read another school's person: %v", err)
		}
	})
	t.Run("ErrLastAdministrator", func(t *testing.T) {
		err := s.db.ChangeRoles(ctx, s.admin, s.admin.PersonID, safeguarding.Roles{safeguarding.RoleStaff}, "")
		if err != safeguarding.ErrLastAdministrator {
			t.Fatalf("the only administrator gives up the role: %v", err)
		}
		// With a second active administrator, the first may step down.
		if err := s.db.ChangeRoles(ctx, s.admin, s.staff2.PersonID, safeguarding.Roles{safeguarding.RoleStaff, safeguarding.RoleAdmin}, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.db.ChangeRoles(ctx, s.admin, s.admin.PersonID, safeguarding.Roles{safeguarding.RoleStaff}, ""); err != nil {
			t.Fatalf("step down beside another administrator: %v", err)
		}
		second, _ := s.db.Viewer(ctx, s.staff2.PersonID)
		if err := s.db.ChangeRoles(ctx, second, second.PersonID, safeguarding.Roles{safeguarding.RoleStaff}, ""); err != safeguarding.ErrLastAdministrator {
			t.Fatalf("the new last administrator gives up the role: %v", err)
		}
	})
}

func TestDeactivateAndReactivate(t *testing.T) {
	s := newPeopleSchool(t)
	ctx := t.Context()
	hash, err := password.Hash(invitedPassword)
	if err != nil {
		t.Fatal(err)
	}
	leaver := s.person(t, postgres.PersonInput{SchoolID: s.schoolID, Email: "leaver@riverside.test", FullName: "Lee Leaver",
		PasswordHash: hash, Roles: []safeguarding.Role{safeguarding.RoleStaff}})
	concern := logConcern(t, s.db, leaver, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"other"}})

	if err := s.db.Deactivate(ctx, s.admin, leaver.PersonID, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Viewer(ctx, leaver.PersonID); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
		t.Errorf("a leaver's session still finds them: %v", err)
	}
	var since time.Time
	if err := s.owner.QueryRow(ctx, `SELECT sessions_since FROM people WHERE id = $1`, leaver.PersonID).Scan(&since); err != nil || time.Since(since) > time.Minute {
		t.Errorf("sessions_since %v (%v), want now", since, err)
	}
	if _, err := s.db.SignIn(ctx, "leaver@riverside.test", invitedPassword, "192.0.2.9"); err == nil {
		t.Error("a leaver signs in")
	}
	c, err := s.db.Concern(ctx, s.dsl, concern)
	if err != nil || c.LoggedByName != "Lee Leaver" {
		t.Errorf("the leaver's concern is logged by %q (%v)", c.LoggedByName, err)
	}

	if err := s.db.Reactivate(ctx, s.admin, leaver.PersonID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.SignIn(ctx, "leaver@riverside.test", invitedPassword, "192.0.2.10"); err != nil {
		t.Errorf("sign in after reactivation with the old password: %v", err)
	}
	if got, want := actions(s.history(t, leaver.PersonID)), []string{"deactivated", "reactivated"}; !slices.Equal(got, want) {
		t.Errorf("history %v, want %v", got, want)
	}

	t.Run("ErrSelf", func(t *testing.T) {
		if err := s.db.Deactivate(ctx, s.admin, s.admin.PersonID, ""); err != safeguarding.ErrDeactivateSelf {
			t.Errorf("the administrator deactivates themselves: %v", err)
		}
	})
	t.Run("ErrNotAdministrator", func(t *testing.T) {
		if err := s.db.Deactivate(ctx, s.principal, s.staff2.PersonID, ""); safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN {
			t.Errorf("the principal deactivates: %v", err)
		}
	})
	t.Run("ErrLastAdministrator", func(t *testing.T) {
		// Two administrators: the one left active may not be deactivated by
		// the other once the other has stepped down from the role.
		if err := s.db.ChangeRoles(ctx, s.admin, s.staff2.PersonID, safeguarding.Roles{safeguarding.RoleAdmin}, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.db.ChangeRoles(ctx, s.admin, s.admin.PersonID, safeguarding.Roles{safeguarding.RoleStaff}, ""); err != nil {
			t.Fatal(err)
		}
		// s.admin is no longer an administrator: refused as anyone would be.
		former, _ := s.db.Viewer(ctx, s.admin.PersonID)
		if err := s.db.Deactivate(ctx, former, s.staff2.PersonID, ""); safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN {
			t.Errorf("a former administrator deactivates: %v", err)
		}
		if err := safeguarding.CheckDeactivation(s.admin, safeguarding.Person{SchoolID: s.schoolID, ID: s.staff2.PersonID, Active: true,
			Roles: safeguarding.Roles{safeguarding.RoleAdmin}}, 0); err != safeguarding.ErrLastAdministrator {
			t.Errorf("deactivating the last administrator: %v", err)
		}
	})
}

func TestPeopleList(t *testing.T) {
	s := newPeopleSchool(t)
	ctx := t.Context()
	s.invite(t, "pending@riverside.test", safeguarding.RoleStaff)
	if _, err := s.owner.Exec(ctx, `UPDATE people SET second_factor_at = now(), last_sign_in_at = now() WHERE id = $1`, s.dsl.PersonID); err != nil {
		t.Fatal(err)
	}
	all, more, err := s.db.People(ctx, s.admin, safeguarding.PeopleFilter{})
	if err != nil || more || len(all) != 9 {
		t.Fatalf("the list: %d people, more %v, %v", len(all), more, err)
	}
	for _, p := range all {
		switch p.Email {
		case "dsl@riverside.test":
			if !p.SecondFactor || p.LastSignIn.IsZero() || p.Invitation != safeguarding.InvitationNone {
				t.Errorf("the DSL: %+v", p)
			}
		case "pending@riverside.test":
			if p.Invitation != safeguarding.InvitationPending || p.InvitationExpires.Before(time.Now().Add(71*time.Hour)) || p.SecondFactor {
				t.Errorf("the invited person: %+v", p)
			}
		}
	}
	for q, want := range map[string][]string{
		"dep":            {"deputy@riverside.test"},
		"NEWCOMER":       {"pending@riverside.test"},
		"staff":          {"staff1@riverside.test", "staff2@riverside.test"},
		"%":              nil,
		"@riverside.te_": nil,
	} {
		got, _, err := s.db.People(ctx, s.admin, safeguarding.PeopleFilter{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		var emails []string
		for _, p := range got {
			emails = append(emails, p.Email)
		}
		if !slices.Equal(emails, want) {
			t.Errorf("search %q finds %v, want %v", q, emails, want)
		}
	}
	page, more, err := s.db.People(ctx, s.admin, safeguarding.PeopleFilter{Limit: 4, Offset: 4})
	if err != nil || len(page) != 4 || !more || page[0].ID != all[4].ID {
		t.Errorf("the second page of 4: %d, more %v, %v", len(page), more, err)
	}
	if _, _, err := s.db.People(ctx, s.dsl, safeguarding.PeopleFilter{}); safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN {
		t.Errorf("the DSL lists people: %v", err)
	}
}

// TestAdministratorReadsNoConcern: the administrator manages accounts but
// reads no concern, chronology or child's part of one, whatever the store
// asks: row-level security shows them none of the rows.
func TestAdministratorReadsNoConcern(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	id := logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby}, Categories: []string{"other"}})
	var other int64
	logConcern(t, s.db, s.staff2, safeguarding.ConcernInput{SubjectKind: safeguarding.SubjectStaff, SubjectPersonID: s.staff1.PersonID, Categories: []string{"other"},
		WhatHappened: "Shouted at a pupil."})
	if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM concerns`).Scan(&other); err != nil || other != 2 {
		t.Fatalf("%d concerns behind the app's back (%v)", other, err)
	}
	err := asViewerTx(t, s.db, s.admin, func(tx pgx.Tx) error {
		for _, table := range []string{"concerns", "chronology_entries", "concern_pupils"} {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
				return err
			}
			if n != 0 {
				t.Errorf("the administrator reads %d rows of %s", n, table)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Concern(ctx, s.admin, id); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND && safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN {
		t.Errorf("the administrator reads the concern: %v", err)
	}
}

package postgres_test

import (
	"strconv"
	"testing"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

func TestSchoolContacts(t *testing.T) {
	s := newRosterSchool(t)
	ctx := t.Context()
	var north int64
	if err := s.owner.QueryRow(ctx, `SELECT school_id FROM people WHERE id = $1`, s.teacher.PersonID).Scan(&north); err != nil {
		t.Fatal(err)
	}
	admin := s.person(t, postgres.PersonInput{SchoolID: north, Email: "admin@northgate.test", FullName: "Ada Admin", Roles: []safeguarding.Role{safeguarding.RoleAdmin}})
	dsl := s.person(t, postgres.PersonInput{SchoolID: north, Email: "dsl@northgate.test", FullName: "Dee Lead",
		Roles: []safeguarding.Role{safeguarding.RoleDSL, safeguarding.RoleStaff}})
	numbers := safeguarding.SchoolContacts{DSLPhone: "01632 960 001", SocialCarePhone: "0300 123 4567", SocialCareOutOfHours: "01632 960 999"}

	t.Run("UnsetUntilSet", func(t *testing.T) {
		c, err := s.db.SchoolContacts(ctx, s.teacher)
		if err != nil || c.IsSet() {
			t.Fatalf("contacts %+v (err %v), want none set", c, err)
		}
		l, err := s.db.FormLists(ctx, s.teacher)
		if err != nil || l.Contacts.IsSet() {
			t.Fatalf("the form's lists carry contacts %+v (err %v), want none", l.Contacts, err)
		}
	})

	t.Run("ErrOnlyTheDSLOrTheAdministrator", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.teacher, s.principal} {
			if err := s.db.SetSchoolContacts(ctx, v, numbers, "192.0.2.1"); safeguarding.ErrorCode(err) != safeguarding.EFORBIDDEN {
				t.Errorf("roles %v set the contacts: err %v, want EFORBIDDEN", v.Roles, err)
			}
		}
		var n int
		if err := s.owner.QueryRow(ctx, `SELECT count(*) FROM school_contacts`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d rows of contacts after refusals (err %v)", n, err)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		bad := numbers
		bad.SocialCarePhone = "ask reception"
		if err := s.db.SetSchoolContacts(ctx, dsl, bad, "192.0.2.1"); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
			t.Errorf("err %v, want EINVALID", err)
		}
	})

	t.Run("SetReadAndAudited", func(t *testing.T) {
		if err := s.db.SetSchoolContacts(ctx, admin, numbers, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		changed := numbers
		changed.DSLPhone = " 07700 900 123 "
		if err := s.db.SetSchoolContacts(ctx, dsl, changed, "192.0.2.2"); err != nil {
			t.Fatal(err)
		}
		// Everyone of the school reads them; another school does not.
		got, err := s.db.SchoolContacts(ctx, s.teacher)
		if err != nil {
			t.Fatal(err)
		}
		if got.DSLPhone != "07700 900 123" || got.SocialCarePhone != numbers.SocialCarePhone || got.SocialCareOutOfHours != numbers.SocialCareOutOfHours ||
			got.UpdatedByName != "Dee Lead" || got.UpdatedAt.IsZero() {
			t.Errorf("read %+v", got)
		}
		if other, err := s.db.SchoolContacts(ctx, s.otherTeacher); err != nil || other.IsSet() {
			t.Errorf("another school reads %+v (err %v)", other, err)
		}
		var details []string
		rows, err := s.owner.Query(ctx, `SELECT actor_id::text || ' ' || address || ' ' || detail FROM audit_log
			WHERE action = 'set_school_contacts' ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var d string
			if err := rows.Scan(&d); err != nil {
				t.Fatal(err)
			}
			details = append(details, d)
		}
		if len(details) != 2 {
			t.Fatalf("audit log %q, want two changes", details)
		}
		want := strconv.FormatInt(dsl.PersonID, 10) + ` 192.0.2.2 DSL: "01632 960 001" → "07700 900 123"`
		if details[1] != want {
			t.Errorf("the second change is audited as %q, want %q", details[1], want)
		}
	})
}

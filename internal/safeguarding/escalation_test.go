package safeguarding_test

import (
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

func TestEscalateAt(t *testing.T) {
	cal := safeguarding.NewCalendar(safeguarding.DefaultBankHolidays(), nil)
	london := safeguarding.England()
	cases := []struct {
		name   string
		logged time.Time
		urgent bool
		want   time.Time
	}{
		{"Urgent", time.Date(2026, 5, 1, 18, 0, 0, 0, london), true, time.Date(2026, 5, 1, 18, 15, 0, 0, london)},
		{"Weekday", time.Date(2026, 5, 6, 14, 0, 0, 0, london), false, time.Date(2026, 5, 7, 9, 0, 0, 0, london)},
		// Friday 1 May 2026; Monday 4 May is the early May bank holiday.
		{"FridayBeforeBankHoliday", time.Date(2026, 5, 1, 18, 0, 0, 0, london), false, time.Date(2026, 5, 5, 9, 0, 0, 0, london)},
		{"ChristmasEve", time.Date(2026, 12, 24, 10, 0, 0, 0, london), false, time.Date(2026, 12, 29, 9, 0, 0, 0, london)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := safeguarding.DefaultEscalation.EscalateAt(c.logged, c.urgent, cal); !got.Equal(c.want) {
				t.Errorf("escalate at %v, want %v", got.In(london), c.want)
			}
		})
	}
	closed := safeguarding.NewCalendar(safeguarding.DefaultBankHolidays(), []safeguarding.Closure{{
		From: time.Date(2026, 5, 5, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 5, 8, 0, 0, 0, 0, time.UTC), Reason: "INSET"}})
	if got, want := safeguarding.DefaultEscalation.EscalateAt(time.Date(2026, 5, 1, 18, 0, 0, 0, london), false, closed), time.Date(2026, 5, 11, 9, 0, 0, 0, london); !got.Equal(want) {
		t.Errorf("over closure days: %v, want %v", got.In(london), want)
	}
}

func TestEscalationRecipient(t *testing.T) {
	const principal, chair, governor, dsl, staff = 1, 2, 3, 4, 5
	roles := map[int64]safeguarding.Roles{principal: {safeguarding.RolePrincipal, safeguarding.RoleStaff}, chair: {safeguarding.RoleChair},
		governor: {safeguarding.RoleGovernor}, dsl: {safeguarding.RoleDSL}, staff: {safeguarding.RoleStaff}}
	who := func(c safeguarding.ConcernAccess, viceChair int64) (out []int64) {
		to, _ := safeguarding.Escalation(c.Route)
		for id := int64(1); id <= 5; id++ {
			if safeguarding.EscalationRecipient(id, roles[id], c, to, viceChair) {
				out = append(out, id)
			}
		}
		return out
	}
	cases := []struct {
		name      string
		c         safeguarding.ConcernAccess
		viceChair int64
		want      []int64
	}{
		{"Child", safeguarding.ConcernAccess{Route: safeguarding.RouteChild, LoggedBy: staff}, 0, []int64{principal}},
		{"ChildByPrincipal", safeguarding.ConcernAccess{Route: safeguarding.RouteChild, LoggedBy: principal}, 0, nil},
		{"Staff", safeguarding.ConcernAccess{Route: safeguarding.RouteAdult, LoggedBy: dsl, SubjectPersonID: staff}, 0, []int64{chair}},
		{"Lead", safeguarding.ConcernAccess{Route: safeguarding.RouteSafeguardingLead, LoggedBy: staff, SubjectPersonID: dsl}, 0, []int64{chair}},
		{"PrincipalNoViceChair", safeguarding.ConcernAccess{Route: safeguarding.RoutePrincipal, LoggedBy: staff, SubjectPersonID: principal}, 0, nil},
		{"PrincipalViceChair", safeguarding.ConcernAccess{Route: safeguarding.RoutePrincipal, LoggedBy: staff, SubjectPersonID: principal}, governor, []int64{governor}},
		{"ViceChairIsAuthor", safeguarding.ConcernAccess{Route: safeguarding.RoutePrincipal, LoggedBy: governor, SubjectPersonID: principal}, governor, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := who(c.c, c.viceChair)
			if len(got) != len(c.want) || (len(got) == 1 && got[0] != c.want[0]) {
				t.Errorf("escalated to %v, want %v", got, c.want)
			}
		})
	}
	if _, access := safeguarding.Escalation(safeguarding.RouteAdult); access {
		t.Error("the chair may read a concern about a member of staff once escalated")
	}
}

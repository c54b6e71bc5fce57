package safeguarding_test

import (
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
)

// TestMayEditSchoolContacts is the rule for the school's emergency contacts,
// role by role, then over every set of roles a person can hold: the DSL, a
// deputy or the administrator may set them; nobody else, whatever else
// they hold.
func TestMayEditSchoolContacts(t *testing.T) {
	checkRoleRule(t, "may edit school contacts", safeguarding.MayEditSchoolContacts, map[safeguarding.Role]bool{
		safeguarding.RoleDSL:       true,
		safeguarding.RoleDeputyDSL: true,
		safeguarding.RoleAdmin:     true,
		safeguarding.RolePrincipal: false,
		safeguarding.RoleChair:     false,
		safeguarding.RoleStaff:     false,
		safeguarding.RoleGovernor:  false,
	})
}

func TestSchoolContactsProblems(t *testing.T) {
	ok := safeguarding.SchoolContacts{DSLPhone: " 01632 960 001 ", SocialCarePhone: "0300 123 4567", SocialCareOutOfHours: "+44 (0)1632 960-999"}
	if p := ok.Problems(); len(p) != 0 {
		t.Errorf("good numbers refused: %v", p)
	}
	cases := []struct {
		name  string
		edit  func(*safeguarding.SchoolContacts)
		field string
		want  string
	}{
		{"Missing", func(c *safeguarding.SchoolContacts) { c.DSLPhone = "  " }, "dsl-phone", "Enter the DSL's phone number"},
		{"Letters", func(c *safeguarding.SchoolContacts) { c.SocialCarePhone = "ring the office" }, "social-care-phone",
			"Enter the children's social care front door number in digits, like 01632 960 001"},
		{"TooFewDigits", func(c *safeguarding.SchoolContacts) { c.SocialCareOutOfHours = "12" }, "social-care-out-of-hours",
			"Enter the children's social care out-of-hours number in digits, like 01632 960 001"},
		{"TooLong", func(c *safeguarding.SchoolContacts) { c.DSLPhone = strings.Repeat("1", 41) }, "dsl-phone", "The number must be 40 characters or fewer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := ok
			c.edit(&in)
			p := in.Problems()
			if len(p) != 1 || p[c.field] != c.want {
				t.Errorf("problems %v, want %s: %q", p, c.field, c.want)
			}
		})
	}
}

package web

import (
	"html"
	"strings"
	"testing"
)

func TestEmergencyPanel(t *testing.T) {
	numbers := Emergency{DSLPhone: "07700 900 123", SocialCarePhone: "0300 123 4567", SocialCareOutOfHours: "+44 1632 960 999"}
	cases := []struct {
		name     string
		e        Emergency
		want     []string
		wantNone []string
	}{
		{"WithTheSchoolsNumbers", numbers,
			[]string{">The child is in immediate danger", `href="tel:999"`, `href="tel:07700900123"`, `href="tel:03001234567"`,
				`href="tel:+441632960999"`, "Children's social care front door", "Children's social care out of hours", "The DSL:"},
			[]string{"are not set", "/settings/contacts"}},
		{"UnsetForStaff", Emergency{},
			[]string{`href="tel:999"`, "the DSL or the administrator must set them in Haven"},
			[]string{"/settings/contacts", "front door:"}},
		{"UnsetForTheDSL", Emergency{MaySetContacts: true},
			[]string{`href="tel:999"`, `href="/settings/contacts"`}, nil},
		{"AboutAnAdult", Emergency{AboutAdult: true, SocialCarePhone: "0300 123 4567"},
			[]string{">A child at risk from this adult is in immediate danger", "Do not wait for the principal or the DSL.</p>"},
			[]string{">The child is in immediate danger"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := render(t, EmergencyPanel(c.e))
			text := html.UnescapeString(got)
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("the panel lacks %q:\n%s", w, got)
				}
			}
			for _, w := range c.wantNone {
				if strings.Contains(text, w) {
					t.Errorf("the panel has %q:\n%s", w, got)
				}
			}
			if !strings.Contains(got, "haven-notification-banner--emergency") {
				t.Error("the panel is not styled as an emergency")
			}
			checkCSP(t, got)
		})
	}
}

func TestPupilChoiceDetails(t *testing.T) {
	for _, c := range []struct {
		p    PupilChoice
		want string
	}{
		{PupilChoice{YearGroup: 12, RegistrationGroup: "12WD", Born: "3 March 2009"}, "Year 12, registration group 12WD, born 3 March 2009"},
		{PupilChoice{YearGroup: 7, Born: "1 May 2014"}, "Year 7, born 1 May 2014"},
	} {
		if got := c.p.Details(); got != c.want {
			t.Errorf("Details() = %q, want %q", got, c.want)
		}
	}
}

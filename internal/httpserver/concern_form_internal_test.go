package httpserver

import (
	"testing"

	"github.com/havenapp/haven/web"
)

// The unanswered danger question is named as the form asks it: about the
// child, or about any child at risk from the adult.
func TestUnansweredDangerIsWordedForTheSubject(t *testing.T) {
	for subject, want := range map[string]string{
		web.SubjectPupils:     "Select yes if the child is in immediate danger",
		"":                    "Select yes if the child is in immediate danger",
		web.SubjectStaff:      "Select yes if any child is in immediate danger from this adult",
		web.SubjectPrincipal:  "Select yes if any child is in immediate danger from this adult",
		web.SubjectOtherAdult: "Select yes if any child is in immediate danger from this adult",
	} {
		_, unreadable := concernFromForm(web.ConcernForm{Subject: subject}, concernOptions{})
		if got := unreadable["urgent"]; got != want {
			t.Errorf("subject %q: %q, want %q", subject, got, want)
		}
	}
}

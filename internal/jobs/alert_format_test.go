package jobs_test

import (
	"encoding/json"
	"testing"

	"github.com/havenapp/haven/internal/jobs"
	"github.com/havenapp/haven/internal/safeguarding"
)

// An alert job keeps the kind and the JSON names of the jobs already
// queued, whatever the Go names become: a queued job must still be worked.
func TestAlertArgsFormat(t *testing.T) {
	a := jobs.AlertArgs{SchoolID: 1, ConcernID: 2, Urgent: true, Route: safeguarding.RouteAdult, SubjectPersonID: 3, LoggedBy: 4}
	if k := a.Kind(); k != "concern_alert" {
		t.Errorf("kind %q, want concern_alert", k)
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"school_id":1,"concern_id":2,"urgent":true,"route":"adult","subject_person_id":3,"logged_by":4}`; string(b) != want {
		t.Errorf("args %s, want %s", b, want)
	}
	b, _ = json.Marshal(jobs.AlertArgs{SchoolID: 1, ConcernID: 2, Route: safeguarding.RouteChild, LoggedBy: 4})
	if want := `{"school_id":1,"concern_id":2,"urgent":false,"route":"child","logged_by":4}`; string(b) != want {
		t.Errorf("args %s, want %s", b, want)
	}
}

// A notice job keeps its kind and JSON names too, and holds ids and counts
// only.
func TestDeniedLookArgsFormat(t *testing.T) {
	a := jobs.DeniedLookArgs{SchoolID: 1, ConcernID: 2, Route: safeguarding.RoutePrincipal, SubjectPersonID: 3, PersonID: 3, Times: 5, WithinSeconds: 86400}
	if k := a.Kind(); k != "denied_look_notice" {
		t.Errorf("kind %q, want denied_look_notice", k)
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"school_id":1,"concern_id":2,"route":"principal","subject_person_id":3,"person_id":3,"times":5,"within_seconds":86400}`; string(b) != want {
		t.Errorf("args %s, want %s", b, want)
	}
}

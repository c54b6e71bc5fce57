package httpserver_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/safeguarding/accesstest"
)

// flagPupil logs three concerns about a pupil, by two members of staff,
// each with a CSE indicator, and runs the pattern rules: the pupil is
// flagged. It returns the flag's id.
func flagPupil(t *testing.T, fx *concernFixture) int64 {
	t.Helper()
	pupil := fx.pupil(t, 10)
	for i, c := range []struct{ by, indicator string }{{"staff@demo.test", "secretive"}, {"staff02@demo.test", "gangs"}, {"staff@demo.test", "vehicles"}} {
		at := time.Now().AddDate(0, 0, 8*i-20) // 16 days: no three within 14
		in := safeguarding.ConcernInput{SubmissionToken: "00000000-0000-4000-8000-00000000010" + strconv.Itoa(i), SubjectKind: safeguarding.SubjectPupils,
			PupilIDs: []int64{pupil.ID}, Categories: []string{"cse"}, Indicators: []string{c.indicator},
			WhatHappened: "A small thing.", HappenedOn: safeguarding.DateInEngland(at)}
		if _, _, err := fx.app.DB.WithClock(func() time.Time { return at }).LogConcern(t.Context(), fx.viewer(t, c.by), in); err != nil {
			t.Fatal(err)
		}
	}
	flags, err := fx.app.DB.RaisePatternFlags(t.Context(), fx.app.SchoolID, pupil.ID)
	if err != nil || len(flags) != 1 {
		t.Fatalf("raised %v, %v", flags, err)
	}
	return flags[0].ID
}

// A flag's page exists only for those who may see every concern that
// raised it, and only the DSL and deputies may review it; the settings
// page exists only for the DSL and deputies. To everyone else both are
// 404 and their posts change nothing.
func TestPatternPagesAccess(t *testing.T) {
	fx := newConcernFixture(t)
	flag := flagPupil(t, fx)
	flagPath := "/patterns/" + strconv.FormatInt(flag, 10)
	review := url.Values{"decision": {"monitor"}, "reason": {"Watching."}}
	settings := url.Values{"cse-on": {"on"}, "cse-indicators": {"2"}, "cse-staff": {"2"}, "cse-days": {"30"},
		"concerns-many": {"3"}, "concerns-days": {"14"}, "missing-days": {"30"}}
	for _, v := range accesstest.Viewers {
		t.Run(v.Name, func(t *testing.T) {
			c := fx.app.signIn(t, v.Email)
			manages := safeguarding.MayManagePatterns(v.Roles)
			sees := manages || v.Roles.Has(safeguarding.RolePrincipal)
			status := func(ok bool) int {
				if ok {
					return http.StatusOK
				}
				return http.StatusNotFound
			}
			if res := c.get(flagPath); res.StatusCode != status(sees) {
				t.Errorf("GET the flag: status %d", res.StatusCode)
			} else if sees && strings.Contains(res.Body, `name="reason"`) != manages {
				t.Errorf("the review form is offered: %v, want %v", !manages, manages)
			}
			if res := c.get("/settings/patterns"); res.StatusCode != status(manages) {
				t.Errorf("GET the settings: status %d", res.StatusCode)
			}
			if !manages {
				if res := c.post(flagPath, review); res.StatusCode != http.StatusNotFound {
					t.Errorf("POST a review: status %d", res.StatusCode)
				}
				if res := c.post("/settings/patterns", settings); res.StatusCode != http.StatusNotFound {
					t.Errorf("POST the settings: status %d", res.StatusCode)
				}
				if n := fx.count(t, `SELECT count(*) FROM pattern_flags WHERE reviewed_at IS NOT NULL`) + fx.count(t, `SELECT count(*) FROM pattern_settings`); n != 0 {
					t.Errorf("%d rows changed by a refused post", n)
				}
			}
		})
	}
}

func TestPatternReviewForm(t *testing.T) {
	fx := newConcernFixture(t)
	flag := flagPupil(t, fx)
	flagPath := "/patterns/" + strconv.FormatInt(flag, 10)
	c := fx.app.signIn(t, "deputy@demo.test")

	t.Run("ErrEveryFieldKept", func(t *testing.T) {
		res := c.post(flagPath, url.Values{"decision": {"perhaps"}, "reason": {"  "}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.StatusCode)
		}
		for _, field := range []string{"decision", "reason"} {
			if !strings.Contains(res.Body, `href="#`+field+`"`) {
				t.Errorf("the error summary does not link to %s", field)
			}
		}
		res = c.post(flagPath, url.Values{"reason": {"Spoke to the tutor."}})
		if !strings.Contains(res.Body, "Spoke to the tutor.</textarea>") {
			t.Error("the reason typed was lost")
		}
	})

	t.Run("OK", func(t *testing.T) {
		res := c.post(flagPath, url.Values{"decision": {"no_concern"}, "reason": {"Three unrelated incidents."}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != flagPath+"?saved=1" {
			t.Fatalf("status %d, location %q", res.StatusCode, res.Header.Get("Location"))
		}
		if n := fx.count(t, `SELECT count(*) FROM pattern_flags WHERE id = $1 AND decision = 'no_concern' AND reviewed_at IS NOT NULL`, flag); n != 1 {
			t.Error("the review was not recorded")
		}
		if queue := c.get("/queue"); strings.Contains(queue.Body, "Children flagged for review") {
			t.Error("the reviewed flag is still on the queue")
		}
	})
}

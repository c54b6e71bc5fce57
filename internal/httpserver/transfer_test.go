package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/safeguarding/accesstest"
)

// Only the DSL and deputies have the transfer pages; to everyone else they
// do not exist, their posts change nothing, and the child's page and home
// page say nothing of transfers.
func TestTransferPagesAccess(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 9)
	logConcern(t, fx.app.DB, fx.viewer(t, "staff@demo.test"), safeguarding.ConcernInput{PupilIDs: []int64{pupil.ID}, Categories: []string{"neglect"}})
	for _, v := range accesstest.Viewers {
		t.Run(v.Name, func(t *testing.T) {
			c := fx.app.signIn(t, v.Email)
			may := safeguarding.MayTransferFiles(v.Roles)
			want := http.StatusNotFound
			if may {
				want = http.StatusOK
			}
			for _, path := range []string{"/transfers", "/settings/transfer-keys", "/transfers/import", fmt.Sprintf("/pupils/%d/transfer", pupil.ID)} {
				if res := c.get(path); res.StatusCode != want {
					t.Errorf("GET %s: status %d, want %d", path, res.StatusCode, want)
				}
			}
			if home := c.get("/home"); strings.Contains(home.Body, `href="/transfers"`) != may {
				t.Errorf("the home page links to the transfers: %v, want %v", !may, may)
			}
			if child := c.get(fmt.Sprintf("/pupils/%d", pupil.ID)); child.StatusCode == http.StatusOK && strings.Contains(child.Body, "Transfer between schools") != may {
				t.Errorf("the child's page shows the transfer section: %v, want %v", !may, may)
			}
			if !may {
				res := c.post(fmt.Sprintf("/pupils/%d/left", pupil.ID), url.Values{"left-on-day": {"1"}, "left-on-month": {"9"}, "left-on-year": {"2025"}})
				if res.StatusCode != http.StatusNotFound {
					t.Errorf("POST left: status %d, want 404", res.StatusCode)
				}
				if n := fx.count(t, `SELECT count(*) FROM pupils WHERE left_on IS NOT NULL`); n != 0 {
					t.Errorf("%d pupils marked as left after a refused post", n)
				}
			}
		})
	}
}

// The DSL marks a pupil as left: a day in the future is refused by the
// field with the day kept; then the pupil's file is due and the home page
// says so, until it is recorded as not needed.
func TestMarkLeftAndNotNeeded(t *testing.T) {
	fx := newConcernFixture(t)
	pupil := fx.pupil(t, 10)
	logConcern(t, fx.app.DB, fx.viewer(t, "staff@demo.test"), safeguarding.ConcernInput{PupilIDs: []int64{pupil.ID}, Categories: []string{"neglect"}})
	c := fx.app.signIn(t, "dsl@demo.test")
	path := fmt.Sprintf("/pupils/%d", pupil.ID)

	res := c.post(path+"/left", url.Values{"left-on-day": {"1"}, "left-on-month": {"1"}, "left-on-year": {"2999"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "must be today or in the past") || !strings.Contains(res.Body, `value="2999"`) {
		t.Fatalf("a day in the future: status %d", res.StatusCode)
	}
	res = c.post(path+"/left", url.Values{"left-on-day": {"1"}, "left-on-month": {"9"}, "left-on-year": {"2025"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path+"/transfer?done=left" {
		t.Fatalf("marking as left: status %d", res.StatusCode)
	}
	if page := c.get(path + "/transfer?done=left"); !strings.Contains(page.Body, "The pupil has been marked as left.") || !strings.Contains(page.Body, "8 September 2025") {
		t.Errorf("the transfer page after marking as left: %s", page.Body)
	}
	if home := c.get("/home"); !strings.Contains(home.Body, pupil.Name()+": due by 8 September 2025 (overdue)") {
		t.Errorf("the home page does not list the transfer due: %s", home.Body)
	}
	res = c.post(path+"/transfer/not-needed", url.Values{"reason": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Enter why the file does not need to be transferred") {
		t.Fatalf("no reason: status %d", res.StatusCode)
	}
	res = c.post(path+"/transfer/not-needed", url.Values{"reason": {"Moved abroad."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("not needed: status %d", res.StatusCode)
	}
	if home := c.get("/home"); strings.Contains(home.Body, pupil.Name()+": due by") {
		t.Error("the home page still lists the transfer after it was recorded as not needed")
	}
	res = c.post(path+"/transfer/bundle", url.Values{"to-school": {"Elsewhere"}, "recipient": {"age1nonsense"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "not complete or not an age key") || !strings.Contains(res.Body, `value="Elsewhere"`) {
		t.Errorf("a bad key: status %d", res.StatusCode)
	}
}

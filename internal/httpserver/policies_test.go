package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/demo"
)

// policyID is the demo policy with that title.
func policyID(t *testing.T, a *testApp, title string) int64 {
	t.Helper()
	conn := a.ownerConn(t)
	defer conn.Close(t.Context())
	var id int64
	if err := conn.QueryRow(t.Context(), `SELECT id FROM policies WHERE title = $1`, title).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// The register's pages exist for those who read it; staff and the
// administrator get 404 for every one of them, and their posts change
// nothing. The DSL, the principal and the chair see the reviews due on
// their home page.
func TestPolicyPagesAccess(t *testing.T) {
	a := newTestApp(t)
	id := policyID(t, a, demo.OverduePolicy)
	page := fmt.Sprintf("/policies/%d", id)
	for _, tc := range []struct {
		email          string
		read, manage   bool
		homeShowsCount bool
	}{
		{"dsl@demo.test", true, true, true},
		{"principal@demo.test", true, true, true},
		{"deputy@demo.test", true, false, true},
		{"chair@demo.test", true, false, true},
		{"governor@demo.test", true, false, false},
		{"staff@demo.test", false, false, false},
		{"admin@demo.test", false, false, false},
	} {
		t.Run(tc.email, func(t *testing.T) {
			c := a.signIn(t, tc.email)
			want := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}
			for _, path := range []string{"/policies", page} {
				if res := c.get(path); res.StatusCode != want[tc.read] {
					t.Errorf("GET %s: status %d, want %d", path, res.StatusCode, want[tc.read])
				}
			}
			if res := c.get("/policies/new"); res.StatusCode != want[tc.manage] {
				t.Errorf("GET /policies/new: status %d, want %d", res.StatusCode, want[tc.manage])
			}
			if tc.read {
				res := c.get(page)
				if shows := strings.Contains(res.Body, "Record a review"); shows != tc.manage {
					t.Errorf("the policy page offers to record a review: %v, want %v", shows, tc.manage)
				}
			}
			home := c.get("/home")
			if shows := strings.Contains(home.Body, "1 policy is overdue for review"); shows != tc.homeShowsCount {
				t.Errorf("the home page counts the overdue review: %v, want %v", shows, tc.homeShowsCount)
			}
			if !tc.manage {
				today := time.Now()
				for path, form := range map[string]url.Values{
					"/policies":               {"title": {"A policy"}, "owner": {"DSL"}},
					page + "/reviews":         reviewForm(today, today.AddDate(1, 0, 0)),
					page + "/retire":          {},
					"/policies/999999/retire": {},
				} {
					if res := c.post(path, form); res.StatusCode != http.StatusNotFound {
						t.Errorf("POST %s: status %d, want 404", path, res.StatusCode)
					}
				}
			}
		})
	}
	conn := a.ownerConn(t)
	defer conn.Close(t.Context())
	var policies, retired int
	if err := conn.QueryRow(t.Context(), `SELECT count(*), count(retired_on) FROM policies`).Scan(&policies, &retired); err != nil {
		t.Fatal(err)
	}
	if policies != 6 || retired != 0 {
		t.Errorf("%d policies, %d retired after refused posts; want the demo's 6, none retired", policies, retired)
	}
}

func reviewForm(approved, next time.Time) url.Values {
	v := url.Values{}
	for name, d := range map[string]time.Time{"approved-on": approved, "next-review-on": next} {
		v.Set(name+"-day", fmt.Sprint(d.Day()))
		v.Set(name+"-month", fmt.Sprint(int(d.Month())))
		v.Set(name+"-year", fmt.Sprint(d.Year()))
	}
	return v
}

func TestPolicyReview(t *testing.T) {
	a := newTestApp(t)
	c := a.signIn(t, "dsl@demo.test")
	id := policyID(t, a, demo.OverduePolicy)
	page := fmt.Sprintf("/policies/%d", id)

	t.Run("OverdueFirst", func(t *testing.T) {
		body := c.get("/policies").Body
		first := strings.Index(body, demo.OverduePolicy)
		for _, p := range []string{demo.DueSoonPolicy, "Staff code of conduct"} {
			if i := strings.Index(body, p); first < 0 || i < first {
				t.Errorf("%q is listed before the overdue %q", p, demo.OverduePolicy)
			}
		}
	})

	t.Run("PrefilledAYearOn", func(t *testing.T) {
		body := c.get(page).Body
		next := time.Now().AddDate(1, 0, 0)
		if !strings.Contains(body, fmt.Sprintf(`name="next-review-on-year" type="text" inputmode="numeric" value="%d"`, next.Year())) {
			t.Errorf("the next review is not prefilled with %d", next.Year())
		}
	})

	t.Run("ErrEveryDateKept", func(t *testing.T) {
		form := url.Values{"approved-on-day": {"3"}, "approved-on-month": {"2"}, "approved-on-year": {"2026"},
			"next-review-on-day": {"1"}, "next-review-on-month": {"1"}, "next-review-on-year": {"2026"}}
		res := c.post(page+"/reviews", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.StatusCode)
		}
		for _, want := range []string{"There is a problem", "The next review must be after the date the policy was approved",
			`href="#next-review-on"`, `value="2026"`, `value="3"`, `value="2"`} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("the page does not show %q", want)
			}
		}
		future := time.Now().AddDate(0, 0, 3)
		res = c.post(page+"/reviews", reviewForm(future, future.AddDate(1, 0, 0)))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "must be today or in the past") {
			t.Errorf("an approval in the future: status %d", res.StatusCode)
		}
	})

	t.Run("OKReviewLeavesTheOverdueList", func(t *testing.T) {
		today := time.Now()
		form := reviewForm(today, today)
		for _, f := range []string{"next-review-on-day", "next-review-on-month", "next-review-on-year"} {
			form.Set(f, "") // blank: a year on
		}
		res := c.post(page+"/reviews", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d, want 303: %s", res.StatusCode, res.Body)
		}
		body := c.get(page + "?reviewed=1").Body
		if !strings.Contains(body, "The review has been recorded") || !strings.Contains(body, "In date") ||
			!strings.Contains(body, today.AddDate(1, 0, 0).Format("2 January 2006")) {
			t.Errorf("the policy page does not show the review, in date, next due a year on")
		}
		if home := c.get("/home").Body; strings.Contains(home, "overdue for review") {
			t.Errorf("the home page still counts an overdue review")
		}
		events := a.auditLog(t, a.SchoolID, 5)
		if len(events) == 0 || events[0].Action != "reviewed_policy" {
			t.Errorf("latest audit event %+v, want reviewed_policy", events)
		}
	})

	t.Run("OKAddAndRetire", func(t *testing.T) {
		res := c.post("/policies", url.Values{"title": {""}, "owner": {"Head of IT"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Enter the policy") || !strings.Contains(res.Body, `value="Head of IT"`) {
			t.Errorf("a policy without a title: status %d, or the owner was lost", res.StatusCode)
		}
		res = c.post("/policies", url.Values{"title": {"Acceptable use policy"}, "owner": {"Head of IT"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d, want 303", res.StatusCode)
		}
		added := res.Header.Get("Location")
		if body := c.get(added).Body; !strings.Contains(body, "Not yet approved") {
			t.Errorf("the new policy is not shown as not yet approved")
		}
		if res := c.post(strings.TrimSuffix(added, "?added=1")+"/retire", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("retire: status %d, want 303", res.StatusCode)
		}
		if body := c.get("/policies").Body; strings.Contains(body, "Acceptable use policy") {
			t.Errorf("the retired policy is still on the register")
		}
	})
}

package httpserver_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// TestRetentionPage: a file past its retention date is listed for the DSL
// and the principal and counted on their home pages; a proposal without a
// reason is refused beside the field; the DSL proposes, the principal
// confirms, and the file is destroyed; nobody else sees the page.
func TestRetentionPage(t *testing.T) {
	w := newChildWorld(t)
	staff := w.viewer(t, "staff@demo.test")
	born := time.Now().AddDate(-26, 0, 0)
	old := w.addPupil(t, w.app.SchoolID, "Ottoline", "Ashcombe", 11, time.Date(born.Year(), born.Month(), born.Day(), 0, 0, 0, 0, time.UTC))
	w.now = time.Now()
	concern := w.logConcern(t, staff, []string{"neglect"}, nil, old)
	if _, err := w.app.DB.ListRetentionDue(t.Context(), safeguarding.DateInEngland(time.Now())); err != nil {
		t.Fatal(err)
	}
	dsl, principal := w.app.signIn(t, "dsl@demo.test"), w.app.signIn(t, "principal@demo.test")
	id := strconv.FormatInt(old, 10)
	field := "reason-" + id

	for _, c := range []*client{dsl, principal} {
		if home := c.get("/home"); !strings.Contains(home.Body, "1 child protection file has passed its retention date") {
			t.Errorf("home page does not count the file due")
		}
	}
	page := dsl.get("/retention")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Ottoline Ashcombe") || !strings.Contains(page.Body, "Propose destroying the file") {
		t.Fatalf("DSL's retention page: status %d, lists the file %v", page.StatusCode, strings.Contains(page.Body, "Ottoline"))
	}
	checkStrictCSP(t, page.Body)

	t.Run("ReasonRequired", func(t *testing.T) {
		res := dsl.post("/retention/"+id+"/destroy", url.Values{field: {"  "}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Give the reason the file should be destroyed") ||
			!strings.Contains(res.Body, `href="#`+field+`"`) {
			t.Errorf("no reason: status %d, want 422 with the message linked to the field", res.StatusCode)
		}
	})
	t.Run("DSLProposes", func(t *testing.T) {
		res := dsl.post("/retention/"+id+"/destroy", url.Values{field: {"Past the retention date; nothing open."}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d, want 303", res.StatusCode)
		}
		page := dsl.get("/retention")
		if !strings.Contains(page.Body, "You proposed destroying the file") || !strings.Contains(page.Body, "You have agreed") {
			t.Error("the DSL is not told the file waits for the other person")
		}
		if w.count(t, `SELECT count(*) FROM concerns WHERE id = $1`, concern) != 1 {
			t.Error("one person's proposal destroyed the concern")
		}
	})
	t.Run("PrincipalConfirms", func(t *testing.T) {
		if page := principal.get("/retention"); !strings.Contains(page.Body, "Confirm and destroy the file") {
			t.Fatal("the principal is not asked to confirm")
		}
		if res := principal.post("/retention/"+id+"/destroy", url.Values{field: {"Agreed."}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d, want 303", res.StatusCode)
		}
		page := principal.get("/retention")
		if !strings.Contains(page.Body, "The file was destroyed") || strings.Contains(page.Body, "Ottoline") || !strings.Contains(page.Body, "confirmed by Pat Principal") {
			t.Error("the page does not show the file destroyed, without its name")
		}
		if w.count(t, `SELECT count(*) FROM concerns WHERE id = $1`, concern) != 0 {
			t.Error("the concern survived")
		}
	})
	t.Run("NobodyElse", func(t *testing.T) {
		for _, email := range []string{"staff@demo.test", "chair@demo.test", "governor@demo.test", "admin@demo.test"} {
			c := w.app.signIn(t, email)
			if res := c.get("/retention"); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", email, res.StatusCode)
			}
			if res := c.post("/retention/"+id+"/destroy", url.Values{field: {"x"}}); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s posts: status %d, want 404", email, res.StatusCode)
			}
		}
	})
}

func (w *childWorld) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := w.owner.QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

package httpserver_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/safeguarding"
)

// entryWorld is a concern about a pupil, its page's address, and the DSL
// signed in on it.
type entryWorld struct {
	fx      *concernFixture
	concern int64
	ref     string
	dsl     *client
	dslID   string
}

func newEntryWorld(t *testing.T) *entryWorld {
	t.Helper()
	fx := newConcernFixture(t)
	staff := fx.viewer(t, "staff@demo.test")
	id := logConcern(t, fx.app.DB, staff, safeguarding.ConcernInput{PupilIDs: []int64{fx.pupil(t, 9).ID}, Categories: []string{"cse"}})
	return &entryWorld{fx: fx, concern: id, ref: "/concerns/" + strconv.FormatInt(id, 10),
		dsl: fx.app.signIn(t, "dsl@demo.test"), dslID: strconv.FormatInt(fx.viewer(t, "dsl@demo.test").PersonID, 10)}
}

// action is the "An action taken" form, as the DSL types it.
func (w *entryWorld) action(body string) url.Values {
	return url.Values{"kind": {"action"}, "author": {w.dslID}, "body": {body}}
}

func (w *entryWorld) drafts(t *testing.T) int {
	t.Helper()
	return w.fx.count(t, `SELECT count(*) FROM entry_drafts WHERE concern_id = $1`, w.concern)
}

// TestEntrySurvivesSessionExpiry: the DSL's session ends while they type
// an entry; what they typed is kept, and signing in again takes them back
// to the concern with it in its form, not yet added.
func TestEntrySurvivesSessionExpiry(t *testing.T) {
	w := newEntryWorld(t)
	form := happenedAt(w.action("Phoned MASH: typed slowly, over forty minutes"), time.Now().Add(-time.Hour))

	w.fx.expireSessions(t)
	res := w.dsl.post(w.ref+"/entries", form)
	location := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(location, "/sign-in?") {
		t.Fatalf("status %d to %q, want a redirect to sign in", res.StatusCode, location)
	}
	if w.fx.entryID(t, w.concern, safeguarding.EntryAction) != 0 {
		t.Fatal("an entry was added without a session")
	}
	page, res := signInFrom(t, w.dsl, location, "dsl@demo.test")
	if !strings.Contains(page.Body, "the entry you were writing has been kept") {
		t.Error("the sign-in page does not say the entry was kept")
	}
	if want := w.ref + "#form-action"; res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("sign in: status %d to %q, want %q", res.StatusCode, res.Header.Get("Location"), want)
	}
	back := w.dsl.get(w.ref)
	for _, want := range []string{">Phoned MASH: typed slowly, over forty minutes</textarea>", `<details class="govuk-details" id="form-action" open>`,
		"The entry you were writing has been kept in its form below", `value="` + form.Get("happened_at-time") + `"`} {
		if !strings.Contains(back.Body, want) {
			t.Errorf("the concern page lacks %s", want)
		}
	}
	triagePost(t, w.dsl, w.concern, form)
	if n := w.drafts(t); n != 0 {
		t.Errorf("%d drafts outlived adding the entry", n)
	}
	if strings.Contains(w.dsl.get(w.ref).Body, "has been kept in its form below") {
		t.Error("the added entry is offered again")
	}
}

// TestPendingEntryIsOnlyForItsAuthor: an entry posted in an expired
// session is kept for the person it was typed by, never for whoever signs
// in next on that browser.
func TestPendingEntryIsOnlyForItsAuthor(t *testing.T) {
	w := newEntryWorld(t)
	form := w.action("Spoke to the police liaison officer")
	form.Set("author", strconv.FormatInt(w.fx.viewer(t, "staff@demo.test").PersonID, 10)) // not the session's person
	w.fx.expireSessions(t)
	if res := w.dsl.post(w.ref+"/entries", form); res.Header.Get("Location") != "/sign-in" {
		t.Errorf("an entry not the session's own was answered %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if n := w.drafts(t); n != 0 {
		t.Fatalf("%d drafts kept for an entry that was not the session's person's", n)
	}

	// Signed out altogether: nothing is kept, whatever the form says.
	anon := w.fx.app.newClient(t)
	anon.post(w.ref+"/entries", w.action("Planted"))
	anon.post(w.ref+"/entries/draft", w.action("Planted"))
	if n := w.drafts(t); n != 0 {
		t.Fatalf("a signed-out browser planted %d drafts", n)
	}
}

// TestEntryDraftAutosave: entry_draft.js's saves are the person's own,
// on concerns they may add to, and come back in the form until added.
func TestEntryDraftAutosave(t *testing.T) {
	w := newEntryWorld(t)
	autosave := func(c *client, form url.Values) response {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, w.fx.app.URL+w.ref+"/entries/draft", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Haven-Autosave", "1")
		return c.do(req)
	}
	form := url.Values{"kind": {"decision"}, "author": {w.dslID}, "body": {"Refer to MASH"}, "reason": {"Older adult, gifts"}}
	if res := autosave(w.dsl, form); res.StatusCode != http.StatusNoContent {
		t.Fatalf("autosave: status %d", res.StatusCode)
	}
	page := w.dsl.get(w.ref).Body
	if !strings.Contains(page, ">Refer to MASH</textarea>") || !strings.Contains(page, ">Older adult, gifts</textarea>") ||
		!strings.Contains(page, `<details class="govuk-details" id="form-decision" open>`) {
		t.Error("the autosaved decision is not back in its form")
	}

	t.Run("ErrNotTheirsToAddTo", func(t *testing.T) {
		colleague := w.fx.app.signIn(t, "staff01@demo.test") // neither logged it nor handles it
		if res := autosave(colleague, url.Values{"kind": {"further_information"}, "body": {"x"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("a draft on someone else's concern: status %d, want 404", res.StatusCode)
		}
		if n := w.drafts(t); n != 1 {
			t.Errorf("%d drafts, want the DSL's one", n)
		}
	})
	t.Run("ThePrincipalDoesNotSeeTheDSLsDraft", func(t *testing.T) {
		principal := w.fx.app.signIn(t, "principal@demo.test")
		if strings.Contains(principal.get(w.ref).Body, "Older adult, gifts") {
			t.Error("someone else's draft is shown")
		}
	})
	t.Run("ARefusedEntryIsKeptToo", func(t *testing.T) {
		res := w.dsl.post(w.ref+"/entries", url.Values{"kind": {"decision"}, "author": {w.dslID}, "body": {"Refer to CSCS"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.StatusCode)
		}
		if !strings.Contains(w.dsl.get(w.ref).Body, ">Refer to CSCS</textarea>") {
			t.Error("the refused decision was not kept")
		}
	})
	t.Run("AddingAnotherKindKeepsTheDraft", func(t *testing.T) {
		triagePost(t, w.dsl, w.concern, w.action("Phoned MASH"))
		if n := w.drafts(t); n != 1 {
			t.Errorf("adding an action discarded the decision being typed (%d drafts)", n)
		}
	})
	t.Run("NotOfferedOnceItsFormIsGone", func(t *testing.T) {
		triagePost(t, w.dsl, w.concern, url.Values{"kind": {"closed"}, "author": {w.dslID}, "body": {"No further action"}})
		if page := w.dsl.get(w.ref).Body; strings.Contains(page, "has been kept in its form below") || strings.Contains(page, "Refer to CSCS") {
			t.Error("a decision is offered on a closed concern, which has no decision form")
		}
	})
}

// TestEntrySurvivesDatabaseRestart: an entry posted while the database is
// down comes back on a page holding everything typed, and "Try again" adds
// it once the database is back.
func TestEntrySurvivesDatabaseRestart(t *testing.T) {
	cluster := pgtest.Cluster(t)
	if cluster == nil {
		t.Skip("DATABASE_URL is set: this test needs the throwaway cluster it can kill")
	}
	w := newEntryWorld(t)
	// The throwaway cluster skips waiting for the disk; this database must
	// not, or the DSL's session, written just before the kill, could be lost.
	if _, err := w.fx.owner.Exec(t.Context(), "ALTER DATABASE "+pgx.Identifier{w.fx.owner.Config().Database}.Sanitize()+" SET synchronous_commit = on"); err != nil {
		t.Fatal(err)
	}
	w.fx.app.Pool.Reset()
	w.dsl = w.fx.app.signIn(t, "dsl@demo.test")
	form := happenedAt(w.action("Phoned MASH as the server went down"), time.Now().Add(-time.Hour))
	form.Set("happened_reason", "")

	if err := cluster.Kill(); err != nil {
		t.Fatal(err)
	}
	res := w.dsl.postNoFail(w.ref+"/entries", form)
	if err := cluster.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkFailurePage(t, submission{marker: "entry", form: form, status: res.StatusCode, body: res.Body})
	if !strings.Contains(res.Body, `action="`+w.ref+`/entries"`) {
		t.Error("the failure page does not post the entry to where it was going")
	}
	waitFor(t, 5*time.Second, func() bool { return w.dsl.get("/readyz").StatusCode == http.StatusOK })
	owner, err := pgx.Connect(t.Context(), w.fx.app.ConnStr) // the fixture's went down with the server
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { owner.Close(context.Background()) })
	w.fx.owner = owner
	var retried response
	waitFor(t, 5*time.Second, func() bool {
		retried = w.dsl.postNoFail(w.ref+"/entries", retryFields(t, res.Body))
		return retried.StatusCode == http.StatusSeeOther
	})
	if id := w.fx.entryID(t, w.concern, safeguarding.EntryAction); id == 0 || retried.Header.Get("Location") != w.ref+"#entry-"+strconv.FormatInt(id, 10) {
		t.Errorf("try again answered %q; the action is entry %d", retried.Header.Get("Location"), id)
	}
	if n := w.fx.count(t, `SELECT count(*) FROM chronology_entries WHERE concern_id = $1 AND body = $2`, w.concern, form.Get("body")); n != 1 {
		t.Errorf("the entry is stored %d times, want once", n)
	}
}

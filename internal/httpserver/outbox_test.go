package httpserver_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/httpserver"
	"github.com/havenapp/haven/internal/mail"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/safeguarding/accesstest"
)

// Without SMTP, the administrator alone has the Outbox page, linked from
// their home page, which shows every kept e-mail, newest first, with its
// recipient, subject, time and whole body; to everyone else it does not
// exist.
func TestOutboxPageAccess(t *testing.T) {
	fx := newFixtureOn(t, newTestAppWith(t, httpserver.Config{}))
	for i, m := range []mail.Message{
		{SchoolID: fx.app.SchoolID, To: "dsl@demo.test", Subject: "The older e-mail", Body: "First line.\n\nhttps://haven.test/concerns/1\n"},
		{SchoolID: fx.app.SchoolID, To: "deputy@demo.test", Subject: "The newer e-mail", Body: "Second e-mail's body."},
	} {
		if err := fx.app.DB.KeepInOutbox(t.Context(), m); err != nil {
			t.Fatalf("keep e-mail %d: %v", i, err)
		}
	}
	for _, v := range accesstest.Viewers {
		t.Run(v.Name, func(t *testing.T) {
			c := fx.app.signIn(t, v.Email)
			may := safeguarding.MayReadOutbox(v.Roles)
			res := c.get("/settings/outbox")
			home := c.get("/home")
			if links := strings.Contains(home.Body, `href="/settings/outbox"`); links != may {
				t.Errorf("the home page links to the outbox: %v, want %v", links, may)
			}
			if !may {
				if res.StatusCode != http.StatusNotFound {
					t.Errorf("status %d, want 404", res.StatusCode)
				}
				return
			}
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200", res.StatusCode)
			}
			body := html.UnescapeString(res.Body)
			newer, older := strings.Index(body, "The newer e-mail"), strings.Index(body, "The older e-mail")
			if newer < 0 || older < 0 || newer > older {
				t.Errorf("the e-mails are not both shown newest first (newer at %d, older at %d)", newer, older)
			}
			for _, want := range []string{"To dsl@demo.test", "To deputy@demo.test", "First line.", "https://haven.test/concerns/1",
				"Second e-mail's body.", "<details", "Read the e-mail"} {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
		})
	}
}

// With SMTP set up, the Outbox does not exist, for the administrator too.
func TestOutboxPageGoneWithSMTP(t *testing.T) {
	fx := newConcernFixture(t)
	c := fx.app.signIn(t, "admin@demo.test")
	if res := c.get("/settings/outbox"); res.StatusCode != http.StatusNotFound {
		t.Errorf("status %d, want 404", res.StatusCode)
	}
	if home := c.get("/home"); strings.Contains(home.Body, `href="/settings/outbox"`) {
		t.Error("the home page links to the outbox")
	}
}

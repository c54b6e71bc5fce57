package httpserver_test

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/safeguarding/accesstest"
)

// upload posts a roster file to the preview as a same-origin browser would.
func (c *client) upload(kind, name string, content []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if kind != "" {
		mw.WriteField("kind", kind)
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			c.t.Fatal(err)
		}
		fw.Write(content)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.app.URL+"/settings/import/preview", &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

var importHiddenField = regexp.MustCompile(`<input type="hidden" name="([a-z-]+)" value="([^"]*)"`)

// importForm is the preview's form, to post to the import.
func importForm(t *testing.T, res response) url.Values {
	t.Helper()
	vals := url.Values{}
	for _, m := range importHiddenField.FindAllStringSubmatch(res.Body, -1) {
		vals.Set(m[1], html.UnescapeString(m[2]))
	}
	if vals.Get("content") == "" {
		t.Fatalf("the preview carries no file:\n%s", res.Body)
	}
	return vals
}

const goodPupils = "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg Group,SEN Status\r\n" +
	"Z123456789012,O'Neill,Siobhan,Shiv,04/03/2012,Year 8,8A,K\r\n" +
	"Z123456789013,\"Quaye, Jr\",Kofi,,2012-05-06,8,8B,N\r\n"

// Only the administrator has the import pages, linked from their home
// page; to everyone else they do not exist, and posting to them changes
// nothing.
func TestImportPagesAccess(t *testing.T) {
	fx := newConcernFixture(t)
	for _, v := range accesstest.Viewers {
		t.Run(v.Name, func(t *testing.T) {
			c := fx.app.signIn(t, v.Email)
			may := safeguarding.MayImportRoster(v.Roles)
			if links := strings.Contains(c.get("/home").Body, `href="/settings/import"`); links != may {
				t.Errorf("the home page links to the import: %v, want %v", links, may)
			}
			want := http.StatusNotFound
			if may {
				want = http.StatusOK
			}
			if res := c.get("/settings/import"); res.StatusCode != want {
				t.Errorf("GET: status %d, want %d", res.StatusCode, want)
			}
			if res := c.upload("pupils", "pupils.csv", []byte(goodPupils)); res.StatusCode != want {
				t.Errorf("preview: status %d, want %d", res.StatusCode, want)
			}
			if may {
				return
			}
			res := c.post("/settings/import", url.Values{"kind": {"pupils"}, "content": {"VVBOLEZvcmVuYW1lLFN1cm5hbWUsRE9CLFllYXIKLEEsQiwyMDEyLTAxLTAxLDcK"}})
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("import: status %d, want 404", res.StatusCode)
			}
			if n := fx.count(t, `SELECT count(*) FROM pupils WHERE first_name IN ('Siobhan', 'A')`); n != 0 {
				t.Errorf("%d pupils imported", n)
			}
		})
	}
}

// The administrator uploads a file with problems and sees each with its
// line and column, nothing imported; uploads the good file, sees what it
// would change, imports it; importing it again changes nothing.
func TestImportPupilsPages(t *testing.T) {
	fx := newConcernFixture(t)
	c := fx.app.signIn(t, "admin@demo.test")

	bad := strings.Replace(goodPupils, "04/03/2012", "31/02/2012", 1)
	bad = strings.Replace(bad, ",8,8B,", ",Year 15,8B,", 1)
	res := c.upload("pupils", "pupils.csv", []byte(bad))
	body := html.UnescapeString(res.Body)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	for _, want := range []string{"There is a problem", "pupils.csv has 2 problems", `Line 2, column “DOB”, found “31/02/2012”`,
		`Line 3, column “Year”, found “Year 15”`, "Enter a year group from 1 to 14", `value="pupils" checked`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := fx.count(t, `SELECT count(*) FROM pupils WHERE first_name = 'Siobhan'`); n != 0 {
		t.Fatalf("a file with problems imported %d pupils", n)
	}

	res = c.upload("pupils", "pupils.csv", []byte(goodPupils))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Check the import") {
		t.Fatalf("preview: status %d\n%s", res.StatusCode, res.Body)
	}
	if !regexp.MustCompile(`New pupils</dt>\s*<dd class="govuk-summary-list__value">2<`).MatchString(res.Body) {
		t.Errorf("the preview does not count 2 new pupils:\n%s", res.Body)
	}
	// The demo roster is far bigger than two pupils: nobody is marked left.
	if !strings.Contains(html.UnescapeString(res.Body), "nobody is marked as left") {
		t.Error("the preview does not say a partial file marks nobody left")
	}
	if n := fx.count(t, `SELECT count(*) FROM pupils WHERE first_name = 'Siobhan'`); n != 0 {
		t.Fatalf("the preview imported %d pupils", n)
	}
	form := importForm(t, res)
	for range 2 {
		res = c.post("/settings/import", form)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Import complete") {
			t.Fatalf("import: status %d\n%s", res.StatusCode, res.Body)
		}
	}
	if !regexp.MustCompile(`Unchanged</dt>\s*<dd class="govuk-summary-list__value">2<`).MatchString(res.Body) {
		t.Errorf("the second import does not say both pupils are unchanged:\n%s", res.Body)
	}
	if n := fx.count(t, `SELECT count(*) FROM pupils WHERE school_id = $1 AND upn IN ('Z123456789012', 'Z123456789013') AND active
		AND (first_name, preferred_first_name, send) IN (('Siobhan', 'Shiv', true), ('Kofi', '', false))`, fx.app.SchoolID); n != 2 {
		t.Errorf("%d pupils imported as the file gives them, want 2", n)
	}
}

func TestImportFormProblems(t *testing.T) {
	fx := newConcernFixture(t)
	c := fx.app.signIn(t, "admin@demo.test")
	for name, tc := range map[string]struct {
		kind, file string
		content    []byte
		want       []string
	}{
		"NothingChosen": {"", "", nil, []string{"Select whether you are importing pupils or staff", "Select a CSV file to upload"}},
		"Empty":         {"staff", "staff.csv", nil, []string{"The selected file is empty"}},
		"TooBig":        {"pupils", "big.csv", bytes.Repeat([]byte("x"), 6<<20), []string{"The file must be smaller than 5 MB"}},
		"MuchTooBig":    {"pupils", "huge.csv", bytes.Repeat([]byte("x"), 9<<20), []string{"The file must be smaller than 5 MB"}},
		"NotARoster":    {"pupils", "notes.csv", []byte("Notes\nhello\n"), []string{"notes.csv has 4 problems", "No column for the legal first name"}},
	} {
		t.Run(name, func(t *testing.T) {
			res := c.upload(tc.kind, tc.file, tc.content)
			body := html.UnescapeString(res.Body)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("status %d, want 422", res.StatusCode)
			}
			for _, want := range tc.want {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
		})
	}
	t.Run("ImportWithoutTheFile", func(t *testing.T) {
		res := c.post("/settings/import", url.Values{"kind": {"pupils"}, "content": {"not base64!"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Upload the file again") {
			t.Errorf("status %d\n%s", res.StatusCode, res.Body)
		}
	})
}

// A staff import adds people without a password, says they need an
// invitation, and updates people already there.
func TestImportStaffPages(t *testing.T) {
	fx := newConcernFixture(t)
	c := fx.app.signIn(t, "admin@demo.test")
	file := "E-mail,First Name,Last Name,Job Title,Roles\r\n" +
		"new.teacher@demo.test,Nell,New,Teacher,Staff\r\n" +
		"admin@demo.test,Ada,Admin,Office manager,\"admin; staff\"\r\n"
	res := c.upload("staff", "staff.csv", []byte(file))
	body := html.UnescapeString(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "1 new person needs an invitation from the People page") ||
		!strings.Contains(body, "An import never deactivates anyone") {
		t.Fatalf("preview: status %d\n%s", res.StatusCode, body)
	}
	res = c.post("/settings/import", importForm(t, res))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Import complete") {
		t.Fatalf("import: status %d\n%s", res.StatusCode, res.Body)
	}
	if n := fx.count(t, `SELECT count(*) FROM people WHERE email = 'new.teacher@demo.test' AND password_hash = '' AND full_name = 'Nell New'`); n != 1 {
		t.Error("the new person was not added without a password")
	}
	if n := fx.count(t, `SELECT count(*) FROM person_roles r JOIN people p ON p.id = r.person_id WHERE p.email = 'admin@demo.test'`); n != 2 {
		t.Errorf("the administrator has %d roles, want admin and staff", n)
	}
}

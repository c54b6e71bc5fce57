package httpserver_test

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/havenapp/haven/internal/safeguarding"
)

// attach posts the attachment form of a concern as a same-origin browser
// would: the description first, the file last.
func (c *client) attach(concernID int64, description, name string, content []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("description", description)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		c.t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.app.URL+"/concerns/"+strconv.FormatInt(concernID, 10)+"/attachments", &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

var letterPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func TestAttachmentPages(t *testing.T) {
	fx := newConcernFixture(t)
	staff := fx.viewer(t, "staff@demo.test")
	pupil := fx.pupil(t, 9)
	id := logConcern(t, fx.app.DB, staff, safeguarding.ConcernInput{PupilIDs: []int64{pupil.ID}, Categories: []string{"physical_abuse"}})
	page := "/concerns/" + strconv.FormatInt(id, 10)
	dsl := fx.app.signIn(t, "dsl@demo.test")
	files := func() int { return fx.count(t, `SELECT count(*) FROM concern_attachments`) }

	var download string
	t.Run("OK", func(t *testing.T) {
		res := dsl.attach(id, "Letter from children's social care", "letter from CSC.pdf", letterPDF)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page+"#attachments" {
			t.Fatalf("status %d, location %q:\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		res = dsl.get(page)
		for _, want := range []string{"letter from CSC.pdf", "PDF, 77 bytes", "Dana Lead", "Letter from children&#39;s social care",
			"indecent image of a child"} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("the concern page does not show %q", want)
			}
		}
		checkStrictCSP(t, res.Body)
		i := strings.Index(res.Body, page+"/attachments/")
		if i < 0 {
			t.Fatal("no link to the file")
		}
		download = res.Body[i : i+strings.IndexByte(res.Body[i:], '"')]
		res = dsl.get(download)
		if res.StatusCode != http.StatusOK || res.Body != string(letterPDF) {
			t.Fatalf("download: status %d, %d bytes", res.StatusCode, len(res.Body))
		}
		for header, want := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff",
			"Content-Disposition": `attachment; filename="letter from CSC.pdf"`, "Cache-Control": "no-store"} {
			if got := res.Header.Get(header); got != want {
				t.Errorf("%s = %q, want %q", header, got, want)
			}
		}
	})

	for _, tc := range []struct {
		name, file, message string
		content             []byte
	}{
		{"ErrWrongType", "notes.txt", "must be a PDF, PNG or JPEG", []byte("Typed notes of the meeting.\n")},
		{"ErrRenamedExecutable", "referral.pdf", "must be a PDF, PNG or JPEG", append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 2048)...)},
		{"ErrTooLarge", "scan.pdf", "must be 10 MB or smaller", append(append([]byte("%PDF-1.4\n"), make([]byte, 11<<20)...), "%%EOF\n"...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := files()
			res := dsl.attach(id, "Kept as typed: the referral form", tc.file, tc.content)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			body := html.UnescapeString(res.Body)
			if !strings.Contains(body, tc.message) || !strings.Contains(body, `href="#attachment-file"`) {
				t.Errorf("the page does not say %q by the file field", tc.message)
			}
			if !strings.Contains(body, "Kept as typed: the referral form") {
				t.Error("the description typed was lost")
			}
			if files() != before {
				t.Error("a refused file was kept")
			}
		})
	}

	t.Run("NotFoundForThoseWhoMayNotSee", func(t *testing.T) {
		for _, email := range []string{"staff@demo.test", "staff01@demo.test", "governor@demo.test", "chair@demo.test", "admin@demo.test"} {
			c := fx.app.signIn(t, email)
			if res := c.get(download); res.StatusCode != http.StatusNotFound || strings.Contains(res.Body, "%PDF") {
				t.Errorf("%s downloads the DSL's file: status %d", email, res.StatusCode)
			}
		}
		if res := dsl.get(page + "/attachments/999999"); res.StatusCode != http.StatusNotFound {
			t.Errorf("a file that is not: status %d", res.StatusCode)
		}
		before := files()
		if res := fx.app.signIn(t, "governor@demo.test").attach(id, "", "letter.pdf", letterPDF); res.StatusCode != http.StatusNotFound || files() != before {
			t.Errorf("a governor's upload: status %d", res.StatusCode)
		}
	})
}

func TestBodyMapPages(t *testing.T) {
	fx := newConcernFixture(t)
	staff := fx.viewer(t, "staff@demo.test")
	pupil := fx.pupil(t, 9)
	id := logConcern(t, fx.app.DB, staff, safeguarding.ConcernInput{PupilIDs: []int64{pupil.ID}, Categories: []string{"physical_abuse"}})
	page := "/concerns/" + strconv.FormatInt(id, 10)
	dsl := fx.app.signIn(t, "dsl@demo.test")

	t.Run("ErrNoDescription", func(t *testing.T) {
		res := dsl.post(page+"/entries", url.Values{"kind": {"body_map"}, "region": {"front:left_forearm"}, "x": {""}, "y": {""}, "description": {" "}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Describe the mark: its size") ||
			!strings.Contains(res.Body, `<option value="front:left_forearm" selected>`) {
			t.Fatalf("status %d; the message or the region chosen is missing", res.StatusCode)
		}
	})
	t.Run("ByTheListOfRegions", func(t *testing.T) {
		res := dsl.post(page+"/entries", url.Values{"kind": {"body_map"}, "region": {"front:left_forearm"}, "x": {""}, "y": {""},
			"description": {"Bruise, 3 cm, purple"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d:\n%s", res.StatusCode, res.Body)
		}
		for _, path := range []string{page, "/pupils/" + strconv.FormatInt(pupil.ID, 10)} {
			body := dsl.get(path).Body
			// The mark is in the middle of the region, and listed in words.
			if !strings.Contains(body, "Front: left forearm") || !strings.Contains(body, "Bruise, 3 cm, purple") ||
				!strings.Contains(body, `<circle class="haven-body-map__mark" cx="155" cy="196"`) {
				t.Errorf("%s does not show the body map", path)
			}
			checkStrictCSP(t, body)
		}
	})
	t.Run("ByTheOutline", func(t *testing.T) {
		res := fx.app.signIn(t, "staff@demo.test").post(page+"/entries", url.Values{"kind": {"body_map"}, "region": {"back:upper_back"},
			"x": {"90"}, "y": {"101"}, "description": {"Red mark"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("the member of staff who logged it: status %d", res.StatusCode)
		}
		if body := dsl.get(page).Body; !strings.Contains(body, `cx="90" cy="101"`) || !strings.Contains(body, "Back: upper back") {
			t.Error("the mark is not where it was placed")
		}
	})
}

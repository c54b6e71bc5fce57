package httpserver_test

import (
	"bytes"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/safeguarding/accesstest"
)

func (f *concernFixture) personName(t *testing.T, email string) string {
	t.Helper()
	var name string
	if err := f.owner.QueryRow(t.Context(), `SELECT full_name FROM people WHERE email = $1`, email).Scan(&name); err != nil {
		t.Fatal(err)
	}
	return html.EscapeString(name) // as the pages write it
}

// Only the DSL, the deputies and the principal have the register; only
// the DSL keeps it and imports; to everyone else those pages do not exist,
// and their posts change nothing. Everyone who needs training sees their
// own on their home page, and may open their own page.
func TestTrainingPagesAccess(t *testing.T) {
	fx := newConcernFixture(t)
	target := fx.personID(t, "staff05@demo.test")
	records := func() int {
		return fx.count(t, `SELECT count(*) FROM training_records WHERE person_id = $1`, target)
	}
	before := records()
	for _, v := range accesstest.Viewers {
		t.Run(v.Name, func(t *testing.T) {
			c := fx.app.signIn(t, v.Email)
			sees, keeps := safeguarding.MaySeeTrainingRegister(v.Roles), safeguarding.MayEditTraining(v.Roles)
			status := func(ok bool) int {
				if ok {
					return http.StatusOK
				}
				return http.StatusNotFound
			}
			for path, want := range map[string]int{
				"/training":          status(sees),
				"/training?show=all": status(sees),
				fmt.Sprintf("/training/people/%d", target): status(sees),
				"/training/import":                         status(keeps),
			} {
				if res := c.get(path); res.StatusCode != want {
					t.Errorf("GET %s: status %d, want %d", path, res.StatusCode, want)
				}
			}
			own := fx.personID(t, v.Email)
			if res := c.get(fmt.Sprintf("/training/people/%d", own)); res.StatusCode != http.StatusOK {
				t.Errorf("their own training page: status %d, want 200", res.StatusCode)
			}
			home := c.get("/home")
			if links := strings.Contains(home.Body, `href="/training"`); links != sees {
				t.Errorf("the home page links to the register: %v, want %v", links, sees)
			}
			if shows := strings.Contains(home.Body, `id="your-training"`); shows != safeguarding.NeedsTraining(v.Roles) {
				t.Errorf("the home page shows their own training: %v, want %v", shows, !shows)
			}
			if !keeps {
				for _, path := range []string{fmt.Sprintf("/training/people/%d/records", target), fmt.Sprintf("/training/people/%d/started", target)} {
					res := c.post(path, url.Values{"kind": {"induction"}, "completed-day": {"1"}, "completed-month": {"9"}, "completed-year": {"2025"},
						"started-day": {"1"}, "started-month": {"9"}, "started-year": {"2001"}})
					if res.StatusCode != http.StatusNotFound {
						t.Errorf("POST %s: status %d, want 404", path, res.StatusCode)
					}
				}
				if n := records(); n != before {
					t.Errorf("%d records after refused posts, want %d", n, before)
				}
				if n := fx.count(t, `SELECT count(*) FROM people WHERE id = $1 AND started_on = '2001-09-01'`, target); n != 0 {
					t.Error("a refused post set the start date")
				}
			}
		})
	}
}

// The register lists those overdue or due soon, late first; everyone on
// request. The demo's overdue staff are there; someone in date is not.
func TestTrainingRegisterList(t *testing.T) {
	fx := newConcernFixture(t)
	c := fx.app.signIn(t, "deputy@demo.test")
	res := c.get("/training")
	late, soon, inDate := fx.personName(t, "staff01@demo.test"), fx.personName(t, "staff03@demo.test"), fx.personName(t, "staff04@demo.test")
	if month := time.Now().Month(); month == time.August {
		t.Skip("in August the whole staff's update is due soon")
	}
	for _, name := range []string{late, soon, fx.personName(t, "deputy@demo.test")} {
		if !strings.Contains(res.Body, ">"+name+"<") {
			t.Errorf("the register does not list %s", name)
		}
	}
	if strings.Contains(res.Body, ">"+inDate+"<") {
		t.Errorf("the register lists %s, who is in date", inDate)
	}
	if i, j := strings.Index(res.Body, ">"+late+"<"), strings.Index(res.Body, ">"+soon+"<"); i > j {
		t.Error("someone due soon is listed before someone overdue")
	}
	if strings.Contains(res.Body, "Import training records") {
		t.Error("the deputy is offered the import")
	}
	all := c.get("/training?show=all")
	if !strings.Contains(all.Body, ">"+inDate+"<") {
		t.Errorf("everyone does not include %s", inDate)
	}
	if strings.Contains(all.Body, ">"+fx.personName(t, "governor@demo.test")+"<") {
		t.Error("the register lists a governor, who needs no training here")
	}
}

// The DSL adds a record for someone overdue: a bad form keeps what was
// typed with messages; a good one saves, and they leave the list. The DSL
// changes and deletes a record, and sets the start date.
func TestTrainingKeptByTheDSL(t *testing.T) {
	fx := newConcernFixture(t)
	c := fx.app.signIn(t, "dsl@demo.test")
	id := fx.personID(t, "staff01@demo.test")
	name := fx.personName(t, "staff01@demo.test")
	page := fmt.Sprintf("/training/people/%d", id)

	bad := url.Values{"kind": {""}, "completed-day": {"31"}, "completed-month": {"2"}, "completed-year": {"2026"}, "provider": {"Local authority"}, "notes": {"Typed notes"}}
	res := c.post(page+"/records", bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: status %d, want 422", res.StatusCode)
	}
	for _, want := range []string{`href="#kind"`, `href="#completed"`, "Select the type of training", "Date completed must be a real date",
		`value="31"`, `value="Local authority"`, "Typed notes"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("bad form: the page lacks %q", want)
		}
	}
	future := time.Now().AddDate(0, 0, 3)
	res = c.post(page+"/records", url.Values{"kind": {"annual_update"}, "completed-day": {fmt.Sprint(future.Day())},
		"completed-month": {fmt.Sprint(int(future.Month()))}, "completed-year": {fmt.Sprint(future.Year())}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "today or in the past") {
		t.Errorf("a date in the future: status %d", res.StatusCode)
	}

	today := time.Now()
	res = c.post(page+"/records", url.Values{"kind": {"annual_update"}, "completed-day": {fmt.Sprint(today.Day())},
		"completed-month": {fmt.Sprint(int(today.Month()))}, "completed-year": {fmt.Sprint(today.Year())}, "provider": {"Local authority"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page+"?done=added" {
		t.Fatalf("good form: status %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := c.get(page + "?done=added"); !strings.Contains(got.Body, "Training record added.") {
		t.Error("no banner after adding")
	}
	if strings.Contains(c.get("/training").Body, ">"+name+"<") {
		t.Errorf("%s is still listed after their update", name)
	}
	var rec int64
	if err := fx.owner.QueryRow(t.Context(), `SELECT id FROM training_records WHERE person_id = $1 AND provider = 'Local authority'`, id).Scan(&rec); err != nil {
		t.Fatal(err)
	}
	recPage := fmt.Sprintf("%s/records/%d", page, rec)
	if got := c.get(recPage); got.StatusCode != http.StatusOK || !strings.Contains(got.Body, `value="Local authority"`) {
		t.Errorf("edit page: status %d", got.StatusCode)
	}
	res = c.post(recPage, url.Values{"kind": {"online_safety"}, "completed-day": {"1"}, "completed-month": {"13"}, "completed-year": {"2025"}, "provider": {"Kept"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `value="Kept"`) || !strings.Contains(res.Body, `value="13"`) {
		t.Errorf("bad edit: status %d", res.StatusCode)
	}
	res = c.post(recPage, url.Values{"kind": {"online_safety"}, "completed-day": {"1"}, "completed-month": {"12"}, "completed-year": {"2025"}, "provider": {"NOS"}})
	if res.StatusCode != http.StatusSeeOther || fx.count(t, `SELECT count(*) FROM training_records WHERE id = $1 AND kind = 'online_safety' AND provider = 'NOS'`, rec) != 1 {
		t.Errorf("edit: status %d", res.StatusCode)
	}
	if res := c.post(recPage+"/delete", url.Values{}); res.StatusCode != http.StatusSeeOther || fx.count(t, `SELECT count(*) FROM training_records WHERE id = $1`, rec) != 0 {
		t.Errorf("delete: status %d", res.StatusCode)
	}
	res = c.post(page+"/started", url.Values{"started-day": {"30"}, "started-month": {"2"}, "started-year": {"2019"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `href="#started"`) || !strings.Contains(res.Body, `value="30"`) {
		t.Errorf("a bad start date: status %d", res.StatusCode)
	}
	res = c.post(page+"/started", url.Values{"started-day": {"2"}, "started-month": {"9"}, "started-year": {"2019"}})
	if res.StatusCode != http.StatusSeeOther || fx.count(t, `SELECT count(*) FROM people WHERE id = $1 AND started_on = '2019-09-02'`, id) != 1 {
		t.Errorf("start date: status %d", res.StatusCode)
	}
	// The person sees their own training, and not another's.
	staff := fx.app.signIn(t, "staff01@demo.test")
	if got := staff.get(page); got.StatusCode != http.StatusOK || strings.Contains(got.Body, "Add a training record") {
		t.Errorf("their own page: status %d, or with the DSL's form", got.StatusCode)
	}
	if got := staff.get(fmt.Sprintf("/training/people/%d", fx.personID(t, "staff02@demo.test"))); got.StatusCode != http.StatusNotFound {
		t.Errorf("a colleague's page: status %d, want 404", got.StatusCode)
	}
}

// uploadTraining posts a training file to the preview.
func (c *client) uploadTraining(name string, content []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		c.t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.app.URL+"/training/import/preview", &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// The DSL imports a training file: every problem by line at once (a
// stranger's address beside a line that does not read) and nothing
// imported;
// a preview that changes nothing; the import; the same file again adds
// nothing.
func TestTrainingImportPage(t *testing.T) {
	fx := newConcernFixture(t)
	c := fx.app.signIn(t, "dsl@demo.test")
	total := func() int { return fx.count(t, `SELECT count(*) FROM training_records`) }
	before := total()
	res := c.uploadTraining("bad.csv", []byte("Email,Type,Date\nstaff05@demo.test,Annual update,2025-10-01\nnobody@demo.test,induction,2025-10-01\nstaff06@demo.test,first aid,2025-10-01\n"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Line 3") || !strings.Contains(res.Body, "Line 4") || total() != before {
		t.Errorf("bad file: status %d, %d records", res.StatusCode, total())
	}
	res = c.uploadTraining("bad.csv", []byte("Email,Type,Date\nnobody@demo.test,induction,2025-10-01\n"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "No one at the school has this e-mail address") {
		t.Errorf("a stranger: status %d", res.StatusCode)
	}
	good := []byte("Email,Type,Date,Provider,Notes\nstaff05@demo.test,Annual update,2025-10-01,LA,Catch-up\nstaff06@demo.test,Online safety,01/10/2025,,\n")
	res = c.uploadTraining("good.csv", good)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Check the import") || total() != before {
		t.Fatalf("preview: status %d, %d records", res.StatusCode, total())
	}
	form := importForm(t, res)
	res = c.post("/training/import", form)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Import complete") || total() != before+2 {
		t.Errorf("import: status %d, %d records, want %d", res.StatusCode, total(), before+2)
	}
	res = c.post("/training/import", form)
	if res.StatusCode != http.StatusOK || total() != before+2 {
		t.Errorf("the same file again: status %d, %d records, want %d", res.StatusCode, total(), before+2)
	}
	deputy := fx.app.signIn(t, "deputy@demo.test")
	if res := deputy.post("/training/import", form); res.StatusCode != http.StatusNotFound || total() != before+2 {
		t.Errorf("a deputy's import: status %d", res.StatusCode)
	}
}

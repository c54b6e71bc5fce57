package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// TestRecordPartsJourney: a concern about two pupils logged before each
// pupil's part was recorded keeps its words on the concern, on neither
// pupil's file; the DSL is prompted on the concern, records each child's
// part, and from then on each file holds only that child's own.
func TestRecordPartsJourney(t *testing.T) {
	a := newApp(t)
	ps := a.uniquePupils(t, 2)
	alpha, bravo := ps[0], ps[1]
	v, err := a.DB.SignIn(t.Context(), "staff@demo.test", demoPassword, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := a.DB.LogConcern(t.Context(), v, safeguarding.ConcernInput{SubmissionToken: newToken(), SubjectKind: safeguarding.SubjectPupils,
		PupilIDs: []int64{alpha.ID, bravo.ID}, Categories: []string{"child_on_child"}, WhatHappened: "SHARED-account: a fight.",
		HappenedOn: time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1),
		Parts:      []safeguarding.PupilPart{{PupilID: alpha.ID, Part: safeguarding.PartHarmed}, {PupilID: bravo.ID, Part: safeguarding.PartHarmed}}})
	if err != nil {
		t.Fatal(err)
	}
	// As migration 00019 leaves a concern about several pupils logged before it.
	if _, err := a.owner(t).Exec(t.Context(), `WITH p AS (UPDATE concern_pupils SET part = 'not_recorded' WHERE concern_id = $1)
		UPDATE concerns SET childs_words = 'UNATTRIBUTED-words: he started it.', indicators = '{secretive}' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	ref := strconv.FormatInt(id, 10)

	dsl := newTab(t, a)
	dsl.signIn("dsl@demo.test")
	dsl.visit("/pupils/" + strconv.FormatInt(alpha.ID, 10))
	if strings.Contains(dsl.bodyText(), "UNATTRIBUTED-words") {
		t.Error("words no one has attributed are on a pupil's file")
	}
	dsl.visit("/concerns/" + ref)
	if !strings.Contains(dsl.bodyText(), "not yet attributed to a child") || !strings.Contains(dsl.bodyText(), "UNATTRIBUTED-words") {
		t.Error("the concern does not show its words as not yet attributed")
	}
	dsl.checkA11y()
	dsl.clickLink("Record each child's part, signs and words")
	if got := dsl.heading(); got != "Record each child's part" {
		t.Fatalf("heading %q", got)
	}
	dsl.checkA11y()

	section := func(p pupil) *tab {
		return dsl.within("//div[contains(@class,'govuk-inset-text')][h2[bdi[normalize-space()=" + xpathString(p.Name) + "]]]")
	}
	// Nothing is chosen for anyone: a part left unchosen is asked for.
	section(alpha).within(fieldset("Their part")).checkByLabel("The child harmed or at risk")
	section(alpha).fillByLabel("What they said, in their own words (optional)", "UNATTRIBUTED-words: he started it.")
	dsl.clickButton("Record each child's part")
	if errs := dsl.texts("//*[contains(@class,'govuk-error-summary')]//li"); len(errs) != 1 || !strings.Contains(errs[0], "Select the part this child had") {
		t.Fatalf("errors %v, want the second child's part asked for", errs)
	}
	dsl.checkA11y()
	if got := section(alpha).valueByLabel("What they said, in their own words (optional)"); !strings.Contains(got, "UNATTRIBUTED-words") {
		t.Errorf("what was typed is lost: %q", got)
	}
	section(bravo).within(fieldset("Their part")).checkByLabel("The child who harmed")
	dsl.clickButton("Record each child's part")
	if got := dsl.banner(); got != "Each child's part has been recorded." {
		t.Fatalf("banner %q; errors %v", got, dsl.texts("//*[contains(@class,'govuk-error-summary')]//li"))
	}
	if strings.Contains(dsl.bodyText(), "not yet attributed") {
		t.Error("the concern still says its words are not attributed")
	}
	// Counted in the chronology (the list after its heading), not in the
	// forms' lists of its entries.
	chronology := strings.Join(dsl.texts("//h2[@id='chronology']/following-sibling::*[1]"), "\n")
	if n := strings.Count(chronology, "Child's part recorded"); n != 2 {
		t.Errorf("%d entries record a child's part, want one per child", n)
	}
	dsl.visit("/pupils/" + strconv.FormatInt(alpha.ID, 10))
	if !strings.Contains(dsl.bodyText(), "UNATTRIBUTED-words") {
		t.Error("the words given to the first child are not on their file")
	}
	dsl.visit("/pupils/" + strconv.FormatInt(bravo.ID, 10))
	if strings.Contains(dsl.bodyText(), "UNATTRIBUTED-words") {
		t.Error("the first child's words are on the second child's file")
	}
	if res := dsl.visit("/concerns/" + ref + "/parts"); res.Status != 404 {
		t.Errorf("the form for parts already recorded: status %d, want 404", res.Status)
	}
}

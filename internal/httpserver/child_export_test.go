package httpserver_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/filepdf"
	"github.com/havenapp/haven/internal/safeguarding"
)

// TestChildFilePDF: the DSL downloads a child's file as a PDF holding the
// pupil's own part and words and every entry about them, with the other
// pupil of a shared concern as "another pupil", never by name or words;
// every page is marked with the pupil's name and the date; the export is
// audited; nobody else may export.
func TestChildFilePDF(t *testing.T) {
	w := newChildWorld(t)
	staff, dsl := w.viewer(t, "staff@demo.test"), w.viewer(t, "dsl@demo.test")
	zeph := w.addPupil(t, w.app.SchoolID, "Zephyrine", "Quillfeather", 9, time.Date(2011, 4, 3, 0, 0, 0, 0, time.UTC))
	bart := w.addPupil(t, w.app.SchoolID, "Bartholomew", "Nightingale", 7, time.Date(2013, 9, 20, 0, 0, 0, 0, time.UTC))
	w.now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	shared := logConcern(t, w.db, staff, safeguarding.ConcernInput{PupilIDs: []int64{zeph, bart}, Categories: []string{"cse"},
		WhatHappened: "Both waited at the gate for a car.", Parts: []safeguarding.PupilPart{
			{PupilID: zeph, Part: safeguarding.PartHarmed, Indicators: []string{"secretive"}, ChildsWords: "He said I am special."},
			{PupilID: bart, Part: safeguarding.PartWitness, ChildsWords: "I saw the blue van."}}})
	w.now = w.now.Add(time.Hour)
	addEntry(t, w.db, dsl, shared, safeguarding.EntryInput{Kind: safeguarding.EntryConversationChild, Body: "Spoke with the younger boy about the van.",
		PupilIDs: []int64{bart}})
	addEntry(t, w.db, dsl, shared, safeguarding.EntryInput{Kind: safeguarding.EntryDecision, Body: "Refer to children's social care.",
		Details: safeguarding.EntryDetails{Reason: "Signs of grooming."}})
	// Written today about a conversation three days before.
	addEntry(t, w.db, dsl, shared, safeguarding.EntryInput{Kind: safeguarding.EntryConversationChild, Body: "She said she felt safe at home.",
		PupilIDs: []int64{zeph}, HappenedAt: w.now.AddDate(0, 0, -3)})
	addEntry(t, w.db, dsl, shared, safeguarding.EntryInput{Kind: safeguarding.EntryBodyMap, PupilIDs: []int64{zeph},
		Details: safeguarding.EntryDetails{Marks: []safeguarding.BodyMark{{Side: safeguarding.BodyFront, Region: "left_forearm", X: 150, Y: 190,
			Description: "A bruise the size of a thumbprint."}}}})
	for i := range 40 {
		w.now = w.now.Add(time.Hour)
		addEntry(t, w.db, dsl, shared, safeguarding.EntryInput{Kind: safeguarding.EntryAction, Body: "Check-in number " + strconv.Itoa(i+1) + " with her form tutor.",
			PupilIDs: []int64{zeph}})
	}

	path := "/pupils/" + strconv.FormatInt(zeph, 10) + "/file.pdf"
	dslClient := w.app.signIn(t, "dsl@demo.test")
	res := dslClient.get(path)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("DSL: status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if d := res.Header.Get("Content-Disposition"); !strings.HasPrefix(d, "attachment") || strings.Contains(d, "Zephyrine") {
		t.Errorf("Content-Disposition %q: want an attachment named by number", d)
	}
	pages, err := filepdf.Text([]byte(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 2 {
		t.Fatalf("%d pages, want several", len(pages))
	}
	printed := "Printed on " + time.Now().In(safeguarding.England()).Format("2 January 2006")

	t.Run("EveryPageMarked", func(t *testing.T) {
		for i, p := range pages {
			for _, want := range []string{filepdf.Marking, "Zephyrine Quillfeather", printed} {
				if !strings.Contains(p, want) {
					t.Errorf("page %d lacks %q", i+1, want)
				}
			}
		}
	})
	all := strings.Join(pages, "\n")
	t.Run("ThePupilsOwn", func(t *testing.T) {
		for _, want := range []string{"He said I am special.", "The child harmed or at risk", "Being secretive", "Both waited at the gate for a car.",
			"She said she felt safe at home.", "Signs of grooming.", "Check-in number 40 with her form tutor.", "another pupil",
			"1. Front: left forearm", "A bruise the size of a thumbprint."} {
			if !strings.Contains(all, want) {
				t.Errorf("the file lacks %q", want)
			}
		}
	})
	t.Run("NothingOfTheOtherPupil", func(t *testing.T) {
		for _, never := range []string{"Bartholomew", "Nightingale", "I saw the blue van.", "Spoke with the younger boy"} {
			if strings.Contains(all, never) {
				t.Errorf("the file holds %q", never)
			}
		}
	})
	t.Run("InTheOrderThingsHappened", func(t *testing.T) {
		// The conversation written last but held three days earlier comes
		// first, before the concern was even logged.
		inOrder(t, all, "She said she felt safe at home.", "Concern logged", "Signs of grooming.", "Check-in number 1 ", "Check-in number 40 ")
	})
	t.Run("Audited", func(t *testing.T) {
		log := w.app.auditLog(t, w.app.SchoolID, 50)
		if !slices.ContainsFunc(log, func(e safeguarding.AuditEvent) bool {
			return e.Action == "export_child_file" && e.Object == "pupil:"+strconv.FormatInt(zeph, 10) && e.ActorID == dsl.PersonID
		}) {
			t.Error("the export was not audited")
		}
	})
	t.Run("LinkedForTheDSLAlone", func(t *testing.T) {
		if page := dslClient.get("/pupils/" + strconv.FormatInt(zeph, 10)); !strings.Contains(page.Body, `href="`+path+`"`) {
			t.Error("the DSL's child page does not link to the PDF")
		}
		principal := w.app.signIn(t, "principal@demo.test")
		if page := principal.get("/pupils/" + strconv.FormatInt(zeph, 10)); strings.Contains(page.Body, "file.pdf") {
			t.Error("the principal's child page links to the PDF")
		}
	})
	t.Run("NobodyElse", func(t *testing.T) {
		for _, email := range []string{"principal@demo.test", "staff@demo.test", "chair@demo.test", "governor@demo.test", "admin@demo.test"} {
			if res := w.app.signIn(t, email).get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", email, res.StatusCode)
			}
		}
		if res := dslClient.get("/pupils/999999/file.pdf"); res.StatusCode != http.StatusNotFound {
			t.Errorf("no such pupil: status %d, want 404", res.StatusCode)
		}
	})
}

package httpserver

// The concern form: reading a post as typed, and checking it into the
// concern the store files.

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// concernFormFrom reads the posted form exactly as typed, cleaned of what
// no one can type (cleanText).
func concernFormFrom(vals url.Values) web.ConcernForm {
	vals = cleanValues(vals)
	f := web.ConcernForm{
		Token:         vals.Get("token"),
		Author:        vals.Get("author"),
		Subject:       vals.Get("subject"),
		PupilQuery:    vals.Get("pupil-query"),
		PupilYear:     vals.Get("pupil-year"),
		PupilIDs:      distinct(vals["pupil"]),
		SubjectPerson: vals.Get("subject-person"),
		AdultName:     vals.Get("adult-name"),
		AdultRole:     vals.Get("adult-role"),
		AdultMatch:    vals.Get("adult-match"),
		Categories:    distinct(vals["category"]),
		Indicators:    distinct(vals["indicator"]),
		WhatHappened:  vals.Get("what-happened"),
		ChildsWords:   vals.Get("childs-words"),
		HappenedDay:   vals.Get("happened-day"),
		HappenedMonth: vals.Get("happened-month"),
		HappenedYear:  vals.Get("happened-year"),
		HappenedTime:  vals.Get("happened-time"),
		Location:      vals.Get("location"),
		OthersTold:    vals.Get("others-told"),
		ActionsTaken:  vals.Get("actions-taken"),
		Urgent:        vals.Get("urgent"),
	}
	// Each ticked pupil's own fields, kept as typed whenever any was posted.
	for _, id := range f.PupilIDs {
		if pathID(id) == 0 {
			continue
		}
		part, indicator, words := safeguarding.PartFields(pathID(id))
		c := web.ChildPartForm{PupilID: id, Part: vals.Get(part), Indicators: distinct(vals[indicator]), Words: vals.Get(words)}
		if c.Part != "" || len(c.Indicators) > 0 || c.Words != "" {
			f.Children = append(f.Children, c)
		}
	}
	return f
}

// postedConcernForm is concernFormFrom with a usable submission token: a
// form that lost its token (it never does in a browser) gets a fresh one.
func postedConcernForm(vals url.Values) web.ConcernForm {
	f := concernFormFrom(vals)
	if !validToken(f.Token) {
		f.Token = newSubmissionToken()
	}
	return f
}

func distinct(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// concernFields are the concern form's fields in the order the page shows
// them, which the messages about them follow. Whether the child is in danger
// is asked first, so that a child in danger is dealt with before the form is.
var concernFields = []string{"urgent", "subject", "pupil-query", "subject-person", "adult-name", "adult-role",
	"category", "indicator", "what-happened", "childs-words", "happened", "happened-time",
	"location", "others-told", "actions-taken"}

// validateConcern checks a posted form and turns it into what the store
// files: what only a form can get wrong (a question left unanswered, a date
// or a time that cannot be read) is checked here, the rest by the concern's
// own rules (safeguarding.ConcernInput.Problems). Messages follow the order
// of the fields on the page, one for each field.
func validateConcern(f web.ConcernForm, o concernOptions, today time.Time) (safeguarding.ConcernInput, Form) {
	in, unreadable := concernFromForm(f, o)
	problems := in.Problems(o.ConcernChoices, today)
	// Another adult named like a member of staff: the person chooses them,
	// or says it is someone else (safeguarding.ResolveAdult; the store
	// checks again). The message is the name's; the choice is shown
	// beneath it.
	if _, ok := problems["adult-name"]; !ok {
		var matches []safeguarding.StaffMember
		if in, matches = in.ResolveAdult(o.Staff); len(matches) > 0 {
			problems["adult-name"] = safeguarding.StaffNamedProblem(matches)
		}
	}
	var form Form
	check := func(field string) {
		if msg, ok := unreadable[field]; ok {
			form.Check(false, field, msg)
		}
		if msg, ok := problems[field]; ok {
			form.Check(false, field, msg)
		}
	}
	for _, field := range concernFields {
		check(field)
		if field == "adult-role" { // each child's own section follows the children
			for _, id := range in.PupilIDs {
				part, indicator, words := safeguarding.PartFields(id)
				check(part)
				check(indicator)
				check(words)
			}
		}
	}
	// A field concernFields does not name still stops the concern.
	for _, field := range slices.Sorted(maps.Keys(problems)) {
		form.Check(false, field, problems[field])
	}
	return in, form
}

// concernFromForm reads a posted form into a concern, trimmed as it is
// filed, with what could not be read from it. The categories and indicators
// ticked keep the order the form lists them in.
func concernFromForm(f web.ConcernForm, o concernOptions) (safeguarding.ConcernInput, safeguarding.FieldProblems) {
	unreadable := safeguarding.FieldProblems{}
	in := safeguarding.ConcernInput{SubmissionToken: f.Token}

	if f.Urgent != "yes" && f.Urgent != "no" {
		unreadable["urgent"] = "Select yes if the child is in immediate danger"
		if f.AboutAdult() {
			unreadable["urgent"] = "Select yes if any child is in immediate danger from this adult"
		}
	}
	in.Urgent = f.Urgent == "yes"

	// The children: those the concern is about, or those a concern about
	// an adult involves.
	in.PupilIDs = parseIDs(f.PupilIDs)
	switch f.Subject {
	case web.SubjectPupils:
		in.SubjectKind = safeguarding.SubjectPupils
	case web.SubjectPrincipal:
		// The principal is a member of staff like any other, chosen by
		// name: the store routes the concern by their roles, to the chair.
		if m, ok := safeguarding.PrincipalOf(o.Staff); ok {
			in.SubjectKind, in.SubjectPersonID = safeguarding.SubjectStaff, m.ID
		} else {
			unreadable["subject"] = "There is no principal to choose: choose the member of staff the concern is about"
		}
	case web.SubjectStaff:
		in.SubjectKind = safeguarding.SubjectStaff
		in.SubjectPersonID = pathID(f.SubjectPerson)
	case web.SubjectOtherAdult:
		in.SubjectKind = safeguarding.SubjectOtherAdult
		in.SubjectAdultName = strings.TrimSpace(f.AdultName)
		in.SubjectAdultRole = strings.TrimSpace(f.AdultRole)
		// Asked when the name is a member of staff's: it is them (a concern
		// about that member of staff, the name kept as typed), or not.
		switch id := pathID(f.AdultMatch); {
		case f.AdultMatch == web.AdultDifferent:
			in.DifferentPerson = true
		case id != 0:
			in.SubjectKind, in.SubjectPersonID = safeguarding.SubjectStaff, id
		}
	}

	in.Categories = inListOrder(f.Categories, o.Categories, func(c safeguarding.Category) string { return c.Code })
	// The §5.2 checklist is a concern about a child's: shown only for one
	// (a conditional reveal with scripts), and not filed for another subject.
	aboutChild := in.SubjectKind == safeguarding.SubjectPupils || f.Subject == ""
	if aboutChild {
		in.Indicators = indicatorsInOrder(f.Indicators, o)
	}

	in.WhatHappened = strings.TrimSpace(f.WhatHappened)
	in.ChildsWords = childsWords(f.ChildsWords)
	for _, c := range f.Children {
		pp := safeguarding.PupilPart{PupilID: pathID(c.PupilID), Part: safeguarding.Part(c.Part), ChildsWords: childsWords(c.Words)}
		if aboutChild {
			pp.Indicators = indicatorsInOrder(c.Indicators, o)
		}
		in.Parts = append(in.Parts, pp)
	}

	if NotBlank(f.HappenedDay) || NotBlank(f.HappenedMonth) || NotBlank(f.HappenedYear) {
		if d, ok := ParseDate(f.HappenedDay, f.HappenedMonth, f.HappenedYear); ok {
			in.HappenedOn = d
		} else {
			unreadable["happened"] = "The date it happened must be a real date, like 27 3 2026"
		}
	}
	if NotBlank(f.HappenedTime) {
		t, ok := parseClock(f.HappenedTime)
		if !ok {
			unreadable["happened-time"] = "Enter the time on the 24-hour clock, like 14:30, or leave it blank"
		}
		in.HappenedTime = t
	}

	in.Location = strings.TrimSpace(f.Location)
	in.OthersTold = strings.TrimSpace(f.OthersTold)
	in.ActionsTaken = strings.TrimSpace(f.ActionsTaken)
	return in, unreadable
}

func indicatorsInOrder(ticked []string, o concernOptions) []string {
	return inListOrder(ticked, o.Indicators, func(i safeguarding.Indicator) string { return i.Code })
}

// childsWords are a child's words as typed, not even trimmed, or "" if
// there are none.
func childsWords(s string) string {
	if !NotBlank(s) {
		return ""
	}
	return s
}

// inListOrder is the codes ticked in the order of the list they were ticked
// from, followed by any that are not on it (which the concern's rules refuse).
func inListOrder[T any](ticked []string, list []T, code func(T) string) []string {
	var out []string
	for _, item := range list {
		if c := code(item); slices.Contains(ticked, c) {
			out = append(out, c)
		}
	}
	for _, c := range ticked {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// subjectField is the field a store's complaint about the subject belongs to.
func subjectField(f web.ConcernForm) string {
	switch f.Subject {
	case web.SubjectPupils:
		return "pupil-query"
	case web.SubjectPrincipal:
		return "subject"
	case web.SubjectStaff:
		return "subject-person"
	case web.SubjectOtherAdult:
		return "adult-name"
	}
	return "subject"
}

func parseIDs(ss []string) []int64 {
	var ids []int64
	for _, s := range ss {
		if id := pathID(s); id != 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

var clockPattern = regexp.MustCompile(`^(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$`)

// parseClock reads a time of day as people write it ("14:30", "9.05",
// "2:30pm", "2pm") and returns it as HH:MM on the 24-hour clock.
func parseClock(s string) (string, bool) {
	m := clockPattern.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil || (m[2] == "" && m[3] == "") {
		return "", false
	}
	h, _ := strconv.Atoi(m[1])
	min := 0
	if m[2] != "" {
		min, _ = strconv.Atoi(m[2])
	}
	if m[3] != "" {
		if h < 1 || h > 12 {
			return "", false
		}
		h %= 12
		if m[3][0] == 'p' {
			h += 12
		}
	}
	if h > 23 || min > 59 {
		return "", false
	}
	return fmt.Sprintf("%02d:%02d", h, min), true
}

var england = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("Europe/London"); err == nil {
		return loc
	}
	return time.Local
})

// todayInEngland is the date in the schools' time zone, as a UTC midnight
// like the dates ParseDate returns.
func todayInEngland() time.Time {
	y, m, d := time.Now().In(england()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

var tokenPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func validToken(t string) bool { return tokenPattern.MatchString(t) }

// newSubmissionToken is a random (version 4) UUID, the form's one-time
// submission token.
func newSubmissionToken() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

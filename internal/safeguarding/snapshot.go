package safeguarding

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// ConcernSnapshotVersion is the version of the concern snapshot that Encode
// writes. Bump it, and add a decoder of the old version to
// DecodeConcernSnapshot, whenever what a stored snapshot says would change:
// a record written today must mean the same when it is read in 2040.
const ConcernSnapshotVersion = 3

// ConcernSnapshot is a concern as the member of staff submitted it, as the
// first entry of its chronology (EntryConcernLogged) keeps it for good. The
// entry's hash covers the encoded bytes, so its stored format is its own:
// the JSON names below are the record's, written out so that no Go rename
// changes them, and Encode writes them with "version": 3.
//
//	{"version":3,"submission_token":"…","subject_kind":"pupils","pupil_ids":[101,205],
//	 "subject_person_id":0,"subject_adult_name":"","subject_adult_role":"",
//	 "categories":["cse"],"indicators":[],"what_happened":"…","childs_words":"",
//	 "happened_on":"2026-03-27","happened_time":"15:40","location":"…","others_told":"…",
//	 "actions_taken":"…","urgent":false,
//	 "pupils":[{"pupil_id":101,"part":"harmed","indicators":["secretive"],"childs_words":"…"},…]}
//
// In version 3 each pupil's part, indicators and words are in "pupils";
// "indicators" and "childs_words" are those of no one pupil (a concern
// that names none). Versions 1 and 2 have no "pupils": their indicators
// and words are the concern's, the one pupil's if it names one, and of no
// pupil in particular if it names several. Version 1 (no "version" key)
// was the store's form input marshalled with its Go field names.
// DecodeConcernSnapshot reads every version.
type ConcernSnapshot struct {
	SubmissionToken  string          `json:"submission_token"`
	SubjectKind      SubjectKind     `json:"subject_kind"`
	PupilIDs         []int64         `json:"pupil_ids"`          // the pupils it is about (never empty then), or the children a concern about an adult involves
	SubjectPersonID  int64           `json:"subject_person_id"`  // when SubjectKind is SubjectStaff
	SubjectAdultName string          `json:"subject_adult_name"` // when SubjectKind is SubjectOtherAdult
	SubjectAdultRole string          `json:"subject_adult_role"`
	Categories       []string        `json:"categories"` // category codes
	Indicators       []string        `json:"indicators"` // CSE indicator codes
	WhatHappened     string          `json:"what_happened"`
	ChildsWords      string          `json:"childs_words"` // verbatim, as typed
	HappenedOn       string          `json:"happened_on"`  // YYYY-MM-DD; "" if none was given
	HappenedTime     string          `json:"happened_time"`
	Location         string          `json:"location"`
	OthersTold       string          `json:"others_told"`
	ActionsTaken     string          `json:"actions_taken"`
	Urgent           bool            `json:"urgent"`
	Pupils           []SnapshotPupil `json:"pupils"` // version 3: each pupil's own part, in the order of PupilIDs
}

// SnapshotPupil is one pupil's own part of a concern as a snapshot keeps it.
type SnapshotPupil struct {
	PupilID     int64    `json:"pupil_id"`
	Part        Part     `json:"part"`
	Indicators  []string `json:"indicators"` // CSE indicator codes seen in this pupil
	ChildsWords string   `json:"childs_words"`
}

// SnapshotDate is a day as a snapshot's HappenedOn holds it: the date in
// t's own location, or "" for the zero time.
func SnapshotDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// snapshotFields is ConcernSnapshot without its methods, so that encoding
// and decoding it use the field tags and not MarshalJSON or UnmarshalJSON.
type snapshotFields ConcernSnapshot

// snapshotV3 is version 3 as stored: the version first, then the fields.
type snapshotV3 struct {
	Version int `json:"version"`
	snapshotFields
}

// Encode is the snapshot as the first chronology entry stores it, in the
// current version. Lists are written as [] when empty, never as null.
func (s ConcernSnapshot) Encode() []byte {
	f := snapshotFields(s)
	if f.PupilIDs == nil {
		f.PupilIDs = []int64{}
	}
	if f.Categories == nil {
		f.Categories = []string{}
	}
	if f.Indicators == nil {
		f.Indicators = []string{}
	}
	f.Pupils = make([]SnapshotPupil, len(s.Pupils))
	for i, p := range s.Pupils {
		if p.Indicators == nil {
			p.Indicators = []string{}
		}
		f.Pupils[i] = p
	}
	b, err := json.Marshal(snapshotV3{Version: ConcernSnapshotVersion, snapshotFields: f})
	if err != nil { // strings, integers, booleans and lists of them
		panic("safeguarding: encode concern snapshot: " + err.Error())
	}
	return b
}

// MarshalJSON writes the snapshot as Encode does, so that a snapshot
// marshalled anywhere carries its version.
func (s ConcernSnapshot) MarshalJSON() ([]byte, error) { return s.Encode(), nil }

// UnmarshalJSON reads a snapshot of any version, as DecodeConcernSnapshot does.
func (s *ConcernSnapshot) UnmarshalJSON(b []byte) error {
	d, err := DecodeConcernSnapshot(b)
	if err != nil {
		return err
	}
	*s = d
	return nil
}

// DecodeConcernSnapshot reads a stored snapshot of any version Haven has
// written. A snapshot that does not fit its version, or of a version newer
// than this Haven knows, is an error. Lists that are empty come back nil.
func DecodeConcernSnapshot(b []byte) (ConcernSnapshot, error) {
	var head struct {
		Version *int `json:"version"`
	}
	if err := decodeObject(b, &head, false); err != nil {
		return ConcernSnapshot{}, fmt.Errorf("concern snapshot: %w", err)
	}
	version, err := snapshotVersion(head.Version)
	if err != nil {
		return ConcernSnapshot{}, err
	}
	var s ConcernSnapshot
	switch version {
	case 1:
		var v1 snapshotV1
		if err := decodeObject(b, &v1, true); err != nil {
			return s, fmt.Errorf("concern snapshot (version 1): %w", err)
		}
		s = v1.snapshot()
	case 2:
		var v2 snapshotV2
		if err := decodeObject(b, &v2, true); err != nil {
			return s, fmt.Errorf("concern snapshot (version 2): %w", err)
		}
		s = v2.snapshot()
	case 3:
		var v3 snapshotV3
		if err := decodeObject(b, &v3, true); err != nil {
			return s, fmt.Errorf("concern snapshot (version 3): %w", err)
		}
		s = ConcernSnapshot(v3.snapshotFields)
		for i := range s.Pupils {
			s.Pupils[i].Indicators = nilIfEmpty(s.Pupils[i].Indicators)
		}
	default: // a version snapshotVersion accepts must have its case here
		return s, fmt.Errorf("concern snapshot: version %d has no decoder", version)
	}
	if s.HappenedOn != "" && version >= 2 {
		if _, err := time.Parse(time.DateOnly, s.HappenedOn); err != nil {
			return s, fmt.Errorf("concern snapshot (version %d): happened_on %q is not a date like 2026-03-27", version, s.HappenedOn)
		}
	}
	s.PupilIDs, s.Categories, s.Indicators = nilIfEmpty(s.PupilIDs), nilIfEmpty(s.Categories), nilIfEmpty(s.Indicators)
	s.Pupils = nilIfEmpty(s.Pupils)
	return s, nil
}

// ConcernAccount is the account a snapshot holds: what the member of staff
// wrote, and the child's words that are no one pupil's (in version 3, those
// of a concern that names no pupil; each pupil's own are in its Pupils).
type ConcernAccount struct {
	WhatHappened string
	ChildsWords  string
}

// DecodeConcernAccount reads only the account from a stored snapshot of any
// version, in one pass. It reads the same names as DecodeConcernSnapshot (a
// test holds them to it) and ignores the rest. A pupil's file never reads a
// snapshot: it holds every pupil's words, and a version 1 or 2 snapshot of
// a concern about several pupils holds them undivided.
func DecodeConcernAccount(b []byte) (ConcernAccount, error) {
	var s struct {
		Version *int `json:"version"`
		// Version 1's names, then version 2's. No two differ only in
		// case, which encoding/json would not tell apart.
		WhatHappened1 string `json:"WhatHappened"`
		ChildsWords1  string `json:"ChildsWords"`
		WhatHappened2 string `json:"what_happened"`
		ChildsWords2  string `json:"childs_words"`
	}
	if err := decodeObject(b, &s, false); err != nil {
		return ConcernAccount{}, fmt.Errorf("concern snapshot: %w", err)
	}
	version, err := snapshotVersion(s.Version)
	if err != nil {
		return ConcernAccount{}, err
	}
	switch version {
	case 1:
		return ConcernAccount{WhatHappened: s.WhatHappened1, ChildsWords: s.ChildsWords1}, nil
	case 2, 3:
		return ConcernAccount{WhatHappened: s.WhatHappened2, ChildsWords: s.ChildsWords2}, nil
	}
	return ConcernAccount{}, fmt.Errorf("concern snapshot: version %d has no account reader", version)
}

// snapshotVersion is the version a snapshot's "version" key says, 1 if it
// has none (version 1 did not write one).
func snapshotVersion(v *int) (int, error) {
	switch {
	case v == nil:
		return 1, nil
	case *v >= 2 && *v <= ConcernSnapshotVersion:
		return *v, nil
	case *v > ConcernSnapshotVersion:
		return 0, fmt.Errorf("concern snapshot: version %d is newer than this Haven reads (versions 1 to %d): upgrade Haven to read it", *v, ConcernSnapshotVersion)
	}
	return 0, fmt.Errorf("concern snapshot: no version %d was ever written (versions 1 to %d)", *v, ConcernSnapshotVersion)
}

// decodeObject decodes b, which must be one JSON object, into v; strict
// refuses keys that v does not name.
func decodeObject(b []byte, v any, strict bool) error {
	if b = bytes.TrimSpace(b); len(b) == 0 || b[0] != '{' {
		return fmt.Errorf("not a JSON object")
	}
	if !strict {
		return json.Unmarshal(b, v)
	}
	// The first pass (not strict) has checked that b is one JSON value.
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// snapshotV1 is version 1 as it was stored until version 2 (December 2026): the store's
// form input (postgres.ConcernInput) passed to json.Marshal, so its keys
// were that type's Go field names. The tags freeze them.
type snapshotV1 struct {
	SubmissionToken  string    `json:"SubmissionToken"`
	SubjectKind      string    `json:"SubjectKind"`
	PupilIDs         []int64   `json:"PupilIDs"`
	SubjectPersonID  int64     `json:"SubjectPersonID"`
	SubjectAdultName string    `json:"SubjectAdultName"`
	SubjectAdultRole string    `json:"SubjectAdultRole"`
	Categories       []string  `json:"Categories"`
	Indicators       []string  `json:"Indicators"`
	WhatHappened     string    `json:"WhatHappened"`
	ChildsWords      string    `json:"ChildsWords"`
	HappenedOn       time.Time `json:"HappenedOn"` // RFC 3339; midnight UTC from the form, the zero time if none
	HappenedTime     string    `json:"HappenedTime"`
	Location         string    `json:"Location"`
	OthersTold       string    `json:"OthersTold"`
	ActionsTaken     string    `json:"ActionsTaken"`
	Urgent           bool      `json:"Urgent"`
}

func (v snapshotV1) snapshot() ConcernSnapshot {
	return ConcernSnapshot{SubmissionToken: v.SubmissionToken, SubjectKind: SubjectKind(v.SubjectKind), PupilIDs: v.PupilIDs,
		SubjectPersonID: v.SubjectPersonID, SubjectAdultName: v.SubjectAdultName, SubjectAdultRole: v.SubjectAdultRole,
		Categories: v.Categories, Indicators: v.Indicators, WhatHappened: v.WhatHappened, ChildsWords: v.ChildsWords,
		HappenedOn: SnapshotDate(v.HappenedOn), HappenedTime: v.HappenedTime, Location: v.Location,
		OthersTold: v.OthersTold, ActionsTaken: v.ActionsTaken, Urgent: v.Urgent}
}

// snapshotV2 is version 2 as it was stored until version 3 (December 2026),
// which added each pupil's own part ("pupils"). The tags freeze its names.
type snapshotV2 struct {
	Version          int         `json:"version"`
	SubmissionToken  string      `json:"submission_token"`
	SubjectKind      SubjectKind `json:"subject_kind"`
	PupilIDs         []int64     `json:"pupil_ids"`
	SubjectPersonID  int64       `json:"subject_person_id"`
	SubjectAdultName string      `json:"subject_adult_name"`
	SubjectAdultRole string      `json:"subject_adult_role"`
	Categories       []string    `json:"categories"`
	Indicators       []string    `json:"indicators"`
	WhatHappened     string      `json:"what_happened"`
	ChildsWords      string      `json:"childs_words"`
	HappenedOn       string      `json:"happened_on"`
	HappenedTime     string      `json:"happened_time"`
	Location         string      `json:"location"`
	OthersTold       string      `json:"others_told"`
	ActionsTaken     string      `json:"actions_taken"`
	Urgent           bool        `json:"urgent"`
}

func (v snapshotV2) snapshot() ConcernSnapshot {
	return ConcernSnapshot{SubmissionToken: v.SubmissionToken, SubjectKind: v.SubjectKind, PupilIDs: v.PupilIDs,
		SubjectPersonID: v.SubjectPersonID, SubjectAdultName: v.SubjectAdultName, SubjectAdultRole: v.SubjectAdultRole,
		Categories: v.Categories, Indicators: v.Indicators, WhatHappened: v.WhatHappened, ChildsWords: v.ChildsWords,
		HappenedOn: v.HappenedOn, HappenedTime: v.HappenedTime, Location: v.Location,
		OthersTold: v.OthersTold, ActionsTaken: v.ActionsTaken, Urgent: v.Urgent}
}

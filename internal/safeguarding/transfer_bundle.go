package safeguarding

import (
	"strconv"
	"time"
)

// TransferBundle is a child's child-protection file as one school sends it
// to another that runs Haven: version 1 of the format docs/transfer-bundle.md
// describes. It is the permanent record a receiving school keeps, so its
// field names are explicit and never change meaning: a new field or a new
// meaning is a new version, and every earlier version stays readable.
//
// Everything is words as the sending school's pages showed them (labels,
// not codes), so a receiving school whose lists differ reads it as sent.
// Other pupils of a concern are counted, never named, and nothing of
// theirs (their part, signs or words) is in it.
type TransferBundle struct {
	Version      int              `json:"version"`
	BundleID     string           `json:"bundle_id"`     // a UUID, unique to this bundle
	MadeAt       time.Time        `json:"made_at"`       // when the sending school made it
	FromSchool   string           `json:"from_school"`   // the sending school's name
	ToSchool     string           `json:"to_school"`     // the receiving school, as the sender named it
	ToRecipient  string           `json:"to_recipient"`  // the age public key it was encrypted to
	ReceiptNonce string           `json:"receipt_nonce"` // returned in the receipt: proof the file was read
	Pupil        BundlePupil      `json:"pupil"`
	Concerns     []BundleConcern  `json:"concerns"` // oldest first
	Referrals    []BundleReferral `json:"open_referrals"`
}

// BundleVersion is the format version Haven writes; ReadableBundleVersions
// are those it reads.
const BundleVersion = 1

// ReadableBundleVersions are the bundle versions this Haven imports.
var ReadableBundleVersions = []int{1}

// BundlePupil is the pupil a bundle is about.
type BundlePupil struct {
	FirstName   string `json:"first_name"` // the names they go by
	LastName    string `json:"last_name"`
	LegalName   string `json:"legal_name,omitempty"` // when different
	DateOfBirth string `json:"date_of_birth"`        // YYYY-MM-DD
	UPN         string `json:"upn,omitempty"`        // the Unique Pupil Number, when known
	YearGroup   int    `json:"year_group"`
	LeftOn      string `json:"left_on,omitempty"` // YYYY-MM-DD
}

// BundleConcern is one concern with this pupil's own part only.
type BundleConcern struct {
	Reference    string        `json:"reference"` // the sending school's concern number
	LoggedAt     time.Time     `json:"logged_at"`
	LoggedBy     string        `json:"logged_by"`
	Categories   []string      `json:"categories"`
	Urgent       bool          `json:"urgent"`
	HappenedOn   string        `json:"happened_on"` // YYYY-MM-DD
	HappenedTime string        `json:"happened_time,omitempty"`
	Location     string        `json:"location,omitempty"`
	WhatHappened string        `json:"what_happened"`
	Part         string        `json:"part,omitempty"` // this pupil's part
	Indicators   []string      `json:"indicators,omitempty"`
	ChildsWords  string        `json:"childs_words,omitempty"` // this pupil's own words
	OthersTold   string        `json:"others_told,omitempty"`
	ActionsTaken string        `json:"actions_taken,omitempty"`
	OtherPupils  int           `json:"other_pupils"` // how many other pupils it is about, each "another pupil"
	Status       string        `json:"status"`
	Entries      []BundleEntry `json:"entries"` // in the order things happened
}

// BundleEntry is one entry of a concern's chronology about this pupil or
// the whole concern.
type BundleEntry struct {
	Kind       string         `json:"kind"` // the sender's entry kind, e.g. "referral"
	Label      string         `json:"label"`
	Author     string         `json:"author"`
	At         time.Time      `json:"at"`                    // when it was written
	HappenedAt *time.Time     `json:"happened_at,omitempty"` // when it happened, if earlier
	Body       string         `json:"body,omitempty"`
	Details    []BundleDetail `json:"details,omitempty"`
}

// BundleDetail is one labelled detail of an entry: a referral's agency
// and reference, a decision's reason.
type BundleDetail struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// BundleReferral is a referral still awaiting the agency's response.
type BundleReferral struct {
	Agency     string `json:"agency"`
	Reference  string `json:"reference,omitempty"`
	ReferredOn string `json:"referred_on"`
}

// BundleSource is what a bundle is made from: the pupil's file as the DSL
// sees it, with what the file itself does not hold.
type BundleSource struct {
	File        ChildFile
	UPN         string
	SchoolName  string
	Categories  []Category
	Indicators  []Indicator
	BundleID    string
	Nonce       string
	ToSchool    string
	ToRecipient string
	MadeAt      time.Time
}

// NewTransferBundle makes the bundle of a pupil's file. The file's concerns
// already hold the pupil's own part only (ChildFile); other pupils are
// counted here and never named.
func NewTransferBundle(s BundleSource) TransferBundle {
	f := s.File
	b := TransferBundle{Version: BundleVersion, BundleID: s.BundleID, MadeAt: s.MadeAt.UTC(), FromSchool: s.SchoolName,
		ToSchool: s.ToSchool, ToRecipient: s.ToRecipient, ReceiptNonce: s.Nonce,
		Pupil: BundlePupil{FirstName: f.Pupil.FirstName, LastName: f.Pupil.LastName, LegalName: f.LegalName,
			DateOfBirth: dateText(f.DateOfBirth), UPN: s.UPN, YearGroup: f.Pupil.YearGroup, LeftOn: dateText(f.LeftOn)},
		Concerns: []BundleConcern{}, Referrals: []BundleReferral{}}
	byConcern := map[int64][]BundleEntry{}
	for _, e := range f.Chronology {
		byConcern[e.ConcernID] = append(byConcern[e.ConcernID], bundleEntry(e))
	}
	for i := len(f.Concerns) - 1; i >= 0; i-- { // the file lists them newest first
		c := f.Concerns[i]
		bc := BundleConcern{Reference: strconv.FormatInt(c.ID, 10), LoggedAt: c.LoggedAt.UTC(), LoggedBy: c.LoggedByName,
			Categories: labels(c.Categories, categoryLabels(s.Categories)), Urgent: c.Urgent, HappenedOn: dateText(c.HappenedOn),
			HappenedTime: c.HappenedTime, Location: c.Location, WhatHappened: c.WhatHappened,
			Indicators: labels(c.Indicators, indicatorLabels(s.Indicators)), OthersTold: c.OthersTold,
			ActionsTaken: c.ActionsTaken, OtherPupils: len(c.Pupils), Status: c.Status.Label(), Entries: byConcern[c.ID]}
		if len(c.Parts) == 1 {
			bc.Part, bc.ChildsWords = c.Parts[0].Part.Label(), c.Parts[0].ChildsWords
		}
		if bc.Entries == nil {
			bc.Entries = []BundleEntry{}
		}
		b.Concerns = append(b.Concerns, bc)
	}
	for _, r := range f.OpenReferrals {
		b.Referrals = append(b.Referrals, BundleReferral{Agency: r.AgencyName, Reference: r.Reference, ReferredOn: r.ReferredOn})
	}
	return b
}

// bundleEntry is an entry as a bundle holds it: its details as labelled
// words.
func bundleEntry(e Entry) BundleEntry {
	be := BundleEntry{Kind: string(e.Kind), Label: e.Kind.Label(), Author: e.AuthorName, At: e.At.UTC(), Body: e.Body}
	if e.BackDated() {
		h := e.HappenedAt.UTC()
		be.HappenedAt = &h
	}
	d := e.Details
	add := func(label, value string) {
		if value != "" {
			be.Details = append(be.Details, BundleDetail{Label: label, Value: value})
		}
	}
	if d.Agency != "" {
		add("Agency", d.AgencyName())
	}
	add("Reference", d.Reference)
	add("Referred on", d.ReferredOn)
	add("Reason", d.Reason)
	add("What the agency will do", d.AgencyAction)
	add("Contact at the agency", d.AgencyContact)
	add("Responded on", d.RespondedOn)
	if d.SafeToTell {
		add("Telling the parents would not put the child or others at risk", "Yes")
	}
	add("Judgement", d.Judgement)
	add("Assigned to", d.AssigneeName)
	if d.FromStatus != "" {
		add("From", d.FromStatus.Label())
	}
	if d.ToStatus != "" {
		add("To", d.ToStatus.Label())
	}
	add("Why recorded late", d.HappenedReason)
	if d.Part != "" {
		add("Part", d.Part.Label())
	}
	add("The child's words", d.ChildsWords)
	return be
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func categoryLabels(cs []Category) map[string]string {
	m := make(map[string]string, len(cs))
	for _, c := range cs {
		m[c.Code] = c.Label
	}
	return m
}

func indicatorLabels(is []Indicator) map[string]string {
	m := make(map[string]string, len(is))
	for _, i := range is {
		m[i.Code] = i.Label
	}
	return m
}

// labels are codes as their labels, a code with none as itself.
func labels(codes []string, byCode map[string]string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if l, ok := byCode[c]; ok {
			out = append(out, l)
		} else {
			out = append(out, c)
		}
	}
	return out
}

package safeguarding

import "time"

// AttributionProblems says what is wrong with parts as the record of each
// pupil's own part of concern c, field by field (PartFields): every pupil
// of c is given one part they may have had, indicators from the list and
// words of at most 20,000 characters, and no one else is. Empty means they
// may be recorded.
func AttributionProblems(c Concern, parts []PupilPart, indicators []Indicator) FieldProblems {
	p := FieldProblems{}
	pupils := make([]int64, len(c.Pupils))
	for i, pp := range c.Pupils {
		pupils[i] = pp.ID
	}
	known := func(code string) bool {
		for _, i := range indicators {
			if i.Code == code {
				return true
			}
		}
		return false
	}
	checkParts(p, parts, pupils, false, known)
	for _, id := range pupils {
		if _, ok := PartOf(parts, id); !ok {
			field, _, _ := PartFields(id)
			p[field] = "Select the part this child had"
		}
	}
	return p
}

// ApplyAttribution records, for concern c logged about several pupils
// before parts were recorded (Concern.Unattributed), each pupil's own part,
// signs and words as v gives them at now: one entry per pupil, about that
// pupil, so that the chronology shows who attributed what and no pupil's
// file holds another's. The signs and words recorded on the concern stay
// there, and in its first entry, as they were logged; they are never given
// to every pupil, and reach a pupil's file only as attributed here.
//
// It returns EFORBIDDEN (shown as not found) if v may not (MayAttribute),
// and EINVALID if the parts were recorded already or do not fit c
// (AttributionProblems, which the form checks first).
func ApplyAttribution(v Viewer, c Concern, parts []PupilPart, indicators []Indicator, now time.Time) ([]Entry, error) {
	if !MayAttribute(v, c.Access()) {
		return nil, Errorf(EFORBIDDEN, "No such concern")
	}
	if !c.Unattributed() {
		return nil, Errorf(EINVALID, "Each child's part has already been recorded: correct it with a correction entry")
	}
	if len(AttributionProblems(c, parts, indicators)) > 0 {
		return nil, Errorf(EINVALID, "Record a part for each child of the concern, and only for them")
	}
	entries := make([]Entry, 0, len(c.Pupils))
	for _, pupil := range c.Pupils {
		pp, _ := PartOf(parts, pupil.ID)
		entries = append(entries, Entry{SchoolID: c.SchoolID, ConcernID: c.ID, Kind: EntryPartRecorded, AuthorID: v.PersonID,
			AuthorName: v.Name, At: now, PupilIDs: []int64{pupil.ID},
			Details: EntryDetails{Part: pp.Part, Indicators: pp.Indicators, ChildsWords: pp.ChildsWords}})
	}
	return entries, nil
}

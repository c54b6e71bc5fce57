package web

import (
	"strconv"
	"strings"
)

// BodyOutline is one side of the body map (front or back) with the regions
// drawn on it, each a shape a mark may be placed on.
type BodyOutline struct {
	Side, Label string // "front", "Front"
	Regions     []BodyRegionShape
}

// BodyRegionShape is a named region drawn on an outline: an ellipse
// centred at X, Y with width W and height H, or a rectangle whose top left
// corner is X, Y.
type BodyRegionShape struct {
	Key, Label string
	Ellipse    bool
	X, Y, W, H int
}

// BodyMapView is a body map as recorded: the outlines and the numbered
// marks on them, drawn and listed in words.
type BodyMapView struct {
	Outlines []BodyOutline
	Marks    []BodyMapMark
}

// BodyMapMark is one mark on a body map.
type BodyMapMark struct {
	Number      int
	Side        string // "front" or "back"
	Where       string // "Front: left forearm"
	X, Y        int
	Description string
}

// BodyMapForm is the form that records a body map: the outlines to place
// a mark on, and the regions to choose from without them (every region of
// both sides, grouped by side).
type BodyMapForm struct {
	Outlines []BodyOutline
}

// marksOn are the marks of m drawn on side.
func (m BodyMapView) marksOn(side string) []BodyMapMark {
	var out []BodyMapMark
	for _, k := range m.Marks {
		if k.Side == side {
			out = append(out, k)
		}
	}
	return out
}

// ellipseRadius is half of a width or height, as an SVG attribute.
func ellipseRadius(n int) string { return strconv.Itoa(n / 2) }

// BodyMapDraft is a body map's mark as typed into the form: the region as
// "side:region", where it was placed (empty without a pointer) and its
// description.
type BodyMapDraft struct {
	Region, X, Y, Description string
}

// regionOptions are the regions of outlines for the form's list, the one
// typed chosen; the value of each is "side:region".
func regionOptions(outlines []BodyOutline, side string, chosen string) []Option {
	var out []Option
	for _, o := range outlines {
		if o.Side != side {
			continue
		}
		for _, r := range o.Regions {
			v := o.Side + ":" + r.Key
			out = append(out, Option{Value: v, Label: r.Label, Selected: v == chosen})
		}
	}
	return out
}

// AttachmentRow is one file kept with a concern, as the concern page lists it.
type AttachmentRow struct {
	Name, Href  string
	Type, Size  string // "PDF", "1.2 MB"
	By, At      string
	Description string
	Entry       *EntryRef // the entry it belongs with, if one
}

// AttachForm is the form that adds a file to a concern.
type AttachForm struct {
	Action      string
	Entries     []Option // entries the file may belong with; none for the member of staff who logged it
	Description string   // as typed, kept when the file was refused
	Entry       string
}

// Field ids of the attachment form, for its error messages.
const (
	AttachmentFileField        = "attachment-file"
	AttachmentDescriptionField = "attachment-description"
	AttachmentEntryField       = "attachment-entry"
)

func bodyRegionSelectClass(err string) string {
	return selectClass(SelectField{Error: err})
}

// bodyMapLabel names an outline and the marks on it for a screen reader,
// which reads each mark in words in the list that follows.
func bodyMapLabel(o BodyOutline, marks []BodyMapMark) string {
	label := "Body map, " + strings.ToLower(o.Label)
	switch len(marks) {
	case 0:
		return label + ": no marks"
	case 1:
		return label + ": mark " + strconv.Itoa(marks[0].Number)
	}
	nums := make([]string, len(marks))
	for i, m := range marks {
		nums[i] = strconv.Itoa(m.Number)
	}
	return label + ": marks " + strings.Join(nums, ", ")
}

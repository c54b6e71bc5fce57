package safeguarding

import (
	"strings"
)

// A body map records where on a child's body an injury or mark was seen,
// on outlines of the front and the back, with a description of each mark.
// It is a chronology entry (EntryBodyMap) like any other, so it is never
// changed, only corrected.

// BodySide is the outline a mark is on.
type BodySide string

const (
	BodyFront BodySide = "front"
	BodyBack  BodySide = "back"
)

// Label is the side as the body map names it.
func (s BodySide) Label() string {
	if s == BodyBack {
		return "Back"
	}
	return "Front"
}

// BodyShape is a region's outline on the body map: an ellipse when Ellipse
// is set (centre X, Y and radii W/2, H/2), else a rectangle with its top
// left corner at X, Y. Coordinates are in BodyMapWidth × BodyMapHeight.
type BodyShape struct {
	X, Y, W, H int
	Ellipse    bool
}

// Centre is the middle of the shape: where a mark placed without a
// pointer (by choosing the region from the list) is drawn.
func (s BodyShape) Centre() (int, int) {
	if s.Ellipse {
		return s.X, s.Y
	}
	return s.X + s.W/2, s.Y + s.H/2
}

// BodyRegion is a named part of the body on one side of the map. Left and
// right are the child's own: on the front outline the child's left is on
// the viewer's right.
type BodyRegion struct {
	Side  BodySide
	Key   string // stored in a mark: "left_forearm"
	Label string // "Left forearm"
	Shape BodyShape
}

// The size of each outline, in the units marks are placed in.
const (
	BodyMapWidth  = 200
	BodyMapHeight = 440
)

// limbs are the regions that come in pairs: each side's x for the child's
// right as seen on the front outline (the viewer's left), mirrored for the
// left and on the back outline.
var limbs = []struct {
	key, label, backKey, backLabel string
	shape                          BodyShape
}{
	{"shoulder", "shoulder", "shoulder_back", "shoulder (back)", BodyShape{X: 44, Y: 86, W: 22, H: 20}},
	{"upper_arm", "upper arm", "upper_arm_back", "upper arm (back)", BodyShape{X: 40, Y: 106, W: 22, H: 58}},
	{"forearm", "forearm", "forearm_back", "forearm (back)", BodyShape{X: 34, Y: 164, W: 22, H: 64}},
	{"hand", "hand", "hand_back", "back of hand", BodyShape{X: 44, Y: 244, W: 24, H: 32, Ellipse: true}},
	{"thigh", "thigh", "thigh_back", "back of thigh", BodyShape{X: 72, Y: 232, W: 27, H: 80}},
	{"knee", "knee", "knee_back", "back of knee", BodyShape{X: 73, Y: 312, W: 25, H: 18}},
	{"lower_leg", "lower leg", "calf", "calf", BodyShape{X: 74, Y: 330, W: 23, H: 70}},
	{"foot", "foot", "heel", "heel", BodyShape{X: 84, Y: 410, W: 28, H: 18, Ellipse: true}},
}

// BodyRegions are every region of both outlines, front first, in the
// order the list of regions offers them (head to foot).
var BodyRegions = bodyRegions()

func bodyRegions() []BodyRegion {
	mirror := func(s BodyShape) BodyShape {
		if s.Ellipse {
			s.X = BodyMapWidth - s.X
		} else {
			s.X = BodyMapWidth - s.X - s.W
		}
		return s
	}
	title := func(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
	front := []BodyRegion{
		{BodyFront, "head", "Head", BodyShape{X: 100, Y: 38, W: 52, H: 64, Ellipse: true}},
		{BodyFront, "face", "Face", BodyShape{X: 100, Y: 48, W: 34, H: 38, Ellipse: true}},
		{BodyFront, "neck", "Neck", BodyShape{X: 90, Y: 70, W: 20, H: 16}},
		{BodyFront, "chest", "Chest", BodyShape{X: 66, Y: 86, W: 68, H: 64}},
		{BodyFront, "abdomen", "Abdomen", BodyShape{X: 68, Y: 150, W: 64, H: 56}},
		{BodyFront, "groin", "Groin", BodyShape{X: 72, Y: 206, W: 56, H: 26}},
	}
	back := []BodyRegion{
		{BodyBack, "head_back", "Back of head", BodyShape{X: 100, Y: 38, W: 52, H: 64, Ellipse: true}},
		{BodyBack, "neck_back", "Back of neck", BodyShape{X: 90, Y: 70, W: 20, H: 16}},
		{BodyBack, "upper_back", "Upper back", BodyShape{X: 66, Y: 86, W: 68, H: 64}},
		{BodyBack, "lower_back", "Lower back", BodyShape{X: 68, Y: 150, W: 64, H: 50}},
		{BodyBack, "buttocks", "Buttocks", BodyShape{X: 70, Y: 200, W: 60, H: 32}},
	}
	for _, l := range limbs {
		// Front: the child's right is on the viewer's left.
		front = append(front,
			BodyRegion{BodyFront, "right_" + l.key, "Right " + l.label, l.shape},
			BodyRegion{BodyFront, "left_" + l.key, "Left " + l.label, mirror(l.shape)})
		// Back: the child's left is on the viewer's left.
		back = append(back,
			BodyRegion{BodyBack, "left_" + l.backKey, title("left " + l.backLabel), l.shape},
			BodyRegion{BodyBack, "right_" + l.backKey, title("right " + l.backLabel), mirror(l.shape)})
	}
	return append(front, back...)
}

// BodyRegionOf is the region of side named key, and whether there is one.
func BodyRegionOf(side BodySide, key string) (BodyRegion, bool) {
	for _, r := range BodyRegions {
		if r.Side == side && r.Key == key {
			return r, true
		}
	}
	return BodyRegion{}, false
}

// BodyMark is one injury or mark on a body map, as stored in the entry's
// details (the field names are the record's format: never rename them).
type BodyMark struct {
	Side        BodySide `json:"side"`
	Region      string   `json:"region"`
	X           int      `json:"x"` // where on the side's outline, in BodyMapWidth × BodyMapHeight
	Y           int      `json:"y"`
	Description string   `json:"description"`
}

// RegionLabel names the mark's region, or its stored key if the region is
// unknown (a record from a later version).
func (m BodyMark) RegionLabel() string {
	if r, ok := BodyRegionOf(m.Side, m.Region); ok {
		return r.Label
	}
	return m.Region
}

// MaxBodyMarks bounds the marks one body map entry holds.
const MaxBodyMarks = 20

// bodyMapProblems says what is wrong with a body map's marks, by the form's
// field names: each mark needs a region of its side and a description, and
// a place on the outline.
func bodyMapProblems(marks []BodyMark, p FieldProblems) {
	if len(marks) == 0 {
		p["region"] = "Choose where on the body the mark was seen"
		return
	}
	if len(marks) > MaxBodyMarks {
		p["region"] = "Record at most 20 marks in one body map"
	}
	for _, m := range marks {
		if _, ok := BodyRegionOf(m.Side, m.Region); !ok {
			p["region"] = "Choose where on the body the mark was seen"
		}
		if m.X < 0 || m.X > BodyMapWidth || m.Y < 0 || m.Y > BodyMapHeight {
			p["region"] = "Place the mark on the outline"
		}
		if strings.TrimSpace(m.Description) == "" {
			p["description"] = "Describe the mark: its size, shape, colour, and what the child said about it"
		}
	}
}

// MayAddBodyMap reports whether v may record a body map on concern c: its
// case handlers, and the member of staff who logged it, who may well be the
// one who saw the mark. The member of staff sees their own body map, as
// they see everything they wrote; chronology_insert in access.sql admits
// the same people.
func MayAddBodyMap(v Viewer, c ConcernAccess) bool { return Can(v, c, ActionAddEntry) }

package httpserver

import (
	"strconv"
	"strings"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// bodyOutlines are the body map's front and back outlines, drawn from the
// regions the domain names (safeguarding.BodyRegions).
var bodyOutlines = func() []web.BodyOutline {
	out := []web.BodyOutline{{Side: string(safeguarding.BodyFront), Label: safeguarding.BodyFront.Label()},
		{Side: string(safeguarding.BodyBack), Label: safeguarding.BodyBack.Label()}}
	for _, r := range safeguarding.BodyRegions {
		i := 0
		if r.Side == safeguarding.BodyBack {
			i = 1
		}
		out[i].Regions = append(out[i].Regions, web.BodyRegionShape{Key: r.Key, Label: r.Label, Ellipse: r.Shape.Ellipse,
			X: r.Shape.X, Y: r.Shape.Y, W: r.Shape.W, H: r.Shape.H})
	}
	return out
}()

// bodyMapView is a body map entry's marks, numbered in the order recorded.
func bodyMapView(marks []safeguarding.BodyMark) *web.BodyMapView {
	m := &web.BodyMapView{Outlines: bodyOutlines}
	for i, k := range marks {
		m.Marks = append(m.Marks, web.BodyMapMark{Number: i + 1, Side: string(k.Side),
			Where: k.Side.Label() + ": " + strings.ToLower(k.RegionLabel()), X: k.X, Y: k.Y, Description: k.Description})
	}
	return m
}

// bodyMarkFrom is the mark a body map form describes: the region chosen
// ("side:region"), placed where it was selected on the outline, or at the
// middle of the region when it was chosen from the list (x and y empty, or
// not numbers). A region that is not one leaves the mark without one, for
// the domain's check to name.
func bodyMarkFrom(d web.BodyMapDraft) safeguarding.BodyMark {
	side, key, _ := strings.Cut(d.Region, ":")
	m := safeguarding.BodyMark{Side: safeguarding.BodySide(side), Region: key, Description: strings.TrimSpace(d.Description)}
	r, ok := safeguarding.BodyRegionOf(m.Side, key)
	if !ok {
		return m
	}
	m.X, m.Y = r.Shape.Centre()
	x, errX := strconv.Atoi(strings.TrimSpace(d.X))
	y, errY := strconv.Atoi(strings.TrimSpace(d.Y))
	if errX == nil && errY == nil && x >= 0 && x <= safeguarding.BodyMapWidth && y >= 0 && y <= safeguarding.BodyMapHeight {
		m.X, m.Y = x, y
	}
	return m
}

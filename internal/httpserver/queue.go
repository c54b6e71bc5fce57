package httpserver

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// queueStore reads a page of the queue.
type queueStore interface {
	Queue(ctx context.Context, v safeguarding.Viewer, f safeguarding.QueueFilter) (safeguarding.QueuePage, error)
}

// queueStatuses are the status filter's choices, the default first.
var queueStatuses = []web.Option{
	{Value: safeguarding.QueueOpen, Label: "Open"},
	{Value: string(safeguarding.StatusNew), Label: safeguarding.StatusNew.Label()},
	{Value: string(safeguarding.StatusAcknowledged), Label: safeguarding.StatusAcknowledged.Label()},
	{Value: string(safeguarding.StatusInProgress), Label: safeguarding.StatusInProgress.Label()},
	{Value: string(safeguarding.StatusReopened), Label: safeguarding.StatusReopened.Label()},
	{Value: string(safeguarding.StatusClosed), Label: safeguarding.StatusClosed.Label()},
	{Value: safeguarding.QueueAll, Label: "All"},
}

// queueChoice is the queue's filter as the URL gives it, each value
// normalised so that the form shows back what the list shows.
type queueChoice struct {
	Status, Category, Year, Assignee string
}

func queueChoiceFrom(q url.Values) queueChoice {
	c := queueChoice{Status: safeguarding.QueueOpen, Category: cleanText(q.Get("category")), Assignee: q.Get("assignee")}
	for _, o := range queueStatuses {
		if q.Get("status") == o.Value {
			c.Status = o.Value
		}
	}
	if y, err := strconv.Atoi(q.Get("year")); err == nil && y > 0 {
		c.Year = strconv.Itoa(y)
	}
	if a := c.Assignee; a != "none" && a != "me" && pathID(a) == 0 {
		c.Assignee = ""
	}
	return c
}

// filter is the store's filter for the choice, as seen by v.
func (c queueChoice) filter(v safeguarding.Viewer) safeguarding.QueueFilter {
	f := safeguarding.QueueFilter{Status: c.Status, Category: c.Category}
	f.YearGroup, _ = strconv.Atoi(c.Year)
	switch c.Assignee {
	case "none":
		f.Unassigned = true
	case "me":
		f.AssignedTo = v.PersonID
	default:
		f.AssignedTo = pathID(c.Assignee)
	}
	return f
}

// href is the queue's address for the choice, starting at a position.
func (c queueChoice) href(param string, at safeguarding.QueuePosition) string {
	q := url.Values{}
	if c.Status != safeguarding.QueueOpen {
		q.Set("status", c.Status)
	}
	for name, value := range map[string]string{"category": c.Category, "year": c.Year, "assignee": c.Assignee} {
		if value != "" {
			q.Set(name, value)
		}
	}
	if param != "" {
		q.Set(param, at.String())
	}
	if len(q) == 0 {
		return "/queue"
	}
	return "/queue?" + q.Encode()
}

// queue shows the concerns the viewer handles or reads, urgent first, a
// page at a time. Anyone with no route to see (staff, governors,
// administrators) is told the page does not exist.
func (s *Server) queue(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	ctx := r.Context()
	query := r.URL.Query()
	choice := queueChoiceFrom(query)
	f := choice.filter(v)
	f.After, _ = safeguarding.ParseQueuePosition(query.Get("after"))
	if f.After.IsZero() {
		f.Before, _ = safeguarding.ParseQueuePosition(query.Get("before"))
	}
	found, err := s.db.Queue(ctx, v, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	categories, err := s.db.Categories(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	view := web.Queue{Filter: queueFilterForm(v, choice, categories, found.YearGroups, found.Leads), PatternFlags: patternFlagViews(found.PatternFlags)}
	now := time.Now()
	for _, c := range found.Concerns {
		row := queueRow(c, categories, now)
		row.Deadlines = queueMarkers(found.Deadlines[c.ID], now)
		view.Rows = append(view.Rows, row)
	}
	if !found.Prev.IsZero() {
		view.PrevHref = choice.href("before", found.Prev)
		view.FirstHref = choice.href("", safeguarding.QueuePosition{})
	}
	if !found.Next.IsZero() {
		view.NextHref = choice.href("after", found.Next)
	}
	s.render(w, r, http.StatusOK, web.QueuePage(page(r, "Concerns"), view))
}

// queueFilterForm is the filter form with the current choice selected.
func queueFilterForm(v safeguarding.Viewer, c queueChoice, categories []safeguarding.Category, years []int, leads []safeguarding.Assignee) web.QueueFilter {
	f := web.QueueFilter{Filtered: c != queueChoice{Status: safeguarding.QueueOpen}}
	chosen := func(value, current string) bool { return value == current }
	for _, o := range queueStatuses {
		o.Selected = chosen(o.Value, c.Status)
		f.Status = append(f.Status, o)
	}
	f.Category = []web.Option{{Value: "", Label: "Any category"}}
	for _, cat := range categories {
		f.Category = append(f.Category, web.Option{Value: cat.Code, Label: cat.Label, Selected: chosen(cat.Code, c.Category)})
	}
	f.YearGroup = []web.Option{{Value: "", Label: "Any year group"}}
	for _, y := range years {
		n := strconv.Itoa(y)
		f.YearGroup = append(f.YearGroup, web.Option{Value: n, Label: "Year " + n, Selected: chosen(n, c.Year)})
	}
	f.Assignee = []web.Option{{Value: "", Label: "Anyone or no one"}, {Value: "none", Label: "Unassigned", Selected: chosen("none", c.Assignee)}}
	if v.Roles.IsSafeguardingLead() {
		f.Assignee = append(f.Assignee, web.Option{Value: "me", Label: "Me", Selected: chosen("me", c.Assignee)})
	}
	for _, l := range leads {
		n := strconv.FormatInt(l.ID, 10)
		f.Assignee = append(f.Assignee, web.Option{Value: n, Label: l.Name, Selected: chosen(n, c.Assignee)})
	}
	return f
}

// queueRow is one concern as the queue lists it.
func queueRow(c safeguarding.Concern, categories []safeguarding.Category, now time.Time) web.QueueRow {
	return web.QueueRow{
		Href:       "/concerns/" + strconv.FormatInt(c.ID, 10),
		Subject:    c.SubjectLabel(),
		YearGroups: yearGroupsOf(c.Pupils),
		Categories: concernCategoryLabels(categories, c.Categories),
		LoggedBy:   c.LoggedByName,
		Age:        queueAge(now, c.LoggedAt),
		LoggedAt:   longDateTime(c.LoggedAt),
		Status:     statusTagFor(c.Status),
		Assignee:   c.AssignedToName,
		Urgent:     c.Urgent,
	}
}

// queueAge is how long ago something happened, as a DSL scanning the queue
// reads it: "just now", "25 min ago", "3 h ago", "2 days ago".
func queueAge(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " min ago"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " h ago"
	case d < 48*time.Hour:
		return "1 day ago"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + " days ago"
}

// concernCategoryLabels names category codes in the order the concern form lists
// them; a code no longer on the list is shown as it is.
func concernCategoryLabels(all []safeguarding.Category, codes []string) []string {
	var labels []string
	for _, c := range all {
		for _, code := range codes {
			if c.Code == code {
				labels = append(labels, c.Label)
			}
		}
	}
	for _, code := range codes {
		known := false
		for _, c := range all {
			known = known || c.Code == code
		}
		if !known {
			labels = append(labels, code)
		}
	}
	return labels
}

// yearGroupsOf names the year groups of a concern's pupils: "Year 8",
// "Years 8 and 10"; "" for a concern about an adult.
func yearGroupsOf(pupils []safeguarding.PupilRef) string {
	var groups []int
	for _, p := range pupils {
		groups = append(groups, p.YearGroup)
	}
	slices.Sort(groups)
	var years []string
	for _, y := range slices.Compact(groups) {
		years = append(years, strconv.Itoa(y))
	}
	switch len(years) {
	case 0:
		return ""
	case 1:
		return "Year " + years[0]
	}
	return "Years " + strings.Join(years[:len(years)-1], ", ") + " and " + years[len(years)-1]
}

// queueMarkers are the tags a concern's open deadlines put on its row: a
// response to a referral due today or overdue, and feedback to the member
// of staff due (two working days after logging) or overdue.
func queueMarkers(ds []safeguarding.Deadline, now time.Time) []web.QueueMarker {
	var out []web.QueueMarker
	for _, d := range ds {
		state := safeguarding.StateAt(d.Due, now)
		switch {
		case d.Kind == safeguarding.DeadlineReferralResponse && state == safeguarding.PastDue:
			out = append(out, web.QueueMarker{Text: "Response overdue", Colour: "red"})
		case d.Kind == safeguarding.DeadlineReferralResponse && state == safeguarding.DueToday:
			out = append(out, web.QueueMarker{Text: "Response due today", Colour: "orange"})
		case d.Kind == safeguarding.DeadlineFeedback && state == safeguarding.PastDue:
			out = append(out, web.QueueMarker{Text: "Feedback overdue", Colour: "red"})
		case d.Kind == safeguarding.DeadlineFeedback && state == safeguarding.DueToday:
			out = append(out, web.QueueMarker{Text: "Feedback due", Colour: "orange"})
		}
	}
	return out
}

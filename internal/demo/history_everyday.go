package demo

import (
	"slices"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

const (
	minute = time.Minute
	hour   = time.Hour
	day    = 24 * time.Hour
)

// story is one kind of concern about a child, told as staff and the DSL
// would tell it. Text names the child {name} and a second child {other}.
type story struct {
	category  string
	weight    int      // how often it is logged, relative to the others
	also      []string // a category sometimes logged with it
	minYear   int      // the youngest year group it is logged about
	urgent    float64  // how often it is urgent
	withOther bool     // it is about a second child too
	byLead    bool     // the DSL logs it (a notification from outside)
	accounts  []account
	voices    []string  // conversations with the child: their wishes and feelings (§11.13)
	parents   []contact // contact with parents or carers (§11.15)
	withhold  string    // why parents are not told, when the response does not tell them
	responses []response
}

// account is what a member of staff writes when they log a concern.
type account struct {
	what, words, where, done, told string
	indicators                     []string // CSE indicators of §5.2 they tick
	otherWords                     string   // the second child's own words, when there is one
}

// contact is a conversation with parents and why it was safe to have it.
type contact struct{ body, judgement string }

// response is what the DSL decides and what comes of it. A story's first
// response is the statutory one, taken when the concern is urgent.
type response struct {
	decision, reason string
	agency           safeguarding.Agency // none when school manages it alone
	other            string              // the agency, when agency is other
	referral         string              // what was shared when referring
	outcomes         []string
	tell             bool // whether parents or carers are told
}

// everyday draws n concerns about children across the two years, then
// leaves the most recent of them where a school's open concerns would be.
func (p *planner) everyday(n int) {
	var days []time.Time
	var cumulative []float64
	total := 0.0
	for d := p.lastYear; !d.After(p.now); d = d.AddDate(0, 0, 1) {
		total += dayWeight(d)
		days, cumulative = append(days, d), append(cumulative, total)
	}
	stories := childStories()
	weights := 0
	for _, s := range stories {
		weights += s.weight
	}
	start := len(p.concerns)
	for range n {
		at := p.loggedAt(days, cumulative)
		w := p.rng.IntN(weights)
		for i := range stories {
			if w -= stories[i].weight; w < 0 {
				p.childConcern(at, &stories[i])
				break
			}
		}
	}
	p.settleRecent(p.concerns[start:])
}

func (p *planner) childConcern(at time.Time, s *story) {
	a := pick(p, s.accounts)
	c := pastConcern{at: at, by: p.referrer(), pupils: []pupilPick{p.pupil(at, s.minYear)}}
	if s.byLead {
		c.by = dslEmail
	}
	if s.withOther {
		other := p.pupil(at, max(s.minYear, c.pupils[0].year))
		if other == c.pupils[0] {
			other.n = (other.n + 1) % 43
		}
		c.pupils = append(c.pupils, other)
		c.otherPart, c.otherWords = safeguarding.PartWitness, a.otherWords
		if s.category == "child_on_child" {
			c.otherPart = safeguarding.PartHarmer
		}
	}
	categories := []string{s.category}
	if len(s.also) > 0 && p.chance(0.3) {
		categories = append(categories, pick(p, s.also))
	}
	indicators := slices.Clone(a.indicators)
	if len(indicators) > 0 && p.chance(0.4) {
		if extra := pick(p, cseAlsoNoticed); !slices.Contains(indicators, extra) {
			indicators = append(indicators, extra)
		}
	}
	if a.told == "" && p.chance(0.4) {
		a.told = pick(p, othersTold)
	}
	if a.done == "" {
		a.done = pick(p, firstActions)
	}
	urgent := p.chance(s.urgent)
	c.in = p.childInput(at, categories, indicators, a, urgent)
	// Most concerns are met in school; the statutory response comes first.
	r := s.responses[0]
	switch last := s.responses[len(s.responses)-1]; {
	case urgent:
	case last.agency == "" && p.chance(0.45):
		r = last
	default:
		r = pick(p, s.responses)
	}
	p.triage(&c, s, r)
	p.concerns = append(p.concerns, c)
}

func otherLead(lead string) string {
	if lead == dslEmail {
		return deputyEmail
	}
	return dslEmail
}

// triage is what the DSL or deputy does with a concern about a child, from
// acknowledging it to closing it. Steps after now are dropped later, which
// leaves recent concerns open wherever their story had reached.
func (p *planner) triage(c *pastConcern, s *story, r response) {
	lead := dslEmail
	if p.chance(0.35) {
		lead = deputyEmail
	}
	tl := p.timeline(c)
	switch {
	case c.in.Urgent:
		tl.wait(2*minute, 15*minute)
	case p.chance(0.7):
		tl.wait(10*minute, 3*hour)
	case p.chance(0.85):
		tl.wait(14*hour, 20*hour) // first thing the next morning
	default:
		tl.wait(40*hour, 64*hour)
	}
	tl.add(lead, entry(safeguarding.EntryAcknowledged, pick(p, acknowledgements)))
	if c.in.Urgent {
		tl.wait(3*minute, 25*minute).referred(lead, r.agency, r.other, "Urgent referral by phone. "+r.referral)
	}
	if p.chance(0.3) {
		to := lead
		if p.chance(0.2) {
			to = otherLead(lead)
		}
		tl.wait(minute, 10*minute).assign(lead, to)
		lead = to
	}
	serious := r.agency != ""
	if serious || p.chance(0.3) {
		tl.wait(2*minute, 40*minute).add(lead, moved(safeguarding.StatusInProgress))
	}
	if len(s.voices) > 0 && p.chance(0.65) {
		tl.wait(20*minute, 3*hour).add(lead, entry(safeguarding.EntryConversationChild, pick(p, s.voices)))
	}
	switch {
	case r.tell && len(s.parents) > 0 && p.chance(0.65):
		parents := pick(p, s.parents)
		tl.wait(20*minute, 2*hour).add(lead, told(parents.body, parents.judgement))
	case !r.tell && s.withhold != "":
		tl.wait(10*minute, hour).add(lead, decided("Not to tell {name}'s parents or carers at this stage.", s.withhold))
	}
	tl.wait(10*minute, 90*minute).add(lead, decided(r.decision, r.reason))
	if serious && !c.in.Urgent {
		tl.wait(10*minute, hour).referred(lead, r.agency, r.other, r.referral)
	}
	if c.by != lead && c.by != dslEmail && c.by != deputyEmail {
		if p.chance(0.14) {
			tl.until(p.workingDaysAfter(c.at, 2+p.rng.IntN(3))) // feedback given late
		} else {
			tl.wait(5*minute, 90*minute)
		}
		feedback := pick(p, feedbackAfterSupport)
		if serious {
			feedback = pick(p, feedbackAfterReferral)
		}
		tl.add(lead, entry(safeguarding.EntryFeedback, feedback))
	}
	if p.chance(0.15) {
		tl.wait(day, 4*day).add(c.by, entry(safeguarding.EntryFurtherInformation, pick(p, furtherInformation)))
	}
	for range p.rng.IntN(2) {
		tl.wait(6*hour, 5*day).add(lead, entry(safeguarding.EntryAction, pick(p, actions)))
	}
	if p.chance(0.03) {
		tl.wait(10*minute, 2*day).correct(lead, pick(p, corrections))
	}
	if r.agency == safeguarding.AgencyCSCS && p.chance(0.12) {
		tl.wait(2*day, 8*day).add(lead, entry(safeguarding.EntryOutcome,
			"CSCS replied that the referral did not meet the threshold for a statutory assessment and closed it with no further action."))
		tl.wait(hour, day).add(lead, decided("Re-refer to children's social care with the further information gathered since the first referral.",
			"School believes {name} remains at risk of harm: staff have logged more since, and nothing at home has changed. Policy §11.11 asks us to consider referring again in these circumstances."))
		tl.wait(10*minute, 2*hour).referred(lead, safeguarding.AgencyCSCS, "",
			"Second referral to the MASH with the further concerns attached, and a request to discuss it with a team manager.")
	}
	if serious {
		tl.wait(7*day, 45*day).conclude(lead, pick(p, r.outcomes))
	} else {
		tl.wait(5*day, 21*day).close(lead, pick(p, r.outcomes))
	}
	if p.chance(0.05) {
		tl.wait(10*day, 50*day).add(lead, entry(safeguarding.EntryReopened, pick(p, reopenReasons)))
		tl.wait(5*minute, 2*hour).add(lead, moved(safeguarding.StatusInProgress))
		tl.wait(2*hour, 3*day).add(lead, entry(safeguarding.EntryAction, pick(p, actions)))
		tl.wait(3*day, 20*day).conclude(lead, pick(p, reopenOutcomes))
	}
}

// settleRecent leaves the newest concerns as a school's would be on any
// given day: a few not yet acknowledged, a few acknowledged and waiting,
// and a couple closed a few weeks ago and reopened this week.
func (p *planner) settleRecent(concerns []pastConcern) {
	order := make([]int, len(concerns))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return concerns[b].at.Compare(concerns[a].at) })
	waiting, acknowledged, reopened := 3, 3, 2
	for _, i := range order {
		c := &concerns[i]
		switch {
		case c.in.Urgent:
		case waiting > 0:
			c.steps, waiting = nil, waiting-1
		case acknowledged > 0:
			n := 0
			for n < len(c.steps) && (c.steps[n].in.Kind == safeguarding.EntryAcknowledged || c.steps[n].in.Kind == safeguarding.EntryAssigned) {
				n++
			}
			c.steps, acknowledged = c.steps[:n], acknowledged-1
		case reopened > 0 && len(c.steps) > 0:
			last := c.steps[len(c.steps)-1]
			if last.in.Kind == safeguarding.EntryClosed && last.at.Before(p.now.AddDate(0, 0, -10)) {
				c.steps = append(c.steps, step{at: p.recent(1 + p.rng.IntN(3)), by: last.by,
					in: entry(safeguarding.EntryReopened, pick(p, reopenReasons))})
				reopened--
			}
		}
	}
}

// cseAlsoNoticed are §5.2 indicators often ticked alongside others.
var cseAlsoNoticed = []string{"emotional_wellbeing", "secretive", "withdrawn", "absences", "defensive", "lack_relationships"}

var othersTold = []string{
	"Form tutor", "Head of Year", "The teaching assistant in the lesson", "No one else",
	"My line manager, who told me to log it straight away", "The school nurse", "Reception, who took the phone call",
}

var firstActions = []string{
	"Listened, did not ask leading questions, and told {name} I would have to pass this on to the safeguarding team.",
	"Reassured {name} that telling me was the right thing to do and that I would pass it on today.",
	"Made sure {name} was settled and with a member of staff before logging this.",
	"Logged it straight away. Did not contact home.",
	"Spoke briefly with {name} to check they were alright; did not ask for details.",
}

var acknowledgements = []string{
	"", "", "Seen. I'll pick this up today.", "Read; will speak to {name} this morning.",
	"Acknowledged. Checking the file for earlier concerns first.", "Seen. Thank you, taking this forward.",
}

var feedbackAfterSupport = []string{
	"Thank you for passing this on so promptly. I have followed it up and some support is in place. Please carry on as normal with {name} and log anything further straight away.",
	"Thanks for logging this. We are putting pastoral support in place and I will keep an eye on it. Nothing more is needed from you for now.",
	"Thank you, this was the right thing to do. {name} is being supported by the pastoral team; please let the Head of Year know if you notice any change.",
	"Thank you. I have spoken with {name} and with home. Please keep an eye out and log anything you notice, however small.",
}

var feedbackAfterReferral = []string{
	"Thank you for raising this. I have made a referral to an outside agency and {name} is being supported. I can't share the detail, but please let me know at once if {name} says anything else.",
	"Thank you, this was exactly right. The concern has been referred on and school is working with the agencies involved. Please log anything further straight away.",
	"Thanks for logging this so clearly. Action is being taken and support is in place for {name}. If you have any worries in the meantime, come and find me.",
}

var furtherInformation = []string{
	"{name} came to find me at break today and asked whether I had 'told anyone'. I said I had passed it on to help keep them safe; {name} seemed relieved.",
	"{name} was upset again in period 5 today and asked to go to the pastoral office.",
	"A friend of {name}'s mentioned today that things 'have been bad again at the weekend'. I did not ask more.",
	"{name} has been absent for the last two days. I have let attendance know as well.",
	"{name} seems much brighter this week and has been joining in in class.",
}

var actions = []string{
	"Checked {name}'s attendance and behaviour record: attendance is in line with the year group and there are no sanctions this term.",
	"Spoke with the Head of Year, who will check in with {name} each morning this week.",
	"Added {name} to the agenda of the weekly vulnerable students meeting.",
	"Shared with the form tutor on a need-to-know basis.",
	"Arranged for {name} to see the school counsellor weekly.",
	"Agreed a safety plan with {name}: a named trusted adult and a pass to leave lessons to see them.",
	"Checked the file for earlier concerns: two earlier pastoral notes about friendship difficulties, nothing since.",
	"Asked the learning mentor to meet {name} once a week for the rest of the half term.",
	"Checked in with {name} at lunchtime; {name} said things were 'a bit better'.",
}

var corrections = []string{
	"Correction to the entry above: the time should read 14:10, not 12:10.",
	"Correction: the entry above was recorded against the wrong day; it happened the day before.",
	"Correction to the entry above: the conversation was with {name}'s aunt, who has parental responsibility, not with {name}'s mother.",
}

var reopenReasons = []string{
	"Reopened: {name}'s form tutor has passed on a further comment from {name} which suggests the situation has not improved.",
	"Reopened: a new disclosure from {name} to the school nurse relates directly to this concern.",
	"Reopened: CSCS have been in touch to say a further referral has been received from another agency; school will contribute.",
	"Reopened: {name}'s attendance has dropped again since the review, and the same worries have returned.",
}

var reopenOutcomes = []string{
	"Further support put in place after the reopening; review shows {name} settled and the new information did not change the assessment of risk.",
	"The new information was shared with the allocated social worker and added to their assessment. School support continues through the pastoral team.",
}

// outcomes shared by the stories' school-managed responses.
var supportedInSchool = []string{
	"Two-week review: {name} is settled, attending well and using the trusted adult. No further concerns raised.",
	"Review with {name} and home: the support has helped and {name} would like it to carry on informally. No further concerns.",
	"{name} is doing well after a half term of weekly mentoring. Pastoral team to keep a light touch; staff reminded to log anything new.",
}

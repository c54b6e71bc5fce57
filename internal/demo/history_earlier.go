package demo

import (
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// earlierConcerns is how many everyday concerns about children the
// academic year before last holds: enough that the oversight report's
// comparison with the year before shows most figures rather than "fewer
// than 5", fewer than a full year's so that loading the demo stays quick.
const earlierConcerns = 170

// earlierCSE is how many CSE concerns that year holds besides those drawn
// with the rest.
const earlierCSE = 14

// earlier draws the academic year before last: everyday concerns about
// children, with their referrals and outcomes, and allegations about
// adults, all long closed. It draws after everything else, so the later
// years' concerns come out as they did before it was added.
func (p *planner) earlier() {
	var days []time.Time
	var cumulative []float64
	total := 0.0
	for d := p.yearBefore; d.Before(p.lastYear); d = d.AddDate(0, 0, 1) {
		total += dayWeight(d)
		days, cumulative = append(days, d), append(cumulative, total)
	}
	stories := childStories()
	weights := 0
	for _, s := range stories {
		weights += s.weight
	}
	for range earlierConcerns {
		at := p.loggedAt(days, cumulative)
		w := p.rng.IntN(weights)
		for i := range stories {
			if w -= stories[i].weight; w < 0 {
				p.childConcern(at, &stories[i])
				break
			}
		}
	}
	// The college's CSE work began that year: more concerns with §5.2
	// indicators than the weights alone would give, so that the report's
	// indicator figures for the year are shown.
	for i := range stories {
		if stories[i].category == "cse" {
			for range earlierCSE {
				p.childConcern(p.loggedAt(days, cumulative), &stories[i])
			}
		}
	}
	p.earlierAllegations()
}

// earlierAllegations are the year before last's allegations about adults:
// members of staff, managed by the principal with the LADO, and visitors,
// managed by the DSL.
func (p *planner) earlierAllegations() {
	type allegation struct {
		m                        time.Month
		d                        int
		by, subject, adult, role string
		category                 string
		what, where              string
		ladoOutcome              string // "" when it is managed in school
	}
	for _, a := range []allegation{
		{m: time.October, d: 7, by: "staff04@demo.test", subject: "staff23@demo.test", category: "emotional_abuse",
			what: "I heard {subject} call a pupil 'thick' and 'a waste of space' in front of the class.", where: "Maths block",
			ladoOutcome: "LADO: does not meet the harm threshold. Managed as a conduct matter: a written warning and coaching on behaviour management."},
		{m: time.December, d: 2, by: "staff18@demo.test", subject: "staff31@demo.test", category: "online_safety",
			what: "A pupil showed me that {subject} follows the pupil on a personal TikTok account and has liked several of the pupil's videos.", where: "Library"},
		{m: time.January, d: 27, by: "staff10@demo.test", subject: "staff05@demo.test", category: "physical_abuse",
			what: "A pupil told me {subject} squeezed the pupil's arm hard to move the pupil out of a doorway; the pupil showed me a red mark.", where: "Pastoral office",
			ladoOutcome: "LADO: unsubstantiated; no further action beyond a reminder of the positive handling policy."},
		{m: time.March, d: 11, by: "staff29@demo.test", adult: "Visiting sports coach", role: "visitor", category: "other",
			what: "The visiting football coach gave two pupils his personal number and added them to a group chat.", where: "Sports hall",
			ladoOutcome: "LADO: the coaching firm removed the coach from school work; no further action by the police."},
		{m: time.May, d: 6, by: "staff03@demo.test", adult: "Supply teacher (agency)", role: "supply teacher", category: "emotional_abuse",
			what: "A supply teacher shouted at a Year 9 pupil with SEND and mocked the pupil's stammer in front of the class.", where: "Science lab 2"},
		{m: time.June, d: 24, by: "staff20@demo.test", subject: "staff14@demo.test", category: "other",
			what: "{subject} has been giving one pupil lifts home and buying the pupil lunch, and asked the pupil not to tell anyone.", where: "Staff car park",
			ladoOutcome: "LADO strategy meeting: a serious breach of the code of conduct; {subject} resigned during the disciplinary process and the case was referred to the TRA."},
	} {
		at := p.on(p.yearBefore, a.m, a.d)
		c := pastConcern{at: at, by: a.by, subject: a.subject,
			in: p.adultInput(at, a.adult, a.role, account{what: a.what, where: a.where})}
		c.in.Categories = []string{a.category}
		handler := principalEmail
		if a.adult != "" {
			handler = dslEmail
		}
		tl := p.timeline(&c)
		tl.wait(30*minute, 6*hour).add(handler, entry(safeguarding.EntryAcknowledged, ""))
		tl.wait(10*minute, hour).add(handler, moved(safeguarding.StatusInProgress))
		if a.ladoOutcome != "" {
			tl.wait(10*minute, hour).add(handler, decided("Consult the LADO today.",
				"The allegation may meet the harm threshold for adults who work with children (KCSIE part 4)."))
			tl.wait(10*minute, hour).referred(handler, lado, "", "Consulted the LADO by phone and sent the allegation form the same day.")
			tl.wait(20*minute, 2*hour).add(handler, entry(safeguarding.EntryFeedback, "Thank you for reporting this. It is being dealt with under the procedure for allegations about adults."))
			tl.wait(10*day, 30*day).conclude(handler, a.ladoOutcome)
			p.concerns = append(p.concerns, c)
			continue
		}
		tl.wait(10*minute, hour).add(handler, decided("Deal with it as a low-level concern in school.",
			"It breaches the code of conduct but nothing suggests harm or intent, so it does not meet the harm threshold."))
		tl.wait(hour, 2*day).add(handler, entry(safeguarding.EntryAction, "Spoke with the adult concerned and set out the code of conduct in writing."))
		tl.wait(10*minute, hour).add(handler, entry(safeguarding.EntryFeedback, "Thank you for raising this; it has been dealt with."))
		tl.wait(2*day, 7*day).close(handler, "Recorded as a low-level concern; no pattern of similar concerns.")
		p.concerns = append(p.concerns, c)
	}
}

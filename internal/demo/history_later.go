package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// The later life of a child's file: pupils who have left, so that a fresh
// demo shows a file waiting to be transferred (docs/transfer.md) and one
// past its retention date (docs/retention.md) without anyone waiting for
// days to pass. These pupils are not on the roster Load makes; the history
// adds them, so the roster's pupils and every demo test that counts them
// are as they were.

// leaver is a pupil the history adds who has since left the school.
type leaver struct {
	first, last string
	year        int       // the year group they were in when they left
	group       string    // their registration group then
	born        time.Time // midnight UTC
	leftOn      time.Time // the day they left, midnight UTC
	leftAt      time.Time // when the DSL marked them as left, that day
	// notNeeded, when set, is why the DSL recorded, as they marked the
	// pupil left, that the file needs no transfer.
	notNeeded string
}

// Names of the leavers, for the tests and the docs.
const (
	MovedToRefugeName = "Ruby Fletcher"
	MovedAwayName     = "Kian Doyle"
	FormerPupilName   = "Megan Lloyd"
)

// laterLife plans the leavers and their concerns. It draws from the random
// source after everything else, so the rest of the history is as it was
// without it.
func (p *planner) laterLife() {
	// The demo school records no closures: its calendar is England's bank
	// holidays and weekends.
	cal := safeguarding.NewCalendar(safeguarding.DefaultBankHolidays(), nil)
	today := time.Date(p.now.Year(), p.now.Month(), p.now.Day(), 0, 0, 0, 0, time.UTC)
	p.caseMovedToRefuge(workingDaysBefore(cal, today, 2))
	p.caseMovedAway(workingDaysBefore(cal, today, 7))
	p.caseFormerPupil()
}

// workingDaysBefore is the nth working day before day (n > 0) on cal.
func workingDaysBefore(cal safeguarding.Calendar, day time.Time, n int) time.Time {
	for n > 0 {
		day = day.AddDate(0, 0, -1)
		if cal.WorkingDay(day) {
			n--
		}
	}
	return day
}

// afternoonOf is 3.30pm in England on the date day (midnight UTC).
func (p *planner) afternoonOf(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 15, 30, 0, 0, p.loc)
}

// addLeaver adds a leaver to the plan and returns whom concerns about them pick.
func (p *planner) addLeaver(l leaver) pupilPick {
	p.leavers = append(p.leavers, l)
	return pupilPick{year: l.year, leaver: len(p.leavers)}
}

// caseMovedToRefuge: a Year 9 girl whose mother fled domestic abuse with
// her to a refuge in another area. Known to the DSL since the autumn; she
// left two working days ago and her new school needs her file within five.
func (p *planner) caseMovedToRefuge(leftOn time.Time) {
	leftAt := p.afternoonOf(leftOn)
	child := p.addLeaver(leaver{first: "Ruby", last: "Fletcher", year: 9, group: "9N",
		born: time.Date(p.thisYear.Year()-14, time.March, 3, 0, 0, 0, 0, time.UTC), leftOn: leftOn, leftAt: leftAt})

	first := p.childCase(p.working(leftAt.AddDate(0, 0, -40).Add(-6*hour)), "staff07@demo.test", child, []string{"domestic_abuse"}, nil, account{
		what:  "{name} was tearful at registration and said there was 'a lot of shouting' at home last night and the police came. {name} had not slept.",
		words: `"Mum's boyfriend smashed the kitchen door. I hid in my room."`, where: "Form room", told: "Head of Year 9"}, false)
	tl := p.timeline(&first)
	tl.wait(20*minute, hour).add(dslEmail, entry(safeguarding.EntryAcknowledged, ""))
	tl.wait(10*minute, 30*minute).add(dslEmail, moved(safeguarding.StatusInProgress))
	tl.wait(hour, 2*hour).add(dslEmail, entry(safeguarding.EntryConversationChild,
		"{name} said it has happened before; she feels safe at school and wants to stay with her mum."))
	tl.wait(10*minute, 30*minute).add(dslEmail, decided("Refer to children's social care today.",
		"Police called to domestic abuse in the home, repeated, with {name} present: a child living with domestic abuse is a child protection concern."))
	tl.wait(10*minute, hour).referred(dslEmail, cscs, "", "Referral to the MASH: the police call-out, what {name} said and that it has happened before.")
	tl.wait(20*minute, hour).add(dslEmail, entry(safeguarding.EntryFeedback, pick(p, feedbackAfterReferral)))
	tl.wait(7*day, 12*day).conclude(dslEmail, "Children's social care assessed the family; {name}'s mother accepted support from the domestic abuse service, who are working with her to find somewhere safe. School to keep checking in with {name}.")
	p.concerns = append(p.concerns, first)

	second := p.childCase(p.working(leftAt.AddDate(0, 0, -9).Add(-5*hour)), dslEmail, child, []string{"domestic_abuse"}, nil, account{
		what:  "The domestic abuse service told me {name} and her mother are moving to a refuge in another area this week. The new address must not be shared with anyone; mum's ex-partner has been looking for them.",
		where: "Phone call with the domestic abuse service", told: "Principal"}, true)
	tl = p.timeline(&second)
	tl.wait(5*minute, 15*minute).add(dslEmail, entry(safeguarding.EntryAcknowledged, ""))
	tl.wait(5*minute, 15*minute).add(dslEmail, moved(safeguarding.StatusInProgress))
	tl.wait(10*minute, 30*minute).add(dslEmail, decided("Tell children's social care, keep the new area off every school record, and send the file to the new school as soon as it is named.",
		"{name} is moving to a refuge: the risk is being found by the ex-partner, and the new school needs to know her history from the day she arrives."))
	tl.wait(hour, 3*hour).add(dslEmail, entry(safeguarding.EntryAction, "Told children's social care about the move; they are passing the case to the new area's team."))
	tl.until(leftAt.Add(-2*hour)).add(dslEmail, entry(safeguarding.EntryAction,
		"{name}'s last day. The new school is named; its DSL is expecting the file."))
	tl.wait(10*minute, 30*minute).close(dslEmail, "Closed: {name} has left for a refuge in another area; her file goes to her new school.")
	p.concerns = append(p.concerns, second)
}

// caseMovedAway: a Year 10 boy whose family moved away for work, with one
// concern from this year on his file. He left seven working days ago and
// the transfer is late.
func (p *planner) caseMovedAway(leftOn time.Time) {
	leftAt := p.afternoonOf(leftOn)
	child := p.addLeaver(leaver{first: "Kian", last: "Doyle", year: 10, group: "10W",
		born: time.Date(p.thisYear.Year()-15, time.June, 21, 0, 0, 0, 0, time.UTC), leftOn: leftOn, leftAt: leftAt})
	c := p.childCase(p.working(leftAt.AddDate(0, 0, -30).Add(-5*hour)), "staff19@demo.test", child, []string{"neglect"}, nil, account{
		what:  "{name} has come in without a coat all week in the cold and has been asking friends for food at break. His shoes are split.",
		words: `"There's nothing in at home till Friday."`, where: "Playground", told: "Form tutor"}, false)
	tl := p.timeline(&c)
	tl.wait(hour, 3*hour).add(dslEmail, entry(safeguarding.EntryAcknowledged, ""))
	tl.wait(10*minute, 30*minute).add(dslEmail, moved(safeguarding.StatusInProgress))
	tl.wait(hour, day).add(dslEmail, told("Spoke with {name}'s father: he lost his job last month and is waiting for his first payment.",
		"Nothing suggests harm from the family; talking with father is how to help."))
	tl.wait(10*minute, hour).add(dslEmail, decided("Support in school: breakfast club, a coat from the uniform bank and a referral to the food bank.",
		"Hardship, not neglect by choice; the family accepts help."))
	tl.wait(10*minute, hour).add(dslEmail, entry(safeguarding.EntryFeedback, pick(p, feedbackAfterSupport)))
	tl.wait(5*day, 9*day).close(dslEmail, "Closed: father has found work and {name} is well fed and dressed for the weather. The family is moving to where the new job is.")
	p.concerns = append(p.concerns, c)
}

// caseFormerPupil: a girl who left the sixth form at 18, seven or more
// years ago, with two concerns from Years 12 and 13. Her 25th birthday has
// passed, so her file is due for review (date of birth plus 25 years).
func (p *planner) caseFormerPupil() {
	y := p.thisYear.Year()
	year12, year13 := p.thisYear.AddDate(-9, 0, 0), p.thisYear.AddDate(-8, 0, 0)
	// The last school day before the summer holidays of her Year 13.
	leftOn := time.Date(y-7, time.July, 19, 0, 0, 0, 0, time.UTC)
	for weekend(leftOn) {
		leftOn = leftOn.AddDate(0, 0, -1)
	}
	child := p.addLeaver(leaver{first: "Megan", last: "Lloyd", year: 13, group: "13KP",
		born: time.Date(y-26, time.November, 14, 0, 0, 0, 0, time.UTC), leftOn: leftOn, leftAt: p.afternoonOf(leftOn),
		notNeeded: "Left at the end of Year 13 for university: there is no school to send the file to. The college, as her last school, keeps it until she is 25."})

	first := p.childCase(p.on(year12, time.February, 4), "staff04@demo.test", child, []string{"self_harm"}, nil, account{
		what:  "{name} has fresh cuts on her forearm; I saw them when she pushed her sleeves up in the lab. She said it was the cat.",
		where: "Science lab 1", told: "No one yet"}, false)
	tl := p.timeline(&first)
	tl.wait(20*minute, hour).add(dslEmail, entry(safeguarding.EntryAcknowledged, ""))
	tl.wait(10*minute, 30*minute).add(dslEmail, moved(safeguarding.StatusInProgress))
	tl.wait(hour, 3*hour).add(dslEmail, entry(safeguarding.EntryConversationChild,
		"{name} told me she has been cutting for a few months when exams feel too much; she agreed to see the school nurse and for us to tell her mum."))
	tl.wait(10*minute, hour).add(dslEmail, told("Spoke with {name}'s mother, who had not known and will take her to the GP.",
		"{name} agreed; her mother is supportive and there is no concern about home."))
	tl.wait(10*minute, hour).referred(dslEmail, safeguarding.AgencyOtherAgent, "CAMHS", "Referral to CAMHS with the GP's support.")
	tl.wait(20*minute, hour).add(dslEmail, entry(safeguarding.EntryFeedback, pick(p, feedbackAfterReferral)))
	tl.wait(20*day, 30*day).conclude(dslEmail, "CAMHS saw {name} and she is having counselling. She says the cutting has stopped; the school nurse checks in weekly.")
	p.concerns = append(p.concerns, first)

	second := p.childCase(p.on(year13, time.November, 20), "staff06@demo.test", child, []string{"online_safety"}, nil, account{
		what:  "{name} told me an ex-boyfriend is threatening to share a photo of her unless she gets back with him.",
		words: `"He says he'll send it to everyone in sixth form."`, where: "Sixth form study centre", told: "Head of Sixth Form"}, true)
	tl = p.timeline(&second)
	tl.wait(5*minute, 20*minute).add(dslEmail, entry(safeguarding.EntryAcknowledged, ""))
	tl.wait(5*minute, 15*minute).add(dslEmail, moved(safeguarding.StatusInProgress))
	tl.wait(10*minute, 30*minute).add(dslEmail, decided("Report the threat to the police today; do not view or copy the image.",
		"A threat to share an intimate image is a crime, and {name} is under 18."))
	tl.wait(10*minute, hour).referred(dslEmail, safeguarding.AgencyPolice, "", "Reported the threat to the police with {name}'s agreement.")
	tl.wait(20*minute, hour).add(dslEmail, entry(safeguarding.EntryFeedback, pick(p, feedbackAfterReferral)))
	tl.wait(10*day, 20*day).conclude(dslEmail, "The police spoke with the ex-boyfriend, who deleted the image and was cautioned. {name} says she feels safe.")
	p.concerns = append(p.concerns, second)
}

// addLeavers puts the history's leavers on the roster, on the roll, before
// any concern about them is logged.
func (l *loader) addLeavers(ctx context.Context, leavers []leaver) error {
	var in []postgres.PupilInput
	for _, lv := range leavers {
		in = append(in, postgres.PupilInput{FirstName: lv.first, LastName: lv.last, YearGroup: lv.year,
			DateOfBirth: lv.born, RegistrationGroup: lv.group})
	}
	if len(in) == 0 {
		return nil
	}
	ids, err := l.db.AddPupils(ctx, l.school.ID, in)
	if err != nil {
		return fmt.Errorf("demo leavers: %w", err)
	}
	for i, lv := range leavers {
		l.leavers = append(l.leavers, safeguarding.PupilRef{ID: ids[i], FirstName: lv.first, LastName: lv.last, YearGroup: lv.year})
	}
	return nil
}

// markLeft marks the leavers as left, as the DSL's "Mark as left" does, on
// the day each left, and records why a file needs no transfer where it
// does not.
func (l *loader) markLeft(ctx context.Context, leavers []leaver) error {
	if err := l.loadViewer(ctx, dslEmail); err != nil {
		return err
	}
	dsl := l.viewers[dslEmail]
	for i, lv := range leavers {
		id := l.leavers[i].ID
		if err := l.db.WithClock(fixed(lv.leftAt)).MarkLeft(ctx, dsl, id, lv.leftOn); err != nil {
			return fmt.Errorf("demo leaver %s %s: %w", lv.first, lv.last, err)
		}
		if lv.notNeeded == "" {
			continue
		}
		if err := l.db.WithClock(fixed(lv.leftAt.Add(10*minute))).RecordTransferNotNeeded(ctx, dsl, id, lv.notNeeded); err != nil {
			return fmt.Errorf("demo leaver %s %s: %w", lv.first, lv.last, err)
		}
	}
	return nil
}

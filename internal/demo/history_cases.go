package demo

import (
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// The children whose stories run across several concerns, by year group
// and place in it (see pupilPick).
var (
	exploitedLastYear = pupilPick{year: 11, n: 7}  // CSE built up from four staff; a long chronology
	groomedOnline     = pupilPick{year: 10, n: 30} // CSE online: three concerns in three weeks
	countyLines       = pupilPick{year: 12, n: 3}  // criminal exploitation; a long chronology, reopened this year
	exploitedNow      = pupilPick{year: 10, n: 12} // CSE indicators from four staff in the last month
	drawnToExtremism  = pupilPick{year: 11, n: 20} // referred to Prevent, supported through Channel
)

// cases are the demo school's scripted histories: children whose CSE
// indicators build up across concerns logged by different staff, two long
// chronologies, and allegations about adults on every adult route.
func (p *planner) cases() {
	p.caseExploitedLastYear()
	p.caseGroomedOnline()
	p.caseCountyLines()
	p.caseExploitedNow()
	p.caseRadicalised()
	p.caseAllegations()
}

// scripted is an entry of a long chronology, on a date of last academic year.
type scripted struct {
	m      time.Month
	d      int
	kind   safeguarding.EntryKind
	body   string
	reason string              // a decision's
	agency safeguarding.Agency // a referral's
	other  string              // a referral's agency, when it is another
}

// script adds a long chronology's entries, each on its date, by the lead
// handling the concern or, for further information, by its referrer.
func (tl *timeline) script(lead string, entries []scripted) {
	for _, s := range entries {
		tl.until(tl.p.on(tl.p.lastYear, s.m, s.d))
		switch s.kind {
		case safeguarding.EntryFurtherInformation:
			tl.wait(0, hour).add(tl.c.by, entry(s.kind, s.body))
		case safeguarding.EntryReferral:
			tl.wait(10*minute, 2*hour).referred(lead, s.agency, s.other, s.body)
		case safeguarding.EntryCorrection:
			tl.wait(hour, 3*hour).correct(lead, s.body)
		case safeguarding.EntryDecision:
			tl.wait(0, 2*hour).add(lead, decided(s.body, s.reason))
		default:
			tl.add(lead, entry(s.kind, s.body))
		}
	}
}

func (p *planner) childCase(at time.Time, by string, child pupilPick, categories, indicators []string, a account, urgent bool) pastConcern {
	return pastConcern{at: at, by: by, pupils: []pupilPick{child}, in: p.childInput(at, categories, indicators, a, urgent)}
}

func (p *planner) caseExploitedLastYear() {
	child := exploitedLastYear
	first := p.childCase(p.on(p.lastYear, time.October, 9), "staff05@demo.test", child, []string{"missing_education"},
		[]string{"absences", "withdrawn", "education_participation"}, account{
			what:  "{name} has missed nine sessions in the last three weeks, mostly Monday mornings, and has stopped handing in homework. In lessons {name} sits alone and does not join in group work, which is a change from last year.",
			where: "Maths lessons", told: "Form tutor"}, false)
	tl := p.timeline(&first)
	tl.wait(hour, 3*hour).add(dslEmail, entry(safeguarding.EntryAcknowledged, ""))
	tl.wait(10*minute, hour).add(dslEmail, decided("Ask the attendance officer to follow up and the form tutor to check in with {name} daily.",
		"Attendance has fallen and {name} seems low; nothing else is known. Review in two weeks."))
	tl.wait(10*minute, hour).add(dslEmail, entry(safeguarding.EntryFeedback, pick(p, feedbackAfterSupport)))
	tl.wait(day, 2*day).add(dslEmail, entry(safeguarding.EntryAction, "Attendance officer phoned home: {name}'s mother says {name} has been having migraines."))
	tl.wait(10*day, 14*day).close(dslEmail, "Attendance has improved a little and {name} says things are fine. Staff asked to keep an eye out and log anything further.")
	p.concerns = append(p.concerns, first)

	found := p.childCase(time.Date(p.lastYear.Year(), time.November, 17, 8, 31, 0, 0, p.loc), "staff21@demo.test", child, []string{"cse"},
		[]string{"vehicles", "missing", "alcohol_drugs", "older_person"}, account{
			what:  "{name}'s mother rang at 8:15 to say {name} did not come home last night and was found by police at 3am in a car with two adult men on the ring road. {name} has come into school but is exhausted and smells of alcohol.",
			words: `"I'm fine. I was just with my boyfriend, he was going to bring me back."`, where: "Head of Year's office",
			done: "Kept {name} with me in the office and called the DSL straight away.", told: "Reception took the call"}, true)
	found.at = p.working(found.at)

	gifts := p.childCase(p.on(p.lastYear, time.November, 6), "staff14@demo.test", child, []string{"cse"},
		[]string{"unexplained_gifts", "older_partner", "secretive"}, account{
			what:  "{name} was showing friends a new phone and said an older boyfriend had bought it. When I asked how old he is, {name} laughed, said 'old enough to drive' and changed the subject.",
			words: `"He's twenty-something. He's proper nice to me, he buys me stuff."`, where: "Classroom"}, false)
	tl = p.timeline(&gifts)
	tl.wait(20*minute, hour).add(dslEmail, entry(safeguarding.EntryAcknowledged, "Seen. There is an earlier attendance concern for {name}."))
	tl.wait(5*minute, 20*minute).add(dslEmail, moved(safeguarding.StatusInProgress))
	tl.wait(10*minute, hour).add(dslEmail, decided("Consider this together with October's attendance concern, and speak with {name} and home.",
		"With falling attendance and withdrawal, an older boyfriend and gifts are indicators of sexual exploitation (§5.2)."))
	tl.wait(hour, 3*hour).add(dslEmail, entry(safeguarding.EntryConversationChild,
		"{name} said the boyfriend is 'about 23' and they met through a friend's older sister. {name} says they are in love and that he 'treats me like an adult'. {name} did not want their mum told."))
	tl.wait(20*minute, hour).add(dslEmail, told("Phoned {name}'s mother. She did not know about a boyfriend and was very worried; she has noticed {name} out late and with new things.",
		"Mother is protective and the risk is from an adult outside the family. {name} objected, but telling her is needed to keep {name} safe and does not put {name} at risk."))
	tl.wait(10*minute, hour).add(dslEmail, entry(safeguarding.EntryFeedback, pick(p, feedbackAfterSupport)))
	tl.wait(hour, day).add(dslEmail, entry(safeguarding.EntryAction, "Asked every member of staff who teaches {name} to log anything they notice, however small."))
	tl.until(found.at.Add(26*time.Hour)).close(dslEmail,
		"Carried forward: {name} is now being supported through the referral made after {name} was found by police with adult men; see that concern.")
	p.concerns = append(p.concerns, gifts)

	tl = p.timeline(&found)
	tl.wait(3*minute, 6*minute).add(dslEmail, entry(safeguarding.EntryAcknowledged, "Seen. Coming to the office now."))
	tl.wait(2*minute, 4*minute).assign(dslEmail, dslEmail)
	tl.wait(minute, 3*minute).add(dslEmail, moved(safeguarding.StatusInProgress))
	tl.wait(10*minute, 20*minute).referred(dslEmail, cscs, "",
		"Urgent referral by phone to the MASH: a child found by police with adult men overnight, after CSE indicators logged by three members of staff since October.")
	tl.wait(30*minute, 50*minute).add(dslEmail, entry(safeguarding.EntryConversationChild,
		"Spoke with {name} with the Head of Year present. {name} was tired and defensive at first, then said the men are friends of the boyfriend and they 'drive around and go to parties'. {name} said: \"I don't want him to get in trouble. He's the only one who listens to me.\" {name} agreed to stay in school today and to see the school nurse."))
	tl.wait(20*minute, 40*minute).add(dslEmail, told("Met {name}'s mother in school. She has reported {name} missing to the police twice before this term. Agreed she will collect {name} after school and call the police at once if {name} goes missing again.",
		"Mother is protective and already working with the police; the risk is from adults outside the family."))
	tl.wait(15*minute, 30*minute).add(dslEmail, decided("Ask CSCS for a strategy discussion today and share what {name} said about the men with the police.",
		"An older 'boyfriend', gifts, cars, alcohol and a night missing together show {name} is at significant risk of sexual exploitation; the police need the information to protect {name} (§11.5, §11.8)."))
	tl.wait(10*minute, 20*minute).referred(dslEmail, police, "", "Shared with the police exploitation team the first names and the car {name} described, and the earlier concerns.")
	tl.wait(40*minute, 90*minute).add(dslEmail, entry(safeguarding.EntryFeedback, "Thank you for acting so quickly this morning. A referral has been made and {name} has a plan for today; I'll let you know what you need to know as it develops."))
	tl.script(dslEmail, []scripted{
		{m: time.November, d: 18, kind: safeguarding.EntryAction, body: "Strategy discussion with police, CSCS, the school nurse and the DSL. Agreed a section 47 enquiry and a CSE risk assessment: significant risk. School actions: daily check-in with the learning mentor, collection by mother after school, any absence chased by 9:30."},
		{m: time.November, d: 20, kind: safeguarding.EntryAction, body: "Safety plan agreed with {name} and mother: named trusted adults in school; mother and {name} reviewed the contacts on {name}'s phone together."},
		{m: time.November, d: 25, kind: safeguarding.EntryConversationChild, body: "Weekly session. {name} still calls the man a boyfriend but said the parties 'get a bit much'. {name} wants to keep going to drama and would like mum to 'stop watching me all the time'."},
		{m: time.December, d: 4, kind: safeguarding.EntryAction, body: "Initial child protection conference: {name} is subject to a child protection plan under the category of sexual abuse (exploitation). School is part of the core group."},
		{m: time.December, d: 16, kind: safeguarding.EntryAction, body: "Core group: attendance up to 89% and no missing episodes since the conference. Mother reports {name} is home on time."},
		{m: time.January, d: 7, kind: safeguarding.EntryFurtherInformation, body: "{name} came to see me at lunch and said one of the men messaged again over the holiday, asking to meet."},
		{m: time.January, d: 7, kind: safeguarding.EntryReferral, body: "Passed the new contact, with the number, to the police exploitation team and the social worker.", agency: police},
		{m: time.January, d: 20, kind: safeguarding.EntryAction, body: "Missing overnight on Saturday; found by police on Sunday morning. Return home interview by the independent service on Tuesday; {name} would not say where they had been."},
		{m: time.January, d: 22, kind: safeguarding.EntryConversationChild, body: "{name} was quiet and tearful, then said: \"I know he was using me. I just didn't want to be on my own.\" {name} asked for more time with the mentor and agreed to a referral to the specialist exploitation worker."},
		{m: time.January, d: 22, kind: safeguarding.EntryReferral, body: "Referral to the specialist child exploitation support service, with {name}'s agreement.", agency: another, other: "Specialist child exploitation service"},
		{m: time.February, d: 5, kind: safeguarding.EntryAction, body: "Core group: the specialist worker now sees {name} weekly. Mother has had the back gate made secure after men were seen nearby."},
		{m: time.February, d: 26, kind: safeguarding.EntryAction, body: "Bruising seen by the PE teacher (separate concern) shared with the social worker the same day; CSCS accepted {name}'s account and no medical was needed."},
		{m: time.March, d: 12, kind: safeguarding.EntryAction, body: "Review child protection conference: the plan continues; risk reduced from significant to moderate on the exploitation risk assessment."},
		{m: time.March, d: 12, kind: safeguarding.EntryCorrection, body: "Correction to the entry above: the review conference was held on 11 March; the record of it is otherwise right."},
		{m: time.April, d: 24, kind: safeguarding.EntryConversationChild, body: "{name} said the specialist worker 'actually gets it' and that {name} has blocked the men's numbers. {name} wants to go to the sixth-form open evening."},
		{m: time.May, d: 14, kind: safeguarding.EntryAction, body: "Core group: no missing episodes for three months; attendance 95% this half term. Police report that the main adult has been charged with offences against other young people."},
		{m: time.June, d: 11, kind: safeguarding.EntryAction, body: "Review child protection conference: the plan has ended and {name} is now supported under a child in need plan. The specialist worker continues until the summer."},
		{m: time.June, d: 11, kind: safeguarding.EntryDecision, body: "Keep this concern open until the end of term.", reason: "The child in need plan runs into the summer holiday and school attends the last core group of term."},
		{m: time.July, d: 9, kind: safeguarding.EntryConversationChild, body: "End-of-year check-in. {name} said: \"I feel like me again.\" {name} wants to keep seeing the mentor next year."},
	})
	tl.until(p.on(p.lastYear, time.July, 14)).conclude(dslEmail,
		"Child protection plan ended in June; {name} is supported under a child in need plan. No missing episodes since January and attendance at 95%. Mentor sessions continue in September.")
	p.concerns = append(p.concerns, found)

	bruises := p.childCase(p.on(p.lastYear, time.February, 25), "staff09@demo.test", child, []string{"cse", "physical_abuse"},
		[]string{"injuries", "concealing_marks", "refusing_uncover"}, account{
			what:  "{name} would not change for PE again and, when a sleeve rode up, had bruising on the forearm. {name} said it was from 'messing about' and pulled the sleeve down.",
			where: "Changing rooms"}, false)
	tl = p.timeline(&bruises)
	tl.wait(15*minute, 45*minute).add(dslEmail, entry(safeguarding.EntryAcknowledged, ""))
	tl.wait(5*minute, 20*minute).add(dslEmail, decided("Tell the social worker today and add this to the child protection plan's review.",
		"{name} is on a child protection plan for exploitation; an unexplained injury must go to the social worker at once."))
	tl.wait(10*minute, 40*minute).add(dslEmail, entry(safeguarding.EntryAction, "Told the social worker by phone; she will see {name} at home tonight."))
	tl.wait(10*minute, hour).add(dslEmail, entry(safeguarding.EntryFeedback, pick(p, feedbackAfterReferral)))
	tl.wait(2*day, 4*day).close(dslEmail, "The social worker saw {name}, who said it happened in a fall at a friend's house; CSCS accepted the account. Added to the core group's review.")
	p.concerns = append(p.concerns, bruises)
}

func (p *planner) caseGroomedOnline() {
	child := groomedOnline
	meeting := p.childCase(p.on(p.lastYear, time.January, 30), "staff07@demo.test", child, []string{"cse", "online_safety"},
		[]string{"older_person", "defensive", "secretive"}, account{
			what:  "{name} told a friend they are going to meet their online friend, who is 'about 25', at the train station on Saturday. When I asked {name} about it, {name} became defensive and said it was none of my business.",
			words: `"He's not a stranger, I've known him for months."`, where: "Form room"}, true)

	phone := p.childCase(p.on(p.lastYear, time.January, 13), "staff16@demo.test", child, []string{"online_safety"},
		[]string{"internet_social_media", "secretive"}, account{
			what:  "{name} is on their phone constantly, turns the screen away when anyone comes near, and mentioned a 'friend' met on a gaming app who lives in another city.",
			where: "Classroom"}, false)
	tl := p.timeline(&phone)
	tl.wait(hour, 4*hour).add(deputyEmail, entry(safeguarding.EntryAcknowledged, ""))
	tl.wait(hour, 5*hour).add(deputyEmail, entry(safeguarding.EntryConversationChild,
		"{name} said the friend is 'sixteen or seventeen' and they play the same game. {name} agreed to show a parent the app's privacy settings and said they would tell me if anything felt wrong."))
	tl.wait(10*minute, hour).add(deputyEmail, decided("Online safety advice for {name}; ask staff to look out for more.", "No indicator of harm yet beyond secrecy; {name} engaged with the advice."))
	tl.wait(10*minute, hour).add(deputyEmail, entry(safeguarding.EntryFeedback, pick(p, feedbackAfterSupport)))
	tl.until(meeting.at.Add(50*time.Hour)).close(deputyEmail, "Carried forward with the later concern, logged when {name} planned to meet the person.")
	p.concerns = append(p.concerns, phone)

	gifts := p.childCase(p.on(p.lastYear, time.January, 21), "staff28@demo.test", child, []string{"cse", "online_safety"},
		[]string{"unexplained_gifts", "emotional_wellbeing"}, account{
			what:  "{name} has been buying things for friends with gift cards and said an online friend 'sends them for being nice'. {name} has been tearful and distracted in lessons for two weeks.",
			where: "Tutor time"}, false)
	tl = p.timeline(&gifts)
	tl.wait(30*minute, 2*hour).add(deputyEmail, entry(safeguarding.EntryAcknowledged, "Linked to last week's concern about {name}'s phone."))
	tl.wait(5*minute, 20*minute).add(deputyEmail, moved(safeguarding.StatusInProgress))
	tl.wait(10*minute, hour).add(deputyEmail, decided("Speak with {name} and with home today.",
		"Gifts from an unknown online contact, alongside the secrecy logged last week by another member of staff, are signs of grooming (§5.2)."))
	tl.wait(hour, 3*hour).add(deputyEmail, told("Phoned {name}'s father, who will look at the app and the gift cards with {name} tonight.",
		"The contact is outside the family and father is protective."))
	tl.wait(10*minute, hour).add(deputyEmail, entry(safeguarding.EntryFeedback, pick(p, feedbackAfterSupport)))
	tl.until(meeting.at.Add(50*time.Hour)).close(deputyEmail, "Carried forward with the later concern, logged when {name} planned to meet the person.")
	p.concerns = append(p.concerns, gifts)

	tl = p.timeline(&meeting)
	tl.wait(3*minute, 8*minute).add(deputyEmail, entry(safeguarding.EntryAcknowledged, "Seen. This is the third concern about {name} this month."))
	tl.wait(5*minute, 15*minute).referred(deputyEmail, police, "", "Urgent: phoned the police about a planned meeting between {name} and an adult met online, with the details {name}'s friend gave.")
	tl.wait(5*minute, 10*minute).add(deputyEmail, moved(safeguarding.StatusInProgress))
	tl.wait(20*minute, 40*minute).add(deputyEmail, entry(safeguarding.EntryConversationChild,
		"{name} was angry at first, then upset. {name} said: \"He said he'd never met anyone like me.\" {name} agreed not to go on Saturday and to let the police see the messages. {name} would like to stay in normal lessons."))
	tl.wait(20*minute, 40*minute).add(deputyEmail, told("Met {name}'s father and mother together. They have taken {name}'s phone to give to the police and will not let {name} travel alone this weekend.",
		"The adult is not known to the family; both parents are protective and the police asked that they be told."))
	tl.wait(10*minute, 30*minute).add(deputyEmail, decided("Refer to children's social care and report the account to CEOP.",
		"Three concerns from three members of staff in three weeks (secrecy online, gifts, a planned meeting with an adult) show {name} is being groomed for sexual exploitation."))
	tl.wait(10*minute, 30*minute).referred(deputyEmail, cscs, "", "Referral to the MASH with the three concerns and the police reference.")
	tl.wait(20*minute, hour).referred(deputyEmail, ceop, "", "CEOP report made with the account name on the gaming app.")
	tl.wait(20*minute, hour).add(deputyEmail, entry(safeguarding.EntryFeedback, pick(p, feedbackAfterReferral)))
	tl.wait(3*day, 5*day).add(deputyEmail, entry(safeguarding.EntryAction, "Strategy discussion: police are investigating the account; CSCS will complete a child and family assessment."))
	tl.wait(10*day, 20*day).add(deputyEmail, entry(safeguarding.EntryConversationChild,
		"{name} said they feel 'stupid', and we talked about how groomers work and that none of it is {name}'s fault. {name} wants to help a friend who is talking to people online too."))
	tl.wait(10*day, 20*day).conclude(deputyEmail, "Police identified the adult, who had contacted other children, and arrested him. {name} is safe, was supported by CSCS under a child in need plan and is seeing the school counsellor.")
	p.concerns = append(p.concerns, meeting)
}

func (p *planner) caseCountyLines() {
	c := p.childCase(p.on(p.lastYear, time.March, 3), "staff33@demo.test", countyLines, []string{"cce", "missing_education"},
		[]string{"gangs", "missing", "unexplained_gifts", "absences"}, account{
			what:  "{name} has been absent on four of the last six Fridays. {name} has two phones and was seen at the railway station at 11am on a school day with older teenagers who are not from this school. £200 in cash was found in {name}'s blazer when it was handed in to lost property.",
			where: "Railway station; lost property", told: "Attendance officer"}, false)
	tl := p.timeline(&c)
	tl.wait(hour, 2*hour).add(dslEmail, entry(safeguarding.EntryAcknowledged, ""))
	tl.wait(5*minute, 15*minute).assign(dslEmail, deputyEmail)
	tl.wait(5*minute, 15*minute).add(deputyEmail, moved(safeguarding.StatusInProgress))
	tl.wait(hour, 3*hour).add(deputyEmail, entry(safeguarding.EntryConversationChild,
		"{name} said the cash was 'for a mate' and the phones are 'one for home, one for work'. Later {name} said: \"I can't just stop. I owe them.\" {name} wants to finish school and would like help, but is scared for their family."))
	tl.wait(20*minute, hour).add(deputyEmail, told("Spoke with {name}'s mother, who has found cash and a second phone and has reported {name} missing twice. She wants help.",
		"Mother is protective and the people exploiting {name} are outside the family."))
	tl.wait(10*minute, hour).add(deputyEmail, decided("Refer to CSCS as child criminal exploitation and ask them to make an NRM referral.",
		"Travel, cash, two phones, debt and fear together fit county lines exploitation (§4.6). {name} is a child and a victim."))
	tl.wait(10*minute, hour).referred(deputyEmail, cscs, "", "Referral to the MASH as child criminal exploitation, with the attendance pattern and the lost property record.")
	tl.until(p.workingDaysAfter(c.at, 3)).add(deputyEmail, entry(safeguarding.EntryFeedback, "Thank you for logging this. Sorry it has taken a few days to get back to you: a referral has been made and {name} has support. Please keep logging any Friday absences."))
	tl.script(deputyEmail, []scripted{
		{m: time.March, d: 6, kind: safeguarding.EntryAction, body: "Strategy discussion: CSCS, police, youth justice and school. {name} to be discussed at the multi-agency child exploitation panel. Safety plan: travel to and from school with mother; lunchtimes on site."},
		{m: time.March, d: 10, kind: safeguarding.EntryReferral, body: "NRM referral made by CSCS as first responder, with school's information.", agency: nrm},
		{m: time.March, d: 10, kind: safeguarding.EntryReferral, body: "Intelligence shared with the police about the station meeting times and the older teenagers' descriptions.", agency: police},
		{m: time.March, d: 18, kind: safeguarding.EntryAction, body: "Multi-agency child exploitation panel: {name} assessed as high risk. Exploitation team youth worker allocated."},
		{m: time.March, d: 24, kind: safeguarding.EntryConversationChild, body: "{name} has met the youth worker twice and likes him. {name} said: \"He doesn't just tell me what to do.\" {name} asked to keep their Friday football session."},
		{m: time.March, d: 31, kind: safeguarding.EntryAction, body: "Positive reasonable grounds decision received from the Single Competent Authority."},
		{m: time.April, d: 22, kind: safeguarding.EntryAction, body: "Missing for three days over the Easter holiday; found by police in a coastal town. Return home interview completed; {name} was frightened and said little."},
		{m: time.April, d: 23, kind: safeguarding.EntryDecision, body: "Keep {name} on a full timetable with the mentor, not a reduced one.", reason: "Education is protective: a full day in school keeps {name} safe and away from the group during the day."},
		{m: time.May, d: 7, kind: safeguarding.EntryConversationChild, body: "{name} said: \"I want out, but it's not that easy.\" {name} is worried about exams and agreed to a revision plan with the mentor."},
		{m: time.May, d: 15, kind: safeguarding.EntryFurtherInformation, body: "Saw {name} at the station on Saturday with two of the same group. {name} saw me and looked away."},
		{m: time.May, d: 16, kind: safeguarding.EntryAction, body: "Passed the sighting to the youth worker and the police; the panel review was brought forward."},
		{m: time.June, d: 10, kind: safeguarding.EntryAction, body: "Exploitation panel review: risk reduced to medium. {name} sat every exam."},
		{m: time.June, d: 24, kind: safeguarding.EntryAction, body: "Positive conclusive grounds decision received: {name} is recognised as a victim of modern slavery (criminal exploitation)."},
		{m: time.July, d: 8, kind: safeguarding.EntryConversationChild, body: "{name} has a place in the college's sixth form and a summer job at the sports centre. {name} said it 'feels like a fresh start'."},
	})
	tl.until(p.on(p.lastYear, time.July, 16)).conclude(deputyEmail,
		"{name} has moved away from the group with the youth worker's help; no missing episodes since Easter. Child in need plan continues over the summer; reopen if the concerns return.")
	reopen := p.recent(2)
	if reopen.After(tl.t) {
		tl.until(reopen).add(deputyEmail, entry(safeguarding.EntryReopened,
			"Reopened: the sixth-form tutor reports {name} was seen with two of the same group at the station on Monday and has missed three sessions this week."))
		tl.wait(day, 2*day).add(deputyEmail, moved(safeguarding.StatusInProgress))
		tl.wait(hour, 3*hour).add(deputyEmail, entry(safeguarding.EntryConversationChild,
			"{name} said one of the group has been messaging about 'old debts'. {name} does not want to go back to it and asked for the youth worker to be called."))
	}
	p.concerns = append(p.concerns, c)
}

func (p *planner) caseExploitedNow() {
	child := exploitedNow
	quiet := p.childCase(p.recent(18), "staff03@demo.test", child, []string{"self_harm"},
		[]string{"withdrawn", "appearance", "emotional_wellbeing"}, account{
			what:  "Over the last few weeks {name} has become quiet and withdrawn in lessons, has cut and dyed their hair and dresses differently, and was in tears at the end of Tuesday's lesson but would not say why.",
			where: "Geography lessons"}, false)
	tl := p.timeline(&quiet)
	tl.wait(hour, 3*hour).add(deputyEmail, entry(safeguarding.EntryAcknowledged, ""))
	tl.wait(hour, 4*hour).add(deputyEmail, entry(safeguarding.EntryConversationChild,
		"{name} said they are 'just tired' and that things are fine at home. {name} did not want to talk more but agreed to see the learning mentor."))
	tl.wait(10*minute, hour).add(deputyEmail, decided("Learning mentor to meet {name} weekly; review in a fortnight.", "Changes in mood and appearance alone; {name} has a trusted adult to go to."))
	tl.wait(10*minute, hour).add(deputyEmail, entry(safeguarding.EntryFeedback, pick(p, feedbackAfterSupport)))
	p.concerns = append(p.concerns, quiet)

	boyfriend := p.childCase(p.recent(12), "staff@demo.test", child, []string{"cse"},
		[]string{"older_partner", "unexplained_gifts", "internet_social_media"}, account{
			what:  "In English {name} was messaging under the desk. When I asked for the phone to be put away {name} said it was a boyfriend, who is 22. {name} has new gold earrings and a designer bag.",
			words: `"He's 22 but he's not like the boys here. He gets me."`, where: "English lesson"}, false)
	tl = p.timeline(&boyfriend)
	tl.wait(30*minute, 2*hour).add(dslEmail, entry(safeguarding.EntryAcknowledged, "Seen. There is a recent concern about {name}'s mood."))
	tl.wait(2*minute, 10*minute).assign(dslEmail, dslEmail)
	tl.wait(2*minute, 10*minute).add(dslEmail, moved(safeguarding.StatusInProgress))
	tl.wait(10*minute, hour).add(dslEmail, decided("Consider this with the concern about {name}'s mood and appearance, and speak with {name} and home today.",
		"A second member of staff has now logged indicators: an older boyfriend and gifts, alongside withdrawal and a change in appearance (§5.2). Together they suggest a risk of sexual exploitation."))
	tl.wait(hour, 3*hour).add(dslEmail, entry(safeguarding.EntryConversationChild,
		"{name} said the boyfriend is 'really mature' and they met online. {name} said: \"You'll just make it into a thing.\" {name} agreed to keep meeting the mentor."))
	tl.wait(20*minute, hour).add(dslEmail, told("Phoned {name}'s grandmother, who is {name}'s carer. She had not known about the boyfriend and will talk with {name} tonight.",
		"The grandmother is protective and the risk is from outside the home."))
	tl.wait(10*minute, hour).add(dslEmail, entry(safeguarding.EntryFeedback, pick(p, feedbackAfterSupport)))
	p.concerns = append(p.concerns, boyfriend)

	car := p.childCase(p.recent(6), "staff24@demo.test", child, []string{"cse"},
		[]string{"absences", "vehicles", "secretive"}, account{
			what:  "{name} was seen getting into a silver car driven by an adult man at the end of lunch and came back forty minutes late to period 5. {name} would not say who the driver was.",
			where: "Side gate, Mill Lane"}, false)
	tl = p.timeline(&car)
	tl.wait(20*minute, 40*minute).add(dslEmail, entry(safeguarding.EntryAcknowledged, ""))
	tl.wait(2*minute, 10*minute).add(dslEmail, moved(safeguarding.StatusInProgress))
	tl.wait(10*minute, 30*minute).add(dslEmail, decided("Refer to children's social care today, and pass the car's description to the police.",
		"Three members of staff have now logged eight different CSE indicators in under three weeks: an older boyfriend, gifts, a car driven by an unknown adult, missed lessons, secrecy, withdrawal and a change in appearance. The threshold for a referral is met."))
	tl.wait(10*minute, 30*minute).referred(dslEmail, cscs, "", "Referral to the MASH setting out the three concerns and what {name} has said.")
	tl.wait(10*minute, 30*minute).referred(dslEmail, police, "", "Description of the car and the times passed to the police exploitation team.")
	tl.wait(10*minute, hour).add(dslEmail, entry(safeguarding.EntryFeedback, pick(p, feedbackAfterReferral)))
	tl.wait(day, 2*day).add(dslEmail, entry(safeguarding.EntryAction, "CSCS have opened a child and family assessment and allocated a social worker, who will visit this week."))
	p.concerns = append(p.concerns, car)

	missing := p.childCase(p.recent(2), "staff11@demo.test", child, []string{"cse"},
		[]string{"missing", "alcohol_drugs", "exploited_peers"}, account{
			what:  "{name}'s grandmother rang this morning: {name} was missing overnight and came home at 7am. {name} is in school but very tired and said they had been 'at a party in a flat' with older people and some other young people from the town.",
			words: `"It was just a party. Everyone was there."`, where: "Pastoral office", told: "Reception took the call"}, true)
	tl = p.timeline(&missing)
	tl.wait(2*minute, 5*minute).add(dslEmail, entry(safeguarding.EntryAcknowledged, "Seen. Coming now."))
	tl.wait(2*minute, 5*minute).add(dslEmail, moved(safeguarding.StatusInProgress))
	tl.wait(10*minute, 20*minute).referred(dslEmail, police, "", "Urgent: told the police missing persons team that {name} has returned, and shared the address of the flat {name} described.")
	tl.wait(30*minute, hour).add(dslEmail, entry(safeguarding.EntryConversationChild,
		"{name} was tired and tearful. {name} said the boyfriend took them to the party and 'didn't want me to go home'. {name} said: \"I don't want to go back there.\" {name} wants their gran with them when the social worker visits."))
	tl.wait(10*minute, 30*minute).add(dslEmail, decided("Ask CSCS for a strategy discussion today.",
		"A missing episode with older adults, alcohol and other young people, on top of four concerns from four members of staff this month, shows {name} is at significant risk of sexual exploitation."))
	tl.wait(10*minute, 30*minute).add(dslEmail, entry(safeguarding.EntryFeedback, "Thank you for picking this up so quickly this morning. The right people are involved and {name} has a plan for today."))
	tl.wait(day, day+4*hour).add(dslEmail, entry(safeguarding.EntryAction, "Strategy discussion held: section 47 enquiry agreed; CSE risk assessment to be completed by the social worker with school."))
	p.concerns = append(p.concerns, missing)
}

func (p *planner) caseRadicalised() {
	c := p.childCase(p.on(p.lastYear, time.February, 10), "staff13@demo.test", drawnToExtremism, []string{"radicalisation", "online_safety"}, nil, account{
		what:  "In a history lesson on the Second World War {name} said the far right 'had the right idea', and showed two friends videos from an online channel that calls for violence against migrants. {name} has drawn the symbol of a banned group on their planner.",
		where: "History lesson", done: "Asked {name} to put the phone away and spoke with {name} after the lesson. Kept the planner for the DSL."}, false)
	tl := p.timeline(&c)
	tl.wait(30*minute, 2*hour).add(dslEmail, entry(safeguarding.EntryAcknowledged, ""))
	tl.wait(5*minute, 20*minute).add(dslEmail, moved(safeguarding.StatusInProgress))
	tl.wait(hour, 3*hour).add(dslEmail, entry(safeguarding.EntryConversationChild,
		"{name} said they 'just watch stuff' and that nobody listens to people like them. {name} was open about spending hours each night on the channel and its chat group, and agreed to talk again next week."))
	tl.wait(20*minute, hour).add(dslEmail, told("Met {name}'s father, who was shocked and had not known about the channel. He supports a Prevent referral and will talk with {name} about it.",
		"Father does not share the views and is supportive; the Prevent officer advised that he be told."))
	tl.wait(10*minute, 30*minute).add(dslEmail, decided("Refer to Prevent.",
		"Support for violence, sharing extremist material with others and the symbol of a proscribed group are signs of radicalisation; the Prevent duty applies."))
	tl.wait(10*minute, hour).referred(dslEmail, prevent, "", "Prevent referral form sent, with the planner and the channel's name; spoke with the Prevent officer the same afternoon.")
	tl.wait(20*minute, 2*hour).add(dslEmail, entry(safeguarding.EntryFeedback, pick(p, feedbackAfterReferral)))
	tl.wait(5*day, 10*day).add(dslEmail, entry(safeguarding.EntryAction, "The Prevent officer met {name} and father in school. The case went to the Channel panel, which offered {name} a mentor."))
	tl.wait(20*day, 30*day).add(dslEmail, entry(safeguarding.EntryConversationChild,
		"{name} has met the Channel mentor three times and said the sessions are 'alright, actually'. {name} has left the chat group and said: \"I didn't really think about who was making those videos.\""))
	tl.wait(30*day, 50*day).conclude(dslEmail, "Channel support completed over ten weeks; {name} no longer follows the channel and has joined the debating club. Prevent closed the case.")
	p.concerns = append(p.concerns, c)
}

// caseAllegations are concerns about adults: staff, a contractor and a
// volunteer (the principal and the DSL handle them), the deputy DSL (the
// principal alone), and the principal (the chair alone).
func (p *planner) caseAllegations() {
	type allegation struct {
		at         time.Time
		by         string
		subject    string // a member of staff's e-mail, or "" for another adult
		adult      string
		role       string
		categories []string
		account    account
		handler    string
		script     func(tl *timeline, h string)
	}
	viaLADO := func(decision, reason, action, outcome string) func(*timeline, string) {
		return func(tl *timeline, h string) {
			tl.wait(20*minute, 2*hour).add(h, entry(safeguarding.EntryAcknowledged, ""))
			tl.wait(10*minute, hour).add(h, moved(safeguarding.StatusInProgress))
			tl.wait(10*minute, hour).add(h, decided(decision, reason))
			tl.wait(10*minute, hour).referred(h, safeguarding.AgencyLADO, "", "Consulted the LADO by phone and sent the allegation form the same day.")
			tl.wait(20*minute, 2*hour).add(h, entry(safeguarding.EntryFeedback, "Thank you for reporting this. It is being dealt with under the procedure for allegations about adults who work with children. I can't share more, but please come to me if you see anything else."))
			tl.wait(day, 4*day).add(h, entry(safeguarding.EntryAction, action))
			tl.wait(10*day, 30*day).conclude(h, outcome)
		}
	}
	cases := []allegation{
		{at: p.on(p.lastYear, time.November, 20), by: "staff02@demo.test", subject: "staff17@demo.test", categories: []string{"physical_abuse"}, handler: principalEmail,
			account: account{what: "At change-over I saw {subject} grab a pupil by the blazer and push the pupil against the wall during an argument. The pupil was shaken but not hurt.",
				where: "Year 9 corridor", done: "Took the pupil to the pastoral office and made sure they were alright."},
			script: viaLADO("Consult the LADO today.", "An allegation that a member of staff used force on a pupil may meet the harm threshold (KCSIE part 4).",
				"LADO advised the college to look into it under the disciplinary procedure. {subject} was told of the allegation and is not teaching the pupil's class meanwhile.",
				"Investigation complete: the force used was not justified. Final written warning and de-escalation training; the LADO closed the case as substantiated.")},
		{at: p.on(p.lastYear, time.March, 17), by: "staff19@demo.test", subject: "staff26@demo.test", categories: []string{"other", "online_safety"}, handler: principalEmail,
			account: account{what: "A pupil told me that {subject} has been messaging the pupil privately on Instagram in the evenings and said the pupil is 'special'. The pupil showed me one message; I did not take a copy.",
				where: "Pastoral office"},
			script: viaLADO("Refer to the LADO and keep {subject} away from pupils until the LADO advises.",
				"Private messages to a pupil on personal social media breach the code of conduct and may be grooming.",
				"LADO strategy meeting: the police will consider whether an offence has been committed; {subject} is suspended on full pay as a neutral act.",
				"Police took no further action. The LADO found a serious breach of the code of conduct; after a disciplinary hearing {subject} received a final written warning and training on professional boundaries.")},
		{at: p.recent(7), by: "staff12@demo.test", subject: "staff30@demo.test", categories: []string{"other"}, handler: principalEmail,
			account: account{what: "I saw {subject} give a pupil a lift home, alone, in {subject}'s own car on Tuesday and again yesterday. This is against the staff code of conduct.",
				where: "Staff car park"},
			script: func(tl *timeline, h string) {
				tl.wait(hour, 4*hour).add(h, entry(safeguarding.EntryAcknowledged, ""))
				tl.wait(10*minute, hour).add(h, decided("Treat as a low-level concern and speak with {subject}.",
					"Nothing suggests harm or intent, so it does not meet the harm threshold; it is a breach of the code of conduct, which the low-level concerns policy covers."))
				tl.wait(hour, day).add(h, entry(safeguarding.EntryAction, "Spoke with {subject}, who said the pupil's parent asked for help when the bus was cancelled. Reminded {subject} of the code of conduct: the office phones home instead."))
				tl.wait(10*minute, hour).add(h, entry(safeguarding.EntryFeedback, "Thank you for raising this; it was the right thing to do. It has been dealt with."))
				tl.wait(day, 3*day).close(h, "Recorded as a low-level concern; {subject} understands the code of conduct. No pattern of similar concerns.")
			}},
		{at: p.on(p.lastYear, time.June, 10), by: "staff06@demo.test", adult: "Roofing contractor (name not known at the time)", role: "contractor", categories: []string{"other"}, handler: dslEmail,
			account: account{what: "A contractor working on the sports hall roof was seen photographing pupils on the field with his phone during PE. When I challenged him he said he was taking pictures of the roof.",
				where: "Sports field", done: "Moved the class indoors and told the site manager."},
			script: func(tl *timeline, h string) {
				tl.wait(5*minute, 20*minute).add(h, entry(safeguarding.EntryAcknowledged, ""))
				tl.wait(10*minute, 30*minute).add(h, entry(safeguarding.EntryAction, "Site manager asked the firm to remove the contractor from site at once and to give his name."))
				tl.wait(10*minute, hour).add(h, decided("Tell the police and consult the LADO.", "An adult working on site photographing children without reason may be committing an offence and must be looked into."))
				tl.wait(10*minute, hour).referred(h, police, "", "Reported to the police by 101 with the firm's details.")
				tl.wait(10*minute, hour).referred(h, lado, "", "Consulted the LADO about the contractor.")
				tl.wait(20*minute, 2*hour).add(h, entry(safeguarding.EntryFeedback, "Thank you for acting so quickly. The police and the LADO are involved and the contractor is no longer on site."))
				tl.wait(7*day, 20*day).conclude(h, "Police examined the phone and found no images of pupils. The firm has removed the contractor from all school contracts and the LADO closed the case. Contractors now work behind screens during PE.")
			}},
		{at: p.recent(25), by: "staff27@demo.test", adult: "Mrs J. Hartley", role: "volunteer", categories: []string{"other"}, handler: dslEmail,
			account: account{what: "A pupil told me that the volunteer who hears readers on Thursdays gave the pupil her personal phone number and said to text her 'any time'.",
				where: "Library"},
			script: viaLADO("Stop the volunteer's sessions and consult the LADO.", "Giving a pupil a personal number breaches the volunteers' code of conduct; the LADO should advise.",
				"The principal met Mrs Hartley, who said she meant it kindly. Her volunteering has ended; the pupil's parents were told.",
				"LADO: does not meet the harm threshold; managed as a conduct matter. Mrs Hartley no longer volunteers at the college.")},
		{at: p.on(p.lastYear, time.February, 4), by: "staff08@demo.test", subject: deputyEmail, categories: []string{"other"}, handler: principalEmail,
			account: account{what: "A parent told me at the gate that {subject} had talked about another pupil's family, including social care involvement, with parents at a football match on Saturday.",
				where: "Front gates"},
			script: func(tl *timeline, h string) {
				tl.wait(hour, 3*hour).add(h, entry(safeguarding.EntryAcknowledged, ""))
				tl.wait(10*minute, hour).add(h, moved(safeguarding.StatusInProgress))
				tl.wait(10*minute, hour).add(h, decided("Look into it as a breach of confidentiality; no LADO referral.",
					"The concern is about data protection and professional conduct, not harm to a child, so it does not meet the harm threshold (KCSIE part 4)."))
				tl.wait(day, 2*day).add(h, entry(safeguarding.EntryAction, "Met {subject} with HR. {subject} accepted talking about a family in general terms and was very apologetic."))
				tl.wait(10*minute, hour).add(h, entry(safeguarding.EntryFeedback, "Thank you for passing this on. It has been looked into and dealt with."))
				tl.wait(2*day, 6*day).close(h, "Conduct matter: a written management instruction and data protection training. The family were told and offered an apology.")
			}},
		{at: p.on(p.lastYear, time.May, 13), by: "staff15@demo.test", subject: principalEmail, categories: []string{"physical_abuse"}, handler: chairEmail,
			account: account{what: "After break I saw {subject} shouting at a pupil very close to the pupil's face, then pull the pupil by the arm into the office. The pupil was crying.",
				where: "Main corridor"},
			script: viaLADO("Consult the LADO.", "An allegation that the principal used force on a pupil; the chair of governors is case manager (§11.3).",
				"LADO advised the chair to establish the facts; the clerk and HR took accounts from two witnesses.",
				"LADO agreed the allegation does not meet the harm threshold. The chair dealt with it as a conduct matter under the staff behaviour policy, with advice and training on managing behaviour.")},
		{at: p.recent(9), by: "staff22@demo.test", subject: principalEmail, categories: []string{"other"}, handler: chairEmail,
			account: account{what: "A sixth-form student told me that {subject} has been meeting the student alone off site and messaging on a personal phone, and asked the student to keep it quiet.",
				where: "Sixth-form centre"},
			script: func(tl *timeline, h string) {
				tl.wait(14*hour, 18*hour).add(h, entry(safeguarding.EntryAcknowledged, "Seen. I will call the LADO this morning."))
				tl.wait(10*minute, hour).add(h, moved(safeguarding.StatusInProgress))
				tl.wait(10*minute, hour).add(h, decided("Refer to the LADO today.",
					"Private contact with a student on a personal phone, with a request for secrecy, may be grooming. The chair is case manager for allegations about the principal (§11.3)."))
				tl.wait(10*minute, hour).referred(h, lado, "", "Referral to the LADO by phone and the allegation form.")
				tl.wait(20*minute, 2*hour).add(h, entry(safeguarding.EntryFeedback, "Thank you for bringing this to me. It is being dealt with under the procedure for allegations about staff. Please do not discuss it with anyone else."))
				tl.wait(day, 2*day).add(h, entry(safeguarding.EntryAction, "LADO strategy meeting with the police. The vice principal is acting principal while enquiries are made; the student is supported by the school counsellor."))
				tl.wait(14*day, 28*day).conclude(h, "Police enquiry concluded; LADO outcome recorded and the disciplinary process completed.")
			}},
	}
	for _, a := range cases {
		c := pastConcern{at: a.at, by: a.by, subject: a.subject, in: p.adultInput(a.at, a.adult, a.role, a.account)}
		c.in.Categories = a.categories
		a.script(p.timeline(&c), a.handler)
		p.concerns = append(p.concerns, c)
	}
}
